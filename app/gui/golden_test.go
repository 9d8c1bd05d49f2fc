package gui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// Markup goldens of the key screens. A mismatch writes testdata/failed/…; check it, then copy it
// over the golden.

func TestStartScreenMarkup(t *testing.T) {
	u, w := newTestUI(t)
	w.Resize(fyne.NewSize(1000, 640))
	u.a.Preferences().SetStringList(prefRecent, []string{"/cases/Helpline.raidcase"})
	u.start.refreshRecent()
	test.AssertRendersToMarkup(t, "start.xml", w.Canvas())
}

func TestOverviewMarkup(t *testing.T) {
	u, w := newTestUI(t)
	u.showCase(sampleData())
	w.Resize(fyne.NewSize(1100, 700))
	test.AssertRendersToMarkup(t, "overview.xml", w.Canvas())
}

func TestRaidPageMarkup(t *testing.T) {
	u, w := newTestUI(t)
	u.showCase(sampleData())
	u.tabs.SelectIndex(2)
	w.Resize(fyne.NewSize(1100, 760))
	test.AssertRendersToMarkup(t, "raid.xml", w.Canvas())
}
