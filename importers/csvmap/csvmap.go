// Package csvmap reads any delimited text file with a header row, given which column holds the
// time, the sender, the text and so on, so that message logs with no importer of their own can
// be analysed: gateway logs from Plivo or Vonage, spreadsheets an advocate kept, and crowdfunding
// contribution lists, where bot-like donation rhythms and duplicated names are analysed like
// messages.
//
// # Mapping
//
// Options.Columns maps roles to header names: time, sender, text, recipient, name, id, direction,
// amount, currency, plus platform (a column naming the channel, such as Plivo's message_type),
// conversation and first_name (put before the name when a list splits "Prénom" and "Nom"). Header names match exactly, else
// ignoring case, spaces (also non-breaking ones), underscores, hyphens, quotes and accents; a
// header whose quoted names have spaces around them ("From" ; "To") is split again by hand.
// Without Options.Columns the header must be one of the [Presets], recognised by [DetectPreset].
// Columns the mapping does not use are kept in Record.Extra under their header name, so nothing in
// a row is lost (a repeated or empty header name gets "#N", N the column number, appended).
//
// # Times
//
// Options.TimeLayout is a Go layout; when empty, RFC 3339, "2006-01-02 15:04:05", "02/01/2006 15:04"
// (day and month in either order, see below), a few neighbours of these, and Unix epoch seconds or
// milliseconds are tried. A value without a zone is read in Options.Location and Record.TimeZone
// names that zone. Record.RawTime keeps the value as written. A value that cannot be read is
// reported as a warning naming the line, column and value; the row is kept without a time.
//
// Day and month order comes from Options.DateOrder ("DMY" or "MDY"; "YMD" reads day/month
// values day first), else from the whole time column, as importers/chattext infers it: a first
// field above 12 means day first, a second field above 12 month first. While no row has settled
// it, the rows from the first one it changes (02/01/2024) are held back, in memory, and sent once a
// row settles it; when the file never does, they are read day first with one warning (location
// "file") naming the assumption and the option to set, so that the user can re-import. At most
// 32 MiB of rows are held: past that, day first is assumed there, with the same warning, and a
// later row that can only be month first gets a warning too.
//
// # File shape
//
// The delimiter is sniffed from the header line among comma, semicolon, tab and vertical bar; a
// UTF-8 BOM is skipped; a file that is not UTF-8 and has no UTF-8 accented letter is read as
// Windows-1252 (as Excel saves CSV in Western Europe), with a warning; quoted fields may span lines (a record's Location is the line it starts
// on). A row with fewer fields than the header, or a quoting error, is reported and skipped.
//
// The package only reads: it never writes files, opens no network connection and imports no GUI.
package csvmap

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"raidtrace/importers"
	"raidtrace/importers/csvrows"
)

// Roles a column can have in a mapping.
var Roles = []string{"time", "sender", "text", "recipient", "name", "first_name", "id", "direction", "amount", "currency", "platform", "conversation"}

// Preset is a known CSV layout: which header names fill each role.
type Preset struct {
	Name string
	// Platform and Kind are set on every record (a platform column, when mapped, wins).
	Platform string
	Kind     string
	// Columns lists, per role, the header names that fill it, best first, in [Normalize]d form; a
	// name ending in "*" matches any header starting with it.
	Columns map[string][]string
	// Needs are the roles a header must fill to be recognised as this preset.
	Needs []string
	// NameIsSender makes the name column the sender (a contributor has no address).
	NameIsSender bool
}

// Presets are the layouts recognised without a mapping. Plivo's and Vonage's console column names
// are not documented (formats.md §4.4-4.5): the names here are their API field names plus
// plausible spellings, not checked against a real export, matched ignoring case, spaces,
// underscores and accents. The crowdfunding names are the usual French and English headers.
var Presets = map[string]Preset{
	"plivo": {Name: "plivo", Platform: "sms", Kind: "message",
		Columns: map[string][]string{
			"id":           {"messageuuid", "uuid"},
			"time":         {"messagetime", "time", "timestamp", "date", "createdat"},
			"direction":    {"messagedirection", "direction"},
			"sender":       {"fromnumber", "from", "source", "src"},
			"recipient":    {"tonumber", "to", "destination", "dst"},
			"text":         {"messagetext", "text", "content", "body", "message"},
			"platform":     {"messagetype", "type"},
			"conversation": {"conversationid"},
		},
		Needs: []string{"id", "sender", "recipient"}},
	"vonage": {Name: "vonage", Platform: "sms", Kind: "message",
		Columns: map[string][]string{
			"id":        {"messageid"},
			"time":      {"datereceived", "datesubmitted", "datefinalized", "date", "timestamp"},
			"direction": {"direction"},
			"sender":    {"from", "msisdn", "sender"},
			"recipient": {"to", "recipient"},
			"text":      {"messagebody", "body", "text"},
		},
		Needs: []string{"id", "sender", "recipient", "time"}},
	"crowdfunding": {Name: "crowdfunding", Platform: "donation", Kind: "donation", NameIsSender: true,
		Columns: map[string][]string{
			"name": {"name", "nom", "contributeur", "contributor", "contributorname", "nomducontributeur", "donateur",
				"donor", "donorname", "pseudo", "fullname", "nomcomplet", "prenomnom", "nomprenom", "displayname", "participant",
				"lastname", "nomdefamille"},
			"first_name": {"prenom", "firstname", "givenname"},
			"amount":     {"amount", "montant", "montantdudon", "don", "somme", "contribution", "montant*", "amount*"},
			"currency":   {"currency", "devise", "monnaie"},
			"time": {"date", "datetime", "dateheure", "datedudon", "datedecontribution", "datedelacontribution",
				"donationdate", "contributiondate", "createdat", "created", "time", "heure", "date*"},
			"text": {"message", "commentaire", "comment", "comments", "motdoux", "mot", "note", "messagepublic", "message*"},
			"id":   {"id", "transactionid", "reference", "ref", "contributionid", "donationid", "numero"},
		},
		Needs: []string{"name", "amount"}},
}

// presetOrder is the order presets are tried in: the most specific first.
var presetOrder = []string{"plivo", "vonage", "crowdfunding"}

// Formats for detection and the case file: one per preset, and the generic CSV that claims a
// file when a preset recognises it and otherwise needs Options.Columns.
var (
	Plivo        = presetFormat("csv-plivo", "Plivo message log (CSV)", "plivo")
	Vonage       = presetFormat("csv-vonage", "Vonage SMS report (CSV)", "vonage")
	Crowdfunding = presetFormat("csv-crowdfunding", "Crowdfunding contribution list (CSV)", "crowdfunding")
	CSV          = importers.StreamFormat("csv", "CSV with a column mapping", Sniff, Read)
)

func presetFormat(id, name, preset string) importers.Format {
	return importers.StreamFormat(id, name,
		func(head []byte, _ string) bool {
			p, ok := DetectPreset(headHeader(head))
			return ok && p == preset
		},
		func(ctx context.Context, r io.Reader, opt importers.Options, sink importers.Sink) error {
			return read(ctx, r, opt, sink, preset)
		})
}

// Sniff claims a delimited file whose header a preset recognises; other CSVs need a mapping, so
// they are only read when the user picks this format and gives one.
func Sniff(head []byte, _ string) bool {
	_, ok := DetectPreset(headHeader(head))
	return ok
}

// headHeader reads the header row from a file's first bytes.
func headHeader(head []byte) []string {
	head = bytes.TrimPrefix(head, bom)
	if r, legacy := importers.LegacyReader(bytes.NewReader(head)); legacy {
		head, _ = io.ReadAll(r)
	}
	line, comma, _ := csvrows.HeaderLine(head)
	cr := csv.NewReader(bytes.NewReader(line))
	cr.Comma = comma
	cr.LazyQuotes = true
	h, err := cr.Read()
	if err != nil {
		return nil
	}
	return csvrows.RepairHeader(h, string(line), cr.Comma)
}

// DetectPreset names the preset whose needed roles the header fills.
func DetectPreset(header []string) (string, bool) {
	for _, name := range presetOrder {
		p := Presets[name]
		cols := p.match(header)
		ok := true
		for _, need := range p.Needs {
			if _, found := cols[need]; !found {
				ok = false
				break
			}
		}
		if ok {
			return name, true
		}
	}
	return "", false
}

// match maps roles to header indexes by the preset's names; a header serves one role at most.
func (p Preset) match(header []string) map[string]int {
	norm := make([]string, len(header))
	for i, h := range header {
		norm[i] = Normalize(h)
	}
	used := map[int]bool{}
	cols := map[string]int{}
	roles := make([]string, 0, len(p.Columns))
	for role := range p.Columns {
		roles = append(roles, role)
	}
	sort.Strings(roles) // deterministic when two roles could take one column
	// Exact names before prefixes, so "date" wins over "date*" everywhere.
	for _, prefixPass := range []bool{false, true} {
		for _, role := range roles {
			if _, done := cols[role]; done {
				continue
			}
		names:
			for _, name := range p.Columns[role] {
				prefix, isPrefix := strings.CutSuffix(name, "*")
				if isPrefix != prefixPass {
					continue
				}
				for i, h := range norm {
					if used[i] || h == "" {
						continue
					}
					if h == name || (isPrefix && strings.HasPrefix(h, prefix)) {
						cols[role] = i
						used[i] = true
						break names
					}
				}
			}
		}
	}
	return cols
}

// Normalize folds a header name for matching: lower case, accents removed, letters and digits only.
func Normalize(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if f, ok := fold[r]; ok {
			r = f
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var fold = map[rune]rune{'à': 'a', 'â': 'a', 'ä': 'a', 'á': 'a', 'ç': 'c', 'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e',
	'î': 'i', 'ï': 'i', 'í': 'i', 'ô': 'o', 'ö': 'o', 'ó': 'o', 'ù': 'u', 'û': 'u', 'ü': 'u', 'ú': 'u', 'ñ': 'n'}

var bom = []byte("\xef\xbb\xbf")

// sniffDelimiter picks the delimiter of a header line ([csvrows.SniffDelimiter]).
func sniffDelimiter(line []byte) rune { return csvrows.SniffDelimiter(line) }

// LegacyProblem is the warning a CSV reader reports when the file was not UTF-8 and was read as
// Windows-1252 ([importers.LegacyReader]).
var LegacyProblem = importers.LegacyWarning.Warning("line 1")

// ErrNoMapping is returned (in a [importers.ParseError] naming the header) when a file needs
// a column mapping: no Options.Columns and no preset recognised. The GUI and CLI match it with
// errors.Is to ask for one, offering the names [ReadHeader] returns.
var ErrNoMapping = importers.NewReason("csv-no-mapping", "no column mapping given and the header matches no preset").M().Wrap(nil)

var (
	reasonNoHeader     = importers.NewReason("csv-no-header", "no header row")
	reasonEmpty        = importers.NewReason("csv-empty", "empty file, want a header row")
	reasonRole         = importers.NewReason("csv-unknown-role", "unknown column role {{.Role}} (roles: {{.Roles}})")
	reasonNoColumn     = importers.NewReason("csv-column-not-found", "column {{.Column}} ({{.Role}}) not found; header is {{.Header}}")
	reasonNeedsColumn  = importers.NewReason("csv-mapping-needs", "the mapping needs a sender, name or text column; header is {{.Header}}")
	reasonNoPreset     = importers.NewReason("csv-no-preset", "{{.Err}} ({{.Presets}}); header is {{.Header}}")
	reasonUnknownPre   = importers.NewReason("csv-unknown-preset", "unknown preset {{.Preset}}")
	reasonPresetColumn = importers.NewReason("csv-preset-missing-column", "{{.Preset}} export: missing column for {{.Role}} (one of {{.Names}}); header is {{.Header}}")
	reasonBadTime      = importers.NewReason("csv-bad-time", "column {{.Column}}: time {{.Value}}: {{.Err}}; row kept without a time")
	reasonLayout       = importers.NewReason("csv-time-layout", "does not match the layout {{.Layout}}")
	reasonNoDateForm   = importers.NewReason("csv-time-unknown", "not a recognised date (give the time layout)")
)

// ReadHeader returns the header row of a delimited file (BOM skipped, delimiter sniffed), for
// a mapping dialog to offer its column names.
func ReadHeader(r io.Reader) ([]string, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(64 << 10)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("read header: %w", err)
	}
	h := headHeader(head)
	if h == nil {
		return nil, &importers.ParseError{Line: 1, Err: reasonNoHeader.M().Wrap(nil)}
	}
	return h, nil
}

// Read reads a delimited file with the mapping in opt.Columns, or, when it is empty, with the
// preset [DetectPreset] recognises in the header.
func Read(ctx context.Context, r io.Reader, opt importers.Options, sink importers.Sink) error {
	return read(ctx, r, opt, sink, "")
}

// mapping is a resolved column layout.
type mapping struct {
	preset Preset
	cols   map[string]int
}

func read(ctx context.Context, r io.Reader, opt importers.Options, sink importers.Sink, preset string) error {
	opt = opt.WithDefaults()
	r, legacy := importers.LegacyReader(r)
	cr, br := csvrows.NewReader(r, opt.RecordLimit())
	peek, _ := br.Peek(64 << 10)
	first, comma, sep := csvrows.HeaderLine(peek)
	cr.Comma = comma
	if sep {
		cr.Read() // the "sep=;" line
	}
	header, err := cr.Read()
	if err == io.EOF {
		return &importers.ParseError{Line: 1, Err: reasonEmpty.M().Wrap(nil)}
	}
	if err != nil {
		return &importers.ParseError{Line: 1, Err: csvrows.ReasonHeader.M("Err", err).Wrap(err)}
	}
	header = csvrows.RepairHeader(header, string(first), cr.Comma)
	m, err := resolve(header, opt.Columns, preset)
	if err != nil {
		return &importers.ParseError{Line: 1, Err: err}
	}
	if legacy {
		sink.Problem(LegacyProblem)
	}
	layouts := map[string][]layout{"DMY": timeLayouts(opt, "DMY"), "MDY": timeLayouts(opt, "MDY")}
	ph := importers.NewPhones(opt.Region)
	o := &orderer{sink: sink, timeCol: -1, order: strings.ToUpper(opt.DateOrder),
		send: func(row []string, loc, order string) error {
			return sink.Record(m.record(row, header, loc, layouts[order], opt, ph, sink))
		}}
	switch o.order {
	case "MDY":
	case "DMY", "YMD": // a year-first value is read by the ISO layouts
		o.order = "DMY"
	default:
		o.order = defaultOrder
		if i, ok := m.cols["time"]; ok && opt.TimeLayout == "" {
			o.timeCol, o.column, o.order = i, header[i], ""
		}
	}
	err = csvrows.Rows(ctx, cr, len(header), csvrows.TrailingEmpty, o, o.row)
	var pe *importers.ParseError
	if err == nil || errors.As(err, &pe) && ctx.Err() == nil { // a read error: the rows before it are sent
		if ferr := o.finish(); ferr != nil {
			return ferr
		}
	}
	return err
}

// resolve builds the mapping from explicit columns, else from the named or detected preset.
func resolve(header []string, columns map[string]string, preset string) (mapping, error) {
	if len(columns) > 0 {
		m := mapping{preset: Preset{Name: "", Platform: "csv", Kind: "message"}, cols: map[string]int{}}
		roles := make([]string, 0, len(columns))
		for role := range columns {
			roles = append(roles, role)
		}
		sort.Strings(roles)
		for _, role := range roles {
			if !slices.Contains(Roles, role) {
				return mapping{}, reasonRole.M("Role", strconv.Quote(role), "Roles", strings.Join(Roles, ", ")).Wrap(nil)
			}
			i := findColumn(header, columns[role])
			if i < 0 {
				return mapping{}, reasonNoColumn.M("Column", strconv.Quote(columns[role]), "Role", role, "Header", fmt.Sprintf("%q", header)).Wrap(nil)
			}
			m.cols[role] = i
		}
		_, hasSender := m.cols["sender"]
		_, hasName := m.cols["name"]
		if _, ok := m.cols["first_name"]; ok {
			hasName = true
		}
		_, hasText := m.cols["text"]
		if !hasSender && !hasName && !hasText {
			return mapping{}, reasonNeedsColumn.M("Header", fmt.Sprintf("%q", header)).Wrap(nil)
		}
		m.preset.NameIsSender = !hasSender && hasName
		return m, nil
	}
	if preset == "" {
		var ok bool
		if preset, ok = DetectPreset(header); !ok {
			return mapping{}, reasonNoPreset.M("Err", ErrNoMapping, "Presets", strings.Join(presetOrder, ", "), "Header", fmt.Sprintf("%q", header)).Wrap(ErrNoMapping)
		}
	}
	p, ok := Presets[preset]
	if !ok {
		return mapping{}, reasonUnknownPre.M("Preset", strconv.Quote(preset)).Wrap(nil)
	}
	cols := p.match(header)
	for _, need := range p.Needs {
		if _, found := cols[need]; !found {
			return mapping{}, reasonPresetColumn.M("Preset", preset, "Role", need, "Names", fmt.Sprintf("%q", p.Columns[need]), "Header", fmt.Sprintf("%q", header)).Wrap(nil)
		}
	}
	return mapping{preset: p, cols: cols}, nil
}

// findColumn finds a header name exactly, else case-insensitively, else normalised.
func findColumn(header []string, name string) int {
	for _, eq := range []func(a, b string) bool{
		func(a, b string) bool { return a == b },
		strings.EqualFold,
		func(a, b string) bool { return Normalize(a) == Normalize(b) && Normalize(a) != "" },
	} {
		for i, h := range header {
			if eq(strings.TrimSpace(h), strings.TrimSpace(name)) {
				return i
			}
		}
	}
	return -1
}

// record builds the record of one row.
func (m mapping) record(row, header []string, loc string, layouts []layout, opt importers.Options, ph *importers.Phones, sink importers.Sink) importers.Record {
	get := func(role string) (string, bool) {
		if i, ok := m.cols[role]; ok {
			return row[i], true
		}
		return "", false
	}
	rec := importers.Record{Location: loc, Platform: m.preset.Platform, Kind: m.preset.Kind}
	if v, ok := get("platform"); ok && strings.TrimSpace(v) != "" {
		rec.Platform = strings.ToLower(strings.TrimSpace(v))
	}
	rec.PlatformID, _ = get("id")
	rec.Conversation, _ = get("conversation")
	rec.Text, _ = get("text")
	name, _ := get("name")
	name = strings.TrimSpace(name)
	if first, _ := get("first_name"); strings.TrimSpace(first) != "" {
		name = strings.TrimSpace(strings.TrimSpace(first) + " " + name)
	}
	if m.preset.NameIsSender {
		if name != "" {
			rec.Sender = importers.Party{Raw: name, Name: name}
		}
	} else if s, ok := get("sender"); ok && strings.TrimSpace(s) != "" {
		rec.Sender = ph.Party(strings.TrimSpace(s), name)
	}
	if s, ok := get("recipient"); ok && strings.TrimSpace(s) != "" {
		rec.Recipients = []importers.Party{ph.Party(strings.TrimSpace(s), "")}
	}
	if v, ok := get("direction"); ok {
		rec.Direction = direction(v)
	} else if m.preset.Kind == "donation" {
		rec.Direction = importers.Incoming
	}
	if rec.Direction == importers.Unknown && opt.Owner != "" {
		owner := ph.Party(opt.Owner, "").Key()
		switch {
		case rec.Sender.Key() == owner:
			rec.Direction = importers.Outgoing
		case len(rec.Recipients) > 0 && rec.Recipients[0].Key() == owner:
			rec.Direction = importers.Incoming
		}
	}
	if v, ok := get("time"); ok && strings.TrimSpace(v) != "" {
		rec.RawTime = v
		t, zoned, err := parseTime(v, layouts, opt.Location)
		if err != nil {
			sink.Problem(reasonBadTime.M("Column", strconv.Quote(header[m.cols["time"]]), "Value", strconv.Quote(v), "Err", err).Warning(loc))
		} else {
			rec.Time = t
			if !zoned {
				rec.TimeZone = opt.Location.String()
			}
		}
	}
	extra := map[string]string{}
	for _, role := range []string{"amount", "currency"} {
		if v, ok := get(role); ok && v != "" {
			extra[role] = v
		}
	}
	used := map[int]bool{}
	for _, i := range m.cols {
		used[i] = true
	}
	for i, v := range row[:len(header)] {
		if used[i] || v == "" {
			continue
		}
		key := header[i]
		if _, taken := extra[key]; taken || key == "" { // a repeated or empty header name
			key = fmt.Sprintf("%s#%d", key, i+1)
		}
		extra[key] = v
	}
	if len(extra) > 0 {
		rec.Extra = extra
	}
	return rec
}

// direction reads the usual words for a message's direction, in English and French.
func direction(s string) importers.Direction {
	s = Normalize(s)
	switch {
	case s == "":
		return importers.Unknown
	case strings.HasPrefix(s, "inbound") || strings.HasPrefix(s, "incoming") || s == "in" || s == "mo" ||
		s == "received" || s == "recu" || s == "recus" || s == "entrant" || s == "entrante":
		return importers.Incoming
	case strings.HasPrefix(s, "outbound") || strings.HasPrefix(s, "outgoing") || s == "out" || s == "mt" ||
		s == "sent" || s == "envoye" || s == "envoyes" || s == "sortant" || s == "sortante":
		return importers.Outgoing
	}
	return importers.Unknown
}

// layout is a Go time layout and whether values in it carry their zone.
type layout struct {
	layout string
	zoned  bool
}

// timeLayouts lists the layouts to try, the user's alone when given, with day and month in
// order ("DMY" or "MDY").
func timeLayouts(opt importers.Options, order string) []layout {
	if opt.TimeLayout != "" {
		return []layout{{opt.TimeLayout, hasZone(opt.TimeLayout)}}
	}
	dm := "2/1/2006"
	if order == "MDY" {
		dm = "1/2/2006"
	}
	return []layout{
		{time.RFC3339Nano, true},
		{"2006-01-02T15:04:05Z0700", true},
		{"2006-01-02 15:04:05Z07:00", true},
		{"2006-01-02 15:04:05Z0700", true},
		{"2006-01-02 15:04:05 -0700", true},
		{"2006-01-02 15:04:05 MST", true},
		{time.RFC1123Z, true},
		{"2006-01-02 15:04:05", false},
		{"2006-01-02T15:04:05", false},
		{"2006-01-02 15:04", false},
		{dm + " 15:04:05", false},
		{dm + " 15:04", false},
		{dm + " à 15:04", false},
		{dm + " à 15h04", false},
		{dm, false},
		{"2006-01-02", false},
		{strings.ReplaceAll(dm, "/", ".") + " 15:04:05", false},
		{strings.ReplaceAll(dm, "/", ".") + " 15:04", false},
		{strings.ReplaceAll(dm, "/", "-") + " 15:04:05", false},
		{strings.ReplaceAll(dm, "/", "-") + " 15:04", false},
	}
}

func hasZone(l string) bool {
	for _, z := range []string{"Z07", "-07", "MST", "Z0700"} {
		if strings.Contains(l, z) {
			return true
		}
	}
	return false
}

// parseTime reads a time value; zoned reports whether the value carried its own zone.
func parseTime(v string, layouts []layout, loc *time.Location) (t time.Time, zoned bool, err error) {
	v = strings.TrimSpace(v)
	if isDigits(v) && len(layouts) > 1 {
		n, err := strconv.ParseInt(v, 10, 64)
		switch {
		case err != nil:
		case len(v) >= 9 && len(v) <= 10:
			return time.Unix(n, 0).UTC(), true, nil
		case len(v) >= 12 && len(v) <= 13:
			return time.UnixMilli(n).UTC(), true, nil
		}
	}
	for _, l := range layouts {
		if t, err := time.ParseInLocation(l.layout, v, loc); err == nil {
			return t.UTC(), l.zoned, nil
		}
	}
	if len(layouts) == 1 {
		return time.Time{}, false, reasonLayout.M("Layout", strconv.Quote(layouts[0].layout)).Wrap(nil)
	}
	return time.Time{}, false, reasonNoDateForm.M().Wrap(nil)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
