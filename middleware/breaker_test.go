package middleware

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/linkedin-go/linkedin/restli"
)

// breakerServer answers with a status that the test can change, and counts
// the requests that reach it.
type breakerServer struct {
	*httptest.Server
	hits   atomic.Int32
	status atomic.Int32
}

func breakerNewServer(t *testing.T, status int) *breakerServer {
	t.Helper()
	s := &breakerServer{}
	s.status.Store(int32(status))
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(int(s.status.Load()))
		io.WriteString(w, "from server")
	}))
	t.Cleanup(s.Close)
	return s
}

// breakerCall sends a GET through rt and returns the status (0 on error).
func breakerCall(t *testing.T, rt http.RoundTripper, target string) (int, error) {
	t.Helper()
	req, err := http.NewRequest("GET", target, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := rt.RoundTrip(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// breakerStates records OnStateChange calls as "key: from -> to".
type breakerStates struct {
	mu  sync.Mutex
	got []string
}

func (s *breakerStates) record(key, from, to string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got = append(s.got, key+": "+from+" -> "+to)
}

func (s *breakerStates) list() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.got...)
}

func TestCircuitBreaker_OpensAfterThresholdAndFailsFast(t *testing.T) {
	retryLeakCheck(t)
	srv := breakerNewServer(t, http.StatusInternalServerError)
	rt := CircuitBreaker(BreakerOptions{FailureThreshold: 3})(retryTransportFor(t))

	for i := range 3 {
		if status, err := breakerCall(t, rt, srv.URL+"/x"); err != nil || status != 500 {
			t.Fatalf("call %d: %d, %v; want the 500 passed through", i+1, status, err)
		}
	}
	req, _ := http.NewRequest("POST", srv.URL+"/x?token=secret", strings.NewReader("{}"))
	body := &retryTrackedBody{Reader: strings.NewReader("{}")}
	req.Body = body
	start := time.Now()
	resp, err := rt.RoundTrip(req)
	if resp != nil || !errors.Is(err, ErrCircuitOpen) {
		t.Fatalf("4th call: %v, %v; want ErrCircuitOpen", resp, err)
	}
	if time.Since(start) > 250*time.Millisecond {
		t.Errorf("refusal took %v, want it immediate", time.Since(start))
	}
	var be *BreakerError
	if !errors.As(err, &be) || be.Key != srv.URL || be.State != "open" || be.ErrorType() != "circuit_open" {
		t.Errorf("err = %#v, want *BreakerError{Key: %q, State: open}", err, srv.URL)
	}
	if strings.Contains(err.Error(), "/x") || strings.Contains(err.Error(), "secret") {
		t.Errorf("error %q holds a path or query", err)
	}
	if !body.closed.Load() {
		t.Error("refused request's body was not closed")
	}
	if got := srv.hits.Load(); got != 3 {
		t.Errorf("server saw %d requests, want 3: the open breaker must not touch the network", got)
	}
}

func TestCircuitBreaker_HalfOpensAfterTimeoutAndClosesOnSuccess(t *testing.T) {
	retryLeakCheck(t)
	srv := breakerNewServer(t, http.StatusServiceUnavailable)
	var states breakerStates
	rt := CircuitBreaker(BreakerOptions{FailureThreshold: 2, OpenTimeout: 50 * time.Millisecond, OnStateChange: states.record})(retryTransportFor(t))

	breakerCall(t, rt, srv.URL)
	breakerCall(t, rt, srv.URL)
	if _, err := breakerCall(t, rt, srv.URL); !errors.Is(err, ErrCircuitOpen) {
		t.Fatalf("err = %v, want the breaker open", err)
	}
	srv.status.Store(http.StatusOK) // the host heals
	time.Sleep(60 * time.Millisecond)
	for i := range 3 {
		if status, err := breakerCall(t, rt, srv.URL); err != nil || status != 200 {
			t.Fatalf("call %d after the timeout: %d, %v; want 200", i+1, status, err)
		}
	}
	if got := srv.hits.Load(); got != 5 {
		t.Errorf("server saw %d requests, want 5", got)
	}
	want := []string{
		srv.URL + ": closed -> open",
		srv.URL + ": open -> half-open",
		srv.URL + ": half-open -> closed",
	}
	if got := states.list(); !reflect.DeepEqual(got, want) {
		t.Errorf("OnStateChange calls:\n got %q\nwant %q", got, want)
	}
}

func TestCircuitBreaker_ReopensOnHalfOpenFailure(t *testing.T) {
	retryLeakCheck(t)
	srv := breakerNewServer(t, http.StatusBadGateway)
	var states breakerStates
	rt := CircuitBreaker(BreakerOptions{FailureThreshold: 1, OpenTimeout: 50 * time.Millisecond, OnStateChange: states.record})(retryTransportFor(t))

	breakerCall(t, rt, srv.URL)
	time.Sleep(60 * time.Millisecond)
	if status, err := breakerCall(t, rt, srv.URL); err != nil || status != 502 {
		t.Fatalf("probe: %d, %v; want the 502 passed through", status, err)
	}
	if _, err := breakerCall(t, rt, srv.URL); !errors.Is(err, ErrCircuitOpen) {
		t.Fatalf("after a failed probe err = %v, want the breaker open again", err)
	}
	if got := srv.hits.Load(); got != 2 {
		t.Errorf("server saw %d requests, want 2", got)
	}
	want := []string{srv.URL + ": closed -> open", srv.URL + ": open -> half-open", srv.URL + ": half-open -> open"}
	if got := states.list(); !reflect.DeepEqual(got, want) {
		t.Errorf("OnStateChange calls:\n got %q\nwant %q", got, want)
	}
}

func TestCircuitBreaker_HalfOpenLimitsProbes(t *testing.T) {
	retryLeakCheck(t)
	release := make(chan struct{})
	var hits atomic.Int32
	fail := atomic.Bool{}
	fail.Store(true)
	next := retryRTFunc(func(*http.Request) (*http.Response, error) {
		hits.Add(1)
		if fail.Load() {
			return &http.Response{StatusCode: 500, Body: http.NoBody}, nil
		}
		<-release // a slow probe
		return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
	})
	rt := CircuitBreaker(BreakerOptions{FailureThreshold: 1, OpenTimeout: 20 * time.Millisecond})(next)
	breakerCall(t, rt, "https://api.example/x")
	fail.Store(false)
	time.Sleep(30 * time.Millisecond)

	probeDone := make(chan error, 1)
	go func() { _, err := breakerCall(t, rt, "https://api.example/x"); probeDone <- err }()
	for hits.Load() < 2 {
		time.Sleep(time.Millisecond)
	}
	_, err := breakerCall(t, rt, "https://api.example/x")
	var be *BreakerError
	if !errors.As(err, &be) || be.State != "half-open" || !errors.Is(err, ErrCircuitOpen) {
		t.Errorf("second request while the probe is out: %v, want a half-open refusal", err)
	}
	close(release)
	if err := <-probeDone; err != nil {
		t.Fatalf("probe: %v", err)
	}
	if _, err := breakerCall(t, rt, "https://api.example/x"); err != nil {
		t.Errorf("after a successful probe: %v, want the breaker closed", err)
	}
}

func TestCircuitBreaker_ClientErrorsAreNeutral(t *testing.T) {
	retryLeakCheck(t)
	for _, status := range []int{400, 401, 403, 404, 409, 422, 429} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			srv := breakerNewServer(t, http.StatusInternalServerError)
			rt := CircuitBreaker(BreakerOptions{FailureThreshold: 3})(retryTransportFor(t))
			// Two failures, then many neutral answers: the run of failures
			// is neither broken nor extended.
			breakerCall(t, rt, srv.URL)
			breakerCall(t, rt, srv.URL)
			srv.status.Store(int32(status))
			for range 10 {
				if got, err := breakerCall(t, rt, srv.URL); err != nil || got != status {
					t.Fatalf("%d answer: %d, %v; want it passed through", status, got, err)
				}
			}
			srv.status.Store(http.StatusInternalServerError)
			breakerCall(t, rt, srv.URL) // third consecutive failure
			if _, err := breakerCall(t, rt, srv.URL); !errors.Is(err, ErrCircuitOpen) {
				t.Errorf("err = %v, want open: %d must not reset the failure count", err, status)
			}
		})
	}
}

func TestCircuitBreaker_SuccessResetsFailureCount(t *testing.T) {
	retryLeakCheck(t)
	srv := breakerNewServer(t, http.StatusInternalServerError)
	rt := CircuitBreaker(BreakerOptions{FailureThreshold: 3})(retryTransportFor(t))
	for range 5 {
		srv.status.Store(500)
		breakerCall(t, rt, srv.URL)
		breakerCall(t, rt, srv.URL)
		srv.status.Store(200)
		if _, err := breakerCall(t, rt, srv.URL); err != nil {
			t.Fatalf("err = %v: failures separated by successes must not open the breaker", err)
		}
	}
}

func TestCircuitBreaker_TransportErrorsCountAndCancellationDoesNot(t *testing.T) {
	retryLeakCheck(t)
	boom := errors.New("connection reset")
	tests := []struct {
		name     string
		err      error
		cancel   bool
		wantOpen bool
	}{
		{name: "transport error", err: boom, wantOpen: true},
		{name: "context.Canceled", err: context.Canceled, cancel: true},
		{name: "caller deadline", err: context.DeadlineExceeded, cancel: true},
		{name: "context.Canceled from below", err: fmt.Errorf("read: %w", context.Canceled)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int32
			next := retryRTFunc(func(*http.Request) (*http.Response, error) {
				calls.Add(1)
				return nil, tc.err
			})
			rt := CircuitBreaker(BreakerOptions{FailureThreshold: 2})(next)
			for range 5 {
				ctx, cancel := context.WithCancel(context.Background())
				if tc.cancel {
					cancel()
				}
				req, _ := http.NewRequestWithContext(ctx, "GET", "https://api.example/x", nil)
				rt.RoundTrip(req)
				cancel()
			}
			open := calls.Load() < 5
			if open != tc.wantOpen {
				t.Errorf("breaker open = %v after 5 × %v, want %v", open, tc.err, tc.wantOpen)
			}
		})
	}
}

func TestCircuitBreaker_CancelledProbeFreesTheSlot(t *testing.T) {
	retryLeakCheck(t)
	var mode atomic.Int32 // 0 fail, 1 cancelled, 2 ok
	next := retryRTFunc(func(r *http.Request) (*http.Response, error) {
		switch mode.Load() {
		case 0:
			return &http.Response{StatusCode: 503, Body: http.NoBody}, nil
		case 1:
			return nil, context.Canceled
		}
		return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
	})
	rt := CircuitBreaker(BreakerOptions{FailureThreshold: 1, OpenTimeout: 20 * time.Millisecond})(next)
	breakerCall(t, rt, "https://api.example/")
	time.Sleep(30 * time.Millisecond)
	mode.Store(1)
	if _, err := breakerCall(t, rt, "https://api.example/"); !errors.Is(err, context.Canceled) {
		t.Fatalf("probe err = %v, want the cancellation passed through", err)
	}
	mode.Store(2)
	if status, err := breakerCall(t, rt, "https://api.example/"); err != nil || status != 200 {
		t.Errorf("next probe: %d, %v; want it let through after a cancelled probe", status, err)
	}
}

func TestCircuitBreaker_IsolatesKeys(t *testing.T) {
	retryLeakCheck(t)
	sick := breakerNewServer(t, http.StatusServiceUnavailable)
	healthy := breakerNewServer(t, http.StatusOK)
	rt := CircuitBreaker(BreakerOptions{FailureThreshold: 2})(retryTransportFor(t))
	breakerCall(t, rt, sick.URL)
	breakerCall(t, rt, sick.URL)
	if _, err := breakerCall(t, rt, sick.URL+"/other/path"); !errors.Is(err, ErrCircuitOpen) {
		t.Fatalf("sick host: %v, want open for every path", err)
	}
	for range 3 {
		if status, err := breakerCall(t, rt, healthy.URL); err != nil || status != 200 {
			t.Fatalf("healthy host: %d, %v; want 200", status, err)
		}
	}
}

func TestCircuitBreaker_CustomKeyAndIsFailure(t *testing.T) {
	retryLeakCheck(t)
	srv := breakerNewServer(t, http.StatusConflict)
	var states breakerStates
	rt := CircuitBreaker(BreakerOptions{
		FailureThreshold: 2,
		Key:              func(*http.Request) string { return "linkedin" },
		IsFailure: func(resp *http.Response, err error) bool {
			return DefaultIsFailure(resp, err) || resp.StatusCode == http.StatusConflict
		},
		OnStateChange: states.record,
	})(retryTransportFor(t))
	breakerCall(t, rt, srv.URL+"/a")
	breakerCall(t, rt, srv.URL+"/b")
	_, err := breakerCall(t, rt, srv.URL+"/c")
	var be *BreakerError
	if !errors.As(err, &be) || be.Key != "linkedin" {
		t.Fatalf("err = %v, want a refusal by the breaker keyed %q", err, "linkedin")
	}
	if got, want := states.list(), []string{"linkedin: closed -> open"}; !reflect.DeepEqual(got, want) {
		t.Errorf("OnStateChange calls %q, want %q", got, want)
	}
}

func TestCircuitBreaker_PassesResponseThroughUnchanged(t *testing.T) {
	want := &http.Response{StatusCode: 503, Header: http.Header{"X-Test": {"1"}}, Body: http.NoBody}
	next := retryRTFunc(func(*http.Request) (*http.Response, error) { return want, nil })
	req, _ := http.NewRequest("GET", "https://api.example/x", nil)
	got, err := CircuitBreaker(BreakerOptions{})(next).RoundTrip(req)
	if got != want || err != nil {
		t.Errorf("got %p, %v; want the same response back", got, err)
	}
}

func TestCircuitBreaker_RecordsRejectionSpanEvent(t *testing.T) {
	retryLeakCheck(t)
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	defer tp.Shutdown(context.Background())
	next := retryRTFunc(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 500, Body: http.NoBody}, nil
	})
	rt := CircuitBreaker(BreakerOptions{FailureThreshold: 1})(next)
	breakerCall(t, rt, "https://api.example:8443/rest/posts?q=author&token=secret")

	ctx, span := tp.Tracer("test").Start(context.Background(), "FINDER /posts")
	req, _ := http.NewRequestWithContext(ctx, "GET", "https://api.example:8443/rest/posts?q=author&token=secret", nil)
	if _, err := rt.RoundTrip(req); !errors.Is(err, ErrCircuitOpen) {
		t.Fatalf("err = %v, want a refusal", err)
	}
	span.End()
	events := rec.Ended()[0].Events()
	if len(events) != 1 || events[0].Name != "circuit_breaker.rejected" {
		t.Fatalf("events = %+v, want one circuit_breaker.rejected", events)
	}
	attrs := map[string]string{}
	for _, kv := range events[0].Attributes {
		attrs[string(kv.Key)] = kv.Value.Emit()
	}
	if attrs["circuit_breaker.key"] != "https://api.example:8443" || attrs["circuit_breaker.state"] != "open" {
		t.Errorf("attributes = %v, want key https://api.example:8443 (no path or query) and state open", attrs)
	}
}

func TestCircuitBreaker_ReleasesSlotWhenNextPanics(t *testing.T) {
	next := retryRTFunc(func(r *http.Request) (*http.Response, error) {
		if r.URL.Path == "/panic" {
			panic("boom")
		}
		return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
	})
	rt := CircuitBreaker(BreakerOptions{FailureThreshold: 1, OpenTimeout: 20 * time.Millisecond})(next)
	panicking := func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic did not propagate")
			}
		}()
		breakerCall(t, rt, "https://api.example/panic")
	}
	panicking() // a failure: the breaker opens
	if _, err := breakerCall(t, rt, "https://api.example/ok"); !errors.Is(err, ErrCircuitOpen) {
		t.Fatalf("err = %v, want the panic counted as a failure", err)
	}
	time.Sleep(30 * time.Millisecond)
	panicking() // the half-open probe panics: its slot must be released
	time.Sleep(30 * time.Millisecond)
	if status, err := breakerCall(t, rt, "https://api.example/ok"); err != nil || status != 200 {
		t.Errorf("after the timeout: %d, %v; want the next probe through", status, err)
	}
}

func TestRetryCircuitBreaker_EndsCallOnceCircuitOpens(t *testing.T) {
	retryLeakCheck(t)
	tests := []struct {
		name         string
		threshold    int
		wait         time.Duration
		wantHits     int32
		wantAttempts int
	}{
		// With a minute of backoff, only the breaker's signal can make
		// this fast: the attempt that opens it is followed at once by a
		// refused one.
		{name: "opens on the first failure", threshold: 1, wait: time.Minute, wantHits: 1, wantAttempts: 2},
		{name: "opens on the third failure", threshold: 3, wait: time.Millisecond, wantHits: 3, wantAttempts: 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := breakerNewServer(t, http.StatusServiceUnavailable)
			rt := Retry(RetryOptions{MaxAttempts: 10, RetryWaitMin: tc.wait, RetryWaitMax: tc.wait})(
				CircuitBreaker(BreakerOptions{FailureThreshold: tc.threshold})(retryTransportFor(t)))
			// The deadline only bounds the test if the signal is lost.
			ctx, cancel := context.WithTimeout(retryCallContext(restli.MethodGet), 5*time.Second)
			defer cancel()
			start := time.Now()
			req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/x", nil)
			resp, err := rt.RoundTrip(req)
			if resp != nil || !errors.Is(err, ErrCircuitOpen) {
				t.Fatalf("got %v, %v; want ErrCircuitOpen", resp, err)
			}
			if elapsed := time.Since(start); elapsed > 2*time.Second {
				t.Errorf("took %v, want the call to end once the breaker opened", elapsed)
			}
			var re *RetryError
			if !errors.As(err, &re) || re.Attempts != tc.wantAttempts || re.ErrorType() != "circuit_open" {
				t.Errorf("err = %v, want a circuit_open *RetryError after %d attempts", err, tc.wantAttempts)
			}
			if got := srv.hits.Load(); got != tc.wantHits {
				t.Errorf("server saw %d requests, want %d", got, tc.wantHits)
			}

			// A later call is refused on its first attempt, without waiting.
			start = time.Now()
			req, _ = http.NewRequestWithContext(retryCallContext(restli.MethodGet), "GET", srv.URL+"/y", nil)
			_, err = rt.RoundTrip(req)
			if !errors.As(err, &re) || re.Attempts != 1 || time.Since(start) > 500*time.Millisecond {
				t.Errorf("later call: %v after %v, want an immediate refusal on attempt 1", err, time.Since(start))
			}
			if got := srv.hits.Load(); got != tc.wantHits {
				t.Errorf("server saw %d requests, want still %d", got, tc.wantHits)
			}
		})
	}
}
