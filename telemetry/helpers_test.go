package telemetry_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/telemetry"
)

// env is an SDK tracer and meter provider that record into memory.
type env struct {
	sr     *tracetest.SpanRecorder
	tp     *sdktrace.TracerProvider
	reader *sdkmetric.ManualReader
	mp     *sdkmetric.MeterProvider
}

func newEnv(t testing.TB) *env {
	t.Helper()
	sr := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	t.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	return &env{sr: sr, tp: tp, reader: reader, mp: mp}
}

func (e *env) options() telemetry.Options {
	return telemetry.Options{
		TracerProvider: e.tp,
		MeterProvider:  e.mp,
		Propagators:    propagation.TraceContext{},
	}
}

// spans returns the ended spans.
func (e *env) spans() []sdktrace.ReadOnlySpan { return e.sr.Ended() }

// callSpans and attemptSpans split the ended spans by kind.
func (e *env) callSpans() []sdktrace.ReadOnlySpan {
	return spansOfKind(e.spans(), trace.SpanKindInternal)
}

func (e *env) attemptSpans() []sdktrace.ReadOnlySpan {
	return spansOfKind(e.spans(), trace.SpanKindClient)
}

func spansOfKind(spans []sdktrace.ReadOnlySpan, k trace.SpanKind) []sdktrace.ReadOnlySpan {
	var out []sdktrace.ReadOnlySpan
	for _, s := range spans {
		if s.SpanKind() == k {
			out = append(out, s)
		}
	}
	return out
}

// metrics collects every metric by name.
func (e *env) metrics(t testing.TB) map[string]metricdata.Metrics {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := e.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatalf("collect: %v", err)
	}
	out := map[string]metricdata.Metrics{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if _, dup := out[m.Name]; dup {
				t.Errorf("metric %s recorded by two scopes", m.Name)
			}
			out[m.Name] = m
		}
	}
	return out
}

// attrs turns a span's attributes into a map.
func attrs(kvs []attribute.KeyValue) map[attribute.Key]attribute.Value {
	m := make(map[attribute.Key]attribute.Value, len(kvs))
	for _, kv := range kvs {
		m[kv.Key] = kv.Value
	}
	return m
}

// wantAttrs checks that got has each of want (value compared as text) and
// none of the keys in absent.
func wantAttrs(t testing.TB, what string, got []attribute.KeyValue, want map[string]any, absent ...string) {
	t.Helper()
	m := attrs(got)
	for k, v := range want {
		gv, ok := m[attribute.Key(k)]
		if !ok {
			t.Errorf("%s: attribute %s missing (have %v)", what, k, got)
			continue
		}
		if gv.Emit() != fmt.Sprint(v) {
			t.Errorf("%s: attribute %s = %q, want %q", what, k, gv.Emit(), fmt.Sprint(v))
		}
	}
	for _, k := range absent {
		if v, ok := m[attribute.Key(k)]; ok {
			t.Errorf("%s: attribute %s = %q, want none", what, k, v.Emit())
		}
	}
}

// histogram returns the data points of a float64 histogram.
func histogram(t testing.TB, m metricdata.Metrics) []metricdata.HistogramDataPoint[float64] {
	t.Helper()
	h, ok := m.Data.(metricdata.Histogram[float64])
	if !ok {
		t.Fatalf("%s is a %T, want a float64 histogram", m.Name, m.Data)
	}
	return h.DataPoints
}

// sum returns the data points of an int64 counter.
func sum(t testing.TB, m metricdata.Metrics) []metricdata.DataPoint[int64] {
	t.Helper()
	s, ok := m.Data.(metricdata.Sum[int64])
	if !ok {
		t.Fatalf("%s is a %T, want an int64 sum", m.Name, m.Data)
	}
	if !s.IsMonotonic {
		t.Errorf("%s is not monotonic", m.Name)
	}
	return s.DataPoints
}

func total(t testing.TB, m metricdata.Metrics) int64 {
	t.Helper()
	var n int64
	for _, dp := range sum(t, m) {
		n += dp.Value
	}
	return n
}

// server answers with the statuses in turn (the last one repeats) and
// records the requests it saw.
type server struct {
	*httptest.Server
	mu       sync.Mutex
	statuses []int
	seen     []*http.Request
	bodies   []string
}

func newServer(t testing.TB, statuses ...int) *server {
	t.Helper()
	s := &server{statuses: statuses}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		n := len(s.seen)
		s.seen = append(s.seen, r)
		s.bodies = append(s.bodies, string(b))
		code := s.statuses[min(n, len(s.statuses)-1)]
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		fmt.Fprintf(w, `{"elements":[],"status":%d}`, code)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) requests() []*http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*http.Request(nil), s.seen...)
}

// chain composes layers, first outermost, over base (as transport.Chain).
func chain(base http.RoundTripper, layers ...func(http.RoundTripper) http.RoundTripper) http.RoundTripper {
	rt := base
	for i := len(layers) - 1; i >= 0; i-- {
		rt = layers[i](rt)
	}
	return rt
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// fakeRetry is a retry layer that follows the contract of middleware.Retry
// towards telemetry: it resends on a 5xx or a transport error (never after a
// circuit_open error), marks each attempt with restli.ContextWithAttempt,
// and adds a "retry" event to the span in the context before each resend.
// It makes the telemetry tests independent of the real layer's backoff.
func fakeRetry(maxAttempts int) func(http.RoundTripper) http.RoundTripper {
	return func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(req *http.Request) (*http.Response, error) {
			for attempt := 0; ; attempt++ {
				r := req.WithContext(restli.ContextWithAttempt(req.Context(), attempt))
				resp, err := next.RoundTrip(r)
				last := attempt == maxAttempts-1
				var et interface{ ErrorType() string }
				switch {
				case err != nil && (last || (errors.As(err, &et) && et.ErrorType() == "circuit_open")):
					return nil, err
				case err == nil && (last || resp.StatusCode < 500):
					return resp, nil
				}
				if resp != nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				trace.SpanFromContext(req.Context()).AddEvent(telemetry.EventRetry, trace.WithAttributes(
					attribute.Int("retry.attempt", attempt+1),
					attribute.String("retry.wait", time.Millisecond.String()),
				))
			}
		})
	}
}

// circuitOpenError is what a circuit breaker returns: it has ErrorType
// "circuit_open".
type circuitOpenError struct{ key string }

func (e *circuitOpenError) Error() string     { return "circuit breaker is open for " + e.key }
func (e *circuitOpenError) ErrorType() string { return "circuit_open" }

// fakeBreaker rejects the attempts for which reject returns true, as
// middleware.CircuitBreaker does when open: an event on the span in the
// context and a circuit_open error.
func fakeBreaker(reject func(attempt int) bool) func(http.RoundTripper) http.RoundTripper {
	return func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(req *http.Request) (*http.Response, error) {
			if reject(restli.AttemptFromContext(req.Context())) {
				if req.Body != nil {
					req.Body.Close()
				}
				trace.SpanFromContext(req.Context()).AddEvent(telemetry.EventBreakerRejected,
					trace.WithAttributes(attribute.String("circuit_breaker.key", req.URL.Host)))
				return nil, &circuitOpenError{key: req.URL.Host}
			}
			return next.RoundTrip(req)
		})
	}
}

// finderRequest builds a FINDER request the way restli's builder does: the
// call description in the context and the Rest.li headers.
func finderRequest(t testing.TB, ctx context.Context, baseURL, query string) *http.Request {
	t.Helper()
	ctx = restli.ContextWithCallInfo(ctx, restli.CallInfo{
		Method:     restli.MethodFinder,
		Resource:   "/adAccounts",
		Finder:     "search",
		Version:    "202601",
		Idempotent: true,
	})
	u := baseURL + "/rest/adAccounts?q=search"
	if query != "" {
		u += "&" + query
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-RestLi-Method", "finder")
	req.Header.Set("X-RestLi-Protocol-Version", "2.0.0")
	req.Header.Set("LinkedIn-Version", "202601")
	return req
}

// do sends req with an http.Client over rt and reads and closes the body,
// as restli does.
func do(t testing.TB, rt http.RoundTripper, req *http.Request) (*http.Response, error) {
	t.Helper()
	resp, err := (&http.Client{Transport: rt}).Do(req)
	if err != nil {
		return nil, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp, nil
}
