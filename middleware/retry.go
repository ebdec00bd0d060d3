package middleware

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	retryablehttp "github.com/hashicorp/go-retryablehttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

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
	// returned to the caller, who can decide what to do with a long pause.
	// Zero or less means 60s.
	MaxRetryAfter time.Duration
	// RetryNonIdempotent lets the policy resend calls that are not safe to
	// resend (CREATE, BATCH_CREATE, ACTION, and POST or PATCH requests
	// without a Rest.li description) after ambiguous failures, as if they
	// were idempotent. Leave it off unless the server deduplicates writes.
	RetryNonIdempotent bool
	// CheckRetry decides whether an attempt's outcome is worth another
	// attempt. nil means DefaultCheckRetry. It is consulted only when a
	// resend is possible at all: attempts remain, the context is not done,
	// the body can be replayed and the breaker did not refuse.
	CheckRetry CheckRetryFunc
	// Backoff returns the wait before the next attempt when the response
	// carries no usable Retry-After. nil means DefaultBackoff.
	Backoff BackoffFunc
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
	// server: the dial failed (connection refused, DNS, TLS handshake), the
	// breaker refused it, or, for calls that are not safe to resend, the
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
//   - 500, 502, 503 and 504 are resent only when SafeToResend: the server may
//     have acted before failing, so a CREATE or an ACTION that got a 500 is
//     sent exactly once.
//   - No other status is resent; in particular never 401 (the oauth layer
//     refreshes and replays once), 403 or another 4xx.
//   - A transport error is resent when SafeToResend, or when RequestWritten
//     is false (the request never left, so even a CREATE is safe), except
//     for errors that another attempt cannot fix: context cancellation,
//     certificate and TLS record errors, and malformed requests.
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
// doubles up to waitMax. Spreading resends over the whole window keeps many clients that
// failed together from resending together. Inside the layer it draws from
// the layer's own random source; for a RetryAttempt built by hand it uses
// math/rand/v2's top-level functions.
func DefaultBackoff(waitMin, waitMax time.Duration, a RetryAttempt) time.Duration {
	waitMin = max(waitMin, 0)
	waitMax = max(waitMax, waitMin)
	n := max(a.Attempt, 1)
	upper := waitMax
	if waitMin > 0 && n < 63 {
		if s := waitMin << uint(n); s>>uint(n) == waitMin && s < waitMax {
			upper = s
		}
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

// RetryError is the error Retry returns when a call ends without a response
// to give back: the last attempt failed with a transport error the policy
// does not resend (or no attempt was left), the circuit breaker refused an
// attempt, or the context ended while waiting to resend. When the call ends
// with a response, whatever its status, the layer returns the response
// instead, body intact.
//
// Its text names the method, the URL without query values and the number of
// attempts, never query values or credentials.
type RetryError struct {
	// Method is the request's HTTP method.
	Method string
	// URL is the request URL with user info and fragment dropped and every
	// query value replaced by "REDACTED".
	URL string
	// Attempts is the number of attempts made, refused ones included.
	Attempts int
	// MaybeApplied is set when the call is not safe to resend (a CREATE, an
	// ACTION, a non-Rest.li POST) and some attempt failed after the request
	// may have reached the server: the write may have happened even though no
	// response arrived. Check before repeating such a call by hand.
	MaybeApplied bool
	// Err is the cause: the last attempt's transport error (with the
	// *url.Error wrapper of an inner http.Client removed), or the context's
	// error.
	Err error

	text string // Err's text with query values and credentials removed
	// unsafe is set when the call is not safe to resend, so write tracking
	// ran and !MaybeApplied means no attempt's request left the client.
	unsafe bool
}

// Is reports whether target is restli.ErrNotSent and the call, which is not
// safe to resend, provably never reached the server.
func (e *RetryError) Is(target error) bool {
	return target == restli.ErrNotSent && e.unsafe && !e.MaybeApplied
}

// Error implements error.
func (e *RetryError) Error() string {
	var b strings.Builder
	b.WriteString("retry: ")
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(e.URL)
	b.WriteString(": ")
	b.WriteString(strconv.Itoa(e.Attempts))
	if e.Attempts == 1 {
		b.WriteString(" attempt")
	} else {
		b.WriteString(" attempts")
	}
	if e.MaybeApplied {
		b.WriteString(", request may have been applied")
	}
	text := e.text
	if text == "" && e.Err != nil {
		text = e.Err.Error()
	}
	if text != "" {
		b.WriteString(": ")
		b.WriteString(text)
	}
	return b.String()
}

// Unwrap returns the cause, so errors.Is(err, context.Canceled),
// errors.Is(err, ErrCircuitOpen) and errors.As on net errors work.
func (e *RetryError) Unwrap() error { return e.Err }

// ErrorType returns a low-cardinality OpenTelemetry error.type: the cause's
// own ErrorType when it has one (e.g. "circuit_open"), "canceled" or
// "timeout" for context and network timeouts, and "transport" otherwise.
func (e *RetryError) ErrorType() string {
	var typed interface{ ErrorType() string }
	if errors.As(e.Err, &typed) {
		return typed.ErrorType()
	}
	if errors.Is(e.Err, context.Canceled) {
		return "canceled"
	}
	if errors.Is(e.Err, context.DeadlineExceeded) {
		return "timeout"
	}
	var ne net.Error
	if errors.As(e.Err, &ne) && ne.Timeout() {
		return "timeout"
	}
	return "transport"
}

// Retry returns a layer that resends a call when that is both useful and
// safe, built on hashicorp/go-retryablehttp. Each attempt goes through the
// next layer with restli.ContextWithAttempt set to its resend count (0, 1,
// 2…), so inner layers ask for a token, count against the breaker and get
// a span per attempt.
//
// What is resent is DefaultCheckRetry's (or CheckRetry's) decision; the layer
// itself never resends after the context is done, after the breaker refused
// (ErrCircuitOpen), or when the request has a body but no GetBody to replay
// it (such a request is sent once). The body is replayed from req.GetBody
// for every resend. A response's Retry-After (seconds or HTTP date) is
// honoured up to MaxRetryAfter, and a longer one ends the retries with that
// response; otherwise Backoff sets the wait. A context that ends during a
// wait ends the call at once with a *RetryError wrapping the context's
// error.
//
// When the call ends with a response, any status, the response is returned
// with its body unread. When it ends with a transport error, the error is a
// *RetryError: its text holds the method and the URL without query values,
// never a token, and MaybeApplied says whether a write may have happened.
//
// Every resend adds a span event "retry" to the span in the request context,
// with the attributes retry.attempt (int: the resend count about to be sent,
// 1 for the first resend) and retry.wait (float64: the wait in seconds).
//
// The go-retryablehttp client inside is tamed: its http.Client sends through
// the next layer (no connection pool of its own, no CloseIdleConnections on
// the user's pool), never follows redirects, never logs, and returns the
// last response instead of discarding it. The caller's request is never
// modified.
func Retry(opts RetryOptions) func(http.RoundTripper) http.RoundTripper {
	t := retryTransport{
		maxAttempts:        opts.MaxAttempts,
		waitMin:            opts.RetryWaitMin,
		waitMax:            opts.RetryWaitMax,
		maxRetryAfter:      opts.MaxRetryAfter,
		retryNonIdempotent: opts.RetryNonIdempotent,
		checkRetry:         opts.CheckRetry,
		backoff:            opts.Backoff,
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
	return func(next http.RoundTripper) http.RoundTripper {
		if next == nil {
			next = http.DefaultTransport
		}
		l := t // each wrapped transport gets its own random source and client
		l.next = next
		l.rand = rand.New(&retryLockedSource{src: rand.NewPCG(rand.Uint64(), rand.Uint64())})
		l.client = &http.Client{
			Transport: retryAdapter{next: next},
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			},
		}
		l.check = l.retryableCheck
		l.emptyHeader = http.Header{}
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

	// client is the http.Client go-retryablehttp sends with; its transport
	// is retryAdapter, which sends through next.
	client *http.Client
	// emptyHeader is the stand-in requests' header; nothing writes to it.
	emptyHeader http.Header
	// check is retryableCheck as a go-retryablehttp CheckRetry, built once.
	check retryablehttp.CheckRetry

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

// retryCallKey finds the per-call state through a request context.
type retryCallKey struct{}

// retryCall is the state of one call through the layer. It is also the
// context of every attempt (it embeds the caller's context and answers
// retryCallKey itself), which saves a context per call and lets the adapter,
// the policy hook and the breaker find it.
type retryCall struct {
	context.Context

	t          *retryTransport
	orig       *http.Request // the caller's request, never modified
	first      *http.Request // attempt 0 (&firstReq): orig with the attempt context, orig's body
	firstReq   http.Request  // kept in the call so the call and its first request are one allocation
	base       context.Context
	info       restli.CallInfo
	hasInfo    bool
	idempotent bool // the call's own nature, before RetryNonIdempotent
	replayable bool

	// Write tracking, for calls that are not idempotent. The hooks may fire
	// on the transport's goroutines, hence the atomics.
	traced      bool
	gotConn     atomic.Bool
	wrote       atomic.Bool
	circuitOpen atomic.Bool // set by CircuitBreaker when this attempt left it open

	// The last attempt, as the adapter saw it; only the caller's goroutine
	// touches these.
	attempts     int
	resp         *http.Response
	err          error
	permanent    bool // err is ours and no resend can fix it
	maybeApplied bool
	waiting      bool // inside go-retryablehttp's backoff wait
	nextWait     time.Duration
}

// Value answers retryCallKey with the call and delegates every other key.
func (c *retryCall) Value(key any) any {
	if key == (retryCallKey{}) {
		return c
	}
	return c.Context.Value(key)
}

// retryNotifyCircuitOpen tells the Retry call that ctx belongs to, if any,
// that the breaker is open after this attempt, so it does not wait before an
// attempt the breaker will refuse.
func retryNotifyCircuitOpen(ctx context.Context) {
	if c, ok := ctx.Value(retryCallKey{}).(*retryCall); ok {
		c.circuitOpen.Store(true)
	}
}

// RoundTrip implements http.RoundTripper.
func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c := &retryCall{Context: req.Context(), t: t, orig: req}
	if req.URL == nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, c.newError(errors.New("http: nil Request.URL"))
	}
	c.info, c.hasInfo = restli.CallInfoFromContext(req.Context())
	c.idempotent = retryIdempotent(req, c.info, c.hasInfo)
	c.replayable = req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	c.base = c
	if !c.idempotent {
		// Only a call that is not safe to resend needs to know whether its
		// request was written before the connection failed.
		c.traced = true
		c.base = httptrace.WithClientTrace(c, &httptrace.ClientTrace{
			GotConn:      c.onGotConn,
			WroteRequest: c.onWroteRequest,
		})
	}
	// Attempt 0: AttemptFromContext says 0 by default. WithContext's copy
	// does not escape; the call holds the request.
	c.firstReq = *req.WithContext(c.base)
	c.first = &c.firstReq

	// The first attempt goes straight to the next layer: most calls need
	// no resend, and going through go-retryablehttp's http.Client costs
	// them allocations and a few microseconds. Only when a resend is due
	// does go-retryablehttp take over, after the first wait, which is made
	// here exactly as it makes its own.
	c.send(t.next)
	if !c.decide() {
		return c.finish(nil)
	}
	if c.resp != nil {
		restli.DrainAndClose(c.resp.Body)
		c.resp = nil
	}
	timer := time.NewTimer(c.retryableBackoff(0, 0, 0, nil))
	select {
	case <-c.Context.Done():
		timer.Stop()
		return c.finish(nil)
	case <-timer.C:
	}
	return c.finish(c.resend(req))
}

// resend runs the attempts after the first through go-retryablehttp.
func (c *retryCall) resend(req *http.Request) error {
	t := c.t
	// go-retryablehttp and its http.Client get a body-less stand-in that
	// carries only the call context: http.Client clones the headers and URL
	// of what it is given and closes its body on some paths, and none of
	// that should touch the caller's request. The adapter builds every real
	// attempt from req.
	stand := http.Request{Method: req.Method, URL: req.URL, Header: t.emptyHeader}

	// A client per call, because go-retryablehttp's Backoff hook gets no
	// context to find the call by; it lives inside the call state.
	client := &retryablehttp.Client{
		HTTPClient:   t.client,
		RetryWaitMin: t.waitMin,
		RetryWaitMax: t.waitMax,
		RetryMax:     t.maxAttempts - 2, // a backstop: retryableCheck stops first
		CheckRetry:   t.check,
		Backoff:      c.retryableBackoff,
		ErrorHandler: retryPassthrough,
	}
	_, err := client.Do(&retryablehttp.Request{Request: stand.WithContext(c.base)})
	return err
}

// finish turns the call's last attempt into the layer's result. It ignores
// what http.Client and go-retryablehttp returned except when no attempt
// happened, since they wrap errors with the full URL.
func (c *retryCall) finish(doErr error) (*http.Response, error) {
	switch {
	case c.attempts == 0:
		// http.Client refused the stand-in before any attempt.
		if c.orig.Body != nil {
			c.orig.Body.Close()
		}
		if doErr == nil {
			doErr = errors.New("request was not sent")
		}
		return nil, c.newError(doErr)
	case c.waiting:
		// The context ended during a backoff wait; go-retryablehttp has
		// already drained and closed the last response.
		return nil, c.newError(c.Context.Err())
	case c.err != nil:
		return nil, c.newError(c.err)
	}
	return c.resp, nil
}

func (c *retryCall) newError(cause error) error {
	for {
		ue, ok := cause.(*url.Error)
		if !ok {
			break
		}
		cause = ue.Err
	}
	if ctxErr := c.Context.Err(); ctxErr != nil && !errors.Is(cause, ctxErr) {
		cause = fmt.Errorf("%w: %w", ctxErr, cause)
	}
	method := c.orig.Method
	if method == "" {
		method = http.MethodGet
	}
	return &RetryError{
		Method:       method,
		URL:          retryURL(c.orig.URL),
		Attempts:     c.attempts,
		MaybeApplied: c.maybeApplied,
		Err:          cause,
		unsafe:       !c.idempotent,
		text:         restli.RedactRequestText(cause.Error(), c.orig),
	}
}

// retryableCheck is the go-retryablehttp CheckRetry: it finds the call
// through the context and decides from what the adapter recorded (not from
// its arguments, which http.Client has wrapped).
func (t *retryTransport) retryableCheck(ctx context.Context, _ *http.Response, _ error) (bool, error) {
	c, _ := ctx.Value(retryCallKey{}).(*retryCall)
	if c == nil {
		return false, nil
	}
	return c.decide(), nil
}

// decide records the attempt's consequences and reports whether to resend;
// when it does, it sets nextWait.
func (c *retryCall) decide() bool {
	t := c.t
	c.nextWait = 0
	if c.attempts == 0 {
		return false
	}
	written := true
	if c.err != nil {
		written = c.requestWritten(c.err)
		if written && !c.idempotent {
			c.maybeApplied = true
		}
	}
	if c.permanent || c.attempts >= t.maxAttempts || !c.replayable || c.Context.Err() != nil {
		return false
	}
	if c.err != nil && errors.Is(c.err, ErrCircuitOpen) {
		return false
	}
	a := RetryAttempt{
		Request:        c.orig,
		Call:           c.info,
		HasCallInfo:    c.hasInfo,
		SafeToResend:   c.idempotent || t.retryNonIdempotent,
		Attempt:        c.attempts,
		Response:       c.resp,
		Err:            c.err,
		RequestWritten: written,
		rand:           t.rand,
	}
	if !t.checkRetry(a) {
		return false
	}
	var wait time.Duration
	if d, ok := retryAfter(c.resp, t.now); ok {
		if d > t.maxRetryAfter {
			return false // a longer pause is the caller's decision
		}
		wait = d
	} else {
		wait = t.backoff(t.waitMin, t.waitMax, a)
	}
	if c.circuitOpen.Load() {
		wait = 0 // the breaker refuses the next attempt anyway: end the call now
	}
	c.nextWait = max(wait, 0)
	return true
}

// retryableBackoff is the go-retryablehttp Backoff, called right before it
// waits to resend.
func (c *retryCall) retryableBackoff(_, _ time.Duration, _ int, _ *http.Response) time.Duration {
	wait := c.nextWait
	c.waiting = true
	if c.t.sleep != nil {
		wait = c.t.sleep(wait)
	}
	return wait
}

// requestWritten reports whether the failed attempt may have reached the
// server.
func (c *retryCall) requestWritten(err error) bool {
	if retryNotSent(err) {
		return false
	}
	// GotConn without WroteRequest: the transport had a connection and
	// failed before writing to it. net/http calls WroteRequest on every write
	// attempt, failed ones included, before RoundTrip returns an error.
	if c.traced && c.gotConn.Load() && !c.wrote.Load() {
		return false
	}
	return true
}

func (c *retryCall) onGotConn(httptrace.GotConnInfo)           { c.gotConn.Store(true) }
func (c *retryCall) onWroteRequest(httptrace.WroteRequestInfo) { c.wrote.Store(true) }

// send makes one attempt through next. It always builds the attempt from the
// caller's request, never from the copy http.Client hands the adapter.
func (c *retryCall) send(next http.RoundTripper) (*http.Response, error) {
	n := c.attempts
	c.attempts++
	c.resp, c.err, c.permanent, c.waiting = nil, nil, false, false
	c.gotConn.Store(false)
	c.wrote.Store(false)
	c.circuitOpen.Store(false)

	r := c.first
	if n > 0 {
		// The event marks a resend that really happens, after its wait.
		if span := trace.SpanFromContext(c.orig.Context()); span.IsRecording() {
			span.AddEvent("retry", trace.WithAttributes(
				attribute.Int("retry.attempt", n),
				attribute.Float64("retry.wait", c.nextWait.Seconds()),
			))
		}
		r = c.orig.WithContext(restli.ContextWithAttempt(c.base, n))
		if c.orig.Body != nil && c.orig.Body != http.NoBody {
			body, err := c.orig.GetBody()
			if err != nil {
				c.err, c.permanent = &retryBodyError{err: err}, true
				return nil, c.err
			}
			r.Body = body
		}
	}
	resp, err := next.RoundTrip(r)
	if err != nil {
		c.err = err
		return nil, err
	}
	if resp == nil {
		c.err, c.permanent = errors.New("next RoundTripper returned a nil response and no error"), true
		return nil, c.err
	}
	c.resp = resp
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		// http.Client would parse Location (and fail on a bad one) before
		// CheckRedirect stops it; hand it a neutral stand-in. The caller
		// gets the real response from finish.
		return &http.Response{StatusCode: http.StatusOK, Body: resp.Body, Request: r}, nil
	}
	return resp, nil
}

// retryAdapter is the transport of the layer's http.Client: it finds the
// call through the request context and makes the attempt. It deliberately
// has no CloseIdleConnections: go-retryablehttp calls it after failed calls,
// and it must not close the user's pool.
type retryAdapter struct{ next http.RoundTripper }

func (a retryAdapter) RoundTrip(r *http.Request) (*http.Response, error) {
	c, ok := r.Context().Value(retryCallKey{}).(*retryCall)
	if !ok {
		return a.next.RoundTrip(r)
	}
	return c.send(a.next)
}

// CloseIdleConnections forwards to the next layer, so that
// http.Client.CloseIdleConnections reaches the base transport.
func (t *retryTransport) CloseIdleConnections() {
	if c, ok := t.next.(breakerCloseIdler); ok {
		c.CloseIdleConnections()
	}
}

func retryPassthrough(resp *http.Response, err error, _ int) (*http.Response, error) {
	return resp, err
}

// retryBodyError is a failure to rewind the request body for a resend.
type retryBodyError struct{ err error }

func (e *retryBodyError) Error() string     { return "rewinding request body: " + e.err.Error() }
func (e *retryBodyError) Unwrap() error     { return e.err }
func (e *retryBodyError) ErrorType() string { return "request_body" }

// retryIdempotent reports whether a call may be resent after an ambiguous
// failure, from its call description, else its X-RestLi-Method header, else
// its HTTP method.
func retryIdempotent(req *http.Request, info restli.CallInfo, hasInfo bool) bool {
	if hasInfo {
		return info.Idempotent
	}
	if v := req.Header["X-Restli-Method"]; len(v) > 0 {
		if m := restli.Method(strings.ToLower(v[0])); m.HTTPMethod() != "" {
			return m.Idempotent()
		}
	}
	switch req.Method {
	case "", http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// retryAfter parses a response's Retry-After: delay-seconds or an HTTP date.
func retryAfter(resp *http.Response, now func() time.Time) (time.Duration, bool) {
	if resp == nil {
		return 0, false
	}
	v := resp.Header["Retry-After"]
	if len(v) == 0 {
		return 0, false
	}
	s := strings.TrimSpace(v[0])
	if secs, err := strconv.ParseInt(s, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(1<<63-1)/int64(time.Second) {
			return 1<<63 - 1, true
		}
		return time.Duration(secs) * time.Second, true
	}
	when, err := http.ParseTime(s)
	if err != nil {
		return 0, false
	}
	t := time.Now()
	if now != nil {
		t = now()
	}
	return max(when.Sub(t), 0), true
}

// retryTransient reports whether another attempt could succeed where this
// transport error failed.
func retryTransient(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, ErrCircuitOpen) || errors.Is(err, restli.ErrPermanent) {
		return false
	}
	var bodyErr *retryBodyError
	var tunnelErr *TunnelError
	if errors.As(err, &bodyErr) || errors.As(err, &tunnelErr) {
		return false
	}
	var (
		unknownAuthority x509.UnknownAuthorityError
		hostname         x509.HostnameError
		invalid          x509.CertificateInvalidError
		verification     *tls.CertificateVerificationError
		record           tls.RecordHeaderError
	)
	if errors.As(err, &unknownAuthority) || errors.As(err, &hostname) ||
		errors.As(err, &invalid) || errors.As(err, &verification) || errors.As(err, &record) {
		return false
	}
	// net/http reports malformed requests with untyped errors.
	msg := err.Error()
	for _, s := range [...]string{
		"unsupported protocol scheme",
		"invalid header field",
		"http: nil Request",
		"http: no Host in request URL",
		"server gave HTTP response to HTTPS client",
	} {
		if strings.Contains(msg, s) {
			return false
		}
	}
	return true
}

// retryNotSent reports whether err proves the request never reached the
// server.
func retryNotSent(err error) bool {
	if errors.Is(err, ErrCircuitOpen) || errors.Is(err, restli.ErrNotSent) || errors.Is(err, syscall.ECONNREFUSED) {
		return true
	}
	var bodyErr *retryBodyError
	if errors.As(err, &bodyErr) {
		return true
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var (
		dns          *net.DNSError
		verification *tls.CertificateVerificationError
		record       tls.RecordHeaderError
		alert        tls.AlertError
		unknownAuth  x509.UnknownAuthorityError
		hostname     x509.HostnameError
	)
	return errors.As(err, &dns) || errors.As(err, &verification) || errors.As(err, &record) ||
		errors.As(err, &alert) || errors.As(err, &unknownAuth) || errors.As(err, &hostname)
}

// retryURL is the redacted text of u ("" for nil).
func retryURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	return restli.RedactURL(u.String())
}
