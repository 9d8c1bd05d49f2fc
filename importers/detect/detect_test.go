package detect

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"raidtrace/importers"
	"raidtrace/importers/sqliteread"
)

const samplesDir = "../../../shared/samples"

// TestDetectSamples: each real sample is detected as its format. Engineers adding a format add
// its rows here; a row whose format is not registered yet is skipped, not failed.
func TestDetectSamples(t *testing.T) {
	if _, err := os.Stat(samplesDir); err != nil {
		t.Skipf("shared samples folder %s is absent; skipping", samplesDir)
	}
	tests := []struct {
		path string // relative to samplesDir
		want string // format ID
	}{
		{"sms-backup-restore/devadvance_sample_mms.xml", "smsbackup"},
		{"sms-backup-restore/devadvance_sample_small.xml", "smsbackup"},
		{"sms-backup-restore/khasmek_sms.xml", "smsbackup"},
		{"sms-backup-restore/pcraciunoiu_sms.xml", "smsbackup"},
		{"sms-backup-restore/pcraciunoiu_sms_old_v7.42.xml", "smsbackup"},
		{"twilio/messages_list_page.json", "twilio-json"},
		{"twitter-api-v1.1/direct_message_events.json", "x-api"},
		{"twitter-api-v1.1/search.json", "x-api"},
		{"twitter-api-v1.1/status.json", "x-api"},
		{"twitter-api-v1.1/statuses.json", "x-api"},
		{"twitter-api-v1.1/track_streaming.json", "x-api"},
		{"twitter-api-v2-twarc2/cotweet.jsonl", "x-api"},
		{"twitter-api-v2-twarc2/many_urls.jsonl", "x-api"},
		{"twitter-api-v2-twarc2/mentions_tweet.jsonl", "x-api"},
		{"twitter-api-v2-twarc2/streaming_output_with_error.jsonl", "x-api"},
		{"twitter-api-v2-twarc2/two_tweets.jsonl", "x-api"},
		{"whatsapp-text/chatminer_whatsapp_test_ddmmyy_24hrs.txt", "chattext"},
		{"whatsapp-text/chatminer_whatsapp_test_mmddyyyy_12hrs.txt", "chattext"},
		{"whatsapp-text/chatminer_whatsapp_test_yyyymmdd_24hrs.txt", "chattext"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			if _, ok := ByID(tt.want); !ok {
				t.Skipf("format %q is not registered yet", tt.want)
			}
			f, err := Detect(filepath.Join(samplesDir, tt.path))
			if err != nil || f.ID != tt.want {
				t.Errorf("Detect: got %q, %v; want %q", f.ID, err, tt.want)
			}
		})
	}
}

// TestSamplesClaimedOnce: no sample is claimed by two formats' Sniff, so that detection does not
// depend on the order of the registry by accident.
func TestSamplesClaimedOnce(t *testing.T) {
	if _, err := os.Stat(samplesDir); err != nil {
		t.Skipf("shared samples folder %s is absent; skipping", samplesDir)
	}
	err := filepath.WalkDir(samplesDir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".md") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var claimed []string
		for _, f := range Formats() {
			if f.Sniff(data[:min(len(data), HeadSize)], filepath.Base(p)) && (f.Probe == nil || f.Probe(p)) {
				claimed = append(claimed, f.ID)
			}
		}
		if len(claimed) > 1 {
			t.Errorf("%s: claimed by %v, want at most one format", p, claimed)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestDetectUnknown(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ name, content string }{
		{"empty.xml", ""},
		{"garbage.bin", "\x00\x01\x02garbage\xff\xfe"},
		{"sms.xml", "<?xml version='1.0'?><SMSRecord/>"}, // the name alone decides nothing
		{"text.txt", "hello\nworld\n"},
		{"notes.txt", "notes\nof a meeting\n20/01/2020, 10:00 - Alice: a date line\nmore prose\n"},
	}
	for _, tt := range tests {
		p := filepath.Join(dir, tt.name)
		if err := os.WriteFile(p, []byte(tt.content), 0o600); err != nil {
			t.Fatal(err)
		}
		f, err := Detect(p)
		if !errors.Is(err, ErrUnknown) {
			t.Errorf("%s: got %q, %v; want ErrUnknown", tt.name, f.ID, err)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, p) || !strings.Contains(msg, "smsbackup") {
			t.Errorf("%s: got error %q, want it to name the file and the formats tried", tt.name, msg)
		}
	}
	if _, err := Detect(filepath.Join(dir, "missing")); err == nil || errors.Is(err, ErrUnknown) {
		t.Errorf("missing file: got %v, want a not-found error", err)
	}
}

// TestDetectFolder: a folder is offered to every format with a nil head; none of the formats
// registered here claims an empty one.
func TestDetectFolder(t *testing.T) {
	dir := t.TempDir()
	_, err := Detect(dir)
	if !errors.Is(err, ErrUnknown) || !strings.Contains(err.Error(), "folder") {
		t.Errorf("got %v, want ErrUnknown naming a folder", err)
	}
}

func TestDetectByContent(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ name, content, want string }{
		{"backup.txt", "\xEF\xBB\xBF<?xml version='1.0'?>\n<smses count='0'></smses>", "smsbackup"},
		{"export.dat", "PK\x05\x06" + strings.Repeat("\x00", 18), "zip"},
		// A chat export whose first line is no message header: its preamble is skipped on import.
		{"chat.txt", "garbage preamble line\n20/01/2020, 10:00 - Alice: a\n", "chattext"},
		{"chat2.txt", "Chat\n\nexported\n20/01/2020, 10:00 - Alice: a\n20/01/2020, 10:01 - Bob: b\n", "chattext"},
	}
	for _, tt := range tests {
		p := filepath.Join(dir, tt.name)
		if err := os.WriteFile(p, []byte(tt.content), 0o600); err != nil {
			t.Fatal(err)
		}
		if f, err := Detect(p); err != nil || f.ID != tt.want {
			t.Errorf("%s: got %q, %v; want %q", tt.name, f.ID, err, tt.want)
		}
	}
}

func TestByID(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range Formats() {
		if f.ID == "" || f.Name == "" || f.Sniff == nil || f.Import == nil {
			t.Errorf("format %+v: want ID, Name, Sniff and Import set", f.ID)
		}
		if seen[f.ID] {
			t.Errorf("format ID %q registered twice", f.ID)
		}
		seen[f.ID] = true
		if got, ok := ByID(f.ID); !ok || got.ID != f.ID {
			t.Errorf("ByID(%q): got %q, %v", f.ID, got.ID, ok)
		}
	}
	if last := Formats()[len(Formats())-1]; last.ID != "zip" {
		t.Errorf("last format: got %q, want zip", last.ID)
	}
	if _, ok := ByID("nope"); ok {
		t.Errorf("ByID(nope): got true, want false")
	}
}

func ExampleDetect() {
	dir, _ := os.MkdirTemp("", "detect")
	defer os.RemoveAll(dir)
	p := filepath.Join(dir, "export")
	os.WriteFile(p, []byte("<?xml version='1.0'?>\n<smses count='0'></smses>\n"), 0o600)
	f, err := Detect(p)
	fmt.Println(f.ID, err)
	// Output: smsbackup <nil>
}

// TestDetectProbe: a format whose Probe rejects the file is passed over for the next one.
func TestDetectProbe(t *testing.T) {
	saved := formats
	t.Cleanup(func() { formats = saved })
	fake := func(head []byte, _ string) bool { return strings.HasPrefix(string(head), "FAKEDB\x00") }
	formats = append(append([]importers.Format{}, formats...),
		importers.Format{ID: "db-a", Name: "A", Sniff: fake, Probe: func(p string) bool { return strings.HasSuffix(p, "a.db") }},
		importers.Format{ID: "db-b", Name: "B", Sniff: fake, Probe: func(p string) bool { return true }})
	dir := t.TempDir()
	for name, want := range map[string]string{"a.db": "db-a", "b.db": "db-b"} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte("FAKEDB\x00..."), 0o600)
		if f, err := Detect(p); err != nil || f.ID != want {
			t.Errorf("%s: got %q, %v; want %q", name, f.ID, err, want)
		}
	}
	c, err := readZip(t, makeZip(t, member{name: "a.db", data: []byte("FAKEDB\x00...")}))
	if got := problemAt(c, "a.db"); err != nil || got != "A or B cannot be read inside a ZIP; unzip first and import the file" {
		t.Errorf("in a zip: got %v, %v; want a problem saying to unzip first", c.Problems, err)
	}
}

// TestDetectRenamedArchive: an unzipped X archive is recognised by its content whatever the
// folder is called, so that importing it (the CLI, the GUI) reads it as one archive rather than
// file by file; a folder of other files is still no format.
func TestDetectRenamedArchive(t *testing.T) {
	src := "../xarchive/testdata/archive"
	dst := filepath.Join(t.TempDir(), "myexport")
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	if f, err := Detect(dst); err != nil || f.ID != "x-archive" {
		t.Errorf("Detect(%s): got %q, %v; want x-archive", dst, f.ID, err)
	}
	os.Remove(filepath.Join(dst, "data", "manifest.js"))
	if f, err := Detect(dst); err != nil || f.ID != "x-archive" {
		t.Errorf("Detect(%s) without manifest.js: got %q, %v; want x-archive (data/account.js)", dst, f.ID, err)
	}
	os.Remove(filepath.Join(dst, "data", "account.js"))
	if f, err := Detect(dst); !errors.Is(err, ErrUnknown) {
		t.Errorf("Detect(%s) without manifest.js or account.js: got %q, %v; want ErrUnknown", dst, f.ID, err)
	}
}

// TestDetectSQLiteNotRecognised: an SQLite file that neither database format's Probe confirms is
// said to be damaged, with SQLite's reason and the file's name, when it cannot be read, and
// otherwise to have neither schema, with the tables it has.
func TestDetectSQLiteNotRecognised(t *testing.T) {
	tests := []struct {
		path    string
		damaged bool
		want    string // after "file PATH: "
	}{
		{"../applemessages/testdata/chat_truncated.db", true, "database damaged: the file is 12000 bytes, its header says 24576 (truncated)"},
		{"../applemessages/testdata/chat_flipped.db", true, "database damaged: database disk image is malformed"},
		{"../androiddb/testdata/mmssms_truncated.db", true, "database damaged: the file is 10000 bytes, its header says 32768 (truncated)"},
		{"../androiddb/testdata/mmssms_flipped.db", true, "database damaged: database disk image is malformed"},
		{"testdata/sqlite/other_schema.db", false, "SQLite database, but not an Apple Messages or Android SMS database (tables found: notes, tags)"},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.path), func(t *testing.T) {
			f, err := Detect(tt.path)
			if !errors.Is(err, ErrUnknown) || errors.Is(err, sqliteread.ErrDamaged) != tt.damaged {
				t.Fatalf("got %q, %v; want ErrUnknown (damaged %v)", f.ID, err, tt.damaged)
			}
			if want := "file " + tt.path + ": " + tt.want; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("error:\n got %s\nwant %s…", err, want)
			}
		})
	}
}

// TestDetectLongJSONLine: a file whose first line is one JSON value longer than the bytes
// detection reads, which no format can judge from its start, is not recognised with a message
// that says why and what to do; another long line gets the plain message.
func TestDetectLongJSONLine(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, content string
		hint          bool
	}{
		{"twarc.jsonl", `{"data": [{"text": "` + strings.Repeat("z", HeadSize) + `", "author_id": "1"}]}` + "\n", true},
		{"array.json", "\ufeff[" + strings.Repeat(`"z", `, HeadSize/5) + `"z"]`, true},
		{"short.json", `{"data": [{"text": "z"}]}`, false},
		{"prose.txt", strings.Repeat("z", HeadSize+10), false},
	}
	for _, tt := range tests {
		p := filepath.Join(dir, tt.name)
		if err := os.WriteFile(p, []byte(tt.content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Detect(p)
		if !errors.Is(err, ErrUnknown) {
			t.Errorf("%s: got %v, want ErrUnknown", tt.name, err)
			continue
		}
		if got := strings.Contains(err.Error(), "its first line is longer than the 64 KiB detection reads"); got != tt.hint {
			t.Errorf("%s: got %q, want the long-line hint %v", tt.name, err, tt.hint)
		}
	}
}
