package casefile

// This file is the contract the rest of the application codes against (evidence, cli, gui).
// Change a signature only together with its callers.

import (
	"context"
	"errors"
	"io"
	"time"

	"raidtrace/analysis"
	"raidtrace/importers"
)

// Extension is the case file's extension.
const Extension = ".raidcase"

// Errors callers match with errors.Is.
var (
	ErrNotFound = errors.New("not found")
	ErrNotCase  = errors.New("not a raidtrace case file")
	ErrLocked   = errors.New("case is open in another raidtrace instance")
	ErrChain    = errors.New("custody log chain broken")
)

// Info is the case's own settings.
type Info struct {
	ID       string    `json:"id"`        // random UUID given at creation, printed on every report
	Name     string    `json:"name"`      // human name
	TimeZone string    `json:"time_zone"` // IANA name applied to local-time formats; "Europe/Paris" by default
	Region   string    `json:"region"`    // default phone region, "FR" by default
	UnitCost float64   `json:"unit_cost"` // cost of handling one message (damage estimate), 0 = unset
	Currency string    `json:"currency"`  // "EUR" by default
	Created  time.Time `json:"created"`   // UTC
	Examiner string    `json:"examiner"`  // who works the case (custody log "who"), may be empty
	Org      string    `json:"org"`       // organisation (bag-info Source-Organization)
	Contact  string    `json:"contact"`   // contact e-mail or phone (bag-info Contact-Email)
}

// Source is one imported file.
type Source struct {
	ID         int64               `json:"id"`
	Name       string              `json:"name"`   // base name of the original file
	Path       string              `json:"path"`   // path it was imported from
	SHA256     string              `json:"sha256"` // of the original bytes, computed before parsing
	Size       int64               `json:"size"`
	Format     string              `json:"format"` // importers.Format.ID
	Imported   time.Time           `json:"imported"`
	Records    int                 `json:"records"`    // messages stored from it
	Duplicates int                 `json:"duplicates"` // records already in the case from another source
	Problems   []importers.Problem `json:"problems"`
	Complete   bool                `json:"complete"` // false while an import is in progress or was interrupted
	// Folder is true when a folder was imported (an unzipped X archive): the stored original is
	// then a deterministic tar of the folder, Name is the folder's name plus ".tar", and SHA256
	// and Size are those of the tar.
	Folder bool `json:"folder,omitempty"`
}

// Message is one stored message. ID is stable for the life of the case and is the basis of the
// exhibit id ("M000123").
type Message struct {
	ID           int64  `json:"id"`
	SourceID     int64  `json:"source_id"`
	SourceSHA256 string `json:"source_sha256"`
	Hash         string `json:"hash"` // importers.Record.Hash
	importers.Record
	ClusterID int `json:"cluster_id,omitempty"` // 0 when in no cluster of the latest analysis
}

// ExhibitID is the message's exhibit number as printed in the bundle and report.
func (m *Message) ExhibitID() string { return ExhibitID(m.ID) }

// Progress reports import progress: bytes read of total (0 when unknown) and records stored.
type Progress func(done, total int64, records int)

// ImportSummary is what one import did; it is also written to the custody log.
type ImportSummary struct {
	Source     Source              `json:"source"`
	Imported   int                 `json:"imported"`
	Duplicates int                 `json:"duplicates"`
	Skipped    int                 `json:"skipped"` // problems that lost a record
	Problems   []importers.Problem `json:"problems"`
	// AlreadyImported is true when the same bytes were imported before: nothing is stored, Source
	// is the earlier source and Duplicates counts its records (all recognised).
	AlreadyImported bool `json:"already_imported"`
}

// Analysis is the latest stored analysis.
type Analysis struct {
	Run    int64            `json:"run"`
	At     time.Time        `json:"at"`
	Result *analysis.Result `json:"result"`
	// MessageIDs maps the analysis input index to Message.ID (Result members are input indexes).
	MessageIDs []int64 `json:"message_ids"`
}

// CustodyEntry is one line of the append-only custody log. Hash is the SHA-256 (hex) of the
// entry's canonical JSON with Hash empty and Prev set to the previous entry's Hash ("" first).
type CustodyEntry struct {
	Seq     int64          `json:"seq"`
	At      time.Time      `json:"at"` // UTC
	Who     string         `json:"who"`
	Tool    string         `json:"tool"`   // "raidtrace/VERSION"
	Action  string         `json:"action"` // create, import, analyze, decision, note, export…
	Details map[string]any `json:"details,omitempty"`
	Prev    string         `json:"prev"`
	Hash    string         `json:"hash"`
}

// Decision is a reviewer's decision on a message's cluster membership or triage flag.
type Decision struct {
	MessageID int64     `json:"message_id"`
	ClusterID int       `json:"cluster_id,omitempty"`
	Subject   string    `json:"subject"` // "member" or "flag:<category>"
	Verdict   string    `json:"verdict"` // "confirmed", "rejected"
	Note      string    `json:"note,omitempty"`
	Who       string    `json:"who"`
	At        time.Time `json:"at"`
	// ID is the decision's number in the case; Supersedes is the ID of the earlier decision on
	// the same message and subject that this one replaces (0 when none). Both are set by the case.
	ID         int64 `json:"id,omitempty"`
	Supersedes int64 `json:"supersedes,omitempty"`
}

// Case is an open case file. It is safe for use from several goroutines.
type Case struct{ impl }

// Create makes a new case file at path (which must not exist) and logs its creation.
func Create(ctx context.Context, path string, info Info) (*Case, error) {
	return create(ctx, path, info)
}

// Open opens an existing case file for writing.
func Open(ctx context.Context, path string) (*Case, error) { return open(ctx, path) }

// Path is the case file's path.
func (c *Case) Path() string { return c.path() }

// Close closes the case.
func (c *Case) Close() error { return c.close() }

// Info returns the case settings; SetInfo changes them (logged).
func (c *Case) Info(ctx context.Context) (Info, error)     { return c.info(ctx) }
func (c *Case) SetInfo(ctx context.Context, in Info) error { return c.setInfo(ctx, in) }

// Import copies the file at path into the case (bytes and SHA-256 first), parses it with f and
// stores its records, skipping those already in the case. Progress may be nil; it is called at
// most every 100 ms and counts three passes over the file (hashing, copying, parsing), so total
// is three times the file size. It must not call the case's writing methods (the import holds
// the writer until it commits; other writers wait). Cancelling ctx, a crash or a write failure
// (ErrNoSpace, ErrReadOnly) leaves the case as it was before the call. A ParseError from the
// importer (a truncated file) is a Problem in the summary, not a failure.
func (c *Case) Import(ctx context.Context, path string, f importers.Format, progress Progress) (ImportSummary, error) {
	return c.importFile(ctx, path, f, progress)
}

// Sources lists the imported files in import order.
func (c *Case) Sources(ctx context.Context) ([]Source, error) { return c.sources(ctx) }

// Original opens the stored bytes of a source, identical to the file imported.
func (c *Case) Original(ctx context.Context, sourceID int64) (io.ReadCloser, error) {
	return c.original(ctx, sourceID)
}

// Messages returns every message ordered by time then ID, with ClusterID from the latest analysis.
func (c *Case) Messages(ctx context.Context) ([]Message, error) { return c.messages(ctx) }

// CountMessages returns how many messages the case holds.
func (c *Case) CountMessages(ctx context.Context) (int, error) { return c.countMessages(ctx) }

// Analyze runs analysis over every message with p, stores the result (replacing the previous
// cluster memberships) and logs it.
func (c *Case) Analyze(ctx context.Context, p analysis.Params, progress analysis.Progress) (*Analysis, error) {
	return c.analyze(ctx, p, progress)
}

// AnalyzeRows is Analyze over the analysis inputs the caller already holds, read with EachRow:
// in[i] is the Input of the i-th row, ids[i] its ID (the window keeps them, and reading a million
// again would double the memory). The case checks that ids are still all its messages, in
// EachRow's order, and returns ErrRowsChanged if not; stored messages never change, so the
// result is then exactly Analyze's. in is only read.
func (c *Case) AnalyzeRows(ctx context.Context, in []analysis.Message, ids []int64, p analysis.Params, progress analysis.Progress) (*Analysis, error) {
	return c.analyzeRows(ctx, in, ids, p, progress)
}

// LatestAnalysis returns the stored analysis, or ErrNotFound if none was run.
func (c *Case) LatestAnalysis(ctx context.Context) (*Analysis, error) {
	return c.latestAnalysis(ctx, clusterMode{})
}

// LatestAnalysisBrief is [Case.LatestAnalysis] without the clusters' Variants (each distinct
// wording with its example and differences) and MemberVariant, which on a large raid are most
// of the stored result: for views that show the template and compute a member's differences
// themselves. Everything else is as LatestAnalysis returns it.
func (c *Case) LatestAnalysisBrief(ctx context.Context) (*Analysis, error) {
	return c.latestAnalysis(ctx, clusterMode{brief: true})
}

// AnalysisClusters reads the clusters of the stored analysis run (its Analysis.Run) and gives
// them to fn one at a time, in order, with their variants: for writers that stream them, as
// they are most of a big result (a 1M-message one is 140 MB of JSON), after reading the rest
// with [Case.LatestAnalysisBrief]. null reports that the stored list is null (fn is not
// called); an error from fn stops it and is returned, wrapped.
func (c *Case) AnalysisClusters(ctx context.Context, run int64, fn func(*analysis.Cluster) error) (null bool, err error) {
	return c.analysisClusters(ctx, run, fn)
}

// Decide records a reviewer decision (and logs it); Decisions lists them in order.
func (c *Case) Decide(ctx context.Context, d Decision) error      { return c.decide(ctx, d) }
func (c *Case) Decisions(ctx context.Context) ([]Decision, error) { return c.decisions(ctx) }

// Log appends an entry to the custody log.
func (c *Case) Log(ctx context.Context, action string, details map[string]any) (CustodyEntry, error) {
	return c.log(ctx, action, details)
}

// Custody returns the whole custody log in order; VerifyCustody checks its chain and returns an
// error wrapping ErrChain that names the first bad entry.
func (c *Case) Custody(ctx context.Context) ([]CustodyEntry, error) { return c.custody(ctx) }
func (c *Case) VerifyCustody(ctx context.Context) error             { return c.verifyCustody(ctx) }
