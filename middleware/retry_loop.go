// This file is the Retry layer's attempt loop: send, look at the outcome,
// decide, wait, send again. It reads top to bottom in RoundTrip; the
// helpers below it each do one step.

package middleware

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/linkedin-go/linkedin/restli"
)

// errNilResponse is a next layer that broke the RoundTripper contract.
var errNilResponse = errors.New("next RoundTripper returned a nil response and no error")

// RoundTrip implements http.RoundTripper: the attempt loop.
func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c := retryCall{t: t, req: req, ctx: req.Context()}
	if req.URL == nil {
		closeRequestBody(req)
		return nil, c.fail(errors.New("http: nil Request.URL"))
	}
	c.info, c.hasInfo = restli.CallInfoFromContext(c.ctx)
	c.idempotent = retryIdempotent(req, c.info, c.hasInfo)
	if !c.idempotent {
		// Only a call that is not safe to resend needs to know whether its
		// request was written before its connection failed.
		c.writes = &retryWrites{}
		c.ctx = httptrace.WithClientTrace(c.ctx, c.writes.trace())
	}
	c.quota = t.quotaTargetOf(req, c.info, c.hasInfo)
	replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil

	var wait time.Duration // before the next attempt
	var spent int64        // retry budget the coming attempt's resend took
	for {
		// 1. A call whose DAY quota is known to be spent is not sent.
		if err := t.quotaRefusal(c.ctx, c.quota); err != nil {
			if c.attempts == 0 {
				closeRequestBody(req)
			}
			c.attempts++
			return nil, c.fail(err)
		}

		// 2. One attempt through the next layer.
		resp, err := c.send(wait)
		c.outcome(err)

		// 3. What can never be resent ends the call here.
		switch {
		case err != nil && (errors.Is(err, restli.ErrNotSent) || c.permanent):
			// A layer below refused to send (open breaker, rate limiter,
			// failed token refresh, DAY quota): sending again meets the
			// same refusal.
			return nil, c.fail(err)
		case resp != nil && t.quotaCheck(c.ctx, c.quota, resp):
			// LinkedIn's DAY limit: nothing changes before 00:00 UTC.
			return resp, nil
		}
		if err == nil && resp.StatusCode < 400 {
			t.budget.succeeded(spent)
		}

		// 4. Decide: policy, Retry-After, budget.
		again := c.attempts < t.maxAttempts && replayable && req.Context().Err() == nil && c.policy(resp, err)
		if again {
			wait, again = c.waitAfter(resp, err)
		}
		switch {
		case again && c.tripped:
			// The breaker refuses the next attempt anyway: end the call
			// now, without waiting and without spending the budget on it.
			wait, spent = 0, 0
		case again:
			spent, again = t.budget.take(resp != nil && resp.StatusCode == http.StatusTooManyRequests)
		}
		if !again {
			if err != nil {
				return nil, c.fail(err)
			}
			return resp, nil
		}

		// 5. Wait, then go round.
		if resp != nil {
			restli.DrainAndClose(resp.Body)
		}
		if !c.sleep(wait) {
			return nil, c.fail(req.Context().Err())
		}
	}
}

// retryCall is one call through the layer. Only the caller's goroutine
// touches it, except writes, which the transport's hooks set.
type retryCall struct {
	t          *retryTransport
	req        *http.Request   // the caller's request, never modified
	ctx        context.Context // the attempts' context: the caller's, plus write tracking
	info       restli.CallInfo
	hasInfo    bool
	idempotent bool // the call's own nature, before RetryNonIdempotent
	quota      quotaTarget
	writes     *retryWrites // nil for idempotent calls

	attempts     int
	written      bool // the last attempt's request may have reached the server
	maybeApplied bool
	permanent    bool // the last error is ours and no resend can fix it
	tripped      bool // the last attempt left the circuit breaker open
}

// send makes one attempt through the next layer: the caller's request as it
// is for the first, a copy with the resend count and a fresh body for the
// others.
func (c *retryCall) send(wait time.Duration) (*http.Response, error) {
	n := c.attempts
	c.attempts++
	c.permanent, c.tripped = false, false
	r := c.req
	if c.writes != nil {
		c.writes.reset()
		r = c.req.WithContext(c.ctx)
	}
	if n > 0 {
		var err error
		if r, err = c.resend(n, wait); err != nil {
			c.permanent = true
			return nil, err
		}
	}
	resp, err := c.t.next.RoundTrip(r)
	switch {
	case err != nil:
		var te *breakerTripError
		if errors.As(err, &te) {
			c.tripped, err = true, te.err
		}
		return nil, err
	case resp == nil:
		c.permanent = true
		return nil, errNilResponse
	}
	if b, ok := resp.Body.(*breakerTripBody); ok {
		c.tripped, resp.Body = true, b.ReadCloser
	}
	return resp, nil
}

// resend returns the request of resend n (n ≥ 1), after a wait of wait: a
// copy of the caller's request with the resend count in its context and a
// fresh body. It is a function of its own so that send, on the stack for
// the whole of every attempt, keeps a small frame.
func (c *retryCall) resend(n int, wait time.Duration) (*http.Request, error) {
	// The event marks a resend that really happens, after its wait.
	if span := trace.SpanFromContext(c.req.Context()); span.IsRecording() {
		span.AddEvent("retry", trace.WithAttributes(
			attribute.Int("retry.attempt", n),
			attribute.Float64("retry.wait", wait.Seconds()),
		))
	}
	r := c.req.WithContext(restli.ContextWithAttempt(c.ctx, n))
	if c.req.Body != nil && c.req.Body != http.NoBody {
		body, err := c.req.GetBody()
		if err != nil {
			return nil, &retryBodyError{err: err}
		}
		r.Body = body
	}
	return r, nil
}

// outcome records what the attempt's error means for the call: whether
// the request was written, and so may have been applied.
func (c *retryCall) outcome(err error) {
	c.written = true
	if err != nil {
		c.written = !restli.NotSent(err) && !c.writes.failedBeforeWrite()
		if c.written && !c.idempotent {
			c.maybeApplied = true
		}
	}
}

// policy reports whether CheckRetry resends after the last attempt.
//
// It and waitAfter build the attempt's description in their own frames: in
// the loop's, which stays on the stack for the whole call, it would cost
// the stack of every call three copies of it.
//
//go:noinline
func (c *retryCall) policy(resp *http.Response, err error) bool {
	return c.t.checkRetry(c.attempt(resp, err))
}

// waitAfter returns the wait before resending after the last attempt and
// whether to resend at all (see retryTransport.waitAfter).
//
//go:noinline
func (c *retryCall) waitAfter(resp *http.Response, err error) (time.Duration, bool) {
	return c.t.waitAfter(resp, c.attempt(resp, err))
}

// attempt describes the last attempt for the policy.
func (c *retryCall) attempt(resp *http.Response, err error) RetryAttempt {
	return RetryAttempt{
		Request:        c.req,
		Call:           c.info,
		HasCallInfo:    c.hasInfo,
		SafeToResend:   c.idempotent || c.t.retryNonIdempotent,
		Attempt:        c.attempts,
		Response:       resp,
		Err:            err,
		RequestWritten: c.written,
		rand:           c.t.rand,
	}
}

// waitAfter returns the wait before resending after a: the response's
// Retry-After, or Backoff's choice. It reports false when the server asked
// for a longer wait than MaxRetryAfter: that pause is the caller's decision.
func (t *retryTransport) waitAfter(resp *http.Response, a RetryAttempt) (time.Duration, bool) {
	if resp != nil {
		if d, ok := restli.ParseRetryAfter(resp.Header, t.clock()); ok {
			return d, d <= t.maxRetryAfter
		}
	}
	return max(t.backoff(t.waitMin, t.waitMax, a), 0), true
}

// sleep waits d (as the test hook maps it) unless the caller's context ends
// first, and reports whether it may go on.
func (c *retryCall) sleep(d time.Duration) bool {
	if c.t.sleep != nil {
		d = c.t.sleep(d)
	}
	ctx := c.req.Context()
	if d <= 0 {
		return ctx.Err() == nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}

// fail builds the *RetryError the call ends with.
func (c *retryCall) fail(cause error) error {
	for {
		ue, ok := cause.(*url.Error)
		if !ok {
			break
		}
		cause = ue.Err
	}
	if ctxErr := c.req.Context().Err(); ctxErr != nil && !errors.Is(cause, ctxErr) {
		cause = fmt.Errorf("%w: %w", ctxErr, cause)
	}
	method := c.req.Method
	if method == "" {
		method = http.MethodGet
	}
	return &RetryError{
		Method:       method,
		URL:          retryURL(c.req.URL),
		Attempts:     c.attempts,
		MaybeApplied: c.maybeApplied,
		Err:          cause,
		unsafe:       !c.idempotent,
		text:         restli.RedactRequestText(cause.Error(), c.req),
	}
}

// retryWrites observes, for a call that is not safe to resend, whether the
// attempt's request was written before its connection failed. The hooks may
// fire on the transport's goroutines, hence the atomics.
type retryWrites struct {
	gotConn, wrote atomic.Bool
	hooks          httptrace.ClientTrace // in the same allocation
}

func (w *retryWrites) trace() *httptrace.ClientTrace {
	w.hooks.GotConn = func(httptrace.GotConnInfo) { w.gotConn.Store(true) }
	w.hooks.WroteRequest = func(httptrace.WroteRequestInfo) { w.wrote.Store(true) }
	return &w.hooks
}

func (w *retryWrites) reset() {
	w.gotConn.Store(false)
	w.wrote.Store(false)
}

// failedBeforeWrite reports GotConn without WroteRequest: the transport had
// a connection and failed before writing to it. net/http calls WroteRequest
// on every write attempt, failed ones included, before RoundTrip returns an
// error. A nil w (no tracking) knows nothing.
func (w *retryWrites) failedBeforeWrite() bool {
	return w != nil && w.gotConn.Load() && !w.wrote.Load()
}

// closeRequestBody closes the caller's request body, as a RoundTripper must
// on every path that does not hand it to the next layer.
func closeRequestBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}
