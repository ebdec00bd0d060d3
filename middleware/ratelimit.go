package middleware

import (
	"context"
	"fmt"
	"net/http"

	"golang.org/x/time/rate"
)

// RateLimitError is returned when a request gave up waiting for the rate
// limiter: its context was cancelled or its deadline would pass before a
// token is available. It wraps the context's error, so errors.Is(err,
// context.Canceled) and errors.Is(err, context.DeadlineExceeded) work.
type RateLimitError struct {
	// Err is the context's error (context.DeadlineExceeded also when the
	// limiter saw that the deadline would pass before a token is free), or
	// the limiter's own error when it can never grant a token (a limiter
	// with a burst of zero and a finite limit).
	Err error
	// Detail is the limiter's own explanation, if any.
	Detail string
}

// Error implements error.
func (e *RateLimitError) Error() string {
	s := "linkedin: rate limit: waiting for a token: " + e.Err.Error()
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

// Unwrap returns the context's error.
func (e *RateLimitError) Unwrap() error { return e.Err }

// ErrorType returns "rate_limit_wait", for the error.type attribute of
// OpenTelemetry.
func (e *RateLimitError) ErrorType() string { return "rate_limit_wait" }

// RateLimit returns a layer that takes one token from limiter before each
// request it sends (in the default stack: each wire attempt, below retry),
// waiting as long as needed. The wait honours the request's context: when
// the context is done, or its deadline would pass before a token is free,
// the request is not sent, its body is closed and a *RateLimitError wrapping
// the context's error is returned. A nil limiter gives a layer that does
// nothing.
func RateLimit(limiter *rate.Limiter) func(http.RoundTripper) http.RoundTripper {
	if limiter == nil {
		return hdrIdentity
	}
	return func(next http.RoundTripper) http.RoundTripper {
		return &rateTransport{next: next, limiter: limiter}
	}
}

// rateTransport is the RateLimit layer.
type rateTransport struct {
	next    http.RoundTripper
	limiter *rate.Limiter
}

// RoundTrip implements http.RoundTripper.
func (t *rateTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if err := ctx.Err(); err != nil {
		return nil, rateFail(req, &RateLimitError{Err: err})
	}
	// Allow is the cheap path when a token is free; Wait reserves one and
	// sleeps otherwise.
	if !t.limiter.Allow() {
		if err := t.limiter.Wait(ctx); err != nil {
			return nil, rateFail(req, t.rateError(ctx, err))
		}
	}
	return t.next.RoundTrip(req)
}

// rateError turns a limiter error into a *RateLimitError wrapping a context
// error, whichever the limiter reported.
func (t *rateTransport) rateError(ctx context.Context, err error) *RateLimitError {
	if cerr := ctx.Err(); cerr != nil {
		return &RateLimitError{Err: cerr}
	}
	if t.limiter.Burst() < 1 && t.limiter.Limit() != rate.Inf {
		return &RateLimitError{Err: err}
	}
	// The limiter refuses to wait past the deadline without waiting for it
	// to pass; to the caller that is the same outcome.
	return &RateLimitError{Err: context.DeadlineExceeded, Detail: fmt.Sprint(err)}
}

// rateFail closes the request body, as a RoundTripper must, and returns err.
func rateFail(req *http.Request, err error) error {
	if req.Body != nil {
		req.Body.Close()
	}
	return err
}
