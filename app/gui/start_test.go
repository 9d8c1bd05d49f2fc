package gui

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"raidtrace/app/casefile"
)

// shownTexts is every label text drawn in o (list rows included).
func shownTexts(o fyne.CanvasObject) []string {
	var out []string
	for _, x := range test.LaidOutObjects(o) {
		if l, ok := x.(*widget.Label); ok && l.Visible() && l.Text != "" {
			out = append(out, l.Text)
		}
	}
	return out
}

func containsText(texts []string, sub string) bool {
	return slices.ContainsFunc(texts, func(s string) bool { return strings.Contains(s, sub) })
}

// TestRecentCases opens cases and checks that they are kept in fyne's preferences, most recent
// first and without duplicates, that the start screen lists them (also a start screen built
// later from the same preferences, as at the next launch), that choosing one opens it, and that
// a case that no longer exists leaves the list.
func TestRecentCases(t *testing.T) {
	u, w := newTestUI(t)
	dir := t.TempDir()
	paths := map[string]string{}
	for _, name := range []string{"Alpha", "Bravo", "Charlie"} {
		p := filepath.Join(dir, name+casefile.Extension)
		c, err := casefile.Create(context.Background(), p, casefile.Info{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
		paths[name] = p
	}
	for _, name := range []string{"Alpha", "Bravo", "Charlie", "Alpha"} {
		u.openCase(paths[name])
		u.jobs.wait()
		if u.c == nil || u.d.info.Name != name {
			t.Fatalf("opening %s failed", name)
		}
	}
	u.closeCase()

	want := []string{paths["Alpha"], paths["Charlie"], paths["Bravo"]}
	if got := u.a.Preferences().StringList(prefRecent); !slices.Equal(got, want) {
		t.Errorf("recent cases in the preferences: %v, want %v", got, want)
	}
	if !slices.Equal(u.start.recentList, want) {
		t.Errorf("start screen's recent list: %v, want %v", u.start.recentList, want)
	}
	w.Resize(fyne.NewSize(1000, 640))
	texts := shownTexts(w.Canvas().Content())
	for _, name := range []string{"Alpha", "Bravo", "Charlie"} {
		if !containsText(texts, name+"  —  "+dir) {
			t.Errorf("start screen does not show the recent case %s; it shows %q", name, texts)
		}
	}

	// The next launch: a new window on the same preferences.
	w2 := u.a.NewWindow("Raidtrace")
	u2 := newUI(u.a, w2, Options{ConfigDir: t.TempDir()}, realBackend())
	t.Cleanup(func() { u2.jobs.wait(); u2.closeCase() })
	if !slices.Equal(u2.start.recentList, want) {
		t.Errorf("recent cases at the next start: %v, want %v", u2.start.recentList, want)
	}

	// Choosing the second entry opens Charlie.
	u.start.recent.Select(1)
	u.jobs.wait()
	if u.c == nil || u.d.info.Name != "Charlie" {
		t.Fatalf("choosing Charlie in the recent cases opened %v", u.c)
	}
	u.closeCase()

	// A recent case deleted since is reported and taken off the list.
	if err := os.Remove(paths["Bravo"]); err != nil {
		t.Fatal(err)
	}
	u.start.recent.Select(2)
	u.jobs.wait()
	if u.c != nil {
		t.Fatal("a deleted case opened")
	}
	if w.Canvas().Overlays().Top() == nil {
		t.Error("no error shown for a deleted recent case")
	}
	want = []string{paths["Charlie"], paths["Alpha"]}
	if got := u.a.Preferences().StringList(prefRecent); !slices.Equal(got, want) {
		t.Errorf("recent cases after a deleted one: %v, want %v", got, want)
	}
	if !slices.Equal(u.start.recentList, want) {
		t.Errorf("start screen's list after a deleted one: %v, want %v", u.start.recentList, want)
	}
}

// TestRecentCasesLimit keeps only the most recent maxRecent cases.
func TestRecentCasesLimit(t *testing.T) {
	u, _ := newTestUI(t)
	var all []string
	for i := range maxRecent + 3 {
		p := filepath.Join("/cases", string(rune('a'+i))+casefile.Extension)
		all = append(all, p)
		u.addRecent(p)
	}
	got := u.a.Preferences().StringList(prefRecent)
	if len(got) != maxRecent || got[0] != all[len(all)-1] || got[maxRecent-1] != all[3] {
		t.Errorf("recent cases after %d: %v, want the last %d, newest first", len(all), got, maxRecent)
	}
}

// TestNewCaseForm checks the new-case form's fields (name, time zone, phone region, unit cost)
// and that bad input is refused with a message.
func TestNewCaseForm(t *testing.T) {
	for _, c := range []struct {
		name, tz, region, cost string
		want                   casefile.Info
		bad                    bool
	}{
		{name: "Ligne", tz: "Europe/Paris", region: "fr", cost: "0,16",
			want: casefile.Info{Name: "Ligne", TimeZone: "Europe/Paris", Region: "FR", UnitCost: 0.16, Currency: "EUR"}},
		{name: " Cagnotte ", tz: "America/Montreal", region: "CA", cost: "",
			want: casefile.Info{Name: "Cagnotte", TimeZone: "America/Montreal", Region: "CA", Currency: "EUR"}},
		{name: "", tz: "Europe/Paris", region: "FR", bad: true},
		{name: "X", tz: "Mars/Olympus", region: "FR", bad: true},
		{name: "X", tz: "UTC", region: "FR", cost: "beaucoup", bad: true},
		{name: "X", tz: "UTC", region: "France", bad: true},
		{name: "X", tz: "UTC", region: "", bad: true},
	} {
		u, _ := newTestUI(t)
		s := u.start
		s.name.SetText(c.name)
		s.tz.SetText(c.tz)
		s.region.SetText(c.region)
		s.cost.SetText(c.cost)
		got, err := s.info()
		if c.bad {
			if err == nil || err.Error() == "" {
				t.Errorf("%+v: no error", c)
			}
			continue
		}
		if err != nil {
			t.Errorf("%+v: %v", c, err)
			continue
		}
		got.Examiner = ""
		if got != c.want {
			t.Errorf("form %+v gave %+v, want %+v", c, got, c.want)
		}
	}
}

// TestTimeZoneField types in the New case form's time zone: a city or a country offers its
// zones in the drop-down, a city alone is read as its zone, an unknown word gets suggestions or
// an example; and an error shows in the field's hint line, so the Create button does not move.
func TestTimeZoneField(t *testing.T) {
	for _, c := range []struct{ typed, want, errHas string }{
		{"Europe/Paris", "Europe/Paris", ""},
		{"Paris", "Europe/Paris", ""},
		{"  paris ", "Europe/Paris", ""},
		{"europe/paris", "Europe/Paris", ""},
		{"new york", "America/New_York", ""},
		{"New_York", "America/New_York", ""},
		{"Kolkata", "Asia/Kolkata", ""},
		{"UTC", "UTC", ""},
		{"Europe/Kiev", "Europe/Kiev", ""}, // an alias Go still loads
		{"Par", "", "pick one from the list"},
		{"Nowhere", "", "Europe/Paris"},
		{"", "", "Europe/Paris"},
		{"Local", "", "Europe/Paris"},
	} {
		got, err := resolveZone(c.typed)
		switch {
		case c.errHas == "" && (err != nil || got != c.want):
			t.Errorf("resolveZone(%q) = %q, %v; want %q", c.typed, got, err, c.want)
		case c.errHas != "" && (err == nil || !strings.Contains(err.Error(), c.errHas)):
			t.Errorf("resolveZone(%q) = %q, %v; want an error with %q", c.typed, got, err, c.errHas)
		}
	}

	u, w := newTestUI(t)
	w.Resize(fyne.NewSize(1100, 680))
	s := u.start
	for _, c := range []struct{ typed, want string }{{"Paris", "Europe/Paris"}, {"France", "Europe/Paris"}, {"kolk", "Asia/Kolkata"}} {
		s.tz.SetText("")
		test.Type(s.tz, c.typed)
		if len(s.tzOptions) == 0 || !slices.Contains(s.tzOptions, c.want) {
			t.Errorf("typing %q offers %v, want %s among them", c.typed, s.tzOptions, c.want)
		}
	}
	s.tz.SetText("Paris")
	test.Type(s.name, "Raid")
	if in, err := s.info(); err != nil || in.TimeZone != "Europe/Paris" {
		t.Errorf("case with time zone %q: %+v, %v; want Europe/Paris", s.tz.Text, in, err)
	}

	d := fyne.CurrentApp().Driver()
	before := d.AbsolutePositionForObject(s.createBtn)
	s.tz.SetText("")
	test.Type(s.tz, "Nowhere")
	s.region.SetText("")
	test.Type(s.region, "France")
	s.cost.SetText("")
	test.Type(s.cost, "beaucoup")
	w.Canvas().Focus(s.name) // the errors of the fields left show
	w.Resize(fyne.NewSize(1100, 681))
	w.Resize(fyne.NewSize(1100, 680)) // lay the window out again
	if after := d.AbsolutePositionForObject(s.createBtn); after != before {
		t.Errorf("Create moved from %v to %v when the fields showed errors", before, after)
	}
	var hints []string
	for _, o := range test.LaidOutObjects(s.content) {
		if tx, ok := o.(*canvas.Text); ok && tx.Visible() {
			hints = append(hints, tx.Text)
		}
	}
	if !containsText(hints, "Unknown time zone") {
		t.Errorf("no time zone error under the field; texts %q", hints)
	}
	if min := w.Canvas().Content().MinSize(); min.Width > fitWidth {
		t.Errorf("the start screen with its errors needs %v, wider than %d", min, fitWidth)
	}
	if got := zoneMatches("Par", 2); !slices.Equal(got, []string{"Europe/Paris", "America/Paramaribo"}) {
		t.Errorf("typing Par offers %v first, want Europe/Paris then America/Paramaribo", got)
	}
}

// TestFormErrorsFit types in the New case form letter by letter, in English and French, and
// checks no error line makes the window wider than a small screen (the hint lines do not wrap:
// one error listing two zones once pushed the start screen to 1160 pixels).
func TestFormErrorsFit(t *testing.T) {
	for _, code := range []string{"en", "fr"} {
		t.Run(code, func(t *testing.T) {
			t.Cleanup(func() { applyLanguage("en"); addTranslations() })
			u, w := newTestUI(t)
			u.setLanguage(code)
			s := u.start
			for _, c := range []struct {
				e     *widget.Entry
				typed string
			}{{&s.tz.Entry, "Paris"}, {&s.tz.Entry, "Nowhere"}, {&s.tz.Entry, "america/argentina/buenos"}, {s.region, "France"}, {s.cost, "beaucoup"}} {
				c.e.SetText("")
				for _, r := range c.typed {
					test.Type(c.e, string(r))
					if min := w.Canvas().Content().MinSize(); min.Width > fitWidth {
						t.Errorf("after typing %q the form needs %.0f pixels, more than %d (error %v)", c.e.Text, min.Width, fitWidth, c.e.Validate())
					}
				}
				w.Canvas().Focus(s.name) // an entry shows its error once left
				if min := w.Canvas().Content().MinSize(); min.Width > fitWidth {
					t.Errorf("with %q in a field the form needs %.0f pixels, more than %d (error %v)", c.e.Text, min.Width, fitWidth, c.e.Validate())
				}
			}
		})
	}
}

// TestZoneList checks every zone the form offers loads.
func TestZoneList(t *testing.T) {
	if len(tzZones) < 400 {
		t.Fatalf("%d zones, want the IANA list", len(tzZones))
	}
	for _, z := range tzZones {
		if _, err := time.LoadLocation(z.name); err != nil {
			t.Errorf("zone %s: %v", z.name, err)
		}
	}
}
