package jsonerr

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"raidtrace/importers"
)

// Scanner reads the arrays and objects of a JSON stream member by member and element by element
// without encoding/json's Decoder, whose first syntax error ends the read. It finds where each
// element or member ends from the brackets, braces, quotes and commas alone (a string that meets
// an end of line ends there, since JSON strings hold none), so a damaged element is handed on as a
// problem and the next one is read. When a damaged element seems to have swallowed the ones after
// it (a closing brace or quote missing), Scanner looks inside it for the start of the next
// element (",{" followed by an object with the same first key as its siblings) and goes on from
// there.
//
// An element is held in memory only up to the limit; a longer one is read to its end and
// dropped. Offsets count bytes from the start of the input (plus the base given to
// [NewScanner]).
type Scanner struct {
	br    *bufio.Reader
	pend  []byte // bytes given back after a resynchronisation, read before br
	off   int64  // offset of the next byte
	limit int
}

// NewScanner returns a Scanner reading r, whose first byte is at offset base of the file, holding
// at most limit bytes of one element or member value.
func NewScanner(r io.Reader, base int64, limit int) *Scanner {
	br, ok := r.(*bufio.Reader)
	if !ok || br.Size() < 64<<10 {
		br = bufio.NewReaderSize(r, 64<<10)
	}
	return &Scanner{br: br, off: base, limit: limit}
}

// Offset is the offset of the next byte to read.
func (s *Scanner) Offset() int64 { return s.off }

// Damage is what Array and Object return when the input cannot be read on as elements: it ends
// before the array or object is closed, or a value begins with a byte no JSON value begins with.
// Err wraps [importers.ErrTruncated] when the input ends first.
type Damage struct {
	Pointer string // JSON pointer of the element or member where reading stopped
	Offset  int64  // where it begins
	Err     error
}

func (d *Damage) Error() string { return fmt.Sprintf("#%s (byte %d): %v", d.Pointer, d.Offset, d.Err) }
func (d *Damage) Unwrap() error { return d.Err }

// At returns d as a *importers.ParseError located at loc (the caller's form of d.Pointer) and
// the byte.
func (d *Damage) At(loc string) *importers.ParseError {
	return &importers.ParseError{Location: fmt.Sprintf("%s (byte %d)", loc, d.Offset), Err: d.Err}
}

// truncated is the Damage of an input that ends n bytes after start, inside the element at ptr.
func truncated(ptr string, start, n int64, what importers.Reason) *Damage {
	if n > 0 {
		return &Damage{Pointer: ptr, Offset: start,
			Err: reasonTruncatedTail.M("What", what.M(), "N", n, "Start", start).Wrap(importers.ErrTruncated)}
	}
	return &Damage{Pointer: ptr, Offset: start, Err: reasonTruncated.M("What", what.M()).Wrap(importers.ErrTruncated)}
}

// The reasons of a truncated input, and of the damage the scanner finds. Those that say "the
// file" have a twin saying "the line" (see [InLine]).
var (
	reasonTruncated      = importers.NewReason("json-truncated", "file ends in the middle of a record (truncated): {{.What}}")
	reasonTruncatedTail  = importers.NewReason("json-truncated-tail", "file ends in the middle of a record (truncated): {{.What}}; the last {{.N}} bytes of the file, from byte {{.Start}}, were not imported")
	whatArrayMissing     = importers.NewReason("json-array-missing", "the array is missing")
	whatObjectMissing    = importers.NewReason("json-object-missing", "the object is missing")
	whatArrayOpen        = importers.NewReason("json-ends-array-open", "the file ends before the array is closed")
	whatLongElement      = importers.NewReason("json-ends-long-element", "the file ends inside an element longer than the record limit")
	whatInElement        = importers.NewReason("json-ends-in-element", "the file ends inside this element")
	whatInValue          = importers.NewReason("json-ends-in-value", "the file ends inside this value")
	whatObjectOpen       = importers.NewReason("json-ends-object-open", "the file ends before the object is closed")
	whatInObject         = importers.NewReason("json-ends-in-object", "the file ends inside this object")
	whatBeforeValue      = importers.NewReason("json-ends-before-value", "the file ends before this member's value")
	reasonArrayStart     = importers.NewReason("json-not-array", "{{.Char}} where an array should begin")
	reasonObjectStart    = importers.NewReason("json-not-object", "{{.Char}} where an object should begin")
	reasonStrayEnd       = importers.NewReason("json-stray-comma-end", "stray comma at byte {{.Offset}}, before the end of the array (not valid JSON): ignored")
	reasonStray          = importers.NewReason("json-stray-comma", "stray comma at byte {{.Offset}} (not valid JSON): ignored")
	reasonMismatched     = importers.NewReason("json-too-long-mismatched", "{{.TooLong}} (its brackets or quotes do not match, so it may hold more than one record: bytes {{.From}} to {{.To}})")
	reasonInvalidSkipped = importers.NewReason("json-invalid-skipped", "not valid JSON: {{.Err}}; bytes {{.From}} to {{.To}} skipped")
	reasonNotMember      = importers.NewReason("json-not-member", `not a "key": value member; bytes {{.From}} to {{.To}} skipped`)
	reasonJunk           = importers.NewReason("json-junk-after-value", "unexpected bytes after the value; bytes {{.From}} to {{.To}} skipped")
	reasonSyntaxAt       = importers.NewReason("json-syntax-at", "{{.Err}} at byte {{.Offset}}")
)

// Reasons the importers that read JSON with a Scanner share.
var (
	// ReasonDamaged is the reason of an object not imported because some of its members are
	// damaged; its List names them ([ReasonAtPointer]).
	ReasonDamaged = importers.NewReason("damaged-members", "not imported, damaged: {{.List}}")
	// ReasonAtPointer is a Reason located at a JSON Pointer.
	ReasonAtPointer = importers.NewReason("at-pointer", "{{.Pointer}}: {{.Reason}}")
	// ReasonAside is the warning of a damaged member beside the messages of a page or envelope.
	ReasonAside = importers.NewReason("aside-damaged", "{{.Reason}}; the messages are imported without it")
	// ReasonImportedAnyway is the warning of a record with a field of an unexpected type.
	ReasonImportedAnyway = importers.NewReason("imported-anyway", "imported anyway: {{.Err}}")
	// ReasonCannotDecode is the reason of a value that cannot be decoded.
	ReasonCannotDecode = importers.NewReason("cannot-decode", "cannot decode: {{.Err}}")
)

// inLine maps each reason that says "the file" to its twin that says "the line".
var inLine = map[string]importers.Reason{}

func init() {
	for _, r := range []importers.Reason{reasonTruncated, reasonTruncatedTail, whatArrayOpen, whatLongElement,
		whatInElement, whatInValue, whatObjectOpen, whatInObject, whatBeforeValue} {
		english := importers.Reasons()[r.Key()]
		line := strings.NewReplacer("the file", "the line", "file ends", "line ends").Replace(english)
		inLine[r.Key()] = importers.NewReason(r.Key()+"-line", line)
	}
}

// InLine returns m saying "the line" where it says "the file", for an importer that reads one
// line of a file with a Scanner.
func InLine(m importers.Msg) importers.Msg {
	if r, ok := inLine[m.Key]; ok {
		m.Key = r.Key()
	}
	if m.Args != nil {
		args := make(map[string]importers.Msg, len(m.Args))
		for k, a := range m.Args {
			args[k] = InLine(a)
		}
		m.Args = args
	}
	if m.List != nil {
		list := make([]importers.Msg, len(m.List))
		for i, l := range m.List {
			list[i] = InLine(l)
		}
		m.List = list
	}
	return m
}

// chunk returns the bytes available without reading, reading more when there are none.
func (s *Scanner) chunk() ([]byte, error) {
	if len(s.pend) > 0 {
		return s.pend, nil
	}
	if s.br.Buffered() == 0 {
		if _, err := s.br.Peek(1); err != nil {
			return nil, err
		}
	}
	b, _ := s.br.Peek(s.br.Buffered())
	return b, nil
}

func (s *Scanner) advance(n int) {
	s.off += int64(n)
	if len(s.pend) > 0 {
		s.pend = s.pend[n:]
		return
	}
	s.br.Discard(n)
}

// giveBack makes b (then stop, when not 0) the next bytes read.
func (s *Scanner) giveBack(b []byte, stop byte) {
	p := make([]byte, 0, len(b)+1+len(s.pend))
	p = append(p, b...)
	if stop != 0 {
		p = append(p, stop)
	}
	s.off -= int64(len(p))
	s.pend = append(p, s.pend...)
}

func trim(b []byte) []byte { return bytes.TrimRight(b, " \t\r\n") }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// Peek skips white space and returns the next byte without reading it; io.EOF at the end.
func (s *Scanner) Peek() (byte, error) {
	for {
		b, err := s.chunk()
		if err != nil {
			return 0, err
		}
		i := 0
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		s.advance(i)
		if i < len(b) {
			return b[i], nil
		}
	}
}

// extent is the bytes of one element or member, up to the separator that ends it.
type extent struct {
	raw     []byte // the bytes, nil when long
	n       int64  // bytes read, the separator not included
	long    bool   // longer than the limit
	damaged bool   // a string cut by an end of line, a closer without its opener…
	stop    byte   // the separator or closer that ended it (read), 0 at the end of the input
}

// extent reads up to the first ',' or close that is outside any string, bracket or brace opened
// since; a closer whose opener is missing is skipped, and one that closes an outer opener closes
// the ones opened inside it.
func (s *Scanner) extent(close byte) (extent, error) {
	var e extent
	var stack []byte
	inStr, esc := false, false
	keep := func(b []byte) {
		e.n += int64(len(b))
		switch {
		case e.long:
		case len(e.raw)+len(b) > s.limit:
			e.long, e.raw = true, nil
		default:
			e.raw = importers.AppendBounded(e.raw, b, s.limit)
		}
	}
	for {
		b, err := s.chunk()
		if err == io.EOF {
			return e, nil
		}
		if err != nil {
			return e, err
		}
		i, found := 0, false
	scan:
		for i < len(b) {
			if inStr {
				if esc {
					esc = false
					i++
					continue
				}
				j := bytes.IndexAny(b[i:], "\"\\\n\r")
				if j < 0 {
					i = len(b)
					break
				}
				i += j
				switch b[i] {
				case '"':
					inStr = false
				case '\\':
					esc = true
				default: // JSON strings hold no end of line: this one was cut
					inStr, e.damaged = false, true
				}
				i++
				continue
			}
			switch c := b[i]; c {
			case '"':
				inStr = true
			case '{', '[':
				stack = append(stack, c)
			case '}', ']':
				open := byte('{')
				if c == ']' {
					open = '['
				}
				k := bytes.LastIndexByte(stack, open)
				if k < 0 {
					if c == close { // the end of the enclosing array or object
						e.damaged = e.damaged || len(stack) > 0
						found = true
						break scan
					}
					e.damaged = true // a closer without its opener
					break
				}
				if k != len(stack)-1 {
					e.damaged = true
				}
				stack = stack[:k]
			case ',':
				if len(stack) == 0 {
					found = true
					break scan
				}
			}
			i++
		}
		keep(b[:i])
		if found {
			e.stop = b[i]
			s.advance(i + 1)
			return e, nil
		}
		s.advance(i)
	}
}

// Element is one element of an array, as [Scanner.Array] reads it.
type Element struct {
	Index   int
	Pointer string // JSON pointer: the array's, then "/" and Index
	Offset  int64  // where the element begins
	Raw     []byte // the element, valid JSON; nil when Problem is set
	// Problem says why the element is not handed on (not valid JSON, longer than the limit),
	// with the bytes skipped. The caller reports it at the element's location.
	Problem importers.Msg
	// Warning is true when Problem is about the array itself and no element was skipped (a
	// stray comma): the caller reports it as a warning.
	Warning bool
}

// Array reads the array that comes next in the input (ptr is its JSON pointer) and calls fn
// with each element in order, damaged ones included; an error from fn stops it and is returned.
// It returns a *Damage when the input ends before the array is closed (after handing on the
// complete elements before the end) or does not begin with '['.
func (s *Scanner) Array(ptr string, fn func(Element) error) error {
	c, err := s.Peek()
	if err == io.EOF {
		return truncated(ptr, s.off, 0, whatArrayMissing)
	}
	if err != nil {
		return err
	}
	if c != '[' {
		return &Damage{Pointer: ptr, Offset: s.off, Err: reasonArrayStart.M("Char", strconv.QuoteRune(rune(c))).Wrap(nil)}
	}
	s.advance(1)
	key := ""          // the first key of the last valid element, to recognise the next one after damage
	comma := int64(-1) // where the comma after the last element is, -1 when none
	for i := 0; ; {
		pointer := ptr + "/" + strconv.Itoa(i)
		c, err := s.Peek()
		if err == io.EOF {
			return truncated(pointer, s.off, 0, whatArrayOpen)
		}
		if err != nil {
			return err
		}
		start := s.off
		switch c {
		case ']':
			s.advance(1)
			if comma >= 0 {
				return fn(Element{Index: i, Pointer: pointer, Offset: comma, Warning: true,
					Problem: reasonStrayEnd.M("Offset", comma)})
			}
			return nil
		case ',':
			s.advance(1)
			if err := fn(Element{Index: i, Pointer: pointer, Offset: start, Warning: true,
				Problem: reasonStray.M("Offset", start)}); err != nil {
				return err
			}
			continue
		}
		e, err := s.extent(']')
		if err != nil {
			return err
		}
		raw := trim(e.raw)
		el := Element{Index: i, Pointer: pointer, Offset: start}
		switch {
		case e.long:
			if e.stop == 0 {
				return truncated(pointer, start, e.n, whatLongElement)
			}
			el.Problem = importers.TooLong(s.limit)
			if e.damaged {
				el.Problem = reasonMismatched.M("TooLong", el.Problem, "From", start, "To", start+e.n)
			}
		case json.Valid(raw):
			el.Raw = raw
			if e.stop == 0 { // complete, but the array is not closed
				if err := fn(el); err != nil {
					return err
				}
				return truncated(ptr+"/"+strconv.Itoa(i+1), s.off, 0, whatArrayOpen)
			}
			key = firstKey(raw)
		default:
			k := key
			if k == "" {
				k = firstKey(raw)
			}
			if p, cut := nextElement(raw, k); p > 0 {
				s.giveBack(e.raw[p:], e.stop) // raw is a prefix of e.raw
				raw, e.stop = trim(raw[:cut]), ','
				e.n = int64(cut)
			}
			switch {
			case e.stop == 0:
				return truncated(pointer, start, e.n, whatInElement)
			case json.Valid(raw): // only the comma after it was missing
				el.Raw = raw
				key = firstKey(raw)
			default:
				el.Problem = reasonInvalidSkipped.M("Err", syntaxError(raw, start), "From", start, "To", start+e.n)
			}
		}
		if err := fn(el); err != nil {
			return err
		}
		i++
		if e.stop == ']' {
			return nil
		}
		comma = s.off - 1
	}
}

// syntaxError explains why raw, which starts at byte start, is not valid JSON.
func syntaxError(raw []byte, start int64) importers.Msg {
	var v json.RawMessage
	err := json.Unmarshal(raw, &v)
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return SyntaxAt(se, start+se.Offset-1)
	case err != nil:
		return importers.ErrMsg(err)
	}
	return reasonUnknown.M()
}

var reasonUnknown = importers.NewReason("unknown-error", "unknown error")

// SyntaxAt is the reason of the JSON syntax error se at byte offset: "invalid character 'x'
// after object key at byte 12".
func SyntaxAt(se *json.SyntaxError, offset int64) importers.Msg {
	return reasonSyntaxAt.M("Err", importers.JSONSyntaxMsg(se.Error()), "Offset", offset)
}

// firstKey returns the first key of the object raw, "" when raw does not begin like an object.
func firstKey(raw []byte) string {
	b := bytes.TrimLeft(raw, " \t\r\n")
	if len(b) == 0 || b[0] != '{' {
		return ""
	}
	b = bytes.TrimLeft(b[1:], " \t\r\n")
	if len(b) < 2 || b[0] != '"' {
		return ""
	}
	end := bytes.IndexByte(b[1:], '"')
	if end < 0 || end > 256 {
		return ""
	}
	return string(b[1 : 1+end])
}

// nextElement finds, in the damaged element raw, where the next element seems to begin: a '{'
// after a ',' (or after a '}', a comma missing) that begins a complete object followed by ',',
// ']' or nothing, whose first key is key when key is not "". It returns the offset of that '{' and
// the length of the damaged element before it, or -1 and -1.
func nextElement(raw []byte, key string) (int, int) {
	for i := 1; i < len(raw); i++ {
		j := bytes.IndexByte(raw[i:], '{')
		if j < 0 {
			break
		}
		i += j
		c := i - 1
		for c >= 0 && isSpace(raw[c]) {
			c--
		}
		if c < 0 || (raw[c] != ',' && raw[c] != '}') || (key != "" && firstKey(raw[i:]) != key) {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(raw[i:]))
		var v json.RawMessage
		if dec.Decode(&v) != nil || v[0] != '{' {
			continue
		}
		rest := bytes.TrimLeft(raw[i+int(dec.InputOffset()):], " \t\r\n")
		if len(rest) == 0 || rest[0] == ',' || rest[0] == ']' {
			if raw[c] == '}' {
				return i, c + 1
			}
			return i, c
		}
	}
	return -1, -1
}

// Member is one member of an object, as [Scanner.Object] reads it. The function Object calls
// may read its value with Elements (an array, element by element) or Value; a value it leaves
// unread is skipped.
type Member struct {
	Key     string
	Pointer string // JSON pointer: the object's, then "/" and the key
	Offset  int64  // where the member begins
	// Problem is set, and Key empty, when the bytes there are not a "key": value member; they
	// were skipped. Warning is true when nothing was skipped (a stray comma).
	Problem importers.Msg
	Warning bool

	s    *Scanner
	read bool // the value has been read
	stop byte // the separator after the value, once Value read it
}

// Kind returns the first byte of the member's value: '{', '[', '"', a digit…
func (m *Member) Kind() byte {
	c, _ := m.s.Peek()
	return c
}

// Elements reads the member's value as an array, as [Scanner.Array] does.
func (m *Member) Elements(fn func(Element) error) error {
	m.read = true
	return m.s.Array(m.Pointer, fn)
}

// Value reads the member's value. It returns the value when it is valid JSON, or nil and why
// not (not valid JSON, longer than the limit); the error is a *Damage when the input ends first.
func (m *Member) Value() (raw []byte, problem importers.Msg, err error) {
	m.read = true
	start := m.s.off
	e, err := m.s.extent('}')
	if err != nil {
		return nil, importers.Msg{}, err
	}
	m.stop = e.stop
	if e.stop == 0 {
		return nil, importers.Msg{}, truncated(m.Pointer, start, e.n, whatInValue)
	}
	raw = trim(e.raw)
	switch {
	case e.long:
		return nil, importers.TooLong(m.s.limit), nil
	case !json.Valid(raw):
		return nil, reasonInvalidSkipped.M("Err", syntaxError(raw, start), "From", start, "To", start+e.n), nil
	}
	return raw, importers.Msg{}, nil
}

// Object reads the object that comes next in the input (ptr is its JSON pointer) and calls fn
// with each member in order, damaged ones included; an error from fn stops it and is returned.
// It returns a *Damage when the input ends before the object is closed or does not begin with
// '{'.
func (s *Scanner) Object(ptr string, fn func(*Member) error) error {
	c, err := s.Peek()
	if err == io.EOF {
		return truncated(ptr, s.off, 0, whatObjectMissing)
	}
	if err != nil {
		return err
	}
	if c != '{' {
		return &Damage{Pointer: ptr, Offset: s.off, Err: reasonObjectStart.M("Char", strconv.QuoteRune(rune(c))).Wrap(nil)}
	}
	s.advance(1)
	for {
		c, err := s.Peek()
		if err == io.EOF {
			return truncated(ptr, s.off, 0, whatObjectOpen)
		}
		if err != nil {
			return err
		}
		start := s.off
		switch c {
		case '}':
			s.advance(1)
			return nil
		case ',':
			s.advance(1)
			if err := fn(&Member{Pointer: ptr, Offset: start, Warning: true, s: s,
				Problem: reasonStray.M("Offset", start)}); err != nil {
				return err
			}
			continue
		}
		key, ok := s.key()
		if !ok {
			e, err := s.extent('}')
			if err != nil {
				return err
			}
			if e.stop == 0 {
				return truncated(ptr, start, e.n, whatInObject)
			}
			if err := fn(&Member{Pointer: ptr, Offset: start, s: s,
				Problem: reasonNotMember.M("From", start, "To", start+e.n)}); err != nil {
				return err
			}
			if e.stop == '}' {
				return nil
			}
			continue
		}
		if _, err := s.Peek(); err == io.EOF {
			return truncated(ptr+"/"+pointerKey(key), start, 0, whatBeforeValue)
		}
		m := &Member{Key: key, Pointer: ptr + "/" + pointerKey(key), Offset: start, s: s}
		if err := fn(m); err != nil {
			return err
		}
		if !m.read {
			if _, _, err := m.Value(); err != nil {
				return err
			}
		}
		stop := m.stop
		if stop == 0 { // the value was read as an array: what follows it
			c, err := s.Peek()
			if err == io.EOF {
				return truncated(m.Pointer, s.off, 0, whatObjectOpen)
			}
			if err != nil {
				return err
			}
			if c == ',' || c == '}' {
				s.advance(1)
				stop = c
			} else {
				junk := s.off
				e, err := s.extent('}')
				if err != nil {
					return err
				}
				if e.stop == 0 {
					return truncated(m.Pointer, junk, e.n, whatInObject)
				}
				if err := fn(&Member{Pointer: m.Pointer, Offset: junk, s: s,
					Problem: reasonJunk.M("From", junk, "To", junk+e.n)}); err != nil {
					return err
				}
				stop = e.stop
			}
		}
		if stop == '}' {
			return nil
		}
	}
}

// key reads a member's key and the colon after it; ok is false, with nothing read past the
// start of the member, when they are not there.
func (s *Scanner) key() (string, bool) {
	// Keys are short: look for the end of the key and the colon in the next 4 KiB.
	if len(s.pend) > 0 && len(s.pend) < 4096 {
		more, _ := s.br.Peek(4096)
		s.pend = append(s.pend, more...)
		s.br.Discard(len(more))
	} else if len(s.pend) == 0 {
		s.br.Peek(4096) // errors show as fewer bytes
	}
	b, err := s.chunk()
	if err != nil || len(b) == 0 || b[0] != '"' {
		return "", false
	}
	i := 1
	for i < len(b) && b[i] != '"' {
		if b[i] == '\\' {
			i++
		} else if b[i] == '\n' || b[i] == '\r' {
			return "", false
		}
		i++
	}
	if i >= len(b) {
		return "", false
	}
	var key string
	if json.Unmarshal(b[:i+1], &key) != nil {
		return "", false
	}
	j := i + 1
	for j < len(b) && isSpace(b[j]) {
		j++
	}
	if j >= len(b) || b[j] != ':' {
		return "", false
	}
	s.advance(j + 1)
	return key, true
}

// pointerKey escapes a key for a JSON pointer (RFC 6901).
func pointerKey(k string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(k)
}

// EndOfLine skips spaces, tabs and carriage returns and reports whether the line ends there: at
// a line feed, which it reads, or at the end of the input.
func (s *Scanner) EndOfLine() (bool, error) {
	for {
		b, err := s.chunk()
		if err == io.EOF {
			return true, nil
		}
		if err != nil {
			return false, err
		}
		i := 0
		for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r') {
			i++
		}
		s.advance(i)
		if i < len(b) {
			if b[i] == '\n' {
				s.advance(1)
				return true, nil
			}
			return false, nil
		}
	}
}

// Rest returns a reader of the input the scanner has not read, beginning at [Scanner.Offset]; the
// scanner must not be used after.
func (s *Scanner) Rest() io.Reader {
	if len(s.pend) > 0 {
		return io.MultiReader(bytes.NewReader(s.pend), s.br)
	}
	return s.br
}
