// Package csvrows reads the data rows of a delimited text export that starts with a header row
// (gateway logs, spreadsheets): it skips a UTF-8 BOM, reads quoted fields that span lines and
// carriage return line ends (old Mac, with a warning), locates each row by the line it starts
// on, and reports and skips a damaged row (a quoting error, the wrong number of fields) instead
// of stopping, with a warning where an unclosed quote seems to have made one field swallow the
// rows after it.
//
// It must not know any format's columns: the importers read the header and map the fields. It
// only reads, opens no network connection and imports no GUI code.
package csvrows

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"raidtrace/importers"
	"raidtrace/importers/internal/lineend"
)

// bom is the UTF-8 byte order mark some exporters (Excel) write first.
var bom = []byte("\xef\xbb\xbf")

// Reader is a csv.Reader that holds at most one row of a bounded length in memory (see NewReader).
type Reader struct {
	*csv.Reader
	lim *limiter
	// CR is set when the file ends its lines with a carriage return alone (see NewReader).
	CR     bool
	warned bool
}

// CRProblem is the warning [Rows] reports, on line 1, for a file whose lines end with a carriage
// return alone.
var CRProblem = importers.NewReason("csv-cr-line-ends",
	"the file ends its lines with a carriage return alone (old Mac or Excel for Mac export): each was read as a line end").M().Warning("line 1")

// ReasonHeader is the reason of a header row that cannot be read: "header: " and the error.
var ReasonHeader = importers.NewReason("csv-header", "header: {{.Err}}")

var (
	reasonRowSkipped = importers.NewReason("csv-row-skipped", "row skipped: {{.Err}}")
	reasonFields     = importers.NewReason("csv-row-fields", "row skipped: it has {{.N}} fields, the header has {{.Header}}")
	reasonFieldsSpan = importers.NewReason("csv-row-fields-span", "row skipped: it has {{.N}} fields, the header has {{.Header}} (it runs from line {{.From}} to line {{.To}}: an unclosed quote?)")
	reasonSwallowed  = importers.NewReason("csv-swallowed-rows", "a field holds lines that look like rows of their own (the row runs from line {{.From}} to line {{.To}}): an unclosed quote? They were read as part of this row")
)

// NewReader returns a csv.Reader over r past a UTF-8 BOM, reading rows of any number of fields
// (FieldsPerRecord -1) and stray quotes as text (LazyQuotes), and the buffered reader under it,
// on which the header line can be peeked (to choose the delimiter) before the first Read. A row
// longer than limit bytes ([importers.Options.RecordLimit]) is never held: [Rows] reports it and
// skips it, and a header row that long is a read error.
//
// A file whose first line ends with a carriage return alone (old Mac line ends, which
// encoding/csv reads as text, making the whole file one row) is read with every carriage return
// not followed by a line feed taken for one, inside quoted fields too; the Reader's CR is then
// set and Rows warns of it. A lone carriage return in a file whose first line ends with a line
// feed stays text, as encoding/csv reads it.
func NewReader(r io.Reader, limit int) (*Reader, *bufio.Reader) {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, _ := br.Peek(3); bytes.Equal(b, bom) {
		br.Discard(3)
	}
	peek, err := br.Peek(64 << 10)
	cr := lineend.FirstIsCR(peek, err != nil)
	if cr {
		br = bufio.NewReaderSize(lineend.NewReader(br), 64<<10)
	}
	lim := &limiter{r: br, limit: limit, line: 1}
	c := csv.NewReader(lim)
	lim.comma = &c.Comma
	c.FieldsPerRecord = -1
	c.LazyQuotes = true
	return &Reader{Reader: c, lim: lim, CR: cr}, br
}

// Fit says how many fields a row must have for the header's fields.
type Fit int

const (
	// Exact: as many fields as the header.
	Exact Fit = iota
	// TrailingEmpty: as many as the header, or more when the extra ones are empty (a trailing
	// delimiter, as spreadsheets write).
	TrailingEmpty
)

// fits reports whether row fits a header of fields fields.
func (f Fit) fits(row []string, fields int) bool {
	switch {
	case len(row) == fields:
		return true
	case f == TrailingEmpty && len(row) > fields:
		return !slices.ContainsFunc(row[fields:], func(s string) bool { return s != "" })
	}
	return false
}

// Rows reads the rows after the header from cr and calls each with every row that fits a header
// of fields fields and with its location ("line 12", the line it starts on). Blank lines are
// skipped; a row with a quoting error or that does not fit is reported to sink and skipped. It
// stops at the end of the input, at each's first error, when ctx is done, or at a read error
// (returned as an *importers.ParseError naming the byte offset).
//
// A row longer than the reader's limit is reported, in its place among the others, and skipped.
// A file with carriage return line ends ([Reader].CR) gets [CRProblem] first.
func Rows(ctx context.Context, r *Reader, fields int, fit Fit, sink importers.Sink, each func(row []string, loc string) error) error {
	cr := r.Reader
	r.lim.armed = true
	if r.CR && !r.warned {
		r.warned = true
		sink.Problem(CRProblem)
	}
	for n := 0; ; n++ {
		if n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		row, err := cr.Read()
		if err == io.EOF {
			r.lim.flush(sink, 0)
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				r.lim.flush(sink, pe.StartLine)
				sink.Problem(reasonRowSkipped.M("Err", pe.Err).Problem(fmt.Sprintf("line %d", pe.StartLine)))
				continue
			}
			return &importers.ParseError{Location: fmt.Sprintf("byte %d", cr.InputOffset()), Err: err}
		}
		line, _ := cr.FieldPos(0)
		r.lim.flush(sink, line)
		loc := fmt.Sprintf("line %d", line)
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue // a blank line
		}
		if !fit.fits(row, fields) {
			sink.Problem(fieldsProblem(cr, line, len(row), fields).Problem(loc))
			continue
		}
		if slices.ContainsFunc(row, func(f string) bool { return !utf8.ValidString(f) }) {
			sink.Problem(importers.InvalidUTF8.Warning(loc))
		}
		if swallowed(row, cr.Comma, fields) {
			sink.Problem(swallowedProblem(loc, cr, row, line))
		}
		if err := each(row, loc); err != nil {
			return err
		}
	}
}

// fieldsProblem is the reason of a row of n fields skipped for not fitting a header of header
// fields; it says so when the row runs over several lines, which is how an unclosed quote shows:
// the rest of the file may have been read as one field.
func fieldsProblem(cr *csv.Reader, start, n, header int) importers.Msg {
	end, _ := cr.FieldPos(n - 1)
	if end-start < 2 {
		return reasonFields.M("N", n, "Header", header)
	}
	return reasonFieldsSpan.M("N", n, "Header", header, "From", start, "To", end)
}

// swallowed reports whether a multi-line field holds lines that look like rows of their own
// (as many delimiters as a row has), the sign of an unclosed quote that made encoding/csv, with
// lazy quotes, read the following rows into one field.
func swallowed(row []string, comma rune, fields int) bool {
	for _, f := range row {
		if !strings.Contains(f, "\n") {
			continue
		}
		for _, l := range strings.Split(f, "\n")[1:] {
			if fields > 1 && strings.Count(l, string(comma)) >= fields-1 {
				return true
			}
		}
	}
	return false
}

// swallowedProblem is the warning for a row whose fields hold rows of their own; the row ends on
// the line its last field starts on plus the line breaks in that field.
func swallowedProblem(loc string, cr *csv.Reader, row []string, start int) importers.Problem {
	end, _ := cr.FieldPos(len(row) - 1)
	end += strings.Count(row[len(row)-1], "\n")
	return reasonSwallowed.M("From", start, "To", end).Warning(loc)
}

// RepairHeader returns header, as encoding/csv with lazy quotes read it from line (the file's
// first line, without its end of line and BOM), split again when a field still holds a quote:
// the sign of a quoted name with spaces around it (`"From" ; "To"`), which lazy quotes read as
// one field. The fields are then split at each comma outside quotes, spaces around a quoted
// name dropped and doubled quotes undoubled. A header without quotes inside fields is returned
// as it is.
func RepairHeader(header []string, line string, comma rune) []string {
	if !slices.ContainsFunc(header, func(s string) bool { return strings.Contains(s, `"`) }) {
		return header
	}
	line = strings.TrimSuffix(strings.TrimPrefix(line, string(bom)), "\r")
	var out []string
	var b strings.Builder
	quoted, wasQuoted := false, false
	flush := func() {
		f := b.String()
		if wasQuoted {
			f = strings.TrimSpace(f)
		}
		out = append(out, f)
		b.Reset()
		wasQuoted = false
	}
	rs := []rune(line)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case quoted && r == '"' && i+1 < len(rs) && rs[i+1] == '"':
			b.WriteRune('"')
			i++
		case quoted && r == '"':
			quoted = false
		case !quoted && r == '"' && strings.TrimSpace(b.String()) == "":
			b.Reset() // spaces before the opening quote
			quoted, wasQuoted = true, true
		case !quoted && r == comma:
			flush()
		default:
			b.WriteRune(r)
		}
	}
	flush()
	return out
}

// SniffDelimiter picks the delimiter that occurs most often outside quotes in the header line, among comma, semicolon, tab and vertical bar (comma when none occurs): a
// CSV re-saved by a French or German Excel uses semicolons.
func SniffDelimiter(line []byte) rune {
	counts := map[rune]int{}
	quoted := false
	for _, c := range line {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ',' || c == ';' || c == '\t' || c == '|'):
			counts[rune(c)]++
		}
	}
	best, n := ',', 0
	for _, d := range []rune{',', ';', '\t', '|'} {
		if counts[d] > n {
			best, n = d, counts[d]
		}
	}
	return best
}

// ExcelSep reports whether line (a file's first line) is the "sep=;" hint some tools write for
// Excel, and which delimiter it names. The line is no header: the header is on the next line.
func ExcelSep(line []byte) (rune, bool) {
	s := strings.TrimSpace(strings.TrimPrefix(string(line), string(bom)))
	s = strings.Trim(s, `"`)
	rest, ok := strings.CutPrefix(strings.ToLower(s), "sep=")
	if !ok || utf8.RuneCountInString(rest) != 1 {
		return 0, false
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return r, r != '"' && r != '\r' && r != '\n' && r != utf8.RuneError
}

// HeaderLine returns the header line at the start of peek (a file's first bytes after its BOM),
// without its line end, and the delimiter: the one a "sep=" first line names, the header line then
// being the second, else the one [SniffDelimiter] picks. sep is true when there is such a line,
// which the caller must read past. The line ends at a line feed, a carriage return and line feed,
// or a carriage return alone (old Mac line ends). The line returned is a copy.
func HeaderLine(peek []byte) (line []byte, comma rune, sep bool) {
	cut := func(b []byte) ([]byte, []byte) {
		i := bytes.IndexAny(b, "\r\n")
		if i < 0 {
			return b, nil
		}
		l, rest := b[:i], b[i+1:]
		if b[i] == '\r' && len(rest) > 0 && rest[0] == '\n' {
			rest = rest[1:]
		}
		return l, rest
	}
	line, rest := cut(peek)
	if c, ok := ExcelSep(line); ok {
		line, _ = cut(rest)
		return append([]byte(nil), line...), c, true
	}
	return append([]byte(nil), line...), SniffDelimiter(line), false
}
