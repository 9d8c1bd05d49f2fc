package analysis

import (
	"context"
	"fmt"
	"sync"
	"unicode"
	"unicode/utf8"
)

// run is one call of Analyze.
type run struct {
	ctx      context.Context
	msgs     []Message
	p        *Params
	progress Progress

	msgText []int32   // distinct text of each message, −1 when not analysed
	texts   []string  // distinct normalised texts, in order of first appearance
	weight  []int32   // messages per distinct text
	signals []signal  // URLs, mentions, hashtags, numbers, in message order
	byText  [][]int32 // messages of each distinct text, in input order

	msgCluster []int32 // cluster position (before ranking) of each message, −1 when none

	sid       []int32  // sender id of each analysed message (−1 otherwise)
	senders   []string // sender keys by id, in order of first message
	sentCount []int32  // analysed messages per sender id
	mark      stamps   // per sender id scratch marks of the sequential stages

	onlyGroups bool // stop after clustering (Groups)
	groups     [][]int
}

type signal struct {
	msg   int32
	kind  uint8
	value string
}

const (
	sigURL uint8 = iota
	sigMention
	sigHashtag
	sigNumber
	sigMedia
)

func (a *run) do() (*Result, error) {
	res := &Result{Params: *a.p, Messages: len(a.msgs)}
	a.progress("normalise", 0)
	if err := a.normalise(); err != nil {
		return nil, err
	}
	res.Distinct = len(a.texts)
	for _, w := range a.weight {
		res.Analysed += int(w)
	}
	a.progress("cluster", 0.3)
	eligible := make([]bool, len(a.texts))
	short := make([]bool, len(a.texts))
	for i, t := range a.texts {
		n := informative(t)
		eligible[i] = n >= a.p.MinChars
		short[i] = n < a.p.ShortChars
	}
	groups, sim, err := nearGroups(a.ctx, a.texts, a.weight, eligible, a.p)
	if err != nil {
		return nil, err
	}
	a.progress("describe", 0.7)
	a.byText = make([][]int32, len(a.texts))
	{ // one backing array for all lists
		flat := make([]int32, res.Analysed)
		off := 0
		for i, w := range a.weight {
			a.byText[i] = flat[off : off : off+int(w)]
			off += int(w)
		}
		for m, t := range a.msgText {
			if t >= 0 {
				a.byText[t] = append(a.byText[t], int32(m))
			}
		}
	}
	a.internSenders()
	var cand [][]int32 // groups big enough to describe
	for _, g := range groups {
		if !eligible[g[0]] {
			continue
		}
		size := 0
		for _, id := range g {
			size += int(a.weight[id])
		}
		if size >= a.p.MinSize {
			cand = append(cand, g)
		}
	}
	described := make([]Cluster, len(cand))
	kept := make([]bool, len(cand))
	marks := sync.Pool{New: func() any { return &stamps{mark: make([]int32, len(a.senders))} }} // one per worker, not per chunk
	err = parallel(a.ctx, a.p.workers(), len(cand), 8, func(lo, hi int) {
		st := marks.Get().(*stamps)
		for i := lo; i < hi; i++ {
			described[i], kept[i] = a.describe(cand[i], sim, short[cand[i][0]], st)
		}
		marks.Put(st)
	})
	if err != nil {
		return nil, err
	}
	var clusters []Cluster
	for i := range described {
		if kept[i] {
			clusters = append(clusters, described[i])
		}
	}
	if err := a.diffVariants(clusters); err != nil {
		return nil, err
	}
	if a.onlyGroups {
		for _, c := range clusters {
			a.groups = append(a.groups, c.Members)
		}
		return res, nil
	}
	a.msgCluster = make([]int32, len(a.msgs))
	for i := range a.msgCluster {
		a.msgCluster[i] = -1
	}
	for ci := range clusters {
		for _, m := range clusters[ci].Members {
			a.msgCluster[m] = int32(ci)
		}
		res.Clustered += clusters[ci].Size
	}
	a.progress("time", 0.8)
	a.timeStats(res, clusters)
	a.progress("senders", 0.85)
	a.senderStats(res, clusters)
	a.cadence(res, clusters)
	a.coSignals(res)
	a.progress("triage", 0.9)
	if err := a.triage(res, clusters); err != nil {
		return nil, err
	}
	for ci := range clusters {
		clusters[ci].Score = score(&clusters[ci])
	}
	rank(clusters)
	res.Clusters = clusters
	if res.Clusters == nil {
		res.Clusters = []Cluster{}
	}
	a.progress("done", 1)
	return res, a.ctx.Err()
}

// Groups returns only the near-duplicate clusters [Analyze] would find with p, as lists of message
// indexes in time order, in order of their first distinct text; it skips the time, sender,
// cadence, co-signal and triage descriptions.
func Groups(ctx context.Context, msgs []Message, p Params) ([][]int, error) {
	if err := p.fill(); err != nil {
		return nil, err
	}
	a := &run{ctx: ctx, msgs: msgs, p: &p, progress: func(string, float64) {}, onlyGroups: true}
	if _, err := a.do(); err != nil {
		return nil, fmt.Errorf("analysis: %w", err)
	}
	return a.groups, nil
}

// normalise fills msgText, texts, weight and signals, normalising blocks of messages on all
// workers and merging each block in input order.
func (a *run) normalise() error {
	const block = 1 << 15
	a.msgText = make([]int32, len(a.msgs))
	index := make(map[string]int32, len(a.msgs)/4)
	norm := make([]string, block)
	det := make([][]signal, block)
	for lo := 0; lo < len(a.msgs); lo += block {
		hi := min(lo+block, len(a.msgs))
		err := parallel(a.ctx, a.p.workers(), hi-lo, 2048, func(x, y int) {
			for i := x; i < y; i++ {
				m := &a.msgs[lo+i]
				det[i] = det[i][:0]
				if m.Outgoing || m.Skip {
					norm[i] = ""
					continue
				}
				d := NormalizeDetail(m.Text)
				norm[i] = d.Text
				for _, u := range d.URLs {
					det[i] = append(det[i], signal{int32(lo + i), sigURL, canonicalURL(u)})
				}
				for _, u := range d.Mentions {
					det[i] = append(det[i], signal{int32(lo + i), sigMention, u})
				}
				for _, u := range d.Hashtags {
					det[i] = append(det[i], signal{int32(lo + i), sigHashtag, u})
				}
				for _, u := range d.Numbers {
					det[i] = append(det[i], signal{int32(lo + i), sigNumber, u})
				}
				for _, u := range m.Media {
					det[i] = append(det[i], signal{int32(lo + i), sigMedia, u})
				}
			}
		})
		if err != nil {
			return err
		}
		for i := 0; i < hi-lo; i++ {
			a.signals = append(a.signals, det[i]...)
			t := norm[i]
			if t == "" {
				a.msgText[lo+i] = -1
				continue
			}
			id, ok := index[t]
			if !ok {
				id = int32(len(a.texts))
				index[t] = id
				a.texts = append(a.texts, t)
				a.weight = append(a.weight, 0)
			}
			a.weight[id]++
			a.msgText[lo+i] = id
		}
		a.progress("normalise", 0.3*float64(hi)/float64(len(a.msgs)))
	}
	return nil
}

// internSenders numbers the senders of analysed messages.
func (a *run) internSenders() {
	ids := map[string]int32{}
	a.sid = make([]int32, len(a.msgs))
	for m, t := range a.msgText {
		if t < 0 {
			a.sid[m] = -1
			continue
		}
		s := a.msgs[m].Sender
		id, ok := ids[s]
		if !ok {
			id = int32(len(a.senders))
			ids[s] = id
			a.senders = append(a.senders, s)
			a.sentCount = append(a.sentCount, 0)
		}
		a.sentCount[id]++
		a.sid[m] = id
	}
	a.mark = stamps{mark: make([]int32, len(a.senders))}
}

// stamps marks sender ids in rounds without clearing: mark[id] == cur means marked this round.
type stamps struct {
	mark []int32
	cur  int32
	lcs  []int32 // wordDiff scratch
}

// next starts a new round.
func (s *stamps) next() int32 {
	s.cur++
	return s.cur
}

// informative counts the letters, digits and emoji of a normalised text, masks excluded.
func informative(t string) int {
	n := 0
	for i := 0; i < len(t); {
		if t[i] == '<' && (hasAt(t, i, MaskURL) || hasAt(t, i, MaskMention) || hasAt(t, i, MaskNumber)) {
			for i < len(t) && t[i] != '>' {
				i++
			}
			i++
			continue
		}
		r, sz := utf8.DecodeRuneInString(t[i:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) || isEmoji(r) {
			n++
		}
		i += sz
	}
	return n
}

// canonicalURL is the form URLs are compared in: no scheme, no "www.", host in lower case, no
// trailing slash.
func canonicalURL(u string) string {
	s := u
	for _, pre := range []string{"https://", "http://"} {
		if hasPrefixFold(s, pre) {
			s = s[len(pre):]
			break
		}
	}
	if hasPrefixFold(s, "www.") {
		s = s[4:]
	}
	host, path := s, ""
	for i := 0; i < len(s); i++ {
		if s[i] == '/' || s[i] == '?' || s[i] == '#' {
			host, path = s[:i], s[i:]
			break
		}
	}
	b := []byte(host)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 32
		}
	}
	for len(path) > 0 && path[len(path)-1] == '/' {
		path = path[:len(path)-1]
	}
	return string(b) + path
}
