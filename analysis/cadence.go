package analysis

import (
	"math"
	"slices"
	"time"
)

// Cadence describes the regularity of the intervals between successive messages of one sender,
// channel or cluster.
type Cadence struct {
	Scope      string  `json:"scope"` // "sender", "channel" or "cluster"
	Key        string  `json:"key"`   // sender key, channel name or cluster template
	Intervals  int     `json:"intervals"`
	MeanSec    float64 `json:"mean_s"`
	CV         float64 `json:"cv"`         // standard deviation over mean; near 0 is clockwork
	Burstiness float64 `json:"burstiness"` // (σ−μ)/(σ+μ): −1 periodic, 0 random (Poisson), near 1 bursty
	// MachineLike is set when there are at least Params.CadenceMin intervals and CV is below
	// Params.MachineCV: a rhythm people rarely keep.
	MachineLike bool `json:"machine_like"`
}

// RegularRun is a stretch of a channel where Params.RegularRun or more successive intervals stay
// almost equal (CV below Params.MachineCV), as with donations arriving at a constant rhythm.
type RegularRun struct {
	Channel  string    `json:"channel"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Messages int       `json:"messages"`
	MeanSec  float64   `json:"mean_s"`
	CV       float64   `json:"cv"`
}

// Rhythm measures the intervals between sorted times. minIntervals and machineCV decide
// MachineLike.
func Rhythm(times []time.Time, minIntervals int, machineCV float64) Cadence {
	var c Cadence
	if len(times) < 2 {
		return c
	}
	mean, sd := intervalStats(times)
	c.Intervals = len(times) - 1
	c.MeanSec = round3(mean)
	if mean > 0 {
		c.CV = round3(sd / mean)
	}
	if sd+mean > 0 {
		c.Burstiness = round3((sd - mean) / (sd + mean))
	}
	c.MachineLike = c.Intervals >= minIntervals && mean > 0 && sd/mean < machineCV
	return c
}

// intervalStats returns the mean and standard deviation (seconds) of successive intervals.
func intervalStats(times []time.Time) (float64, float64) {
	n := float64(len(times) - 1)
	var sum float64
	for i := 1; i < len(times); i++ {
		sum += times[i].Sub(times[i-1]).Seconds()
	}
	mean := sum / n
	var ss float64
	for i := 1; i < len(times); i++ {
		d := times[i].Sub(times[i-1]).Seconds() - mean
		ss += d * d
	}
	return mean, math.Sqrt(ss / n)
}

// cadence fills each cluster's cadence and the result's channel and machine-like sender
// cadences and regular runs.
func (a *run) cadence(res *Result, clusters []Cluster) {
	p := a.p
	for ci := range clusters {
		c := &clusters[ci]
		c.Cadence = Rhythm(memberTimes(a.msgs, c.Members), p.CadenceMin, p.MachineCV)
		c.Cadence.Scope, c.Cadence.Key = "cluster", c.Template
	}
	byChan := a.chanTimes                // sorted
	bySender := map[string][]time.Time{} // only senders with enough messages to judge
	for m, t := range a.msgText {
		tm := a.msgs[m].Time
		if t < 0 || tm.IsZero() {
			continue
		}
		if id := a.sid[m]; int(a.sentCount[id]) > p.CadenceMin {
			bySender[a.senders[id]] = append(bySender[a.senders[id]], tm)
		}
	}
	for _, ch := range sortedKeys(byChan) {
		ts := byChan[ch]
		c := Rhythm(ts, p.CadenceMin, p.MachineCV)
		c.Scope, c.Key = "channel", ch
		res.Cadence = append(res.Cadence, c)
		res.RegularRuns = append(res.RegularRuns, regularRuns(ch, ts, p)...)
	}
	for _, s := range sortedKeys(bySender) {
		ts := bySender[s]
		if len(ts) <= p.CadenceMin {
			continue
		}
		slices.SortFunc(ts, time.Time.Compare)
		if c := Rhythm(ts, p.CadenceMin, p.MachineCV); c.MachineLike {
			c.Scope, c.Key = "sender", s
			res.Cadence = append(res.Cadence, c)
		}
	}
}

// regularRuns finds maximal stretches where every window of RegularRun successive intervals has a
// CV below MachineCV.
func regularRuns(ch string, ts []time.Time, p *Params) []RegularRun {
	k := p.RegularRun
	if len(ts) <= k {
		return nil
	}
	d := make([]float64, len(ts)-1) // intervals in seconds
	for i := range d {
		d[i] = ts[i+1].Sub(ts[i]).Seconds()
	}
	stats := func(w []float64) (float64, float64) {
		var sum float64
		for _, x := range w {
			sum += x
		}
		mean := sum / float64(len(w))
		var ss float64
		for _, x := range w {
			ss += (x - mean) * (x - mean)
		}
		return mean, math.Sqrt(ss / float64(len(w)))
	}
	var out []RegularRun
	runStart, runEnd := -1, -1 // message indexes
	flush := func() {
		if runStart < 0 {
			return
		}
		mean, sd := stats(d[runStart:runEnd])
		out = append(out, RegularRun{Channel: ch, Start: ts[runStart], End: ts[runEnd], Messages: runEnd - runStart + 1, MeanSec: round3(mean), CV: round3(sd / mean)})
		runStart, runEnd = -1, -1
	}
	for i := 0; i+k < len(ts); i++ {
		if mean, sd := stats(d[i : i+k]); mean > 0 && sd/mean < p.MachineCV {
			if runStart >= 0 && i <= runEnd {
				runEnd = i + k
			} else {
				flush()
				runStart, runEnd = i, i+k
			}
		}
	}
	flush()
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func sortInts(s []int)        { slices.Sort(s) }
func sortTimes(s []time.Time) { slices.SortFunc(s, time.Time.Compare) }
func sortEntries(s []DossierEntry) {
	slices.SortStableFunc(s, func(a, b DossierEntry) int {
		if c := a.Time.Compare(b.Time); c != 0 {
			return c
		}
		return a.Message - b.Message
	})
}
