//go:build !race

// This file tells the tests they run without the race detector.

package adanalytics_test

const raceEnabled = false
