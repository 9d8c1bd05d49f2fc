package gui

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"raidtrace/assets"
	"raidtrace/importers/detect"
)

// TestTranslationsComplete checks that every string the GUI passes to lang.L has an English and
// a French translation, with the same template fields.
func TestTranslationsComplete(t *testing.T) {
	tr := map[string]map[string]string{}
	for _, l := range []string{"en", "fr"} {
		b, err := fs.ReadFile(assets.Sub("translations"), l+".json")
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s.json: %v", l, err)
		}
		tr[l] = m
	}
	call := regexp.MustCompile(`lang\.[LX]\(\s*("(?:[^"\\]|\\.)*")\s*[,)]`) // literal keys only
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
			key, err := strconv.Unquote(string(m[1]))
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			n++
			for l, m := range tr {
				v, ok := m[key]
				if !ok || v == "" {
					t.Errorf("%s: %q has no %s translation", f, key, l)
					continue
				}
				if a, b := field.FindAllString(key, -1), field.FindAllString(v, -1); len(a) != len(b) {
					t.Errorf("%s translation of %q has fields %v, want %v", l, key, b, a)
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
	tr := map[string]map[string]string{}
	for _, l := range []string{"en", "fr"} {
		b, err := fs.ReadFile(assets.Sub("translations"), l+".json")
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s.json: %v", l, err)
		}
		tr[l] = m
	}
	formats := detect.Formats()
	if len(formats) == 0 {
		t.Fatal("detect.Formats() is empty")
	}
	for _, f := range formats {
		key := "format." + f.ID
		for _, l := range []string{"en", "fr"} {
			if tr[l][key] == "" {
				t.Errorf("format %q (%s) has no %s name: add %q to %s.json", f.ID, f.Name, l, key, l)
			}
		}
	}
	for _, key := range []string{"decimal.separator", "action.import"} {
		if tr["en"][key] == "" || tr["fr"][key] == "" {
			t.Errorf("%q missing: en %q, fr %q", key, tr["en"][key], tr["fr"][key])
		}
	}
}
