package gui

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
)

// TestShots writes PNGs of the main screens (software renderer) to $RAIDTRACE_SHOTS, for a
// quick look without a display. Skipped unless that variable is set.
func TestShots(t *testing.T) {
	dir := os.Getenv("RAIDTRACE_SHOTS")
	if dir == "" {
		t.Skip("RAIDTRACE_SHOTS not set")
	}
	u, w := newTestUI(t)
	w.Resize(fyne.NewSize(1280, 800))
	shot := func(name string) {
		f, err := os.Create(filepath.Join(dir, name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, w.Canvas().Capture()); err != nil {
			t.Fatal(err)
		}
	}
	shot("start")
	test := os.Getenv("RAIDTRACE_SHOTS_DEMO") != ""
	if test {
		u.openDemo()
		u.jobs.wait()
	} else {
		u.showCase(sampleData())
	}
	for i, name := range []string{"overview", "import", "raids", "messages", "senders"} {
		u.tabs.SelectIndex(i)
		if name == "senders" && len(u.senders.shown) > 0 {
			u.senders.list.Select(0)
		}
		shot(name)
	}
	u.tabs.SelectIndex(0)
	u.overview.zoom.SetSelected(u.overview.zoom.Options[1])
	shot("overview-hours")
	u.overview.zoom.SetSelected(u.overview.zoom.Options[2])
	shot("overview-minutes")
	if test {
		fixture, _ := filepath.Abs("testdata/sms-small.xml")
		u.imp.addPaths([]string{fixture})
		u.jobs.wait()
		u.tabs.SelectIndex(1)
		shot("import-pending")
		u.imp.start()
		u.jobs.wait()
		u.tabs.SelectIndex(1)
		shot("import-done")
		u.tabs.SelectIndex(2)
		u.raids.list.Select(0)
		shot("raids-after")
	}
}
