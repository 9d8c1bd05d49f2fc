package xarchive

import (
	"context"
	"errors"
	"fmt"
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
			[]string{"#/1: " + importers.TooLong(limit)}, nil},
		{"tweet far over the limit", file(tweet(1, "one"), tweet(2, strings.Repeat("A", 100*limit)), tweet(3, "three")), 2,
			[]string{"#/1: " + importers.TooLong(limit)}, nil},
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
