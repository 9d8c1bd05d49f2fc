package applemessages

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"raidtrace/importers"
)

// typedstream tags used by the length prefix of a string.
const (
	tagInt16 = 0x81 // a little-endian 16-bit length follows
	tagInt32 = 0x82 // a little-endian 32-bit length follows
	tagEnd   = 0x86 // end of an object
	tagStart = 0x84 // start of an object
)

var (
	streamtypedMagic = []byte("\x04\x0bstreamtyped")
	nsStringClass    = []byte("NSString")
	stringType       = []byte{0x01, '+'} // a one-character type encoding: "+" (a C string)
)

// ErrNoText means an attributedBody blob holds no NSString this package can find.
var ErrNoText = importers.NewReason("apple-no-text", "attributedBody holds no NSString text").M().Wrap(nil)

var (
	reasonNotTypedstream = importers.NewReason("apple-not-typedstream", "attributedBody is not a typedstream (starts {{.Head}}): {{.Err}}")
	reasonNoClass        = importers.NewReason("apple-no-nsstring", "no NSString class: {{.Err}}")
	reasonNoString       = importers.NewReason("apple-no-string", "no string after the NSString class: {{.Err}}")
	reasonNoLength       = importers.NewReason("apple-no-length", "string length missing: {{.Err}}")
	reasonLengthCut      = importers.NewReason("apple-length-cut", "string length cut short: {{.Err}}")
	reasonLengthTag      = importers.NewReason("apple-length-tag", "unexpected string length tag {{.Tag}}: {{.Err}}")
	reasonLengthOver     = importers.NewReason("apple-length-over", "string says {{.N}} bytes, blob holds {{.Have}}: {{.Err}}")
	reasonBadUTF8        = importers.NewReason("apple-bad-utf8", "invalid UTF-8 replaced by U+FFFD")
)

// AttributedBodyText returns the plain text of a message.attributedBody blob: an NSArchiver
// "streamtyped" (typedstream) archive of an NSAttributedString. It reads only the string, not
// the attributes (links, mentions, attachment markers stay as their U+FFFC placeholders).
//
// The string is found after the NSString class name, at the type encoding 01 2B ("+"), followed
// by its length in bytes (one byte below 0x80, or 0x81 and a little-endian uint16, or 0x82 and
// a little-endian uint32) and that many UTF-8 bytes.
//
// When the blob is damaged, AttributedBodyText returns what it could read with an error:
// a length running past the end of the blob gives the bytes up to the end of the string object
// (the next 86 84) and an error wrapping [importers.ErrTruncated]; invalid UTF-8 is replaced by
// U+FFFD and reported. A blob with no string at all gives "" and an error wrapping [ErrNoText].
func AttributedBodyText(blob []byte) (string, error) {
	if !bytes.HasPrefix(blob, streamtypedMagic) {
		return "", reasonNotTypedstream.M("Head", fmt.Sprintf("%q", head(blob)), "Err", ErrNoText).Wrap(ErrNoText)
	}
	i := bytes.Index(blob, nsStringClass)
	if i < 0 {
		return "", reasonNoClass.M("Err", ErrNoText).Wrap(ErrNoText)
	}
	rest := blob[i+len(nsStringClass):]
	j := bytes.Index(rest, stringType)
	if j < 0 {
		return "", reasonNoString.M("Err", ErrNoText).Wrap(ErrNoText)
	}
	rest = rest[j+len(stringType):]
	if len(rest) == 0 {
		return "", reasonNoLength.M("Err", importers.ErrTruncated).Wrap(importers.ErrTruncated)
	}
	var n uint64
	switch c := rest[0]; {
	case c < 0x80:
		n, rest = uint64(c), rest[1:]
	case c == tagInt16 && len(rest) >= 3:
		n, rest = uint64(binary.LittleEndian.Uint16(rest[1:3])), rest[3:]
	case c == tagInt32 && len(rest) >= 5:
		n, rest = uint64(binary.LittleEndian.Uint32(rest[1:5])), rest[5:]
	case c == tagInt16 || c == tagInt32:
		return "", reasonLengthCut.M("Err", importers.ErrTruncated).Wrap(importers.ErrTruncated)
	default:
		return "", reasonLengthTag.M("Tag", fmt.Sprintf("0x%02x", c), "Err", ErrNoText).Wrap(ErrNoText)
	}
	var errs []error
	text := rest
	if n <= uint64(len(rest)) {
		text = rest[:n]
	} else {
		if k := bytes.Index(rest, []byte{tagEnd, tagStart}); k >= 0 {
			text = rest[:k]
		}
		errs = append(errs, reasonLengthOver.M("N", n, "Have", len(text), "Err", importers.ErrTruncated).Wrap(importers.ErrTruncated))
	}
	s := string(text)
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
		errs = append(errs, reasonBadUTF8.M().Wrap(nil))
	}
	return s, errors.Join(errs...)
}

// head returns the first bytes of b for an error message.
func head(b []byte) []byte {
	if len(b) > 16 {
		return b[:16]
	}
	return b
}
