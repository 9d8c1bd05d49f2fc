package twilio

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"raidtrace/importers"
	"raidtrace/importers/csvrows"
	"raidtrace/importers/internal/fuzzseed"
	"raidtrace/importers/internal/heappeak"
)

const samples = "../../../shared/samples/"

type readFunc func(context.Context, io.Reader, importers.Options, importers.Sink) error

func readFile(t *testing.T, read readFunc, path string, opt importers.Options) (*importers.Collector, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var c importers.Collector
	err = read(context.Background(), f, opt, &c)
	return &c, err
}

func TestReadJSONSample(t *testing.T) {
	path := samples + "twilio/messages_list_page.json"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("shared samples absent (%v); they live in ../shared/samples beside the repository", err)
	}
	var page struct {
		Messages []struct {
			Sid, From, Body, Direction string
			DateSent                   string `json:"date_sent"`
		}
	}
	if err := json.Unmarshal(b, &page); err != nil {
		t.Fatal(err)
	}
	c, err := readFile(t, ReadJSON, path, importers.Options{})
	if err != nil {
		t.Fatalf("ReadJSON: %v", err)
	}
	if len(c.Problems) != 0 {
		t.Errorf("problems: %v", c.Problems)
	}
	if got, want := len(c.Records), len(page.Messages); got != want || want == 0 {
		t.Fatalf("records: got %d, want %d (non-zero)", got, want)
	}
	for i, m := range page.Messages {
		r := c.Records[i]
		want, _ := time.Parse(time.RFC1123Z, m.DateSent)
		if r.PlatformID != m.Sid || r.Text != m.Body || r.Sender.Raw != m.From || !r.Time.Equal(want) || r.RawTime != m.DateSent {
			t.Errorf("record %d: got %+v, want sid %s body %q from %s time %s", i, r, m.Sid, m.Body, m.From, want)
		}
		if got, want := r.Location, fmt.Sprintf("/messages/%d", i); got != want {
			t.Errorf("location: got %q, want %q", got, want)
		}
		wantDir := importers.Outgoing
		if m.Direction == "inbound" {
			wantDir = importers.Incoming
		}
		if r.Direction != wantDir {
			t.Errorf("record %d direction: got %q, want %q", i, r.Direction, wantDir)
		}
	}
	if got := c.Records[1].Extra["error_code"]; got != "30004" {
		t.Errorf("numeric error_code: got %q, want 30004", got)
	}
	if got := c.Records[1].Extra["num_media"]; got != "3" {
		t.Errorf("num_media: got %q, want 3", got)
	}
}

func TestReadCSV(t *testing.T) {
	tests := []struct {
		file     string
		records  int
		problems []string // location: reason prefix
		check    func(t *testing.T, rs []importers.Record)
	}{
		{"console_documented_order.csv", 5, []string{"line 6: row skipped: it has 4 fields", "line 7: date_sent: unrecognised date \"hier soir\""},
			func(t *testing.T, rs []importers.Record) {
				r := rs[0]
				if r.Sender.E164 != "+33612345678" || r.Time != time.Date(2024, 3, 5, 21, 14, 3, 0, time.UTC) || r.Direction != importers.Incoming || r.Location != "line 2" {
					t.Errorf("first: got %+v", r)
				}
				if r.Extra["price"] != "-0.0075" || r.Extra["price_unit"] != "USD" || r.Extra["num_segments"] != "1" || r.Extra["status"] != "received" {
					t.Errorf("extra: got %v", r.Extra)
				}
				wa := rs[1]
				if wa.Platform != "whatsapp" || wa.Sender.E164 != "+33611111111" || wa.Sender.Raw != "whatsapp:+33611111111" ||
					wa.Time != time.Date(2024, 3, 5, 21, 14, 9, 0, time.UTC) || wa.RawTime != "2024-03-05T22:14:09+01:00" {
					t.Errorf("whatsapp: got %+v", wa)
				}
				ml := rs[2]
				if ml.Text != "ligne 1\nligne 2, avec virgule" || ml.Sender.E164 != "+33612345679" || ml.Location != "line 4" ||
					ml.Time != time.Date(2024, 3, 5, 21, 15, 0, 0, time.UTC) || ml.Extra["error_code"] != "" {
					t.Errorf("multi-line: got %+v", ml)
				}
				bad := rs[3]
				if !bad.Time.IsZero() || bad.RawTime != "hier soir" || bad.Location != "line 7" {
					t.Errorf("bad date kept without time: got %+v", bad)
				}
				alpha := rs[4]
				if alpha.Sender.Raw != "RAIDTRACE" || alpha.Sender.E164 != "" || alpha.Direction != importers.Outgoing || alpha.Sender.Key() != "RAIDTRACE" {
					t.Errorf("alphanumeric sender: got %+v", alpha)
				}
			}},
		// Header as a spreadsheet may rewrite it: BOM, quoted names with spaces around, other case.
		{"console_messy_header.csv", 2, nil, func(t *testing.T, rs []importers.Record) {
			for i, want := range []struct{ text, id string }{{"ta gueule", "SM00000000000000000000000000000021"}, {`ta "gueule"`, "SM00000000000000000000000000000022"}} {
				r := rs[i]
				if r.Text != want.text || r.PlatformID != want.id || r.Sender.E164 == "" || r.Direction != importers.Incoming ||
					!r.Time.Equal(time.Date(2024, 3, 5, 21, 14, 3+i, 0, time.UTC)) || len(r.Extra) != 0 {
					t.Errorf("record %d: got %+v, want text %q, id %s, a sender, incoming, a time, no extra column", i, r, want.text, want.id)
				}
			}
		}},
		{"console_older_order.csv", 3, nil, func(t *testing.T, rs []importers.Record) {
			if rs[0].Text != "Tu vas le regretter" || rs[0].Sender.E164 != "+33612345678" || rs[0].PlatformID != "SM00000000000000000000000000000011" {
				t.Errorf("first: got %+v", rs[0])
			}
			if rs[2].Direction != importers.Outgoing || rs[2].Recipients[0].E164 != "+33612345678" {
				t.Errorf("reply: got %+v", rs[2])
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			c, err := readFile(t, ReadCSV, filepath.Join("testdata", tt.file), importers.Options{}.WithDefaults())
			if err != nil {
				t.Fatalf("ReadCSV: %v", err)
			}
			if got := len(c.Records); got != tt.records {
				t.Fatalf("records: got %d, want %d; problems %v", got, tt.records, c.Problems)
			}
			if got, want := len(c.Problems), len(tt.problems); got != want {
				t.Fatalf("problems: got %v, want %v", c.Problems, tt.problems)
			}
			for i, p := range c.Problems {
				if !strings.HasPrefix(p.String(), tt.problems[i]) {
					t.Errorf("problem %d: got %q, want prefix %q", i, p, tt.problems[i])
				}
			}
			tt.check(t, c.Records)
		})
	}
}

func TestReadCSVMissingColumn(t *testing.T) {
	in := "To,Body,Status\n+33600000000,hi,received\n"
	err := ReadCSV(context.Background(), strings.NewReader(in), importers.Options{}, &importers.Collector{})
	var pe *importers.ParseError
	if !errors.As(err, &pe) || pe.Line != 1 || !strings.Contains(err.Error(), "From") || !strings.Contains(err.Error(), "SentDate") || !strings.Contains(err.Error(), `"Status"`) {
		t.Errorf("got %v, want a line-1 ParseError naming From, SentDate and the header", err)
	}
}

func TestReadJSON(t *testing.T) {
	tests := []struct {
		file      string
		records   []string // locations
		problems  []string
		truncated bool
	}{
		{"message_whatsapp.json", []string{"/"}, nil, false},
		{"list_page_bad_element.json", []string{"/messages/0", "/messages/2", "/messages/3"}, []string{"/messages/1"}, false},
		{"list_page_truncated.json", []string{"/messages/0", "/messages/2"}, []string{"/messages/1"}, true},
		// An unquoted body and a missing closing quote: each message is reported, the others import.
		{"list_page_syntax_error.json", []string{"/messages/0", "/messages/2", "/messages/4"}, []string{"/messages/1", "/messages/3"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			c, err := readFile(t, ReadJSON, filepath.Join("testdata", tt.file), importers.Options{})
			if got := errors.Is(err, importers.ErrTruncated); got != tt.truncated {
				t.Fatalf("error: got %v, want truncated=%v", err, tt.truncated)
			}
			if tt.truncated && !strings.Contains(err.Error(), "/messages/3") {
				t.Errorf("truncation error %q does not name /messages/3", err)
			}
			var locs, probs []string
			for _, r := range c.Records {
				locs = append(locs, r.Location)
			}
			for _, p := range c.Problems {
				probs = append(probs, p.Location)
			}
			if fmt.Sprint(locs) != fmt.Sprint(tt.records) || fmt.Sprint(probs) != fmt.Sprint(tt.problems) {
				t.Errorf("got records %v problems %v, want %v and %v", locs, probs, tt.records, tt.problems)
			}
		})
	}
	c, _ := readFile(t, ReadJSON, "testdata/list_page_syntax_error.json", importers.Options{})
	for i, want := range []string{
		"not valid JSON: invalid character 'e' in literal true (expecting 'r') at byte 866; bytes 755 to 1356 skipped",
		"not valid JSON: invalid character '\\n' in string literal at byte 2098; bytes 1974 to 2581 skipped",
	} {
		if i >= len(c.Problems) || c.Problems[i].Reason != want {
			t.Errorf("problem %d: got %v, want reason %q", i, c.Problems, want)
		}
	}
	c, _ = readFile(t, ReadJSON, "testdata/message_whatsapp.json", importers.Options{})
	r := c.Records[0]
	if r.Platform != "whatsapp" || r.Sender.E164 != "+33612345678" || r.Recipients[0].E164 != "+33700000001" ||
		r.Time != time.Date(2015, 7, 30, 20, 12, 31, 0, time.UTC) || r.Extra["error_code"] != "30004" ||
		r.Extra["messaging_service_sid"] != "MG0000000000000000000000000000000b" || r.Extra["price_unit"] != "EUR" {
		t.Errorf("single resource: got %+v", r)
	}
}

func TestReadBulk(t *testing.T) {
	tests := []struct {
		file      string
		records   []string
		problems  []string
		truncated bool
	}{
		{"bulk_day.jsonl.gz", []string{"line 1", "line 2", "line 3", "line 4"}, nil, false},
		{"bulk_day_with_bad_lines.jsonl", []string{"line 1", "line 2", "line 6", "line 7"}, []string{"line 3", "line 5"}, false},
		{"bulk_day_truncated.jsonl.gz", nil, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			c, err := readFile(t, ReadBulk, filepath.Join("testdata", tt.file), importers.Options{})
			if got := errors.Is(err, importers.ErrTruncated); got != tt.truncated {
				t.Fatalf("error: got %v, want truncated=%v", err, tt.truncated)
			}
			var locs, probs []string
			for _, r := range c.Records {
				locs = append(locs, r.Location)
			}
			for _, p := range c.Problems {
				probs = append(probs, p.Location)
			}
			if tt.truncated {
				if len(locs) >= 4 || len(probs) != 0 {
					t.Errorf("truncated: got records %v problems %v, want fewer than 4 whole lines and no problems", locs, probs)
				}
				return
			}
			if fmt.Sprint(locs) != fmt.Sprint(tt.records) || fmt.Sprint(probs) != fmt.Sprint(tt.problems) {
				t.Errorf("got records %v problems %v, want %v and %v", locs, probs, tt.records, tt.problems)
			}
		})
	}
	c, _ := readFile(t, ReadBulk, "testdata/bulk_day.jsonl.gz", importers.Options{})
	if got, want := c.Records[1].Time, time.Date(2024, 3, 5, 21, 14, 4, 250e6, time.UTC); !got.Equal(want) {
		t.Errorf("ISO-8601 ms: got %v, want %v", got, want)
	}
	if r := c.Records[2]; r.Platform != "whatsapp" || r.Sender.E164 != "+447700900123" || r.Extra["num_media"] != "1" {
		t.Errorf("whatsapp line: got %+v", r)
	}
}

func TestSniff(t *testing.T) {
	files := map[string]string{
		"console_documented_order.csv":                             "twilio-csv",
		"console_older_order.csv":                                  "twilio-csv",
		"console_semicolon_cp1252.csv":                             "twilio-csv",
		"console_messy_header.csv":                                 "twilio-csv",
		"bulk_day.jsonl.gz":                                        "twilio-bulk",
		"bulk_day_with_bad_lines.jsonl":                            "twilio-bulk",
		"message_whatsapp.json":                                    "twilio-json",
		"list_page_bad_element.json":                               "twilio-json",
		samples + "twilio/messages_list_page.json":                 "twilio-json",
		samples + "twitter-api-v1.1/statuses.json":                 "",
		samples + "sms-backup-restore/devadvance_sample_small.xml": "",
	}
	for _, f := range []importers.Format{JSON, Bulk, CSV} {
		if f.Sniff(nil, "folder") {
			t.Errorf("%s claims a folder (nil head)", f.ID)
		}
	}
	for name, want := range files {
		path := name
		if !strings.Contains(name, "/") {
			path = filepath.Join("testdata", name)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Logf("skip %s: %v", path, err)
			continue
		}
		if len(b) > 64<<10 {
			b = b[:64<<10]
		}
		var got []string
		for _, f := range []importers.Format{JSON, Bulk, CSV} {
			if f.Sniff(b, filepath.Base(path)) {
				got = append(got, f.ID)
			}
		}
		if strings.Join(got, ",") != want {
			t.Errorf("%s: got %v, want %q", name, got, want)
		}
	}
}

func TestImportFormat(t *testing.T) {
	var c importers.Collector
	var progressed int64
	opt := importers.Options{Progress: func(done, total int64) { progressed = done }}
	if err := Bulk.Import(context.Background(), "testdata/bulk_day.jsonl.gz", opt, &c); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat("testdata/bulk_day.jsonl.gz")
	if len(c.Records) != 4 || progressed != st.Size() {
		t.Errorf("got %d records, progress %d, want 4 and %d", len(c.Records), progressed, st.Size())
	}
}

func fuzzSeeds(f *testing.F, pattern string) {
	paths, _ := filepath.Glob(filepath.Join("testdata", pattern))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		if !strings.HasSuffix(p, ".gz") {
			for _, v := range fuzzseed.Hostile(b) {
				f.Add(v)
			}
		}
	}
}

func fuzzRead(f *testing.F, read readFunc) {
	f.Fuzz(func(t *testing.T, b []byte) {
		var c importers.Collector
		err := read(context.Background(), bytes.NewReader(b), importers.Options{}, &c)
		var pe *importers.ParseError
		if err != nil && !errors.As(err, &pe) {
			t.Errorf("error without a location: %v", err)
		}
		for _, p := range c.Problems {
			if p.Location == "" || p.Reason == "" {
				t.Errorf("problem without location or reason: %+v", p)
			}
		}
	})
}

func FuzzReadJSON(f *testing.F) {
	fuzzSeeds(f, "*.json")
	if b, err := os.ReadFile(samples + "twilio/messages_list_page.json"); err == nil {
		f.Add(b)
	}
	fuzzRead(f, ReadJSON)
}

func FuzzReadBulk(f *testing.F) {
	fuzzSeeds(f, "*.jsonl*")
	fuzzRead(f, ReadBulk)
}

func FuzzReadCSV(f *testing.F) {
	fuzzSeeds(f, "*.csv")
	fuzzRead(f, ReadCSV)
}

func BenchmarkReadBulk(b *testing.B) {
	var plain bytes.Buffer
	n := 0
	for plain.Len() < 4<<20 {
		fmt.Fprintf(&plain, `{"account_sid":"AC0000000000000000000000000000000a","body":"message numéro %d, t'es qu'une merde","date_sent":"2024-03-05T21:%02d:%02dZ","direction":"inbound","from":"+336%08d","to":"+33700000001","num_segments":"1","num_media":"0","price":"-0.0075","sid":"SM%032d","status":"received"}`+"\n",
			n, n/60%60, n%60, n, n)
		n++
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(plain.Bytes())
	zw.Close()
	for _, in := range []struct {
		name string
		b    []byte
	}{{"plain", plain.Bytes()}, {"gzip", gz.Bytes()}} {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(plain.Len()))
			b.ReportAllocs()
			var before runtime.MemStats
			runtime.ReadMemStats(&before) // the input, held by the benchmark
			stop := heappeak.Start()
			for b.Loop() {
				var count countSink
				if err := ReadBulk(context.Background(), bytes.NewReader(in.b), importers.Options{}, &count); err != nil || count.n != n {
					b.Fatalf("got %d records, err %v; want %d", count.n, err, n)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
			b.ReportMetric(heappeak.MB(max(stop(), before.HeapInuse)-before.HeapInuse), "peak-heap-MB") // above the input
		})
	}
}

func BenchmarkReadCSV(b *testing.B) {
	var in bytes.Buffer
	in.WriteString("From,To,Body,Status,SentDate,ApiVersion,NumSegments,ErrorCode,AccountSid,Sid,Direction,Price,PriceUnit\r\n")
	n := 0
	for in.Len() < 4<<20 {
		fmt.Fprintf(&in, "\"+336%08d\",\"+33700000001\",\"message numéro %d, t'es qu'une merde\",\"received\",\"Tue, 05 Mar 2024 21:%02d:%02d +0000\",\"2010-04-01\",\"1\",\"\",\"AC0000000000000000000000000000000a\",\"SM%032d\",\"inbound\",\"-0.0075\",\"USD\"\r\n",
			n, n, n/60%60, n%60, n)
		n++
	}
	b.SetBytes(int64(in.Len()))
	b.ReportAllocs()
	var before runtime.MemStats
	runtime.ReadMemStats(&before) // the input, held by the benchmark
	stop := heappeak.Start()
	for b.Loop() {
		var count countSink
		if err := ReadCSV(context.Background(), bytes.NewReader(in.Bytes()), importers.Options{}, &count); err != nil || count.n != n {
			b.Fatalf("got %d records, err %v; want %d", count.n, err, n)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(heappeak.MB(max(stop(), before.HeapInuse)-before.HeapInuse), "peak-heap-MB") // above the input
}

type countSink struct{ n, problems int }

func (c *countSink) Record(importers.Record) error { c.n++; return nil }
func (c *countSink) Problem(importers.Problem)     { c.problems++ }

func TestReadCSVUnknownColumnsKept(t *testing.T) {
	in := "Sid,From,To,Body,SentDate,ApiVersion,MediaUrl0,Tags\n" +
		"SM1,+33612345678,+33700000001,regarde,2024-03-05 21:14:03,2010-04-01,https://example.invalid/m.jpg,\n"
	var c importers.Collector
	if err := ReadCSV(context.Background(), strings.NewReader(in), importers.Options{}, &c); err != nil {
		t.Fatal(err)
	}
	got := c.Records[0].Extra
	if got["MediaUrl0"] != "https://example.invalid/m.jpg" || len(got) != 1 {
		t.Errorf("extra: got %v, want only MediaUrl0 (ApiVersion and empty columns dropped)", got)
	}
}

func TestReadJSONSeveralDocuments(t *testing.T) {
	page := func(sids ...string) string {
		var ms []string
		for _, s := range sids {
			ms = append(ms, `{"sid":"`+s+`","from":"+33612345678","body":"x","date_sent":"Tue, 05 Mar 2024 21:14:03 +0000"}`)
		}
		return `{"messages":[` + strings.Join(ms, ",") + `],"page":0}`
	}
	tests := []struct {
		name, in string
		locs     []string
		problems []string
		err      string
	}{
		{"pages on lines", page("SM1", "SM2") + "\n" + page("SM3") + "\n", []string{"/messages/0", "/messages/1", "/messages/0 (document 2)"}, nil, ""},
		{"page then message", page("SM1") + `{"sid":"SM9","body":"y"}`, []string{"/messages/0", "/ (document 2)"}, nil, ""},
		{"page then other object", page("SM1") + `{"other":1}`, []string{"/messages/0"}, []string{"/ (document 2)"}, ""},
		{"trailing garbage", page("SM1") + "]", []string{"/messages/0"}, nil, "(document 2)"},
		{"empty", "", nil, nil, "empty file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c importers.Collector
			err := ReadJSON(context.Background(), strings.NewReader(tt.in), importers.Options{}, &c)
			if (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
				t.Errorf("error: got %v, want %q", err, tt.err)
			}
			var locs, probs []string
			for _, r := range c.Records {
				locs = append(locs, r.Location)
			}
			for _, p := range c.Problems {
				probs = append(probs, p.Location)
			}
			if fmt.Sprint(locs) != fmt.Sprint(tt.locs) || fmt.Sprint(probs) != fmt.Sprint(tt.problems) {
				t.Errorf("got records %q problems %q, want %q and %q", locs, probs, tt.locs, tt.problems)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	want := time.Date(2015, 7, 3, 20, 12, 31, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"Fri, 03 Jul 2015 20:12:31 +0000", want, true},
		{"Fri, 3 Jul 2015 22:12:31 +0200", want, true},
		{"Fri, 03 Jul 2015 20:12:31 GMT", want, true},
		{"2015-07-03T20:12:31Z", want, true},
		{"2015-07-03T22:12:31.000+02:00", want, true},
		{"2015-07-03T22:12:31+0200", want, true},
		{"2015-07-03 22:12:31+02:00", want, true},
		{"2015-07-03 22:12:31 +0200", want, true},
		{"2015-07-03 20:12:31 UTC", want, true},
		{" 2015-07-03 20:12:31 ", want, true},
		{"2015-07-03T20:12:31", want, true},
		{"03/07/2015 20:12", time.Time{}, false},
		{"", time.Time{}, false},
	}
	for _, tt := range tests {
		got, err := parseDate(tt.in)
		if (err == nil) != tt.ok || !got.Equal(tt.want) {
			t.Errorf("parseDate(%q) = %v, %v; want %v (ok %v)", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// TestReadCSVWindows1252: the console CSV re-saved in Windows-1252 gives the same records as the
// UTF-8 original, plus a warning on line 1.
func TestReadCSVWindows1252(t *testing.T) {
	want, err := readFile(t, ReadCSV, "testdata/console_documented_order.csv", importers.Options{}.WithDefaults())
	if err != nil {
		t.Fatal(err)
	}
	got, err := readFile(t, ReadCSV, "testdata/console_cp1252.csv", importers.Options{}.WithDefaults())
	if err != nil {
		t.Fatal(err)
	}
	if g, w := fmt.Sprint(got.Records), fmt.Sprint(want.Records); g != w || len(got.Records) == 0 {
		t.Errorf("records:\n got %s\nwant %s", g, w)
	}
	if len(got.Problems) != len(want.Problems)+1 || got.Problems[0].Location != "line 1" || !strings.Contains(got.Problems[0].Reason, "Windows-1252") {
		t.Errorf("problems: got %v, want the Windows-1252 warning then %v", got.Problems, want.Problems)
	}
}

// TestReadCSVSemicolons: the console CSV re-saved by a French Excel (semicolons, Windows-1252,
// CRLF, quotes only where needed) gives the same records as the original.
func TestReadCSVSemicolons(t *testing.T) {
	want, err := readFile(t, ReadCSV, "testdata/console_older_order.csv", importers.Options{}.WithDefaults())
	if err != nil {
		t.Fatal(err)
	}
	got, err := readFile(t, ReadCSV, "testdata/console_semicolon_cp1252.csv", importers.Options{}.WithDefaults())
	if err != nil {
		t.Fatal(err)
	}
	if g, w := fmt.Sprint(got.Records), fmt.Sprint(want.Records); g != w || len(got.Records) == 0 {
		t.Errorf("records:\n got %s\nwant %s", g, w)
	}
	for _, p := range got.Problems {
		if !strings.Contains(p.Reason, "Windows-1252") {
			t.Errorf("problem %v, want none but the encoding warning", p)
		}
	}
}

// TestReadCSVCRLineEnds: the console CSV saved with carriage return line ends (old Mac, Excel for
// Mac) is claimed and gives the same records, on the same lines, as the CRLF original, plus one
// warning that says how its lines were read.
func TestReadCSVCRLineEnds(t *testing.T) {
	want, err := readFile(t, ReadCSV, "testdata/console_documented_order.csv", importers.Options{}.WithDefaults())
	if err != nil {
		t.Fatal(err)
	}
	got, err := readFile(t, ReadCSV, "testdata/console_cr.csv", importers.Options{}.WithDefaults())
	if err != nil {
		t.Fatal(err)
	}
	if g, w := fmt.Sprint(got.Records), fmt.Sprint(want.Records); g != w || len(got.Records) == 0 {
		t.Errorf("records:\n got %s\nwant %s", g, w)
	}
	wantProblems := append([]importers.Problem{csvrows.CRProblem}, want.Problems...)
	if g, w := fmt.Sprint(got.Problems), fmt.Sprint(wantProblems); g != w {
		t.Errorf("problems:\n got %s\nwant %s", g, w)
	}
	b, err := os.ReadFile("testdata/console_cr.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !SniffCSV(b, "console_cr.csv") {
		t.Errorf("SniffCSV(CR line ends) = false, want true")
	}
}

// BenchmarkReadJSON reads a Twilio API list page of about 4 MB (the messages array streamed
// element by element).
func BenchmarkReadJSON(b *testing.B) {
	var in bytes.Buffer
	in.WriteString(`{"first_page_uri":"/2010-04-01/Accounts/AC0/Messages.json?PageSize=50&Page=0","messages":[`)
	n := 0
	for in.Len() < 4<<20 {
		if n > 0 {
			in.WriteString(",")
		}
		fmt.Fprintf(&in, `{"account_sid":"AC0000000000000000000000000000000a","api_version":"2010-04-01","body":"message numéro %d, t'es qu'une merde","date_created":"Tue, 05 Mar 2024 21:%02d:%02d +0000","date_sent":"Tue, 05 Mar 2024 21:%02d:%02d +0000","direction":"inbound","from":"+336%08d","to":"+33700000001","num_media":"0","num_segments":"1","price":"-0.0075","price_unit":"USD","sid":"SM%032d","status":"received"}`,
			n, n/60%60, n%60, n/60%60, n%60, n, n)
		n++
	}
	in.WriteString(`],"page":0,"page_size":50}`)
	b.SetBytes(int64(in.Len()))
	b.ReportAllocs()
	var before runtime.MemStats
	runtime.ReadMemStats(&before) // the input, held by the benchmark
	stop := heappeak.Start()
	for b.Loop() {
		var count countSink
		if err := ReadJSON(context.Background(), bytes.NewReader(in.Bytes()), importers.Options{}, &count); err != nil || count.n != n {
			b.Fatalf("got %d records, err %v; want %d", count.n, err, n)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(heappeak.MB(max(stop(), before.HeapInuse)-before.HeapInuse), "peak-heap-MB") // above the input
}
