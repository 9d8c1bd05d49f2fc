package analysis

import (
	"math"
	"slices"
	"sort"
	"time"
)

// peak returns the most times within any window of length w (start inclusive, end exclusive) and
// the start of the first such window. times must be sorted.
func peak(times []time.Time, w time.Duration) (int, time.Time) {
	best, at := 0, time.Time{}
	j := 0
	for i := range times {
		for times[i].Sub(times[j]) >= w {
			j++
		}
		if n := i - j + 1; n > best {
			best, at = n, times[j]
		}
	}
	return best, at
}

// timeStats fills every cluster's times, peaks, window, channel and bursts, and the result's
// channel statistics and channel bursts.
func (a *run) timeStats(res *Result, clusters []Cluster) {
	msgs := a.msgs
	type chanInfo struct {
		times               []time.Time
		messages, clustered int
		first, last         time.Time
	}
	chans := map[string]*chanInfo{}
	var names []string
	for m, t := range a.msgText {
		if t < 0 {
			continue
		}
		ch := msgs[m].Channel
		ci := chans[ch]
		if ci == nil {
			ci = &chanInfo{}
			chans[ch] = ci
			names = append(names, ch)
		}
		ci.messages++
		if a.msgCluster[m] >= 0 {
			ci.clustered++
		}
	}
	sort.Strings(names)
	rate := map[string]float64{} // normal messages per minute
	for _, ch := range names {
		ci := chans[ch]
		ci.times = a.chanTimes[ch]
		minutes := 60.0
		if len(ci.times) > 1 {
			minutes = math.Max(minutes, ci.times[len(ci.times)-1].Sub(ci.times[0]).Minutes())
		}
		r := math.Max(float64(ci.messages-ci.clustered), 1) / minutes
		rate[ch] = r
		res.Channels = append(res.Channels, ChannelStats{Channel: ch, Messages: ci.messages, Clustered: ci.clustered, NormalPerHour: round3(r * 60)})
		res.ChannelBursts = append(res.ChannelBursts, bursts(ch, ci.times, r, a.p)...)
	}
	for ci := range clusters {
		c := &clusters[ci]
		count := map[string]int{}
		for _, m := range c.Members {
			count[msgs[m].Channel]++
		}
		best := -1
		for ch, n := range count {
			if n > best || n == best && ch < c.Channel {
				best, c.Channel = n, ch
			}
		}
		times := memberTimes(msgs, c.Members)
		if len(times) == 0 {
			continue
		}
		c.Start, c.End = times[0], times[len(times)-1]
		c.PeakPerMinute, c.Window.Peak = peak(times, time.Minute)
		c.Peak10Min, _ = peak(times, 10*time.Minute)
		c.Peak1Hour, _ = peak(times, time.Hour)
		c.Window.Start = times[len(times)*5/100]
		c.Window.End = times[(len(times)-1)*95/100]
		c.Bursts = bursts(c.Channel, times, rate[c.Channel], a.p)
		c.BurstStrength = burstStrength(times, rate[c.Channel], a.p)
	}
}

// tailLog10 is −log10 of the Chernoff bound of P(X ≥ k) for X ~ Poisson(mu): 0 when k ≤ mu.
func tailLog10(k int, mu float64) float64 {
	x := float64(k)
	if x <= mu || mu <= 0 {
		return 0
	}
	return (x*math.Log(x/mu) - x + mu) / math.Ln10
}

// windowCounts counts sorted times per window of w seconds aligned on the Unix epoch.
func windowCounts(times []time.Time, w int64) (idx []int64, cnt []int) {
	for _, t := range times {
		b := floorDiv(t.Unix(), w)
		if len(idx) > 0 && idx[len(idx)-1] == b {
			cnt[len(cnt)-1]++
			continue
		}
		idx = append(idx, b)
		cnt = append(cnt, 1)
	}
	return idx, cnt
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// bursts runs the windowed Poisson test over sorted times against perMinute and merges adjacent
// burst windows.
func bursts(channel string, times []time.Time, perMinute float64, p *Params) []Burst {
	w := int64(p.BurstWindow)
	mu := perMinute * float64(w) / 60
	idx, cnt := windowCounts(times, w)
	var out []Burst
	for i := 0; i < len(idx); i++ {
		if cnt[i] < p.BurstMinCount || tailLog10(cnt[i], mu) < p.BurstMinLog10 {
			continue
		}
		j, n := i, cnt[i]
		for j+1 < len(idx) && idx[j+1] == idx[j]+1 && cnt[j+1] >= p.BurstMinCount && tailLog10(cnt[j+1], mu) >= p.BurstMinLog10 {
			j++
			n += cnt[j]
		}
		exp := mu * float64(j-i+1)
		out = append(out, Burst{
			Channel:  channel,
			Start:    time.Unix(idx[i]*w, 0).UTC(),
			End:      time.Unix((idx[j]+1)*w, 0).UTC(),
			Messages: n,
			Expected: round3(exp),
			Log10P:   round3(tailLog10(n, exp)),
		})
		i = j
	}
	return out
}

// burstStrength is log10 of the busiest window's count over the count the normal rate predicts,
// at least 0.
func burstStrength(times []time.Time, perMinute float64, p *Params) float64 {
	n, _ := peak(times, time.Duration(p.BurstWindow)*time.Second)
	mu := perMinute * float64(p.BurstWindow) / 60
	if mu <= 0 || float64(n) <= mu {
		return 0
	}
	return round3(math.Log10(float64(n) / mu))
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// channelTimes returns the known times of the analysed messages of each channel, sorted: both
// the bursts and the cadences read them. Each list is allocated once at its size.
func (a *run) channelTimes() map[string][]time.Time {
	count := map[string]int{}
	for m, t := range a.msgText {
		if t >= 0 && !a.msgs[m].Time.IsZero() {
			count[a.msgs[m].Channel]++
		}
	}
	out := make(map[string][]time.Time, len(count))
	for ch, n := range count {
		out[ch] = make([]time.Time, 0, n)
	}
	for m, t := range a.msgText {
		if tm := a.msgs[m].Time; t >= 0 && !tm.IsZero() {
			ch := a.msgs[m].Channel
			out[ch] = append(out[ch], tm)
		}
	}
	for _, ts := range out {
		slices.SortFunc(ts, time.Time.Compare)
	}
	return out
}
