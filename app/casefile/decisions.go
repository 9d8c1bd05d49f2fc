package casefile

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Verdicts of a [Decision].
const (
	Confirmed = "confirmed"
	Rejected  = "rejected"
)

// decide appends d; an earlier decision on the same message and subject stays and is marked as
// superseded by the new one (Decision.Supersedes).
func (c *impl) decide(ctx context.Context, d Decision) error {
	if d.Subject != "member" && !strings.HasPrefix(d.Subject, "flag:") {
		return fmt.Errorf("decision: subject %q: want \"member\" or \"flag:<category>\"", d.Subject)
	}
	if d.Verdict == "" {
		return fmt.Errorf("decision: empty verdict")
	}
	tx, err := c.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("decision: %w", writeErr(err))
	}
	defer tx.Rollback()
	in, err := readInfo(ctx, tx)
	if err != nil {
		return fmt.Errorf("decision: %w", err)
	}
	if d.Who == "" {
		d.Who = who(in)
	}
	if d.At.IsZero() {
		d.At = time.Now()
	}
	d.At = time.UnixMilli(d.At.UnixMilli()).UTC()
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM messages WHERE id = ?", d.MessageID).Scan(&n); err != nil {
		return fmt.Errorf("decision: %w", sqlErr(err))
	}
	if n == 0 {
		return fmt.Errorf("decision: message %d: %w", d.MessageID, ErrNotFound)
	}
	var prev sql.NullInt64
	if err := tx.QueryRowContext(ctx, "SELECT max(id) FROM decisions WHERE message_id = ? AND subject = ?",
		d.MessageID, d.Subject).Scan(&prev); err != nil {
		return fmt.Errorf("decision: %w", sqlErr(err))
	}
	r, err := tx.ExecContext(ctx, `INSERT INTO decisions (message_id, cluster_id, subject, verdict, note, who, at, supersedes)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, d.MessageID, d.ClusterID, d.Subject, d.Verdict, d.Note, d.Who,
		d.At.UnixMilli(), prev)
	if err != nil {
		return fmt.Errorf("decision: %w", writeErr(err))
	}
	id, _ := r.LastInsertId()
	details := map[string]any{"decision": id, "message_id": d.MessageID, "exhibit": ExhibitID(d.MessageID),
		"subject": d.Subject, "verdict": d.Verdict, "decided_by": d.Who}
	if d.ClusterID != 0 {
		details["cluster_id"] = d.ClusterID
	}
	if d.Note != "" {
		details["note"] = d.Note
	}
	if prev.Valid {
		details["supersedes"] = prev.Int64
	}
	if _, err := appendLog(ctx, tx, who(in), "decision", details); err != nil {
		return fmt.Errorf("decision: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("decision: %w", writeErr(err))
	}
	return nil
}

func (c *impl) decisions(ctx context.Context) ([]Decision, error) {
	rows, err := c.r.QueryContext(ctx, `SELECT id, message_id, cluster_id, subject, verdict, note, who, at,
		coalesce(supersedes, 0) FROM decisions ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("decisions: %w", sqlErr(err))
	}
	defer rows.Close()
	var out []Decision
	for rows.Next() {
		var d Decision
		var at int64
		if err := rows.Scan(&d.ID, &d.MessageID, &d.ClusterID, &d.Subject, &d.Verdict, &d.Note, &d.Who, &at,
			&d.Supersedes); err != nil {
			return nil, fmt.Errorf("decisions: %w", sqlErr(err))
		}
		d.At = time.UnixMilli(at).UTC()
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("decisions: %w", sqlErr(err))
	}
	return out, nil
}
