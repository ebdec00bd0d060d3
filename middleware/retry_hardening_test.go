package middleware

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/linkedin-go/linkedin/restli"
)

const (
	hardDayApp    = `{"status":429,"serviceErrorCode":101,"code":"TOO_MANY_REQUESTS","message":"Resource level throttle APPLICATION DAY limit for calls to this resource is reached."}`
	hardDayMember = `{"status":429,"serviceErrorCode":101,"code":"TOO_MANY_REQUESTS","message":"Resource level throttle APPLICATION_AND_MEMBER DAY limit for calls to this resource is reached."}`
)

// hardRefusal is an error of a layer below retry that refused to send, as
// the oauth layer's failed refresh after a 401 is.
type hardRefusal struct{}

func (hardRefusal) Error() string        { return "oauth: refreshing the token failed" }
func (hardRefusal) Is(target error) bool { return target == restli.ErrNotSent }

func TestRetry_NeverResendsAnErrorThatWrapsErrNotSent(t *testing.T) {
	retryLeakCheck(t)
	for _, m := range []restli.Method{restli.MethodGet, restli.MethodCreate} {
		t.Run(string(m), func(t *testing.T) {
			var attempts atomic.Int32
			next := retryRTFunc(func(r *http.Request) (*http.Response, error) {
				attempts.Add(1)
				if r.Body != nil {
					r.Body.Close()
				}
				return nil, fmt.Errorf("layer: %w", hardRefusal{})
			})
			opts := retryFast(4)
			opts.CheckRetry = func(RetryAttempt) bool { return true } // the layer holds the line itself
			_, err := Retry(opts)(next).RoundTrip(retryNewRequest(t, retryCallContext(m), m.HTTPMethod(), "https://api.example/adAccounts", []byte("{}")))
			if attempts.Load() != 1 || !errors.Is(err, restli.ErrNotSent) {
				t.Fatalf("%d attempts, err %v; want 1 attempt ending not sent", attempts.Load(), err)
			}
			if errors.Is(err, restli.ErrMaybeApplied) {
				t.Errorf("err %v says the call may have been applied; nothing was sent", err)
			}
		})
	}
}

// A CREATE answered 401, whose token refresh then failed, was not applied:
// the oauth layer's refusal wraps ErrNotSent and the error the client
// returns does not say "may have been applied".
func TestRetry_CreateAnswered401WhoseRefreshFailedIsNotFlagged(t *testing.T) {
	retryLeakCheck(t)
	srv := retryNewServer(t, retryStatusSequence(401))
	oauthLike := func(next http.RoundTripper) http.RoundTripper {
		return retryRTFunc(func(r *http.Request) (*http.Response, error) {
			resp, err := next.RoundTrip(r)
			if err != nil || resp.StatusCode != 401 {
				return resp, err
			}
			restli.DrainAndClose(resp.Body)
			return nil, hardRefusal{} // the forced refresh failed: no replay
		})
	}
	hc := &http.Client{Transport: Retry(retryFast(4))(oauthLike(retryTransportFor(t)))}
	c := restli.NewClient(hc, restli.WithBaseURL(srv.URL))
	_, err := c.Create(context.Background(), restli.CreateRequest{ResourcePath: "/adAccounts", Entity: map[string]any{"name": "a"}})
	if err == nil || errors.Is(err, restli.ErrMaybeApplied) || !restli.NotSent(err) {
		t.Fatalf("err = %v; want an error that is not 'maybe applied'", err)
	}
	if srv.hits.Load() != 1 {
		t.Errorf("server saw %d requests, want 1", srv.hits.Load())
	}
}

func TestRetry_RateLimiterRefusalIsNotSentAndNotResent(t *testing.T) {
	retryLeakCheck(t)
	lim := rate.NewLimiter(rate.Every(time.Hour), 1)
	lim.Allow() // the next token is an hour away
	var sent atomic.Int32
	base := retryRTFunc(func(*http.Request) (*http.Response, error) {
		sent.Add(1)
		return &http.Response{StatusCode: 201, Body: http.NoBody}, nil
	})
	ctx, cancel := context.WithTimeout(retryCallContext(restli.MethodCreate), time.Minute)
	defer cancel()
	opts := retryFast(4)
	opts.CheckRetry = func(RetryAttempt) bool { return true }
	_, err := Retry(opts)(RateLimit(lim)(base)).RoundTrip(retryNewRequest(t, ctx, "POST", "https://api.example/adAccounts", []byte("{}")))
	var re *RetryError
	if !errors.As(err, &re) || re.Attempts != 1 || re.MaybeApplied || !errors.Is(err, restli.ErrNotSent) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %#v; want one refused attempt, not sent, not maybe applied", err)
	}
	if sent.Load() != 0 {
		t.Errorf("%d requests left the limiter", sent.Load())
	}
}

// dayServer answers LinkedIn's DAY-limit 429 for /adAccounts (body by
// member token when memberLimited is set) and 200 for everything else.
func dayServer(t *testing.T, body string, limited func(r *http.Request) bool) *retryServer {
	return retryNewServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		if limited(r) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			io.WriteString(w, body)
			return
		}
		io.WriteString(w, `{"id":1}`)
	})
}

func TestRetry_DailyQuota429IsNotResentAndRemembered(t *testing.T) {
	retryLeakCheck(t)
	srv := dayServer(t, hardDayApp, func(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/adAccounts") })
	clock := &hardClock{t: time.Date(2026, 12, 7, 22, 0, 0, 0, time.UTC)}
	store := NewMemoryQuotaStore(clock.Now)
	opts := retryFast(4)
	opts.Quota = store
	hc := &http.Client{Transport: Retry(opts)(retryTransportFor(t))}
	c := restli.NewClient(hc, restli.WithBaseURL(srv.URL))
	ctx := context.Background()
	get := func(path string) error {
		_, err := c.Get(ctx, restli.GetRequest{ResourcePath: path, PathKeys: map[string]any{"id": 7}})
		return err
	}

	// The DAY 429 comes back at once, body intact, never resent.
	err := get("/adAccounts/{id}")
	var re *restli.Error
	if !errors.As(err, &re) || re.StatusCode != 429 || !restli.IsDailyQuotaExhausted(err) || srv.hits.Load() != 1 {
		t.Fatalf("first call: %v after %d requests; want LinkedIn's DAY 429 after 1", err, srv.hits.Load())
	}
	// Later calls to the resource fail fast, without a wire attempt, with
	// the reset time; other resources still go.
	for _, path := range []string{"/adAccounts/{id}", "/adAccounts"} {
		var err error
		if path == "/adAccounts" {
			_, err = c.Finder(ctx, restli.FinderRequest{ResourcePath: path, FinderName: "search"})
		} else {
			err = get(path)
		}
		at, ok := restli.DailyQuotaResetAt(err)
		if !ok || !restli.IsDailyQuotaExhausted(err) || !errors.Is(err, restli.ErrNotSent) || errors.Is(err, restli.ErrMaybeApplied) {
			t.Errorf("%s after the DAY 429: %v; want a not-sent daily quota error", path, err)
		}
		if ok && (!at.Equal(restli.NextQuotaReset(time.Now())) && !at.Equal(restli.NextQuotaReset(time.Now().Add(-time.Minute)))) {
			t.Errorf("reset at %v, want the next 00:00 UTC", at)
		}
	}
	if srv.hits.Load() != 1 {
		t.Errorf("server saw %d requests, want still 1", srv.hits.Load())
	}
	if err := get("/adCampaigns/{id}"); err != nil || srv.hits.Load() != 2 {
		t.Errorf("another resource: %v after %d requests; want it sent", err, srv.hits.Load())
	}
	// Past 00:00 UTC the resource is tried again.
	clock.Advance(24 * time.Hour)
	get("/adAccounts/{id}")
	if srv.hits.Load() != 3 {
		t.Errorf("after midnight the server saw %d requests, want 3", srv.hits.Load())
	}
}

func TestRetry_MemberDailyQuotaIsRememberedForThatMemberOnly(t *testing.T) {
	retryLeakCheck(t)
	srv := dayServer(t, hardDayMember, func(r *http.Request) bool { return r.Header.Get("Authorization") == "Bearer member-a" })
	rt := Retry(retryFast(4))(retryTransportFor(t))
	call := func(token string) (*http.Response, error) {
		req := retryNewRequest(t, retryCallContext(restli.MethodGet), "GET", srv.URL+"/rest/adAccounts/1", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		return rt.RoundTrip(req)
	}
	resp, err := call("member-a")
	if err != nil || resp.StatusCode != 429 {
		t.Fatalf("member a: %v, %v; want the 429", resp, err)
	}
	retryReadBody(t, resp)
	if _, err := call("member-a"); !restli.IsDailyQuotaExhausted(err) || strings.Contains(err.Error(), "member-a") {
		t.Errorf("member a again: %v; want refused without its token in the text", err)
	}
	resp, err = call("member-b")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("member b: %v, %v; want 200: a member's DAY limit is not the application's", resp, err)
	}
	retryReadBody(t, resp)
	if srv.hits.Load() != 2 {
		t.Errorf("server saw %d requests, want 2", srv.hits.Load())
	}
}

func TestRetry_Ordinary429IsStillResent(t *testing.T) {
	retryLeakCheck(t)
	srv := retryNewServer(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			w.WriteHeader(429)
			io.WriteString(w, `{"status":429,"serviceErrorCode":101,"message":"Resource level throttle limit for calls to this resource is reached."}`)
			return
		}
		io.WriteString(w, "ok")
	})
	resp, err := Retry(retryFast(4))(retryTransportFor(t)).RoundTrip(retryNewRequest(t, retryCallContext(restli.MethodGet), "GET", srv.URL+"/adAccounts/1", nil))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("got %v, %v; want the resend's 200", resp, err)
	}
	retryReadBody(t, resp)
}

func TestRetry_BudgetStopsResendsUnderFullOutage(t *testing.T) {
	retryLeakCheck(t)
	tests := []struct {
		name     string
		status   int
		budget   RetryBudget
		calls    int
		wantHits int32
	}{
		// 28 tokens at 14 a resend: the first call makes 3 attempts, then
		// the bucket is dry and every call makes one.
		{"503 costs RetryCost", 503, RetryBudget{Capacity: 28}, 5, 3 + 4},
		// At 5 a resend after a 429, the same 28 tokens buy 5 resends.
		{"429 costs ThrottleCost", 429, RetryBudget{Capacity: 28}, 5, 4 + 3 + 1 + 1 + 1},
		{"off", 503, RetryBudget{Capacity: -1}, 5, 20},
		// The defaults: 500 tokens, 14 a resend: 35 resends in all.
		{"defaults", 503, RetryBudget{}, 40, 40 + 35},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var hits atomic.Int32
			next := retryRTFunc(func(*http.Request) (*http.Response, error) {
				hits.Add(1)
				return &http.Response{StatusCode: tc.status, Body: http.NoBody}, nil
			})
			opts := retryFast(4)
			opts.Budget = tc.budget
			opts.RetryWaitMin, opts.RetryWaitMax = time.Microsecond, time.Microsecond
			rt := Retry(opts)(next)
			for range tc.calls {
				resp, err := rt.RoundTrip(retryNewRequest(t, retryCallContext(restli.MethodGet), "GET", "https://api.example/x", nil))
				if err != nil || resp.StatusCode != tc.status {
					t.Fatalf("got %v, %v; want the last %d", resp, err, tc.status)
				}
			}
			if got := hits.Load(); got != tc.wantHits {
				t.Errorf("%d calls made %d attempts, want %d", tc.calls, got, tc.wantHits)
			}
		})
	}
}

func TestRetry_BudgetRefillsOnSuccess(t *testing.T) {
	var fail atomic.Bool
	var hits atomic.Int32
	next := retryRTFunc(func(*http.Request) (*http.Response, error) {
		hits.Add(1)
		if fail.Load() {
			return &http.Response{StatusCode: 503, Body: http.NoBody}, nil
		}
		return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
	})
	opts := retryFast(2)
	opts.Budget = RetryBudget{Capacity: 14}
	rt := Retry(opts)(next)
	call := func() {
		resp, _ := rt.RoundTrip(retryNewRequest(t, retryCallContext(restli.MethodGet), "GET", "https://api.example/x", nil))
		resp.Body.Close()
	}
	fail.Store(true)
	call() // 2 attempts: the bucket is empty
	call() // 1 attempt
	if hits.Load() != 3 {
		t.Fatalf("%d attempts, want 3", hits.Load())
	}
	fail.Store(false)
	for range 14 {
		call() // each success puts 1 token back
	}
	fail.Store(true)
	hits.Store(0)
	call()
	if hits.Load() != 2 {
		t.Errorf("after 14 successes a failing call made %d attempts, want 2 (one resend earned back)", hits.Load())
	}
}

func TestRetry_RetryAfterBeyondInt64IsLongerThanTheCap(t *testing.T) {
	retryLeakCheck(t)
	srv := retryNewServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "99999999999999999999")
		w.WriteHeader(503)
	})
	hc := &http.Client{Transport: Retry(retryFast(4))(retryTransportFor(t))}
	_, err := restli.NewClient(hc, restli.WithBaseURL(srv.URL)).Get(context.Background(), restli.GetRequest{ResourcePath: "/me"})
	var re *restli.Error
	if !errors.As(err, &re) || re.RetryAfter != restli.MaxRetryAfter || srv.hits.Load() != 1 {
		t.Fatalf("err = %v after %d requests; want the 503 at once with RetryAfter = MaxRetryAfter", err, srv.hits.Load())
	}
}

func TestRetry_LongRetryAfterIsVisibleOnTheError(t *testing.T) {
	retryLeakCheck(t)
	srv := retryNewServer(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(429)
	})
	hc := &http.Client{Transport: Retry(RetryOptions{MaxRetryAfter: time.Minute})(retryTransportFor(t))}
	_, err := restli.NewClient(hc, restli.WithBaseURL(srv.URL)).Get(context.Background(), restli.GetRequest{ResourcePath: "/me"})
	var re *restli.Error
	if !errors.As(err, &re) || re.RetryAfter != time.Hour || re.Header.Get("Retry-After") != "3600" {
		t.Fatalf("err = %#v; want RetryAfter 1h and the header", err)
	}
}

// The first attempt of a call that is safe to resend is the caller's own
// request: no context of the layer's making, no copy.
func TestRetry_FirstAttemptIsTheCallersRequest(t *testing.T) {
	req := retryNewRequest(t, retryCallContext(restli.MethodGet), "GET", "https://api.example/x", nil)
	var got *http.Request
	next := retryRTFunc(func(r *http.Request) (*http.Response, error) {
		got = r
		return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
	})
	if _, err := Retry(RetryOptions{})(next).RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	if got != req {
		t.Errorf("attempt 0 got a different request (context %T)", got.Context())
	}
}

func TestCircuitBreaker_HungProbeIsBoundedByProbeTimeout(t *testing.T) {
	release := make(chan struct{})
	var mode atomic.Int32 // 0 fail, 1 hang, 2 ok
	next := retryRTFunc(func(*http.Request) (*http.Response, error) {
		switch mode.Load() {
		case 0:
			return &http.Response{StatusCode: 503, Body: http.NoBody}, nil
		case 1:
			<-release // a probe without a deadline that never ends by itself
		}
		return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
	})
	rt := CircuitBreaker(BreakerOptions{FailureThreshold: 1, OpenTimeout: 20 * time.Millisecond, ProbeTimeout: 30 * time.Millisecond})(next)
	breakerCall(t, rt, "https://api.example/")
	time.Sleep(30 * time.Millisecond)
	mode.Store(1)
	var wg sync.WaitGroup
	wg.Go(func() { breakerCall(t, rt, "https://api.example/") })
	defer func() { close(release); wg.Wait() }()
	time.Sleep(5 * time.Millisecond)
	mode.Store(2)
	// Once the probe timed out (a failure) and the open time passed, the
	// next probe goes through: the hung one no longer holds the slot.
	deadline := time.Now().Add(5 * time.Second)
	for {
		status, err := breakerCall(t, rt, "https://api.example/")
		if err == nil && status == 200 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("still refused (%v) long after the probe timeout", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestCircuitBreaker_ProbeWhoseCallerGivesUpFreesTheSlot(t *testing.T) {
	release := make(chan struct{})
	var mode atomic.Int32 // 0 fail, 1 hang ignoring the context, 2 ok
	next := retryRTFunc(func(*http.Request) (*http.Response, error) {
		switch mode.Load() {
		case 0:
			return &http.Response{StatusCode: 503, Body: http.NoBody}, nil
		case 1:
			<-release
		}
		return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
	})
	rt := CircuitBreaker(BreakerOptions{FailureThreshold: 1, OpenTimeout: 20 * time.Millisecond, ProbeTimeout: time.Hour})(next)
	breakerCall(t, rt, "https://api.example/")
	time.Sleep(30 * time.Millisecond)
	mode.Store(1)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		req, _ := http.NewRequestWithContext(ctx, "GET", "https://api.example/", nil)
		rt.RoundTrip(req)
	})
	defer func() { close(release); wg.Wait() }()
	time.Sleep(5 * time.Millisecond)
	cancel() // the probe's caller gives up; the layer below has not returned
	mode.Store(2)
	deadline := time.Now().Add(5 * time.Second)
	for {
		status, err := breakerCall(t, rt, "https://api.example/")
		if err == nil && status == 200 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("still refused (%v): the abandoned probe holds the slot", err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestCircuitBreaker_SharedStoreOpensEveryReplicaAndAllowsOneProbe(t *testing.T) {
	store := NewMemoryBreakerStore(nil)
	var hitsA, hitsB atomic.Int32
	var healthy atomic.Bool
	release := make(chan struct{})
	replica := func(hits *atomic.Int32) http.RoundTripper {
		return CircuitBreaker(BreakerOptions{FailureThreshold: 2, OpenTimeout: 30 * time.Millisecond, Store: store})(
			retryRTFunc(func(*http.Request) (*http.Response, error) {
				hits.Add(1)
				if !healthy.Load() {
					return &http.Response{StatusCode: 503, Body: http.NoBody}, nil
				}
				<-release // a slow probe
				return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
			}))
	}
	a, b := replica(&hitsA), replica(&hitsB)
	breakerCall(t, a, "https://api.example/")
	breakerCall(t, a, "https://api.example/") // a opens
	if _, err := breakerCall(t, b, "https://api.example/"); !errors.Is(err, ErrCircuitOpen) || hitsB.Load() != 0 {
		t.Fatalf("replica b: %v after %d requests; want refused by the shared state without sending", err, hitsB.Load())
	}
	healthy.Store(true)
	time.Sleep(40 * time.Millisecond)
	var wg sync.WaitGroup
	wg.Go(func() { breakerCall(t, b, "https://api.example/") }) // b's probe
	hardWaitFor(t, func() bool { return hitsB.Load() > 0 })
	_, errA := breakerCall(t, a, "https://api.example/")
	close(release)
	wg.Wait()
	var be *BreakerError
	if !errors.As(errA, &be) || be.State != "half-open" || hitsA.Load() != 2 {
		t.Errorf("replica a during b's probe: %v; want a half-open refusal: one probe across replicas", errA)
	}
	if status, err := breakerCall(t, b, "https://api.example/"); err != nil || status != 200 {
		t.Errorf("after the probe succeeded: %d, %v", status, err)
	}
}

// hardClock is a clock the test moves by hand.
type hardClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *hardClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *hardClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestQuotaResource_LeavesKeysOut(t *testing.T) {
	for in, want := range map[string]string{
		"/adAccounts":                     "/adAccounts",
		"/adAccounts/{id}":                "/adAccounts",
		"/adAccounts/{id}/adAccountUsers": "/adAccounts/adAccountUsers",
		"/a/{x}/{y}":                      "/a",
		"/a/{x}/b/{y}/c":                  "/a/b/c",
	} {
		if got := quotaResource(in); got != want {
			t.Errorf("quotaResource(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"/rest/adAccounts/123":  "/adAccounts",
		"/v2/me":                "/me",
		"/rest/adAccounts":      "/adAccounts",
		"/adAccounts/(a:1)":     "/adAccounts",
		"/rest/people/(id:abc)": "/people",
		"":                      "/",
	} {
		if got := quotaResourceOfPath(in); got != want {
			t.Errorf("quotaResourceOfPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// Without a store the layer acts as gobreaker alone: HalfOpenRequests
// probes may be out at once.
func TestCircuitBreaker_HalfOpenRequestsProbesAtOnceWithoutAStore(t *testing.T) {
	release := make(chan struct{})
	var hits atomic.Int32
	var fail atomic.Bool
	fail.Store(true)
	next := retryRTFunc(func(*http.Request) (*http.Response, error) {
		hits.Add(1)
		if fail.Load() {
			return &http.Response{StatusCode: 500, Body: http.NoBody}, nil
		}
		<-release
		return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
	})
	rt := CircuitBreaker(BreakerOptions{FailureThreshold: 1, OpenTimeout: 20 * time.Millisecond, HalfOpenRequests: 2})(next)
	breakerCall(t, rt, "https://api.example/x")
	fail.Store(false)
	time.Sleep(30 * time.Millisecond)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			if _, err := breakerCall(t, rt, "https://api.example/x"); err != nil {
				t.Errorf("probe: %v", err)
			}
		})
	}
	hardWaitFor(t, func() bool { return hits.Load() >= 3 })
	_, err := breakerCall(t, rt, "https://api.example/x")
	close(release)
	wg.Wait()
	var be *BreakerError
	if !errors.As(err, &be) || be.State != "half-open" {
		t.Errorf("third request while two probes are out: %v, want a half-open refusal", err)
	}
}

// hardWaitFor polls cond for at most 5 s, failing the test if it never
// holds.
func hardWaitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 5s")
		}
	}
}
