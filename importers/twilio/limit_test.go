package twilio

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"raidtrace/importers"
)

// TestJSONRecordLimit: Options.MaxRecord bounds one message of a list page, not the page: a page
// longer than the limit imports; a message longer than the limit, however long, is reported at
// its pointer and skipped without being held, and the messages after it import.
func TestJSONRecordLimit(t *testing.T) {
	const limit = 1024
	msg := func(i int, body string) string {
		return fmt.Sprintf(`{"sid":"SM%d","account_sid":"AC1","from":"+33612345678","to":"+33700000001","body":%q,"direction":"inbound","date_created":"Tue, 05 Mar 2024 21:14:03 +0000","status":"received"}`, i, body)
	}
	page := func(msgs ...string) string { return `{"messages":[` + strings.Join(msgs, ",") + `],"page":0}` }
	var many []string
	for i := range 100 {
		many = append(many, msg(i, "hello"))
	}
	tests := []struct {
		name     string
		in       string
		records  int
		problems []importers.Problem
		err      error
	}{
		{"page longer than the limit", page(many...), 100, nil, nil},
		{"message over the limit", page(msg(1, "one"), msg(2, strings.Repeat("A", limit)), msg(3, "three")), 2,
			[]importers.Problem{{Location: "/messages/1", Reason: importers.TooLong(limit).String()}}, nil},
		{"message far over the limit", page(msg(1, "one"), msg(2, strings.Repeat("A", 100*limit)), msg(3, "three")), 2,
			[]importers.Problem{{Location: "/messages/1", Reason: importers.TooLong(limit).String()}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c importers.Collector
			err := ReadJSON(context.Background(), strings.NewReader(tt.in), importers.Options{MaxRecord: limit}, &c)
			if !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
				t.Errorf("error: got %v, want %v", err, tt.err)
			}
			if len(c.Records) != tt.records {
				t.Errorf("got %d records, want %d", len(c.Records), tt.records)
			}
			var errs []importers.Problem
			for _, p := range c.Problems {
				if !p.Warning {
					errs = append(errs, p)
				}
			}
			if fmt.Sprint(errs) != fmt.Sprint(tt.problems) {
				t.Errorf("problems: got %v, want %v", errs, tt.problems)
			}
		})
	}
}
