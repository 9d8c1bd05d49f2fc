package xapi

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"raidtrace/importers"
)

// TestRecordLimit: Options.MaxRecord bounds one line of a line-delimited capture, not a whole
// document: a one-line v1.1 timeline array or v2 response page longer than the limit, made of
// ordinary tweets, imports in full; a JSON line longer than the limit among others is reported
// on its line and skipped; an element of a document longer than the limit, however long, is
// reported at its pointer and skipped without being held, and the elements after it import.
func TestRecordLimit(t *testing.T) {
	const limit = 1024
	status := func(i int) string {
		return fmt.Sprintf(`{"id_str":"%d","text":"tweet %d","user":{"id_str":"2","screen_name":"u"},"created_at":"Fri Dec 05 15:55:44 +0000 2014"}`, i, i)
	}
	v2 := func(i int, text string) string {
		return fmt.Sprintf(`{"id":"%d","text":%q,"author_id":"1","created_at":"2022-01-01T00:00:00.000Z"}`, i, text)
	}
	var statuses, tweets []string
	for i := 1; i <= 1000; i++ { // 1000 tweets: more than the 64 KiB the reader buffers
		statuses = append(statuses, status(i))
		tweets = append(tweets, v2(i, fmt.Sprintf("tweet %d", i)))
	}
	long := strings.Repeat("A", limit)
	tests := []struct {
		name, in string
		records  int
		problems []importers.Problem
		err      error
	}{
		{"one-line v1.1 array", "[" + strings.Join(statuses[:50], ",") + "]\n", 50, nil, nil},
		{"one-line v1.1 array past the buffer", "[" + strings.Join(statuses, ",") + "]\n", 1000, nil, nil},
		{"one-line v2 page", `{"data":[` + strings.Join(tweets[:50], ",") + `]}` + "\n", 50, nil, nil},
		{"one-line v2 page past the buffer", `{"data":[` + strings.Join(tweets, ",") + `]}`, 1000, nil, nil},
		{"long line in the middle", v2(1, "one") + "\n" + v2(2, long) + "\n" + v2(3, "three") + "\n", 2,
			[]importers.Problem{{Location: "line 2", Reason: importers.TooLong(limit)}}, nil},
		{"long line read past the buffer", v2(1, "one") + "\n" + v2(2, strings.Repeat("A", 200<<10)) + "\n" + v2(3, "three") + "\n", 2,
			[]importers.Problem{{Location: "line 2", Reason: importers.TooLong(limit)}}, nil},
		{"long second line after a bad first", "{broken\n" + v2(2, long) + "\n" + v2(3, "three") + "\n", 1,
			[]importers.Problem{{Location: "line 1"}, {Location: "line 2", Reason: importers.TooLong(limit)}}, nil},
		{"one-line v1.1 array with a long tweet", "[" + strings.Join(statuses[:600], ",") + "," + status(0)[:len(status(0))-1] + `,"x":"` + long + `"}` + "," + strings.Join(statuses[600:], ",") + "]\n", 1000,
			[]importers.Problem{{Location: "#/600", Reason: importers.TooLong(limit)}}, nil},
		{"one-line v1.1 array with a huge tweet", "[" + strings.Join(statuses[:600], ",") + "," + `{"x":"` + strings.Repeat(long, 100) + `"}` + "," + strings.Join(statuses[600:], ",") + "]\n", 1000,
			[]importers.Problem{{Location: "#/600", Reason: importers.TooLong(limit)}}, nil},
		{"long last line without line end", v2(1, "one") + "\n" + v2(2, long), 1,
			[]importers.Problem{{Location: "line 2", Reason: importers.TooLong(limit)}}, nil},
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
			if len(c.Problems) != len(tt.problems) {
				t.Fatalf("problems: got %v, want %v", c.Problems, tt.problems)
			}
			for i, p := range c.Problems {
				want := tt.problems[i]
				if p.Location != want.Location || want.Reason != "" && p.Reason != want.Reason {
					t.Errorf("problem %d: got %v, want %v", i, p, want)
				}
			}
		})
	}
}
