package twilio

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"raidtrace/importers"
	"raidtrace/importers/jsonerr"
)

// ReadJSON reads Twilio API JSON: a list page ({"messages":[…], "page", …}), a single Message
// resource, or a bare array of Message resources; several of them one after the other (pages
// saved into one file) are read in turn. Records are located by JSON pointer ("/messages/3", "/"
// for a single resource), followed by " (document N)" from the second document on.
//
// The messages of a list or array are read one at a time with [jsonerr.Scanner]: an element that
// is not a Message resource, is not valid JSON or is longer than opt.RecordLimit() is reported
// at its pointer and skipped, and the messages after it import. When the input ends inside a
// document, the messages before the cut are sent and a [importers.ParseError] wrapping
// [importers.ErrTruncated] names where it ends.
func ReadJSON(ctx context.Context, r io.Reader, opt importers.Options, sink importers.Sink) error {
	opt = opt.WithDefaults()
	br := bufio.NewReaderSize(r, 64<<10)
	base := int64(0)
	if b, _ := br.Peek(len(bom)); bytes.Equal(b, bom) {
		br.Discard(len(bom))
		base = int64(len(bom))
	}
	jr := &jsonReader{s: jsonerr.NewScanner(br, base, opt.RecordLimit()), opt: opt, ph: importers.NewPhones(opt.Region), sink: sink}
	for jr.doc = 1; ; jr.doc++ {
		c, err := jr.s.Peek()
		switch {
		case err == io.EOF && jr.doc == 1:
			return &importers.ParseError{Location: "/", Err: reasonEmpty.M().Wrap(importers.ErrNotFormat)}
		case err == io.EOF:
			return nil
		case err != nil:
			return reasonRead.M("Err", err).Wrap(err)
		}
		switch {
		case c == '[':
			err = jr.s.Array("", func(e jsonerr.Element) error { return jr.element(ctx, e) })
		case c == '{':
			err = jr.document(ctx)
		case jr.doc == 1:
			return &importers.ParseError{Location: "/", Err: reasonWant.M("Char", strconv.QuoteRune(rune(c))).Wrap(importers.ErrNotFormat)}
		default:
			return &importers.ParseError{Location: fmt.Sprintf("%s (byte %d)", jr.loc("/"), jr.s.Offset()),
				Err: reasonAfter.M().Wrap(nil)}
		}
		if err != nil {
			return jr.error(err)
		}
	}
}

var (
	reasonEmpty            = importers.NewReason("twilio-json-empty", "empty file: not this format")
	reasonRead             = importers.NewReason("twilio-json-read", "read twilio json: {{.Err}}")
	reasonWant             = importers.NewReason("twilio-json-want", "want a JSON object or array, got {{.Char}}: not this format")
	reasonAfter            = importers.NewReason("twilio-json-after", "unexpected data after the last JSON document")
	reasonNotArray         = importers.NewReason("twilio-messages-not-array", "messages begins with {{.Char}}, not an array: not read")
	reasonNeitherNotFormat = importers.NewReason("twilio-neither-not-format", "neither a Message resource (no sid) nor a list page (no messages): not this format")
	reasonNeitherSkipped   = importers.NewReason("twilio-neither-skipped", "neither a Message resource (no sid) nor a list page (no messages); skipped")
	reasonWantObject       = importers.NewReason("twilio-want-object", "not a Twilio message: want an object, got {{.Start}}")
	reasonNotMessage       = importers.NewReason("twilio-not-message", "not a Twilio message: {{.Err}}")
	reasonNoFields         = importers.NewReason("twilio-no-fields", "not a Twilio message: no sid, body or from")
)

// jsonReader reads a stream of JSON documents; doc counts them from 1.
type jsonReader struct {
	s    *jsonerr.Scanner
	opt  importers.Options
	ph   *importers.Phones
	sink importers.Sink
	doc  int
	n    int // elements read, for the cancellation checks
}

// loc turns a JSON pointer inside the current document into a Location.
func (jr *jsonReader) loc(ptr string) string {
	if ptr == "" {
		ptr = "/"
	}
	if jr.doc <= 1 {
		return ptr
	}
	return fmt.Sprintf("%s (document %d)", ptr, jr.doc)
}

// document reads one top-level object: a list page, whose messages are read one by one, or a
// single Message resource, held whole and not imported when one of its members is damaged.
func (jr *jsonReader) document(ctx context.Context) error {
	single := map[string]json.RawMessage{}
	var damaged []importers.Msg
	list := false
	err := jr.s.Object("", func(m *jsonerr.Member) error {
		if m.Key == "messages" {
			switch m.Kind() {
			case 'n': // "messages": null, an empty page
				list = true
				return nil
			case '[':
				list = true
				return m.Elements(func(e jsonerr.Element) error { return jr.element(ctx, e) })
			default:
				list = true
				jr.sink.Problem(reasonNotArray.M("Char", strconv.QuoteRune(rune(m.Kind()))).Problem(jr.loc(m.Pointer)))
				return nil
			}
		}
		if !m.Problem.IsZero() {
			if m.Warning {
				jr.sink.Problem(m.Problem.Warning(jr.loc(m.Pointer)))
			} else {
				damaged = append(damaged, jsonerr.ReasonAtPointer.M("Pointer", m.Pointer, "Reason", m.Problem))
			}
			return nil
		}
		raw, problem, err := m.Value()
		if err != nil {
			return err
		}
		if !problem.IsZero() {
			damaged = append(damaged, jsonerr.ReasonAtPointer.M("Pointer", m.Pointer, "Reason", problem))
			return nil
		}
		single[m.Key] = raw
		return nil
	})
	if err != nil {
		return err
	}
	if list {
		for _, d := range damaged { // beside the messages: nothing lost but the page's metadata
			jr.sink.Problem(jsonerr.ReasonAside.M("Reason", d).Warning(jr.loc("/")))
		}
		return nil
	}
	loc := jr.loc("/")
	if len(damaged) > 0 {
		jr.sink.Problem(jsonerr.ReasonDamaged.M("List", damaged).Problem(loc))
		return nil
	}
	if _, ok := single["sid"]; !ok {
		if jr.doc == 1 {
			return &importers.ParseError{Location: loc, Err: reasonNeitherNotFormat.M().Wrap(importers.ErrNotFormat)}
		}
		jr.sink.Problem(reasonNeitherSkipped.M().Problem(loc))
		return nil
	}
	b, err := json.Marshal(single)
	if err != nil {
		return fmt.Errorf("re-encode message: %w", err)
	}
	rec, err := decodeMessage(b, loc, jr.opt, jr.ph, jr.sink)
	if err != nil {
		jr.sink.Problem(importers.ErrMsg(err).Problem(loc))
		return nil
	}
	return jr.sink.Record(rec)
}

// element imports one element of a list or array, or reports why it cannot.
func (jr *jsonReader) element(ctx context.Context, e jsonerr.Element) error {
	if jr.n++; jr.n%256 == 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	loc := jr.loc(e.Pointer)
	if !e.Problem.IsZero() {
		p := e.Problem.Problem(loc)
		p.Warning = e.Warning
		jr.sink.Problem(p)
		return nil
	}
	rec, err := decodeMessage(e.Raw, loc, jr.opt, jr.ph, jr.sink)
	if err != nil {
		jr.sink.Problem(importers.ErrMsg(err).Problem(loc))
		return nil
	}
	return jr.sink.Record(rec)
}

// error locates an error of the scanner in the current document; others pass unchanged.
func (jr *jsonReader) error(err error) error {
	var d *jsonerr.Damage
	if errors.As(err, &d) {
		return d.At(jr.loc(d.Pointer))
	}
	return err
}

// decodeMessage decodes one Message resource; the error says why it is not one.
func decodeMessage(raw []byte, loc string, opt importers.Options, ph *importers.Phones, sink importers.Sink) (importers.Record, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return importers.Record{}, reasonWantObject.M("Start", fmt.Sprintf("%.30s", raw)).Wrap(nil)
	}
	var m message
	if err := json.Unmarshal(raw, &m); err != nil {
		return importers.Record{}, reasonNotMessage.M("Err", err).Wrap(err)
	}
	if m.Sid == "" && m.Body == "" && m.From == "" {
		return importers.Record{}, reasonNoFields.M().Wrap(nil)
	}
	return m.record(loc, opt, ph, sink), nil
}

// SniffJSON claims API JSON: an object or array mentioning Twilio's message fields, whose first
// line is not a whole message (that is BulkExport).
func SniffJSON(head []byte, _ string) bool {
	b := bytes.TrimLeft(bytes.TrimPrefix(head, bom), " \t\r\n")
	if len(b) == 0 || (b[0] != '{' && b[0] != '[') || !looksTwilio(b) {
		return false
	}
	return !isBulkLine(firstLine(b))
}

// looksTwilio reports whether b mentions a sid and fields only Twilio messages have.
func looksTwilio(b []byte) bool {
	if !bytes.Contains(b, []byte(`"sid"`)) {
		return false
	}
	for _, k := range []string{`"account_sid"`, `"num_segments"`, `"messaging_service_sid"`} {
		if bytes.Contains(b, []byte(k)) {
			return true
		}
	}
	return false
}

var bom = []byte("\xef\xbb\xbf")

func firstLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i]
	}
	return b
}

// isBulkLine reports whether line is one whole Message resource (the head may cut it short).
func isBulkLine(line []byte) bool {
	line = bytes.TrimSpace(line)
	return len(line) > 1 && line[0] == '{' && looksTwilio(line) && !bytes.Contains(line, []byte(`"messages":`)) &&
		!bytes.Contains(line, []byte(`"messages" :`))
}
