package gui

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"raidtrace/app/evidence"
	"raidtrace/assets"
)

// languageFile holds the language chosen in Settings, read before the app starts (fyne's
// preferences are not available yet then).
const languageFile = "language"

// LoadTranslations registers the embedded English and French translations with fyne's lang
// package; English is the fallback. It follows the system locale unless the reader chose a
// language in Settings (stored in the configuration folder, see [Options]). Call it before the
// app starts.
func LoadTranslations() error {
	if d := configDir(); d != "" {
		if b, err := os.ReadFile(filepath.Join(d, languageFile)); err == nil {
			applyLanguage(strings.TrimSpace(string(b)))
		}
	}
	return addTranslations()
}

// configEnv names the configuration folder for the GUI and the command line alike.
const configEnv = evidence.ConfigEnv

// configDir is the folder of the signing key (its keys subfolder), the demo case and the
// language choice: evidence.ConfigDir, as for the command line, so that both sign with
// the same key: $RAIDTRACE_CONFIG_DIR, else the user's configuration folder + "/raidtrace"; ""
// when neither is known.
func configDir() string {
	d, _ := evidence.ConfigDir() // "" when there is none: settings are then not kept
	return d
}

func addTranslations() error {
	dir := assets.Sub("translations")
	names, err := fs.Glob(dir, "*.json")
	if err != nil {
		return err
	}
	var first error
	for _, n := range names {
		b, err := fs.ReadFile(dir, n)
		if err == nil {
			err = lang.AddTranslations(fyne.NewStaticResource(n, b))
		}
		if err != nil && first == nil {
			first = err
		}
	}
	return first
}

// systemEnv is the locale environment as the process started, restored when the reader goes
// back to the system language.
var systemEnv = func() map[string]*string {
	m := map[string]*string{}
	for _, v := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"} {
		if s, ok := os.LookupEnv(v); ok {
			m[v] = &s
		} else {
			m[v] = nil
		}
	}
	return m
}()

// applyLanguage makes fyne's locale lookup (which reads the environment) pick code ("" = system).
func applyLanguage(code string) {
	for v, s := range systemEnv {
		if s == nil {
			os.Unsetenv(v)
		} else {
			os.Setenv(v, *s)
		}
	}
	if code == "" {
		if !noSystemLanguage() {
			return
		}
		// A C or POSIX locale names no language: fyne would log a parse error for each
		// translation file and fall back to English; say English directly.
		code = "en"
	}
	os.Setenv("LANGUAGE", code)
	// LANGUAGE is ignored when the locale is C or POSIX.
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := os.Getenv(v); s != "" {
			if s == "C" || s == "POSIX" {
				os.Setenv(v, code)
			}
			break
		}
	}
}

// noSystemLanguage reports whether the environment's locale names no language (unset, C or
// POSIX), as in a minimal container or a service.
func noSystemLanguage() bool {
	if os.Getenv("LANGUAGE") != "" {
		return false
	}
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := os.Getenv(v); s != "" {
			s, _, _ = strings.Cut(s, ".")
			return s == "C" || s == "POSIX"
		}
	}
	return true
}

func writeLanguageFile(dir, code string) error {
	if dir == "" {
		return nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, languageFile), []byte(code+"\n"), 0o600)
}
