package gui

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// Markup goldens of the key screens. A mismatch writes testdata/failed/…; check it, then run
// `go test -tags ci -run Markup ./app/gui -update` to rewrite the goldens.

var update = flag.Bool("update", false, "rewrite the markup goldens under testdata/")

// assertMarkup compares c's markup with testdata/name, after rewriting that file with -update.
func assertMarkup(t *testing.T, name string, c fyne.Canvas) {
	t.Helper()
	if *update {
		if err := os.WriteFile(filepath.Join("testdata", name), []byte(test.RenderToMarkup(c)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	test.AssertRendersToMarkup(t, name, c)
}

func TestStartScreenMarkup(t *testing.T) {
	u, w := newTestUI(t)
	w.Resize(fyne.NewSize(1000, 640))
	u.a.Preferences().SetStringList(prefRecent, []string{"/cases/Helpline.raidcase"})
	u.start.refreshRecent()
	assertMarkup(t, "start.xml", w.Canvas())
}

func TestOverviewMarkup(t *testing.T) {
	u, w := newTestUI(t)
	u.showCase(sampleData())
	w.Resize(fyne.NewSize(1100, 700))
	assertMarkup(t, "overview.xml", w.Canvas())
}

func TestRaidPageMarkup(t *testing.T) {
	u, w := newTestUI(t)
	u.showCase(sampleData())
	u.tabs.SelectIndex(2)
	w.Resize(fyne.NewSize(1100, 760))
	assertMarkup(t, "raid.xml", w.Canvas())
}
