package gui

import (
	_ "embed"
	"errors"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // time zones load on systems without a zone database (Windows, minimal installs)

	"fyne.io/fyne/v2/lang"
)

// zonesTSV lists the IANA time zones with their country, for the New case form's completion.
//
//go:embed zones.tsv
var zonesTSV string

// tzZone is one line of zones.tsv.
type tzZone struct {
	name, country string
	city          string // the zone's last part, lower case, "_" as spaces ("new york")
}

var tzZones = func() []tzZone {
	var out []tzZone
	for _, line := range strings.Split(zonesTSV, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		z := tzZone{name: f[0]}
		if len(f) > 2 {
			z.country = f[2]
		}
		z.city = strings.ToLower(strings.ReplaceAll(z.name[strings.LastIndex(z.name, "/")+1:], "_", " "))
		if k := len(out) - 1; k >= 0 && out[k].name == z.name {
			out[k].country += ", " + z.country // a zone of several countries
			continue
		}
		out = append(out, z)
	}
	return out
}()

// zoneKey folds what the reader typed for matching: lower case, "_" and spaces alike.
func zoneKey(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(s, "_", " ")), " "))
}

// zoneMatches lists up to limit zone names for what the reader typed: the zones whose city is it,
// then those whose city starts with it, then those whose name or country contains it.
func zoneMatches(typed string, limit int) []string {
	q := zoneKey(typed)
	if q == "" {
		return nil
	}
	var exact, prefix, within []string
	for _, z := range tzZones {
		name := zoneKey(z.name)
		switch {
		case z.city == q || name == q:
			exact = append(exact, z.name)
		case strings.HasPrefix(z.city, q):
			prefix = append(prefix, z.name)
		case strings.Contains(name, q) || strings.Contains(strings.ToLower(z.country), q):
			within = append(within, z.name)
		}
	}
	// The shortest city first among those starting with the word: "par" offers Paris before
	// Paramaribo.
	slices.SortStableFunc(prefix, func(a, b string) int {
		return len(a[strings.LastIndex(a, "/")+1:]) - len(b[strings.LastIndex(b, "/")+1:])
	})
	out := slices.Concat(exact, prefix, within)
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// resolveZone returns the IANA zone the reader means: the name itself when Go knows it ("UTC",
// "Europe/Paris", also an older alias), else the one zone whose name or city it is, whatever the
// case ("paris", "new york"). The error points to the drop-down when some zones contain the
// word (zoneMatches), else gives an example.
func resolveZone(typed string) (string, error) {
	v := strings.TrimSpace(typed)
	if v != "" && v != "Local" { // LoadLocation reads "" as UTC and "Local" as this computer's zone
		if _, err := time.LoadLocation(v); err == nil {
			return v, nil
		}
	}
	if z, ok := uniqueCity(v); ok {
		return z, nil
	}
	// Short: the form's hint line does not wrap, and a long line would widen the window.
	if len(zoneMatches(v, 1)) > 0 {
		return "", errors.New(lang.L("Unknown time zone: pick one from the list"))
	}
	return "", errors.New(lang.L("Unknown time zone: write e.g. Europe/Paris"))
}

// uniqueCity is the zone whose full name or city is typed, when exactly one is.
func uniqueCity(typed string) (string, bool) {
	q := zoneKey(typed)
	found := ""
	for _, z := range tzZones {
		if z.city == q || zoneKey(z.name) == q {
			if found != "" {
				return "", false
			}
			found = z.name
		}
	}
	return found, found != ""
}
