// This file is the client-side rate limit and daily budget layer: every
// attempt takes one step on a QuotaStore (a rate slot, a daily count, the
// DAY-quota marks) before it is sent. RateLimit is the same layer over one
// golang.org/x/time/rate limiter.

package middleware

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"time"

	"golang.org/x/time/rate"

	"github.com/linkedin-go/linkedin/restli"
)

// RateLimitError is returned when a request gave up waiting for the rate
// limiter: its context was cancelled or its deadline would pass before a
// token is available. It wraps the context's error, so errors.Is(err,
// context.Canceled) and errors.Is(err, context.DeadlineExceeded) work, and
// it matches restli.ErrNotSent: the request never left, so a write it
// carried was not applied, and Retry does not resend it against the same
// limiter.
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

// Is reports whether target is restli.ErrNotSent: the request was not sent.
func (e *RateLimitError) Is(target error) bool { return target == restli.ErrNotSent }

// ErrorType returns "rate_limit_wait", for the error.type attribute of
// OpenTelemetry.
func (e *RateLimitError) ErrorType() string { return "rate_limit_wait" }

// QuotaOptions configures Quota. The zero value is a layer that only
// enforces the DAY-quota marks of its store.
type QuotaOptions struct {
	// Store holds the state. nil means an in-process store private to the
	// layer; give the same store to Retry (RetryOptions.Quota) so the
	// marks Retry sets stop this layer too, and a shared store to share the
	// quota among replicas.
	Store QuotaStore
	// Rate smooths calls per application (per API host): one every
	// Rate.Interval, bursts of Rate.Burst. A zero Interval means no rate
	// limit.
	Rate QuotaRate
	// RatePerMember and RatePerResource give each member (see Member)
	// and/or each resource its own Rate bucket instead of one per host.
	RatePerMember, RatePerResource bool
	// DailyLimit is a client-side daily budget per resource, counted per
	// UTC day and reset at 00:00 UTC: once that many attempts went out
	// today, later ones fail with a *restli.DailyQuotaError without a wire
	// attempt. Zero or less means none. DailyPerMember counts it per member
	// instead.
	DailyLimit     int64
	DailyPerMember bool
	// Member names the member a request is made for (nil: a digest of the
	// request's Authorization header, which this layer sees when it sits
	// below the oauth layer, else none).
	Member func(*http.Request) string
}

// Quota returns a layer that takes one step on its QuotaStore before each
// attempt it sends: it refuses a resource marked out of DAY quota (a
// *restli.DailyQuotaError), refuses once DailyLimit is reached (the same
// error), and waits for a Rate slot as long as the request's context
// allows (a *RateLimitError when it would outlast the deadline or the
// context ends). Every refusal closes the request body, sends nothing and
// matches restli.ErrNotSent. A store error lets the request through: a
// store that is down never fails a call.
func Quota(opts QuotaOptions) func(http.RoundTripper) http.RoundTripper {
	store := opts.Store
	if store == nil {
		store = NewMemoryQuotaStore(nil)
	}
	return func(next http.RoundTripper) http.RoundTripper {
		if next == nil {
			next = http.DefaultTransport
		}
		return &rateTransport{next: next, store: store, opts: opts}
	}
}

// RateLimit returns a layer that takes one token from limiter before each
// request it sends (in the default stack: each wire attempt, below retry),
// waiting as long as needed. It is Quota over a QuotaStore made of the
// limiter. The wait honours the request's context: when the context is
// done, or its deadline would pass before a token is free, the request is
// not sent, its body is closed and a *RateLimitError wrapping the context's
// error is returned. A nil limiter gives a layer that does nothing.
func RateLimit(limiter *rate.Limiter) func(http.RoundTripper) http.RoundTripper {
	if limiter == nil {
		return hdrIdentity
	}
	return func(next http.RoundTripper) http.RoundTripper {
		return &rateTransport{next: next, store: limiterStore{limiter}, limiter: true}
	}
}

// rateTransport is the Quota and RateLimit layer.
type rateTransport struct {
	next    http.RoundTripper
	store   QuotaStore
	opts    QuotaOptions
	limiter bool // store is a limiterStore: one bucket, no keys
}

// RoundTrip implements http.RoundTripper.
func (t *rateTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if err := ctx.Err(); err != nil {
		return nil, rateFail(req, &RateLimitError{Err: err})
	}
	maxDelay := time.Duration(math.MaxInt64)
	if dl, ok := ctx.Deadline(); ok {
		maxDelay = time.Until(dl)
	}
	d, err := t.store.Step(ctx, t.step(req, maxDelay))
	switch {
	case err != nil:
		if never := asRateNever(err); never != nil {
			return nil, rateFail(req, &RateLimitError{Err: never})
		}
		return t.next.RoundTrip(req) // the store is down: never fail a call for it
	case !d.ExhaustedUntil.IsZero():
		st := t.step(req, 0)
		return nil, rateFail(req, &restli.DailyQuotaError{Host: st.Host, Resource: st.Resource, Scope: d.Scope, ResetAt: d.ExhaustedUntil})
	case !d.Allowed:
		// The limiter refuses to wait past the deadline without waiting
		// for it to pass; to the caller that is the same outcome.
		return nil, rateFail(req, &RateLimitError{Err: context.DeadlineExceeded,
			Detail: fmt.Sprintf("next slot in %v, beyond the context's deadline", d.RetryAfter)})
	}
	if d.Delay > 0 {
		timer := time.NewTimer(d.Delay)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, rateFail(req, &RateLimitError{Err: ctx.Err()})
		case <-timer.C:
		}
	}
	return t.next.RoundTrip(req)
}

// step describes req's attempt for the store.
func (t *rateTransport) step(req *http.Request, maxDelay time.Duration) QuotaStep {
	st := QuotaStep{MaxDelay: maxDelay}
	if t.limiter {
		st.RateKey = "limiter"
		return st
	}
	info, hasInfo := restli.CallInfoFromContext(req.Context())
	st.Host = req.URL.Host
	if st.Host == "" {
		st.Host = req.Host
	}
	if hasInfo && info.Resource != "" {
		st.Resource = quotaResource(info.Resource)
	} else {
		st.Resource = quotaResourceOfPath(req.URL.EscapedPath())
	}
	if t.opts.Member != nil {
		st.Member = t.opts.Member(req)
	} else if auth := req.Header.Get("Authorization"); auth != "" {
		st.Member = authDigest(auth)
	}
	if t.opts.Rate.Interval > 0 {
		st.Rate = t.opts.Rate
		st.RateKey = "rate|" + st.Host
		if t.opts.RatePerResource {
			st.RateKey += "|r:" + st.Resource
		}
		if t.opts.RatePerMember {
			st.RateKey += "|m:" + st.Member
		}
	}
	if t.opts.DailyLimit > 0 {
		st.DailyLimit = t.opts.DailyLimit
		st.DailyKey = "day|" + st.Host + "|r:" + st.Resource
		if t.opts.DailyPerMember {
			st.DailyKey += "|m:" + st.Member
		}
	}
	return st
}

// limiterStore is a QuotaStore made of one x/time/rate limiter: a single
// rate bucket, no daily budget and no marks.
type limiterStore struct{ l *rate.Limiter }

// rateNeverError is a limiter that can never grant a token.
type rateNeverError struct{ l *rate.Limiter }

func (e *rateNeverError) Error() string {
	return fmt.Sprintf("rate: limiter with burst %d can never grant a token at limit %v", e.l.Burst(), e.l.Limit())
}

// asRateNever returns err's *rateNeverError, if any.
func asRateNever(err error) *rateNeverError {
	var never *rateNeverError
	if errors.As(err, &never) {
		return never
	}
	return nil
}

func (s limiterStore) Step(_ context.Context, st QuotaStep) (QuotaDecision, error) {
	if s.l.Allow() { // the cheap path when a token is free
		return QuotaDecision{Allowed: true}, nil
	}
	r := s.l.Reserve()
	if !r.OK() {
		return QuotaDecision{}, &rateNeverError{l: s.l}
	}
	d := r.Delay()
	if d > st.MaxDelay {
		r.Cancel()
		return QuotaDecision{RetryAfter: d}, nil
	}
	return QuotaDecision{Allowed: true, Delay: d}, nil
}

func (limiterStore) MarkExhausted(context.Context, QuotaMark) error { return nil }

func (limiterStore) Exhausted(context.Context, string, string, string) (QuotaMark, error) {
	return QuotaMark{}, nil
}

// rateFail closes the request body, as a RoundTripper must, and returns err.
func rateFail(req *http.Request, err error) error {
	closeRequestBody(req)
	return err
}
