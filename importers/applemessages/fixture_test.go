package applemessages

import (
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// samplesDir holds the shared, read-only sample files (schemas and typedstream blobs).
const samplesDir = "../../../shared/samples/imessage-chatdb"

// internalTable matches CREATE TABLE statements for SQLite's own tables, which a schema dump
// lists but which cannot be created by hand.
var internalTable = regexp.MustCompile(`(?m)^CREATE TABLE sqlite_\w+\s*\([^;]*\);`)

// schemaDB creates an empty SQLite file in a temporary directory from a schema dump in the
// samples folder (skipping the test when the samples are absent) and returns its path and a
// writable handle for inserting fixture rows.
func schemaDB(tb testing.TB, schema string) (string, *sql.DB) {
	tb.Helper()
	ddl, err := os.ReadFile(filepath.Join(samplesDir, schema))
	if err != nil {
		tb.Skipf("shared samples absent (%v): the chat.db schemas live in %s", err, samplesDir)
	}
	return sqlDB(tb, internalTable.ReplaceAllString(string(ddl), ""))
}

// sqlDB creates an SQLite file in a temporary directory from ddl.
func sqlDB(tb testing.TB, ddl string) (string, *sql.DB) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "chat.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(ddl); err != nil {
		tb.Fatalf("load schema: %v", err)
	}
	return path, db
}

// exec runs statements, failing the test on the first error.
func exec(tb testing.TB, db *sql.DB, stmts ...string) {
	tb.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			tb.Fatalf("%s: %v", s, err)
		}
	}
}

// blob builds a small typedstream attributedBody holding text, shaped like those Messages writes.
func blob(text string) []byte {
	b := []byte("\x04\x0bstreamtyped\x81\xe8\x03\x84\x01@\x84\x84\x84\x12NSAttributedString\x00" +
		"\x84\x84\x08NSObject\x00\x85\x92\x84\x84\x84\x08NSString\x01\x94\x84\x01+")
	switch n := len(text); {
	case n < 0x80:
		b = append(b, byte(n))
	case n <= 0xffff:
		b = append(b, 0x81, byte(n), byte(n>>8))
	default:
		b = append(b, 0x82, byte(n), byte(n>>8), byte(n>>16), byte(n>>24))
	}
	b = append(b, text...)
	return append(b, "\x86\x84\x02iI\x01\x01\x92\x86\x86"...)
}
