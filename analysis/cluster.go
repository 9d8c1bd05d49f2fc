package analysis

import (
	"math"
	"slices"
	"sort"
	"time"
	"unicode"
	"unicode/utf8"
)

// describe builds a Cluster (without ID, time and sender statistics) from a group of distinct
// texts, leader first. It reports false when the group does not qualify.
func (a *run) describe(g []int32, sim []float32, short bool, marks *stamps) (Cluster, bool) {
	msgs := a.msgs
	var members []int
	variantOf := map[int32]int{}
	for vi, id := range g {
		variantOf[id] = vi
		for _, m := range a.byText[id] {
			members = append(members, int(m))
		}
	}
	st, nSenders := marks.next(), 0
	for _, m := range members {
		if id := a.sid[m]; marks.mark[id] != st {
			marks.mark[id] = st
			nSenders++
		}
	}
	if nSenders < a.p.MinSenders {
		return Cluster{}, false
	}
	sortMembers(msgs, members)
	c := Cluster{Members: members, Size: len(members), Senders: nSenders, Short: short}
	if short && !concentrated(msgs, members, a.p) {
		return Cluster{}, false
	}
	c.MemberVariant = make([]int, len(members))
	c.Variants = make([]Variant, len(g))
	for vi, id := range g { // Diff is filled by diffVariants, over all clusters at once
		v := &c.Variants[vi]
		v.Text = a.texts[id]
		v.Count = int(a.weight[id])
		v.Similarity = math.Round(float64(sim[id])*1000) / 1000
		if vi == 0 {
			v.Similarity = 1
		}
	}
	seenVariant := make([]bool, len(g))
	verbatim := map[string]int{}
	for k, m := range members {
		vi := variantOf[a.msgText[m]]
		c.MemberVariant[k] = vi
		if !seenVariant[vi] {
			seenVariant[vi] = true
			c.Variants[vi].Example = msgs[m].Text
		}
		if vi == 0 {
			verbatim[msgs[m].Text]++
		}
	}
	best := -1
	for _, m := range a.byText[g[0]] { // most common verbatim form of the template, earliest on ties
		t := msgs[m].Text
		if verbatim[t] > best {
			best, c.Template = verbatim[t], t
		}
	}
	c.Normalised = a.texts[g[0]]
	c.SeenBefore = make([]int, len(members))
	seen, last, ft := 0, time.Time{}, firstTimed(msgs, members)
	for k, m := range members {
		t := msgs[m].Time
		if t.IsZero() {
			c.SeenBefore[k] = -1
			continue
		}
		if !t.Equal(last) {
			seen = k - ft
			last = t
		}
		c.SeenBefore[k] = seen
	}
	return c, true
}

// firstTimed is the position of the first member with a known time.
func firstTimed(msgs []Message, members []int) int {
	for k, m := range members {
		if !msgs[m].Time.IsZero() {
			return k
		}
	}
	return len(members)
}

// sortMembers orders message indexes by time, then index.
func sortMembers(msgs []Message, members []int) {
	type key struct {
		t time.Time
		m int
	}
	ks := make([]key, len(members))
	for i, m := range members {
		ks[i] = key{msgs[m].Time, m}
	}
	slices.SortFunc(ks, func(a, b key) int {
		if c := a.t.Compare(b.t); c != 0 {
			return c
		}
		return a.m - b.m
	})
	for i := range ks {
		members[i] = ks[i].m
	}
}

// diffVariants fills the Diff of every variant of every cluster, on all workers.
func (a *run) diffVariants(clusters []Cluster) error {
	type job struct{ c, v int }
	var jobs []job
	for ci := range clusters {
		for vi := 1; vi < len(clusters[ci].Variants); vi++ {
			jobs = append(jobs, job{ci, vi})
		}
	}
	return parallel(a.ctx, a.p.workers(), len(jobs), 256, func(lo, hi int) {
		var sc diffScratch
		var lead, words []string
		var leadH []uint64
		leadOf := -1
		for _, j := range jobs[lo:hi] {
			c := &clusters[j.c]
			if leadOf != j.c {
				lead, leadOf = appendFields(lead[:0], c.Variants[0].Text), j.c
				leadH = appendWordHashes(leadH[:0], lead)
			}
			words = appendFields(words[:0], c.Variants[j.v].Text)
			sc.hb = appendWordHashes(sc.hb[:0], words)
			c.Variants[j.v].Diff = wordDiffHashed(lead, leadH, words, sc.hb, &sc)
		}
	})
}

// diffScratch holds the buffers wordDiff reuses from one call to the next.
type diffScratch struct {
	lcs    []int32
	ha, hb []uint64
	text   []byte
	ends   []int32
}

// wordHash is a cheap hash of a word: equal words have equal hashes, so two words whose hashes
// differ are different and only equal hashes need a string comparison.
func wordHash(w string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(w); i++ {
		h = (h ^ uint64(w[i])) * 1099511628211
	}
	return h
}

func appendWordHashes(dst []uint64, words []string) []uint64 {
	for _, w := range words {
		dst = append(dst, wordHash(w))
	}
	return dst
}

// concentrated reports whether at least ShortShare of the members fall within ShortWindow.
func concentrated(msgs []Message, members []int, p *Params) bool {
	times := memberTimes(msgs, members)
	if len(times) == 0 {
		return false
	}
	n, _ := peak(times, time.Duration(p.ShortWindow)*time.Second)
	return float64(n) >= p.ShortShare*float64(len(members))
}

// wordDiffHashed lists the words removed from a ("-w") and added in b ("+w"), in order, from a
// longest common subsequence of the two word lists; ha and hb are their words' hashes
// (appendWordHashes), sc the buffers reused from one call to the next.
func wordDiffHashed(a []string, ha []uint64, b []string, hb []uint64, sc *diffScratch) []string {
	pre := 0
	for pre < len(a) && pre < len(b) && ha[pre] == hb[pre] && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && ha[len(a)-1-suf] == hb[len(b)-1-suf] && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	a, b = a[pre:len(a)-suf], b[pre:len(b)-suf]
	ha, hb = ha[pre:len(ha)-suf], hb[pre:len(hb)-suf]
	if len(a)*len(b) > 1<<16 { // too long to align: show both sides whole
		var out []string
		for _, w := range a {
			out = append(out, "-"+w)
		}
		for _, w := range b {
			out = append(out, "+"+w)
		}
		return out
	}
	// lcs[i][j] = LCS length of a[i:], b[j:]
	w := len(b) + 1
	if need := (len(a) + 1) * w; cap(sc.lcs) < need {
		sc.lcs = make([]int32, need)
	}
	lcs := sc.lcs[:(len(a)+1)*w]
	clear(lcs[len(a)*w:]) // the last row and the last column are 0; the rest is written below
	for i := len(a) - 1; i >= 0; i-- {
		row, next := lcs[i*w:i*w+w], lcs[(i+1)*w:(i+1)*w+w]
		row[len(b)] = 0
		h, x := ha[i], a[i]
		for j := len(b) - 1; j >= 0; j-- {
			if hb[j] == h && b[j] == x {
				row[j] = next[j+1] + 1
			} else {
				row[j] = max(next[j], row[j+1])
			}
		}
	}
	// the marked words are written back to back into one string, then sliced
	text, ends := sc.text[:0], sc.ends[:0]
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && ha[i] == hb[j] && a[i] == b[j]:
			i++
			j++
		case i < len(a) && (j == len(b) || lcs[(i+1)*w+j] >= lcs[i*w+j+1]):
			text = append(append(text, '-'), a[i]...)
			ends = append(ends, int32(len(text)))
			i++
		default:
			text = append(append(text, '+'), b[j]...)
			ends = append(ends, int32(len(text)))
			j++
		}
	}
	sc.text, sc.ends = text, ends
	if len(ends) == 0 {
		return nil
	}
	all := string(text)
	out := make([]string, len(ends))
	start := int32(0)
	for k, e := range ends {
		out[k], start = all[start:e], e
	}
	return out
}

// appendFields appends the words of s as strings.Fields splits them. Only ASCII spaces and runes
// led by 0xC2, 0xE1, 0xE2 or 0xE3 can be white space (U+0085, U+00A0, U+1680, U+2000–U+205F,
// U+3000); every other byte, which no rune spans from an earlier start, continues a word.
func appendFields(dst []string, s string) []string {
	start := -1
	for i := 0; i < len(s); {
		c, sz, space := s[i], 1, false
		switch {
		case c == ' ' || '\t' <= c && c <= '\r':
			space = true
		case c == 0xC2 || c == 0xE1 || c == 0xE2 || c == 0xE3:
			var r rune
			r, sz = utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(r)
		}
		if space {
			if start >= 0 {
				dst = append(dst, s[start:i])
				start = -1
			}
		} else if start < 0 {
			start = i
		}
		i += sz
	}
	if start >= 0 {
		dst = append(dst, s[start:])
	}
	return dst
}

// score ranks a cluster by burst strength and sender diversity rather than raw size:
// log10(1+senders) × (1+burst strength) × √(senders/size).
func score(c *Cluster) float64 {
	div := float64(c.Senders) / float64(max(c.Size, 1))
	s := math.Log10(1+float64(c.Senders)) * (1 + c.BurstStrength) * math.Sqrt(div)
	return math.Round(s*1e6) / 1e6
}

// rank orders clusters by score, then size, then first time, then first member, and numbers them
// from 1.
func rank(cs []Cluster) {
	sort.SliceStable(cs, func(a, b int) bool {
		if cs[a].Score != cs[b].Score {
			return cs[a].Score > cs[b].Score
		}
		if cs[a].Size != cs[b].Size {
			return cs[a].Size > cs[b].Size
		}
		if !cs[a].Start.Equal(cs[b].Start) {
			return cs[a].Start.Before(cs[b].Start)
		}
		return cs[a].Members[0] < cs[b].Members[0]
	})
	for i := range cs {
		cs[i].ID = i + 1
	}
}

// memberTimes returns the known times of members, in order.
func memberTimes(msgs []Message, members []int) []time.Time {
	out := make([]time.Time, 0, len(members))
	for _, m := range members {
		if t := msgs[m].Time; !t.IsZero() {
			out = append(out, t)
		}
	}
	return out
}
