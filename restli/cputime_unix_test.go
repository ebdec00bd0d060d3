//go:build unix

// This file gives benchmarks the CPU time the process spent, so that figures
// taken on a busy machine compare (wall time also counts the waits for a
// core).

package restli

import (
	"syscall"
	"time"
)

// processCPU returns the user and system CPU time the process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
