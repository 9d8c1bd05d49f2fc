package analysis

import (
	"context"
	"fmt"
	"hash/maphash"
	"math/bits"
	"runtime/debug"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
	"unsafe"
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

	msgCluster []int32                // cluster position (before ranking) of each message, −1 when none
	chanTimes  map[string][]time.Time // known times of analysed messages per channel, sorted

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
	// whatever the caller left behind building the input (a case read from SQLite leaves about
	// as much garbage as the input itself) is collected first, so that the heap the analysis
	// grows into starts from the input alone
	a.collect()
	a.progress("normalise", 0)
	if err := a.normalise(); err != nil {
		return nil, err
	}
	res.Distinct = len(a.texts)
	for _, w := range a.weight {
		res.Analysed += int(w)
	}
	a.progress("cluster", 0.3)
	a.collect()
	eligible := make([]bool, len(a.texts))
	short := make([]bool, len(a.texts))
	err := parallel(a.ctx, a.p.workers(), len(a.texts), 4096, func(lo, hi int) {
		for i, t := range a.texts[lo:hi] {
			n := informative(t)
			eligible[lo+i] = n >= a.p.MinChars
			short[lo+i] = n < a.p.ShortChars
		}
	})
	if err != nil {
		return nil, err
	}
	groups, sim, err := nearGroups(a.ctx, a.texts, a.weight, eligible, a.p, a.collect)
	if err != nil {
		return nil, err
	}
	a.collect()
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
	cand := groups // the groups big enough to describe
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
	a.collect()
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
	// The descriptions below write disjoint fields of the clusters and of res and only read the
	// rest, so on a case of up to sideBySide messages they run side by side (a single raid is
	// described sooner); above, one after the other, so that their working memory does not add
	// up. Each is sequential inside: the result is the same either way.
	a.progress("time", 0.8)
	a.chanTimes = a.channelTimes()
	var (
		stages sync.WaitGroup
		terr   error
	)
	stage := func(f func()) {
		if len(a.msgs) <= sideBySide && a.p.workers() > 1 {
			stages.Go(f)
		} else {
			f()
			a.collect()
		}
	}
	stage(func() { a.timeStats(res, clusters) })
	stage(func() { a.senderStats(res, clusters) })
	stage(func() {
		a.cadence(res, clusters)
		a.coSignals(res)
	})
	stage(func() { terr = a.triage(res, clusters) })
	stages.Wait()
	a.chanTimes = nil
	a.progress("triage", 0.9)
	if terr != nil {
		return nil, terr
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

// collectFrom is the smallest case on which Analyze collects garbage between its stages.
const collectFrom = 100000

// collect runs the garbage collector between two stages of a large analysis and returns the
// freed memory to the system. Each stage leaves large temporaries behind (the normalisation
// index, the MinHash signatures and band keys, the leader tables); the collector's next goal is
// twice the heap it last found live, and if it last ran while those were live the heap grows to
// twice their peak before it runs again. Collecting once they are garbage keeps the peak near the
// live set, and giving the pages back keeps the next stage's large arrays (which seldom fit in
// the holes the last one left) from adding to it: on 1M messages the peak resident set falls by
// about a fifth, for a fraction of a second of collector time.
func (a *run) collect() {
	if len(a.msgs) >= collectFrom {
		debug.FreeOSMemory()
	}
}

// sideBySide is the largest case whose descriptions run side by side.
const sideBySide = 100000

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

// normalise fills msgText, texts, weight and signals (not for Groups, which does not use them).
// Blocks of messages are normalised on all workers into byte arenas; each block is then merged in
// input order (distinct texts numbered in order of first appearance) while the next block is
// being normalised, so the result does not depend on the number of workers.
func (a *run) normalise() error {
	const block, chunk = 1 << 14, 1024
	n := len(a.msgs)
	a.msgText = make([]int32, n)
	detail := !a.onlyGroups
	type blockBuf struct {
		lo, hi int
		arenas [block / chunk][]byte   // normalised texts of each chunk, back to back
		ends   []int32                 // end of each message's text in its chunk's arena
		hashes []uint64                // hash of each message's text
		sigs   [block / chunk][]signal // signals of each chunk, back to back
		sigEnd []int32                 // end of each message's signals in its chunk's list
	}
	bufs := [2]*blockBuf{}
	for i := range bufs {
		bufs[i] = &blockBuf{ends: make([]int32, block), sigEnd: make([]int32, block), hashes: make([]uint64, block)}
	}
	// Distinct texts are numbered through an open-addressing table of (hash, id) slots filled
	// in input order; the hashes are computed by the workers, the strings compared only when
	// the hashes agree. The seed decides only where a text is looked for, never its id.
	seed := maphash.MakeSeed()
	idx := textIndex{slots: make([]uint64, 1<<bits.Len(uint(n/2+16)))}
	var texts textArena
	merge := func(bb *blockBuf) {
		for i := 0; i < bb.hi-bb.lo; i++ {
			start, sigStart := int32(0), int32(0)
			if i%chunk != 0 {
				start, sigStart = bb.ends[i-1], bb.sigEnd[i-1]
			}
			if detail {
				a.signals = append(a.signals, bb.sigs[i/chunk][sigStart:bb.sigEnd[i]]...)
			}
			t := bb.arenas[i/chunk][start:bb.ends[i]]
			if len(t) == 0 {
				a.msgText[bb.lo+i] = -1
				continue
			}
			id := idx.find(a.texts, t, bb.hashes[i])
			if id < 0 {
				id = int32(len(a.texts))
				a.texts = append(a.texts, texts.add(t))
				a.weight = append(a.weight, 0)
				idx.insert(bb.hashes[i], id)
			}
			a.weight[id]++
			a.msgText[bb.lo+i] = id
		}
		a.progress("normalise", 0.3*float64(bb.hi)/float64(n))
	}
	var merging sync.WaitGroup
	for k, lo := 0, 0; lo < n; k, lo = k+1, lo+block {
		bb := bufs[k%2]
		bb.lo, bb.hi = lo, min(lo+block, n)
		err := parallel(a.ctx, a.p.workers(), bb.hi-bb.lo, chunk, func(x, y int) {
			nz := pool.Get().(*normalizer)
			defer pool.Put(nz)
			arena, sigs := bb.arenas[x/chunk][:0], bb.sigs[x/chunk][:0]
			if need := 0; cap(arena) == 0 {
				for i := x; i < y; i++ {
					need += len(a.msgs[lo+i].Text)
				}
				arena = make([]byte, 0, need+need/8)
			}
			for i := x; i < y; i++ {
				m := &a.msgs[lo+i]
				if !m.Outgoing && !m.Skip {
					nz.run(m.Text, detail)
					arena = append(arena, nz.out...)
					bb.hashes[i] = maphash.Bytes(seed, nz.out)
					if detail {
						sigs = appendSignals(sigs, int32(lo+i), &nz.sig, m.Media)
						sg := &nz.sig // copied out: keep the slices for the next message
						sg.URLs, sg.Mentions, sg.Hashtags, sg.Numbers = sg.URLs[:0], sg.Mentions[:0], sg.Hashtags[:0], sg.Numbers[:0]
					}
				}
				bb.ends[i], bb.sigEnd[i] = int32(len(arena)), int32(len(sigs))
			}
			bb.arenas[x/chunk], bb.sigs[x/chunk] = arena, sigs
		})
		merging.Wait() // the previous block, merged while this one was normalised
		if err != nil {
			return err
		}
		merging.Add(1)
		go func() {
			defer merging.Done()
			merge(bb)
		}()
	}
	merging.Wait()
	return a.ctx.Err()
}

// textIndex finds distinct texts by hash: a slot holds the high 32 bits of a text's hash, which
// also choose where it is looked for, and its id + 1 (0: empty). It stays at most half full.
type textIndex struct {
	slots []uint64
	n     int
}

// find returns the id of text t of hash h among texts, −1 when it has none.
func (x *textIndex) find(texts []string, t []byte, h uint64) int32 {
	mask := uint64(len(x.slots) - 1)
	for i := h >> 32 & mask; ; i = (i + 1) & mask {
		v := x.slots[i]
		if v == 0 {
			return -1
		}
		if v>>32 == h>>32 {
			if id := int32(uint32(v)) - 1; texts[id] == string(t) {
				return id
			}
		}
	}
}

// insert records id under hash h (the text must not be there yet).
func (x *textIndex) insert(h uint64, id int32) {
	if 2*(x.n+1) > len(x.slots) {
		old := x.slots
		x.slots, x.n = make([]uint64, 2*len(old)), 0
		for _, v := range old {
			if v != 0 {
				x.put(v)
			}
		}
	}
	x.put(h>>32<<32 | uint64(uint32(id+1)))
}

func (x *textIndex) put(v uint64) {
	mask := uint64(len(x.slots) - 1)
	i := v >> 32 & mask
	for x.slots[i] != 0 {
		i = (i + 1) & mask
	}
	x.slots[i] = v
	x.n++
}

// appendSignals appends the URLs, mentions, hashtags and numbers found in message m, then its
// attachments.
func appendSignals(dst []signal, m int32, sig *Normalized, media []string) []signal {
	for _, u := range sig.URLs {
		dst = append(dst, signal{m, sigURL, canonicalURL(u)})
	}
	for _, u := range sig.Mentions {
		dst = append(dst, signal{m, sigMention, u})
	}
	for _, u := range sig.Hashtags {
		dst = append(dst, signal{m, sigHashtag, u})
	}
	for _, u := range sig.Numbers {
		dst = append(dst, signal{m, sigNumber, u})
	}
	for _, u := range media {
		dst = append(dst, signal{m, sigMedia, u})
	}
	return dst
}

// textArena stores strings back to back in large blocks, so that many distinct texts cost a few
// allocations and little garbage-collector work. A block is never written again once a string
// points into it.
type textArena struct {
	cur []byte
}

func (t *textArena) add(b []byte) string {
	if cap(t.cur)-len(t.cur) < len(b) {
		t.cur = make([]byte, 0, max(1<<20, len(b)))
	}
	off := len(t.cur)
	t.cur = append(t.cur, b...)
	return unsafe.String(&t.cur[off], len(b))
}

// internSenders numbers the senders of analysed messages in order of first message. The
// senders are hashed on all workers; the numbering is one pass over an open-addressing table of
// (hash, id) slots, comparing the strings only when the hashes agree.
func (a *run) internSenders() {
	n := len(a.msgs)
	a.sid = make([]int32, n)
	hs := make([]uint64, n)
	seed := maphash.MakeSeed() // decides only where a sender is looked for, never its id
	_ = parallel(a.ctx, a.p.workers(), n, 8192, func(lo, hi int) {
		for m := lo; m < hi; m++ {
			if a.msgText[m] >= 0 {
				hs[m] = maphash.String(seed, a.msgs[m].Sender)
			}
		}
	})
	size := 1 << bits.Len(uint(2*n+16))
	mask := uint64(size - 1)
	slots := make([]uint64, size) // hash (high 32 bits) and id + 1 (low 32 bits); 0: empty
	for m, t := range a.msgText {
		if t < 0 {
			a.sid[m] = -1
			continue
		}
		s, h := a.msgs[m].Sender, hs[m]
		id := int32(-1)
		for i := h & mask; ; i = (i + 1) & mask {
			v := slots[i]
			if v == 0 {
				id = int32(len(a.senders))
				slots[i] = h>>32<<32 | uint64(id+1)
				a.senders = append(a.senders, s)
				a.sentCount = append(a.sentCount, 0)
				break
			}
			if v>>32 == h>>32 {
				if c := int32(uint32(v)) - 1; a.senders[c] == s {
					id = c
					break
				}
			}
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
		if c := t[i]; c < utf8.RuneSelf {
			if asciiWord[c] { // an ASCII letter or digit
				n++
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
