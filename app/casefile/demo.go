package casefile

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"raidtrace/analysis"
	"raidtrace/assets"
	"raidtrace/importers/smsbackup"
)

// DemoExport is the name of the embedded demo SMS backup, written beside the demo case so the
// user can see the file that was imported.
const DemoExport = "raid-demo-sms-backup.xml"

// DemoInfo is the demo case's settings: a French victim's phone, 0.16 EUR handling cost per SMS
// (the cost that closed the anti-harassment line the demo is modelled on).
func DemoInfo() Info {
	return Info{Name: "Démo — raid du 14 mars 2026", TimeZone: "Europe/Paris", Region: "FR",
		UnitCost: 0.16, Currency: "EUR", Examiner: "demo", Org: "Raidtrace demo"}
}

// OpenDemo opens the demo case in dir (dir/demo.raidcase), building it first from the embedded
// demo raid when it does not exist: the export is written to dir, imported and analysed.
func OpenDemo(ctx context.Context, dir string) (*Case, error) {
	path := filepath.Join(dir, "demo"+Extension)
	if _, err := os.Stat(path); err == nil {
		return Open(ctx, path)
	}
	if err := BuildDemo(ctx, dir); err != nil {
		return nil, err
	}
	return Open(ctx, path)
}

// BuildDemo creates dir/demo.raidcase from the embedded demo raid. The case is built under a
// temporary name and renamed when complete, so an interrupted build leaves no demo case behind.
func BuildDemo(ctx context.Context, dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("demo folder: %w", err)
	}
	data, err := fs.ReadFile(assets.FS(), "demo/raid-demo.xml")
	if err != nil {
		return fmt.Errorf("embedded demo: %w", err)
	}
	export := filepath.Join(dir, DemoExport)
	if err := os.WriteFile(export, data, 0o600); err != nil {
		return fmt.Errorf("write demo export: %w", err)
	}
	final := filepath.Join(dir, "demo"+Extension)
	tmp := final + ".partial"
	for _, p := range []string{tmp, tmp + "-wal", tmp + "-shm", tmp + ".lock"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove stale demo build: %w", err)
		}
	}
	c, err := Create(ctx, tmp, DemoInfo())
	if err != nil {
		return fmt.Errorf("create demo case: %w", err)
	}
	if _, err := c.Import(ctx, export, smsbackup.Format, nil); err != nil {
		c.Close()
		return fmt.Errorf("import demo export: %w", err)
	}
	if _, err := c.Analyze(ctx, analysis.DefaultParams(), nil); err != nil {
		c.Close()
		return fmt.Errorf("analyse demo case: %w", err)
	}
	if err := c.Close(); err != nil {
		return fmt.Errorf("close demo case: %w", err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return fmt.Errorf("finish demo case: %w", err)
	}
	return nil
}
