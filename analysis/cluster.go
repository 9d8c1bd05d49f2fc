package analysis

import (
	"math"
	"slices"
	"sort"
)

// describe builds a Cluster (without ID) from member indexes.
func describe(msgs []Message, members []int) Cluster {
	members = slices.Clone(members)
	sort.SliceStable(members, func(a, b int) bool {
		ta, tb := msgs[members[a]].Time, msgs[members[b]].Time
		if !ta.Equal(tb) {
			return ta.Before(tb)
		}
		return members[a] < members[b]
	})
	c := Cluster{Members: members, Size: len(members)}
	senders := map[string]bool{}
	variants := map[string]int{}
	for _, i := range members {
		m := msgs[i]
		senders[m.Sender] = true
		variants[m.Text]++
		if m.Time.IsZero() {
			continue
		}
		if c.Start.IsZero() || m.Time.Before(c.Start) {
			c.Start = m.Time
		}
		if m.Time.After(c.End) {
			c.End = m.Time
		}
	}
	c.Senders = len(senders)
	best := -1
	for _, i := range members { // most common verbatim variant, earliest on ties
		t := msgs[i].Text
		if variants[t] > best {
			best, c.Template = variants[t], t
		}
	}
	hours := c.End.Sub(c.Start).Hours()
	c.Score = float64(c.Senders) / math.Max(hours, 1.0/60)
	return c
}

// rank orders clusters by score, then size, then first time, and numbers them from 1.
func rank(cs []Cluster) {
	sort.SliceStable(cs, func(a, b int) bool {
		if cs[a].Score != cs[b].Score {
			return cs[a].Score > cs[b].Score
		}
		if cs[a].Size != cs[b].Size {
			return cs[a].Size > cs[b].Size
		}
		return cs[a].Start.Before(cs[b].Start)
	})
	for i := range cs {
		cs[i].ID = i + 1
	}
}
