package xapi

import (
	"context"
	"errors"
	"fmt"
	"runtime"
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
			[]importers.Problem{{Location: "line 2", Reason: importers.TooLong(limit).String()}}, nil},
		{"long line read past the buffer", v2(1, "one") + "\n" + v2(2, strings.Repeat("A", 200<<10)) + "\n" + v2(3, "three") + "\n", 2,
			[]importers.Problem{{Location: "line 2", Reason: importers.TooLong(limit).String()}}, nil},
		{"long second line after a bad first", "{broken\n" + v2(2, long) + "\n" + v2(3, "three") + "\n", 1,
			[]importers.Problem{{Location: "line 1"}, {Location: "line 2", Reason: importers.TooLong(limit).String()}}, nil},
		{"one-line v1.1 array with a long tweet", "[" + strings.Join(statuses[:600], ",") + "," + status(0)[:len(status(0))-1] + `,"x":"` + long + `"}` + "," + strings.Join(statuses[600:], ",") + "]\n", 1000,
			[]importers.Problem{{Location: "line 1 #/600", Reason: importers.TooLong(limit).String()}}, nil},
		{"one-line v1.1 array with a huge tweet", "[" + strings.Join(statuses[:600], ",") + "," + `{"x":"` + strings.Repeat(long, 100) + `"}` + "," + strings.Join(statuses[600:], ",") + "]\n", 1000,
			[]importers.Problem{{Location: "line 1 #/600", Reason: importers.TooLong(limit).String()}}, nil},
		{"long first line within the read buffer", v2(1, long+long) + "\n" + v2(2, "two") + "\n", 1,
			[]importers.Problem{{Location: "line 1", Reason: "not imported, damaged: /text: " + importers.TooLong(limit).String()}}, nil},
		{"long last line without line end", v2(1, "one") + "\n" + v2(2, long), 1,
			[]importers.Problem{{Location: "line 2", Reason: importers.TooLong(limit).String()}}, nil},
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

// allocated returns the bytes allocated while fn runs.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestRecordLimitMemory: an element, member or line of 1 MB, with a record limit of 4 KiB, is
// reported at its pointer or line and skipped without being held: reading the file allocates far
// less than the element. This holds for a pretty-printed envelope, the same on one line, a long
// line of a JSON-lines file, a first line that is too long, and a document whose second line is.
func TestRecordLimitMemory(t *testing.T) {
	const limit = 4 << 10
	huge := strings.Repeat("A", 1<<20)
	ev := func(i int, text string) string {
		return fmt.Sprintf(`{"type":"message_create","id":"%d","created_timestamp":"1493058197715","message_create":{"target":{"recipient_id":"22095868"},"sender_id":"358486183","message_data":{"text":%q}}}`, i, text)
	}
	page := func(i int, text string) string {
		return fmt.Sprintf(`{"data":[{"id":"%d","text":%q,"author_id":"1","created_at":"2022-01-01T00:00:00.000Z"}],"includes":{"users":[{"id":"1","username":"u"}]},"__twarc":{"url":"x"}}`, i, text)
	}
	status := func(i int, text string) string {
		return fmt.Sprintf(`{"id_str":"%d","text":%q,"user":{"id_str":"2","screen_name":"u"},"created_at":"Fri Dec 05 15:55:44 +0000 2014"}`, i, text)
	}
	tests := []struct {
		name, in string
		records  []string
		problems []string
	}{
		{"pretty envelope", "{\n  \"events\": [\n    " + ev(1, "one") + ",\n    " + ev(2, huge) + ",\n    " + ev(3, "three") + "\n  ]\n}\n",
			[]string{"#/events/0", "#/events/2"}, []string{"#/events/1: " + importers.TooLong(limit).String()}},
		{"envelope on one line", `{"events":[` + ev(1, "one") + "," + ev(2, huge) + "," + ev(3, "three") + "]}\n",
			[]string{"line 1 #/events/0", "line 1 #/events/2"}, []string{"line 1 #/events/1: " + importers.TooLong(limit).String()}},
		{"long member beside the messages", "{\n\"events\": [" + ev(1, "one") + "],\n\"x\": \"" + huge + "\"\n}\n",
			[]string{"#/events/0"}, []string{"#/x: " + importers.TooLong(limit).String() + "; the messages are imported without it"}},
		{"pretty envelope, long second line", "{\"events\": [\n" + ev(1, huge) + ",\n" + ev(2, "two") + "\n]}\n",
			[]string{"#/events/1"}, []string{"#/events/0: " + importers.TooLong(limit).String()}},
		{"pretty array", "[\n" + status(1, "one") + ",\n" + status(2, huge) + ",\n" + status(3, "three") + "\n]\n",
			[]string{"#/0", "#/2"}, []string{"#/1: " + importers.TooLong(limit).String()}},
		{"long line", page(1, "one") + "\n" + page(2, huge) + "\n" + page(3, "three") + "\n",
			[]string{"line 1 #/data/0", "line 3 #/data/0"}, []string{"line 2: " + importers.TooLong(limit).String()}},
		{"long first line", page(1, huge) + "\n" + page(2, "two") + "\r\n\n" + page(3, "three") + "\n",
			[]string{"line 2 #/data/0", "line 4 #/data/0"}, []string{"line 1 #/data/0: " + importers.TooLong(limit).String()}},
		{"long first line after blank lines", "\n\r\n" + page(1, huge) + "\n" + page(2, "two"),
			[]string{"line 4 #/data/0"}, []string{"line 3 #/data/0: " + importers.TooLong(limit).String()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c importers.Collector
			var err error
			n := allocated(func() {
				err = Read(context.Background(), strings.NewReader(tt.in), importers.Options{MaxRecord: limit, Owner: "22095868"}, &c)
			})
			if err != nil {
				t.Fatal(err)
			}
			var locs, errs []string
			for _, r := range c.Records {
				locs = append(locs, r.Location)
			}
			for _, p := range c.Problems {
				errs = append(errs, p.String())
			}
			if fmt.Sprint(locs) != fmt.Sprint(tt.records) || fmt.Sprint(errs) != fmt.Sprint(tt.problems) {
				t.Errorf("got records at %q, problems %q; want %q, %q", locs, errs, tt.records, tt.problems)
			}
			if n > 512<<10 {
				t.Errorf("allocated %d bytes reading %d, want far less than the 1 MB value", n, len(tt.in))
			}
		})
	}
}

// TestHeldBounded: what a document's object holds while it is read stays within the record
// limit: members beside an envelope's messages past the limit are reported and skipped (the
// messages import), an object that is not an envelope and whose members pass it is reported,
// and an envelope whose messages pass it has them decoded as they are read, with a warning on
// the users listed after them, which could not be used.
func TestHeldBounded(t *testing.T) {
	const limit = 1024
	v2 := func(i int) string {
		return fmt.Sprintf(`{"id":"%d","text":"tweet %d","author_id":"1","created_at":"2022-01-01T00:00:00.000Z"}`, i, i)
	}
	var tweets []string
	for i := range 50 {
		tweets = append(tweets, v2(i))
	}
	side := strings.Repeat("s", 600)
	tests := []struct {
		name     string
		in       string
		records  int
		handle   string // of the first record's sender
		problems []string
	}{
		{"page within the limit", "{\n\"data\": [" + strings.Join(tweets[:5], ",") + "],\n" + `"includes": {"users": [{"id":"1","username":"u"}]}` + "\n}\n", 5, "u", nil},
		{"page past the limit, users after", "{\n\"data\": [" + strings.Join(tweets, ",") + "],\n" + `"includes": {"users": [{"id":"1","username":"u"}]}` + "\n}\n", 50, "",
			[]string{"#/includes: not used: it comes after more messages than the record limit holds, which were imported without the accounts or apps it names (their authors keep their ids) (warning)"}},
		{"page past the limit, users before", "{\n" + `"includes": {"users": [{"id":"1","username":"u"}]},` + "\n\"data\": [" + strings.Join(tweets, ",") + "]\n}\n", 50, "u", nil},
		{"members beside the messages past the limit", "{\n\"data\": [" + v2(1) + "],\n\"a\": \"" + side + "\",\n\"b\": \"" + side + "\"\n}\n", 1, "",
			[]string{"#/b: " + importers.TooLong(limit).String() + "; the messages are imported without it (warning)"}},
		{"object past the limit", "{\n\"id\": \"1\", \"text\": \"" + side + "\",\n\"author_id\": \"1\", \"x\": \"" + side + "\", \"created_at\": \"2022-01-01T00:00:00.000Z\"\n}\n", 0, "",
			[]string{"#: not imported, damaged: /x: " + importers.TooLong(limit).String()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c importers.Collector
			if err := Read(context.Background(), strings.NewReader(tt.in), importers.Options{MaxRecord: limit, Owner: "me"}, &c); err != nil {
				t.Fatal(err)
			}
			var probs []string
			for _, p := range c.Problems {
				s := p.String()
				if p.Warning {
					s += " (warning)"
				}
				probs = append(probs, s)
			}
			if len(c.Records) != tt.records || fmt.Sprint(probs) != fmt.Sprint(tt.problems) {
				t.Errorf("got %d records, problems %q; want %d, %q", len(c.Records), probs, tt.records, tt.problems)
			}
			if len(c.Records) > 0 && c.Records[0].Sender.Handle != tt.handle {
				t.Errorf("sender: got %+v, want handle %q", c.Records[0].Sender, tt.handle)
			}
		})
	}
}
