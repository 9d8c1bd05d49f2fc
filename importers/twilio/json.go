package twilio

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

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
			return &importers.ParseError{Location: "/", Err: fmt.Errorf("empty file: %w", importers.ErrNotFormat)}
		case err == io.EOF:
			return nil
		case err != nil:
			return fmt.Errorf("read twilio json: %w", err)
		}
		switch {
		case c == '[':
			err = jr.s.Array("", func(e jsonerr.Element) error { return jr.element(ctx, e) })
		case c == '{':
			err = jr.document(ctx)
		case jr.doc == 1:
			return &importers.ParseError{Location: "/", Err: fmt.Errorf("want a JSON object or array, got %q: %w", c, importers.ErrNotFormat)}
		default:
			return &importers.ParseError{Location: fmt.Sprintf("%s (byte %d)", jr.loc("/"), jr.s.Offset()),
				Err: errors.New("unexpected data after the last JSON document")}
		}
		if err != nil {
			return jr.error(err)
		}
	}
}

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
	var damaged []string
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
				jr.sink.Problem(importers.Problem{Location: jr.loc(m.Pointer), Reason: fmt.Sprintf("messages begins with %q, not an array: not read", m.Kind())})
				return nil
			}
		}
		if m.Problem != "" {
			if m.Warning {
				jr.sink.Problem(importers.Problem{Location: jr.loc(m.Pointer), Reason: m.Problem, Warning: true})
			} else {
				damaged = append(damaged, m.Pointer+": "+m.Problem)
			}
			return nil
		}
		raw, problem, err := m.Value()
		if err != nil {
			return err
		}
		if problem != "" {
			damaged = append(damaged, m.Pointer+": "+problem)
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
			jr.sink.Problem(importers.Problem{Location: jr.loc("/"), Reason: d + "; the messages are imported without it", Warning: true})
		}
		return nil
	}
	loc := jr.loc("/")
	if len(damaged) > 0 {
		jr.sink.Problem(importers.Problem{Location: loc, Reason: "not imported, damaged: " + strings.Join(damaged, "; ")})
		return nil
	}
	if _, ok := single["sid"]; !ok {
		err := errors.New("neither a Message resource (no sid) nor a list page (no messages)")
		if jr.doc == 1 {
			return &importers.ParseError{Location: loc, Err: fmt.Errorf("%w: %w", err, importers.ErrNotFormat)}
		}
		jr.sink.Problem(importers.Problem{Location: loc, Reason: err.Error() + "; skipped"})
		return nil
	}
	b, err := json.Marshal(single)
	if err != nil {
		return fmt.Errorf("re-encode message: %w", err)
	}
	rec, err := decodeMessage(b, loc, jr.opt, jr.ph, jr.sink)
	if err != nil {
		jr.sink.Problem(importers.Problem{Location: loc, Reason: err.Error()})
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
	if e.Problem != "" {
		jr.sink.Problem(importers.Problem{Location: loc, Reason: e.Problem, Warning: e.Warning})
		return nil
	}
	rec, err := decodeMessage(e.Raw, loc, jr.opt, jr.ph, jr.sink)
	if err != nil {
		jr.sink.Problem(importers.Problem{Location: loc, Reason: err.Error()})
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
		return importers.Record{}, fmt.Errorf("not a Twilio message: want an object, got %.30s", raw)
	}
	var m message
	if err := json.Unmarshal(raw, &m); err != nil {
		return importers.Record{}, fmt.Errorf("not a Twilio message: %w", err)
	}
	if m.Sid == "" && m.Body == "" && m.From == "" {
		return importers.Record{}, errors.New("not a Twilio message: no sid, body or from")
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
