// Package middleware holds the http.RoundTripper layers of the LinkedIn
// stack: Rest.li and LinkedIn headers, query tunneling, retries on
// go-retryablehttp, a circuit breaker on gobreaker, rate limiting and
// structured logging. Each constructor takes one options struct whose zero
// value means sensible defaults and returns a func(http.RoundTripper)
// http.RoundTripper; package transport assembles them into the default stack.
package middleware
