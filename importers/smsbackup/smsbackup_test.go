package smsbackup

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"
	"unicode/utf8"

	"raidtrace/importers"
	"raidtrace/importers/internal/fuzzseed"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const samplesDir = "../../../shared/samples/sms-backup-restore"

func samples(t testing.TB) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(samplesDir, "*.xml"))
	if len(files) == 0 {
		t.Skipf("no samples in %s (the shared samples folder is absent); skipping", samplesDir)
	}
	return files
}

func read(t testing.TB, data []byte) (*importers.Collector, error) {
	t.Helper()
	var c importers.Collector
	err := Read(context.Background(), bytes.NewReader(data), importers.Options{}, &c)
	return &c, err
}

// elementEnds decodes data independently of Read (plain encoding/xml, no repairs) and returns the
// stream offset just after each <sms> and <mms> element directly under the root, the offset just
// after the root start tag, and the offset just after </smses> (0 if absent).
func elementEnds(t *testing.T, data []byte) (ends []int64, rootStart, rootEnd int64) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	depth := 0
	for {
		tok, err := d.Token()
		if err != nil {
			return ends, rootStart, rootEnd
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 1 {
				rootStart = d.InputOffset()
			}
		case xml.EndElement:
			depth--
			if depth == 1 && (t.Name.Local == "sms" || t.Name.Local == "mms") {
				ends = append(ends, d.InputOffset())
			}
			if depth == 0 {
				rootEnd = d.InputOffset()
			}
		}
	}
}

var elementRE = regexp.MustCompile(`<(sms|mms)[\s/>]`)

// TestSamples checks that every real sample gives exactly one record per <sms> and <mms>
// element, counted here with a regular expression, and no skipped record.
func TestSamples(t *testing.T) {
	for _, file := range samples(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]int{}
			for _, m := range elementRE.FindAllSubmatch(data, -1) {
				want[string(m[1])]++
			}
			c, err := read(t, data)
			if err != nil {
				t.Fatalf("Read: got error %v, want nil", err)
			}
			got := map[string]int{}
			seen := map[string]bool{}
			for _, r := range c.Records {
				kind := "sms"
				if strings.Contains(r.Location, "/mms[") {
					kind = "mms"
				}
				got[kind]++
				if seen[r.Location] {
					t.Errorf("location %q given twice", r.Location)
				}
				seen[r.Location] = true
				if r.RawTime == "" || r.Time.IsZero() {
					t.Errorf("%s: got time %v (raw %q), want a time", r.Location, r.Time, r.RawTime)
				}
			}
			if got["sms"] != want["sms"] || got["mms"] != want["mms"] {
				t.Errorf("got %d sms and %d mms records, want %d and %d", got["sms"], got["mms"], want["sms"], want["mms"])
			}
			// The samples are clean exports (the header comment's bare "&" included): no problem
			// but the warning that an MMS without a From address got its sender from `address`.
			for _, p := range c.Problems {
				if !p.Warning || !strings.HasPrefix(p.Reason, "no From address") {
					t.Errorf("got problem %v (warning %v), want none", p, p.Warning)
				}
			}
		})
	}
}

// TestTruncated cuts each sample (and each fixture) at many byte offsets: the records completed
// before the cut are imported, identical to those of the whole file, and the truncation is
// returned and reported.
func TestTruncated(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(samplesDir, "*.xml"))
	for _, f := range []string{"surrogates.xml", "group.xml", "quotes.xml"} {
		files = append(files, filepath.Join("testdata", f))
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			full, err := read(t, data)
			if err != nil {
				t.Fatal(err)
			}
			ends, rootStart, rootEnd := elementEnds(t, data)
			if rootEnd == 0 {
				t.Fatalf("%s has no </smses>", file)
			}
			step := len(data)/400 + 1
			for cut := 0; cut < len(data); cut += step {
				c, err := read(t, data[:cut])
				want := 0
				for _, e := range ends {
					if e <= int64(cut) {
						want++
					}
				}
				if len(c.Records) != want {
					t.Errorf("cut at %d: got %d records, want %d", cut, len(c.Records), want)
				}
				for i := range min(len(c.Records), len(full.Records)) {
					g, w := c.Records[i], full.Records[i]
					if g.Location != w.Location || g.Text != w.Text || !g.Time.Equal(w.Time) {
						t.Errorf("cut at %d: record %d is %s %q, want %s %q", cut, i, g.Location, g.Text, w.Location, w.Text)
					}
				}
				var pe *importers.ParseError
				switch {
				case int64(cut) >= rootEnd:
					if err != nil {
						t.Errorf("cut at %d (after </smses>): got error %v, want nil", cut, err)
					}
				case int64(cut) < rootStart:
					if !errors.Is(err, importers.ErrNotFormat) && !errors.Is(err, importers.ErrTruncated) {
						t.Errorf("cut at %d (before the root): got error %v, want ErrNotFormat or ErrTruncated", cut, err)
					}
				case !errors.Is(err, importers.ErrTruncated) || !errors.As(err, &pe):
					t.Errorf("cut at %d: got error %v, want a *ParseError wrapping ErrTruncated", cut, err)
				default:
					reported := false
					for _, p := range c.Problems {
						reported = reported || !p.Warning && strings.Contains(p.Reason, "truncated")
					}
					if !reported {
						t.Errorf("cut at %d: truncation not reported as a problem; got %v", cut, c.Problems)
					}
					if s := skippedProblems(asCaseFile(c, err)); len(s) != 1 {
						t.Errorf("cut at %d: got skipped problems %v, want one (the truncation, reported once)", cut, s)
					}
				}
			}
		})
	}
}

// TestGolden reads every fixture in testdata and compares records, problems and error with
// testdata/NAME.golden.json (go test -run TestGolden -update rewrites them).
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.xml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			c, rerr := read(t, data)
			out := struct {
				Records  []importers.Record
				Problems []importers.Problem
				Error    string `json:",omitempty"`
			}{c.Records, c.Problems, ""}
			if rerr != nil {
				out.Error = rerr.Error()
			}
			got, err := json.MarshalIndent(out, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := strings.TrimSuffix(file, ".xml") + ".golden.json"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s: output differs from %s; got:\n%s", file, golden, got)
			}
		})
	}
}

func fixture(t *testing.T, name string) *importers.Collector {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	c, err := read(t, data)
	if err != nil {
		t.Fatalf("Read %s: got error %v, want nil", name, err)
	}
	return c
}

func warnings(c *importers.Collector, loc string) []string {
	var ws []string
	for _, p := range c.Problems {
		if p.Location == loc {
			ws = append(ws, p.Reason)
		}
	}
	return ws
}

var timesRE = regexp.MustCompile(`\((\d+) times\)`)

// replacements counts the replacements the warnings ws report ("… (3 times)" counts 3).
func replacements(ws []string) int {
	n := 0
	for _, w := range ws {
		if m := timesRE.FindStringSubmatch(w); m != nil {
			k, _ := strconv.Atoi(m[1])
			n += k
		} else {
			n++
		}
	}
	return n
}

// TestManyReplacements: a body of 100,000 control characters imports, with its replacements
// reported in a bounded number of warnings.
func TestManyReplacements(t *testing.T) {
	body := strings.Repeat("\x01&#2;", 50_000)
	data := "<smses><sms address='1' date='1500000000000' type='1' body='" + body + "'/></smses>"
	c, err := read(t, []byte(data))
	if err != nil || len(c.Records) != 1 {
		t.Fatalf("got %d records, %v; want 1, nil", len(c.Records), err)
	}
	if got, want := c.Records[0].Text, strings.Repeat("\uFFFD", 100_000); got != want {
		t.Errorf("got text of %d bytes, want %d U+FFFD", len(got), 100_000)
	}
	if len(c.Problems) > 3 {
		t.Errorf("got %d warnings, want at most 3", len(c.Problems))
	}
	if got := replacements(warnings(c, c.Records[0].Location)); got < maxFixes {
		t.Errorf("got %d replacements counted, want at least %d", got, maxFixes)
	}
	for _, p := range c.Problems {
		t.Log(p)
	}
}

func TestSurrogateEntities(t *testing.T) {
	c := fixture(t, "surrogates.xml")
	tests := []struct {
		text     string
		warnings int
	}{
		{"Yup \U0001F44C", 0},
		{"hey \U0001F609 \U0001F38A\U0001F384 ", 0},
		{"☂\n\U0001F3A7 ⛪\uFE0F\n", 0},
		{"hex \U0001F600 and \U0001F600", 0},
		{"lone high \uFFFD then text", 1},
		{"lone low \uFFFD, reversed \uFFFD\uFFFD", 3},
	}
	if len(c.Records) != len(tests) {
		t.Fatalf("got %d records, want %d", len(c.Records), len(tests))
	}
	for i, tt := range tests {
		r := c.Records[i]
		if r.Text != tt.text {
			t.Errorf("%s: got text %q, want %q", r.Location, r.Text, tt.text)
		}
		ws := warnings(c, r.Location)
		if replacements(ws) != tt.warnings {
			t.Errorf("%s: got warnings %q, want %d", r.Location, ws, tt.warnings)
		}
		for _, w := range ws {
			if !strings.Contains(w, "lone surrogate") {
				t.Errorf("%s: got warning %q, want one about a lone surrogate", r.Location, w)
			}
		}
	}
}

func TestControlCharacters(t *testing.T) {
	c := fixture(t, "control.xml")
	tests := []struct {
		text     string
		warnings int
	}{
		{"entity \uFFFD here", 1},
		{"raw \uFFFD and \uFFFD[0m here", 2},
		{"nul \uFFFD ffff \uFFFD big \uFFFD tab\tok", 3},
		{"fish & chips &eacute; &#12 x & <3", 3},
		{"bad utf8 \uFFFD\uFFFD end", 2},
	}
	if len(c.Records) != len(tests) {
		t.Fatalf("got %d records, want %d", len(c.Records), len(tests))
	}
	for i, tt := range tests {
		r := c.Records[i]
		if r.Text != tt.text {
			t.Errorf("%s: got text %q, want %q", r.Location, r.Text, tt.text)
		}
		if ws := warnings(c, r.Location); replacements(ws) != tt.warnings {
			t.Errorf("%s: got warnings %q, want %d", r.Location, ws, tt.warnings)
		}
	}
}

// TestEncodings checks that UTF-16 (both byte orders) and ISO-8859-1 files give the same
// records as their UTF-8 originals.
func TestEncodings(t *testing.T) {
	tests := []struct{ file, original string }{
		{"utf16le.xml", "quotes.xml"},
		{"utf16be.xml", "surrogates.xml"},
		{"latin1.xml", "quotes.xml"},
	}
	for _, tt := range tests {
		got, want := fixture(t, tt.file), fixture(t, tt.original)
		if len(got.Records) != len(want.Records) || len(got.Records) == 0 {
			t.Fatalf("%s: got %d records, want %d", tt.file, len(got.Records), len(want.Records))
		}
		for i := range got.Records {
			g, w := got.Records[i], want.Records[i]
			if g.Text != w.Text || g.Sender != w.Sender || !g.Time.Equal(w.Time) || g.Location != w.Location {
				t.Errorf("%s: got %s %q from %+v, want %s %q from %+v", tt.file, g.Location, g.Text, g.Sender, w.Location, w.Text, w.Sender)
			}
		}
	}
}

func TestQuotesAndNewlines(t *testing.T) {
	c := fixture(t, "quotes.xml")
	tests := []struct {
		text string
		name string
		e164 string
	}{
		{`c'est "cité" ici`, "Léa", "+33612345678"},
		{"line one\nline two\nline three\r\nend", "", "+33612345678"},
		{`mixed "quotes" & 'apos'`, "", "+33612345678"},
	}
	for i, tt := range tests {
		r := c.Records[i]
		party := r.Sender
		if r.Direction == importers.Outgoing {
			party = r.Recipients[0]
		}
		if r.Text != tt.text || party.Name != tt.name || party.E164 != tt.e164 {
			t.Errorf("%s: got %q %q %q, want %q %q %q", r.Location, r.Text, party.Name, party.E164, tt.text, tt.name, tt.e164)
		}
	}
}

func TestDates(t *testing.T) {
	c := fixture(t, "dates.xml")
	tests := []struct {
		time    string // RFC 3339 with ms, or "" for zero
		dir     importers.Direction
		warning bool
	}{
		{"2017-02-01T03:51:24.000Z", importers.Incoming, false},
		{"2017-02-01T03:51:24.000Z", importers.Incoming, false},
		{"5138-11-16T09:46:39.000Z", importers.Incoming, true},
		{"1973-03-03T09:46:40.000Z", importers.Incoming, true},
		{"", importers.Incoming, true},
		{"", importers.Incoming, true},
		{"", importers.Outgoing, true},
		{"2017-02-01T03:51:24.000Z", importers.Unknown, true},
		{"2017-02-01T03:51:24.000Z", importers.Outgoing, false},
		{"2017-02-01T03:51:24.000Z", importers.Outgoing, false},
		{"2017-02-01T03:51:24.000Z", importers.Outgoing, false},
		{"2017-02-01T03:51:24.000Z", importers.Outgoing, false},
	}
	if len(c.Records) != len(tests) {
		t.Fatalf("got %d records, want %d", len(c.Records), len(tests))
	}
	for i, tt := range tests {
		r := c.Records[i]
		got := ""
		if !r.Time.IsZero() {
			got = r.Time.Format("2006-01-02T15:04:05.000Z07:00")
		}
		if got != tt.time || r.Direction != tt.dir {
			t.Errorf("%s (%q): got time %q direction %q, want %q %q", r.Location, r.Text, got, r.Direction, tt.time, tt.dir)
		}
		if w := len(warnings(c, r.Location)) > 0; w != tt.warning {
			t.Errorf("%s (%q): got warnings %q, want warning %v", r.Location, r.Text, warnings(c, r.Location), tt.warning)
		}
	}
	group := c.Records[len(c.Records)-1].Recipients
	if len(group) != 2 || group[0].E164 != "+33611111111" || group[1].E164 != "+33622222222" || group[1].Name != "Bob" {
		t.Errorf("got group recipients %+v, want Anne and Bob in E.164", group)
	}
	// The <call> element is not a message: reported, not silently dropped.
	last := c.Problems[len(c.Problems)-1]
	if last.Warning || !strings.Contains(last.Location, "/smses/call") {
		t.Errorf("got last problem %+v, want the skipped <call> element", last)
	}
}

func TestGroupMMS(t *testing.T) {
	c := fixture(t, "group.xml")
	if len(c.Records) != 5 {
		t.Fatalf("got %d records, want 5", len(c.Records))
	}
	keys := func(ps []importers.Party) string {
		var s []string
		for _, p := range ps {
			s = append(s, p.Key()+"="+p.Name)
		}
		return strings.Join(s, ",")
	}
	tests := []struct {
		platform, sender, recipients, text string
		dir                                importers.Direction
		attachments                        int
	}{
		{"mms", "", "+33611111111=Anne,+33622222222=Bob,+33633333333=", "on se voit demain ?", importers.Outgoing, 1},
		{"rcs", "+15550000004", "+15550000005=", "RCS group hellotext in data", importers.Incoming, 0},
		{"mms", "+15550000001", "+15550000001=Contact A", "no from addr", importers.Incoming, 0},
		{"mms", "+15550000001", "", "", importers.Incoming, 1},
		{"mms", "", "+15550000007=,+15550000008=", "sent to the thread, no addrs", importers.Outgoing, 0},
	}
	for i, tt := range tests {
		r := c.Records[i]
		if r.Platform != tt.platform || r.Sender.Key() != tt.sender || keys(r.Recipients) != tt.recipients ||
			r.Text != tt.text || r.Direction != tt.dir || len(r.Attachments) != tt.attachments {
			t.Errorf("%s: got %s from %q to %q %q %s %d attachments, want %s from %q to %q %q %s %d",
				r.Location, r.Platform, r.Sender.Key(), keys(r.Recipients), r.Text, r.Direction, len(r.Attachments),
				tt.platform, tt.sender, tt.recipients, tt.text, tt.dir, tt.attachments)
		}
	}
	// sha256("hello world")
	want := importers.Attachment{Name: "PART_1", MIME: "image/jpeg", Size: 11,
		SHA256: "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"}
	if got := c.Records[0].Attachments[0]; got != want {
		t.Errorf("got attachment %+v, want %+v", got, want)
	}
	if got := c.Records[0].Extra["from"]; got != "insert-address-token" {
		t.Errorf("got Extra[from] %q, want insert-address-token", got)
	}
	if ws := warnings(c, c.Records[3].Location); len(ws) != 1 || !strings.Contains(ws[0], "base64") {
		t.Errorf("got warnings %q, want one about base64", ws)
	}
}

func TestNotFormat(t *testing.T) {
	tests := []string{"", "{}", "<SMSRecord></SMSRecord>", "<?xml version='1.0'?>", "\x00\x01binary"}
	for _, in := range tests {
		c, err := read(t, []byte(in))
		var pe *importers.ParseError
		if !errors.Is(err, importers.ErrNotFormat) || !errors.As(err, &pe) || len(c.Records) > 0 {
			t.Errorf("Read(%q): got %v and %d records, want a ParseError wrapping ErrNotFormat", in, err, len(c.Records))
		}
	}
	data, _ := os.ReadFile("testdata/notsms.xml")
	if _, err := read(t, data); !errors.Is(err, importers.ErrNotFormat) {
		t.Errorf("notsms.xml: got %v, want ErrNotFormat", err)
	}
}

type stopSink struct {
	importers.Collector
	after int
}

var errStop = errors.New("stop")

func (s *stopSink) Record(r importers.Record) error {
	if len(s.Records) == s.after {
		return errStop
	}
	return s.Collector.Record(r)
}

func TestSinkErrorStops(t *testing.T) {
	data, _ := os.ReadFile("testdata/dates.xml")
	s := &stopSink{after: 2}
	err := Read(context.Background(), bytes.NewReader(data), importers.Options{}, s)
	if !errors.Is(err, errStop) || len(s.Records) != 2 {
		t.Errorf("got %v after %d records, want errStop after 2", err, len(s.Records))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Read(ctx, bytes.NewReader(data), importers.Options{}, &importers.Collector{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v, want context.Canceled", err)
	}
}

// TestCleanerSplits feeds the cleaner its input in every possible two-piece split and one byte at
// a time: references and UTF-8 sequences cut across reads come out as from a single read.
func TestCleanerSplits(t *testing.T) {
	in := "a &#55357;&#56832; b &#xD83D;&#xDE00; c &#1; d é &amp; e &#55357; f \x01 g \xff h & i"
	want, err := io.ReadAll(newCleaner(strings.NewReader(in)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(want, []byte("&#128512;")) || bytes.Contains(want, []byte("55357;&#56832")) {
		t.Fatalf("got %q, want the pair joined", want)
	}
	for i := 0; i <= len(in); i++ {
		got, err := io.ReadAll(newCleaner(io.MultiReader(strings.NewReader(in[:i]), strings.NewReader(in[i:]))))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("split at %d: got %q, %v; want %q", i, got, err, want)
		}
	}
	got, err := io.ReadAll(newCleaner(iotest.OneByteReader(strings.NewReader(in))))
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("one byte at a time: got %q, %v; want %q", got, err, want)
	}
	// The same across the cleaner's own chunk boundary.
	for pad := cleanChunk - 20; pad < cleanChunk+5; pad++ {
		big := strings.Repeat("x", pad) + "&#55357;&#56832;é"
		got, _ := io.ReadAll(newCleaner(strings.NewReader(big)))
		if !bytes.HasSuffix(got, []byte("&#128512;é")) {
			t.Errorf("pad %d: got suffix %q, want &#128512;é", pad, got[max(0, len(got)-20):])
		}
	}
}

func TestSniff(t *testing.T) {
	utf16, _ := os.ReadFile("testdata/utf16le.xml")
	tests := []struct {
		head string
		want bool
	}{
		{"<smses count='1'>", true},
		{"\xEF\xBB\xBF<?xml version='1.0'?>\n<!-- c -->\n<?xml-stylesheet href='sms.xsl'?>\n<smses>", true},
		{"<!DOCTYPE smses>\n<smses/>", true},
		{"   \n<smses\n count='2'>", true},
		{string(utf16[:200]), true},
		{"<smsesx>", false},
		{"<smses", false},
		{"<SMSRecord>", false},
		{"<?xml version='1.0'?><calls count='3'>", false},
		{`{"smses": []}`, false},
		{"<!-- unterminated <smses>", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := Sniff([]byte(tt.head), "x.xml"); got != tt.want {
			t.Errorf("Sniff(%q): got %v, want %v", tt.head, got, tt.want)
		}
	}
	if Sniff(nil, "folder") {
		t.Errorf("Sniff(nil): got true, want false")
	}
}

func FuzzRead(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.xml")
	more, _ := filepath.Glob(filepath.Join(samplesDir, "*.xml"))
	seeds = append(seeds, more...)
	for _, file := range seeds {
		data, err := os.ReadFile(file)
		if err == nil && len(data) < 64<<10 {
			f.Add(data)
			if strings.HasPrefix(file, "testdata") {
				for _, v := range fuzzseed.Hostile(data) {
					f.Add(v)
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var c importers.Collector
		err := Read(context.Background(), bytes.NewReader(data), importers.Options{}, &c)
		var pe *importers.ParseError
		if err != nil && !errors.As(err, &pe) {
			t.Errorf("got error %v (%T), want a *ParseError", err, err)
		}
		for _, r := range c.Records {
			if r.Location == "" {
				t.Errorf("record without location: %+v", r)
			}
		}
		for _, p := range c.Problems {
			if p.Location == "" || p.Reason == "" {
				t.Errorf("problem without location or reason: %+v", p)
			}
		}
	})
}

func ExampleRead() {
	const backup = `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<smses count="2">
  <sms address="06 12 34 56 78" date="1700000000000" type="1" body="Yup &#55357;&#56396;" contact_name="(Unknown)" />
  <sms address="+33612345678" date="1700000060" type="2" body="Qui êtes-vous ?" />
</smses>`
	var c importers.Collector
	err := Read(context.Background(), strings.NewReader(backup), importers.Options{Region: "FR"}, &c)
	if err != nil {
		panic(err)
	}
	for _, r := range c.Records {
		party := r.Sender
		if r.Direction == importers.Outgoing {
			party = r.Recipients[0]
		}
		fmt.Println(r.Location, r.Time.Format(time.RFC3339), r.Direction, party.E164, r.Text)
	}
	// Output:
	// /smses/sms[1] (line 3) 2023-11-14T22:13:20Z in +33612345678 Yup 👌
	// /smses/sms[2] (line 4) 2023-11-14T22:14:20Z out +33612345678 Qui êtes-vous ?
}

// TestBrokenRecords: in a file with malformed elements (unescaped quote and "<" in attributes,
// a broken part, a mismatched end tag), every <sms> and <mms> element ends up either as a
// record or as a problem naming it, and reading resumes after each.
func TestBrokenRecords(t *testing.T) {
	data, err := os.ReadFile("testdata/broken.xml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := read(t, data)
	if err != nil {
		t.Fatalf("got error %v, want nil", err)
	}
	elements := len(elementRE.FindAll(data, -1))
	skipped := map[string]bool{}
	for _, p := range c.Problems {
		if !p.Warning {
			loc, _, _ := strings.Cut(p.Location, ",")
			skipped[loc] = true
			if !strings.Contains(p.Reason, "resumed at line") {
				t.Errorf("got problem %v, want it to say where reading resumed", p)
			}
		}
	}
	if got := len(c.Records) + len(skipped); got != elements {
		t.Errorf("got %d records and %d skipped (%v), want %d elements in all", len(c.Records), len(skipped), skipped, elements)
	}
	for _, r := range c.Records {
		if skipped[r.Location] {
			t.Errorf("%s both imported and skipped", r.Location)
		}
	}
	if last := c.Records[len(c.Records)-1]; last.Text != "last" || !strings.HasPrefix(last.Location, "/smses/sms[5] ") {
		t.Errorf("got last record %s %q, want /smses/sms[5] \"last\"", last.Location, last.Text)
	}
}

// FuzzCleaner: however the input is split into reads, the cleaner gives the same output, and
// outside comments and processing instructions that output is valid UTF-8 with only characters
// and references XML accepts.
func FuzzCleaner(f *testing.F) {
	f.Add([]byte("a &#55357;&#56832; b &#xD83D;&#xDE00; c &#1; \x01 \xff & <!-- & \x01 --> <?pi & ?>"), 3)
	f.Add([]byte("<smses><sms body='&#55357;'/></smses>"), 1)
	f.Fuzz(func(t *testing.T, in []byte, step int) {
		want, err := io.ReadAll(newCleaner(bytes.NewReader(in)))
		if err != nil {
			t.Fatal(err)
		}
		step = max(1, step%97)
		got, err := io.ReadAll(newCleaner(iotest.HalfReader(&stepReader{b: in, step: step})))
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("read in steps of %d: got %q, %v; want %q", step, got, err, want)
		}
		if !bytes.ContainsAny(in, "<") && !utf8.Valid(want) {
			t.Errorf("got invalid UTF-8 %q", want)
		}
		if !bytes.ContainsAny(in, "<") {
			for _, r := range string(want) {
				if !xmlChar(int(r)) {
					t.Errorf("got character U+%04X XML forbids in %q", r, want)
				}
			}
			for i := range want {
				if want[i] == '&' {
					if n, v, numeric := parseRef(want[i:]); n == 0 || numeric && (v < 0 || !xmlChar(v)) {
						t.Errorf("got bad reference at %d in %q", i, want)
					}
				}
			}
		}
	})
}

type stepReader struct {
	b    []byte
	step int
}

func (r *stepReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), r.step)], r.b)
	r.b = r.b[n:]
	return n, nil
}

func TestOwnerAndRegion(t *testing.T) {
	const backup = `<smses>
  <sms address="(555) 555-4545" date="1335055568071" type="2" body="out" />
  <sms address="5555554455" date="1335046217074" type="1" body="in" contact_name="Robot Dog" />
</smses>`
	tests := []struct {
		opt            importers.Options
		outFrom, outTo string
		inFrom, inTo   string
	}{
		{importers.Options{Region: "US"}, "", "+15555554545", "+15555554455", ""},
		{importers.Options{Region: "US", Owner: "+1 555 555 0000"}, "+15555550000", "+15555554545", "+15555554455", "+15555550000"},
	}
	for _, tt := range tests {
		var c importers.Collector
		if err := Read(context.Background(), strings.NewReader(backup), tt.opt, &c); err != nil {
			t.Fatal(err)
		}
		out, in := c.Records[0], c.Records[1]
		to := func(r importers.Record) string {
			if len(r.Recipients) == 0 {
				return ""
			}
			return r.Recipients[0].E164
		}
		if out.Sender.E164 != tt.outFrom || to(out) != tt.outTo || in.Sender.E164 != tt.inFrom || to(in) != tt.inTo {
			t.Errorf("%+v: got out %q→%q in %q→%q, want %q→%q %q→%q", tt.opt, out.Sender.E164, to(out),
				in.Sender.E164, to(in), tt.outFrom, tt.outTo, tt.inFrom, tt.inTo)
		}
		if in.Sender.Name != "Robot Dog" {
			t.Errorf("got name %q, want Robot Dog", in.Sender.Name)
		}
	}
}

func TestReadError(t *testing.T) {
	data, _ := os.ReadFile("testdata/dates.xml")
	boom := errors.New("disk on fire")
	r := io.MultiReader(bytes.NewReader(data[:400]), iotest.ErrReader(boom))
	var c importers.Collector
	err := Read(context.Background(), r, importers.Options{}, &c)
	var pe *importers.ParseError
	if !errors.Is(err, boom) || !errors.As(err, &pe) || errors.Is(err, importers.ErrTruncated) {
		t.Errorf("got %v, want a ParseError wrapping the read error", err)
	}
	if len(c.Records) == 0 || len(c.Problems) == 0 || !strings.Contains(c.Problems[len(c.Problems)-1].Reason, boom.Error()) {
		t.Errorf("got %d records and problems %v, want the records before the error and the error reported", len(c.Records), c.Problems)
	}
}

// readBoth reads data with and without the cleaner's media shortcut and returns both results as
// JSON.
func readBoth(t testing.TB, data []byte) (fast, slow []byte) {
	t.Helper()
	defer func(v bool) { stripMedia = v }(stripMedia)
	for _, strip := range []bool{true, false} {
		stripMedia = strip
		var c importers.Collector
		err := Read(context.Background(), bytes.NewReader(data), importers.Options{}, &c)
		errText := ""
		if err != nil {
			errText = err.Error()
		}
		out, jerr := json.Marshal(struct {
			R []importers.Record
			P []importers.Problem
			E string
		}{c.Records, c.Problems, errText})
		if jerr != nil {
			t.Fatal(jerr)
		}
		if strip {
			fast = out
		} else {
			slow = out
		}
	}
	return fast, slow
}

// TestStripMedia: taking media out of the stream before the XML decoder gives exactly the
// records and problems of decoding them from the attribute, and does take them out.
func TestStripMedia(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.xml")
	more, _ := filepath.Glob(filepath.Join(samplesDir, "*.xml"))
	files = append(files, more...)
	var gen bytes.Buffer
	io.Copy(&gen, newGenerator(1<<20, 40))
	inputs := map[string][]byte{"generated": gen.Bytes(),
		"entities": []byte("<smses><mms msg_box='1'><parts>\n<part ct='image/png' data = 'aGVs&#10;bG8=\n' />" +
			"<part ct='text/plain' data=\"&#97;GVsbG8=\"/><part ct='image/gif' data='aGVs&amp;bG8='/>" +
			"<part ct='image/gif' data='aGVsbG8'/><part ct='a/b' data='null'/><part ct='a/b' data='  '/>" +
			"<part ct='a/b' data='aGV\x01sbG8='/><part ct='a/b' data='aGV<sbG8='/><part ct='a/b' data='YQ=='/></parts></mms></smses>")}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs[f] = data
	}
	g := gen.Bytes()
	for cut := 7; cut < len(g); cut += len(g)/40 + 1 { // truncated inside media values too
		inputs[fmt.Sprintf("generated cut at %d", cut)] = g[:cut]
	}
	for name, data := range inputs {
		fast, slow := readBoth(t, data)
		if !bytes.Equal(fast, slow) {
			t.Errorf("%s: with the media shortcut got\n%s\nwant\n%s", name, fast, slow)
		}
	}
	cleaned, err := io.ReadAll(newCleaner(bytes.NewReader(gen.Bytes())))
	if err != nil || len(cleaned) > gen.Len()/4 {
		t.Errorf("generated backup of %d bytes cleaned to %d bytes (%v), want the media taken out", gen.Len(), len(cleaned), err)
	}
}

func FuzzStripMedia(f *testing.F) {
	f.Add([]byte("<smses><mms><parts><part ct='image/png' data='aGVs&#10;bG8=' /></parts></mms></smses>"))
	f.Add([]byte("<smses><mms><part data=\"aGVsbG8\" text='x'>\n<part data\n=\n'YQ'/></part></mms></smses>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, slow := readBoth(t, data)
		if !bytes.Equal(fast, slow) {
			t.Errorf("with the media shortcut got\n%s\nwant\n%s", fast, slow)
		}
	})
}

// TestStripMediaSplits: the media shortcut works however the input arrives (one byte at a time
// here), not only with large reads.
func TestStripMediaSplits(t *testing.T) {
	in := "<smses><mms><parts><part ct='image/png' name='a.png'\n data = \"aGVs&#10;bG8=\" /></parts></mms></smses>"
	c := newCleaner(iotest.OneByteReader(strings.NewReader(in)))
	out, err := io.ReadAll(c)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte(`data = ""`)) || len(c.mediaDone) != 1 {
		t.Fatalf("got %q and %d media, want the value taken out", out, len(c.mediaDone))
	}
	if m := c.mediaDone[0].media; m.size != 5 || string(m.small) != "hello" {
		t.Errorf("got media %+v, want hello", m)
	}
}

func TestTrailer(t *testing.T) {
	tests := []struct {
		tail     string
		problems int
	}{
		{"\n<!-- end -->\n  \n", 0},
		{"\n<?xml version='1.0'?><smses><sms body='lost?'/></smses>", 1},
		{"\ngarbage", 1},
		{"\n<unclosed", 1},
	}
	for _, tt := range tests {
		c, err := read(t, []byte("<smses><sms address='1' date='1500000000000' type='1' body='x'/></smses>"+tt.tail))
		if err != nil || len(c.Records) != 1 || len(c.Problems) != tt.problems {
			t.Errorf("tail %q: got %d records, problems %v, %v; want 1 record and %d problems", tt.tail, len(c.Records), c.Problems, err, tt.problems)
		}
	}
}

// asCaseFile returns the problems of c with the error Read returned added as the case file adds
// it (app/casefile's problemOnce): located at the ParseError's Location, else its line, and left
// out when a problem with the same location and reason was already reported.
func asCaseFile(c *importers.Collector, err error) []importers.Problem {
	ps := slices.Clone(c.Problems)
	var pe *importers.ParseError
	if !errors.As(err, &pe) {
		return ps
	}
	p := importers.Problem{Location: pe.Location, Reason: pe.Err.Error()}
	switch {
	case p.Location == "" && pe.Line > 0:
		p.Location = fmt.Sprintf("line %d", pe.Line)
	case p.Location == "":
		p.Location = "end of file"
	}
	for _, q := range ps {
		if q.Location == p.Location && q.Reason == p.Reason {
			return ps
		}
	}
	return append(ps, p)
}

func skippedProblems(ps []importers.Problem) []importers.Problem {
	var out []importers.Problem
	for _, p := range ps {
		if !p.Warning {
			out = append(out, p)
		}
	}
	return out
}

// TestTruncatedOnce: a file cut inside a record, or broken in its last record with no </smses>
// after it, gives one problem for that record, also once the case file has added the error Read
// returned: the records imported and the one skipped add up to the elements in the file.
func TestTruncatedOnce(t *testing.T) {
	cutMMS, err := os.ReadFile("testdata/cut_mms.xml")
	if err != nil {
		t.Fatal(err)
	}
	const head = "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses count=\"3\">\n" +
		"  <sms address=\"+33611111111\" date=\"1500000000000\" type=\"1\" body=\"one\" />\n"
	tests := []struct {
		name, data, loc string
	}{
		{"cut in an mms attribute", string(cutMMS), "/smses/mms[2] (line 8), line 9"},
		{"cut between the parts of an mms", head + "  <mms date=\"1500000001000\" msg_box=\"1\" address=\"+33622222222\">\n" +
			"    <parts><part seq=\"0\" ct=\"text/plain\" text=\"two\" />\n", "/smses/mms[1] (line 4), line 6"},
		{"cut in an sms start tag", head + "  <sms address=\"+33622222222\" date=\"15000", "/smses/sms[2] (line 4)"},
		{"cut after an mms start tag", head + "  <mms date=\"1500000001000\" msg_box=\"1\">", "/smses/mms[1] (line 4), line 4"},
		{"XML error in the last record", head + "  <mms date=\"1500000001000\" msg_box=\"1\">\n" +
			"    <parts><part seq=\"0\" ct=\"text/plain\" text=\"broken\" <oops/></parts>\n  </mms>\n", "/smses/mms[1] (line 4), line 5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := read(t, []byte(tt.data))
			if !errors.Is(err, importers.ErrTruncated) {
				t.Fatalf("got error %v, want ErrTruncated", err)
			}
			skipped := skippedProblems(asCaseFile(c, err))
			if len(skipped) != 1 || skipped[0].Location != tt.loc {
				t.Errorf("got skipped problems %v, want one at %q", skipped, tt.loc)
			}
			elements := len(elementRE.FindAllString(tt.data, -1))
			if got := len(c.Records) + len(skipped); got != elements {
				t.Errorf("got %d records + %d skipped, want %d elements", len(c.Records), len(skipped), elements)
			}
		})
	}
}

// TestMMSRoles: the Cc (130) and Bcc (129) addresses of an MMS are recipients and are also kept
// in Extra["cc"] and Extra["bcc"], space-separated in document order, as importers/androiddb
// keeps them; To (151) addresses have no key of their own.
func TestMMSRoles(t *testing.T) {
	c := fixture(t, "roles.xml")
	tests := []struct {
		recipients, cc, bcc string
	}{
		{"+33622222222 +33633333333 +33644444444", "+33622222222 +33633333333", "+33644444444"},
		{"+33611111111", "", ""},
		{"+33622222222 +33633333333", "", "+33622222222 +33633333333"},
	}
	if len(c.Records) != len(tests) {
		t.Fatalf("got %d records, want %d", len(c.Records), len(tests))
	}
	for i, tt := range tests {
		r := c.Records[i]
		var keys []string
		for _, p := range r.Recipients {
			keys = append(keys, p.Key())
		}
		if got := strings.Join(keys, " "); got != tt.recipients {
			t.Errorf("%s: got recipients %q, want %q", r.Location, got, tt.recipients)
		}
		for k, want := range map[string]string{"cc": tt.cc, "bcc": tt.bcc} {
			got, ok := r.Extra[k]
			if got != want || ok != (want != "") {
				t.Errorf("%s: got Extra[%s] %q (present %v), want %q", r.Location, k, got, ok, want)
			}
		}
		if _, ok := r.Extra["to"]; ok {
			t.Errorf("%s: got Extra[to] %q, want none", r.Location, r.Extra["to"])
		}
	}
}

// TestRawLineEnds: raw CR LF, lone CR and LF inside attribute values are kept as written (the
// fixture's lines also end in CR LF, between attributes and elements), whether the value is
// an SMS body or an MMS text part, read in one piece or a byte at a time, with no warning; a
// CR LF inside base64 media data is white space and leaves its hash alone.
func TestRawLineEnds(t *testing.T) {
	data, err := os.ReadFile("testdata/crlf.xml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte("one\r\ntwo")) || !bytes.Contains(data, []byte("one\rtwo")) {
		t.Fatal("testdata/crlf.xml has lost its carriage returns (a checkout converting line ends?)")
	}
	want := []string{
		"crlf one\r\ntwo",
		"lone cr one\rtwo",
		"lf one\ntwo, mixed \r\n\r and a \"quote\" \r\nend",
		"part\r\nline\rend",
	}
	for _, r := range []struct {
		name string
		in   io.Reader
	}{{"whole", bytes.NewReader(data)}, {"byte by byte", iotest.OneByteReader(bytes.NewReader(data))}} {
		var c importers.Collector
		if err := Read(context.Background(), r.in, importers.Options{}, &c); err != nil {
			t.Fatalf("%s: got error %v, want nil", r.name, err)
		}
		if len(c.Problems) != 0 {
			t.Errorf("%s: got problems %v, want none", r.name, c.Problems)
		}
		if len(c.Records) != len(want) {
			t.Fatalf("%s: got %d records, want %d", r.name, len(c.Records), len(want))
		}
		for i, w := range want {
			if got := c.Records[i].Text; got != w {
				t.Errorf("%s: %s: got text %q, want %q", r.name, c.Records[i].Location, got, w)
			}
		}
		if got := c.Records[0].Sender.Name; got != "Léa" {
			t.Errorf("%s: got contact name %q after a CR LF between attributes, want Léa", r.name, got)
		}
		// sha256("hello world")
		wantAtt := importers.Attachment{Name: "a.jpg", MIME: "image/jpeg", Size: 11,
			SHA256: "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"}
		if atts := c.Records[3].Attachments; len(atts) != 1 || atts[0] != wantAtt {
			t.Errorf("%s: got attachments %+v, want %+v", r.name, atts, wantAtt)
		}
	}
}

// TestMediaHook: with Options.Media set, each attachment whose data the backup holds is handed
// over decoded, once, with the hash its record carries; text parts, parts without data or with
// bad data, and the parts of a broken MMS are not; large data goes through a temporary file that
// is removed. The records are those of a read without the hook.
func TestMediaHook(t *testing.T) {
	jpeg := append([]byte("\xff\xd8\xff\xe0"), bytes.Repeat([]byte("pixels"), 20)...)
	big := bytes.Repeat([]byte("0123456789abcdef"), 10<<10) // 160 KiB: over smallMax
	b64 := func(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
	sum := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
	in := "<smses>\n" +
		"<mms date='1700000000000' msg_box='1' address='+33612345678'><parts>\n" +
		"<part ct='application/smil' text='&lt;smil/&gt;'/>\n" +
		"<part ct='image/jpeg' cl='photo.jpg' data='" + b64(jpeg) + "'/>\n" +
		"<part ct='text/plain' text='look at this'/>\n" +
		"</parts><addrs><addr address='+33612345678' type='137'/></addrs></mms>\n" +
		"<mms date='1700000001000' msg_box='1' address='+33612345678'><parts>\n" +
		"<part ct='video/mp4' cl='big.mp4' data='" + b64(big) + "'/>\n" +
		"<part ct='image/png' cl='none.png'/>\n" +
		"<part ct='image/gif' cl='bad.gif' data='not*base64'/>\n" +
		"</parts></mms>\n" +
		"<mms date='1700000002000' msg_box='1'><parts>\n" +
		"<part ct='image/jpeg' cl='lost.jpg' data='" + b64([]byte("lost")) + "'/>\n" +
		"<part ct='text/plain' text='broken'></mms>\n" + // XML error: the record is a problem
		"</smses>\n"
	type call struct{ sha, mime, data string }
	want := []call{{sum(jpeg), "image/jpeg", string(jpeg)}, {sum(big), "video/mp4", string(big)}}
	defer func(v bool) { stripMedia = v }(stripMedia)
	for _, strip := range []bool{true, false} {
		stripMedia = strip
		tmp := t.TempDir()
		t.Setenv("TMPDIR", tmp)
		var got []call
		opt := importers.Options{Media: func(sha, mime string, r io.Reader) error {
			b, err := io.ReadAll(r)
			got = append(got, call{sha, mime, string(b)})
			return err
		}}
		var c importers.Collector
		if err := Read(context.Background(), strings.NewReader(in), opt, &c); err != nil {
			t.Fatalf("strip %v: %v", strip, err)
		}
		if len(got) != len(want) {
			t.Fatalf("strip %v: got %d calls, want %d", strip, len(got), len(want))
		}
		for i := range want {
			if got[i].sha != want[i].sha || got[i].mime != want[i].mime || got[i].data != want[i].data {
				t.Errorf("strip %v: call %d got %s %s (%d bytes), want %s %s (%d bytes)", strip, i,
					got[i].sha, got[i].mime, len(got[i].data), want[i].sha, want[i].mime, len(want[i].data))
			}
		}
		if len(c.Records) != 2 || c.Records[0].Attachments[0].SHA256 != want[0].sha ||
			c.Records[1].Attachments[0].SHA256 != want[1].sha {
			t.Errorf("strip %v: got records %+v, want the hashes handed over", strip, c.Records)
		}
		var plain importers.Collector
		Read(context.Background(), strings.NewReader(in), importers.Options{}, &plain)
		gj, _ := json.Marshal(c)
		pj, _ := json.Marshal(plain)
		if !bytes.Equal(gj, pj) {
			t.Errorf("strip %v: with the hook got\n%s\nwant\n%s", strip, gj, pj)
		}
		if left, _ := os.ReadDir(tmp); len(left) != 0 {
			t.Errorf("strip %v: temporary files left: %v", strip, left)
		}
	}
	stop := errors.New("disk full")
	opt := importers.Options{Media: func(string, string, io.Reader) error { return stop }}
	var c importers.Collector
	if err := Read(context.Background(), strings.NewReader(in), opt, &c); !errors.Is(err, stop) ||
		!strings.Contains(err.Error(), "/smses/mms[1]") {
		t.Errorf("hook error: got %v, want it, with the record's location", err)
	}
}
