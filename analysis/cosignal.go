package analysis

import (
	"slices"
	"time"
)

// CoSignal is one URL, hashtag, mention or attachment pushed by many senders within a short window.
type CoSignal struct {
	Kind        string    `json:"kind"`  // "url", "hashtag", "mention" or "media"
	Value       string    `json:"value"` // canonical URL (no scheme, no "www."), folded hashtag, handle or content hash
	Messages    int       `json:"messages"`
	Senders     int       `json:"senders"`      // distinct senders in the whole case
	PeakSenders int       `json:"peak_senders"` // most distinct senders within Params.CoWindow
	PeakStart   time.Time `json:"peak_start"`
	Members     []int     `json:"members"` // message indexes, in time order
}

// coSignals finds URLs, hashtags, mentions and attachments used by at least CoMinSenders distinct senders
// within CoWindow.
func (a *run) coSignals(res *Result) {
	kinds := map[uint8]string{sigURL: "url", sigHashtag: "hashtag", sigMention: "mention", sigMedia: "media"}
	type key struct {
		kind  uint8
		value string
	}
	by := map[key][]int{}
	var keys []key
	for _, s := range a.signals {
		if s.kind == sigNumber {
			continue
		}
		k := key{s.kind, s.value}
		if _, ok := by[k]; !ok {
			keys = append(keys, k)
		}
		if l := by[k]; len(l) == 0 || l[len(l)-1] != int(s.msg) {
			by[k] = append(l, int(s.msg))
		}
	}
	win := time.Duration(a.p.CoWindow) * time.Second
	for _, k := range keys {
		ms := by[k]
		if len(ms) < a.p.CoMinSenders {
			continue
		}
		ms = slices.DeleteFunc(slices.Clone(ms), func(m int) bool { return a.msgs[m].Time.IsZero() })
		sortMembers(a.msgs, ms)
		all := map[string]bool{}
		for _, m := range ms {
			all[a.msgs[m].Sender] = true
		}
		if len(all) < a.p.CoMinSenders {
			continue
		}
		inWin := map[string]int{}
		best, at, j := 0, time.Time{}, 0
		for i, m := range ms {
			inWin[a.msgs[m].Sender]++
			for a.msgs[m].Time.Sub(a.msgs[ms[j]].Time) >= win {
				s := a.msgs[ms[j]].Sender
				if inWin[s]--; inWin[s] == 0 {
					delete(inWin, s)
				}
				j++
			}
			if len(inWin) > best {
				best, at = len(inWin), a.msgs[ms[j]].Time
			}
			_ = i
		}
		if best < a.p.CoMinSenders {
			continue
		}
		res.CoSignals = append(res.CoSignals, CoSignal{Kind: kinds[k.kind], Value: k.value, Messages: len(ms), Senders: len(all), PeakSenders: best, PeakStart: at, Members: ms})
	}
	slices.SortStableFunc(res.CoSignals, func(x, y CoSignal) int {
		if x.PeakSenders != y.PeakSenders {
			return y.PeakSenders - x.PeakSenders
		}
		if x.Kind != y.Kind {
			if x.Kind < y.Kind {
				return -1
			}
			return 1
		}
		if x.Value < y.Value {
			return -1
		}
		if x.Value > y.Value {
			return 1
		}
		return 0
	})
}
