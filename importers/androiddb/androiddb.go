// Package androiddb imports Android's telephony database, mmssms.db
// (/data/data/com.android.providers.telephony/databases/mmssms.db, from a rooted phone or a
// forensic extraction).
//
// # What it reads
//
// Every row of the sms table becomes one [importers.Record] located as "sms _id 12" (date in
// milliseconds; type 1 received, 2 sent, 3 draft, 4 outbox, 5 failed, 6 queued; address; body),
// then every row of the pdu table one MMS record located as "pdu _id 7" (date in seconds;
// msg_box as sms.type), with its text from the text/plain rows of part (concatenated in seq
// order, as SMS Backup & Restore does), its other parts as attachments (name and MIME type,
// never the bytes; application/smil is layout and skipped), and its sender and recipients from
// addr (137 from, 151 to, 130 cc, 129 bcc; "insert-address-token" is the phone's own number).
// Column names are AOSP's (TelephonyProvider, MmsSmsDatabaseHelper); the query is built from
// the columns the file has, so older and vendor databases import too.
//
// The row ids stay in Location and are not used as PlatformID: they are local to the phone,
// and leaving them out lets an SMS Backup & Restore export of the same phone be recognised as
// the same messages.
//
// An sms or pdu row, or the part rows of one MMS, holding more bytes than the record limit
// (Options.MaxRecord: a body of hundreds of MB in a crafted file) is measured in SQL
// (octet_length, which SQLite answers without reading the value), reported in its place as
// skipped and never loaded.
//
// # What it must not do
//
// It never writes to the database or beside it. Without a -wal file the database is opened with
// mode=ro&immutable=1, so SQLite takes no lock and creates no file. With one, the database, its
// -wal and -shm are copied to a temporary directory and the copy is read, so the messages only in
// the log are imported too (sqliteread.OpenMerged); a log that cannot be read is reported as a
// warning. It does not read the files that part._data points to (they are
// paths on the phone). It opens no network connection and imports no GUI code.
package androiddb

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"raidtrace/importers"
	"raidtrace/importers/sqliteread"
)

// Format describes mmssms.db to detection. Sniff only sees the SQLite header, so Probe confirms
// the schema by opening the file.
var Format = importers.Format{
	ID:     "android-mmssms",
	Name:   "Android SMS/MMS database (mmssms.db)",
	Sniff:  Sniff,
	Probe:  IsMmsSmsDB,
	Import: Import,
}

// Sniff reports whether head starts like an SQLite database. It cannot tell mmssms.db from other
// databases; [IsMmsSmsDB] does.
func Sniff(head []byte, _ string) bool { return sqliteread.Sniff(head) }

// IsMmsSmsDB reports whether the file at path is an SQLite database with the sms and pdu tables
// of Android's telephony provider. It opens the file read-only.
func IsMmsSmsDB(path string) bool {
	ok := func(open func() (*sql.DB, error)) bool {
		db, err := open()
		if err != nil {
			return false
		}
		defer db.Close()
		_, err = checkTables(context.Background(), db)
		return err == nil
	}
	if ok(func() (*sql.DB, error) { return sqliteread.Open(path) }) {
		return true
	}
	// Tables created since the last checkpoint are only in the log: read a merged copy.
	return sqliteread.HasWAL(path) && ok(func() (*sql.DB, error) {
		db, _, err := sqliteread.OpenMerged(path)
		return db, err
	})
}

// checkTables returns the database's tables, or an error wrapping importers.ErrNotFormat unless
// it has sms and pdu.
func checkTables(ctx context.Context, db *sql.DB) (map[string]bool, error) {
	return sqliteread.Check(ctx, db, "an Android mmssms.db", "sms", "pdu")
}

var (
	reasonNoID        = importers.NewReason("android-no-id", "{{.Table}} table has no _id column")
	reasonBodyNull    = importers.NewReason("android-body-null", "body is NULL")
	reasonNoAddress   = importers.NewReason("android-no-address", "received message without an address; sender unknown")
	reasonNoPart      = importers.NewReason("android-no-part-table", "missing: MMS text and attachments unknown")
	reasonNoAddr      = importers.NewReason("android-no-addr-table", "missing: MMS senders and recipients unknown")
	reasonBigParts    = importers.NewReason("android-big-parts", "its parts hold {{.N}} bytes: {{.TooLong}}")
	reasonOrphanParts = importers.NewReason("android-orphan-parts", "part rows of a pdu _id that does not exist; not imported")
	reasonOrphanBig   = importers.NewReason("android-orphan-big-parts", "part rows of a pdu _id that does not exist, holding {{.N}} bytes: {{.TooLong}}")
	reasonOrphanAddr  = importers.NewReason("android-orphan-addr", "addr rows of a pdu _id that does not exist; not imported")
	reasonPartFile    = importers.NewReason("android-part-file", "text part stored in {{.File}} on the phone; not read")
	reasonNoFrom      = importers.NewReason("android-no-from", "no From address (addr type 137); sender unknown")
	reasonDateNull    = importers.NewReason("android-date-null", "date is NULL; time unknown")
	reasonMillis      = importers.NewReason("android-date-millis", "date {{.Raw}} looks like milliseconds, not seconds; read as milliseconds")
	reasonSeconds     = importers.NewReason("android-date-seconds", "date {{.Raw}} looks like seconds, not milliseconds; read as seconds")
)

// reader holds the state of one import.
type reader struct {
	path  string
	opt   importers.Options
	sink  importers.Sink
	size  int64 // file size, for progress
	total int64 // sms + pdu rows, for progress
	done  int64
}

// Import reads the mmssms.db at path and sends one record per row of its sms table, then one
// per row of its pdu table, to sink. A file that is not such a database gives an error wrapping
// importers.ErrNotFormat; a damaged SQLite file (cut short, flipped bits) gives one that says so,
// naming the file and SQLite's reason, and wraps sqliteread.ErrDamaged too. Rows with odd values
// are still recorded, with a warning.
func Import(ctx context.Context, path string, opt importers.Options, sink importers.Sink) error {
	opt = opt.WithDefaults()
	db, walWarning, err := sqliteread.OpenMerged(path)
	if err != nil {
		return fmt.Errorf("open android mmssms database: %w", err)
	}
	defer db.Close()
	have, err := checkTables(ctx, db)
	if err != nil {
		if walWarning != nil {
			return sqliteread.ExplainWAL(path, err)
		}
		return sqliteread.ExplainDamage(ctx, path, err)
	}
	r := &reader{path: path, opt: opt, sink: sink}
	if walWarning != nil {
		sink.Problem(*walWarning)
	}
	if opt.Progress != nil {
		r.size = fileSize(path)
		var n int64
		for _, t := range []string{"sms", "pdu"} {
			if err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+t).Scan(&n); err != nil {
				return fmt.Errorf("count %s rows: %w", t, err)
			}
			r.total += n
		}
	}
	if err := r.sms(ctx, db); err != nil {
		return err
	}
	if err := r.mms(ctx, db, have); err != nil {
		return err
	}
	if opt.Progress != nil {
		opt.Progress(r.size, r.size)
	}
	return nil
}

func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}

// step counts a row, checks for cancellation and reports progress now and then.
func (r *reader) step(ctx context.Context) error {
	r.done++
	if r.done%512 != 0 {
		return nil
	}
	if r.opt.Progress != nil && r.total > 0 {
		r.opt.Progress(r.size*min(r.done, r.total)/r.total, r.size)
	}
	return ctx.Err()
}

// row is one result row by lower-cased column name.
type row map[string]any

// selectRows runs "SELECT cols FROM table …" over the wanted columns the table has and calls
// each with every row in _id order; a read error names the last good row. A row whose columns
// hold more than the record limit is measured in SQL, never loaded, and reported in its place
// ("sms _id 12") as skipped.
func (r *reader) selectRows(ctx context.Context, db *sql.DB, table string, wanted []string, each func(row) error) error {
	have, err := sqliteread.Columns(ctx, db, table)
	if err != nil {
		return err
	}
	var cols, sel []string
	for _, c := range wanted {
		if have[c] {
			cols = append(cols, c)
			sel = append(sel, `"`+c+`"`)
		}
	}
	if !have["_id"] {
		return reasonNoID.M("Table", table).Wrap(nil)
	}
	limit := r.opt.RecordLimit()
	size := sqliteread.SizeExpr(cols[1:]) // all but _id
	over, err := sqliteread.FindOversized(ctx, db, table, "_id", size, limit)
	if err != nil {
		return err
	}
	skipOver := func(before int64, all bool) {
		for len(over) > 0 && (all || over[0].Key < before) {
			r.sink.Problem(sqliteread.TooLong(over[0].Size, limit).Problem(table + " _id " + strconv.FormatInt(over[0].Key, 10)))
			over = over[1:]
		}
	}
	rows, err := db.QueryContext(ctx, "SELECT "+strings.Join(sel, ", ")+" FROM "+table+" WHERE "+size+" <= ? ORDER BY _id", limit)
	if err != nil {
		return fmt.Errorf("read %s table: %w", table, err)
	}
	defer rows.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var last int64
	fail := func(err error) error {
		return &importers.ParseError{File: filepath.Base(r.path),
			Location: fmt.Sprintf("%s after _id %d", table, last), Err: err}
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fail(err)
		}
		m := make(row, len(cols))
		for i, c := range cols {
			m[c] = vals[i]
		}
		last = asInt(m["_id"])
		skipOver(last, false)
		if err := each(m); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	skipOver(0, true)
	return nil
}

// smsColumns are read from the sms table when present; those after "body" go to Extra.
var smsColumns = []string{"_id", "thread_id", "address", "date", "type", "body",
	"date_sent", "person", "protocol", "read", "status", "reply_path_present", "subject",
	"service_center", "locked", "sub_id", "error_code", "creator", "seen"}

const smsExtraFrom = 6

func (r *reader) sms(ctx context.Context, db *sql.DB) error {
	return r.selectRows(ctx, db, "sms", smsColumns, func(m row) error {
		loc := "sms _id " + sqliteread.Raw(m["_id"])
		var warns []importers.Msg
		rec := importers.Record{Location: loc, Platform: "sms", Kind: "message", Extra: extra(m, smsColumns[smsExtraFrom:])}
		if t := sqliteread.Raw(m["type"]); t != "" {
			rec.Extra["type"] = t
		}
		if th := sqliteread.Raw(m["thread_id"]); th != "" {
			rec.Conversation = "thread " + th
		}
		var w importers.Msg
		rec.Time, rec.RawTime, w = when(m["date"], false)
		if !w.IsZero() {
			warns = append(warns, w)
		}
		rec.Text = sqliteread.Text(m["body"])
		if m["body"] == nil {
			warns = append(warns, reasonBodyNull.M())
		}
		address := sqliteread.Text(m["address"])
		party := importers.PhoneParty(address, "", r.opt.Region)
		if address == "" {
			party = importers.Party{}
		}
		if isRCS(address) {
			rec.Platform = "rcs"
		}
		switch typ := sqliteread.Raw(m["type"]); typ {
		case "1":
			rec.Direction = importers.Incoming
			rec.Sender = party
			if o := r.owner(); !o.IsZero() {
				rec.Recipients = []importers.Party{o}
			}
			if party.IsZero() {
				warns = append(warns, reasonNoAddress.M())
			}
		case "2", "3", "4", "5", "6":
			rec.Direction = importers.Outgoing
			rec.Sender = r.owner()
			if !party.IsZero() {
				rec.Recipients = []importers.Party{party}
			}
		default:
			rec.Direction = importers.Unknown
			rec.Sender = party
			warns = append(warns, importers.ReasonUnknownType.M("Type", strconv.Quote(typ)))
		}
		return r.emit(ctx, rec, warns)
	})
}

// pduColumns are read from the pdu table when present; those after "msg_box" go to Extra.
var pduColumns = []string{"_id", "thread_id", "date", "msg_box",
	"date_sent", "read", "seen", "locked", "m_id", "sub", "sub_cs", "ct_t", "m_type", "m_size",
	"tr_id", "st", "resp_st", "retr_st", "text_only", "sub_id", "creator"}

const pduExtraFrom = 4

// part is a row of the part table.
type part struct {
	ct, name, text string
	hasText        bool
	data           string
}

// addr is a row of the addr table.
type addr struct {
	address, typ string
}

func (r *reader) mms(ctx context.Context, db *sql.DB, have map[string]bool) error {
	parts := map[int64][]part{}
	bigParts := map[int64]int64{} // mid → bytes, for the MMS whose parts hold more than the record limit
	if have["part"] {
		pc, err := sqliteread.Columns(ctx, db, "part")
		if err != nil {
			return err
		}
		var read []string
		for _, c := range []string{"ct", "name", "fn", "cl", "cid", "text", "_data"} {
			if pc[c] {
				read = append(read, c)
			}
		}
		// The parts of an MMS are one record: an MMS whose parts add up to more than the limit is
		// measured in SQL, its parts never loaded, and the MMS reported in its place below.
		limit := r.opt.RecordLimit()
		size := "sum(" + sqliteread.SizeExpr(read) + ")"
		big := "SELECT coalesce(mid, 0) FROM part GROUP BY coalesce(mid, 0) HAVING " + size + " > ?"
		if err := sqliteread.Query(ctx, db, "SELECT coalesce(mid, 0), "+size+" FROM part GROUP BY coalesce(mid, 0) HAVING "+size+" > ?",
			func(s sqliteread.Scanner) error {
				var mid, n int64
				if err := s.Scan(&mid, &n); err != nil {
					return err
				}
				bigParts[mid] = n
				return nil
			}, limit); err != nil {
			return fmt.Errorf("measure part rows: %w", err)
		}
		q := "SELECT mid, " + colOr(pc, "ct") + ", " + colOr(pc, "name") + ", " + colOr(pc, "fn") + ", " +
			colOr(pc, "cl") + ", " + colOr(pc, "cid") + ", " + colOr(pc, "text") + ", " + colOr(pc, "_data") +
			" FROM part WHERE coalesce(mid, 0) NOT IN (" + big + ") ORDER BY mid, " + orderSeq(pc) + "rowid"
		if err := sqliteread.Query(ctx, db, q, func(s sqliteread.Scanner) error {
			var mid sql.NullInt64
			var ct, name, fn, cl, cid, text, data sql.NullString
			if err := s.Scan(&mid, &ct, &name, &fn, &cl, &cid, &text, &data); err != nil {
				return err
			}
			p := part{ct: strings.ToLower(strings.TrimSpace(ct.String)), text: text.String, hasText: text.Valid, data: data.String}
			if i := strings.IndexByte(p.ct, ';'); i >= 0 {
				p.ct = strings.TrimSpace(p.ct[:i])
			}
			for _, n := range []sql.NullString{name, fn, cl, cid} {
				if n.String != "" {
					p.name = n.String
					break
				}
			}
			parts[mid.Int64] = append(parts[mid.Int64], p)
			return nil
		}, limit); err != nil {
			return fmt.Errorf("read part table: %w", err)
		}
	} else {
		r.sink.Problem(reasonNoPart.M().Warning("part table"))
	}
	addrs := map[int64][]addr{}
	if have["addr"] {
		if err := sqliteread.Query(ctx, db, "SELECT msg_id, address, type FROM addr ORDER BY msg_id, rowid", func(s sqliteread.Scanner) error {
			var mid sql.NullInt64
			var a, t sql.NullString
			if err := s.Scan(&mid, &a, &t); err != nil {
				return err
			}
			addrs[mid.Int64] = append(addrs[mid.Int64], addr{address: a.String, typ: t.String})
			return nil
		}); err != nil {
			return fmt.Errorf("read addr table: %w", err)
		}
	} else {
		r.sink.Problem(reasonNoAddr.M().Warning("addr table"))
	}

	limit := r.opt.RecordLimit()
	err := r.selectRows(ctx, db, "pdu", pduColumns, func(m row) error {
		id := asInt(m["_id"])
		if n, ok := bigParts[id]; ok {
			delete(bigParts, id)
			delete(addrs, id)
			r.sink.Problem(reasonBigParts.M("N", n, "TooLong", importers.TooLong(limit)).Problem("pdu _id " + strconv.FormatInt(id, 10)))
			return r.step(ctx)
		}
		rec, warns := r.mmsRecord(m, parts[id], addrs[id])
		delete(parts, id)
		delete(addrs, id)
		return r.emit(ctx, rec, warns)
	})
	if err != nil {
		return err
	}
	// Parts and addresses of no MMS are not messages, but say they were there.
	for _, id := range slices.Sorted(maps.Keys(parts)) {
		r.sink.Problem(reasonOrphanParts.M().Warning(fmt.Sprintf("part mid %d", id)))
	}
	for _, id := range slices.Sorted(maps.Keys(bigParts)) {
		r.sink.Problem(reasonOrphanBig.M("N", bigParts[id], "TooLong", importers.TooLong(limit)).Warning(fmt.Sprintf("part mid %d", id)))
	}
	for _, id := range slices.Sorted(maps.Keys(addrs)) {
		r.sink.Problem(reasonOrphanAddr.M().Warning(fmt.Sprintf("addr msg_id %d", id)))
	}
	return nil
}

// orderSeq returns "seq, " when part has a seq column.
func orderSeq(pc map[string]bool) string {
	if pc["seq"] {
		return "seq, "
	}
	return ""
}

// colOr returns the quoted column when the table has it, else NULL.
func colOr(have map[string]bool, col string) string {
	if have[col] {
		return `"` + col + `"`
	}
	return "NULL"
}

func (r *reader) mmsRecord(m row, parts []part, addrs []addr) (importers.Record, []importers.Msg) {
	var warns []importers.Msg
	rec := importers.Record{Location: "pdu _id " + sqliteread.Raw(m["_id"]), Platform: "mms", Kind: "message",
		Extra: extra(m, pduColumns[pduExtraFrom:])}
	if b := sqliteread.Raw(m["msg_box"]); b != "" {
		rec.Extra["msg_box"] = b
	}
	if th := sqliteread.Raw(m["thread_id"]); th != "" {
		rec.Conversation = "thread " + th
	}
	var w importers.Msg
	rec.Time, rec.RawTime, w = when(m["date"], true)
	if !w.IsZero() {
		warns = append(warns, w)
	}
	var text strings.Builder
	for _, p := range parts {
		switch {
		case p.ct == "application/smil":
		case p.ct == "text/plain":
			text.WriteString(p.text)
			if !p.hasText && p.data != "" {
				warns = append(warns, reasonPartFile.M("File", p.data))
			}
		default:
			rec.Attachments = append(rec.Attachments, importers.Attachment{Name: p.name, MIME: p.ct})
		}
	}
	rec.Text = text.String()

	switch box := sqliteread.Raw(m["msg_box"]); box {
	case "1":
		rec.Direction = importers.Incoming
	case "2", "3", "4", "5", "6":
		rec.Direction = importers.Outgoing
	default:
		warns = append(warns, importers.ReasonUnknownBox.M("Box", strconv.Quote(box)))
	}
	party := func(raw string) importers.Party {
		if raw == "insert-address-token" {
			return r.owner()
		}
		return importers.PhoneParty(raw, "", r.opt.Region)
	}
	var from []string
	for _, a := range addrs {
		if isRCS(a.address) {
			rec.Platform = "rcs"
		}
		switch a.typ {
		case "137":
			from = append(from, a.address)
		case "151", "130", "129":
			if p := party(a.address); !p.IsZero() {
				rec.Recipients = append(rec.Recipients, p)
			}
			if a.typ != "151" {
				k := map[string]string{"130": "cc", "129": "bcc"}[a.typ]
				rec.Extra[k] = strings.TrimPrefix(rec.Extra[k]+" "+a.address, " ")
			}
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
			warns = append(warns, importers.ReasonFromAddresses.M("N", len(from)))
		}
	case rec.Direction == importers.Outgoing:
		rec.Sender = r.owner()
	default:
		warns = append(warns, reasonNoFrom.M())
	}
	if rec.Direction == importers.Incoming {
		if o := r.owner(); !o.IsZero() && len(rec.Recipients) == 0 {
			rec.Recipients = []importers.Party{o}
		}
	}
	return rec, warns
}

// emit sends warnings and the record, then counts it.
func (r *reader) emit(ctx context.Context, rec importers.Record, warns []importers.Msg) error {
	for _, w := range warns {
		r.sink.Problem(w.Warning(rec.Location))
	}
	if len(rec.Extra) == 0 {
		rec.Extra = nil
	}
	if err := r.sink.Record(rec); err != nil {
		return err
	}
	return r.step(ctx)
}

// owner is the case owner's number from Options.Owner, or no party.
func (r *reader) owner() importers.Party {
	if r.opt.Owner == "" {
		return importers.Party{}
	}
	return importers.PhoneParty(r.opt.Owner, "", r.opt.Region)
}

// isRCS reports an RCS pseudo-address (…@rbm.goog, …rcs.google.com).
func isRCS(address string) bool {
	a := strings.ToLower(strings.TrimSpace(address))
	return strings.HasSuffix(a, "rcs.google.com") || strings.HasSuffix(a, "@rbm.goog")
}

// extra keeps the non-NULL, non-empty values of cols.
func extra(m row, cols []string) map[string]string {
	e := map[string]string{}
	for _, c := range cols {
		if v, ok := m[c]; ok && v != nil {
			if s := sqliteread.Raw(v); s != "" {
				e[c] = s
			}
		}
	}
	return e
}

// when reads a date column: milliseconds for sms, seconds for pdu. A value of the other unit
// (seconds below 10^11 in sms, milliseconds above 10^11 in pdu) is read in that unit with a
// warning. It returns the instant (zero when unusable), the raw value and a warning.
func when(v any, seconds bool) (time.Time, string, importers.Msg) {
	raw := sqliteread.Raw(v)
	if v == nil {
		return time.Time{}, "", reasonDateNull.M()
	}
	n, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
	if err != nil {
		if f, ok := v.(float64); ok {
			n = int64(f)
		} else {
			return time.Time{}, raw, importers.ReasonDateNotNumber.M("Raw", strconv.Quote(raw))
		}
	}
	if n <= 0 {
		return time.Time{}, raw, importers.ReasonDateNotTime.M("Raw", strconv.Quote(raw))
	}
	var t time.Time
	var w importers.Msg
	switch {
	case seconds && n >= 1e11:
		t, w = time.UnixMilli(n).UTC(), reasonMillis.M("Raw", strconv.Quote(raw))
	case seconds:
		t = time.Unix(n, 0).UTC()
	case n < 1e11:
		t, w = time.Unix(n, 0).UTC(), reasonSeconds.M("Raw", strconv.Quote(raw))
	default:
		t = time.UnixMilli(n).UTC()
	}
	if y := t.Year(); y < 1995 || y > 2100 {
		w = importers.ReasonDateImplausible.M("Raw", strconv.Quote(raw), "Time", t.Format(time.RFC3339))
	}
	return t, raw, w
}

func asInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case float64:
		return int64(x)
	}
	i, _ := strconv.ParseInt(strings.TrimSpace(sqliteread.Text(v)), 10, 64)
	return i
}
