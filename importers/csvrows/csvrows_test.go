package csvrows

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"raidtrace/importers"
	"raidtrace/importers/internal/fuzzseed"
)

// read runs Rows over input (header first) and returns what each saw and the problems, one a line.
func read(t testing.TB, input string, fit Fit, comma rune) (rows, problems string, err error) {
	cr, _ := NewReader(strings.NewReader(input), importers.DefaultMaxRecord)
	if comma != 0 {
		cr.Comma = comma
	}
	header, err := cr.Read()
	if err != nil {
		return "", "", err
	}
	c := &importers.Collector{}
	var b strings.Builder
	err = Rows(context.Background(), cr, len(header), fit, c, func(row []string, loc string) error {
		fmt.Fprintf(&b, "%s: %q\n", loc, row)
		return nil
	})
	var p strings.Builder
	for _, pr := range c.Problems {
		fmt.Fprintf(&p, "%s warning=%v: %s\n", pr.Location, pr.Warning, pr.Reason)
	}
	return b.String(), p.String(), err
}

func TestRows(t *testing.T) {
	tests := []struct {
		name, input    string
		fit            Fit
		comma          rune
		rows, problems string
	}{
		{name: "plain with BOM and CRLF", input: "\xef\xbb\xbffrom,body\r\n+33612345678,hello\r\n+33698765432,bye\r\n",
			rows: "line 2: [\"+33612345678\" \"hello\"]\nline 3: [\"+33698765432\" \"bye\"]\n"},
		{name: "blank lines skipped", input: "from,body\n\na,b\n   \nc,d\n",
			rows: "line 3: [\"a\" \"b\"]\nline 5: [\"c\" \"d\"]\n"},
		{name: "multi-line field located where it starts", input: "from,body\na,\"two\nlines\"\nc,d\n",
			rows: "line 2: [\"a\" \"two\\nlines\"]\nline 4: [\"c\" \"d\"]\n"},
		{name: "exact: too many fields", input: "from,body\na,b,\nc,d\n",
			rows:     "line 3: [\"c\" \"d\"]\n",
			problems: "line 2 warning=false: row skipped: it has 3 fields, the header has 2\n"},
		{name: "trailing empty allowed", input: "from,body\na,b,\nc,d,e\n", fit: TrailingEmpty,
			rows:     "line 2: [\"a\" \"b\" \"\"]\n",
			problems: "line 3 warning=false: row skipped: it has 3 fields, the header has 2\n"},
		{name: "too few fields", input: "from,body,date\na,b\n", fit: TrailingEmpty,
			problems: "line 2 warning=false: row skipped: it has 2 fields, the header has 3\n"},
		{name: "unclosed quote swallows rows", input: "from,body,date\na,\"oops,1\nb,c,2\nd,e,3\n",
			problems: "line 2 warning=false: row skipped: it has 2 fields, the header has 3\n"},
		{name: "skipped row over several lines", input: "from,body\na,\"x\ny\nz\",c,d\ne,f\n",
			rows:     "line 5: [\"e\" \"f\"]\n",
			problems: "line 2 warning=false: row skipped: it has 4 fields, the header has 2 (it runs from line 2 to line 4: an unclosed quote?)\n"},
		{name: "swallowed rows in a fitting row", input: "from,body\na,\"oops\nb,c\nd,e\"\n",
			rows:     "line 2: [\"a\" \"oops\\nb,c\\nd,e\"]\n",
			problems: "line 2 warning=true: a field holds lines that look like rows of their own (the row runs from line 2 to line 4): an unclosed quote? They were read as part of this row\n"},
		{name: "CR line ends", input: "\xef\xbb\xbffrom,body\r+33612345678,hello\r\r+33698765432,\"two\rlines\"\r",
			rows:     "line 2: [\"+33612345678\" \"hello\"]\nline 4: [\"+33698765432\" \"two\\nlines\"]\n",
			problems: "line 1 warning=true: " + CRProblem.Reason + "\n"},
		{name: "CR line ends, last without", input: "from,body\ra,b\r\nc,\"x\ny\"\rd,e",
			rows:     "line 2: [\"a\" \"b\"]\nline 3: [\"c\" \"x\\ny\"]\nline 5: [\"d\" \"e\"]\n",
			problems: "line 1 warning=true: " + CRProblem.Reason + "\n"},
		{name: "lone CR in a LF file is text", input: "from,body\r\na,b\rc\nd,\"e\rf\"\r\n",
			rows: "line 2: [\"a\" \"b\\rc\"]\nline 3: [\"d\" \"e\\rf\"]\n"},
		{name: "semicolons", input: "from;body\na;\"x\ny;z\"\n", comma: ';',
			rows:     "line 2: [\"a\" \"x\\ny;z\"]\n",
			problems: "line 2 warning=true: a field holds lines that look like rows of their own (the row runs from line 2 to line 3): an unclosed quote? They were read as part of this row\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, problems, err := read(t, tt.input, tt.fit, tt.comma)
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if rows != tt.rows {
				t.Errorf("rows:\n got %s\nwant %s", rows, tt.rows)
			}
			if problems != tt.problems {
				t.Errorf("problems:\n got %s\nwant %s", problems, tt.problems)
			}
		})
	}
}

func TestRowsStops(t *testing.T) {
	stop := errors.New("sink full")
	cr, _ := NewReader(strings.NewReader("a,b\n1,2\n3,4\n"), importers.DefaultMaxRecord)
	cr.Read()
	n := 0
	err := Rows(context.Background(), cr, 2, Exact, &importers.Collector{}, func([]string, string) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("each failing: got %v after %d rows, want %v after 1", err, n, stop)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cr, _ = NewReader(strings.NewReader("a,b\n1,2\n"), importers.DefaultMaxRecord)
	cr.Read()
	if err := Rows(ctx, cr, 2, Exact, &importers.Collector{}, func([]string, string) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v, want context.Canceled", err)
	}
}

func FuzzRows(f *testing.F) {
	for _, s := range []string{"from,body\na,b\n", "a,b\n\"x\ny,z\"\n", "\xef\xbb\xbfa\n\n", "a,b,c\n1,\"2\n3,4,5\n", "a\"b,c\n\"\"\"\n"} {
		f.Add(s, uint8(0))
		for _, v := range fuzzseed.Hostile([]byte(s)) {
			f.Add(string(v), uint8(1))
		}
	}
	f.Fuzz(func(t *testing.T, input string, fit uint8) {
		cr, _ := NewReader(strings.NewReader(input), importers.DefaultMaxRecord)
		header, err := cr.Read()
		if err != nil {
			return
		}
		header = append([]string(nil), header...)
		c := &importers.Collector{}
		err = Rows(context.Background(), cr, len(header), Fit(fit%2), c, func(row []string, loc string) error {
			if len(row) < len(header) || !strings.HasPrefix(loc, "line ") {
				t.Errorf("row %q at %q for a header of %d fields", row, loc, len(header))
			}
			return nil
		})
		if err != nil {
			t.Errorf("got error %v on in-memory input", err)
		}
	})
}

func TestRepairHeader(t *testing.T) {
	tests := []struct {
		line  string
		comma rune
		want  []string
	}{
		{`"MESSAGE UUID" ; " Message  Time " ;"a;b";"x""y"`, ';', []string{"MESSAGE UUID", "Message  Time", "a;b", `x"y`}},
		{"\ufeff\"From\" , \"To\",Body\r", ',', []string{"From", "To", "Body"}},
		{`From,To,Body`, ',', []string{"From", "To", "Body"}}, // nothing to repair
		{`"From","To"`, ',', []string{"From", "To"}},
		{`"unclosed,To`, ',', []string{"unclosed,To"}},
	}
	for _, tt := range tests {
		cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(tt.line, "\ufeff")))
		cr.Comma = tt.comma
		cr.LazyQuotes = true
		cr.FieldsPerRecord = -1
		header, err := cr.Read()
		if err != nil {
			t.Fatalf("%q: %v", tt.line, err)
		}
		if got := RepairHeader(header, tt.line, tt.comma); !slices.Equal(got, tt.want) {
			t.Errorf("RepairHeader(%q) = %q, want %q (csv read %q)", tt.line, got, tt.want, header)
		}
	}
}

func TestRowsInvalidUTF8(t *testing.T) {
	cr, _ := NewReader(strings.NewReader("from,body\nx,caf\xe9\ny,été\n"), importers.DefaultMaxRecord)
	if _, err := cr.Read(); err != nil {
		t.Fatal(err)
	}
	var c importers.Collector
	var rows []string
	err := Rows(context.Background(), cr, 2, Exact, &c, func(row []string, loc string) error {
		rows = append(rows, loc+" "+row[1])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"line 2 caf\xe9", "line 3 été"}; !slices.Equal(rows, want) {
		t.Errorf("rows: got %q, want %q", rows, want)
	}
	if len(c.Problems) != 1 || c.Problems[0].Location != "line 2" || c.Problems[0].Reason != importers.InvalidUTF8.String() || !c.Problems[0].Warning {
		t.Errorf("problems: got %v, want one invalid UTF-8 warning on line 2", c.Problems)
	}
}

func TestHeaderLine(t *testing.T) {
	tests := []struct {
		in    string
		line  string
		comma rune
		sep   bool
	}{
		{"a;b;c\r\n1;2;3\n", "a;b;c", ';', false},
		{"a;b;c\r1;2;3\r", "a;b;c", ';', false},
		{"sep=|\ra|b\r1|2\r", "a|b", '|', true},
		{"a,b\r", "a,b", ',', false},
		{"sep=;\r\na;b\r\n1;2\n", "a;b", ';', true},
		{"\"sep=|\"\na|b\n", "a|b", '|', true},
		{"SEP=,\na,b", "a,b", ',', true},
		{"sep=;;\na;b\n", "sep=;;", ';', false}, // not the hint: two characters
		{"sep=\na\n", "sep=", ',', false},
		{"", "", ',', false},
	}
	for _, tt := range tests {
		line, comma, sep := HeaderLine([]byte(tt.in))
		if string(line) != tt.line || comma != tt.comma || sep != tt.sep {
			t.Errorf("HeaderLine(%q) = %q, %q, %v; want %q, %q, %v", tt.in, line, comma, sep, tt.line, tt.comma, tt.sep)
		}
	}
}
