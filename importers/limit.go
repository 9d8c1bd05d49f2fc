package importers

import "bufio"

// DefaultMaxRecord is the longest record (a line of a line-oriented format, a row of a CSV file)
// a parser holds in memory when [Options.MaxRecord] is unset: far longer than any real message,
// short enough that a crafted file with a one-gigabyte line cannot exhaust memory.
const DefaultMaxRecord = 64 << 20

// RecordLimit returns o.MaxRecord, or [DefaultMaxRecord] when it is unset or not positive.
func (o Options) RecordLimit() int {
	if o.MaxRecord > 0 {
		return o.MaxRecord
	}
	return DefaultMaxRecord
}

// TooLong is the reason of the problem a parser reports for a record longer than limit bytes,
// which it skips without holding it in memory.
func TooLong(limit int) Msg { return reasonTooLong.M("Size", Size(int64(limit))) }

var (
	reasonTooLong = NewReason("too-long", "record longer than {{.Size}}: skipped")
	reasonMiB     = NewReason("size-mib", "{{.N}} MiB")
	reasonKiB     = NewReason("size-kib", "{{.N}} KiB")
	reasonBytes   = NewReason("size-bytes", "{{.N}} bytes")
)

// Size writes n bytes as "64 MiB", "512 KiB" or "100 bytes".
func Size(n int64) Msg {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return reasonMiB.M("N", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return reasonKiB.M("N", n>>10)
	}
	return reasonBytes.M("N", n)
}

// ReadLine appends the next line of br, without its end of line ("\n" or "\r\n"), to buf and
// returns it. A line longer than limit bytes is read to its end and dropped: ReadLine then
// returns buf as it was passed, tooLong true, and holds at most the reader's buffer of it in
// memory. At the end of the input it returns io.EOF, with the last line when the input does not
// end with a newline (a nil-length line and io.EOF when nothing is left).
func ReadLine(br *bufio.Reader, buf []byte, limit int) (line []byte, tooLong bool, err error) {
	start := len(buf)
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(buf)-start+len(chunk) > limit+2 { // +2: the line end is no part of the line
				tooLong = true
				buf = buf[:start]
			} else {
				buf = AppendBounded(buf, chunk, start+limit+2)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if tooLong {
			return buf[:start], true, err
		}
		line := buf[start:]
		if err == nil {
			line = line[:len(line)-1]
			if len(line) > 0 && line[len(line)-1] == '\r' {
				line = line[:len(line)-1]
			}
			if len(line) > limit {
				return buf[:start], true, nil
			}
		}
		if len(line) > limit {
			return buf[:start], true, err
		}
		return buf[:start+len(line)], false, err
	}
}

// AppendBounded appends chunk to buf, growing it by doubling rather than by append's factor of
// 1.25 for large slices, but never past bound bytes (len(buf)+len(chunk) must not exceed it): a
// record read chunk by chunk up to the limit then leaves about the limit in garbage, not four
// times it. A doubling past half of bound goes to bound at once, so that a record as long as the
// limit is not copied once more for its last few bytes.
func AppendBounded(buf, chunk []byte, bound int) []byte {
	if need := len(buf) + len(chunk); need > cap(buf) {
		c := max(2*cap(buf), need)
		if c > bound/2 {
			c = bound
		}
		nb := make([]byte, len(buf), max(c, need))
		copy(nb, buf)
		buf = nb
	}
	return append(buf, chunk...)
}
