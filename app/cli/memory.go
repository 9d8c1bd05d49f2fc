package cli

import (
	"os"
	"runtime/debug"
)

// Soft limits LimitMemory sets on the Go heap, so that a 1M-message case imports, analyses and
// exports on an ordinary laptop. Without one the Go collector lets the heap grow to twice what is
// live: a 1M-message export peaked at 2.2 GB resident, at 1.25 GB with MemoryLimit (and took 81 s
// instead of 62). The window holds the open case in memory (0.6 GB at 1M messages) on top of what
// a job needs, and a job whose live heap exceeds the limit makes the collector run all the time:
// analysing a 1M-message case in the window took 58 s under 1 GiB, 30 s under
// WindowMemoryLimit (2.1 GB resident both) and 33 s under 2 GiB (2.5 GB). The limits are soft:
// work that needs more still gets it, the collector then runs more often (the runtime caps its
// share of the CPU).
const (
	MemoryLimit       = 1 << 30      // the commands
	WindowMemoryLimit = 3 << 30 >> 1 // the window: 1.5 GiB
)

// LimitMemory sets limit for this process unless the GOMEMLIMIT environment variable sets one of
// its own, and returns the limit in force. main calls it first, with MemoryLimit for the commands
// and WindowMemoryLimit for the window.
func LimitMemory(limit int64) int64 {
	if os.Getenv("GOMEMLIMIT") != "" {
		return debug.SetMemoryLimit(-1) // reads the limit without changing it
	}
	debug.SetMemoryLimit(limit)
	return limit
}

// ExportGCPercent is the collector's target (GOGC) while a bundle is exported. An export holds
// a large model for its whole length (the compact rows of every message, the raids) and makes
// a lot of short-lived garbage (the full messages as they are read, the PDF's pages), so with
// the default 100 the heap grows far past what is live: a 1M-message export peaked at 691 MiB
// resident in 72 s, at 531 MiB in 70 s with 50, 436 MiB in 83 s with 25 and 398 MiB in 86 s
// with 12 (evidence.Export under MemoryLimit, 2026-12-08).
const ExportGCPercent = 25

// exportGC sets ExportGCPercent unless the GOGC environment variable sets a target of its own,
// and returns what restores the previous one.
func exportGC() (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(ExportGCPercent)
	return func() { debug.SetGCPercent(old) }
}
