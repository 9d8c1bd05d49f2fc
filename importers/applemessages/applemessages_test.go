package applemessages

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"raidtrace/importers"
	"raidtrace/importers/sqliteread"
)

// base is the instant the fixture messages are sent around.
var base = time.Date(2024, 3, 9, 21, 14, 5, 0, time.UTC)

// ns and secs are base+d as Messages stores it (nanoseconds or seconds since 2001).
func ns(d time.Duration) int64 { return base.Add(d).Sub(time.Unix(appleEpoch, 0)).Nanoseconds() }
func secs(d time.Duration) int64 {
	return int64(base.Add(d).Sub(time.Unix(appleEpoch, 0)) / time.Second)
}

// fixtureRow is a message row; nil fields are left NULL (or to their default).
type fixtureRow struct {
	id         int64
	guid       string
	text       any
	body       []byte
	handle     int64
	service    string
	date       int64
	fromMe     int
	itemType   int
	assocType  int
	assocGUID  any
	destCaller any
	chat       int64
}

// fill inserts the same handles, chats, messages and attachments into any chat.db schema that
// has these columns (the macOS and iOS 11.2 ones do).
func fill(tb testing.TB, db *sql.DB) []fixtureRow {
	tb.Helper()
	exec(tb, db,
		`INSERT INTO handle (ROWID, id, service) VALUES (1, '+33612345678', 'iMessage'), (2, 'troll@example.com', 'iMessage'), (3, '06 12 34 56 79', 'SMS')`,
		`INSERT INTO chat (ROWID, guid, chat_identifier, service_name, display_name, style) VALUES
			(1, 'iMessage;-;+33612345678', '+33612345678', 'iMessage', NULL, 45),
			(2, 'iMessage;+;chat900', 'chat900', 'iMessage', 'Raid', 43),
			(3, 'SMS;-;0612345679', '0612345679', 'SMS', NULL, 45)`,
		`INSERT INTO chat_handle_join (chat_id, handle_id) VALUES (1, 1), (2, 1), (2, 2), (3, 3)`,
	)
	rows := []fixtureRow{
		{id: 1, guid: "G1", text: "tu vas voir", handle: 1, service: "iMessage", date: ns(0), chat: 1},
		{id: 2, guid: "G2", body: blob("sale menteuse"), handle: 1, service: "iMessage", date: ns(time.Second), chat: 1},
		{id: 3, guid: "G3", text: "laissez-moi", handle: 1, service: "iMessage", date: ns(2 * time.Second), fromMe: 1, destCaller: "me@icloud.com", chat: 1},
		{id: 4, guid: "G4", text: "Loved “tu vas voir”", handle: 2, service: "iMessage", date: ns(3 * time.Second), assocType: 2000, assocGUID: "p:0/G1", chat: 2},
		{id: 5, guid: "G5", text: "menteuse", handle: 3, service: "SMS", date: secs(4 * time.Second), chat: 3},
		{id: 6, guid: "G6", text: "\ufffc", handle: 2, service: "iMessage", date: ns(5 * time.Second), chat: 2},
		{id: 7, guid: "G7", handle: 0, service: "iMessage", date: ns(6 * time.Second), itemType: 2, chat: 2},
		{id: 8, guid: "G8", text: "orphan", handle: 99, service: "RCS", date: ns(7 * time.Second)},
		{id: 9, guid: "G9", body: blob("cut short")[:len(blob("cut short"))-3], handle: 2, service: "iMessage", date: ns(8 * time.Second), chat: 2},
	}
	// Make row 9's declared length run past the end of the blob.
	b9 := rows[8].body
	i := strings.Index(string(b9), "+\x09")
	b9[i+1] = 0x7f
	for _, r := range rows {
		var body any
		if r.body != nil {
			body = r.body
		}
		if _, err := db.Exec(`INSERT INTO message (ROWID, guid, text, attributedBody, handle_id, service, date, is_from_me,
			item_type, associated_message_type, associated_message_guid, destination_caller_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.id, r.guid, r.text, body, r.handle, r.service, r.date, r.fromMe, r.itemType, r.assocType, r.assocGUID, r.destCaller); err != nil {
			tb.Fatalf("insert message %d: %v", r.id, err)
		}
		if r.chat != 0 {
			exec(tb, db, fmt.Sprintf(`INSERT INTO chat_message_join (chat_id, message_id, message_date) VALUES (%d, %d, %d)`, r.chat, r.id, r.date))
		}
	}
	exec(tb, db,
		`INSERT INTO attachment (ROWID, guid, original_guid, filename, mime_type, transfer_name, total_bytes)
			VALUES (1, 'A1', 'A1', '~/Library/Messages/Attachments/ab/11/A1/IMG_0001.HEIC', 'image/heic', 'IMG_0001.HEIC', 123456)`,
		`INSERT INTO message_attachment_join (message_id, attachment_id) VALUES (6, 1)`,
	)
	return rows
}

// want is what the fixture rows must give, by ROWID.
type want struct {
	text       string
	platform   string
	dir        importers.Direction
	sender     string // Party.Key()
	recipients []string
	kind       string
	conv       string
	attach     int
	time       time.Time
	warnings   int
}

var fixtureWant = map[int64]want{
	1: {"tu vas voir", "imessage", importers.Incoming, "+33612345678", nil, "message", "iMessage;-;+33612345678", 0, base, 0},
	2: {"sale menteuse", "imessage", importers.Incoming, "+33612345678", nil, "message", "iMessage;-;+33612345678", 0, base.Add(time.Second), 0},
	3: {"laissez-moi", "imessage", importers.Outgoing, "me@icloud.com", []string{"+33612345678"}, "message", "iMessage;-;+33612345678", 0, base.Add(2 * time.Second), 0},
	4: {"Loved “tu vas voir”", "imessage", importers.Incoming, "troll@example.com", []string{"+33612345678"}, "reaction", "iMessage;+;chat900", 0, base.Add(3 * time.Second), 0},
	5: {"menteuse", "sms", importers.Incoming, "+33612345679", nil, "message", "SMS;-;0612345679", 0, base.Add(4 * time.Second), 0},
	6: {"\ufffc", "imessage", importers.Incoming, "troll@example.com", []string{"+33612345678"}, "message", "iMessage;+;chat900", 1, base.Add(5 * time.Second), 0},
	7: {"", "imessage", importers.Incoming, "", []string{"+33612345678", "troll@example.com"}, "event", "iMessage;+;chat900", 0, base.Add(6 * time.Second), 0},
	8: {"orphan", "rcs", importers.Incoming, "handle ROWID 99", nil, "message", "", 0, base.Add(7 * time.Second), 1},
	9: {"cut short", "imessage", importers.Incoming, "troll@example.com", []string{"+33612345678"}, "message", "iMessage;+;chat900", 0, base.Add(8 * time.Second), 1},
}

func keys(ps []importers.Party) []string {
	var s []string
	for _, p := range ps {
		s = append(s, p.Key())
	}
	return s
}

func importFile(t *testing.T, path string) *importers.Collector {
	t.Helper()
	var c importers.Collector
	if err := Import(context.Background(), path, importers.Options{}, &c); err != nil {
		t.Fatalf("Import(%s): %v", path, err)
	}
	return &c
}

func checkFixture(t *testing.T, c *importers.Collector, rows []fixtureRow) {
	t.Helper()
	if got, want := len(c.Records), len(rows); got != want {
		t.Fatalf("got %d records, want %d (one per message row)", got, want)
	}
	warnings := map[string]int{}
	for _, p := range c.Problems {
		if !p.Warning {
			t.Errorf("problem %v is not a warning; every fixture row imports", p)
		}
		warnings[p.Location]++
	}
	for i, rec := range c.Records {
		id := rows[i].id
		w := fixtureWant[id]
		loc := fmt.Sprintf("message ROWID %d", id)
		if rec.Location != loc {
			t.Errorf("record %d: got location %q, want %q", i, rec.Location, loc)
		}
		if rec.PlatformID != rows[i].guid {
			t.Errorf("%s: got platform id %q, want %q", loc, rec.PlatformID, rows[i].guid)
		}
		if rec.Text != w.text {
			t.Errorf("%s: got text %q, want %q", loc, rec.Text, w.text)
		}
		if rec.Platform != w.platform {
			t.Errorf("%s: got platform %q, want %q", loc, rec.Platform, w.platform)
		}
		if rec.Direction != w.dir {
			t.Errorf("%s: got direction %q, want %q", loc, rec.Direction, w.dir)
		}
		if got := rec.Sender.Key(); got != w.sender {
			t.Errorf("%s: got sender %q, want %q", loc, got, w.sender)
		}
		if got := keys(rec.Recipients); !slices.Equal(got, w.recipients) {
			t.Errorf("%s: got recipients %q, want %q", loc, got, w.recipients)
		}
		if rec.Kind != w.kind {
			t.Errorf("%s: got kind %q, want %q", loc, rec.Kind, w.kind)
		}
		if rec.Conversation != w.conv {
			t.Errorf("%s: got conversation %q, want %q", loc, rec.Conversation, w.conv)
		}
		if len(rec.Attachments) != w.attach {
			t.Errorf("%s: got %d attachments, want %d", loc, len(rec.Attachments), w.attach)
		}
		if !rec.Time.Equal(w.time) {
			t.Errorf("%s: got time %v, want %v", loc, rec.Time, w.time)
		}
		if got := fmt.Sprint(rows[i].date); rec.RawTime != got {
			t.Errorf("%s: got raw time %q, want %q", loc, rec.RawTime, got)
		}
		if warnings[loc] != w.warnings {
			t.Errorf("%s: got %d warnings, want %d (%v)", loc, warnings[loc], w.warnings, c.Problems)
		}
	}
	att := c.Records[5].Attachments
	if len(att) == 1 {
		if got, want := att[0], (importers.Attachment{Name: "IMG_0001.HEIC", MIME: "image/heic", Size: 123456}); got != want {
			t.Errorf("attachment: got %+v, want %+v", got, want)
		}
	}
}

func TestImportMacOS(t *testing.T) {
	path, db := schemaDB(t, "macos_chatdb_schema_pieteradejong.sql")
	rows := fill(t, db)
	db.Close()
	checkFixture(t, importFile(t, path), rows)
}

func TestImportIOS11(t *testing.T) {
	path, db := schemaDB(t, "ios_sms.db_schema_iOS11.2.sql")
	rows := fill(t, db)
	db.Close()
	checkFixture(t, importFile(t, path), rows)
}

// minimalSchema is an old sms.db reduced to the columns every version has.
const minimalSchema = `
CREATE TABLE handle (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, id TEXT NOT NULL);
CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, text TEXT,
	handle_id INTEGER DEFAULT 0, date INTEGER, is_from_me INTEGER DEFAULT 0);
CREATE TABLE chat_message_join (chat_id INTEGER, message_id INTEGER, PRIMARY KEY (chat_id, message_id));`

func TestImportMinimalSchema(t *testing.T) {
	path, db := sqlDB(t, minimalSchema)
	exec(t, db,
		`INSERT INTO handle VALUES (1, '+447700900123')`,
		fmt.Sprintf(`INSERT INTO message VALUES (1, 'A', 'first', 1, %d, 0), (2, 'B', 'second', 1, %d, 1), (3, 'C', NULL, 1, 0, 0)`, secs(0), ns(time.Minute)),
	)
	db.Close()
	c := importFile(t, path)
	tests := []struct {
		text string
		dir  importers.Direction
		time time.Time
	}{
		{"first", importers.Incoming, base},
		{"second", importers.Outgoing, base.Add(time.Minute)},
		{"", importers.Incoming, time.Time{}},
	}
	if len(c.Records) != len(tests) {
		t.Fatalf("got %d records, want %d", len(c.Records), len(tests))
	}
	for i, tt := range tests {
		r := c.Records[i]
		if r.Text != tt.text || r.Direction != tt.dir || !r.Time.Equal(tt.time) || r.Platform != "imessage" {
			t.Errorf("record %d: got %q %q %v %q, want %q %q %v imessage", i, r.Text, r.Direction, r.Time, r.Platform, tt.text, tt.dir, tt.time)
		}
	}
	if got := c.Records[0].Sender.E164; got != "+447700900123" {
		t.Errorf("sender: got %q, want +447700900123", got)
	}
	if len(c.Problems) != 1 || c.Problems[0].Location != "message ROWID 3" || !c.Problems[0].Warning {
		t.Errorf("got problems %v, want one warning for the zero date of message ROWID 3", c.Problems)
	}
}

// TestImportOldIOS: an iOS 5-era sms.db (message with address and flags, no handle table) is
// refused with an error that names that layout, and the file is left as it was.
func TestImportOldIOS(t *testing.T) {
	path, db := sqlDB(t, `CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, address TEXT, date INTEGER, text TEXT, flags INTEGER, replace INTEGER, svc_center TEXT, group_id INTEGER, association_id INTEGER, height INTEGER, UIFlags INTEGER, version INTEGER);
		CREATE TABLE msg_group (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, type INTEGER, newest_message INTEGER, unread_count INTEGER, hash INTEGER);
		CREATE TABLE chat_message_join (chat_id INTEGER, message_id INTEGER);
		INSERT INTO message (address, date, text, flags) VALUES ('+33612345678', 1300000000, 'old', 2);`)
	db.Close()
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	err = Import(context.Background(), path, importers.Options{}, &importers.Collector{})
	if !errors.Is(err, importers.ErrNotFormat) || !strings.Contains(err.Error(), "iOS 5") {
		t.Errorf("got %v, want ErrNotFormat naming the iOS 5 layout", err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Errorf("import changed the database file")
	}
	other, db := sqlDB(t, `CREATE TABLE message (x)`)
	db.Close()
	if err := Import(context.Background(), other, importers.Options{}, &importers.Collector{}); err == nil || strings.Contains(err.Error(), "iOS 5") {
		t.Errorf("a message table without address/flags: got %v, want a plain not-the-format error", err)
	}
}

func TestImportNotChatDB(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte("not a database"), 0o644); err != nil {
		t.Fatal(err)
	}
	other, db := sqlDB(t, `CREATE TABLE sms (_id INTEGER PRIMARY KEY, body TEXT); CREATE TABLE message (x); CREATE TABLE handle (y);`)
	db.Close()
	tests := []struct {
		name, path string
	}{
		{"text file", text},
		{"other database", other},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c importers.Collector
			err := Import(context.Background(), tt.path, importers.Options{}, &c)
			if !errors.Is(err, importers.ErrNotFormat) {
				t.Errorf("got error %v, want one wrapping ErrNotFormat", err)
			}
			if IsChatDB(tt.path) {
				t.Errorf("IsChatDB(%s) = true, want false", tt.name)
			}
		})
	}
	if err := Import(context.Background(), filepath.Join(dir, "missing.db"), importers.Options{}, &importers.Collector{}); err == nil {
		t.Error("importing a missing file: got no error")
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); err == nil {
		t.Error("importing a missing file created it")
	}
}

func TestIsChatDB(t *testing.T) {
	path, db := sqlDB(t, minimalSchema)
	db.Close()
	if !IsChatDB(path) {
		t.Errorf("IsChatDB(minimal chat.db) = false, want true")
	}
	head, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !Sniff(head[:100], "x") {
		t.Errorf("Sniff(SQLite header) = false, want true")
	}
	if Sniff([]byte("SQLite format 2"), "chat.db") {
		t.Errorf("Sniff(not SQLite 3) = true, want false")
	}
}

// TestImportDoesNotWrite checks that a WAL-mode database is read without any change to the
// directory: same bytes, no -wal or -shm created; and that an existing -wal is reported.
func TestImportDoesNotWrite(t *testing.T) {
	path, db := sqlDB(t, minimalSchema)
	exec(t, db, `PRAGMA journal_mode=WAL`, `INSERT INTO message VALUES (1, 'A', 'x', 0, 1, 1)`)
	db.Close()
	snapshot := func() map[string][32]byte {
		m := map[string][32]byte{}
		entries, err := os.ReadDir(filepath.Dir(path))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(filepath.Dir(path), e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			m[e.Name()] = sha256.Sum256(b)
		}
		return m
	}
	before := snapshot()
	c := importFile(t, path)
	after := snapshot()
	if fmt.Sprint(before) != fmt.Sprint(after) {
		t.Errorf("directory changed by import: before %v, after %v", before, after)
	}
	if len(c.Records) != 1 || len(c.Problems) != 0 {
		t.Errorf("got %d records, %v problems, want 1 and none", len(c.Records), c.Problems)
	}

	if err := os.WriteFile(path+"-wal", []byte("pretend log"), 0o644); err != nil {
		t.Fatal(err)
	}
	c = importFile(t, path)
	if len(c.Records) != 1 {
		t.Errorf("with a -wal beside it: got %d records, want 1", len(c.Records))
	}
	if len(c.Problems) != 1 || c.Problems[0].Location != "chat.db-wal" || !c.Problems[0].Warning {
		t.Errorf("with a -wal beside it: got problems %v, want one warning on chat.db-wal", c.Problems)
	}
}

// dirSums hashes every file in dir by name.
func dirSums(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %x\n", e.Name(), sha256.Sum256(data))
	}
	return b.String()
}

// TestImportWALMerged: rows only in the -wal (Messages.app still running) are imported, from a
// temporary copy, and chat.db, chat.db-wal and chat.db-shm keep their bytes.
func TestImportWALMerged(t *testing.T) {
	path, db := sqlDB(t, minimalSchema)
	exec(t, db, `PRAGMA journal_mode=WAL`, `PRAGMA wal_autocheckpoint=0`,
		`INSERT INTO message VALUES (1, 'A', 'in the database', 0, 1, 1)`,
		`PRAGMA wal_checkpoint(TRUNCATE)`,
		`INSERT INTO message VALUES (2, 'B', 'only in the log', 0, 2, 1)`)
	// db stays open, so the log is not checkpointed.
	if st, err := os.Stat(path + "-wal"); err != nil || st.Size() == 0 {
		t.Fatalf("fixture: want a non-empty -wal, got %v", err)
	}
	before := dirSums(t, filepath.Dir(path))
	c := importFile(t, path)
	var texts []string
	for _, r := range c.Records {
		texts = append(texts, r.Text)
	}
	if want := []string{"in the database", "only in the log"}; !slices.Equal(texts, want) {
		t.Errorf("got texts %q, want %q", texts, want)
	}
	if len(c.Problems) != 0 {
		t.Errorf("got problems %v, want none", c.Problems)
	}
	if after := dirSums(t, filepath.Dir(path)); after != before {
		t.Errorf("import changed the files beside chat.db:\nbefore\n%safter\n%s", before, after)
	}
}

func TestAppleTime(t *testing.T) {
	tests := []struct {
		in   int64
		want time.Time
	}{
		{0, time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)},
		{731_711_645, base},
		{731_711_645_123_456_789, base.Add(123456789)},
		{1_000_000_000_000, time.Unix(appleEpoch+1e12, 0)},
		{1_000_000_000_001, time.Date(2001, 1, 1, 0, 16, 40, 1, time.UTC)},
		{-86400, time.Date(2000, 12, 31, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		if got := AppleTime(tt.in); !got.Equal(tt.want) {
			t.Errorf("AppleTime(%d) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestImportCancelled(t *testing.T) {
	path, db := sqlDB(t, minimalSchema)
	tx, _ := db.Begin()
	for i := range 2000 {
		if _, err := tx.Exec(`INSERT INTO message (guid, text, date) VALUES (?, 'x', 1)`, fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
	}
	tx.Commit()
	db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Import(ctx, path, importers.Options{}, &importers.Collector{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

func TestImportProgress(t *testing.T) {
	path, db := sqlDB(t, minimalSchema)
	tx, _ := db.Begin()
	for i := range 2000 {
		if _, err := tx.Exec(`INSERT INTO message (guid, text, date, is_from_me) VALUES (?, 'x', 1, 1)`, fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
	}
	tx.Commit()
	db.Close()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	var calls [][2]int64
	opt := importers.Options{Progress: func(done, total int64) { calls = append(calls, [2]int64{done, total}) }}
	if err := Import(context.Background(), path, opt, &importers.Collector{}); err != nil {
		t.Fatal(err)
	}
	if len(calls) < 2 {
		t.Fatalf("got %d progress calls, want several for 2000 rows", len(calls))
	}
	for i, c := range calls {
		if c[1] != st.Size() || c[0] > c[1] || (i > 0 && c[0] < calls[i-1][0]) {
			t.Errorf("progress call %d: got %v, want done rising to total %d", i, c, st.Size())
		}
	}
	if last := calls[len(calls)-1]; last[0] != last[1] {
		t.Errorf("last progress call: got %v, want done == total", last)
	}
}

// TestImportTablesOnlyInWAL: a database whose tables were never checkpointed is recognised and
// imported from the log; with a damaged log it reads as not a chat.db, the error naming the -wal.
func TestImportTablesOnlyInWAL(t *testing.T) {
	path, db := sqlDB(t, `PRAGMA journal_mode=WAL`)
	exec(t, db, `PRAGMA wal_autocheckpoint=0`, minimalSchema, // db stays open: nothing checkpointed
		`INSERT INTO message VALUES (1, 'A', 'only in the log', 0, 1, 1)`)
	if !IsChatDB(path) {
		t.Errorf("IsChatDB with the tables only in the log: got false, want true")
	}
	c := importFile(t, path)
	if len(c.Records) != 1 || c.Records[0].Text != "only in the log" || len(c.Problems) != 0 {
		t.Errorf("got %d records, problems %v; want the one row in the log, no problem", len(c.Records), c.Problems)
	}

	wal, err := os.ReadFile(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	broken := filepath.Join(dir, "chat.db")
	main, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	wal[0] ^= 0xff // wrong magic
	if err := os.WriteFile(broken, main, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(broken+"-wal", wal, 0o644); err != nil {
		t.Fatal(err)
	}
	err = Import(context.Background(), broken, importers.Options{}, &importers.Collector{})
	if !errors.Is(err, importers.ErrNotFormat) || !strings.Contains(err.Error(), "-wal") {
		t.Errorf("damaged log: got %v, want ErrNotFormat naming the -wal file", err)
	}
}

// TestImportOddPath opens a database whose path has URI-special characters.
func TestImportOddPath(t *testing.T) {
	src, db := sqlDB(t, minimalSchema)
	exec(t, db, `INSERT INTO message VALUES (1, 'A', 'x', 0, 1, 1)`)
	db.Close()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "dossier #1 ? 100% é")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "chat.db")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	c := importFile(t, path)
	if len(c.Records) != 1 {
		t.Errorf("got %d records, want 1", len(c.Records))
	}
	if !IsChatDB(path) {
		t.Error("IsChatDB = false, want true")
	}
}

// TestImportDamaged: a chat.db cut short or with flipped bits is said to be damaged, with the
// reason and the file's name, not only to be no Apple Messages database.
func TestImportDamaged(t *testing.T) {
	tests := []struct{ file, want string }{
		{"chat_truncated.db", "chat_truncated.db: database damaged: the file is 12000 bytes, its header says 24576 (truncated)"},
		{"chat_flipped.db", "chat_flipped.db: database damaged: database disk image is malformed"},
	}
	for _, tt := range tests {
		err := Import(context.Background(), filepath.Join("testdata", tt.file), importers.Options{}, &importers.Collector{})
		if !errors.Is(err, sqliteread.ErrDamaged) || !errors.Is(err, importers.ErrNotFormat) || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("Import(%s): got %v, want %q…, wrapping ErrDamaged and ErrNotFormat", tt.file, err, tt.want)
		}
	}
}

// logSink writes records and problems, in the order they come, one a line.
type logSink struct{ b strings.Builder }

func (l *logSink) Record(r importers.Record) error {
	fmt.Fprintf(&l.b, "record %s %q\n", r.Location, r.Text)
	return nil
}
func (l *logSink) Problem(p importers.Problem) { fmt.Fprintf(&l.b, "problem %s\n", p) }

// TestImportRecordLimit: a message whose text or attributedBody holds more bytes than the record
// limit (counted in bytes, not characters) is reported in its place, by ROWID, and skipped; the
// other messages import.
func TestImportRecordLimit(t *testing.T) {
	const limit = 128
	path, db := sqlDB(t, minimalSchema+`
ALTER TABLE message ADD COLUMN attributedBody BLOB;`)
	long, accents := strings.Repeat("x", 200), strings.Repeat("é", 70) // 70 characters, 140 bytes
	exec(t, db, `INSERT INTO handle VALUES (1, '+447700900123')`)
	for _, m := range []struct {
		id   int
		text any
		body any
	}{{1, "short", nil}, {2, long, nil}, {3, nil, blob(long)}, {4, "fine", blob("fine")}, {5, accents, nil}, {6, "end", nil}, {7, long, nil}} {
		if _, err := db.Exec(`INSERT INTO message (ROWID, guid, text, attributedBody, handle_id, date) VALUES (?, ?, ?, ?, 1, ?)`,
			m.id, fmt.Sprint("G", m.id), m.text, m.body, ns(time.Duration(m.id)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	var got logSink
	if err := Import(context.Background(), path, importers.Options{MaxRecord: limit}, &got); err != nil {
		t.Fatal(err)
	}
	// The size counts every column read (guid, date… as text), so only its form is checked.
	tooLong := "row of [0-9]+ bytes: " + regexp.QuoteMeta(importers.TooLong(limit).String())
	want := regexp.MustCompile(`^record message ROWID 1 "short"
problem message ROWID 2: ` + tooLong + `
problem message ROWID 3: ` + tooLong + `
record message ROWID 4 "fine"
problem message ROWID 5: ` + tooLong + `
record message ROWID 6 "end"
problem message ROWID 7: ` + tooLong + `
$`)
	if !want.MatchString(got.b.String()) {
		t.Errorf("got\n%s\nwant\n%s", got.b.String(), want)
	}
}
