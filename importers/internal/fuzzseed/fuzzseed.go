// Package fuzzseed derives hostile variants of a valid input file, for the importers' fuzz
// targets to start from: cut short, invalid UTF-8, control characters, UTF-16, a very long line,
// deep nesting, other line ends. Parsers must read each without panicking, report what they
// cannot read with a location, and keep memory bounded. It is used by tests only.
package fuzzseed

import (
	"bytes"
	"unicode/utf16"
	"unicode/utf8"
)

// LongLine is the length of the line Hostile inserts: long enough to pass every default buffer
// (bufio's 4 KiB and 64 KiB, bufio.Scanner's 64 KiB token limit), small enough for a fuzz corpus.
const LongLine = 256 << 10

// Depth is how deeply Hostile nests brackets and elements: past encoding/json's 10,000 limit.
const Depth = 12000

// Hostile returns variants of valid, each damaged in one way in its middle (or as a whole).
func Hostile(valid []byte) [][]byte {
	mid := len(valid) / 2
	insert := func(s []byte) []byte {
		out := make([]byte, 0, len(valid)+len(s))
		out = append(out, valid[:mid]...)
		out = append(out, s...)
		return append(out, valid[mid:]...)
	}
	out := [][]byte{
		valid[:mid],                                           // cut in the middle
		valid[:max(len(valid)-1, 0)],                          // cut before the last byte
		insert([]byte("\xff\xfe\xc3(\xed\xa0\x80")),           // invalid UTF-8, a UTF-8-encoded surrogate
		insert([]byte("\x00\x01\x07\x1b[0m\x7f\u202e\ufeff")), // controls, ANSI escape, bidi override, BOM
		insert(bytes.Repeat([]byte("A"), LongLine)),
		insert(append(bytes.Repeat([]byte("["), Depth), bytes.Repeat([]byte("{\"a\":"), Depth/4)...)),
		insert(bytes.Repeat([]byte("<a>"), Depth)),
		bytes.ReplaceAll(bytes.ReplaceAll(valid, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n")),
		bytes.ReplaceAll(valid, []byte("\n"), []byte("\r")),
	}
	if utf8.Valid(valid) {
		out = append(out, UTF16LE(valid))
	}
	return out
}

// UTF16LE encodes UTF-8 text as UTF-16 little endian with a byte-order mark, as Windows
// "Unicode text" files are.
func UTF16LE(text []byte) []byte {
	units := utf16.Encode([]rune(string(text)))
	out := make([]byte, 2, 2+2*len(units))
	out[0], out[1] = 0xFF, 0xFE
	for _, u := range units {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}
