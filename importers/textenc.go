package importers

import (
	"bufio"
	"bytes"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// utf16Decoder returns a decoder to UTF-8 when head starts a UTF-16 text: a byte-order mark
// (Windows "Unicode text" exports, Excel's "Unicode Text" CSV), or, without one, two ASCII
// characters each next to a zero byte. It returns nil otherwise.
func utf16Decoder(head []byte) transform.Transformer {
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()
	case len(head) >= 4 && ascii(head[0]) && head[1] == 0 && ascii(head[2]) && head[3] == 0:
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder()
	case len(head) >= 4 && head[0] == 0 && ascii(head[1]) && head[2] == 0 && ascii(head[3]):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder()
	}
	return nil
}

func ascii(c byte) bool { return c >= 0x09 && c < 0x80 }

// UTF8Head returns the first bytes of a file as UTF-8: decoded when they start a UTF-16 text
// (see [UTF8Reader]), else unchanged. A cut character at the end is dropped.
func UTF8Head(head []byte) []byte {
	dec := utf16Decoder(head)
	if dec == nil {
		return head
	}
	if len(head)%2 == 1 {
		head = head[:len(head)-1]
	}
	out, _, _ := transform.Bytes(dec, head)
	return out
}

// UTF8Reader returns r decoded to UTF-8 when it starts a UTF-16 text (with a byte-order mark,
// which is dropped, or ASCII next to zero bytes), else r's bytes unchanged. Invalid UTF-16 (a
// lone surrogate, an odd last byte) becomes U+FFFD. [StreamFormat] applies it to every stream
// format, so parsers only see UTF-8 (possibly with a UTF-8 byte-order mark).
func UTF8Reader(r io.Reader) io.Reader {
	br := bufio.NewReaderSize(r, 4096)
	head, _ := br.Peek(4)
	if dec := utf16Decoder(head); dec != nil {
		return transform.NewReader(br, dec)
	}
	return br
}

// legacyWindow is how much of a file [LegacyReader] looks at.
const legacyWindow = 64 << 10

// LegacyWarning is the reason of the warning a CSV reader reports when [LegacyReader] decoded
// the file from Windows-1252.
var LegacyWarning = NewReason("legacy-encoding", "the file is not UTF-8: read as Windows-1252 (Excel's encoding for CSV in Western Europe); check that accented letters look right").M()

// LegacyReader returns r decoded from Windows-1252 to UTF-8 when its first 64 KiB are not valid
// UTF-8 and hold no multi-byte UTF-8 character at all: the shape of a CSV saved by Excel in
// Western Europe ("Prénom" written as the single byte 0xE9). decoded says so, for the caller to
// report it. A file with one bad byte among valid accented UTF-8 is left as it is (its bad bytes
// stay, and are the parser's to report). Windows-1252 maps every byte, so nothing is lost.
func LegacyReader(r io.Reader) (out io.Reader, decoded bool) {
	br := bufio.NewReaderSize(r, legacyWindow)
	head, err := br.Peek(legacyWindow)
	full := err == nil
	invalid, multi := 0, 0
	for i := 0; i < len(head); {
		c, size := utf8.DecodeRune(head[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			if full && len(head)-i < utf8.UTFMax && !utf8.FullRune(head[i:]) {
				i = len(head) // a character cut by the window
				continue
			}
			invalid++
		case size > 1:
			multi++
		}
		i += size
	}
	if invalid == 0 || multi > 0 {
		return br, false
	}
	return transform.NewReader(br, charmap.Windows1252.NewDecoder()), true
}
