package jsonerr

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"raidtrace/importers"
)

// arrayOut runs Scanner.Array over in and describes what it handed on, one string per element:
// "/1 {…}" for a valid one, "/1 ! reason" for a problem, "/1 ~ reason" for a warning.
func arrayOut(t *testing.T, in string, limit int) ([]string, error) {
	t.Helper()
	s := NewScanner(iotest.OneByteReader(strings.NewReader(in)), 0, limit)
	var out []string
	err := s.Array("", func(e Element) error {
		switch {
		case e.Warning:
			out = append(out, e.Pointer+" ~ "+e.Problem.String())
		case !e.Problem.IsZero():
			out = append(out, e.Pointer+" ! "+e.Problem.String())
		default:
			out = append(out, e.Pointer+" "+string(e.Raw))
		}
		return nil
	})
	return out, err
}

func TestArray(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string // a problem matches when the output starts with it
		err  string   // the Damage's pointer and the start of its text, "" for none
	}{
		{"clean", `[{"a":1}, {"a":2}]`, []string{`/0 {"a":1}`, `/1 {"a":2}`}, ""},
		{"empty", "[ \n ]", nil, ""},
		{"scalars", `[1, "x,]", true]`, []string{`/0 1`, `/1 "x,]"`, `/2 true`}, ""},
		{"quotes and brackets in strings", `[{"a":"he said \"]\" ,{"},{"a":"\\"}]`,
			[]string{`/0 {"a":"he said \"]\" ,{"}`, `/1 {"a":"\\"}`}, ""},
		{"unquoted value", `[{"a":1,"t":"x"},{"a":2,"t":broken},{"a":3},{"a":4}]`,
			[]string{`/0 {"a":1,"t":"x"}`, `/1 ! not valid JSON: invalid character 'b' looking for beginning of value at byte 28; bytes 17 to 35 skipped`, `/2 {"a":3}`, `/3 {"a":4}`}, ""},
		{"missing closing brace", "[\n {\"a\":1},\n {\"a\":2, \"t\":\"b\",\n {\"a\":3},\n {\"a\":4}\n]",
			[]string{`/0 {"a":1}`, `/1 ! not valid JSON`, `/2 {"a":3}`, `/3 {"a":4}`}, ""},
		{"string cut by an end of line", "[\n{\"a\":1,\n\"t\":\"x},\n{\"a\":2}\n]",
			[]string{`/0 ! not valid JSON`, `/1 {"a":2}`}, ""},
		{"missing quote on one line", `[{"a":1,"t":"x},{"a":2,"t":"y"},{"a":3,"t":"z"}]`,
			[]string{`/0 ! not valid JSON`, `/1 {"a":2,"t":"y"}`, `/2 {"a":3,"t":"z"}`}, ""},
		{"missing quote, siblings known", `[{"a":0},{"a":1,"t":"x},{"b":9},{"a":2,"t":"y"}]`,
			[]string{`/0 {"a":0}`, `/1 ! not valid JSON`, `/2 {"a":2,"t":"y"}`}, ""},
		{"missing comma", `[{"a":1} {"a":2},{"a":3}]`, []string{`/0 {"a":1}`, `/1 {"a":2}`, `/2 {"a":3}`}, ""},
		{"stray commas", `[{"a":1},,{"a":2},]`,
			[]string{`/0 {"a":1}`, `/1 ~ stray comma at byte 9`, `/1 {"a":2}`, `/2 ~ stray comma at byte 17`}, ""},
		{"too long", `[{"a":1},{"a":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},{"a":3}]`,
			[]string{`/0 {"a":1}`, `/1 ! ` + importers.TooLong(32).String(), `/2 {"a":3}`}, ""},
		{"truncated element", `[{"a":1},{"a":2},{"a":3,"t":"x`,
			[]string{`/0 {"a":1}`, `/1 {"a":2}`}, "/2 file ends in the middle of a record (truncated): the file ends inside this element; the last 13 bytes of the file, from byte 17,"},
		{"array not closed", "[{\"a\":1},{\"a\":2}\n",
			[]string{`/0 {"a":1}`, `/1 {"a":2}`}, "/2 file ends in the middle of a record (truncated): the file ends before the array is closed"},
		{"cut after a comma", `[{"a":1},`, []string{`/0 {"a":1}`}, "/1 file ends in the middle of a record (truncated)"},
		{"damaged then truncated", `[{"a":1},{"a":2,"t":"x},{"a":3},{"a":4,"t`,
			[]string{`/0 {"a":1}`, `/1 ! not valid JSON`, `/2 {"a":3}`}, "/3 file ends in the middle of a record (truncated)"},
		{"not an array", `{"a":1}`, nil, `# (byte 0): '{' where an array should begin`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			limit := 1 << 10
			if strings.HasPrefix(tt.name, "too long") {
				limit = 32
			}
			got, err := arrayOut(t, tt.in, limit)
			if len(got) != len(tt.want) {
				t.Fatalf("elements: got %q, want %q", got, tt.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("element %d: got %q, want %q", i, got[i], tt.want[i])
				}
			}
			var d *Damage
			switch {
			case tt.err == "" && err != nil:
				t.Errorf("error: got %v, want none", err)
			case tt.err != "" && !errors.As(err, &d):
				t.Errorf("error: got %v, want a *Damage %q", err, tt.err)
			case tt.err != "" && !strings.HasPrefix(d.Pointer+" "+d.Err.Error(), tt.err) && !strings.HasPrefix(d.Error(), tt.err):
				t.Errorf("error: got %s %v, want %q", d.Pointer, d.Err, tt.err)
			}
			if d != nil && strings.Contains(tt.err, "truncated") && !errors.Is(err, importers.ErrTruncated) {
				t.Errorf("error %v does not wrap ErrTruncated", err)
			}
		})
	}
}

// TestArrayOffsets checks that offsets stay exact after a resynchronisation gives bytes back.
func TestArrayOffsets(t *testing.T) {
	in := "[\n  {\"a\":1,\"t\":\"x},   \n  {\"a\":2}  ,\n  {\"a\":3}\n]"
	s := NewScanner(strings.NewReader(in), 100, 1<<20)
	var got []string
	err := s.Array("/list", func(e Element) error {
		got = append(got, fmt.Sprintf("%s@%d", e.Pointer, e.Offset))
		if e.Raw != nil && in[e.Offset-100] != '{' {
			t.Errorf("%s: offset %d is not the element's '{'", e.Pointer, e.Offset)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := "/list/0@104 /list/1@125 /list/2@138"; strings.Join(got, " ") != want {
		t.Errorf("got %s, want %s", strings.Join(got, " "), want)
	}
	if s.Offset() != int64(100+len(in)) {
		t.Errorf("offset at the end: got %d, want %d", s.Offset(), 100+len(in))
	}
}

func TestObject(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
		err  string
	}{
		{"envelope", `{"events":[{"a":1},{"a":2}],"apps":{"1":{"name":"x"}}, "n" : 0}`,
			[]string{`/events/0 {"a":1}`, `/events/1 {"a":2}`, `/apps {"1":{"name":"x"}}`, `/n 0`}, ""},
		{"truncated in the array", `{"events":[{"a":1},{"a":2},{"a":3,`,
			[]string{`/events/0 {"a":1}`, `/events/1 {"a":2}`}, "/events/2 file ends in the middle of a record (truncated)"},
		{"bad value", `{"x":tru,"y":1}`, []string{`/x ! not valid JSON`, `/y 1`}, ""},
		{"bad key", `{"a":1, b:2, "c/~":3}`, []string{`/a 1`, ` ! not a "key": value member; bytes 8 to 11 skipped`, `/c~1~0 3`}, ""},
		{"junk after an array", `{"events":[{"a":1}] x,"y":2}`,
			[]string{`/events/0 {"a":1}`, `/events ! unexpected bytes after the value; bytes 20 to 21 skipped`, `/y 2`}, ""},
		{"not closed", `{"a":1`, nil, "/a file ends in the middle of a record (truncated): the file ends inside this value"},
		{"key without value", `{"a":`, nil, "/a file ends in the middle of a record (truncated)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewScanner(iotest.HalfReader(strings.NewReader(tt.in)), 0, 1<<10)
			var got []string
			err := s.Object("", func(m *Member) error {
				if !m.Problem.IsZero() {
					got = append(got, m.Pointer+" ! "+m.Problem.String())
					return nil
				}
				if m.Kind() == '[' {
					return m.Elements(func(e Element) error {
						got = append(got, e.Pointer+" "+string(e.Raw)+e.Problem.String())
						return nil
					})
				}
				raw, problem, err := m.Value()
				if !problem.IsZero() {
					got = append(got, m.Pointer+" ! "+problem.String())
				} else if err == nil {
					got = append(got, m.Pointer+" "+string(raw))
				}
				return err
			})
			if len(got) != len(tt.want) {
				t.Fatalf("members: got %q, want %q", got, tt.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("member %d: got %q, want %q", i, got[i], tt.want[i])
				}
			}
			var d *Damage
			switch {
			case tt.err == "" && err != nil:
				t.Errorf("error: got %v, want none", err)
			case tt.err != "" && (!errors.As(err, &d) || !strings.HasPrefix(d.Pointer+" "+d.Err.Error(), tt.err)):
				t.Errorf("error: got %v, want %q", err, tt.err)
			}
		})
	}
}

// FuzzScanner: Array never panics and never hands on invalid JSON; on a valid array it hands on
// exactly the elements encoding/json finds, with no problem.
func FuzzScanner(f *testing.F) {
	for _, s := range []string{`[{"a":1},{"a":2}]`, `[{"a":1,"t":"x},{"a":2}]`, "[\n{\"a\":\"\\\"]\"},\n{\"b\":[1,{}]}\n]",
		`[1,,2,]`, `[{"a":1} {"a":2}]`, `[{"a":[}],{"a":{]}]`, `[`, `[{"a":"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if !strings.HasPrefix(in, "[") {
			in = "[" + in
		}
		s := NewScanner(strings.NewReader(in), 0, 64)
		var got []string
		problems := 0
		last := int64(-1)
		err := s.Array("", func(e Element) error {
			if e.Offset <= last && !e.Warning {
				t.Fatalf("offset %d after %d", e.Offset, last)
			}
			if !e.Warning {
				last = e.Offset
			}
			if !e.Problem.IsZero() {
				problems++
				return nil
			}
			if !json.Valid(e.Raw) {
				t.Fatalf("element %s handed on but not valid JSON: %q", e.Pointer, e.Raw)
			}
			got = append(got, string(e.Raw))
			return nil
		})
		var want []json.RawMessage
		if json.Unmarshal([]byte(in), &want) == nil {
			if err != nil || problems > 0 {
				t.Fatalf("valid array %q: error %v, %d problems", in, err, problems)
			}
			var ws []string
			for _, w := range want {
				if len(w) > 64 {
					return // skipped as too long: counted as a problem above
				}
				ws = append(ws, string(w))
			}
			if fmt.Sprint(got) != fmt.Sprint(ws) {
				t.Fatalf("valid array %q: got %q, want %q", in, got, ws)
			}
		}
	})
}

// TestEndOfLineRest: after a value, EndOfLine tells whether the line ends there, and Rest hands
// on the input the scanner has not read, including what it read ahead or gave back.
func TestEndOfLineRest(t *testing.T) {
	tests := []struct {
		name, in string
		end      bool
		rest     string
	}{
		{"line end", "[1,2] \t\r\nnext line\n", true, "next line\n"},
		{"end of input", "[1,2]  ", true, ""},
		{"value on the same line", `[1,2] {"a":1}` + "\n", false, `{"a":1}` + "\n"},
		{"after a resynchronisation", `[{"k":1},{"k":2,"x":"cut` + "\n" + `,{"k":3}]` + "\nrest\n", true, "rest\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, oneByte := range []bool{false, true} {
				r := io.Reader(strings.NewReader(tt.in))
				if oneByte {
					r = iotest.OneByteReader(r)
				}
				s := NewScanner(r, 0, 1<<10)
				if err := s.Array("", func(Element) error { return nil }); err != nil {
					t.Fatal(err)
				}
				end, err := s.EndOfLine()
				if err != nil || end != tt.end {
					t.Errorf("EndOfLine: got %v, %v; want %v", end, err, tt.end)
				}
				off := s.Offset()
				rest, _ := io.ReadAll(s.Rest())
				if string(rest) != tt.rest || int(off)+len(rest) != len(tt.in) {
					t.Errorf("Rest: got %q at offset %d, want %q at %d", rest, off, tt.rest, len(tt.in)-len(tt.rest))
				}
			}
		})
	}
}
