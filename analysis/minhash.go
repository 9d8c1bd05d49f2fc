package analysis

import (
	"context"
	"math"
	"math/bits"
	"slices"
	"sync"
	"sync/atomic"
)

// This file groups distinct normalised texts into near-duplicate groups:
//
//  1. a MinHash signature (K = Bands×Rows values) over the byte shingles of each text;
//  2. LSH banding: texts whose Rows values agree in one band become candidates; each text is
//     compared with the first text of each of its buckets only (a star, not a clique, so a raid
//     of n variants costs O(n) comparisons), and joined when the signature estimate of their
//     Jaccard similarity passes the threshold for their length minus [Params.EstimateSlack];
//  3. within each joined component, leaders are chosen by weight (how many messages carry the
//     text) and every text is verified against the leaders with the exact Jaccard similarity of
//     shingle sets; a text joins the most similar leader that passes, or becomes a leader. So a
//     member is always checked against its group's centre, never only against a neighbour.

// mix64 is a 64-bit finaliser (splitmix64).
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// zeroBytes counts the zero bytes of x.
func zeroBytes(x uint64) int {
	const lo7 = 0x7f7f7f7f7f7f7f7f
	y := (x&lo7 + lo7) | x | lo7 // a byte's top bit is set when the byte is not 0
	return bits.OnesCount64(^y)
}

// shingleText rewrites the mask tokens as one byte each so that a masked URL weighs like one
// character, not five.
func shingleText(dst []byte, s string) []byte {
	dst = dst[:0]
	for i := 0; i < len(s); i++ {
		if s[i] == '<' {
			switch {
			case hasAt(s, i, MaskURL):
				dst = append(dst, 1)
				i += len(MaskURL) - 1
				continue
			case hasAt(s, i, MaskMention):
				dst = append(dst, 2)
				i += len(MaskMention) - 1
				continue
			case hasAt(s, i, MaskNumber):
				dst = append(dst, 3)
				i += len(MaskNumber) - 1
				continue
			}
		}
		dst = append(dst, s[i])
	}
	return dst
}

func hasAt(s string, i int, w string) bool { return len(s)-i >= len(w) && s[i:i+len(w)] == w }

// shingles appends the hash of every k-byte shingle of b (one shingle when b is shorter).
func shingles(dst []uint64, b []byte, k int, seed uint64) []uint64 {
	dst = dst[:0]
	if len(b) == 0 {
		return dst
	}
	if len(b) < k {
		k = len(b)
	}
	var w uint64
	for i := 0; i < k-1; i++ {
		w = w<<8 | uint64(b[i])
	}
	mask := uint64(1)<<(8*uint(k)) - 1
	if k == 8 {
		mask = ^uint64(0)
	}
	for i := k - 1; i < len(b); i++ {
		w = (w<<8 | uint64(b[i])) & mask
		dst = append(dst, mix64(w^seed))
	}
	return dst
}

// hashSet is an open-addressing set of 32-bit shingle hashes, cleared in O(1) by a generation
// stamp; it replaces sorting when comparing a text with its leaders.
type hashSet struct {
	keys []uint32
	gen  []uint32
	cur  uint32
	mask uint32
	n    int
}

// reset empties the set, sized for about n keys.
func (h *hashSet) reset(n int) {
	size := 1 << bits.Len(uint(2*n+8))
	if len(h.keys) < size {
		h.keys, h.gen, h.cur = make([]uint32, size), make([]uint32, size), 0
	}
	h.mask = uint32(size - 1)
	if len(h.keys) > size { // keep using the whole table: the mask must match its length
		h.mask = uint32(len(h.keys) - 1)
	}
	h.cur++
	h.n = 0
}

// add inserts k and reports whether it was new.
func (h *hashSet) add(k uint32) bool {
	i := (k * 0x9e3779b1) & h.mask
	for {
		if h.gen[i] != h.cur {
			h.gen[i], h.keys[i] = h.cur, k
			h.n++
			return true
		}
		if h.keys[i] == k {
			return false
		}
		i = (i + 1) & h.mask
	}
}

func (h *hashSet) has(k uint32) bool {
	i := (k * 0x9e3779b1) & h.mask
	for {
		if h.gen[i] != h.cur {
			return false
		}
		if h.keys[i] == k {
			return true
		}
		i = (i + 1) & h.mask
	}
}

// shingleSet returns the distinct shingle hashes (32 bits) of a normalised text, in first
// occurrence order, using sc.seen.
func shingleSet(dst []uint32, sc *scratch, text string, p *Params) []uint32 {
	sc.bytes = shingleText(sc.bytes, text)
	sc.hashes = shingles(sc.hashes, sc.bytes, p.Shingle, p.Seed)
	sc.seen.reset(len(sc.hashes))
	dst = dst[:0]
	for _, h := range sc.hashes {
		if k := uint32(h >> 32); sc.seen.add(k) {
			dst = append(dst, k)
		}
	}
	return dst
}

// jaccard of a leader's set (as a hash set and its size) and a text's distinct shingles.
func jaccard(leader *hashSet, b []uint32) float64 {
	if leader.n == 0 && len(b) == 0 {
		return 1
	}
	inter := 0
	for _, k := range b {
		if leader.has(k) {
			inter++
		}
	}
	return float64(inter) / float64(leader.n+len(b)-inter)
}

type scratch struct {
	bytes  []byte
	hashes []uint64
	set    []uint32
	seen   hashSet
	// leaderSets holds the shingle sets of a component's leaders (leaderGroups)
	leaderSets []uint32
	buckets    leaderBuckets
}

// leaderBuckets maps a (band, band key) pair to at most two leaders, in the order they were
// added: an open-addressing table that grows, reused from one component to the next. A slot holds
// the key and its leaders together, so a probe touches one cache line.
type leaderBuckets struct {
	slots []bucketSlot
	n     int
	mask  uint64
	grows int // times the table grew: slot positions found before are stale
}

type bucketSlot struct {
	key uint64   // uint64(band+1)<<32 | key; 0: empty slot
	ls  [2]int32 // leader positions + 1; 0: none
}

// reset empties the table, sized for about n keys.
func (t *leaderBuckets) reset(n int) {
	size := 1 << bits.Len(uint(2*n+16))
	if cap(t.slots) < size {
		t.slots = make([]bucketSlot, size)
	}
	t.slots = t.slots[:size]
	clear(t.slots)
	t.mask, t.n = uint64(size-1), 0
}

func bucketKey(b int, k uint32) uint64 { return uint64(b+1)<<32 | uint64(k) }

// slot returns the slot of key: where it is, or the empty slot where it would go.
func (t *leaderBuckets) slot(key uint64) uint64 {
	i := mix64(key) & t.mask
	for t.slots[i].key != 0 && t.slots[i].key != key {
		i = (i + 1) & t.mask
	}
	return i
}

// get returns the leaders under key (positions + 1, 0 for none) and the slot of key.
func (t *leaderBuckets) get(key uint64) ([2]int32, uint64) {
	i := t.slot(key)
	if t.slots[i].key == 0 {
		return [2]int32{}, i
	}
	return t.slots[i].ls, i
}

// add records leader li under key unless the key already has two leaders or has li.
func (t *leaderBuckets) add(key uint64, li int32) { t.addAt(t.slot(key), key, li) }

// addAt is add with i the slot get returned for key, perhaps stale: since then other keys may
// have filled it (it is then looked up again), but no key was removed.
func (t *leaderBuckets) addAt(i, key uint64, li int32) {
	if k := t.slots[i].key; k != 0 && k != key {
		i = t.slot(key)
	}
	s := &t.slots[i]
	if s.key == 0 {
		if 2*(t.n+1) > len(t.slots) {
			t.grow()
			i = t.slot(key)
			s = &t.slots[i]
		}
		s.key, s.ls = key, [2]int32{li + 1, 0}
		t.n++
		return
	}
	if l := &s.ls; l[1] == 0 && l[0] != li+1 {
		l[1] = li + 1
	}
}

func (t *leaderBuckets) grow() {
	old := t.slots
	size := 2 * len(old)
	t.slots, t.mask = make([]bucketSlot, size), uint64(size-1)
	for _, s := range old {
		if s.key != 0 {
			t.slots[t.slot(s.key)] = s
		}
	}
	t.grows++
}

// hasher computes one-permutation MinHash signatures (Li, Owen and Zhang 2012) with optimal
// densification (Shrivastava 2017): each shingle hash is placed in one of K bins and each bin
// keeps its minimum, so a signature costs one pass over the shingles instead of K; an empty bin
// borrows the value of a bin chosen by a seeded hash sequence of its own index, which keeps the
// collision probability equal to the Jaccard similarity.
type hasher struct {
	k    int
	seed uint64
	// probes[i*probeDepth+a-1] is the bin attempt a (1…probeDepth) of the densification looks
	// at for an empty bin i: the sequence depends only on i and a, so it is computed once.
	probes []int32
}

// probeDepth is how many densification attempts per bin the hasher keeps; longer sequences (rare:
// a text with very few shingles) are computed as they are needed.
const probeDepth = 32

func newHasher(p *Params) hasher {
	h := hasher{k: p.Bands * p.Rows, seed: mix64(p.Seed ^ 0x6f7068)}
	h.probes = make([]int32, h.k*probeDepth)
	for i := 0; i < h.k; i++ {
		for a := uint64(1); a <= probeDepth; a++ {
			h.probes[i*probeDepth+int(a)-1] = int32(h.probe(i, a))
		}
	}
	return h
}

// probe is the bin attempt a of the densification looks at for an empty bin i.
func (h *hasher) probe(i int, a uint64) uint64 {
	j, _ := bits.Mul64(mix64(h.seed^uint64(i)<<32^a), uint64(h.k))
	return j
}

// signature writes the MinHash signature of the shingle hashes into sig (len K).
func (h *hasher) signature(sig []uint32, hs []uint64) {
	const empty = ^uint32(0)
	for i := range sig {
		sig[i] = empty
	}
	if len(hs) == 0 {
		return
	}
	k := uint64(h.k)
	for _, x := range hs {
		x = mix64(x ^ h.seed)
		b, _ := bits.Mul64(x, k)
		if v := uint32(x) >> 1; v < sig[b] { // top bit free: filled bins differ from borrowed ones
			sig[b] = v
		}
	}
	filled := 0
	for _, v := range sig {
		if v != empty {
			filled++
		}
	}
	if filled == len(sig) {
		return
	}
	for i := range sig {
		if sig[i] != empty && sig[i]>>31 == 0 {
			continue
		}
		// probe bins with a hash sequence of (i, attempt) until a filled one is found
		found := false
		for _, j := range h.probes[i*probeDepth : (i+1)*probeDepth] {
			if v := sig[j]; v != empty && v>>31 == 0 {
				sig[i] = v | 1<<31
				found = true
				break
			}
		}
		for a := uint64(probeDepth + 1); !found; a++ {
			if v := sig[h.probe(i, a)]; v != empty && v>>31 == 0 {
				sig[i] = v | 1<<31
				found = true
			}
		}
	}
}

// threshold returns the Jaccard a pair must reach, from the shingle count of the shorter text.
func (p *Params) threshold(n int) float64 {
	for _, t := range p.Thresholds {
		if n <= t.MaxShingles || t.MaxShingles == 0 {
			return t.Jaccard
		}
	}
	return p.Thresholds[len(p.Thresholds)-1].Jaccard
}

// dsu is a union-find over distinct texts; the root is always the smallest id, so the result does
// not depend on the order of unions.
type dsu []int32

func (d dsu) find(x int32) int32 {
	for d[x] != x {
		d[x] = d[d[x]]
		x = d[x]
	}
	return x
}

func (d dsu) union(a, b int32) {
	a, b = d.find(a), d.find(b)
	if a == b {
		return
	}
	if b < a {
		a, b = b, a
	}
	d[b] = a
}

// bucketTable is an open-addressing map from a band key to the first text that had it; a slot
// packs the key (high 32 bits) and the text id + 1 (low 32 bits, 0: empty), so a probe touches
// one cache line.
type bucketTable struct {
	slots []uint64
	mask  uint32
}

func newBucketTable(n int) *bucketTable {
	size := 1 << bits.Len(uint(n*2+16))
	return &bucketTable{slots: make([]uint64, size), mask: uint32(size - 1)}
}

func (t *bucketTable) reset() {
	clear(t.slots)
}

// firstOr returns the id stored under key, storing id when there is none (and returning -1).
func (t *bucketTable) firstOr(key uint32, id int32) int32 {
	i := key & t.mask
	for {
		s := t.slots[i]
		if s == 0 {
			t.slots[i] = uint64(key)<<32 | uint64(uint32(id+1))
			return -1
		}
		if uint32(s>>32) == key {
			return int32(uint32(s)) - 1
		}
		i = (i + 1) & t.mask
	}
}

// touch loads the slots the band keys of texts [lo, hi) start probing at, so that the misses of
// a block overlap instead of coming one after the other; the returned value only keeps the
// loads alive.
func (t *bucketTable) touch(keys []uint32, b, bands, lo, hi int) uint64 {
	var x uint64
	for i := lo; i < hi; i++ {
		x += t.slots[keys[i*bands+b]&t.mask]
	}
	return x
}

var touchSink atomic.Uint64

func newDSU(n int) dsu {
	d := make(dsu, n)
	for i := range d {
		d[i] = int32(i)
	}
	return d
}

// nearGroups groups the distinct texts. texts[i] is normalised, weight[i] its message count,
// eligible[i] whether it may join others at all. It returns the groups that may be clusters
// (an eligible leader, at least p.MinSize messages) as lists of distinct ids, leader first, in
// order of their components' smallest id, and for each distinct id its Jaccard similarity to
// its group's leader.
func nearGroups(ctx context.Context, texts []string, weight []int32, eligible []bool, p *Params, collect func()) ([][]int32, []float32, error) {
	n := len(texts)
	k := p.Bands * p.Rows
	h := newHasher(p)
	// low 8 bits of each MinHash value, for the estimate (chance agreement 1/256), packed 8 to a
	// word (the padding bytes are 0 in every signature)
	sw := (k + 7) / 8
	sigs := make([]uint64, n*sw)
	keys := make([]uint32, n*p.Bands)
	nsh := make([]int32, n) // shingle count (with repeats), for thresholds
	err := parallel(ctx, p.workers(), n, 512, func(lo, hi int) {
		var sc scratch
		sig := make([]uint32, k)
		for i := lo; i < hi; i++ {
			if !eligible[i] {
				continue
			}
			sc.bytes = shingleText(sc.bytes, texts[i])
			sc.hashes = shingles(sc.hashes, sc.bytes, p.Shingle, p.Seed)
			nsh[i] = int32(len(sc.hashes))
			h.signature(sig, sc.hashes)
			ws := sigs[i*sw : (i+1)*sw]
			for j, v := range sig {
				ws[j>>3] |= uint64(uint8(v)) << (8 * uint(j&7))
			}
			for b := 0; b < p.Bands; b++ {
				x := uint64(b+1) * 0x9e3779b97f4a7c15
				for _, v := range sig[b*p.Rows : (b+1)*p.Rows] {
					x = mix64(x ^ uint64(v))
				}
				keys[i*p.Bands+b] = uint32(x >> 32)
			}
		}
	})
	if err != nil {
		return nil, nil, err
	}
	// atLeast reports whether the MinHash estimate of the Jaccard similarity of a and b reaches
	// t, stopping as soon as the answer is known.
	pad := sw*8 - k
	var six []int32 // where a text's signature is in sigs once they are compacted (nil: at its id)
	atLeast := func(a, b int32, t float64) bool {
		if six != nil {
			a, b = six[a], six[b]
		}
		sa, sb := sigs[int(a)*sw:int(a+1)*sw], sigs[int(b)*sw:int(b+1)*sw]
		need := int(math.Ceil(t*float64(k)-1e-9)) + pad // the padding bytes always agree
		eq, left := 0, sw*8
		for i, x := range sa {
			eq += zeroBytes(x ^ sb[i])
			left -= 8
			if eq >= need {
				return true
			}
			if eq+left < need {
				return false
			}
		}
		return eq >= need
	}
	// LSH banding. Each band is independent: a worker takes whole bands, with its own bucket
	// table and its own union-find, and the union-finds are merged at the end. A text is joined
	// with the first text of its bucket when the estimate passes; the components are the
	// connected components of those pairs, so they do not depend on which worker handled which
	// band, nor on the order of the unions.
	workers := min(p.workers(), p.Bands)
	local := make([]dsu, workers)
	var bandNext atomic.Int32
	err = parallel(ctx, workers, workers, 1, func(lo, hi int) {
		for w := lo; w < hi; w++ {
			d := newDSU(n)
			table := newBucketTable(n)
			var sink uint64
			for {
				b := int(bandNext.Add(1)) - 1
				if b >= p.Bands || ctx.Err() != nil {
					break
				}
				table.reset()
				for i := int32(0); int(i) < n; i++ {
					if i&63 == 0 { // touch the next 64 slots first: their cache misses overlap
						sink += table.touch(keys, b, p.Bands, int(i), min(int(i)+64, n))
					}
					if !eligible[i] {
						continue
					}
					j := table.firstOr(keys[int(i)*p.Bands+b], i)
					if j < 0 || d.find(i) == d.find(j) {
						continue
					}
					m := min(nsh[i], nsh[j])
					if atLeast(i, j, p.threshold(int(m))-p.EstimateSlack) {
						d.union(i, j)
					}
				}
			}
			local[w] = d
			touchSink.Add(sink)
		}
	})
	if err != nil {
		return nil, nil, err
	}
	d := local[0]
	for _, l := range local[1:] {
		for i := int32(0); int(i) < n; i++ {
			if r := l.find(i); r != i {
				d.union(i, r)
			}
		}
	}
	local = nil
	// components, in order of their smallest id (a root is always its component's smallest id),
	// members in increasing id: a counting sort instead of a map
	root := make([]int32, n)
	count := make([]int32, n+1)
	for i := int32(0); int(i) < n; i++ {
		root[i] = d.find(i)
		count[root[i]+1]++
	}
	var roots []int32
	for i := 0; i < n; i++ {
		if root[i] == int32(i) {
			roots = append(roots, int32(i))
		}
		count[i+1] += count[i]
	}
	flat := make([]int32, n)
	fill := slices.Clone(count[:n])
	cix := make([]int32, n) // position in the compact arrays below, −1: a text alone
	multiTexts := 0
	for i := int32(0); int(i) < n; i++ {
		r := root[i]
		flat[fill[r]] = i
		fill[r]++
		if count[r+1]-count[r] > 1 {
			cix[i] = int32(multiTexts)
			multiTexts++
		} else {
			cix[i] = -1
		}
	}
	fill, root = nil, nil
	// Only the texts of components of several texts are compared from here on: their signatures
	// and band keys move to arrays of their own (in id order) and the full ones are let go
	// (on a hashtag campaign most texts are alone: most of both arrays).
	{
		sigs2 := make([]uint64, multiTexts*sw)
		keys2 := make([]uint32, multiTexts*p.Bands)
		for i, c := range cix {
			if c >= 0 {
				copy(sigs2[int(c)*sw:int(c+1)*sw], sigs[i*sw:(i+1)*sw])
				copy(keys2[int(c)*p.Bands:int(c+1)*p.Bands], keys[i*p.Bands:(i+1)*p.Bands])
			}
		}
		sigs, keys, six, nsh = sigs2, keys2, cix, nil
		collect()
	}
	sim := make([]float32, n)
	// Components of more than one text (multi, in order), scheduled largest first so that a
	// large component does not start last while the other workers are idle; each result goes
	// to its component's place. A single text is its own group: no list is built for it.
	var multi []int32 // positions in roots
	for c, r := range roots {
		if count[r+1]-count[r] > 1 {
			multi = append(multi, int32(c))
		} else {
			sim[r] = 1
		}
	}
	parts := make([][][]int32, len(multi))
	sched := make([]int32, len(multi)) // positions in multi
	for k := range sched {
		sched[k] = int32(k)
	}
	slices.SortStableFunc(sched, func(a, b int32) int {
		ra, rb := roots[multi[a]], roots[multi[b]]
		return int((count[rb+1] - count[rb]) - (count[ra+1] - count[ra]))
	})
	scratches := sync.Pool{New: func() any { return new(scratch) }}
	err = parallel(ctx, p.workers(), len(sched), 1, func(lo, hi int) {
		sc := scratches.Get().(*scratch)
		for _, k := range sched[lo:hi] {
			r := roots[multi[k]]
			parts[k] = leaderGroups(ctx, flat[count[r]:count[r+1]], texts, weight, keys, cix, sim, atLeast, sc, p)
		}
		scratches.Put(sc)
	})
	if err != nil {
		return nil, nil, err
	}
	// only the groups that can be clusters: an eligible leader and at least MinSize messages
	keep := func(g []int32) bool {
		if !eligible[g[0]] {
			return false
		}
		size := 0
		for _, id := range g {
			size += int(weight[id])
		}
		return size >= p.MinSize
	}
	var groups [][]int32
	next := 0 // the next multi-text component
	for c, r := range roots {
		if next < len(multi) && multi[next] == int32(c) {
			for _, g := range parts[next] {
				if keep(g) {
					groups = append(groups, g)
				}
			}
			next++
		} else if g := flat[count[r]:count[r+1]]; keep(g) {
			groups = append(groups, g)
		}
	}
	return groups, sim, nil
}

// finder holds one goroutine's candidate list and marks (leaderGroups).
type finder struct {
	sc    *scratch
	cand  []int32
	tried []int32 // per leader: last stamp that tried it
	stamp int32
	slots []uint64 // slot of each band key of the last text, as byKey.get found it
	grows int      // byKey.grows then
	known []int32  // per leader: the stamp of the text the first pass compared with it (second pass)
}

// leaderGroups splits one component: heaviest texts first, each joins the most similar leader
// whose exact Jaccard passes the threshold, or becomes a leader itself. A text is compared with
// the component's heaviest leaders and with the leaders that share an LSH bucket with it (at most
// MaxLeaders in all), so a component that chains many different texts stays linear. The band
// keys of text id are keys[kix[id]*p.Bands:][:p.Bands].
func leaderGroups(ctx context.Context, ids []int32, texts []string, weight []int32, keys []uint32, kix []int32, sim []float32, atLeast func(a, b int32, t float64) bool, sc *scratch, p *Params) [][]int32 {
	if len(ids) == 1 {
		sim[ids[0]] = 1
		return [][]int32{ids}
	}
	order := slices.Clone(ids)
	slices.SortStableFunc(order, func(a, b int32) int {
		if weight[a] != weight[b] {
			return int(weight[b] - weight[a])
		}
		return int(a - b)
	})
	const heaviest = 4 // leaders every text is compared with
	type leader struct {
		id     int32
		lo, hi int32 // its distinct shingle hashes: sets[lo:hi]
		group  []int32
	}
	var leaders []leader
	// the leaders' shingle sets back to back, in the scratch's buffer: one allocation that the
	// next component reuses instead of one per leader
	sets := sc.leaderSets[:0]
	byKey := &sc.buckets                // (band, band key) → leaders
	byKey.reset(len(order))             // it grows if it must: most components need about one key per text
	assign := make([]int32, len(order)) // leader of each text, by position
	simAt := make([]float64, len(order))
	// gather lists in f.cand the leaders text id is compared with: the heaviest leaders and those
	// reachable through the text's buckets, at most MaxLeaders.
	gather := func(f *finder, id int32) {
		f.stamp++
		f.cand = f.cand[:0]
		for len(f.tried) < len(leaders) {
			f.tried = append(f.tried, 0)
		}
		try := func(li int32) {
			if f.tried[li] != f.stamp && len(f.cand) < p.MaxLeaders {
				f.tried[li] = f.stamp
				f.cand = append(f.cand, li)
			}
		}
		for li := 0; li < min(heaviest, len(leaders)); li++ {
			try(int32(li))
		}
		f.slots, f.grows = f.slots[:0], byKey.grows
		for b, k := range keys[int(kix[id])*p.Bands : int(kix[id]+1)*p.Bands] {
			l, at := byKey.get(bucketKey(b, k))
			f.slots = append(f.slots, at)
			if l[0] != 0 {
				try(l[0] - 1)
				if l[1] != 0 {
					try(l[1] - 1)
				}
			}
		}
	}
	// value compares text id (its distinct shingles set, also as the hash set seen) with leader
	// li: the exact Jaccard similarity when it passes the threshold, else −1 (also when the
	// MinHash estimate rules it out, skipping the exact check, and when li is the text itself).
	value := func(li, id int32, set []uint32, seen *hashSet) float64 {
		l := &leaders[li]
		if l.id == id {
			return -1
		}
		ls := sets[l.lo:l.hi]
		t := p.threshold(min(len(ls), len(set)))
		if !atLeast(l.id, id, t-2*p.EstimateSlack) {
			return -1
		}
		if j := jaccard(seen, ls); j >= t {
			return j
		}
		return -1
	}
	// best finds the most similar leader passing the threshold among the gathered ones, the
	// first on ties; f.sc.set and f.sc.seen hold the text's shingles.
	best := func(f *finder, id int32) (int, float64) {
		gather(f, id)
		bi, bj := -1, 0.0
		for _, li := range f.cand {
			if v := value(li, id, f.sc.set, &f.sc.seen); v >= 0 && v > bj {
				bi, bj = int(li), v
			}
		}
		return bi, bj
	}
	f := &finder{sc: sc}
	// comparedWith[pos] lists the leaders the first pass compared the text at pos with, for
	// the texts the second pass looks at again (in blocks of compared)
	comparedWith := make([][]int32, len(order))
	var compared []int32
	// place makes text id (at pos, distinct shingles set) join leader bi with similarity bj, or
	// become a leader when bi < 0; f holds the slots gather found for its band keys.
	place := func(pos int, id int32, set []uint32, bi int, bj float64) {
		li := int32(bi)
		if bi < 0 {
			li, bj = int32(len(leaders)), 1
			lo := int32(len(sets))
			sets = append(sets, set...)
			leaders = append(leaders, leader{id: id, lo: lo, hi: int32(len(sets))})
		}
		assign[pos], simAt[pos] = li, bj
		if bi >= 0 && bj < secondBelow { // the second pass looks at it again
			if cap(compared)-len(compared) < len(f.cand) {
				compared = make([]int32, 0, max(1<<14, len(f.cand)))
			}
			lo := len(compared)
			compared = append(compared, f.cand...)
			comparedWith[pos] = compared[lo:len(compared):len(compared)]
		}
		// a bucket points at the leaders of the texts first seen in it: a text that shares no
		// bucket with its leader still finds it through a sibling
		for b, k := range keys[int(kix[id])*p.Bands : int(kix[id]+1)*p.Bands] {
			if byKey.grows == f.grows {
				byKey.addAt(f.slots[b], bucketKey(b, k), li)
			} else {
				byKey.add(bucketKey(b, k), li)
			}
		}
	}
	for pos, id := range order {
		sc.set = shingleSet(sc.set, sc, texts[id], p) // also fills sc.seen
		bi, bj := best(f, id)
		place(pos, id, sc.set, bi, bj)
	}
	// Second pass: a text that joined a leader before a closer one existed (texts come heaviest
	// first) moves to the most similar leader. Leaders stay where they are. Each text is handled
	// on its own, so a large component uses every worker.
	// The leaders the first pass compared a text with need no second look: none scored more than
	// the leader it joined (its similarity, the best score), and only a leader scoring more can
	// take it. So only the leaders reachable now that it was not compared with are compared.
	lowest := p.Thresholds[0].Jaccard
	for _, t := range p.Thresholds {
		lowest = min(lowest, t.Jaccard)
	}
	second := func(f *finder, lo, hi int) {
		for len(f.known) < len(leaders) {
			f.known = append(f.known, 0)
		}
		for pos := lo; pos < hi; pos++ {
			id := order[pos]
			if leaders[assign[pos]].id == id || simAt[pos] >= secondBelow {
				continue
			}
			gather(f, id) // a new stamp
			for _, li := range comparedWith[pos] {
				f.known[li] = f.stamp
			}
			bi, bj, set := -1, 0.0, false
			for _, li := range f.cand {
				if f.known[li] == f.stamp {
					continue
				}
				// the MinHash estimate rules a leader out at the lowest threshold without the
				// text's shingle set (needed for its own threshold): it rules it out at any
				if l := &leaders[li]; l.id == id || !atLeast(l.id, id, lowest-2*p.EstimateSlack) {
					continue
				}
				if !set {
					f.sc.set = shingleSet(f.sc.set, f.sc, texts[id], p)
					set = true
				}
				if v := value(li, id, f.sc.set, &f.sc.seen); v >= 0 && v > bj {
					bi, bj = int(li), v
				}
			}
			if bi >= 0 && bj > simAt[pos] {
				assign[pos], simAt[pos] = int32(bi), bj
			}
		}
	}
	if len(order) < 4096 {
		second(f, 0, len(order))
	} else {
		finders := sync.Pool{New: func() any { return &finder{sc: &scratch{}} }} // one per worker, not per chunk
		_ = parallel(ctx, p.workers(), len(order), 1024, func(lo, hi int) {
			g := finders.Get().(*finder)
			second(g, lo, hi)
			finders.Put(g)
		})
	}
	sc.leaderSets = sets
	for li := range leaders { // the leader first: it is the template
		leaders[li].group = []int32{leaders[li].id}
	}
	for pos, id := range order {
		sim[id] = float32(simAt[pos])
		if l := &leaders[assign[pos]]; l.id != id {
			l.group = append(l.group, id)
		}
	}
	out := make([][]int32, 0, len(leaders))
	for _, l := range leaders {
		out = append(out, l.group)
	}
	return out
}

// secondBelow is the similarity to its leader below which a text is looked at again by the
// second pass of leaderGroups.
const secondBelow = 0.9

// parallel runs f over [0, n) split into contiguous chunks on up to workers goroutines. Each
// index is handled by exactly one call, so results written by index do not depend on scheduling.
func parallel(ctx context.Context, workers, n, chunk int, f func(lo, hi int)) error {
	if n == 0 {
		return ctx.Err()
	}
	if workers <= 1 || n <= chunk {
		for lo := 0; lo < n; lo += chunk {
			if err := ctx.Err(); err != nil {
				return err
			}
			f(lo, min(lo+chunk, n))
		}
		return nil
	}
	var (
		mu   sync.Mutex
		next int
		wg   sync.WaitGroup
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				if ctx.Err() != nil {
					return
				}
				mu.Lock()
				lo := next
				next += chunk
				mu.Unlock()
				if lo >= n {
					return
				}
				f(lo, min(lo+chunk, n))
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}
