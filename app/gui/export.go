package gui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"raidtrace/app/evidence"
)

const prefExportDir = "export_dir"

// exportDialog asks how to export the bundle, runs the export with progress, verifies the
// result and offers to open the folder.
type exportDialog struct {
	u *UI

	langs       *widget.RadioGroup
	redact      *widget.Check
	zip         *widget.Check
	dest        *widget.Label
	dir         string
	fingerprint *widget.Label
	form        dialog.Dialog

	// While it runs: the core reports a fraction within only a few of its stages, and none while
	// it reads the case, checksums, zips or verifies, so the bar moves by itself and the label
	// says which step of how many is running.
	progress *widget.ProgressBarInfinite
	stage    *widget.Label
	steps    []string // the stages this export goes through, in order (exportSteps)
	step     int      // index in steps of the stage running
	running  dialog.Dialog
	cancel   context.CancelFunc

	// After the export.
	out    exported
	result verifyResult
	err    error
}

// exportSteps are the stages evidence.Export reports for opt, in order, then the dialog's own
// verify; its closing "done" belongs to the step before verify.
func exportSteps(opt exportOptions) []string {
	steps := []string{"read"}
	if !opt.Redact {
		steps = append(steps, "originals") // the redacted variant holds no originals
	}
	steps = append(steps, "tables", "report", "manifests")
	if opt.Zip {
		steps = append(steps, "zip")
	}
	return append(steps, "verify")
}

// stageText is the running dialog's label for a progress report: "Step 3 of 6: writing reports",
// with the share done when the core reports one within the stage.
func (e *exportDialog) stageText(stage string, frac float64) string {
	for i, s := range e.steps {
		if s == stage && i >= e.step {
			e.step = i
			break
		}
	}
	name, _ := stageName(stage)
	text := lang.L("Step {{.K}} of {{.N}}: {{.Stage}}", map[string]any{"K": e.step + 1, "N": len(e.steps), "Stage": name})
	if frac > 0 && frac < 1 && stage != "done" {
		text += " " + lang.L("({{.P}}%)", map[string]any{"P": int(frac * 100)})
	}
	return text
}

// defaultExportDir is where a bundle goes until the reader chooses: beside the case file, except
// for a case kept in Raidtrace's own configuration folder (the demo), whose bundle would be
// hidden there; that goes to the Documents folder, or the home folder.
func (u *UI) defaultExportDir() string {
	dir := filepath.Dir(u.c.Path())
	if u.opt.ConfigDir == "" {
		return dir
	}
	if rel, err := filepath.Rel(u.opt.ConfigDir, dir); err != nil || strings.HasPrefix(rel, "..") {
		return dir
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return dir
	}
	if st, err := os.Stat(filepath.Join(home, "Documents")); err == nil && st.IsDir() {
		return filepath.Join(home, "Documents")
	}
	return home
}

func (u *UI) keyDir() string { return filepath.Join(u.opt.ConfigDir, "keys") }

// showExport opens the export dialog.
func (u *UI) showExport() {
	if u.c == nil {
		return
	}
	e := u.newExportDialog()
	e.form.Show()
}

func (u *UI) newExportDialog() *exportDialog {
	e := &exportDialog{u: u}
	e.langs = widget.NewRadioGroup([]string{lang.L("French"), lang.L("English"), lang.L("French and English")}, nil)
	e.langs.Horizontal = true
	e.langs.Required = true
	e.langs.SetSelected(lang.L("French and English"))
	e.redact = widget.NewCheck(lang.L("Pseudonymise senders and numbers (for press or NGOs)"), nil)
	e.zip = widget.NewCheck(lang.L("Also make a ZIP file"), nil)
	e.dir = u.a.Preferences().StringWithFallback(prefExportDir, u.defaultExportDir())
	e.dest = widget.NewLabel(e.dir)
	e.dest.Truncation = fyne.TextTruncateEllipsis
	choose := widget.NewButtonWithIcon(lang.L("Choose…"), theme.FolderOpenIcon(), func() {
		d := dialog.NewFolderOpen(func(l fyne.ListableURI, err error) {
			if err != nil || l == nil {
				u.showError(err)
				return
			}
			e.dir = l.Path()
			e.dest.SetText(e.dir)
		}, u.w)
		if l, err := storage.ListerForURI(storage.NewFileURI(e.dir)); err == nil {
			d.SetLocation(l)
		}
		showFileDialog(d, u.w)
	})
	e.fingerprint = widget.NewLabel(lang.L("reading…"))
	e.fingerprint.Wrapping = fyne.TextWrapBreak
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Report language"), e.langs),
		widget.NewFormItem(lang.L("Privacy"), e.redact),
		widget.NewFormItem(lang.L("Destination"), container.NewBorder(nil, nil, nil, choose, e.dest)),
		widget.NewFormItem(lang.L("Archive"), e.zip),
		widget.NewFormItem(lang.L("Signing key"), e.fingerprint),
	)
	e.form = dialog.NewCustomConfirm(lang.L("Export evidence bundle"), lang.L("Export"), lang.L("Cancel"), form,
		func(ok bool) {
			if ok {
				e.start()
			}
		}, u.w)
	e.form.Resize(fyne.NewSize(640, 380))
	// Read (or create) the signing key once the dialog is built: its label is set from the job.
	keyDir := u.keyDir()
	var fp string
	u.jobs.run(context.Background(), func(ctx context.Context) error {
		var err error
		fp, err = u.be.fingerprint(keyDir)
		return err
	}, func(err error) {
		if err != nil {
			e.fingerprint.SetText(lang.L("no signing key: {{.Err}}", map[string]any{"Err": err.Error()}))
			return
		}
		e.fingerprint.SetText(fp)
	})
	return e
}

// options are the chosen export options.
func (e *exportDialog) options() exportOptions {
	o := exportOptions{Redact: e.redact.Checked, Zip: e.zip.Checked}
	switch e.langs.Selected {
	case lang.L("French"):
		o.Langs = []string{"fr"}
	case lang.L("English"):
		o.Langs = []string{"en"}
	default:
		o.Langs = []string{"fr", "en"}
	}
	return o
}

// start runs the export and then the verification, showing progress in a dialog.
func (e *exportDialog) start() {
	u := e.u
	u.a.Preferences().SetString(prefExportDir, e.dir)
	ctx, cancel := context.WithCancel(context.Background())
	e.cancel = cancel
	c, dir, keyDir, opt := u.c, e.dir, u.keyDir(), e.options()
	e.steps, e.step = exportSteps(opt), 0
	e.progress = widget.NewProgressBarInfinite()
	e.stage = widget.NewLabel(lang.L("Preparing…"))
	stop := widget.NewButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), cancel)
	e.running = dialog.NewCustomWithoutButtons(lang.L("Exporting the evidence bundle"),
		container.NewVBox(e.stage, e.progress, container.NewCenter(stop)), u.w)
	e.running.Resize(fyne.NewSize(480, 160))
	e.running.Show()
	progress := throttle(func(stage string, frac float64) {
		e.stage.SetText(e.stageText(stage, frac))
	})
	u.jobs.run(ctx, func(ctx context.Context) error {
		out, err := u.be.export(ctx, c, dir, keyDir, opt, progress)
		e.out = out // its Cleanup, even when the export failed
		if err != nil {
			return err
		}
		e.out = out
		progress("verify", 0)
		// The bag folder is verified; a ZIP beside it holds the same files.
		e.result, err = u.be.verify(ctx, out.Bag)
		return err
	}, func(err error) {
		cancel()
		e.err = err
		e.progress.Stop()
		e.running.Hide()
		if err != nil {
			if note := cleanupText(e.out.Cleanup); note != "" && !errors.Is(err, context.Canceled) {
				err = fmt.Errorf("%w\n\n%s", err, note)
			}
			u.showError(err)
			return
		}
		e.showResult()
	})
}

// showResult tells whether the bundle verified and offers to open its folder.
func (e *exportDialog) showResult() {
	u := e.u
	var msg string
	switch {
	case e.result.OK && e.result.Signed:
		msg = lang.L("The bundle was written and verified: every file matches its checksum and the signature is valid.") +
			"\n" + lang.L("Signed with key {{.Key}}", map[string]any{"Key": e.result.Signer})
	case e.result.OK:
		msg = lang.L("The bundle was written and verified: every file matches its checksum. It is not signed.")
	default:
		probs := e.result.Problems
		if len(probs) > 12 {
			probs = append(probs[:12:12], lang.L("… and {{.N}} more", map[string]any{"N": len(e.result.Problems) - 12}))
		}
		msg = lang.L("The bundle was written but does NOT verify:") + "\n" + strings.Join(probs, "\n")
	}
	l := widget.NewLabel(msg)
	l.Wrapping = fyne.TextWrapWord
	path := widget.NewLabel(e.out.Bag)
	path.Wrapping = fyne.TextWrapBreak
	box := container.NewVBox(l, path)
	if e.out.Zip != "" {
		z := widget.NewLabel(lang.L("A ZIP file of the bundle, to send, was written next to the folder: {{.Name}}", map[string]any{"Name": filepath.Base(e.out.Zip)}))
		z.Wrapping = fyne.TextWrapWord
		box.Add(z)
	}
	if note := cleanupText(e.out.Cleanup); note != "" {
		c := widget.NewLabel(note)
		c.Wrapping = fyne.TextWrapWord
		box.Add(c)
	}
	open := widget.NewButtonWithIcon(lang.L("Open the folder"), theme.FolderOpenIcon(), func() {
		dir := e.out.Bag
		if e.out.Zip != "" {
			dir = filepath.Dir(e.out.Zip) // where both the folder and the ZIP are
		}
		if uu, err := url.Parse(storage.NewFileURI(dir).String()); err == nil {
			if err := u.a.OpenURL(uu); err != nil {
				u.showError(err)
			}
		}
	})
	title := lang.L("Bundle verified")
	if !e.result.OK {
		title = lang.L("Bundle does not verify")
	}
	box.Add(open)
	d := dialog.NewCustom(title, lang.L("Close"), box, u.w)
	d.Resize(fyne.NewSize(560, 260))
	d.Show()
	u.a.SendNotification(fyne.NewNotification("Raidtrace", title))
}

// cleanupText says what the export removed from the folder before writing: the partial bundles
// interrupted exports had left there, and those it could not remove; "" when there were none.
func cleanupText(c evidence.Cleanup) string {
	var lines []string
	if c.Removed > 0 {
		lines = append(lines, lang.N("Before writing, {{.N}} partial bundles left in the folder by interrupted exports were removed ({{.Size}}).",
			c.Removed, map[string]any{"N": c.Removed, "Size": sizeText(c.Bytes)}))
	}
	for _, err := range c.Failed {
		lines = append(lines, lang.L("A partial bundle left by an interrupted export could not be removed: {{.Err}}", map[string]any{"Err": err.Error()}))
	}
	return strings.Join(lines, "\n")
}

// sizeText writes n bytes as "1,5 MiB" (the language's decimal separator), "12 KiB" or "100 bytes".
func sizeText(n int64) string {
	switch {
	case n >= 1<<30:
		return lang.L("{{.N}} GiB", map[string]any{"N": decimal(float64(n)/(1<<30), 1)})
	case n >= 1<<20:
		return lang.L("{{.N}} MiB", map[string]any{"N": decimal(float64(n)/(1<<20), 1)})
	case n >= 1<<10:
		return lang.L("{{.N}} KiB", map[string]any{"N": decimal(float64(n)/(1<<10), 1)})
	}
	return lang.N("{{.N}} bytes", int(n), map[string]any{"N": n})
}
