package cli

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"sync"

	"raidtrace/assets"
	"raidtrace/importers"
)

// The import command prints its summary and the importers' problems in English or French: the
// --lang flag, else the language of the environment's locale (LANGUAGE, LC_ALL, LC_MESSAGES,
// LANG, as gettext reads them), English when it names neither. The French texts are the GUI's
// (assets/translations/fr.json): "reason.KEY" for an importer's reason (importers.Reason),
// "format.ID" for a format's name, "cli.…" for the command's own lines. --json output is not
// translated: each problem carries its reason in English and as a key with arguments ("msg").

// envLang is the language the locale environment names: "fr" or "en".
func envLang() string {
	for _, v := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"} {
		s := os.Getenv(v)
		if s == "" {
			continue
		}
		if v == "LANGUAGE" {
			s, _, _ = strings.Cut(s, ":") // a list: the first is preferred
		}
		if strings.HasPrefix(strings.ToLower(s), "fr") {
			return "fr"
		}
		return "en"
	}
	return "en"
}

// parseLang checks an output language flag ("" = the environment's).
func parseLang(s string) (string, error) {
	switch l := strings.ToLower(strings.TrimSpace(s)); l {
	case "":
		return envLang(), nil
	case "fr", "en":
		return l, nil
	}
	return "", errUsage(fmt.Sprintf("--lang: %q is not fr or en", s))
}

// catalogue is a translations file of assets/translations: key → text (plural forms are left
// out; the CLI uses none).
type catalogue map[string]string

var (
	catalogues   = map[string]catalogue{}
	cataloguesMu sync.Mutex
)

// loadCatalogue reads assets/translations/LANG.json once.
func loadCatalogue(lang string) catalogue {
	cataloguesMu.Lock()
	defer cataloguesMu.Unlock()
	if c, ok := catalogues[lang]; ok {
		return c
	}
	c := catalogue{}
	if b, err := fs.ReadFile(assets.Sub("translations"), lang+".json"); err == nil {
		var raw map[string]json.RawMessage
		if json.Unmarshal(b, &raw) == nil {
			for k, v := range raw {
				var s string
				if json.Unmarshal(v, &s) == nil {
					c[k] = s
				}
			}
		}
	}
	catalogues[lang] = c
	return c
}

// printer writes the import command's texts in one language.
type printer struct {
	lang string
	c    catalogue
}

func newPrinter(lang string) *printer { return &printer{lang: lang, c: loadCatalogue(lang)} }

// text is the translation of key filled with args, or english filled with them.
func (p *printer) text(key, english string, args map[string]string) string {
	if s, ok := p.c[key]; ok && s != "" {
		return importers.Fill(s, args)
	}
	return importers.Fill(english, args)
}

// translator shows importers' reasons in the printer's language; nil in English, whose texts
// are the importers' own.
func (p *printer) translator() importers.Translator {
	if p.lang == "en" {
		return nil
	}
	return func(key string, args map[string]string) string {
		if key == importers.ReasonFormat.Key() {
			if s, ok := p.c["format."+args["ID"]]; ok {
				return s
			}
			return args["Name"]
		}
		if s, ok := p.c["reason."+key]; ok {
			return importers.Fill(s, args)
		}
		return ""
	}
}

// reason is the text of pr's reason.
func (p *printer) reason(pr importers.Problem) string { return pr.Text(p.translator()) }

// decimal writes v with n decimals and the language's decimal separator.
func (p *printer) decimal(v float64, n int) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', n, 64), ".", p.text("decimal.separator", ".", nil), 1)
}
