package benchmarks

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"
	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/benchmarks/internal/fakeapi"
	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/transport"
)

// Environment variables the peers runner (peers/run.sh) sets; without them
// the finder benchmarks start their own in-process loopback server.
const (
	// envServer is the base URL ("http://127.0.0.1:<port>") of a running
	// peers/server: the finder benchmarks call it instead of starting one,
	// so Go and the JavaScript client call the same server.
	envServer = "LINKEDIN_BENCH_SERVER"
	// envWarmup is the number of calls each client makes before it is
	// measured (default 200, as in cases.json).
	envWarmup = "LINKEDIN_BENCH_WARMUP"
	// envMaxSeconds bounds the time of each measured run of each client
	// (default 120, cases.json says 20): a call still running after it
	// fails the benchmark rather than hang.
	envMaxSeconds = "LINKEDIN_BENCH_MAX_SECONDS"
)

// finderClient is one way of making the finder call. call sends it once and
// returns an error unless the collection came back.
type finderClient struct {
	name string
	call func(ctx context.Context) error
}

// finderEnv is the server, the clients that call it, and the deadlines
// that bound the calls.
type finderEnv struct {
	ctx     context.Context // bounds the whole benchmark
	maxRun  time.Duration   // bounds each measured run
	clients []finderClient
	parts   []finderClient           // the gap's parts (BenchmarkFinderInterleavedParts)
	spans   *countingExporter        // spans the stack-sdk client ended
	tp      *sdktrace.TracerProvider // the stack-sdk client's provider
}

// newFinderEnv starts (or finds) the loopback server and builds the four
// clients over one shared, tuned *http.Transport:
//
//	bare        net/http, the URL encoded once up front, the headers set by hand;
//	            the body is read and dropped: the floor
//	bare-json   the same, and the body decoded into a map[string]any with
//	            encoding/json: the work the restli clients do with it too
//	restli      restli.Client over a bare *http.Client
//	stack-noop  restli.Client over transport.NewClient with telemetry on, no-op providers
//	stack-sdk   the same with an OpenTelemetry SDK recording every span
func newFinderEnv(tb testing.TB) *finderEnv {
	tb.Helper()
	_, spec := mustCases(tb)
	params := caseByName(tb, spec.Case).Params

	serverURL := os.Getenv(envServer)
	if serverURL == "" {
		srv := httptest.NewServer(fakeapi.Handler())
		tb.Cleanup(srv.Close)
		serverURL = srv.URL
	}
	if err := fakeapi.CheckLoopback(serverURL); err != nil {
		tb.Fatal(err)
	}
	u, _ := url.Parse(serverURL)
	baseURL := serverURL + fakeapi.BasePath

	maxRun := time.Duration(envInt(tb, envMaxSeconds, 120)) * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	tb.Cleanup(cancel)

	// One pool for every client, big enough that 64 goroutines never wait
	// for or churn connections. Proxy is off: loopback only.
	shared := transport.NewBaseTransport()
	shared.Proxy = nil
	shared.MaxIdleConns = 256
	shared.MaxIdleConnsPerHost = 128
	tb.Cleanup(shared.CloseIdleConnections)
	plain := &http.Client{Transport: shared}

	// The finder's query parameters: q becomes the finder name.
	query := make(map[string]any, len(params))
	for k, v := range params {
		if k != "q" {
			query[k] = v
		}
	}
	req := restli.FinderRequest{
		ResourcePath: spec.Resource,
		FinderName:   spec.Finder,
		QueryParams:  query,
		Version:      spec.Version,
	}

	// bare: what a hand-written client does at best.
	rawQuery, err := restli.ParamEncode(params)
	if err != nil {
		tb.Fatal(err)
	}
	bareURL := baseURL + spec.Resource + "?" + rawQuery
	// bareSend sends bare's request with hc; with the token and the
	// protocol header unless hc's layers add them.
	bareSend := func(ctx context.Context, hc *http.Client, layered bool) (*http.Response, error) {
		r, err := http.NewRequestWithContext(ctx, http.MethodGet, bareURL, nil)
		if err != nil {
			return nil, err
		}
		if !layered {
			r.Header.Set("Authorization", "Bearer "+spec.Token)
			r.Header.Set("X-RestLi-Protocol-Version", "2.0.0")
		}
		r.Header.Set("X-RestLi-Method", "finder")
		r.Header.Set("LinkedIn-Version", spec.Version)
		resp, err := hc.Do(r)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			return nil, fmt.Errorf("status %d", resp.StatusCode)
		}
		return resp, nil
	}
	bareDo := func(ctx context.Context) (*http.Response, error) { return bareSend(ctx, plain, false) }
	drop := func(resp *http.Response, err error) error {
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return err
	}
	bare := func(ctx context.Context) error { return drop(bareDo(ctx)) }
	bareJSON := func(ctx context.Context) error {
		resp, err := bareDo(ctx)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		var v map[string]any
		return json.NewDecoder(resp.Body).Decode(&v)
	}

	// restli: the protocol client over net/http, the token on the call.
	rc := restli.NewClient(plain, restli.WithBaseURL(baseURL))
	withToken := req
	withToken.AccessToken = spec.Token
	restliCall := func(ctx context.Context) error {
		_, err := rc.Finder(ctx, withToken)
		return err
	}

	// The full default stack: telemetry, retry, oauth (a static token,
	// allowed for the server's host), breaker, tunnel, headers.
	stackClient := func(opts ...transport.Option) *http.Client {
		return transport.NewClient(append([]transport.Option{
			transport.WithBase(shared),
			transport.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: spec.Token, TokenType: "Bearer"})),
			transport.WithTokenHosts(u.Host),
		}, opts...)...)
	}
	stack := func(opts ...transport.Option) func(ctx context.Context) error {
		c := restli.NewClient(stackClient(opts...), restli.WithBaseURL(baseURL))
		return func(ctx context.Context) error {
			_, err := c.Finder(ctx, req)
			return err
		}
	}
	noop := []transport.Option{
		transport.WithTracerProvider(tracenoop.NewTracerProvider()),
		transport.WithMeterProvider(metricnoop.NewMeterProvider()),
	}
	stackNoop := stack(noop...)

	// stack-sdk: every call sampled; spans go through the SDK's batch
	// processor to an exporter that counts and drops them; metrics are
	// aggregated by the SDK and held by a manual reader nobody collects.
	spans := &countingExporter{}
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithSampler(sdktrace.AlwaysSample()),
		sdktrace.WithBatcher(spans),
	)
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	tb.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	stackSDK := stack(
		transport.WithTracerProvider(tp),
		transport.WithMeterProvider(mp),
		transport.WithPropagators(propagation.TraceContext{}),
	)

	env := &finderEnv{ctx: ctx, maxRun: maxRun, spans: spans, tp: tp, clients: []finderClient{
		{"bare", bare},
		{"bare-json", bareJSON},
		{"restli", restliCall},
		{"stack-noop", stackNoop},
		{"stack-sdk", stackSDK},
	}}

	// The parts of the gap between bare and stack-noop: the default
	// stack's layers alone (bare's request through them, the token and
	// protocol header theirs to add), and the Rest.li client decoding into
	// the caller's struct (restli.FinderAs) rather than into maps, with
	// and without the stack.
	noopStack := stackClient(noop...)
	typedStack := restli.NewClient(noopStack, restli.WithBaseURL(baseURL))
	env.parts = []finderClient{
		{"bare", bare},
		{"bare-via-stack", func(ctx context.Context) error { return drop(bareSend(ctx, noopStack, true)) }},
		{"restli-typed", func(ctx context.Context) error {
			_, err := restli.FinderAs[adAccount](ctx, rc, withToken)
			return err
		}},
		{"restli", restliCall},
		{"stack-typed", func(ctx context.Context) error {
			_, err := restli.FinderAs[adAccount](ctx, typedStack, req)
			return err
		}},
		{"stack-noop", stackNoop},
	}

	// Every client must get the collection before it is measured.
	if err := env.checkClients(rc, req); err != nil {
		tb.Fatal(err)
	}
	return env
}

// checkClients makes one call with each client, and one that looks at the
// answer, so a benchmark never measures a client that fails.
func (e *finderEnv) checkClients(rc *restli.Client, req restli.FinderRequest) error {
	for _, c := range append(slices.Clip(e.clients), e.parts...) {
		if err := c.call(e.ctx); err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
	}
	req.AccessToken = fakeapi.Token
	got, err := rc.Finder(e.ctx, req)
	if err != nil {
		return err
	}
	if len(got.Elements) != 3 || got.Paging == nil || got.Paging.Total != 3 {
		return fmt.Errorf("finder answered %d elements, paging %+v; want 3 and total 3", len(got.Elements), got.Paging)
	}
	return nil
}

// warm makes n calls with c.
func (e *finderEnv) warm(tb testing.TB, c finderClient, n int) {
	tb.Helper()
	for range n {
		if err := c.call(e.ctx); err != nil {
			tb.Fatalf("%s warm-up: %v", c.name, err)
		}
	}
}

func envInt(tb testing.TB, name string, def int) int {
	tb.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		tb.Fatalf("%s=%q: want a non-negative integer", name, s)
	}
	return n
}

// BenchmarkFinder makes the finder call of cases.json, one call at a time,
// with each client against one loopback server. It reports the throughput
// and the 99th percentile latency.
func BenchmarkFinder(b *testing.B) {
	env := newFinderEnv(b)
	warmup := envInt(b, envWarmup, 200)
	for _, c := range env.clients {
		env.warm(b, c, warmup)
		b.Run(c.name, func(b *testing.B) {
			ctx, cancel := context.WithTimeout(env.ctx, env.maxRun)
			defer cancel()
			lat := make([]time.Duration, b.N)
			spans0 := env.flushSpans(b)
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				start := time.Now()
				if err := c.call(ctx); err != nil {
					b.Fatal(err)
				}
				lat[i] = time.Since(start)
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
			b.ReportMetric(float64(percentile(lat, 0.99).Nanoseconds())/1e3, "p99-µs")
			if c.name == "stack-sdk" {
				b.ReportMetric(float64(env.flushSpans(b)-spans0)/float64(b.N), "spans/op")
			}
		})
	}
}

// BenchmarkFinderInterleaved makes the finder call with every client in
// turn: one op is one call with each, the first client of an op rotating
// from op to op. All the clients then see the same seconds of the machine,
// so the drift between runs one after another (a loopback round trip here
// varies by 10% and more from one run to the next) does not enter their
// ratios. It reports, per client, the calls per second of the time spent
// in its own calls, and the full stack's share of bare's.
func BenchmarkFinderInterleaved(b *testing.B) {
	env := newFinderEnv(b)
	reqs := interleave(b, env, env.clients)
	b.ReportMetric(100*reqs["stack-noop"]/reqs["bare"], "stack-noop-vs-bare-%")
}

// BenchmarkFinderInterleavedParts is BenchmarkFinderInterleaved with the
// clients that split the gap between bare and stack-noop into its parts:
// bare-via-stack is bare's request sent through the default stack (what
// the layers cost), restli-typed and stack-typed decode the collection
// into a struct with restli.FinderAs instead of into maps (what the
// untyped decoding costs). It reports each one's share of bare's calls
// per second.
func BenchmarkFinderInterleavedParts(b *testing.B) {
	env := newFinderEnv(b)
	reqs := interleave(b, env, env.parts)
	for _, c := range env.parts[1:] {
		b.ReportMetric(100*reqs[c.name]/reqs["bare"], c.name+"-vs-bare-%")
	}
}

// interleave warms the clients up, runs b.N ops of one call with each in
// turn, and reports and returns each client's calls per second of the
// time spent in its own calls.
func interleave(b *testing.B, env *finderEnv, clients []finderClient) map[string]float64 {
	warmup := envInt(b, envWarmup, 200)
	for _, c := range clients {
		env.warm(b, c, warmup)
	}
	ctx, cancel := context.WithTimeout(env.ctx, env.maxRun)
	defer cancel()
	spent := make([]time.Duration, len(clients))
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		for j := range clients {
			k := (i + j) % len(clients)
			start := time.Now()
			if err := clients[k].call(ctx); err != nil {
				b.Fatal(err)
			}
			spent[k] += time.Since(start)
		}
	}
	b.StopTimer()
	reqs := map[string]float64{}
	for k, c := range clients {
		reqs[c.name] = float64(b.N) / spent[k].Seconds()
		b.ReportMetric(reqs[c.name], c.name+"-req/s")
	}
	return reqs
}

// BenchmarkFinderParallel makes the same calls from 1, 8 and 64 goroutines
// at once, sharing one client (and one connection pool) per variant.
func BenchmarkFinderParallel(b *testing.B) {
	env := newFinderEnv(b)
	warmup := envInt(b, envWarmup, 200)
	for _, c := range env.clients {
		env.warm(b, c, warmup)
		for _, g := range []int{1, 8, 64} {
			b.Run(fmt.Sprintf("%s/g=%d", c.name, g), func(b *testing.B) {
				ctx, cancel := context.WithTimeout(env.ctx, env.maxRun)
				defer cancel()
				b.ReportAllocs()
				if err := runConcurrently(ctx, b, g, c.call); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
			})
		}
	}
}

// runConcurrently makes b.N calls of call from g goroutines (a callPool),
// timed, and returns the first error.
func runConcurrently(ctx context.Context, b *testing.B, g int, call func(context.Context) error) error {
	p := newCallPool(ctx, g, call)
	defer p.stop()
	b.ResetTimer()
	_, err := p.run(b.N)
	b.StopTimer()
	return err
}

// percentile returns the p-th quantile (0 < p ≤ 1) of d, sorting d.
func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	i := int(float64(len(d))*p+0.5) - 1
	return d[min(max(i, 0), len(d)-1)]
}

// countingExporter is an OpenTelemetry span exporter that counts the spans
// it is given and drops them.
type countingExporter struct{ n atomic.Int64 }

func (e *countingExporter) ExportSpans(_ context.Context, spans []sdktrace.ReadOnlySpan) error {
	e.n.Add(int64(len(spans)))
	return nil
}

func (e *countingExporter) Shutdown(context.Context) error { return nil }

// flushSpans hands the spans the SDK still holds to the exporter and
// returns how many it has seen.
func (e *finderEnv) flushSpans(tb testing.TB) int64 {
	tb.Helper()
	if err := e.tp.ForceFlush(e.ctx); err != nil {
		tb.Fatal(err)
	}
	return e.spans.n.Load()
}

// TestFinderClients_GetTheCollection runs each benchmarked client once
// against the in-process server, so a change that breaks a client breaks
// a test, not only a benchmark.
func TestFinderClients_GetTheCollection(t *testing.T) {
	t.Setenv(envServer, "")
	env := newFinderEnv(t) // fails unless every client gets the collection
	if n := env.flushSpans(t); n < 2 {
		t.Errorf("stack-sdk ended %d spans for one call, want a call and an attempt span", n)
	}
}
