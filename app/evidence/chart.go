package evidence

import (
	"math"
	"time"
)

// chartSpec is one timeline chart as both reports draw it (SVG in the HTML, vector in the PDF):
// a bar per interval, grey for every message received and red for those in a raid; under the
// bars, one lane per raid with its window and its number in the left margin, so that windows
// that overlap or start minutes apart stay apart; time ticks under the axis.
type chartSpec struct {
	ID    string // "timeline", "timeline-raids"
	TL    Timeline
	Lanes []chartLane
	Ticks []chartTick
}

type chartLane struct {
	ID            int
	Start, End    time.Time
	Size, Senders int
}

type chartTick struct {
	At    time.Time
	Label string
}

// End is the end of the last interval.
func (c *chartSpec) End() time.Time { return c.TL.Start.Add(time.Duration(len(c.TL.All)) * c.TL.Width) }

// Peak is the highest bar, at least 1.
func (c *chartSpec) Peak() int {
	p := 1
	for _, v := range c.TL.All {
		p = max(p, v)
	}
	return p
}

// frac is where t falls on the time axis, from 0 (start) to 1 (end), clamped.
func (c *chartSpec) frac(t time.Time) float64 {
	span := c.End().Sub(c.TL.Start)
	if span <= 0 {
		return 0
	}
	return min(max(float64(t.Sub(c.TL.Start))/float64(span), 0), 1)
}

// charts are the report's timeline charts: the whole case, and, when the raids take up a small
// part of it, their period in finer intervals (nil otherwise).
func (m *Model) charts() (all chartSpec, zoom *chartSpec) {
	all = m.chart("timeline", m.Timeline)
	rt := m.RaidTimeline
	if len(rt.All) == 0 || len(m.Timeline.All) == 0 || rt.Width >= m.Timeline.Width {
		return all, nil
	}
	span := func(tl Timeline) time.Duration { return time.Duration(len(tl.All)) * tl.Width }
	if span(rt)*4 > span(m.Timeline) {
		return all, nil // the raids fill the chart already
	}
	z := m.chart("timeline-raids", rt)
	return all, &z
}

func (m *Model) chart(id string, tl Timeline) chartSpec {
	c := chartSpec{ID: id, TL: tl}
	for _, r := range m.Raids {
		if !r.Start.IsZero() && !r.End.IsZero() {
			c.Lanes = append(c.Lanes, chartLane{ID: r.ID, Start: r.Start, End: r.End, Size: r.Size, Senders: r.Senders})
		}
	}
	c.Ticks = chartTicks(tl.Start, c.End())
	return c
}

var tickSteps = []time.Duration{time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute,
	30 * time.Minute, time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
	2 * 24 * time.Hour, 7 * 24 * time.Hour, 14 * 24 * time.Hour, 28 * 24 * time.Hour}

// maxTicks is the most time ticks of a chart: their labels (11 characters at most) then never
// touch on the narrower chart, the PDF's.
const maxTicks = 7

// chartTicks are round times from start to end, at most maxTicks of them: dates when a step is
// a day or more, else hours (with the day when the chart spans more than one).
func chartTicks(start, end time.Time) []chartTick {
	span := end.Sub(start)
	if span <= 0 {
		return nil
	}
	step := tickSteps[len(tickSteps)-1]
	for _, s := range tickSteps {
		if span/s <= maxTicks {
			step = s
			break
		}
	}
	for span/step > maxTicks {
		step *= 2
	}
	layout := "15:04"
	switch {
	case step >= 24*time.Hour:
		layout = "2006-01-02"
	case span > 24*time.Hour:
		layout = "01-02 15:04"
	}
	var out []chartTick
	t := start.UTC().Truncate(step)
	if t.Before(start) {
		t = t.Add(step)
	}
	for ; !t.After(end); t = t.Add(step) {
		out = append(out, chartTick{At: t, Label: t.UTC().Format(layout)})
	}
	return out
}

// laneLabelEvery is how often the lanes of a chart are numbered so that no two numbers touch:
// every lane when a lane is as tall as the text, else every k-th.
func laneLabelEvery(laneH, textH float64) int {
	if laneH <= 0 {
		return 1
	}
	return max(1, int(math.Ceil(textH/laneH-1e-9)))
}

// chartRange is the chart's time span as the caption gives it, to the minute.
func chartRange(c *chartSpec) (string, string) {
	const layout = "2006-01-02 15:04"
	return c.TL.Start.UTC().Format(layout), c.End().UTC().Format(layout)
}
