package smsbackup

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"raidtrace/importers"
)

// TestRecordLimit: Options.MaxRecord bounds the text of one message, not its media: an MMS whose
// base64 picture is many times the limit imports with the picture's size and hash, while a
// message whose text passes the limit is reported where it is and skipped, and the messages
// around it import.
func TestRecordLimit(t *testing.T) {
	const limit = 4096
	pic := bytes.Repeat([]byte{0x89, 'P', 'N', 'G', 0}, 4*limit) // 20 KiB, 27 KiB in base64
	sum := sha256.Sum256(pic)
	sms := func(text string) string {
		return `<sms address="+33612345678" date="1490612927459" type="1" body="` + text + `"/>` + "\n"
	}
	mms := func(text, data string) string {
		return `<mms date="1490612927459" msg_box="1" address="+33612345678"><parts>` + "\n" +
			`<part seq="0" ct="text/plain" text="` + text + `"/>` + "\n" +
			`<part seq="1" ct="image/png" name="a.png" data="` + data + `"/>` + "\n" +
			"</parts></mms>\n"
	}
	doc := func(body ...string) string {
		return `<?xml version="1.0" encoding="UTF-8"?>` + "\n<smses>\n" + strings.Join(body, "") + "</smses>\n"
	}
	long := strings.Repeat("A", limit)
	// fill is a text that makes sms(fill(n)) a line of limit+n bytes: one byte over the limit is
	// the ">" that closes the element.
	fill := func(n int) string { return strings.Repeat("B", limit+n-(len(sms(""))-1)) }
	tests := []struct {
		name     string
		in       string
		texts    []string
		problems []importers.Problem
	}{
		{"media larger than the limit", doc(sms("one"), mms("picture", base64.StdEncoding.EncodeToString(pic)), sms("three")),
			[]string{"one", "picture", "three"}, nil},
		{"sms text over the limit", doc(sms("one"), sms(long), sms("three")),
			[]string{"one", "three"}, []importers.Problem{{Location: "/smses/sms[2] (line 4)", Reason: importers.TooLong(limit).String()}}},
		{"mms text over the limit", doc(sms("one"), mms(long, "aGVsbG8="), sms("three")),
			[]string{"one", "three"}, []importers.Problem{{Location: "/smses/mms[1] (line 4), line 5", Reason: importers.TooLong(limit).String()}}},
		{"sms at the limit", doc(sms("one"), sms(fill(0)), sms("three")),
			[]string{"one", fill(0), "three"}, nil},
		{"sms one byte over, its closing >", doc(sms("one"), sms(fill(1)), sms("three")),
			[]string{"one", "three"}, []importers.Problem{{Location: "/smses/sms[2] (line 4)", Reason: importers.TooLong(limit).String()}}},
		{"last sms at the limit", doc(sms("one"), sms(fill(0))),
			[]string{"one", fill(0)}, nil},
		{"two in a row", doc(sms("one"), sms(long), sms(long+long), sms("four")),
			[]string{"one", "four"}, []importers.Problem{
				{Location: "/smses/sms[2] (line 4)", Reason: importers.TooLong(limit).String()},
				{Location: "/smses/sms[3] (line 5)", Reason: importers.TooLong(limit).String()}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c importers.Collector
			err := Read(context.Background(), strings.NewReader(tt.in), importers.Options{MaxRecord: limit}, &c)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			var texts []string
			for _, r := range c.Records {
				texts = append(texts, r.Text)
				for _, a := range r.Attachments {
					if a.MIME == "image/png" && tt.name == "media larger than the limit" {
						if a.Size != int64(len(pic)) || a.SHA256 != hex.EncodeToString(sum[:]) {
							t.Errorf("picture: got size %d hash %s, want %d %x", a.Size, a.SHA256, len(pic), sum)
						}
					}
				}
			}
			if strings.Join(texts, ",") != strings.Join(tt.texts, ",") {
				t.Errorf("records: got %q, want %q", texts, tt.texts)
			}
			var errs []importers.Problem // the warnings are about the test messages' addresses
			for _, p := range c.Problems {
				if !p.Warning {
					errs = append(errs, p)
				}
			}
			if len(errs) != len(tt.problems) {
				t.Fatalf("problems: got %v, want %v", errs, tt.problems)
			}
			for i, p := range errs {
				if p.Plain() != tt.problems[i] {
					t.Errorf("problem %d: got %v, want %v", i, p, tt.problems[i])
				}
			}
		})
	}
}

// FuzzReadLimit reads hostile input with a 64-byte record limit: it must end without a panic,
// and no record may carry a text longer than the limit.
func FuzzReadLimit(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.xml"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil && len(b) < 1<<16 {
			f.Add(b)
		}
	}
	f.Add([]byte(`<smses><sms body="` + strings.Repeat("A", 100) + `"/><sms body="b"/><mms><parts><part text="` + strings.Repeat("&#233;", 30) + `"/></parts></mms></smses>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		const limit = 64
		var c importers.Collector
		Read(context.Background(), bytes.NewReader(data), importers.Options{MaxRecord: limit}, &c)
		for _, r := range c.Records {
			if len(r.Text) > limit {
				t.Errorf("%s: text of %d bytes, limit %d", r.Location, len(r.Text), limit)
			}
		}
	})
}
