package gui

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"raidtrace/assets"
	"raidtrace/importers/detect"
)

// entry is one translation: a plain string, or plural forms ("one", "other").
type entry struct {
	text   string
	plural map[string]string
}

func (e *entry) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &e.text); err == nil {
		return nil
	}
	return json.Unmarshal(b, &e.plural)
}

// loadEntries reads assets/translations/LANG.json.
func loadEntries(t *testing.T) map[string]map[string]entry {
	t.Helper()
	tr := map[string]map[string]entry{}
	for _, l := range []string{"en", "fr"} {
		b, err := fs.ReadFile(assets.Sub("translations"), l+".json")
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]entry{}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s.json: %v", l, err)
		}
		tr[l] = m
	}
	return tr
}

// TestTranslationsComplete checks that every string the GUI passes to lang.L, lang.X or lang.N
// has an English and a French translation with the same template fields, and that the strings
// with a count (lang.N) have singular and plural forms in both.
func TestTranslationsComplete(t *testing.T) {
	tr := loadEntries(t)
	call := regexp.MustCompile(`lang\.([LXN])\(\s*("(?:[^"\\]|\\.)*")\s*[,)]`) // literal keys only
	field := regexp.MustCompile(`\{\{\.\w+\}\}`)
	files, _ := filepath.Glob("*.go")
	n := 0
	for _, f := range files {
		if filepath.Ext(f) != ".go" || len(f) > 8 && f[len(f)-8:] == "_test.go" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllSubmatch(src, -1) {
			fn := string(m[1])
			key, err := strconv.Unquote(string(m[2]))
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			n++
			want := field.FindAllString(key, -1)
			for l, m := range tr {
				v, ok := m[key]
				switch {
				case !ok || v.text == "" && v.plural == nil:
					t.Errorf("%s: %q has no %s translation", f, key, l)
				case fn == "N" && (v.plural["one"] == "" || v.plural["other"] == ""):
					t.Errorf("%s: %q is counted (lang.N) but its %s translation has no one and other forms", f, key, l)
				case fn != "N" && v.plural != nil:
					t.Errorf("%s: %q has plural forms in %s.json but is not called with lang.N", f, key, l)
				case fn == "N":
					if got := field.FindAllString(v.plural["other"], -1); len(got) != len(want) {
						t.Errorf("%s plural of %q has fields %v, want %v", l, key, got, want)
					}
					for _, g := range field.FindAllString(v.plural["one"], -1) {
						if !slices.Contains(want, g) {
							t.Errorf("%s singular of %q has field %s, not in the key", l, key, g)
						}
					}
				default:
					if got := field.FindAllString(v.text, -1); len(got) != len(want) {
						t.Errorf("%s translation of %q has fields %v, want %v", l, key, got, want)
					}
				}
			}
		}
	}
	for k := range tr["en"] {
		if _, ok := tr["fr"][k]; !ok {
			t.Errorf("%q is in en.json but not in fr.json", k)
		}
	}
	for k := range tr["fr"] {
		if _, ok := tr["en"][k]; !ok {
			t.Errorf("%q is in fr.json but not in en.json", k)
		}
	}
	if n < 100 {
		t.Errorf("found only %d lang.L calls", n)
	}
}

// TestComputedKeysTranslated checks the keys the GUI builds at run time (format names from
// importers/detect) or pass to lang.X, which TestTranslationsComplete cannot see in the
// source: each has an English and a French entry.
func TestComputedKeysTranslated(t *testing.T) {
	tr := loadEntries(t)
	formats := detect.Formats()
	if len(formats) == 0 {
		t.Fatal("detect.Formats() is empty")
	}
	for _, f := range formats {
		key := "format." + f.ID
		for _, l := range []string{"en", "fr"} {
			if tr[l][key].text == "" {
				t.Errorf("format %q (%s) has no %s name: add %q to %s.json", f.ID, f.Name, l, key, l)
			}
		}
	}
	for _, key := range []string{"decimal.separator", "thousands.separator", "action.import"} {
		if tr["en"][key].text == "" || tr["fr"][key].text == "" {
			t.Errorf("%q missing: en %q, fr %q", key, tr["en"][key].text, tr["fr"][key].text)
		}
	}
}
