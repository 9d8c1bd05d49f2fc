package importers

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// TestNumberingPlans holds the fast path's plans equal to the library's metadata: if an upgrade of
// phonenumbers changes one, this fails and the plan (and the reasoning in fastE164) needs review.
func TestNumberingPlans(t *testing.T) {
	c, err := phonenumbers.MetadataCollection()
	if err != nil {
		t.Fatal(err)
	}
	meta := make(map[string]*phonenumbers.PhoneMetadata)
	for _, m := range c.GetMetadata() {
		meta[m.GetId()] = m
	}
	for _, p := range numberingPlans {
		m := meta[p.region]
		if m == nil {
			t.Errorf("%s: no metadata", p.region)
			continue
		}
		g := m.GetGeneralDesc()
		got := fmt.Sprintf("cc=%d npp=%q rule=%q lengths=%v local=%v pattern=%s idd=%s",
			m.GetCountryCode(), m.GetNationalPrefixForParsing(), m.GetNationalPrefixTransformRule(),
			g.GetPossibleLength(), g.GetPossibleLengthLocalOnly(), g.GetNationalNumberPattern(), m.GetInternationalPrefix())
		want := fmt.Sprintf("cc=%s npp=%q rule=\"\" lengths=%v local=%v pattern=%s idd=%s",
			p.cc, strings.Join(p.stripped, "|"), int32s(p.lengths), int32s(p.local), p.pattern, p.idd)
		if got != want {
			t.Errorf("%s metadata:\n got %s\nwant %s", p.region, got, want)
		}
		cc, _ := strconv.Atoi(p.cc)
		if got := phonenumbers.GetRegionCodeForCountryCode(cc); got != p.region {
			t.Errorf("main region of +%s: got %s, want %s", p.cc, got, p.region)
		}
		for n := 1; n < len(p.cc); n++ {
			short, _ := strconv.Atoi(p.cc[:n])
			if got := phonenumbers.GetRegionCodeForCountryCode(short); got != "ZZ" {
				t.Errorf("+%s: prefix %d is the calling code of %s", p.cc, short, got)
			}
		}
		// fastE164 tells national numbers from international ones by their first two digits.
		if want := "0" + map[bool]string{true: "0", false: ""}[p.stripped[0] == "0"]; !strings.HasPrefix(p.idd, want) {
			t.Errorf("%s: international prefix %q does not start with %s", p.region, p.idd, want)
		}
	}
}

func int32s(s []int) []int32 {
	out := make([]int32, 0, len(s))
	for _, v := range s {
		out = append(out, int32(v))
	}
	return out
}

func TestE164Fast(t *testing.T) {
	tests := []struct {
		raw, region, want string
	}{
		{"06 12 34 56 78", "FR", "+33612345678"},
		{"06.12.34.56.78", "fr", "+33612345678"},
		{"+33 (0)6 12 34 56 78", "US", "+33612345678"},
		{"0470 12 34 56", "BE", "+32470123456"},
		{"+41 79 123 45 67", "FR", "+41791234567"},
		{"07700 900123", "GB", "+447700900123"},
		{"0803 123 4567", "NG", "+2348031234567"},
		{"(555) 555-4545", "US", "+15555554545"},
		{"+1 555 1234", "FR", "+15551234"},
	}
	for _, tt := range tests {
		s, region, _ := phoneCandidate(tt.raw, tt.region)
		got, ok := fastE164(s, region)
		if got != tt.want || !ok {
			t.Errorf("fastE164(%q, %q) = %q, %v, want %q, true", tt.raw, tt.region, got, ok, tt.want)
		}
	}
}

// TestE164MatchesLibrary: for many generated inputs (numbers of the fast path's countries and
// others in many written forms, short codes, sender names, junk), E164 == the library alone.
func TestE164MatchesLibrary(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	n := 200000
	if testing.Short() {
		n = 20000
	}
	fast := 0
	for range n {
		raw, region := randomPhoneInput(r)
		got, want := E164(raw, region), libraryE164(raw, region)
		if got != want {
			t.Fatalf("E164(%q, %q): got %q, want %q (library)", raw, region, got, want)
		}
		if s, reg, ok := phoneCandidate(raw, region); ok {
			if _, ok := fastE164(s, reg); ok {
				fast++
			}
		}
	}
	t.Logf("%d inputs, %d on the fast path", n, fast)
	// The generator must exercise the fast path, or the test proves nothing.
	if got, want := fast, n/4; got < want {
		t.Errorf("fast path taken %d times, want at least %d", got, want)
	}
}

func FuzzE164(f *testing.F) {
	for _, s := range []string{"06 12 34 56 78", "+33 (0)6 12 34 56 78", "0033612345678", "(555) 555-4545",
		"1-555-555-4545", "+44 1800 20 1234", "09999999999", "+1 555 1234", "36665", "OTP Bank", "+(33)..612345678",
		"0612345678 ext 12", "06 12 34 56 78#", "+٣٣٦١٢٣٤٥٦٧٨", "tel:+33612345678;phone-context=+33"} {
		f.Add(s, "FR")
	}
	f.Add("07700 900123", "GB")
	f.Add("8031234567", "NG")
	f.Add("5555554545", "us")
	f.Fuzz(func(t *testing.T, raw, region string) {
		if got, want := E164(raw, region), libraryE164(raw, region); got != want {
			t.Errorf("E164(%q, %q): got %q, want %q (library)", raw, region, got, want)
		}
	})
}

// randomPhoneInput returns an address as exports write them, and a default region.
func randomPhoneInput(r *rand.Rand) (raw, region string) {
	regions := []string{"FR", "FR", "BE", "CH", "GB", "US", "NG", "", "fr", "DE", "CA", "IT", "XX"}
	region = regions[r.IntN(len(regions))]
	switch r.IntN(10) {
	case 0: // short codes, sender names, junk
		return randomJunk(r), region
	case 1: // a number of a country without a plan
		ccs := []string{"49", "39", "7", "86", "971", "352", "1", "33", "44", "3"}
		return "+" + ccs[r.IntN(len(ccs))] + randomDigits(r, 4+r.IntN(11)), region
	}
	p := numberingPlans[r.IntN(len(numberingPlans))]
	if r.IntN(3) > 0 {
		region = p.region // mostly numbers of the default region
	}
	// National significant number: mostly a possible length, sometimes not; any first digit.
	l := p.lengths[r.IntN(len(p.lengths))]
	switch r.IntN(6) {
	case 0:
		l += r.IntN(5) - 2
	case 1:
		if len(p.local) > 0 {
			l = p.local[r.IntN(len(p.local))]
		}
	}
	nsn := randomDigits(r, max(l, 1))
	if r.IntN(4) > 0 && nsn[0] == '0' {
		nsn = strconv.Itoa(1+r.IntN(9)) + nsn[1:]
	}
	if r.IntN(8) == 0 { // starting with a national prefix or the calling code
		pre := append([]string{p.cc}, p.stripped...)[r.IntN(1+len(p.stripped))]
		nsn = pre + nsn[min(len(pre), len(nsn)):]
	}
	var digits string
	switch r.IntN(9) {
	case 0, 1, 2:
		digits = p.stripped[0] + nsn // national with trunk prefix
	case 3:
		digits = nsn // national without
	case 4, 5:
		return "+" + p.cc + sep(r) + writeDigits(r, nsn), region
	case 6:
		return "+" + p.cc + sep(r) + "(0)" + sep(r) + writeDigits(r, nsn), region
	case 7:
		digits = p.idd + p.cc + nsn
	case 8:
		digits = p.cc + nsn
	}
	raw = writeDigits(r, digits)
	switch r.IntN(12) {
	case 0:
		raw = "tel:" + raw
	case 1:
		raw = "whatsapp:+" + raw
	case 2:
		raw = " " + raw + " "
	case 3:
		raw = "(" + raw[:min(3, len(raw))] + ")" + raw[min(3, len(raw)):]
	case 4: // a stray character the fast path refuses
		stray := []string{"/", "#", "x", "\t", "～", "٣", "+", ",", ";", "*", "‐"}
		i := r.IntN(len(raw) + 1)
		raw = raw[:i] + stray[r.IntN(len(stray))] + raw[i:]
	}
	return raw, region
}

func randomDigits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

// writeDigits writes digits in groups, as people and phones do.
func writeDigits(r *rand.Rand, digits string) string {
	if r.IntN(3) == 0 {
		return digits
	}
	group := 2 + r.IntN(3)
	s := sep(r)
	var b strings.Builder
	for i := 0; i < len(digits); i += group {
		if i > 0 {
			b.WriteString(s)
		}
		b.WriteString(digits[i:min(i+group, len(digits))])
	}
	return b.String()
}

func sep(r *rand.Rand) string {
	return []string{"", " ", ".", "-", " - ", "  "}[r.IntN(6)]
}

func randomJunk(r *rand.Rand) string {
	if r.IntN(3) == 0 {
		return []string{"36665", "10010", "OTP Bank", "RAIDTRACE", "group_8@rcs.google.com", "+", "", "tel:", "0000000",
			"+0033612345678", "++33612345678", "(+33) 6 12 34 56 78", "06 12 34 56 78 / 06 98 76 54 32"}[r.IntN(13)]
	}
	alphabet := []rune("0123456789+ .-()/#x;,*~a٣＋")
	n := 1 + r.IntN(20)
	b := make([]rune, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
		if r.IntN(3) > 0 {
			b[i] = rune('0' + r.IntN(10))
		}
	}
	return string(b)
}

// distinctPhones returns n distinct addresses in the shapes of an SMS or chat export.
func distinctPhones(n int) []string {
	r := rand.New(rand.NewPCG(3, 4))
	seen := make(map[string]bool, n)
	out := make([]string, 0, n)
	for len(out) < n {
		var s string
		switch r.IntN(6) {
		case 0, 1:
			s = "06 " + writeDigits(r, randomDigits(r, 8))
		case 2:
			s = "+336" + randomDigits(r, 8)
		case 3:
			s = "+32 47" + randomDigits(r, 7)
		case 4:
			s = "+1 (" + strconv.Itoa(200+r.IntN(800)) + ") 555-" + randomDigits(r, 4)
		case 5:
			s = "+44 7700 " + randomDigits(r, 6)
		}
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// BenchmarkE164 parses distinct numbers (no memo can help); target: under 1 µs a number on the
// fast path, against tens of microseconds through the library.
func BenchmarkE164(b *testing.B) {
	phones := distinctPhones(4096)
	for _, bb := range []struct {
		name string
		f    func(raw, region string) string
	}{{"fast", E164}, {"library", libraryE164}} {
		b.Run(bb.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				if bb.f(phones[i%len(phones)], "FR") == "" {
					b.Fatalf("%q: not a number", phones[i%len(phones)])
				}
				i++
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "numbers/s")
		})
	}
}
