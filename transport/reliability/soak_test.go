package reliability_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
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

// The soak's shape. The fault rates are per request the server receives.
const (
	soakWorkers     = 16
	soakReads       = 2000
	soakCreates     = 500
	soakMaxAttempts = 4 // RetryOptions.MaxAttempts, the documented bound

	// soakAttemptDeadline bounds each wire attempt (the base transport's
	// ResponseHeaderTimeout); a slow response takes twice as long.
	soakAttemptDeadline = 300 * time.Millisecond
	soakSlow            = 2 * soakAttemptDeadline

	soakRate503   = 0.20
	soakRate429   = 0.05 // Retry-After 0 or 1 s
	soakRateReset = 0.03 // connection reset before any response
	soakRateSlow  = 0.02 // slower than the per-attempt deadline

	soakItems = 100 // seeded entities the reads ask for
)

// soakForcedAfterApply holds a draw inside the 503, reset and slow bands, in
// that order, for the first creates.
var soakForcedAfterApply = []float64{
	0,
	soakRate503 + soakRate429,
	soakRate503 + soakRate429 + soakRateReset,
}

// soakFaults counts what the server injected, by kind. For creates, half of
// the 503s, resets and slow answers come after the create was applied
// (Fault.AfterApply): the write took effect but the client sees a failure.
type soakFaults struct {
	s503, s503After     atomic.Int64
	s429, s429Wait1     atomic.Int64
	reset, resetAfter   atomic.Int64
	slow, slowAfter     atomic.Int64
	policyCalls, faults atomic.Int64
}

// soakCall is one logical call's trace, found by the per-attempt layer
// through the request context.
type soakCall struct {
	attempts atomic.Int32
}

type soakCallKey struct{}

// soakResult is the outcome of one call.
type soakResult struct {
	create   bool
	marker   string
	id       int
	err      error
	attempts int
	entityID string
}

func TestSoak_FaultInjectionThroughDefaultStack(t *testing.T) {
	before := goleak.IgnoreCurrent()
	scale := soakScale()
	reads, creates := soakReads/scale, soakCreates/scale

	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("LINKEDIN_SOAK_SEED"); s != "" {
		if v, err := strconv.ParseUint(s, 10, 64); err == nil {
			seed = v
		}
	}
	t.Logf("soak: seed %d (LINKEDIN_SOAK_SEED=%d reproduces the fault sequence; timing still varies)", seed, seed)

	srv := restlitest.NewServer()
	serverClosed := false
	defer func() {
		if !serverClosed {
			srv.Close()
		}
	}()
	for i := 1; i <= soakItems; i++ {
		srv.Seed("/soakItems", i, map[string]any{"id": i, "name": "item " + strconv.Itoa(i)})
	}

	// The server's fault policy runs concurrently: one locked source.
	var rngMu sync.Mutex
	forcedCreates := 0 // guarded by rngMu
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var inj soakFaults
	srv.SetFaultPolicy(func(r *restlitest.Request) *restlitest.Fault {
		if !strings.HasPrefix(r.Path, "/rest/") {
			return nil
		}
		inj.policyCalls.Add(1)
		rngMu.Lock()
		x, coin := rng.Float64(), rng.IntN(2) == 1
		if r.RestliMethod == restli.MethodCreate && forcedCreates < len(soakForcedAfterApply) {
			// The first creates get each after-apply fault once, so
			// every kind the checks below require is exercised whatever
			// the seed draws (the rarest would otherwise be missed in
			// about one run in 250).
			x, coin = soakForcedAfterApply[forcedCreates], true
			forcedCreates++
		}
		rngMu.Unlock()
		afterApply := coin && r.RestliMethod == restli.MethodCreate
		var f *restlitest.Fault
		switch {
		case x < soakRate503:
			f = &restlitest.Fault{Status: http.StatusServiceUnavailable, AfterApply: afterApply}
			inj.s503.Add(1)
			if afterApply {
				inj.s503After.Add(1)
			}
		case x < soakRate503+soakRate429:
			ra := "0"
			if coin {
				ra = "1"
				inj.s429Wait1.Add(1)
			}
			f = &restlitest.Fault{Status: http.StatusTooManyRequests, RetryAfter: ra}
			inj.s429.Add(1)
		case x < soakRate503+soakRate429+soakRateReset:
			f = &restlitest.Fault{Reset: true, AfterApply: afterApply}
			inj.reset.Add(1)
			if afterApply {
				inj.resetAfter.Add(1)
			}
		case x < soakRate503+soakRate429+soakRateReset+soakRateSlow:
			f = &restlitest.Fault{Delay: soakSlow, AfterApply: afterApply}
			inj.slow.Add(1)
			if afterApply {
				inj.slowAfter.Add(1)
			}
		}
		if f != nil {
			inj.faults.Add(1)
		}
		return f
	})

	// The full default stack over a base transport whose response-header
	// timeout is the per-attempt deadline, with a per-attempt layer that
	// counts attempts from the client side (net/http may resend an idempotent
	// request on a reused connection that was reset, so the server's count is
	// not the client's).
	base := transport.NewBaseTransport()
	base.Proxy = nil
	base.ResponseHeaderTimeout = soakAttemptDeadline
	var attempts, rejected atomic.Int64
	var opens, halfOpens, closes atomic.Int64
	counting := func(next http.RoundTripper) http.RoundTripper {
		return rtFunc(func(req *http.Request) (*http.Response, error) {
			attempts.Add(1)
			if c, ok := req.Context().Value(soakCallKey{}).(*soakCall); ok {
				c.attempts.Add(1)
			}
			resp, err := next.RoundTrip(req)
			if errors.Is(err, middleware.ErrCircuitOpen) {
				rejected.Add(1)
			}
			return resp, err
		})
	}
	hc := transport.NewClient(
		transport.WithBase(base),
		transport.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: srv.Token()})),
		transport.WithTokenHosts(strings.TrimPrefix(srv.URL, "http://")),
		transport.WithVersion(restlitest.DefaultVersion),
		transport.WithRetry(middleware.RetryOptions{
			MaxAttempts:   soakMaxAttempts,
			RetryWaitMin:  5 * time.Millisecond,
			RetryWaitMax:  50 * time.Millisecond,
			MaxRetryAfter: time.Second,
			// The soak checks that every resend the policy allows is
			// safe and happens; at its 30% fault rate the default budget
			// would (rightly) stop most of them. The budget has its own
			// test, TestRetryBudget_FullOutageThroughDefaultStack.
			Budget: middleware.RetryBudget{Capacity: -1},
		}),
		transport.WithCircuitBreaker(middleware.BreakerOptions{
			OpenTimeout: 100 * time.Millisecond,
			OnStateChange: func(_, _, to string) {
				switch to {
				case "open":
					opens.Add(1)
				case "half-open":
					halfOpens.Add(1)
				case "closed":
					closes.Add(1)
				}
			},
		}),
		transport.WithPerAttempt(counting),
	)
	c := restli.NewClient(hc, restli.WithBaseURL(srv.URL+"/rest"), restli.WithVersion(restlitest.DefaultVersion))
	if got := transport.Layers(transport.WithPerAttempt(counting), transport.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "x"}))); !slices.Contains(got, transport.LayerRetry) || !slices.Contains(got, transport.LayerBreaker) {
		t.Fatalf("stack %v lacks retry or breaker", got)
	}

	// Jobs: reads and creates interleaved in a seeded order.
	jobs := make([]soakResult, 0, reads+creates)
	for i := 0; i < reads; i++ {
		jobs = append(jobs, soakResult{id: 1 + i%soakItems})
	}
	for i := 0; i < creates; i++ {
		jobs = append(jobs, soakResult{create: true, marker: fmt.Sprintf("soak-%d-%05d", seed%100000, i)})
	}
	shuffle := rand.New(rand.NewPCG(seed, 1))
	shuffle.Shuffle(len(jobs), func(i, j int) { jobs[i], jobs[j] = jobs[j], jobs[i] })

	next := make(chan int)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < soakWorkers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				soakRun(c, &jobs[i], i)
				if errors.Is(jobs[i].err, middleware.ErrCircuitOpen) {
					// What a real caller does when the host is known to be
					// sick: back off instead of spinning on refusals.
					time.Sleep(20 * time.Millisecond)
				}
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	elapsed := time.Since(start)
	srv.SetFaultPolicy(nil)

	// Ground truth: the entities the server stored, by marker, and the
	// create requests it applied, by marker.
	stored := map[string]int{}
	for _, e := range srv.Collection("/soakCreates").All() {
		m, _ := e["marker"].(string)
		stored[m]++
	}
	appliedRecords := map[string]int{}
	serverRequests := 0
	recordedFaults := 0
	for _, r := range srv.Requests() {
		if !strings.HasPrefix(r.Path, "/rest/") {
			continue
		}
		serverRequests++
		if r.Fault != nil {
			recordedFaults++
		}
		if r.RestliMethod == restli.MethodCreate && r.Applied {
			var e struct {
				Marker string `json:"marker"`
			}
			if json.Unmarshal(r.Body, &e) == nil {
				appliedRecords[e.Marker]++
			}
		}
	}

	var (
		readOK, readRefused, createOK, duplicates, mysteries, maybeApplied, falseAlarms, appliedCreates int
		failures                                                                                        = map[string]int{}
		problems                                                                                        []string
	)
	problem := func(format string, args ...any) {
		if len(problems) < 20 {
			problems = append(problems, fmt.Sprintf(format, args...))
		}
		t.Errorf(format, args...)
	}
	for i := range jobs {
		r := &jobs[i]
		if r.attempts < 1 || r.attempts > soakMaxAttempts {
			problem("call %d made %d attempts (bound %d): err %v", i, r.attempts, soakMaxAttempts, r.err)
		}
		if r.err != nil {
			kind, typed := soakClassify(r.err)
			failures[kind]++
			if !typed {
				problem("call %d failed with an untyped error %T: %v", i, r.err, r.err)
			}
		}
		if !r.create {
			if r.err == nil {
				readOK++
				continue
			}
			if errors.Is(r.err, middleware.ErrCircuitOpen) {
				readRefused++
			}
			soakCheckReadFailure(problem, i, r)
			continue
		}
		n := stored[r.marker]
		if n > 0 {
			appliedCreates++
		}
		if n > 1 {
			duplicates++
			problem("create %d (marker %s) applied %d times", i, r.marker, n)
		}
		if appliedRecords[r.marker] != n {
			problem("create %d (marker %s): %d applied requests recorded, %d entities stored", i, r.marker, appliedRecords[r.marker], n)
		}
		if r.err == nil {
			createOK++
			if n != 1 {
				problem("create %d (marker %s) succeeded but the server stored it %d times", i, r.marker, n)
			}
			if e, ok := srv.Collection("/soakCreates").Get(r.entityID); !ok || e["marker"] != r.marker {
				problem("create %d: X-RestLi-Id %q does not name the entity with marker %s", i, r.entityID, r.marker)
			}
			continue
		}
		may := errors.Is(r.err, restli.ErrMaybeApplied)
		if may {
			maybeApplied++
			if n == 0 {
				falseAlarms++
			}
		}
		if n > 0 && !may {
			mysteries++
			problem("create %d (marker %s) was applied but its error does not say it may have been: %v", i, r.marker, r.err)
		}
	}

	// Close everything, then look for goroutines left behind.
	hc.CloseIdleConnections()
	srv.Close()
	serverClosed = true
	base.CloseIdleConnections()
	leaks := verifyNoLeaks(t, before)

	kinds := make([]string, 0, len(failures))
	for k := range failures {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	var fb strings.Builder
	for i, k := range kinds {
		if i > 0 {
			fb.WriteByte(' ')
		}
		fmt.Fprintf(&fb, "%s=%d", k, failures[k])
	}
	calls := len(jobs)
	t.Logf("soak: %d calls (%d reads, %d creates) from %d goroutines in %v", calls, reads, creates, soakWorkers, elapsed.Round(time.Millisecond))
	t.Logf("soak: server saw %d API requests; injected %d faults (%d recorded): 503=%d (after apply %d), 429=%d (Retry-After 1s %d), reset=%d (after apply %d), slow=%d (after apply %d)",
		serverRequests, inj.faults.Load(), recordedFaults, inj.s503.Load(), inj.s503After.Load(), inj.s429.Load(), inj.s429Wait1.Load(),
		inj.reset.Load(), inj.resetAfter.Load(), inj.slow.Load(), inj.slowAfter.Load())
	t.Logf("soak: client made %d attempts (%d retries); breaker opened %d times, half-opened %d, closed %d, refused %d attempts",
		attempts.Load(), attempts.Load()-int64(calls), opens.Load(), halfOpens.Load(), closes.Load(), rejected.Load())
	t.Logf("soak: successes %d (reads %d, creates %d); failures %d: %s", readOK+createOK, readOK, createOK, calls-readOK-createOK, fb.String())
	t.Logf("soak: creates applied %d; errors saying 'may have been applied' %d (%d of them not applied); applied-but-unflagged %d; duplicates %d; leaks %d",
		appliedCreates, maybeApplied, falseAlarms, mysteries, duplicates, leaks)
	t.Logf("SOAK SUMMARY: calls=%d reads=%d creates=%d workers=%d server_requests=%d injected=%d[503=%d 429=%d reset=%d slow=%d] attempts=%d retries=%d breaker_opens=%d breaker_rejections=%d successes=%d failures=%d[%s] applied_creates=%d maybe_applied_errors=%d unflagged_applied=%d duplicates=%d leaks=%d duration=%v",
		calls, reads, creates, soakWorkers, serverRequests, inj.faults.Load(), inj.s503.Load(), inj.s429.Load(), inj.reset.Load(), inj.slow.Load(),
		attempts.Load(), attempts.Load()-int64(calls), opens.Load(), rejected.Load(), readOK+createOK, calls-readOK-createOK, fb.String(),
		appliedCreates, maybeApplied, mysteries, duplicates, leaks, elapsed.Round(time.Millisecond))

	// The faults must really have been injected, or the soak proves nothing.
	if scale == 1 {
		for name, n := range map[string]int64{"503": inj.s503.Load(), "429": inj.s429.Load(), "reset": inj.reset.Load(), "slow": inj.slow.Load(),
			"503 after apply": inj.s503After.Load(), "reset after apply": inj.resetAfter.Load(), "slow after apply": inj.slowAfter.Load()} {
			if n == 0 {
				t.Errorf("no %s fault was injected", name)
			}
		}
	}
	if inj.faults.Load() != int64(recordedFaults) {
		t.Errorf("policy injected %d faults, server recorded %d", inj.faults.Load(), recordedFaults)
	}
	// With four attempts, a read fails only when every attempt hits a fault
	// (about 1% at these rates) or the breaker refuses it, which the
	// failures line reports apart.
	if failed := reads - readOK - readRefused; failed > reads/20 {
		t.Errorf("%d of %d reads failed other than by the breaker: retries are not doing their job", failed, reads)
	}
}

// soakRun makes call i and records its outcome in r.
func soakRun(c *restli.Client, r *soakResult, i int) {
	trace := &soakCall{}
	ctx, cancel := context.WithTimeout(context.WithValue(context.Background(), soakCallKey{}, trace), 30*time.Second)
	defer cancel()
	switch {
	case r.create:
		resp, err := c.Create(ctx, restli.CreateRequest{
			ResourcePath: "/soakCreates",
			Entity:       map[string]any{"marker": r.marker, "n": i},
		})
		r.err = err
		if err == nil {
			r.entityID = resp.EntityID
		}
	case i%7 == 0:
		resp, err := c.Finder(ctx, restli.FinderRequest{
			ResourcePath: "/soakItems", FinderName: restlitest.DefaultFinder,
			QueryParams: map[string]any{"start": r.id % 50, "count": 5},
		})
		r.err = err
		if err == nil && (len(resp.Elements) != 5 || resp.Paging == nil || resp.Paging.Total != soakItems) {
			r.err = fmt.Errorf("finder page: %d elements, paging %+v", len(resp.Elements), resp.Paging)
		}
	default:
		resp, err := c.Get(ctx, restli.GetRequest{ResourcePath: "/soakItems/{id}", PathKeys: map[string]any{"id": r.id}})
		r.err = err
		if err == nil && fmt.Sprint(resp.Entity["id"]) != strconv.Itoa(r.id) {
			r.err = fmt.Errorf("GET %d returned entity %v", r.id, resp.Entity["id"])
		}
	}
	r.attempts = int(trace.attempts.Load())
}

// soakClassify names the kind of a failed call and reports whether the
// error is one of the documented types.
func soakClassify(err error) (string, bool) {
	var re *restli.Error
	var te *restli.TransportError
	switch {
	case errors.Is(err, middleware.ErrCircuitOpen):
		return "circuit_open", errors.As(err, &te)
	case errors.As(err, &re):
		return "http_" + strconv.Itoa(re.StatusCode), true
	case errors.As(err, &te):
		return "transport_" + te.ErrorType(), true
	}
	return fmt.Sprintf("untyped_%T", err), false
}

// soakCheckReadFailure checks that a failed read failed the documented way:
// a typed error after MaxAttempts attempts, or sooner only because the
// breaker refused, and never claiming a write may have happened.
func soakCheckReadFailure(problem func(string, ...any), i int, r *soakResult) {
	if errors.Is(r.err, restli.ErrMaybeApplied) {
		problem("read %d: error says it may have been applied: %v", i, r.err)
	}
	var re *restli.Error
	var te *restli.TransportError
	var rte *middleware.RetryError
	switch {
	case errors.Is(r.err, middleware.ErrCircuitOpen):
		if !errors.As(r.err, &te) {
			problem("read %d: breaker refusal is not a *restli.TransportError: %T", i, r.err)
		}
	case errors.As(r.err, &re):
		switch re.StatusCode {
		case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
			http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		default:
			problem("read %d: failed with status %d, which the soak never injects", i, re.StatusCode)
		}
		if r.attempts != soakMaxAttempts {
			problem("read %d: gave up on %d after %d attempts, want %d", i, re.StatusCode, r.attempts, soakMaxAttempts)
		}
	case errors.As(r.err, &te):
		if r.attempts != soakMaxAttempts {
			problem("read %d: transport failure after %d attempts, want %d: %v", i, r.attempts, soakMaxAttempts, r.err)
		}
		if errors.As(r.err, &rte) && rte.Attempts != r.attempts {
			problem("read %d: RetryError says %d attempts, the per-attempt layer counted %d", i, rte.Attempts, r.attempts)
		}
	}
}
