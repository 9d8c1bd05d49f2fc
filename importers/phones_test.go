package importers

import "testing"

func TestPhones(t *testing.T) {
	p := NewPhones("FR")
	for _, raw := range []string{"06 12 34 56 78", "+33612345678", "whatsapp:+447700900123", "RAIDTRACE", "36665", "06 12 34 56 78", ""} {
		if got, want := p.E164(raw), E164(raw, "FR"); got != want {
			t.Errorf("E164(%q): got %q, want %q", raw, got, want)
		}
	}
	if got, want := p.Party("0612345678", "Kevin"), PhoneParty("0612345678", "Kevin", "FR"); got != want {
		t.Errorf("Party: got %+v, want %+v", got, want)
	}
	for i := range phonesMax + 10 {
		p.m[string(rune(i))] = "x"
	}
	if got := p.E164("0612345679"); got != "+33612345679" || len(p.m) > phonesMax {
		t.Errorf("after overflow: got %q with %d entries, want +33612345679 and at most %d", got, len(p.m), phonesMax)
	}
}
