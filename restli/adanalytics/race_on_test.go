//go:build race

// This file tells the tests they run under the race detector, which makes
// the full-size report too slow to run with every go test -race.

package adanalytics_test

const raceEnabled = true
