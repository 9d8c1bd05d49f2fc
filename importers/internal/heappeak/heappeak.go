// Package heappeak measures the peak heap of a piece of work, for the importers' benchmarks
// (make bench prints it as peak-heap-MB). It samples runtime.MemStats.HeapInuse every 20 ms on
// a goroutine of its own; it is for benchmarks only and must not be used on an import path.
package heappeak

import (
	"runtime"
	"sync"
	"time"
)

// Start begins sampling; stop ends it and returns the largest heap in use seen, in bytes.
func Start() (stop func() uint64) {
	var (
		mu   sync.Mutex
		peak uint64
		done = make(chan struct{})
		wg   sync.WaitGroup
	)
	sample := func() {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		mu.Lock()
		peak = max(peak, m.HeapInuse)
		mu.Unlock()
	}
	sample()
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				sample()
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		sample()
		return peak
	}
}

// MB is n bytes in mebibytes, for b.ReportMetric.
func MB(n uint64) float64 { return float64(n) / (1 << 20) }
