package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"raidtrace/importers"
)

// TestReasonCatalogue checks that every reason the importers, the case file and the command line
// register has an English entry in assets/translations/en.json equal to its template (so that the
// GUI shows the text the command line and the case file store) and a French one in fr.json with
// the same arguments. The importers' corpus test (importers/detect TestReasonsTranslated) checks
// that what they report are such reasons.
func TestReasonCatalogue(t *testing.T) {
	en, fr := loadCatalogue("en"), loadCatalogue("fr")
	reasons := importers.Reasons()
	if len(reasons) < 250 {
		t.Fatalf("only %d reasons registered", len(reasons))
	}
	keys := make([]string, 0, len(reasons))
	for k := range reasons {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == importers.ReasonFormat.Key() {
			continue // a format's name: format.ID
		}
		tmpl := reasons[k]
		if got := en["reason."+k]; got != tmpl {
			t.Errorf("en.json reason.%s = %q, want the importers' English %q", k, got, tmpl)
		}
		s, ok := fr["reason."+k]
		switch {
		case !ok || s == "":
			t.Errorf("reason %s (%q) has no French translation: add reason.%s to fr.json", k, tmpl, k)
		case strings.Join(sorted(importers.Fields(s)), ",") != strings.Join(sorted(importers.Fields(tmpl)), ","):
			t.Errorf("fr.json reason.%s has arguments %v, the template %v", k, importers.Fields(s), importers.Fields(tmpl))
		case s == tmpl && strings.ContainsAny(tmpl, "abcdefghijklmnopqrstuvwxyz") && !untranslated[k]:
			t.Errorf("fr.json reason.%s is the English text %q", k, s)
		}
	}
	for k := range fr {
		if name, ok := strings.CutPrefix(k, "reason."); ok {
			if _, known := reasons[name]; !known {
				t.Errorf("fr.json has %s, which no package registers", k)
			}
		}
	}
}

// untranslated are the reasons whose French is the English: names and values only.
var untranslated = map[string]bool{"sqlite-with-cause": true}

func sorted(s []string) []string {
	s = append([]string(nil), s...)
	sort.Strings(s)
	return s
}

// TestImportFrench imports a damaged backup with --lang fr (and with a French locale) and checks
// the summary and every problem are printed in French, while --json keeps the English reason
// and adds its key.
func TestImportFrench(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "sms.xml")
	os.WriteFile(src, []byte(`<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<smses count="3">
  <sms address="+33611223344" date="1710446400000" type="1" body="bonjour" />
  <sms address="+33611223355" date="soon" type="1" body="sans date" />
  <sms address="+33611223366" date="1710446500000" type="9" body="boîte inconnue" />
  <note>pas un message</note>
</smses>
`), 0o600)
	cfg := filepath.Join(dir, "cfg")
	t.Setenv("LANGUAGE", "")
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "en_US.UTF-8")

	en := runCLI(t, &Env{ConfigDir: cfg}, ExitProblems, "import", "--case", filepath.Join(dir, "en.raidcase"), src)
	for _, want := range []string{"3 imported, 0 already in the case, 1 skipped", `warning: /smses/sms[2] (line 4): date "soon" is not a number; time unknown`,
		"skipped: /smses/note (line 6): element <note> is not a message; skipped"} {
		if !strings.Contains(en, want) {
			t.Errorf("English output lacks %q:\n%s", want, en)
		}
	}
	want := []string{"importés : 3, déjà dans l'affaire : 0, ignorés : 1",
		`  avertissement : /smses/sms[2] (line 4) : la date "soon" n'est pas un nombre ; heure inconnue`,
		`  avertissement : /smses/sms[3] (line 5) : le type "9" n'est pas une boîte de messages connue ; sens inconnu, adresse prise comme expéditeur`,
		"  ignoré : /smses/note (line 6) : l'élément <note> n'est pas un message ; ignoré"}
	fr := runCLI(t, &Env{ConfigDir: cfg}, ExitProblems, "import", "--lang", "fr", "--case", filepath.Join(dir, "fr.raidcase"), src)
	for _, w := range want {
		if !strings.Contains(fr, w) {
			t.Errorf("--lang fr output lacks %q:\n%s", w, fr)
		}
	}
	t.Setenv("LANG", "fr_FR.UTF-8")
	locale := runCLI(t, &Env{ConfigDir: cfg}, ExitProblems, "import", "--case", filepath.Join(dir, "locale.raidcase"), src)
	if !strings.Contains(locale, want[1]) {
		t.Errorf("LANG=fr_FR output is not French:\n%s", locale)
	}
	if out := runCLI(t, &Env{ConfigDir: cfg}, ExitProblems, "import", "--lang", "en", "--case", filepath.Join(dir, "en2.raidcase"), src); !strings.Contains(out, "3 imported") {
		t.Errorf("--lang en under LANG=fr_FR is not English:\n%s", out)
	}

	js := runCLI(t, &Env{ConfigDir: cfg}, ExitProblems, "import", "--json", "--case", filepath.Join(dir, "json.raidcase"), src)
	var v struct {
		Sources []struct {
			Problems []importers.Problem `json:"problems"`
		} `json:"sources"`
	}
	if err := json.Unmarshal([]byte(js), &v); err != nil || len(v.Sources) != 1 || len(v.Sources[0].Problems) != 3 {
		t.Fatalf("--json: %v\n%s", err, js)
	}
	for _, p := range v.Sources[0].Problems {
		if p.Msg == nil || p.Msg.Key == "" || p.Msg.String() != p.Reason || strings.Contains(p.Reason, "n'est") {
			t.Errorf("--json problem %+v: want the English reason and its key", p)
		}
	}
	var out strings.Builder
	if code := Run(t.Context(), []string{"import", "--lang", "de", "--case", filepath.Join(dir, "x.raidcase"), src}, &Env{Stdout: &out, Stderr: &out, ConfigDir: cfg}); code != ExitUsage {
		t.Errorf("--lang de: exit %d, want %d (%s)", code, ExitUsage, out.String())
	}
}

// TestVerifyAnalyzeFrench checks that analyze, demo and verify speak French with --lang fr or a
// French locale, English otherwise, on an intact and on a changed bundle, and that every cli.…
// key has both an English and a French text with the same arguments.
func TestVerifyAnalyzeFrench(t *testing.T) {
	en, fr := loadCatalogue("en"), loadCatalogue("fr")
	for k, s := range en {
		if !strings.HasPrefix(k, "cli.") {
			continue
		}
		if fr[k] == "" {
			t.Errorf("fr.json lacks %s", k)
		}
		for _, a := range []string{"{{.Bundle}}", "{{.N}}", "{{.Fingerprint}}", "{{.Case}}", "{{.Messages}}", "{{.Clusters}}", "{{.Score}}"} {
			if strings.Contains(s, a) != strings.Contains(fr[k], a) {
				t.Errorf("%s: %s in one language only: %q / %q", k, a, s, fr[k])
			}
		}
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "cfg")
	for _, v := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES"} {
		t.Setenv(v, "")
	}
	t.Setenv("LANG", "fr_FR.UTF-8")
	out := runCLI(t, &Env{ConfigDir: cfg}, ExitOK, "demo", "--out", dir)
	if !strings.HasPrefix(out, "affaire : ") || !strings.Contains(out, "\npreuves : ") {
		t.Fatalf("demo under LANG=fr_FR:\n%s", out)
	}
	bag := strings.TrimSpace(out[strings.Index(out, "\npreuves : ")+len("\npreuves : "):])
	caseFile := filepath.Join(dir, "demo.raidcase")
	if out := runCLI(t, &Env{ConfigDir: cfg}, ExitOK, "analyze", "--case", caseFile); !strings.Contains(out, " groupes\n") || !strings.Contains(out, " expéditeurs ") {
		t.Errorf("analyze under LANG=fr_FR is not French:\n%s", out)
	}
	if out := runCLI(t, &Env{ConfigDir: cfg}, ExitOK, "analyze", "--lang", "en", "--case", caseFile); !strings.Contains(out, " clusters\n") || !strings.Contains(out, " senders ") {
		t.Errorf("analyze --lang en is not English:\n%s", out)
	}
	if out := runCLI(t, &Env{ConfigDir: cfg}, ExitOK, "verify", bag); !strings.Contains(out, "OK : "+bag+" est intact") || !strings.Contains(out, "signataire : SHA256:") {
		t.Errorf("verify under LANG=fr_FR:\n%s", out)
	}
	os.WriteFile(filepath.Join(bag, "data", "sources.csv"), []byte("changed\n"), 0o644)
	t.Setenv("LANG", "en_US.UTF-8")
	if out := runCLI(t, &Env{ConfigDir: cfg}, ExitFailure, "verify", "--lang", "fr", bag); !strings.Contains(out, "modifié : data/sources.csv : ") || !strings.Contains(out, "ÉCHEC : ") {
		t.Errorf("verify --lang fr of a changed bundle:\n%s", out)
	}
	if out := runCLI(t, &Env{ConfigDir: cfg}, ExitFailure, "verify", bag); !strings.Contains(out, "changed: data/sources.csv: ") || !strings.Contains(out, "FAILED: ") {
		t.Errorf("verify of a changed bundle under LANG=en_US:\n%s", out)
	}
}
