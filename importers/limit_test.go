package importers

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"testing"
)

func TestReadLine(t *testing.T) {
	tests := []struct {
		name, in string
		want     string // each line read, "!" for one too long
	}{
		{"at the limit", "abcd\nef\n", "abcd|ef"},
		{"over the limit", "abcde\nef\n", "!|ef"},
		{"CRLF not counted", "abcd\r\nef", "abcd|ef"},
		{"last line too long, no line end", "ab\nabcdef", "ab|!"},
		{"blank lines kept", "\n\nab\n", "||ab"},
		{"longer than the buffer", strings.Repeat("x", 40) + "\nab\n", "!|ab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			br := bufio.NewReaderSize(strings.NewReader(tt.in), 16)
			var got []string
			var buf []byte
			for i := 0; i < 10; i++ {
				line, long, err := ReadLine(br, buf[:0], 4)
				buf = line
				if err != nil && err != io.EOF {
					t.Fatal(err)
				}
				if err == io.EOF && len(line) == 0 && !long {
					break
				}
				if long {
					got = append(got, "!")
				} else {
					got = append(got, string(line))
				}
				if err == io.EOF {
					break
				}
			}
			if g := strings.Join(got, "|"); g != tt.want {
				t.Errorf("got %q, want %q", g, tt.want)
			}
		})
	}
	for _, tt := range []struct {
		n    int
		want string
	}{{64 << 20, "64 MiB"}, {4096, "4 KiB"}, {1000, "1000 bytes"}} {
		if got := TooLong(tt.n).String(); got != fmt.Sprintf("record longer than %s: skipped", tt.want) {
			t.Errorf("TooLong(%d) = %q", tt.n, got)
		}
	}
}

// TestAppendBounded: a buffer grown chunk by chunk up to max allocates at most twice max in all,
// and ends with a capacity of max, not past it.
func TestAppendBounded(t *testing.T) {
	for _, max := range []int{1 << 20, 1<<20 + 3000, 64 << 10} {
		var buf []byte
		total := 0
		chunk := make([]byte, 1000)
		for len(buf)+len(chunk) <= max {
			before := cap(buf)
			buf = AppendBounded(buf, chunk, max)
			if cap(buf) != before {
				total += cap(buf)
			}
		}
		if cap(buf) > max || total > 2*max {
			t.Errorf("max %d: got capacity %d after allocating %d in all, want at most %d and %d", max, cap(buf), total, max, 2*max)
		}
	}
}
