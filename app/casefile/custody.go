package casefile

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// Tool is the custody log's Tool value for this build.
func Tool() string { return "raidtrace/" + Version }

// EntryHash is the hash an entry must carry: the SHA-256 (hex) of its canonical JSON with Hash
// set to "". The canonical JSON is encoding/json's encoding of [CustodyEntry] (fields in struct
// order, At in RFC 3339 UTC with at most millisecond precision, Details keys sorted, numbers
// written as they were first encoded).
func EntryHash(e CustodyEntry) string {
	e.Hash = ""
	e.At = e.At.UTC()
	if len(e.Details) > 0 {
		if d, err := canonicalDetails(e.Details); err == nil {
			e.Details = d
		}
	}
	b, err := json.Marshal(e)
	if err != nil {
		// Details that cannot be encoded cannot be logged either (appendLog checks first).
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// canonicalDetails returns details as a JSON round trip would give them back (structs become
// maps, numbers become json.Number), so that the hash computed at logging time and the one
// recomputed from the stored or exported entry agree.
func canonicalDetails(d map[string]any) (map[string]any, error) {
	b, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	return decodeDetails(b)
}

func decodeDetails(b []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out map[string]any
	if err := dec.Decode(&out); err != nil {
		return nil, err
	}
	return out, nil
}

// VerifyChain checks that entries form an unbroken chain: sequence numbers 1, 2, 3…, each Prev
// equal to the previous Hash ("" for the first) and each Hash equal to [EntryHash]. The error
// wraps ErrChain and names the first bad entry's sequence number. It is what [Case.VerifyCustody]
// runs and what a bundle verifier runs on the exported custody log.
func VerifyChain(entries []CustodyEntry) error {
	prev := ""
	for i, e := range entries {
		if want := int64(i + 1); e.Seq != want {
			return fmt.Errorf("%w: entry %d: sequence number %d, want %d (entry missing or inserted)", ErrChain, want, e.Seq, want)
		}
		if e.Prev != prev {
			return fmt.Errorf("%w: entry %d: prev %.12s… does not match the previous entry's hash %.12s…", ErrChain, e.Seq, e.Prev, prev)
		}
		if h := EntryHash(e); h != e.Hash {
			return fmt.Errorf("%w: entry %d (%s): content does not match its hash", ErrChain, e.Seq, e.Action)
		}
		prev = e.Hash
	}
	return nil
}

// appendLog adds an entry inside tx (which holds the write lock, so the chain cannot fork).
func appendLog(ctx context.Context, tx *sql.Tx, who, action string, details map[string]any) (CustodyEntry, error) {
	if action == "" {
		return CustodyEntry{}, fmt.Errorf("custody log: empty action")
	}
	var detailsJSON any // NULL when empty
	if len(details) > 0 {
		d, err := canonicalDetails(details)
		if err != nil {
			return CustodyEntry{}, fmt.Errorf("custody log: details: %w", err)
		}
		details = d
		b, _ := json.Marshal(d)
		detailsJSON = string(b)
	} else {
		details = nil
	}
	e := CustodyEntry{At: time.UnixMilli(time.Now().UnixMilli()).UTC(), Who: who, Tool: Tool(),
		Action: action, Details: details}
	err := tx.QueryRowContext(ctx, "SELECT seq, hash FROM custody ORDER BY seq DESC LIMIT 1").Scan(&e.Seq, &e.Prev)
	if err := sqlErr(err); err != nil && err != ErrNotFound {
		return CustodyEntry{}, fmt.Errorf("custody log: %w", err)
	}
	e.Seq++
	e.Hash = EntryHash(e)
	if _, err := tx.ExecContext(ctx, `INSERT INTO custody (seq, at, who, tool, action, details, prev, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, e.Seq, e.At.UnixMilli(), e.Who, e.Tool, e.Action, detailsJSON,
		e.Prev, e.Hash); err != nil {
		return CustodyEntry{}, fmt.Errorf("custody log: %w", writeErr(err))
	}
	return e, nil
}

// log appends an entry in its own transaction.
func (c *impl) log(ctx context.Context, action string, details map[string]any) (CustodyEntry, error) {
	tx, err := c.w.BeginTx(ctx, nil)
	if err != nil {
		return CustodyEntry{}, fmt.Errorf("custody log: %w", writeErr(err))
	}
	defer tx.Rollback()
	in, err := readInfo(ctx, tx)
	if err != nil {
		return CustodyEntry{}, err
	}
	e, err := appendLog(ctx, tx, who(in), action, details)
	if err != nil {
		return CustodyEntry{}, err
	}
	if err := tx.Commit(); err != nil {
		return CustodyEntry{}, fmt.Errorf("custody log: %w", writeErr(err))
	}
	return e, nil
}

func (c *impl) custody(ctx context.Context) ([]CustodyEntry, error) {
	rows, err := c.r.QueryContext(ctx, "SELECT seq, at, who, tool, action, details, prev, hash FROM custody ORDER BY seq")
	if err != nil {
		return nil, fmt.Errorf("custody log: %w", sqlErr(err))
	}
	defer rows.Close()
	var out []CustodyEntry
	for rows.Next() {
		var e CustodyEntry
		var at int64
		var details sql.NullString
		if err := rows.Scan(&e.Seq, &at, &e.Who, &e.Tool, &e.Action, &details, &e.Prev, &e.Hash); err != nil {
			return nil, fmt.Errorf("custody log: %w", sqlErr(err))
		}
		e.At = time.UnixMilli(at).UTC()
		if details.Valid {
			d, err := decodeDetails([]byte(details.String))
			if err != nil {
				return nil, fmt.Errorf("%w: entry %d: details are not JSON: %v", ErrChain, e.Seq, err)
			}
			e.Details = d
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("custody log: %w", sqlErr(err))
	}
	return out, nil
}

func (c *impl) verifyCustody(ctx context.Context) error {
	entries, err := c.custody(ctx)
	if err != nil {
		return err
	}
	return VerifyChain(entries)
}

// WriteCustodyJSONL writes entries one JSON object per line, the form the evidence bundle keeps
// and [ReadCustodyJSONL] reads back.
func WriteCustodyJSONL(w io.Writer, entries []CustodyEntry) error {
	enc := json.NewEncoder(w)
	for _, e := range entries {
		if err := enc.Encode(e); err != nil {
			return fmt.Errorf("custody entry %d: %w", e.Seq, err)
		}
	}
	return nil
}

// ReadCustodyJSONL reads a custody log written by [WriteCustodyJSONL], keeping numbers exactly as
// written (json.Number) so that [VerifyChain] recomputes the same hashes. Blank lines are ignored;
// a line that is not an entry is an error naming its line number.
func ReadCustodyJSONL(r io.Reader) ([]CustodyEntry, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	var out []CustodyEntry
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		dec.DisallowUnknownFields()
		var e CustodyEntry
		if err := dec.Decode(&e); err != nil {
			return out, fmt.Errorf("custody log line %d: %w", line, err)
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("custody log: %w", err)
	}
	return out, nil
}
