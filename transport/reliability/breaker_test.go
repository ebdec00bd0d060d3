package reliability_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"
	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
	"github.com/linkedin-go/linkedin/transport"
)

const (
	breakerThreshold   = 5
	breakerOpenTimeout = 1500 * time.Millisecond
	breakerWorkers     = 16
	breakerCallsEach   = 20
	// breakerFast is how quickly a refused call must end: no backoff, no
	// network.
	breakerFast = 500 * time.Millisecond
)

// transition is one breaker state change and the number of API requests
// the server had received when it happened.
type transition struct {
	from, to string
	served   int
}

func (tr transition) String() string { return tr.from + "→" + tr.to }

// TestBreaker_UnderLoad drives a host that fails hard (every request 503,
// or every connection reset) through the full default stack and counts
// requests at the server: exactly FailureThreshold failures reach it before
// the breaker opens; while it is open no request reaches it however many
// calls are made; after OpenTimeout one probe reaches it, and when the host
// has healed the probe closes the breaker and traffic flows again.
func TestBreaker_UnderLoad(t *testing.T) {
	for _, mode := range []string{"503", "reset"} {
		t.Run(mode, func(t *testing.T) { testBreakerUnderLoad(t, mode) })
	}
}

func testBreakerUnderLoad(t *testing.T, mode string) {
	before := goleak.IgnoreCurrent()
	srv := restlitest.NewServer()
	closed := false
	defer func() {
		if !closed {
			srv.Close()
		}
	}()
	srv.Seed("/things", 1, map[string]any{"id": 1, "name": "one"})
	var sick atomic.Bool
	sick.Store(true)
	srv.SetFaultPolicy(func(r *restlitest.Request) *restlitest.Fault {
		if !sick.Load() || !strings.HasPrefix(r.Path, "/rest/") {
			return nil
		}
		if mode == "reset" {
			return &restlitest.Fault{Reset: true}
		}
		return &restlitest.Fault{Status: http.StatusServiceUnavailable}
	})
	served := func() int {
		return srv.Count(func(r restlitest.Request) bool { return strings.HasPrefix(r.Path, "/rest/") })
	}

	var mu sync.Mutex
	var transitions []transition
	base := transport.NewBaseTransport()
	base.Proxy = nil
	// net/http silently resends an idempotent request once when a reused
	// connection is reset before any response; fresh connections make the
	// server's count exact.
	base.DisableKeepAlives = mode == "reset"
	var refused atomic.Int64
	hc := transport.NewClient(
		transport.WithBase(base),
		transport.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: srv.Token()})),
		transport.WithTokenHosts(strings.TrimPrefix(srv.URL, "http://")),
		transport.WithVersion(restlitest.DefaultVersion),
		transport.WithRetry(middleware.RetryOptions{MaxAttempts: 4, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond}),
		transport.WithCircuitBreaker(middleware.BreakerOptions{
			FailureThreshold: breakerThreshold,
			OpenTimeout:      breakerOpenTimeout,
			HalfOpenRequests: 1,
			OnStateChange: func(_, from, to string) {
				n := served() // the server's lock only; it never calls the breaker
				mu.Lock()
				transitions = append(transitions, transition{from, to, n})
				mu.Unlock()
			},
		}),
		transport.WithPerAttempt(func(next http.RoundTripper) http.RoundTripper {
			return rtFunc(func(r *http.Request) (*http.Response, error) {
				resp, err := next.RoundTrip(r)
				if errors.Is(err, middleware.ErrCircuitOpen) {
					refused.Add(1)
				}
				return resp, err
			})
		}),
	)
	c := restli.NewClient(hc, restli.WithBaseURL(srv.URL+"/rest"), restli.WithVersion(restlitest.DefaultVersion))
	get := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err := c.Get(ctx, restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": 1}})
		return err
	}
	got := func() []transition {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(transitions)
	}
	wantStates := func(phase string, want ...string) {
		t.Helper()
		var names []string
		for _, tr := range got() {
			names = append(names, tr.String())
		}
		if !slices.Equal(names, want) {
			t.Fatalf("%s: transitions %v, want %v", phase, names, want)
		}
	}

	// 1. The host fails hard: sequential calls until the breaker refuses.
	calls := 0
	var err error
	for calls < 10 {
		calls++
		if err = get(); errors.Is(err, middleware.ErrCircuitOpen) {
			break
		}
		if err == nil {
			t.Fatal("a call to the sick host succeeded")
		}
	}
	if !errors.Is(err, middleware.ErrCircuitOpen) {
		t.Fatalf("breaker never opened after %d calls: %v", calls, err)
	}
	if n := served(); n != breakerThreshold {
		t.Fatalf("%d requests reached the sick host before the breaker opened, want exactly %d", n, breakerThreshold)
	}
	wantStates("opening", "closed→open")
	if tr := got()[0]; tr.served != breakerThreshold {
		t.Fatalf("breaker opened after %d requests, want %d", tr.served, breakerThreshold)
	}
	t.Logf("breaker/%s: opened after %d failed requests (%d calls)", mode, breakerThreshold, calls)

	// 2. While open: many concurrent calls, reads and creates, none reaches
	// the host, all fail fast with ErrCircuitOpen, no create is "maybe
	// applied".
	openedAt := time.Now()
	servedBefore, refusedBefore := served(), refused.Load()
	var slowest atomic.Int64
	var wrong atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < breakerWorkers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < breakerCallsEach; i++ {
				start := time.Now()
				var err error
				if i%4 == 3 {
					_, err = c.Create(context.Background(), restli.CreateRequest{ResourcePath: "/things", Entity: map[string]any{"n": i}})
				} else {
					err = get()
				}
				d := time.Since(start)
				for {
					cur := slowest.Load()
					if int64(d) <= cur || slowest.CompareAndSwap(cur, int64(d)) {
						break
					}
				}
				var te *restli.TransportError
				if !errors.Is(err, middleware.ErrCircuitOpen) || !errors.As(err, &te) || errors.Is(err, restli.ErrMaybeApplied) {
					wrong.Add(1)
					t.Errorf("call while open: %v (%T)", err, err)
				}
			}
		}()
	}
	wg.Wait()
	phase2 := time.Since(openedAt)
	if phase2 >= breakerOpenTimeout {
		t.Fatalf("the open phase took %v, longer than OpenTimeout %v: the machine is too slow for this check", phase2, breakerOpenTimeout)
	}
	if n := served(); n != servedBefore {
		t.Fatalf("%d requests reached the host while the breaker was open", n-servedBefore)
	}
	if n := srv.Collection("/things").Len(); n != 1 {
		t.Fatalf("%d entities stored: a create went through an open breaker", n)
	}
	if d := time.Duration(slowest.Load()); d > breakerFast {
		t.Fatalf("slowest refused call took %v, want under %v", d, breakerFast)
	}
	openCalls := breakerWorkers * breakerCallsEach
	if r := refused.Load() - refusedBefore; r != int64(openCalls) {
		t.Fatalf("%d refusals for %d calls: each call should be refused exactly once, with no resend", r, openCalls)
	}
	wantStates("open", "closed→open")
	t.Logf("breaker/%s: %d concurrent calls while open: 0 reached the host, all refused (slowest %v, phase %v)",
		mode, openCalls, time.Duration(slowest.Load()).Round(time.Microsecond), phase2.Round(time.Millisecond))

	// 3. Still sick after OpenTimeout: exactly one probe reaches the host,
	// fails, and the breaker opens again.
	time.Sleep(breakerOpenTimeout - time.Since(openedAt) + 50*time.Millisecond)
	servedBefore = served()
	if err := get(); !errors.Is(err, middleware.ErrCircuitOpen) {
		t.Fatalf("failed probe: %v, want ErrCircuitOpen after the probe failed", err)
	}
	if n := served() - servedBefore; n != 1 {
		t.Fatalf("%d requests reached the still-sick host in half-open, want 1 probe", n)
	}
	wantStates("failed probe", "closed→open", "open→half-open", "half-open→open")
	reopenedAt := time.Now()

	// 4. The host heals. After OpenTimeout a burst of concurrent calls: one
	// probe reaches the host and closes the breaker; calls racing it in
	// half-open are refused without reaching the host; then traffic flows.
	sick.Store(false)
	time.Sleep(breakerOpenTimeout - time.Since(reopenedAt) + 50*time.Millisecond)
	servedBefore = served()
	var ok, refusedHalfOpen atomic.Int64
	for w := 0; w < breakerWorkers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < breakerCallsEach; i++ {
				switch err := get(); {
				case err == nil:
					ok.Add(1)
				case errors.Is(err, middleware.ErrCircuitOpen):
					refusedHalfOpen.Add(1)
				default:
					t.Errorf("call to the healed host: %v", err)
				}
			}
		}()
	}
	wg.Wait()
	wantStates("recovery", "closed→open", "open→half-open", "half-open→open", "open→half-open", "half-open→closed")
	trs := got()
	if closeAt := trs[len(trs)-1]; closeAt.served != servedBefore+1 {
		t.Fatalf("the breaker closed after %d requests reached the healed host, want exactly 1 probe", closeAt.served-servedBefore)
	}
	if n := served() - servedBefore; int64(n) != ok.Load() {
		t.Fatalf("%d requests reached the host for %d successful calls: a refused call was sent", n, ok.Load())
	}
	if ok.Load() == 0 {
		t.Fatal("no call succeeded after the host healed")
	}
	// Closed again: everything flows.
	servedBefore = served()
	for w := 0; w < breakerWorkers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < breakerCallsEach; i++ {
				if err := get(); err != nil {
					t.Errorf("call after recovery: %v", err)
				}
			}
		}()
	}
	wg.Wait()
	if n := served() - servedBefore; n != openCalls {
		t.Fatalf("%d requests reached the host for %d calls after recovery", n, openCalls)
	}
	t.Logf("breaker/%s: healed host: 1 probe closed the breaker (%d calls succeeded, %d refused while half-open), then %d/%d calls succeeded; transitions %v",
		mode, ok.Load(), refusedHalfOpen.Load(), openCalls, openCalls, trs)

	hc.CloseIdleConnections()
	srv.Close()
	closed = true
	leaks := verifyNoLeaks(t, before)
	t.Logf("BREAKER SUMMARY (%s): threshold=%d requests_before_open=%d refused_while_open=%d reached_host_while_open=0 failed_probe_requests=1 healing_probe_requests=1 transitions=%s leaks=%d",
		mode, breakerThreshold, breakerThreshold, openCalls, fmt.Sprint(trs), leaks)
}
