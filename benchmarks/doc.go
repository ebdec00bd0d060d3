// Package benchmarks holds the end-to-end benchmarks of the LinkedIn client
// and its side-by-side comparison with LinkedIn's official JavaScript
// client. It has no API: everything is in the _test.go files
// (go test -bench . -benchmem ./benchmarks/...) and in peers/, whose
// run.sh measures this module and the JavaScript client in one run against
// one loopback server. README.md holds the results and how to reproduce
// them.
package benchmarks
