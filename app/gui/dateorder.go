package gui

import (
	"context"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"raidtrace/importers"
)

// ambiguousDates is what a dry run found in a file whose dates never settle day/month order:
// one date from the file that reads differently in each order, to show the user.
type ambiguousDates struct {
	example          string    // as written in the file: "02/01/2024 15:04"
	dayFirst, mFirst time.Time // its date read day first and month first
}

// infersDateOrder reports whether a format infers day/month order from the whole file and
// says so with importers.CodeAmbiguousDateOrder: the chat-text and CSV importers.
func infersDateOrder(f importers.Format) bool {
	return f.Import != nil && (f.ID == "chattext" || f.ID == "csv" || strings.HasPrefix(f.ID, "csv-"))
}

// dmDate matches a value starting with a day and a month in either order and a year
// ("02/01/2024 15:04", "[1.2.24, 10:00:00]").
var dmDate = regexp.MustCompile(`^\s*\[?(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\b`)

// readBothWays reads raw's date day first and month first; ok is false when raw has no such
// date or reads the same (or is impossible) in one of the orders.
func readBothWays(raw string) (dayFirst, monthFirst time.Time, ok bool) {
	m := dmDate.FindStringSubmatch(raw)
	if m == nil {
		return
	}
	a, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[2])
	y, _ := strconv.Atoi(m[3])
	if len(m[3]) == 2 {
		y += 2000
	}
	if a == b || a < 1 || b < 1 || a > 12 || b > 12 {
		return
	}
	return time.Date(y, time.Month(b), a, 0, 0, 0, 0, time.UTC), time.Date(y, time.Month(a), b, 0, 0, 0, 0, time.UTC), true
}

// dateProbe is the sink of a dry run: it keeps only whether the ambiguity warning came and the
// first date that reads differently in each order.
type dateProbe struct {
	ambiguous bool
	found     *ambiguousDates
}

func (d *dateProbe) Record(r importers.Record) error {
	if d.found == nil {
		if df, mf, ok := readBothWays(r.RawTime); ok {
			d.found = &ambiguousDates{example: strings.Trim(strings.TrimSpace(r.RawTime), "[]"), dayFirst: df, mFirst: mf}
		}
	}
	return nil
}

func (d *dateProbe) Problem(p importers.Problem) {
	if p.Code == importers.CodeAmbiguousDateOrder {
		d.ambiguous = true
	}
}

// probeDateOrder runs the format's reader once over the file, storing nothing, and returns the
// example to ask about when nothing in the file settles day/month order; nil otherwise (or when
// the dry run fails: the import will report why).
func probeDateOrder(ctx context.Context, path string, f importers.Format, opt importers.Options) *ambiguousDates {
	if !infersDateOrder(f) {
		return nil
	}
	var d dateProbe
	if err := f.Import(ctx, path, opt, &d); err != nil || !d.ambiguous {
		return nil
	}
	if d.found == nil {
		d.found = &ambiguousDates{} // asked without an example
	}
	return d.found
}

// withOptions returns f with set applied to the options its Import receives, on top of the
// case's own (as the command line's --date-order and --columns do).
func withOptions(f importers.Format, set func(*importers.Options)) importers.Format {
	inner := f.Import
	f.Import = func(ctx context.Context, path string, opt importers.Options, sink importers.Sink) error {
		set(&opt)
		return inner(ctx, path, opt, sink)
	}
	return f
}

// monthNames are the months in the current language, January first.
func monthNames() []string {
	return []string{lang.X("month.1", "January"), lang.X("month.2", "February"), lang.X("month.3", "March"),
		lang.X("month.4", "April"), lang.X("month.5", "May"), lang.X("month.6", "June"), lang.X("month.7", "July"),
		lang.X("month.8", "August"), lang.X("month.9", "September"), lang.X("month.10", "October"),
		lang.X("month.11", "November"), lang.X("month.12", "December")}
}

// longDate writes a date as "2 January 2024" in the current language.
func longDate(t time.Time) string {
	return lang.L("{{.Day}} {{.Month}} {{.Year}}", map[string]any{"Day": t.Day(), "Month": monthNames()[t.Month()-1], "Year": t.Year()})
}

// askDateOrder asks how the dates of the i-th waiting file are written, day or month first, and
// calls then with the queue updated; Cancel leaves the queue as it was.
func (s *importScreen) askDateOrder(i int, then func()) {
	p := s.pending[i]
	a := p.dates
	text := lang.L("No date in {{.Name}} tells whether it is written day first or month first.", map[string]any{"Name": filepath.Base(p.path)})
	dayBtn, monthBtn := lang.L("Day first"), lang.L("Month first")
	if a.example != "" {
		text += "\n\n" + lang.L("For example {{.Example}} → {{.DayFirst}} or {{.MonthFirst}}", map[string]any{
			"Example": a.example, "DayFirst": longDate(a.dayFirst), "MonthFirst": longDate(a.mFirst)})
		dayBtn = lang.L("Day first: {{.Date}}", map[string]any{"Date": longDate(a.dayFirst)})
		monthBtn = lang.L("Month first: {{.Date}}", map[string]any{"Date": longDate(a.mFirst)})
	}
	text += "\n\n" + lang.L("How are the dates of this export written? (Exports from a phone set to French are day first; from a phone set to US English, month first.)")
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	var d *dialog.CustomDialog
	choose := func(order string) func() {
		return func() {
			d.Hide()
			for k := range s.pending {
				if s.pending[k].path == p.path {
					s.pending[k].order = order
					s.pending[k].settings = withSetting(s.pending[k].settings, "date_order", order)
				}
			}
			s.refreshPending()
			then()
		}
	}
	day := widget.NewButton(dayBtn, choose("DMY"))
	month := widget.NewButton(monthBtn, choose("MDY"))
	cancel := widget.NewButton(lang.L("Cancel"), func() { d.Hide() })
	d = dialog.NewCustomWithoutButtons(lang.L("Day or month first?"), l, s.u.w)
	d.SetButtons([]fyne.CanvasObject{cancel, day, month})
	d.Resize(fyne.NewSize(min(640, s.u.w.Canvas().Size().Width*0.9), 0))
	d.Show()
}

// withSetting returns m (made if nil) with key set to v.
func withSetting(m map[string]any, key string, v any) map[string]any {
	if m == nil {
		m = map[string]any{}
	}
	m[key] = v
	return m
}
