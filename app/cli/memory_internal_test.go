package cli

import (
	"os"
	"runtime/debug"
	"testing"
)

// TestExportGC checks the collector target an export runs under, that it is restored after,
// and that GOGC overrides it.
func TestExportGC(t *testing.T) {
	old := debug.SetGCPercent(100)
	defer debug.SetGCPercent(old)
	t.Setenv("GOGC", "")
	os.Unsetenv("GOGC")
	restore := exportGC()
	if got := debug.SetGCPercent(ExportGCPercent); got != ExportGCPercent {
		t.Errorf("during the export: GOGC %d, want %d", got, ExportGCPercent)
	}
	restore()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("after the export: GOGC %d, want 100 again", got)
	}
	t.Setenv("GOGC", "200")
	debug.SetGCPercent(200) // as the runtime does for GOGC=200
	restore = exportGC()
	if got := debug.SetGCPercent(200); got != 200 {
		t.Errorf("with GOGC=200: %d during the export, want 200", got)
	}
	restore()
}
