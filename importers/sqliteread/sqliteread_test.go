package sqliteread

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"raidtrace/importers"
)

// makeDB writes an SQLite file named name in a new directory, with the given statements run.
func makeDB(t *testing.T, name string, stmts ...string) string {
	t.Helper()
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain.db") // the writer takes no URI escapes
	db, err := sql.Open("sqlite", plain)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.Rename(plain, path); err != nil {
		t.Fatal(err)
	}
	return path
}

func keys(m map[string]bool) []string { return slices.Sorted(maps.Keys(m)) }

func TestOpenTablesColumns(t *testing.T) {
	// A name with the characters a URI filename must escape.
	path := makeDB(t, "odd #1 ?100%.db",
		"CREATE TABLE Sms (_id INTEGER PRIMARY KEY, Address TEXT, body TEXT)",
		"CREATE TABLE pdu (_id INTEGER PRIMARY KEY)",
		"INSERT INTO sms (address, body) VALUES ('0612345678', 'hello'), ('0698765432', 'bye')")
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	db, err := Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	ctx := context.Background()
	tables, err := Tables(ctx, db)
	if got, want := strings.Join(keys(tables), ","), "pdu,sms"; err != nil || got != want {
		t.Errorf("Tables: got %s, %v, want %s", got, err, want)
	}
	cols, err := Columns(ctx, db, "sms")
	if got, want := strings.Join(keys(cols), ","), "_id,address,body"; err != nil || got != want {
		t.Errorf("Columns: got %s, %v, want %s", got, err, want)
	}
	var bodies []string
	err = Query(ctx, db, "SELECT body FROM sms WHERE address LIKE ? ORDER BY _id", func(s Scanner) error {
		var b string
		bodies = append(bodies, b)
		return s.Scan(&bodies[len(bodies)-1])
	}, "06%")
	if got, want := strings.Join(bodies, ","), "hello,bye"; err != nil || got != want {
		t.Errorf("Query: got %s, %v, want %s", got, err, want)
	}
	if _, err := db.ExecContext(ctx, "DELETE FROM sms"); err == nil {
		t.Errorf("DELETE on a read-only database: got no error, want one")
	}
	db.Close()
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(after, before) {
		t.Errorf("the database changed")
	}
	for _, side := range []string{"-wal", "-shm", "-journal"} {
		if _, err := os.Stat(path + side); err == nil {
			t.Errorf("%s file created beside the database", side)
		}
	}
}

func TestOpenMissing(t *testing.T) {
	if _, err := Open(filepath.Join(t.TempDir(), "none.db")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Open(missing): got %v, want an error wrapping os.ErrNotExist", err)
	}
}

func TestCheck(t *testing.T) {
	good := makeDB(t, "chat.db", "CREATE TABLE message (rowid INTEGER)", "CREATE TABLE Handle (rowid INTEGER)")
	notDB := filepath.Join(t.TempDir(), "notes.db")
	if err := os.WriteFile(notDB, []byte("plain text, not a database at all, long enough to have a header"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path string
		required   []string
		want       string // tables, or the error
	}{
		{"all there", good, []string{"message", "handle"}, "handle,message"},
		{"none required", good, nil, "handle,message"},
		{"one missing", good, []string{"message", "chat"}, "no chat table, so not a test database: not this format"},
		{"not a database", notDB, []string{"message"}, "not a readable SQLite database"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := Open(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			have, err := Check(context.Background(), db, "a test database", tt.required...)
			got := strings.Join(keys(have), ",")
			if err != nil {
				got = err.Error()
				if !errors.Is(err, importers.ErrNotFormat) {
					t.Errorf("error %v does not wrap importers.ErrNotFormat", err)
				}
			}
			if !strings.HasPrefix(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	db, err := Open(good)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := Check(ctx, db, "a test database"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v, want context.Canceled", err)
	}
}

func TestWAL(t *testing.T) {
	path := makeDB(t, "mmssms.db", "CREATE TABLE sms (_id INTEGER)")
	notFormat := errors.Join(errors.New("no pdu table"), importers.ErrNotFormat)
	other := errors.New("disk on fire")
	if got := HasWAL(path); got {
		t.Errorf("HasWAL without a -wal file: got true, want false")
	}
	if got := ExplainWAL(path, notFormat); got != notFormat {
		t.Errorf("ExplainWAL without a -wal file: got %v, want the error unchanged", got)
	}
	if err := os.WriteFile(path+"-wal", []byte("pretend log"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		err  error
		want string
	}{
		{notFormat, "may hold the tables"},
		{other, "disk on fire"},
		{nil, ""},
	}
	for _, tt := range tests {
		got := ExplainWAL(path, tt.err)
		if got == nil {
			if tt.want != "" {
				t.Errorf("ExplainWAL(%v): got nil, want %q", tt.err, tt.want)
			}
			continue
		}
		if !strings.Contains(got.Error(), tt.want) || !errors.Is(got, tt.err) {
			t.Errorf("ExplainWAL(%v): got %v, want it wrapped with %q", tt.err, got, tt.want)
		}
	}
	if got := HasWAL(path); !got {
		t.Errorf("HasWAL with a -wal file: got false, want true")
	}
	if got := WALProblem(path); got.Location != "mmssms.db-wal" || !got.Warning || !strings.Contains(got.Reason, "checkpoint") {
		t.Errorf("WALProblem: got %+v, want a warning on mmssms.db-wal", got)
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		head []byte
		want bool
	}{
		{[]byte("SQLite format 3\x00\x10\x00"), true},
		{[]byte("SQLite format 3"), false},
		{[]byte("<?xml"), false},
		{nil, false},
	}
	for _, tt := range tests {
		if got := Sniff(tt.head); got != tt.want {
			t.Errorf("Sniff(%q): got %v, want %v", tt.head, got, tt.want)
		}
	}
}

func TestTextRaw(t *testing.T) {
	when := time.Date(2024, 3, 1, 22, 15, 0, 5, time.FixedZone("CET", 3600))
	tests := []struct {
		v         any
		text, raw string
	}{
		{int64(1709327700000), "1709327700000", "1709327700000"},
		{1.5, "1.5", "1.5"},
		{"0612345678", "0612345678", "0612345678"},
		{[]byte("blob"), "blob", "blob"},
		{true, "true", "true"},
		{when, "2024-03-01T21:15:00.000000005Z", "2024-03-01T21:15:00.000000005Z"},
		{nil, "", ""},
		{int32(7), "7", "7"},
	}
	for _, tt := range tests {
		if got := Text(tt.v); got != tt.text {
			t.Errorf("Text(%#v): got %q, want %q", tt.v, got, tt.text)
		}
		if got := Raw(tt.v); got != tt.raw {
			t.Errorf("Raw(%#v): got %q, want %q", tt.v, got, tt.raw)
		}
	}
}

// makeWALDB writes, in a new directory, an SQLite database named name in WAL mode whose rows
// inserted after the statements in base are only in its -wal file (as when the app that writes it
// is still running), and returns its path.
func makeWALDB(t *testing.T, name string, base, inWAL []string) string {
	t.Helper()
	live := t.TempDir()
	db, err := sql.Open("sqlite", filepath.Join(live, "live.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, s := range append([]string{"PRAGMA journal_mode=WAL"}, base...) {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	if _, err := db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA wal_autocheckpoint=0"); err != nil {
		t.Fatal(err)
	}
	for _, s := range inWAL {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	// Snapshot the three files while the writer still has them open, so the log is not merged.
	dir := t.TempDir()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(filepath.Join(live, "live.db") + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name)+suffix, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, name)
}

// hashFiles hashes every file in dir by name, to check that reading changed and added nothing.
func hashFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	sums := map[string]string{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		sums[e.Name()] = fmt.Sprintf("%x", sha256.Sum256(b))
	}
	return sums
}

func TestOpenMergedReadsWAL(t *testing.T) {
	path := makeWALDB(t, "chat.db (1)?#%.db",
		[]string{"CREATE TABLE m (id INTEGER)", "INSERT INTO m VALUES (1), (2)"},
		[]string{"INSERT INTO m VALUES (3)", "CREATE TABLE late (x)", "INSERT INTO late VALUES ('only in the log')"})
	if !HasWAL(path) {
		t.Fatal("fixture: HasWAL false, want a -wal file")
	}
	before := hashFiles(t, filepath.Dir(path))
	tmpBefore, _ := filepath.Glob(filepath.Join(os.TempDir(), "raidtrace-sqlite-*"))

	count := func(db *sql.DB, q string) (n int, err error) {
		err = db.QueryRow(q).Scan(&n)
		return n, err
	}
	// Open (immutable) sees only the checkpointed rows.
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := count(db, "SELECT count(*) FROM m"); err != nil || n != 2 {
		t.Errorf("Open: %d rows, err %v; want 2 (the log is not read)", n, err)
	}
	db.Close()

	db, warn, err := OpenMerged(path)
	if err != nil {
		t.Fatal(err)
	}
	if warn != nil {
		t.Errorf("OpenMerged: warning %v, want none", warn)
	}
	if n, err := count(db, "SELECT count(*) FROM m"); err != nil || n != 3 {
		t.Errorf("OpenMerged: %d rows in m, err %v; want 3 (2 in the file, 1 in the log)", n, err)
	}
	var late string
	if err := db.QueryRow("SELECT x FROM late").Scan(&late); err != nil || late != "only in the log" {
		t.Errorf("OpenMerged: table created in the log: got %q, %v", late, err)
	}
	if _, err := db.Exec("INSERT INTO m VALUES (4)"); err == nil {
		t.Errorf("OpenMerged: insert succeeded, want the connection to refuse writes")
	}
	if err := db.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if after := hashFiles(t, filepath.Dir(path)); !maps.Equal(before, after) {
		t.Errorf("files beside the database changed:\nbefore %v\nafter  %v", before, after)
	}
	tmpAfter, _ := filepath.Glob(filepath.Join(os.TempDir(), "raidtrace-sqlite-*"))
	if len(tmpAfter) > len(tmpBefore) {
		t.Errorf("temporary copies left behind: before %v, after %v", tmpBefore, tmpAfter)
	}
}

func TestOpenMergedWithoutWAL(t *testing.T) {
	path := makeDB(t, "plain.db", "CREATE TABLE m (id INTEGER)", "INSERT INTO m VALUES (1)")
	before := hashFiles(t, filepath.Dir(path))
	db, warn, err := OpenMerged(path)
	if err != nil || warn != nil {
		t.Fatalf("OpenMerged: warning %v, err %v", warn, err)
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM m").Scan(&n); err != nil || n != 1 {
		t.Errorf("got %d rows, %v; want 1", n, err)
	}
	db.Close()
	if after := hashFiles(t, filepath.Dir(path)); !maps.Equal(before, after) {
		t.Errorf("files changed: before %v, after %v", before, after)
	}
	if _, _, err := OpenMerged(filepath.Join(t.TempDir(), "missing.db")); err == nil {
		t.Errorf("OpenMerged of a missing file: got nil error")
	}
}

// TestInspect: a readable database gives its tables; one that starts with the SQLite header but
// is cut short or has flipped bits is damaged, with the reason; a file without the header is not
// SQLite at all.
func TestInspect(t *testing.T) {
	good := makeDB(t, "good.db",
		"CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)", "CREATE TABLE Tags (name TEXT)",
		"INSERT INTO notes (body) VALUES ('"+strings.Repeat("x", 9000)+"')") // a few pages
	b, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	flipped := bytes.Clone(b)
	for i := 100; i < 4096; i += 7 { // the schema page
		flipped[i] ^= 0xff
	}
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name   string
		path   string
		tables string
		is     error
		reason string
	}{
		{"readable", good, "notes,tags", nil, ""},
		{"truncated", write("cut.db", b[:len(b)/2]), "", ErrDamaged, fmt.Sprintf("the file is %d bytes, its header says %d (truncated)", len(b)/2, len(b))},
		{"header cut", write("head.db", b[:50]), "", ErrDamaged, "shorter than the 100-byte SQLite header"},
		{"flipped bits", write("flipped.db", flipped), "", ErrDamaged, "malformed"},
		{"not SQLite", write("text.db", []byte("hello")), "", importers.ErrNotFormat, "no SQLite header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tables, err := Inspect(context.Background(), tt.path)
			if got := strings.Join(tables, ","); got != tt.tables {
				t.Errorf("tables: got %q, want %q", got, tt.tables)
			}
			if tt.is == nil {
				if err != nil {
					t.Errorf("error: got %v, want none", err)
				}
				return
			}
			if !errors.Is(err, tt.is) || !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("error: got %v, want %v saying %q", err, tt.is, tt.reason)
			}
		})
	}
	// ExplainDamage turns Check's "not a readable SQLite database" into the damage, naming the file.
	p := write("flipped2.db", flipped)
	db, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, cerr := Check(context.Background(), db, "a test database", "notes")
	err = ExplainDamage(context.Background(), p, cerr)
	if !errors.Is(err, ErrDamaged) || !errors.Is(err, importers.ErrNotFormat) || !strings.HasPrefix(err.Error(), "flipped2.db: database damaged: ") {
		t.Errorf("ExplainDamage(%v) = %v, want the damage naming flipped2.db", cerr, err)
	}
	if other := errors.New("other"); ExplainDamage(context.Background(), p, other) != other {
		t.Errorf("ExplainDamage changed an error that is not ErrNotFormat")
	}
}

// TestFindOversized: rows are measured in bytes (an accented letter is two), NULL counts as
// nothing, and the rows above the limit come in key order.
func TestFindOversized(t *testing.T) {
	path := makeDB(t, "m.db", "CREATE TABLE m (id INTEGER PRIMARY KEY, a TEXT, b BLOB)",
		"INSERT INTO m VALUES (3, '"+strings.Repeat("é", 6)+"', NULL), (1, 'abcdefghijk', x'00'), (2, 'abc', NULL), (4, NULL, NULL)")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := FindOversized(context.Background(), db, "m", "id", SizeExpr([]string{"a", "b"}), 10)
	if want := []Oversized{{1, 12}, {3, 12}}; err != nil || !slices.Equal(got, want) {
		t.Errorf("got %v, %v; want %v", got, err, want)
	}
	if SizeExpr(nil) != "0" {
		t.Errorf("SizeExpr(nil) = %q, want 0", SizeExpr(nil))
	}
}
