package lineend

import (
	"bufio"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestFirstIsCR(t *testing.T) {
	tests := []struct {
		head  string
		whole bool
		want  bool
	}{
		{"a\rb\r", true, true},
		{"a\r\nb\r", true, false},
		{"a\nb\rc", true, false},
		{"abc", true, false},
		{"", true, false},
		{"abc\r", true, true},
		{"abc\r", false, false}, // the next byte, unseen, may be a line feed
	}
	for _, tt := range tests {
		if got := FirstIsCR([]byte(tt.head), tt.whole); got != tt.want {
			t.Errorf("FirstIsCR(%q, %v) = %v, want %v", tt.head, tt.whole, got, tt.want)
		}
	}
}

func TestReader(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a\rb\r\nc\r\rd\r", "a\nb\r\nc\n\nd\n"},
		{"\r\n\r", "\r\n\n"},
		{"no line end", "no line end"},
	}
	for _, tt := range tests {
		// One byte a read: a carriage return at the end of a read is decided by the next byte.
		got, err := io.ReadAll(NewReader(bufio.NewReaderSize(iotest.OneByteReader(strings.NewReader(tt.in)), 16)))
		if err != nil || string(got) != tt.want {
			t.Errorf("NewReader(%q) read %q, %v; want %q", tt.in, got, err, tt.want)
		}
		if got := Convert([]byte(tt.in)); string(got) != tt.want {
			t.Errorf("Convert(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
