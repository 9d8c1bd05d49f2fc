package csvrows

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"raidtrace/importers"
	"raidtrace/importers/internal/fuzzseed"
	"raidtrace/importers/internal/lineend"
)

// TestRowLimit: a row longer than the limit, on one line or spanning several through a quoted
// field, is reported on the line it starts on and skipped; the rows around it read, on their
// right lines.
func TestRowLimit(t *testing.T) {
	const limit = 32
	long := strings.Repeat("x", limit)
	tests := []struct {
		name, input    string
		rows, problems string
	}{
		{name: "one line", input: "a,b\n1,2\n3," + long + "\n5,6\n",
			rows:     "line 2: [\"1\" \"2\"]\nline 4: [\"5\" \"6\"]\n",
			problems: "line 3 warning=false: record longer than 32 bytes: skipped\n"},
		{name: "at the limit", input: "a,b\n1,2\n3," + long[:limit-2] + "\r\n5,6\n",
			rows: "line 2: [\"1\" \"2\"]\nline 3: [\"3\" \"" + long[:limit-2] + "\"]\nline 4: [\"5\" \"6\"]\n"},
		{name: "quoted over lines", input: "a,b\n1,2\n3,\"" + long[:20] + "\n\"\"\n,\n" + long[:20] + "\"\n5,6\n",
			rows:     "line 2: [\"1\" \"2\"]\nline 7: [\"5\" \"6\"]\n",
			problems: "line 3 warning=false: record longer than 32 bytes: skipped\n"},
		{name: "last row without line end", input: "a,b\n1,2\n3," + long,
			rows:     "line 2: [\"1\" \"2\"]\n",
			problems: "line 3 warning=false: record longer than 32 bytes: skipped\n"},
		{name: "CR line ends", input: "a,b\r1,2\r3," + long + "\r5,6\r",
			rows: "line 2: [\"1\" \"2\"]\nline 4: [\"5\" \"6\"]\n",
			problems: "line 1 warning=true: " + CRProblem.Reason + "\n" +
				"line 3 warning=false: record longer than 32 bytes: skipped\n"},
		{name: "problems in file order", input: "a,b\n1," + long + "\n1,2,3\n4," + long + "\n5,6\n",
			rows: "line 5: [\"5\" \"6\"]\n",
			problems: "line 2 warning=false: record longer than 32 bytes: skipped\n" +
				"line 3 warning=false: row skipped: it has 3 fields, the header has 2\n" +
				"line 4 warning=false: record longer than 32 bytes: skipped\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, problems, err := readLimit(tt.input, limit)
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			if rows != tt.rows {
				t.Errorf("rows:\ngot  %s\nwant %s", rows, tt.rows)
			}
			if problems != tt.problems {
				t.Errorf("problems:\ngot  %s\nwant %s", problems, tt.problems)
			}
		})
	}
	cr, _ := NewReader(strings.NewReader(long+",b\n1,2\n"), limit)
	if _, err := cr.Read(); !errors.Is(err, errHeaderTooLong) {
		t.Errorf("header longer than the limit: got %v, want %v", err, errHeaderTooLong)
	}
}

func readLimit(input string, limit int) (rows, problems string, err error) {
	cr, _ := NewReader(strings.NewReader(input), limit)
	header, err := cr.Read()
	if err != nil {
		return "", "", err
	}
	c := &importers.Collector{}
	var b strings.Builder
	err = Rows(context.Background(), cr, len(header), Exact, c, func(row []string, loc string) error {
		fmt.Fprintf(&b, "%s: %q\n", loc, row)
		return nil
	})
	var p strings.Builder
	for _, pr := range c.Problems {
		fmt.Fprintf(&p, "%s warning=%v: %s\n", pr.Location, pr.Warning, pr.Reason)
	}
	return b.String(), p.String(), err
}

// FuzzSameRows: under the limit, the rows, their lines and the errors are those encoding/csv
// reads from the input directly: the limiter finds every row end where encoding/csv does.
func FuzzSameRows(f *testing.F) {
	seeds := []string{"a,b\n1,2\n", "a,\"b\"\"c\"\r\nd,\"e\nf\"\n", "a\"b,c\n\"\"\"\n", "\"a\"x,b\n\"c\"\r,d\ne\n",
		"a;\"b;c\";d\n", "\"a\"\r\r\n\"b\"\n", "a,b,c\n1,\"2\n3,4,5\n", "\"unclosed\n1,2\n"}
	for _, dir := range []string{"../csvmap/testdata", "../twilio/testdata"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
		for _, name := range files {
			if b, err := os.ReadFile(name); err == nil {
				seeds = append(seeds, string(b))
			}
		}
	}
	for _, s := range seeds {
		f.Add(s, uint8(0))
		for _, v := range fuzzseed.Hostile([]byte(s)) {
			f.Add(string(v), uint8(1))
		}
	}
	f.Fuzz(func(t *testing.T, input string, c uint8) {
		comma := []rune{',', ';', '\t', '|', 'é'}[int(c)%5]
		in := strings.TrimPrefix(input, "\xef\xbb\xbf")
		if lineend.FirstIsCR([]byte(in), true) { // as encoding/csv reads it with each lone CR made a LF
			in = string(lineend.Convert([]byte(in)))
		}
		plain := csv.NewReader(strings.NewReader(in))
		plain.FieldsPerRecord, plain.LazyQuotes, plain.Comma = -1, true, comma
		lim, _ := NewReader(strings.NewReader(input), len(input)+1)
		lim.Comma = comma
		lim.lim.armed = true
		for i := 0; ; i++ {
			want, werr := plain.Read()
			got, gerr := lim.Read()
			if fmt.Sprint(got, gerr) != fmt.Sprint(want, werr) {
				t.Fatalf("row %d: got %q, %v; want %q, %v", i, got, gerr, want, werr)
			}
			if werr == nil {
				gl, _ := lim.FieldPos(0)
				wl, _ := plain.FieldPos(0)
				if gl != wl {
					t.Fatalf("row %d: got line %d, want %d", i, gl, wl)
				}
			}
			if werr == io.EOF {
				return
			}
		}
	})
}
