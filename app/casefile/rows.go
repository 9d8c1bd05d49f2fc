package casefile

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"raidtrace/analysis"
	"raidtrace/importers"
)

// Row is one message reduced to what list views and the analysis read: the analysis input
// ([AnalysisInput] of the message) and the few columns a table adds. Reading rows costs a
// fraction of [Case.Messages]: recipients, extra fields, locations and hashes are not read, and
// the repeated short strings (direction, platform, kind) are shared rather than allocated per row.
type Row struct {
	ID       int64
	SourceID int64
	// RawTime is the time as the source wrote it, read only for messages without a Time (the
	// only ones a list shows it for); "" otherwise.
	RawTime   string
	Direction importers.Direction
	Input     analysis.Message
}

// rowSelect reads the columns of [Row], in the order of [Case.Messages].
const rowSelect = `SELECT m.id, m.source_id, m.time, CASE WHEN m.time IS NULL THEN m.raw_time ELSE '' END,
	m.sender_raw, m.sender_e164, m.sender_handle, m.sender_name, m.sender_id, m.direction, m.text,
	m.attachments, m.kind, m.platform FROM messages m` + messageOrder

// EachRow calls fn for every message of the case as a [Row], in the order of [Case.Messages],
// reading them as it goes from one consistent snapshot. It stops at fn's first error and
// returns it. Use [Case.CountMessages] to size what fn fills.
func (c *Case) EachRow(ctx context.Context, fn func(Row) error) error {
	tx, err := c.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("rows: %w", sqlErr(err))
	}
	defer tx.Rollback()
	return eachRow(ctx, tx, fn)
}

func eachRow(ctx context.Context, tx *sql.Tx, fn func(Row) error) error {
	rows, err := tx.QueryContext(ctx, rowSelect)
	if err != nil {
		return fmt.Errorf("rows: %w", sqlErr(err))
	}
	defer rows.Close()
	var sh shared
	for rows.Next() {
		var m Message
		var t sql.NullInt64
		var att sql.NullString
		var dir, kind, platform sql.RawBytes
		if err := rows.Scan(&m.ID, &m.SourceID, &t, &m.RawTime, &m.Sender.Raw, &m.Sender.E164, &m.Sender.Handle,
			&m.Sender.Name, &m.Sender.ID, &dir, &m.Text, &att, &kind, &platform); err != nil {
			return fmt.Errorf("rows: %w", sqlErr(err))
		}
		m.Direction = importers.Direction(sh.get(dir))
		m.Kind, m.Platform = sh.get(kind), sh.get(platform)
		if t.Valid {
			m.Time = time.UnixMilli(t.Int64).UTC()
		}
		if att.Valid {
			if err := json.Unmarshal([]byte(att.String), &m.Attachments); err != nil {
				return fmt.Errorf("rows: message %d: attachments: %w", m.ID, err)
			}
		}
		r := Row{ID: m.ID, SourceID: m.SourceID, RawTime: m.RawTime, Direction: m.Direction, Input: AnalysisInput(m)}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("rows: %w", sqlErr(err))
	}
	return nil
}

// shared hands out one string per distinct short value (directions, kinds, platforms), so that
// a million rows do not each hold their own copy of "in" or "sms".
type shared map[string]string

func (s *shared) get(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if *s == nil {
		*s = shared{}
	}
	if v, ok := (*s)[string(b)]; ok { // no allocation for the lookup
		return v
	}
	if len(*s) >= 4096 { // not a small set after all: stop remembering
		return string(b)
	}
	v := string(b)
	(*s)[v] = v
	return v
}
