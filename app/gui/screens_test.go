package gui

import (
	"context"
	"fmt"
	"image/color"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"raidtrace/app/casefile"
	"raidtrace/importers"
)

// recordingApp is the test app, keeping every notification and opened URL.
type recordingApp struct {
	fyne.App
	mu     sync.Mutex
	notes  []*fyne.Notification
	opened []*url.URL
}

func (a *recordingApp) SendNotification(n *fyne.Notification) {
	a.mu.Lock()
	a.notes = append(a.notes, n)
	a.mu.Unlock()
}

func (a *recordingApp) OpenURL(u *url.URL) error {
	a.mu.Lock()
	a.opened = append(a.opened, u)
	a.mu.Unlock()
	return nil
}

func newRecordingUI(t *testing.T, be backend) (*UI, *recordingApp, fyne.Window) {
	t.Helper()
	a := &recordingApp{App: test.NewTempApp(t)}
	w := a.NewWindow("Raidtrace")
	w.Resize(fyne.NewSize(1100, 720))
	u := newUI(a, w, Options{ConfigDir: t.TempDir()}, be)
	t.Cleanup(func() { u.jobs.wait(); u.closeCase() })
	return u, a, w
}

// TestImportSummaryProblems imports a file with a bad record and checks the summary line, that
// the problem list gives its location and reason, that Copy puts every problem on the
// clipboard, and that the notification carries no message content.
func TestImportSummaryProblems(t *testing.T) {
	u, a, _ := newRecordingUI(t, realBackend())
	newEmptyCase(t, u)
	fixture, err := filepath.Abs("testdata/sms-small.xml")
	if err != nil {
		t.Fatal(err)
	}
	s := u.imp
	if !s.copyBtn.Disabled() || !s.noProblems.Visible() {
		t.Errorf("before any import: Copy disabled %v, 'No problems.' shown %v; want both", s.copyBtn.Disabled(), s.noProblems.Visible())
	}
	s.addPaths([]string{fixture})
	u.jobs.wait()
	test.Tap(s.importBtn)
	u.jobs.wait()

	if len(s.summaries) != 1 {
		t.Fatalf("%d summaries, want 1", len(s.summaries))
	}
	sum := s.summaries[0]
	line := summaryLine(sum)
	for _, want := range []string{"sms-small.xml", fmt.Sprintf("imported: %d", sum.Imported), fmt.Sprintf("problems: %d", len(sum.Problems))} {
		if !strings.Contains(line, want) {
			t.Errorf("summary line %q lacks %q", line, want)
		}
	}
	if len(sum.Problems) == 0 || len(s.problems) != len(sum.Problems) {
		t.Fatalf("problems: summary %d, list %d; the fixture has a record without a date", len(sum.Problems), len(s.problems))
	}
	p := sum.Problems[0]
	if !strings.Contains(s.problems[0], p.Location) || !strings.Contains(s.problems[0], p.Reason) || p.Location == "" {
		t.Errorf("problem row %q lacks location %q or reason %q", s.problems[0], p.Location, p.Reason)
	}
	if s.copyBtn.Disabled() || s.noProblems.Visible() {
		t.Fatalf("with problems listed: Copy disabled %v, 'No problems.' shown %v", s.copyBtn.Disabled(), s.noProblems.Visible())
	}
	test.Tap(s.copyBtn)
	if got, want := a.Clipboard().Content(), strings.Join(s.problems, "\n"); got != want {
		t.Errorf("clipboard %q, want %q", got, want)
	}
	if !s.analyseHint.Visible() {
		t.Error("no 'Analyse now' hint after the import")
	}

	a.mu.Lock()
	notes := slices.Clone(a.notes)
	a.mu.Unlock()
	if len(notes) == 0 {
		t.Fatal("no notification at the end of the import")
	}
	for _, n := range notes {
		for _, m := range u.d.in {
			for _, w := range strings.Fields(m.Text) {
				if len([]rune(w)) >= 5 && (strings.Contains(n.Content, w) || strings.Contains(n.Title, w)) {
					t.Errorf("notification %q / %q carries message content %q", n.Title, n.Content, w)
				}
			}
		}
	}
}

// openDemoUI opens the demo case (analysed) in a recording UI.
func openDemoUI(t *testing.T, be backend) (*UI, *recordingApp, fyne.Window) {
	t.Helper()
	u, a, w := newRecordingUI(t, be)
	u.openDemo()
	u.jobs.wait()
	if u.d == nil || len(u.d.clusters) == 0 {
		t.Fatal("demo case not open or not analysed")
	}
	return u, a, w
}

// lastCustody is the newest custody entry of the open case.
func lastCustody(t *testing.T, u *UI) casefile.CustodyEntry {
	t.Helper()
	cf, ok := u.c.(*casefile.Case)
	if !ok {
		t.Fatalf("%T is not a case file", u.c)
	}
	log, err := cf.Custody(context.Background())
	if err != nil || len(log) == 0 {
		t.Fatalf("custody log: %d entries, %v", len(log), err)
	}
	return log[len(log)-1]
}

// TestReviewFlagsAndNotes rejects a triage suggestion with a note, adds a note on the raid, and
// checks both reach the custody log and the page.
func TestReviewFlagsAndNotes(t *testing.T) {
	u, _, _ := openDemoUI(t, realBackend())
	s := u.raids
	k := -1
	for i := range u.d.clusters {
		s.list.Select(i)
		if len(s.flagged) > 0 {
			k = i
			break
		}
	}
	if k < 0 {
		t.Skip("the demo case has no triage suggestion in any raid")
	}
	fr := s.flagged[0]
	s.note.SetText("insulte générique, pas une menace")
	s.decideFlag(0, verdictRejected)
	u.jobs.wait()
	decs, err := u.c.Decisions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(decs) != 1 {
		t.Fatalf("%d decisions, want 1", len(decs))
	}
	d := decs[0]
	if d.Subject != "flag:"+fr.flag.Category || d.Verdict != verdictRejected || d.MessageID != u.d.msgs[fr.msg].ID ||
		d.Note != "insulte générique, pas une menace" || d.ClusterID != u.d.clusters[k].ID {
		t.Errorf("decision %+v, want a rejected flag:%s on message %d with the note", d, fr.flag.Category, u.d.msgs[fr.msg].ID)
	}
	if e := lastCustody(t, u); e.Action != "decision" {
		t.Errorf("last custody action %q, want decision", e.Action)
	}
	if s.note.Text != "" {
		t.Errorf("the note %q stays in the box after going with a decision", s.note.Text)
	}
	if got := s.d.decisions[decisionKey{d.MessageID, d.Subject}].Verdict; got != verdictRejected {
		t.Errorf("page's decision %q, want rejected", got)
	}

	s.note.SetText("Raid relayé depuis le forum")
	test.Tap(s.noteBtn)
	u.jobs.wait()
	e := lastCustody(t, u)
	if e.Action != "note" || e.Details["note"] != "Raid relayé depuis le forum" || fmt.Sprint(e.Details["cluster_id"]) != fmt.Sprint(u.d.clusters[k].ID) {
		t.Errorf("custody entry after Add note: %s %v", e.Action, e.Details)
	}
	if s.note.Text != "" || s.noteBtn.Disabled() {
		t.Errorf("after Add note: box %q, button disabled %v", s.note.Text, s.noteBtn.Disabled())
	}
}

// TestSenderDossier opens the dossier of a sender who joined the largest raid late and checks it
// says what they could see when they joined, which raids they joined, their cadence and lists
// their messages, masked.
func TestSenderDossier(t *testing.T) {
	u, _, _ := openDemoUI(t, realBackend())
	c := u.d.clusters[0]
	mem := u.d.members[0]
	// A member far into the raid, so that many messages were there before.
	i := mem[len(mem)/2]
	key := u.d.in[i].Sender
	u.showSender(key)
	s := u.senders
	if s.selected < 0 || u.d.senders[s.selected].key != key {
		t.Fatalf("dossier of %s not shown", key)
	}
	texts := shownTexts(s.detail)
	joined := fmt.Sprintf("Raid #%d: when this sender's first message arrived,", c.ID)
	if !containsText(texts, joined) {
		t.Errorf("dossier lacks %q; shows %q", joined, texts)
	}
	for _, want := range []string{"Raids joined", "Cadence", "Messages"} {
		if !slices.Contains(texts, want) {
			t.Errorf("dossier lacks the %q heading", want)
		}
	}
	sn := u.d.senders[s.selected]
	if s.msgList.Length() != len(sn.msgs) {
		t.Errorf("dossier lists %d messages, the sender has %d", s.msgList.Length(), len(sn.msgs))
	}
	text := u.d.in[sn.msgs[0]].Text
	for _, t2 := range texts {
		if len(text) > 12 && strings.Contains(t2, text) {
			t.Errorf("dossier shows message text %q while text is masked", text)
		}
	}
	if !containsText(texts, mask(cut(text, cellRunes))) {
		t.Errorf("dossier does not show the masked text %q", mask(text))
	}
}

// TestExportDialog chooses the options in the export dialog and checks what the export receives,
// then the verification result and the Open the folder button, with a backend that records.
func TestExportDialog(t *testing.T) {
	var got exportOptions
	var gotDir string
	be := realBackend()
	be.export = func(ctx context.Context, c caseHandle, dir, keyDir string, opt exportOptions, progress func(string, float64)) (exported, error) {
		got, gotDir = opt, dir
		progress("manifests", 0.5)
		progress("manifests", 1)
		return exported{Bag: filepath.Join(dir, "bundle")}, nil
	}
	verified := verifyResult{OK: false, Problems: []string{"data/messages.csv: changed"}}
	be.verify = func(ctx context.Context, bag string) (verifyResult, error) { return verified, nil }
	be.fingerprint = func(string) (string, error) { return "SHA256:testkey", nil }
	u, a, w := newRecordingUI(t, be)
	newEmptyCase(t, u)

	for _, c := range []struct {
		lang          string
		redact, zip   bool
		want          []string
		ok            bool
		title, detail string
	}{
		{"French", true, false, []string{"fr"}, false, "Bundle does not verify", "data/messages.csv: changed"},
		{"English", false, true, []string{"en"}, true, "Bundle verified", "signature is valid"},
		{"French and English", false, false, []string{"fr", "en"}, true, "Bundle verified", "SHA256:testkey"},
	} {
		verified = verifyResult{OK: c.ok, Signed: c.ok, Signer: "SHA256:testkey"}
		if !c.ok {
			verified.Problems = []string{"data/messages.csv: changed"}
		}
		e := u.newExportDialog()
		u.jobs.wait()
		if e.fingerprint.Text != "SHA256:testkey" {
			t.Errorf("signing key shown %q", e.fingerprint.Text)
		}
		e.langs.SetSelected(lang.L(c.lang))
		e.redact.SetChecked(c.redact)
		e.zip.SetChecked(c.zip)
		e.dir = t.TempDir()
		e.start()
		u.jobs.wait()
		if !slices.Equal(got.Langs, c.want) || got.Redact != c.redact || got.Zip != c.zip || gotDir != e.dir {
			t.Errorf("%s: export got %+v in %s, want langs %v redact %v zip %v in %s", c.lang, got, gotDir, c.want, c.redact, c.zip, e.dir)
		}
		top := w.Canvas().Overlays().Top()
		if top == nil {
			t.Fatalf("%s: no result dialog", c.lang)
		}
		texts := shownTexts(top)
		if !containsText(texts, c.title) || !containsText(texts, c.detail) {
			t.Errorf("%s: result dialog shows %q, want %q and %q", c.lang, texts, c.title, c.detail)
		}
		var open *widget.Button
		for _, o := range test.LaidOutObjects(top) {
			if b, ok := o.(*widget.Button); ok && b.Text == lang.L("Open the folder") {
				open = b
			}
		}
		if open == nil {
			t.Fatalf("%s: no Open the folder button", c.lang)
		}
		test.Tap(open)
		a.mu.Lock()
		last := a.opened[len(a.opened)-1]
		a.mu.Unlock()
		if last.Scheme != "file" || filepath.Clean(last.Path) != filepath.Join(e.dir, "bundle") {
			t.Errorf("%s: Open the folder opened %s, want the bundle folder", c.lang, last)
		}
		top.Hide()
	}
}

// TestThemeVariants checks the calm theme in light and dark: no pure white or black background,
// and every colour text is drawn in readable (WCAG contrast at least 4.5:1) on every surface it
// is drawn on: the background, a selected or hovered list row, entries, menus and dialogs,
// table headers. Text here is body size, so the large-text bar (3:1) never applies. The grey of
// low-importance labels (ColorNameDisabled) and placeholders once measured 2.1:1 on the light
// background and 1.6:1 on a selected row.
func TestThemeVariants(t *testing.T) {
	th := calmTheme{}
	lum := func(c color.Color) float64 {
		r, g, b, _ := c.RGBA()
		ch := func(v uint32) float64 {
			x := float64(v) / 0xffff
			if x <= 0.03928 {
				return x / 12.92
			}
			return math.Pow((x+0.055)/1.055, 2.4)
		}
		return 0.2126*ch(r) + 0.7152*ch(g) + 0.0722*ch(b)
	}
	contrast := func(a, b color.Color) float64 {
		la, lb := lum(a), lum(b)
		if la < lb {
			la, lb = lb, la
		}
		return (la + 0.05) / (lb + 0.05)
	}
	// over is c drawn over bg (the list draws the selection and hover colours over the
	// background).
	over := func(c, bg color.Color) color.Color {
		cn, bn := color.NRGBAModel.Convert(c).(color.NRGBA), color.NRGBAModel.Convert(bg).(color.NRGBA)
		a := float64(cn.A) / 255
		mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*a + float64(y)*(1-a))) }
		return color.NRGBA{R: mix(cn.R, bn.R), G: mix(cn.G, bn.G), B: mix(cn.B, bn.B), A: 0xff}
	}
	for _, v := range []struct {
		name    string
		variant fyne.ThemeVariant
	}{{"light", theme.VariantLight}, {"dark", theme.VariantDark}} {
		col := func(n fyne.ThemeColorName) color.Color { return th.Color(n, v.variant) }
		bg := col(theme.ColorNameBackground)
		if l := lum(bg); l > 0.95 || l < 0.005 {
			t.Errorf("%s background luminance %.3f: pure white or black", v.name, l)
		}
		surfaces := []struct {
			name string
			c    color.Color
		}{
			{"background", bg},
			{"selected row", over(col(theme.ColorNameSelection), bg)},
			{"hovered row", over(col(theme.ColorNameHover), bg)},
			{"entry", col(theme.ColorNameInputBackground)},
			{"dialog", col(theme.ColorNameOverlayBackground)},
			{"menu", col(theme.ColorNameMenuBackground)},
			{"table header", col(theme.ColorNameHeaderBackground)},
		}
		for _, text := range []fyne.ThemeColorName{theme.ColorNameForeground, theme.ColorNameDisabled, theme.ColorNamePlaceHolder} {
			for _, s := range surfaces {
				if got := contrast(col(text), s.c); got < 4.5 {
					t.Errorf("%s %s text on the %s: contrast %.2f, want at least 4.5", v.name, text, s.name, got)
				}
			}
		}
		// Coloured labels (danger, warning, success, marked words) on the background.
		for _, text := range []fyne.ThemeColorName{theme.ColorNameError, theme.ColorNameWarning, theme.ColorNameSuccess, theme.ColorNamePrimary} {
			if got := contrast(col(text), bg); got < 4.5 {
				t.Errorf("%s %s text on the background: contrast %.2f, want at least 4.5", v.name, text, got)
			}
		}
		if got := contrast(col(theme.ColorNameDisabled), col(theme.ColorNameDisabledButton)); got < 4.5 {
			t.Errorf("%s text of a disabled button: contrast %.2f", v.name, got)
		}
		if got := contrast(col(theme.ColorNameForegroundOnPrimary), col(theme.ColorNamePrimary)); got < 4.5 {
			t.Errorf("%s text on the primary button: contrast %.2f", v.name, got)
		}
	}
}

// TestSystemLocale checks that with no language chosen the GUI follows the system locale.
func TestSystemLocale(t *testing.T) {
	t.Cleanup(func() { applyLanguage("en"); addTranslations() })
	for _, c := range []struct{ env, want string }{
		{"fr_FR.UTF-8", "Ouvrir une affaire…"},
		{"en_GB.UTF-8", "Open case…"},
	} {
		for _, v := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES"} {
			t.Setenv(v, "")
		}
		t.Setenv("LANG", c.env)
		if err := addTranslations(); err != nil {
			t.Fatal(err)
		}
		if got := lang.L("Open case…"); got != c.want {
			t.Errorf("LANG=%s: %q, want %q", c.env, got, c.want)
		}
	}
}

// TestNoSystemLanguage recognises the environments whose locale names no language.
func TestNoSystemLanguage(t *testing.T) {
	for _, c := range []struct {
		language, lcAll, lang string
		want                  bool
	}{
		{"", "", "", true},
		{"", "C", "fr_FR.UTF-8", true},
		{"", "", "C.UTF-8", true},
		{"", "", "POSIX", true},
		{"", "", "fr_FR.UTF-8", false},
		{"", "en_GB.UTF-8", "C", false},
		{"fr", "", "", false},
	} {
		t.Setenv("LANGUAGE", c.language)
		t.Setenv("LC_ALL", c.lcAll)
		t.Setenv("LC_MESSAGES", "")
		t.Setenv("LANG", c.lang)
		if got := noSystemLanguage(); got != c.want {
			t.Errorf("LANGUAGE=%q LC_ALL=%q LANG=%q: %v, want %v", c.language, c.lcAll, c.lang, got, c.want)
		}
	}
}

// TestAppearance chooses dark, then light, in Settings ▸ Appearance: the theme uses that variant
// whatever the system's, and the choice is kept in the preferences for the next start.
func TestAppearance(t *testing.T) {
	u, _ := newTestUI(t)
	dark := calmTheme{}.Color(theme.ColorNameBackground, theme.VariantDark)
	light := calmTheme{}.Color(theme.ColorNameBackground, theme.VariantLight)
	for _, c := range []struct {
		code   string
		system fyne.ThemeVariant
		want   color.Color
	}{
		{appearanceDark, theme.VariantLight, dark},
		{appearanceLight, theme.VariantDark, light},
		{"", theme.VariantDark, dark},
		{"", theme.VariantLight, light},
	} {
		u.setAppearance(c.code)
		if got := u.a.Settings().Theme().Color(theme.ColorNameBackground, c.system); got != c.want {
			t.Errorf("appearance %q on a %v system: background %v, want %v", c.code, c.system, got, c.want)
		}
		if got := u.a.Preferences().String(prefAppearance); got != c.code {
			t.Errorf("stored appearance %q, want %q", got, c.code)
		}
		u2 := newUI(u.a, u.a.NewWindow("next start"), Options{ConfigDir: t.TempDir()}, realBackend())
		if got := u2.a.Settings().Theme().Color(theme.ColorNameBackground, c.system); got != c.want {
			t.Errorf("appearance %q at the next start: background %v, want %v", c.code, got, c.want)
		}
	}
}

// TestRaidPage checks a raid's page on the demo case: template, one-shot and repeat senders,
// triage line, and its own timeline (in its tab) counting exactly the raid's members.
func TestRaidPage(t *testing.T) {
	u, _, w := openDemoUI(t, realBackend())
	w.Resize(fyne.NewSize(1100, 720))
	u.tabs.SelectIndex(2)
	s := u.raids
	// Ranked: the list shows the clusters most raid-like first.
	for k := 1; k < len(u.d.clusters); k++ {
		if a, b := u.d.clusters[k-1], u.d.clusters[k]; a.Score < b.Score {
			t.Errorf("raid list: #%d (score %.3f) before #%d (score %.3f)", a.ID, a.Score, b.ID, b.Score)
		}
	}
	if texts := shownTexts(s.list); len(texts) == 0 || !strings.HasPrefix(texts[0], fmt.Sprintf("#%d · ", u.d.clusters[0].ID)) {
		t.Errorf("first row of the raid list %q, want raid #%d", texts, u.d.clusters[0].ID)
	}
	s.list.Select(0)
	c := u.d.clusters[0]
	texts := shownTexts(s.detail)
	for _, want := range []string{
		fmt.Sprintf("Raid #%d", c.ID),
		fmt.Sprintf("Senders: %d wrote only this message, %d also sent others.", c.OneShot, c.Senders-c.OneShot),
		"Shared links and hashtags:",
		"Triage suggestions",
	} {
		if !containsText(texts, want) {
			t.Errorf("raid page lacks %q", want)
		}
	}
	if got := s.template.String(); got != mask(c.Template) {
		t.Errorf("template shown %q, want it masked %q", got, mask(c.Template))
	}
	var tabs []string
	for _, it := range s.lower.Items {
		tabs = append(tabs, it.Text)
	}
	if !slices.Contains(tabs, "Timeline") {
		t.Fatalf("raid page tabs %v, want a Timeline tab", tabs)
	}
	total := 0
	for _, n := range s.timeline.h.counts {
		total += n
	}
	if total != len(u.d.members[0]) {
		t.Errorf("raid timeline counts %d messages, the raid has %d", total, len(u.d.members[0]))
	}
	if !c.Window.Start.IsZero() && len(s.timeline.h.marks) != 1 {
		t.Errorf("raid timeline shades %d windows, want the raid window", len(s.timeline.h.marks))
	}
}

// filterMsg is what TestMessageFilters counts on.
type filterMsg struct {
	Time      time.Time
	Direction importers.Direction
}

// TestMessageFilters sets the Messages screen's filter controls and checks the rows, against a
// count made here from the messages themselves.
func TestMessageFilters(t *testing.T) {
	u, _ := newTestUI(t)
	d := sampleData()
	u.showCase(d)
	s := u.messages
	s.syncSearch = true
	paris := d.loc
	count := func(keep func(m filterMsg, i int) bool) int {
		n := 0
		for i := range d.msgs {
			if keep(filterMsg{d.in[i].Time, d.msgs[i].Direction}, i) {
				n++
			}
		}
		return n
	}
	within := func(from, to time.Time) func(filterMsg, int) bool {
		return func(m filterMsg, _ int) bool {
			return (from.IsZero() || !m.Time.Before(from)) && (to.IsZero() || m.Time.Before(to))
		}
	}
	for _, c := range []struct {
		name      string
		dir, raid int
		flagged   bool
		from, to  string
		want      int
		invalid   bool
	}{
		{name: "all", want: len(d.msgs)},
		{name: "sent", dir: 2, want: count(func(m filterMsg, _ int) bool { return m.Direction == "out" })},
		{name: "received", dir: 1, want: count(func(m filterMsg, _ int) bool { return m.Direction == "in" })},
		{name: "in a raid", raid: 1, want: count(func(_ filterMsg, i int) bool { return d.clusterOf[i] != 0 })},
		{name: "in no raid", raid: 2, want: count(func(_ filterMsg, i int) bool { return d.clusterOf[i] == 0 })},
		{name: "raid #1", raid: 3, want: len(d.members[0])},
		{name: "flagged or reviewed", flagged: true, want: count(func(_ filterMsg, i int) bool { return d.flagged(i) })},
		{name: "from a day", from: "2026-03-14",
			want: count(within(time.Date(2026, 3, 14, 0, 0, 0, 0, paris), time.Time{}))},
		{name: "to a day keeps that whole day", to: "2026-03-13",
			want: count(within(time.Time{}, time.Date(2026, 3, 14, 0, 0, 0, 0, paris)))},
		{name: "to a minute keeps that minute", to: "2026-03-14 14:05",
			want: count(within(time.Time{}, time.Date(2026, 3, 14, 14, 6, 0, 0, paris)))},
		{name: "a range", from: "2026-03-14 14:01", to: "2026-03-14 14:03:45",
			want: count(within(time.Date(2026, 3, 14, 14, 1, 0, 0, paris), time.Date(2026, 3, 14, 14, 3, 46, 0, paris)))},
		{name: "not a date", from: "hier", want: len(d.msgs), invalid: true},
	} {
		s.dir.SetSelectedIndex(c.dir)
		s.raid.SetSelectedIndex(c.raid)
		s.flag.SetChecked(c.flagged)
		s.from.SetText(c.from)
		s.to.SetText(c.to)
		if got := len(s.view.rows); got != c.want {
			t.Errorf("%s: %d rows, want %d", c.name, got, c.want)
		}
		if c.want == 0 || c.want == len(d.msgs) && !c.invalid && c.name != "all" {
			t.Errorf("%s: the case does not test this filter (want %d of %d)", c.name, c.want, len(d.msgs))
		}
		if err := s.from.Validate(); (err != nil) != c.invalid {
			t.Errorf("%s: from box validation %v, want invalid %v", c.name, err, c.invalid)
		}
	}
}

// TestDefaultExportDir sends a bundle beside its case, but the demo's (kept in the configuration
// folder) to Documents or the home folder, where the reader finds it.
func TestDefaultExportDir(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	u, _ := newTestUI(t)
	u.openDemo()
	u.jobs.wait()
	if u.c == nil {
		t.Fatal("demo not open")
	}
	if got := u.newExportDialog().dir; got != home {
		t.Errorf("demo bundle goes to %s, want the home folder %s", got, home)
	}
	u.jobs.wait()
	docs := filepath.Join(home, "Documents")
	if err := os.Mkdir(docs, 0o700); err != nil {
		t.Fatal(err)
	}
	if got := u.newExportDialog().dir; got != docs {
		t.Errorf("demo bundle goes to %s, want %s", got, docs)
	}
	u.jobs.wait()
	path := newEmptyCase(t, u)
	if got := u.newExportDialog().dir; got != filepath.Dir(path) {
		t.Errorf("bundle of %s goes to %s, want beside it", path, got)
	}
	u.jobs.wait()
}
