// Package reliability holds the module's reliability and security tests:
// a fault-injection soak of the full default stack against the fake
// server, a daily-quota phase, the retry budget under a full outage, the
// circuit breaker under load, bounded reads of everything that comes from
// the network, and a secrets audit that drives every path that can produce
// text with canary credentials. It has no non-test code; the
// tests use only the public APIs, like a user's own tests would.
//
// Run the soak and breaker tests (about half a minute with -race):
//
//	go test -race -run 'Soak|Breaker' -count=1 -v ./transport/reliability/
//
// Under -short the soak runs a tenth of its calls unless LINKEDIN_SOAK=1.
// transport/RELIABILITY.md states what the library guarantees and records
// the figures of the soak runs.
package reliability
