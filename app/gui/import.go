package gui

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"raidtrace/app/casefile"
	"raidtrace/importers"
	"raidtrace/importers/detect"
)

// pendingFile is a file waiting to be imported, with the format detection found.
type pendingFile struct {
	path   string
	format importers.Format
	err    error // detection failed: the file will not be imported
	// dates is set when a dry run found the file's day/month order ambiguous; order is the
	// user's answer ("DMY" or "MDY"), asked for before the import starts.
	dates *ambiguousDates
	order string
	// header is the header row of a file no format recognised that looks like a CSV file, whose
	// columns can be mapped ("Map columns…").
	header []string
	// settings are the import options the user chose for this file (date_order, columns,
	// time_layout), written to the custody log with the source they produced.
	settings map[string]any
}

// importScreen adds files to the case: chosen or dropped, detected, imported with progress, and
// summarised with every problem.
type importScreen struct {
	u       *UI
	content fyne.CanvasObject

	pending     []pendingFile
	pendingList *widget.List
	addBtn      *widget.Button
	folderBtn   *widget.Button
	importBtn   *widget.Button
	clearBtn    *widget.Button
	formatsBtn  *widget.Button

	progress  *widget.ProgressBar
	progLabel *widget.Label
	cancelBtn *widget.Button
	progRow   *fyne.Container
	cancel    context.CancelFunc

	summaries   []casefile.ImportSummary
	summaryList *widget.List
	problems    []string
	problemList *widget.List
	copyBtn     *widget.Button
	analyseHint *fyne.Container
	notice      *widget.Label // what happened to the last import when it did not finish
	noPending   *widget.Label // the queue's empty state
	noProblems  *widget.Label // the problem list's empty state
	resultsTop  *fyne.Container
	pendingBox  *fyne.Container
	results     *fyne.Container
}

func newImportScreen(u *UI) *importScreen {
	s := &importScreen{u: u}
	s.addBtn = widget.NewButtonWithIcon(lang.L("Add a file…"), theme.FileIcon(), s.chooseFiles)
	s.folderBtn = widget.NewButtonWithIcon(lang.L("Add a folder…"), theme.FolderIcon(), s.chooseFolder)
	s.importBtn = widget.NewButtonWithIcon(lang.X("action.import", "Import"), theme.DownloadIcon(), s.start)
	s.importBtn.Importance = widget.HighImportance
	s.clearBtn = widget.NewButtonWithIcon(lang.L("Clear"), theme.ContentClearIcon(), func() {
		s.pending = nil
		s.refreshPending()
	})
	hint := widget.NewLabel(lang.L("Drop files or folders onto this window, or add them here. The format is recognised from the content; the original files are never changed."))
	hint.Wrapping = fyne.TextWrapWord
	// The list of formats is a button away: written out it took the height the waiting files
	// need.
	s.formatsBtn = widget.NewButtonWithIcon(lang.L("Recognised formats…"), theme.InfoIcon(), s.showFormats)
	s.formatsBtn.Importance = widget.LowImportance

	s.pendingList = widget.NewList(
		func() int { return len(s.pending) },
		func() fyne.CanvasObject {
			name := widget.NewLabel("")
			name.Truncation = fyne.TextTruncateEllipsis
			f := widget.NewLabel("")
			m := widget.NewButtonWithIcon(lang.L("Map columns…"), theme.ListIcon(), nil)
			return container.NewBorder(nil, nil, widget.NewIcon(theme.FileIcon()), container.NewHBox(m, f), name)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			p := s.pending[i]
			c := o.(*fyne.Container)
			name := c.Objects[0].(*widget.Label)
			right := c.Objects[2].(*fyne.Container)
			mapBtn := right.Objects[0].(*widget.Button)
			fl := right.Objects[1].(*widget.Label)
			if p.err != nil && p.header != nil {
				mapBtn.OnTapped = func() { s.mapColumns(i) }
				mapBtn.Show()
			} else {
				mapBtn.Hide()
			}
			if p.err != nil {
				// Why, on the row itself; selecting it gives the whole explanation.
				name.SetText(p.path + " — " + s.notRecognised(p.err, false))
				fl.SetText(lang.L("not recognised"))
				fl.Importance = widget.DangerImportance
			} else {
				name.SetText(p.path)
				fl.SetText(formatName(p.format))
				fl.Importance = widget.SuccessImportance
			}
			c.Refresh()
		})
	s.pendingList.OnSelected = func(i widget.ListItemID) {
		s.pendingList.UnselectAll()
		if p := s.pending[i]; p.err != nil && p.header != nil {
			s.mapColumns(i)
		} else if p.err != nil {
			d := dialog.NewInformation(lang.L("Not recognised"), p.path+"\n\n"+s.notRecognised(p.err, true), u.w)
			d.Resize(fyne.NewSize(640, 300))
			d.Show()
		}
	}
	// At least four rows of waiting files however the screen is split.
	rows := canvas.NewRectangle(color.Transparent)
	rows.SetMinSize(fyne.NewSize(0, 4*(s.pendingList.CreateItem().MinSize().Height+theme.SeparatorThicknessSize())))

	s.progress = widget.NewProgressBar()
	s.progLabel = widget.NewLabel("")
	s.cancelBtn = widget.NewButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), func() {
		if s.cancel != nil {
			s.cancel()
		}
	})
	s.progRow = container.NewBorder(s.progLabel, nil, nil, s.cancelBtn, s.progress)
	s.progRow.Hide()

	s.summaryList = widget.NewList(
		func() int { return len(s.summaries) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(summaryLine(s.summaries[i]))
		})
	s.problemList = widget.NewList(
		func() int { return len(s.problems) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(s.problems[i]) })
	s.copyBtn = widget.NewButtonWithIcon(lang.L("Copy all problems"), theme.ContentCopyIcon(), func() {
		u.a.Clipboard().SetContent(strings.Join(s.problems, "\n"))
	})
	s.copyBtn.Disable()
	analyse := widget.NewButtonWithIcon(lang.L("Analyse now"), theme.SearchIcon(), u.analyze)
	s.analyseHint = container.NewHBox(widget.NewLabel(lang.L("Import done. Next step:")), analyse)
	s.analyseHint.Hide()

	s.notice = widget.NewLabel("")
	s.notice.Wrapping = fyne.TextWrapWord
	s.notice.Importance = widget.WarningImportance
	s.notice.Hide()

	top := container.NewVBox(hint,
		container.NewBorder(nil, nil, container.NewHBox(s.addBtn, s.folderBtn, s.clearBtn, s.importBtn), s.formatsBtn),
		s.notice)
	s.noPending = widget.NewLabel(lang.L("No files waiting. Drop exports onto this window, or add a file or a folder."))
	s.noPending.Importance = widget.LowImportance
	s.noPending.Wrapping = fyne.TextWrapWord
	s.noPending.Alignment = fyne.TextAlignCenter
	s.noProblems = widget.NewLabel(lang.L("No problems."))
	s.noProblems.Importance = widget.LowImportance
	s.pendingBox = container.NewBorder(top, s.progRow, nil, nil, container.NewStack(rows, s.pendingList, container.NewVBox(s.noPending)))
	s.resultsTop = container.NewVBox(s.analyseHint, widget.NewLabelWithStyle(lang.L("Imported sources"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	s.results = container.NewBorder(s.resultsTop,
		nil, nil, nil,
		container.NewVSplit(s.summaryList,
			container.NewBorder(container.NewBorder(nil, nil,
				widget.NewLabelWithStyle(lang.L("Problems (location: reason)"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
				s.copyBtn), nil, nil, nil, container.NewStack(s.problemList, container.NewVBox(s.noProblems)))))
	split := container.NewVSplit(s.pendingBox, s.results)
	split.Offset = 0.5 // the waiting list keeps its four rows whatever the offset (rows above)
	s.content = container.NewPadded(split)
	s.loadSources()
	s.refreshPending()
	return s
}

// showFormats lists the formats detection recognises.
func (s *importScreen) showFormats() {
	l := widget.NewLabel(lang.L("Raidtrace recognises a file's format from its content, not its name:") + "\n• " + strings.Join(s.formatNames(), "\n• "))
	l.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(lang.L("Recognised formats"), lang.L("Close"), container.NewVScroll(l), s.u.w)
	d.Resize(fyne.NewSize(640, 480))
	d.Show()
}

func (s *importScreen) formatNames() []string {
	var names []string
	for _, f := range s.u.be.formats() {
		names = append(names, formatName(f))
	}
	return names
}

// notRecognised says why a file will not be imported: for a file no format claims, that none
// of them (named when full) matches its content; otherwise the error detection returned.
func (s *importScreen) notRecognised(err error, full bool) string {
	switch {
	case errors.Is(err, detect.ErrUnknown) && full:
		return lang.L("Raidtrace reads the format from the file's content, not its name, and none of the formats it knows matches it: {{.Formats}}. If the file is an export in one of them, it may be damaged or of a newer version; otherwise export the messages again in one of these formats.",
			map[string]any{"Formats": strings.Join(s.formatNames(), ", ")})
	case errors.Is(err, detect.ErrUnknown):
		return lang.N("its content matches none of the {{.N}} known formats", len(s.u.be.formats()), map[string]any{"N": len(s.u.be.formats())})
	case errors.Is(err, fs.ErrPermission):
		return lang.L("Raidtrace may not read it.")
	}
	return err.Error()
}

// formatName is a format's translated name.
func formatName(f importers.Format) string {
	return lang.X("format."+f.ID, f.Name)
}

func summaryLine(sum casefile.ImportSummary) string {
	src := sum.Source
	if sum.AlreadyImported {
		return lang.L("{{.Name}}: already imported, nothing to do", map[string]any{"Name": src.Name})
	}
	// Four counts in one line: "label: count" needs no plural forms.
	return lang.L("{{.Name}} ({{.Format}}) · imported: {{.Imported}} · already in the case: {{.Duplicates}} · skipped: {{.Skipped}} · problems: {{.Problems}}", map[string]any{
		"Name": src.Name, "Format": lang.X("format."+src.Format, src.Format), "Imported": sum.Imported,
		"Duplicates": sum.Duplicates, "Skipped": sum.Skipped, "Problems": len(sum.Problems)})
}

// loadSources shows the sources already in the case as summaries.
func (s *importScreen) loadSources() {
	if s.u.d == nil {
		return
	}
	s.summaries = s.summaries[:0]
	s.problems = s.problems[:0]
	for _, src := range s.u.d.sources {
		s.addSummary(casefile.ImportSummary{Source: src, Imported: src.Records, Duplicates: src.Duplicates,
			Skipped: skipped(src.Problems), Problems: src.Problems})
	}
}

func skipped(ps []importers.Problem) int {
	n := 0
	for _, p := range ps {
		if !p.Warning {
			n++
		}
	}
	return n
}

func (s *importScreen) addSummary(sum casefile.ImportSummary) {
	s.summaries = append(s.summaries, sum)
	for _, p := range sum.Problems {
		kind := lang.L("skipped")
		if p.Warning {
			kind = lang.L("warning")
		}
		s.problems = append(s.problems, fmt.Sprintf("%s: %s: %s (%s)", sum.Source.Name, p.Location, problemReason(p), kind))
	}
	s.summaryList.Refresh()
	s.problemList.Refresh()
	if len(s.problems) > 0 {
		s.copyBtn.Enable()
		s.noProblems.Hide()
	}
}

func (s *importScreen) refreshPending() {
	s.pendingList.Refresh()
	if len(s.pending) == 0 {
		s.noPending.Show()
	} else {
		s.noPending.Hide()
	}
	ok := 0
	for _, p := range s.pending {
		if p.err == nil {
			ok++
		}
	}
	if ok == 0 || s.cancel != nil {
		s.importBtn.Disable()
	} else {
		s.importBtn.Enable()
	}
	if ok == 0 {
		s.importBtn.SetText(lang.X("action.import", "Import"))
	} else {
		s.importBtn.SetText(lang.N("Import {{.N}} files", ok, map[string]any{"N": ok}))
	}
	if len(s.pending) == 0 {
		s.clearBtn.Disable()
	} else {
		s.clearBtn.Enable()
	}
}

func (s *importScreen) chooseFiles() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			s.u.showError(err)
			return
		}
		path := r.URI().Path()
		r.Close()
		s.addPaths([]string{path})
	}, s.u.w)
	showFileDialog(d, s.u.w)
}

func (s *importScreen) chooseFolder() {
	d := dialog.NewFolderOpen(func(l fyne.ListableURI, err error) {
		if err != nil || l == nil {
			s.u.showError(err)
			return
		}
		s.addPaths([]string{l.Path()})
	}, s.u.w)
	showFileDialog(d, s.u.w)
}

// addPaths expands folders and detects each file's format off the UI goroutine.
func (s *importScreen) addPaths(paths []string) {
	detectFormat := s.u.be.detect
	var found []pendingFile
	s.u.jobs.run(context.Background(), func(ctx context.Context) error {
		for _, p := range paths {
			// A folder may itself be an export (an X archive); otherwise each file in it is one.
			if st, err := os.Stat(p); err == nil && st.IsDir() {
				if f, err := detectFormat(p); err == nil {
					found = append(found, pendingFile{path: p, format: f})
					continue
				}
			}
			filepath.WalkDir(p, func(path string, e fs.DirEntry, err error) error {
				if err != nil {
					found = append(found, pendingFile{path: path, err: err})
					return nil
				}
				if e.IsDir() {
					if path != p && strings.HasPrefix(e.Name(), ".") {
						return filepath.SkipDir
					}
					return nil
				}
				if strings.HasPrefix(e.Name(), ".") || strings.HasSuffix(e.Name(), casefile.Extension) {
					return nil
				}
				f, err := detectFormat(path)
				pf := pendingFile{path: path, format: f, err: err}
				if err == nil {
					pf.dates = probeDateOrder(ctx, path, f, importers.Options{})
				} else if errors.Is(err, detect.ErrUnknown) {
					pf.header = csvHeader(path)
				}
				found = append(found, pf)
				return nil
			})
		}
		return nil
	}, func(error) {
	outer:
		for _, f := range found {
			for _, p := range s.pending {
				if p.path == f.path {
					continue outer
				}
			}
			s.pending = append(s.pending, f)
		}
		s.refreshPending()
	})
}

// start imports the pending files one after the other.
func (s *importScreen) start() {
	if s.cancel != nil || s.u.c == nil {
		return
	}
	var todo []pendingFile
	for _, p := range s.pending {
		if p.err == nil {
			todo = append(todo, p)
		}
	}
	if len(todo) == 0 {
		return
	}
	// Day/month order is asked for, file by file, before anything is imported; each answer
	// comes back here until none is left to ask.
	for _, p := range todo {
		if p.dates != nil && p.order == "" {
			for i := range s.pending {
				if s.pending[i].path == p.path {
					s.askDateOrder(i, s.start)
					return
				}
			}
		}
	}
	for k, p := range todo {
		if p.order != "" {
			order := p.order
			todo[k].format = withOptions(p.format, func(o *importers.Options) { o.DateOrder = order })
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.importBtn.Disable()
	s.addBtn.Disable()
	s.folderBtn.Disable()
	s.analyseHint.Hide()
	s.notice.Hide()
	s.results.Refresh()
	s.progress.SetValue(0)
	s.progRow.Show()
	s.pendingBox.Refresh()
	c := s.u.c
	who := s.u.examiner()
	// One goroutine for the whole queue, so files import in order.
	done := make([]casefile.ImportSummary, 0, len(todo))
	s.u.jobs.run(ctx, func(ctx context.Context) error {
		for k, p := range todo {
			var last atomic.Int64
			show := throttle(func(_ string, frac float64) {
				s.progress.SetValue(frac)
				s.progLabel.SetText(s.progressText(k, len(todo), p.path, int(last.Load())))
			})
			show(p.path, 0)
			sum, err := c.Import(ctx, p.path, p.format, func(done, total int64, n int) {
				last.Store(int64(n))
				frac := 0.0
				if total > 0 {
					frac = float64(done) / float64(total)
				}
				show(p.path, min(frac, 0.999))
			})
			if err != nil {
				return fmt.Errorf("%s: %w", filepath.Base(p.path), err)
			}
			if len(p.settings) > 0 && !sum.AlreadyImported {
				// The source by id and hash, not by name: a redacted export masks file names
				// only in import entries.
				details := map[string]any{"source_id": sum.Source.ID, "source_sha256": sum.Source.SHA256, "who": who}
				for k, v := range p.settings {
					details[k] = v
				}
				if _, err := c.Log(ctx, "import-settings", details); err != nil {
					return fmt.Errorf("%s: %w", filepath.Base(p.path), err)
				}
			}
			done = append(done, sum)
			fyne.Do(func() {
				s.addSummary(sum)
				s.removePending(p.path)
			})
		}
		return nil
	}, func(err error) {
		cancel()
		s.cancel = nil
		s.progRow.Hide()
		s.pendingBox.Refresh()
		s.addBtn.Enable()
		s.folderBtn.Enable()
		s.refreshPending()
		if errors.Is(err, context.Canceled) {
			// casefile rolls a cancelled import back: say so, so that nobody looks for half a file.
			s.notice.SetText(lang.L("Import cancelled. The file being imported was not kept; the case is as it was before it."))
			s.notice.Show()
			s.pendingBox.Refresh()
		} else if err != nil {
			s.u.showError(err)
		}
		if len(done) > 0 {
			s.u.reload(func() {
				s.analyseHint.Show()
				s.results.Refresh()
				s.u.a.SendNotification(fyne.NewNotification("Raidtrace", lang.L("Import finished")))
			})
		}
	})
}

func (s *importScreen) progressText(k, n int, path string, records int) string {
	return lang.N("File {{.K}} of {{.N}}: {{.Name}} — {{.Records}} messages stored", records, map[string]any{
		"K": k + 1, "N": n, "Name": filepath.Base(path), "Records": records})
}

func (s *importScreen) removePending(path string) {
	for i, p := range s.pending {
		if p.path == path {
			s.pending = append(s.pending[:i], s.pending[i+1:]...)
			break
		}
	}
	s.pendingList.Refresh()
}

// dropped receives files dropped on the window: with a case open they go to the import queue.
func (u *UI) dropped(_ fyne.Position, uris []fyne.URI) {
	if u.imp == nil || u.tabs == nil {
		// On the start screen a dropped case file is opened.
		for _, x := range uris {
			if x.Scheme() == "file" && strings.HasSuffix(x.Path(), casefile.Extension) {
				u.openCase(x.Path())
				return
			}
		}
		if len(uris) > 0 {
			// Exports dropped before a case is open: say what to do rather than nothing.
			dialog.ShowInformation(lang.X("action.import", "Import"),
				lang.L("Create or open a case first, then drop the files to import into it."), u.w)
		}
		return
	}
	var paths []string
	for _, x := range uris {
		if x.Scheme() == "file" {
			paths = append(paths, x.Path())
		}
	}
	u.tabs.SelectIndex(1)
	u.imp.addPaths(paths)
}

// fileDialog is what showFileDialog needs of Fyne's file and folder dialogs.
type fileDialog interface {
	Resize(fyne.Size)
	Show()
}

// showFileDialog shows a file dialog as large as the window allows.
func showFileDialog(d fileDialog, w fyne.Window) {
	size := w.Canvas().Size()
	d.Resize(fyne.NewSize(min(900, size.Width*0.9), min(620, size.Height*0.9)))
	d.Show()
}
