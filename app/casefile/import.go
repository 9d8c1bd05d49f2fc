package casefile

import (
	"archive/tar"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"raidtrace/importers"
)

// ChunkSize is the size of the pieces an original is stored in.
const ChunkSize = 4 << 20

// maxProblems bounds the problems kept per import (a hostile file can have millions); the
// summary's Skipped still counts them all and a last problem says how many were left out.
const maxProblems = 100_000

// batchSize is the number of records per multi-row INSERT.
const batchSize = 64

// The reasons of the problems a folder import lists for the entries of the folder it does not
// read ([writeFolderTar]).
var (
	SymlinkNotFollowed = importers.NewReason("folder-symlink", "symbolic link not followed: stored as a link in the original, its target was not read").M()
	SpecialFileLeftOut = importers.NewReason("folder-special-file", "not a regular file, folder or symbolic link (a device, pipe or socket): left out of the original and not read").M()
	reasonNotListed    = importers.NewReason("problems-not-listed", "{{.N}} more problems not listed")
)

// importFile imports path in one transaction. Progress reports three passes over the file
// (hashing, copying into the case, parsing), so total is three times the file's size.
func (c *impl) importFile(ctx context.Context, path string, f importers.Format, progress Progress) (ImportSummary, error) {
	if f.Import == nil {
		return ImportSummary{}, fmt.Errorf("import %s: format %q has no Import", path, f.ID)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return ImportSummary{}, fmt.Errorf("import %s: %w", path, err)
	}
	if progress == nil {
		progress = func(int64, int64, int) {}
	}
	pr := &throttle{fn: progress}
	in, err := c.info(ctx)
	if err != nil {
		return ImportSummary{}, fmt.Errorf("import %s: %w", path, err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		return ImportSummary{}, fmt.Errorf("import %s: %w", path, err)
	}
	folder := st.IsDir()
	if !folder && !st.Mode().IsRegular() {
		return ImportSummary{}, fmt.Errorf("import %s: not a regular file or folder", path)
	}
	size := st.Size()
	total := 3 * size
	if folder {
		total = 0 // known after the first pass
	}
	skip := []string{c.p, c.p + "-wal", c.p + "-shm", c.p + "-journal", c.p + ".lock"}

	// Pass 1: the SHA-256, read only, to recognise a file imported before.
	sum, size, err := hashFile(ctx, abs, folder, skip, func(n int64) { pr.report(n, total, 0, false) })
	if err != nil {
		return ImportSummary{}, fmt.Errorf("import %s: %w", path, err)
	}
	total = 3 * size
	src := Source{Name: filepath.Base(abs), Path: abs, SHA256: sum, Size: size, Format: f.ID, Folder: folder}
	if folder {
		src.Name += ".tar"
	}
	var prevID int64
	err = c.r.QueryRowContext(ctx, "SELECT id FROM sources WHERE sha256 = ? AND complete = 1 ORDER BY id LIMIT 1", sum).Scan(&prevID)
	switch err := sqlErr(err); {
	case err == nil:
		return c.alreadyImported(ctx, in, src, prevID)
	case err != ErrNotFound:
		return ImportSummary{}, fmt.Errorf("import %s: %w", path, err)
	}

	tx, err := c.w.BeginTx(ctx, nil)
	if err != nil {
		return ImportSummary{}, fmt.Errorf("import %s: %w", path, writeErr(err))
	}
	defer tx.Rollback()
	// Again inside the write transaction: the same file may have been imported meanwhile.
	err = tx.QueryRowContext(ctx, "SELECT id FROM sources WHERE sha256 = ? AND complete = 1 ORDER BY id LIMIT 1", sum).Scan(&prevID)
	switch err := sqlErr(err); {
	case err == nil:
		tx.Rollback()
		return c.alreadyImported(ctx, in, src, prevID)
	case err != ErrNotFound:
		return ImportSummary{}, fmt.Errorf("import %s: %w", path, err)
	}
	src.Imported = time.UnixMilli(time.Now().UnixMilli()).UTC()
	res, err := tx.ExecContext(ctx, `INSERT INTO sources (name, path, sha256, size, format, imported_at, folder)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, src.Name, src.Path, src.SHA256, src.Size, src.Format, src.Imported.UnixMilli(), folder)
	if err != nil {
		return ImportSummary{}, fmt.Errorf("import %s: %w", path, writeErr(err))
	}
	if src.ID, err = res.LastInsertId(); err != nil {
		return ImportSummary{}, fmt.Errorf("import %s: %w", path, err)
	}

	// Pass 2: the bytes into the case, hashed again: they must be the bytes of pass 1. The
	// folder's entries the tar does not hold as files are listed, for the summary.
	var left []importers.Problem
	copied, err := copyChunks(ctx, tx, src.ID, abs, folder, skip, func(n int64) { pr.report(size+n, total, 0, false) },
		func(p importers.Problem) { left = append(left, p) })
	if err != nil {
		return ImportSummary{}, fmt.Errorf("import %s: %w", path, err)
	}
	if copied != sum {
		return ImportSummary{}, fmt.Errorf("import %s: the file changed while it was being imported", path)
	}

	// Pass 3: parse and store.
	loc, err := time.LoadLocation(in.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	sink, err := newSink(ctx, tx, src.ID)
	if err != nil {
		return ImportSummary{}, fmt.Errorf("import %s: %w", path, err)
	}
	defer sink.close()
	sink.progress = func() { pr.report(2*size+sink.bytes, total, sink.inserted, false) }
	for _, p := range left {
		sink.Problem(p)
	}
	opt := importers.Options{Region: in.Region, Location: loc,
		Progress: func(done, _ int64) { sink.bytes = done; sink.progress() }}
	perr := f.Import(ctx, abs, opt, sink)
	if perr == nil {
		perr = sink.flush()
	}
	if err := ctx.Err(); err != nil {
		return ImportSummary{}, fmt.Errorf("import %s: %w", path, err)
	}
	if sink.err != nil { // a write failure, reported through Record
		return ImportSummary{}, fmt.Errorf("import %s: %w", path, sink.err)
	}
	if perr != nil {
		var pe *importers.ParseError
		switch {
		case errors.As(perr, &pe):
			loc := pe.Location
			if loc == "" && pe.Line > 0 {
				loc = fmt.Sprintf("line %d", pe.Line)
			}
			if loc == "" {
				loc = "end of file"
			}
			sink.problemOnce(importers.ErrMsg(pe.Err).Problem(loc))
		case errors.Is(perr, importers.ErrTruncated):
			sink.problemOnce(importers.ErrMsg(perr).Problem("end of file"))
		default:
			return ImportSummary{}, fmt.Errorf("import %s: %w", path, perr)
		}
		if err := sink.flush(); err != nil {
			return ImportSummary{}, fmt.Errorf("import %s: %w", path, err)
		}
	}
	if st2, err := os.Stat(abs); err != nil || !folder && (st2.Size() != st.Size() || !st2.ModTime().Equal(st.ModTime())) {
		return ImportSummary{}, fmt.Errorf("import %s: the file changed while it was being imported", path)
	}
	problems := sink.problems
	if sink.dropped > 0 {
		problems = append(problems, reasonNotListed.M("N", sink.dropped).Problem("(summary)"))
	}
	src.Records, src.Duplicates, src.Problems, src.Complete = sink.inserted, sink.duplicates, problems, true
	pj, _ := json.Marshal(problems)
	if problems == nil {
		pj = []byte("[]")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE sources SET records = ?, duplicates = ?, problems = ?, complete = 1
		WHERE id = ?`, src.Records, src.Duplicates, string(pj), src.ID); err != nil {
		return ImportSummary{}, fmt.Errorf("import %s: %w", path, writeErr(err))
	}
	summary := ImportSummary{Source: src, Imported: sink.inserted, Duplicates: sink.duplicates,
		Skipped: sink.skipped, Problems: problems}
	if _, err := appendLog(ctx, tx, who(in), "import", map[string]any{
		"path": src.Path, "name": src.Name, "sha256": src.SHA256, "size": src.Size, "format": src.Format,
		"source_id": src.ID, "imported": summary.Imported, "duplicates": summary.Duplicates,
		"skipped": summary.Skipped, "problems": len(problems),
	}); err != nil {
		return ImportSummary{}, fmt.Errorf("import %s: %w", path, err)
	}
	sink.close()
	if err := tx.Commit(); err != nil {
		return ImportSummary{}, fmt.Errorf("import %s: %w", path, writeErr(err))
	}
	pr.report(total, total, sink.inserted, true)
	return summary, nil
}

// alreadyImported logs the attempt and returns the earlier source; the summary's Duplicates is
// the number of records recognised (all of them).
func (c *impl) alreadyImported(ctx context.Context, in Info, src Source, prevID int64) (ImportSummary, error) {
	prev, err := c.source(ctx, prevID)
	if err != nil {
		return ImportSummary{}, fmt.Errorf("import %s: %w", src.Path, err)
	}
	tx, err := c.w.BeginTx(ctx, nil)
	if err != nil {
		return ImportSummary{}, fmt.Errorf("import %s: %w", src.Path, writeErr(err))
	}
	defer tx.Rollback()
	if _, err := appendLog(ctx, tx, who(in), "import", map[string]any{
		"path": src.Path, "name": src.Name, "sha256": src.SHA256, "size": src.Size, "format": src.Format,
		"already_imported": true, "source_id": prev.ID,
	}); err != nil {
		return ImportSummary{}, fmt.Errorf("import %s: %w", src.Path, err)
	}
	if err := tx.Commit(); err != nil {
		return ImportSummary{}, fmt.Errorf("import %s: %w", src.Path, writeErr(err))
	}
	// Every record of the file is recognised.
	return ImportSummary{Source: prev, AlreadyImported: true, Duplicates: prev.Records + prev.Duplicates}, nil
}

// openOriginal opens the bytes that stand for path in the case: the file itself, or for a
// folder a tar stream made by writeFolderTar.
// For a folder, left (when not nil) is called, from another goroutine, before the stream ends,
// with each entry the tar does not hold as a file ([writeFolderTar]).
func openOriginal(ctx context.Context, path string, folder bool, skip []string, left func(importers.Problem)) (io.ReadCloser, error) {
	if !folder {
		return os.Open(path)
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(writeFolderTar(ctx, pw, path, skip, left)) }()
	return pr, nil
}

// writeFolderTar writes the folder at root as a deterministic tar: entries in lexical order,
// names relative to root, permissions and modification times (whole seconds) kept, owners
// left out; symbolic links are stored as links, never followed; other special files and the
// paths in skip (the case file itself) are left out. The same folder always gives the same
// bytes, so its SHA-256 identifies it like a file's.
//
// An importer reading the folder reads no more than the tar holds as files: left (when not nil)
// is called with a problem, located by the entry's path in the folder, for each symbolic link
// (to a file or a folder, whose target neither the tar nor the importer reads) and each special
// file left out, so that the import summary lists them.
func writeFolderTar(ctx context.Context, w io.Writer, root string, skip []string, left func(importers.Problem)) error {
	if left == nil {
		left = func(importers.Problem) {}
	}
	tw := tar.NewWriter(w)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if p == root || slices.Contains(skip, p) {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		var link string
		switch {
		case info.Mode().IsRegular(), info.IsDir():
		case info.Mode()&fs.ModeSymlink != 0:
			if link, err = os.Readlink(p); err != nil {
				return err
			}
			left(SymlinkNotFollowed.Problem(filepath.ToSlash(rel)))
		default:
			left(SpecialFileLeftOut.Problem(filepath.ToSlash(rel)))
			return nil
		}
		h, err := tar.FileInfoHeader(info, link)
		if err != nil {
			return err
		}
		h.Name = filepath.ToSlash(rel)
		if info.IsDir() {
			h.Name += "/"
		}
		h.Uid, h.Gid, h.Uname, h.Gname = 0, 0, "", ""
		h.ModTime = h.ModTime.Truncate(time.Second)
		h.AccessTime, h.ChangeTime = time.Time{}, time.Time{}
		h.Format = tar.FormatPAX
		h.PAXRecords = nil
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if !info.Mode().IsRegular() {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		if _, err := io.CopyN(tw, f, info.Size()); err != nil {
			return fmt.Errorf("%s: %w (did it change during the import?)", p, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return tw.Close()
}

// hashFile returns the SHA-256 and size of the original's bytes.
func hashFile(ctx context.Context, path string, folder bool, skip []string, progress func(int64)) (string, int64, error) {
	f, err := openOriginal(ctx, path, folder, skip, nil)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	buf := make([]byte, 1<<20)
	var done int64
	for {
		if err := ctx.Err(); err != nil {
			return "", 0, err
		}
		n, err := f.Read(buf)
		h.Write(buf[:n])
		done += int64(n)
		progress(done)
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", 0, err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), done, nil
}

// copyChunks stores the file's bytes as chunks of source id, streaming, and returns their SHA-256;
// left is [openOriginal]'s, called before it returns.
func copyChunks(ctx context.Context, tx *sql.Tx, id int64, path string, folder bool, skip []string, progress func(int64), left func(importers.Problem)) (string, error) {
	f, err := openOriginal(ctx, path, folder, skip, left)
	if err != nil {
		return "", err
	}
	defer f.Close()
	stmt, err := tx.PrepareContext(ctx, "INSERT INTO source_chunks (source_id, seq, data) VALUES (?, ?, ?)")
	if err != nil {
		return "", writeErr(err)
	}
	defer stmt.Close()
	h := sha256.New()
	buf := make([]byte, ChunkSize)
	var done int64
	for seq := 0; ; seq++ {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		n, err := io.ReadFull(f, buf)
		if n > 0 {
			h.Write(buf[:n])
			if _, werr := stmt.ExecContext(ctx, id, seq, buf[:n]); werr != nil {
				return "", writeErr(werr)
			}
			done += int64(n)
			progress(done)
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// sink stores records in batches of batchSize with a prepared multi-row INSERT; records whose
// hash is already in the case are counted as duplicates.
type sink struct {
	ctx      context.Context
	tx       *sql.Tx
	sourceID int64
	stmt     *sql.Stmt
	batch    []any
	n        int // records in batch

	inserted, duplicates, skipped, dropped int
	problems                               []importers.Problem
	repeats                                repeatCounter
	bytes                                  int64
	progress                               func()
	err                                    error
}

const msgCols = 21

const insertHead = `INSERT INTO messages (source_id, location, platform, platform_id, conversation, time,
	raw_time, time_zone, sender_key, sender_raw, sender_e164, sender_handle, sender_name, sender_id,
	recipients, direction, text, attachments, kind, extra, hash) VALUES `

func insertSQL(rows int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", msgCols), ", ") + ")"
	return insertHead + strings.TrimSuffix(strings.Repeat(one+", ", rows), ", ") + " ON CONFLICT (hash) DO NOTHING"
}

var insertBatchSQL = insertSQL(batchSize)

func newSink(ctx context.Context, tx *sql.Tx, sourceID int64) (*sink, error) {
	stmt, err := tx.PrepareContext(ctx, insertBatchSQL)
	if err != nil {
		return nil, writeErr(err)
	}
	return &sink{ctx: ctx, tx: tx, sourceID: sourceID, stmt: stmt, batch: make([]any, 0, batchSize*msgCols),
		progress: func() {}}, nil
}

func (s *sink) close() {
	if s.stmt != nil {
		s.stmt.Close()
		s.stmt = nil
	}
}

func jsonOrNil(v any, empty bool) (any, error) {
	if empty {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// Record implements importers.Sink.
func (s *sink) Record(r importers.Record) error {
	if s.err != nil {
		return s.err
	}
	if err := s.ctx.Err(); err != nil {
		return err
	}
	var t any
	if !r.Time.IsZero() {
		t = r.Time.UnixMilli()
	}
	rec, err := jsonOrNil(r.Recipients, len(r.Recipients) == 0)
	if err != nil {
		return err
	}
	att, err := jsonOrNil(r.Attachments, len(r.Attachments) == 0)
	if err != nil {
		return err
	}
	extra, err := jsonOrNil(r.Extra, len(r.Extra) == 0)
	if err != nil {
		return err
	}
	p := r.Sender
	s.batch = append(s.batch, s.sourceID, r.Location, r.Platform, r.PlatformID, r.Conversation, t,
		r.RawTime, r.TimeZone, p.Key(), p.Raw, p.E164, p.Handle, p.Name, p.ID,
		rec, string(r.Direction), r.Text, att, r.Kind, extra, s.repeats.key(hashBytes(r.Hash())))
	s.n++
	if s.n == batchSize {
		if err := s.flush(); err != nil {
			return err
		}
	}
	return nil
}

// flush inserts the pending batch.
func (s *sink) flush() error {
	if s.err != nil {
		return s.err
	}
	if s.n == 0 {
		return nil
	}
	var res sql.Result
	var err error
	if s.n == batchSize {
		res, err = s.stmt.ExecContext(s.ctx, s.batch...)
	} else {
		res, err = s.tx.ExecContext(s.ctx, insertSQL(s.n), s.batch...)
	}
	if err != nil {
		if s.ctx.Err() != nil {
			return s.ctx.Err()
		}
		s.err = fmt.Errorf("storing messages: %w", writeErr(err))
		return s.err
	}
	added, err := res.RowsAffected()
	if err != nil {
		s.err = err
		return err
	}
	s.inserted += int(added)
	s.duplicates += s.n - int(added)
	s.n = 0
	s.batch = s.batch[:0]
	s.progress()
	return nil
}

// Problem implements importers.Sink.
func (s *sink) Problem(p importers.Problem) {
	if !p.Warning {
		s.skipped++
	}
	if len(s.problems) >= maxProblems {
		s.dropped++
		return
	}
	s.problems = append(s.problems, p)
}

// problemOnce records the error a parser returned, unless the parser already reported the same
// problem through the sink (parsers report a truncation both ways).
func (s *sink) problemOnce(p importers.Problem) {
	for _, q := range s.problems {
		if q.Location == p.Location && q.Reason == p.Reason {
			return
		}
	}
	s.Problem(p)
}

// throttle calls a Progress at most every 100 ms, plus the final call.
type throttle struct {
	fn   Progress
	last time.Time
}

func (t *throttle) report(done, total int64, records int, force bool) {
	now := time.Now()
	if !force && now.Sub(t.last) < 100*time.Millisecond {
		return
	}
	t.last = now
	t.fn(done, total, records)
}

func (c *impl) source(ctx context.Context, id int64) (Source, error) {
	src, err := scanSources(ctx, c.r, "WHERE id = ?", id)
	if err != nil {
		return Source{}, err
	}
	if len(src) == 0 {
		return Source{}, fmt.Errorf("source %d: %w", id, ErrNotFound)
	}
	return src[0], nil
}

func (c *impl) sources(ctx context.Context) ([]Source, error) {
	return scanSources(ctx, c.r, "ORDER BY id")
}

func scanSources(ctx context.Context, db *sql.DB, where string, args ...any) ([]Source, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, name, path, sha256, size, format, imported_at, records,
		duplicates, problems, complete, folder FROM sources `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("sources: %w", sqlErr(err))
	}
	defer rows.Close()
	var out []Source
	for rows.Next() {
		var s Source
		var at int64
		var problems string
		if err := rows.Scan(&s.ID, &s.Name, &s.Path, &s.SHA256, &s.Size, &s.Format, &at, &s.Records,
			&s.Duplicates, &problems, &s.Complete, &s.Folder); err != nil {
			return nil, fmt.Errorf("sources: %w", sqlErr(err))
		}
		s.Imported = time.UnixMilli(at).UTC()
		if err := json.Unmarshal([]byte(problems), &s.Problems); err != nil {
			return nil, fmt.Errorf("source %d: problems: %w", s.ID, err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sources: %w", sqlErr(err))
	}
	return out, nil
}

// original streams the stored chunks of a source, one chunk in memory at a time.
func (c *impl) original(ctx context.Context, id int64) (io.ReadCloser, error) {
	var n int64
	if err := c.r.QueryRowContext(ctx, "SELECT count(*) FROM sources WHERE id = ? AND complete = 1", id).Scan(&n); err != nil {
		return nil, fmt.Errorf("original of source %d: %w", id, sqlErr(err))
	}
	if n == 0 {
		return nil, fmt.Errorf("original of source %d: %w", id, ErrNotFound)
	}
	return &chunkReader{ctx: ctx, db: c.r, id: id}, nil
}

type chunkReader struct {
	ctx  context.Context
	db   *sql.DB
	id   int64
	seq  int
	buf  []byte
	done bool
}

func (r *chunkReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.done {
			return 0, io.EOF
		}
		var data []byte
		err := r.db.QueryRowContext(r.ctx, "SELECT data FROM source_chunks WHERE source_id = ? AND seq = ?", r.id, r.seq).Scan(&data)
		if err := sqlErr(err); err == ErrNotFound {
			r.done = true
			return 0, io.EOF
		} else if err != nil {
			return 0, fmt.Errorf("original of source %d, chunk %d: %w", r.id, r.seq, err)
		}
		r.seq++
		r.buf = data
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

func (r *chunkReader) Close() error { r.done, r.buf = true, nil; return nil }

// repeatCounter numbers the identical records of one source file, so that a file holding the
// same record n times (three donations of 5 EUR by "Anonymous" on one day, "lol" sent three times
// in one minute of a chat export) stores n messages, while a re-import of the same or an
// overlapping file still finds each of them in the case. The first occurrence keeps the record
// hash; the n-th (n ≥ 2) is keyed by SHA-256 of the hash followed by ":n". Hashes seen once are
// kept in a flat table of their first 8 bytes (16 bytes a record); repeats in a map.
type repeatCounter struct {
	slots []uint64 // 0: empty
	n     int
	more  map[uint64]int // occurrences so far of the hashes seen more than once
}

// key returns the stored key of the next record whose hash is h (32 raw bytes).
func (c *repeatCounter) key(h []byte) []byte {
	if len(h) < 8 {
		return h
	}
	k := binary.LittleEndian.Uint64(h) | 1
	if 2*(c.n+1) > len(c.slots) {
		c.grow()
	}
	mask := uint64(len(c.slots) - 1)
	i := k & mask
	for c.slots[i] != 0 && c.slots[i] != k {
		i = (i + 1) & mask
	}
	if c.slots[i] == 0 {
		c.slots[i] = k
		c.n++
		return h
	}
	if c.more == nil {
		c.more = map[uint64]int{}
	}
	occ, ok := c.more[k]
	if !ok {
		occ = 1
	}
	occ++
	c.more[k] = occ
	return RepeatKey(h, occ)
}

func (c *repeatCounter) grow() {
	old := c.slots
	c.slots = make([]uint64, max(1024, 2*len(old)))
	mask := uint64(len(c.slots) - 1)
	for _, k := range old {
		if k != 0 {
			i := k & mask
			for c.slots[i] != 0 {
				i = (i + 1) & mask
			}
			c.slots[i] = k
		}
	}
}

// RepeatKey is the stored key of the n-th (n ≥ 2) identical record of one source file whose record
// hash is h (raw bytes): SHA-256 of the hash's hex form followed by ":n".
func RepeatKey(h []byte, n int) []byte {
	sum := sha256.Sum256([]byte(hex.EncodeToString(h) + ":" + strconv.Itoa(n)))
	return sum[:]
}

// hashBytes stores a hex record hash as raw bytes, which keeps the unique index small enough to
// stay in the page cache during a million-record import.
func hashBytes(h string) []byte {
	b, err := hex.DecodeString(h)
	if err != nil {
		return []byte(h)
	}
	return b
}
