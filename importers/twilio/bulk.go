package twilio

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"raidtrace/importers"
)

// ReadBulk reads a Twilio BulkExport day file: one Message resource per line, gzip-compressed as
// Twilio serves it or already decompressed (the gzip magic is detected here). Records are located
// by line ("line 12", counted in the decompressed text). A line that is not a message is reported
// and skipped; a gzip stream that ends early stops the read with [importers.ErrTruncated] after
// every whole line before the break has been sent.
var reasonGzipHeader = importers.NewReason("gzip-header-error", "gzip header: {{.Err}}")

func ReadBulk(ctx context.Context, r io.Reader, opt importers.Options, sink importers.Sink) error {
	opt = opt.WithDefaults()
	ph := importers.NewPhones(opt.Region)
	br := bufio.NewReaderSize(r, 64<<10)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return &importers.ParseError{Err: reasonGzipHeader.M("Err", err).Wrap(err)}
		}
		defer zr.Close()
		br = bufio.NewReaderSize(zr, 64<<10)
	}
	lr := lineReader{r: br, limit: opt.RecordLimit()}
	for {
		line, err := lr.next()
		if lr.tooLong {
			sink.Problem(importers.TooLong(lr.limit).Problem(fmt.Sprintf("line %d", lr.n)))
			if err == nil {
				continue
			}
			line = nil
		}
		if err != nil && err != io.EOF {
			if len(line) > 0 { // the stream broke inside this line: it is not a whole record
				return &importers.ParseError{Line: lr.n, Err: readError(err)}
			}
			return &importers.ParseError{Line: lr.n + 1, Err: readError(err)}
		}
		if line == nil { // io.EOF with nothing left
			return nil
		}
		if lr.n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if trimmed := bytes.TrimSpace(line); len(trimmed) > 0 {
			loc := fmt.Sprintf("line %d", lr.n)
			if !utf8.Valid(trimmed) {
				sink.Problem(importers.InvalidUTF8.Warning(loc))
			}
			rec, perr := decodeMessage(trimmed, loc, opt, ph, sink)
			if perr != nil {
				sink.Problem(importers.ErrMsg(perr).Problem(loc))
			} else if err := sink.Record(rec); err != nil {
				return err
			}
		}
		if err == io.EOF {
			return nil
		}
	}
}

func readError(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return importers.Truncated(err)
	}
	return err
}

// lineReader returns lines without their line ending; n is the number of the line last returned.
// A line longer than limit is dropped unread: next returns a nil line with tooLong set. At the
// end it returns a nil line and io.EOF.
type lineReader struct {
	r       *bufio.Reader
	buf     []byte
	n       int
	limit   int
	tooLong bool
}

func (l *lineReader) next() ([]byte, error) {
	line, tooLong, err := importers.ReadLine(l.r, l.buf[:0], l.limit)
	l.buf, l.tooLong = line, tooLong
	if len(line) == 0 && !tooLong {
		if err != nil {
			return nil, err
		}
		l.n++
		return []byte{}, nil // a blank line: not the end
	}
	l.n++
	if tooLong {
		return nil, err
	}
	return line, err
}

// SniffBulk claims BulkExport files: gzip whose text starts with a whole Message resource on its
// first line, or the same text uncompressed.
func SniffBulk(head []byte, _ string) bool {
	if len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(head))
		if err != nil {
			return false
		}
		text, _ := io.ReadAll(io.LimitReader(zr, 64<<10)) // the head cuts the stream: keep what came out
		head = text
	}
	b := bytes.TrimLeft(bytes.TrimPrefix(head, bom), " \t\r\n")
	return isBulkLine(firstLine(b))
}
