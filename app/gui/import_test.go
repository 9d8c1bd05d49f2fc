package gui

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"raidtrace/analysis"
	"raidtrace/app/casefile"
	"raidtrace/importers"
)

// newEmptyCase creates an empty case through the start screen and returns its path.
func newEmptyCase(t *testing.T, u *UI) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "empty"+casefile.Extension)
	u.start.create(path, casefile.Info{Name: "Empty", TimeZone: "Europe/Paris", Region: "FR"})
	u.jobs.wait()
	if u.c == nil {
		t.Fatal("case not created")
	}
	return path
}

// writeBigSMS writes an SMS Backup & Restore file of n messages.
func writeBigSMS(t *testing.T, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "big-sms.xml")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintf(w, "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses count=\"%d\">\n", n)
	for i := range n {
		fmt.Fprintf(w, `  <sms protocol="0" address="+3361%07d" date="%d" type="1" subject="null" body="Message numéro %d, personne ne t'écoute #fermezla" read="1" contact_name="(Unknown)" />`+"\n",
			i%40000, 1773410400000+int64(i)*1000, i)
	}
	fmt.Fprintln(w, "</smses>")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// pausingCase is a real case whose Import stops at its first progress report with messages
// already stored (mid-parse, inside the import's transaction) until the test lets it go on.
type pausingCase struct {
	caseHandle
	once    sync.Once
	stored  chan int      // receives how many records were stored when the import paused
	resume  chan struct{} // closed by the test
	records int
}

func (p *pausingCase) Import(ctx context.Context, path string, f importers.Format, progress casefile.Progress) (casefile.ImportSummary, error) {
	return p.caseHandle.Import(ctx, path, f, func(done, total int64, n int) {
		if n > 0 {
			p.once.Do(func() {
				p.stored <- n
				select {
				case <-p.resume:
				case <-time.After(30 * time.Second):
				}
			})
		}
		progress(done, total, n)
	})
}

// TestCancelImport cancels the import of a big generated file while its messages are being
// stored, and checks that the case keeps no part of it and that the screen is usable again.
func TestCancelImport(t *testing.T) {
	u, w := newTestUI(t)
	newEmptyCase(t, u)
	big := writeBigSMS(t, 60_000)
	before, err := os.ReadFile(big)
	if err != nil {
		t.Fatal(err)
	}
	pc := &pausingCase{caseHandle: u.c, stored: make(chan int, 1), resume: make(chan struct{})}
	u.c = pc
	s := u.imp
	s.addPaths([]string{big})
	u.jobs.wait()
	if len(s.pending) != 1 || s.pending[0].err != nil {
		t.Fatalf("pending after adding the big file: %+v", s.pending)
	}
	if got, want := s.importBtn.Text, "Import 1 file"; got != want {
		t.Errorf("import button %q, want %q", got, want)
	}

	test.Tap(s.importBtn)
	if !s.progRow.Visible() || !s.cancelBtn.Visible() {
		t.Error("no progress bar with a Cancel button during the import")
	}
	select {
	case n := <-pc.stored:
		if n >= 60_000 {
			t.Fatalf("paused with %d records stored, want part of the file", n)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the import never reported stored messages")
	}
	test.Tap(s.cancelBtn)
	close(pc.resume)
	u.jobs.wait()

	ctx := context.Background()
	srcs, err := u.c.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := u.c.CountMessages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 0 || msgs != 0 {
		t.Errorf("after cancelling: %d sources and %d messages in the case, want none", len(srcs), msgs)
	}
	if len(s.summaries) != 0 {
		t.Errorf("after cancelling the screen lists %d imported sources, want none", len(s.summaries))
	}
	after, err := os.ReadFile(big)
	if err != nil || string(after) != string(before) {
		t.Errorf("the original file changed (%v)", err)
	}
	// The screen is usable again: no job, no error dialog, buttons back, the file still queued,
	// and a notice saying what happened.
	if s.cancel != nil || s.progRow.Visible() {
		t.Error("the import still looks running after cancelling")
	}
	if s.addBtn.Disabled() || s.folderBtn.Disabled() || s.importBtn.Disabled() {
		t.Errorf("buttons after cancelling: add disabled %v, folder %v, import %v; want all enabled",
			s.addBtn.Disabled(), s.folderBtn.Disabled(), s.importBtn.Disabled())
	}
	if len(s.pending) != 1 || s.pending[0].path != big {
		t.Errorf("pending after cancelling: %+v, want the big file still queued", s.pending)
	}
	if !s.notice.Visible() || s.notice.Text == "" {
		t.Error("no notice that the import was cancelled")
	}
	if top := w.Canvas().Overlays().Top(); top != nil {
		t.Errorf("a dialog is open after cancelling (a cancel is not an error)")
	}

	// And an import still works afterwards.
	s.pending = nil
	fixture, err := filepath.Abs("testdata/sms-small.xml")
	if err != nil {
		t.Fatal(err)
	}
	s.addPaths([]string{fixture})
	u.jobs.wait()
	test.Tap(s.importBtn)
	u.jobs.wait()
	if len(s.summaries) != 1 || s.summaries[0].Imported == 0 {
		t.Fatalf("import after a cancelled one: summaries %+v", s.summaries)
	}
	if s.notice.Visible() {
		t.Error("the cancel notice stays after a later import")
	}
	if len(u.d.msgs) != s.summaries[0].Imported {
		t.Errorf("case shows %d messages, want the %d just imported", len(u.d.msgs), s.summaries[0].Imported)
	}
}

// dropWindow records the drop handler the UI registers, which fyne's test window discards.
type dropWindow struct {
	fyne.Window
	onDrop func(fyne.Position, []fyne.URI)
}

func (w *dropWindow) SetOnDropped(f func(fyne.Position, []fyne.URI)) {
	w.onDrop = f
	w.Window.SetOnDropped(f)
}

// TestDropFiles drops a file and a folder on the window: with a case open they join the import
// queue with their detected format, and what is not an export is shown as not recognised.
func TestDropFiles(t *testing.T) {
	a := test.NewTempApp(t)
	w := &dropWindow{Window: a.NewWindow("Raidtrace")}
	w.Resize(fyne.NewSize(1100, 720))
	u := newUI(a, w, Options{ConfigDir: t.TempDir()}, realBackend())
	t.Cleanup(func() { u.jobs.wait(); u.closeCase() })
	if w.onDrop == nil {
		t.Fatal("the UI registered no drop handler with SetOnDropped")
	}

	// On the start screen, files that are not a case ask for a case first.
	fixture, err := os.ReadFile("testdata/sms-small.xml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	single := write("single.xml", fixture)
	w.onDrop(fyne.NewPos(5, 5), []fyne.URI{storage.NewFileURI(single)})
	u.jobs.wait()
	if u.c != nil {
		t.Fatal("a dropped export opened something on the start screen")
	}
	if w.Canvas().Overlays().Top() == nil {
		t.Error("dropping an export on the start screen says nothing")
	}
	w.Canvas().Overlays().Top().Hide()

	newEmptyCase(t, u)
	u.tabs.SelectIndex(0)
	folder := filepath.Join(dir, "exports")
	inFolder := write("exports/phone/backup.xml", fixture)
	notes := write("exports/notes.txt", []byte("rendez-vous lundi\n"))
	write("exports/.DS_Store", []byte{0, 1, 2})
	write("exports/.cache/hidden.xml", fixture)
	write("exports/old"+casefile.Extension, []byte("x"))
	web, err := storage.ParseURI("https://example.org/export.xml")
	if err != nil {
		t.Fatal(err)
	}
	if !u.imp.noPending.Visible() {
		t.Error("an empty queue shows no hint")
	}
	w.onDrop(fyne.NewPos(50, 50), []fyne.URI{storage.NewFileURI(single), storage.NewFileURI(folder), web})
	u.jobs.wait()
	if u.imp.noPending.Visible() {
		t.Error("the empty-queue hint stays over queued files")
	}

	if got := u.tabs.SelectedIndex(); got != 1 {
		t.Errorf("after a drop the tab is %d, want 1 (Import)", got)
	}
	got := map[string]string{}
	for _, p := range u.imp.pending {
		if p.err != nil {
			got[p.path] = "not recognised"
		} else {
			got[p.path] = p.format.ID
		}
	}
	want := map[string]string{single: "smsbackup", inFolder: "smsbackup", notes: "not recognised"}
	if len(got) != len(want) {
		t.Errorf("pending after the drop: %v, want %v", got, want)
	}
	for p, f := range want {
		if got[p] != f {
			t.Errorf("pending %s: %q, want %q", filepath.Base(p), got[p], f)
		}
	}
	if got, want := u.imp.importBtn.Text, "Import 2 files"; got != want {
		t.Errorf("import button %q, want %q", got, want)
	}
	if u.imp.importBtn.Disabled() {
		t.Error("Import stays disabled with recognised files queued")
	}

	// Dropping the same files again adds nothing twice.
	w.onDrop(fyne.NewPos(50, 50), []fyne.URI{storage.NewFileURI(single)})
	u.jobs.wait()
	if n := len(u.imp.pending); n != len(want) {
		t.Errorf("after dropping a queued file again: %d pending, want %d", n, len(want))
	}
}

// pausingAnalysis is a real case whose Analyze stops at its first progress report until the
// test lets it go on.
type pausingAnalysis struct {
	caseHandle
	once    sync.Once
	started chan struct{}
	resume  chan struct{}
}

func (p *pausingAnalysis) AnalyzeRows(ctx context.Context, in []analysis.Message, ids []int64, params analysis.Params, progress analysis.Progress) (*casefile.Analysis, error) {
	return p.caseHandle.AnalyzeRows(ctx, in, ids, params, p.pause(progress))
}

func (p *pausingAnalysis) Analyze(ctx context.Context, params analysis.Params, progress analysis.Progress) (*casefile.Analysis, error) {
	return p.caseHandle.Analyze(ctx, params, p.pause(progress))
}

func (p *pausingAnalysis) pause(progress analysis.Progress) analysis.Progress {
	return func(stage string, frac float64) {
		p.once.Do(func() {
			close(p.started)
			select {
			case <-p.resume:
			case <-time.After(30 * time.Second):
			}
		})
		progress(stage, frac)
	}
}

// TestCancelAnalysis cancels a running analysis from the job bar: the case keeps its previous
// analysis, the bar goes away, no error is shown, and Analyse works again.
func TestCancelAnalysis(t *testing.T) {
	u, w := newTestUI(t)
	u.openDemo()
	u.jobs.wait()
	if u.d == nil || u.d.an == nil {
		t.Fatal("demo case not open or not analysed")
	}
	before := u.d.an.Run
	pa := &pausingAnalysis{caseHandle: u.c, started: make(chan struct{}), resume: make(chan struct{})}
	u.c = pa
	test.Tap(u.analyzeBtn)
	select {
	case <-pa.started:
	case <-time.After(60 * time.Second):
		t.Fatal("the analysis never reported progress")
	}
	if !u.jobBar.Visible() || !u.analyzeBtn.Disabled() {
		t.Errorf("while analysing: job bar shown %v, Analyse disabled %v; want both", u.jobBar.Visible(), u.analyzeBtn.Disabled())
	}
	test.Tap(u.jobCancel)
	close(pa.resume)
	u.jobs.wait()
	an, err := u.c.LatestAnalysisBrief(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if an.Run != before {
		t.Errorf("latest analysis run %d after cancelling, want %d (the one before)", an.Run, before)
	}
	if u.jobBar.Visible() || u.analyzeBtn.Disabled() || u.cancelJob != nil {
		t.Errorf("after cancelling: job bar shown %v, Analyse disabled %v, job %v", u.jobBar.Visible(), u.analyzeBtn.Disabled(), u.cancelJob != nil)
	}
	if w.Canvas().Overlays().Top() != nil {
		t.Error("a dialog is open after cancelling the analysis")
	}
	u.c = pa.caseHandle
	test.Tap(u.analyzeBtn)
	u.jobs.wait()
	if u.d.an == nil || u.d.an.Run <= before {
		t.Errorf("Analyse after a cancelled one: run %v, want more than %d", u.d.an, before)
	}
}

// TestStatusOutOfDate imports into the analysed demo case: until the next analysis the status
// bar says the analysis is out of date and by how many messages, in the warning colour; after
// Analyse it says when the case was analysed.
func TestStatusOutOfDate(t *testing.T) {
	u, _, _ := openDemoUI(t, realBackend())
	if strings.Contains(u.status.Text, "out of date") || !strings.Contains(u.status.Text, "analysed ") {
		t.Fatalf("status of the analysed demo: %q", u.status.Text)
	}
	importFixture(t, u)
	n := u.imp.summaries[len(u.imp.summaries)-1].Imported
	want := fmt.Sprintf("analysis out of date: %d messages imported since; press Analyse", n)
	if n < 2 || !strings.HasPrefix(u.status.Text, want) {
		t.Errorf("status after importing %d messages: %q, want it to start with %q", n, u.status.Text, want)
	}
	if u.status.Importance != widget.WarningImportance {
		t.Errorf("out-of-date status importance %v, want warning", u.status.Importance)
	}
	u.setReveal(true) // redrawing the screens keeps the notice
	if !strings.HasPrefix(u.status.Text, want) {
		t.Errorf("status after Show message text: %q", u.status.Text)
	}
	test.Tap(u.analyzeBtn)
	u.jobs.wait()
	if strings.Contains(u.status.Text, "out of date") || !strings.Contains(u.status.Text, "analysed ") || u.status.Importance != widget.LowImportance {
		t.Errorf("status after Analyse: %q (importance %v)", u.status.Text, u.status.Importance)
	}
}

// addFolderOfThree adds a folder of three files, one not an export, to the import queue.
func addFolderOfThree(t *testing.T, u *UI) string {
	t.Helper()
	dir := t.TempDir()
	sms, err := os.ReadFile("testdata/sms-small.xml")
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{
		"a-backup.xml": sms,
		"b-backup.xml": append([]byte(nil), sms...),
		"c-notes.txt":  []byte("shopping list\nmilk\n"),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	u.imp.addPaths([]string{dir})
	u.jobs.wait()
	if len(u.imp.pending) != 3 {
		t.Fatalf("%d files waiting, want 3", len(u.imp.pending))
	}
	return dir
}

// TestImportQueueVisible adds a folder of three files at the default window size and checks
// the waiting list shows at least four rows without dragging a divider (it showed one).
func TestImportQueueVisible(t *testing.T) {
	for _, code := range []string{"en", "fr"} {
		t.Run(code, func(t *testing.T) {
			t.Cleanup(func() { applyLanguage("en"); addTranslations() })
			u, w := newTestUI(t)
			u.setLanguage(code)
			u.openDemo()
			u.jobs.wait()
			w.Resize(fyne.NewSize(1100, 680))
			u.tabs.SelectIndex(1)
			addFolderOfThree(t, u)
			l := u.imp.pendingList
			row := l.CreateItem().MinSize().Height + u.a.Settings().Theme().Size(theme.SizeNameSeparatorThickness)
			if got := l.Size().Height; got < 4*row {
				t.Errorf("the waiting list is %.0f high at 1100×680: %.1f rows of %.0f, want at least 4", got, got/row, row)
			}
			if min := w.Canvas().Content().MinSize(); min.Height > 680 {
				t.Errorf("the import screen needs %v, more than the window", min)
			}
			t.Logf("%s: %.1f rows", code, l.Size().Height/row)
		})
	}
}

// TestNotRecognisedReason checks a file no format claims says why on its row, and in full, with
// the formats tried, when the reader selects it.
func TestNotRecognisedReason(t *testing.T) {
	u, _, w := newRecordingUI(t, realBackend())
	newEmptyCase(t, u)
	addFolderOfThree(t, u)
	s := u.imp
	k := slices.IndexFunc(s.pending, func(p pendingFile) bool { return strings.HasSuffix(p.path, "c-notes.txt") })
	if k < 0 || s.pending[k].err == nil {
		t.Fatalf("the text file is not waiting as not recognised: %+v", s.pending)
	}
	n := len(u.be.formats())
	want := fmt.Sprintf("its content matches none of the %d known formats", n)
	if texts := shownTexts(s.pendingList); !containsText(texts, "c-notes.txt — "+want) || !containsText(texts, "not recognised") {
		t.Errorf("rows %q lack the reason %q", texts, want)
	}
	s.pendingList.Select(k)
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("selecting the file shows no explanation")
	}
	texts := strings.Join(shownTexts(top), "\n")
	for _, f := range u.be.formats() {
		if !strings.Contains(texts, formatName(f)) {
			t.Errorf("the explanation does not name the format tried %q: %q", formatName(f), texts)
		}
	}
}

// TestImportProblemsFrench imports a file with a bad record, switches to French and checks the
// problem list, rebuilt from the problems stored in the case, gives each reason in French (the
// importers' reason keys translated through assets/translations/fr.json), not in English.
func TestImportProblemsFrench(t *testing.T) {
	t.Cleanup(func() { applyLanguage("en"); addTranslations() })
	u, _, _ := newRecordingUI(t, realBackend())
	newEmptyCase(t, u)
	fixture, err := filepath.Abs("testdata/sms-small.xml")
	if err != nil {
		t.Fatal(err)
	}
	u.imp.addPaths([]string{fixture})
	u.jobs.wait()
	test.Tap(u.imp.importBtn)
	u.jobs.wait()
	if len(u.imp.summaries) != 1 || len(u.imp.summaries[0].Problems) == 0 {
		t.Fatalf("summaries %+v: want one with problems", u.imp.summaries)
	}
	probs := u.imp.summaries[0].Problems
	fr := loadEntries(t)["fr"]
	tr := func(key string, args map[string]string) string {
		return importers.Fill(fr["reason."+key].text, args)
	}
	u.setLanguage("fr")
	u.jobs.wait()
	if len(u.imp.problems) != len(probs) {
		t.Fatalf("French problem list %q, want %d rows", u.imp.problems, len(probs))
	}
	for i, p := range probs {
		want := p.Msg.Render(tr)
		if p.Msg == nil || want == p.Reason {
			t.Fatalf("problem %+v has no French text", p)
		}
		if row := u.imp.problems[i]; !strings.Contains(row, want) || strings.Contains(row, p.Reason) {
			t.Errorf("row %q: want the French reason %q, not %q", row, want, p.Reason)
		}
	}
}
