package chattext

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"raidtrace/importers"
	"raidtrace/importers/internal/fuzzseed"
	"raidtrace/importers/internal/heappeak"
)

const samples = "../../../shared/samples/whatsapp-text/"

func read(t testing.TB, path string, opt importers.Options) *importers.Collector {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var c importers.Collector
	if err := Read(context.Background(), f, opt, &c); err != nil {
		t.Fatalf("Read(%s): %v", path, err)
	}
	return &c
}

// opener is a deliberately simpler pattern than the parser's: a line starting with a date.
var opener = regexp.MustCompile(`^\[?\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4},? `)

func TestSamples(t *testing.T) {
	paths, _ := filepath.Glob(samples + "*.txt")
	if len(paths) == 0 {
		t.Skip("shared samples absent: ../shared/samples/whatsapp-text beside the repository")
	}
	var first []importers.Record
	for _, p := range paths {
		t.Run(filepath.Base(p), func(t *testing.T) {
			b, _ := os.ReadFile(p)
			want := 0
			for _, l := range strings.Split(string(b), "\n") {
				if opener.MatchString(l) {
					want++
				}
			}
			c := read(t, p, importers.Options{Location: time.UTC})
			if got := len(c.Records); got != want || want == 0 {
				t.Fatalf("records: got %d, want %d (non-zero)", got, want)
			}
			if len(c.Problems) != 0 {
				t.Errorf("problems: got %v, want none (the order is settled by the file)", c.Problems)
			}
			// The three samples are the same chat in three locales: every record must agree.
			if first == nil {
				first = c.Records
				return
			}
			for i, r := range c.Records {
				f := first[i]
				if !r.Time.Equal(f.Time) || r.Sender != f.Sender || r.Text != f.Text || r.Kind != f.Kind {
					t.Errorf("record %d: got %v %q %q %s, want %v %q %q %s", i, r.Time, r.Sender.Name, r.Text, r.Kind, f.Time, f.Sender.Name, f.Text, f.Kind)
				}
			}
		})
	}
	if first == nil {
		return
	}
	tests := []struct {
		i      int
		time   time.Time
		sender string
		text   string
		kind   string
	}{
		{0, time.Date(2019, 1, 1, 11, 25, 0, 0, time.UTC), "John Doe", "Lorem ipsum dolor sit amet.", "message"},
		{1, time.Date(2019, 1, 20, 11, 23, 0, 0, time.UTC), "John Doe", ".", "message"},
		{2, time.Date(2019, 1, 30, 20, 49, 0, 0, time.UTC), "Jahn Doe", "Lorem ipsum dolor sit amet,\nconsectetur adipiscing elit. Duis libero.", "message"},
		{3, time.Date(2020, 6, 10, 15, 55, 0, 0, time.UTC), "John-John Doe", "Lorem ipsum : dolor sit amet.", "message"},
		{4, time.Date(2020, 6, 20, 0, 8, 0, 0, time.UTC), "", `+12 345 578 created group "Groupname"`, "system"},
		{5, time.Date(2020, 6, 30, 9, 10, 0, 0, time.UTC), "", "You were added", "system"},
		{7, time.Date(2021, 12, 20, 12, 10, 0, 0, time.UTC), "🤓", "Lorem ipsum 🤓", "message"},
	}
	for _, tt := range tests {
		r := first[tt.i]
		if !r.Time.Equal(tt.time) || r.Sender.Name != tt.sender || r.Text != tt.text || r.Kind != tt.kind {
			t.Errorf("record %d: got %v %q %q %s, want %v %q %q %s", tt.i, r.Time, r.Sender.Name, r.Text, r.Kind, tt.time, tt.sender, tt.text, tt.kind)
		}
	}
}

func TestFixtures(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skipf("no time zone database: %v", err)
	}
	type want struct {
		line     int
		time     string // UTC, RFC 3339; "" for none
		raw      string
		sender   string // Name
		e164     string
		text     string
		kind     string
		platform string
		attach   string // attachment name, "-" for an unnamed one
	}
	tests := []struct {
		file     string
		opt      importers.Options
		records  []want
		problems []string
	}{
		{"ios_lrm_attachments.txt", importers.Options{Location: paris}, []want{
			{1, "2024-03-14T20:14:03Z", "14/03/2024, 21:14:03", "Soutien Léa", "", "\u200eMessages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.", "system", "whatsapp", ""},
			{2, "2024-03-14T20:15:10Z", "14/03/2024, 21:15:10", "+33 6 12 34 56 78", "+33612345678", "t'es qu'une grosse merde", "message", "whatsapp", ""},
			{3, "2024-03-14T20:15:12Z", "14/03/2024, 21:15:12", "+33 6 12 34 56 79", "+33612345679", "", "message", "whatsapp", "00000042-PHOTO-2024-03-14-21-15-12.jpg"},
			{4, "2024-03-14T20:15:13Z", "14/03/2024, 21:15:13", "Kevin 🐸", "", "", "message", "whatsapp", "-"},
			{5, "2024-03-14T20:16:00Z", "14/03/2024, 21:16:00", "Léa", "", "Arrêtez.", "message", "whatsapp", ""},
		}, nil},
		{"android_12h_narrow_nbsp.txt", importers.Options{Location: time.UTC, Region: "US"}, []want{
			{1, "2024-03-01T21:55:00Z", "3/1/24, 9:55\u202fPM", "", "", "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.", "system", "whatsapp", ""},
			{2, "2024-03-01T21:56:00Z", "3/1/24, 9:56\u202fPM", "+1 415 555 0100", "+14155550100", "you will regret this", "message", "whatsapp", ""},
			{3, "2024-03-01T00:05:00Z", "3/1/24, 12:05\u202fAM", "+1 415 555 0101", "+14155550101", "you will regret this!", "message", "whatsapp", ""},
			{4, "2024-03-14T13:02:00Z", "3/14/24, 1:02\u202fPM", "Sam", "", "look at this", "message", "whatsapp", "IMG-20240314-WA0001.jpg"},
			{6, "2024-03-14T12:30:00Z", "3/14/24, 12:30\u00a0p.\u00a0m.", "Sam", "", "", "message", "whatsapp", "-"},
		}, nil},
		{"ambiguous_order.txt", importers.Options{Location: time.UTC}, []want{
			{1, "2024-02-01T10:00:00Z", "01/02/24, 10:00", "Alice", "", "premier", "message", "whatsapp", ""},
			{2, "2024-04-03T11:00:00Z", "03/04/24, 11:00", "Bob", "", "deuxième", "message", "whatsapp", ""},
			{3, "2024-06-05T12:00:00Z", "05/06/24, 12:00", "Alice", "", "troisième", "message", "whatsapp", ""},
		}, []string{"file: day/month order is ambiguous"}},
		{"ambiguous_order.txt", importers.Options{Location: time.UTC, DateOrder: "MDY"}, []want{
			{1, "2024-01-02T10:00:00Z", "01/02/24, 10:00", "Alice", "", "premier", "message", "whatsapp", ""},
			{2, "2024-03-04T11:00:00Z", "03/04/24, 11:00", "Bob", "", "deuxième", "message", "whatsapp", ""},
			{3, "2024-05-06T12:00:00Z", "05/06/24, 12:00", "Alice", "", "troisième", "message", "whatsapp", ""},
		}, nil},
		{"multiline_system_fr.txt", importers.Options{Location: paris}, []want{
			{1, "2024-03-12T09:00:00Z", "12/03/2024 à 10:00", "", "", "Vous avez créé le groupe « Raid »", "system", "whatsapp", ""},
			{2, "2024-03-13T09:01:00Z", "13/03/2024 à 10:01", "Marc", "", "première ligne\ndeuxième ligne: avec deux-points", "message", "whatsapp", ""},
			{5, "2024-03-13T09:02:00Z", "13/03/2024 à 10:02", "", "", "Marc a ajouté +33 6 00 00 00 01", "system", "whatsapp", ""},
			{6, "2024-03-13T09:03:00Z", "13/03/2024 à 10:03", "Nom", "", "avec: deux-points: ok", "message", "whatsapp", ""},
			{7, "2024-03-13T09:04:00Z", "13/03/2024 à 10:04", "Julie", "", ".", "message", "whatsapp", ""},
		}, nil},
		{"signal_style.txt", importers.Options{Location: time.UTC}, []want{
			{1, "2019-12-24T12:23:00Z", "2019-12-24, 12:23", "Jane Doe", "", "Hello John!\nHow are you?", "message", "signal", ""},
			{3, "2019-12-24T12:25:00Z", "2019-12-24, 12:25", "John Doe", "", "Fine.", "message", "signal", ""},
		}, nil},
		{"dotted_klo.txt", importers.Options{Location: time.UTC}, []want{
			{1, "2018-06-13T21:25:15Z", "13.06.18 21.25.15", "Matti", "", "Hei", "message", "whatsapp", ""},
			{2, "2018-06-13T21:26:15Z", "13.6.2018 klo 21.26.15", "Liisa", "", "Moi", "message", "whatsapp", ""},
			{3, "2018-06-13T21:27:00Z", "13.06.18, 21.27", "Matti", "", "jatkuu", "message", "whatsapp", ""},
		}, nil},
		{"broken.txt", importers.Options{Location: time.UTC}, []want{
			{2, "", "31/02/24, 10:00", "Alice", "", "impossible date", "message", "whatsapp", ""},
			{3, "", "30/01/24, 25:00", "Bob", "", "impossible hour", "message", "whatsapp", ""},
			{4, "2024-01-30T10:00:00Z", "30/01/24, 10:00", "Bob", "", "fine", "message", "whatsapp", ""},
		}, []string{"line 1: skipped: text before the first message", `line 2: timestamp "31/02/24, 10:00"`, `line 3: timestamp "30/01/24, 25:00"`}},
		{"android_cr.txt", importers.Options{Location: time.UTC}, []want{
			{1, "2020-06-20T00:05:00Z", "20/06/20, 00:05", "Alice", "", "premier", "message", "whatsapp", ""},
			{2, "2020-06-20T00:06:00Z", "20/06/20, 00:06", "Bob", "", "deux\nlignes", "message", "whatsapp", ""},
			{5, "2020-06-20T00:07:00Z", "20/06/20, 00:07", "Alice", "", "fin", "message", "whatsapp", ""},
		}, []string{"line 1: the file ends its lines with a carriage return alone"}},
		// In a file with line feeds, a carriage return alone is text.
		{"crlf_lone_cr.txt", importers.Options{Location: time.UTC}, []want{
			{1, "2020-06-20T00:05:00Z", "20/06/20, 00:05", "Alice", "", "a\rb", "message", "whatsapp", ""},
			{2, "2020-06-20T00:06:00Z", "20/06/20, 00:06", "Bob", "", "c", "message", "whatsapp", ""},
		}, nil},
		{"truncated_timestamp.txt", importers.Options{Location: time.UTC}, []want{
			{1, "2020-06-20T00:06:00Z", "20/06/20, 00:06", "Bob", "", "deux\nlignes", "message", "whatsapp", ""},
			{3, "2020-06-20T00:07:00Z", "20/06/20, 00:07", "Alice", "", "fin", "message", "whatsapp", ""},
		}, []string{"line 4: truncated record"}},
		{"truncated_signal.txt", importers.Options{Location: time.UTC}, []want{
			{1, "2019-12-24T12:23:00Z", "2019-12-24, 12:23", "Jane Doe", "", "Hello", "message", "signal", ""},
		}, []string{"line 2: truncated record"}},
		{"preamble.txt", importers.Options{Location: time.UTC}, []want{
			{3, "2020-01-20T10:00:00Z", "20/01/2020, 10:00", "Alice", "", "a", "message", "whatsapp", ""},
			{4, "2020-01-20T10:01:00Z", "20/01/2020, 10:01", "Bob", "", "b\nsuite de b", "message", "whatsapp", ""},
		}, []string{"line 1: skipped: text before the first message (no timestamp)"}},
	}
	for _, tt := range tests {
		t.Run(tt.file+tt.opt.DateOrder, func(t *testing.T) {
			c := read(t, filepath.Join("testdata", tt.file), tt.opt)
			if len(c.Records) != len(tt.records) {
				t.Fatalf("records: got %d, want %d; problems %v", len(c.Records), len(tt.records), c.Problems)
			}
			for i, w := range tt.records {
				r := c.Records[i]
				got := want{line: 0, raw: r.RawTime, sender: r.Sender.Name, e164: r.Sender.E164, text: r.Text, kind: r.Kind, platform: r.Platform}
				fmt.Sscanf(r.Location, "line %d", &got.line)
				if !r.Time.IsZero() {
					got.time = r.Time.Format(time.RFC3339)
					if r.TimeZone != tt.opt.Location.String() {
						t.Errorf("record %d time zone: got %q, want %q", i, r.TimeZone, tt.opt.Location)
					}
				}
				if len(r.Attachments) == 1 {
					got.attach = r.Attachments[0].Name
					if got.attach == "" {
						got.attach = "-"
					}
				}
				if got != w {
					t.Errorf("record %d:\n got %+v\nwant %+v", i, got, w)
				}
			}
			if len(c.Problems) != len(tt.problems) {
				t.Fatalf("problems: got %v, want %v", c.Problems, tt.problems)
			}
			for i, p := range c.Problems {
				if !strings.HasPrefix(p.String(), tt.problems[i]) {
					t.Errorf("problem %d: got %q, want prefix %q", i, p, tt.problems[i])
				}
			}
		})
	}
}

// TestPartialHeader: the last line of a file, without its line end, that is a timestamp cut
// short is told from a message's last line that starts with a date.
func TestPartialHeader(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"20/06/20, 00:08", true},
		{"20/06/20, 00:0", true},
		{"20/06/20, 0", true},
		{"20/06/20,", true},
		{"20/06/2", true},
		{"20/06/20, 00:08 -", true},
		{"20/06/20, 00:08 –", true},
		{"3/1/24, 9:55\u202fP", true},
		{"3/1/24, 9:55\u202fp. m.", true},
		{"13/03/2024 à 10:0", true},
		{"[2019-12-24, 12:2", true},
		{"\u200e[14/03/2024, 21:14:03", true},
		{"13.06.18 21.25", true},
		{"20/06/20 was the day", false},
		{"20/06/20 10 people came", false},
		{"20/06/20, 00:08 see you", false},
		{"20/06", false}, // not even a date: taken for text
		{"see you 20/06/20", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := partialHeader(tt.line); got != tt.want {
			t.Errorf("partialHeader(%q) = %v, want %v", tt.line, got, tt.want)
		}
	}
	// Only the last line: the same text with its line end continues the message before it.
	var c importers.Collector
	if err := Read(context.Background(), strings.NewReader("20/06/20, 00:07 - Alice: on\n20/06/20 was the day\n20/06/20, 00:08\n"), importers.Options{}, &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Records) != 1 || c.Records[0].Text != "on\n20/06/20 was the day\n20/06/20, 00:08" || len(c.Problems) != 0 {
		t.Errorf("got records %v, problems %v; want one message of three lines, no problem", c.Records, c.Problems)
	}
}

func TestOwnerDirection(t *testing.T) {
	in := "01/02/24, 10:00 - +33 6 12 34 56 78: moi\n13/02/24, 10:01 - Bob: lui\n13/02/24, 10:02 - Bob a quitté\n"
	var c importers.Collector
	if err := Read(context.Background(), strings.NewReader(in), importers.Options{Owner: "0612345678"}, &c); err != nil {
		t.Fatal(err)
	}
	got := []importers.Direction{c.Records[0].Direction, c.Records[1].Direction, c.Records[2].Direction}
	want := []importers.Direction{importers.Outgoing, importers.Incoming, importers.Unknown}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("directions: got %v, want %v", got, want)
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		head string
		want bool
	}{
		{"01/01/19, 11:25 - John Doe: Lorem", true},
		{"\ufeff[14/03/2024, 21:14:03] Léa: x", true},
		{"\u200e[14/03/2024, 21:14:03] Léa: x", true},
		{"\n\n[2019-12-24, 12:23] Jane Doe: Hello", true},
		{"From,To,Body\n", false},
		{"<?xml version='1.0'?>\n<smses>", false},
		{"12/03/2024 is a date\n", false},
		{"[14/03/2024, 21:14:03 Léa: unclosed bracket", false},
		{"", false}, // a folder: detection passes no head
		// A preamble: claimed when the lines opening a message are at least as many as the
		// lines before them, or three or more, among the first 20 non-blank lines.
		{"garbage preamble line\n20/01/2020, 10:00 - Alice: a\n", true},
		{"title\r\n\r\nnote\n20/01/2020, 10:00 - Alice: a\n20/01/2020, 10:01 - Bob: b\n", true},
		{"title\n20/01/2020, 10:00 - Alice: a long message\n" + strings.Repeat("on many lines\n", 30), true},
		{strings.Repeat("a preamble line\n", 10) + strings.Repeat("20/01/2020, 10:00 - Alice: a\n", 3), true},
		{strings.Repeat("a preamble line\n", 10) + strings.Repeat("20/01/2020, 10:00 - Alice: a\n", 2), false},
		{"one\ntwo\n20/01/2020, 10:00 - Alice: a\nprose\n", false},
		{strings.Repeat("a preamble line\n", 20) + strings.Repeat("20/01/2020, 10:00 - Alice: a\n", 5), false},
		{"hello\nworld\n", false},
		{"title\rnote\r20/01/2020, 10:00 - Alice: a\r20/01/2020, 10:01 - Bob: b\r", true}, // carriage return line ends
		{"title\rnote\rmore\r20/01/2020, 10:00 - Alice: a\r", false},
	}
	for _, tt := range tests {
		if got := Sniff([]byte(tt.head), "x.txt"); got != tt.want {
			t.Errorf("Sniff(%q): got %v, want %v", tt.head, got, tt.want)
		}
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Read(ctx, strings.NewReader("01/01/19, 11:25 - A: b\n"), importers.Options{}, &importers.Collector{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

func FuzzRead(f *testing.F) {
	for _, pattern := range []string{"testdata/*.txt", samples + "*.txt"} {
		paths, _ := filepath.Glob(pattern)
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
			for _, v := range fuzzseed.Hostile(b) {
				f.Add(v)
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var c importers.Collector
		if err := Read(context.Background(), bytes.NewReader(b), importers.Options{}, &c); err != nil {
			t.Fatalf("Read: %v", err)
		}
		for _, r := range c.Records {
			if !strings.HasPrefix(r.Location, "line ") || r.RawTime == "" {
				t.Errorf("record without location or raw time: %+v", r)
			}
		}
		for _, p := range c.Problems {
			if p.Location == "" || p.Reason == "" {
				t.Errorf("problem without location or reason: %+v", p)
			}
		}
	})
}

// BenchmarkRead reads a generated 4 MB export: "numbers" has a new phone-number sender on every
// line (a raid by unknown numbers, where E.164 parsing dominates), "names" a few contact names.
func BenchmarkRead(b *testing.B) {
	for _, tc := range []struct {
		name   string
		sender func(n int) string
	}{
		{"numbers", func(n int) string { return fmt.Sprintf("+33 6 12 %02d %02d %02d", n%100, n/100%100, n/10000%100) }},
		{"names", func(n int) string { return fmt.Sprintf("Contact %d", n%40) }},
	} {
		var in bytes.Buffer
		n := 0
		for in.Len() < 4<<20 {
			fmt.Fprintf(&in, "%02d/03/24, %d:%02d\u202fPM - %s: t'es qu'une merde numéro %d\n", n%28+1, n%12+1, n%60, tc.sender(n), n)
			if n%10 == 0 {
				in.WriteString("une deuxième ligne\n")
			}
			n++
		}
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(in.Len()))
			b.ReportAllocs()
			var before runtime.MemStats
			runtime.ReadMemStats(&before) // the input, held by the benchmark
			stop := heappeak.Start()
			for b.Loop() {
				var c countSink
				if err := Read(context.Background(), bytes.NewReader(in.Bytes()), importers.Options{}, &c); err != nil || c.n != n {
					b.Fatalf("got %d records, err %v; want %d", c.n, err, n)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
			b.ReportMetric(heappeak.MB(max(stop(), before.HeapInuse)-before.HeapInuse), "peak-heap-MB") // above the input
		})
	}
}

type countSink struct{ n, problems int }

func (c *countSink) Record(importers.Record) error { c.n++; return nil }
func (c *countSink) Problem(importers.Problem)     { c.problems++ }

func TestReadIOError(t *testing.T) {
	disk := errors.New("disk failure")
	r := io.MultiReader(strings.NewReader("01/01/19, 11:25 - A: b\nsuite\n"), iotest.ErrReader(disk))
	var c importers.Collector
	err := Read(context.Background(), r, importers.Options{}, &c)
	var pe *importers.ParseError
	if !errors.Is(err, disk) || !errors.As(err, &pe) || pe.Line != 3 || len(c.Records) != 1 || c.Records[0].Text != "b\nsuite" {
		t.Errorf("got %v and %+v, want a line-3 ParseError wrapping the read error after the message read", err, c.Records)
	}
}

// TestLongLines: a header match sees only the start of a line, and a long text is no attachment
// marker, so that a long line costs no regexp time over its length but is still read in full.
func TestLongLines(t *testing.T) {
	long := strings.Repeat("x", 300)
	tests := []struct {
		in   string
		text string
	}{
		{"14/03/2024, 21:14 - Jean: " + long, long},
		{"14/03/2024, 21:14 - Jean: IMG-1.jpg (file attached)", ""},
		{"14/03/2024, 21:14 - " + strings.Repeat("é", 200) + ": salut", "salut"}, // cut inside the name, on a rune
		{"14/03/2024, 21:14 - Jean: " + strings.Repeat("y", 2000) + " (file attached)", strings.Repeat("y", 2000) + " (file attached)"},
	}
	for _, tt := range tests {
		var c importers.Collector
		if err := Read(context.Background(), strings.NewReader(tt.in+"\n"), importers.Options{DateOrder: "DMY"}, &c); err != nil {
			t.Fatal(err)
		}
		if len(c.Records) != 1 || c.Records[0].Text != tt.text {
			t.Errorf("%.40q…: got %d records %+v, want one with text %.40q", tt.in, len(c.Records), c.Records, tt.text)
		}
	}
}

// TestAmbiguousCode: only the warning of a file whose dates never settle day/month order carries
// importers.CodeAmbiguousDateOrder, so that the GUI can ask; a given order or a settled file has none.
func TestAmbiguousCode(t *testing.T) {
	tests := []struct {
		name, text, order string
		want              int
	}{
		{"never settled", "01/02/24, 10:00 - Alice: a\n03/04/24, 11:00 - Bob: b\n", "", 1},
		{"order given", "01/02/24, 10:00 - Alice: a\n", "MDY", 0},
		{"settled day first", "01/02/24, 10:00 - Alice: a\n13/04/24, 11:00 - Bob: b\n", "", 0},
		{"contradicted", "13/02/24, 10:00 - Alice: a\n03/14/24, 11:00 - Bob: b\n", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c importers.Collector
			if err := Read(context.Background(), strings.NewReader(tt.text), importers.Options{Location: time.UTC, DateOrder: tt.order}, &c); err != nil {
				t.Fatal(err)
			}
			got := 0
			for _, p := range c.Problems {
				if p.Code == importers.CodeAmbiguousDateOrder {
					got++
					if !p.Warning || p.Location != "file" {
						t.Errorf("ambiguous warning %+v: want a warning on location file", p)
					}
				}
			}
			if got != tt.want {
				t.Errorf("%d problems with code %q, want %d (problems %v)", got, importers.CodeAmbiguousDateOrder, tt.want, c.Problems)
			}
		})
	}
}
