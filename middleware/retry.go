package middleware

// STUB: replaced by the retry implementation.

import (
	"net/http"
	"time"
)

// RetryOptions configures Retry. The zero value means the defaults.
type RetryOptions struct {
	MaxAttempts        int
	RetryWaitMin       time.Duration
	RetryWaitMax       time.Duration
	MaxRetryAfter      time.Duration
	RetryNonIdempotent bool
}

// Retry returns the retry layer.
func Retry(opts RetryOptions) func(http.RoundTripper) http.RoundTripper {
	return func(next http.RoundTripper) http.RoundTripper { return next }
}
