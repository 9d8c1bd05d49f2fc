package gui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
)

// The smallest screen the window must fit: a small laptop, less the desktop's panels.
const (
	fitWidth  = 1024
	fitHeight = 700
)

// TestFitsSmallScreen builds every main screen on the demo case, in English and in French, and
// checks the window's minimum size fits a 1024×700 screen: a long label or placeholder must not
// push the buttons on the right off the screen.
func TestFitsSmallScreen(t *testing.T) {
	for _, code := range []string{"en", "fr"} {
		t.Run(code, func(t *testing.T) {
			t.Cleanup(func() { applyLanguage("en"); addTranslations() })
			u, w := newTestUI(t)
			u.setLanguage(code)
			check := func(what string) {
				t.Helper()
				if min := w.Canvas().Content().MinSize(); min.Width > fitWidth || min.Height > fitHeight {
					t.Errorf("%s: window content needs %v, more than %dx%d%s", what, min, fitWidth, fitHeight, u.widest())
				}
				for _, o := range w.Canvas().Overlays().List() {
					if min := o.MinSize(); min.Width > fitWidth || min.Height > fitHeight {
						t.Errorf("%s: dialog needs %v, more than %dx%d", what, min, fitWidth, fitHeight)
					}
				}
			}
			check("start screen")
			u.openDemo()
			u.jobs.wait()
			if u.d == nil || len(u.d.clusters) == 0 {
				t.Fatal("demo case not open or not analysed")
			}
			w.Resize(fyne.NewSize(fitWidth, fitHeight))
			for i, item := range u.tabs.Items {
				u.tabs.SelectIndex(i)
				if i == 4 && len(u.senders.shown) > 0 {
					u.senders.list.Select(0)
				}
				check(item.Text)
			}
			e := u.newExportDialog()
			u.jobs.wait()
			e.form.Show()
			check("export dialog")
			e.form.Hide()
			u.closeCase()
			check("start screen after closing")
		})
	}
}

// widest names the parts of the case view that are wider than the small screen, for the error
// message.
func (u *UI) widest() string {
	if u.tabs == nil {
		return ""
	}
	s := ""
	for _, it := range u.tabs.Items {
		if m := it.Content.MinSize(); m.Width > fitWidth || m.Height > fitHeight {
			s += fmt.Sprintf("\n\ttab %q content %v", it.Text, m)
		}
	}
	for name, o := range map[string]fyne.CanvasObject{"status": u.status, "top": u.caseBox.Objects[1]} {
		if m := o.MinSize(); m.Width > fitWidth {
			s += fmt.Sprintf("\n\t%s %v", name, m)
		}
	}
	return s
}
