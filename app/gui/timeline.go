package gui

import (
	"image/color"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// histogram is messages counted per time bucket.
type histogram struct {
	start  time.Time
	unit   time.Duration
	counts []int
	marks  [][2]int // bucket ranges [from, to] to highlight (raid windows)
}

// maxBuckets bounds a histogram; beyond it the unit grows.
const maxBuckets = 2000

// bucketize counts times in [from, to] by unit, and marks the windows. Days start at midnight
// in loc.
func bucketize(times func(yield func(time.Time) bool), from, to time.Time, unit time.Duration, windows [][2]time.Time, loc *time.Location) histogram {
	align := func() {
		if unit >= 24*time.Hour && loc != nil {
			l := from.In(loc)
			from = time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
		} else {
			from = from.Truncate(unit)
		}
	}
	align()
	n := int(to.Sub(from)/unit) + 1
	for n > maxBuckets {
		unit *= 2
		align()
		n = int(to.Sub(from)/unit) + 1
	}
	if n < 1 {
		n = 1
	}
	h := histogram{start: from, unit: unit, counts: make([]int, n)}
	times(func(t time.Time) bool {
		if t.IsZero() || t.Before(from) || t.After(to) {
			return true
		}
		if i := int(t.Sub(from) / unit); i < n {
			h.counts[i]++
		}
		return true
	})
	for _, w := range windows {
		if w[1].Before(from) || w[0].After(to) {
			continue
		}
		a := max(0, int(w[0].Sub(from)/unit))
		b := min(n-1, int(w[1].Sub(from)/unit))
		h.marks = append(h.marks, [2]int{a, b})
	}
	// Merge overlapping marks so that shades do not stack.
	slices.SortFunc(h.marks, func(x, y [2]int) int { return x[0] - y[0] })
	merged := h.marks[:0]
	for _, m := range h.marks {
		if k := len(merged) - 1; k >= 0 && m[0] <= merged[k][1]+1 {
			merged[k][1] = max(merged[k][1], m[1])
			continue
		}
		merged = append(merged, m)
	}
	h.marks = merged
	return h
}

// timeline draws a histogram with canvas rectangles: one bar per bucket (buckets merge when
// there are more than pixels), raid windows shaded behind, first and last time under the axis.
type timeline struct {
	widget.BaseWidget
	h   histogram
	loc *time.Location
	// OnTapped, when set, receives the middle of the bucket under the pointer.
	OnTapped func(at time.Time)
}

var _ fyne.Tappable = (*timeline)(nil)

// Tapped reports the time under the pointer.
func (t *timeline) Tapped(ev *fyne.PointEvent) {
	if t.OnTapped == nil || len(t.h.counts) == 0 || t.Size().Width <= 0 {
		return
	}
	k := int(ev.Position.X / t.Size().Width * float32(len(t.h.counts)))
	k = min(max(k, 0), len(t.h.counts)-1)
	t.OnTapped(t.h.start.Add(time.Duration(k)*t.h.unit + t.h.unit/2))
}

func newTimeline(h histogram, loc *time.Location) *timeline {
	t := &timeline{h: h, loc: loc}
	t.ExtendBaseWidget(t)
	return t
}

func (t *timeline) set(h histogram) {
	t.h = h
	t.Refresh()
}

func (t *timeline) CreateRenderer() fyne.WidgetRenderer {
	r := &timelineRenderer{t: t, axis: canvas.NewLine(color.Black),
		from: canvas.NewText("", color.Black), to: canvas.NewText("", color.Black),
		peak: canvas.NewText("", color.Black)}
	r.refreshColors()
	return r
}

type timelineRenderer struct {
	t              *timeline
	bars, shades   []*canvas.Rectangle
	axis           *canvas.Line
	from, to, peak *canvas.Text
	objects        []fyne.CanvasObject
}

func (r *timelineRenderer) Destroy() {}

func (r *timelineRenderer) MinSize() fyne.Size {
	return fyne.NewSize(200, 120)
}

func (r *timelineRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *timelineRenderer) Refresh() {
	r.refreshColors()
	r.Layout(r.t.Size())
	canvas.Refresh(r.t)
}

func (r *timelineRenderer) refreshColors() {
	th := r.t.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	fg := th.Color(theme.ColorNamePlaceHolder, v)
	r.axis.StrokeColor = fg
	r.axis.StrokeWidth = 1
	for _, tx := range []*canvas.Text{r.from, r.to, r.peak} {
		tx.Color = fg
		tx.TextSize = th.Size(theme.SizeNameCaptionText)
	}
	for _, s := range r.shades {
		s.FillColor = th.Color(colorNameRaid, v)
	}
}

func (r *timelineRenderer) Layout(size fyne.Size) {
	h := r.t.h
	th := r.t.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	textH := th.Size(theme.SizeNameCaptionText) + 4
	plotH := size.Height - textH
	if plotH < 10 {
		plotH = 10
	}
	n := len(h.counts)
	cols := n
	if w := int(size.Width / 2); cols > w && w > 0 {
		cols = w // at least 2 px per bar
	}
	vals := make([]int, cols)
	peak := 0
	for i, c := range h.counts {
		k := 0
		if n > 0 {
			k = i * cols / n
		}
		if k < cols && c > vals[k] {
			vals[k] = c
		}
		peak = max(peak, c)
	}
	for len(r.bars) < cols {
		r.bars = append(r.bars, canvas.NewRectangle(th.Color(theme.ColorNamePrimary, v)))
	}
	r.bars = r.bars[:cols]
	for len(r.shades) < len(h.marks) {
		r.shades = append(r.shades, canvas.NewRectangle(th.Color(colorNameRaid, v)))
	}
	r.shades = r.shades[:len(h.marks)]
	colW := float32(0)
	if cols > 0 {
		colW = size.Width / float32(cols)
	}
	gap := float32(0)
	if colW > 3 {
		gap = 1
	}
	inRaid := make([]bool, cols)
	for _, m := range h.marks {
		for k := m[0] * cols / max(n, 1); k <= m[1]*cols/max(n, 1) && k < cols; k++ {
			inRaid[k] = true
		}
	}
	for k, b := range r.bars {
		if inRaid[k] {
			b.FillColor = th.Color(colorNameRaidBar, v)
		} else {
			b.FillColor = th.Color(theme.ColorNamePrimary, v)
		}
		bh := float32(0)
		if peak > 0 {
			bh = plotH * float32(vals[k]) / float32(peak)
		}
		if vals[k] > 0 && bh < 1 {
			bh = 1
		}
		b.Move(fyne.NewPos(float32(k)*colW, plotH-bh))
		b.Resize(fyne.NewSize(max(colW-gap, 1), bh))
	}
	for i, m := range h.marks {
		x0 := float32(m[0]*cols/max(n, 1)) * colW
		x1 := float32(m[1]*cols/max(n, 1)+1) * colW
		r.shades[i].Move(fyne.NewPos(x0, 0))
		r.shades[i].Resize(fyne.NewSize(max(x1-x0, 2), plotH))
	}
	r.axis.Position1 = fyne.NewPos(0, plotH)
	r.axis.Position2 = fyne.NewPos(size.Width, plotH)
	if n > 0 {
		loc := r.t.loc
		if loc == nil {
			loc = time.UTC
		}
		layout := "2006-01-02 15:04"
		r.from.Text = h.start.In(loc).Format(layout)
		r.to.Text = h.start.Add(time.Duration(n) * h.unit).In(loc).Format(layout)
	}
	r.peak.Text = ""
	if peak > 0 {
		r.peak.Text = lang.L("max {{.N}}", map[string]any{"N": peak})
	}
	for _, tx := range []*canvas.Text{r.from, r.to, r.peak} {
		tx.Resize(tx.MinSize())
	}
	r.from.Move(fyne.NewPos(0, plotH+2))
	r.to.Move(fyne.NewPos(size.Width-r.to.Size().Width, plotH+2))
	r.peak.Move(fyne.NewPos(2, 0))
	objs := make([]fyne.CanvasObject, 0, len(r.shades)+len(r.bars)+4)
	for _, s := range r.shades {
		objs = append(objs, s)
	}
	for _, b := range r.bars {
		objs = append(objs, b)
	}
	r.objects = append(objs, r.axis, r.from, r.to, r.peak)
}
