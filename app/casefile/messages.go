package casefile

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"raidtrace/importers"
)

const messageSelect = `SELECT m.id, m.source_id, s.sha256, m.hash, m.location, m.platform, m.platform_id,
	m.conversation, m.time, m.raw_time, m.time_zone, m.sender_raw, m.sender_e164, m.sender_handle,
	m.sender_name, m.sender_id, m.recipients, m.direction, m.text, m.attachments, m.kind, m.extra,
	coalesce((SELECT min(cm.cluster_id) FROM cluster_members cm WHERE cm.run = ? AND cm.message_id = m.id), 0)
	FROM messages m JOIN sources s ON s.id = m.source_id `

// messageOrder matches the messages_order index: time (unknown times last), then id.
const messageOrder = ` ORDER BY m.time IS NULL, m.time, m.id`

func scanMessage(rows *sql.Rows) (Message, error) {
	var m Message
	var t sql.NullInt64
	var rec, att, extra sql.NullString
	var dir string
	var hash []byte
	err := rows.Scan(&m.ID, &m.SourceID, &m.SourceSHA256, &hash, &m.Location, &m.Platform, &m.PlatformID,
		&m.Conversation, &t, &m.RawTime, &m.TimeZone, &m.Sender.Raw, &m.Sender.E164, &m.Sender.Handle,
		&m.Sender.Name, &m.Sender.ID, &rec, &dir, &m.Text, &att, &m.Kind, &extra, &m.ClusterID)
	if err != nil {
		return m, sqlErr(err)
	}
	m.Hash = hex.EncodeToString(hash)
	m.Direction = importers.Direction(dir)
	if t.Valid {
		m.Time = time.UnixMilli(t.Int64).UTC()
	}
	for _, j := range []struct {
		s sql.NullString
		v any
	}{{rec, &m.Recipients}, {att, &m.Attachments}, {extra, &m.Extra}} {
		if j.s.Valid {
			if err := json.Unmarshal([]byte(j.s.String), j.v); err != nil {
				return m, fmt.Errorf("message %d: %w", m.ID, err)
			}
		}
	}
	return m, nil
}

// latestRun is the id of the latest analysis run, 0 when none.
func latestRun(ctx context.Context, q queryer) (int64, error) {
	var run int64
	err := q.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM analysis_runs").Scan(&run)
	return run, sqlErr(err)
}

// EachMessage calls fn for every message in the order of [Case.Messages], reading them from the
// database as it goes, so that memory does not grow with the case. It stops at fn's first error
// and returns it. It reads a consistent snapshot: an import committed meanwhile is not seen.
// fn may call other methods of the case, but should be quick: the snapshot and one connection
// of the read pool are held until EachMessage returns.
func (c *Case) EachMessage(ctx context.Context, fn func(Message) error) error {
	return c.eachMessage(ctx, "", nil, fn)
}

// MessagesPage returns up to limit messages starting at offset in the order of [Case.Messages],
// for list views that load what they show. Use it with [Case.CountMessages]; offsets are only
// stable while nothing is imported.
func (c *Case) MessagesPage(ctx context.Context, offset, limit int) ([]Message, error) {
	out := make([]Message, 0, min(max(limit, 0), 10000))
	err := c.eachMessage(ctx, " LIMIT ? OFFSET ?", []any{limit, offset}, func(m Message) error {
		out = append(out, m)
		return nil
	})
	return out, err
}

// Message returns one message by id.
func (c *Case) Message(ctx context.Context, id int64) (Message, error) {
	run, err := latestRun(ctx, c.r)
	if err != nil {
		return Message{}, fmt.Errorf("message %d: %w", id, err)
	}
	rows, err := c.r.QueryContext(ctx, messageSelect+"WHERE m.id = ?", run, id)
	if err != nil {
		return Message{}, fmt.Errorf("message %d: %w", id, sqlErr(err))
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return Message{}, fmt.Errorf("message %d: %w", id, sqlErr(err))
		}
		return Message{}, fmt.Errorf("message %d: %w", id, ErrNotFound)
	}
	return scanMessage(rows)
}

func (c *impl) eachMessage(ctx context.Context, tail string, args []any, fn func(Message) error) error {
	// One read transaction, so that the run id and the messages come from the same snapshot.
	tx, err := c.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("messages: %w", sqlErr(err))
	}
	defer tx.Rollback()
	run, err := latestRun(ctx, tx)
	if err != nil {
		return fmt.Errorf("messages: %w", err)
	}
	rows, err := tx.QueryContext(ctx, messageSelect+messageOrder+tail, append([]any{run}, args...)...)
	if err != nil {
		return fmt.Errorf("messages: %w", sqlErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return fmt.Errorf("messages: %w", err)
		}
		if err := fn(m); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("messages: %w", sqlErr(err))
	}
	return nil
}

func (c *impl) messages(ctx context.Context) ([]Message, error) {
	n, err := c.countMessages(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Message, 0, n)
	err = c.eachMessage(ctx, "", nil, func(m Message) error {
		out = append(out, m)
		return nil
	})
	return out, err
}

func (c *impl) countMessages(ctx context.Context) (int, error) {
	var n int
	if err := c.r.QueryRowContext(ctx, "SELECT count(*) FROM messages").Scan(&n); err != nil {
		return 0, fmt.Errorf("count messages: %w", sqlErr(err))
	}
	return n, nil
}

// MessagesAfter returns up to limit messages that follow message after in the order of
// [Case.Messages] (after = 0: from the first). Unlike [Case.MessagesPage] its cost does not grow
// with the position in the list, so a list view can walk a million messages page by page.
func (c *Case) MessagesAfter(ctx context.Context, after int64, limit int) ([]Message, error) {
	out := make([]Message, 0, min(max(limit, 0), 10000))
	add := func(m Message) error { out = append(out, m); return nil }
	if after == 0 {
		err := c.eachMessage(ctx, " LIMIT ?", []any{limit}, add)
		return out, err
	}
	var t sql.NullInt64
	err := c.r.QueryRowContext(ctx, "SELECT time FROM messages WHERE id = ?", after).Scan(&t)
	if err != nil {
		return nil, fmt.Errorf("messages after %d: %w", after, sqlErr(err))
	}
	// Timed messages first, then those without a time (the messages_order index serves both).
	if t.Valid {
		err = c.eachWhere(ctx, "WHERE (m.time IS NULL) = 0 AND (m.time, m.id) > (?, ?)", []any{t.Int64, after, limit}, add)
		if err == nil && len(out) < limit {
			err = c.eachWhere(ctx, "WHERE (m.time IS NULL) = 1", []any{limit - len(out)}, add)
		}
	} else {
		err = c.eachWhere(ctx, "WHERE (m.time IS NULL) = 1 AND m.id > ?", []any{after, limit}, add)
	}
	return out, err
}

func (c *impl) eachWhere(ctx context.Context, where string, args []any, fn func(Message) error) error {
	run, err := latestRun(ctx, c.r)
	if err != nil {
		return fmt.Errorf("messages: %w", err)
	}
	rows, err := c.r.QueryContext(ctx, messageSelect+where+messageOrder+" LIMIT ?", append([]any{run}, args...)...)
	if err != nil {
		return fmt.Errorf("messages: %w", sqlErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return fmt.Errorf("messages: %w", err)
		}
		if err := fn(m); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("messages: %w", sqlErr(err))
	}
	return nil
}
