package fuzzseed

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

func TestHostile(t *testing.T) {
	valid := []byte("first line\r\nsecond line é\n")
	vs := Hostile(valid)
	if len(vs) != 10 {
		t.Fatalf("got %d variants, want 10", len(vs))
	}
	for i, v := range vs {
		if bytes.Equal(v, valid) {
			t.Errorf("variant %d is the valid input unchanged", i)
		}
	}
	if got := vs[0]; !bytes.Equal(got, valid[:len(valid)/2]) {
		t.Errorf("cut: got %q", got)
	}
	if utf8.Valid(vs[2]) {
		t.Errorf("invalid UTF-8 variant is valid UTF-8: %q", vs[2])
	}
	if !bytes.Contains(vs[4], bytes.Repeat([]byte("A"), LongLine)) {
		t.Errorf("long-line variant has no %d-byte run", LongLine)
	}
	if got := bytes.Count(vs[7], []byte("\r\n")); got != 2 {
		t.Errorf("CRLF variant: got %d CRLF, want 2 (%q)", got, vs[7])
	}
	if bytes.Contains(vs[8], []byte("\n")) {
		t.Errorf("CR variant still has LF: %q", vs[8])
	}
	if got, want := vs[9], append([]byte{0xFF, 0xFE, 'f', 0}, 'i', 0); !bytes.HasPrefix(got, want) {
		t.Errorf("UTF-16: got prefix %q, want %q", got[:6], want)
	}
	if n := len(Hostile([]byte("\xff"))); n != 9 {
		t.Errorf("invalid UTF-8 input: got %d variants, want 9 (no UTF-16 one)", n)
	}
}
