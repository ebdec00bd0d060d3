//go:build !unix

// This file stands in for cputime_unix_test.go where getrusage does not
// exist: benchmarks then report no CPU time.

package restli

import "time"

func processCPU() time.Duration { return 0 }
