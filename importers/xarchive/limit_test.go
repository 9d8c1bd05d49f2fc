package xarchive

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"raidtrace/importers"
)

// TestRecordLimit: Options.MaxRecord bounds one element of a tweets.js file, not the file: a
// file longer than the limit imports; an element longer than the limit, however long, is
// reported at its pointer and skipped without being held, and the tweets after it import.
func TestRecordLimit(t *testing.T) {
	const limit = 1024
	tweet := func(i int, text string) string {
		return fmt.Sprintf(`{"tweet":{"id_str":"%d","id":"%d","full_text":%q,"created_at":"Fri Dec 05 15:55:44 +0000 2014"}}`, i, i, text)
	}
	file := func(tweets ...string) string { return "window.YTD.tweets.part0 = [" + strings.Join(tweets, ",") + "]" }
	var many []string
	for i := range 100 {
		many = append(many, tweet(i, "hello"))
	}
	tests := []struct {
		name     string
		in       string
		records  int
		problems []string
		err      error
	}{
		{"file longer than the limit", file(many...), 100, nil, nil},
		{"tweet over the limit", file(tweet(1, "one"), tweet(2, strings.Repeat("A", limit)), tweet(3, "three")), 2,
			[]string{"#/1: " + importers.TooLong(limit).String()}, nil},
		{"tweet far over the limit", file(tweet(1, "one"), tweet(2, strings.Repeat("A", 100*limit)), tweet(3, "three")), 2,
			[]string{"#/1: " + importers.TooLong(limit).String()}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c importers.Collector
			err := Read(context.Background(), strings.NewReader(tt.in), importers.Options{MaxRecord: limit}, &c)
			if !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
				t.Errorf("error: got %v, want %v", err, tt.err)
			}
			if len(c.Records) != tt.records {
				t.Errorf("got %d records, want %d", len(c.Records), tt.records)
			}
			var errs []string
			for _, p := range c.Problems {
				if !p.Warning {
					errs = append(errs, p.String())
				}
			}
			if fmt.Sprint(errs) != fmt.Sprint(tt.problems) {
				t.Errorf("problems: got %q, want %q", errs, tt.problems)
			}
		})
	}
}

// allocated returns the bytes allocated while fn runs.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestGrailbirdCSVRecordLimit: Options.MaxRecord bounds one row of the Grailbird tweets.csv: a
// row longer than the limit, however long its text field, is reported at the line it starts on
// and skipped without being held, the lines after it keep their numbers and the next rows import.
func TestGrailbirdCSVRecordLimit(t *testing.T) {
	const limit = 4 << 10
	const header = `"tweet_id","in_reply_to_status_id","in_reply_to_user_id","timestamp","source","text","retweeted_status_id","retweeted_status_user_id","retweeted_status_timestamp","expanded_urls"` + "\n"
	row := func(id, text string) string {
		return fmt.Sprintf(`"%s","","","2015-10-14 03:00:00 +0000","web","%s","","","",""`+"\n", id, text)
	}
	huge := strings.Repeat("A", 1<<20)
	tests := []struct {
		name, in string
		records  []string // locations
		problems []string
	}{
		{"long row", header + row("1", "one") + row("2", huge) + row("3", "three"),
			[]string{"tweets.csv line 2", "tweets.csv line 4"}, []string{"tweets.csv line 3: " + importers.TooLong(limit).String()}},
		{"long row over lines", header + row("1", "one") + row("2", strings.Repeat(huge[:1000]+"\r\n", 1000)) + row("3", "three"),
			[]string{"tweets.csv line 2", "tweets.csv line 1004"}, []string{"tweets.csv line 3: " + importers.TooLong(limit).String()}},
		{"row within the limit", header + row("1", huge[:limit-200]), []string{"tweets.csv line 2"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "tweets.csv")
			os.WriteFile(p, []byte(tt.in), 0o644)
			var c *importers.Collector
			var err error
			n := allocated(func() { c, err = importPath(t, p, importers.Options{Owner: "me", MaxRecord: limit}) })
			if err != nil {
				t.Fatal(err)
			}
			var locs, errs []string
			for _, r := range c.Records {
				locs = append(locs, r.Location)
			}
			for _, p := range c.Problems {
				if !p.Warning {
					errs = append(errs, p.String())
				}
			}
			if fmt.Sprint(locs) != fmt.Sprint(tt.records) || fmt.Sprint(errs) != fmt.Sprint(tt.problems) {
				t.Errorf("got records at %q, problems %q; want %q, %q", locs, errs, tt.records, tt.problems)
			}
			if n > 512<<10 {
				t.Errorf("allocated %d bytes reading a %d-byte file, want far less than the long row", n, len(tt.in))
			}
		})
	}
}
