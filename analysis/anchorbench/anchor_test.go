// Package anchorbench compares raidtrace's near-duplicate clustering with the Go MinHash-LSH
// library github.com/ekzhu/minhash-lsh on the same generated corpus. It is a separate module so
// that the main module does not depend on the anchor.
//
//	cd analysis/anchorbench && RAIDTRACE_ANCHOR_N=20000 go test -run '^$' -bench . -benchtime 1x
package anchorbench

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	minhashlsh "github.com/ekzhu/minhash-lsh"

	"raidtrace/analysis"
	"raidtrace/analysis/corpus"
)

func envN(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// anchor clusters msgs the way the library is meant to be used: a MinHash of the 3-shingles of
// each normalised text (60 hashes, as raidtrace), all added to one LSH index at threshold 0.5,
// then every message queried and joined with what the query returns.
func anchor(msgs []analysis.Message) []int {
	const numHash = 60
	sigs := make([][]uint64, len(msgs))
	lsh := minhashlsh.NewMinhashLSH16(numHash, 0.5)
	for i, m := range msgs {
		t := []byte(analysis.Normalize(m.Text))
		mh := minhashlsh.NewMinhash(1, numHash)
		for j := 0; j+3 <= len(t); j++ {
			mh.Push(t[j : j+3])
		}
		if len(t) < 3 {
			mh.Push(t)
		}
		sigs[i] = mh.Signature()
		lsh.Add(i, sigs[i])
	}
	lsh.Index()
	parent := make([]int, len(msgs))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for i := range msgs {
		for _, k := range lsh.Query(sigs[i]) {
			a, b := find(i), find(k.(int))
			if a != b {
				parent[b] = a
			}
		}
	}
	label := make([]int, len(msgs))
	for i := range msgs {
		label[i] = find(i) + 1
	}
	return label
}

func pairF1(pred, labels []int) (p, r, f float64) {
	pairs := func(k int) float64 { return float64(k) * float64(k-1) / 2 }
	type cell struct{ p, l int }
	cells, pn, ln := map[cell]int{}, map[int]int{}, map[int]int{}
	for i := range pred {
		if pred[i] > 0 {
			pn[pred[i]]++
		}
		if labels[i] > 0 {
			ln[labels[i]]++
		}
		if pred[i] > 0 && labels[i] > 0 {
			cells[cell{pred[i], labels[i]}]++
		}
	}
	var tp, pp, lp float64
	for _, k := range cells {
		tp += pairs(k)
	}
	for _, k := range pn {
		pp += pairs(k)
	}
	for _, k := range ln {
		lp += pairs(k)
	}
	if pp > 0 {
		p = tp / pp
	}
	if lp > 0 {
		r = tp / lp
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

// BenchmarkVsAnchor times raidtrace's analysis.Groups and the anchor on the same corpus of
// RAIDTRACE_ANCHOR_N raid-heavy messages (default 20,000) and reports both throughputs, the
// speedup and both pairwise F1 scores.
func BenchmarkVsAnchor(b *testing.B) {
	n := envN("RAIDTRACE_ANCHOR_N", 20000)
	c := corpus.Generate(corpus.Config{Seed: 1, N: n})
	var ours, theirs time.Duration
	var groups [][]int
	var alabels []int
	for b.Loop() {
		start := time.Now()
		var err error
		groups, err = analysis.Groups(context.Background(), c.Messages, analysis.DefaultParams())
		if err != nil {
			b.Fatal(err)
		}
		ours += time.Since(start)
		start = time.Now()
		alabels = anchor(c.Messages)
		theirs += time.Since(start)
	}
	pred := make([]int, n)
	for g, ms := range groups {
		for _, m := range ms {
			pred[m] = g + 1
		}
	}
	_, _, fo := pairF1(pred, c.Labels)
	pa, _, fa := pairF1(alabels, c.Labels)
	b.ReportMetric(float64(n*b.N)/ours.Seconds(), "raidtrace_msgs/s")
	b.ReportMetric(float64(n*b.N)/theirs.Seconds(), "anchor_msgs/s")
	b.ReportMetric(theirs.Seconds()/ours.Seconds(), "speedup_x")
	b.ReportMetric(fo, "raidtrace_F1")
	b.ReportMetric(fa, "anchor_F1")
	b.ReportMetric(pa, "anchor_precision")
}
