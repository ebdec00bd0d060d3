package middleware

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.uber.org/goleak"

	"github.com/linkedin-go/linkedin/restli"
)

// retryRTFunc adapts a function to http.RoundTripper.
type retryRTFunc func(*http.Request) (*http.Response, error)

func (f retryRTFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// retryLeakCheck fails the test if it leaves goroutines behind. Register it
// first so it runs after every other cleanup (servers, transports).
func retryLeakCheck(t *testing.T) {
	t.Helper()
	opt := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, opt) })
}

// retryServer is a loopback server that answers the n-th request (1-based)
// with handle and records what it received.
type retryServer struct {
	*httptest.Server
	hits   atomic.Int32
	mu     sync.Mutex
	bodies []string
	heads  []http.Header
}

func retryNewServer(t *testing.T, handle func(n int, w http.ResponseWriter, r *http.Request)) *retryServer {
	t.Helper()
	s := &retryServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(s.hits.Add(1))
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.bodies = append(s.bodies, string(body))
		s.heads = append(s.heads, r.Header.Clone())
		s.mu.Unlock()
		handle(n, w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// retryStatusSequence answers with the given statuses in turn, repeating
// the last one, with the body "attempt N".
func retryStatusSequence(statuses ...int) func(int, http.ResponseWriter, *http.Request) {
	return func(n int, w http.ResponseWriter, _ *http.Request) {
		code := statuses[min(n, len(statuses))-1]
		w.WriteHeader(code)
		fmt.Fprintf(w, "attempt %d", n)
	}
}

// retryTransportFor is a fresh base transport whose idle connections are
// closed at cleanup, so leak checks see no keep-alive goroutines.
func retryTransportFor(t *testing.T) *http.Transport {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

// retryCallContext is a context with the Rest.li description of method m.
func retryCallContext(m restli.Method) context.Context {
	return restli.ContextWithCallInfo(context.Background(), restli.CallInfo{
		Method: m, Resource: "/adAccounts", Idempotent: m.Idempotent(),
	})
}

func retryNewRequest(t *testing.T, ctx context.Context, method, target string, body []byte) *http.Request {
	t.Helper()
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, r)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// retryFast is RetryOptions with millisecond waits.
func retryFast(maxAttempts int) RetryOptions {
	return RetryOptions{MaxAttempts: maxAttempts, RetryWaitMin: time.Millisecond, RetryWaitMax: 2 * time.Millisecond}
}

func retryReadBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading response body: %v", err)
	}
	return string(b)
}

func TestRetry_StatusPolicy(t *testing.T) {
	retryLeakCheck(t)
	tests := []struct {
		name       string
		method     string
		call       restli.Method // "" means no call description
		restliHdr  string        // X-RestLi-Method, for requests without one
		status     int
		nonIdem    bool
		wantHits   int
		wantStatus int
	}{
		{name: "finder 503 is resent", method: "GET", call: restli.MethodFinder, status: 503, wantHits: 3},
		{name: "get 500 is resent", method: "GET", call: restli.MethodGet, status: 500, wantHits: 3},
		{name: "batch get 502 is resent", method: "GET", call: restli.MethodBatchGet, status: 502, wantHits: 3},
		{name: "get all 504 is resent", method: "GET", call: restli.MethodGetAll, status: 504, wantHits: 3},
		{name: "finder 429 is resent", method: "GET", call: restli.MethodFinder, status: 429, wantHits: 3},
		{name: "get 400 is not resent", method: "GET", call: restli.MethodGet, status: 400, wantHits: 1},
		{name: "get 401 is not resent", method: "GET", call: restli.MethodGet, status: 401, wantHits: 1},
		{name: "get 403 is not resent", method: "GET", call: restli.MethodGet, status: 403, wantHits: 1},
		{name: "get 404 is not resent", method: "GET", call: restli.MethodGet, status: 404, wantHits: 1},
		{name: "get 409 is not resent", method: "GET", call: restli.MethodGet, status: 409, wantHits: 1},
		{name: "get 501 is not resent", method: "GET", call: restli.MethodGet, status: 501, wantHits: 1},
		{name: "get 200 is sent once", method: "GET", call: restli.MethodGet, status: 200, wantHits: 1},
		{name: "create 500 is sent once", method: "POST", call: restli.MethodCreate, status: 500, wantHits: 1},
		{name: "create 503 is sent once", method: "POST", call: restli.MethodCreate, status: 503, wantHits: 1},
		{name: "create 429 is resent", method: "POST", call: restli.MethodCreate, status: 429, wantHits: 3},
		{name: "create 401 is not resent", method: "POST", call: restli.MethodCreate, status: 401, wantHits: 1},
		{name: "batch create 504 is sent once", method: "POST", call: restli.MethodBatchCreate, status: 504, wantHits: 1},
		{name: "action 502 is sent once", method: "POST", call: restli.MethodAction, status: 502, wantHits: 1},
		{name: "action 429 is resent", method: "POST", call: restli.MethodAction, status: 429, wantHits: 3},
		{name: "partial update 503 is resent", method: "POST", call: restli.MethodPartialUpdate, status: 503, wantHits: 3},
		{name: "update 500 is resent", method: "PUT", call: restli.MethodUpdate, status: 500, wantHits: 3},
		{name: "delete 503 is resent", method: "DELETE", call: restli.MethodDelete, status: 503, wantHits: 3},
		{name: "create 500 resent with RetryNonIdempotent", method: "POST", call: restli.MethodCreate, status: 500, nonIdem: true, wantHits: 3},
		{name: "plain GET 503 is resent", method: "GET", status: 503, wantHits: 3},
		{name: "plain PUT 502 is resent", method: "PUT", status: 502, wantHits: 3},
		{name: "plain DELETE 500 is resent", method: "DELETE", status: 500, wantHits: 3},
		{name: "plain POST 503 is sent once", method: "POST", status: 503, wantHits: 1},
		{name: "plain PATCH 503 is sent once", method: "PATCH", status: 503, wantHits: 1},
		{name: "plain POST 429 is resent", method: "POST", status: 429, wantHits: 3},
		{name: "POST with partial_update header 503 is resent", method: "POST", restliHdr: "partial_update", status: 503, wantHits: 3},
		{name: "POST with create header 503 is sent once", method: "POST", restliHdr: "create", status: 503, wantHits: 1},
		{name: "GET with action header 503 is sent once", method: "GET", restliHdr: "action", status: 503, wantHits: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := retryNewServer(t, retryStatusSequence(tc.status))
			opts := retryFast(3)
			opts.RetryNonIdempotent = tc.nonIdem
			rt := Retry(opts)(retryTransportFor(t))
			ctx := context.Background()
			if tc.call != "" {
				ctx = retryCallContext(tc.call)
			}
			var body []byte
			if tc.method == "POST" || tc.method == "PUT" || tc.method == "PATCH" {
				body = []byte(`{"name":"x"}`)
			}
			req := retryNewRequest(t, ctx, tc.method, srv.URL+"/adAccounts", body)
			if tc.restliHdr != "" {
				req.Header.Set("X-RestLi-Method", tc.restliHdr)
			}
			resp, err := rt.RoundTrip(req)
			if err != nil {
				t.Fatalf("RoundTrip: %v", err)
			}
			retryReadBody(t, resp)
			if resp.StatusCode != tc.status {
				t.Errorf("status = %d, want %d", resp.StatusCode, tc.status)
			}
			if got := int(srv.hits.Load()); got != tc.wantHits {
				t.Errorf("server saw %d requests, want %d", got, tc.wantHits)
			}
		})
	}
}

func TestRetry_DoesNotResendCreateAfterServerError(t *testing.T) {
	retryLeakCheck(t)
	srv := retryNewServer(t, retryStatusSequence(500, 201))
	rt := Retry(retryFast(4))(retryTransportFor(t))
	req := retryNewRequest(t, retryCallContext(restli.MethodCreate), "POST", srv.URL+"/adAccounts", []byte(`{"name":"a"}`))
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	if body := retryReadBody(t, resp); resp.StatusCode != 500 || body != "attempt 1" {
		t.Errorf("got %d %q, want the first 500 back", resp.StatusCode, body)
	}
	if got := srv.hits.Load(); got != 1 {
		t.Errorf("CREATE sent %d times, want exactly once", got)
	}
}

func TestRetry_ResendsGetAfterServiceUnavailable(t *testing.T) {
	retryLeakCheck(t)
	srv := retryNewServer(t, retryStatusSequence(503, 503, 200))
	rt := Retry(retryFast(4))(retryTransportFor(t))
	req := retryNewRequest(t, retryCallContext(restli.MethodGet), "GET", srv.URL+"/adAccounts/1", nil)
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	if body := retryReadBody(t, resp); resp.StatusCode != 200 || body != "attempt 3" {
		t.Errorf("got %d %q, want 200 from the third attempt", resp.StatusCode, body)
	}
	if got := srv.hits.Load(); got != 3 {
		t.Errorf("server saw %d requests, want 3", got)
	}
}

func TestRetry_ExhaustedAttemptsReturnLastResponseWithBody(t *testing.T) {
	retryLeakCheck(t)
	srv := retryNewServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Attempt", strconv.Itoa(n))
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, `{"status":503,"message":"attempt %d"}`, n)
	})
	// Through an http.Client, as users call it.
	client := &http.Client{Transport: Retry(retryFast(4))(retryTransportFor(t))}
	req := retryNewRequest(t, retryCallContext(restli.MethodFinder), "GET", srv.URL+"/adAccounts?q=search", nil)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("Do: %v (want the last response, not an error)", err)
	}
	body := retryReadBody(t, resp)
	if resp.StatusCode != 503 || resp.Header.Get("X-Attempt") != "4" || body != `{"status":503,"message":"attempt 4"}` {
		t.Errorf("got %d, X-Attempt %q, body %q; want the 4th 503 intact", resp.StatusCode, resp.Header.Get("X-Attempt"), body)
	}
	if got := srv.hits.Load(); got != 4 {
		t.Errorf("server saw %d requests, want 4", got)
	}
}

func TestRetry_RetryAfter(t *testing.T) {
	retryLeakCheck(t)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		status     int
		retryAfter string
		maxAfter   time.Duration
		wantHits   int
		wantWait   time.Duration // exact wait, when wantWaitLo is zero
		wantWaitLo time.Duration // backoff window instead
		wantWaitHi time.Duration
	}{
		{name: "seconds", status: 429, retryAfter: "1", wantHits: 2, wantWait: time.Second},
		{name: "seconds on 503", status: 503, retryAfter: "2", wantHits: 2, wantWait: 2 * time.Second},
		{name: "zero seconds", status: 429, retryAfter: "0", wantHits: 2, wantWait: 0},
		{name: "seconds with spaces", status: 429, retryAfter: " 3 ", wantHits: 2, wantWait: 3 * time.Second},
		{name: "HTTP date", status: 429, retryAfter: now.Add(2 * time.Second).Format(http.TimeFormat), wantHits: 2, wantWait: 2 * time.Second},
		{name: "HTTP date in the past", status: 503, retryAfter: now.Add(-time.Hour).Format(http.TimeFormat), wantHits: 2, wantWait: 0},
		{name: "seconds at the cap", status: 429, retryAfter: "5", maxAfter: 5 * time.Second, wantHits: 2, wantWait: 5 * time.Second},
		{name: "seconds beyond the cap", status: 429, retryAfter: "6", maxAfter: 5 * time.Second, wantHits: 1},
		{name: "default cap is 60s", status: 503, retryAfter: "61", wantHits: 1},
		{name: "huge seconds", status: 503, retryAfter: "99999999999999999", wantHits: 1},
		{name: "HTTP date beyond the cap", status: 503, retryAfter: now.Add(10 * time.Second).Format(http.TimeFormat), maxAfter: 2 * time.Second, wantHits: 1},
		{name: "garbage falls back to backoff", status: 429, retryAfter: "soon", wantHits: 2, wantWaitLo: 100 * time.Millisecond, wantWaitHi: 200 * time.Millisecond},
		{name: "negative falls back to backoff", status: 503, retryAfter: "-3", wantHits: 2, wantWaitLo: 100 * time.Millisecond, wantWaitHi: 200 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := retryNewServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
				if n == 1 {
					w.Header().Set("Retry-After", tc.retryAfter)
					w.WriteHeader(tc.status)
					io.WriteString(w, "slow down")
					return
				}
				io.WriteString(w, "ok")
			})
			rt := Retry(RetryOptions{
				MaxAttempts: 3, RetryWaitMin: 100 * time.Millisecond, RetryWaitMax: time.Second, MaxRetryAfter: tc.maxAfter,
			})(retryTransportFor(t)).(*retryTransport)
			var waits []time.Duration
			rt.now = func() time.Time { return now }
			rt.sleep = func(d time.Duration) time.Duration { waits = append(waits, d); return 0 }

			start := time.Now()
			resp, err := rt.RoundTrip(retryNewRequest(t, retryCallContext(restli.MethodGet), "GET", srv.URL, nil))
			if err != nil {
				t.Fatal(err)
			}
			body := retryReadBody(t, resp)
			if got := int(srv.hits.Load()); got != tc.wantHits {
				t.Fatalf("server saw %d requests, want %d", got, tc.wantHits)
			}
			if tc.wantHits == 1 {
				// Beyond the cap: that response comes back at once, intact.
				if resp.StatusCode != tc.status || resp.Header.Get("Retry-After") != tc.retryAfter || body != "slow down" {
					t.Errorf("got %d %q %q, want the %d with its Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"), body, tc.status)
				}
				if len(waits) != 0 || time.Since(start) > time.Second {
					t.Errorf("waited %v (%v) before giving up, want no wait", waits, time.Since(start))
				}
				return
			}
			if resp.StatusCode != 200 || len(waits) != 1 {
				t.Fatalf("status %d, waits %v; want 200 after one wait", resp.StatusCode, waits)
			}
			if tc.wantWaitLo == 0 && waits[0] != tc.wantWait {
				t.Errorf("waited %v, want %v", waits[0], tc.wantWait)
			}
			if tc.wantWaitLo != 0 && (waits[0] < tc.wantWaitLo || waits[0] > tc.wantWaitHi) {
				t.Errorf("waited %v, want backoff in [%v, %v]", waits[0], tc.wantWaitLo, tc.wantWaitHi)
			}
		})
	}
}

// TestRetry_HonoursRetryAfterInRealTime checks the real wait, without hooks,
// in both formats.
func TestRetry_HonoursRetryAfterInRealTime(t *testing.T) {
	retryLeakCheck(t)
	tests := []struct {
		name       string
		retryAfter func() string
		wantMin    time.Duration
	}{
		{name: "seconds", retryAfter: func() string { return "1" }, wantMin: time.Second},
		// The date has whole seconds, so the wait is between 1s and 2s.
		{name: "HTTP date", retryAfter: func() string { return time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat) }, wantMin: 900 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := retryNewServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
				if n == 1 {
					w.Header().Set("Retry-After", tc.retryAfter())
					w.WriteHeader(http.StatusTooManyRequests)
				}
			})
			rt := Retry(RetryOptions{MaxRetryAfter: 3 * time.Second, RetryWaitMin: time.Millisecond})(retryTransportFor(t))
			start := time.Now()
			resp, err := rt.RoundTrip(retryNewRequest(t, retryCallContext(restli.MethodCreate), "POST", srv.URL, []byte("{}")))
			if err != nil {
				t.Fatal(err)
			}
			retryReadBody(t, resp)
			elapsed := time.Since(start)
			if resp.StatusCode != 200 || srv.hits.Load() != 2 {
				t.Fatalf("status %d after %d requests, want 200 after 2", resp.StatusCode, srv.hits.Load())
			}
			if elapsed < tc.wantMin || elapsed > 3*time.Second {
				t.Errorf("took %v, want at least %v and within the 3s cap", elapsed, tc.wantMin)
			}
		})
	}
}

func TestRetry_RetryAfterBeyondCapReturnsAtOnce(t *testing.T) {
	retryLeakCheck(t)
	srv := retryNewServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "maintenance")
	})
	rt := Retry(RetryOptions{MaxRetryAfter: time.Second})(retryTransportFor(t))
	start := time.Now()
	resp, err := rt.RoundTrip(retryNewRequest(t, context.Background(), "GET", srv.URL, nil))
	if err != nil {
		t.Fatal(err)
	}
	if body := retryReadBody(t, resp); resp.StatusCode != 503 || body != "maintenance" {
		t.Errorf("got %d %q, want the 503 intact", resp.StatusCode, body)
	}
	if elapsed := time.Since(start); elapsed > 500*time.Millisecond {
		t.Errorf("took %v, want an immediate return", elapsed)
	}
	if srv.hits.Load() != 1 {
		t.Errorf("server saw %d requests, want 1", srv.hits.Load())
	}
}

func TestDefaultBackoff_BoundedWithFullJitter(t *testing.T) {
	tests := []struct {
		name     string
		min, max time.Duration
		attempt  int
		lo, hi   time.Duration
	}{
		{"first resend", 500 * time.Millisecond, 30 * time.Second, 1, 500 * time.Millisecond, time.Second},
		{"second resend", 500 * time.Millisecond, 30 * time.Second, 2, 500 * time.Millisecond, 2 * time.Second},
		{"third resend", 500 * time.Millisecond, 30 * time.Second, 3, 500 * time.Millisecond, 4 * time.Second},
		{"window reaches max", 500 * time.Millisecond, 30 * time.Second, 6, 500 * time.Millisecond, 30 * time.Second},
		{"shift overflow stays at max", 500 * time.Millisecond, 30 * time.Second, 100, 500 * time.Millisecond, 30 * time.Second},
		{"attempt zero counts as first", 500 * time.Millisecond, 30 * time.Second, 0, 500 * time.Millisecond, time.Second},
		{"min equals max", time.Second, time.Second, 5, time.Second, time.Second},
		{"max below min", 2 * time.Second, time.Second, 3, 2 * time.Second, 2 * time.Second},
		{"zero min", 0, time.Second, 1, 0, time.Second},
		{"extremes", 1, math.MaxInt64, 70, 1, math.MaxInt64},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := RetryAttempt{Attempt: tc.attempt, rand: rand.New(rand.NewPCG(1, 2))}
			lowest, highest := time.Duration(math.MaxInt64), time.Duration(-1)
			for i := range 4000 {
				if i%2 == 1 {
					a.rand = nil // the top-level generator, as for a hand-built attempt
				}
				d := DefaultBackoff(tc.min, tc.max, a)
				if d < tc.lo || d > tc.hi {
					t.Fatalf("DefaultBackoff = %v, want within [%v, %v]", d, tc.lo, tc.hi)
				}
				lowest, highest = min(lowest, d), max(highest, d)
			}
			// Full jitter: the draws cover the whole window, not a band near its top.
			if span := tc.hi - tc.lo; span > 0 {
				if lowest > tc.lo+span/10 || highest < tc.hi-span/10 {
					t.Errorf("draws spanned [%v, %v], want close to [%v, %v]", lowest, highest, tc.lo, tc.hi)
				}
			}
		})
	}
}

func TestRetry_ContextCancelledDuringBackoffReturnsAtOnce(t *testing.T) {
	retryLeakCheck(t)
	srv := retryNewServer(t, retryStatusSequence(503))
	rt := Retry(RetryOptions{RetryWaitMin: time.Minute, RetryWaitMax: time.Minute})(retryTransportFor(t))

	ctx, cancel := context.WithCancel(retryCallContext(restli.MethodGet))
	defer cancel()
	var cancelledAt atomic.Int64
	// Cancel shortly after the first response, while the layer waits a minute.
	go func() {
		for srv.hits.Load() == 0 {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(50 * time.Millisecond)
		cancelledAt.Store(time.Now().UnixNano())
		cancel()
	}()
	resp, err := rt.RoundTrip(retryNewRequest(t, ctx, "GET", srv.URL, nil))
	returned := time.Now()
	if resp != nil {
		resp.Body.Close()
		t.Fatalf("got a response (%d), want an error", resp.StatusCode)
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want one wrapping context.Canceled", err)
	}
	var re *RetryError
	if !errors.As(err, &re) || re.ErrorType() != "canceled" || re.Attempts != 1 {
		t.Errorf("err = %#v, want a *RetryError after 1 attempt with ErrorType canceled", err)
	}
	if lag := returned.Sub(time.Unix(0, cancelledAt.Load())); lag > 100*time.Millisecond {
		t.Errorf("returned %v after the cancel, want < 100ms", lag)
	}
	if srv.hits.Load() != 1 {
		t.Errorf("server saw %d requests, want 1", srv.hits.Load())
	}
}

func TestRetry_ContextDeadlineDuringBackoff(t *testing.T) {
	retryLeakCheck(t)
	srv := retryNewServer(t, retryStatusSequence(503))
	rt := Retry(RetryOptions{RetryWaitMin: time.Minute, RetryWaitMax: time.Minute})(retryTransportFor(t))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := rt.RoundTrip(retryNewRequest(t, ctx, "GET", srv.URL, nil))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want one wrapping context.DeadlineExceeded", err)
	}
	if elapsed := time.Since(start); elapsed > 400*time.Millisecond {
		t.Errorf("took %v, want about the 100ms deadline", elapsed)
	}
}

// retryClosedAddr is a loopback address nothing listens on.
func retryClosedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// retryCounting counts the attempts that reach next.
func retryCounting(next http.RoundTripper, n *atomic.Int32) http.RoundTripper {
	return retryRTFunc(func(r *http.Request) (*http.Response, error) {
		n.Add(1)
		return next.RoundTrip(r)
	})
}

func TestRetry_ResendsAfterConnectionRefused(t *testing.T) {
	retryLeakCheck(t)
	addr := retryClosedAddr(t)
	for _, m := range []restli.Method{restli.MethodGet, restli.MethodCreate, restli.MethodAction} {
		t.Run(string(m), func(t *testing.T) {
			var attempts atomic.Int32
			rt := Retry(retryFast(3))(retryCounting(retryTransportFor(t), &attempts))
			var body []byte
			if m.HTTPMethod() == "POST" {
				body = []byte(`{"a":1}`)
			}
			resp, err := rt.RoundTrip(retryNewRequest(t, retryCallContext(m), m.HTTPMethod(), "http://"+addr+"/x", body))
			if resp != nil {
				t.Fatalf("got a response %d, want an error", resp.StatusCode)
			}
			if !errors.Is(err, syscall.ECONNREFUSED) {
				t.Fatalf("err = %v, want connection refused", err)
			}
			var re *RetryError
			if !errors.As(err, &re) {
				t.Fatalf("err is %T, want *RetryError", err)
			}
			if attempts.Load() != 3 || re.Attempts != 3 {
				t.Errorf("made %d attempts (error says %d), want 3", attempts.Load(), re.Attempts)
			}
			if re.MaybeApplied {
				t.Error("MaybeApplied is set, but a refused connection never reached the server")
			}
		})
	}
}

// retryResetServer reads each request completely, then resets the
// connection without answering.
func retryResetServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		io.ReadAll(r.Body)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		if tc, ok := conn.(*net.TCPConn); ok {
			tc.SetLinger(0) // RST instead of FIN
		}
		conn.Close()
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func TestRetry_DoesNotResendCreateAfterResetOfWrittenRequest(t *testing.T) {
	retryLeakCheck(t)
	tests := []struct {
		method        restli.Method
		wantHits      int32
		wantMaybeSent bool
	}{
		{restli.MethodCreate, 1, true},
		{restli.MethodAction, 1, true},
		{restli.MethodGet, 3, false},
		{restli.MethodPartialUpdate, 3, false},
	}
	for _, tc := range tests {
		t.Run(string(tc.method), func(t *testing.T) {
			srv, hits := retryResetServer(t)
			rt := Retry(retryFast(3))(retryTransportFor(t))
			var body []byte
			if tc.method.HTTPMethod() == "POST" {
				body = []byte(`{"marker":"m-1"}`)
			}
			resp, err := rt.RoundTrip(retryNewRequest(t, retryCallContext(tc.method), tc.method.HTTPMethod(), srv.URL+"/x", body))
			if resp != nil {
				t.Fatalf("got a response %d, want an error", resp.StatusCode)
			}
			var re *RetryError
			if !errors.As(err, &re) {
				t.Fatalf("err = %v (%T), want *RetryError", err, err)
			}
			if hits.Load() != tc.wantHits {
				t.Errorf("server received %d requests, want %d", hits.Load(), tc.wantHits)
			}
			if re.MaybeApplied != tc.wantMaybeSent {
				t.Errorf("MaybeApplied = %v, want %v (err: %v)", re.MaybeApplied, tc.wantMaybeSent, err)
			}
			if tc.wantMaybeSent && !strings.Contains(err.Error(), "may have been applied") {
				t.Errorf("error %q does not say the request may have been applied", err)
			}
		})
	}
}

// TestRetry_CreateResendDependsOnWhetherRequestWasWritten drives the write
// tracking with a transport that reports httptrace events like net/http.
func TestRetry_CreateResendDependsOnWhetherRequestWasWritten(t *testing.T) {
	retryLeakCheck(t)
	reset := &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	tests := []struct {
		name         string
		gotConn      bool
		wrote        bool
		err          error
		wantAttempts int32
		wantMaybe    bool
	}{
		{name: "connection failed before write", gotConn: true, err: reset, wantAttempts: 3},
		{name: "reset after write", gotConn: true, wrote: true, err: reset, wantAttempts: 1, wantMaybe: true},
		{name: "unobservable transport", err: reset, wantAttempts: 1, wantMaybe: true},
		{name: "dial error", err: &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("no route to host")}, wantAttempts: 3},
		{name: "DNS error", err: &net.DNSError{Err: "no such host", Name: "api.example", IsNotFound: true}, wantAttempts: 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var attempts atomic.Int32
			next := retryRTFunc(func(r *http.Request) (*http.Response, error) {
				attempts.Add(1)
				r.Body.Close()
				if tr := httptrace.ContextClientTrace(r.Context()); tr != nil {
					if tc.gotConn {
						tr.GotConn(httptrace.GotConnInfo{})
					}
					if tc.wrote {
						tr.WroteRequest(httptrace.WroteRequestInfo{})
					}
				}
				return nil, tc.err
			})
			rt := Retry(retryFast(3))(next)
			req := retryNewRequest(t, retryCallContext(restli.MethodCreate), "POST", "https://api.example/rest/posts", []byte("{}"))
			_, err := rt.RoundTrip(req)
			var re *RetryError
			if !errors.As(err, &re) {
				t.Fatalf("err = %v, want *RetryError", err)
			}
			if attempts.Load() != tc.wantAttempts || re.MaybeApplied != tc.wantMaybe {
				t.Errorf("attempts %d, MaybeApplied %v; want %d, %v", attempts.Load(), re.MaybeApplied, tc.wantAttempts, tc.wantMaybe)
			}
		})
	}
}

func TestRetry_ReplaysBodyIdenticallyOnEachAttempt(t *testing.T) {
	retryLeakCheck(t)
	srv := retryNewServer(t, retryStatusSequence(503, 502, 200))
	rt := Retry(retryFast(4))(retryTransportFor(t))
	payload := []byte(`{"patch":{"$set":{"name":"Q3 campaign","budget":{"amount":"100.00"}}}}`)
	req := retryNewRequest(t, retryCallContext(restli.MethodPartialUpdate), "POST", srv.URL+"/adAccounts/1", payload)
	req.Header.Set("Content-Type", "application/json")
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	retryReadBody(t, resp)
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(srv.bodies) != 3 {
		t.Fatalf("server saw %d requests, want 3", len(srv.bodies))
	}
	for i, b := range srv.bodies {
		if b != string(payload) {
			t.Errorf("attempt %d body = %q, want %q", i+1, b, payload)
		}
		if got := srv.heads[i].Get("Content-Type"); got != "application/json" {
			t.Errorf("attempt %d Content-Type = %q", i+1, got)
		}
	}
}

// retryTrackedBody is a request body that records Close.
type retryTrackedBody struct {
	io.Reader
	closed atomic.Bool
}

func (b *retryTrackedBody) Close() error { b.closed.Store(true); return nil }

func TestRetry_SendsUnreplayableBodyOnce(t *testing.T) {
	retryLeakCheck(t)
	srv := retryNewServer(t, retryStatusSequence(503, 200))
	rt := Retry(retryFast(4))(retryTransportFor(t))
	req := retryNewRequest(t, retryCallContext(restli.MethodUpdate), "PUT", srv.URL, nil)
	body := &retryTrackedBody{Reader: strings.NewReader(`{"a":1}`)}
	req.Body, req.ContentLength, req.GetBody = body, 7, nil
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	retryReadBody(t, resp)
	if resp.StatusCode != 503 || srv.hits.Load() != 1 {
		t.Errorf("status %d after %d requests, want the 503 after 1", resp.StatusCode, srv.hits.Load())
	}
	if !body.closed.Load() {
		t.Error("caller's body was not closed")
	}
}

func TestRetry_DoesNotMutateCallerRequest(t *testing.T) {
	retryLeakCheck(t)
	srv := retryNewServer(t, retryStatusSequence(503, 429, 200))
	rt := Retry(retryFast(4))(retryTransportFor(t))

	type ctxKey struct{}
	ctx := context.WithValue(retryCallContext(restli.MethodPartialUpdate), ctxKey{}, "caller")
	req := retryNewRequest(t, ctx, "POST", srv.URL+"/adAccounts/1?fields=id,name", nil)
	body := &retryTrackedBody{Reader: strings.NewReader(`{"patch":{}}`)}
	var opened, closed atomic.Int32
	req.Body, req.ContentLength = body, 12
	req.GetBody = func() (io.ReadCloser, error) {
		opened.Add(1)
		return retryRTCloseCounter{Reader: strings.NewReader(`{"patch":{}}`), n: &closed}, nil
	}
	req.Header.Set("X-RestLi-Method", "partial_update")
	req.Header.Set("Authorization", "Bearer caller-token")

	before := *req
	beforeURL := *req.URL
	beforeHeader := req.Header.Clone()

	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	retryReadBody(t, resp)

	if req.Method != before.Method || req.URL != before.URL || *req.URL != beforeURL || req.Host != before.Host ||
		req.ContentLength != before.ContentLength || req.Body != before.Body || req.Context() != ctx {
		t.Errorf("caller's request changed:\nbefore %+v\nafter  %+v", before, *req)
	}
	if !reflect.DeepEqual(req.Header, beforeHeader) {
		t.Errorf("caller's header changed: %v, want %v", req.Header, beforeHeader)
	}
	if !body.closed.Load() {
		t.Error("caller's body was not closed")
	}
	if opened.Load() != 2 || closed.Load() != 2 {
		t.Errorf("GetBody opened %d bodies, %d closed; want 2 and 2 (one per resend)", opened.Load(), closed.Load())
	}
}

type retryRTCloseCounter struct {
	io.Reader
	n *atomic.Int32
}

func (c retryRTCloseCounter) Close() error { c.n.Add(1); return nil }

func TestRetry_ClosesCallerBodyOnEveryPath(t *testing.T) {
	retryLeakCheck(t)
	tests := []struct {
		name string
		next http.RoundTripper
	}{
		{name: "refused before any attempt", next: retryRTFunc(func(r *http.Request) (*http.Response, error) {
			r.Body.Close()
			return nil, ErrCircuitOpen
		})},
		{name: "success", next: retryRTFunc(func(r *http.Request) (*http.Response, error) {
			r.Body.Close()
			return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
		})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := retryNewRequest(t, context.Background(), "PUT", "https://api.example/x", nil)
			body := &retryTrackedBody{Reader: strings.NewReader("x")}
			req.Body = body
			Retry(retryFast(2))(tc.next).RoundTrip(req)
			if !body.closed.Load() {
				t.Error("caller's body was not closed")
			}
		})
	}
	t.Run("nil URL", func(t *testing.T) {
		body := &retryTrackedBody{Reader: strings.NewReader("x")}
		req := (&http.Request{Method: "PUT", Header: http.Header{}, Body: body}).WithContext(context.Background())
		_, err := Retry(retryFast(2))(retryRTFunc(func(*http.Request) (*http.Response, error) {
			t.Error("a request without URL reached the next layer")
			return nil, errors.New("unreachable")
		})).RoundTrip(req)
		if err == nil || !body.closed.Load() {
			t.Errorf("err = %v, closed = %v; want an error and the body closed", err, body.closed.Load())
		}
	})
}

func TestRetry_SetsResendCountInAttemptContext(t *testing.T) {
	retryLeakCheck(t)
	srv := retryNewServer(t, retryStatusSequence(503, 500, 200))
	type ctxKey struct{}
	ctx, cancel := context.WithCancel(context.WithValue(retryCallContext(restli.MethodFinder), ctxKey{}, "v"))
	defer cancel()
	var mu sync.Mutex
	var seen []int
	base := retryTransportFor(t)
	inner := retryRTFunc(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		seen = append(seen, restli.AttemptFromContext(r.Context()))
		mu.Unlock()
		if info, ok := restli.CallInfoFromContext(r.Context()); !ok || info.Method != restli.MethodFinder {
			t.Errorf("attempt lost the call description: %+v", info)
		}
		if r.Context().Value(ctxKey{}) != "v" {
			t.Error("attempt context does not derive from the caller's")
		}
		return base.RoundTrip(r)
	})
	resp, err := Retry(retryFast(4))(inner).RoundTrip(retryNewRequest(t, ctx, "GET", srv.URL, nil))
	if err != nil {
		t.Fatal(err)
	}
	retryReadBody(t, resp)
	if want := []int{0, 1, 2}; !reflect.DeepEqual(seen, want) {
		t.Errorf("inner layer saw attempts %v, want %v", seen, want)
	}
}

func TestRetry_ErrorsNeverContainSecrets(t *testing.T) {
	retryLeakCheck(t)
	const (
		queryCanary = "CANARYqueryTOKEN42"
		authCanary  = "CANARYauthTOKEN42"
	)
	closed := retryClosedAddr(t)
	tests := []struct {
		name string
		url  string
		next func(t *testing.T) http.RoundTripper
		ctx  func() (context.Context, context.CancelFunc)
	}{
		{name: "connection refused", url: "http://" + closed, next: func(t *testing.T) http.RoundTripper { return retryTransportFor(t) }},
		{name: "inner *url.Error with the full URL", next: func(*testing.T) http.RoundTripper {
			return retryRTFunc(func(r *http.Request) (*http.Response, error) {
				return nil, &url.Error{Op: "Get", URL: r.URL.String(), Err: io.ErrUnexpectedEOF}
			})
		}},
		{name: "inner error quoting URL and header", next: func(*testing.T) http.RoundTripper {
			return retryRTFunc(func(r *http.Request) (*http.Response, error) {
				return nil, fmt.Errorf("sending %s with %q: %w (token %s)", r.URL, r.Header.Get("Authorization"),
					io.ErrUnexpectedEOF, r.URL.Query().Get("oauth2_access_token"))
			})
		}},
		{name: "breaker refusal", next: func(*testing.T) http.RoundTripper {
			return retryRTFunc(func(*http.Request) (*http.Response, error) {
				return nil, &BreakerError{Key: "https://api.example", State: "open"}
			})
		}},
		{name: "cancelled during backoff", next: func(*testing.T) http.RoundTripper {
			return retryRTFunc(func(*http.Request) (*http.Response, error) {
				return &http.Response{StatusCode: 503, Body: http.NoBody}, nil
			})
		}, ctx: func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 20*time.Millisecond)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			base := tc.url
			if base == "" {
				base = "https://api.example"
			}
			ctx, cancel := context.Background(), context.CancelFunc(func() {})
			if tc.ctx != nil {
				ctx, cancel = tc.ctx()
			}
			defer cancel()
			req := retryNewRequest(t, ctx, "GET", base+"/rest/me?oauth2_access_token="+queryCanary+"&fields=id", nil)
			req.Header.Set("Authorization", "Bearer "+authCanary)
			opts := retryFast(2)
			if tc.ctx != nil {
				opts.RetryWaitMin, opts.RetryWaitMax = time.Minute, time.Minute
			}
			_, err := Retry(opts)(tc.next(t)).RoundTrip(req)
			if err == nil {
				t.Fatal("want an error")
			}
			for _, text := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err)} {
				if strings.Contains(text, queryCanary) || strings.Contains(text, authCanary) {
					t.Errorf("error text leaks a secret: %s", text)
				}
			}
			var re *RetryError
			if !errors.As(err, &re) || !strings.Contains(re.URL, "oauth2_access_token=REDACTED&fields=REDACTED") || !strings.HasSuffix(strings.SplitN(re.URL, "?", 2)[0], "/rest/me") {
				t.Errorf("URL = %q, want the path with redacted query values", re.URL)
			}
		})
	}
}

func TestRetry_RecordsSpanEventPerResend(t *testing.T) {
	retryLeakCheck(t)
	srv := retryNewServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		switch n {
		case 1:
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(503)
		case 2:
			w.Header().Set("Retry-After", "2")
			w.WriteHeader(429)
		}
	})
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	defer tp.Shutdown(context.Background())
	ctx, span := tp.Tracer("test").Start(retryCallContext(restli.MethodGet), "GET /adAccounts/{id}")

	rt := Retry(retryFast(4))(retryTransportFor(t)).(*retryTransport)
	rt.sleep = func(time.Duration) time.Duration { return 0 }
	resp, err := rt.RoundTrip(retryNewRequest(t, ctx, "GET", srv.URL, nil))
	if err != nil {
		t.Fatal(err)
	}
	retryReadBody(t, resp)
	span.End()

	ended := rec.Ended()
	if len(ended) != 1 {
		t.Fatalf("recorded %d spans, want 1", len(ended))
	}
	type event struct {
		attempt int64
		wait    float64
	}
	var got []event
	for _, ev := range ended[0].Events() {
		if ev.Name != "retry" {
			t.Errorf("unexpected event %q", ev.Name)
			continue
		}
		var e event
		for _, kv := range ev.Attributes {
			switch kv.Key {
			case "retry.attempt":
				e.attempt = kv.Value.AsInt64()
			case "retry.wait":
				e.wait = kv.Value.AsFloat64()
			}
		}
		got = append(got, e)
	}
	if want := []event{{1, 1}, {2, 2}}; !reflect.DeepEqual(got, want) {
		t.Errorf("retry events = %+v, want %+v", got, want)
	}
}

func TestRetry_NeverResendsCircuitOpen(t *testing.T) {
	retryLeakCheck(t)
	for name, check := range map[string]CheckRetryFunc{
		"default policy": nil,
		// The layer holds the line even against a policy that resends all.
		"resend-everything policy": func(RetryAttempt) bool { return true },
	} {
		t.Run(name, func(t *testing.T) {
			var attempts atomic.Int32
			next := retryRTFunc(func(*http.Request) (*http.Response, error) {
				attempts.Add(1)
				return nil, &BreakerError{Key: "https://api.example", State: "open"}
			})
			opts := retryFast(4)
			opts.CheckRetry = check
			_, err := Retry(opts)(next).RoundTrip(retryNewRequest(t, retryCallContext(restli.MethodCreate), "POST", "https://api.example/x", nil))
			if !errors.Is(err, ErrCircuitOpen) || attempts.Load() != 1 {
				t.Fatalf("err = %v after %d attempts, want ErrCircuitOpen after 1", err, attempts.Load())
			}
			var re *RetryError
			if !errors.As(err, &re) || re.ErrorType() != "circuit_open" || re.MaybeApplied {
				t.Errorf("err = %#v, want a *RetryError of type circuit_open, not maybe applied", err)
			}
		})
	}
}

func TestRetry_DoesNotFollowRedirects(t *testing.T) {
	retryLeakCheck(t)
	for _, loc := range []string{"/elsewhere", "http://[::1"} {
		t.Run(loc, func(t *testing.T) {
			var elsewhere atomic.Int32
			srv := retryNewServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/elsewhere" {
					elsewhere.Add(1)
					return
				}
				w.Header().Set("Location", loc)
				w.WriteHeader(http.StatusFound)
				io.WriteString(w, "moved")
			})
			resp, err := Retry(retryFast(3))(retryTransportFor(t)).RoundTrip(retryNewRequest(t, context.Background(), "GET", srv.URL+"/here", nil))
			if err != nil {
				t.Fatal(err)
			}
			if body := retryReadBody(t, resp); resp.StatusCode != 302 || resp.Header.Get("Location") != loc || body != "moved" {
				t.Errorf("got %d Location %q body %q, want the 302 intact", resp.StatusCode, resp.Header.Get("Location"), body)
			}
			if srv.hits.Load() != 1 || elsewhere.Load() != 0 {
				t.Errorf("server saw %d requests (%d redirected), want 1 and none followed", srv.hits.Load(), elsewhere.Load())
			}
		})
	}
}

func TestRetry_CustomHooksSeeTheAttempt(t *testing.T) {
	retryLeakCheck(t)
	srv := retryNewServer(t, retryStatusSequence(http.StatusTeapot, http.StatusTeapot, 200))
	var mu sync.Mutex
	var seen []RetryAttempt
	var req *http.Request
	opts := RetryOptions{
		MaxAttempts: 5,
		CheckRetry: func(a RetryAttempt) bool {
			mu.Lock()
			seen = append(seen, a)
			mu.Unlock()
			return DefaultCheckRetry(a) || (a.Response != nil && a.Response.StatusCode == http.StatusTeapot)
		},
		Backoff: func(time.Duration, time.Duration, RetryAttempt) time.Duration { return time.Millisecond },
	}
	req = retryNewRequest(t, retryCallContext(restli.MethodCreate), "POST", srv.URL, []byte("{}"))
	resp, err := Retry(opts)(retryTransportFor(t)).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	retryReadBody(t, resp)
	if resp.StatusCode != 200 || len(seen) != 3 {
		t.Fatalf("status %d after %d checks, want 200 after 3", resp.StatusCode, len(seen))
	}
	for i, a := range seen {
		if a.Attempt != i+1 || a.Request != req || !a.HasCallInfo || a.Call.Method != restli.MethodCreate ||
			a.SafeToResend || !a.RequestWritten || a.Err != nil || a.Response == nil {
			t.Errorf("check %d saw %+v", i+1, a)
		}
	}
}

func TestRetry_ConcurrentCallsAreIndependent(t *testing.T) {
	retryLeakCheck(t)
	srv := retryNewServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n%2 == 1 {
			w.WriteHeader(503)
			return
		}
		io.WriteString(w, r.URL.Query().Get("i"))
	})
	rt := Retry(RetryOptions{MaxAttempts: 10, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})(retryTransportFor(t))
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := range 10 {
				id := strconv.Itoa(g*100 + i)
				resp, err := rt.RoundTrip(retryNewRequest(t, retryCallContext(restli.MethodGet), "GET", srv.URL+"?i="+id, nil))
				if err != nil {
					t.Error(err)
					return
				}
				if body := retryReadBody(t, resp); resp.StatusCode == 200 && body != id {
					t.Errorf("call %s got body %q", id, body)
				}
			}
		})
	}
	wg.Wait()
}

func TestRetryError_ErrorType(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{context.Canceled, "canceled"},
		{fmt.Errorf("x: %w", context.DeadlineExceeded), "timeout"},
		{&net.OpError{Op: "read", Err: retryTimeoutErr{}}, "timeout"},
		{&BreakerError{Key: "k", State: "open"}, "circuit_open"},
		{syscall.ECONNRESET, "transport"},
	}
	for _, tc := range tests {
		if got := (&RetryError{Err: tc.err}).ErrorType(); got != tc.want {
			t.Errorf("ErrorType(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}

type retryTimeoutErr struct{}

func (retryTimeoutErr) Error() string   { return "i/o timeout" }
func (retryTimeoutErr) Timeout() bool   { return true }
func (retryTimeoutErr) Temporary() bool { return true }

// retryIdleCounter counts CloseIdleConnections calls.
type retryIdleCounter struct {
	http.RoundTripper
	n atomic.Int32
}

func (c *retryIdleCounter) CloseIdleConnections() { c.n.Add(1) }

// go-retryablehttp closes its client's idle connections after every failed
// call; that must never reach the user's pool, while an explicit
// CloseIdleConnections on the user's client must.
func TestRetry_LeavesUsersIdleConnectionsAlone(t *testing.T) {
	retryLeakCheck(t)
	base := &retryIdleCounter{RoundTripper: retryRTFunc(func(r *http.Request) (*http.Response, error) {
		if r.URL.Path == "/fail" {
			return nil, syscall.ECONNRESET
		}
		return &http.Response{StatusCode: 503, Body: http.NoBody}, nil
	})}
	client := &http.Client{Transport: Retry(retryFast(3))(CircuitBreaker(BreakerOptions{FailureThreshold: 100})(base))}
	for _, path := range []string{"/fail", "/busy"} {
		req := retryNewRequest(t, context.Background(), "GET", "https://api.example"+path, nil)
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
		}
	}
	if n := base.n.Load(); n != 0 {
		t.Fatalf("failed calls closed the user's idle connections %d times", n)
	}
	client.CloseIdleConnections()
	if n := base.n.Load(); n != 1 {
		t.Errorf("client.CloseIdleConnections reached the base %d times, want 1", n)
	}
}

// A resend that never happens, because the context ended during its wait,
// records no event: the call layer counts events as resends.
func TestRetry_RecordsNoEventForResendCutShortByContext(t *testing.T) {
	retryLeakCheck(t)
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	defer tp.Shutdown(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	ctx, span := tp.Tracer("test").Start(ctx, "GET /me")
	next := retryRTFunc(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 503, Body: http.NoBody}, nil
	})
	rt := Retry(RetryOptions{RetryWaitMin: time.Minute, RetryWaitMax: time.Minute})(next)
	if _, err := rt.RoundTrip(retryNewRequest(t, ctx, "GET", "https://api.example/me", nil)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the deadline", err)
	}
	span.End()
	if events := rec.Ended()[0].Events(); len(events) != 0 {
		t.Errorf("recorded %d events, want none: no resend happened", len(events))
	}
}
