// Package applemessages imports the Apple Messages database: chat.db on macOS
// (~/Library/Messages/chat.db) and sms.db from an iOS backup (HomeDomain/Library/SMS/sms.db).
//
// # What it reads
//
// Every row of the message table becomes one [importers.Record] located as "message ROWID 42":
// the text from message.text or, when that is NULL (macOS Ventura and later), from the
// typedstream in message.attributedBody (see [AttributedBodyText]); the sender or recipients
// from handle, chat_handle_join and chat; the conversation from chat_message_join (chat.guid);
// attachments' names, MIME types and sizes from message_attachment_join and attachment (never
// their bytes). Dates count from 2001-01-01 UTC, in seconds in old databases and in nanoseconds
// since macOS 10.13 / iOS 11; RawTime keeps the integer as stored.
//
// Tapbacks (associated_message_type 2000–2999 and their removals 3000–3999) and stickers (1000)
// are recorded with Kind "reaction", so that nothing is lost and analysis can leave them out of
// clusters. Rows with a non-zero item_type (group renames, members joining or leaving) are
// recorded with Kind "event".
//
// Columns differ between versions (old iOS sms.db lacks many); the query is built from the
// columns the file has.
//
// A message row holding more bytes than the record limit (Options.MaxRecord: a text or
// attributedBody of hundreds of MB in a crafted file) is measured in SQL (octet_length, which
// SQLite answers without reading the value), reported in its place as skipped and never loaded.
//
// # What it must not do
//
// It never writes to the database or beside it, and runs none of Messages.app's triggers. Without
// a -wal file the database is opened with mode=ro&immutable=1, so SQLite takes no lock and creates
// no file. With one, chat.db, its -wal and -shm are copied to a temporary directory and the copy
// is read with query_only set, so the messages only in the log are imported too
// (sqliteread.OpenMerged); a log that cannot be read is reported as a warning.
// It opens no network connection and imports no GUI code.
package applemessages

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"raidtrace/importers"
	"raidtrace/importers/sqliteread"
)

// Format describes the Apple Messages database to detection. Sniff only sees the SQLite header,
// so Probe confirms the schema by opening the file.
var Format = importers.Format{
	ID:     "apple-messages",
	Name:   "Apple Messages database (chat.db, iOS sms.db)",
	Sniff:  Sniff,
	Probe:  IsChatDB,
	Import: Import,
}

// Sniff reports whether head starts like an SQLite database. It cannot tell chat.db from other
// databases; [IsChatDB] does.
func Sniff(head []byte, _ string) bool { return sqliteread.Sniff(head) }

// requiredTables must all exist for a database to be read as chat.db / sms.db.
var requiredTables = []string{"message", "handle", "chat_message_join"}

// appleEpoch is 2001-01-01T00:00:00Z in Unix seconds.
const appleEpoch = 978307200

// IsChatDB reports whether the file at path is an SQLite database with the tables of an Apple
// Messages database (message, handle, chat_message_join). It opens the file read-only.
func IsChatDB(path string) bool {
	ok := func(open func() (*sql.DB, error)) bool {
		db, err := open()
		if err != nil {
			return false
		}
		defer db.Close()
		return checkTables(context.Background(), db) == nil
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

// checkTables returns an error wrapping importers.ErrNotFormat unless db has requiredTables.
func checkTables(ctx context.Context, db *sql.DB) error {
	_, err := sqliteread.Check(ctx, db, "an Apple Messages database", requiredTables...)
	return err
}

// explainOldIOS adds to err, from [checkTables], that the database looks like the sms.db of iOS 5
// or earlier (a message table with address and flags columns, no handle table), whose layout
// formats.md does not describe and this package does not read, so that the user is told why
// rather than only "not an Apple Messages database". Other errors are returned as they are.
func explainOldIOS(ctx context.Context, db *sql.DB, err error) error {
	if !errors.Is(err, importers.ErrNotFormat) {
		return err
	}
	tables, terr := sqliteread.Tables(ctx, db)
	if terr != nil || !tables["message"] || tables["handle"] {
		return err
	}
	cols, cerr := sqliteread.Columns(ctx, db, "message")
	if cerr != nil || !cols["address"] || !cols["flags"] {
		return err
	}
	return fmt.Errorf("%w: the message table has address and flags columns and there is no handle table, "+
		"the layout of iOS 5 and earlier, which is not supported; export the messages with another tool "+
		"(a CSV with a column mapping can be imported)", err)
}

// handle is a row of the handle table.
type handle struct{ id, service string }

// chat is a row of the chat table.
type chat struct {
	guid, identifier, service, name string
	handles                         []int64
}

// reader holds what Import loads before walking the message table.
type reader struct {
	path     string
	opt      importers.Options
	sink     importers.Sink
	handles  map[int64]handle
	chats    map[int64]*chat
	msgChats map[int64][]int64 // message ROWID → chat ROWIDs (chat_message_join)
	deleted  map[int64][]int64 // message ROWID → chat ROWIDs (chat_recoverable_message_join)
	attach   map[int64][]importers.Attachment
}

// Import reads the Apple Messages database at path and sends one record per row of its message
// table to sink. A file that is not such a database gives an error wrapping
// importers.ErrNotFormat; a damaged SQLite file (cut short, flipped bits) gives one that says so,
// naming the file and SQLite's reason, and wraps sqliteread.ErrDamaged too. Rows that cannot be
// read in full are still recorded, with a warning.
func Import(ctx context.Context, path string, opt importers.Options, sink importers.Sink) error {
	opt = opt.WithDefaults()
	db, walWarning, err := sqliteread.OpenMerged(path)
	if err != nil {
		return fmt.Errorf("open apple messages database: %w", err)
	}
	defer db.Close()
	if err := checkTables(ctx, db); err != nil {
		if walWarning != nil {
			return sqliteread.ExplainWAL(path, err)
		}
		if derr := sqliteread.ExplainDamage(ctx, path, err); errors.Is(derr, sqliteread.ErrDamaged) {
			return derr
		}
		return explainOldIOS(ctx, db, err)
	}
	r := &reader{path: path, opt: opt, sink: sink}
	if walWarning != nil {
		sink.Problem(*walWarning)
	}
	if err := r.load(ctx, db); err != nil {
		return err
	}
	return r.messages(ctx, db)
}

// load reads the small tables: handles, chats, the join tables and attachments.
func (r *reader) load(ctx context.Context, db *sql.DB) error {
	have, err := sqliteread.Tables(ctx, db)
	if err != nil {
		return fmt.Errorf("list tables: %w", err)
	}
	r.handles = map[int64]handle{}
	hcols, err := sqliteread.Columns(ctx, db, "handle")
	if err != nil {
		return err
	}
	if err := sqliteread.Query(ctx, db, "SELECT ROWID, id, "+colOr(hcols, "service", "''")+" FROM handle",
		func(s sqliteread.Scanner) error {
			var id int64
			var h handle
			var hid, svc sql.NullString
			if err := s.Scan(&id, &hid, &svc); err != nil {
				return err
			}
			h.id, h.service = hid.String, svc.String
			r.handles[id] = h
			return nil
		}); err != nil {
		return fmt.Errorf("read handle table: %w", err)
	}
	r.chats = map[int64]*chat{}
	if have["chat"] {
		ccols, err := sqliteread.Columns(ctx, db, "chat")
		if err != nil {
			return err
		}
		q := "SELECT ROWID, " + colOr(ccols, "guid", "''") + ", " + colOr(ccols, "chat_identifier", "''") +
			", " + colOr(ccols, "service_name", "''") + ", " + colOr(ccols, "display_name", "''") + " FROM chat"
		if err := sqliteread.Query(ctx, db, q, func(s sqliteread.Scanner) error {
			var id int64
			var g, ident, svc, name sql.NullString
			if err := s.Scan(&id, &g, &ident, &svc, &name); err != nil {
				return err
			}
			r.chats[id] = &chat{guid: g.String, identifier: ident.String, service: svc.String, name: name.String}
			return nil
		}); err != nil {
			return fmt.Errorf("read chat table: %w", err)
		}
	}
	if have["chat_handle_join"] {
		if err := sqliteread.Query(ctx, db, "SELECT chat_id, handle_id FROM chat_handle_join ORDER BY chat_id, handle_id",
			func(s sqliteread.Scanner) error {
				var c, h sql.NullInt64
				if err := s.Scan(&c, &h); err != nil {
					return err
				}
				if ch := r.chats[c.Int64]; ch != nil {
					ch.handles = append(ch.handles, h.Int64)
				}
				return nil
			}); err != nil {
			return fmt.Errorf("read chat_handle_join table: %w", err)
		}
	}
	r.msgChats, err = joinMap(ctx, db, "SELECT message_id, chat_id FROM chat_message_join ORDER BY message_id, chat_id")
	if err != nil {
		return fmt.Errorf("read chat_message_join table: %w", err)
	}
	if have["chat_recoverable_message_join"] {
		r.deleted, err = joinMap(ctx, db,
			"SELECT message_id, chat_id FROM chat_recoverable_message_join ORDER BY message_id, chat_id")
		if err != nil {
			return fmt.Errorf("read chat_recoverable_message_join table: %w", err)
		}
	}
	r.attach = map[int64][]importers.Attachment{}
	if have["message_attachment_join"] && have["attachment"] {
		acols, err := sqliteread.Columns(ctx, db, "attachment")
		if err != nil {
			return err
		}
		q := "SELECT j.message_id, " + colOr(acols, "a.transfer_name", "NULL") + ", " + colOr(acols, "a.filename", "NULL") +
			", " + colOr(acols, "a.mime_type", "NULL") + ", " + colOr(acols, "a.total_bytes", "0") +
			" FROM message_attachment_join j JOIN attachment a ON a.ROWID = j.attachment_id ORDER BY j.message_id, j.attachment_id"
		if err := sqliteread.Query(ctx, db, q, func(s sqliteread.Scanner) error {
			var mid sql.NullInt64
			var transfer, file, mime sql.NullString
			var size sql.NullInt64
			if err := s.Scan(&mid, &transfer, &file, &mime, &size); err != nil {
				return err
			}
			name := transfer.String
			if name == "" {
				name = filepath.Base(filepath.FromSlash(file.String))
				if file.String == "" {
					name = ""
				}
			}
			r.attach[mid.Int64] = append(r.attach[mid.Int64], importers.Attachment{Name: name, MIME: mime.String, Size: size.Int64})
			return nil
		}); err != nil {
			return fmt.Errorf("read attachment table: %w", err)
		}
	}
	return nil
}

// colOr returns col when table columns have has it (col may be "alias.name"), else the SQL fallback.
func colOr(have map[string]bool, col, fallback string) string {
	name := col
	if i := strings.IndexByte(col, '.'); i >= 0 {
		name = col[i+1:]
	}
	if have[name] {
		return col
	}
	return fallback
}

// joinMap reads (key, value) integer pairs into a map of slices.
func joinMap(ctx context.Context, db *sql.DB, q string) (map[int64][]int64, error) {
	m := map[int64][]int64{}
	err := sqliteread.Query(ctx, db, q, func(s sqliteread.Scanner) error {
		var k, v sql.NullInt64
		if err := s.Scan(&k, &v); err != nil {
			return err
		}
		m[k.Int64] = append(m[k.Int64], v.Int64)
		return nil
	})
	return m, err
}

// messageColumns are read from the message table when present, in this order.
var messageColumns = []string{
	"rowid", "guid", "text", "attributedbody", "handle_id", "service", "date",
	"is_from_me", "item_type", "associated_message_type", "associated_message_guid",
	// kept in Extra when set:
	"date_read", "date_delivered", "date_edited", "date_retracted", "subject", "group_title",
	"thread_originator_guid", "reply_to_guid", "balloon_bundle_id", "destination_caller_id",
	"account", "other_handle", "is_sent", "is_delivered", "is_read", "error", "group_action_type",
	"is_system_message", "is_audio_message", "expressive_send_style_id", "cache_roomnames", "country",
}

// extraFrom is where Extra keys start in messageColumns.
const extraFrom = 11

// messages walks the message table in ROWID order.
func (r *reader) messages(ctx context.Context, db *sql.DB) error {
	have, err := sqliteread.Columns(ctx, db, "message")
	if err != nil {
		return err
	}
	have["rowid"] = true
	var cols []string
	var sel []string
	for _, c := range messageColumns {
		if have[c] {
			cols = append(cols, c)
			sel = append(sel, `"`+c+`"`)
		}
	}
	var total int64
	var size int64
	if r.opt.Progress != nil {
		if st, err := os.Stat(r.path); err == nil {
			size = st.Size()
		}
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM message").Scan(&total); err != nil {
			return fmt.Errorf("count messages: %w", err)
		}
	}
	// A row longer than the record limit (a text or attributedBody of hundreds of MB) is measured
	// in SQL, reported in its place and never loaded.
	limit := r.opt.RecordLimit()
	rowSize := sqliteread.SizeExpr(cols[1:]) // all but rowid
	over, err := sqliteread.FindOversized(ctx, db, "message", "ROWID", rowSize, limit)
	if err != nil {
		return err
	}
	skipOver := func(before int64, all bool) {
		for len(over) > 0 && (all || over[0].Key < before) {
			r.sink.Problem(sqliteread.TooLong(over[0].Size, limit).Problem("message ROWID " + strconv.FormatInt(over[0].Key, 10)))
			over = over[1:]
		}
	}
	rows, err := db.QueryContext(ctx, "SELECT "+strings.Join(sel, ", ")+" FROM message WHERE "+rowSize+" <= ? ORDER BY ROWID", limit)
	if err != nil {
		return fmt.Errorf("read message table: %w", err)
	}
	defer rows.Close()
	idx := make(map[string]int, len(cols))
	for i, c := range cols {
		idx[c] = i
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var n, last int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return &importers.ParseError{File: filepath.Base(r.path), Location: fmt.Sprintf("message after ROWID %d", last), Err: err}
		}
		row := msgRow{vals: vals, idx: idx}
		skipOver(asInt(row.get("rowid")), false)
		rec, probs := r.record(row)
		last = asInt(row.get("rowid"))
		for _, p := range probs {
			r.sink.Problem(p)
		}
		if err := r.sink.Record(rec); err != nil {
			return err
		}
		n++
		if n%512 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if r.opt.Progress != nil && total > 0 {
				r.opt.Progress(size*min(n, total)/total, size)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return &importers.ParseError{File: filepath.Base(r.path), Location: fmt.Sprintf("message after ROWID %d", last), Err: err}
	}
	skipOver(0, true)
	if r.opt.Progress != nil {
		r.opt.Progress(size, size)
	}
	return nil
}

// msgRow is one row of the message query; absent columns read as NULL.
type msgRow struct {
	vals []any
	idx  map[string]int
}

func (m msgRow) get(col string) any {
	if i, ok := m.idx[col]; ok {
		return m.vals[i]
	}
	return nil
}

var (
	reasonBodyText = importers.NewReason("apple-body-text", "text from attributedBody: {{.Err}}")
	reasonBadDate  = importers.NewReason("apple-bad-date", "date {{.Raw}} is not a number of seconds or nanoseconds since 2001")
	reasonNoDate   = importers.NewReason("apple-no-date", "no date")
	reasonDateZero = importers.NewReason("apple-date-zero", "date is 0 (not set)")
	reasonNoChat   = importers.NewReason("apple-no-chat", "chat ROWID {{.ID}} is not in the chat table")
	reasonNoHandle = importers.NewReason("apple-no-handle", "handle_id {{.ID}} is not in the handle table")
	reasonNoSender = importers.NewReason("apple-no-sender", "received message without a sender (handle_id 0)")
)

// record turns one message row into a Record and the problems met on the way.
func (r *reader) record(row msgRow) (importers.Record, []importers.Problem) {
	id := asInt(row.get("rowid"))
	loc := "message ROWID " + strconv.FormatInt(id, 10)
	var probs []importers.Problem
	warn := func(r importers.Reason, a ...any) {
		probs = append(probs, r.M(a...).Warning(loc))
	}
	rec := importers.Record{
		Location:   loc,
		PlatformID: sqliteread.Text(row.get("guid")),
		Kind:       "message",
		Extra:      map[string]string{},
	}

	// Text: message.text, else (NULL or empty) the typedstream in attributedBody.
	rec.Text = sqliteread.Text(row.get("text"))
	if blob := asBytes(row.get("attributedbody")); rec.Text == "" && len(blob) > 0 {
		text, err := AttributedBodyText(blob)
		rec.Text = text
		if err != nil {
			warn(reasonBodyText, "Err", err)
		}
	}

	// Service and platform.
	service := sqliteread.Text(row.get("service"))
	if service != "" {
		rec.Extra["service"] = service
	}
	rec.Platform = platform(service)

	// Time.
	if v := row.get("date"); v != nil {
		rec.RawTime = sqliteread.Raw(v)
		if t, ok := appleTime(v); ok {
			rec.Time = t
		} else {
			warn(reasonBadDate, "Raw", strconv.Quote(rec.RawTime))
		}
	} else {
		warn(reasonNoDate)
	}
	if rec.RawTime == "0" {
		rec.Time = time.Time{}
		warn(reasonDateZero)
	}

	// Kind.
	assoc := asInt(row.get("associated_message_type"))
	switch {
	case assoc == 1000 || (assoc >= 2000 && assoc < 4000):
		rec.Kind = "reaction"
	case asInt(row.get("item_type")) != 0:
		rec.Kind = "event"
	}
	if assoc != 0 {
		rec.Extra["associated_message_type"] = strconv.FormatInt(assoc, 10)
	}
	if g := sqliteread.Text(row.get("associated_message_guid")); g != "" {
		rec.Extra["associated_message_guid"] = g
	}
	if it := asInt(row.get("item_type")); it != 0 {
		rec.Extra["item_type"] = strconv.FormatInt(it, 10)
	}

	// Conversation.
	chats := r.msgChats[id]
	if len(chats) == 0 && len(r.deleted[id]) > 0 {
		chats = r.deleted[id]
		rec.Extra["recently_deleted"] = "true"
	}
	var ch *chat
	if len(chats) > 0 {
		ch = r.chats[chats[0]]
		if ch == nil {
			warn(reasonNoChat, "ID", chats[0])
			rec.Conversation = "chat ROWID " + strconv.FormatInt(chats[0], 10)
		} else {
			rec.Conversation = ch.guid
			if ch.identifier != "" {
				rec.Extra["chat_identifier"] = ch.identifier
			}
			if ch.name != "" {
				rec.Extra["chat_display_name"] = ch.name
			}
		}
		if len(chats) > 1 {
			others := make([]string, 0, len(chats)-1)
			for _, c := range chats[1:] {
				if o := r.chats[c]; o != nil {
					others = append(others, o.guid)
				} else {
					others = append(others, "chat ROWID "+strconv.FormatInt(c, 10))
				}
			}
			rec.Extra["other_chats"] = strings.Join(others, " ")
		}
	}

	// Parties.
	hid := asInt(row.get("handle_id"))
	var hp importers.Party
	if hid != 0 {
		if h, ok := r.handles[hid]; ok {
			hp = r.party(h.id)
		} else {
			warn(reasonNoHandle, "ID", hid)
			hp = importers.Party{ID: "handle ROWID " + strconv.FormatInt(hid, 10)}
		}
	}
	owner := r.owner(row)
	var members []importers.Party // chat members other than hp
	if ch != nil {
		for _, h := range ch.handles {
			if h == hid {
				continue
			}
			if hh, ok := r.handles[h]; ok {
				members = append(members, r.party(hh.id))
			}
		}
	}
	if asInt(row.get("is_from_me")) != 0 {
		rec.Direction = importers.Outgoing
		rec.Sender = owner
		if !hp.IsZero() {
			rec.Recipients = append(rec.Recipients, hp)
		}
		rec.Recipients = append(rec.Recipients, members...)
	} else {
		rec.Direction = importers.Incoming
		rec.Sender = hp
		if hp.IsZero() && rec.Kind == "message" {
			warn(reasonNoSender)
		}
		if !owner.IsZero() {
			rec.Recipients = append(rec.Recipients, owner)
		}
		rec.Recipients = append(rec.Recipients, members...)
	}

	rec.Attachments = r.attach[id]

	for _, c := range messageColumns[extraFrom:] {
		v := row.get(c)
		if v == nil {
			continue
		}
		s := sqliteread.Raw(v)
		if s == "" || s == "0" {
			continue
		}
		rec.Extra[c] = s
	}
	if len(rec.Extra) == 0 {
		rec.Extra = nil
	}
	return rec, probs
}

// owner is the case owner as this row knows it: Options.Owner, else the account the message was
// sent from or to (destination_caller_id, account without its "e:"/"p:" prefix).
func (r *reader) owner(row msgRow) importers.Party {
	raw := r.opt.Owner
	if raw == "" {
		raw = sqliteread.Text(row.get("destination_caller_id"))
	}
	if raw == "" {
		raw = sqliteread.Text(row.get("account"))
		if i := strings.IndexByte(raw, ':'); i == 1 { // "e:me@icloud.com", "p:+336…"
			raw = raw[2:]
		}
	}
	if raw == "" {
		return importers.Party{}
	}
	return r.party(raw)
}

// party builds a Party from a handle id: a phone number (E.164 filled) or an e-mail address.
func (r *reader) party(id string) importers.Party {
	return importers.Party{Raw: id, E164: importers.E164(id, r.opt.Region)}
}

// platform maps message.service to a Record platform.
func platform(service string) string {
	switch s := strings.ToLower(service); s {
	case "imessage", "":
		return "imessage"
	case "sms", "rcs":
		return s
	default:
		return s
	}
}

// appleTime converts a message.date value (seconds or nanoseconds since 2001-01-01 UTC).
func appleTime(v any) (time.Time, bool) {
	var n int64
	switch x := v.(type) {
	case int64:
		n = x
	case float64:
		n = int64(x)
	case string, []byte:
		i, err := strconv.ParseInt(strings.TrimSpace(sqliteread.Text(x)), 10, 64)
		if err != nil {
			return time.Time{}, false
		}
		n = i
	default:
		return time.Time{}, false
	}
	return AppleTime(n), true
}

// AppleTime converts a Messages date to UTC: values above 10^12 (or below -10^12) are
// nanoseconds since 2001-01-01 UTC, smaller ones seconds.
func AppleTime(v int64) time.Time {
	if v > 1e12 || v < -1e12 {
		return time.Unix(appleEpoch+v/1e9, v%1e9).UTC()
	}
	return time.Unix(appleEpoch+v, 0).UTC()
}

func asInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case float64:
		return int64(x)
	case bool:
		if x {
			return 1
		}
	case string, []byte:
		i, _ := strconv.ParseInt(strings.TrimSpace(sqliteread.Text(x)), 10, 64)
		return i
	}
	return 0
}

func asBytes(v any) []byte {
	switch x := v.(type) {
	case []byte:
		return x
	case string:
		return []byte(x)
	}
	return nil
}
