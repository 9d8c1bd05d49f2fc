// Package detect recognises the format of an export from its content and lists the formats
// Raidtrace can import.
//
// [Detect] reads the first 64 KiB of a file and asks each registered format's Sniff, in the order
// of the registry (more specific formats first, the generic [Zip] format last); for a directory it
// calls Sniff with a nil head and the directory's base name, so that formats that accept an
// unzipped folder (the X/Twitter archive) can claim it. A format with a Probe (databases, whose
// header does not tell one schema from another) is chosen only if Probe confirms the match; an
// SQLite file that no Probe confirms is said to be damaged (SQLite's reason) or to have neither
// schema (its tables listed). The file name never decides on its own.
//
// [Zip] imports a ZIP of exports that no specific format claims: each member is opened in place
// (never extracted to disk), detected by content and read through its format's stream reader,
// with the member's name in front of each location ("sms.xml:/smses/sms[3] (line 9)"). Member
// paths that escape the archive, symbolic links, absurd compression ratios and oversized or
// deeply nested archives are refused and reported.
//
// This package only reads: it writes, moves or creates no file, opens no network connection and
// imports no GUI code. Parsing a format is that format's package's job, not this one's.
package detect

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"raidtrace/importers"
	"raidtrace/importers/sqliteread"
)

// HeadSize is how many bytes of a file Sniff functions receive at most.
const HeadSize = 64 << 10

// ErrUnknown is returned (wrapped, naming the file and the formats tried) when no format
// recognises a file.
var ErrUnknown = errors.New("format not recognised")

// Formats returns every import format in detection order; the generic [Zip] format is last.
func Formats() []importers.Format {
	out := make([]importers.Format, 0, len(formats)+1)
	out = append(out, formats...)
	return append(out, Zip)
}

// ByID returns the format whose ID is id.
func ByID(id string) (importers.Format, bool) {
	for _, f := range Formats() {
		if f.ID == id {
			return f, true
		}
	}
	return importers.Format{}, false
}

// Detect returns the format of the file or directory at path, judged from its content: the first
// [HeadSize] bytes of a file, or for a directory a nil head and the directory's name. It returns
// an error wrapping [ErrUnknown] when no format recognises it.
func Detect(path string) (importers.Format, error) {
	st, err := os.Stat(path)
	if err != nil {
		return importers.Format{}, fmt.Errorf("detect format: %w", err)
	}
	var head []byte
	if !st.IsDir() {
		f, err := os.Open(path)
		if err != nil {
			return importers.Format{}, fmt.Errorf("detect format: %w", err)
		}
		defer f.Close()
		head = make([]byte, HeadSize)
		n, err := io.ReadFull(f, head)
		if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
			return importers.Format{}, fmt.Errorf("detect format of %s: %w", path, err)
		}
		head = head[:n]
	}
	if f, ok := sniff(head, filepath.Base(path), path); ok {
		return f, nil
	}
	what := "file"
	if st.IsDir() {
		what = "folder"
	}
	if sqliteread.Sniff(head) {
		return importers.Format{}, sqliteUnknown(path)
	}
	if longJSONLine(head) {
		return importers.Format{}, fmt.Errorf("%s %s: %w (tried %s): its first line is longer than the %d KiB detection reads "+
			"(one JSON value on a line), so the formats cannot tell it from what they see; choose its format instead of detection",
			what, path, ErrUnknown, triedIDs(), HeadSize>>10)
	}
	return importers.Format{}, fmt.Errorf("%s %s: %w (tried %s)", what, path, ErrUnknown, triedIDs())
}

// longJSONLine reports whether head, a file's first [HeadSize] bytes, is the start of one JSON
// object or array on a line longer than that.
func longJSONLine(head []byte) bool {
	t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\ufeff")), " \t")
	return len(head) == HeadSize && len(t) > 0 && (t[0] == '{' || t[0] == '[') && bytes.IndexByte(head, '\n') < 0
}

// maxTablesNamed bounds the table names an error lists.
const maxTablesNamed = 20

// sqliteUnknown says why the SQLite file at path, which no database format's Probe confirmed, is
// none of them: it is damaged (truncated, flipped bits: SQLite's error is named), or it has
// neither schema (its tables are named). The error wraps [ErrUnknown], and
// [sqliteread.ErrDamaged] for a damaged file.
func sqliteUnknown(path string) error {
	tables, err := sqliteread.Inspect(context.Background(), path)
	switch {
	case errors.Is(err, sqliteread.ErrDamaged):
		return notRecognised{fmt.Errorf("file %s: %w", path, err)}
	case err != nil:
		return notRecognised{fmt.Errorf("file %s: SQLite database that cannot be inspected: %w", path, err)}
	}
	found := "none"
	if len(tables) > 0 {
		found = strings.Join(tables[:min(len(tables), maxTablesNamed)], ", ")
		if len(tables) > maxTablesNamed {
			found += fmt.Sprintf(" and %d more", len(tables)-maxTablesNamed)
		}
	}
	return notRecognised{fmt.Errorf("file %s: SQLite database, but not an Apple Messages or Android SMS database (tables found: %s)", path, found)}
}

// notRecognised is an error that says why a file is not recognised and wraps [ErrUnknown]
// without repeating its text.
type notRecognised struct{ error }

func (e notRecognised) Unwrap() []error { return []error{e.error, ErrUnknown} }

// sniff returns the first format, in detection order, whose Sniff claims head and, when it has
// a Probe, whose Probe confirms it for the file at path.
func sniff(head []byte, name, path string) (importers.Format, bool) {
	for _, f := range Formats() {
		if f.Sniff == nil || !f.Sniff(head, name) {
			continue
		}
		if f.Probe != nil && !f.Probe(path) {
			continue
		}
		return f, true
	}
	return importers.Format{}, false
}

func triedIDs() string {
	var ids []string
	for _, f := range Formats() {
		ids = append(ids, f.ID)
	}
	return strings.Join(ids, ", ")
}
