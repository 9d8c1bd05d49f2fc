package cli

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const timeTestSMS = `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<smses count="5">
  <sms protocol="0" address="0612345601" date="1773515100000" type="1" body="Ferme ta gueule sale pute" contact_name="(Unknown)" />
  <sms protocol="0" address="0612345602" date="1773515160000" type="1" body="FERME TA GUEULE sale pute !!!" contact_name="(Unknown)" />
  <sms protocol="0" address="0612345603" date="1773515220000" type="1" body="ferme ta gueuuule sale pute" contact_name="(Unknown)" />
  <sms protocol="0" address="0611111111" date="1773400000000" type="1" body="Tu rentres à quelle heure ?" contact_name="Maman" />
  <sms protocol="0" address="0611111111" date="1773400060000" type="2" body="Vers 19h" contact_name="Maman" />
</smses>
`

// runCLI runs a command line with env and fails the test unless it exits with want.
func runCLI(t *testing.T, env *Env, want int, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	env.Stdout, env.Stderr = &out, &errb
	if got := Run(context.Background(), args, env); got != want {
		t.Fatalf("raidtrace %s: exit %d, want %d\n%s%s", strings.Join(args, " "), got, want, out.String(), errb.String())
	}
	return strings.TrimSpace(out.String())
}

// treeOf reads every file under dir, by slash path.
func treeOf(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestExportTimeReproducible exports two copies of the same case with the same --time (and
// then with SOURCE_DATE_EPOCH): the bundles, folder and ZIP, are identical byte for byte and
// carry that time.
func TestExportTimeReproducible(t *testing.T) {
	dir := t.TempDir()
	env := &Env{ConfigDir: filepath.Join(dir, "cfg")}
	sms := filepath.Join(dir, "sms.xml")
	if err := os.WriteFile(sms, []byte(timeTestSMS), 0o600); err != nil {
		t.Fatal(err)
	}
	orig := filepath.Join(dir, "case.raidcase")
	runCLI(t, env, ExitOK, "import", "--case", orig, sms)
	runCLI(t, env, ExitOK, "analyze", "--case", orig)
	data, err := os.ReadFile(orig)
	if err != nil {
		t.Fatal(err)
	}
	copyOf := func(name string) string {
		p := filepath.Join(dir, name, "case.raidcase")
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	t.Setenv("SOURCE_DATE_EPOCH", "")
	export := func(name string, args ...string) (string, map[string][]byte) {
		out := filepath.Join(dir, "out-"+name)
		bag := runCLI(t, env, ExitOK, append([]string{"export", "--case", copyOf(name), "--out", out, "--zip"}, args...)...)
		return filepath.Base(bag), treeOf(t, out)
	}
	same := func(what string, a, b map[string][]byte) {
		t.Helper()
		if len(a) != len(b) {
			t.Errorf("%s: %d files and %d files", what, len(a), len(b))
		}
		for p, x := range a {
			if y, ok := b[p]; !ok {
				t.Errorf("%s: %s only in the first", what, p)
			} else if !bytes.Equal(x, y) {
				t.Errorf("%s: %s differs", what, p)
			}
		}
	}

	nameA, a := export("a", "--time", "2026-03-20T11:00:00+01:00")
	nameB, b := export("b", "--time", "2026-03-20T10:00:00Z")
	if nameA != nameB || !strings.Contains(nameA, "20260320T100000Z") {
		t.Errorf("bundle names %s and %s, want both stamped 20260320T100000Z", nameA, nameB)
	}
	same("--time", a, b)
	info := string(a[strings.TrimSuffix(nameA, ".zip")+"/bag-info.txt"])
	for _, want := range []string{"Bagging-Date: 2026-03-20\n", "Raidtrace-Export-Time: 2026-03-20T10:00:00.000Z\n"} {
		if !strings.Contains(info, want) {
			t.Errorf("bag-info.txt lacks %q:\n%s", want, info)
		}
	}
	if len(a) < 20 {
		t.Errorf("only %d files exported", len(a))
	}

	t.Setenv("SOURCE_DATE_EPOCH", "1773999600") // 2026-03-20T09:40:00Z
	nameC, c := export("c")
	nameD, d := export("d")
	if nameC != nameD || !strings.Contains(nameC, "20260320T094000Z") {
		t.Errorf("SOURCE_DATE_EPOCH: bundle names %s and %s, want both stamped 20260320T094000Z", nameC, nameD)
	}
	same("SOURCE_DATE_EPOCH", c, d)
	// --time wins over SOURCE_DATE_EPOCH
	if nameE, _ := export("e", "--time", "2026-03-20T10:00:00Z"); nameE != nameA {
		t.Errorf("--time with SOURCE_DATE_EPOCH set: bundle %s, want %s", nameE, nameA)
	}
}

func TestExportTime(t *testing.T) {
	tests := []struct {
		flag, epoch string
		want        time.Time // zero: the current time (nil clock)
		bad         bool
	}{
		{"", "", time.Time{}, false},
		{"2026-03-20T11:00:00+01:00", "", time.Date(2026, 3, 20, 10, 0, 0, 0, time.UTC), false},
		{"2026-03-20T10:00:00.5Z", "", time.Date(2026, 3, 20, 10, 0, 0, 5e8, time.UTC), false},
		{"", "1773999600", time.Date(2026, 3, 20, 9, 40, 0, 0, time.UTC), false},
		{"2026-03-20T10:00:00Z", "1", time.Date(2026, 3, 20, 10, 0, 0, 0, time.UTC), false},
		{"20/03/2026", "", time.Time{}, true},
		{"2026-03-20", "", time.Time{}, true},
		{"", "yesterday", time.Time{}, true},
		{"", "-5", time.Time{}, true},
	}
	for _, tt := range tests {
		clock, err := exportTime(tt.flag, tt.epoch)
		switch {
		case tt.bad:
			if err == nil || code(err) != ExitUsage {
				t.Errorf("exportTime(%q, %q): error %v, want a usage error", tt.flag, tt.epoch, err)
			}
		case err != nil:
			t.Errorf("exportTime(%q, %q): %v", tt.flag, tt.epoch, err)
		case tt.want.IsZero() && clock != nil:
			t.Errorf("exportTime(%q, %q) = %v, want the current time", tt.flag, tt.epoch, clock())
		case !tt.want.IsZero() && clock == nil:
			t.Errorf("exportTime(%q, %q) = the current time, want %v", tt.flag, tt.epoch, tt.want)
		case !tt.want.IsZero() && (!clock().Equal(tt.want) || clock().Location() != time.UTC):
			t.Errorf("exportTime(%q, %q) = %v, want %v", tt.flag, tt.epoch, clock(), tt.want)
		}
	}
	// a bad --time is refused before the case is opened
	env := &Env{ConfigDir: t.TempDir()}
	runCLI(t, env, ExitUsage, "export", "--case", filepath.Join(t.TempDir(), "none.raidcase"), "--out", t.TempDir(), "--time", "tomorrow")
}
