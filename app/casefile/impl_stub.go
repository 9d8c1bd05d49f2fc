package casefile

// impl_stub.go is replaced by the real implementation.

import (
	"context"
	"fmt"
	"io"

	"raidtrace/analysis"
	"raidtrace/importers"
)

type impl struct{ p string }

// ExhibitID formats a message id as an exhibit number.
func ExhibitID(id int64) string { return fmt.Sprintf("M%06d", id) }

func create(ctx context.Context, path string, info Info) (*Case, error) { return nil, errTODO }
func open(ctx context.Context, path string) (*Case, error)              { return nil, errTODO }
func (c *impl) path() string                                            { return c.p }
func (c *impl) close() error                                            { return errTODO }
func (c *impl) info(ctx context.Context) (Info, error)                  { return Info{}, errTODO }
func (c *impl) setInfo(ctx context.Context, in Info) error              { return errTODO }
func (c *impl) importFile(ctx context.Context, path string, f importers.Format, progress Progress) (ImportSummary, error) {
	return ImportSummary{}, errTODO
}
func (c *impl) sources(ctx context.Context) ([]Source, error) { return nil, errTODO }
func (c *impl) original(ctx context.Context, id int64) (io.ReadCloser, error) {
	return nil, errTODO
}
func (c *impl) messages(ctx context.Context) ([]Message, error) { return nil, errTODO }
func (c *impl) countMessages(ctx context.Context) (int, error)  { return 0, errTODO }
func (c *impl) analyze(ctx context.Context, p analysis.Params, progress analysis.Progress) (*Analysis, error) {
	return nil, errTODO
}
func (c *impl) latestAnalysis(ctx context.Context) (*Analysis, error) { return nil, errTODO }
func (c *impl) decide(ctx context.Context, d Decision) error          { return errTODO }
func (c *impl) decisions(ctx context.Context) ([]Decision, error)     { return nil, errTODO }
func (c *impl) log(ctx context.Context, a string, d map[string]any) (CustodyEntry, error) {
	return CustodyEntry{}, errTODO
}
func (c *impl) custody(ctx context.Context) ([]CustodyEntry, error) { return nil, errTODO }
func (c *impl) verifyCustody(ctx context.Context) error             { return errTODO }
