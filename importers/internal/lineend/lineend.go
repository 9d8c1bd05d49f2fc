// Package lineend reads text files whose lines end with a carriage return alone (classic Mac OS,
// Excel for Mac's "CSV (Macintosh)"), which bufio and encoding/csv, splitting at line feeds, would
// read as one line. It only rewrites line ends; the importers decide when a file is such a file
// and warn of it.
package lineend

import (
	"bufio"
	"bytes"
	"io"
)

// FirstIsCR reports whether the first line end in head (a file's first bytes; whole when they
// are all of it) is a carriage return alone, not followed by a line feed.
func FirstIsCR(head []byte, whole bool) bool {
	i := bytes.IndexAny(head, "\r\n")
	if i < 0 || head[i] != '\r' {
		return false
	}
	if i+1 == len(head) {
		return whole
	}
	return head[i+1] != '\n'
}

// NewReader returns r with every carriage return not followed by a line feed turned into a line
// feed; a carriage return and line feed pair is left as it is.
func NewReader(r *bufio.Reader) io.Reader { return &reader{r: r} }

type reader struct{ r *bufio.Reader }

func (c *reader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := range n {
		if p[i] != '\r' {
			continue
		}
		if i+1 < n {
			if p[i+1] != '\n' {
				p[i] = '\n'
			}
		} else if next, perr := c.r.Peek(1); perr != nil || next[0] != '\n' {
			p[i] = '\n'
		}
	}
	return n, err
}

// Convert returns b with every carriage return not followed by a line feed turned into a line
// feed, as [NewReader] reads it; b is not changed.
func Convert(b []byte) []byte {
	out := bytes.Clone(b)
	for i, c := range out {
		if c == '\r' && (i+1 == len(out) || out[i+1] != '\n') {
			out[i] = '\n'
		}
	}
	return out
}
