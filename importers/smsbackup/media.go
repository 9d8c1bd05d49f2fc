package smsbackup

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
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

func newB64() *b64 { return &b64{h: sha256.New()} }

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
			d.big, d.small = true, nil
		} else {
			d.small = append(d.small, b...)
		}
	}
	d.nbuf = 0
}

// media is what a part's data attribute holds.
type media struct {
	present bool   // the attribute has content other than whitespace or "null"
	bad     bool   // not base64: neither hashed nor decoded
	size    int64  // decoded size
	sha256  string // of the decoded bytes
	small   []byte // the decoded bytes, nil when larger than smallMax
}

func (d *b64) finish() media {
	if d.chars == 0 || d.chars == 4 && string(d.head[:]) == "null" {
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
		return media{present: true, bad: true}
	}
	d.flush()
	m := media{present: true, size: d.size, sha256: hex.EncodeToString(d.h.Sum(nil)), small: d.small}
	if m.small == nil && !d.big {
		m.small = []byte{}
	}
	return m
}

// decodeMedia reads a data attribute's value.
func decodeMedia(s string) media {
	d := newB64()
	d.feedString(s)
	return d.finish()
}
