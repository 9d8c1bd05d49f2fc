package cli

import (
	"os"
	"runtime/debug"
)

// MemoryLimit is the soft limit LimitMemory sets on the Go heap: 1 GiB, so that a 1M-message
// case imports, analyses and exports on an ordinary laptop. Without it the Go collector lets the
// heap grow to twice what is live (a 1M-message export peaked at 2.9 GB resident, at 1.5 GB with
// the limit). It is soft: work that needs more still gets it, the collector then runs more often
// (the runtime caps its share of the CPU).
const MemoryLimit = 1 << 30

// LimitMemory sets MemoryLimit for this process unless the GOMEMLIMIT environment variable sets a
// limit of its own, and returns the limit in force. main calls it first, for the window and the
// commands alike.
func LimitMemory() int64 {
	if os.Getenv("GOMEMLIMIT") != "" {
		return debug.SetMemoryLimit(-1) // reads the limit without changing it
	}
	debug.SetMemoryLimit(MemoryLimit)
	return MemoryLimit
}
