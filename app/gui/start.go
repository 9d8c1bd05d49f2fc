package gui

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"raidtrace/app/casefile"
)

// startScreen creates or opens a case.
type startScreen struct {
	u       *UI
	content fyne.CanvasObject

	name, region, cost *widget.Entry
	tz                 *widget.SelectEntry
	tzOptions          []string // the time zones the drop-down offers for what is typed
	createBtn, openBtn *widget.Button
	demoBtn            *widget.Button
	recent             *widget.List
	recentList         []string
	busy               *widget.ProgressBarInfinite
}

func newStartScreen(u *UI) *startScreen {
	s := &startScreen{u: u}
	s.name = widget.NewEntry()
	s.name.SetPlaceHolder(lang.L("e.g. Helpline raid, March"))
	// The time zone completes from the IANA list: a city or a country typed shows its zones in
	// the drop-down, and a city alone ("Paris") is read as its zone.
	s.tz = widget.NewSelectEntry(nil)
	s.tz.SetPlaceHolder("Europe/Paris")
	s.tz.Validator = func(v string) error {
		_, err := resolveZone(v)
		return err
	}
	s.tz.OnChanged = func(v string) {
		s.tzOptions = zoneMatches(v, 30)
		s.tz.SetOptions(s.tzOptions)
	}
	s.tz.SetText("Europe/Paris")
	s.region = widget.NewEntry()
	s.region.SetText("FR")
	s.region.Validator = func(v string) error {
		if !isRegion(v) {
			return errors.New(lang.L("Enter a two-letter country code such as FR"))
		}
		return nil
	}
	s.cost = widget.NewEntry()
	s.cost.SetPlaceHolder("0" + lang.X("decimal.separator", ".") + "16") // 0,16 in French; both are read
	s.cost.Validator = func(v string) error {
		if strings.TrimSpace(v) == "" {
			return nil
		}
		if _, err := parseCost(v); err != nil {
			return errors.New(lang.L("Enter an amount such as 0.16"))
		}
		return nil
	}
	// Each checked field has a hint line, where its error shows in place: an error never pushes
	// the fields and the Create button down under the pointer.
	item := func(label string, w fyne.CanvasObject, hint string) *widget.FormItem {
		it := widget.NewFormItem(label, w)
		it.HintText = hint
		return it
	}
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Case name"), s.name),
		item(lang.L("Time zone"), s.tz, lang.L("type a city, then choose from the list")),
		item(lang.L("Phone region"), s.region, lang.L("two letters, e.g. FR")),
		item(lang.L("Cost per message (EUR)"), s.cost, lang.L("optional, e.g. {{.Example}}", map[string]any{"Example": s.cost.PlaceHolder})),
	)
	s.createBtn = widget.NewButtonWithIcon(lang.L("Create case…"), theme.ContentAddIcon(), s.chooseNewPath)
	s.createBtn.Importance = widget.HighImportance
	about := widget.NewLabel(lang.L("One case file holds the imported exports, the analysis and the custody log."))
	about.Wrapping = fyne.TextWrapWord // a card subtitle would not wrap, and would widen the window
	newCard := widget.NewCard(lang.L("New case"), "", container.NewVBox(about, form, s.createBtn))

	s.openBtn = widget.NewButtonWithIcon(lang.L("Open case…"), theme.FolderOpenIcon(), s.chooseCase)
	s.demoBtn = widget.NewButtonWithIcon(lang.L("Open the demo case"), theme.MediaPlayIcon(), u.openDemo)
	s.recent = widget.NewList(
		func() int { return len(s.recentList) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			p := s.recentList[i]
			o.(*widget.Label).SetText(strings.TrimSuffix(filepath.Base(p), casefile.Extension) + "  —  " + filepath.Dir(p))
		})
	s.recent.OnSelected = func(i widget.ListItemID) {
		s.recent.UnselectAll()
		u.openCase(s.recentList[i])
	}
	s.refreshRecent()
	s.busy = widget.NewProgressBarInfinite()
	s.busy.Hide()
	s.busy.Stop()
	openCard := widget.NewCard(lang.L("Open a case"), lang.L("Recent cases"),
		container.NewBorder(nil, container.NewVBox(s.openBtn, s.demoBtn), nil, nil, s.recent))

	title := widget.NewLabelWithStyle("Raidtrace", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	intro := widget.NewLabel(lang.L("Find the raids in a victim's messages and export evidence that others can verify."))
	intro.Wrapping = fyne.TextWrapWord
	s.content = container.NewBorder(
		container.NewVBox(title, intro), s.busy, nil, nil,
		container.NewGridWithColumns(2, newCard, openCard))
	s.content = container.NewPadded(s.content)
	return s
}

// isRegion reports whether v is a two-letter country code (the default phone region).
func isRegion(v string) bool {
	v = strings.TrimSpace(v)
	if len(v) != 2 {
		return false
	}
	for _, r := range strings.ToUpper(v) {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

func parseCost(v string) (float64, error) {
	return strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(v), ",", "."), 64)
}

func (s *startScreen) refreshRecent() {
	s.recentList = s.u.a.Preferences().StringListWithFallback(prefRecent, nil)
	s.recent.Refresh()
}

func (s *startScreen) setBusy(on bool) {
	if on {
		s.busy.Show()
		s.busy.Start()
		s.createBtn.Disable()
		s.openBtn.Disable()
		s.demoBtn.Disable()
		return
	}
	s.busy.Stop()
	s.busy.Hide()
	s.createBtn.Enable()
	s.openBtn.Enable()
	s.demoBtn.Enable()
}

// info is the new case's settings from the form.
func (s *startScreen) info() (casefile.Info, error) {
	name := strings.TrimSpace(s.name.Text)
	if name == "" {
		return casefile.Info{}, errors.New(lang.L("Give the case a name."))
	}
	if err := s.region.Validate(); err != nil {
		return casefile.Info{}, err
	}
	zone, err := resolveZone(s.tz.Text)
	if err != nil {
		return casefile.Info{}, err
	}
	in := casefile.Info{Name: name, TimeZone: zone,
		Region: strings.ToUpper(strings.TrimSpace(s.region.Text)), Currency: "EUR",
		Examiner: s.u.examiner()}
	if strings.TrimSpace(s.cost.Text) != "" {
		c, err := parseCost(s.cost.Text)
		if err != nil {
			return casefile.Info{}, errors.New(lang.L("Enter an amount such as 0.16"))
		}
		in.UnitCost = c
	}
	return in, nil
}

// chooseNewPath asks where to save the new case file, then creates it.
func (s *startScreen) chooseNewPath() {
	in, err := s.info()
	if err != nil {
		s.u.showError(err)
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			s.u.showError(err)
			return
		}
		path := w.URI().Path()
		w.Close()
		if !strings.HasSuffix(path, casefile.Extension) {
			path += casefile.Extension
		}
		s.create(path, in)
	}, s.u.w)
	d.SetFileName(safeFileName(in.Name) + casefile.Extension)
	showFileDialog(d, s.u.w)
}

// create makes the case at path (the file dialog leaves an empty file there, which is removed).
func (s *startScreen) create(path string, in casefile.Info) {
	removeIfEmpty(path)
	s.u.createCase(path, in)
}

func (s *startScreen) chooseCase() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			s.u.showError(err)
			return
		}
		path := r.URI().Path()
		r.Close()
		s.u.openCase(path)
	}, s.u.w)
	d.SetFilter(storage.NewExtensionFileFilter([]string{casefile.Extension}))
	showFileDialog(d, s.u.w)
}

func safeFileName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < ' ' {
			return '-'
		}
		return r
	}, strings.TrimSpace(s))
	if s == "" {
		return "case"
	}
	return s
}

// removeIfEmpty deletes the empty file a save dialog leaves, so that the case file can be created
// in its place.
func removeIfEmpty(path string) {
	if st, err := os.Stat(path); err == nil && st.Size() == 0 && st.Mode().IsRegular() {
		os.Remove(path)
	}
}
