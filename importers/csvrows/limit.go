package csvrows

import (
	"bufio"
	"bytes"
	"io"
	"strconv"
	"unicode/utf8"

	"raidtrace/importers"
)

// limiter stands between the buffered input and encoding/csv, which holds a whole row in memory
// however long it is. It finds where each row ends as encoding/csv with lazy quotes does (a field
// is quoted when it starts with a quote; inside it a doubled quote is a quote, a quote followed
// by the delimiter or a line end closes it, any other quote is text), and passes each row on once
// its end is seen. A row longer than limit bytes is dropped as it is read, and replaced by as many
// empty lines as it spans, so that encoding/csv numbers the lines after it right; the line it
// starts on is queued in skipped. Before armed is set (while the header is read), such a row is
// an error instead.
type limiter struct {
	r     *bufio.Reader
	comma *rune // the csv.Reader's delimiter, set after the reader is made
	limit int
	armed bool

	rec     []byte // the row being read, or the bytes not yet passed on
	out     []byte
	line    int // line the next row starts on
	skipped []int
	err     error
}

var nl = []byte("\n")

// errHeaderTooLong is returned for a header row longer than the limit.
var errHeaderTooLong = importers.NewReason("csv-header-too-long", "header row longer than the record limit").M().Wrap(nil)

// states of the row scanner
const (
	fieldStart = iota
	unquoted
	quoted
	afterQuote   // a quote inside a quoted field
	afterQuoteCR // a quote then a carriage return
)

func (l *limiter) Read(p []byte) (int, error) {
	for len(l.out) == 0 {
		if l.err != nil {
			return 0, l.err
		}
		l.nextRow()
	}
	n := copy(p, l.out)
	l.out = l.out[n:]
	return n, nil
}

// nextRow reads one row into l.out (or the empty lines that stand for a dropped one) and sets
// l.err at the end of the input.
func (l *limiter) nextRow() {
	var sep [utf8.UTFMax]byte
	comma := sep[:utf8.EncodeRune(sep[:], *l.comma)]
	l.rec = l.rec[:0]
	start := l.line
	lines, size, state, drop := 0, 0, fieldStart, false
	for {
		chunk, err := l.r.ReadSlice('\n')
		size += len(chunk)
		if size > l.limit+2 && !drop { // +2: the line end is no part of the row
			drop = true
			l.rec = l.rec[:0]
		}
		if !drop {
			l.rec = importers.AppendBounded(l.rec, chunk, l.limit+2)
		}
		end := false
		for i := 0; i < len(chunk); i++ {
			// Inside a field, jump to the next byte that can change the state: most of a long
			// row is text.
			switch state {
			case quoted:
				k := bytes.IndexByte(chunk[i:], '"')
				if k < 0 {
					k = len(chunk) - i
				}
				lines += bytes.Count(chunk[i:i+k], nl)
				i += k
			case unquoted:
				k := bytes.IndexByte(chunk[i:], '\n')
				if k < 0 {
					k = len(chunk) - i
				}
				if j := bytes.IndexByte(chunk[i:i+k], comma[0]); j >= 0 {
					k = j
				}
				i += k
			}
			if i == len(chunk) {
				break
			}
			c := chunk[i]
			if c == '\n' {
				lines++
			}
		again:
			switch state {
			case fieldStart:
				switch {
				case c == '"':
					state = quoted
				case c == '\n':
					end = true
				case c == comma[0] && hasPrefix(chunk[i:], comma):
				default:
					state = unquoted
				}
			case unquoted:
				switch {
				case c == '\n':
					end = true
				case c == comma[0] && hasPrefix(chunk[i:], comma):
					state = fieldStart
				}
			case quoted:
				if c == '"' {
					state = afterQuote
				}
			case afterQuote:
				switch {
				case c == '"':
					state = quoted
				case c == '\n':
					end = true
				case c == '\r':
					state = afterQuoteCR
				case c == comma[0] && hasPrefix(chunk[i:], comma):
					state = fieldStart
				default:
					state = quoted
				}
			case afterQuoteCR:
				if c == '\n' {
					end = true
				} else {
					state = quoted
					goto again
				}
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil && (err != io.EOF || size == 0) {
			l.err = err
		} else if err == io.EOF {
			l.err = io.EOF
			if size > 0 {
				lines++ // the last line, without its line end
			}
		}
		if end || l.err != nil {
			break
		}
	}
	l.line += lines
	if !drop && len(l.rec) > l.limit && len(bytesTrimEOL(l.rec)) > l.limit {
		drop = true
	}
	if !drop {
		l.out = l.rec
		return
	}
	if !l.armed {
		l.err = errHeaderTooLong
		return
	}
	l.skipped = append(l.skipped, start)
	l.rec = l.rec[:0]
	for range lines {
		l.rec = append(l.rec, '\n')
	}
	l.out = l.rec
}

// hasPrefix reports whether b starts with the delimiter sep; a delimiter split across two chunks
// of a line longer than the reader's buffer is missed, which only moves where a too-long row is
// found to end when that row is dropped anyway.
func hasPrefix(b, sep []byte) bool {
	return len(sep) == 1 || (len(b) >= len(sep) && string(b[:len(sep)]) == string(sep))
}

// flush reports to sink every dropped row that starts before line (all of them when line is 0).
func (l *limiter) flush(sink importers.Sink, line int) {
	n := 0
	for _, s := range l.skipped {
		if line > 0 && s >= line {
			break
		}
		sink.Problem(importers.TooLong(l.limit).Problem("line " + strconv.Itoa(s)))
		n++
	}
	l.skipped = l.skipped[n:]
}

// bytesTrimEOL returns b without its final "\n" or "\r\n".
func bytesTrimEOL(b []byte) []byte {
	if len(b) > 0 && b[len(b)-1] == '\n' {
		b = b[:len(b)-1]
		if len(b) > 0 && b[len(b)-1] == '\r' {
			b = b[:len(b)-1]
		}
	}
	return b
}
