package androiddb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"raidtrace/importers"
	"raidtrace/importers/internal/heappeak"
	"raidtrace/importers/sqliteread"
)

// aospSchema is mmssms.db's message tables as AOSP's MmsSmsDatabaseHelper creates them
// (TelephonyProvider, database version 69; triggers and indexes left out).
const aospSchema = `
CREATE TABLE sms (_id INTEGER PRIMARY KEY, thread_id INTEGER, address TEXT, person INTEGER, date INTEGER,
	date_sent INTEGER DEFAULT 0, protocol INTEGER, read INTEGER DEFAULT 0, status INTEGER DEFAULT -1,
	type INTEGER, reply_path_present INTEGER, subject TEXT, body TEXT, service_center TEXT,
	locked INTEGER DEFAULT 0, sub_id INTEGER DEFAULT -1, error_code INTEGER DEFAULT 0, creator TEXT,
	seen INTEGER DEFAULT 0);
CREATE TABLE pdu (_id INTEGER PRIMARY KEY AUTOINCREMENT, thread_id INTEGER, date INTEGER,
	date_sent INTEGER DEFAULT 0, msg_box INTEGER, read INTEGER DEFAULT 0, m_id TEXT, sub TEXT,
	sub_cs INTEGER, ct_t TEXT, ct_l TEXT, exp INTEGER, m_cls TEXT, m_type INTEGER, v INTEGER,
	m_size INTEGER, pri INTEGER, rr INTEGER, rpt_a INTEGER, resp_st INTEGER, st INTEGER, tr_id TEXT,
	retr_st INTEGER, retr_txt TEXT, retr_txt_cs INTEGER, read_status INTEGER, ct_cls INTEGER,
	resp_txt TEXT, d_tm INTEGER, d_rpt INTEGER, locked INTEGER DEFAULT 0, sub_id INTEGER DEFAULT -1,
	seen INTEGER DEFAULT 0, creator TEXT, text_only INTEGER DEFAULT 0);
CREATE TABLE part (_id INTEGER PRIMARY KEY AUTOINCREMENT, mid INTEGER, seq INTEGER DEFAULT 0, ct TEXT,
	name TEXT, chset INTEGER, cd TEXT, fn TEXT, cid TEXT, cl TEXT, ctt_s INTEGER, ctt_t TEXT,
	_data TEXT, text TEXT);
CREATE TABLE addr (_id INTEGER PRIMARY KEY, msg_id INTEGER, contact_id INTEGER, address TEXT,
	type INTEGER, charset INTEGER);
CREATE TABLE threads (_id INTEGER PRIMARY KEY AUTOINCREMENT, date INTEGER DEFAULT 0,
	message_count INTEGER DEFAULT 0, recipient_ids TEXT, snippet TEXT, snippet_cs INTEGER DEFAULT 0,
	read INTEGER DEFAULT 1, archived INTEGER DEFAULT 0, type INTEGER DEFAULT 0, error INTEGER DEFAULT 0,
	has_attachment INTEGER DEFAULT 0);
CREATE TABLE canonical_addresses (_id INTEGER PRIMARY KEY AUTOINCREMENT, address TEXT);`

// base is the instant the fixture messages are sent around.
var base = time.Date(2024, 3, 9, 21, 14, 5, 0, time.UTC)

func ms(d time.Duration) int64 { return base.Add(d).UnixMilli() }
func s(d time.Duration) int64  { return base.Add(d).Unix() }

// newDB creates an SQLite file in a temporary directory from ddl and returns its path and a
// writable handle for inserting fixture rows.
func newDB(tb testing.TB, ddl string) (string, *sql.DB) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "mmssms.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	exec(tb, db, ddl)
	return path, db
}

func exec(tb testing.TB, db *sql.DB, stmts ...string) {
	tb.Helper()
	for _, st := range stmts {
		if _, err := db.Exec(st); err != nil {
			tb.Fatalf("%.60s: %v", st, err)
		}
	}
}

// fixture writes an mmssms.db with the AOSP schema and a few SMS and MMS, including odd ones.
func fixture(tb testing.TB) string {
	tb.Helper()
	path, db := newDB(tb, aospSchema)
	exec(tb, db,
		fmt.Sprintf(`INSERT INTO sms (_id, thread_id, address, date, type, body) VALUES
			(1, 1, '+33612345678', %d, 1, 'tu vas voir'),
			(2, 1, '0612345678', %d, 2, 'stop'),
			(3, 2, '06 12 34 56 79', %d, 1, 'menteuse'),
			(4, 2, '0612345679', %d, 9, 'odd box'),
			(5, 3, 'abc@rbm.goog', %d, 1, 'rcs business'),
			(6, 4, NULL, %d, 3, 'brouillon')`,
			ms(0), ms(time.Second), s(2*time.Second), ms(3*time.Second), ms(4*time.Second), ms(5*time.Second)),
		fmt.Sprintf(`INSERT INTO pdu (_id, thread_id, date, msg_box, m_type, sub) VALUES
			(1, 5, %d, 1, 132, 'coucou'),
			(2, 6, %d, 2, 128, NULL),
			(3, 5, %d, 1, 132, NULL)`, s(10*time.Second), s(11*time.Second), s(12*time.Second)),
		`INSERT INTO part (_id, mid, seq, ct, name, cl, text, _data) VALUES
			(1, 1, -1, 'application/smil', NULL, 'smil.xml', '<smil/>', NULL),
			(2, 1, 0, 'text/plain', NULL, 'text_0.txt', 'photo de toi', NULL),
			(3, 1, 1, 'image/jpeg', 'IMG_1.jpg', 'IMG_1.jpg', NULL, '/data/user_de/0/com.android.providers.telephony/app_parts/PART_1'),
			(4, 2, 0, 'text/plain', NULL, NULL, 'on ', NULL),
			(5, 2, 1, 'text/plain; charset=utf-8', NULL, NULL, 'arrive', NULL),
			(6, 3, 0, 'text/plain', NULL, NULL, NULL, '/data/user_de/0/com.android.providers.telephony/app_parts/PART_6'),
			(7, 99, 0, 'text/plain', NULL, NULL, 'orphan', NULL)`,
		`INSERT INTO addr (_id, msg_id, address, type, charset) VALUES
			(1, 1, '+33698765432', 137, 106),
			(2, 1, 'insert-address-token', 151, 106),
			(3, 1, '+33611111111', 130, 106),
			(4, 2, 'insert-address-token', 137, 106),
			(5, 2, '+33612345678', 151, 106),
			(6, 2, '0612345679', 151, 106)`,
	)
	return path
}

func TestImport(t *testing.T) {
	path := fixture(t)
	var c importers.Collector
	if err := Import(context.Background(), path, importers.Options{Owner: "0600000000"}, &c); err != nil {
		t.Fatalf("Import: %v", err)
	}
	const owner = "+33600000000"
	tests := []struct {
		loc        string
		platform   string
		text       string
		dir        importers.Direction
		sender     string
		recipients []string
		time       time.Time
		raw        string
		attach     []importers.Attachment
	}{
		{"sms _id 1", "sms", "tu vas voir", importers.Incoming, "+33612345678", []string{owner}, base, fmt.Sprint(ms(0)), nil},
		{"sms _id 2", "sms", "stop", importers.Outgoing, owner, []string{"+33612345678"}, base.Add(time.Second), fmt.Sprint(ms(time.Second)), nil},
		{"sms _id 3", "sms", "menteuse", importers.Incoming, "+33612345679", []string{owner}, base.Add(2 * time.Second), fmt.Sprint(s(2 * time.Second)), nil},
		{"sms _id 4", "sms", "odd box", importers.Unknown, "+33612345679", nil, base.Add(3 * time.Second), fmt.Sprint(ms(3 * time.Second)), nil},
		{"sms _id 5", "rcs", "rcs business", importers.Incoming, "abc@rbm.goog", []string{owner}, base.Add(4 * time.Second), fmt.Sprint(ms(4 * time.Second)), nil},
		{"sms _id 6", "sms", "brouillon", importers.Outgoing, owner, nil, base.Add(5 * time.Second), fmt.Sprint(ms(5 * time.Second)), nil},
		{"pdu _id 1", "mms", "photo de toi", importers.Incoming, "+33698765432", []string{owner, "+33611111111"}, base.Add(10 * time.Second), fmt.Sprint(s(10 * time.Second)),
			[]importers.Attachment{{Name: "IMG_1.jpg", MIME: "image/jpeg"}}},
		{"pdu _id 2", "mms", "on arrive", importers.Outgoing, owner, []string{"+33612345678", "+33612345679"}, base.Add(11 * time.Second), fmt.Sprint(s(11 * time.Second)), nil},
		{"pdu _id 3", "mms", "", importers.Incoming, "", []string{owner}, base.Add(12 * time.Second), fmt.Sprint(s(12 * time.Second)), nil},
	}
	if len(c.Records) != len(tests) {
		t.Fatalf("got %d records, want %d", len(c.Records), len(tests))
	}
	for i, tt := range tests {
		r := c.Records[i]
		if r.Location != tt.loc {
			t.Errorf("record %d: got location %q, want %q", i, r.Location, tt.loc)
			continue
		}
		if r.Platform != tt.platform {
			t.Errorf("%s: got platform %q, want %q", tt.loc, r.Platform, tt.platform)
		}
		if r.Text != tt.text {
			t.Errorf("%s: got text %q, want %q", tt.loc, r.Text, tt.text)
		}
		if r.Direction != tt.dir {
			t.Errorf("%s: got direction %q, want %q", tt.loc, r.Direction, tt.dir)
		}
		if got := r.Sender.Key(); got != tt.sender {
			t.Errorf("%s: got sender %q, want %q", tt.loc, got, tt.sender)
		}
		var rk []string
		for _, p := range r.Recipients {
			rk = append(rk, p.Key())
		}
		if !slices.Equal(rk, tt.recipients) {
			t.Errorf("%s: got recipients %q, want %q", tt.loc, rk, tt.recipients)
		}
		if !r.Time.Equal(tt.time) || r.RawTime != tt.raw {
			t.Errorf("%s: got time %v (raw %q), want %v (raw %q)", tt.loc, r.Time, r.RawTime, tt.time, tt.raw)
		}
		if !slices.Equal(r.Attachments, tt.attach) {
			t.Errorf("%s: got attachments %+v, want %+v", tt.loc, r.Attachments, tt.attach)
		}
		if r.Kind != "message" {
			t.Errorf("%s: got kind %q, want message", tt.loc, r.Kind)
		}
	}
	if got := c.Records[6].Extra["cc"]; got != "+33611111111" {
		t.Errorf("pdu _id 1: got Extra[cc] %q, want +33611111111", got)
	}
	if got := c.Records[6].Extra["sub"]; got != "coucou" {
		t.Errorf("pdu _id 1: got Extra[sub] %q, want coucou", got)
	}

	wantProblems := map[string]string{
		"sms _id 3":   "looks like seconds",
		"sms _id 4":   "not a known message box",
		"pdu _id 3":   "PART_6", // text stored in a file; and no From address
		"part mid 99": "does not exist",
	}
	got := map[string]string{}
	for _, p := range c.Problems {
		if !p.Warning {
			t.Errorf("problem %v: want a warning, every row imports", p)
		}
		got[p.Location] += p.Reason + "; "
	}
	for loc, want := range wantProblems {
		if !strings.Contains(got[loc], want) {
			t.Errorf("problems at %s: got %q, want one containing %q", loc, got[loc], want)
		}
	}
	if !strings.Contains(got["pdu _id 3"], "no From address") {
		t.Errorf("problems at pdu _id 3: got %q, want the missing From address too", got["pdu _id 3"])
	}
	if len(got) != len(wantProblems) {
		t.Errorf("got problems at %d locations (%v), want %d", len(got), got, len(wantProblems))
	}
}

// TestImportOldSchema reads a database with only the oldest columns and no part/addr tables.
func TestImportOldSchema(t *testing.T) {
	path, db := newDB(t, `CREATE TABLE sms (_id INTEGER PRIMARY KEY, address TEXT, date INTEGER, type INTEGER, body TEXT);
		CREATE TABLE pdu (_id INTEGER PRIMARY KEY, date INTEGER, msg_box INTEGER);`)
	exec(t, db, fmt.Sprintf(`INSERT INTO sms VALUES (1, '+447700900123', %d, 1, 'hi')`, ms(0)),
		fmt.Sprintf(`INSERT INTO pdu VALUES (1, %d, 2)`, s(0)))
	db.Close()
	var c importers.Collector
	if err := Import(context.Background(), path, importers.Options{}, &c); err != nil {
		t.Fatalf("Import: %v", err)
	}
	if len(c.Records) != 2 {
		t.Fatalf("got %d records, want 2", len(c.Records))
	}
	if r := c.Records[0]; r.Text != "hi" || r.Sender.E164 != "+447700900123" || !r.Time.Equal(base) {
		t.Errorf("sms: got %q from %q at %v, want \"hi\" from +447700900123 at %v", r.Text, r.Sender.E164, r.Time, base)
	}
	if r := c.Records[1]; r.Direction != importers.Outgoing || !r.Time.Equal(base) {
		t.Errorf("mms: got %q at %v, want out at %v", r.Direction, r.Time, base)
	}
	var locs []string
	for _, p := range c.Problems {
		locs = append(locs, p.Location)
	}
	if want := []string{"part table", "addr table"}; !slices.Equal(locs, want) {
		t.Errorf("got problems at %q, want %q", locs, want)
	}
}

func TestImportNotMmsSms(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte("SQLite format 3\x00 but not really"), 0o644); err != nil {
		t.Fatal(err)
	}
	chat, db := newDB(t, `CREATE TABLE message (ROWID INTEGER PRIMARY KEY); CREATE TABLE handle (ROWID INTEGER PRIMARY KEY); CREATE TABLE sms (x);`)
	db.Close()
	for _, path := range []string{text, chat} {
		err := Import(context.Background(), path, importers.Options{}, &importers.Collector{})
		if !errors.Is(err, importers.ErrNotFormat) {
			t.Errorf("Import(%s): got %v, want an error wrapping ErrNotFormat", filepath.Base(path), err)
		}
		if IsMmsSmsDB(path) {
			t.Errorf("IsMmsSmsDB(%s) = true, want false", filepath.Base(path))
		}
	}
	if !IsMmsSmsDB(fixture(t)) {
		t.Error("IsMmsSmsDB(fixture) = false, want true")
	}
}

func TestImportWALWarning(t *testing.T) {
	path := fixture(t)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+"-wal", []byte("log"), 0o644); err != nil {
		t.Fatal(err)
	}
	var c importers.Collector
	if err := Import(context.Background(), path, importers.Options{}, &c); err != nil {
		t.Fatal(err)
	}
	if c.Problems[0].Location != "mmssms.db-wal" || !c.Problems[0].Warning || !strings.Contains(c.Problems[0].Reason, "not a valid") {
		t.Errorf("got first problem %v, want the warning that the -wal is not a valid log", c.Problems[0])
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(before) != string(after) {
		t.Error("import changed the database file")
	}
	if _, err := os.Stat(path + "-shm"); err == nil {
		t.Error("import created a -shm file")
	}
}

// TestImportWALMerged: an SMS only in the -wal (the telephony provider still running when the
// files were extracted) is imported, and mmssms.db, its -wal and -shm keep their bytes.
func TestImportWALMerged(t *testing.T) {
	path, db := newDB(t, aospSchema)
	exec(t, db, `PRAGMA journal_mode=WAL`, `PRAGMA wal_autocheckpoint=0`,
		fmt.Sprintf(`INSERT INTO sms (_id, address, date, type, body) VALUES (1, '+33612345678', %d, 1, 'in the database')`, ms(0)),
		`PRAGMA wal_checkpoint(TRUNCATE)`,
		fmt.Sprintf(`INSERT INTO sms (_id, address, date, type, body) VALUES (2, '+33612345679', %d, 1, 'only in the log')`, ms(time.Second)))
	// db stays open, so the log is not checkpointed.
	sums := func() map[string]string {
		m := map[string]string{}
		entries, err := os.ReadDir(filepath.Dir(path))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(filepath.Dir(path), e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			m[e.Name()] = fmt.Sprintf("%x", sha256.Sum256(b))
		}
		return m
	}
	before := sums()
	if before["mmssms.db-wal"] == "" {
		t.Fatalf("fixture: no -wal file, got %v", before)
	}
	var c importers.Collector
	if err := Import(context.Background(), path, importers.Options{}, &c); err != nil {
		t.Fatal(err)
	}
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
	if after := sums(); !maps.Equal(before, after) {
		t.Errorf("import changed the files beside mmssms.db:\nbefore %v\nafter  %v", before, after)
	}
}

func TestWhen(t *testing.T) {
	tests := []struct {
		v       any
		seconds bool
		want    time.Time
		warn    bool
	}{
		{ms(0), false, base, false},
		{s(0), true, base, false},
		{s(0), false, base, true},
		{ms(0), true, base, true},
		{nil, false, time.Time{}, true},
		{int64(0), false, time.Time{}, true},
		{"1710018845000", false, base, false},
		{"soon", false, time.Time{}, true},
		{float64(ms(0)), false, base, false},
		{int64(1), true, time.Unix(1, 0), true},
	}
	for _, tt := range tests {
		got, _, w := when(tt.v, tt.seconds)
		if !got.Equal(tt.want) || !w.IsZero() != tt.warn {
			t.Errorf("when(%v, %v) = %v, %q; want %v, warning %v", tt.v, tt.seconds, got, w.String(), tt.want, tt.warn)
		}
	}
}

func TestWriteTestdata(t *testing.T) {
	if os.Getenv("RAIDTRACE_WRITE_TESTDATA") == "" {
		t.Skip("set RAIDTRACE_WRITE_TESTDATA=1 to rewrite testdata/mmssms.db")
	}
	b, err := os.ReadFile(fixture(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("testdata", "mmssms.db"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// FuzzImport imports damaged copies of testdata/mmssms.db: it must return records, problems or
// an error, never panic.
func FuzzImport(f *testing.F) {
	seed, err := os.ReadFile(filepath.Join("testdata", "mmssms.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add(seed[:4096])
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(t.TempDir(), "mmssms.db")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		var c importers.Collector
		err := Import(context.Background(), path, importers.Options{}, &c)
		if err == nil && len(b) > 0 && len(c.Records) == 0 && len(c.Problems) == 0 && !IsMmsSmsDB(path) {
			t.Errorf("no error, no record and not an mmssms.db")
		}
	})
}

func BenchmarkImport(b *testing.B) {
	const n = 50000
	path, db := newDB(b, aospSchema)
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		if _, err := tx.Exec(`INSERT INTO sms (thread_id, address, date, type, body) VALUES (?, ?, ?, 1, ?)`,
			i%100, fmt.Sprintf("+336%08d", i), ms(time.Duration(i)*time.Second), fmt.Sprintf("message numéro %d", i)); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	db.Close()
	if st, err := os.Stat(path); err == nil {
		b.SetBytes(st.Size()) // MB/s of the database file
	}
	var before runtime.MemStats
	runtime.ReadMemStats(&before) // the input, held by the benchmark
	stop := heappeak.Start()
	for b.Loop() {
		records := 0
		sink := sinkFunc{record: func(importers.Record) error { records++; return nil }, collector: &importers.Collector{}}
		if err := Import(context.Background(), path, importers.Options{}, sink); err != nil {
			b.Fatal(err)
		}
		if records != n {
			b.Fatalf("got %d records, want %d", records, n)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(heappeak.MB(max(stop(), before.HeapInuse)-before.HeapInuse), "peak-heap-MB") // above the input
}

func TestImportProgress(t *testing.T) {
	path := fixture(t)
	var last [2]int64
	opt := importers.Options{Progress: func(done, total int64) { last = [2]int64{done, total} }}
	if err := Import(context.Background(), path, opt, &importers.Collector{}); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := [2]int64{st.Size(), st.Size()}; last != want {
		t.Errorf("last progress call: got %v, want %v", last, want)
	}
}

func TestImportCancelled(t *testing.T) {
	path, db := newDB(t, aospSchema)
	tx, _ := db.Begin()
	for i := range 2000 {
		if _, err := tx.Exec(`INSERT INTO sms (address, date, type, body) VALUES ('+33612345678', ?, 1, 'x')`, ms(time.Duration(i))); err != nil {
			t.Fatal(err)
		}
	}
	tx.Commit()
	db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var c importers.Collector
	n := 0
	sink := sinkFunc{record: func(importers.Record) error {
		if n++; n == 10 {
			cancel()
		}
		return nil
	}, collector: &c}
	err := Import(ctx, path, importers.Options{}, sink)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	if n >= 2000 {
		t.Errorf("got %d records after cancelling at 10, want the import to stop early", n)
	}
}

type sinkFunc struct {
	record    func(importers.Record) error
	collector *importers.Collector
}

func (s sinkFunc) Record(r importers.Record) error { return s.record(r) }
func (s sinkFunc) Problem(p importers.Problem)     { s.collector.Problem(p) }

// TestImportDamaged: an mmssms.db cut short or with flipped bits is said to be damaged, with the
// reason and the file's name, not only to be no mmssms.db.
func TestImportDamaged(t *testing.T) {
	tests := []struct{ file, want string }{
		{"mmssms_truncated.db", "mmssms_truncated.db: database damaged: the file is 10000 bytes, its header says 32768 (truncated)"},
		{"mmssms_flipped.db", "mmssms_flipped.db: database damaged: database disk image is malformed"},
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

// TestImportRecordLimit: an SMS whose body, or an MMS whose parts together, hold more bytes than
// the record limit (bytes, not characters) is reported in its place, by _id, and skipped; the
// other messages import.
func TestImportRecordLimit(t *testing.T) {
	const limit = 128
	path, db := newDB(t, aospSchema)
	long, half, accents := strings.Repeat("x", 200), strings.Repeat("y", 80), strings.Repeat("é", 70)
	for _, st := range []struct {
		q    string
		args []any
	}{
		{"INSERT INTO sms (_id, address, date, type, body) VALUES (?, '+33612345678', ?, 1, ?)", []any{1, ms(0), "court"}},
		{"INSERT INTO sms (_id, address, date, type, body) VALUES (?, '+33612345678', ?, 1, ?)", []any{2, ms(0), long}},
		{"INSERT INTO sms (_id, address, date, type, body) VALUES (?, '+33612345678', ?, 1, ?)", []any{3, ms(0), accents}},
		{"INSERT INTO sms (_id, address, date, type, body) VALUES (?, '+33612345678', ?, 1, ?)", []any{4, ms(0), "fin"}},
		{"INSERT INTO pdu (_id, date, msg_box) VALUES (?, ?, 1)", []any{1, s(0)}},
		{"INSERT INTO pdu (_id, date, msg_box) VALUES (?, ?, 1)", []any{2, s(0)}},
		{"INSERT INTO pdu (_id, date, msg_box) VALUES (?, ?, 1)", []any{3, s(0)}},
		{"INSERT INTO pdu (_id, date, msg_box, sub) VALUES (?, ?, 1, ?)", []any{4, s(0), long}},
		{"INSERT INTO pdu (_id, date, msg_box) VALUES (?, ?, 1)", []any{5, s(0)}},
		{"INSERT INTO part (mid, seq, ct, text) VALUES (?, 0, 'text/plain', ?)", []any{1, "mms"}},
		{"INSERT INTO part (mid, seq, ct, text) VALUES (?, 0, 'text/plain', ?)", []any{2, long}},
		{"INSERT INTO part (mid, seq, ct, text) VALUES (?, 0, 'text/plain', ?)", []any{3, half}}, // two parts of 80 bytes
		{"INSERT INTO part (mid, seq, ct, text) VALUES (?, 1, 'text/plain', ?)", []any{3, half}},
		{"INSERT INTO part (mid, seq, ct, text) VALUES (?, 0, 'text/plain', ?)", []any{5, "ok"}},
		{"INSERT INTO part (mid, seq, ct, text) VALUES (?, 0, 'text/plain', ?)", []any{99, long}}, // of no MMS
	} {
		if _, err := db.Exec(st.q, st.args...); err != nil {
			t.Fatalf("%s: %v", st.q, err)
		}
	}
	db.Close()
	var got logSink
	if err := Import(context.Background(), path, importers.Options{MaxRecord: limit}, &got); err != nil {
		t.Fatal(err)
	}
	// The size counts every column read (address, date… as text), so only its form is checked.
	tooLong := "[0-9]+ bytes: " + regexp.QuoteMeta(importers.TooLong(limit).String())
	want := regexp.MustCompile(`^record sms _id 1 "court"
problem sms _id 2: row of ` + tooLong + `
problem sms _id 3: row of ` + tooLong + `
record sms _id 4 "fin"
problem pdu _id 1: no From address \(addr type 137\); sender unknown
record pdu _id 1 "mms"
problem pdu _id 2: its parts hold ` + tooLong + `
problem pdu _id 3: its parts hold ` + tooLong + `
problem pdu _id 4: row of ` + tooLong + `
problem pdu _id 5: no From address \(addr type 137\); sender unknown
record pdu _id 5 "ok"
problem part mid 99: part rows of a pdu _id that does not exist, holding ` + tooLong + `
$`)
	if !want.MatchString(got.b.String()) {
		t.Errorf("got\n%s\nwant\n%s", got.b.String(), want)
	}
}
