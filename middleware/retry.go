// This file is the Retry layer's options and policy: what is resent
// (DefaultCheckRetry), how long to wait (DefaultBackoff), and the
// constructor. The attempt loop is in retry_loop.go, the errors and their
// classification in retry_errors.go, the retry budget in retry_budget.go
// and the daily-quota memory in retry_quota.go.

package middleware

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	retryablehttp "github.com/hashicorp/go-retryablehttp"

	"github.com/linkedin-go/linkedin/restli"
)

// RetryOptions configures Retry. The zero value means the defaults given on
// each field.
type RetryOptions struct {
	// MaxAttempts is the most wire attempts a call makes, the first one
	// included. Zero or less means 4; 1 turns resending off.
	MaxAttempts int
	// RetryWaitMin and RetryWaitMax bound the backoff between attempts when
	// the server sent no Retry-After. Zero or less means 500ms and 30s; a
	// RetryWaitMax below RetryWaitMin is raised to it.
	RetryWaitMin time.Duration
	RetryWaitMax time.Duration
	// MaxRetryAfter caps how long a server's Retry-After is honoured. A
	// response that asks for a longer wait ends the retries at once and is
	// returned to the caller, who can decide what to do with a long pause
	// (restli.Error.RetryAfter holds the wait asked for). Zero or less means
	// 60s.
	MaxRetryAfter time.Duration
	// RetryNonIdempotent lets the policy resend calls that are not safe to
	// resend (CREATE, BATCH_CREATE, ACTION, and POST or PATCH requests
	// without a Rest.li description) after ambiguous failures, as if they
	// were idempotent. Leave it off unless the server deduplicates writes.
	RetryNonIdempotent bool
	// CheckRetry decides whether an attempt's outcome is worth another
	// attempt. nil means DefaultCheckRetry. It is consulted only when a
	// resend is possible at all: attempts remain, the context is not done,
	// the body can be replayed, no layer below refused to send
	// (restli.ErrNotSent) and the answer is not LinkedIn's DAY-limit 429.
	CheckRetry CheckRetryFunc
	// Backoff returns the wait before the next attempt when the response
	// carries no usable Retry-After. nil means DefaultBackoff.
	Backoff BackoffFunc
	// Budget is the layer's retry budget, which stops resends once most
	// attempts fail. The zero value means DefaultRetryBudget.
	Budget RetryBudget
	// Quota keeps the daily-quota memory: "resource R on host H is out of
	// its DAY quota until T". nil means an in-process store private to the
	// layer; a store shared by many replicas (see transport) makes every
	// replica stop at once.
	Quota QuotaStore
	// QuotaMember names the member a request is made for, to remember a
	// member's own DAY limit (APPLICATION_AND_MEMBER) for that member only.
	// nil means: a digest of the request's own Authorization header when it
	// carries one (a per-call token), else this layer's calls as one member
	// (right for a client with one member's token source; with many members
	// behind one layer, set it).
	QuotaMember func(*http.Request) string
}

// RetryAttempt describes the outcome of one wire attempt, as CheckRetry and
// Backoff see it.
type RetryAttempt struct {
	// Request is the request as the caller passed it to the layer. Treat it
	// as read-only.
	Request *http.Request
	// Call is the Rest.li call description from the request context, when
	// HasCallInfo is true.
	Call        restli.CallInfo
	HasCallInfo bool
	// SafeToResend reports whether the call may be resent after an
	// ambiguous failure: Call.Idempotent when the request has a call
	// description; otherwise the X-RestLi-Method header's method, or else the
	// HTTP method (GET, HEAD, OPTIONS, PUT and DELETE are safe); always true
	// with RetryOptions.RetryNonIdempotent.
	SafeToResend bool
	// Attempt is the 1-based number of the attempt that just ended.
	Attempt int
	// Response is the attempt's response, or nil when Err is set. Its body is
	// unread and must stay so: it is returned to the caller when no resend
	// follows.
	Response *http.Response
	// Err is the attempt's transport error, or nil.
	Err error
	// RequestWritten is false when the request provably never reached the
	// server (restli.NotSent: the dial failed, the TLS handshake failed, a
	// layer refused to send) or, for calls that are not safe to resend, the
	// connection failed before the request was written (observed with
	// net/http/httptrace). It is true whenever the server may have seen the
	// request, and for every response.
	RequestWritten bool

	rand *rand.Rand // the layer's random source, for DefaultBackoff
}

// CheckRetryFunc decides whether an attempt is resent. See
// DefaultCheckRetry for the default policy.
type CheckRetryFunc func(a RetryAttempt) bool

// BackoffFunc returns how long to wait before resending after attempt a,
// given the layer's RetryWaitMin and RetryWaitMax. A negative result means 0.
type BackoffFunc func(waitMin, waitMax time.Duration, a RetryAttempt) time.Duration

// DefaultCheckRetry is the default retry policy:
//
//   - 429 is resent for every call: the server refused it before acting.
//     (LinkedIn's DAY-limit 429 never reaches the policy: it cannot clear
//     before 00:00 UTC, so the layer returns it at once.)
//   - 500, 502, 503 and 504 are resent only when SafeToResend: the server may
//     have acted before failing, so a CREATE or an ACTION that got a 500 is
//     sent exactly once.
//   - No other status is resent; in particular never 401 (the oauth layer
//     refreshes and replays once), 403 or another 4xx.
//   - A transport error is resent when SafeToResend, or when RequestWritten
//     is false (the request never left, so even a CREATE is safe), except
//     for errors that another attempt cannot fix: context cancellation,
//     certificate and TLS record errors, and malformed requests (the
//     classification of go-retryablehttp's DefaultRetryPolicy, plus ours).
//
// Compose it in a custom policy to widen or narrow it.
func DefaultCheckRetry(a RetryAttempt) bool {
	if a.Err != nil {
		if !retryTransient(a.Err) {
			return false
		}
		return a.SafeToResend || !a.RequestWritten
	}
	if a.Response == nil {
		return false
	}
	switch a.Response.StatusCode {
	case http.StatusTooManyRequests:
		return true
	case http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return a.SafeToResend
	}
	return false
}

// DefaultBackoff is exponential backoff with full jitter: after attempt n it
// waits a uniformly random duration in [waitMin, min(waitMax, waitMin·2ⁿ)],
// so the first resend waits between waitMin and 2·waitMin and the window
// doubles up to waitMax. The window is go-retryablehttp's DefaultBackoff;
// spreading resends over all of it keeps many clients that failed together
// from resending together. Inside the layer it draws from the layer's own
// random source; for a RetryAttempt built by hand it uses math/rand/v2's
// top-level functions.
func DefaultBackoff(waitMin, waitMax time.Duration, a RetryAttempt) time.Duration {
	waitMin = max(waitMin, 0)
	waitMax = max(waitMax, waitMin)
	upper := waitMax // a zero waitMin never doubles: the window is all of it
	if waitMin > 0 {
		upper = max(retryablehttp.DefaultBackoff(waitMin, waitMax, max(a.Attempt, 1), nil), waitMin)
	}
	window := int64(upper - waitMin)
	if window <= 0 {
		return waitMin
	}
	var j int64
	if a.rand != nil {
		j = a.rand.Int64N(window + 1)
	} else {
		j = rand.Int64N(window + 1)
	}
	return waitMin + time.Duration(j)
}

// Retry returns a layer that resends a call when that is both useful and
// safe. Each attempt goes through the next layer with
// restli.ContextWithAttempt set to its resend count (0, 1, 2…), so inner
// layers ask for a token, count against the breaker and get a span per
// attempt.
//
// What is resent is DefaultCheckRetry's (or CheckRetry's) decision; the layer
// itself never resends after the context is done, after a layer below
// refused to send (an error wrapping restli.ErrNotSent: an open breaker, a
// rate limiter, a failed token refresh), after LinkedIn's DAY-limit 429,
// when the retry budget is spent, or when the request has a body but no
// GetBody to replay it (such a request is sent once). The body is replayed
// from req.GetBody for every resend. A response's Retry-After (seconds or
// HTTP date) is honoured up to MaxRetryAfter, and a longer one ends the
// retries with that response; otherwise Backoff sets the wait. A context
// that ends during a wait ends the call at once with a *RetryError wrapping
// the context's error.
//
// Daily quota: when an attempt gets LinkedIn's DAY-limit 429 (see
// restli.DailyQuotaScope), the layer returns it without resending and
// remembers, in Quota, that the resource on that host is out of quota until
// the next 00:00 UTC (for one member only when the limit was the member's).
// Until then every call to that resource fails before the network with a
// *RetryError wrapping a *restli.DailyQuotaError (restli.ErrNotSent);
// restli.IsDailyQuotaExhausted recognises both.
//
// When the call ends with a response, any status, the response is returned
// with its body unread. When it ends with a transport error, the error is a
// *RetryError: its text holds the method and the URL without query values,
// never a token, and MaybeApplied says whether a write may have happened.
//
// Every resend adds a span event "retry" to the span in the request context,
// with the attributes retry.attempt (int: the resend count about to be sent,
// 1 for the first resend) and retry.wait (float64: the wait in seconds).
// The caller's request is never modified.
func Retry(opts RetryOptions) func(http.RoundTripper) http.RoundTripper {
	t := retryTransport{
		maxAttempts:        opts.MaxAttempts,
		waitMin:            opts.RetryWaitMin,
		waitMax:            opts.RetryWaitMax,
		maxRetryAfter:      opts.MaxRetryAfter,
		retryNonIdempotent: opts.RetryNonIdempotent,
		checkRetry:         opts.CheckRetry,
		backoff:            opts.Backoff,
		quota:              opts.Quota,
		quotaMember:        opts.QuotaMember,
	}
	if t.maxAttempts <= 0 {
		t.maxAttempts = 4
	}
	if t.waitMin <= 0 {
		t.waitMin = 500 * time.Millisecond
	}
	if t.waitMax <= 0 {
		t.waitMax = 30 * time.Second
	}
	if t.waitMax < t.waitMin {
		t.waitMax = t.waitMin
	}
	if t.maxRetryAfter <= 0 {
		t.maxRetryAfter = 60 * time.Second
	}
	if t.checkRetry == nil {
		t.checkRetry = DefaultCheckRetry
	}
	if t.backoff == nil {
		t.backoff = DefaultBackoff
	}
	budget := opts.Budget
	return func(next http.RoundTripper) http.RoundTripper {
		if next == nil {
			next = http.DefaultTransport
		}
		l := t // each wrapped transport gets its own random source, budget and memory
		l.next = next
		l.rand = rand.New(&retryLockedSource{src: rand.NewPCG(rand.Uint64(), rand.Uint64())})
		l.budget = newRetryBudget(budget)
		if l.quota == nil {
			l.quota = NewMemoryQuotaStore(nil)
		}
		l.self = "layer-" + strconv.FormatUint(l.rand.Uint64(), 16)
		return &l
	}
}

// retryTransport is the Retry layer.
type retryTransport struct {
	next               http.RoundTripper
	maxAttempts        int
	waitMin, waitMax   time.Duration
	maxRetryAfter      time.Duration
	retryNonIdempotent bool
	checkRetry         CheckRetryFunc
	backoff            BackoffFunc
	rand               *rand.Rand
	budget             *retryBudget
	quota              QuotaStore
	quotaMember        func(*http.Request) string
	self               string // this layer's member name when none is known

	// Test hooks: now replaces time.Now for Retry-After dates, and sleep maps
	// the chosen wait to the one actually slept (events still report the
	// chosen wait).
	now   func() time.Time
	sleep func(time.Duration) time.Duration
}

// retryLockedSource makes one rand.Source safe for the layer's concurrent
// calls; it is only used when a wait is computed.
type retryLockedSource struct {
	mu  sync.Mutex
	src rand.Source
}

func (s *retryLockedSource) Uint64() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.src.Uint64()
}

// CloseIdleConnections forwards to the next layer, so that
// http.Client.CloseIdleConnections reaches the base transport.
func (t *retryTransport) CloseIdleConnections() {
	if c, ok := t.next.(breakerCloseIdler); ok {
		c.CloseIdleConnections()
	}
}
