package importers

import (
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
)

// E164 returns raw as an E.164 phone number ("+33612345678"), reading numbers without a country
// code in the default region, or "" when raw is not a plausible phone number (short codes,
// alphanumeric sender ids, e-mail addresses, RCS pseudo-addresses).
func E164(raw, region string) string {
	s := strings.TrimSpace(raw)
	s = strings.TrimPrefix(s, "whatsapp:")
	s = strings.TrimPrefix(s, "tel:")
	if s == "" || strings.ContainsAny(s, "@") {
		return ""
	}
	digits := 0
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			digits++
		case unicode.IsLetter(r):
			return ""
		}
	}
	if digits < 7 { // short codes and service numbers stay as given
		return ""
	}
	if region == "" {
		region = "FR"
	}
	n, err := phonenumbers.Parse(s, strings.ToUpper(region))
	if err != nil || !phonenumbers.IsPossibleNumber(n) {
		return ""
	}
	return phonenumbers.Format(n, phonenumbers.E164)
}

// PhoneParty builds a Party from a phone-like address, filling E164 when it is one.
func PhoneParty(raw, name, region string) Party {
	return Party{Raw: raw, E164: E164(raw, region), Name: name}
}
