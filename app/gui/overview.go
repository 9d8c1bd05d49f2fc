package gui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"raidtrace/analysis"
	"raidtrace/app/evidence"
)

// overviewScreen shows the key figures and the timeline of all messages.
type overviewScreen struct {
	u       *UI
	d       *caseData
	content fyne.CanvasObject

	figs     figures
	values   map[string]*widget.Label
	zoom     *widget.RadioGroup
	timeline *timeline
	caption  *widget.Label
	focusAt  time.Time // where the reader tapped the timeline

	raidButtons []*widget.Button // open the top raids' pages
}

// zoom levels of the timeline.
const (
	zoomDay    = "day"
	zoomHour   = "hour"
	zoomMinute = "minute"
)

// money formats an amount with two decimals, the language's decimal separator and the currency.
func money(v float64, cur string) string {
	return strings.Replace(fmt.Sprintf("%.2f", v), ".", lang.X("decimal.separator", "."), 1) + " " + cur
}

func newOverviewScreen(u *UI, d *caseData) *overviewScreen {
	s := &overviewScreen{u: u, d: d, values: map[string]*widget.Label{}}
	s.figs = d.figures()
	cur := d.info.Currency
	if cur == "" {
		cur = "EUR"
	}
	damage, damageSub := "—", lang.L("unit cost not set") // a long value would widen all five cards
	if d.info.UnitCost > 0 {
		damage = money(s.figs.damage, cur)
		// The figures themselves, short enough for a fifth of a small screen.
		damageSub = lang.L("{{.N}} × {{.Cost}} per message", map[string]any{"N": countText(s.figs.raidMessages), "Cost": money(d.info.UnitCost, cur)})
	}
	peak := "—"
	if s.figs.peak > 0 {
		peak = lang.L("{{.N}} per minute", map[string]any{"N": countText(s.figs.peak)})
	}
	card := func(key, title, value, sub string) fyne.CanvasObject {
		v := widget.NewLabelWithStyle(value, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		v.SizeName = theme.SizeNameSubHeadingText
		s.values[key] = v
		t := widget.NewLabel(title)
		t.Importance = widget.LowImportance
		t.Wrapping = fyne.TextWrapWord // five cards share the width: a long title takes two lines
		box := container.NewVBox(t, v)
		if sub != "" {
			sl := widget.NewLabel(sub)
			sl.Importance = widget.LowImportance
			sl.Wrapping = fyne.TextWrapWord // never cut: the reader needs the whole explanation
			box.Add(sl)
		}
		return widget.NewCard("", "", box)
	}
	peakAt := ""
	if !s.figs.peakAt.IsZero() {
		peakAt = s.figs.peakAt.In(d.loc).Format("2006-01-02 15:04")
	}
	grid := container.NewGridWithColumns(5,
		card("messages", lang.L("Messages"), countText(s.figs.messages), ""),
		card("senders", lang.L("Senders"), countText(s.figs.senders), ""),
		card("raids", lang.L("Raids"), countText(s.figs.raids), lang.L("{{.N}} messages in raids", map[string]any{"N": countText(s.figs.raidMessages)})),
		card("peak", lang.L("Peak rate"), peak, peakAt),
		card("damage", lang.L("Damage estimate"), damage, damageSub),
	)
	s.zoom = widget.NewRadioGroup([]string{lang.L("Days"), lang.L("Hours"), lang.L("Minutes")}, func(string) { s.redraw() })
	s.zoom.Horizontal = true
	s.zoom.Required = true
	s.timeline = newTimeline(histogram{}, d.loc)
	s.timeline.OnTapped = s.zoomAt
	s.caption = widget.NewLabel("")
	s.caption.Importance = widget.LowImportance
	s.caption.Wrapping = fyne.TextWrapWord
	s.zoom.SetSelected(lang.L("Days"))

	var body fyne.CanvasObject
	if len(d.msgs) == 0 {
		empty := widget.NewLabel(lang.L("This case holds no messages yet. Import an export (Import tab, or drop files onto the window)."))
		empty.Wrapping = fyne.TextWrapWord
		body = container.NewVBox(grid, empty)
	} else {
		var bottom fyne.CanvasObject = s.caption
		if len(d.clusters) > 0 {
			bottom = container.NewVBox(s.caption, s.topRaids())
		}
		body = container.NewBorder(
			container.NewVBox(grid, container.NewHBox(
				widget.NewLabelWithStyle(lang.L("Timeline"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
				s.zoom)),
			bottom, nil, nil, s.timeline)
	}
	s.content = container.NewPadded(body)
	return s
}

// countText writes a count as the reports do (evidence.GroupDigits) with the language's
// thousands separator: "1,000,000", "1 000 000".
func countText(n int) string { return evidence.GroupDigits(n, lang.X("thousands.separator", ",")) }

// topRaids links to the pages of the largest raids.
func (s *overviewScreen) topRaids() fyne.CanvasObject {
	row := container.NewHBox(widget.NewLabelWithStyle(lang.L("Top raids"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for k, c := range s.d.clusters {
		if k == 3 {
			break
		}
		k := k
		b := widget.NewButton(lang.L("#{{.ID}} · {{.Size}} messages", map[string]any{"ID": c.ID, "Size": countText(c.Size)}), func() {
			s.u.tabs.SelectIndex(2)
			s.u.raids.list.Select(k)
		})
		b.Importance = widget.LowImportance
		s.raidButtons = append(s.raidButtons, b)
		row.Add(b)
	}
	return row
}

// zoomLevel is the selected zoom as a constant.
func (s *overviewScreen) zoomLevel() string {
	switch s.zoom.Selected {
	case lang.L("Hours"):
		return zoomHour
	case lang.L("Minutes"):
		return zoomMinute
	}
	return zoomDay
}

// zoomAt centres the timeline on t and zooms one step in (days → hours → minutes).
func (s *overviewScreen) zoomAt(t time.Time) {
	s.focusAt = t
	switch s.zoomLevel() {
	case zoomDay:
		s.zoom.SetSelected(s.zoom.Options[1])
	case zoomHour:
		s.zoom.SetSelected(s.zoom.Options[2])
	default:
		s.redraw()
	}
}

// focus is the time the hour and minute zooms centre on: where the reader tapped, else the top
// raid, else the peak minute.
func (s *overviewScreen) focus() time.Time {
	if !s.focusAt.IsZero() {
		return s.focusAt
	}
	if len(s.d.clusters) > 0 && !s.d.clusters[0].Start.IsZero() {
		c := s.d.clusters[0]
		return c.Start.Add(c.End.Sub(c.Start) / 2)
	}
	return s.figs.peakAt
}

func (s *overviewScreen) redraw() {
	if s.timeline == nil {
		return
	}
	s.timeline.set(s.histogram(s.zoomLevel()))
	cap := lang.L("In colour: raid windows. Days shows the whole case; Hours and Minutes centre on the largest raid. Tap the timeline to zoom in where you tap.")
	s.caption.SetText(cap)
}

func (s *overviewScreen) histogram(zoom string) histogram {
	from, to := s.d.span()
	unit := 24 * time.Hour
	switch zoom {
	case zoomHour:
		f := s.focus()
		from, to = clampSpan(f.Add(-24*time.Hour), f.Add(24*time.Hour), from, to)
		unit = time.Hour
	case zoomMinute:
		f := s.focus()
		from, to = clampSpan(f.Add(-90*time.Minute), f.Add(90*time.Minute), from, to)
		unit = time.Minute
	}
	return bucketize(s.d.times, from, to, unit, s.d.raidWindows(), s.d.loc)
}

func clampSpan(a, b, lo, hi time.Time) (time.Time, time.Time) {
	if a.Before(lo) {
		a = lo
	}
	if b.After(hi) {
		b = hi
	}
	return a, b
}

// times yields every message time.
func (d *caseData) times(yield func(time.Time) bool) {
	for i := range d.msgs {
		if !yield(d.in[i].Time) {
			return
		}
	}
}

// raidWindows are the windows the timelines shade: those of the clusters that burst above their
// channel's normal rate, or, when the analysis found no burst, of the three top-ranked clusters.
func (d *caseData) raidWindows() [][2]time.Time {
	var out [][2]time.Time
	add := func(c analysis.Cluster) {
		switch {
		case !c.Window.Start.IsZero():
			out = append(out, [2]time.Time{c.Window.Start, c.Window.End})
		case !c.Start.IsZero():
			out = append(out, [2]time.Time{c.Start, c.End})
		}
	}
	for _, c := range d.clusters {
		if len(c.Bursts) > 0 {
			add(c)
		}
	}
	if len(out) == 0 {
		for i, c := range d.clusters {
			if i == 3 {
				break
			}
			add(c)
		}
	}
	return out
}
