package importers

import (
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
)

// E164 returns raw as an E.164 phone number ("+33612345678"), reading numbers without a country
// code in the default region, or "" when raw is not a plausible phone number (short codes,
// alphanumeric sender ids, e-mail addresses, RCS pseudo-addresses).
//
// The answer is always phonenumbers' (Parse, IsPossibleNumber, Format E164). The shapes that fill
// raid logs (a national number with its trunk prefix, a "+" number of a common country) are
// answered by [fastE164] without the library's regular expressions; everything else goes to the
// library.
func E164(raw, region string) string {
	s, region, ok := phoneCandidate(raw, region)
	if !ok {
		return ""
	}
	if e, ok := fastE164(s, region); ok {
		return e
	}
	return parseE164(s, region)
}

// libraryE164 is [E164] without the fast path; tests hold the two equal.
func libraryE164(raw, region string) string {
	s, region, ok := phoneCandidate(raw, region)
	if !ok {
		return ""
	}
	return parseE164(s, region)
}

// phoneCandidate trims raw to the text worth parsing and settles the default region; ok is false
// when raw cannot be a phone number at all.
func phoneCandidate(raw, region string) (s, upperRegion string, ok bool) {
	s = strings.TrimSpace(raw)
	s = strings.TrimPrefix(s, "whatsapp:")
	s = strings.TrimPrefix(s, "tel:")
	if s == "" || strings.ContainsAny(s, "@") {
		return "", "", false
	}
	digits := 0
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			digits++
		case unicode.IsLetter(r):
			return "", "", false
		}
	}
	if digits < 7 { // short codes and service numbers stay as given
		return "", "", false
	}
	if region == "" {
		region = "FR"
	}
	return s, strings.ToUpper(region), true
}

// parseE164 asks phonenumbers.
func parseE164(s, region string) string {
	n, err := phonenumbers.Parse(s, region)
	if err != nil || !phonenumbers.IsPossibleNumber(n) {
		return ""
	}
	return phonenumbers.Format(n, phonenumbers.E164)
}

// numberingPlan is the part of a country's phonenumbers metadata that the fast path relies on.
// TestNumberingPlans holds every field equal to the library's metadata, so a library upgrade that
// changes one fails that test instead of making the fast path disagree.
type numberingPlan struct {
	region string // main region of the calling code
	cc     string // country calling code
	// stripped are the alternatives of the metadata's national_prefix_for_parsing, all literal;
	// the first, when "0", is the trunk prefix of national numbers. No transform rule is set.
	stripped []string
	lengths  []int // possible lengths of the national significant number (general desc)
	local    []int // lengths possible only for local dialling
	// pattern is the general national-number pattern; none of its alternatives can start with 0,
	// so a number starting with the trunk prefix never matches it and the library always strips
	// the prefix when what remains has a possible length.
	pattern string
	idd     string // international prefix: starts with 0, and with 00 where the trunk prefix is 0
}

// numberingPlans are the countries whose numbers the fast path answers (the raids Raidtrace was
// built for: French-speaking Europe, the UK, the US, Nigeria).
var numberingPlans = []numberingPlan{
	{region: "FR", cc: "33", stripped: []string{"0"}, lengths: []int{9}, pattern: `[1-9]\d{8}`, idd: "00"},
	{region: "BE", cc: "32", stripped: []string{"0"}, lengths: []int{8, 9}, pattern: `4\d{8}|[1-9]\d{7}`, idd: "00"},
	{region: "CH", cc: "41", stripped: []string{"0"}, lengths: []int{9, 12}, pattern: `8\d{11}|[2-9]\d{8}`, idd: "00"},
	{region: "GB", cc: "44", stripped: []string{"0", "180020"}, lengths: []int{7, 9, 10}, local: []int{4, 5, 6, 8}, pattern: `[1-357-9]\d{9}|[18]\d{8}|8\d{6}`, idd: "00"},
	{region: "NG", cc: "234", stripped: []string{"0"}, lengths: []int{10, 11, 12, 13, 14}, local: []int{6, 7}, pattern: `(?:20|9\d)\d{8}|[78]\d{9,13}`, idd: "009"},
	{region: "US", cc: "1", stripped: []string{"1"}, lengths: []int{10}, local: []int{7}, pattern: `[2-9]\d{9}|3\d{6}`, idd: "011"},
}

// planByRegion and planByCC index numberingPlans.
var planByRegion, planByCC = func() (map[string]*numberingPlan, map[string]*numberingPlan) {
	r, c := make(map[string]*numberingPlan), make(map[string]*numberingPlan)
	for i := range numberingPlans {
		p := &numberingPlans[i]
		r[p.region], c[p.cc] = p, p
	}
	return r, c
}()

// fastE164 answers [E164] for s (trimmed, with at least 7 digits and no letters) when s is a shape
// whose answer from phonenumbers is known without running it; ok is false otherwise. Each case
// below follows the library's parse step by step (see the comments); the equivalence tests and
// FuzzE164 check it against the library.
//
// s must be ASCII digits and the separators " .-()", optionally after one leading '+': on such
// text the library's number extraction, viability check and normalisation all reduce to keeping
// the digits (no extension, second number, RFC 3966 or vanity form can appear).
func fastE164(s, region string) (string, bool) {
	if len(s) > 64 {
		return "", false
	}
	var buf [20]byte
	d := buf[:0]
	plus := s[0] == '+'
	i := 0
	if plus {
		i = 1
	}
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			if len(d) == len(buf) {
				return "", false
			}
			d = append(d, c)
		case c == ' ' || c == '.' || c == '-' || c == '(' || c == ')':
		default:
			return "", false
		}
	}
	if plus {
		return fastInternational(d)
	}
	p := planByRegion[region]
	if p == nil || d[0] == '0' && len(d) > 1 && d[1] == '0' {
		// Unknown region, or a leading "00" that may be an international prefix.
		return "", false
	}
	if d[0] == '0' && p.stripped[0] == "0" {
		// National number with its trunk prefix. Not an international prefix (all start "00" and
		// the second digit is not 0), not the country code (none starts with 0); the library
		// strips the trunk prefix (the pattern cannot match a leading 0) and keeps what remains
		// if its length is possible (not local-only), and that is the number.
		rest := d[1:]
		if !hasLength(p.lengths, len(rest)) {
			return "", false
		}
		return "+" + p.cc + string(rest), true
	}
	// National number without trunk prefix: no international prefix (first digit is not 0), no
	// country code and no national prefix to strip, so the digits are the national number, and
	// possible (local-only included) when their length is.
	if d[0] == '0' || hasAnyPrefix(d, p.cc) || hasAnyPrefix(d, p.stripped...) ||
		!hasLength(p.lengths, len(d)) && !hasLength(p.local, len(d)) {
		return "", false
	}
	return "+" + p.cc + string(d), true
}

// fastInternational answers for the digits d written after a leading '+'.
func fastInternational(d []byte) (string, bool) {
	// The library takes the shortest leading 1-3 digits that are a calling code; no shorter prefix
	// of a plan's code is one (TestNumberingPlans), so matching a plan's code here is the same.
	var p *numberingPlan
	for n := 1; n <= 3 && n < len(d); n++ {
		if p = planByCC[string(d[:n])]; p != nil {
			break
		}
	}
	if p == nil {
		return "", false
	}
	nat := d[len(p.cc):]
	if nat[0] == '0' && p.stripped[0] == "0" && len(nat) > 1 && nat[1] != '0' {
		// "+33 (0)6…": the trunk prefix is stripped as for a national number.
		rest := nat[1:]
		if !hasLength(p.lengths, len(rest)) {
			return "", false
		}
		return "+" + p.cc + string(rest), true
	}
	// Nothing to strip: the digits after the code are the national number, possible (local-only
	// included) when their length is. A leading 0 would be kept as an "Italian" zero: not here.
	if nat[0] == '0' || hasAnyPrefix(nat, p.stripped...) ||
		!hasLength(p.lengths, len(nat)) && !hasLength(p.local, len(nat)) {
		return "", false
	}
	return "+" + string(d), true
}

func hasLength(lengths []int, n int) bool {
	for _, l := range lengths {
		if l == n {
			return true
		}
	}
	return false
}

func hasAnyPrefix(d []byte, prefixes ...string) bool {
	for _, p := range prefixes {
		if len(d) >= len(p) && string(d[:len(p)]) == p {
			return true
		}
	}
	return false
}

// PhoneParty builds a Party from a phone-like address, filling E164 when it is one.
func PhoneParty(raw, name, region string) Party {
	return Party{Raw: raw, E164: E164(raw, region), Name: name}
}
