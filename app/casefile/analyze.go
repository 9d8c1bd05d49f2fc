package casefile

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"strconv"
	"time"

	"raidtrace/analysis"
	"raidtrace/importers"
)

// clusteredKinds are the record kinds analysis clusters; others (reactions, system lines) are
// passed with Skip set.
var clusteredKinds = map[string]bool{"": true, "message": true, "donation": true}

// AnalysisInput converts a stored message to the analysis view of it.
func AnalysisInput(m Message) analysis.Message {
	var media []string
	for _, a := range m.Attachments {
		if a.SHA256 != "" {
			media = append(media, a.SHA256)
		}
	}
	return analysis.Message{
		Time:     m.Time,
		Sender:   m.Sender.Key(),
		Name:     m.Sender.Name,
		Media:    media,
		Text:     m.Text,
		Channel:  m.Platform,
		Outgoing: m.Direction == importers.Outgoing,
		Skip:     !clusteredKinds[m.Kind],
	}
}

// analysisInputs returns the analysis input of every message, in the order of [Case.Messages],
// and their IDs. It reads only what the analysis uses ([Row]s), in one read transaction, into
// slices sized from a count: a full Message (with its recipients and extra fields decoded) per
// row costs several times as much.
func (c *impl) analysisInputs(ctx context.Context) ([]analysis.Message, []int64, error) {
	tx, err := c.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, nil, sqlErr(err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM messages").Scan(&n); err != nil {
		return nil, nil, sqlErr(err)
	}
	msgs, ids := make([]analysis.Message, 0, n), make([]int64, 0, n)
	err = eachRow(ctx, tx, func(r Row) error {
		msgs = append(msgs, r.Input)
		ids = append(ids, r.ID)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return msgs, ids, nil
}

func (c *impl) analyze(ctx context.Context, p analysis.Params, progress analysis.Progress) (*Analysis, error) {
	msgs, ids, err := c.analysisInputs(ctx)
	if err != nil {
		return nil, fmt.Errorf("analyze: %w", err)
	}
	return c.analyzeInputs(ctx, msgs, ids, p, progress)
}

// ErrRowsChanged is returned by [Case.AnalyzeRows] when the rows it was given are not the
// case's messages (some were imported since they were read).
var ErrRowsChanged = errors.New("the case's messages changed since they were read")

// analyzeRows is analyze over inputs the caller read with eachRow: ids must be the case's
// message ids in eachRow's order. Stored messages never change, so the inputs are then exactly
// what analysisInputs would read.
func (c *impl) analyzeRows(ctx context.Context, msgs []analysis.Message, ids []int64, p analysis.Params, progress analysis.Progress) (*Analysis, error) {
	if len(msgs) != len(ids) {
		return nil, fmt.Errorf("analyze: %d inputs for %d message ids", len(msgs), len(ids))
	}
	rows, err := c.r.QueryContext(ctx, "SELECT m.id FROM messages m"+messageOrder)
	if err != nil {
		return nil, fmt.Errorf("analyze: %w", sqlErr(err))
	}
	k := 0
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("analyze: %w", sqlErr(err))
		}
		if k >= len(ids) || ids[k] != id {
			rows.Close()
			return nil, fmt.Errorf("analyze: %w", ErrRowsChanged)
		}
		k++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("analyze: %w", sqlErr(err))
	}
	if k != len(ids) {
		return nil, fmt.Errorf("analyze: %w", ErrRowsChanged)
	}
	return c.analyzeInputs(ctx, msgs, slices.Clone(ids), p, progress)
}

// analyzeInputs analyses msgs (ids[i] is msgs[i]'s message id), stores and logs the result.
func (c *impl) analyzeInputs(ctx context.Context, msgs []analysis.Message, ids []int64, p analysis.Params, progress analysis.Progress) (*Analysis, error) {
	res, err := analysis.Analyze(ctx, msgs, p, progress)
	if err != nil {
		return nil, fmt.Errorf("analyze: %w", err)
	}
	// The analysis's working memory is garbage now, and unless the caller keeps msgs so is the
	// input (all texts and senders) except what the result points into. It is collected and
	// given back to the system before the result is encoded and stored: SQLite's memory for the
	// write is not Go's heap, and would otherwise come on top of the analysis's peak.
	big := len(msgs) >= 100000
	msgs = nil
	if big {
		debug.FreeOSMemory()
	}
	// compressed and encoded a cluster at a time: the JSON is never held whole
	resGz, sum, err := compressResult(res)
	if err != nil {
		return nil, fmt.Errorf("analyze: encoding the result: %w", err)
	}
	paramsJSON, err := json.Marshal(res.Params)
	if err != nil {
		return nil, fmt.Errorf("analyze: encoding the parameters: %w", err)
	}
	idsJSON, _ := json.Marshal(ids)
	at := time.UnixMilli(time.Now().UnixMilli()).UTC()

	// The run is written with a small page cache: the writer's large one is for imports, and
	// filled with this run's rows (hundreds of thousands of members, the result's overflow
	// pages) it would add its size to the command's peak memory; the pages spill to the WAL.
	conn, err := c.w.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("analyze: %w", writeErr(err))
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA cache_size = "+analysisCacheSize); err != nil {
		return nil, fmt.Errorf("analyze: %w", writeErr(err))
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA cache_size = "+writerCacheSize)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("analyze: %w", writeErr(err))
	}
	defer tx.Rollback()
	r, err := tx.ExecContext(ctx, "INSERT INTO analysis_runs (at, params, result, message_ids) VALUES (?, ?, ?, ?)",
		at.UnixMilli(), string(paramsJSON), resGz, string(idsJSON))
	if err != nil {
		return nil, fmt.Errorf("analyze: %w", writeErr(err))
	}
	run, err := r.LastInsertId()
	if err != nil {
		return nil, fmt.Errorf("analyze: %w", err)
	}
	// Only the latest run's memberships are kept as rows; earlier runs keep their result JSON.
	if _, err := tx.ExecContext(ctx, "DELETE FROM cluster_members WHERE run < ?", run); err != nil {
		return nil, fmt.Errorf("analyze: %w", writeErr(err))
	}
	members, err := insertMembers(ctx, tx, run, res.Clusters, ids)
	if err != nil {
		return nil, err
	}
	in, err := readInfo(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("analyze: %w", err)
	}
	// decoded with json.Number, not float64: the 64-bit seed and every other integer are logged
	// exactly as parameters.json holds them
	params, err := decodeDetails(paramsJSON)
	if err != nil {
		return nil, fmt.Errorf("analyze: decoding the parameters: %w", err)
	}
	if _, err := appendLog(ctx, tx, who(in), "analyze", map[string]any{
		"run": run, "params": params, "messages": len(ids), "clusters": len(res.Clusters),
		"members": members, "result_sha256": hex.EncodeToString(sum[:]),
	}); err != nil {
		return nil, fmt.Errorf("analyze: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("analyze: %w", writeErr(err))
	}
	return &Analysis{Run: run, At: at, Result: res, MessageIDs: ids}, nil
}

// membersPerInsert is how many cluster_members rows one INSERT statement writes.
var membersPerInsert = 1 << 16 // a variable for the tests

// insertMembers stores the memberships of run's clusters (ids maps member indexes to message
// ids) and returns how many there are. The rows go to SQLite membersPerInsert at a time as one
// JSON array each: one statement per row costs more time and garbage in the driver than the
// rows cost in SQLite.
func insertMembers(ctx context.Context, tx *sql.Tx, run int64, clusters []analysis.Cluster, ids []int64) (int, error) {
	// in message id order: each row's foreign key looks its message up, and the lookups (and
	// the primary key's inserts) then walk the tables in order instead of at random
	type member struct{ msg, cluster int64 }
	n := 0
	for _, cl := range clusters {
		n += len(cl.Members)
	}
	rows := make([]member, 0, n)
	for _, cl := range clusters {
		for _, i := range cl.Members {
			if i < 0 || i >= len(ids) {
				return 0, fmt.Errorf("analyze: cluster %d has member %d outside the %d messages", cl.ID, i, len(ids))
			}
			rows = append(rows, member{ids[i], int64(cl.ID)})
		}
	}
	slices.SortFunc(rows, func(a, b member) int {
		if a.msg != b.msg {
			return cmp.Compare(a.msg, b.msg)
		}
		return cmp.Compare(a.cluster, b.cluster)
	})
	stmt, err := tx.PrepareContext(ctx, "INSERT OR IGNORE INTO cluster_members (run, cluster_id, message_id) "+
		"SELECT ?, value ->> 1, value ->> 0 FROM json_each(?)")
	if err != nil {
		return 0, fmt.Errorf("analyze: %w", writeErr(err))
	}
	defer stmt.Close()
	var buf []byte
	for lo := 0; lo < len(rows); lo += membersPerInsert {
		buf = append(buf[:0], '[')
		for k, r := range rows[lo:min(lo+membersPerInsert, len(rows))] {
			if k > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, '[')
			buf = strconv.AppendInt(buf, r.msg, 10)
			buf = append(buf, ',')
			buf = strconv.AppendInt(buf, r.cluster, 10)
			buf = append(buf, ']')
		}
		buf = append(buf, ']')
		if _, err := stmt.ExecContext(ctx, run, string(buf)); err != nil {
			return 0, fmt.Errorf("analyze: %w", writeErr(err))
		}
	}
	return len(rows), nil
}

func (c *impl) latestAnalysis(ctx context.Context, mode clusterMode) (*Analysis, error) {
	// The result is read as a blob into sql.RawBytes: the driver's copy is decoded in place,
	// rather than a string and then a []byte copy of it (each hundreds of MB on a million
	// messages).
	rows, err := c.r.QueryContext(ctx, "SELECT id, at, CAST(result AS BLOB), message_ids FROM analysis_runs ORDER BY id DESC LIMIT 1")
	if err != nil {
		return nil, fmt.Errorf("latest analysis: %w", sqlErr(err))
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("latest analysis: %w", sqlErr(err))
		}
		return nil, fmt.Errorf("latest analysis: %w", ErrNotFound)
	}
	var a Analysis
	var at int64
	var res sql.RawBytes
	var ids string
	if err := rows.Scan(&a.Run, &at, &res, &ids); err != nil {
		return nil, fmt.Errorf("latest analysis: %w", sqlErr(err))
	}
	a.At = time.UnixMilli(at).UTC()
	r, err := resultReader(res)
	if err == nil {
		a.Result, _, err = decodeResult(r, mode)
	}
	if err != nil {
		return nil, fmt.Errorf("latest analysis %d: result: %w", a.Run, err)
	}
	if err := json.Unmarshal([]byte(ids), &a.MessageIDs); err != nil {
		return nil, fmt.Errorf("latest analysis %d: message ids: %w", a.Run, err)
	}
	return &a, nil
}

// analysisClusters reads the clusters of stored analysis run again, giving them to fn one at a
// time (see [Case.AnalysisClusters]).
func (c *impl) analysisClusters(ctx context.Context, run int64, fn func(*analysis.Cluster) error) (bool, error) {
	rows, err := c.r.QueryContext(ctx, "SELECT CAST(result AS BLOB) FROM analysis_runs WHERE id = ?", run)
	if err != nil {
		return false, fmt.Errorf("analysis %d: %w", run, sqlErr(err))
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return false, fmt.Errorf("analysis %d: %w", run, sqlErr(err))
		}
		return false, fmt.Errorf("analysis %d: %w", run, ErrNotFound)
	}
	var res sql.RawBytes
	if err := rows.Scan(&res); err != nil {
		return false, fmt.Errorf("analysis %d: %w", run, sqlErr(err))
	}
	r, err := resultReader(res)
	var null bool
	if err == nil {
		_, null, err = decodeResult(r, clusterMode{each: fn})
	}
	if err != nil {
		return false, fmt.Errorf("analysis %d: result: %w", run, err)
	}
	return null, nil
}

// skipped is a JSON value that is read past and dropped.
type skipped struct{}

func (*skipped) UnmarshalJSON([]byte) error { return nil }

// ResultSHA256 is the SHA-256 (hex) of the stored JSON of the analysis result, as logged.
func (a *Analysis) ResultSHA256() string {
	b, _ := json.Marshal(a.Result)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// ClusterMessageIDs returns the Message.IDs of cluster id's members, in the cluster's order.
func (a *Analysis) ClusterMessageIDs(id int) []int64 {
	if a.Result == nil {
		return nil
	}
	for _, cl := range a.Result.Clusters {
		if cl.ID != id {
			continue
		}
		out := make([]int64, 0, len(cl.Members))
		for _, i := range cl.Members {
			if i >= 0 && i < len(a.MessageIDs) {
				out = append(out, a.MessageIDs[i])
			}
		}
		return out
	}
	return nil
}
