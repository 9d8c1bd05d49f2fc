package detect

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"raidtrace/importers"
)

// TestLongRecord: a record whose text is one 8 MiB line, between two ordinary ones, is read in
// full by every line-oriented format, and its neighbours too (no scanner token limit stops the
// read, nothing is dropped). Memory for a 50 MB line is measured by BenchmarkLongRecord.
func TestLongRecord(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 8 MiB files")
	}
	long := strings.Repeat("A", 8<<20)
	dir := t.TempDir()
	for _, tt := range longRecordFiles(long) {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name)
			if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			f, err := Detect(path)
			if err != nil || f.ID != tt.format {
				t.Fatalf("Detect: got %s, %v; want %s", f.ID, err, tt.format)
			}
			var c importers.Collector
			if err := f.Import(context.Background(), path, importers.Options{DateOrder: "DMY"}, &c); err != nil {
				t.Fatalf("Import: %v", err)
			}
			var texts []string
			for _, r := range c.Records {
				if len(r.Text) > 20 {
					texts = append(texts, r.Text[:3]+"…"+r.Text[len(r.Text)-3:])
				} else {
					texts = append(texts, r.Text)
				}
			}
			if len(c.Records) != 3 || c.Records[0].Text != "one" || c.Records[1].Text != long || c.Records[2].Text != "three" {
				t.Errorf("got %d records %q, want one, the %d-byte text, three", len(c.Records), texts, len(long))
			}
			for _, p := range c.Problems {
				if !p.Warning {
					t.Errorf("problem: %v", p)
				}
			}
		})
	}
}

type longFile struct{ name, format, content string }

// longRecordFiles returns one file per line-oriented format with text as its second record.
func longRecordFiles(text string) []longFile {
	tweet := func(id, text string) string {
		return `{"data":{"id":"` + id + `","text":"` + text + `","author_id":"9","created_at":"2021-05-18T19:24:56.000Z"},"includes":{"users":[{"id":"9","username":"u"}]}}`
	}
	twilio := func(sid, body string) string {
		return `{"sid":"` + sid + `","account_sid":"AC1","from":"+33612345678","to":"+33700000001","body":"` + body +
			`","direction":"inbound","date_created":"2024-03-05T21:14:03Z","status":"received"}`
	}
	plivo := func(id, text string) string {
		return id + ",2024-03-05T21:14:03Z,inbound,+33612345678,+33700000001," + text + "\n"
	}
	sms := func(text string) string {
		return `<sms address="+33612345678" date="1490612927459" type="1" body="` + text + `"/>` + "\n"
	}
	return []longFile{
		{"chat.txt", "chattext", "14/03/2024, 21:14 - Jean: one\n14/03/2024, 21:15 - Paul: " + text + "\n14/03/2024, 21:16 - Jean: three\n"},
		{"capture.jsonl", "x-api", tweet("1", "one") + "\n" + tweet("2", text) + "\n" + tweet("3", "three") + "\n"},
		{"day.jsonl", "twilio-bulk", twilio("SM1", "one") + "\n" + twilio("SM2", text) + "\n" + twilio("SM3", "three") + "\n"},
		{"plivo.csv", "csv-plivo", "message_uuid,message_time,message_direction,from_number,to_number,message_text\n" +
			plivo("u1", "one") + plivo("u2", `"`+text+`"`) + plivo("u3", "three")},
		{"twilio.csv", "twilio-csv", "From,To,Body,Status,SentDate,Sid\n+33612345678,+33700000001,one,received,2024-03-05T21:14:03Z,SM1\n" +
			"+33612345678,+33700000001," + text + ",received,2024-03-05T21:14:03Z,SM2\n+33612345678,+33700000001,three,received,2024-03-05T21:14:03Z,SM3\n"},
		{"sms.xml", "smsbackup", `<?xml version="1.0" encoding="UTF-8"?>` + "\n<smses>\n" + sms("one") + sms(text) + sms("three") + "</smses>\n"},
	}
}

// BenchmarkLongRecord imports each line-oriented format with a 50 MB record in the middle and
// reports the bytes allocated per import (B/op with -benchmem), to keep memory proportional to
// the longest record.
func BenchmarkLongRecord(b *testing.B) {
	long := strings.Repeat("A", 50_000_000)
	dir := b.TempDir()
	for _, tt := range longRecordFiles(long) {
		path := filepath.Join(dir, tt.name)
		if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
			b.Fatal(err)
		}
		b.Run(tt.name, func(b *testing.B) {
			f, ok := ByID(tt.format)
			if !ok {
				b.Fatalf("no format %s", tt.format)
			}
			for b.Loop() {
				var c countSink
				if err := f.Import(context.Background(), path, importers.Options{DateOrder: "DMY"}, &c); err != nil || c.records != 3 {
					b.Fatalf("got %d records, %v; want 3", c.records, err)
				}
			}
		})
		os.Remove(path) // one 50 MB file on disk at a time
	}
}

type countSink struct{ records int }

func (c *countSink) Record(importers.Record) error { c.records++; return nil }
func (c *countSink) Problem(importers.Problem)     {}
