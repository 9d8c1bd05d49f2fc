package gui

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"raidtrace/app/casefile"
)

// TestMapColumns: a CSV file whose header no preset knows is offered "Map columns…"; the
// dialog previews its first rows with the mapping chosen, and Import stores its messages with
// the mapped sender, text and time (read with the layout given, in the case's time zone).
func TestMapColumns(t *testing.T) {
	u, w := newTestUI(t)
	newEmptyCase(t, u) // Europe/Paris
	path := filepath.Join(t.TempDir(), "journal.csv")
	csv := "Quand;Qui;Quoi;Remarque\n" +
		"14/03/2024 10:00;+33612345678;ferme-la;vu\n" +
		"14/03/2024 10:01;+33698765432;on te voit;\n"
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	u.imp.addPaths([]string{path})
	u.jobs.wait()
	if len(u.imp.pending) != 1 {
		t.Fatalf("%d files waiting, want 1", len(u.imp.pending))
	}
	p := u.imp.pending[0]
	if p.err == nil || len(p.header) != 4 {
		t.Fatalf("pending %+v: want not recognised, with its 4 columns to map", p)
	}
	row := u.imp.pendingList
	if b := findButton(test.LaidOutObjects(row), lang.L("Map columns…")); b == nil || !b.Visible() {
		t.Fatal("no visible Map columns… button on the file's row")
	} else {
		test.Tap(b)
	}
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no mapping dialog")
	}
	var selects []*widget.Select
	var entry *widget.Entry
	for _, o := range test.LaidOutObjects(top) {
		switch x := o.(type) {
		case *widget.Select:
			selects = append(selects, x)
		case *widget.Entry:
			entry = x
		}
	}
	if len(selects) != 6 || entry == nil {
		t.Fatalf("%d column choices and entry %v, want 6 (time, sender, text, recipient, name, amount) and a layout entry", len(selects), entry)
	}
	if got := selects[0].Options; len(got) != 4 || got[0] != "Quand" {
		t.Errorf("time choices %q, want the header's columns", got)
	}
	imp := findButton(test.LaidOutObjects(top), lang.X("action.import", "Import"))
	if imp == nil || !imp.Disabled() {
		t.Fatal("Import is missing or enabled before the required columns are chosen")
	}
	texts := shownTexts(top)
	if !containsText(texts, "Europe/Paris") {
		t.Errorf("dialog %q does not name the case's time zone", texts)
	}
	selects[0].SetSelected("Quand")
	selects[1].SetSelected("Qui")
	selects[2].SetSelected("Quoi")
	entry.SetText("02/01/2006 15:04")
	if imp.Disabled() {
		t.Fatal("Import still disabled with time, sender and text chosen")
	}
	// The preview masks message text as the other screens do, until it is shown (Settings).
	texts = shownTexts(top)
	for _, want := range []string{"line 2 · 2024-03-14 10:00:00 · +33612345678 · f••••-••", "line 3 · 2024-03-14 10:01:00 · +33698765432 · o• t• v•••"} {
		if !containsText(texts, want) {
			t.Errorf("masked preview %q lacks %q", texts, want)
		}
	}
	if containsText(texts, "ferme-la") {
		t.Errorf("masked preview %q shows the message text", texts)
	}
	u.reveal = true
	entry.SetText("") // any change refreshes the preview
	entry.SetText("02/01/2006 15:04")
	texts = shownTexts(top)
	for _, want := range []string{"line 2 · 2024-03-14 10:00:00 · +33612345678 · ferme-la", "line 3 · 2024-03-14 10:01:00 · +33698765432 · on te voit"} {
		if !containsText(texts, want) {
			t.Errorf("preview %q lacks %q", texts, want)
		}
	}
	test.Tap(imp)
	u.jobs.wait()
	if top := w.Canvas().Overlays().Top(); top != nil {
		t.Fatalf("a dialog is open after Import: %q", shownTexts(top))
	}
	msgs, err := u.c.(*casefile.Case).Messages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		sender, text string
		at           time.Time
	}{
		{"+33612345678", "ferme-la", time.Date(2024, 3, 14, 9, 0, 0, 0, time.UTC)},
		{"+33698765432", "on te voit", time.Date(2024, 3, 14, 9, 1, 0, 0, time.UTC)},
	}
	if len(msgs) != len(want) {
		t.Fatalf("%d messages stored, want %d", len(msgs), len(want))
	}
	for i, w := range want {
		m := msgs[i]
		if m.Sender.Key() != w.sender || m.Text != w.text || !m.Time.Equal(w.at) {
			t.Errorf("message %d: %s %q at %v, want %s %q at %v", i, m.Sender.Key(), m.Text, m.Time, w.sender, w.text, w.at)
		}
		if m.Extra["Remarque"] == "" && i == 0 {
			t.Errorf("message %d: unmapped column Remarque not kept (extra %v)", i, m.Extra)
		}
	}
	if got, want := loggedSetting(t, u, "columns"), "map[sender:Qui text:Quoi time:Quand]"; got != want {
		t.Errorf("custody log columns %q, want %q", got, want)
	}
	if got, want := loggedSetting(t, u, "time_layout"), "02/01/2006 15:04"; got != want {
		t.Errorf("custody log time_layout %q, want %q", got, want)
	}
	if len(u.imp.pending) != 0 {
		t.Errorf("%d files still waiting after the import", len(u.imp.pending))
	}
}

// findButton is the first button labelled text among objs (visible or not), nil when none is.
func findButton(objs []fyne.CanvasObject, text string) *widget.Button {
	for _, o := range objs {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	return nil
}
