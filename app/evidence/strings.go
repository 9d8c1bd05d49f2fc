package evidence

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"text/template"
	"unicode/utf8"

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
	if lang == "fr" {
		for k, v := range t.m {
			t.m[k] = frenchSpacing.Replace(v)
		}
	}
	return t, nil
}

// frenchSpacing makes the space before a French colon, semicolon, question or exclamation mark
// and inside guillemets a no-break space, so that no line of the PDF starts with ":" or "»".
var frenchSpacing = strings.NewReplacer(" :", "\u00a0:", " ;", "\u00a0;", " ?", "\u00a0?", " !", "\u00a0!",
	" »", "\u00a0»", "« ", "«\u00a0")

// T returns the string for key, or the key itself when missing (a test checks none is).
func (t *tr) T(key string) string {
	if s, ok := t.m[key]; ok {
		return s
	}
	return key
}

// F formats the string for key with args.
func (t *tr) F(key string, args ...any) string { return fmt.Sprintf(t.T(key), args...) }

// N formats a count: digits grouped by three from 10 000 on, with a narrow no-break space in
// French ("12 345") and a comma in English ("12,345").
func (t *tr) N(n int) string {
	sep := ","
	if t.Lang == "fr" {
		sep = "\u202f"
	}
	return GroupDigits(n, sep)
}

// GroupDigits writes the count n with sep between groups of three digits from 10 000 on
// ("12,345", but "2132"), the rule of the reports, which the window follows too.
func GroupDigits(n int, sep string) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if len(s) > 4 {
		var b strings.Builder
		for i, c := range s {
			if i > 0 && (len(s)-i)%3 == 0 {
				b.WriteString(sep)
			}
			b.WriteRune(c)
		}
		s = b.String()
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Dec formats v with prec decimals and the language's decimal mark: "3,0" in French, "3.0" in
// English.
func (t *tr) Dec(v float64, prec int) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if t.Lang == "fr" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// Money formats an amount with two decimals and its currency (EUR when unset).
func (t *tr) Money(v float64, cur string) string {
	if cur == "" {
		cur = "EUR"
	}
	return t.Dec(v, 2) + " " + cur
}

// Category is the name of a triage category (analysis.DeathThreat…) in the report's language;
// an unknown category shows as its id.
func (t *tr) Category(c string) string {
	if s, ok := t.m["cat_"+c]; ok {
		return s
	}
	return c
}

// textWidth is the most columns a line of the long texts takes, as README.txt shows them.
const textWidth = 78

// text renders the long text name.<lang>.txt with data, wrapped at [textWidth] columns by
// [reflow]: the files hold one line per paragraph, since what the data fills in (the software,
// the case id, the key fingerprint) has no fixed length.
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
	return reflow(out.String(), textWidth), nil
}

var (
	tableRow = regexp.MustCompile(`^( *\S+ {2,})\S`)        // "  data/report/   the report…"
	listItem = regexp.MustCompile(`^( *(?:\d+\.|•|-) +)\S`) // "1. Import. …"
)

// reflow wraps the lines of s longer than width at spaces. A continuation line is indented like
// its line, or under the text of a table row or of a numbered item. Lines indented by four spaces
// or more (commands, JSON) are kept whole: a wrapped command would no longer run.
func reflow(s string, width int) string {
	var out strings.Builder
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		if i > 0 {
			out.WriteByte('\n')
		}
		indent := len(line) - len(strings.TrimLeft(line, " "))
		if utf8.RuneCountInString(line) <= width || indent >= 4 {
			out.WriteString(line)
			continue
		}
		hang := indent
		if m := tableRow.FindStringSubmatch(line); m != nil {
			hang = utf8.RuneCountInString(m[1])
		} else if m := listItem.FindStringSubmatch(line); m != nil {
			hang = utf8.RuneCountInString(m[1])
		}
		// the head (indent and, for a table row or an item, its first column) stays on the first line
		head := line[:indent]
		rest := line[indent:]
		if hang > indent {
			head = string([]rune(line)[:hang])
			rest = string([]rune(line)[hang:])
		}
		col := utf8.RuneCountInString(head)
		out.WriteString(head)
		first := true
		var words []string
		for _, w := range strings.Split(rest, " ") { // not at no-break spaces
			switch n := len(words); {
			case w == "":
			case n > 0 && (strings.ContainsAny(w[:1], ":;!?") && len(w) == 1 || strings.HasPrefix(w, "»") || words[n-1] == "«"):
				words[n-1] += " " + w // French spacing: "« OK »", "dossier :" stay together
			default:
				words = append(words, w)
			}
		}
		for _, w := range words {
			n := utf8.RuneCountInString(w)
			if !first && col+1+n > width {
				out.WriteString("\n" + strings.Repeat(" ", hang))
				col, first = hang, true
			}
			if !first {
				out.WriteByte(' ')
				col++
			}
			out.WriteString(w)
			col += n
			first = false
		}
	}
	return out.String()
}
