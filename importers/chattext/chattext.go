// Package chattext reads the plain-text chat exports of WhatsApp ("Export chat", Android and iOS,
// every locale layout seen) and the Signal-export text style ("[2019-12-24, 12:23] Jane Doe: …").
//
// Each line that starts with a timestamp opens a message; the lines after it that do not are its
// continuation, joined with "\n" (blank lines at the end of a message are dropped, so that the
// same message in two overlapping exports is recognised as one). The sender is what comes before
// the first ": " after the timestamp; a line with no sender ("You were added", "+33 6… created
// group …") is a system entry (Kind "system"), stored but not a raid message; so is an iOS notice,
// whose text starts with U+200E. Attachment markers (`<attached: …>`, `… (file attached)`,
// `<Media omitted>`, iOS `image omitted`) become [importers.Attachment]s; the marker itself is kept
// in Extra["attachment"] and the caption, if any, is the Text. Sender names that are phone numbers
// get their E.164 form; Direction is outgoing when the sender is Options.Owner.
//
// Lines end with a line feed, a carriage return and line feed, or, in a file with no line feed
// at all (an old Mac text file), a carriage return alone, with a warning; in a file with line
// feeds, a carriage return alone is part of the text. A file cut short inside the timestamp of
// its last line has that line reported as a truncated record, not joined to the message before.
//
// Times in these exports are local and carry no zone: the case's zone (Options.Location) is
// applied, Record.TimeZone names it and Record.RawTime keeps the timestamp exactly as written.
// Day and month order is not written either (a four-digit first field is a year: year, month,
// day). It comes from Options.DateOrder, else from the whole file: a first field above 12 means
// day first, a second field above 12 means month first. When
// nothing in the file settles it, dates are read day first and one warning (location "file") says
// so, so that the user can re-import with the order set. Because the order must be known before
// the first time is computed, Read keeps the parsed messages of a file in memory (about the size
// of the file; WhatsApp exports are at most a few tens of MB) and sends them once the file is read.
//
// The package only reads: it never writes files, opens no network connection and imports no GUI.
package chattext

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"raidtrace/importers"
	"raidtrace/importers/internal/lineend"
)

// Format is the chat text export format for detection and the case file.
var Format = importers.StreamFormat("chattext", "WhatsApp or Signal chat text export", Sniff, Read)

// sp is any space an export puts in a timestamp: ASCII, no-break (U+00A0), narrow no-break (U+202F).
const sp = `[ \t\x{00A0}\x{202F}]`

// header matches a line that opens a message. Groups: 1 "[", 2 the timestamp text, 3-5 the three
// date fields, 6-8 hour, minute, second, 9 the a/p of AM/PM, 10 the rest of the line.
var header = regexp.MustCompile(`^[\x{200E}\x{200F}\x{202A}-\x{202E}\x{FEFF}]*(\[)?` +
	`((\d{1,4})[-/.]` + sp + `?(\d{1,2})[-/.]` + sp + `?(\d{1,4})\.?,?` + sp + `+(?:[^\d\s\[\]]{1,4}` + sp + `+)?` +
	`(\d{1,2})[.:](\d{2})(?:[.:](\d{2}))?(?:` + sp + `*([aApP])\.?` + sp + `?[mM]\.?)?)` +
	`(?:\]` + sp + `*|` + sp + `+[-–]` + sp + `+)(.*)$`)

// entry is one message as read in the first pass, or a line that could not be read.
type entry struct {
	line    int
	fields  [3]string // date fields as written
	clock   [3]int    // hour, minute, second
	ampm    byte      // 'a', 'p' or 0
	raw     string    // timestamp text
	signal  bool
	rest    string        // the header line after the timestamp
	more    []string      // continuation lines
	problem importers.Msg // set for a skipped line
}

// Read parses a chat text export, sending one record per message and system line ("line N" is the
// line its timestamp is on) once the whole stream has been read. Text before the first timestamp
// (a preamble, which [Sniff] tolerates) is reported and skipped, one problem per non-blank line. If reading fails, the messages before the failure are sent and the
// error, naming the line, is returned.
func Read(ctx context.Context, r io.Reader, opt importers.Options, sink importers.Sink) error {
	opt = opt.WithDefaults()
	entries, cr, readErr := scan(ctx, r, opt.RecordLimit())
	if err := ctx.Err(); err != nil {
		return err
	}
	if cr {
		sink.Problem(CRProblem)
	}
	order, warning := dateOrder(entries, opt.DateOrder)
	if !warning.IsZero() {
		p := warning.Warning("file")
		if warning.Key == reasonAmbiguous.Key() {
			p.Code = importers.CodeAmbiguousDateOrder
		}
		sink.Problem(p)
	}
	ph := importers.NewPhones(opt.Region)
	owner := ph.E164(opt.Owner)
	for i := range entries {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		e := &entries[i]
		if !e.problem.IsZero() {
			sink.Problem(e.problem.Problem(fmt.Sprintf("line %d", e.line)))
			continue
		}
		if !utf8.ValidString(e.rest) || slices.ContainsFunc(e.more, func(s string) bool { return !utf8.ValidString(s) }) {
			sink.Problem(importers.InvalidUTF8.Warning(fmt.Sprintf("line %d", e.line)))
		}
		if err := sink.Record(e.record(order, opt, ph, owner, sink)); err != nil {
			return err
		}
	}
	return readErr // a read error after the messages before it
}

// CRProblem is the warning [Read] reports, on line 1, for a file whose lines end with a carriage
// return alone.
var CRProblem = importers.NewReason("chat-cr-line-ends",
	"the file ends its lines with a carriage return alone (old Mac text file): each was read as a line end").M().Warning("line 1")

var (
	// truncated is the reason of the problem for a last line cut inside its timestamp.
	truncated = importers.NewReason("chat-truncated-timestamp",
		"truncated record: the file ends inside this message's timestamp (no sender, no text): it was cut short; skipped").M()
	reasonPreamble  = importers.NewReason("chat-preamble", "skipped: text before the first message (no timestamp)")
	reasonRead      = importers.NewReason("read", "read: {{.Err}}")
	reasonBadTime   = importers.NewReason("chat-bad-timestamp", "timestamp {{.Raw}}: {{.Err}}; message kept without a time")
	reasonContrary  = importers.NewReason("date-order-contradiction", "day/month order: some dates have a first field above 12 and others a second field above 12; read as day/month/year (re-import with the date order set if this is wrong)")
	reasonAmbiguous = importers.NewReason("date-order-ambiguous", "day/month order is ambiguous: no date in the file has a field above 12; read as day/month/year (re-import with the date order set to MDY if the export is month first)")
)

// crOnly reports whether head, a file's first bytes, is a text with carriage return line ends:
// it has carriage returns and no line feed. In a file with line feeds, a carriage return alone
// is part of a message's text.
func crOnly(head []byte) bool {
	return bytes.IndexByte(head, '\r') >= 0 && bytes.IndexByte(head, '\n') < 0
}

// scan is the first pass: it splits the stream into entries. cr is set when the file ends its
// lines with carriage returns alone ([crOnly] of its first 64 KiB), which are then read as line
// ends, as line feeds still are.
// A line longer than limit bytes is skipped unread and reported as an entry of its own; the
// lines after it that continue its message are reported with it. A last line without a line end
// that is a timestamp cut short ([partialHeader]) is reported, not joined to the message before it.
func scan(ctx context.Context, r io.Reader, limit int) (entries []entry, cr bool, err error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if head, _ := br.Peek(64 << 10); crOnly(head) {
		br, cr = bufio.NewReaderSize(lineend.NewReader(br), 64<<10), true
	}
	var buf []byte
	cur := -1 // index of the message continuation lines belong to
	for n := 1; ; n++ {
		b, tooLong, err := importers.ReadLine(br, buf[:0], limit)
		buf = b
		if err != nil && err != io.EOF {
			return entries, cr, &importers.ParseError{Line: n, Err: reasonRead.M("Err", err).Wrap(err)}
		}
		if len(b) == 0 && !tooLong && err == io.EOF {
			return entries, cr, nil
		}
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, cr, err
			}
		}
		if tooLong {
			// Whether it opens a message or continues one cannot be told without reading it:
			// the lines after it stay with the message before it.
			entries = append(entries, entry{line: n, problem: importers.TooLong(limit)})
			if err == io.EOF {
				return entries, cr, nil
			}
			continue
		}
		s := string(b)
		if n == 1 {
			s = strings.TrimPrefix(s, "\ufeff")
		}
		e, ok := parseHeader(s)
		switch {
		case err == io.EOF && (ok && strings.TrimSpace(e.rest) == "" || !ok && partialHeader(s)):
			// The last line, without its line end, is a timestamp cut short.
			entries = append(entries, entry{line: n, problem: truncated})
		case ok:
			e.line = n
			entries = append(entries, e)
			cur = len(entries) - 1
		case cur >= 0:
			entries[cur].more = append(entries[cur].more, s)
		case strings.TrimSpace(s) != "":
			entries = append(entries, entry{line: n, problem: reasonPreamble.M()})
		}
		if err == io.EOF {
			return entries, cr, nil
		}
	}
}

// partial matches the start of a message-opening line cut short after its date: the date, then
// nothing but what a timestamp holds (a time, perhaps cut, its AM/PM, a word such as "à" before
// it, the separator before the sender).
var partial = regexp.MustCompile(`^[\x{200E}\x{200F}\x{202A}-\x{202E}\x{FEFF}]*\[?` +
	`\d{1,4}[-/.]` + sp + `?\d{1,2}[-/.]` + sp + `?\d{1,4}` +
	`(?:\.?,?` + sp + `+(?:[^\d\s\[\]]{1,4}` + sp + `+)?\d[\d.:]*(?:` + sp + `*[aApP]\.?` + sp + `?(?:[mM]\.?)?)?` + sp + `*[-–\]]?)?` +
	`\.?,?` + sp + `*$`)

// partialHeader reports whether s, which [parseHeader] does not read, is a message-opening line
// cut short inside its timestamp.
func partialHeader(s string) bool {
	return len(s) <= headerPrefix && partial.MatchString(s)
}

// headerPrefix is how many bytes of a line the header regexp sees: far more than the longest
// timestamp with its marks and separators.
const headerPrefix = 256

// parseHeader reads a message-opening line.
func parseHeader(s string) (entry, bool) {
	if !mayOpen(s) {
		return entry{}, false
	}
	// The timestamp sits in the first bytes: match a prefix, so that a very long line costs no
	// regexp time over its whole length.
	head := s
	if len(head) > headerPrefix {
		n := headerPrefix
		for n > 0 && !utf8.RuneStart(head[n]) {
			n--
		}
		head = head[:n]
	}
	ix := header.FindStringSubmatchIndex(head)
	if ix == nil {
		return entry{}, false
	}
	ix[21] = len(s) // the rest runs to the end of the whole line
	m := make([]string, len(ix)/2)
	for i := range m {
		if ix[2*i] >= 0 {
			m[i] = s[ix[2*i]:ix[2*i+1]]
		}
	}
	bracket := m[1] != ""
	closed := strings.Contains(s[ix[5]:ix[20]], "]") // between the timestamp and the rest
	if bracket != closed {
		return entry{}, false
	}
	e := entry{fields: [3]string{m[3], m[4], m[5]}, raw: m[2], rest: m[10]}
	e.clock[0], _ = strconv.Atoi(m[6])
	e.clock[1], _ = strconv.Atoi(m[7])
	if m[8] != "" {
		e.clock[2], _ = strconv.Atoi(m[8])
	}
	if m[9] != "" {
		e.ampm = m[9][0] | 0x20
	}
	e.signal = bracket && len(m[3]) == 4 && strings.Contains(m[2][:len(m[3])+1], "-")
	return e, true
}

// mayOpen is a cheap test that rules out most continuation lines before the regexp.
func mayOpen(s string) bool {
	for _, r := range s {
		switch {
		case r == '\u200e' || r == '\u200f' || r == '\ufeff' || (r >= '\u202a' && r <= '\u202e'):
			continue
		case r == '[' || (r >= '0' && r <= '9'):
			return true
		}
		return false
	}
	return false
}

// dateOrder settles day/month order: the option, else the file. warning is set when the file does
// not settle it.
func dateOrder(entries []entry, opt string) (order string, warning importers.Msg) {
	if o := strings.ToUpper(opt); o == "DMY" || o == "MDY" || o == "YMD" {
		return o, importers.Msg{}
	}
	var dayFirst, monthFirst, ambiguous bool
	for i := range entries {
		e := &entries[i]
		if !e.problem.IsZero() || len(e.fields[0]) == 4 {
			continue
		}
		a, _ := strconv.Atoi(e.fields[0])
		b, _ := strconv.Atoi(e.fields[1])
		switch {
		case a > 12:
			dayFirst = true
		case b > 12:
			monthFirst = true
		case a != b:
			ambiguous = true
		}
	}
	switch {
	case dayFirst && monthFirst:
		return "DMY", reasonContrary.M()
	case monthFirst:
		return "MDY", importers.Msg{}
	case !dayFirst && ambiguous:
		return "DMY", reasonAmbiguous.M()
	}
	return "DMY", importers.Msg{}
}

// record builds the record of a message entry; an impossible date is a warning.
// owner is opt.Owner in E.164, "" when it is not a number.
func (e *entry) record(order string, opt importers.Options, ph *importers.Phones, owner string, sink importers.Sink) importers.Record {
	loc := fmt.Sprintf("line %d", e.line)
	rec := importers.Record{Location: loc, Platform: "whatsapp", RawTime: e.raw, Kind: "message"}
	if e.signal {
		rec.Platform = "signal"
	}
	if t, err := e.time(order, opt.Location); err != nil {
		sink.Problem(reasonBadTime.M("Raw", strconv.Quote(e.raw), "Err", err).Warning(loc))
	} else {
		rec.Time = t
		rec.TimeZone = opt.Location.String()
	}
	sender, text, ok := splitSender(e.rest)
	more := e.more
	for len(more) > 0 && strings.TrimSpace(more[len(more)-1]) == "" {
		more = more[:len(more)-1] // blank lines before the next message or the end of the file
	}
	if len(more) > 0 {
		text += "\n" + strings.Join(more, "\n")
	}
	if !ok {
		rec.Kind = "system"
		rec.Text = text
		return rec
	}
	name := strings.TrimSpace(strings.Trim(sender, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))
	rec.Sender = importers.Party{Raw: sender, Name: name}
	if name != "" && (name[0] == '+' || (name[0] >= '0' && name[0] <= '9')) {
		rec.Sender.E164 = ph.E164(name)
	}
	rec.Direction = importers.Incoming
	if opt.Owner != "" && (name == opt.Owner || (rec.Sender.E164 != "" && rec.Sender.E164 == owner)) {
		rec.Direction = importers.Outgoing
	}
	if a, marker, caption, ok := attachment(text); ok {
		rec.Attachments = []importers.Attachment{a}
		rec.Extra = map[string]string{"attachment": marker}
		text = caption
	} else if strings.HasPrefix(text, "\u200e") {
		rec.Kind = "system" // iOS marks notices inside a chat ("‎Messages and calls are end-to-end encrypted.")
	}
	rec.Text = text
	return rec
}

var errDate = importers.NewReason("bad-date-time", "not a valid date and time").M().Wrap(nil)

// time computes the instant of the entry's timestamp in loc.
func (e *entry) time(order string, loc *time.Location) (time.Time, error) {
	f := [3]int{}
	for i, s := range e.fields {
		f[i], _ = strconv.Atoi(s)
	}
	var y, mo, d int
	switch {
	case len(e.fields[0]) == 4 || order == "YMD":
		y, mo, d = f[0], f[1], f[2]
	case order == "MDY":
		mo, d, y = f[0], f[1], f[2]
	default:
		d, mo, y = f[0], f[1], f[2]
	}
	if y < 100 {
		y += 2000
	}
	h, mi, s := e.clock[0], e.clock[1], e.clock[2]
	switch e.ampm {
	case 'p':
		if h > 12 {
			return time.Time{}, errDate
		}
		if h < 12 {
			h += 12
		}
	case 'a':
		if h > 12 {
			return time.Time{}, errDate
		}
		if h == 12 {
			h = 0
		}
	}
	if mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59 {
		return time.Time{}, errDate
	}
	t := time.Date(y, time.Month(mo), d, h, mi, s, 0, loc)
	if t.Day() != d { // 31/02
		return time.Time{}, errDate
	}
	return t.UTC(), nil
}

// splitSender splits "Name: text" on the first ": ". A rest without a sender is a system line.
func splitSender(rest string) (sender, text string, ok bool) {
	if i := strings.Index(rest, ": "); i > 0 && !strings.ContainsAny(rest[:i], "\"“”«»") {
		return rest[:i], rest[i+2:], true
	}
	// "John Doe:" and "John Doe:." (an empty or one-word message with no space after the colon)
	if i := strings.IndexByte(rest, ':'); i > 0 && !strings.ContainsAny(rest[:i], "\"“”«»") &&
		(i == len(rest)-1 || rest[i+1] < '0' || rest[i+1] > '9') && !strings.Contains(rest[i+1:], " ") {
		return rest[:i], rest[i+1:], true
	}
	return "", rest, false
}

var (
	attachedTag  = regexp.MustCompile(`^<attached: ([^>]*)>$`)
	fileAttached = regexp.MustCompile(`^(.+?) \((?:file attached|Datei angehängt|fichier joint|archivo adjunto|arquivo anexado|file allegato|bestand bijgevoegd)\)$`)
	omitted      = regexp.MustCompile(`^(?:<(?:Media omitted|Médias omis|Multimedia omitido|Medien ausgeschlossen|Media weggelaten|Mídia oculta|Media omessi)>|(?:image|video|audio|sticker|GIF|document|Contact card) omitted|(?:image|vidéo|audio|autocollant|GIF|document) absent(?:e)?)$`)
)

// maxMarker bounds an attachment marker line: a file name (255 bytes at most on phones) and the
// words around it.
const maxMarker = 1024

// attachment recognises an attachment marker on the first line of text; caption is what follows.
func attachment(text string) (a importers.Attachment, marker, caption string, ok bool) {
	first, rest, _ := strings.Cut(text, "\n")
	t := strings.TrimSpace(strings.TrimLeft(first, "\u200e\u200f"))
	if len(t) > maxMarker {
		return importers.Attachment{}, "", "", false // a long text, not a file-name marker
	}
	if m := attachedTag.FindStringSubmatch(t); m != nil {
		return importers.Attachment{Name: m[1]}, first, rest, true
	}
	if m := fileAttached.FindStringSubmatch(t); m != nil {
		return importers.Attachment{Name: m[1]}, first, rest, true
	}
	if omitted.MatchString(t) {
		return importers.Attachment{}, first, rest, true
	}
	return importers.Attachment{}, "", "", false
}

// sniffLines is how many non-blank lines at the head of a file Sniff looks at.
const sniffLines = 20

// Sniff claims a file whose first lines are those of a chat export. Of the first [sniffLines]
// non-blank lines of head, some open a message; the lines before the first of them are a
// preamble (a title or a note pasted on top, which Read reports and skips). The file is claimed
// when at least one line opens a message and those lines are at least as many as the preamble's,
// or number three or more: a file whose first non-blank line opens a message is claimed; a page
// of prose with one dated line in it is not.
func Sniff(head []byte, _ string) bool {
	head = bytes.TrimPrefix(head, []byte("\ufeff"))
	if crOnly(head) {
		head = lineend.Convert(head)
	}
	preamble, headers := 0, 0
	for n := 0; len(head) > 0 && n < sniffLines; {
		line, rest, _ := bytes.Cut(head, []byte("\n"))
		head = rest
		s := strings.TrimRight(string(line), "\r")
		if strings.TrimSpace(s) == "" {
			continue
		}
		n++
		switch _, ok := parseHeader(s); {
		case ok:
			headers++
		case headers == 0:
			preamble++
		}
	}
	return headers > 0 && (headers >= preamble || headers >= 3)
}
