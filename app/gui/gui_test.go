package gui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"raidtrace/app/casefile"
)

func TestMain(m *testing.M) {
	applyLanguage("en") // goldens are in English whatever the machine's locale
	if err := addTranslations(); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// newTestUI builds the UI in a test app with the real core and a temporary config folder.
func newTestUI(t *testing.T) (*UI, fyne.Window) {
	t.Helper()
	a := test.NewTempApp(t)
	w := a.NewWindow("Raidtrace")
	w.Resize(fyne.NewSize(1100, 720))
	u := newUI(a, w, Options{ConfigDir: t.TempDir()}, realBackend())
	t.Cleanup(func() {
		u.jobs.wait()
		u.closeCase()
	})
	return u, w
}

// TestFlow taps through demo → import → analyse → review one member → export, and checks the
// bundle verifies.
func TestFlow(t *testing.T) {
	u, _ := newTestUI(t)

	test.Tap(u.start.demoBtn)
	u.jobs.wait()
	if u.d == nil {
		t.Fatal("demo case not open")
	}
	demoMsgs := len(u.d.msgs)
	if demoMsgs == 0 || len(u.d.clusters) == 0 {
		t.Fatalf("demo: got %d messages and %d raids, want some of each", demoMsgs, len(u.d.clusters))
	}

	fixture, err := filepath.Abs("testdata/sms-small.xml")
	if err != nil {
		t.Fatal(err)
	}
	u.imp.addPaths([]string{fixture})
	u.jobs.wait()
	if len(u.imp.pending) != 1 || u.imp.pending[0].err != nil {
		t.Fatalf("pending after adding the fixture: %+v (%v)", u.imp.pending, u.imp.pending[0].err)
	}
	if got := u.imp.pending[0].format.ID; got != "smsbackup" {
		t.Errorf("detected format %q, want smsbackup", got)
	}
	test.Tap(u.imp.importBtn)
	u.jobs.wait()
	if len(u.imp.pending) != 0 {
		t.Errorf("still pending after import: %+v", u.imp.pending)
	}
	last := u.imp.summaries[len(u.imp.summaries)-1]
	if last.Imported < 15 {
		t.Errorf("fixture imported %d messages, want at least 15", last.Imported)
	}
	if len(u.d.msgs) <= demoMsgs {
		t.Errorf("case has %d messages after import, had %d", len(u.d.msgs), demoMsgs)
	}

	test.Tap(u.analyzeBtn)
	u.jobs.wait()
	if u.d.an == nil || len(u.d.clusters) == 0 {
		t.Fatal("no analysis after Analyse")
	}
	if u.tabs.SelectedIndex() != 2 {
		t.Errorf("after analysis the %q tab is shown, want Raids", u.tabs.Selected().Text)
	}

	u.raids.list.Select(0)
	u.raids.decide(0, verdictConfirmed)
	u.jobs.wait()
	decs, err := u.c.Decisions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(decs) != 1 || decs[0].Verdict != verdictConfirmed || decs[0].Subject != subjectMember {
		t.Fatalf("decisions after confirming one member: %+v", decs)
	}
	custody, err := u.c.(*casefile.Case).Custody(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if a := custody[len(custody)-1].Action; a != "decision" {
		t.Errorf("last custody action %q, want decision", a)
	}

	e := u.newExportDialog()
	u.jobs.wait()
	if e.fingerprint.Text == "" || e.fingerprint.Text == "reading…" {
		t.Errorf("fingerprint label %q", e.fingerprint.Text)
	}
	e.dir = t.TempDir()
	e.start()
	u.jobs.wait()
	if e.err != nil {
		t.Fatalf("export: %v", e.err)
	}
	if !e.result.OK {
		t.Fatalf("bundle %s does not verify: %v", e.out.Bag, e.result.Problems)
	}
	if _, err := os.Stat(filepath.Join(e.out.Bag, "bagit.txt")); err != nil {
		t.Errorf("bundle: %v", err)
	}
}

// TestCreateCase creates a case from the start screen's form.
func TestCreateCase(t *testing.T) {
	u, _ := newTestUI(t)
	test.Type(u.start.name, "Ligne d'écoute")
	u.start.cost.SetText("0,16")
	in, err := u.start.info()
	if err != nil {
		t.Fatal(err)
	}
	if in.UnitCost != 0.16 || in.TimeZone != "Europe/Paris" || in.Region != "FR" {
		t.Errorf("info from the form: %+v", in)
	}
	path := filepath.Join(t.TempDir(), "x"+casefile.Extension)
	u.start.create(path, in)
	u.jobs.wait()
	if u.c == nil || u.c.Path() != path {
		t.Fatalf("case not open at %s", path)
	}
	if u.tabs.SelectedIndex() != 1 {
		t.Errorf("an empty case opens on %q, want Import", u.tabs.Selected().Text)
	}
	if got := u.a.Preferences().StringList(prefRecent); len(got) == 0 || got[0] != path {
		t.Errorf("recent cases %v, want %s first", got, path)
	}
}

// TestRevealPreference checks that text is masked by default and shown when the preference is on.
func TestRevealPreference(t *testing.T) {
	u, _ := newTestUI(t)
	u.showCase(sampleData())
	s := u.messages
	r := s.view.rows[0]
	if u.isRevealed(int(r)) {
		t.Fatal("text revealed by default")
	}
	u.toggleReveal(int(r))
	if !u.isRevealed(int(r)) {
		t.Fatal("eye button did not reveal the message")
	}
	u.setReveal(true)
	if !u.isRevealed(int(s.view.rows[1])) || !u.a.Preferences().Bool(prefReveal) {
		t.Fatal("preference did not reveal every message")
	}
}

// TestMask checks masked text reveals nothing readable: one-letter words, emoji, numbers and
// emoticons are all dots; longer words keep only their first letter and punctuation; one rune
// stays one rune.
func TestMask(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"vous êtes", "v••• ê•••"},
		{"a\nbc", "• b•"},
		{"", ""},
		{"#fermezla !!!", "#f••••••• •••"},
		{"🖕", "•"},
		{"🤮🤮 dégage 🖕", "•• d••••• •"},
		{"❤️", "••"}, // heart and variation selector
		{"à y a", "• • •"},
		{"l'ordure,", "l'••••••,"},
		{"t'es", "t'••"},
		{"a,", "•,"},
		{":-) :(", "••• ••"},
		{"06 12 34 56 78", "•• •• •• •• ••"},
		{"+33677247920", "••••••••••••"},
		{"appelle 0612345678", "a•••••• ••••••••••"},
		{"x2", "••"},
		{"ok\t🖕\r\n", "o• •  "},
	} {
		got := mask(c.in)
		if got != c.want {
			t.Errorf("mask(%q) = %q, want %q", c.in, got, c.want)
		}
		if n, m := utf8.RuneCountInString(got), utf8.RuneCountInString(c.in); n != m {
			t.Errorf("mask(%q) has %d runes, the text %d", c.in, n, m)
		}
		for _, r := range got {
			if unicode.Is(unicode.So, r) || unicode.IsDigit(r) {
				t.Errorf("mask(%q) = %q shows %q", c.in, got, r)
			}
		}
	}
}

// TestLanguageSwitch changes the language from the Settings menu and checks the window is
// rebuilt in French, and that the choice is stored for the next start.
func TestLanguageSwitch(t *testing.T) {
	u, _ := newTestUI(t)
	t.Cleanup(func() { applyLanguage("en"); addTranslations() })
	u.setLanguage("fr")
	if got, want := u.start.createBtn.Text, "Créer l'affaire…"; got != want {
		t.Errorf("create button after switching to French: %q, want %q", got, want)
	}
	if got, want := u.start.cost.PlaceHolder, "0,16"; got != want {
		t.Errorf("cost placeholder in French: %q, want %q", got, want)
	}
	if got, want := raidList([]int{3, 12}), "n° 3, n° 12"; got != want {
		t.Errorf("raid references in French: %q, want %q", got, want)
	}
	for _, c := range []struct {
		n    int
		want string
	}{{0, "Importer 0 fichier"}, {1, "Importer 1 fichier"}, {2, "Importer 2 fichiers"}} {
		if got := lang.N("Import {{.N}} files", c.n, map[string]any{"N": c.n}); got != c.want {
			t.Errorf("French plural for %d: %q, want %q", c.n, got, c.want)
		}
	}
	for _, c := range []struct {
		n    int
		want string
	}{{0, "0"}, {999, "999"}, {2132, "2132"}, {10000, "10\u202f000"}, {1000000, "1\u202f000\u202f000"}, {-12345, "-12\u202f345"}} {
		if got := countText(c.n); got != c.want {
			t.Errorf("French count %d: %q, want %q", c.n, got, c.want)
		}
	}
	b, err := os.ReadFile(filepath.Join(u.opt.ConfigDir, languageFile))
	if err != nil || string(b) != "fr\n" {
		t.Errorf("language file: %q, %v", b, err)
	}
	u.setLanguage("en")
	if got, want := u.start.createBtn.Text, "Create case…"; got != want {
		t.Errorf("create button after switching back: %q, want %q", got, want)
	}
	if got, want := countText(606804), "606,804"; got != want {
		t.Errorf("English count: %q, want %q", got, want)
	}
}

// TestDropCaseFile opens a case file dropped on the start screen.
func TestDropCaseFile(t *testing.T) {
	u, _ := newTestUI(t)
	path := filepath.Join(t.TempDir(), "dropped"+casefile.Extension)
	c, err := casefile.Create(context.Background(), path, casefile.Info{Name: "Dropped"})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	u.dropped(fyne.NewPos(10, 10), []fyne.URI{storage.NewFileURI(path)})
	u.jobs.wait()
	if u.c == nil || u.d.info.Name != "Dropped" {
		t.Fatal("dropped case file not opened")
	}
}

// TestSearchBox types in the Messages search box and checks the table shows the matches.
func TestSearchBox(t *testing.T) {
	u, _ := newTestUI(t)
	u.showCase(sampleData())
	s := u.messages
	s.syncSearch = true
	test.Type(s.search, "vraiment")
	u.jobs.wait()
	if got := len(s.view.rows); got != 3 {
		t.Errorf("rows after searching: %d, want 3", got)
	}
	if got, want := s.count.Text, "3 of 21 messages"; got != want {
		t.Errorf("count label %q, want %q", got, want)
	}
	s.search.SetText("v")
	if got := len(s.view.rows); got != 21 {
		t.Errorf("rows after a one-letter search: %d, want all 21", got)
	}

	// The debounced background search, as the app runs it.
	s.syncSearch = false
	s.search.OnChanged = nil
	s.search.SetText("ecoute")
	s.schedule()
	u.jobs.wait()
	if got := len(s.view.rows); got != 12 {
		t.Errorf("rows after a background search for 'ecoute': %d, want 12", got)
	}
}

// TestTimelineZoom taps the overview's timeline and checks it zooms in around the tapped time.
func TestTimelineZoom(t *testing.T) {
	u, w := newTestUI(t)
	u.showCase(sampleData())
	w.Resize(fyne.NewSize(1100, 700))
	o := u.overview
	if o.zoomLevel() != zoomDay {
		t.Fatalf("initial zoom %q, want days", o.zoomLevel())
	}
	test.TapAt(o.timeline, fyne.NewPos(o.timeline.Size().Width-2, 10))
	if o.zoomLevel() != zoomHour {
		t.Fatalf("zoom after a tap %q, want hours", o.zoomLevel())
	}
	if h := o.timeline.h; h.unit != time.Hour || h.start.After(o.focusAt) {
		t.Errorf("hour view: unit %v from %v, tapped at %v", h.unit, h.start, o.focusAt)
	}
	test.TapAt(o.timeline, fyne.NewPos(10, 10))
	if o.zoomLevel() != zoomMinute || o.timeline.h.unit != time.Minute {
		t.Errorf("second tap: zoom %q, unit %v; want minutes", o.zoomLevel(), o.timeline.h.unit)
	}
}

// TestSenderFromMessages opens a sender's dossier from the Messages table.
func TestSenderFromMessages(t *testing.T) {
	u, _ := newTestUI(t)
	u.showCase(sampleData())
	row := 10
	key := u.d.in[u.messages.view.rows[row]].Sender
	u.messages.table.Select(widget.TableCellID{Row: row, Col: colSender})
	if u.tabs.SelectedIndex() != 4 || u.senders.selected < 0 || u.d.senders[u.senders.selected].key != key {
		t.Errorf("after selecting sender %s: tab %d, dossier %d", key, u.tabs.SelectedIndex(), u.senders.selected)
	}
}

// TestOpenLockedCase shows an explanation when the case is open elsewhere.
func TestOpenLockedCase(t *testing.T) {
	u, w := newTestUI(t)
	path := filepath.Join(t.TempDir(), "busy"+casefile.Extension)
	c, err := casefile.Create(context.Background(), path, casefile.Info{Name: "Busy"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	u.openCase(path)
	u.jobs.wait()
	if u.c != nil {
		t.Fatal("a locked case was opened twice")
	}
	if w.Canvas().Overlays().Top() == nil {
		t.Error("no error dialog")
	}
}

// TestLoadTranslationsChoice checks that the language chosen in Settings applies at start.
func TestLoadTranslationsChoice(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv(configEnv, "")
	t.Cleanup(func() { applyLanguage("en"); addTranslations() })
	if err := writeLanguageFile(filepath.Join(dir, "raidtrace"), "fr"); err != nil {
		t.Fatal(err)
	}
	if err := LoadTranslations(); err != nil {
		t.Fatal(err)
	}
	if got, want := lang.L("Open case…"), "Ouvrir une affaire…"; got != want {
		t.Errorf("after choosing French: %q, want %q", got, want)
	}
}

func TestCut(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{{"héllo", 2, "hé"}, {"abc", 5, "abc"}, {"", 3, ""}, {"ééé", 3, "ééé"}} {
		if got := cut(c.in, c.n); got != c.want {
			t.Errorf("cut(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}

// TestTopRaidLink opens a raid's page from the overview.
func TestTopRaidLink(t *testing.T) {
	u, _ := newTestUI(t)
	u.showCase(sampleData())
	test.Tap(u.overview.raidButtons[0])
	if u.tabs.SelectedIndex() != 2 || u.raids.selected != 0 {
		t.Errorf("tab %d, raid %d; want the Raids tab on raid 0", u.tabs.SelectedIndex(), u.raids.selected)
	}
}

// TestConfirmAllOpen: on the demo, "Confirm all open…" asks first, then records one confirmed
// decision per open member of the raid (each in the custody log, noted as confirmed together),
// leaves a rejected member rejected, and is disabled once nothing is open.
func TestConfirmAllOpen(t *testing.T) {
	u, w := newTestUI(t)
	test.Tap(u.start.demoBtn)
	u.jobs.wait()
	if u.d == nil || len(u.d.clusters) == 0 {
		t.Fatal("demo case not open or not analysed")
	}
	u.tabs.SelectIndex(2)
	k := len(u.d.clusters) - 1 // the smallest raid keeps the test short
	u.raids.list.Select(k)
	size := len(u.d.members[k])
	u.raids.decide(0, verdictRejected)
	u.jobs.wait()
	if u.raids.confirmAll.Disabled() {
		t.Fatal("Confirm all open… is disabled while members are open")
	}
	test.Tap(u.raids.confirmAll)
	yes := dialogButton(w, "Yes")
	if yes == nil {
		t.Fatal("Confirm all open… asked nothing")
	}
	if decs, _ := u.c.Decisions(context.Background()); len(decs) != 1 { // nothing before the answer
		t.Fatalf("before the answer: %d decisions, want 1", len(decs))
	}
	test.Tap(yes)
	u.jobs.wait()
	decs, err := u.c.Decisions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	confirmed, rejected := 0, 0
	for _, d := range decs {
		switch d.Verdict {
		case verdictConfirmed:
			confirmed++
			if !strings.Contains(d.Note, "confirmed together") {
				t.Errorf("decision on %d: note %q, want it to say confirmed together", d.MessageID, d.Note)
			}
		case verdictRejected:
			rejected++
		}
	}
	if confirmed != size-1 || rejected != 1 {
		t.Errorf("got %d confirmed and %d rejected, want %d and 1", confirmed, rejected, size-1)
	}
	if !u.raids.confirmAll.Disabled() {
		t.Error("Confirm all open… still enabled with nothing open")
	}
	custody, _ := u.c.(*casefile.Case).Custody(context.Background())
	n := 0
	for _, e := range custody {
		if e.Action == "decision" {
			n++
		}
	}
	if n != size {
		t.Errorf("custody has %d decision entries, want %d", n, size)
	}
}
