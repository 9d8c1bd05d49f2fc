package gui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"raidtrace/analysis"
	"raidtrace/app/casefile"
	"raidtrace/app/evidence"
)

// importFixture imports testdata/sms-small.xml into the open case through the import screen.
func importFixture(t *testing.T, u *UI) {
	t.Helper()
	fixture, err := filepath.Abs("testdata/sms-small.xml")
	if err != nil {
		t.Fatal(err)
	}
	u.imp.addPaths([]string{fixture})
	u.jobs.wait()
	test.Tap(u.imp.importBtn)
	u.jobs.wait()
	if len(u.d.msgs) == 0 {
		t.Fatal("nothing imported from the fixture")
	}
}

// TestExportZipRealVerify exports with "Also make a ZIP file" through the real core, export and
// verification both: the bag folder verifies, the dialog says so and names the ZIP written next
// to it, and Open the folder opens the folder holding both (the GUI once verified the ZIP's path
// and showed only "is not a folder").
func TestExportZipRealVerify(t *testing.T) {
	u, a, w := newRecordingUI(t, realBackend())
	newEmptyCase(t, u)
	importFixture(t, u)

	e := u.newExportDialog()
	u.jobs.wait()
	e.zip.SetChecked(true)
	e.dir = t.TempDir()
	e.start()
	u.jobs.wait()
	if e.err != nil {
		t.Fatalf("export with ZIP: %v", e.err)
	}
	if !e.result.OK || !e.result.Signed {
		t.Fatalf("bag %s: OK %v signed %v, problems %v", e.out.Bag, e.result.OK, e.result.Signed, e.result.Problems)
	}
	if st, err := os.Stat(e.out.Bag); err != nil || !st.IsDir() {
		t.Errorf("bag %s is not a folder: %v", e.out.Bag, err)
	}
	if e.out.Zip != e.out.Bag+".zip" {
		t.Errorf("zip %q, want the bag folder's name + .zip (%s.zip)", e.out.Zip, e.out.Bag)
	}
	if _, err := os.Stat(e.out.Zip); err != nil {
		t.Errorf("zip: %v", err)
	}
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no result dialog")
	}
	texts := shownTexts(top)
	for _, want := range []string{"Bundle verified", "signature is valid", filepath.Base(e.out.Zip)} {
		if !containsText(texts, want) {
			t.Errorf("result dialog %q lacks %q", texts, want)
		}
	}
	var open *widget.Button
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := o.(*widget.Button); ok && b.Text == lang.L("Open the folder") {
			open = b
		}
	}
	if open == nil {
		t.Fatal("no Open the folder button")
	}
	test.Tap(open)
	a.mu.Lock()
	opened := slices.Clone(a.opened)
	a.mu.Unlock()
	if len(opened) == 0 || filepath.Clean(opened[len(opened)-1].Path) != e.dir {
		t.Errorf("Open the folder opened %v, want %s (the bag folder and the ZIP)", opened, e.dir)
	}
}

// report is one progress call.
type report struct {
	stage string
	frac  float64
}

// recorder collects the progress stages the core reports.
type recorder struct {
	mu     sync.Mutex
	stages []string // each once, in the order first reported
	calls  []report
}

func (r *recorder) progress(stage string, frac float64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !slices.Contains(r.stages, stage) {
		r.stages = append(r.stages, stage)
	}
	r.calls = append(r.calls, report{stage, frac})
}

// coreStages runs a real import, analysis and export (with ZIP, and the redacted variant) of
// the fixture through the core with recording progress functions, and returns what each
// reported.
func coreStages(t *testing.T) (an, full, redacted *recorder) {
	t.Helper()
	ctx := context.Background()
	c, err := casefile.Create(ctx, filepath.Join(t.TempDir(), "stages"+casefile.Extension), casefile.Info{Name: "Stages", TimeZone: "Europe/Paris", Region: "FR"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	be := realBackend()
	f, err := be.detect("testdata/sms-small.xml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Import(ctx, "testdata/sms-small.xml", f, nil); err != nil {
		t.Fatal(err)
	}
	an, full, redacted = &recorder{}, &recorder{}, &recorder{}
	if _, err := c.Analyze(ctx, analysis.DefaultParams(), an.progress); err != nil {
		t.Fatal(err)
	}
	keyDir := filepath.Join(t.TempDir(), "keys")
	for _, x := range []struct {
		r   *recorder
		opt exportOptions
	}{{full, exportOptions{Langs: []string{"fr", "en"}, Zip: true}}, {redacted, exportOptions{Langs: []string{"fr"}, Redact: true}}} {
		if _, err := be.export(ctx, c, t.TempDir(), keyDir, x.opt, x.r.progress); err != nil {
			t.Fatal(err)
		}
	}
	return an, full, redacted
}

// TestStageNamesCoverCore collects every progress stage the core reports during an analysis
// and an export and checks each has a translated label in English and in French, so that no
// raw core word ("normalise", "tables") reaches the screen. Then it feeds the export's reports
// to the export dialog's label: steps only go forward, to the last one (verify), and never show
// the core's words.
func TestStageNamesCoverCore(t *testing.T) {
	an, full, redacted := coreStages(t)
	stages := append(append(slices.Clone(an.stages), full.stages...), redacted.stages...)
	stages = append(stages, "verify") // the dialog's own
	for _, want := range []string{"normalise", "cluster", "read", "tables", "manifests", "zip", "done"} {
		if !slices.Contains(stages, want) {
			t.Errorf("the core no longer reports %q (stages %v): update stageName and this test", want, stages)
		}
	}
	t.Cleanup(func() { applyLanguage("en"); addTranslations() })
	for _, code := range []string{"en", "fr"} {
		applyLanguage(code)
		if err := addTranslations(); err != nil {
			t.Fatal(err)
		}
		for _, st := range stages {
			label, ok := stageName(st)
			if !ok || label == "" || label == st {
				t.Errorf("%s: core stage %q has no label (got %q)", code, st, label)
			}
		}
	}
	applyLanguage("en")
	addTranslations()

	for _, c := range []struct {
		name string
		r    *recorder
		opt  exportOptions
	}{{"zip", full, exportOptions{Zip: true}}, {"redacted", redacted, exportOptions{Redact: true}}} {
		e := &exportDialog{steps: exportSteps(c.opt)}
		last := 0
		calls := append(slices.Clone(c.r.calls), report{"verify", 0})
		for _, call := range calls {
			text := e.stageText(call.stage, call.frac)
			if e.step < last {
				t.Errorf("%s: %s went back from step %d to %d", c.name, call.stage, last+1, e.step+1)
			}
			last = e.step
			if !strings.HasPrefix(text, "Step ") || strings.HasSuffix(text, ": "+call.stage) {
				t.Errorf("%s: label %q for stage %q", c.name, text, call.stage)
			}
		}
		if e.step != len(e.steps)-1 {
			t.Errorf("%s: ended at step %d of %d", c.name, e.step+1, len(e.steps))
		}
		for _, st := range e.steps {
			if !slices.ContainsFunc(calls, func(x report) bool { return x.stage == st }) {
				t.Errorf("%s: step %q never reported by the core (reports %v)", c.name, st, c.r.stages)
			}
		}
	}
}

// TestExportProgressMoves checks the running export dialog shows a moving bar, never a
// determinate one stuck at 0%, and a step label from the first report.
func TestExportProgressMoves(t *testing.T) {
	be := realBackend()
	started := make(chan struct{})
	release := make(chan struct{})
	be.export = func(ctx context.Context, c caseHandle, dir, keyDir string, opt exportOptions, progress func(string, float64)) (exported, error) {
		progress("read", 0)
		close(started)
		<-release
		return exported{Bag: dir}, nil
	}
	be.verify = func(ctx context.Context, bag string) (verifyResult, error) { return verifyResult{OK: true}, nil }
	be.fingerprint = func(string) (string, error) { return "SHA256:testkey", nil }
	u, _, _ := newRecordingUI(t, be)
	newEmptyCase(t, u)
	e := u.newExportDialog()
	e.dir = t.TempDir()
	e.start()
	<-started
	if !e.progress.Running() {
		t.Error("the export's progress bar does not move while the core reads the case")
	}
	close(release)
	u.jobs.wait()
	if e.progress.Running() {
		t.Error("the progress bar still runs after the export")
	}
	if got, want := e.stage.Text, "Step 6 of 6: verifying"; got != want {
		t.Errorf("last label %q, want %q", got, want)
	}
}

// TestStageLabelUnknown shows a stage the GUI does not know as "working…", not as the core's word.
func TestStageLabelUnknown(t *testing.T) {
	if label, ok := stageName("frobnicate"); ok || strings.Contains(label, "frobnicate") {
		t.Errorf("unknown stage: %q, %v", label, ok)
	}
}

// TestExportReportsCleanup leaves a partial bundle of an interrupted export in the destination
// folder and exports there through the real core: the export removes it, as before, and the
// result now says so (the GUI removed it silently; the command line prints it). The sentence
// exists in French too, with the size written the French way.
func TestExportReportsCleanup(t *testing.T) {
	u, _, w := newRecordingUI(t, realBackend())
	newEmptyCase(t, u)
	importFixture(t, u)

	e := u.newExportDialog()
	u.jobs.wait()
	e.dir = t.TempDir()
	stale := filepath.Join(e.dir, ".partial-raidtrace-interrupted")
	if err := os.MkdirAll(stale, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(stale, "messages.csv"), make([]byte, 3<<10), 0o644)
	e.start()
	u.jobs.wait()
	if e.err != nil || !e.result.OK {
		t.Fatalf("export: %v, verified %v", e.err, e.result.OK)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Fatalf("the stale partial bundle is still there: %v", err)
	}
	if e.out.Cleanup.Removed != 1 {
		t.Fatalf("cleanup %+v, want one removed", e.out.Cleanup)
	}
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no result dialog")
	}
	want := "Before writing, 1 partial bundle left in the folder by an interrupted export was removed (3"
	if texts := shownTexts(top); !containsText(texts, want) || !containsText(texts, "KiB)") {
		t.Errorf("the result %q does not report the cleanup %q", texts, want)
	}

	t.Cleanup(func() { applyLanguage("en"); addTranslations() })
	applyLanguage("fr")
	addTranslations()
	got := cleanupText(evidence.Cleanup{Removed: 2, Bytes: 3<<20 + 1<<19, Failed: []error{errors.New("stale partial bundle /x: permission denied")}})
	for _, want := range []string{"Avant l'écriture, 2 dossiers de preuves partiels", "supprimés (3,5 Mio).",
		"n'a pas pu être supprimé : stale partial bundle /x: permission denied"} {
		if !strings.Contains(got, want) {
			t.Errorf("French cleanup %q lacks %q", got, want)
		}
	}
	if got := cleanupText(evidence.Cleanup{}); got != "" {
		t.Errorf("nothing removed: %q, want no text", got)
	}
}
