package analysis

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Edge links two senders who took part in the same clusters.
type Edge struct {
	A      string `json:"a"`
	B      string `json:"b"`
	Weight int    `json:"weight"` // clusters both took part in
}

// DupName is a display name used by several distinct senders.
type DupName struct {
	Name    string `json:"name"`
	Senders int    `json:"senders"`
}

// senderStats fills the sender facts of every cluster and the result's network and duplicated
// names.
func (a *run) senderStats(res *Result, clusters []Cluster) {
	msgs := a.msgs
	inClusters := make([][]int32, len(a.senders)) // sender id → cluster positions, increasing
	for ci := range clusters {
		c := &clusters[ci]
		var ids []int32
		st := a.mark.next()
		for _, m := range c.Members {
			if id := a.sid[m]; a.mark.mark[id] != st {
				a.mark.mark[id] = st
				ids = append(ids, id)
				inClusters[id] = append(inClusters[id], int32(ci))
			}
		}
		senders := make([]string, len(ids))
		for k, id := range ids {
			senders[k] = a.senders[id]
			if a.sentCount[id] == 1 {
				c.OneShot++
			}
		}
		c.SequentialSenders, c.NumberBlocks = numberPatterns(senders)
		nameOf := map[string]string{}
		for _, m := range c.Members {
			if msgs[m].Name != "" {
				nameOf[msgs[m].Sender] = msgs[m].Name
			}
		}
		names := make([]string, 0, len(senders))
		for _, s := range senders {
			if n := nameOf[s]; n != "" {
				names = append(names, n)
			} else if !isPhone(s) {
				names = append(names, s)
			}
		}
		c.NamePatterns = namePatterns(names)
	}
	for ci := range clusters {
		c := &clusters[ci]
		st := a.mark.next()
		for _, m := range c.Members {
			if id := a.sid[m]; a.mark.mark[id] != st {
				a.mark.mark[id] = st
				if len(inClusters[id]) > 1 {
					c.SharedSenders++
				}
			}
		}
	}
	multi := map[string][]int32{}
	for id, cs := range inClusters {
		if len(cs) >= a.p.NetworkMinShared {
			multi[a.senders[id]] = cs
		}
	}
	res.Network = network(multi, a.p)
	res.DupNames = dupNames(msgs, a.msgText)
}

// isPhone reports whether s is a phone number: an optional "+" and 6 to 15 digits.
func isPhone(s string) bool {
	s = strings.TrimPrefix(s, "+")
	if len(s) < 6 || len(s) > 15 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// numberPatterns counts phone-number senders in runs of at least 3 consecutive numbers, and
// lists the blocks of numbers sharing all but the last three digits held by at least 3 senders.
func numberPatterns(senders []string) (int, []NumberBlock) {
	// A phone number (isPhone: 6 to 15 digits) is a key: its digit count above bit 50, its value
	// (below 10^15 < 2^50) under it. Keys sort as (digits, value); two numbers are consecutive
	// when their keys are; two numbers share their prefix (all but the last three digits) when
	// they have as many digits and the same value / 1000.
	const vbits = 50
	var keys []uint64
	for _, s := range senders {
		if isPhone(s) {
			n := strings.TrimPrefix(s, "+")
			v, _ := strconv.ParseUint(n, 10, 64)
			keys = append(keys, uint64(len(n))<<vbits|v)
		}
	}
	slices.Sort(keys)
	seq := 0
	for i := 0; i < len(keys); {
		j := i
		for j+1 < len(keys) && keys[j+1] == keys[j]+1 {
			j++
		}
		if j-i+1 >= 3 {
			seq += j - i + 1
		}
		i = j + 1
	}
	// blocks: runs of equal prefixes, consecutive in key order
	var out []NumberBlock
	pre := func(k uint64) (int, uint64) { return int(k >> vbits), (k & (1<<vbits - 1)) / 1000 }
	for i := 0; i < len(keys); {
		n, p := pre(keys[i])
		j := i + 1
		for j < len(keys) {
			if n2, p2 := pre(keys[j]); n2 != n || p2 != p {
				break
			}
			j++
		}
		if n > 6 && j-i >= 3 {
			digits := strconv.AppendUint(nil, p, 10)
			b := make([]byte, 0, n-3+1)
			b = append(b, '+')
			for k := len(digits); k < n-3; k++ {
				b = append(b, '0')
			}
			out = append(out, NumberBlock{Prefix: string(append(b, digits...)), Senders: j - i})
		}
		i = j
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Senders != out[j].Senders {
			return out[i].Senders > out[j].Senders
		}
		return out[i].Prefix < out[j].Prefix
	})
	return seq, out
}

// nameSkeleton turns "User12345" into "user#####"; it returns "" for names without both a letter
// and a run of at least three digits.
func nameSkeleton(name string) string {
	var b strings.Builder
	letters, run, longest := false, 0, 0
	for _, r := range strings.ToLower(name) {
		if unicode.IsDigit(r) {
			b.WriteByte('#')
			run++
			longest = max(longest, run)
			continue
		}
		run = 0
		if unicode.IsLetter(r) {
			letters = true
		}
		b.WriteRune(r)
	}
	if !letters || longest < 3 {
		return ""
	}
	return b.String()
}

// namePatterns lists the skeletons shared by at least 3 names.
func namePatterns(names []string) []NamePattern {
	count := map[string]int{}
	for _, n := range names {
		if s := nameSkeleton(n); s != "" {
			count[s]++
		}
	}
	var out []NamePattern
	for p, n := range count {
		if n >= 3 {
			out = append(out, NamePattern{Pattern: p, Senders: n})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Senders != out[j].Senders {
			return out[i].Senders > out[j].Senders
		}
		return out[i].Pattern < out[j].Pattern
	})
	return out
}

// network links senders who share at least NetworkMinShared clusters, strongest first, at most
// MaxEdges edges. Pairs are found through the cluster pairs each sender took part in.
func network(inClusters map[string][]int32, p *Params) []Edge {
	const maxPerSender, maxPerPair = 24, 400
	type pair struct{ a, b int32 }
	// senders in at least NetworkMinShared clusters, numbered in sorted order: a pair of numbers
	// (a < b) stands for the pair of senders (multi[a] < multi[b])
	var multi []string
	for s, cs := range inClusters {
		if len(cs) >= p.NetworkMinShared {
			multi = append(multi, s)
		}
	}
	sort.Strings(multi)
	joined := make([][]int32, len(multi))
	bucket := map[pair][]int32{} // pair of clusters → senders in both
	for id, s := range multi {
		cs := inClusters[s]
		joined[id] = cs
		if len(cs) > maxPerSender {
			cs = cs[:maxPerSender]
		}
		for i := range cs {
			for j := i + 1; j < len(cs); j++ {
				k := pair{cs[i], cs[j]}
				if len(bucket[k]) < maxPerPair {
					bucket[k] = append(bucket[k], int32(id))
				}
			}
		}
	}
	// every pair of senders sharing a pair of clusters, once: sorted numbers rather than a map of
	// string pairs, which took several times the memory
	var pairs []uint64
	for _, ss := range bucket {
		for i := range ss {
			for j := i + 1; j < len(ss); j++ {
				pairs = append(pairs, uint64(ss[i])<<32|uint64(ss[j]))
			}
		}
	}
	bucket = nil
	slices.Sort(pairs)
	pairs = slices.Compact(pairs)
	// the edges as numbers, heaviest first; pairs are in (a, b) order, which is the order of the
	// names, so a stable sort by weight gives the order of the report: only the edges kept
	// become strings
	type edge struct{ a, b, w int32 }
	var found []edge
	for _, k := range pairs {
		a, b := int32(k>>32), int32(uint32(k))
		if w := sharedCount(joined[a], joined[b]); w >= p.NetworkMinShared {
			found = append(found, edge{a, b, int32(w)})
		}
	}
	pairs = nil
	slices.SortStableFunc(found, func(x, y edge) int { return int(y.w - x.w) })
	if len(found) > p.MaxEdges {
		found = found[:p.MaxEdges]
	}
	var edges []Edge
	for _, e := range found {
		edges = append(edges, Edge{A: multi[e.a], B: multi[e.b], Weight: int(e.w)})
	}
	return edges
}

func sharedCount(a, b []int32) int {
	i, j, n := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n
}

// dupNames lists display names used by several distinct senders, most senders first.
func dupNames(msgs []Message, msgText []int32) []DupName {
	by := map[string]map[string]bool{}
	for m := range msgs {
		n := strings.TrimSpace(msgs[m].Name)
		if n == "" || msgs[m].Outgoing {
			continue
		}
		k := strings.ToLower(n)
		if by[k] == nil {
			by[k] = map[string]bool{}
		}
		by[k][msgs[m].Sender] = true
	}
	var out []DupName
	for n, ss := range by {
		if len(ss) > 1 {
			out = append(out, DupName{Name: n, Senders: len(ss)})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Senders != out[j].Senders {
			return out[i].Senders > out[j].Senders
		}
		return out[i].Name < out[j].Name
	})
	if len(out) > 1000 {
		out = out[:1000]
	}
	return out
}
