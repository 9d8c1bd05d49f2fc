package applemessages

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"raidtrace/importers"
)

// TestAttributedBodyTextSamples decodes the real attributedBody blobs in the shared samples.
func TestAttributedBodyTextSamples(t *testing.T) {
	dir := filepath.Join(samplesDir, "streamtyped")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared samples absent (%v): the typedstream blobs live in %s", err, dir)
	}
	tests := []struct {
		file      string
		want      string
		truncated bool
	}{
		{"AttributedBodyTextOnly", "Noter test", false},
		{"AttributedBodyTextOnly2", "Test 3", false},
		{"Blank", "", false},
		// The string claims 157 bytes; the blob holds 17 before the end of the object.
		{"ExtraData", "This is parsing  ", true},
		{"MultiPart", "\ufffctest 1\ufffctest 2 \ufffctest 3", false},
		{"URL", "https://github.com/ReagentX/Logria", false},
		{"WeirdText", "𝖍𝖊𝖑𝖑𝖔 𝖜𝖔𝖗𝖑𝖉", false},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(dir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got, err := AttributedBodyText(b)
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if !utf8.ValidString(got) {
				t.Errorf("got invalid UTF-8 %q", got)
			}
			if gotTrunc := errors.Is(err, importers.ErrTruncated); gotTrunc != tt.truncated {
				t.Errorf("got error %v, want truncated=%v", err, tt.truncated)
			}
			if !tt.truncated && err != nil {
				t.Errorf("got error %v, want none", err)
			}
		})
	}
}

func TestAttributedBodyText(t *testing.T) {
	long := strings.Repeat("é", 150)       // 300 bytes: 0x81 length
	huge := strings.Repeat("raid ", 14000) // 70000 bytes: 0x82 length
	tests := []struct {
		name    string
		blob    []byte
		want    string
		wantErr error // nil: no error
	}{
		{"short", blob("hello"), "hello", nil},
		{"empty", blob(""), "", nil},
		{"uint16 length", blob(long), long, nil},
		{"uint32 length", blob(huge), huge, nil},
		{"emoji", blob("🙂 ok"), "🙂 ok", nil},
		{"not typedstream", []byte("bplist00\x01\x02"), "", ErrNoText},
		{"no NSString", []byte("\x04\x0bstreamtyped\x81\xe8\x03NSNumber"), "", ErrNoText},
		{"no string type", []byte("\x04\x0bstreamtyped\x81\xe8\x03NSString\x01\x94\x84"), "", ErrNoText},
		{"length missing", []byte("\x04\x0bstreamtyped\x81\xe8\x03NSString\x01\x94\x84\x01+"), "", importers.ErrTruncated},
		{"uint16 cut", []byte("\x04\x0bstreamtyped\x81\xe8\x03NSString\x01\x94\x84\x01+\x81\x05"), "", importers.ErrTruncated},
		{"bad tag", []byte("\x04\x0bstreamtyped\x81\xe8\x03NSString\x01\x94\x84\x01+\x85abc"), "", ErrNoText},
		{"length past end", []byte("\x04\x0bstreamtyped\x81\xe8\x03NSString\x01\x94\x84\x01+\x20abc\x86\x84\x02iI"), "abc", importers.ErrTruncated},
		{"length past end, no end tag", []byte("\x04\x0bstreamtyped\x81\xe8\x03NSString\x01\x94\x84\x01+\x20abc"), "abc", importers.ErrTruncated},
		{"invalid UTF-8", blob("a\xffb"), "a\ufffdb", errors.New("invalid UTF-8")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := AttributedBodyText(tt.blob)
			if got != tt.want {
				t.Errorf("got %.40q (%d bytes), want %.40q (%d bytes)", got, len(got), tt.want, len(tt.want))
			}
			switch {
			case tt.wantErr == nil && err != nil:
				t.Errorf("got error %v, want none", err)
			case tt.wantErr != nil && err == nil:
				t.Errorf("got no error, want %v", tt.wantErr)
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr) && !strings.Contains(err.Error(), tt.wantErr.Error()):
				t.Errorf("got error %v, want %v", err, tt.wantErr)
			}
		})
	}
}

// fuzzSeeds returns the self-made blobs in testdata and the shared samples when present.
func fuzzSeeds(f *testing.F) [][]byte {
	var seeds [][]byte
	for _, pattern := range []string{"testdata/*.streamtyped", filepath.Join(samplesDir, "streamtyped", "*")} {
		files, _ := filepath.Glob(pattern)
		for _, name := range files {
			b, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			seeds = append(seeds, b)
		}
	}
	return seeds
}

func FuzzAttributedBodyText(f *testing.F) {
	for _, b := range fuzzSeeds(f) {
		f.Add(b)
	}
	f.Add(blob("seed"))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := AttributedBodyText(b)
		if !utf8.ValidString(got) {
			t.Errorf("invalid UTF-8 returned: %q", got)
		}
		if err == nil && !bytes.Contains(b, []byte(got)) {
			t.Errorf("text %q not in the blob", got)
		}
	})
}

func TestWriteTestdata(t *testing.T) {
	if os.Getenv("RAIDTRACE_WRITE_TESTDATA") == "" {
		t.Skip("set RAIDTRACE_WRITE_TESTDATA=1 to rewrite testdata/*.streamtyped")
	}
	for name, text := range map[string]string{"hello": "hello", "long": strings.Repeat("é", 150), "empty": ""} {
		if err := os.WriteFile(filepath.Join("testdata", name+".streamtyped"), blob(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path, db := sqlDB(t, fuzzSchema)
	exec(t, db,
		`INSERT INTO handle VALUES (1, '+33612345678', 'SMS'), (2, 'a@example.com', 'iMessage')`,
		`INSERT INTO chat VALUES (1, 'iMessage;-;a@example.com', 'a@example.com')`,
		`INSERT INTO chat_handle_join VALUES (1, 2)`,
		`INSERT INTO message VALUES (1, 'A', 'salut', 1, 731711645, 0, NULL, 'SMS', 0, 0),
			(2, 'B', NULL, 2, 731711645000000000, 0, X'`+fmt.Sprintf("%X", blob("on arrive"))+`', 'iMessage', 0, 0),
			(3, 'C', 'Liked', 2, 731711646000000000, 0, NULL, 'iMessage', 2001, 0),
			(4, 'D', 'moi', 0, 731711647000000000, 1, NULL, 'iMessage', 0, 0)`,
		`INSERT INTO chat_message_join VALUES (1, 2), (1, 3), (1, 4)`,
	)
	db.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("testdata", "chat.db"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// fuzzSchema is a small chat.db for testdata/chat.db.
const fuzzSchema = `
CREATE TABLE handle (ROWID INTEGER PRIMARY KEY, id TEXT NOT NULL, service TEXT);
CREATE TABLE chat (ROWID INTEGER PRIMARY KEY, guid TEXT, chat_identifier TEXT);
CREATE TABLE chat_handle_join (chat_id INTEGER, handle_id INTEGER);
CREATE TABLE message (ROWID INTEGER PRIMARY KEY, guid TEXT, text TEXT, handle_id INTEGER, date INTEGER,
	is_from_me INTEGER, attributedBody BLOB, service TEXT, associated_message_type INTEGER, item_type INTEGER);
CREATE TABLE chat_message_join (chat_id INTEGER, message_id INTEGER);`

// FuzzImport imports damaged copies of testdata/chat.db: records, problems or an error, never
// a panic.
func FuzzImport(f *testing.F) {
	seed, err := os.ReadFile(filepath.Join("testdata", "chat.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(t.TempDir(), "chat.db")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		var c importers.Collector
		err := Import(context.Background(), path, importers.Options{}, &c)
		if err == nil && len(c.Records) == 0 && !IsChatDB(path) {
			t.Errorf("no error and no record from a file that is not a chat.db")
		}
		for _, r := range c.Records {
			if !strings.HasPrefix(r.Location, "message ROWID ") {
				t.Errorf("record without a message location: %q", r.Location)
			}
		}
	})
}

// TestTestdataChatDB checks the committed fixture still imports as built.
func TestTestdataChatDB(t *testing.T) {
	var c importers.Collector
	if err := Import(context.Background(), filepath.Join("testdata", "chat.db"), importers.Options{}, &c); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text, kind, conv string
		dir              importers.Direction
	}{
		{"salut", "message", "", importers.Incoming},
		{"on arrive", "message", "iMessage;-;a@example.com", importers.Incoming},
		{"Liked", "reaction", "iMessage;-;a@example.com", importers.Incoming},
		{"moi", "message", "iMessage;-;a@example.com", importers.Outgoing},
	}
	if len(c.Records) != len(tests) {
		t.Fatalf("got %d records, want %d", len(c.Records), len(tests))
	}
	for i, tt := range tests {
		r := c.Records[i]
		if r.Text != tt.text || r.Kind != tt.kind || r.Conversation != tt.conv || r.Direction != tt.dir {
			t.Errorf("record %d: got %q %q %q %q, want %q %q %q %q", i, r.Text, r.Kind, r.Conversation, r.Direction, tt.text, tt.kind, tt.conv, tt.dir)
		}
	}
	if got := c.Records[3].Recipients; len(got) != 1 || got[0].Raw != "a@example.com" {
		t.Errorf("outgoing in a chat: got recipients %v, want the chat member a@example.com", got)
	}
}
