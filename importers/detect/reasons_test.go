package detect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"raidtrace/assets"
	"raidtrace/importers"
	"raidtrace/importers/internal/fuzzseed"
)

// TestReasonsTranslated runs every format over every file in the importers' testdata (and the
// fuzz corpora there), and over hostile variants of each (fuzzseed.Hostile), and checks each
// problem reported and each positional error returned: its reason is a registered
// [importers.Reason] (not a bare string), filled with exactly the arguments its template names,
// whose English is the problem's Reason; and each reason it uses has a French and an English
// translation in assets/translations ("reason.KEY") with the same arguments. A new reason
// without a translation, or a problem built without one, fails here.
func TestReasonsTranslated(t *testing.T) {
	fr := translations(t, "fr")
	en := translations(t, "en")
	files := corpus(t)
	if len(files) < 100 {
		t.Fatalf("only %d testdata files found", len(files))
	}
	used := map[string]bool{}
	bad := map[string]string{} // problem → what is wrong, once each
	check := func(where string, m importers.Msg, english string) {
		if m.Key == "" {
			bad[where+": "+english] = "reason is a literal, not an importers.Reason"
			return
		}
		if got := m.String(); got != english {
			bad[where+": "+english] = "Msg renders as " + strconv.Quote(got)
		}
		walk(m, func(m importers.Msg) {
			if m.Key == "" {
				return
			}
			used[m.Key] = true
			tmpl, ok := importers.Reasons()[m.Key]
			if !ok {
				bad[where+": "+english] = "reason " + m.Key + " is not registered"
				return
			}
			var args []string
			for a := range m.Args {
				args = append(args, a)
			}
			if want := importers.Fields(tmpl); !sameSet(args, want) {
				bad[where+": "+english] = "reason " + m.Key + " has arguments " + strings.Join(args, ",") + ", its template " + strings.Join(want, ",")
			}
			if m.Key == importers.ReasonFormat.Key() {
				return // translated by the format's ID
			}
			for lang, tr := range map[string]map[string]string{"fr": fr, "en": en} {
				s, ok := tr["reason."+m.Key]
				switch {
				case !ok:
					bad[where+": "+english] = "reason " + m.Key + " has no " + lang + " translation"
				case !sameSet(importers.Fields(s), importers.Fields(tmpl)):
					bad[where+": "+english] = "reason " + m.Key + ": the " + lang + " translation has other arguments"
				}
			}
		})
	}
	ctx := context.Background()
	problems, errs := 0, 0
	run := func(name string, f importers.Format, path string, data []byte) {
		var c importers.Collector
		var err error
		if data != nil {
			err = f.Read(ctx, bytes.NewReader(data), importers.Options{}.WithDefaults(), &c)
		} else {
			err = f.Import(ctx, path, importers.Options{}, &c)
		}
		for _, p := range c.Problems {
			problems++
			if p.Msg == nil {
				bad[name+" "+f.ID+": "+p.String()] = "problem has no Msg"
				continue
			}
			check(name+" "+f.ID+" "+p.Location, *p.Msg, p.Reason)
		}
		var pe *importers.ParseError
		if errors.As(err, &pe) {
			errs++
			check(name+" "+f.ID+" error", importers.ErrMsg(pe.Err), pe.Err.Error())
			check(name+" "+f.ID+" error", pe.Msg(), pe.Error())
		}
	}
	for _, path := range files {
		name := strings.TrimPrefix(path, "../")
		if f, err := Detect(path); err == nil {
			run(name, f, path, nil)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			continue // a folder (an unzipped archive)
		}
		variants := append([][]byte{data}, fuzzseed.Hostile(data)...)
		for i, v := range variants {
			for _, f := range Formats() {
				if f.Read == nil {
					if i > 0 && (f.ID == "applemessages" || f.ID == "androiddb") && i <= 2 {
						// A database cut short: written out, as these formats need a path.
						p := filepath.Join(t.TempDir(), "cut.db")
						os.WriteFile(p, v, 0o600)
						run(name+" variant "+strconv.Itoa(i), f, p, nil)
					}
					continue
				}
				run(name+" variant "+strconv.Itoa(i), f, "", v)
			}
		}
	}
	keys := make([]string, 0, len(bad))
	for k := range bad {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Errorf("%s: %s", k, bad[k])
	}
	t.Logf("%d files, %d problems and %d errors checked, %d of %d reasons met", len(files), problems, errs, len(used), len(importers.Reasons()))
}

// corpus lists the files (and unzipped archive folders) under the importers' testdata, fuzz
// corpora decoded into files of their own.
func corpus(t *testing.T) []string {
	t.Helper()
	var out []string
	dirs, _ := filepath.Glob("../*/testdata")
	for _, d := range append(dirs, "testdata") {
		filepath.WalkDir(d, func(p string, e fs.DirEntry, err error) error {
			switch {
			case err != nil:
				return err
			case e.IsDir() && filepath.Base(p) == "golden":
				return filepath.SkipDir
			case e.IsDir() && filepath.Base(filepath.Dir(p)) == "testdata" && strings.Contains(p, "xarchive"):
				out = append(out, p) // an unzipped archive, imported as a folder
			case e.IsDir() || strings.HasSuffix(p, ".golden") || strings.HasSuffix(p, ".golden.json"):
			case strings.Contains(p, string(filepath.Separator)+"fuzz"+string(filepath.Separator)):
				if b, ok := fuzzInput(p); ok {
					q := filepath.Join(t.TempDir(), filepath.Base(p))
					os.WriteFile(q, b, 0o600)
					out = append(out, q)
				}
			default:
				out = append(out, p)
			}
			return nil
		})
	}
	return out
}

// fuzzInput decodes a corpus file of go test fuzz v1 holding one []byte or string.
func fuzzInput(path string) ([]byte, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) < 2 || lines[0] != "go test fuzz v1" {
		return nil, false
	}
	v := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(lines[1], "[]byte("), "string("), ")")
	s, err := strconv.Unquote(v)
	return []byte(s), err == nil
}

// translations reads the plain strings of assets/translations/LANG.json.
func translations(t *testing.T, lang string) map[string]string {
	t.Helper()
	b, err := fs.ReadFile(assets.Sub("translations"), lang+".json")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for k, v := range raw {
		var s string
		if json.Unmarshal(v, &s) == nil {
			out[k] = s
		}
	}
	return out
}

func walk(m importers.Msg, fn func(importers.Msg)) {
	fn(m)
	for _, a := range m.Args {
		walk(a, fn)
	}
	for _, l := range m.List {
		walk(l, fn)
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}
