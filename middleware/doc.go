// Package middleware holds the http.RoundTripper layers of the LinkedIn
// stack: Rest.li and LinkedIn headers, query tunneling, retries (with
// go-retryablehttp's policy and backoff functions, a retry budget and
// LinkedIn's daily-quota rule), a circuit breaker on gobreaker, rate and
// quota limits, and structured logging. Each constructor takes one options
// struct whose zero value means sensible defaults and returns a
// func(http.RoundTripper) http.RoundTripper; package transport assembles
// them into the default stack.
//
// The reliability layers keep their state behind two small interfaces,
// QuotaStore and BreakerStore, in-process by default (MemoryQuotaStore,
// MemoryBreakerStore); a store that many replicas share makes them share
// one LinkedIn quota and one view of a host's health. Package storetest is
// the conformance test of any implementation.
package middleware
