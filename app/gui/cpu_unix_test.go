//go:build unix

package gui

import "syscall"

// cpuSeconds is the CPU time (user and system) this process has used: on a shared machine it
// tells the work a benchmark did better than the wall clock.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
