package casefile

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
)

// Version is the application version written in the custody log's Tool field
// ("raidtrace/"+Version). The build may override it with -ldflags "-X".
var Version = "0.1.0"

// More errors callers match with errors.Is.
var (
	// ErrNoSpace wraps write failures caused by a full disk (or the case's size limit).
	ErrNoSpace = errors.New("no space left to write the case file")
	// ErrReadOnly wraps write failures caused by a read-only file, folder or medium.
	ErrReadOnly = errors.New("the case file cannot be written (read-only file or folder)")
	// ErrNewer is returned by Open for a case written by a newer Raidtrace.
	ErrNewer = errors.New("case file was made by a newer raidtrace")
)

// applicationID marks a SQLite file as a raidtrace case ("RDTC").
const applicationID = 0x52445443

// dsnWrite and dsnRead are appended to the "file:" URI of the case. busy_timeout comes first
// (the driver runs it before the other pragmas); temp_store and cache_size keep a big import's
// statement journal and indexes in memory; journal_size_limit shrinks the WAL after the
// checkpoint that follows a big import. The read pool never writes (query_only).
const (
	dsnWrite = "?mode=rw&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=journal_size_limit(67108864)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)&_pragma=temp_store(MEMORY)&_pragma=cache_size(" + writerCacheSize + ")&_txlock=immediate"
	dsnRead  = "?mode=rw&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=query_only(1)"
)

// writerCacheSize is the writer's page cache (negative: KiB), analysisCacheSize the one it uses
// while it stores an analysis.
const (
	writerCacheSize   = "-131072"
	analysisCacheSize = "-49152"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

type impl struct {
	p    string
	w    *sql.DB // the one writer connection
	r    *sql.DB // read-only pool
	lock *fileLock

	mu     sync.Mutex
	closed bool
}

// ExhibitID formats a message id as an exhibit number.
func ExhibitID(id int64) string { return fmt.Sprintf("M%06d", id) }

// create builds the case under a temporary name beside path and links it to path only once it
// is complete, so that a crash during Create leaves no half-made case under the final name.
func create(ctx context.Context, path string, info Info) (*Case, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("create case %s: %w", path, err)
	}
	info, err = newInfo(info, abs)
	if err != nil {
		return nil, fmt.Errorf("create case %s: %w", path, err)
	}
	if _, err := os.Lstat(abs); err == nil {
		return nil, fmt.Errorf("create case %s: %w", path, fs.ErrExist)
	}
	tmp := abs + "." + newUUID()[:8] + ".creating"
	defer func() {
		for _, s := range []string{"", "-wal", "-shm", "-journal", ".lock"} {
			os.Remove(tmp + s)
		}
	}()
	// The file is made here, 0600 whatever the umask, so that SQLite's -wal and -shm (which
	// copy the database's mode) are user-only too.
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create case %s: %w", path, writeErr(err))
	}
	err = f.Chmod(0o600)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("create case %s: %w", path, writeErr(err))
	}
	c, err := openDB(ctx, tmp, true, nil)
	if err == nil {
		err = c.initMeta(ctx, info)
		if err == nil {
			_, err = c.w.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
			err = writeErr(err)
		}
		if cerr := c.close(); err == nil {
			err = cerr
		}
	}
	if err == nil {
		// Link, unlike rename, never replaces a file that appeared meanwhile.
		if err = os.Link(tmp, abs); err != nil && !errors.Is(err, fs.ErrExist) {
			if _, serr := os.Lstat(abs); errors.Is(serr, fs.ErrNotExist) {
				err = os.Rename(tmp, abs)
			}
		}
		err = writeErr(err)
	}
	if err != nil {
		return nil, fmt.Errorf("create case %s: %w", path, err)
	}
	return open(ctx, abs)
}

func newInfo(in Info, path string) (Info, error) {
	if in.ID == "" {
		in.ID = newUUID()
	}
	if in.Name == "" {
		in.Name = strings.TrimSuffix(filepath.Base(path), Extension)
	}
	if in.TimeZone == "" {
		in.TimeZone = "Europe/Paris"
	}
	if _, err := time.LoadLocation(in.TimeZone); err != nil {
		return in, fmt.Errorf("time zone %q: %w", in.TimeZone, err)
	}
	if in.Region == "" {
		in.Region = "FR"
	}
	if in.Currency == "" {
		in.Currency = "EUR"
	}
	if in.Created.IsZero() {
		in.Created = time.Now()
	}
	in.Created = time.UnixMilli(in.Created.UnixMilli()).UTC()
	return in, nil
}

func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func (c *impl) initMeta(ctx context.Context, in Info) error {
	tx, err := c.w.BeginTx(ctx, nil)
	if err != nil {
		return writeErr(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO meta (id, case_id, name, time_zone, region, unit_cost,
		currency, created, examiner, org, contact) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		in.ID, in.Name, in.TimeZone, in.Region, in.UnitCost, in.Currency, in.Created.UnixMilli(),
		in.Examiner, in.Org, in.Contact); err != nil {
		return writeErr(err)
	}
	if _, err := appendLog(ctx, tx, who(in), "create", map[string]any{
		"case_id": in.ID, "name": in.Name, "time_zone": in.TimeZone, "region": in.Region,
	}); err != nil {
		return err
	}
	return writeErr(tx.Commit())
}

func open(ctx context.Context, path string) (*Case, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open case %s: %w", path, err)
	}
	// Lock first: checkHeader closes a descriptor of the database, which would drop the POSIX
	// locks of an instance of this process that has the case open already.
	lk, err := lockFile(abs)
	if err != nil {
		return nil, fmt.Errorf("open case %s: %w", path, err)
	}
	if err := checkHeader(abs); err != nil {
		lk.release()
		return nil, fmt.Errorf("open case %s: %w", path, err)
	}
	c, err := openDB(ctx, abs, false, lk)
	if err != nil {
		return nil, fmt.Errorf("open case %s: %w", path, err)
	}
	return c, nil
}

// checkHeader refuses files that are not raidtrace cases before SQLite sees them (and before
// the DSN's journal_mode pragma would change them): the SQLite magic, then the application id
// at offset 68 of the database header.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var h [100]byte
	if _, err := io.ReadFull(f, h[:]); err != nil || string(h[:16]) != "SQLite format 3\x00" ||
		binary.BigEndian.Uint32(h[68:72]) != applicationID {
		return ErrNotCase
	}
	return nil
}

// openDB locks path, opens both pools and brings the schema up to date. Only creating marks an
// empty database as a case.
// lk is the lock already taken on path, or nil to take it here.
func openDB(ctx context.Context, path string, creating bool, lk *fileLock) (_ *Case, err error) {
	if lk == nil {
		if lk, err = lockFile(path); err != nil {
			return nil, err
		}
	}
	c := &Case{impl{p: path, lock: lk}}
	defer func() {
		if err != nil {
			c.close()
		}
	}()
	uri := "file:" + (&url.URL{Path: filepath.ToSlash(path)}).EscapedPath()
	if c.w, err = sql.Open("sqlite", uri+dsnWrite); err != nil {
		return nil, err
	}
	c.w.SetMaxOpenConns(1)
	c.w.SetMaxIdleConns(1)
	c.w.SetConnMaxLifetime(0)
	c.w.SetConnMaxIdleTime(0)
	var appID int64
	if err = c.w.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return nil, sqlErr(err)
	}
	var tables int
	if err = c.w.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&tables); err != nil {
		return nil, sqlErr(err)
	}
	switch {
	case creating && appID == 0 && tables == 0:
		if _, err = c.w.ExecContext(ctx, "PRAGMA application_id = "+strconv.Itoa(applicationID)); err != nil {
			return nil, writeErr(err)
		}
	case appID != applicationID:
		return nil, ErrNotCase
	}
	if err = migrate(ctx, c.w); err != nil {
		return nil, err
	}
	if !creating {
		var n int
		if err = c.w.QueryRowContext(ctx, "SELECT count(*) FROM meta").Scan(&n); err != nil {
			return nil, sqlErr(err)
		}
		if n != 1 {
			return nil, fmt.Errorf("%w: no case settings", ErrNotCase)
		}
	}
	if c.r, err = sql.Open("sqlite", uri+dsnRead); err != nil {
		return nil, err
	}
	c.r.SetMaxOpenConns(4)
	c.r.SetMaxIdleConns(4)
	return c, nil
}

// migrate applies the embedded migrations not yet recorded in schema_migrations, each in its own
// transaction, in file-name order.
func migrate(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`); err != nil {
		return writeErr(err)
	}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return err
	}
	slices.Sort(names)
	var current int
	if err := db.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&current); err != nil {
		return sqlErr(err)
	}
	latest := 0
	for _, name := range names {
		base := filepath.Base(name)
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: bad name", base)
		}
		latest = max(latest, v)
		if v <= current {
			continue
		}
		body, err := migrationFS.ReadFile(name)
		if err != nil {
			return err
		}
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return writeErr(err)
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", base, writeErr(err))
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
			v, base, time.Now().UnixMilli()); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", base, writeErr(err))
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %s: %w", base, writeErr(err))
		}
	}
	if current > latest {
		return fmt.Errorf("%w (schema %d, this version knows %d)", ErrNewer, current, latest)
	}
	return nil
}

func (c *impl) path() string { return c.p }

func (c *impl) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	var errs []error
	if c.r != nil {
		errs = append(errs, c.r.Close())
	}
	if c.w != nil {
		errs = append(errs, c.w.Close())
	}
	if c.lock != nil {
		errs = append(errs, c.lock.release())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close case: %w", err)
	}
	return nil
}

func (c *impl) info(ctx context.Context) (Info, error) { return readInfo(ctx, c.r) }

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func readInfo(ctx context.Context, q queryer) (Info, error) {
	var in Info
	var created int64
	err := q.QueryRowContext(ctx, `SELECT case_id, name, time_zone, region, unit_cost, currency, created,
		examiner, org, contact FROM meta WHERE id = 1`).Scan(&in.ID, &in.Name, &in.TimeZone, &in.Region,
		&in.UnitCost, &in.Currency, &created, &in.Examiner, &in.Org, &in.Contact)
	if err != nil {
		return Info{}, fmt.Errorf("case info: %w", sqlErr(err))
	}
	in.Created = time.UnixMilli(created).UTC()
	return in, nil
}

// setInfo changes the settings; ID and Created never change. The custody entry lists each
// changed field with its old and new value.
func (c *impl) setInfo(ctx context.Context, in Info) error {
	if in.TimeZone != "" {
		if _, err := time.LoadLocation(in.TimeZone); err != nil {
			return fmt.Errorf("set case info: time zone %q: %w", in.TimeZone, err)
		}
	}
	tx, err := c.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("set case info: %w", writeErr(err))
	}
	defer tx.Rollback()
	old, err := readInfo(ctx, tx)
	if err != nil {
		return err
	}
	if in.TimeZone == "" {
		in.TimeZone = old.TimeZone
	}
	if in.Region == "" {
		in.Region = old.Region
	}
	changed := map[string]any{}
	diff := func(k string, a, b any) {
		if a != b {
			changed[k] = map[string]any{"old": a, "new": b}
		}
	}
	diff("name", old.Name, in.Name)
	diff("time_zone", old.TimeZone, in.TimeZone)
	diff("region", old.Region, in.Region)
	diff("unit_cost", old.UnitCost, in.UnitCost)
	diff("currency", old.Currency, in.Currency)
	diff("examiner", old.Examiner, in.Examiner)
	diff("org", old.Org, in.Org)
	diff("contact", old.Contact, in.Contact)
	if len(changed) == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE meta SET name = ?, time_zone = ?, region = ?, unit_cost = ?,
		currency = ?, examiner = ?, org = ?, contact = ? WHERE id = 1`, in.Name, in.TimeZone, in.Region,
		in.UnitCost, in.Currency, in.Examiner, in.Org, in.Contact); err != nil {
		return fmt.Errorf("set case info: %w", writeErr(err))
	}
	in.ID = old.ID
	if _, err := appendLog(ctx, tx, who(in), "settings", changed); err != nil {
		return fmt.Errorf("set case info: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("set case info: %w", writeErr(err))
	}
	return nil
}

// who is the custody log's "who": the examiner, else the OS user name.
func who(in Info) string {
	if in.Examiner != "" {
		return in.Examiner
	}
	return osUser()
}

var osUser = sync.OnceValue(func() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	for _, k := range []string{"USER", "USERNAME", "LOGNAME"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return "unknown"
})

// sqlErr is the one place where sql.ErrNoRows becomes ErrNotFound and SQLite's codes become the
// package's errors.
func sqlErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case 13: // SQLITE_FULL
			return fmt.Errorf("%w: %w", ErrNoSpace, err)
		case 8, 3: // SQLITE_READONLY, SQLITE_PERM
			return fmt.Errorf("%w: %w", ErrReadOnly, err)
		case 26: // SQLITE_NOTADB
			return fmt.Errorf("%w: %w", ErrNotCase, err)
		}
	}
	return err
}

// writeErr is sqlErr plus the operating system's disk-full and permission errors.
func writeErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, ErrNoSpace) || errors.Is(err, ErrReadOnly) {
		return err
	}
	switch {
	case isNoSpace(err):
		return fmt.Errorf("%w: %w", ErrNoSpace, err)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("%w: %w", ErrReadOnly, err)
	}
	return sqlErr(err)
}
