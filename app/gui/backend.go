package gui

import (
	"context"
	"errors"

	"raidtrace/analysis"
	"raidtrace/app/casefile"
	"raidtrace/app/evidence"
	"raidtrace/importers"
)

// caseHandle is what the screens ask of an open case. *casefile.Case satisfies it; tests may use
// a fake. It holds no logic: every call goes to the case file.
type caseHandle interface {
	Path() string
	Close() error
	Info(ctx context.Context) (casefile.Info, error)
	SetInfo(ctx context.Context, in casefile.Info) error
	Import(ctx context.Context, path string, f importers.Format, progress casefile.Progress) (casefile.ImportSummary, error)
	Sources(ctx context.Context) ([]casefile.Source, error)
	CountMessages(ctx context.Context) (int, error)
	EachRow(ctx context.Context, fn func(casefile.Row) error) error
	Analyze(ctx context.Context, p analysis.Params, progress analysis.Progress) (*casefile.Analysis, error)
	AnalyzeRows(ctx context.Context, in []analysis.Message, ids []int64, p analysis.Params, progress analysis.Progress) (*casefile.Analysis, error)
	LatestAnalysisBrief(ctx context.Context) (*casefile.Analysis, error)
	Decide(ctx context.Context, d casefile.Decision) error
	Decisions(ctx context.Context) ([]casefile.Decision, error)
	Log(ctx context.Context, action string, details map[string]any) (casefile.CustodyEntry, error)
}

// exportOptions mirrors evidence.Options without the clock and key, which the backend supplies.
type exportOptions struct {
	Langs  []string
	Redact bool
	Zip    bool
}

// exported is where an export wrote the bundle: the bag folder, and the ZIP file of it beside
// the folder when exportOptions.Zip was set ("" otherwise); and what it removed from the folder
// before writing (evidence.Options.Cleanup), which the result shows, as the command line prints it.
type exported struct {
	Bag     string
	Zip     string
	Cleanup evidence.Cleanup
}

// verifyResult is what the export dialog shows after checking the bundle it wrote.
type verifyResult struct {
	OK       bool
	Signed   bool     // a valid signature is present
	Signer   string   // its key's fingerprint
	Problems []string // one line per missing, extra or changed file
}

// backend is every core operation the GUI drives. The real one (realBackend) calls casefile,
// importers/detect and app/evidence; the GUI adds no logic of its own on top.
type backend struct {
	create   func(ctx context.Context, path string, info casefile.Info) (caseHandle, error)
	open     func(ctx context.Context, path string) (caseHandle, error)
	openDemo func(ctx context.Context, dir string) (caseHandle, error)
	detect   func(path string) (importers.Format, error)
	formats  func() []importers.Format
	// export writes a bundle; its result's Cleanup is set even when it fails after cleaning.
	export      func(ctx context.Context, c caseHandle, dir, keyDir string, opt exportOptions, progress func(stage string, frac float64)) (exported, error)
	verify      func(ctx context.Context, bag string) (verifyResult, error)
	fingerprint func(keyDir string) (string, error)
}

var errNotAvailable = errors.New("not available in this build")
