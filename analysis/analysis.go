// Package analysis finds raids in a set of messages: it normalises texts, groups near-identical
// messages sent by many senders, and describes each group in time and by sender.
//
// It is pure computation: no I/O, no database, no GUI, no clock and no randomness that is not
// seeded from [Params]. The same messages and parameters always give the same result, so a third
// party can re-run an analysis from a bundle and get the same clusters.
package analysis

import (
	"context"
	"time"
)

// Version names the analysis method; it is recorded with every result.
const Version = "raidtrace-analysis/0.1"

// Message is the analysis view of one stored message. Index positions in the input slice are the
// message's identity inside a [Result].
type Message struct {
	Time     time.Time // UTC; zero when unknown (such messages are clustered but not timed)
	Sender   string    // sender key (E.164, platform id, handle…)
	Text     string    // verbatim text
	Channel  string    // platform or channel name, for per-channel rates
	Outgoing bool      // sent by the case owner: never a raid member
	Skip     bool      // not a message to cluster (reactions, system lines)
}

// Params are every setting of an analysis; they are stored with the result and printed in the
// report.
type Params struct {
	Version    string `json:"version"`
	MinSenders int    `json:"min_senders"` // a cluster needs this many distinct senders
	MinSize    int    `json:"min_size"`    // and this many messages
}

// DefaultParams returns the parameters used unless the user changes them.
func DefaultParams() Params {
	return Params{Version: Version, MinSenders: 2, MinSize: 2}
}

// Cluster is a group of near-identical messages from several senders.
type Cluster struct {
	ID       int       `json:"id"`       // 1-based, in ranking order
	Members  []int     `json:"members"`  // indexes into the input, in time order
	Template string    `json:"template"` // the shared text, verbatim from the most common variant
	Size     int       `json:"size"`
	Senders  int       `json:"senders"` // distinct senders
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Score    float64   `json:"score"` // ranking score; higher is more raid-like
}

// Result is the outcome of [Analyze].
type Result struct {
	Params   Params    `json:"params"`
	Clusters []Cluster `json:"clusters"`
}

// Progress receives the stage name and a fraction in [0, 1]; it may be nil.
type Progress func(stage string, fraction float64)

// Analyze clusters msgs with p and describes each cluster.
func Analyze(ctx context.Context, msgs []Message, p Params, progress Progress) (*Result, error) {
	if p.Version == "" {
		p.Version = Version
	}
	if progress == nil {
		progress = func(string, float64) {}
	}
	progress("cluster", 0)
	groups := map[string][]int{}
	var order []string
	for i, m := range msgs {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if m.Outgoing || m.Skip {
			continue
		}
		k := Normalize(m.Text)
		if k == "" {
			continue
		}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], i)
	}
	res := &Result{Params: p}
	for _, k := range order {
		c := describe(msgs, groups[k])
		if c.Size >= p.MinSize && c.Senders >= p.MinSenders {
			res.Clusters = append(res.Clusters, c)
		}
	}
	rank(res.Clusters)
	progress("cluster", 1)
	return res, nil
}
