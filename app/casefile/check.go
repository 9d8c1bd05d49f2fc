package casefile

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
)

// ErrCorrupt wraps what [Case.Check] finds wrong besides the custody chain.
var ErrCorrupt = errors.New("case file damaged")

// Check verifies the whole case: SQLite's integrity check, the custody chain ([ErrChain]), and
// for every source that its stored bytes still have the recorded size and SHA-256 and that it
// is complete ([ErrCorrupt]). It reads every original, so it takes time on a big case. The
// error names the first problem found.
func (c *Case) Check(ctx context.Context) error {
	rows, err := c.r.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return fmt.Errorf("check: %w", sqlErr(err))
	}
	var msgs []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return fmt.Errorf("check: %w", sqlErr(err))
		}
		msgs = append(msgs, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("check: %w", sqlErr(err))
	}
	if len(msgs) != 1 || msgs[0] != "ok" {
		return fmt.Errorf("%w: integrity check: %v", ErrCorrupt, msgs)
	}
	if err := c.VerifyCustody(ctx); err != nil {
		return err
	}
	srcs, err := c.Sources(ctx)
	if err != nil {
		return err
	}
	for _, s := range srcs {
		if !s.Complete {
			return fmt.Errorf("%w: source %d (%s) is incomplete", ErrCorrupt, s.ID, s.Name)
		}
		rc, err := c.Original(ctx, s.ID)
		if err != nil {
			return err
		}
		h := sha256.New()
		n, err := io.Copy(h, rc)
		rc.Close()
		if err != nil {
			return fmt.Errorf("check: source %d (%s): %w", s.ID, s.Name, err)
		}
		if got := hex.EncodeToString(h.Sum(nil)); n != s.Size || got != s.SHA256 {
			return fmt.Errorf("%w: source %d (%s): stored bytes are %d bytes with SHA-256 %s, recorded %d bytes %s",
				ErrCorrupt, s.ID, s.Name, n, got, s.Size, s.SHA256)
		}
		var count int
		if err := c.r.QueryRowContext(ctx, "SELECT count(*) FROM messages WHERE source_id = ?", s.ID).Scan(&count); err != nil {
			return fmt.Errorf("check: %w", sqlErr(err))
		}
		if count != s.Records {
			return fmt.Errorf("%w: source %d (%s): %d messages stored, %d recorded", ErrCorrupt, s.ID, s.Name, count, s.Records)
		}
	}
	return nil
}
