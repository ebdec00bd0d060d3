// This file is the CircuitBreaker layer: a sony/gobreaker breaker per host
// whose "open until T" and single half-open probe are shared through a
// BreakerStore (in-process by default), with a bounded probe.

package middleware

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/linkedin-go/linkedin/restli"

	"github.com/sony/gobreaker/v2"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// ErrCircuitOpen is the sentinel behind every refusal of the CircuitBreaker
// layer: test for it with errors.Is. The Retry layer never resends a request
// that failed with it, so a call whose host is known to be sick ends at once
// instead of spending its remaining attempts.
var ErrCircuitOpen = errors.New("circuit breaker is open")

// BreakerError is the error CircuitBreaker returns when it refuses to send a
// request. It matches ErrCircuitOpen (errors.Is) and names the breaker that
// refused, so callers and logs can tell which host is considered unhealthy.
type BreakerError struct {
	// Key identifies the breaker that refused: by default the scheme and
	// host of the request, e.g. "https://api.linkedin.com". It never holds a
	// path or a query.
	Key string
	// State is the breaker's state when it refused: "open", or "half-open"
	// when every probe slot of the half-open state was already taken.
	State string
}

// Error describes the refusal without any request detail beyond the key.
func (e *BreakerError) Error() string {
	if e.State == breakerStateHalfOpen {
		return "circuit breaker is half-open for " + e.Key + " and its probe slots are taken"
	}
	return "circuit breaker is open for " + e.Key
}

// Is reports whether target is ErrCircuitOpen, so errors.Is(err,
// ErrCircuitOpen) holds for every refusal, or restli.ErrNotSent: a refused
// request never reaches the network.
func (e *BreakerError) Is(target error) bool {
	return target == ErrCircuitOpen || target == restli.ErrNotSent
}

// ErrorType returns "circuit_open", the OpenTelemetry error.type of a call
// the breaker refused.
func (e *BreakerError) ErrorType() string { return "circuit_open" }

// BreakerOptions configures CircuitBreaker. The zero value means the
// defaults given on each field.
type BreakerOptions struct {
	// FailureThreshold is the number of consecutive failed attempts that
	// opens the breaker. Zero or less means 5. Neutral outcomes (see
	// IsFailure) neither count nor reset the run of failures.
	FailureThreshold int
	// OpenTimeout is how long an open breaker refuses every request before
	// it lets probes through (half-open). Zero or less means 30s.
	OpenTimeout time.Duration
	// HalfOpenRequests is the number of probes let through while half-open;
	// that many consecutive successes close the breaker, one failure opens it
	// again. Zero or less means 1.
	HalfOpenRequests int
	// Key maps a request to the breaker that guards it; one breaker per
	// distinct key is created on first use and kept for the life of the
	// layer. nil means scheme + "://" + host (including any port), so a sick
	// host never blocks calls to a healthy one. Keys appear in errors, span
	// events and OnStateChange, so they must be few and hold no secret: never
	// derive them from a path or a query.
	Key func(*http.Request) string
	// IsFailure reports whether an attempt's outcome counts against the
	// host's health. nil means DefaultIsFailure: transport errors and 5xx
	// responses. An outcome that is not a failure counts as a success when it
	// is a response below 400, and is neutral otherwise (4xx, 429, or an error
	// IsFailure forgives). An attempt whose request context was done or that
	// failed with context.Canceled is always neutral: the caller gave up, the
	// host did not fail.
	IsFailure func(*http.Response, error) bool
	// ProbeTimeout bounds a half-open probe. A probe still running after it
	// counts as a failure (the breaker opens again for OpenTimeout, and
	// the next probe can start then) while the request itself goes on; a
	// probe whose caller gives up (its context ends) frees the probe slot
	// at once, as a neutral outcome. Zero or less means 10s.
	ProbeTimeout time.Duration
	// Store shares the breaker state: "key open until T" and the single
	// half-open probe, across every breaker that uses the same store (the
	// replicas of a service, with a store such as Redis). While the store
	// says a key is open, requests are refused without asking the local
	// breaker; once it is past T, exactly one request at a time, across all
	// of them, may probe. nil means an in-process store private to the
	// layer, which gives the local breaker's behaviour. No lock is held
	// while a request runs, and a store error never fails a request (the
	// local breaker decides alone).
	Store BreakerStore
	// OnStateChange, when set, is called on every transition with the
	// breaker key and the states "closed", "open" and "half-open". It runs
	// synchronously while the breaker is locked: keep it short and never send
	// a request through the same layer from it. The move from open to
	// half-open happens lazily, on the first request after OpenTimeout.
	OnStateChange func(key, from, to string)
}

// DefaultIsFailure is the default BreakerOptions.IsFailure: a transport error
// or a 5xx response is a failure. 4xx answers (429 included) are not: they
// are about the request or about per-app and per-member quotas, not about
// the host's health. Compose it in a custom IsFailure to add or forgive cases.
func DefaultIsFailure(resp *http.Response, err error) bool {
	if err != nil {
		return true
	}
	return resp != nil && resp.StatusCode >= 500
}

// CircuitBreaker returns a layer that fails fast while a host is unhealthy,
// built on sony/gobreaker's two-step breaker. It counts every attempt that
// passes through it (in the default stack it sits inside Retry, so each
// resend counts) and, once FailureThreshold consecutive attempts to a key
// have failed, refuses requests to that key with a *BreakerError wrapping
// ErrCircuitOpen for OpenTimeout, without touching the network (the request
// body is closed). It then lets HalfOpenRequests probes through: successes
// close it, a failure opens it again. A probe is bounded by ProbeTimeout,
// and frees its slot when its caller gives up. Responses pass through
// unchanged.
//
// Every refusal adds a "circuit_breaker.rejected" event, with the attribute
// circuit_breaker.key, to the span in the request context. A refusal
// matches restli.ErrNotSent, which is how Retry knows not to resend it.
// When an attempt leaves the breaker open, the layer says so in what it
// returns (the response's body, or the error, is wrapped in a type only
// Retry looks for and unwraps), so a Retry above skips its backoff wait:
// the next attempt is refused at once and the call ends with ErrCircuitOpen
// instead of waiting to be refused.
func CircuitBreaker(opts BreakerOptions) func(http.RoundTripper) http.RoundTripper {
	threshold := opts.FailureThreshold
	if threshold <= 0 {
		threshold = 5
	}
	timeout := opts.OpenTimeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	halfOpen := opts.HalfOpenRequests
	if halfOpen <= 0 {
		halfOpen = 1
	}
	isFailure := opts.IsFailure
	if isFailure == nil {
		isFailure = DefaultIsFailure
	}
	probeTimeout := opts.ProbeTimeout
	if probeTimeout <= 0 {
		probeTimeout = 10 * time.Second
	}
	return func(next http.RoundTripper) http.RoundTripper {
		if next == nil {
			next = http.DefaultTransport
		}
		t := &breakerTransport{
			next:         next,
			key:          opts.Key,
			isFailure:    isFailure,
			openTimeout:  timeout,
			probeTimeout: probeTimeout,
			store:        opts.Store,
			onChange:     opts.OnStateChange,
		}
		if t.store == nil {
			// A private store admits as many probes as the local breaker,
			// so the layer acts exactly as gobreaker alone would.
			st := NewMemoryBreakerStore(nil)
			st.probes = halfOpen
			t.store = st
		}
		t.settings = gobreaker.Settings{
			MaxRequests: uint32(halfOpen),
			Timeout:     timeout,
			ReadyToTrip: func(c gobreaker.Counts) bool {
				return c.ConsecutiveFailures >= uint32(threshold)
			},
			IsExcluded: breakerIsExcluded,
		}
		return t
	}
}

// The states as gobreaker spells them (State.String) and as OnStateChange
// and BreakerError report them.
const (
	breakerStateOpen     = "open"
	breakerStateHalfOpen = "half-open"
)

// breakerTransport is the CircuitBreaker layer.
type breakerTransport struct {
	next         http.RoundTripper
	key          func(*http.Request) string
	isFailure    func(*http.Response, error) bool
	openTimeout  time.Duration
	probeTimeout time.Duration
	store        BreakerStore
	onChange     func(key, from, to string)
	settings     gobreaker.Settings // template; Name and OnStateChange are set per breaker

	// breakers maps a breakerMapKey to its *breakerEntry. Keys are written
	// once and read on every request, the case sync.Map is made for; its
	// Load does not let the key escape, so the lookup does not allocate.
	breakers sync.Map
	// last is the entry the latest request used: most clients call one
	// host, and comparing two short strings is cheaper than hashing them.
	last atomic.Pointer[breakerEntry]
}

// breakerMapKey indexes breakers without building a string per request: the
// default key is the pair (scheme, host); a custom key is (key, "").
type breakerMapKey struct{ a, b string }

// breakerEntry is one breaker and its key as reported to users.
type breakerEntry struct {
	key    string
	mapKey breakerMapKey
	cb     *gobreaker.TwoStepCircuitBreaker[struct{}]
	// opened and closed are set by the breaker's state changes (under
	// gobreaker's lock) and taken by the request that caused them, which
	// then tells the store, outside the lock.
	opened, closed atomic.Bool
	// halfOpen mirrors the breaker's state without its lock, so telling a
	// probe from an ordinary request costs no extra lock per request.
	halfOpen atomic.Bool
}

// The outcomes reported to gobreaker's done callback: nil is a success,
// breakerErrFailure a failure, breakerErrNeutral neither (IsExcluded).
var (
	breakerErrFailure = errors.New("breaker: failure")
	breakerErrNeutral = errors.New("breaker: neutral")
)

func breakerIsExcluded(err error) bool { return err == breakerErrNeutral }

// RoundTrip implements http.RoundTripper.
func (t *breakerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	e := t.entry(req)
	ctx := req.Context()

	// 1. The shared state: open, or half-open with its single probe.
	fleetProbe := false
	if until, err := t.store.Load(ctx, e.key); err == nil && !until.IsZero() {
		if time.Now().Before(until) {
			return nil, t.refuse(req, e, breakerStateOpen)
		}
		ok, err := t.store.AcquireProbe(ctx, e.key, t.probeTimeout)
		if err == nil && !ok {
			return nil, t.refuse(req, e, breakerStateHalfOpen)
		}
		fleetProbe = err == nil
	}

	// 2. The local breaker.
	done, err := e.cb.Allow()
	if err != nil {
		if fleetProbe {
			_ = t.store.ReleaseProbe(context.WithoutCancel(ctx), e.key)
		}
		state := breakerStateOpen
		if errors.Is(err, gobreaker.ErrTooManyRequests) {
			state = breakerStateHalfOpen
		}
		return nil, t.refuse(req, e, state)
	}
	probe := fleetProbe || e.halfOpen.Load()

	// 3. The attempt. Its outcome is reported exactly once: when it ends,
	// or, for a probe, when ProbeTimeout passes or its caller gives up.
	var p *breakerProbe
	if probe {
		p = &breakerProbe{t: t, e: e, ctx: ctx, done: done, fleet: fleetProbe}
		timer := time.AfterFunc(t.probeTimeout, func() { p.report(breakerErrFailure) })
		defer timer.Stop()
		stop := context.AfterFunc(ctx, func() { p.report(breakerErrNeutral) })
		defer stop()
	}
	// A panic below must still release the probe slot, or a half-open
	// breaker would refuse every request forever.
	reported := false
	defer func() {
		if !reported {
			t.report(p, ctx, e, done, breakerErrFailure)
		}
	}()
	resp, err := t.next.RoundTrip(req)
	outcome := t.outcome(req, resp, err)
	reported = true
	t.report(p, ctx, e, done, outcome)
	if outcome == breakerErrFailure && e.cb.State() == gobreaker.StateOpen {
		// Tell a Retry above that its next attempt will be refused.
		if err != nil {
			err = &breakerTripError{err: err}
		} else {
			resp.Body = &breakerTripBody{ReadCloser: resp.Body}
		}
	}
	return resp, err
}

// breakerProbe is a probe in flight: its outcome may be reported by the
// attempt, by the ProbeTimeout timer or by its caller giving up, and only
// the first report counts.
type breakerProbe struct {
	t        *breakerTransport
	e        *breakerEntry
	ctx      context.Context
	done     func(error)
	fleet    bool
	reported atomic.Bool
}

func (p *breakerProbe) report(outcome error) {
	if p.reported.CompareAndSwap(false, true) {
		p.done(outcome)
		p.t.share(p.ctx, p.e, outcome, p.fleet)
	}
}

// report hands the attempt's outcome to the breaker and the store: through
// the probe when the attempt is one, directly otherwise.
func (t *breakerTransport) report(p *breakerProbe, ctx context.Context, e *breakerEntry, done func(error), outcome error) {
	if p != nil {
		p.report(outcome)
		return
	}
	done(outcome)
	t.share(ctx, e, outcome, false)
}

// share tells the store what the attempt's outcome did to the breaker: it
// opened it (or a probe failed), closed it (or a fleet probe succeeded), or
// a fleet probe ended without a verdict. It runs outside gobreaker's lock,
// on a context that outlives the caller's.
func (t *breakerTransport) share(ctx context.Context, e *breakerEntry, outcome error, fleetProbe bool) {
	if !fleetProbe && !e.opened.Load() && !e.closed.Load() {
		return // the common case: nothing changed
	}
	ctx = context.WithoutCancel(ctx)
	opened := e.opened.CompareAndSwap(true, false)
	closed := e.closed.CompareAndSwap(true, false)
	switch {
	case opened || (fleetProbe && outcome == breakerErrFailure):
		_ = t.store.Trip(ctx, e.key, time.Now().Add(t.openTimeout))
	case closed || (fleetProbe && outcome == nil):
		_ = t.store.Reset(ctx, e.key)
	case fleetProbe:
		_ = t.store.ReleaseProbe(ctx, e.key)
	}
}

// refuse closes the body of a request the breaker will not send, records
// the refusal on the span and returns the *BreakerError.
func (t *breakerTransport) refuse(req *http.Request, e *breakerEntry, state string) error {
	closeRequestBody(req)
	if span := trace.SpanFromContext(req.Context()); span.IsRecording() {
		span.AddEvent("circuit_breaker.rejected", trace.WithAttributes(
			attribute.String("circuit_breaker.key", e.key),
			attribute.String("circuit_breaker.state", state),
		))
	}
	return &BreakerError{Key: e.key, State: state}
}

// breakerTripBody wraps the body of a response whose attempt opened the
// breaker, and breakerTripError the error of such an attempt: the way the
// breaker tells a Retry above, through what it returns, that the next
// attempt will be refused. Retry unwraps both; without Retry above they
// behave as what they wrap.
type breakerTripBody struct{ io.ReadCloser }

type breakerTripError struct{ err error }

func (e *breakerTripError) Error() string { return e.err.Error() }
func (e *breakerTripError) Unwrap() error { return e.err }

// outcome classifies an attempt for gobreaker.
func (t *breakerTransport) outcome(req *http.Request, resp *http.Response, err error) error {
	if err != nil && (req.Context().Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, ErrCircuitOpen) ||
		errors.Is(err, restli.ErrNotSent)) {
		return breakerErrNeutral
	}
	if t.isFailure(resp, err) {
		return breakerErrFailure
	}
	if err == nil && resp != nil && resp.StatusCode < 400 {
		return nil
	}
	return breakerErrNeutral
}

// entry returns the breaker for req's key, creating it on first use.
func (t *breakerTransport) entry(req *http.Request) *breakerEntry {
	var k breakerMapKey
	if t.key != nil {
		k.a = t.key(req)
	} else {
		k.a = req.URL.Scheme
		if k.b = req.URL.Host; k.b == "" {
			k.b = req.Host
		}
	}
	if e := t.last.Load(); e != nil && e.mapKey == k {
		return e
	}
	if e, ok := t.breakers.Load(k); ok {
		t.last.Store(e.(*breakerEntry))
		return e.(*breakerEntry)
	}
	e := t.newEntry(k)
	t.last.Store(e)
	return e
}

// newEntry returns the entry of k, made now unless another request made it
// first.
func (t *breakerTransport) newEntry(k breakerMapKey) *breakerEntry {
	name := k.a
	if t.key == nil {
		name = k.a + "://" + k.b
	}
	st := t.settings
	st.Name = name
	e := &breakerEntry{key: name, mapKey: k}
	st.OnStateChange = func(name string, from, to gobreaker.State) {
		e.halfOpen.Store(to == gobreaker.StateHalfOpen)
		switch to {
		case gobreaker.StateOpen:
			e.opened.Store(true)
		case gobreaker.StateClosed:
			e.closed.Store(true)
		}
		if t.onChange != nil {
			t.onChange(name, from.String(), to.String())
		}
	}
	e.cb = gobreaker.NewTwoStepCircuitBreaker[struct{}](st)
	actual, _ := t.breakers.LoadOrStore(k, e)
	return actual.(*breakerEntry)
}

// CloseIdleConnections forwards to the next layer, so that
// http.Client.CloseIdleConnections reaches the base transport.
func (t *breakerTransport) CloseIdleConnections() {
	if c, ok := t.next.(breakerCloseIdler); ok {
		c.CloseIdleConnections()
	}
}

// breakerCloseIdler is the optional method http.Client.CloseIdleConnections
// looks for on a transport.
type breakerCloseIdler interface{ CloseIdleConnections() }
