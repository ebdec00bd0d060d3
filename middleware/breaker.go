package middleware

// STUB: replaced by the circuit breaker implementation.

import (
	"errors"
	"net/http"
	"time"
)

// ErrCircuitOpen is returned (wrapped) while a circuit breaker is open.
var ErrCircuitOpen = errors.New("circuit breaker is open")

// BreakerOptions configures CircuitBreaker. The zero value means the defaults.
type BreakerOptions struct {
	FailureThreshold int
	OpenTimeout      time.Duration
	HalfOpenRequests int
	Key              func(*http.Request) string
	IsFailure        func(*http.Response, error) bool
	OnStateChange    func(key, from, to string)
}

// CircuitBreaker returns the circuit breaker layer.
func CircuitBreaker(opts BreakerOptions) func(http.RoundTripper) http.RoundTripper {
	return func(next http.RoundTripper) http.RoundTripper { return next }
}
