package analysis_test

import (
	"context"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"raidtrace/analysis"
	"raidtrace/analysis/corpus"
)

// pairScores returns pairwise precision, recall and F1 of clusters against labels (label 0 is
// "in no raid"; a message in no cluster is alone).
func pairScores(n int, res *analysis.Result, labels []int) (prec, rec, f1 float64) {
	pred := make([]int, n)
	for _, c := range res.Clusters {
		for _, m := range c.Members {
			pred[m] = c.ID
		}
	}
	pairs := func(k int) float64 { return float64(k) * float64(k-1) / 2 }
	type cell struct{ p, l int }
	cells := map[cell]int{}
	predN := map[int]int{}
	labN := map[int]int{}
	for i := 0; i < n; i++ {
		if pred[i] > 0 {
			predN[pred[i]]++
		}
		if labels[i] > 0 {
			labN[labels[i]]++
		}
		if pred[i] > 0 && labels[i] > 0 {
			cells[cell{pred[i], labels[i]}]++
		}
	}
	var tp, pp, lp float64
	for _, k := range cells {
		tp += pairs(k)
	}
	for _, k := range predN {
		pp += pairs(k)
	}
	for _, k := range labN {
		lp += pairs(k)
	}
	if pp > 0 {
		prec = tp / pp
	}
	if lp > 0 {
		rec = tp / lp
	}
	if prec+rec > 0 {
		f1 = 2 * prec * rec / (prec + rec)
	}
	return prec, rec, f1
}

func benchN(def int) int {
	if s := os.Getenv("RAIDTRACE_BENCH_N"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			return n
		}
	}
	return def
}

// resetPeakRSS returns the heap left by building the corpus to the OS and restarts the peak
// resident set count (Linux ≥ 4.0: writing 5 to clear_refs), so that MB_peak_rss measures the
// input plus the analysis, not the corpus generator's garbage. It reports whether it could.
func resetPeakRSS() bool {
	debug.FreeOSMemory()
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// peakRSSMB is the process's peak resident set (VmHWM) in MB of 2^20 bytes (as the heap
// figures subtracted from it, and every MB the benchmarks print), 0 when unknown.
func peakRSSMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			f := strings.Fields(l)
			if len(f) >= 2 {
				kb, _ := strconv.ParseFloat(f[1], 64)
				return kb / 1024
			}
		}
	}
	return 0
}

// BenchmarkAnalyze runs the whole analysis on a raid-heavy corpus of RAIDTRACE_BENCH_N messages
// (default 200,000) and reports throughput, memory and pairwise clustering quality.
// MB_own_peak_per_1M is the peak resident set less the heap the input messages hold before the
// analysis starts, per million messages: the analysis's own footprint.
func BenchmarkAnalyze(b *testing.B) {
	n := benchN(200000)
	c := corpus.Generate(corpus.Config{Seed: 1, N: n})
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	inputMB := float64(before.HeapInuse) / (1 << 20) // the corpus itself, included in the peak RSS
	if !resetPeakRSS() {
		b.Log("cannot reset the peak RSS: MB_peak_rss includes building the corpus")
	}
	var res *analysis.Result
	b.ResetTimer()
	cpu0 := cpuSeconds()
	start := time.Now()
	for b.Loop() {
		var err error
		res, err = analysis.Analyze(context.Background(), c.Messages, analysis.DefaultParams(), nil)
		if err != nil {
			b.Fatal(err)
		}
	}
	el := time.Since(start)
	cpu := cpuSeconds() - cpu0
	b.StopTimer()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	p, r, f := pairScores(n, res, c.Labels)
	b.ReportMetric(float64(n)*float64(b.N)/el.Seconds(), "msgs/s")
	b.ReportMetric(float64(n)*float64(b.N)/cpu, "msgs/cpu-s")
	b.ReportMetric(peakRSSMB(), "MB_peak_rss")
	b.ReportMetric(peakRSSMB()*1e6/float64(n), "MB_peak_rss_per_1M")
	b.ReportMetric((peakRSSMB()-inputMB)*1e6/float64(n), "MB_own_peak_per_1M")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/1e6, "MB_alloc/op")
	b.ReportMetric(inputMB, "MB_input_heap")
	b.ReportMetric(p, "precision")
	b.ReportMetric(r, "recall")
	b.ReportMetric(f, "F1")
	b.ReportMetric(float64(len(res.Clusters)), "clusters")
}

// cpuSeconds is the process's user+system CPU time: on a shared machine, msgs/cpu-s shows the
// cost independently of the load (2 × msgs/cpu-s bounds the 2-core throughput).
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// BenchmarkGroupsHashtag is BenchmarkGroups on a hashtag-campaign corpus: 60 % distinct posts
// pushing three hashtags, 20 % raids.
func BenchmarkGroupsHashtag(b *testing.B) {
	benchGroups(b, corpus.Config{Seed: 2, N: benchN(200000), RaidPart: 0.2, HardPart: 0.05, HashtagPart: 0.6})
}

// BenchmarkGroups times near-duplicate clustering alone (normalisation, exact groups, MinHash,
// LSH, verification, templates and variants) on RAIDTRACE_BENCH_N raid-heavy messages.
func BenchmarkGroups(b *testing.B) {
	benchGroups(b, corpus.Config{Seed: 1, N: benchN(200000)})
}

func benchGroups(b *testing.B, cfg corpus.Config) {
	n := cfg.N
	c := corpus.Generate(cfg)
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	if !resetPeakRSS() {
		b.Log("cannot reset the peak RSS: MB_peak_rss includes building the corpus")
	}
	b.ResetTimer()
	cpu0 := cpuSeconds()
	start := time.Now()
	var groups [][]int
	for b.Loop() {
		var err error
		groups, err = analysis.Groups(context.Background(), c.Messages, analysis.DefaultParams())
		if err != nil {
			b.Fatal(err)
		}
	}
	el := time.Since(start)
	cpu := cpuSeconds() - cpu0
	b.StopTimer()
	res := &analysis.Result{}
	for g, ms := range groups {
		res.Clusters = append(res.Clusters, analysis.Cluster{ID: g + 1, Members: ms})
	}
	p, r, f := pairScores(n, res, c.Labels)
	b.ReportMetric(float64(n)*float64(b.N)/el.Seconds(), "msgs/s")
	b.ReportMetric(float64(n)*float64(b.N)/cpu, "msgs/cpu-s")
	b.ReportMetric(peakRSSMB(), "MB_peak_rss")
	b.ReportMetric(peakRSSMB()*1e6/float64(n), "MB_peak_rss_per_1M")
	b.ReportMetric((peakRSSMB()-float64(before.HeapInuse)/(1<<20))*1e6/float64(n), "MB_own_peak_per_1M")
	b.ReportMetric(float64(before.HeapInuse)/(1<<20), "MB_input_heap")
	b.ReportMetric(p, "precision")
	b.ReportMetric(r, "recall")
	b.ReportMetric(f, "F1")
}

// BenchmarkRaid20k times the whole analysis of a single 20,000-message raid.
func BenchmarkRaid20k(b *testing.B) {
	c := corpus.Generate(corpus.Config{Seed: 5, N: 20000, Raids: 1, RaidPart: 0.999, HardPart: 0.0005})
	cpu0 := cpuSeconds()
	for b.Loop() {
		if _, err := analysis.Analyze(context.Background(), c.Messages, analysis.DefaultParams(), nil); err != nil {
			b.Fatal(err)
		}
	}
	cpu := cpuSeconds() - cpu0
	b.ReportMetric(float64(20000*b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(cpu*1000/float64(b.N), "cpu-ms/op")
}

// BenchmarkNormalizeCorpus normalises the texts of a raid-heavy corpus (20,000 messages), as
// the clustering does: ns per message and the share of messages the whole-message fast path
// takes are what to watch.
func BenchmarkNormalizeCorpus(b *testing.B) {
	c := corpus.Generate(corpus.Config{Seed: 1, N: 20000})
	bytes := 0
	for _, m := range c.Messages {
		bytes += len(m.Text)
	}
	b.SetBytes(int64(bytes))
	b.ResetTimer()
	for b.Loop() {
		for _, m := range c.Messages {
			analysis.Normalize(m.Text)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(c.Messages)), "ns/msg")
}

// BenchmarkAnalyzeLive runs the analysis as BenchmarkAnalyze does, collecting garbage every
// 100 ms, and reports the highest live heap seen in each stage, less the input's (live-MB-<stage>,
// the analysis's own), and the input's (live-MB-input): where its memory goes, stage by stage.
// The collections slow it down: its time is not a throughput figure.
func BenchmarkAnalyzeLive(b *testing.B) {
	n := benchN(200000)
	c := corpus.Generate(corpus.Config{Seed: 1, N: n})
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var (
		mu    sync.Mutex
		stage = "start"
		peak  = map[string]uint64{}
	)
	sample := func() {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		mu.Lock()
		peak[stage] = max(peak[stage], ms.HeapAlloc)
		mu.Unlock()
	}
	progress := func(s string, _ float64) {
		sample() // the stage before this one, at its end
		mu.Lock()
		stage = s
		mu.Unlock()
	}
	for b.Loop() {
		done := make(chan struct{})
		var sampler sync.WaitGroup
		sampler.Go(func() {
			t := time.NewTicker(100 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-done:
					return
				case <-t.C:
					sample()
				}
			}
		})
		_, err := analysis.Analyze(context.Background(), c.Messages, analysis.DefaultParams(), progress)
		close(done)
		sampler.Wait() // before peak is read
		if err != nil {
			b.Fatal(err)
		}
	}
	in := float64(before.HeapAlloc) / (1 << 20)
	b.ReportMetric(in, "live-MB-input")
	for s, v := range peak {
		if s != "start" && s != "done" {
			b.ReportMetric(float64(v)/(1<<20)-in, "live-MB-"+s)
		}
	}
}
