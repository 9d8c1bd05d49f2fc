package analysis

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

var (
	urlRE     = regexp.MustCompile(`(?i)\b(?:https?://|www\.)\S+`)
	mentionRE = regexp.MustCompile(`@\w+`)
)

// Normalize returns the comparison form of a text: NFKC, accents and case folded, URLs and
// @mentions masked, whitespace collapsed. The verbatim text is never replaced by it.
func Normalize(s string) string {
	s = norm.NFKC.String(s)
	s = urlRE.ReplaceAllString(s, " <url> ")
	s = mentionRE.ReplaceAllString(s, " <user> ")
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	if out, _, err := transform.String(t, s); err == nil {
		s = out
	}
	s = strings.ToLower(s)
	return strings.Join(strings.Fields(s), " ")
}
