package gui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"raidtrace/importers"
	"raidtrace/importers/csvmap"
)

// csvHeader returns the header row of a file no format recognised when it looks like a
// delimited text file (text, a header of at least two columns), so that its columns can be
// mapped; nil otherwise.
func csvHeader(path string) []string {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	head := make([]byte, 64<<10)
	n, _ := io.ReadFull(f, head)
	head = importers.UTF8Head(head[:n])
	if n == 0 || bytes.IndexByte(head, 0) >= 0 {
		return nil
	}
	h, err := csvmap.ReadHeader(bytes.NewReader(head))
	if err != nil || len(h) < 2 {
		return nil
	}
	return h
}

// mapRoles are the roles the mapping dialog offers, required first.
var mapRoles = []struct {
	role     string
	required bool
}{{"time", true}, {"sender", true}, {"text", true}, {"recipient", false}, {"name", false}, {"amount", false}}

func roleLabel(role string) string {
	switch role {
	case "time":
		return lang.L("Time")
	case "sender":
		return lang.L("Sender")
	case "text":
		return lang.L("Text")
	case "recipient":
		return lang.L("Recipient")
	case "name":
		return lang.L("Name")
	case "amount":
		return lang.L("Amount")
	}
	return role
}

// mappedFormat is the generic CSV format reading with cols and layout, as the command line's
// --columns and --time-layout make it.
func mappedFormat(cols map[string]string, layout string) importers.Format {
	return withOptions(csvmap.CSV, func(o *importers.Options) {
		o.Columns = cols
		if layout != "" {
			o.TimeLayout = layout
		}
	})
}

// errEnough stops a preview once it has its rows.
var errEnough = errors.New("enough rows")

// previewSink keeps the first rows of a preview and its first problems.
type previewSink struct {
	records  []importers.Record
	problems []importers.Problem
}

func (p *previewSink) Record(r importers.Record) error {
	p.records = append(p.records, r)
	if len(p.records) >= 3 {
		return errEnough
	}
	return nil
}

func (p *previewSink) Problem(pr importers.Problem) {
	if len(p.problems) < 3 && pr.Location != "file" {
		p.problems = append(p.problems, pr)
	}
}

// previewMapping reads the first rows of the file (its first 64 KiB) with the mapping, as they
// would import, and writes them one a line; their text masked unless reveal is set, as on the
// other screens.
func previewMapping(path string, cols map[string]string, layout string, loc *time.Location, reveal bool) string {
	f, err := os.Open(path)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	var sink previewSink
	opt := importers.Options{Columns: cols, TimeLayout: layout, Location: loc}.WithDefaults()
	err = csvmap.CSV.Read(context.Background(), io.LimitReader(f, 64<<10), opt, &sink)
	var b strings.Builder
	for _, r := range sink.records {
		when := lang.L("no time")
		if !r.Time.IsZero() {
			when = r.Time.In(opt.Location).Format("2006-01-02 15:04:05")
		}
		text := cut(singleLine(r.Text), 80)
		if !reveal {
			text = mask(text)
		}
		fmt.Fprintf(&b, "%s · %s · %s · %s\n", r.Location, when, r.Sender.Key(), text)
	}
	for _, p := range sink.problems {
		fmt.Fprintf(&b, "%s\n", problemLine(p))
	}
	if err != nil && !errors.Is(err, errEnough) && len(sink.records) == 0 {
		fmt.Fprintf(&b, "%s\n", errorReason(err))
	}
	return strings.TrimSpace(b.String())
}

// mapColumns asks which of the i-th waiting file's columns hold the time, sender, text and so
// on, shows its first rows as they would import, and imports it with that mapping.
func (s *importScreen) mapColumns(i int) {
	p := s.pending[i]
	loc, zone := time.UTC, "UTC"
	if s.u.d != nil && s.u.d.loc != nil {
		loc, zone = s.u.d.loc, s.u.d.loc.String()
	}
	none := lang.L("(none)")
	selects := map[string]*widget.Select{}
	form := widget.NewForm()
	preview := widget.NewLabel("")
	preview.Wrapping = fyne.TextWrapWord
	preview.TextStyle = fyne.TextStyle{Monospace: true}
	layout := widget.NewEntry()
	layout.SetPlaceHolder(lang.L("empty: recognised automatically"))
	var importBtn *widget.Button
	mapping := func() (map[string]string, bool) {
		cols := map[string]string{}
		ok := true
		for _, r := range mapRoles {
			v := selects[r.role].Selected
			if v == "" || v == none {
				ok = ok && !r.required
				continue
			}
			cols[r.role] = v
		}
		return cols, ok
	}
	update := func() {
		cols, ok := mapping()
		if !ok {
			importBtn.Disable()
			preview.SetText(lang.L("Choose the time, sender and text columns to see the first rows."))
			return
		}
		importBtn.Enable()
		preview.SetText(previewMapping(p.path, cols, strings.TrimSpace(layout.Text), loc, s.u.reveal))
	}
	for _, r := range mapRoles {
		opts := append([]string(nil), p.header...)
		if !r.required {
			opts = append([]string{none}, opts...)
		}
		sel := widget.NewSelect(opts, func(string) { update() })
		sel.PlaceHolder = lang.L("(choose a column)")
		selects[r.role] = sel
		label := roleLabel(r.role)
		if r.required {
			label += " *"
		}
		form.Append(label, sel)
	}
	layout.OnChanged = func(string) { update() }
	form.Append(lang.L("Time layout"), layout)
	examples := widget.NewLabel(lang.L("Go layout, written for 2 January 2006 at 15:04:05, e.g. 2006-01-02 15:04:05 or 02/01/2006 15:04. Times without a zone are read in the case's time zone, {{.Zone}}.", map[string]any{"Zone": zone}))
	examples.Wrapping = fyne.TextWrapWord
	examples.Importance = widget.LowImportance

	var d *dialog.CustomDialog
	importBtn = widget.NewButton(lang.X("action.import", "Import"), func() {
		cols, ok := mapping()
		if !ok {
			return
		}
		d.Hide()
		s.useMapping(p.path, cols, strings.TrimSpace(layout.Text))
	})
	importBtn.Importance = widget.HighImportance
	cancel := widget.NewButton(lang.L("Cancel"), func() { d.Hide() })
	intro := widget.NewLabel(lang.L("{{.Name}} is a table no preset recognises. Say which columns hold what; the other columns are kept with each message.", map[string]any{"Name": filepath.Base(p.path)}))
	intro.Wrapping = fyne.TextWrapWord
	content := container.NewVBox(intro, form, examples,
		widget.NewLabelWithStyle(lang.L("First rows as they would import"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), preview)
	d = dialog.NewCustomWithoutButtons(lang.L("Map columns"), container.NewVScroll(content), s.u.w)
	d.SetButtons([]fyne.CanvasObject{cancel, importBtn})
	update()
	size := s.u.w.Canvas().Size()
	d.Resize(fyne.NewSize(min(760, size.Width*0.95), min(640, size.Height*0.95)))
	d.Show()
}

// useMapping gives the waiting file at path the generic CSV format with the mapping, checks its
// day/month order, and starts the import (which asks about the order if it is ambiguous).
func (s *importScreen) useMapping(path string, cols map[string]string, layout string) {
	f := mappedFormat(cols, layout)
	var dates *ambiguousDates
	s.u.jobs.run(context.Background(), func(ctx context.Context) error {
		dates = probeDateOrder(ctx, path, f, importers.Options{})
		return nil
	}, func(error) {
		for k := range s.pending {
			if s.pending[k].path == path {
				s.pending[k].format, s.pending[k].err, s.pending[k].dates, s.pending[k].order = f, nil, dates, ""
				s.pending[k].settings = map[string]any{"format": f.ID, "columns": cols}
				if layout != "" {
					s.pending[k].settings["time_layout"] = layout
				}
			}
		}
		s.refreshPending()
		s.start()
	})
}
