// fleetchild_test.go: one process of the fleet test: a full client stack
// (transport.NewClient with the Redis stores and a many-member token
// source) that makes the calls its phase asks for and reports what
// happened as one JSON line.

package redisstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"go.uber.org/goleak"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/oauth"
	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
	"github.com/linkedin-go/linkedin/transport"
	"github.com/linkedin-go/linkedin/transport/redisstore"
)

// childEnv holds a child's fleetConfig as JSON; its presence makes
// TestFleetChild run.
const childEnv = "LINKEDIN_FLEET_CHILD"

// fleetConfig is what a child process does.
type fleetConfig struct {
	Phase   string
	Proc    int
	Procs   int
	Workers int

	RedisNetwork, RedisAddr, Prefix string
	ServerURL, ClientID, Secret     string

	Members   []string
	Resources []string
	// StartAt (unix ms) synchronises the processes; Until ends timed
	// phases; MaxCalls bounds each worker; Pace spaces its calls.
	StartAt, Until int64
	MaxCalls       int
	Pace           time.Duration
	// StopAfterDay ends a worker after that many daily-quota refusals in
	// a row (0: never).
	StopAfterDay int
	// DailyLimit is the quota layer's client-side daily budget per
	// resource (0: none).
	DailyLimit int64
}

// fleetResult is what a child reports.
type fleetResult struct {
	Proc       int
	Calls, OK  int
	Day        int            // refused for DAY quota (a 429 or before sending)
	Errors     map[string]int // other failures, by kind
	Samples    []string       // a few unexpected error texts
	Fallbacks  int64
	Outages    int64
	Resumed    bool // the store reached Redis at the end
	Leaked     int  // goroutines left after the stack was closed
	ExitReason string
}

func TestFleetChild(t *testing.T) {
	raw := os.Getenv(childEnv)
	if raw == "" {
		t.Skip("the child process mode of TestFleet")
	}
	var cfg fleetConfig
	if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
		t.Fatal(err)
	}
	ignore := goleak.IgnoreCurrent()
	res := runChild(cfg)
	res.Leaked = countLeaks(goleak.Find(ignore))
	out, _ := json.Marshal(res)
	fmt.Println("FLEETRESULT " + string(out))
}

// countLeaks counts the goroutines in goleak's report.
func countLeaks(err error) int {
	if err == nil {
		return 0
	}
	return max(strings.Count(err.Error(), "Goroutine "), 1)
}

// headerLayer marks each attempt with the process and the member (test
// bookkeeping for the server's count), on a clone of the request.
func headerLayer(proc string) transport.Middleware {
	return func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(req *http.Request) (*http.Response, error) {
			r := req.Clone(req.Context())
			r.Header.Set(procHeader, proc)
			if m, ok := oauth.MemberFromContext(req.Context()); ok {
				r.Header.Set(memberHeader, m)
			}
			return next.RoundTrip(r)
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func runChild(cfg fleetConfig) fleetResult {
	res := fleetResult{Proc: cfg.Proc, Errors: map[string]int{}}
	rc := redis.NewClient(&redis.Options{Network: cfg.RedisNetwork, Addr: cfg.RedisAddr, MaxRetries: -1,
		DialTimeout: 200 * time.Millisecond, ReadTimeout: time.Second, WriteTimeout: time.Second})
	defer rc.Close()
	st := redisstore.New(rc, redisstore.Options{Prefix: cfg.Prefix, Replicas: cfg.Procs, Timeout: time.Second,
		RetryInterval: 100 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(os.Stderr, nil))})
	host := strings.TrimPrefix(cfg.ServerURL, "http://")
	ocfg := oauth.Config{ClientID: cfg.ClientID, ClientSecret: cfg.Secret,
		AuthURL: cfg.ServerURL + "/oauth/v2/authorization", TokenURL: cfg.ServerURL + "/oauth/v2/accessToken",
		HTTPClient: &http.Client{Timeout: 10 * time.Second}}
	hc := transport.NewClient(
		transport.WithStores(st.Stores()),
		transport.WithMemberTokens(ocfg, oauth.MemberOptions{}),
		transport.WithTokenHosts(host),
		transport.WithQuota(middleware.QuotaOptions{DailyLimit: cfg.DailyLimit}),
		transport.WithCircuitBreaker(middleware.BreakerOptions{FailureThreshold: 3, OpenTimeout: 250 * time.Millisecond,
			ProbeTimeout: time.Second}),
		transport.WithRetry(middleware.RetryOptions{MaxAttempts: 2, RetryWaitMin: 10 * time.Millisecond,
			RetryWaitMax: 40 * time.Millisecond}),
		transport.WithPerAttempt(headerLayer(fmt.Sprint(cfg.Proc))),
	)
	defer ocfg.HTTPClient.CloseIdleConnections()
	defer hc.CloseIdleConnections()
	c := restli.NewClient(hc, restli.WithBaseURL(cfg.ServerURL+"/rest"), restli.WithVersion(restlitest.DefaultVersion))

	// A replica that has run for a while holds the tokens of the members
	// it serves in its cache; while Redis is away it can only serve those.
	for _, m := range cfg.Members {
		_, _ = st.Tokens().Get(context.Background(), m)
	}
	time.Sleep(time.Until(time.UnixMilli(cfg.StartAt)))
	until := time.UnixMilli(cfg.Until)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range cfg.Workers {
		wg.Go(func() {
			daysInRow := 0
			for i := 0; i < cfg.MaxCalls && time.Now().Before(until); i++ {
				seq := cfg.Proc*cfg.Workers + w
				member := cfg.Members[(seq+i)%len(cfg.Members)]
				// Each member in turn on a resource, then the next resource; the
				// workers start spread over the resources, so that no resource
				// nears the server's daily limits.
				stride := max(len(cfg.Resources)/(cfg.Procs*cfg.Workers), 1)
				resource := cfg.Resources[(seq*stride+i/len(cfg.Members))%len(cfg.Resources)]
				ctx, cancel := context.WithTimeout(oauth.WithMember(context.Background(), member), 5*time.Second)
				_, err := c.Get(ctx, restli.GetRequest{ResourcePath: resource + "/{id}", PathKeys: map[string]any{"id": 1}})
				cancel()
				mu.Lock()
				res.Calls++
				kind := classify(err)
				switch kind {
				case "ok":
					res.OK++
					daysInRow = 0
				case "day":
					res.Day++
					daysInRow++
				default:
					res.Errors[kind]++
					if kind == "other" && len(res.Samples) < 3 {
						res.Samples = append(res.Samples, err.Error())
					}
				}
				mu.Unlock()
				if cfg.StopAfterDay > 0 && daysInRow >= cfg.StopAfterDay {
					return
				}
				if cfg.Pace > 0 {
					time.Sleep(cfg.Pace)
				}
			}
		})
	}
	wg.Wait()

	// Sharing resumes: the store reaches Redis again (bounded wait).
	deadline := time.Now().Add(3 * time.Second)
	for {
		_, _ = st.Quota().Exhausted(context.Background(), "probe.invalid", "/resume", "")
		_, _ = st.Breaker().Load(context.Background(), "resume-probe")
		if !st.Stats().Down || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	s := st.Stats()
	res.Fallbacks, res.Outages, res.Resumed = s.Fallbacks, s.Outages, !s.Down
	return res
}

// classify names the outcome of a call.
func classify(err error) string {
	var re *restli.Error
	switch {
	case err == nil:
		return "ok"
	case restli.IsDailyQuotaExhausted(err):
		return "day"
	case errors.Is(err, middleware.ErrCircuitOpen):
		return "circuit_open"
	case errors.As(err, &re) && re.StatusCode >= 500:
		return "http_5xx"
	}
	return "other"
}
