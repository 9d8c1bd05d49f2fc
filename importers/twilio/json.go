package twilio

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"raidtrace/importers"
)

// ReadJSON reads Twilio API JSON: a list page ({"messages":[…], "page", …}), a single Message
// resource, or a bare array of Message resources; several of them one after the other (pages
// saved into one file) are read in turn. Records are located by JSON pointer ("/messages/3", "/"
// for a single resource), followed by " (document N)" from the second document on. An element
// that is not a Message resource is reported and skipped; a syntax error stops the read with a
// [importers.ParseError] after the records before it have been sent. A message longer than
// opt.RecordLimit() is reported and skipped; one more than four times that long stops the read
// ([importers.ErrRecordTooLong]), since an array cannot be resynchronised safely after it.
func ReadJSON(ctx context.Context, r io.Reader, opt importers.Options, sink importers.Sink) error {
	opt = opt.WithDefaults()
	// One element far longer than the limit stops the read: a JSON array cannot be resynchronised
	// safely after it. One longer than the limit but within the guard is skipped.
	guard := &importers.RecordReader{R: r, Max: 4 * int64(opt.RecordLimit())}
	jr := &jsonReader{dec: json.NewDecoder(guard), guard: guard, opt: opt, ph: importers.NewPhones(opt.Region), sink: sink}
	for jr.doc = 1; ; jr.doc++ {
		if jr.doc > 1 && !jr.dec.More() {
			if _, err := jr.dec.Token(); err != io.EOF {
				if err == nil {
					err = errors.New("unexpected data after the last JSON document")
				}
				return jr.error("/", err)
			}
			return nil
		}
		if err := jr.document(ctx); err != nil {
			return err
		}
	}
}

// jsonReader reads a stream of JSON documents; doc counts them from 1.
type jsonReader struct {
	dec   *json.Decoder
	guard *importers.RecordReader
	opt   importers.Options
	ph    *importers.Phones
	sink  importers.Sink
	doc   int
}

// loc turns a JSON pointer inside the current document into a Location.
func (jr *jsonReader) loc(ptr string) string {
	if jr.doc <= 1 {
		return ptr
	}
	return fmt.Sprintf("%s (document %d)", ptr, jr.doc)
}

// document reads one top-level value.
func (jr *jsonReader) document(ctx context.Context) error {
	dec := jr.dec
	tok, err := dec.Token()
	if err == io.EOF && jr.doc == 1 && dec.InputOffset() == 0 {
		return &importers.ParseError{Location: "/", Err: fmt.Errorf("empty file: %w", importers.ErrNotFormat)}
	}
	if err != nil {
		return jr.error("/", err)
	}
	switch tok {
	case json.Delim('['):
		return jr.array(ctx, "")
	case json.Delim('{'):
	default:
		return &importers.ParseError{Location: jr.loc("/"), Err: fmt.Errorf("want a JSON object or array, got %v: %w", tok, importers.ErrNotFormat)}
	}
	single := map[string]json.RawMessage{}
	list := false
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return jr.error("/", err)
		}
		key, _ := kt.(string)
		if key == "messages" {
			vt, err := dec.Token()
			if err != nil {
				return jr.error("/messages", err)
			}
			switch vt {
			case nil: // "messages": null, an empty page
				list = true
				continue
			case json.Delim('['):
				list = true
				if err := jr.array(ctx, "/messages"); err != nil {
					return err
				}
				continue
			default:
				return &importers.ParseError{Location: jr.loc("/messages"), Err: fmt.Errorf("messages is %v, not an array", vt)}
			}
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return jr.error("/"+key, err)
		}
		jr.guard.Mark()
		single[key] = raw
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return jr.error("/", err)
	}
	if list {
		return nil
	}
	loc := jr.loc("/")
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

// array reads the elements of an array whose '[' has been read, and its ']'.
func (jr *jsonReader) array(ctx context.Context, prefix string) error {
	for i := 0; jr.dec.More(); i++ {
		ptr := fmt.Sprintf("%s/%d", prefix, i)
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		var raw json.RawMessage
		if err := jr.dec.Decode(&raw); err != nil {
			return jr.error(ptr, err)
		}
		jr.guard.Mark()
		loc := jr.loc(ptr)
		if len(raw) > jr.opt.RecordLimit() {
			jr.sink.Problem(importers.Problem{Location: loc, Reason: importers.TooLong(jr.opt.RecordLimit())})
			continue
		}
		rec, err := decodeMessage(raw, loc, jr.opt, jr.ph, jr.sink)
		if err != nil {
			jr.sink.Problem(importers.Problem{Location: loc, Reason: err.Error()})
			continue
		}
		if err := jr.sink.Record(rec); err != nil {
			return err
		}
	}
	if _, err := jr.dec.Token(); err != nil {
		return jr.error(prefix, err)
	}
	return nil
}

// error wraps a decoder error with where it happened; an early end is ErrTruncated.
func (jr *jsonReader) error(ptr string, err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		err = fmt.Errorf("%w: %w", importers.ErrTruncated, err)
	}
	return &importers.ParseError{Location: fmt.Sprintf("%s (byte %d)", jr.loc(ptr), jr.dec.InputOffset()), Err: err}
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
