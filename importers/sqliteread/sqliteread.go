// Package sqliteread opens the SQLite databases that phones and desktop apps keep their messages
// in (Android's mmssms.db, Apple's chat.db and sms.db) read-only, checks that one has the tables
// of a format, lists its columns and runs queries over it. The importers of those formats build
// their queries from what it finds, so older and vendor databases import too.
//
// It must never write to a database or beside it: [Open] opens files with mode=ro&immutable=1, so
// SQLite takes no lock, creates no -wal or -shm file and runs no trigger; a -wal file beside the
// database is then not read. [OpenMerged], which imports use, reads the -wal too: when a non-empty
// one lies beside the database, it copies the database, the -wal and the -shm into a new temporary
// directory and opens the copy, which SQLite may write to (to rebuild its -shm) but the originals
// are never opened for writing; the copy is removed when the database is closed. [WALProblem] is
// the warning when that copy cannot be made. It knows nothing of any one format's tables, opens no
// network connection and imports no GUI code.
package sqliteread

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"raidtrace/importers"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, pure Go
)

// magic starts every SQLite 3 database file.
var magic = []byte("SQLite format 3\x00")

// Sniff reports whether head starts like an SQLite database, of any schema.
func Sniff(head []byte) bool { return bytes.HasPrefix(head, magic) }

// Open opens the SQLite file at path without ever writing to it or beside it. The file must
// exist (SQLite would otherwise report it only at the first query).
func Open(path string) (*sql.DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(abs); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", uri(abs)+"?mode=ro&immutable=1&_query_only=1")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// uri turns an absolute path into an SQLite URI filename.
func uri(abs string) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") { // Windows: C:/… becomes /C:/…
		p = "/" + p
	}
	// In a URI filename "?", "#" and "%" must be escaped; SQLite decodes %HH.
	return "file://" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
}

// OpenMerged opens the SQLite file at path for reading, including the committed transactions of
// the write-ahead log (path + "-wal") beside it. Without a non-empty -wal it is [Open]. With one,
// the database and its -wal and -shm files are copied into a new temporary directory and the copy
// is opened; the originals are only read. The copy is removed by db.Close. When the copy cannot be
// made (no space), the original is opened as [Open] does and walWarning is [WALProblem](path), to
// be reported; otherwise walWarning is nil.
func OpenMerged(path string) (db *sql.DB, walWarning *importers.Problem, err error) {
	if !HasWAL(path) {
		db, err := Open(path)
		return db, nil, err
	}
	if p := badLog(path); p != nil {
		db, err := Open(path)
		if err != nil {
			return nil, nil, err
		}
		return db, p, nil
	}
	db, err = openCopy(path)
	if err == nil {
		return db, nil, nil
	}
	db, err2 := Open(path)
	if err2 != nil {
		return nil, nil, err2
	}
	p := reasonWithCause.M("Reason", *WALProblem(path).Msg, "Err", err).Warning(filepath.Base(path + "-wal"))
	return db, &p, nil
}

// badLog returns a warning when the -wal beside path does not start with a write-ahead log's
// magic number: SQLite would silently ignore it, so say that its content was not read.
func badLog(path string) *importers.Problem {
	f, err := os.Open(path + "-wal")
	if err != nil {
		return nil // HasWAL saw it; openCopy reports what is wrong
	}
	defer f.Close()
	var head [4]byte
	if _, err := io.ReadFull(f, head[:]); err == nil && (head == [4]byte{0x37, 0x7f, 0x06, 0x82} || head == [4]byte{0x37, 0x7f, 0x06, 0x83}) {
		return nil
	}
	p := reasonBadLog.M().Warning(filepath.Base(path + "-wal"))
	return &p
}

// openCopy copies the database at path with its -wal and -shm into a temporary directory and
// opens the copy read-only with query_only set; closing the returned db removes the directory.
func openCopy(path string) (*sql.DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "raidtrace-sqlite-*")
	if err != nil {
		return nil, fmt.Errorf("copy with its write-ahead log: %w", err)
	}
	dst := filepath.Join(dir, "copy.db")
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := copyFile(path+suffix, dst+suffix); err != nil {
			if suffix == "-shm" && errors.Is(err, os.ErrNotExist) {
				continue // SQLite rebuilds the index from the log
			}
			os.RemoveAll(dir)
			return nil, fmt.Errorf("copy with its write-ahead log: %w", err)
		}
	}
	probe, err := sql.Open("sqlite", "")
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	drv := probe.Driver()
	probe.Close()
	db := sql.OpenDB(&copyConnector{drv: drv, dsn: uri(dst) + "?_pragma=query_only(1)", dir: dir})
	db.SetMaxOpenConns(1)
	// The first query reads the log into the copy's -shm; fail here rather than later.
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open copy with its write-ahead log: %w", err)
	}
	return db, nil
}

// copyFile copies src to a new file dst.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// copyConnector opens connections to a temporary copy and removes the copy when the *sql.DB
// using it is closed (database/sql calls Close on a Connector that has one).
type copyConnector struct {
	drv driver.Driver
	dsn string
	dir string
}

func (c *copyConnector) Connect(context.Context) (driver.Conn, error) { return c.drv.Open(c.dsn) }
func (c *copyConnector) Driver() driver.Driver                        { return c.drv }
func (c *copyConnector) Close() error                                 { return os.RemoveAll(c.dir) }

// Scanner is a row of a query: *sql.Rows.
type Scanner interface{ Scan(dest ...any) error }

// Query runs q with args and calls each for every row.
func Query(ctx context.Context, db *sql.DB, q string, each func(Scanner) error, args ...any) error {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// SizeExpr returns an SQL expression for the bytes the columns cols (names, quoted here) of a
// row hold: the sum of their octet_length, NULL counting as 0. SQLite computes octet_length of a
// TEXT or BLOB value from the record header, without reading the value (length would read a
// TEXT to count its characters), so a query can measure a row, or leave it out (WHERE size <=
// limit), without loading a huge value. An empty cols gives "0".
func SizeExpr(cols []string) string {
	if len(cols) == 0 {
		return "0"
	}
	terms := make([]string, len(cols))
	for i, c := range cols {
		terms[i] = `coalesce(octet_length("` + c + `"), 0)`
	}
	return strings.Join(terms, " + ")
}

// Oversized is a row that a size expression puts above the record limit.
type Oversized struct {
	Key  int64 // the row's key (ROWID, _id)
	Size int64 // bytes, as the size expression counts them
}

// FindOversized returns the rows of table whose size (an SQL expression such as [SizeExpr]'s)
// is above limit, in key order (key is the key column: ROWID, _id), without reading their values.
// An importer reports them and reads the others with "WHERE size <= limit".
func FindOversized(ctx context.Context, db *sql.DB, table, key, size string, limit int) ([]Oversized, error) {
	var out []Oversized
	q := "SELECT " + key + ", " + size + " FROM " + table + " WHERE " + size + " > ? ORDER BY " + key
	err := Query(ctx, db, q, func(s Scanner) error {
		var o Oversized
		var k sql.NullInt64
		if err := s.Scan(&k, &o.Size); err != nil {
			return err
		}
		o.Key = k.Int64
		out = append(out, o)
		return nil
	}, limit)
	if err != nil {
		return nil, fmt.Errorf("measure %s rows: %w", table, err)
	}
	return out, nil
}

// TooLong is the reason of the problem for a row of size bytes above limit, skipped unread.
func TooLong(size int64, limit int) importers.Msg {
	return reasonRowTooLong.M("N", size, "TooLong", importers.TooLong(limit))
}

var (
	reasonWithCause  = importers.NewReason("sqlite-with-cause", "{{.Reason}} ({{.Err}})")
	reasonRowTooLong = importers.NewReason("sqlite-row-too-long", "row of {{.N}} bytes: {{.TooLong}}")
	reasonBadLog     = importers.NewReason("sqlite-bad-wal", "not a valid SQLite write-ahead log (damaged or truncated header), so it was not read; the most recent messages may be missing")
	reasonNotMerged  = importers.NewReason("sqlite-wal-not-merged", "write-ahead log not merged: the most recent messages may be only in this file; "+
		"copy the database with its -wal and -shm files and checkpoint the copy "+
		"(sqlite3 COPY.db 'PRAGMA wal_checkpoint(TRUNCATE)') before importing it")
)

// Tables returns the lower-cased names of db's tables.
func Tables(ctx context.Context, db *sql.DB) (map[string]bool, error) {
	return names(ctx, db, "SELECT name FROM sqlite_master WHERE type = 'table'")
}

// Columns returns the lower-cased column names of table.
func Columns(ctx context.Context, db *sql.DB, table string) (map[string]bool, error) {
	have, err := names(ctx, db, "SELECT name FROM pragma_table_info(?)", table)
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	return have, nil
}

// names returns the lower-cased first column of q's rows.
func names(ctx context.Context, db *sql.DB, q string, args ...any) (map[string]bool, error) {
	have := map[string]bool{}
	err := Query(ctx, db, q, func(s Scanner) error {
		var name string
		if err := s.Scan(&name); err != nil {
			return err
		}
		have[strings.ToLower(name)] = true
		return nil
	}, args...)
	if err != nil {
		return nil, err
	}
	return have, nil
}

// Check returns db's tables as [Tables] does, or an error wrapping importers.ErrNotFormat when db
// cannot be read as SQLite or lacks one of required; format names what those tables make it
// ("an Android mmssms.db"). A cancelled ctx gives ctx.Err().
func Check(ctx context.Context, db *sql.DB, format string, required ...string) (map[string]bool, error) {
	have, err := Tables(ctx, db)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, fmt.Errorf("not a readable SQLite database (%v): %w", err, importers.ErrNotFormat)
	}
	for _, t := range required {
		if !have[t] {
			return nil, fmt.Errorf("no %s table, so not %s: %w", t, format, importers.ErrNotFormat)
		}
	}
	return have, nil
}

// ErrDamaged is wrapped by the error [Inspect] returns for a file that starts with the SQLite
// header but cannot be read as a database.
var ErrDamaged = errors.New("database damaged")

// Inspect returns the sorted, lower-cased table names of the SQLite database at path, read as
// [OpenMerged] reads it, for a message that says why a database is none of the formats. A file
// that starts with the SQLite header but cannot be read gives an error wrapping [ErrDamaged] with
// the reason: shorter than its header says (truncated), or SQLite's error. A file without the
// header gives an error wrapping importers.ErrNotFormat.
func Inspect(ctx context.Context, path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	var head [100]byte
	n, _ := io.ReadFull(f, head[:])
	st, serr := f.Stat()
	f.Close()
	if !Sniff(head[:n]) {
		return nil, fmt.Errorf("no SQLite header: %w", importers.ErrNotFormat)
	}
	if n < len(head) {
		return nil, fmt.Errorf("%w: the file is %d bytes, shorter than the 100-byte SQLite header (truncated)", ErrDamaged, n)
	}
	if want := declaredSize(head[:]); serr == nil && want > 0 && st.Size() < want && !HasWAL(path) {
		return nil, fmt.Errorf("%w: the file is %d bytes, its header says %d (truncated)", ErrDamaged, st.Size(), want)
	}
	db, walWarning, err := OpenMerged(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	defer db.Close()
	have, err := Tables(ctx, db)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		if walWarning != nil {
			return nil, fmt.Errorf("%w: %v (%s)", ErrDamaged, err, walWarning.Reason)
		}
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	return slices.Sorted(maps.Keys(have)), nil
}

// ExplainDamage returns, for err from [Check] on the database at path, the [Inspect] error naming
// the file when it is a damaged SQLite database (wrapping [ErrDamaged], and still
// importers.ErrNotFormat), so that the user is told "database damaged: …" rather than that the
// file is not of the format. Other errors are returned as they are.
func ExplainDamage(ctx context.Context, path string, err error) error {
	if err == nil || !errors.Is(err, importers.ErrNotFormat) {
		return err
	}
	if _, ierr := Inspect(ctx, path); errors.Is(ierr, ErrDamaged) {
		return notFormat{fmt.Errorf("%s: %w", filepath.Base(path), ierr)}
	}
	return err
}

// notFormat is an error that wraps importers.ErrNotFormat without repeating its text.
type notFormat struct{ error }

func (e notFormat) Unwrap() []error { return []error{e.error, importers.ErrNotFormat} }

// declaredSize is the size in bytes an SQLite header says the database has (page size times
// page count), or 0 when the header does not say it reliably (the count is valid only when the
// change counter matches the version-valid-for number).
func declaredSize(h []byte) int64 {
	pageSize := int64(binary.BigEndian.Uint16(h[16:18]))
	if pageSize == 1 {
		pageSize = 65536
	}
	if pageSize < 512 || pageSize&(pageSize-1) != 0 {
		return 0
	}
	pages := int64(binary.BigEndian.Uint32(h[28:32]))
	if pages == 0 || !bytes.Equal(h[24:28], h[92:96]) {
		return 0
	}
	return pageSize * pages
}

// HasWAL reports whether a non-empty write-ahead log (path + "-wal") lies beside the database at
// path: its content, possibly the most recent messages, is read by [OpenMerged], not by [Open].
func HasWAL(path string) bool { return fileSize(path+"-wal") > 0 }

// ExplainWAL adds to err, from [Check] on the database at path, that the missing tables may be
// in its write-ahead log, when err says the file is not of the format and there is such a log.
// Other errors are returned as they are.
func ExplainWAL(path string, err error) error {
	if err != nil && errors.Is(err, importers.ErrNotFormat) && HasWAL(path) {
		return fmt.Errorf("%w (its -wal file, not read in read-only mode, may hold the tables: checkpoint a copy)", err)
	}
	return err
}

// WALProblem is the warning an import reports when [HasWAL](path) and [OpenMerged] could not read
// the log.
func WALProblem(path string) importers.Problem {
	return reasonNotMerged.M().Warning(filepath.Base(path + "-wal"))
}

// fileSize is the size of the file at path, or 0 when it cannot be read.
func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}

// Text renders a column value scanned into an any as text: TEXT and BLOB values as they are, NULL
// as "", others as [Raw] does.
func Text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	case nil:
		return ""
	}
	return Raw(v)
}

// Raw renders a column value scanned into an any as stored: integers and reals in full, times in
// RFC 3339 UTC, NULL as "".
func Raw(v any) string {
	switch x := v.(type) {
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		return x
	case []byte:
		return string(x)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}
