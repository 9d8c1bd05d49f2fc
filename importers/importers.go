// Package importers defines what every import format produces: records with provenance, problems
// with a location, and the Format descriptor that detection and the case file use.
//
// Each format lives in its own subpackage (importers/smsbackup, importers/twilio, …). A format
// parses a stream (an [io.Reader]) or, for databases and ZIP archives, a path; it sends each
// [Record] it decodes to a [Sink] and reports each record it cannot decode as a [Problem] with its
// location, then carries on. Nothing is dropped silently: every record in a file ends up either as
// a Record or as a Problem.
//
// A problem's reason, and the text of a [ParseError], is a [Msg]: a registered [Reason] (a stable
// key and its English template, see [NewReason]) with arguments. Its English text is the
// Problem's Reason, what logs, the command line's --json output and the case file keep; the GUI
// and the command line show the Msg in the reader's language from the translations they hold
// (assets/translations, "reason.KEY"), so that this package and its subpackages know no language
// but English and no UI. A format reports a problem with [Msg.Problem] or [Msg.Warning] and an
// error with [Msg.Wrap], never with a bare string.
//
// This package and its subpackages do no writing: they never modify, move or create the files they
// read; the only files they create are the temporary copies of a database and its write-ahead log
// that importers/sqliteread makes to read the log, and the temporary files importers/smsbackup
// decodes large attachments to when [Options.Media] is set, removed when the import ends. They
// open no network connection and they import no GUI code. Storing records is the case file's job
// (app/casefile).
package importers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// Direction says whether the case owner received or sent a message.
type Direction string

const (
	Incoming Direction = "in"  // received by the case owner (the victim or the service)
	Outgoing Direction = "out" // sent by the case owner; kept and marked, never clustered as raid
	Unknown  Direction = ""    // the source does not say
)

// Party is a sender or recipient as the source names it, plus what can be derived from that.
type Party struct {
	Raw    string `json:"raw,omitempty"`    // exactly as the source gives it
	E164   string `json:"e164,omitempty"`   // phone number in E.164 when Raw is one
	Handle string `json:"handle,omitempty"` // platform username without "@" (X, Telegram)
	Name   string `json:"name,omitempty"`   // display or contact name
	ID     string `json:"id,omitempty"`     // platform account id (numeric ids kept as strings)
}

// Key is the identifier analysis groups senders by: E.164, else the platform id, else the handle,
// else the raw value, else the name.
func (p Party) Key() string {
	for _, s := range []string{p.E164, p.ID, strings.ToLower(p.Handle), p.Raw, p.Name} {
		if s != "" {
			return s
		}
	}
	return ""
}

// IsZero reports whether nothing is known about the party.
func (p Party) IsZero() bool { return p == Party{} }

// Attachment is a file attached to a message. SHA256 is set when the bytes were available.
type Attachment struct {
	Name   string `json:"name,omitempty"`
	MIME   string `json:"mime,omitempty"`
	Size   int64  `json:"size,omitempty"`
	SHA256 string `json:"sha256,omitempty"`
}

// Record is one message (or message-like entry, such as a donation) decoded from a source.
type Record struct {
	// Location is where the record sits in its source: "line 12", "/smses/sms[3]",
	// "data/tweets.js#/0/tweet", "message ROWID 42". It is enough to find the record again by hand.
	Location string `json:"location"`
	// Platform names the channel: "sms", "mms", "rcs", "x", "x-dm", "whatsapp", "signal",
	// "imessage", "twilio", "donation", …
	Platform     string `json:"platform"`
	PlatformID   string `json:"platform_id,omitempty"`  // the source's own id for the message
	Conversation string `json:"conversation,omitempty"` // thread or conversation id when given
	// Time is the instant in UTC; zero when the source gives none. RawTime is the value exactly as
	// written in the source, kept as evidence. TimeZone names the zone applied when the source
	// gives local times (WhatsApp exports); empty when the source time was absolute.
	Time        time.Time    `json:"time"`
	RawTime     string       `json:"raw_time,omitempty"`
	TimeZone    string       `json:"time_zone,omitempty"`
	Sender      Party        `json:"sender"`
	Recipients  []Party      `json:"recipients,omitempty"`
	Direction   Direction    `json:"direction"`
	Text        string       `json:"text"` // verbatim, after only the format's own unescaping
	Attachments []Attachment `json:"attachments,omitempty"`
	// Kind is "message" unless the entry is something else analysed like a message ("donation",
	// "reaction"); reactions are stored but not clustered.
	Kind string `json:"kind,omitempty"`
	// Extra holds format fields worth keeping that have no column of their own (status, amount,
	// contact_name, reply-to ids…). Keys are the source's own names.
	Extra map[string]string `json:"extra,omitempty"`
}

// Hash identifies a record independently of the file it came from, so that importing an
// overlapping export recognises the records already in the case. It covers the platform, the
// platform id, the sender, the instant (ms), the direction, the kind and the text.
func (r *Record) Hash() string {
	h := sha256.New()
	field := func(s string) {
		io.WriteString(h, strconv.Itoa(len(s)))
		io.WriteString(h, ":")
		io.WriteString(h, s)
	}
	field(r.Platform)
	field(r.PlatformID)
	field(r.Sender.Key())
	if r.Time.IsZero() {
		field(r.RawTime)
	} else {
		field(strconv.FormatInt(r.Time.UnixMilli(), 10))
	}
	field(string(r.Direction))
	field(r.Kind)
	field(r.Text)
	return hex.EncodeToString(h.Sum(nil))
}

// Problem is a record that could not be imported, or a warning about one that was.
type Problem struct {
	Location string `json:"location"`
	Reason   string `json:"reason"`
	// Warning is true when the record was imported anyway (a lone surrogate replaced, an unknown
	// date) and false when the record was skipped.
	Warning bool `json:"warning,omitempty"`
	// Code, when set, names the kind of problem for a program to act on (the GUI asks the user
	// about [CodeAmbiguousDateOrder]); Reason stays the text for people.
	Code string `json:"code,omitempty"`
	// Msg is Reason as a key and arguments, for the GUI and the command line to show in the
	// reader's language ([Problem.Text]); Reason is its English text. Parsers build problems
	// with [Msg.Problem] and [Msg.Warning], which set both. Nil in problems stored by earlier
	// versions.
	Msg *Msg `json:"msg,omitempty"`
}

// CodeAmbiguousDateOrder is the Code of the one warning a format that infers day/month order
// from the whole file (importers/chattext, importers/csvmap) reports when nothing in the file
// settles it: the dates were read day first, and Options.DateOrder changes that.
const CodeAmbiguousDateOrder = "ambiguous-date-order"

func (p Problem) String() string { return p.Location + ": " + p.Reason }

// Sink receives what a parser decodes, in file order. Record returning an error stops the parse
// with that error (the case file uses it for cancellation and write failures).
type Sink interface {
	Record(Record) error
	Problem(Problem)
}

// ParseError is a positional error, like encoding/csv's: where in the file and why.
type ParseError struct {
	File     string // file name or archive member, when known
	Location string // as in Record.Location, when not a plain line
	Line     int    // 1-based, 0 when not line oriented
	Column   int    // 1-based, 0 when unknown
	Err      error
}

func (e *ParseError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	switch {
	case e.Location != "":
		b.WriteString(e.Location)
	case e.Line > 0 && e.Column > 0:
		fmt.Fprintf(&b, "line %d, column %d", e.Line, e.Column)
	case e.Line > 0:
		fmt.Fprintf(&b, "line %d", e.Line)
	default:
		b.WriteString("start of file")
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *ParseError) Unwrap() error { return e.Err }

// InvalidUTF8 is the reason of the warning a parser reports for a record whose bytes are not
// valid UTF-8 (a file mixing encodings, or damaged): the record is kept, with its bad bytes as
// they are (or as U+FFFD where the format's decoder, such as encoding/json, replaces them).
var InvalidUTF8 = NewReason("invalid-utf8", "invalid UTF-8 bytes in this record (a file mixing encodings, or damaged); kept as read").M()

// Errors a parser reports; match them with errors.Is. Both are *[Error]s, so that their text
// can be translated.
var (
	ErrTruncated error = &Error{Msg: NewReason("truncated", "file ends in the middle of a record (truncated)").M()}
	ErrNotFormat error = &Error{Msg: NewReason("not-format", "not this format").M()}
)

// Options carry the case settings some formats need.
type Options struct {
	// Region is the default phone region for numbers without a country code (ISO 3166, "FR").
	Region string
	// Location is the case's time zone, applied to formats that store local times.
	Location *time.Location
	// DateOrder settles day/month order for formats that do not say: "DMY", "MDY", "YMD", or
	// "" to infer it from the file (an ambiguous file is then reported as a problem).
	DateOrder string
	// Owner identifies the case owner's own account or number when the source cannot
	// (e.g. the victim's phone number in a gateway log); optional.
	Owner string
	// Columns maps roles (time, sender, text, recipient, name, amount, id, direction) to CSV
	// header names for the generic CSV format; TimeLayout is a Go time layout for its time column.
	Columns    map[string]string
	TimeLayout string
	// Progress, when set, is called with bytes read so far and the total size (0 if unknown).
	// Calls may be frequent; the receiver throttles.
	Progress func(done, total int64)
	// MaxRecord is the longest record, in bytes, a parser holds in memory (a line of chat text or
	// JSON lines, a CSV row, an SMS Backup & Restore message's text); a longer one is reported as
	// a problem ([TooLong]) and skipped. 0 means [DefaultMaxRecord]. See [Options.RecordLimit].
	MaxRecord int
	// Media, when set, is called once per attachment whose bytes the source holds (the base64
	// data of an SMS Backup & Restore MMS part), with its SHA-256 (lower-case hex, as in
	// [Attachment.SHA256]), its MIME type as the source gives it (may be empty) and a reader of
	// the decoded bytes, valid only during the call. It is called while reading, after the
	// record carrying the attachment was sent to the sink; an error it returns stops the parse
	// with that error. Formats that hold no attachment bytes never call it; nil means not called.
	Media func(sha256, mime string, r io.Reader) error
}

// WithDefaults returns o with Region "FR" and Location UTC where they are unset.
func (o Options) WithDefaults() Options {
	if o.Region == "" {
		o.Region = "FR"
	}
	if o.Location == nil {
		o.Location = time.UTC
	}
	return o
}

// Format describes one import format to detection and to the case file.
type Format struct {
	ID   string // stable identifier stored in the case: "smsbackup", "twilio-json", …
	Name string // human-readable name, in English; the GUI translates by ID
	// Sniff reports whether a file whose first bytes are head (up to 64 KiB) and whose base name is
	// name is of this format. Content decides; the name only breaks ties (e.g. ".zip").
	// For a directory (an unzipped archive), detection calls Sniff with head == nil and the
	// directory's base name; formats that cannot be a directory return false.
	Sniff func(head []byte, name string) bool
	// Probe, when set, confirms a Sniff match by opening the file; used for databases, whose
	// first bytes (the SQLite header) cannot tell one schema from another. Detection calls it
	// only after Sniff returned true, and treats false as "not this format". It must not write.
	Probe func(path string) bool
	// Import parses the file at path, sending records and problems to sink.
	Import func(ctx context.Context, path string, opt Options, sink Sink) error
	// Read parses the format from a stream, for formats built with [StreamFormat]; nil for
	// formats that need a path (databases). Detection uses it to import ZIP members in place.
	// Callers pass opt.WithDefaults().
	Read func(ctx context.Context, r io.Reader, opt Options, sink Sink) error
}

// StreamFormat builds a Format for a parser that reads a stream: Import opens the path, reports
// read progress through opt.Progress and calls read. Sniff, Read and Import decode a UTF-16 file
// to UTF-8 first, so sniff and read see UTF-8 only.
func StreamFormat(id, name string, sniff func(head []byte, name string) bool,
	read func(ctx context.Context, r io.Reader, opt Options, sink Sink) error) Format {
	// Files in UTF-16 are decoded to UTF-8 before sniffing and parsing (see [UTF8Reader]).
	read16 := func(ctx context.Context, r io.Reader, opt Options, sink Sink) error {
		return read(ctx, UTF8Reader(r), opt, sink)
	}
	sniff16 := func(head []byte, name string) bool { return sniff(UTF8Head(head), name) }
	return Format{ID: id, Name: name, Sniff: sniff16, Read: read16,
		Import: func(ctx context.Context, path string, opt Options, sink Sink) error {
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			defer f.Close()
			var r io.Reader = f
			if opt.Progress != nil {
				var total int64
				if st, err := f.Stat(); err == nil {
					total = st.Size()
				}
				r = &progressReader{r: f, total: total, fn: opt.Progress}
			}
			return read16(ctx, r, opt.WithDefaults(), sink)
		}}
}

type progressReader struct {
	r     io.Reader
	done  int64
	total int64
	fn    func(done, total int64)
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.done += int64(n)
	p.fn(p.done, p.total)
	return n, err
}

// Collector is a Sink that keeps everything in memory, for tests and small files.
type Collector struct {
	Records  []Record
	Problems []Problem
}

func (c *Collector) Record(r Record) error { c.Records = append(c.Records, r); return nil }
func (c *Collector) Problem(p Problem)     { c.Problems = append(c.Problems, p) }

var reasonTruncatedDetail = NewReason("truncated-detail", "file ends in the middle of a record (truncated): {{.Detail}}")

// Truncated returns an error wrapping [ErrTruncated] whose text is ErrTruncated's followed by
// detail, a [Msg] or an error (which the result wraps too).
func Truncated(detail any) error {
	if err, ok := detail.(error); ok {
		return reasonTruncatedDetail.M("Detail", err).Wrap(errors.Join(ErrTruncated, err))
	}
	return reasonTruncatedDetail.M("Detail", detail).Wrap(ErrTruncated)
}

var reasonNotFormatDetail = NewReason("not-format-detail", "{{.Err}}: not this format")

// NotFormat returns an error wrapping err and [ErrNotFormat] whose text is err's followed by
// ErrNotFormat's.
func NotFormat(err error) error {
	return reasonNotFormatDetail.M("Err", err).Wrap(errors.Join(err, ErrNotFormat))
}

// Reasons the message databases and backups share (importers/smsbackup, importers/androiddb,
// importers/applemessages).
var (
	ReasonDateNotNumber   = NewReason("sms-date-nan", "date {{.Raw}} is not a number; time unknown")
	ReasonDateNotTime     = NewReason("sms-date-not-time", "date {{.Raw}} is not a time; time unknown")
	ReasonDateImplausible = NewReason("sms-date-implausible", "date {{.Raw}} reads as {{.Time}}, which is implausible")
	ReasonUnknownType     = NewReason("sms-type", "type {{.Type}} is not a known message box; direction unknown, address taken as sender")
	ReasonUnknownBox      = NewReason("mms-box", "msg_box {{.Box}} is not a known message box; direction unknown")
	ReasonFromAddresses   = NewReason("mms-froms", "{{.N}} From addresses; the first is taken as sender")
)
