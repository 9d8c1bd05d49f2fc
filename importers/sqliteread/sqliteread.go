// Package sqliteread opens the SQLite databases that phones and desktop apps keep their messages
// in (Android's mmssms.db, Apple's chat.db and sms.db) read-only, checks that one has the tables
// of a format, lists its columns and runs queries over it. The importers of those formats build
// their queries from what it finds, so older and vendor databases import too.
//
// It must never write to a database or beside it: files are opened with mode=ro&immutable=1, so
// SQLite takes no lock, creates no -wal or -shm file and runs no trigger. The price is that a
// -wal file beside the database is not read; [WALProblem] is the warning that says so. It knows
// nothing of any one format's tables, opens no network connection and imports no GUI code.
package sqliteread

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
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
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") { // Windows: C:/… becomes /C:/…
		p = "/" + p
	}
	// In a URI filename "?", "#" and "%" must be escaped; SQLite decodes %HH.
	p = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
	db, err := sql.Open("sqlite", "file://"+p+"?mode=ro&immutable=1&_query_only=1")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

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

// HasWAL reports whether a non-empty write-ahead log (path + "-wal") lies beside the database at
// path: its content, possibly the most recent messages, is not read in read-only mode.
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

// WALProblem is the warning an import reports when [HasWAL](path).
func WALProblem(path string) importers.Problem {
	return importers.Problem{
		Location: filepath.Base(path + "-wal"),
		Reason: "write-ahead log not merged: the most recent messages may be only in this file; " +
			"copy the database with its -wal and -shm files and checkpoint the copy " +
			"(sqlite3 COPY.db 'PRAGMA wal_checkpoint(TRUNCATE)') before importing it",
		Warning: true,
	}
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
