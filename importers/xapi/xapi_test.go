package xapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"raidtrace/importers"
	"raidtrace/importers/internal/fuzzseed"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

const samples = "../../../shared/samples"

func readFile(t testing.TB, path string, opt importers.Options) (*importers.Collector, error) {
	t.Helper()
	var c importers.Collector
	err := Format.Import(context.Background(), path, opt, &c)
	return &c, err
}

// countTweets counts, independently of the importer, the tweets and DMs in a capture: it decodes
// the file as a sequence of JSON values and counts the entries of each shape. bad is the number
// of values that did not decode (the rest of the file is then counted line by line).
func countTweets(t *testing.T, data []byte) (n, bad int) {
	t.Helper()
	var count func(v any) int
	count = func(v any) int {
		switch v := v.(type) {
		case []any:
			c := 0
			for _, e := range v {
				c += count(e)
			}
			return c
		case map[string]any:
			for _, k := range []string{"data", "statuses", "results", "events"} {
				if sub, ok := v[k]; ok {
					return count(sub)
				}
			}
			if typ, ok := v["type"]; ok {
				if typ == "message_create" {
					return 1
				}
				return 0
			}
			if _, ok := v["text"]; ok {
				return 1
			}
		}
		return 0
	}
	for i, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		var v any
		if err := json.Unmarshal(line, &v); err != nil {
			if i == 0 { // a pretty-printed document
				dec := json.NewDecoder(bytes.NewReader(data))
				for {
					var v any
					if err := dec.Decode(&v); err == io.EOF {
						return n, bad
					} else if err != nil {
						return n, bad + 1
					}
					n += count(v)
				}
			}
			bad++
			continue
		}
		n += count(v)
	}
	return n, bad
}

func TestSamples(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(samples, "twitter-api-*", "*"))
	if len(files) == 0 {
		t.Skipf("no samples in %s (the shared samples folder is absent)", samples)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			wantN, wantBad := countTweets(t, data)
			c, err := readFile(t, f, importers.Options{})
			if err != nil {
				t.Fatalf("Import: %v", err)
			}
			if got := len(c.Records); got != wantN {
				t.Errorf("records: got %d, want %d", got, wantN)
			}
			skipped := 0
			for _, p := range c.Problems {
				if !p.Warning {
					skipped++
				}
			}
			if skipped != wantBad {
				t.Errorf("skipped: got %d (%v), want %d", skipped, c.Problems, wantBad)
			}
			for _, r := range c.Records {
				if r.Sender.ID == "" || r.PlatformID == "" || r.Time.IsZero() || r.Location == "" {
					t.Errorf("%s: incomplete record: sender %+v, id %q, time %v", r.Location, r.Sender, r.PlatformID, r.Time)
				}
				if r.Platform == "x" && r.Sender.Handle == "" {
					t.Errorf("%s: tweet sender has no handle: %+v", r.Location, r.Sender)
				}
			}
		})
	}
}

func TestTruncatedStreamLine(t *testing.T) {
	f := filepath.Join(samples, "twitter-api-v2-twarc2", "streaming_output_with_error.jsonl")
	if _, err := os.Stat(f); err != nil {
		t.Skipf("sample %s absent: %v", f, err)
	}
	c, err := readFile(t, f, importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Problems) != 1 {
		t.Fatalf("problems: got %v, want one for line 8", c.Problems)
	}
	if got := c.Problems[0].Location; got != "line 8" {
		t.Errorf("problem location: got %q, want %q", got, "line 8")
	}
	if !strings.Contains(c.Problems[0].Reason, "truncated") {
		t.Errorf("problem reason: got %q, want it to say truncated", c.Problems[0].Reason)
	}
}

func TestFixtures(t *testing.T) {
	find := func(c *importers.Collector, id string) *importers.Record {
		for i := range c.Records {
			if c.Records[i].PlatformID == id {
				return &c.Records[i]
			}
		}
		return nil
	}
	tests := []struct {
		file         string
		owner        string
		records      int
		skipped      int
		id           string // a record to check
		wantText     string
		wantSender   importers.Party
		wantDir      importers.Direction
		wantLocation string
		wantExtra    map[string]string
	}{
		{file: "v11_stream_crlf.json", records: 3, skipped: 2, id: "1500000000000000001",
			wantText:     "@victime_fr t'es qu'une <menteuse> & tout le monde le sait",
			wantSender:   importers.Party{ID: "901234567890123456", Handle: "raid_bot_01", Name: "Bot équipe"},
			wantDir:      importers.Incoming,
			wantLocation: "line 1",
			wantExtra: map[string]string{"in_reply_to_status_id": "1499999999999999999",
				"in_reply_to_user_id": "1122334455", "in_reply_to_screen_name": "victime_fr", "lang": "fr"}},
		{file: "v11_stream_crlf.json", records: 3, skipped: 2, id: "1500000000000000002",
			wantText:     "@victime_fr this is the truncated compat text of a very long message that goes on and on and on and on and on and on and on and on until it is well past one hundred and forty characters 😡 #raid",
			wantSender:   importers.Party{ID: "12345", Handle: "Troll_Two", Name: "Deux &amp; Co"},
			wantDir:      importers.Incoming,
			wantLocation: "line 5"},
		{file: "v11_stream_crlf.json", records: 3, skipped: 2, id: "1500000000000000003",
			wantText:     "RT @Troll_Two: @victime_fr this is the truncated compat text",
			wantSender:   importers.Party{ID: "901234567890123456", Handle: "raid_bot_01", Name: "Bot équipe"},
			wantDir:      importers.Incoming,
			wantLocation: "line 8",
			wantExtra:    map[string]string{"retweet": "true", "retweeted_status_id": "1500000000000000002", "lang": "fr"}},
		{file: "premium_results.json", owner: "@Owner_Acct", records: 2, id: "1500000000000000010",
			wantText:     "@victime_fr full_text wins over text & is unescaped",
			wantSender:   importers.Party{ID: "12345", Handle: "Troll_Two", Name: "Deux &amp; Co"},
			wantDir:      importers.Incoming,
			wantLocation: "#/results/0"},
		{file: "premium_results.json", owner: "@Owner_Acct", records: 2, id: "1500000000000000011",
			wantText:     "@someone my reply",
			wantSender:   importers.Party{ID: "777", Handle: "owner_acct", Name: "Camille"},
			wantDir:      importers.Outgoing,
			wantLocation: "#/results/1"},
		{file: "legacy_dms.json", owner: "1122334455", records: 2, id: "240136858829479935",
			wantText:     "réponds <3 ou je publie ton adresse",
			wantSender:   importers.Party{ID: "12345", Handle: "Troll_Two", Name: "Deux"},
			wantDir:      importers.Incoming,
			wantLocation: "#/0"},
		{file: "legacy_dms.json", owner: "1122334455", records: 2, id: "240136858829479936",
			wantText:     "laisse-moi tranquille",
			wantSender:   importers.Party{ID: "1122334455", Handle: "victime_fr"},
			wantDir:      importers.Outgoing,
			wantLocation: "#/1"},
		{file: "dm_events_users.json", owner: "victime_fr", records: 3, skipped: 1, id: "1100000000000000001",
			wantText:     "on sait où tu habites & on arrive",
			wantSender:   importers.Party{ID: "901234567890123456", Handle: "raid_bot_01", Name: "Bot"},
			wantDir:      importers.Incoming,
			wantLocation: "#/events/0",
			wantExtra:    map[string]string{"source_app": "Twitter Web Client"}},
		{file: "dm_events_users.json", owner: "1122334455", records: 3, skipped: 1, id: "1100000000000000004",
			wantText:     "💀💀",
			wantSender:   importers.Party{ID: "55555"},
			wantDir:      importers.Incoming,
			wantLocation: "#/events/3"},
		{file: "flat.jsonl", records: 2, id: "1600000000000000001",
			wantText:     "@victime_fr tu vas le regretter & pas qu'un peu",
			wantSender:   importers.Party{ID: "888", Handle: "haineux88", Name: "Haineux 🔥"},
			wantDir:      importers.Incoming,
			wantLocation: "line 1",
			wantExtra: map[string]string{"in_reply_to_user_id": "1122334455",
				"referenced_tweets": "replied_to:1599999999999999999", "lang": "fr"}},
		{file: "flat.jsonl", owner: "longwriter", records: 2, id: "1600000000000000002",
			wantText:     "Long post begins here and is cut nowhere because note_tweet carries the whole text, well over 280 characters in real life.",
			wantSender:   importers.Party{ID: "889", Handle: "LongWriter", Name: "Long"},
			wantDir:      importers.Outgoing,
			wantLocation: "line 2",
			wantExtra:    map[string]string{"note_tweet": "true", "lang": "en"}},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.id, func(t *testing.T) {
			c, err := readFile(t, filepath.Join("testdata", tt.file), importers.Options{Owner: tt.owner})
			if err != nil {
				t.Fatalf("Import: %v", err)
			}
			if got := len(c.Records); got != tt.records {
				t.Errorf("records: got %d, want %d", got, tt.records)
			}
			skipped := 0
			for _, p := range c.Problems {
				if !p.Warning {
					skipped++
				}
			}
			if skipped != tt.skipped {
				t.Errorf("skipped: got %d %v, want %d", skipped, c.Problems, tt.skipped)
			}
			r := find(c, tt.id)
			if r == nil {
				t.Fatalf("record %s not imported", tt.id)
			}
			if r.Text != tt.wantText {
				t.Errorf("text: got %q, want %q", r.Text, tt.wantText)
			}
			if r.Sender != tt.wantSender {
				t.Errorf("sender: got %+v, want %+v", r.Sender, tt.wantSender)
			}
			if r.Direction != tt.wantDir {
				t.Errorf("direction: got %q, want %q", r.Direction, tt.wantDir)
			}
			if r.Location != tt.wantLocation {
				t.Errorf("location: got %q, want %q", r.Location, tt.wantLocation)
			}
			for k, want := range tt.wantExtra {
				if got := r.Extra[k]; got != want {
					t.Errorf("extra[%s]: got %q, want %q", k, got, want)
				}
			}
		})
	}
}

// TestGolden compares every record and problem decoded from each fixture with
// testdata/golden/<fixture>.json; run with -update to rewrite them after checking the diff.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.json*")
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			c, err := readFile(t, f, importers.Options{Owner: "victime_fr"})
			out := struct {
				Records  []importers.Record
				Problems []importers.Problem
				Error    string `json:",omitempty"`
			}{c.Records, c.Problems, ""}
			if err != nil {
				out.Error = err.Error()
			}
			got, _ := json.MarshalIndent(out, "", "  ")
			golden := filepath.Join("testdata", "golden", filepath.Base(f)+".golden")
			if *update {
				if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(append(got, '\n'), want) {
				t.Errorf("output differs from %s:\ngot:\n%s\nwant:\n%s", golden, got, want)
			}
		})
	}
}

func TestTruncatedDocument(t *testing.T) {
	c, err := readFile(t, "testdata/truncated_array.json", importers.Options{})
	var pe *importers.ParseError
	if !errors.As(err, &pe) || !errors.Is(err, importers.ErrTruncated) {
		t.Fatalf("error: got %v, want a ParseError wrapping ErrTruncated", err)
	}
	if !strings.HasPrefix(pe.Location, "#/2") {
		t.Errorf("error location: got %q, want it to start with #/2", pe.Location)
	}
	if got := len(c.Records); got != 2 {
		t.Errorf("records before the break: got %d, want 2", got)
	}
}

func TestLines(t *testing.T) {
	tweet := func(id, text string) string {
		return fmt.Sprintf(`{"id":%q,"text":%q,"author_id":"1","created_at":"2022-01-01T00:00:00.000Z"}`, id, text)
	}
	long := strings.Repeat("x", 200<<10) // longer than any bufio default
	tests := []struct {
		name     string
		in       string
		records  int
		problems []string // locations
	}{
		{"lf", tweet("1", "a") + "\n" + tweet("2", "b") + "\n", 2, nil},
		{"crlf keep-alives", "\r\n" + tweet("1", "a") + "\r\n\r\n\r\n" + tweet("2", "b") + "\r\n\r\n", 2, nil},
		{"no final newline", tweet("1", "a") + "\n" + tweet("2", "b"), 2, nil},
		{"very long line", tweet("1", long) + "\n" + tweet("2", "b") + "\n", 2, nil},
		{"bad middle line", tweet("1", "a") + "\n{oops\n" + tweet("2", "b") + "\n", 2, []string{"line 2"}},
		{"bad first line", `{"id":"1","te` + "\n" + tweet("2", "b") + "\n" + tweet("3", "c") + "\n", 2, []string{"line 1"}},
		{"truncated last line", tweet("1", "a") + "\n" + `{"id":"2","text":"b`, 1, []string{"line 2"}},
		{"not a tweet", tweet("1", "a") + "\n" + `{"limit":{"track":3}}` + "\n", 1, []string{"line 2"}},
		{"array line", "[" + tweet("1", "a") + "," + tweet("2", "b") + "]\n", 2, nil},
		{"empty", "", 0, nil},
		{"byte order mark", "\ufeff" + tweet("1", "a") + "\n", 1, nil},
		{"pretty object after bom", "\ufeff{\n \"statuses\": [\n  {\"id_str\":\"1\",\"text\":\"a\",\"user\":{\"id_str\":\"2\"},\"created_at\":\"Fri Dec 05 15:55:44 +0000 2014\"}\n ]\n}\n", 1, nil},
		{"blank lines only", "\r\n\r\n", 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c importers.Collector
			if err := Read(context.Background(), strings.NewReader(tt.in), importers.Options{}, &c); err != nil {
				t.Fatalf("Read: %v", err)
			}
			if got := len(c.Records); got != tt.records {
				t.Errorf("records: got %d, want %d", got, tt.records)
			}
			var got []string
			for _, p := range c.Problems {
				got = append(got, p.Location)
			}
			if strings.Join(got, ";") != strings.Join(tt.problems, ";") {
				t.Errorf("problems: got %v, want %v", c.Problems, tt.problems)
			}
		})
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		head string
		want bool
	}{
		{`{"data":[{"id":"1","author_id":"2"}],"__twarc":{}}`, true},
		{`[{"created_at":"Fri Dec 05 15:55:44 +0000 2014","id_str":"1","in_reply_to_status_id":null}]`, true},
		{"\r\n{\"events\":[{\"type\":\"message_create\"", true},
		{`window.YTD.tweets.part0 = [ {"tweet":{"in_reply_to_status_id_str":"1"}}]`, false},
		{`{"sid":"SM1","account_sid":"AC1","body":"hi"}`, false},
		{`<?xml version="1.0"?><smses/>`, false},
		{``, false},
	}
	for _, tt := range tests {
		if got := Sniff([]byte(tt.head), "x.json"); got != tt.want {
			t.Errorf("Sniff(%.40q): got %v, want %v", tt.head, got, tt.want)
		}
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var c importers.Collector
	err := Read(ctx, strings.NewReader(`{"id":"1","text":"a","author_id":"1"}`+"\n"), importers.Options{}, &c)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error: got %v, want context.Canceled", err)
	}
}

func FuzzRead(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.json*")
	more, _ := filepath.Glob(filepath.Join(samples, "twitter-api-*", "*"))
	for _, s := range append(seeds, more...) {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
			if strings.HasPrefix(s, "testdata") {
				for _, v := range fuzzseed.Hostile(b) {
					f.Add(v)
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var c importers.Collector
		err := Read(context.Background(), bytes.NewReader(data), importers.Options{Owner: "x"}, &c)
		var pe *importers.ParseError
		if err != nil && !errors.As(err, &pe) {
			t.Fatalf("error without a location: %v", err)
		}
		for _, r := range c.Records {
			if r.Location == "" {
				t.Fatalf("record without location: %+v", r)
			}
		}
	})
}

func ExampleRead() {
	capture := `{"data":[{"id":"1600000000000000001","author_id":"888","text":"@victime_fr dégage &amp; vite","created_at":"2022-12-01T20:00:00.000Z","conversation_id":"1600000000000000001"}],"includes":{"users":[{"id":"888","username":"haineux88","name":"Haineux"}]}}` + "\n"
	var c importers.Collector
	if err := Read(context.Background(), strings.NewReader(capture), importers.Options{Owner: "victime_fr"}, &c); err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range c.Records {
		fmt.Println(r.Location, r.Sender.Handle, r.Sender.ID, r.Direction, r.Time.Format(time.RFC3339), r.Text)
	}
	// Output:
	// line 1 #/data/0 haineux88 888 in 2022-12-01T20:00:00Z @victime_fr dégage & vite
}

// BenchmarkXAPI decodes a generated twarc2 capture of a few MB: response pages of 100 tweets each.
func BenchmarkXAPI(b *testing.B) {
	var buf bytes.Buffer
	tweets := 0
	for page := 0; buf.Len() < 4<<20; page++ {
		var data []string
		var users []string
		for i := 0; i < 100; i++ {
			id := fmt.Sprintf("%d", 1600000000000000000+page*100+i)
			author := fmt.Sprintf("%d", 1000+i)
			data = append(data, fmt.Sprintf(`{"id":%q,"author_id":%q,"conversation_id":%q,"created_at":"2022-12-01T20:00:%02d.000Z","text":"@victime_fr message numéro %d &amp; encore \ud83d\ude21 #raid","lang":"fr","entities":{"mentions":[{"start":0,"end":11,"username":"victime_fr","id":"1122334455"}]},"referenced_tweets":[{"type":"replied_to","id":"1599999999999999999"}],"public_metrics":{"retweet_count":0,"reply_count":0,"like_count":0,"quote_count":0}}`, id, author, id, i%60, i))
			users = append(users, fmt.Sprintf(`{"id":%q,"username":"troll%d","name":"Troll %d","created_at":"2020-01-01T00:00:00.000Z","description":"bio"}`, author, i, i))
			tweets++
		}
		fmt.Fprintf(&buf, `{"data":[%s],"includes":{"users":[%s]},"meta":{"result_count":100},"__twarc":{"url":"https://api.twitter.com/2/users/1/mentions","version":"2.12.0","retrieved_at":"2022-12-01T21:00:00+00:00"}}`+"\n",
			strings.Join(data, ","), strings.Join(users, ","))
	}
	in := buf.Bytes()
	b.SetBytes(int64(len(in)))
	var peak uint64
	b.ResetTimer()
	for b.Loop() {
		var n countSink
		if err := Read(context.Background(), bytes.NewReader(in), importers.Options{}, &n); err != nil {
			b.Fatal(err)
		}
		if n.records != tweets {
			b.Fatalf("records: got %d, want %d", n.records, tweets)
		}
		peak = max(peak, n.peakHeap)
	}
	b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
	b.ReportMetric(float64(tweets)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(len(in))*float64(b.N)/b.Elapsed().Seconds()/1e6, "MB/s")
}

// countSink counts what it receives and samples the heap every few thousand records.
type countSink struct {
	records, problems int
	peakHeap          uint64
}

func (c *countSink) Record(importers.Record) error {
	c.records++
	if c.records%4096 == 0 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		c.peakHeap = max(c.peakHeap, ms.HeapInuse)
	}
	return nil
}
func (c *countSink) Problem(importers.Problem) { c.problems++ }

// TestDamagedDocuments: in a pretty-printed document, a damaged element of an envelope or
// top-level array is reported at its pointer and the elements after it import; a document cut
// short imports every complete element before the cut, then reports the cut at its pointer.
func TestDamagedDocuments(t *testing.T) {
	tests := []struct {
		file     string
		ids      []string            // the records imported, in order
		problems []importers.Problem // reasons match by prefix
		err      string              // the returned error's text, by prefix; "" for none
	}{
		{file: "dm_events_cut.json", ids: []string{"856574281366605831", "856571192978927619"},
			err: "#/events/2 (byte 1222): file ends in the middle of a record (truncated): the file ends inside this element; the last 66 bytes of the file, from byte 1222, were not imported"},
		{file: "search_bad_status.json", ids: []string{"1500000000000000201", "1500000000000000203", "1500000000000000204"},
			problems: []importers.Problem{{Location: "#/statuses/1", Reason: "not valid JSON: invalid character '@' looking for beginning of value at byte 1045; bytes 903 to 1778 skipped"}}},
		{file: "premium_cut.json", ids: []string{"1500000000000000205", "1500000000000000206"},
			err: "#/results/2 (byte 1786): file ends in the middle of a record (truncated)"},
		{file: "timeline_bad_element.json", ids: []string{"1500000000000000208", "1500000000000000210", "1500000000000000211"},
			problems: []importers.Problem{{Location: "#/1", Reason: "not valid JSON: invalid character '2' in literal true (expecting 'r') at byte 952; bytes 817 to 1619 skipped"}}},
		{file: "timeline_missing_quote.json", ids: []string{"1500000000000000208", "1500000000000000210", "1500000000000000211"},
			problems: []importers.Problem{{Location: "#/1", Reason: "not valid JSON: invalid character"}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			c, err := readFile(t, filepath.Join("testdata", tt.file), importers.Options{})
			var ids []string
			for _, r := range c.Records {
				ids = append(ids, r.PlatformID)
			}
			if strings.Join(ids, " ") != strings.Join(tt.ids, " ") {
				t.Errorf("records: got %v, want %v", ids, tt.ids)
			}
			var skipped []importers.Problem
			for _, p := range c.Problems {
				if !p.Warning {
					skipped = append(skipped, p)
				}
			}
			if len(skipped) != len(tt.problems) {
				t.Fatalf("problems: got %v, want %v", skipped, tt.problems)
			}
			for i, p := range skipped {
				if p.Location != tt.problems[i].Location || !strings.HasPrefix(p.Reason, tt.problems[i].Reason) {
					t.Errorf("problem %d: got %v, want %v", i, p, tt.problems[i])
				}
			}
			var pe *importers.ParseError
			switch {
			case tt.err == "" && err != nil:
				t.Errorf("error: got %v, want none", err)
			case tt.err != "" && (!errors.As(err, &pe) || !strings.HasPrefix(err.Error(), tt.err)):
				t.Errorf("error: got %v, want a ParseError %q", err, tt.err)
			case tt.err != "" && strings.Contains(tt.err, "truncated") && !errors.Is(err, importers.ErrTruncated):
				t.Errorf("error: got %v, want it to wrap ErrTruncated", err)
			}
		})
	}
}

// TestDMOwnerInferred: without --owner, the account party to every direct message of a file is
// taken for the owner (and a warning says so); when no one account is, the directions stay
// unknown with one warning naming --owner. Tweets are not held back.
func TestDMOwnerInferred(t *testing.T) {
	in, out, unknown := importers.Incoming, importers.Outgoing, importers.Unknown
	tests := []struct {
		name    string
		file    string // under testdata, or the input itself when it starts with "{"
		owner   string
		dirs    map[string]importers.Direction // by platform id
		warning string                         // the one warning about the owner, by prefix; "" for none
	}{
		{name: "inferred", file: "dm_events_users.json",
			dirs:    map[string]importers.Direction{"1100000000000000001": in, "1100000000000000002": out, "1100000000000000004": in},
			warning: "no case owner given (--owner): account 1122334455, party to all 3 direct messages of the file, is taken for the owner"},
		{name: "given", file: "dm_events_users.json", owner: "901234567890123456",
			dirs: map[string]importers.Direction{"1100000000000000001": out, "1100000000000000002": in, "1100000000000000004": in}},
		{name: "one conversation", file: "legacy_dms.json",
			dirs:    map[string]importers.Direction{"240136858829479935": unknown, "240136858829479936": unknown},
			warning: "no case owner given (--owner), and no one account is party to all 2 direct messages of the file: their direction is left unknown; import again with --owner"},
		{name: "cut short", file: "dm_events_cut.json",
			dirs:    map[string]importers.Direction{"856574281366605831": in, "856571192978927619": in},
			warning: "no case owner given (--owner): account 22095868, party to all 2 direct messages"},
		{name: "a recipient unknown", file: `{"events":[` +
			`{"type":"message_create","id":"1","created_timestamp":"1583183700123","message_create":{"target":{"recipient_id":"7"},"sender_id":"8","message_data":{"text":"a"}}},` +
			`{"type":"message_create","id":"2","created_timestamp":"1583183700124","message_create":{"target":{"recipient_id":"9"},"sender_id":"8","message_data":{"text":"b"}}},` +
			`{"type":"message_create","id":"3","created_timestamp":"1583183700125","message_create":{"sender_id":"8","message_data":{"text":"c"}}}]}`,
			dirs:    map[string]importers.Direction{"1": unknown, "2": unknown, "3": unknown},
			warning: "no case owner given (--owner), and no one account is party to all 3"},
		{name: "tweets are not held", file: "premium_results.json",
			dirs: map[string]importers.Direction{"1500000000000000010": in, "1500000000000000011": in}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c *importers.Collector
			if strings.HasPrefix(tt.file, "{") {
				c = &importers.Collector{}
				Read(context.Background(), strings.NewReader(tt.file), importers.Options{Owner: tt.owner}, c)
			} else {
				c, _ = readFile(t, filepath.Join("testdata", tt.file), importers.Options{Owner: tt.owner})
			}
			got := map[string]importers.Direction{}
			for _, r := range c.Records {
				got[r.PlatformID] = r.Direction
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.dirs) {
				t.Errorf("directions: got %v, want %v", got, tt.dirs)
			}
			var warnings []string
			for _, p := range c.Problems {
				if p.Warning && strings.Contains(p.Reason, "--owner") {
					warnings = append(warnings, p.Reason)
				}
			}
			switch {
			case tt.warning == "" && len(warnings) > 0:
				t.Errorf("warnings: got %q, want none", warnings)
			case tt.warning != "" && (len(warnings) != 1 || !strings.HasPrefix(warnings[0], tt.warning)):
				t.Errorf("warnings: got %q, want one %q", warnings, tt.warning)
			}
		})
	}
	// The sample from the API documentation: 3 of its 16 events are the owner's.
	f := filepath.Join(samples, "twitter-api-v1.1", "direct_message_events.json")
	if _, err := os.Stat(f); err != nil {
		t.Skipf("sample %s absent: %v", f, err)
	}
	c, err := readFile(t, f, importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := map[importers.Direction]int{}
	for _, r := range c.Records {
		n[r.Direction]++
		if (r.Direction == out) != (r.Sender.ID == "22095868") {
			t.Errorf("%s: sender %s, direction %q", r.Location, r.Sender.ID, r.Direction)
		}
	}
	if n[out] != 3 || n[in] != 13 {
		t.Errorf("sample directions: got %v, want 3 out, 13 in", n)
	}
}

// TestBrokenPageLine: a broken line of a JSON-lines capture that holds a response page is
// reported, then its data array is read again element by element: the intact tweets import,
// with their authors from the page's includes when those are intact, and only the broken
// elements are reported, at their pointer in the line.
func TestBrokenPageLine(t *testing.T) {
	tweet := func(id, text string) string {
		return fmt.Sprintf(`{"id":%q,"text":%q,"author_id":"1","created_at":"2022-01-01T00:00:00.000Z"}`, id, text)
	}
	includes := `"includes":{"users":[{"id":"1","username":"harceleur"}]}`
	page := func(tweets ...string) string { return `{"data":[` + strings.Join(tweets, ",") + "]," + includes + "}" }
	tests := []struct {
		name     string
		in       string
		records  []string // location and sender handle
		problems []string
	}{
		{"cut in the middle of a tweet",
			page(tweet("1", "a")) + "\n" + `{"data":[` + tweet("2", "b") + "," + tweet("3", "c") + `,{"id":"4","te` + "\n" + page(tweet("5", "e")) + "\n",
			[]string{"line 1 #/data/0 harceleur", "line 2 #/data/0 ", "line 2 #/data/1 ", "line 3 #/data/0 harceleur"},
			[]string{"line 2: not valid JSON: truncated: unexpected end of JSON input; its intact elements are imported, the broken ones reported",
				"line 2 #/data/2: line ends in the middle of a record (truncated): the line ends inside this element; the last 13 bytes of the line, from byte 165, were not imported"}},
		{"damaged tweet in the middle",
			page(tweet("1", "a")) + "\n" + page(tweet("2", "b"), `{"id":"3","text":"c" "author_id":"1"}`, tweet("4", "d")) + "\n",
			[]string{"line 1 #/data/0 harceleur", "line 2 #/data/0 harceleur", "line 2 #/data/2 harceleur"},
			[]string{"line 2: not valid JSON: invalid character '\"' after object key:value pair at byte 108; its intact elements are imported, the broken ones reported",
				"line 2 #/data/1: not valid JSON: invalid character '\"' after object key:value pair at byte 108; bytes 87 to 124 skipped"}},
		{"broken first line",
			`{"data":[` + tweet("1", "a") + `,{"id":"2"` + "\n" + page(tweet("3", "c")) + "\n",
			[]string{"line 1 #/data/0 ", "line 2 #/data/0 harceleur"},
			[]string{"line 1: not valid JSON: truncated: unexpected end of JSON input; its intact elements are imported, the broken ones reported",
				"line 1 #/data/1: line ends in the middle of a record (truncated): the line ends inside this element; the last 9 bytes of the line, from byte 87, were not imported"}},
		{"array line",
			page(tweet("1", "a")) + "\n[" + tweet("2", "b") + `,{"id":"3",` + "," + tweet("4", "d") + "]\n",
			[]string{"line 1 #/data/0 harceleur", "line 2 #/0 ", "line 2 #/2 "},
			[]string{"line 2: not valid JSON: invalid character ',' looking for beginning of object key string at byte 89; its intact elements are imported, the broken ones reported",
				"line 2 #/1: not valid JSON: unexpected end of JSON input at byte 88; bytes 79 to 89 skipped"}},
		{"broken line that is no page", page(tweet("1", "a")) + "\n" + `{"id":"2","text":"b` + "\n", []string{"line 1 #/data/0 harceleur"},
			[]string{"line 2: not valid JSON: truncated: unexpected end of JSON input"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c importers.Collector
			if err := Read(context.Background(), strings.NewReader(tt.in), importers.Options{Owner: "victime"}, &c); err != nil {
				t.Fatal(err)
			}
			var recs, probs []string
			for _, r := range c.Records {
				recs = append(recs, r.Location+" "+r.Sender.Handle)
			}
			for _, p := range c.Problems {
				probs = append(probs, p.String())
			}
			if strings.Join(recs, "\n") != strings.Join(tt.records, "\n") {
				t.Errorf("records:\n%s\nwant\n%s", strings.Join(recs, "\n"), strings.Join(tt.records, "\n"))
			}
			if strings.Join(probs, "\n") != strings.Join(tt.problems, "\n") {
				t.Errorf("problems:\n%s\nwant\n%s", strings.Join(probs, "\n"), strings.Join(tt.problems, "\n"))
			}
		})
	}
}
