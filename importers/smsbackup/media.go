package smsbackup

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
)

// smallMax is the largest decoded part kept in memory (for text parts stored as data); larger
// parts are only hashed.
const smallMax = 64 << 10

// b64 decodes base64 as it is fed, one character at a time, into a SHA-256 and a size, keeping
// the decoded bytes while they fit in smallMax. It accepts the standard and URL-safe alphabets,
// with or without padding, and ignores whitespace (Android breaks lines every 76 characters).
// The same decoder serves media stripped from the stream by the cleaner and media read from an
// attribute, so both give the same result.
type b64 struct {
	h     hash.Hash
	acc   uint32
	n     int // sextets in acc
	pad   int
	chars int64 // characters fed, whitespace excluded
	head  [4]byte
	size  int64
	small []byte
	big   bool
	bad   bool
	buf   [4096]byte
	nbuf  int
	// keep is set when the caller wants the decoded bytes ([importers.Options.Media]): those
	// beyond smallMax go to a temporary file, so that memory stays bounded.
	keep bool
	file *os.File
	w    *bufio.Writer
	err  error // creating or writing the temporary file
}

var b64val [256]byte

func init() {
	for i := range b64val {
		b64val[i] = 0xFF
	}
	const std = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := range len(std) {
		b64val[std[i]] = byte(i)
	}
	b64val['-'], b64val['_'] = 62, 63
}

func newB64(keep bool) *b64 { return &b64{h: sha256.New(), keep: keep} }

func (d *b64) feed(c byte) {
	if d.bad {
		return
	}
	switch c {
	case ' ', '\t', '\r', '\n':
		return
	}
	if d.chars < 4 {
		d.head[d.chars] = c
	}
	d.chars++
	if c == '=' {
		d.pad++
		return
	}
	v := b64val[c]
	if v == 0xFF || d.pad > 0 {
		d.bad = true
		return
	}
	d.acc = d.acc<<6 | uint32(v)
	d.n++
	if d.n == 4 {
		if d.nbuf+3 > len(d.buf) {
			d.flush()
		}
		d.buf[d.nbuf] = byte(d.acc >> 16)
		d.buf[d.nbuf+1] = byte(d.acc >> 8)
		d.buf[d.nbuf+2] = byte(d.acc)
		d.nbuf += 3
		d.n, d.acc = 0, 0
	}
}

// feedRun feeds b, in which every byte is in the base64 alphabet, four characters at a time
// where it can.
func (d *b64) feedRun(b []byte) {
	for len(b) > 0 && (d.n != 0 || d.chars < 4 || d.pad > 0 || d.bad) {
		d.feed(b[0])
		b = b[1:]
	}
	if d.bad {
		return
	}
	d.chars += int64(len(b) &^ 3)
	for len(b) >= 4 {
		if d.nbuf+3 > len(d.buf) {
			d.flush()
		}
		v := uint32(b64val[b[0]])<<18 | uint32(b64val[b[1]])<<12 | uint32(b64val[b[2]])<<6 | uint32(b64val[b[3]])
		d.buf[d.nbuf] = byte(v >> 16)
		d.buf[d.nbuf+1] = byte(v >> 8)
		d.buf[d.nbuf+2] = byte(v)
		d.nbuf += 3
		b = b[4:]
	}
	for _, c := range b {
		d.feed(c)
	}
}

func (d *b64) feedString(s string) {
	for i := range len(s) {
		d.feed(s[i])
	}
}

func (d *b64) flush() {
	b := d.buf[:d.nbuf]
	d.h.Write(b)
	d.size += int64(len(b))
	if !d.big {
		if len(d.small)+len(b) > smallMax {
			d.big = true
			if d.keep {
				d.spill(d.small)
			}
			d.small = nil
		} else {
			d.small = append(d.small, b...)
		}
	}
	if d.big && d.keep {
		d.spill(b)
	}
	d.nbuf = 0
}

// spill writes decoded bytes to the temporary file, creating it on first use.
func (d *b64) spill(b []byte) {
	if d.err != nil {
		return
	}
	if d.file == nil {
		f, err := os.CreateTemp("", "raidtrace-media-*")
		if err != nil {
			d.err = fmt.Errorf("temporary file for attachment data: %w", err)
			return
		}
		d.file, d.w = f, bufio.NewWriterSize(f, 64<<10)
	}
	if _, err := d.w.Write(b); err != nil {
		d.err = fmt.Errorf("temporary file for attachment data: %w", err)
	}
}

// discard removes the temporary file, if any.
func (d *b64) discard() {
	if d != nil && d.file != nil {
		closeTemp(d.file)
		d.file = nil
	}
}

func closeTemp(f *os.File) {
	f.Close()
	os.Remove(f.Name())
}

// media is what a part's data attribute holds.
type media struct {
	present bool   // the attribute has content other than whitespace or "null"
	bad     bool   // not base64: neither hashed nor decoded
	size    int64  // decoded size
	sha256  string // of the decoded bytes
	small   []byte // the decoded bytes, nil when larger than smallMax
	// With keep, the decoded bytes larger than smallMax are in file, a temporary file the
	// receiver closes and removes (close); err tells why they could not be kept.
	file *os.File
	err  error
}

// open returns the decoded bytes, when they were kept.
func (m media) open() (io.Reader, error) {
	if m.err != nil {
		return nil, m.err
	}
	if m.file == nil {
		return bytes.NewReader(m.small), nil
	}
	if _, err := m.file.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("temporary file for attachment data: %w", err)
	}
	return bufio.NewReaderSize(m.file, 64<<10), nil
}

// close removes the temporary file holding the decoded bytes, if any.
func (m media) close() {
	if m.file != nil {
		closeTemp(m.file)
	}
}

func (d *b64) finish() media {
	if d.chars == 0 || d.chars == 4 && string(d.head[:]) == "null" {
		d.discard()
		return media{}
	}
	if d.nbuf+3 > len(d.buf) {
		d.flush()
	}
	switch {
	case d.bad:
	case d.pad > 0 && d.n+d.pad != 4, d.pad > 2, d.n == 1:
		d.bad = true
	case d.n == 2:
		d.buf[d.nbuf] = byte(d.acc >> 4)
		d.nbuf++
	case d.n == 3:
		d.buf[d.nbuf] = byte(d.acc >> 10)
		d.buf[d.nbuf+1] = byte(d.acc >> 2)
		d.nbuf += 2
	}
	if d.bad {
		d.discard()
		return media{present: true, bad: true}
	}
	d.flush()
	if d.w != nil && d.err == nil {
		if err := d.w.Flush(); err != nil {
			d.err = fmt.Errorf("temporary file for attachment data: %w", err)
		}
	}
	m := media{present: true, size: d.size, sha256: hex.EncodeToString(d.h.Sum(nil)), small: d.small,
		file: d.file, err: d.err}
	if m.small == nil && !d.big {
		m.small = []byte{}
	}
	return m
}

// decodeMedia reads a data attribute's value.
func decodeMedia(s string, keep bool) media {
	d := newB64(keep)
	d.feedString(s)
	return d.finish()
}
