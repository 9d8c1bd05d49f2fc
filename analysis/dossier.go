package analysis

import (
	"time"
)

// SenderDossier is what the analysis knows about one sender: every analysed message they sent
// and, for those in a cluster, the repetition that was already visible when they sent it.
type SenderDossier struct {
	Sender   string         `json:"sender"`
	Names    []string       `json:"names,omitempty"` // display names seen
	Messages []DossierEntry `json:"messages"`        // in time order
	Clusters []int          `json:"clusters"`        // cluster IDs joined, increasing
	OneShot  bool           `json:"one_shot"`        // a single analysed message in the case
	Cadence  Cadence        `json:"cadence"`
	Flags    map[string]int `json:"flags,omitempty"` // triage suggestions per category
}

// DossierEntry is one message of a dossier.
type DossierEntry struct {
	Message int       `json:"message"` // index into the input
	Time    time.Time `json:"time"`
	Text    string    `json:"text"`              // verbatim
	Cluster int       `json:"cluster,omitempty"` // cluster ID, 0 when in none
	// SeenBefore is how many messages of the cluster had arrived strictly before this one, and
	// SendersBefore from how many distinct other senders (−1 when the time is unknown).
	SeenBefore    int `json:"seen_before"`
	SendersBefore int `json:"senders_before"`
	// WindowBefore is how many analysed messages of the cluster's channel, from any sender but
	// this one, arrived within the cluster's raid window before this message.
	WindowBefore int      `json:"window_before"`
	Diff         []string `json:"diff,omitempty"` // the message's differences from the template (see Variant.Diff)
}

// Dossier gathers one sender's messages from msgs and res (the result of [Analyze] over the same
// msgs). It costs one pass over msgs, plus one per clustered message of the sender.
func Dossier(msgs []Message, res *Result, sender string) SenderDossier {
	d := SenderDossier{Sender: sender, Messages: []DossierEntry{}, Clusters: []int{}}
	type place struct{ c, k int }
	where := map[int]place{}
	for ci := range res.Clusters {
		c := &res.Clusters[ci]
		joined := false
		for k, m := range c.Members {
			if msgs[m].Sender == sender {
				where[m] = place{ci, k}
				joined = true
			}
		}
		if joined {
			d.Clusters = append(d.Clusters, c.ID)
		}
	}
	sortInts(d.Clusters)
	var times []time.Time
	names := map[string]bool{}
	for m := range msgs {
		msg := &msgs[m]
		if msg.Sender != sender || msg.Outgoing || msg.Skip {
			continue
		}
		if msg.Name != "" && !names[msg.Name] {
			names[msg.Name] = true
			d.Names = append(d.Names, msg.Name)
		}
		e := DossierEntry{Message: m, Time: msg.Time, Text: msg.Text}
		if pl, ok := where[m]; ok {
			c := &res.Clusters[pl.c]
			e.Cluster = c.ID
			e.SeenBefore = -1
			e.SendersBefore = -1
			if len(c.SeenBefore) == len(c.Members) {
				e.SeenBefore = c.SeenBefore[pl.k]
			}
			if !msg.Time.IsZero() {
				others := map[string]bool{}
				for _, o := range c.Members[:pl.k] {
					om := &msgs[o]
					if !om.Time.IsZero() && om.Time.Before(msg.Time) && om.Sender != sender {
						others[om.Sender] = true
					}
				}
				e.SendersBefore = len(others)
				e.WindowBefore = windowBefore(msgs, c, m, sender)
			}
			if vi := c.MemberVariant; len(vi) == len(c.Members) {
				e.Diff = c.Variants[vi[pl.k]].Diff
			}
		}
		if !msg.Time.IsZero() {
			times = append(times, msg.Time)
		}
		d.Messages = append(d.Messages, e)
	}
	sortEntries(d.Messages)
	sortTimes(times)
	d.OneShot = len(d.Messages) == 1
	p := res.Params
	_ = p.fill()
	d.Cadence = Rhythm(times, p.CadenceMin, p.MachineCV)
	d.Cadence.Scope, d.Cadence.Key = "sender", sender
	for _, f := range res.Flags {
		if msgs[f.Message].Sender == sender {
			if d.Flags == nil {
				d.Flags = map[string]int{}
			}
			d.Flags[f.Category]++
		}
	}
	return d
}

// windowBefore counts the analysed messages of c's channel from other senders that arrived in c's
// raid window, before message m.
func windowBefore(msgs []Message, c *Cluster, m int, sender string) int {
	t := msgs[m].Time
	start := c.Window.Start
	if start.IsZero() || t.Before(start) {
		start = c.Start
	}
	n := 0
	for i := range msgs {
		o := &msgs[i]
		if o.Outgoing || o.Skip || o.Channel != c.Channel || o.Sender == sender || o.Time.IsZero() {
			continue
		}
		if !o.Time.Before(start) && o.Time.Before(t) {
			n++
		}
	}
	return n
}
