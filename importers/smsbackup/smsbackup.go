// Package smsbackup reads the XML backups written by SMS Backup & Restore (SyncTech, Android) and
// by the many tools that write the same format (Signal and Silence plaintext exports, iOS and
// Google Voice converters): a root <smses> holding <sms> and <mms> elements.
//
// [Read] streams the file with encoding/xml's Token API, so a multi-gigabyte backup with inline
// base64 media is read in flat memory: attachment data is decoded only to compute its size and
// SHA-256, then dropped, unless [importers.Options.Media] asks for it (it then gets each
// attachment's decoded bytes, those over 64 KiB through a temporary file). The base64 `data` values of <part> elements, the bulk of large backups,
// are decoded and hashed as they stream past, before the XML decoder, which then sees them
// empty; a value the shortcut does not recognise is decoded from the attribute with the same
// decoder, with the same result. It sends one [importers.Record] per <sms> and per <mms> element, in file
// order, with a location such as "/smses/sms[12] (line 340)" (elements counted per type, from 1).
//
// What it repairs, and reports as warnings on the record concerned:
//   - UTF-16 surrogate pairs written as two numeric references (&#55357;&#56832;, as Android's
//     KXmlSerializer did) are restored to the real character; a lone surrogate becomes U+FFFD.
//   - Control characters (&#1; or raw), references to code points XML forbids, raw U+FFFE/U+FFFF
//     and invalid UTF-8 become U+FFFD, so that the record imports instead of the decode failing.
//     The original character is not kept in the text; the warning names it.
//   - An "&" that starts no valid reference is kept literally as text.
//
// Raw line ends inside attribute values are kept as written: CR LF and a lone CR, which
// encoding/xml alone would turn into LF, as well as LF (formats.md §3.2, 7).
//
// Files in UTF-16 (with a byte-order mark, or starting with "<" and a zero byte) and files
// declaring a legacy encoding such as ISO-8859-1 are decoded to UTF-8 first. The `count`
// attribute is ignored. Dates below 10^11 are read as Unix seconds, others as milliseconds;
// readable_date is kept in Extra but never parsed. The Cc and Bcc addresses of an MMS (<addr>
// types 130 and 129) are recipients as its To addresses (151) are, and are also listed,
// space-separated, in Extra["cc"] and Extra["bcc"] so that their role is kept.
//
// A file that ends before </smses> keeps every record completed before the break and ends with
// a [*importers.ParseError] wrapping [importers.ErrTruncated], which is also reported as one
// Problem with the same location and reason (the record cut, counted once).
//
// The package only reads: it never writes, moves or creates files, opens no network connection
// and imports no GUI code.
package smsbackup

import (
	"bufio"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"raidtrace/importers"
)

// Format is the SMS Backup & Restore XML format, for detection and the case file.
var Format = importers.StreamFormat("smsbackup", "SMS Backup & Restore XML", Sniff, Read)

// Sniff reports whether head, the first bytes of a file, starts an SMS Backup & Restore XML
// document: its root element is <smses>, after an optional byte-order mark, XML declaration,
// comments, processing instructions (such as the xml-stylesheet one) and doctype. UTF-16 files
// are recognised too. The name is not used. A nil head (a directory) is never this format.
func Sniff(head []byte, name string) bool {
	if len(head) == 0 {
		return false
	}
	head = toUTF8Head(head)
	s := head
	for {
		s = bytes.TrimLeft(s, " \t\r\n")
		switch {
		case bytes.HasPrefix(s, []byte("<?")):
			i := bytes.Index(s, []byte("?>"))
			if i < 0 {
				return false
			}
			s = s[i+2:]
		case bytes.HasPrefix(s, []byte("<!--")):
			i := bytes.Index(s[4:], []byte("-->"))
			if i < 0 {
				return false
			}
			s = s[4+i+3:]
		case bytes.HasPrefix(s, []byte("<!")):
			i := bytes.IndexByte(s, '>')
			if i < 0 {
				return false
			}
			s = s[i+1:]
		default:
			if !bytes.HasPrefix(s, []byte("<smses")) || len(s) == len("<smses") {
				return false
			}
			switch s[len("<smses")] {
			case ' ', '\t', '\r', '\n', '>', '/':
				return true
			}
			return false
		}
	}
}

// toUTF8Head returns head without a UTF-8 byte-order mark, or decoded from UTF-16.
func toUTF8Head(head []byte) []byte {
	dec := utf16Decoder(head)
	if dec == nil {
		return bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	}
	if len(head)%2 == 1 {
		head = head[:len(head)-1]
	}
	out, _, _ := transform.Bytes(dec, head)
	return out
}

// utf16Decoder returns a decoder to UTF-8 when head starts a UTF-16 file (with a byte-order
// mark, or "<" next to a zero byte), else nil.
func utf16Decoder(head []byte) transform.Transformer {
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()
	case len(head) >= 2 && head[0] == '<' && head[1] == 0:
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder()
	case len(head) >= 2 && head[0] == 0 && head[1] == '<':
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder()
	}
	return nil
}

var declEncoding = regexp.MustCompile(`^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)

// utf8Input returns r decoded to UTF-8: a UTF-8 byte-order mark dropped, UTF-16 decoded, a
// legacy encoding named in the XML declaration decoded.
func utf8Input(r io.Reader) io.Reader {
	br := bufio.NewReaderSize(r, 4096)
	head, _ := br.Peek(1024)
	if dec := utf16Decoder(head); dec != nil {
		return transform.NewReader(br, dec)
	}
	if bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")) {
		br.Discard(3)
		return br
	}
	if m := declEncoding.FindSubmatch(head); m != nil {
		label := strings.ToLower(string(m[1]))
		switch {
		case label == "utf-8" || label == "utf8" || label == "us-ascii" || label == "ascii" ||
			strings.HasPrefix(label, "utf-16") || strings.HasPrefix(label, "utf16"):
		default:
			if enc, err := htmlindex.Get(label); err == nil {
				return transform.NewReader(br, enc.NewDecoder())
			}
		}
	}
	return br
}

// Read parses an SMS Backup & Restore XML stream, sending one record per <sms> and <mms>
// element to sink and reporting broken records as problems. See the package documentation for
// what it repairs and how it treats a truncated file. A stream whose root element is not <smses>
// gives a [*importers.ParseError] wrapping [importers.ErrNotFormat].
func Read(ctx context.Context, r io.Reader, opt importers.Options, sink importers.Sink) error {
	c := newCleaner(utf8Input(r))
	c.limit = int64(opt.RecordLimit())
	c.keep = opt.Media != nil
	defer c.closeMedia()
	d := xml.NewDecoder(c)
	// The input is already UTF-8 (see utf8Input), whatever the declaration says.
	d.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	p := &parser{ctx: ctx, d: d, c: c, opt: opt.WithDefaults(), sink: sink}
	defer p.dropPending()
	return p.run()
}

type parser struct {
	ctx  context.Context
	d    *xml.Decoder
	c    *cleaner
	opt  importers.Options
	sink importers.Sink

	root      bool   // <smses> seen
	nSMS      int    // <sms> elements begun
	nMMS      int    // <mms> elements begun
	imported  int    // records sent
	cur       string // location of the element being read, for errors
	fixesDone int    // p.c.fixes[:fixesDone] have been reported
	// After an XML error the parser resumes at the next <sms> or <mms> with a new decoder:
	// base and lineBase map that decoder's offsets and lines to the cleaned stream's.
	base     int64
	lineBase int
	resumed  bool // the new decoder's synthetic <smses> start tag is still to come
	marksSMS int  // <sms> and <mms> start tags counted by the cleaner so far
	marksMMS int
	e164     map[string]string // memo of importers.E164, which is slow; bounded
	// pending holds the data of the current MMS's attachments until its record is sent, when
	// they go to opt.Media (only when it is set).
	pending []pendingMedia
}

type pendingMedia struct {
	mime string
	md   media
}

// keepMedia holds md, the data of an attachment of the current MMS, for opt.Media.
func (p *parser) keepMedia(mime string, md media) {
	if p.opt.Media == nil || !md.present || md.bad {
		md.close()
		return
	}
	p.pending = append(p.pending, pendingMedia{mime: mime, md: md})
}

// deliverMedia gives the data of the attachments of the record just sent to opt.Media.
func (p *parser) deliverMedia() error {
	defer p.dropPending()
	for _, pm := range p.pending {
		r, err := pm.md.open()
		if err == nil {
			err = p.opt.Media(pm.md.sha256, pm.mime, r)
		}
		if err != nil {
			return fmt.Errorf("attachment %s: %w", pm.md.sha256, err)
		}
	}
	return nil
}

func (p *parser) dropPending() {
	for _, pm := range p.pending {
		pm.md.close()
	}
	p.pending = p.pending[:0]
}

// phone is importers.PhoneParty with a bounded memo: a backup repeats each correspondent's
// number many times.
func (p *parser) phone(raw, name string) importers.Party {
	e, ok := p.e164[raw]
	if !ok {
		if p.e164 == nil || len(p.e164) >= 1<<16 {
			p.e164 = make(map[string]string)
		}
		e = importers.E164(raw, p.opt.Region)
		p.e164[raw] = e
	}
	return importers.Party{Raw: raw, E164: e, Name: name}
}

func (p *parser) run() error {
	for {
		if err := p.ctx.Err(); err != nil {
			return fmt.Errorf("smsbackup: %w", err)
		}
		line := p.line()
		tok, err := p.d.Token()
		if err != nil {
			if err := p.fail(err, line); err != nil {
				return err
			}
			continue // resumed after a broken element
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if p.resumed && t.Name.Local == "smses" {
				p.resumed = false
				continue
			}
			if !p.root {
				if t.Name.Local != "smses" {
					return &importers.ParseError{Line: line,
						Err: reasonRoot.M("Name", t.Name.Local).Wrap(importers.ErrNotFormat)}
				}
				p.root = true
				p.fixesUntil(p.off(), fmt.Sprintf("/smses (line %d)", line))
				continue
			}
			if err := p.element(t, line); err != nil {
				return err
			}
		case xml.EndElement: // </smses>: the end of the document
			p.fixesUntil(p.off(), fmt.Sprintf("/smses (line %d)", line))
			p.trailer()
			return nil
		}
	}
}

var (
	reasonRoot           = importers.NewReason("sms-root", "root element is <{{.Name}}>, not <smses>: not this format")
	reasonNoRoot         = importers.NewReason("sms-no-root", "no <smses> root element: not this format")
	reasonTrailer        = importers.NewReason("sms-trailer", "content after the end of <smses> is not read")
	reasonNotMessage     = importers.NewReason("sms-not-message", "element <{{.Name}}> is not a message; skipped")
	reasonTimes          = importers.NewReason("sms-fix-times", "{{.Reason}} ({{.N}} times)")
	reasonMore           = importers.NewReason("sms-fix-more", "{{.Reason}}; and {{.N}} more replacements")
	reasonAfter          = importers.NewReason("sms-after-records", "after {{.N}} records: {{.Err}}")
	reasonWhatAfter      = importers.NewReason("sms-what-after-records", "{{.What}}; after {{.N}} records: {{.Err}}")
	reasonElementSkipped = importers.NewReason("sms-element-skipped", "element skipped")
	reasonRecordSkipped  = importers.NewReason("sms-record-skipped", "record skipped")
	reasonXMLResumed     = importers.NewReason("sms-xml-resumed", "XML error: {{.Err}}; {{.What}}, reading resumed at line {{.Line}}")
	reasonXML            = importers.NewReason("sms-xml-error", "XML error: {{.Err}}")
	reasonTooDeep        = importers.NewReason("sms-too-deep", "elements nested more than {{.N}} deep")
	reasonNoDate         = importers.NewReason("sms-no-date", "no date attribute; time unknown")
	reasonNoAddress      = importers.NewReason("sms-no-address", "no address attribute; other party unknown")
	reasonTextBase64     = importers.NewReason("mms-text-base64", "text part data is not valid base64; not decoded")
	reasonTextLarge      = importers.NewReason("mms-text-large", "text part data of {{.N}} bytes is too large to be taken as text; kept as an attachment")
	reasonAttBase64      = importers.NewReason("mms-attachment-base64", "attachment {{.Name}} data is not valid base64; not hashed")
	reasonNoFromAddr     = importers.NewReason("mms-no-from-address", `no From address (<addr type="137">); sender taken from the address attribute`)
	reasonNoFrom         = importers.NewReason("mms-no-from", `no From address (<addr type="137">); sender unknown`)
)

// tooDeepMsg is the message of the syntax error for nesting past maxDepth.
var tooDeepMsg = reasonTooDeep.M("N", maxDepth).String()

// xmlMsg is the message of an encoding/xml syntax error as a Msg: the one for nesting past
// maxDepth translated, the library's own as a literal.
func xmlMsg(msg string) importers.Msg {
	if msg == tooDeepMsg {
		return reasonTooDeep.M("N", maxDepth)
	}
	return importers.Literal(msg)
}

// trailer reports content after </smses> (a second backup appended to the first, say), which
// is not read; comments, processing instructions and white space there are fine.
func (p *parser) trailer() {
	for {
		line := p.line()
		tok, err := p.d.Token()
		if err == io.EOF {
			return
		}
		switch t := tok.(type) {
		case xml.Comment, xml.ProcInst, xml.Directive:
			continue
		case xml.CharData:
			if len(bytes.TrimSpace(t)) == 0 && err == nil {
				continue
			}
		}
		p.sink.Problem(reasonTrailer.M().Problem(fmt.Sprintf("line %d", line)))
		return
	}
}

// maxDepth bounds the nesting of elements inside a record: SB&R nests three deep
// (mms/parts/part). encoding/xml keeps every open element, so a hostile file of millions of
// nested tags would otherwise take memory far out of proportion to its size (30 MB of "<x>"
// took 1 GB); past this depth the record is reported and reading resumes at the next one.
const maxDepth = 64

// tooDeep is the syntax error for nesting past maxDepth, which [parser.fail] recovers from as
// from any XML error.
func (p *parser) tooDeep() error {
	l, _ := p.d.InputPos()
	return &xml.SyntaxError{Msg: tooDeepMsg, Line: l}
}

// skip reads up to the end of the element whose start tag was just read, like
// [xml.Decoder.Skip], but fails past maxDepth.
func (p *parser) skip() error {
	for depth := 1; depth > 0; {
		tok, err := p.d.Token()
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
			if depth > maxDepth {
				return p.tooDeep()
			}
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

// element reads one child of <smses> whose start tag is t, at line.
func (p *parser) element(t xml.StartElement, line int) error {
	var (
		rec importers.Record
		err error
		ws  []importers.Msg
	)
	switch t.Name.Local {
	case "sms":
		p.nSMS++
		p.cur = fmt.Sprintf("/smses/sms[%d] (line %d)", p.nSMS, line)
		if err = p.skip(); err != nil {
			return p.fail(err, p.line())
		}
		rec, ws = p.sms(t.Attr)
	case "mms":
		p.nMMS++
		p.cur = fmt.Sprintf("/smses/mms[%d] (line %d)", p.nMMS, line)
		rec, ws, err = p.mms(t.Attr)
		if err != nil {
			p.dropPending()
			return p.fail(err, p.line())
		}
	default:
		loc := fmt.Sprintf("/smses/%s (line %d)", t.Name.Local, line)
		p.cur = loc
		if err = p.skip(); err != nil {
			return p.fail(err, p.line())
		}
		p.cur = ""
		p.fixesUntil(p.off(), loc)
		p.c.dropMedia(p.off())
		p.sink.Problem(reasonNotMessage.M("Name", t.Name.Local).Problem(loc))
		return nil
	}
	loc := p.cur
	p.cur = ""
	rec.Location = loc
	if err := p.sink.Record(rec); err != nil {
		return fmt.Errorf("smsbackup: %s: %w", loc, err)
	}
	if err := p.deliverMedia(); err != nil {
		return fmt.Errorf("smsbackup: %s: %w", loc, err)
	}
	p.imported++
	for _, w := range ws {
		p.sink.Problem(w.Warning(loc))
	}
	p.fixesUntil(p.off(), loc)
	p.c.dropMedia(p.off())
	s, m := p.c.countMarks(p.off())
	p.marksSMS += s
	p.marksMMS += m
	return nil
}

// line returns the current line of the cleaned stream (the same as the original file's).
func (p *parser) line() int {
	l, _ := p.d.InputPos()
	return p.lineBase + l
}

// off returns the current offset in the cleaned stream.
func (p *parser) off() int64 { return p.base + p.d.InputOffset() }

// fixesUntil reports the cleaner's fixes before offset end as warnings at loc, one per reason
// with a count when a reason repeats.
func (p *parser) fixesUntil(end int64, loc string) {
	var (
		reasons []importers.Msg
		texts   []string
		count   = map[string]int{}
		more    int
	)
	for p.fixesDone < len(p.c.fixes) && p.c.fixes[p.fixesDone].off < end {
		f := p.c.fixes[p.fixesDone]
		text := f.reason.String()
		if count[text] == 0 {
			reasons = append(reasons, f.reason)
			texts = append(texts, text)
		}
		count[text]++
		more += f.more
		p.fixesDone++
	}
	for i, r := range reasons {
		if n := count[texts[i]]; n > 1 {
			r = reasonTimes.M("Reason", r, "N", n)
		}
		if i == len(reasons)-1 && more > 0 {
			r = reasonMore.M("Reason", r, "N", more)
		}
		p.sink.Problem(r.Warning(loc))
	}
	if p.fixesDone == len(p.c.fixes) { // keep memory flat on long files
		p.c.fixes = p.c.fixes[:0]
		p.fixesDone = 0
	}
}

// fail handles a decoder error at line. A truncated file, an error before the root element or
// an error after which no further <sms> or <mms> starts ends the parse with the error returned;
// otherwise the broken element is reported, the parser resumes at the next <sms> or <mms> start
// tag and fail returns nil.
func (p *parser) fail(err error, line int) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		line = p.lineBase + se.Line
	}
	if !p.root {
		if err == io.EOF {
			return &importers.ParseError{Err: reasonNoRoot.M().Wrap(importers.ErrNotFormat)}
		}
		return &importers.ParseError{Line: line, Err: importers.NotFormat(err)}
	}
	loc := fmt.Sprintf("line %d", line)
	if p.cur != "" {
		loc = fmt.Sprintf("%s, line %d", p.cur, line)
	} else if p.root {
		// A start tag broken before the decoder returned it: the cleaner saw which one.
		s, m := p.c.countMarks(p.off())
		p.marksSMS += s
		p.marksMMS += m
		switch {
		case s == 1 && m == 0:
			p.cur = fmt.Sprintf("/smses/sms[%d] (line %d)", p.marksSMS, line)
			loc = p.cur
		case m == 1 && s == 0:
			p.cur = fmt.Sprintf("/smses/mms[%d] (line %d)", p.marksMMS, line)
			loc = p.cur
		}
	}
	truncated := err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) ||
		se != nil && strings.Contains(se.Msg, "unexpected EOF")
	// The error returned names the record at loc, the location of the problem reported for it, so
	// that a caller reporting the error too (the case file) sees the same problem, not a second.
	if !truncated && se == nil { // a read error: nothing to resume from
		perr := &importers.ParseError{Location: loc, Line: line,
			Err: reasonAfter.M("N", p.imported, "Err", err).Wrap(err)}
		p.fixesUntil(p.off()+1, loc)
		p.sink.Problem(importers.ErrMsg(perr.Err).Problem(loc))
		return perr
	}
	if !truncated {
		start := p.off()
		if resumeLine, ok := p.resume(line); ok {
			what := reasonElementSkipped.M()
			if p.cur != "" {
				what = reasonRecordSkipped.M()
			}
			p.fixesUntil(p.base+int64(len(rootTag)), loc)
			reason := reasonXMLResumed.M("Err", xmlMsg(se.Msg), "What", what, "Line", resumeLine)
			if p.c.overLimit(start) {
				reason = importers.TooLong(int(p.c.limit))
			}
			p.c.readPast()
			p.sink.Problem(reason.Problem(loc))
			p.cur = ""
			return nil
		}
		// No record starts after the error and </smses> never comes: one problem says both, so
		// that the broken record is counted once.
		what := reasonXML.M("Err", xmlMsg(se.Msg))
		if p.c.overLimit(start) {
			what = importers.TooLong(int(p.c.limit))
		}
		perr := &importers.ParseError{Location: loc, Line: line,
			Err: reasonWhatAfter.M("What", what, "N", p.imported, "Err", importers.ErrTruncated).Wrap(importers.ErrTruncated)}
		p.fixesUntil(start+1, loc)
		p.sink.Problem(importers.ErrMsg(perr.Err).Problem(loc))
		return perr
	}
	perr := &importers.ParseError{Location: loc, Line: line,
		Err: reasonAfter.M("N", p.imported, "Err", importers.ErrTruncated).Wrap(importers.ErrTruncated)}
	p.fixesUntil(p.off()+1, loc)
	p.sink.Problem(importers.ErrMsg(perr.Err).Problem(loc))
	return perr
}

// rootTag starts the decoder made by resume, which then reads <sms> and <mms> as children.
const rootTag = "<smses>"

// resume skips the cleaned stream to the next "<sms", "<mms" or "</smses" tag and starts a new
// decoder there. It returns the line it resumed at, or false at the end of the stream.
func (p *parser) resume(line int) (int, bool) {
	var w [8]byte // the last bytes read
	for {
		b, err := p.c.ReadByte()
		if err != nil {
			return 0, false
		}
		copy(w[:], w[1:])
		w[7] = b
		tag := ""
		switch {
		case delimiter(b) && (string(w[3:7]) == "<sms" || string(w[3:7]) == "<mms"):
			tag = string(w[3:])
		case string(w[1:]) == "</smses":
			tag = "</smses"
		}
		if tag == "" {
			if b == '\n' {
				line++
			}
			continue
		}
		markerOff := p.c.delivered() - int64(len(tag))
		s, m := p.c.countMarks(markerOff)
		p.marksSMS += s
		p.marksMMS += m
		p.nSMS, p.nMMS = p.marksSMS, p.marksMMS
		p.d = xml.NewDecoder(&prefixed{prefix: []byte(rootTag + tag), c: p.c})
		p.d.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
		p.base = markerOff - int64(len(rootTag))
		p.lineBase = line - 1
		p.resumed = true
		return line, true
	}
}

// prefixed reads prefix, then the cleaner; it is an io.ByteReader so that the decoder reads the
// cleaner without buffering ahead.
type prefixed struct {
	prefix []byte
	c      *cleaner
}

func (r *prefixed) ReadByte() (byte, error) {
	if len(r.prefix) > 0 {
		b := r.prefix[0]
		r.prefix = r.prefix[1:]
		return b, nil
	}
	return r.c.ReadByte()
}

func (r *prefixed) Read(b []byte) (int, error) {
	if len(r.prefix) > 0 {
		n := copy(b, r.prefix)
		r.prefix = r.prefix[n:]
		return n, nil
	}
	return r.c.Read(b)
}

// attrs looks attributes up by name; nearly every attribute is optional.
type attrs []xml.Attr

func (a attrs) get(name string) (string, bool) {
	for _, x := range a {
		if x.Name.Local == name {
			return x.Value, true
		}
	}
	return "", false
}

// value returns the attribute, or "" when it is absent or the string "null".
func (a attrs) value(name string) string {
	v, _ := a.get(name)
	if v == "null" {
		return ""
	}
	return v
}

// extraKeys are the attributes kept in Record.Extra, when present and not "null".
var extraKeys = []string{
	"type", "msg_box", "m_type", "status", "read", "seen", "locked", "protocol",
	"contact_name", "date_sent", "readable_date", "sub_id", "sim_slot", "service_center",
	"subject", "sub", "m_id", "tr_id", "ct_t", "creator", "text_only", "m_size",
}

// usedKeys are the attributes that fill a Record field of their own, so Extra does not repeat them.
var usedKeys = map[string]bool{"address": true, "date": true, "body": true}

// extra returns the attributes in extraKeys and any other attribute a phone maker or converter
// added (Samsung's secret_mode, spam_report, sim_imsi…: the attribute set varies, formats.md
// §3.1), so that no attribute of the file is lost; those in usedKeys and "null" values are left out.
func (a attrs) extra() map[string]string {
	m := map[string]string{}
	for _, k := range extraKeys {
		if v := a.value(k); v != "" {
			m[k] = v
		}
	}
	for _, x := range a {
		k := x.Name.Local
		if x.Name.Space != "" {
			k = x.Name.Space + ":" + k
		}
		if _, done := m[k]; done || usedKeys[k] || x.Value == "null" || x.Value == "" {
			continue
		}
		m[k] = x.Value
	}
	return m
}

// when reads a date attribute: Unix seconds below 10^11, else milliseconds. It returns the
// instant (zero when unusable) and a warning when the value is missing or odd.
func when(a attrs) (time.Time, string, importers.Msg) {
	raw, ok := a.get("date")
	if !ok {
		return time.Time{}, raw, reasonNoDate.M()
	}
	v, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
	if err != nil {
		return time.Time{}, raw, importers.ReasonDateNotNumber.M("Raw", strconv.Quote(raw))
	}
	if v <= 0 {
		return time.Time{}, raw, importers.ReasonDateNotTime.M("Raw", strconv.Quote(raw))
	}
	var t time.Time
	if v < 1e11 {
		t = time.Unix(v, 0).UTC()
	} else {
		t = time.UnixMilli(v).UTC()
	}
	if y := t.Year(); y < 1995 || y > 2100 {
		return t, raw, importers.ReasonDateImplausible.M("Raw", strconv.Quote(raw), "Time", t.Format(time.RFC3339))
	}
	return t, raw, importers.Msg{}
}

func contactName(s string) string {
	if s == "(Unknown)" || s == "null" {
		return ""
	}
	return s
}

func (p *parser) owner() importers.Party {
	if p.opt.Owner == "" {
		return importers.Party{}
	}
	return importers.PhoneParty(p.opt.Owner, "", p.opt.Region)
}

// sms builds the record of an <sms> element from its attributes.
func (p *parser) sms(a attrs) (importers.Record, []importers.Msg) {
	var ws []importers.Msg
	rec := importers.Record{Platform: "sms", Kind: "message", Extra: a.extra()}
	var w importers.Msg
	rec.Time, rec.RawTime, w = when(a)
	if !w.IsZero() {
		ws = append(ws, w)
	}
	rec.Text, _ = a.get("body")
	address, hasAddress := a.get("address")
	party := p.phone(address, contactName(a.value("contact_name")))
	if !hasAddress {
		ws = append(ws, reasonNoAddress.M())
		party = importers.Party{}
	}
	switch typ := a.value("type"); typ {
	case "1":
		rec.Direction = importers.Incoming
		rec.Sender = party
		if o := p.owner(); !o.IsZero() {
			rec.Recipients = []importers.Party{o}
		}
	case "2", "3", "4", "5", "6":
		rec.Direction = importers.Outgoing
		rec.Sender = p.owner()
		switch {
		case strings.Contains(address, "~"): // a group, as in mms@address
			names := groupNames(address, a.value("contact_name"))
			for _, raw := range strings.Split(address, "~") {
				rec.Recipients = append(rec.Recipients, p.phone(raw, names[raw]))
			}
		case !party.IsZero():
			rec.Recipients = []importers.Party{party}
		}
	default:
		rec.Direction = importers.Unknown
		rec.Sender = party
		ws = append(ws, importers.ReasonUnknownType.M("Type", strconv.Quote(typ)))
	}
	return rec, ws
}

// mms reads an <mms> element whose start tag had attributes a, up to its end tag.
func (p *parser) mms(a attrs) (importers.Record, []importers.Msg, error) {
	var ws []importers.Msg
	rec := importers.Record{Platform: "mms", Kind: "message", Extra: a.extra()}
	var w importers.Msg
	rec.Time, rec.RawTime, w = when(a)
	if !w.IsZero() {
		ws = append(ws, w)
	}
	var (
		text     strings.Builder
		from     []string
		to       []string // 151, 130, 129 in document order
		allAddrs []string
	)
	for depth := 1; depth > 0; {
		off := p.off()
		tok, err := p.d.Token()
		if err != nil {
			return rec, nil, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			depth--
		case xml.StartElement:
			depth++
			if depth > maxDepth {
				return rec, nil, p.tooDeep()
			}
			switch t.Name.Local {
			case "part":
				pa := attrs(t.Attr)
				ct := strings.ToLower(strings.TrimSpace(pa.value("ct")))
				if i := strings.IndexByte(ct, ';'); i >= 0 {
					ct = strings.TrimSpace(ct[:i])
				}
				switch {
				case ct == "application/smil":
				case ct == "text/plain":
					s, ok := pa.get("text")
					if !ok || s == "null" {
						s = ""
						switch md := p.partData(pa, off); {
						case !md.present:
						case md.bad:
							ws = append(ws, reasonTextBase64.M())
						case md.small == nil:
							rec.Attachments = append(rec.Attachments, attachment(pa, ct, md))
							p.keepMedia(ct, md)
							ws = append(ws, reasonTextLarge.M("N", md.size))
						default:
							s = string(md.small)
							md.close()
						}
					}
					text.WriteString(s)
				default:
					md := p.partData(pa, off)
					att := attachment(pa, ct, md)
					rec.Attachments = append(rec.Attachments, att)
					p.keepMedia(ct, md)
					if md.bad {
						ws = append(ws, reasonAttBase64.M("Name", strconv.Quote(att.Name)))
					}
				}
			case "addr":
				aa := attrs(t.Attr)
				addr, _ := aa.get("address")
				allAddrs = append(allAddrs, addr)
				switch aa.value("type") {
				case "137":
					from = append(from, addr)
				case "151", "130", "129":
					to = append(to, addr)
					// Recipients has no role: the Cc and Bcc addresses are also kept in Extra,
					// space-separated, as importers/androiddb keeps them.
					if k := ccKeys[aa.value("type")]; k != "" {
						rec.Extra[k] = strings.TrimPrefix(rec.Extra[k]+" "+addr, " ")
					}
				}
			}
		}
	}
	rec.Text = text.String()

	groupAddr, _ := a.get("address")
	rec.Conversation = groupAddr
	names := groupNames(groupAddr, a.value("contact_name"))
	party := func(raw string) importers.Party {
		if raw == "insert-address-token" {
			return p.owner()
		}
		return p.phone(raw, names[raw])
	}
	for _, s := range append(allAddrs, strings.Split(groupAddr, "~")...) {
		if strings.HasSuffix(strings.ToLower(strings.TrimSpace(s)), "rcs.google.com") {
			rec.Platform = "rcs"
		}
	}

	box := a.value("msg_box")
	switch box {
	case "1":
		rec.Direction = importers.Incoming
	case "2", "3", "4", "5", "6":
		rec.Direction = importers.Outgoing
	default:
		switch a.value("m_type") { // 128 send-req, 132 retrieve-conf
		case "128":
			rec.Direction = importers.Outgoing
		case "132":
			rec.Direction = importers.Incoming
		}
	}
	switch {
	case len(from) > 0:
		if from[0] == "insert-address-token" {
			rec.Extra["from"] = from[0]
			if rec.Direction == importers.Unknown {
				rec.Direction = importers.Outgoing
			}
		}
		rec.Sender = party(from[0])
		if len(from) > 1 {
			ws = append(ws, importers.ReasonFromAddresses.M("N", len(from)))
		}
	case rec.Direction == importers.Outgoing:
		rec.Sender = p.owner()
	case groupAddr != "" && !strings.Contains(groupAddr, "~"):
		rec.Sender = party(groupAddr)
		ws = append(ws, reasonNoFromAddr.M())
	default:
		ws = append(ws, reasonNoFrom.M())
	}
	if rec.Direction == importers.Unknown {
		ws = append(ws, importers.ReasonUnknownBox.M("Box", strconv.Quote(box)))
	}
	if len(to) == 0 && rec.Direction == importers.Outgoing && groupAddr != "" {
		to = strings.Split(groupAddr, "~") // no To/Cc/Bcc addresses: the thread's members
	}
	for _, raw := range to {
		if q := party(raw); !q.IsZero() {
			rec.Recipients = append(rec.Recipients, q)
		}
	}
	return rec, ws, nil
}

// ccKeys names the Extra keys of the Cc (130) and Bcc (129) addresses of an MMS.
var ccKeys = map[string]string{"130": "cc", "129": "bcc"}

// groupNames maps each member of a "~"-joined address group to its contact name, when
// contact_name lists as many ", "-joined names.
func groupNames(addr, names string) map[string]string {
	m := map[string]string{}
	names = contactName(names)
	if addr == "" || names == "" {
		return m
	}
	as := strings.Split(addr, "~")
	if len(as) == 1 {
		m[addr] = names
		return m
	}
	ns := strings.Split(names, ", ")
	if len(ns) != len(as) {
		return m
	}
	for i := range as {
		m[as[i]] = ns[i]
	}
	return m
}

// partData returns the data attribute of the <part> whose start tag began at offset off: from
// the cleaner when it took the value out of the stream, else decoded from the attribute.
func (p *parser) partData(a attrs, off int64) media {
	if m, ok := p.c.takeMedia(off); ok {
		return m
	}
	v, ok := a.get("data")
	if !ok {
		return media{}
	}
	return decodeMedia(v, p.opt.Media != nil)
}

// attachment describes a non-text MMS part from its attributes and its data's size and hash.
func attachment(a attrs, ct string, md media) importers.Attachment {
	att := importers.Attachment{MIME: ct}
	for _, k := range []string{"name", "fn", "cl"} {
		if v := a.value(k); v != "" {
			att.Name = v
			break
		}
	}
	if md.present && !md.bad {
		att.Size, att.SHA256 = md.size, md.sha256
	}
	return att
}
