package smsbackup

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"raidtrace/importers"
)

// A fix is one change the cleaner made to the byte stream so that encoding/xml accepts it.
// Off is the offset in the cleaned stream where the replacement starts.
type fix struct {
	off    int64
	reason importers.Msg
	more   int // further fixes folded into this one once maxFixes are pending
}

// The reasons of the fixes, reported as warnings.
var (
	reasonControl    = importers.NewReason("sms-fix-control", "control character {{.Char}} replaced by U+FFFD")
	reasonBadByte    = importers.NewReason("sms-fix-byte", "invalid UTF-8 byte {{.Byte}} replaced by U+FFFD")
	reasonNonChar    = importers.NewReason("sms-fix-non-character", "non-character {{.Char}} replaced by U+FFFD")
	reasonBadRef     = importers.NewReason("sms-fix-reference", "{{.Text}} does not start a valid reference; kept as text")
	reasonSurrogate  = importers.NewReason("sms-fix-surrogate", "lone surrogate {{.Ref}} replaced by U+FFFD")
	reasonInvalidRef = importers.NewReason("sms-fix-invalid-reference", "character reference {{.Ref}} (invalid in XML) replaced by U+FFFD")
)

// maxFixes bounds the fixes pending between two records, for hostile input.
const maxFixes = 1000

// cleaner is a streaming io.Reader (and io.ByteReader, so that encoding/xml reads it without a
// buffer of its own and Decoder.InputOffset matches the offsets in fixes) that repairs what
// SMS Backup & Restore writers put in files and encoding/xml rejects or corrupts:
//
//   - a UTF-16 surrogate pair written as two numeric references (&#55357;&#56832; or
//     &#xD83D;&#xDE00;) becomes one reference to the real code point (&#128512;), since
//     encoding/xml would silently decode each half to U+FFFD;
//   - a lone surrogate reference, a reference to a code point XML forbids (&#1;, &#0;, &#65535;)
//     or beyond U+10FFFF, a raw control character, a raw U+FFFE/U+FFFF and an invalid UTF-8
//     byte become U+FFFD, since encoding/xml would otherwise fail the whole decode;
//   - an "&" that starts no valid reference (a bare "&", "&#12 ", "&eacute;") becomes "&amp;",
//     so the text is kept literally as the writer wrote it;
//   - a raw carriage return inside an attribute value becomes "&#13;", since encoding/xml would
//     turn a raw CR LF, and a lone CR, into LF: the text keeps the line ends the writer wrote
//     (a raw LF is kept as LF by encoding/xml, with no change here).
//
// With strip set, the value of each data attribute of a <part> start tag is also taken out of
// the stream (only its line breaks are kept) and fed to a base64 decoder; the parser collects
// the size and hash with takeMedia.
//
// Comments and processing instructions are copied verbatim (SB&R's header comment contains a
// bare "&"). CDATA sections are not expected in these files and get no special treatment.
//
// Every change but a joined surrogate pair and an escaped carriage return, which keep the text
// as written, is recorded as a fix, which the parser reports as a warning on the record that
// contains it. Line breaks are never added or removed, so line numbers are those of the
// original file.
type cleaner struct {
	r      io.Reader
	in     []byte // raw input; in[ip:il] is not processed yet
	ip, il int
	eof    bool  // r returned an error (io.EOF or another)
	rerr   error // that error
	out    []byte
	op     int   // next byte of out to deliver
	outOff int64 // stream offset of out[0]
	fixes  []fix
	term   string // inside a comment or processing instruction: its terminator, copied verbatim until then
	marks  []mark // <sms and <mms start tags seen, for counting elements across a resync
	mhead  int    // marks[:mhead] are counted
	tail   []byte // the last bytes of the previous out, for dataAttr
	tag    bool   // inside a tag (not a comment, processing instruction or doctype)
	pq     byte   // inside one of its attribute values: the quote that ends it

	// With strip set, the data attributes of <part> elements (base64 media, the bulk of large
	// backups) are decoded and hashed here rather than passed to the XML decoder.
	strip     bool
	ptag      bool  // inside a <part start tag
	partOff   int64 // offset of that tag's "<"
	media     *b64  // inside its data value: the decoder
	mediaDone []partMedia
	keep      bool // keep the decoded bytes, for importers.Options.Media

	// A record (from its <sms or <mms to the next one) whose cleaned bytes pass limit is cut
	// there: the cleaner writes poison, which the XML decoder rejects, and then only the line
	// breaks of the input up to the next <sms, <mms or </smses, where the parser resumes. The
	// media values it strips do not count, so a large MMS is not cut for its pictures.
	limit    int64
	recStart int64   // offset of the current record's first byte
	skipping bool    // dropping input after poison
	poisons  []int64 // offsets of the poison not yet read past by the parser
}

// poison is what the cleaner writes where a record passes the limit: "<" cannot follow "<" in
// text, in a tag or in an attribute value, so the XML decoder fails there.
const poison = "<<"

// overLimit reports whether the XML decoder's error at offset off (in the cleaned stream) is
// the cleaner's poison for a record longer than the limit.
func (c *cleaner) overLimit(off int64) bool {
	return len(c.poisons) > 0 && off >= c.poisons[0]
}

// readPast forgets the poison before the next byte to be delivered, which the parser has read
// past: a later error is not caused by it.
func (c *cleaner) readPast() {
	n := 0
	for n < len(c.poisons) && c.poisons[n] < c.delivered() {
		n++
	}
	c.poisons = c.poisons[:copy(c.poisons, c.poisons[n:])]
}

type partMedia struct {
	off   int64
	media media
}

// mark is the start of an <sms> or <mms> tag in the cleaned stream.
type mark struct {
	off int64
	mms bool
}

func delimiter(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '/' || b == '>'
}

// delivered returns the cleaned-stream offset of the next byte Read or ReadByte returns.
func (c *cleaner) delivered() int64 { return c.outOff + int64(c.op) }

// countMarks drops the marks before offset off and returns how many were <sms> and <mms>.
func (c *cleaner) countMarks(off int64) (sms, mms int) {
	for c.mhead < len(c.marks) && c.marks[c.mhead].off < off {
		if c.marks[c.mhead].mms {
			mms++
		} else {
			sms++
		}
		c.mhead++
	}
	if c.mhead == len(c.marks) {
		c.marks, c.mhead = c.marks[:0], 0
	} else if c.mhead > 4096 {
		c.marks, c.mhead = c.marks[:copy(c.marks, c.marks[c.mhead:])], 0
	}
	return sms, mms
}

// stripMedia turns the cleaner's media shortcut on; tests turn it off to check that both ways
// give the same records.
var stripMedia = true

const (
	cleanChunk = 64 << 10
	// lookahead is how many bytes after an "&", "<" or a non-ASCII byte must be available
	// before they are judged: two numeric references with leading zeros, or a long entity name.
	lookahead = 64
	maxDigits = 10
	maxName   = 32
)

// special are the bytes the cleaner judges one by one in text, specialTag in a tag,
// specialValue in an attribute value.
var special, specialTag, specialValue [256]bool

func init() {
	for b := 0; b < 0x20; b++ {
		special[b] = b != '\t' && b != '\n' && b != '\r'
	}
	special['&'] = true
	special['<'] = true
	for b := 0x80; b < 0x100; b++ {
		special[b] = true
	}
	specialTag = special
	specialTag['"'], specialTag['\''], specialTag['>'] = true, true, true
	specialValue = special
	specialValue['"'], specialValue['\''], specialValue['\r'] = true, true, true
}

func newCleaner(r io.Reader) *cleaner {
	return &cleaner{r: r, in: make([]byte, cleanChunk+lookahead), strip: stripMedia,
		limit: importers.DefaultMaxRecord}
}

// offset returns the cleaned-stream offset of the next byte written to out.
func (c *cleaner) offset() int64 { return c.outOff + int64(len(c.out)) }

func (c *cleaner) ReadByte() (byte, error) {
	if c.op >= len(c.out) && !c.fill() {
		return 0, c.err()
	}
	b := c.out[c.op]
	c.op++
	return b, nil
}

func (c *cleaner) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if c.op >= len(c.out) && !c.fill() {
		return 0, c.err()
	}
	n := copy(p, c.out[c.op:])
	c.op += n
	return n, nil
}

func (c *cleaner) err() error {
	if c.rerr != nil && c.rerr != io.EOF {
		return c.rerr
	}
	return io.EOF
}

// fill processes more input into out; it reports false when there is nothing more.
func (c *cleaner) fill() bool {
	if len(c.out) > 0 { // keep the last 32 bytes delivered
		c.tail = append(c.tail, c.out[max(0, len(c.out)-32):]...)
		c.tail = c.tail[:copy(c.tail, c.tail[max(0, len(c.tail)-32):])]
	}
	c.outOff += int64(len(c.out))
	c.out = c.out[:0]
	c.op = 0
	for len(c.out) == 0 {
		if c.eof && c.ip == c.il {
			return false
		}
		if !c.eof {
			n := copy(c.in, c.in[c.ip:c.il])
			c.ip, c.il = 0, n
			m, err := c.r.Read(c.in[c.il:])
			c.il += m
			if err != nil {
				c.eof, c.rerr = true, err
			}
		}
		c.process()
	}
	return true
}

func (c *cleaner) note(r importers.Reason, args ...any) {
	if len(c.fixes) >= maxFixes {
		c.fixes[len(c.fixes)-1].more++
		return
	}
	c.fixes = append(c.fixes, fix{off: c.offset(), reason: r.M(args...)})
}

func (c *cleaner) replacement(r importers.Reason, args ...any) {
	c.note(r, args...)
	c.out = append(c.out, "\uFFFD"...)
}

// process cleans in[ip:il] into out, leaving unjudged bytes near the end of the buffer for the
// next read unless the input has ended.
func (c *cleaner) process() {
	b := c.in[:c.il]
	i := c.ip
	for i < len(b) {
		if c.skipping {
			n, wait := c.skip(b[i:])
			i += n
			if wait {
				break
			}
			continue
		}
		if c.term != "" {
			k := bytes.Index(b[i:], []byte(c.term))
			if k < 0 {
				n := len(b) - i
				if !c.eof {
					n -= len(c.term) - 1
				}
				if n > 0 {
					c.out = append(c.out, b[i:i+n]...)
					i += n
				}
				break
			}
			c.out = append(c.out, b[i:i+k+len(c.term)]...)
			i += k + len(c.term)
			c.term = ""
			continue
		}
		if c.media != nil {
			n, wait := c.mediaValue(b[i:])
			i += n
			if wait {
				break
			}
			continue
		}
		table := &special
		switch {
		case c.pq != 0:
			table = &specialValue
		case c.tag:
			table = &specialTag
		}
		j := i
		for j < len(b) && !table[b[j]] {
			j++
		}
		if k := c.runCut(b[i:j]); k >= 0 {
			c.out = append(c.out, b[i:i+k]...)
			i += k
			c.cutHere()
			continue
		}
		c.out = append(c.out, b[i:j]...)
		i = j
		if i == len(b) {
			break
		}
		if !c.eof && len(b)-i < lookahead {
			break // judge it once more bytes are in
		}
		if b[i] != '<' && c.offset()-c.recStart >= c.limit {
			c.cutHere() // before the byte that passes the limit: it may be the ">" that ends the record
			continue
		}
		switch x := b[i]; {
		case x == '<':
			c.tag, c.ptag, c.pq = false, false, 0
			switch {
			case bytes.HasPrefix(b[i:], []byte("<!--")):
				c.term = "-->"
				c.out = append(c.out, "<!--"...)
				i += 4
			case bytes.HasPrefix(b[i:], []byte("<?")):
				c.term = "?>"
				c.out = append(c.out, "<?"...)
				i += 2
			default:
				c.tag = len(b)-i < 2 || b[i+1] != '!' // a doctype is copied as it is
				if bytes.HasPrefix(b[i:], []byte("</smses")) {
					c.recStart = c.offset() // the last record has ended
				}
				if len(b)-i > 4 && delimiter(b[i+4]) {
					switch string(b[i+1 : i+4]) {
					case "sms":
						c.marks = append(c.marks, mark{c.offset(), false})
						c.recStart = c.offset()
					case "mms":
						c.marks = append(c.marks, mark{c.offset(), true})
						c.recStart = c.offset()
					}
				}
				if c.strip && len(b)-i > 5 && delimiter(b[i+5]) && string(b[i+1:i+5]) == "part" {
					c.ptag, c.partOff = true, c.offset()
				}
				c.out = append(c.out, '<')
				i++
			}
		case c.pq != 0 && x == '\r': // encoding/xml would make it "\n"
			c.out = append(c.out, "&#13;"...)
			i++
		case c.tag && (x == '"' || x == '\'' || x == '>'):
			switch {
			case c.pq == x: // end of an attribute value
				c.pq = 0
			case c.pq != 0: // the other quote inside a value
			case x == '>':
				c.tag, c.ptag = false, false
			case c.ptag && c.dataAttr():
				c.pq = x
				c.media = newB64(c.keep)
			default:
				c.pq = x
			}
			c.out = append(c.out, x)
			i++
		default:
			i += c.char(b[i:])
		}
		c.cut()
	}
	c.ip = i
}

// runCut returns where in run, a run of plain bytes about to be written, the current record
// passes the limit: the first byte past it that is not white space (the line break and
// indentation after a record are no part of it), or -1 when the record stays within the limit.
func (c *cleaner) runCut(run []byte) int {
	room := c.recStart + c.limit - c.offset()
	if int64(len(run)) <= room {
		return -1
	}
	k := int(max(room, 0))
	for k < len(run) && (run[k] == ' ' || run[k] == '\t' || run[k] == '\r' || run[k] == '\n') {
		k++
	}
	if k == len(run) {
		return -1
	}
	return k
}

// cut writes poison and starts skipping when the current record has passed the limit; the
// caller has just written a byte that is not white space, or is at a byte runCut chose.
func (c *cleaner) cut() bool {
	if c.term != "" || c.offset()-c.recStart <= c.limit {
		return false
	}
	c.cutHere()
	return true
}

// cutHere writes poison and starts skipping.
func (c *cleaner) cutHere() {
	c.out = append(c.out, poison...)
	c.poisons = append(c.poisons, c.offset()-int64(len(poison)))
	c.media.discard()
	c.skipping, c.tag, c.ptag, c.pq, c.media = true, false, false, 0, nil
}

// skip drops the input at the start of b, but for its line breaks, up to the next "<sms",
// "<mms" or "</smses" tag, which it leaves for process. It returns the bytes consumed and whether
// it must wait for more input to judge a "<".
func (c *cleaner) skip(b []byte) (int, bool) {
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '\n':
			c.out = append(c.out, '\n')
		case '<':
			rest := b[i:]
			if !c.eof && len(rest) < len("</smses") {
				return i, true
			}
			if len(rest) > 4 && delimiter(rest[4]) && (string(rest[1:4]) == "sms" || string(rest[1:4]) == "mms") ||
				bytes.HasPrefix(rest, []byte("</smses")) {
				c.skipping = false
				c.recStart = c.offset()
				return i, false
			}
		}
	}
	return len(b), !c.eof
}

// char cleans the "&", control character or non-ASCII byte at b[0] into out and returns how
// many bytes it consumed.
func (c *cleaner) char(b []byte) int {
	switch x := b[0]; {
	case x == '&':
		return c.reference(b)
	case x < 0x80:
		c.replacement(reasonControl, "Char", fmt.Sprintf("U+%04X", x))
		return 1
	default:
		r, n := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && n <= 1:
			c.replacement(reasonBadByte, "Byte", fmt.Sprintf("0x%02X", x))
			n = 1
		case r == 0xFFFE || r == 0xFFFF:
			c.replacement(reasonNonChar, "Char", fmt.Sprintf("U+%04X", r))
		default:
			c.out = append(c.out, b[:n]...)
		}
		return n
	}
}

// dataAttr reports whether the quote about to be written to out opens the value of a data
// attribute: out ends with whitespace, "data", optional whitespace, "=", optional whitespace.
// When the name is not in the last bytes kept, it answers false and the value is read by the
// decoder as any other, which is slower but gives the same result.
func (c *cleaner) dataAttr() bool {
	var t []byte
	if len(c.out) >= 32 {
		t = c.out[len(c.out)-32:]
	} else {
		t = append(append(make([]byte, 0, 64), c.tail...), c.out...)
	}
	t = bytes.TrimRight(t, " \t\r\n")
	if !bytes.HasSuffix(t, []byte("=")) {
		return false
	}
	t = bytes.TrimRight(t[:len(t)-1], " \t\r\n")
	return bytes.HasSuffix(t, []byte("data")) && len(t) > 4 && delimiter(t[len(t)-5]) && t[len(t)-5] != '>' && t[len(t)-5] != '/'
}

// mediaValue feeds the data attribute value at the start of b to the base64 decoder instead of
// passing it on: out gets only its line breaks, so that line numbers stay right, and the parser
// gets the decoded size and hash through takeMedia. It returns the bytes consumed and whether it
// must wait for more input.
func (c *cleaner) mediaValue(b []byte) (int, bool) {
	i := 0
	for i < len(b) {
		x := b[i]
		switch {
		case x == c.pq:
			c.mediaDone = append(c.mediaDone, partMedia{off: c.partOff, media: c.media.finish()})
			c.media, c.pq = nil, 0
			c.out = append(c.out, x)
			return i + 1, false
		case x == '<': // the decoder will report it, exactly as without this shortcut
			c.media.discard()
			c.media, c.pq, c.tag, c.ptag = nil, 0, false, false
			return i, false
		case x == '\n':
			c.out = append(c.out, '\n')
			i++
		case special[x]:
			if !c.eof && len(b)-i < lookahead {
				return i, true
			}
			mark, nfix := len(c.out), len(c.fixes)
			i += c.char(b[i:])
			c.feedCleaned(c.out[mark:])
			c.out = c.out[:mark]
			for k := nfix; k < len(c.fixes); k++ {
				c.fixes[k].off-- // at the opening quote: before anything written after the value
			}
		default:
			j := i
			for j < len(b) && b64val[b[j]] != 0xFF {
				j++
			}
			if j == i {
				c.media.feed(x) // "=", whitespace, or a character that spoils the value
				j++
			} else {
				c.media.feedRun(b[i:j])
			}
			i = j
		}
	}
	return i, !c.eof
}

// feedCleaned feeds the decoder what the cleaner made of one special character: a reference is
// resolved as the XML decoder would resolve it.
func (c *cleaner) feedCleaned(s []byte) {
	if n, v, numeric := parseRef(s); n > 0 {
		switch {
		case numeric && v >= 0 && v < 0x80:
			c.media.feed(byte(v))
		case numeric:
			c.media.feed(0xFF) // not base64
		default:
			c.media.feed(0xFF) // &amp; &lt; &gt; &apos; &quot;: not base64 either
		}
		return
	}
	for _, x := range s {
		c.media.feed(x)
	}
}

// dropMedia forgets the data of parts before offset off, which no record asked for (a <part>
// outside an <mms>), so that they do not pile up.
func (c *cleaner) dropMedia(off int64) {
	for len(c.mediaDone) > 0 && c.mediaDone[0].off < off {
		c.mediaDone[0].media.close()
		c.mediaDone = c.mediaDone[1:]
	}
}

// closeMedia removes the temporary files of the media not taken, when the parse ends.
func (c *cleaner) closeMedia() {
	c.media.discard()
	c.media = nil
	for _, m := range c.mediaDone {
		m.media.close()
	}
	c.mediaDone = nil
}

// takeMedia returns the data of the <part> whose start tag begins at offset off, when the
// cleaner took it out of the stream, dropping what it holds for earlier parts.
func (c *cleaner) takeMedia(off int64) (media, bool) {
	c.dropMedia(off)
	if len(c.mediaDone) > 0 && c.mediaDone[0].off == off {
		m := c.mediaDone[0].media
		c.mediaDone = c.mediaDone[1:]
		return m, true
	}
	return media{}, false
}

// reference handles the "&" at b[0] and returns how many bytes it consumed.
func (c *cleaner) reference(b []byte) int {
	n, v, numeric := parseRef(b)
	switch {
	case n == 0:
		c.note(reasonBadRef, "Text", fmt.Sprintf("%q", shorten(b)))
		c.out = append(c.out, "&amp;"...)
		return 1
	case !numeric:
		c.out = append(c.out, b[:n]...)
		return n
	case v >= 0xD800 && v <= 0xDBFF:
		if m, lo, ok := parseRef(b[n:]); ok && lo >= 0xDC00 && lo <= 0xDFFF && m > 0 {
			r := 0x10000 + (v-0xD800)<<10 + (lo - 0xDC00)
			c.out = append(c.out, "&#"...)
			c.out = strconv.AppendInt(c.out, int64(r), 10)
			c.out = append(c.out, ';')
			return n + m
		}
		c.replacement(reasonSurrogate, "Ref", string(b[:n]))
		return n
	case v >= 0xDC00 && v <= 0xDFFF:
		c.replacement(reasonSurrogate, "Ref", string(b[:n]))
		return n
	case !xmlChar(v):
		c.replacement(reasonInvalidRef, "Ref", string(b[:n]))
		return n
	}
	c.out = append(c.out, b[:n]...)
	return n
}

// parseRef parses a reference at b[0] == '&'. It returns its length, or 0 when b does not start
// a well-formed numeric reference or one of XML's five entities. For a numeric reference it
// returns the code point (-1 when out of range) and numeric true.
func parseRef(b []byte) (n int, v int, numeric bool) {
	if len(b) < 3 || b[0] != '&' {
		return 0, 0, false
	}
	if b[1] != '#' {
		j := 1
		for j < len(b) && j <= maxName && (isLetter(b[j]) || b[j] >= '0' && b[j] <= '9') {
			j++
		}
		if j < len(b) && b[j] == ';' {
			switch string(b[1:j]) {
			case "amp", "lt", "gt", "apos", "quot":
				return j + 1, 0, false
			}
		}
		return 0, 0, false
	}
	j, base := 2, 10
	if b[j] == 'x' || b[j] == 'X' {
		j, base = 3, 16
	}
	start := j
	for j < len(b) && j-start <= maxDigits && digitVal(b[j], base) >= 0 {
		j++
	}
	if j == start || j >= len(b) || b[j] != ';' {
		return 0, 0, false
	}
	for _, d := range b[start:j] {
		v = v*base + digitVal(d, base)
		if v > 0x10FFFF {
			v = -1
			break
		}
	}
	return j + 1, v, true
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

func digitVal(b byte, base int) int {
	switch {
	case b >= '0' && b <= '9':
		return int(b - '0')
	case base == 16 && b >= 'a' && b <= 'f':
		return int(b-'a') + 10
	case base == 16 && b >= 'A' && b <= 'F':
		return int(b-'A') + 10
	}
	return -1
}

// xmlChar reports whether XML 1.0 allows code point v (as encoding/xml checks it).
func xmlChar(v int) bool {
	return v == 0x09 || v == 0x0A || v == 0x0D ||
		v >= 0x20 && v <= 0xD7FF || v >= 0xE000 && v <= 0xFFFD || v >= 0x10000 && v <= 0x10FFFF
}

func shorten(b []byte) string {
	if len(b) > 12 {
		b = b[:12]
	}
	return string(b)
}
