// Package analysis finds raids in a set of messages: it normalises texts, groups near-identical
// messages sent by many senders, and describes each group in time and by sender.
//
// # What it computes
//
//   - [Normalize] and [NormalizeDetail]: the comparison form of a text (evasions undone) and the
//     URLs, mentions, hashtags and numbers taken out of it.
//   - [Analyze]: near-duplicate clusters (exact groups after normalisation, then MinHash + LSH over
//     character shingles, verified against each cluster's centre), each with its template, every
//     member's variant and difference, peaks, raid window, bursts against the channel's normal
//     rate, sender facts and, per member, how many messages of the cluster had already arrived;
//     plus channel bursts, machine-like rhythms, co-links and co-hashtags, the sender network and
//     lexicon triage suggestions.
//   - [Dossier]: one sender's messages and, for each, what had already arrived when they sent it.
//   - [Rhythm] and [Damage]: helpers the report uses.
//
// # What it must not do
//
// It is pure computation: no I/O (except reading its lexicons from the embedded assets), no
// database, no GUI, no clock and no randomness that is not seeded from [Params]. The same messages
// and parameters always give the same result, whatever the number of workers, so a third party
// can re-run an analysis from a bundle and get the same clusters. Its triage output is a
// suggestion for a reviewer, never a verdict; its clusters show facts, not proof of concert.
package analysis

import (
	"context"
	"fmt"
	"runtime"
	"time"
)

// Version names the analysis method; it is recorded with every result.
const Version = "raidtrace-analysis/0.3"

// Message is the analysis view of one stored message. Index positions in the input slice are the
// message's identity inside a [Result].
type Message struct {
	Time     time.Time // UTC; zero when unknown (such messages are clustered but not timed)
	Sender   string    // sender key (E.164, platform id, handle…)
	Text     string    // verbatim text
	Channel  string    // platform or channel name, for per-channel rates
	Outgoing bool      // sent by the case owner: never a raid member
	Skip     bool      // not a message to cluster (reactions, system lines)
	Name     string    // sender's display or contact name when known (templated and duplicated names)
	Media    []string  // content hashes (SHA-256 hex) of attachments, for co-media signals
}

// Threshold is the Jaccard similarity of character-shingle sets that two texts must reach when the
// shorter has at most MaxShingles shingles (0: any length).
type Threshold struct {
	MaxShingles int     `json:"max_shingles"`
	Jaccard     float64 `json:"jaccard"`
}

// Params are every setting of an analysis; they are stored with the result and printed in the
// report. Zero fields take their [DefaultParams] value, so results stored by an older version
// still re-run.
type Params struct {
	Version    string `json:"version"`     // set by Analyze to the Version that ran
	MinSenders int    `json:"min_senders"` // a cluster needs this many distinct senders
	MinSize    int    `json:"min_size"`    // and this many messages

	// Near-duplicate clustering.
	Seed          uint64      `json:"seed"`           // seeds the MinHash permutations
	Shingle       int         `json:"shingle"`        // character shingle length (bytes of the normalised text, 1–8)
	Bands         int         `json:"bands"`          // LSH bands
	Rows          int         `json:"rows"`           // MinHash values per band
	EstimateSlack float64     `json:"estimate_slack"` // candidates are joined when the MinHash estimate reaches threshold − slack
	Thresholds    []Threshold `json:"thresholds"`     // verified Jaccard by length, shortest first
	MaxLeaders    int         `json:"max_leaders"`    // most cluster centres a text is compared with
	MinChars      int         `json:"min_chars"`      // texts with fewer letters, digits and emoji are never clustered
	ShortChars    int         `json:"short_chars"`    // a cluster whose template has fewer must be concentrated in time:
	ShortShare    float64     `json:"short_share"`    // at least this share of its messages
	ShortWindow   int         `json:"short_window_s"` // within this many seconds

	// Time.
	BurstWindow   int     `json:"burst_window_s"`  // windowed Poisson test: window length in seconds
	BurstMinLog10 float64 `json:"burst_min_log10"` // a window is a burst when −log10 of the Poisson tail bound reaches this
	BurstMinCount int     `json:"burst_min_count"` // and it holds at least this many messages

	// Cadence.
	CadenceMin int     `json:"cadence_min"` // intervals needed to judge a rhythm
	MachineCV  float64 `json:"machine_cv"`  // coefficient of variation below which a rhythm is machine-like
	RegularRun int     `json:"regular_run"` // consecutive intervals of a regular run in a stream

	// Co-links, co-hashtags, co-mentions.
	CoWindow     int `json:"co_window_s"`    // seconds
	CoMinSenders int `json:"co_min_senders"` // distinct senders within CoWindow

	// Sender network.
	NetworkMinShared int `json:"network_min_shared"` // clusters two senders must share for an edge
	MaxEdges         int `json:"max_edges"`          // strongest edges kept

	// Workers is how many goroutines may run; 0 means GOMAXPROCS. It never changes the result.
	Workers int `json:"-"`
}

// DefaultParams returns the parameters used unless the user changes them.
func DefaultParams() Params {
	return Params{
		Version: Version, MinSenders: 2, MinSize: 2,
		Seed: 0x5261696474726163, Shingle: 3, Bands: 20, Rows: 3, EstimateSlack: 0.1,
		Thresholds: []Threshold{{MaxShingles: 12, Jaccard: 0.8}, {MaxShingles: 30, Jaccard: 0.62}, {MaxShingles: 0, Jaccard: 0.5}},
		MaxLeaders: 64, MinChars: 4, ShortChars: 16, ShortShare: 0.5, ShortWindow: 3600,
		BurstWindow: 600, BurstMinLog10: 6, BurstMinCount: 5,
		CadenceMin: 5, MachineCV: 0.1, RegularRun: 10,
		CoWindow: 3600, CoMinSenders: 5,
		NetworkMinShared: 2, MaxEdges: 10000,
	}
}

func (p *Params) fill() error {
	d := DefaultParams()
	p.Version = Version // the method that actually runs
	set := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	setf := func(v *float64, def float64) {
		if *v <= 0 {
			*v = def
		}
	}
	set(&p.MinSenders, d.MinSenders)
	set(&p.MinSize, d.MinSize)
	if p.Seed == 0 {
		p.Seed = d.Seed
	}
	set(&p.Shingle, d.Shingle)
	set(&p.Bands, d.Bands)
	set(&p.Rows, d.Rows)
	setf(&p.EstimateSlack, d.EstimateSlack)
	if len(p.Thresholds) == 0 {
		p.Thresholds = d.Thresholds
	}
	set(&p.MaxLeaders, d.MaxLeaders)
	set(&p.MinChars, d.MinChars)
	set(&p.ShortChars, d.ShortChars)
	setf(&p.ShortShare, d.ShortShare)
	set(&p.ShortWindow, d.ShortWindow)
	set(&p.BurstWindow, d.BurstWindow)
	setf(&p.BurstMinLog10, d.BurstMinLog10)
	set(&p.BurstMinCount, d.BurstMinCount)
	set(&p.CadenceMin, d.CadenceMin)
	setf(&p.MachineCV, d.MachineCV)
	set(&p.RegularRun, d.RegularRun)
	set(&p.CoWindow, d.CoWindow)
	set(&p.CoMinSenders, d.CoMinSenders)
	set(&p.NetworkMinShared, d.NetworkMinShared)
	set(&p.MaxEdges, d.MaxEdges)
	if p.Shingle > 8 {
		return fmt.Errorf("analysis: shingle length %d: at most 8", p.Shingle)
	}
	return nil
}

func (p *Params) workers() int {
	if p.Workers > 0 {
		return p.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// Cluster is a group of near-identical messages from several senders.
type Cluster struct {
	ID       int       `json:"id"`       // 1-based, in ranking order
	Members  []int     `json:"members"`  // indexes into the input, in time order (unknown times first)
	Template string    `json:"template"` // the shared text, verbatim from the most common variant
	Size     int       `json:"size"`
	Senders  int       `json:"senders"` // distinct senders
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Score    float64   `json:"score"` // ranking score; higher is more raid-like

	// Normalised is the template's comparison form.
	Normalised string `json:"normalised"`
	// Variants are the distinct normalised texts of the cluster, the template's first.
	Variants []Variant `json:"variants"`
	// MemberVariant[k] is the index in Variants of Members[k].
	MemberVariant []int `json:"member_variant"`
	// SeenBefore[k] is how many messages of this cluster had arrived strictly before Members[k]
	// (−1 when its time is unknown): the repetition its sender could see.
	SeenBefore []int `json:"seen_before"`
	// Short is true when the template is short; such a cluster was kept only because its messages
	// are concentrated in time (Params.ShortShare within Params.ShortWindow).
	Short bool `json:"short,omitempty"`

	Channel       string     `json:"channel"`         // most common channel of the members
	PeakPerMinute int        `json:"peak_per_minute"` // most messages within any 60 s
	Peak10Min     int        `json:"peak_10min"`
	Peak1Hour     int        `json:"peak_1hour"`
	Window        RaidWindow `json:"window"`
	Bursts        []Burst    `json:"bursts,omitempty"` // against the channel's normal rate
	BurstStrength float64    `json:"burst_strength"`   // log10 of the strongest window's rate over the normal rate, ≥ 0

	OneShot           int            `json:"one_shot"`           // senders whose only message in the case is in this cluster
	SharedSenders     int            `json:"shared_senders"`     // senders also in another cluster
	SequentialSenders int            `json:"sequential_senders"` // phone-number senders in runs of ≥ 3 consecutive numbers
	NumberBlocks      []NumberBlock  `json:"number_blocks,omitempty"`
	NamePatterns      []NamePattern  `json:"name_patterns,omitempty"`
	Cadence           Cadence        `json:"cadence"`
	Triage            map[string]int `json:"triage,omitempty"` // messages per triage category (suggestions)
}

// Variant is one distinct normalised text of a cluster.
type Variant struct {
	Text       string  `json:"text"`       // normalised
	Example    string  `json:"example"`    // verbatim text of its earliest message
	Count      int     `json:"count"`      // messages
	Similarity float64 `json:"similarity"` // Jaccard of shingle sets with the template (1 for the template)
	// Diff lists, in order, the normalised words removed from ("-word") and added to ("+word")
	// the template's normalised text; empty for the template itself.
	Diff []string `json:"diff,omitempty"`
}

// RaidWindow bounds a cluster in time: Start and End hold the middle 90 % of its messages (5th and
// 95th percentiles), Peak starts the busiest minute.
type RaidWindow struct {
	Start time.Time `json:"start"`
	Peak  time.Time `json:"peak"`
	End   time.Time `json:"end"`
}

// Burst is a run of windows whose message count the channel's normal rate makes very unlikely
// (windowed Poisson test, Chernoff bound of the upper tail).
type Burst struct {
	Channel  string    `json:"channel"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Messages int       `json:"messages"`
	Expected float64   `json:"expected"` // messages the normal rate predicts over the same time
	Log10P   float64   `json:"log10p"`   // −log10 of the tail bound; higher is less likely by chance
}

// NumberBlock is a block of phone numbers sharing all but their last three digits.
type NumberBlock struct {
	Prefix  string `json:"prefix"`
	Senders int    `json:"senders"`
}

// NamePattern is a sender-name skeleton (digits as "#", "user#####") shared by several senders.
type NamePattern struct {
	Pattern string `json:"pattern"`
	Senders int    `json:"senders"`
}

// ChannelStats is one channel's volume and normal rate.
type ChannelStats struct {
	Channel       string  `json:"channel"`
	Messages      int     `json:"messages"`        // incoming messages analysed
	Clustered     int     `json:"clustered"`       // of which in a cluster
	NormalPerHour float64 `json:"normal_per_hour"` // rate of the unclustered messages: the baseline of burst tests
}

// Result is the outcome of [Analyze].
type Result struct {
	Params   Params    `json:"params"`
	Clusters []Cluster `json:"clusters"`

	Messages  int `json:"messages"`  // input messages
	Analysed  int `json:"analysed"`  // not outgoing, not skipped, not empty
	Distinct  int `json:"distinct"`  // distinct normalised texts
	Clustered int `json:"clustered"` // messages in a cluster

	Channels      []ChannelStats `json:"channels"`
	ChannelBursts []Burst        `json:"channel_bursts,omitempty"`
	Cadence       []Cadence      `json:"cadence,omitempty"`      // every channel, and senders with a machine-like rhythm
	RegularRuns   []RegularRun   `json:"regular_runs,omitempty"` // machine-like stretches in a channel
	CoSignals     []CoSignal     `json:"co_signals,omitempty"`
	Network       []Edge         `json:"network,omitempty"`
	DupNames      []DupName      `json:"duplicate_names,omitempty"`
	// Flags are lexicon triage suggestions, by message index. They are a reviewer's starting
	// point, never a verdict.
	Flags []Flag `json:"flags,omitempty"`
}

// Progress receives the stage name and a fraction in [0, 1]; it may be nil.
type Progress func(stage string, fraction float64)

// Damage estimates the cost of handling n messages at unitCost each (e.g. 0.16 EUR per SMS).
func Damage(n int, unitCost float64) float64 { return float64(n) * unitCost }

// Raid reports whether cluster c of r is what the key figures call a raid: it arrived in a burst
// of its own against its channel's normal rate, or its core window (Window, the middle 90 % of
// its messages) lies mostly within bursts of its channel, as a handful of threats sent by
// different senders during a raid evening does. A text that contacts repeat slowly over days (a
// greeting, "ok") is not a raid.
func (r *Result) Raid(c *Cluster) bool {
	if len(c.Bursts) > 0 {
		return true
	}
	s, e := c.Window.Start, c.Window.End
	if s.IsZero() || e.IsZero() {
		s, e = c.Start, c.End
	}
	if s.IsZero() {
		return false
	}
	var in time.Duration
	for _, b := range r.ChannelBursts {
		if b.Channel != c.Channel {
			continue
		}
		if s.Equal(e) && !s.Before(b.Start) && s.Before(b.End) {
			return true
		}
		lo, hi := maxTime(s, b.Start), minTime(e, b.End)
		if hi.After(lo) {
			in += hi.Sub(lo)
		}
	}
	return e.After(s) && 2*in >= e.Sub(s)
}

// RaidMessages is the number of messages in the raids of r (see [Result.Raid]), the count the
// damage estimate multiplies.
func (r *Result) RaidMessages() int {
	n := 0
	for i := range r.Clusters {
		if r.Raid(&r.Clusters[i]) {
			n += r.Clusters[i].Size
		}
	}
	return n
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// Analyze clusters msgs with p and describes each cluster. It returns ctx's error if cancelled.
func Analyze(ctx context.Context, msgs []Message, p Params, progress Progress) (*Result, error) {
	if err := p.fill(); err != nil {
		return nil, err
	}
	if progress == nil {
		progress = func(string, float64) {}
	}
	a := &run{ctx: ctx, msgs: msgs, p: &p, progress: progress}
	res, err := a.do()
	if err != nil {
		return nil, fmt.Errorf("analysis: %w", err)
	}
	return res, nil
}
