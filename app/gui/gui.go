// Package gui is Raidtrace's desktop window: the screens an advocate uses to go from a folder of
// message exports to a signed evidence bundle (start, import, overview, raids, messages, senders,
// export).
//
// # What it must not do
//
// The GUI holds no logic the command line lacks. Every operation (create or open a case, detect
// a format, import, analyse, decide, export, verify) is a call into app/casefile,
// importers/detect, analysis or app/evidence; this package only arranges their results on screen.
// It runs no SQL and reads no file format itself.
//
// # How it is built
//
// Each screen is a struct built from the [fyne.App], the [fyne.Window] and the open case, keeping
// its widgets in fields so that tests drive it with fyne's test app. Long work (import, analysis,
// export) runs in goroutines started in bridge.go; their progress is throttled there and every
// widget change they cause goes through fyne.Do. Lists and tables index plain slices loaded once
// per change (data.go), never the database.
//
// # Care for the reader
//
// Message text is masked in lists unless the reader reveals one message (the eye button) or turns
// on "Show message text" in the Settings menu. Notifications never carry message content. Every
// visible string goes through fyne's lang package (assets/translations/en.json and fr.json).
package gui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"raidtrace/analysis"
	"raidtrace/app/casefile"
)

// Options are how main.go starts the GUI.
type Options struct {
	CasePath  string // a case to open at start
	Demo      bool   // open the embedded demo case at start
	ConfigDir string // keys, demo case, language; "" = $RAIDTRACE_CONFIG_DIR, else os.UserConfigDir()/raidtrace, as the command line
}

// Preference keys.
const (
	prefReveal     = "reveal_text"  // bool: show message text in lists
	prefRecent     = "recent_cases" // string list, most recent first
	prefLanguage   = "language"     // "", "en" or "fr"
	prefExamine    = "examiner"     // who decides, for the custody log
	prefAppearance = "appearance"   // "", "light" or "dark"
	maxRecent      = 8
)

// UI is the application window's content and state.
type UI struct {
	a    fyne.App
	w    fyne.Window
	opt  Options
	be   backend
	jobs jobs

	root     *fyne.Container
	reveal   bool         // show message text everywhere (Settings)
	revealed map[int]bool // messages (indexes into d.msgs) the reader revealed one by one

	start *startScreen

	// The open case; nil on the start screen.
	c        caseHandle
	d        *caseData
	header   *widget.Label
	tabs     *container.AppTabs
	imp      *importScreen
	overview *overviewScreen
	raids    *raidsScreen
	messages *messagesScreen
	senders  *sendersScreen

	analyzeBtn *widget.Button
	exportBtn  *widget.Button
	importBtn  *widget.Button
	jobBar     *fyne.Container
	jobLabel   *widget.Label
	jobProg    *widget.ProgressBar
	jobCancel  *widget.Button
	cancelJob  context.CancelFunc
	caseBox    *fyne.Container // the case view; refreshed when the job bar shows or hides
	status     *widget.Label
}

// New builds the window's content for a, sets it on w with the main menu, and opens the case or
// the demo that opt names.
func New(a fyne.App, w fyne.Window, opt Options) *UI {
	return newUI(a, w, opt, realBackend())
}

func newUI(a fyne.App, w fyne.Window, opt Options, be backend) *UI {
	if opt.ConfigDir == "" {
		opt.ConfigDir = configDir()
	}
	u := &UI{a: a, w: w, opt: opt, be: be}
	u.reveal = a.Preferences().BoolWithFallback(prefReveal, false)
	a.Settings().SetTheme(calmTheme{appearance: a.Preferences().String(prefAppearance)})
	u.root = container.NewStack()
	u.start = newStartScreen(u)
	u.root.Objects = []fyne.CanvasObject{u.start.content}
	w.SetContent(u.root)
	w.Resize(fyne.NewSize(1100, 680)) // fits a 1366×768 laptop screen with its task bar and title bar
	w.SetMainMenu(u.menu())
	w.SetOnDropped(u.dropped)
	w.SetOnClosed(func() {
		if u.cancelJob != nil {
			u.cancelJob()
		}
		if u.c != nil {
			u.c.Close() // releases the case's lock
			u.c = nil
		}
	})
	switch {
	case opt.Demo:
		u.openDemo()
	case opt.CasePath != "":
		u.openCase(opt.CasePath)
	}
	return u
}

// Content is the window's content.
func (u *UI) Content() fyne.CanvasObject { return u.root }

func (u *UI) menu() *fyne.MainMenu {
	reveal := fyne.NewMenuItem(lang.L("Show message text"), nil)
	reveal.Checked = u.reveal
	reveal.Action = func() {
		u.setReveal(!u.reveal)
		reveal.Checked = u.reveal
		u.w.MainMenu().Refresh()
	}
	langItem := func(code, label string) *fyne.MenuItem {
		it := fyne.NewMenuItem(label, func() { u.setLanguage(code) })
		it.Checked = u.a.Preferences().String(prefLanguage) == code
		return it
	}
	language := fyne.NewMenuItem(lang.L("Language"), nil)
	language.ChildMenu = fyne.NewMenu("",
		langItem("", lang.L("System language")),
		langItem("en", "English"),
		langItem("fr", "Français"))
	appearanceItem := func(code, label string) *fyne.MenuItem {
		it := fyne.NewMenuItem(label, func() { u.setAppearance(code) })
		it.Checked = u.a.Preferences().String(prefAppearance) == code
		return it
	}
	appearance := fyne.NewMenuItem(lang.L("Appearance"), nil)
	appearance.ChildMenu = fyne.NewMenu("",
		appearanceItem("", lang.L("As the system")),
		appearanceItem(appearanceLight, lang.L("Light")),
		appearanceItem(appearanceDark, lang.L("Dark")))
	examiner := fyne.NewMenuItem(lang.L("Reviewer name…"), u.askExaminer)
	return fyne.NewMainMenu(
		fyne.NewMenu(lang.L("Case"),
			fyne.NewMenuItem(lang.L("New case…"), func() { u.closeCase(); u.w.Canvas().Focus(u.start.name) }),
			fyne.NewMenuItem(lang.L("Open case…"), u.start.chooseCase),
			fyne.NewMenuItem(lang.L("Open the demo case"), u.openDemo),
			fyne.NewMenuItemSeparator(),
			fyne.NewMenuItem(lang.L("Import files…"), func() {
				if u.imp != nil {
					u.tabs.Select(u.tabs.Items[1])
					u.imp.chooseFiles()
				}
			}),
			fyne.NewMenuItem(lang.L("Analyse"), u.analyze),
			fyne.NewMenuItem(lang.L("Export evidence bundle…"), u.showExport),
			fyne.NewMenuItemSeparator(),
			fyne.NewMenuItem(lang.L("Close case"), u.closeCase),
		),
		fyne.NewMenu(lang.L("Settings"), reveal, language, appearance, examiner),
	)
}

// isRevealed reports whether message i's text is shown.
func (u *UI) isRevealed(i int) bool { return u.reveal || u.revealed[i] }

// toggleReveal shows or hides message i's text.
func (u *UI) toggleReveal(i int) {
	if u.revealed == nil {
		u.revealed = map[int]bool{}
	}
	u.revealed[i] = !u.revealed[i]
}

func (u *UI) setReveal(on bool) {
	u.reveal = on
	u.a.Preferences().SetBool(prefReveal, on)
	if u.d != nil {
		u.refreshScreens()
	}
}

// setAppearance stores the light or dark choice ("" = as the system) and applies it at once.
func (u *UI) setAppearance(code string) {
	u.a.Preferences().SetString(prefAppearance, code)
	u.a.Settings().SetTheme(calmTheme{appearance: code})
	u.w.SetMainMenu(u.menu())
}

// setLanguage stores the choice (read by LoadTranslations at the next start) and applies it now
// by reloading the translations and rebuilding the window.
func (u *UI) setLanguage(code string) {
	u.a.Preferences().SetString(prefLanguage, code)
	if err := writeLanguageFile(u.opt.ConfigDir, code); err != nil {
		fyne.LogError("saving language", err)
	}
	applyLanguage(code)
	if err := addTranslations(); err != nil {
		fyne.LogError("loading translations", err)
	}
	u.start = newStartScreen(u)
	u.w.SetMainMenu(u.menu())
	if u.d != nil {
		keep := u.tabs.SelectedIndex()
		u.imp = nil
		u.showCase(u.d)
		u.tabs.SelectIndex(keep)
	} else {
		u.root.Objects = []fyne.CanvasObject{u.start.content}
		u.root.Refresh()
	}
}

func (u *UI) examiner() string {
	if s := u.a.Preferences().String(prefExamine); s != "" {
		return s
	}
	if u.d != nil && u.d.info.Examiner != "" {
		return u.d.info.Examiner
	}
	if cu, err := user.Current(); err == nil {
		return cu.Username
	}
	return ""
}

func (u *UI) askExaminer() {
	e := widget.NewEntry()
	e.SetText(u.examiner())
	dialog.ShowForm(lang.L("Reviewer name"), lang.L("Save"), lang.L("Cancel"),
		[]*widget.FormItem{widget.NewFormItem(lang.L("Name"), e)},
		func(ok bool) {
			if ok {
				u.a.Preferences().SetString(prefExamine, strings.TrimSpace(e.Text))
			}
		}, u.w)
}

func (u *UI) showError(err error) {
	if err == nil || errors.Is(err, context.Canceled) {
		return
	}
	// The errors a reader can act on get a translated explanation; the core's own message
	// (English) follows for the technical detail.
	var hint string
	switch {
	case errors.Is(err, casefile.ErrLocked):
		hint = lang.L("This case is open in another Raidtrace window. Close it there first.")
	case errors.Is(err, casefile.ErrNotCase):
		hint = lang.L("This file is not a Raidtrace case file.")
	case errors.Is(err, casefile.ErrChain):
		hint = lang.L("The custody log of this case has been altered: its chain of hashes is broken.")
	case errors.Is(err, os.ErrNotExist):
		hint = lang.L("The file or folder does not exist (any more).")
	case errors.Is(err, os.ErrPermission):
		hint = lang.L("Raidtrace may not read or write there.")
	}
	if hint != "" {
		err = fmt.Errorf("%s\n\n%w", hint, err)
	}
	dialog.ShowError(err, u.w)
}

// addRecent puts path first in the recent cases.
func (u *UI) addRecent(path string) {
	p := u.a.Preferences()
	list := slices.DeleteFunc(p.StringListWithFallback(prefRecent, nil), func(s string) bool { return s == path })
	list = append([]string{path}, list...)
	if len(list) > maxRecent {
		list = list[:maxRecent]
	}
	p.SetStringList(prefRecent, list)
}

// removeRecent takes path out of the recent cases.
func (u *UI) removeRecent(path string) {
	p := u.a.Preferences()
	p.SetStringList(prefRecent, slices.DeleteFunc(p.StringListWithFallback(prefRecent, nil), func(s string) bool { return s == path }))
}

// openCase opens the case at path off the UI goroutine.
func (u *UI) openCase(path string) {
	u.runCaseJob(path, func(ctx context.Context) (caseHandle, error) { return u.be.open(ctx, path) })
}

// createCase creates a case at path.
func (u *UI) createCase(path string, info casefile.Info) {
	u.runCaseJob("", func(ctx context.Context) (caseHandle, error) { return u.be.create(ctx, path, info) })
}

// openDemo opens (building it the first time) the embedded demo case.
func (u *UI) openDemo() {
	dir := u.opt.ConfigDir
	u.runCaseJob("", func(ctx context.Context) (caseHandle, error) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
		return u.be.openDemo(ctx, dir)
	})
}

// runCaseJob opens the case get returns off the UI goroutine and shows it. path is the case
// being opened from the recent list or a dialog ("" for a new or the demo case): when it no
// longer exists it leaves the recent cases.
func (u *UI) runCaseJob(path string, get func(ctx context.Context) (caseHandle, error)) {
	u.start.setBusy(true)
	var c caseHandle
	var d *caseData
	u.jobs.run(context.Background(), func(ctx context.Context) error {
		var err error
		if c, err = get(ctx); err != nil {
			return err
		}
		d, err = loadCaseData(ctx, c)
		if err != nil {
			c.Close()
		}
		return err
	}, func(err error) {
		u.start.setBusy(false)
		if err != nil {
			if path != "" && errors.Is(err, os.ErrNotExist) {
				u.removeRecent(path)
				u.start.refreshRecent()
			}
			u.showError(err)
			return
		}
		u.closeCase()
		u.c = c
		u.addRecent(c.Path())
		u.start.refreshRecent()
		u.showCase(d)
	})
}

// reload reads the case again after it changed (import, analysis), then refreshes the screens.
func (u *UI) reload(then func()) { u.reloadWith(false, then) }

// reloadAnalysis is reload after an analysis: the messages already held are kept
// (caseData.reanalysed), unless they changed meanwhile.
func (u *UI) reloadAnalysis(then func()) { u.reloadWith(true, then) }

func (u *UI) reloadWith(analysed bool, then func()) {
	c := u.c
	if c == nil {
		return
	}
	if u.status != nil {
		u.status.SetText(lang.L("Reading the case…"))
	}
	var d *caseData
	old := u.d
	u.jobs.run(context.Background(), func(ctx context.Context) error {
		if analysed && old != nil {
			nd, ok, err := old.reanalysed(ctx, c)
			if err != nil || ok {
				d = nd
				return err
			}
		}
		var err error
		d, err = loadCaseData(ctx, c)
		return err
	}, func(err error) {
		if u.c != c {
			return // the case was closed meanwhile
		}
		if err != nil {
			u.showError(err)
			return
		}
		keep := u.tabs.SelectedIndex()
		u.showCase(d)
		u.tabs.SelectIndex(keep)
		if then != nil {
			then()
		}
	})
}

func (u *UI) closeCase() {
	if u.cancelJob != nil {
		u.cancelJob()
	}
	if u.imp != nil && u.imp.cancel != nil {
		u.imp.cancel()
	}
	if u.c != nil {
		if err := u.c.Close(); err != nil {
			fyne.LogError("closing case", err)
		}
	}
	u.c, u.d, u.imp, u.tabs = nil, nil, nil, nil
	u.w.SetTitle("Raidtrace")
	u.root.Objects = []fyne.CanvasObject{u.start.content}
	u.root.Refresh()
}

// showCase builds the case screens over d.
func (u *UI) showCase(d *caseData) {
	if u.d != d {
		u.revealed = nil
	}
	u.d = d
	u.w.SetTitle(fmt.Sprintf("%s — Raidtrace", d.info.Name))
	if u.imp == nil {
		u.imp = newImportScreen(u)
	}
	u.overview = newOverviewScreen(u, d)
	u.raids = newRaidsScreen(u, d)
	u.messages = newMessagesScreen(u, d)
	u.senders = newSendersScreen(u, d)
	u.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(lang.L("Overview"), theme.HomeIcon(), u.overview.content),
		container.NewTabItemWithIcon(lang.L("Import"), theme.DownloadIcon(), u.imp.content),
		container.NewTabItemWithIcon(lang.L("Raids"), theme.WarningIcon(), u.raids.content),
		container.NewTabItemWithIcon(lang.L("Messages"), theme.MailComposeIcon(), u.messages.content),
		container.NewTabItemWithIcon(lang.L("Senders"), theme.AccountIcon(), u.senders.content),
	)
	if len(d.msgs) == 0 {
		u.tabs.SelectIndex(1)
	}
	u.header = widget.NewLabelWithStyle(d.info.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	u.header.Truncation = fyne.TextTruncateEllipsis
	u.importBtn = widget.NewButtonWithIcon(lang.L("Import files…"), theme.ContentAddIcon(), func() {
		u.tabs.SelectIndex(1)
		u.imp.chooseFiles()
	})
	u.analyzeBtn = widget.NewButtonWithIcon(lang.L("Analyse"), theme.SearchIcon(), u.analyze)
	// The menu says "Export evidence bundle…"; the toolbar's shorter label leaves room for the
	// case name on small screens.
	u.exportBtn = widget.NewButtonWithIcon(lang.L("Export bundle…"), theme.DocumentSaveIcon(), u.showExport)
	u.exportBtn.Importance = widget.HighImportance
	if len(d.msgs) == 0 {
		u.analyzeBtn.Disable()
		u.exportBtn.Disable()
	}
	top := container.NewBorder(nil, nil, nil,
		container.NewHBox(u.importBtn, u.analyzeBtn, u.exportBtn), u.header)

	u.jobLabel = widget.NewLabel("")
	u.jobProg = widget.NewProgressBar()
	u.jobCancel = widget.NewButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), func() {
		if u.cancelJob != nil {
			u.cancelJob()
		}
	})
	u.jobBar = container.NewBorder(nil, nil, u.jobLabel, u.jobCancel, u.jobProg)
	u.jobBar.Hide()
	u.status = widget.NewLabel("")
	u.status.Truncation = fyne.TextTruncateEllipsis // the case path may be long: never widen the window
	u.refreshStatus()
	bottom := container.NewVBox(u.jobBar, u.status)
	u.caseBox = container.NewBorder(container.NewPadded(top), bottom, nil, nil, u.tabs)
	u.root.Objects = []fyne.CanvasObject{u.caseBox}
	u.root.Refresh()
}

// refreshStatus sets the status bar's text, in the warning colour while the analysis is out of
// date.
func (u *UI) refreshStatus() {
	u.status.Importance = widget.LowImportance
	if u.d.an != nil && u.d.notAnalysed > 0 {
		u.status.Importance = widget.WarningImportance
	}
	u.status.SetText(u.statusText())
}

func (u *UI) statusText() string {
	d := u.d
	s := lang.L("{{.Messages}} messages · source files: {{.Sources}}", map[string]any{
		"Messages": countText(len(d.msgs)), "Sources": len(d.sources)})
	switch {
	case d.an != nil && d.notAnalysed > 0:
		// Said before the rest: the raids and figures on screen do not count these messages.
		s = lang.N("analysis out of date: {{.N}} messages imported since; press Analyse", d.notAnalysed, map[string]any{"N": countText(d.notAnalysed)}) + " · " + s
	case d.an != nil:
		s += " · " + lang.L("analysed {{.At}}", map[string]any{"At": d.an.At.In(d.loc).Format("2006-01-02 15:04")})
	case len(d.msgs) > 0:
		s += " · " + lang.L("not analysed yet")
	}
	if !u.reveal {
		s += " · " + lang.L("message text is masked (Settings ▸ Show message text)")
	}
	if u.c != nil {
		s += " · " + u.c.Path()
	}
	return s
}

// refreshScreens redraws the screens after a display setting changed.
func (u *UI) refreshScreens() {
	u.raids.refresh()
	u.messages.refresh()
	u.senders.refresh()
	u.refreshStatus()
}

// analyze runs the analysis with the default parameters and reloads the case.
func (u *UI) analyze() {
	if u.c == nil || u.cancelJob != nil {
		return
	}
	c := u.c
	ctx, cancel := context.WithCancel(context.Background())
	u.cancelJob = cancel
	u.analyzeBtn.Disable()
	u.jobLabel.SetText(lang.L("Analysing…"))
	u.jobProg.SetValue(0)
	u.jobBar.Show()
	u.caseBox.Refresh()
	progress := throttle(func(stage string, frac float64) {
		name, _ := stageName(stage)
		u.jobLabel.SetText(lang.L("Analysing…") + " " + name)
		u.jobProg.SetValue(frac)
	})
	// the messages the window holds are the analysis input: the case checks they are still all
	// of them, else reads them itself
	d := u.d
	var ids []int64
	if d != nil {
		ids = make([]int64, len(d.msgs))
		for i := range d.msgs {
			ids[i] = d.msgs[i].ID
		}
	}
	u.jobs.run(ctx, func(ctx context.Context) error {
		if d != nil {
			_, err := c.AnalyzeRows(ctx, d.in, ids, analysis.DefaultParams(), analysis.Progress(progress))
			if !errors.Is(err, casefile.ErrRowsChanged) {
				return err
			}
		}
		_, err := c.Analyze(ctx, analysis.DefaultParams(), analysis.Progress(progress))
		return err
	}, func(err error) {
		cancel()
		u.cancelJob = nil
		u.jobBar.Hide()
		u.caseBox.Refresh()
		u.analyzeBtn.Enable()
		if err != nil {
			u.showError(err)
			return
		}
		u.reloadAnalysis(func() {
			if len(u.d.clusters) > 0 {
				u.tabs.SelectIndex(2)
			}
		})
	})
}

// stageName translates a progress stage: those analysis.Analyze reports (normalise, cluster,
// describe, time, triage, done), those evidence.Export reports (read, originals, tables, report,
// manifests, zip, done) and the export dialog's own verify. ok is false for a stage it does not
// know, shown as "working…" rather than as the core's English word (TestStageNamesCoverCore
// collects the stages the core sends and fails on one missing here).
func stageName(stage string) (label string, ok bool) {
	switch stage {
	case "normalise":
		return lang.L("reading the texts"), true
	case "cluster":
		return lang.L("grouping similar messages"), true
	case "describe":
		return lang.L("describing the groups and their senders"), true
	case "time":
		return lang.L("measuring bursts and rhythms"), true
	case "triage":
		return lang.L("looking for threats and insults to suggest"), true
	case "done":
		return lang.L("finishing"), true
	case "read":
		return lang.L("reading the case"), true
	case "originals":
		return lang.L("copying originals"), true
	case "tables":
		return lang.L("writing messages and tables"), true
	case "report":
		return lang.L("writing reports"), true
	case "manifests":
		return lang.L("computing checksums and signing"), true
	case "zip":
		return lang.L("making the ZIP file"), true
	case "verify":
		return lang.L("verifying"), true
	}
	return lang.L("working…"), false
}
