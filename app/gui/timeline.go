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
// there are more than pixels), raid windows shaded behind. The peak count sits in a strip of its
// own above the bars, never over them; under the axis, time labels at the first and last bucket
// and as many in between as fit without overlapping.
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
	r := &timelineRenderer{t: t, axis: canvas.NewLine(color.Black), peak: canvas.NewText("", color.Black)}
	r.refreshColors()
	return r
}

type timelineRenderer struct {
	t            *timeline
	bars, shades []*canvas.Rectangle
	axis         *canvas.Line
	peak         *canvas.Text
	labels       []*canvas.Text // time labels under the axis, left to right
	ticks        []*canvas.Line // one under the axis at each label's time
	objects      []fyne.CanvasObject
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

func (r *timelineRenderer) textColor() (color.Color, float32) {
	th := r.t.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	return th.Color(theme.ColorNamePlaceHolder, v), th.Size(theme.SizeNameCaptionText)
}

func (r *timelineRenderer) refreshColors() {
	th := r.t.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	fg, size := r.textColor()
	r.axis.StrokeColor = fg
	r.axis.StrokeWidth = 1
	for _, tx := range append([]*canvas.Text{r.peak}, r.labels...) {
		tx.Color = fg
		tx.TextSize = size
	}
	for _, l := range r.ticks {
		l.StrokeColor = fg
	}
	for _, s := range r.shades {
		s.FillColor = th.Color(colorNameRaid, v)
	}
}

// axisFormats are the time layouts of the axis labels for buckets of unit: the first and last
// label, and those in between (which name the day only when it changed since the label before).
func axisFormats(unit time.Duration) (full, short string) {
	if unit >= 24*time.Hour {
		return "2006-01-02", "2006-01-02"
	}
	return "2006-01-02 15:04", "15:04"
}

func (r *timelineRenderer) Layout(size fyne.Size) {
	h := r.t.h
	th := r.t.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	textH := th.Size(theme.SizeNameCaptionText) + 4
	top := textH // the peak label's strip
	plotBottom := size.Height - textH
	if plotBottom-top < 10 {
		plotBottom = top + 10
	}
	plotH := plotBottom - top
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
		b.Move(fyne.NewPos(float32(k)*colW, plotBottom-bh))
		b.Resize(fyne.NewSize(max(colW-gap, 1), bh))
	}
	for i, m := range h.marks {
		x0 := float32(m[0]*cols/max(n, 1)) * colW
		x1 := float32(m[1]*cols/max(n, 1)+1) * colW
		r.shades[i].Move(fyne.NewPos(x0, top))
		r.shades[i].Resize(fyne.NewSize(max(x1-x0, 2), plotH))
	}
	r.axis.Position1 = fyne.NewPos(0, plotBottom)
	r.axis.Position2 = fyne.NewPos(size.Width, plotBottom)

	r.peak.Text = ""
	if peak > 0 {
		r.peak.Text = lang.L("max {{.N}}", map[string]any{"N": countText(peak)})
	}
	r.peak.Resize(r.peak.MinSize())
	r.peak.Move(fyne.NewPos(2, 0))

	r.layoutLabels(size.Width, plotBottom)

	objs := make([]fyne.CanvasObject, 0, len(r.shades)+len(r.bars)+2+2*len(r.labels))
	for _, s := range r.shades {
		objs = append(objs, s)
	}
	for _, b := range r.bars {
		objs = append(objs, b)
	}
	objs = append(objs, r.axis, r.peak)
	for i := range r.labels {
		objs = append(objs, r.ticks[i], r.labels[i])
	}
	r.objects = objs
}

// axisSteps are the round intervals between time labels the axis chooses from.
var axisSteps = []time.Duration{
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour,
	24 * time.Hour, 2 * 24 * time.Hour, 7 * 24 * time.Hour, 14 * 24 * time.Hour, 28 * 24 * time.Hour,
	91 * 24 * time.Hour, 182 * 24 * time.Hour, 364 * 24 * time.Hour,
}

// firstTick is the first time after start that is a round multiple of step in loc: counted from
// midnight for steps under a day, whole days from start's day otherwise.
func firstTick(start time.Time, step time.Duration, loc *time.Location) time.Time {
	if step <= 0 {
		return start
	}
	l := start.In(loc)
	midnight := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	if step >= 24*time.Hour {
		return midnight.AddDate(0, 0, int(step/(24*time.Hour)))
	}
	t := midnight.Add((start.Sub(midnight)/step + 1) * step)
	return t
}

// layoutLabels places the time labels under the axis at y: the first bucket's start at the left
// edge, the end of the last at the right edge, and in between labels at round times, each at
// least a gap from its neighbours.
func (r *timelineRenderer) layoutLabels(width, y float32) {
	h := r.t.h
	n := len(h.counts)
	r.labels, r.ticks = r.labels[:0], r.ticks[:0]
	if n == 0 || width <= 0 {
		return
	}
	loc := r.t.loc
	if loc == nil {
		loc = time.UTC
	}
	fg, size := r.textColor()
	full, short := axisFormats(h.unit)
	text := func(s string) *canvas.Text {
		tx := canvas.NewText(s, fg)
		tx.TextSize = size
		tx.Resize(tx.MinSize())
		return tx
	}
	at := func(k int) time.Time { return h.start.Add(time.Duration(k) * h.unit).In(loc) }
	gap := 2 * r.t.Theme().Size(theme.SizeNamePadding)
	first, last := text(at(0).Format(full)), text(at(n).Format(full))
	slot := max(first.Size().Width, last.Size().Width) + gap // room a label needs, at its widest
	if first.Size().Width+last.Size().Width+gap > width {
		last = nil // too narrow for two: only the start
	}
	place := func(tx *canvas.Text, x, tickX float32) {
		tx.Move(fyne.NewPos(x, y+2))
		tick := canvas.NewLine(fg)
		tick.StrokeWidth = 1
		tick.Position1 = fyne.NewPos(tickX, y)
		tick.Position2 = fyne.NewPos(tickX, y+3)
		r.labels = append(r.labels, tx)
		r.ticks = append(r.ticks, tick)
	}
	place(first, 0, 0)
	if last == nil {
		return
	}
	// Labels in between, at round times (every 15 minutes, 3 hours, day…): the shortest step
	// that leaves each label its room.
	end := at(n)
	span := end.Sub(at(0))
	step := time.Duration(0)
	for _, st := range axisSteps {
		if st >= h.unit && float32(float64(st)/float64(span))*width >= slot {
			step = st
			break
		}
	}
	right := first.Size().Width + gap // where the next label may start
	prevDay := at(0).YearDay()
	for t := firstTick(at(0), step, loc); step > 0 && t.Before(end); t = t.Add(step) {
		x := float32(float64(t.Sub(at(0))) / float64(span) * float64(width))
		layout := short
		if t.YearDay() != prevDay {
			layout = full
		}
		tx := text(t.Format(layout))
		left := x - tx.Size().Width/2
		if left < right || left+tx.Size().Width+gap > width-last.Size().Width {
			continue
		}
		place(tx, left, x)
		right = left + tx.Size().Width + gap
		prevDay = t.YearDay()
	}
	place(last, width-last.Size().Width, width-1)
}
