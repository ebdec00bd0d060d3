package reliability_test

import (
	"context"
	"errors"
	"net/http"
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
	quotaWorkers = 16
	quotaLimit   = 100 // the application DAY limit on /soakItems
	quotaWave    = 10  // calls per worker per wave
)

// TestSoak_DailyQuotaPhase drives the default stack against a fake server
// that enforces an application DAY limit on its own clock. Once the server
// has answered a DAY 429 for a resource, no request for that resource that
// the client starts afterwards reaches it (only those already in flight
// may) until the server's clock passes 00:00 UTC; other resources are not
// affected; after midnight the resource works again.
func TestSoak_DailyQuotaPhase(t *testing.T) {
	before := goleak.IgnoreCurrent()
	eve := time.Date(2026, 12, 7, 23, 30, 0, 0, time.UTC)
	srv := restlitest.NewServer(restlitest.WithClock(func() time.Time { return eve }),
		restlitest.WithDailyLimits(restlitest.DailyLimits{Application: quotaLimit}))
	for i := 1; i <= 10; i++ {
		srv.Seed("/soakItems", i, map[string]any{"id": i})
		srv.Seed("/soakOther", i, map[string]any{"id": i})
	}
	base := transport.NewBaseTransport()
	base.Proxy = nil
	hc := transport.NewClient(
		transport.WithBase(base),
		transport.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: srv.Token()})),
		transport.WithTokenHosts(strings.TrimPrefix(srv.URL, "http://")),
		transport.WithRetry(middleware.RetryOptions{RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond}),
		// The client's quota memory reads the server's clock, as a
		// shared store reads its server's.
		transport.WithStores(transport.Stores{Quota: middleware.NewMemoryQuotaStore(srv.Now)}),
		transport.WithoutTelemetry(),
	)
	c := restli.NewClient(hc, restli.WithBaseURL(srv.URL+"/rest"), restli.WithVersion(restlitest.DefaultVersion))

	type tally struct{ ok, dayHTTP, dayRefused, other atomic.Int64 }
	wave := func(name string, perWorker, otherEvery int) *tally {
		var tl tally
		var wg sync.WaitGroup
		for w := range quotaWorkers {
			wg.Go(func() {
				for i := range perWorker {
					ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
					id := 1 + (w+i)%10
					var err error
					switch {
					case otherEvery > 0 && i%otherEvery == 0:
						_, err = c.Get(ctx, restli.GetRequest{ResourcePath: "/soakOther/{id}", PathKeys: map[string]any{"id": id}})
					case i%2 == 0:
						_, err = c.Get(ctx, restli.GetRequest{ResourcePath: "/soakItems/{id}", PathKeys: map[string]any{"id": id}})
					default:
						_, err = c.Finder(ctx, restli.FinderRequest{ResourcePath: "/soakItems", FinderName: restlitest.DefaultFinder,
							QueryParams: map[string]any{"count": 2}})
					}
					cancel()
					var re *restli.Error
					switch {
					case err == nil:
						tl.ok.Add(1)
					case errors.Is(err, restli.ErrNotSent) && restli.IsDailyQuotaExhausted(err):
						tl.dayRefused.Add(1)
					case errors.As(err, &re) && restli.IsDailyQuotaExhausted(err):
						tl.dayHTTP.Add(1)
					default:
						tl.other.Add(1)
						t.Errorf("%s: unexpected error: %v", name, err)
					}
				}
			})
		}
		wg.Wait()
		return &tl
	}
	itemRequests := func() (all, dayAnswers, afterFirst int) {
		first := -1
		for _, r := range srv.Requests() {
			if r.Resource != "/soakItems" {
				continue
			}
			all++
			if first >= 0 {
				afterFirst++
			}
			if r.Status == http.StatusTooManyRequests {
				dayAnswers++
				if first < 0 {
					first = r.Seq
				}
			}
		}
		return all, dayAnswers, afterFirst
	}

	// Phase 1: more calls than the limit, from 16 goroutines.
	p1 := wave("phase 1", quotaWave, 0)
	all1, day1, after1 := itemRequests()
	if day1 == 0 || p1.dayRefused.Load() == 0 {
		t.Fatalf("phase 1: %d DAY 429s, %d refusals; the limit was never met", day1, p1.dayRefused.Load())
	}
	// Only calls already in flight when the first DAY 429 was answered
	// may reach the server after it: at most one per other worker.
	if after1 > quotaWorkers-1 {
		t.Errorf("phase 1: %d requests for the resource reached the server after its first DAY 429, want at most %d (in flight)", after1, quotaWorkers-1)
	}
	if all1-day1 != quotaLimit {
		t.Errorf("phase 1: %d requests served, want exactly the limit %d", all1-day1, quotaLimit)
	}

	// Phase 2, same UTC day: nothing for the resource reaches the server;
	// another resource still works.
	srv.Advance(20 * time.Minute) // 23:50 UTC
	p2 := wave("phase 2", quotaWave, 3)
	all2, _, _ := itemRequests()
	if all2 != all1 {
		t.Errorf("phase 2: %d requests for the spent resource reached the server before 00:00 UTC, want 0", all2-all1)
	}
	if p2.dayHTTP.Load() != 0 || p2.dayRefused.Load() == 0 || p2.ok.Load() == 0 {
		t.Errorf("phase 2: ok %d, DAY 429 %d, refused %d; want the resource refused locally and the other served", p2.ok.Load(), p2.dayHTTP.Load(), p2.dayRefused.Load())
	}

	// Phase 3: past 00:00 UTC on the server's clock the resource works
	// again (fewer calls than the new day's limit).
	srv.Advance(15 * time.Minute) // 00:05 UTC
	p3 := wave("phase 3", quotaLimit/quotaWorkers, 0)
	all3, _, _ := itemRequests()
	if p3.ok.Load() != quotaWorkers*int64(quotaLimit/quotaWorkers) || p3.dayRefused.Load() != 0 || all3-all2 != int(p3.ok.Load()) {
		t.Errorf("phase 3: ok %d, refused %d, %d requests; want every call served after midnight", p3.ok.Load(), p3.dayRefused.Load(), all3-all2)
	}

	hc.CloseIdleConnections()
	srv.Close()
	base.CloseIdleConnections()
	leaks := verifyNoLeaks(t, before)
	t.Logf("SOAK DAILY-QUOTA SUMMARY: workers=%d day_limit=%d phase1[served=%d day429=%d refused_locally=%d reached_after_first_day429=%d] phase2[reached=%d refused_locally=%d other_resource_ok=%d] phase3_after_midnight[ok=%d reached=%d] leaks=%d",
		quotaWorkers, quotaLimit, all1-day1, day1, p1.dayRefused.Load(), after1, all2-all1, p2.dayRefused.Load(), p2.ok.Load(), p3.ok.Load(), all3-all2, leaks)
}

// TestRetryBudget_FullOutageThroughDefaultStack: with every attempt
// failing, the default stack's retry budget (500 tokens, 14 a resend) caps
// the resends of a client at 35, however many calls it makes, where
// without a budget every call would make four attempts.
func TestRetryBudget_FullOutageThroughDefaultStack(t *testing.T) {
	before := goleak.IgnoreCurrent()
	srv := restlitest.NewServer()
	srv.SetFaultPolicy(func(*restlitest.Request) *restlitest.Fault {
		return &restlitest.Fault{Status: http.StatusServiceUnavailable}
	})
	base := transport.NewBaseTransport()
	base.Proxy = nil
	hc := transport.NewClient(
		transport.WithBase(base),
		transport.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: srv.Token()})),
		transport.WithTokenHosts(strings.TrimPrefix(srv.URL, "http://")),
		transport.WithRetry(middleware.RetryOptions{RetryWaitMin: time.Microsecond, RetryWaitMax: time.Microsecond}),
		transport.WithoutCircuitBreaker(), // the budget alone, not the breaker, bounds the load here
		transport.WithoutTelemetry(),
	)
	c := restli.NewClient(hc, restli.WithBaseURL(srv.URL+"/rest"), restli.WithVersion(restlitest.DefaultVersion))
	const calls = 100
	for i := range calls {
		_, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/items/{id}", PathKeys: map[string]any{"id": i}})
		if !restli.IsThrottled(err) && !errors.As(err, new(*restli.Error)) {
			t.Fatalf("call %d: %v, want the 503", i, err)
		}
	}
	n := len(srv.Requests())
	resends := n - calls
	if resends != 500/14 {
		t.Errorf("%d calls made %d requests: %d resends, want %d (the budget)", calls, n, resends, 500/14)
	}
	hc.CloseIdleConnections()
	srv.Close()
	base.CloseIdleConnections()
	verifyNoLeaks(t, before)
	t.Logf("budget: %d calls under a full outage made %d requests (%d resends; %d without a budget)", calls, n, resends, calls*3)
}
