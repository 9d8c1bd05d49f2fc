// Package xapi imports captures of the Twitter/X API: twarc2 JSONL (one response page per line,
// streaming lines and flattened lines), v1.1 JSON (a status, an array of statuses, search and
// premium search results, CRLF-delimited streams with keep-alive lines), legacy direct messages
// and DM events.
//
// Incoming mentions and replies from harassers reach a case through these captures (the account
// archive holds only the owner's own tweets), so every record keeps its author's numeric id,
// handle and display name.
//
// # Reading
//
// The input is read line by line, up to the record limit for one line. When the
// first line holds a complete JSON value the file is taken as line-delimited: each line is decoded
// on its own, blank lines (keep-alives) are skipped and a line that cannot be decoded is reported
// as a [importers.Problem] located "line N" while the rest imports; when that line begins like a
// response page ({"data":[…) or an array, it is read again element by element, so that its
// intact tweets import and only its broken elements are reported ("line 3 #/data/2"). A line
// longer than the record limit ([importers.Options.RecordLimit]) is reported and skipped without
// being held; a first line that long is read value by value as a document would be, located on
// that line ("line 1 #/data/0"), and the lines after it as lines. Otherwise the file is one
// pretty-printed JSON document, read with [jsonerr.Scanner]: the elements of a top-level array,
// and of the arrays of a response page or envelope ({"data":[…]}, {"statuses":[…]},
// {"results":[…]}, {"events":[…]}), are read one by one, so that a damaged element is reported
// at its JSON pointer ("#/statuses/3") and the next ones import, and a document cut short imports
// every complete element before the cut. An envelope (an API response page, a few MB at most) is
// held in memory while its users are matched to its tweets, up to the record limit: the messages
// of a longer one are decoded as they are read, without the users listed after them (a warning
// says so), and members beside the messages past the limit are reported and skipped.
//
// # Direction
//
// A tweet or DM whose author is the case owner ([importers.Options.Owner]) is outgoing, any other
// incoming. Without an owner, tweets are incoming and the direct messages of the file are held
// until its end: the one account party (sender or recipient) to all of them, when there is one,
// is taken for the owner and a warning says so; otherwise their direction is left unknown and
// one warning asks for --owner.
//
// This package does not open files other than through [Format], writes nothing, and opens no
// network connection.
package xapi

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"raidtrace/importers"
	"raidtrace/importers/jsonerr"
)

// Format is the API-capture format for detection and the case file.
var Format = importers.StreamFormat("x-api", "X/Twitter API capture (twarc2 JSONL, v1.1 JSON, DM events)", Sniff, Read)

// Sniff reports whether head looks like a Twitter API capture: JSON whose first bytes carry
// field names that only tweets, twarc2 output or DM events have.
func Sniff(head []byte, name string) bool {
	t := bytes.TrimLeft(head, " \t\r\n\ufeff")
	t = bytes.TrimPrefix(t, []byte("\ufeff"))
	if len(t) == 0 || (t[0] != '{' && t[0] != '[') {
		return false
	}
	for _, marker := range []string{`"__twarc"`, `"author_id"`, `"edit_history_tweet_ids"`,
		`"message_create"`, `"in_reply_to_status_id`, `"sender_screen_name"`, `"screen_name"`,
		`"retweet_count"`, `"conversation_id"`} {
		if bytes.Contains(t, []byte(marker)) {
			return true
		}
	}
	return false
}

// Read decodes an API capture from r, sending each tweet or direct message to sink and each entry
// it cannot decode as a problem. It returns an error only when reading fails, sink refuses a
// record, ctx is done, or a pretty-printed document is cut short (a [importers.ParseError] wrapping
// [importers.ErrTruncated], located at the element where the input ends, after the complete
// records before the break were sent).
func Read(ctx context.Context, r io.Reader, opt importers.Options, sink importers.Sink) error {
	d := &decoder{ctx: ctx, sink: sink, owner: ownerKey(opt.Owner), limit: opt.RecordLimit()}
	err := d.read(r)
	var pe *importers.ParseError
	if err == nil || errors.As(err, &pe) { // the records before a break are sent
		if ferr := d.flushDMs(); ferr != nil {
			return ferr
		}
	}
	return err
}

func (d *decoder) read(r io.Reader) error {
	cr := &countingReader{r: r}
	br := bufio.NewReaderSize(cr, 64<<10)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\ufeff")) {
		br.Discard(3)
	}
	at := func() int64 { return cr.n - int64(br.Buffered()) }

	// The bytes read before the mode is known, read again when the input is a document: the
	// blank lines and the lines read, each held once.
	var replay [][]byte
	n := 0
	// next reads the next non-blank line into buf. long is true, with line holding only its
	// start, when it is longer than the limit; partial then says whether the rest of the line is
	// still unread in br.
	next := func(buf []byte) (line []byte, long, partial bool, err error) {
		for {
			off := at()
			line, partial, err = readLine(br, buf[:0], d.limit)
			// The line end readLine dropped, so that a document is read again byte for byte.
			eol := lineEnds[min(max(int(at()-off)-len(line), 0), 2)]
			if partial || len(line) > d.limit {
				n++
				replay = append(replay, line)
				if !partial {
					replay = append(replay, eol)
				}
				return line, true, partial, err
			}
			if len(line) == 0 && err != nil {
				return nil, false, false, err
			}
			n++
			replay = append(replay, line, eol)
			if t := bytes.Trim(line, jsonSpace); len(t) > 0 {
				return t, false, false, err
			}
			if err != nil {
				return nil, false, false, err
			}
		}
	}
	doc := func() io.Reader {
		rs := make([]io.Reader, 0, len(replay)+1)
		for _, b := range replay {
			rs = append(rs, bytes.NewReader(b))
		}
		replay = nil
		return io.MultiReader(append(rs, br)...)
	}
	first, long, _, ferr := next(nil)
	if long {
		// A first line longer than the limit: a document on one line (a v1.1 timeline array,
		// an envelope), or the first line of a JSON-lines file, read value by value.
		return d.longFirst(doc(), n)
	}
	if first == nil {
		if ferr == io.EOF {
			return nil
		}
		return fmt.Errorf("read api capture: %w", ferr)
	}
	firstLine := n
	if json.Valid(first) {
		if err := d.line(first, firstLine); err != nil {
			return err
		}
		return d.lines(br, n, ferr)
	}
	if first[0] != '{' || len(first) == 1 || ferr != nil {
		return d.document(doc())
	}
	// A broken first line followed by a complete object (or a response page) on the next line
	// is a JSON-lines file with a bad first line; a pretty-printed document has a "key": value
	// line there.
	second, long, partial, serr := next(nil)
	switch {
	case long && linesLike(first):
		// The second line is too long to tell: the first decides.
		replay = nil
		if err := d.badLine(first, firstLine); err != nil {
			return err
		}
		d.problem(lineLoc(firstLine+1), importers.TooLong(d.limit))
		if partial && serr == nil {
			serr = skipLine(br)
		}
		return d.lines(br, n, serr)
	case !long && second != nil && second[0] == '{' && (json.Valid(second) || pageStart(second)):
		replay = nil
		if err := d.badLine(first, firstLine); err != nil {
			return err
		}
		if err := d.line(second, n); err != nil {
			return err
		}
		return d.lines(br, n, serr)
	}
	return d.document(doc())
}

// lineEnds are the line ends readLine drops, by length.
var lineEnds = [][]byte{nil, []byte("\n"), []byte("\r\n")}

// jsonSpace is the white space JSON allows between values.
const jsonSpace = " \t\r\n"

// countingReader counts the bytes read from r.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// pageRE matches the start of a response page or envelope whose messages are an array.
var pageRE = regexp.MustCompile(`^\{\s*"(data|statuses|results|events|direct_message_events)"\s*:\s*\[`)

// pageStart reports whether line begins like a response page or envelope: {"data":[…
func pageStart(line []byte) bool { return pageRE.Match(line) }

// linesLike reports whether a broken first line is the first line of a JSON-lines file cut short
// or damaged rather than the opening line of a pretty-printed document, which ends with a '{',
// '[', ',' or ':': a page with elements in it, or a line ending in the middle of a value.
func linesLike(line []byte) bool {
	if loc := pageRE.FindIndex(line); loc != nil && bytes.IndexByte(line[loc[1]:], '{') >= 0 {
		return true
	}
	return bytes.IndexByte([]byte("{[,:"), line[len(line)-1]) < 0
}

// longFirst reads an input whose first line (line n) is longer than the limit: its first value
// with [jsonerr.Scanner], located on that line, then, when the value ends the line, the other
// lines as a JSON-lines file, or else the values after it as a document.
func (d *decoder) longFirst(r io.Reader, n int) error {
	s := jsonerr.NewScanner(r, 0, d.limit)
	base := lineLoc(n)
	if err := d.topValue(s, base); err != nil {
		return d.docError(err, base)
	}
	end, err := s.EndOfLine()
	if err != nil {
		return fmt.Errorf("read api capture: %w", err)
	}
	if !end {
		return d.values(s, 2)
	}
	// The scanner may have read ahead: the lines after it are read from what it holds.
	return d.lines(bufio.NewReaderSize(s.Rest(), 64<<10), n, nil)
}

// readLine appends the next line of br (without its end of line) to buf. It returns io.EOF with
// the last line when the input does not end with a newline. When the line is longer than limit
// bytes and does not fit in br's buffer, it stops and returns long true with the bytes read so
// far (at most limit plus the reader's buffer), the rest of the line left unread in br; a line
// read whole may be that much longer than limit, and the caller checks its length.
func readLine(br *bufio.Reader, buf []byte, limit int) ([]byte, bool, error) {
	start := len(buf)
	for {
		chunk, err := br.ReadSlice('\n')
		buf = importers.AppendBounded(buf, chunk, start+limit+len(chunk))
		if err == bufio.ErrBufferFull {
			if len(buf)-start > limit {
				return buf, true, nil
			}
			continue
		}
		if err == nil {
			buf = buf[:len(buf)-1]
			if len(buf) > 0 && buf[len(buf)-1] == '\r' {
				buf = buf[:len(buf)-1]
			}
		}
		return buf, false, err
	}
}

// skipLine reads br past the end of the current line; it returns io.EOF when the input ends first.
func skipLine(br *bufio.Reader) error {
	for {
		_, err := br.ReadSlice('\n')
		if err != bufio.ErrBufferFull {
			return err
		}
	}
}

// decoder turns decoded JSON values into records.
type decoder struct {
	ctx   context.Context
	sink  importers.Sink
	owner string // lower-case handle or id of the case owner, "" when unknown
	count int
	limit int // longest line read in line mode ([importers.Options.RecordLimit])
	// Without an owner, direct messages wait in held for the end of the input; common holds the
	// accounts party to every one of them.
	held   []importers.Record
	common map[string]bool
}

func ownerKey(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "@")
	return strings.ToLower(s)
}

func lineLoc(n int) string { return "line " + strconv.Itoa(n) }

// join makes a record location from a base ("line 3", "" for the whole document) and a JSON
// pointer inside it ("/data/2").
func join(base, ptr string) string {
	switch {
	case base == "":
		return "#" + ptr
	case ptr == "":
		return base
	}
	return base + " #" + ptr
}

func (d *decoder) problem(loc string, reason importers.Msg) {
	d.sink.Problem(reason.Problem(loc))
}

func (d *decoder) warn(loc string, reason importers.Msg) {
	d.sink.Problem(reason.Warning(loc))
}

var (
	reasonInvalidJSON = importers.NewReason("json-invalid", "not valid JSON: {{.Err}}")
	reasonSalvaged    = importers.NewReason("json-invalid-line-salvaged", "not valid JSON: {{.Err}}; its intact elements are imported, the broken ones reported")
	reasonAtByte      = importers.NewReason("at-byte", "{{.Reason}} (byte {{.Offset}})")
	reasonTruncatedAt = importers.NewReason("json-truncated-at", "truncated: {{.Err}}")
	reasonTopValue    = importers.NewReason("xapi-top-value", "not this format: top-level value begins with {{.Char}}, not an object or array")
	reasonNotUsed     = importers.NewReason("xapi-parties-not-used", "not used: it comes after more messages than the record limit holds, which were imported without the accounts or apps it names (their authors keep their ids)")
)

// lines decodes the remaining lines of a line-delimited capture; n is the number of the last line
// read and err the error that came with it.
func (d *decoder) lines(br *bufio.Reader, n int, err error) error {
	var line []byte
	for err == nil {
		var long bool
		line, long, err = readLine(br, line[:0], d.limit)
		if long || len(line) > d.limit {
			n++
			d.problem(lineLoc(n), importers.TooLong(d.limit))
			line = line[:0]
			if long && err == nil {
				err = skipLine(br)
			}
			continue
		}
		if len(line) == 0 && err != nil {
			break
		}
		n++
		if t := bytes.Trim(line, jsonSpace); len(t) > 0 {
			if lerr := d.line(t, n); lerr != nil {
				return lerr
			}
		}
	}
	if err != io.EOF {
		return fmt.Errorf("read api capture: line %d: %w", n+1, err)
	}
	return nil
}

// line decodes one line of a line-delimited capture.
func (d *decoder) line(b []byte, n int) error {
	if err := d.ctx.Err(); err != nil {
		return err
	}
	loc := lineLoc(n)
	if !json.Valid(b) {
		return d.badLine(b, n)
	}
	if !utf8.Valid(b) {
		d.warn(loc, importers.InvalidUTF8)
	}
	if b[0] == '[' {
		var elems []json.RawMessage
		if err := json.Unmarshal(b, &elems); err != nil {
			d.problem(loc, reasonInvalidJSON.M("Err", jsonReason(b)))
			return nil
		}
		for i, e := range elems {
			if err := d.value(e, loc, "/"+strconv.Itoa(i)); err != nil {
				return err
			}
		}
		return nil
	}
	return d.value(b, loc, "")
}

// badLine reports line n, which is not valid JSON. When it begins like a response page
// ({"data":[…) or an array of tweets, its elements are read again with [jsonerr.Scanner], so that
// the intact ones import and only the broken ones are reported (at byte offsets in the line, as
// for the line itself). It returns an error only when the sink or ctx stops the import.
func (d *decoder) badLine(b []byte, n int) error {
	loc := lineLoc(n)
	salvage := pageStart(b) || b[0] == '['
	reason := reasonInvalidJSON.M("Err", jsonReason(b))
	if salvage {
		reason = reasonSalvaged.M("Err", jsonReason(b))
	}
	d.problem(loc, reason)
	if !salvage {
		return nil
	}
	if !utf8.Valid(b) {
		d.warn(loc, importers.InvalidUTF8)
	}
	s := jsonerr.NewScanner(bytes.NewReader(b), 0, d.limit)
	var err error
	if b[0] == '[' {
		err = s.Array("", func(e jsonerr.Element) error { return d.element(e, loc, nil, nil) })
	} else {
		err = d.object(s, loc)
	}
	var dmg *jsonerr.Damage
	if errors.As(err, &dmg) {
		reason := jsonerr.InLine(importers.ErrMsg(dmg.Err))
		if !strings.Contains(reason.String(), "byte") {
			reason = reasonAtByte.M("Reason", reason, "Offset", dmg.Offset)
		}
		d.problem(join(loc, dmg.Pointer), reason)
		return nil
	}
	return err
}

// jsonReason explains why b is not valid JSON.
func jsonReason(b []byte) importers.Msg {
	var v any
	err := json.Unmarshal(b, &v)
	if err == nil {
		return reasonUnknown.M()
	}
	return syntaxReason(err)
}

var reasonUnknown = importers.NewReason("xapi-unknown-error", "unknown error")

// syntaxReason explains a JSON syntax error, saying "truncated" when the value ends early.
func syntaxReason(err error) importers.Msg {
	if strings.Contains(err.Error(), "unexpected end of JSON input") {
		return reasonTruncatedAt.M("Err", err)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return jsonerr.SyntaxAt(se, se.Offset-1) // the offending byte, counted from 0 as jsonerr does
	}
	return importers.ErrMsg(err)
}

// document decodes a pretty-printed capture: one or more JSON values, one after the other.
//
// The elements of a top-level array (a v1.1 timeline) and of the arrays of a response page or
// envelope ("data", "statuses", "results", "events", "direct_message_events") are read one at a
// time with [jsonerr.Scanner]: one that is damaged or longer than the record limit is reported at
// its pointer and the next one is read; when the file ends inside the array, the complete
// elements before the break are imported and the break is returned. An envelope's other members
// ("includes", "users", "apps") are held until the object ends, since they name the authors of
// its elements, so an envelope's elements are decoded when the object is complete (or broken).
func (d *decoder) document(r io.Reader) error {
	return d.values(jsonerr.NewScanner(r, 0, d.limit), 1)
}

// values reads the top-level values of s, the first one being value k of the document.
func (d *decoder) values(s *jsonerr.Scanner, k int) error {
	for ; ; k++ {
		base := ""
		if k > 1 {
			base = "value " + strconv.Itoa(k)
		}
		if _, err := s.Peek(); err == io.EOF {
			return nil
		}
		if err := d.topValue(s, base); err != nil {
			return d.docError(err, base)
		}
	}
}

// topValue reads the top-level value that comes next in s, located at base.
func (d *decoder) topValue(s *jsonerr.Scanner, base string) error {
	c, err := s.Peek()
	if err != nil {
		return fmt.Errorf("read api capture: %w", err)
	}
	switch c {
	case '[':
		return s.Array("", func(e jsonerr.Element) error { return d.element(e, base, nil, nil) })
	case '{':
		return d.object(s, base)
	}
	return &importers.ParseError{Location: fmt.Sprintf("%s (byte %d)", join(base, ""), s.Offset()),
		Err: reasonTopValue.M("Char", strconv.QuoteRune(rune(c))).Wrap(importers.ErrNotFormat)}
}

// envelopeKeys are the members whose array holds the messages of a page or envelope.
var envelopeKeys = map[string]bool{"data": true, "statuses": true, "results": true, "events": true,
	"direct_message_events": true}

// entry is an element of an envelope, or a problem with one of its members, in document order.
type entry struct {
	el      jsonerr.Element
	problem string        // location of a damaged member
	reason  importers.Msg // and its reason
	warning bool          // nothing was lost (a stray comma)
	aside   bool          // a member beside the messages: an envelope's messages import without it
}

// object reads one top-level object. An envelope's arrays are read element by element and its
// other members held; any other object (a status, a DM) is decoded whole, and not at all when one
// of its members is damaged. What is held is bounded by the record limit: members beside the
// messages past it are reported and skipped, and the messages of an envelope that hold more than
// it are decoded as they are read from then on, with the users and apps read so far.
func (d *decoder) object(s *jsonerr.Scanner, base string) error {
	var entries []entry
	var rest bytes.Buffer // the members other than the envelope arrays, as an object
	rest.WriteByte('{')
	envelope := false
	held := 0          // bytes of the elements in entries
	streaming := false // the envelope holds too much to wait for its end
	var us users
	var apps map[string]string
	add := func(e entry) error {
		if streaming {
			return d.entry(e, base, us, apps)
		}
		entries = append(entries, e)
		held += len(e.el.Raw)
		if !envelope || held <= d.limit {
			return nil
		}
		streaming = true
		us, apps = parties(append(rest.Bytes()[:rest.Len():rest.Len()], '}'))
		for _, e := range entries {
			if err := d.entry(e, base, us, apps); err != nil {
				return err
			}
		}
		entries = nil
		return nil
	}
	err := s.Object("", func(m *jsonerr.Member) error {
		if !m.Problem.IsZero() {
			return add(entry{problem: join(base, m.Pointer), reason: m.Problem, warning: m.Warning})
		}
		if envelopeKeys[m.Key] && m.Kind() == '[' {
			envelope = true
			return m.Elements(func(e jsonerr.Element) error {
				if err := add(entry{el: e}); err != nil {
					return err
				}
				return d.ctx.Err()
			})
		}
		raw, problem, err := m.Value()
		if err != nil {
			return err
		}
		if problem.IsZero() && rest.Len()+len(m.Key)+len(raw) > d.limit {
			problem = importers.TooLong(d.limit) // the members held, together
		}
		if !problem.IsZero() {
			// A member other than the messages: if this is an envelope, they import without it.
			return add(entry{problem: join(base, m.Pointer), reason: problem, aside: !envelopeKeys[m.Key]})
		}
		if streaming {
			if m.Key == "includes" || m.Key == "users" || m.Key == "apps" {
				d.warn(join(base, m.Pointer), reasonNotUsed.M())
			}
			return nil
		}
		if rest.Len() > 1 {
			rest.WriteByte(',')
		}
		kb, _ := json.Marshal(m.Key)
		rest.Write(kb)
		rest.WriteByte(':')
		rest.Write(raw)
		return nil
	})
	rest.WriteByte('}')
	if !envelope {
		if err != nil {
			return err
		}
		var bad []importers.Msg
		for _, e := range entries { // no element: an object that is not an envelope
			if e.warning {
				d.warn(e.problem, e.reason)
			} else {
				bad = append(bad, jsonerr.ReasonAtPointer.M("Pointer", strings.TrimLeft(strings.TrimPrefix(e.problem, base), " #"), "Reason", e.reason))
			}
		}
		if len(bad) > 0 {
			d.problem(join(base, ""), jsonerr.ReasonDamaged.M("List", bad))
			return nil
		}
		return d.value(rest.Bytes(), base, "")
	}
	if cerr := d.ctx.Err(); cerr != nil {
		return cerr
	}
	if !streaming {
		us, apps = parties(rest.Bytes())
	}
	for _, e := range entries {
		if err := d.entry(e, base, us, apps); err != nil {
			return err
		}
	}
	return err
}

// parties returns the users and apps an envelope's members other than its messages (rest, as an
// object) list.
func parties(rest []byte) (users, map[string]string) {
	var o object
	json.Unmarshal(rest, &o) // members of unexpected types are left out
	us := decodeUsers(o.Users)
	if o.Includes != nil {
		for _, u := range o.Includes.Users {
			us[u.id()] = u
		}
	}
	apps := map[string]string{}
	for id, a := range o.Apps {
		apps[id] = a.Name
	}
	return us, apps
}

// entry decodes or reports one entry of an envelope.
func (d *decoder) entry(e entry, base string, us users, apps map[string]string) error {
	if e.problem != "" {
		reason := e.reason
		if e.aside {
			reason = jsonerr.ReasonAside.M("Reason", reason)
		}
		p := reason.Problem(e.problem)
		p.Warning = e.warning || e.aside
		d.sink.Problem(p)
		return nil
	}
	return d.element(e.el, base, us, apps)
}

// element decodes one element of an array read by the scanner, or reports why it cannot be.
func (d *decoder) element(e jsonerr.Element, base string, us users, apps map[string]string) error {
	if !e.Problem.IsZero() {
		p := e.Problem.Problem(join(base, e.Pointer))
		p.Warning = e.Warning
		d.sink.Problem(p)
		return nil
	}
	return d.valueWith(e.Raw, base, e.Pointer, us, apps)
}

// docError locates an error of the scanner in the document; other errors pass unchanged.
func (d *decoder) docError(err error, base string) error {
	var dmg *jsonerr.Damage
	if errors.As(err, &dmg) {
		return dmg.At(join(base, dmg.Pointer))
	}
	if d.ctx.Err() != nil {
		return d.ctx.Err()
	}
	return err
}
