package importers

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// Msg is a reason in a form any language can show: Key names a [Reason], whose English template
// (see [NewReason]) is filled with Args. A Msg without a Key is a literal, shown as it is in every
// language: Text (a value from the file, a name, a number, the text of a system error), or, when
// List is set, the messages of List joined with "; ".
//
// Parsers build their reasons as Msg values and report them with [Msg.Problem], [Msg.Warning] or
// as errors with [Msg.Wrap]; the English text is then the Problem's Reason and the error's text,
// and the presentation layer (the GUI, the command line) shows the Msg in the reader's language
// with [Msg.Render]. Parsers know no language but English: the other languages' templates live
// with the presentation (assets/translations).
type Msg struct {
	Key  string
	Args map[string]Msg
	Text string
	List []Msg
}

// IsZero reports whether m is the zero Msg (no reason).
func (m Msg) IsZero() bool { return m.Key == "" && m.Text == "" && m.List == nil && m.Args == nil }

// A Reason is a kind of reason a parser reports, registered with its stable key and English
// template by [NewReason].
type Reason struct{ key string }

// reasons maps each registered key to its English template. Registration happens while packages
// initialise, so it needs no lock.
var reasons = map[string]string{}

// NewReason registers the reason key with its English template and returns it. The template
// names its arguments as {{.Name}} (the syntax of fyne's lang package, whose translations the
// GUI uses); nothing else in it is special. Packages call NewReason in package-level variable
// declarations; it panics when key is registered twice.
func NewReason(key, english string) Reason {
	if _, dup := reasons[key]; dup {
		panic("importers: reason " + strconv.Quote(key) + " registered twice")
	}
	reasons[key] = english
	return Reason{key}
}

// Key is the reason's stable key.
func (r Reason) Key() string { return r.key }

// M returns the reason's Msg with args, given as name, value pairs. A value is a Msg, a []Msg (a
// list, joined with "; "), an error (see [ErrMsg]), a string or an integer (literals); anything
// else is formatted with fmt.Sprint.
func (r Reason) M(args ...any) Msg {
	m := Msg{Key: r.key}
	if len(args) > 0 {
		m.Args = make(map[string]Msg, len(args)/2)
	}
	for i := 0; i+1 < len(args); i += 2 {
		name, _ := args[i].(string)
		m.Args[name] = argMsg(args[i+1])
	}
	return m
}

func argMsg(v any) Msg {
	switch v := v.(type) {
	case Msg:
		return v
	case []Msg:
		if v == nil {
			v = []Msg{}
		}
		return Msg{List: v}
	case error:
		return ErrMsg(v)
	case string:
		return Msg{Text: v}
	case int:
		return Msg{Text: strconv.Itoa(v)}
	case int64:
		return Msg{Text: strconv.FormatInt(v, 10)}
	case uint64:
		return Msg{Text: strconv.FormatUint(v, 10)}
	}
	return Msg{Text: fmt.Sprint(v)}
}

// Literal is a Msg shown as s in every language.
func Literal(s string) Msg { return Msg{Text: s} }

// Reasons returns the registered reasons: key → English template.
func Reasons() map[string]string {
	out := make(map[string]string, len(reasons))
	for k, v := range reasons {
		out[k] = v
	}
	return out
}

// Keys returns the keys of the reasons m uses, itself and its arguments, sorted, without repeats.
func (m Msg) Keys() []string {
	seen := map[string]bool{}
	var walk func(Msg)
	walk = func(m Msg) {
		if m.Key != "" {
			seen[m.Key] = true
		}
		for _, a := range m.Args {
			walk(a)
		}
		for _, l := range m.List {
			walk(l)
		}
	}
	walk(m)
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Known reports whether every key m uses is registered: a case file written by a newer version
// may hold reasons this one does not know, which are then shown by their stored English text.
func (m Msg) Known() bool {
	for _, k := range m.Keys() {
		if _, ok := reasons[k]; !ok {
			return false
		}
	}
	return true
}

// A Translator returns the text of the reason key in its language, filled with args (each already
// shown in that language), or "" when it has no translation of key (the English template is then
// used).
type Translator func(key string, args map[string]string) string

// Render shows m with tr, English where tr is nil or has no translation.
func (m Msg) Render(tr Translator) string {
	if m.Key == "" {
		if m.List == nil {
			return m.Text
		}
		parts := make([]string, len(m.List))
		for i, l := range m.List {
			parts[i] = l.Render(tr)
		}
		return strings.Join(parts, "; ")
	}
	args := make(map[string]string, len(m.Args))
	for k, a := range m.Args {
		args[k] = a.Render(tr)
	}
	if tr != nil {
		if s := tr(m.Key, args); s != "" {
			return s
		}
	}
	return Fill(reasons[m.Key], args)
}

// String is m in English.
func (m Msg) String() string { return m.Render(nil) }

// Fill replaces each {{.Name}} in template with args[Name] (an argument missing from args
// gives the empty string).
func Fill(template string, args map[string]string) string {
	if !strings.Contains(template, "{{") {
		return template
	}
	var b strings.Builder
	b.Grow(len(template) + 32)
	for {
		i := strings.Index(template, "{{.")
		if i < 0 {
			break
		}
		j := strings.Index(template[i:], "}}")
		if j < 0 {
			break
		}
		b.WriteString(template[:i])
		b.WriteString(args[template[i+3:i+j]])
		template = template[i+j+2:]
	}
	b.WriteString(template)
	return b.String()
}

// Fields returns the argument names template uses, in order of first use.
func Fields(template string) []string {
	var out []string
	for {
		i := strings.Index(template, "{{.")
		if i < 0 {
			return out
		}
		j := strings.Index(template[i:], "}}")
		if j < 0 {
			return out
		}
		name := template[i+3 : i+j]
		found := false
		for _, o := range out {
			found = found || o == name
		}
		if !found {
			out = append(out, name)
		}
		template = template[i+j+2:]
	}
}

// Problem is a Problem at loc whose reason is m: the record was skipped.
func (m Msg) Problem(loc string) Problem {
	return Problem{Location: loc, Reason: m.String(), Msg: &m}
}

// Warning is a warning at loc whose reason is m: the record was imported.
func (m Msg) Warning(loc string) Problem {
	return Problem{Location: loc, Reason: m.String(), Msg: &m, Warning: true}
}

// Text is the problem's reason shown with tr: its Msg when it has one this version knows, else
// its Reason as stored.
func (p Problem) Text(tr Translator) string {
	if p.Msg == nil || !p.Msg.Known() {
		return p.Reason
	}
	return p.Msg.Render(tr)
}

// Error is an error whose text is a Msg, so that it can be shown in the reader's language. Err,
// when set, is what it wraps (a sentinel such as [ErrNotFormat], or the cause) for errors.Is and
// errors.As; its text is no part of Error's unless Msg names it.
type Error struct {
	Msg Msg
	Err error
}

func (e *Error) Error() string { return e.Msg.String() }
func (e *Error) Unwrap() error { return e.Err }

// Wrap returns an *[Error] whose text is m, wrapping err (which may be nil).
func (m Msg) Wrap(err error) error { return &Error{Msg: m, Err: err} }

// ErrMsg returns err's text as a Msg: the Msg of an *[Error] (err itself, or one err wraps
// without adding to its text), a positional *[ParseError] with its location, a known error of
// the standard library (a truncated stream, a damaged ZIP or gzip file, CSV quoting); any other
// error is a literal of its text. Its English text is always err.Error().
func ErrMsg(err error) Msg {
	if err == nil {
		return Msg{}
	}
	var e *Error
	if errors.As(err, &e) && e.Error() == err.Error() {
		return e.Msg
	}
	var pe *ParseError
	if errors.As(err, &pe) && pe.Error() == err.Error() {
		return pe.Msg()
	}
	var se *json.SyntaxError
	if errors.As(err, &se) && se.Error() == err.Error() {
		return JSONSyntaxMsg(se.Error())
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		// errors.Join: the texts of its errors, one a line.
		var m Msg
		for i, e := range j.Unwrap() {
			if i == 0 {
				m = ErrMsg(e)
			} else {
				m = reasonLines.M("A", m, "B", ErrMsg(e))
			}
		}
		if m.String() == err.Error() {
			return m
		}
	}
	var ce flate.CorruptInputError
	if errors.As(err, &ce) && ce.Error() == err.Error() {
		return reasonFlateCorrupt.M("Offset", int64(ce))
	}
	for _, s := range stdErrors {
		if err == s.err || err.Error() == s.err.Error() && errors.Is(err, s.err) {
			return s.reason.M()
		}
	}
	return Msg{Text: err.Error()}
}

// stdErrors are the errors of the standard library a parser meets in damaged files, with their
// English text as the library writes it.
var stdErrors = []struct {
	err    error
	reason Reason
}{
	{io.ErrUnexpectedEOF, NewReason("unexpected-eof", io.ErrUnexpectedEOF.Error())},
	{io.EOF, NewReason("eof", io.EOF.Error())},
	{zip.ErrFormat, NewReason("zip-format", zip.ErrFormat.Error())},
	{zip.ErrAlgorithm, NewReason("zip-algorithm", zip.ErrAlgorithm.Error())},
	{zip.ErrChecksum, NewReason("zip-checksum", zip.ErrChecksum.Error())},
	{zip.ErrInsecurePath, NewReason("zip-insecure-path", zip.ErrInsecurePath.Error())},
	{gzip.ErrHeader, NewReason("gzip-header", gzip.ErrHeader.Error())},
	{gzip.ErrChecksum, NewReason("gzip-checksum", gzip.ErrChecksum.Error())},
	{csv.ErrQuote, NewReason("csv-quote", csv.ErrQuote.Error())},
	{csv.ErrBareQuote, NewReason("csv-bare-quote", csv.ErrBareQuote.Error())},
	{csv.ErrFieldCount, NewReason("csv-field-count", csv.ErrFieldCount.Error())},
}

var (
	reasonIn         = NewReason("in-file", "{{.File}}: {{.Where}}")
	reasonLineColumn = NewReason("line-column", "line {{.Line}}, column {{.Column}}")
	reasonLine       = NewReason("line", "line {{.Line}}")
	reasonFileStart  = NewReason("start-of-file", "start of file")
)

// ReasonAt is the reason of an error at a place: "{{.Where}}: {{.Err}}".
var ReasonAt = NewReason("at", "{{.Where}}: {{.Err}}")

var reasonFlateCorrupt = NewReason("flate-corrupt", "flate: corrupt input before offset {{.Offset}}")

var reasonLines = NewReason("lines", "{{.A}}\n{{.B}}")

// Msg is e's text as a Msg.
func (e *ParseError) Msg() Msg {
	var where Msg
	switch {
	case e.Location != "":
		where = Literal(e.Location)
	case e.Line > 0 && e.Column > 0:
		where = reasonLineColumn.M("Line", e.Line, "Column", e.Column)
	case e.Line > 0:
		where = reasonLine.M("Line", e.Line)
	default:
		where = reasonFileStart.M()
	}
	if e.File != "" {
		where = reasonIn.M("File", e.File, "Where", where)
	}
	return ReasonAt.M("Where", where, "Err", ErrMsg(e.Err))
}

// JSON syntax errors: encoding/json writes "invalid character 'x' " and the context, from a set
// of its own; each context is a reason, so that the whole text can be translated.
var (
	reasonJSONEnd     = NewReason("json-unexpected-end", "unexpected end of JSON input")
	reasonJSONInvalid = NewReason("json-invalid-character", "invalid character {{.Char}} {{.Context}}")
	jsonContexts      = map[string]Reason{}
)

func init() {
	for _, c := range []string{
		"looking for beginning of value",
		"looking for beginning of object key string",
		"after object key",
		"after object key:value pair",
		"after array element",
		"after top-level value",
		"in string literal",
		"in string escape code",
		`in \u hexadecimal character escape`,
		"in numeric literal",
		"after decimal point in numeric literal",
		"in exponent of numeric literal",
		"in literal true (expecting 'r')",
		"in literal true (expecting 'u')",
		"in literal true (expecting 'e')",
		"in literal false (expecting 'a')",
		"in literal false (expecting 'l')",
		"in literal false (expecting 's')",
		"in literal false (expecting 'e')",
		"in literal null (expecting 'u')",
		"in literal null (expecting 'l')",
		"exceeded max depth",
	} {
		jsonContexts[c] = NewReason("json-"+slug(c), c)
	}
}

// JSONSyntaxMsg is the text of an encoding/json syntax error as a Msg; text the library may write
// that this does not know is a literal.
func JSONSyntaxMsg(text string) Msg {
	if text == reasonJSONEnd.M().String() {
		return reasonJSONEnd.M()
	}
	rest, ok := strings.CutPrefix(text, "invalid character ")
	if !ok {
		return Literal(text)
	}
	// The character is quoted as '…' (a quote itself as '\''), then come a space and the context.
	end := -1
	switch {
	case strings.HasPrefix(rest, `'\''`):
		end = 4
	case strings.HasPrefix(rest, "'") && len(rest) > 1:
		if j := strings.IndexByte(rest[1:], '\''); j >= 0 {
			end = j + 2
		}
	}
	if end > 0 && end < len(rest) && rest[end] == ' ' {
		if r, ok := jsonContexts[rest[end+1:]]; ok {
			return reasonJSONInvalid.M("Char", rest[:end], "Context", r.M())
		}
	}
	return Literal(text)
}

// slug is s in lower case with each run of other characters than letters and digits as one "-".
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}

// MarshalJSON writes a literal as a JSON string, a list as an array and a reason as
// {"key": …, "args": {…}}.
func (m Msg) MarshalJSON() ([]byte, error) {
	switch {
	case m.Key != "":
		return json.Marshal(struct {
			Key  string         `json:"key"`
			Args map[string]Msg `json:"args,omitempty"`
		}{m.Key, m.Args})
	case m.List != nil:
		return json.Marshal(m.List)
	}
	return json.Marshal(m.Text)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (m *Msg) UnmarshalJSON(b []byte) error {
	*m = Msg{}
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
		return errors.New("importers: empty Msg")
	case b[0] == '"':
		return json.Unmarshal(b, &m.Text)
	case b[0] == '[':
		m.List = []Msg{}
		return json.Unmarshal(b, &m.List)
	}
	var v struct {
		Key  string         `json:"key"`
		Args map[string]Msg `json:"args"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	m.Key, m.Args = v.Key, v.Args
	return nil
}

// ReasonFormat is the reason of a format's name in a Msg ([FormatName]): its English template is
// the English name; translators show the name they have for the format's ID instead (the GUI's
// format.ID translations).
var ReasonFormat = NewReason("format", "{{.Name}}")

// FormatName is f's name as a Msg, with arguments ID and Name.
func FormatName(f Format) Msg { return ReasonFormat.M("ID", f.ID, "Name", f.Name) }

// Plain is p without its Msg, as earlier versions stored problems; tests compare problems so.
func (p Problem) Plain() Problem {
	p.Msg = nil
	return p
}

// English is the English template of the reason key, "" when none is registered.
func English(key string) string { return reasons[key] }
