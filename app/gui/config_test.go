package gui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"raidtrace/app/casefile"
	"raidtrace/app/cli"
	"raidtrace/app/evidence"
)

// TestConfigDirLikeCLI sets RAIDTRACE_CONFIG_DIR, exports a bundle with the command line, and
// checks the GUI, started without a configuration folder, uses the same folder: the signing key
// the command line made there (not a second key in the user's configuration folder), and the
// language chosen there.
func TestConfigDirLikeCLI(t *testing.T) {
	cfg, home := t.TempDir(), t.TempDir()
	t.Setenv(configEnv, cfg)
	t.Setenv("XDG_CONFIG_HOME", home)
	t.Setenv("HOME", home)

	path := filepath.Join(t.TempDir(), "cli"+casefile.Extension)
	c, err := casefile.Create(context.Background(), path, casefile.Info{Name: "CLI", TimeZone: "Europe/Paris", Region: "FR"})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	var stdout, stderr bytes.Buffer
	if code := cli.Run(context.Background(), []string{"export", "--case", path, "--out", t.TempDir()}, &cli.Env{Stdout: &stdout, Stderr: &stderr}); code != cli.ExitOK {
		t.Fatalf("raidtrace export: exit %d: %s", code, stderr.String())
	}
	key, err := os.ReadFile(filepath.Join(cfg, "keys", evidence.KeyFile))
	if err != nil {
		t.Fatalf("the command line left no key in $%s: %v", configEnv, err)
	}

	a := test.NewTempApp(t)
	u := newUI(a, a.NewWindow("Raidtrace"), Options{}, realBackend())
	t.Cleanup(func() { u.jobs.wait(); u.closeCase() })
	if u.opt.ConfigDir != cfg {
		t.Errorf("GUI configuration folder %q, want $%s %q", u.opt.ConfigDir, configEnv, cfg)
	}
	fp, err := u.be.fingerprint(u.keyDir())
	if err != nil {
		t.Fatal(err)
	}
	signer, err := evidence.LoadOrCreateKey(filepath.Join(cfg, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	if fp != signer.Fingerprint() {
		t.Errorf("GUI signs with %s, the command line with %s", fp, signer.Fingerprint())
	}
	if again, _ := os.ReadFile(filepath.Join(cfg, "keys", evidence.KeyFile)); !bytes.Equal(again, key) {
		t.Error("the GUI replaced the command line's key")
	}
	if _, err := os.Stat(filepath.Join(home, "raidtrace")); err == nil {
		t.Error("the GUI wrote into the user's configuration folder despite $" + configEnv)
	}

	t.Cleanup(func() { applyLanguage("en"); addTranslations() })
	if err := writeLanguageFile(cfg, "fr"); err != nil {
		t.Fatal(err)
	}
	if err := LoadTranslations(); err != nil {
		t.Fatal(err)
	}
	if got, want := lang.L("Open case…"), "Ouvrir une affaire…"; got != want {
		t.Errorf("language chosen in $%s: %q, want %q", configEnv, got, want)
	}

	t.Setenv(configEnv, "")
	if got, want := configDir(), filepath.Join(home, "raidtrace"); got != want {
		t.Errorf("without $%s: %q, want %q", configEnv, got, want)
	}
}
