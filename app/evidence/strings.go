package evidence

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"text/template"

	"raidtrace/assets"
)

// tr holds a report language: short strings from assets/report/<lang>.json and long texts
// (method, README) from assets/report/<name>.<lang>.txt.
type tr struct {
	Lang string
	m    map[string]string
}

// loadStrings reads the strings of lang ("fr", "en").
func loadStrings(lang string) (*tr, error) {
	b, err := fs.ReadFile(assets.Sub("report"), lang+".json")
	if err != nil {
		return nil, fmt.Errorf("report language %q: %w", lang, err)
	}
	t := &tr{Lang: lang}
	if err := json.Unmarshal(b, &t.m); err != nil {
		return nil, fmt.Errorf("report language %q: %w", lang, err)
	}
	return t, nil
}

// T returns the string for key, or the key itself when missing (a test checks none is).
func (t *tr) T(key string) string {
	if s, ok := t.m[key]; ok {
		return s
	}
	return key
}

// F formats the string for key with args.
func (t *tr) F(key string, args ...any) string { return fmt.Sprintf(t.T(key), args...) }

// text renders the long text name.<lang>.txt with data.
func (t *tr) text(name string, data any) (string, error) {
	b, err := fs.ReadFile(assets.Sub("report"), name+"."+t.Lang+".txt")
	if err != nil {
		return "", fmt.Errorf("report text %s.%s: %w", name, t.Lang, err)
	}
	tp, err := template.New(name).Parse(string(b))
	if err != nil {
		return "", fmt.Errorf("report text %s.%s: %w", name, t.Lang, err)
	}
	var out bytes.Buffer
	if err := tp.Execute(&out, data); err != nil {
		return "", fmt.Errorf("report text %s.%s: %w", name, t.Lang, err)
	}
	return out.String(), nil
}
