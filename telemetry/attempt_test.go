package telemetry_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/baggage"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/telemetry"
)

func TestAttempt_TunneledCallShowsWireMethodAndRestliMethod(t *testing.T) {
	e := newEnv(t)
	srv := newServer(t, 200)
	rt := chain(srv.Client().Transport,
		telemetry.Call(e.options()), middleware.QueryTunnel(middleware.TunnelOptions{}), telemetry.Attempt(e.options()))

	long := "search=" + strings.Repeat("x", 4100)
	if _, err := do(t, rt, finderRequest(t, context.Background(), srv.URL, long)); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if len(reqs) != 1 || reqs[0].Method != http.MethodPost || reqs[0].Header.Get("X-HTTP-Method-Override") != "GET" {
		t.Fatalf("the server did not get a tunneled request: %v", reqs)
	}
	calls, attempts := e.callSpans(), e.attemptSpans()
	if len(calls) != 1 || len(attempts) != 1 {
		t.Fatalf("got %d call and %d attempt spans, want 1 and 1", len(calls), len(attempts))
	}
	if calls[0].Name() != "FINDER /adAccounts" {
		t.Errorf("call span name = %q", calls[0].Name())
	}
	a := attempts[0]
	if a.Name() != "POST /adAccounts" {
		t.Errorf("attempt span name = %q, want %q", a.Name(), "POST /adAccounts")
	}
	wantAttrs(t, "attempt span", a.Attributes(), map[string]any{
		"http.request.method": "POST",
		"restli.method":       "finder",
		"url.template":        "/adAccounts",
	})
	if full := attrs(a.Attributes())["url.full"].AsString(); strings.Contains(full, "xxxx") {
		t.Errorf("url.full holds the query: %.80s…", full)
	}
	for _, dp := range histogram(t, e.metrics(t)["http.client.request.duration"]) {
		wantAttrs(t, "http.client.request.duration", dp.Attributes.ToSlice(), map[string]any{
			"http.request.method": "POST", "restli.method": "finder",
		})
	}
}

func TestAttempt_URLFullRedactsEveryQueryValue(t *testing.T) {
	e := newEnv(t)
	srv := newServer(t, 200)
	rt := chain(srv.Client().Transport, telemetry.Attempt(e.options()))
	req := getRequest(t, srv.URL+"/rest/adAccounts/123?fields=id,name&flag&q=search&search=(name:(values:List(secret)))#frag", "/adAccounts/{id}")
	req.URL.User = nil
	if _, err := do(t, rt, req); err != nil {
		t.Fatal(err)
	}
	want := srv.URL + "/rest/adAccounts/123?fields=REDACTED&REDACTED&q=REDACTED&search=REDACTED"
	if got := attrs(e.attemptSpans()[0].Attributes())["url.full"].AsString(); got != want {
		t.Errorf("url.full = %q\nwant       %q", got, want)
	}
}

func TestAttempt_InjectsTraceContextWithConfiguredPropagator(t *testing.T) {
	e := newEnv(t)
	srv := newServer(t, 200)
	opts := e.options()
	opts.Propagators = propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
	rt := chain(srv.Client().Transport, telemetry.Call(opts), telemetry.Attempt(opts))
	m, _ := baggage.NewMember("tenant", "acme")
	b, _ := baggage.New(m)
	ctx := baggage.ContextWithBaggage(context.Background(), b)
	if _, err := do(t, rt, finderRequest(t, ctx, srv.URL, "")); err != nil {
		t.Fatal(err)
	}
	h := srv.requests()[0].Header
	a := e.attemptSpans()[0].SpanContext()
	if want := fmt.Sprintf("00-%s-%s-01", a.TraceID(), a.SpanID()); h.Get("Traceparent") != want {
		t.Errorf("traceparent = %q, want %q", h.Get("Traceparent"), want)
	}
	if h.Get("Baggage") != "tenant=acme" {
		t.Errorf("baggage = %q", h.Get("Baggage"))
	}
}

func TestAttempt_DoesNotModifyCallersRequest(t *testing.T) {
	e := newEnv(t)
	srv := newServer(t, 200)
	rt := chain(srv.Client().Transport, telemetry.Call(e.options()), telemetry.Attempt(e.options()))
	req := finderRequest(t, context.Background(), srv.URL, "")
	before := req.Header.Clone()
	if _, err := do(t, rt, req); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(req.Header) != fmt.Sprint(before) {
		t.Errorf("the caller's headers changed: %v → %v", before, req.Header)
	}
}

// Each layer steps aside when nothing records: no span, no header, and the
// request passes as it is.
func TestLayers_NoopProvidersAddNothing(t *testing.T) {
	for name, opts := range map[string]telemetry.Options{
		"noop providers": {TracerProvider: tracenoop.NewTracerProvider(), MeterProvider: metricnoop.NewMeterProvider()},
		"globals unset":  {},
	} {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t, 200)
			var seen *http.Request
			spy := func(next http.RoundTripper) http.RoundTripper {
				return roundTripFunc(func(r *http.Request) (*http.Response, error) {
					seen = r
					return next.RoundTrip(r)
				})
			}
			rt := chain(srv.Client().Transport, telemetry.Call(opts), fakeRetry(2), telemetry.Attempt(opts), spy)
			req := finderRequest(t, context.Background(), srv.URL, "")
			if _, err := do(t, rt, req); err != nil {
				t.Fatal(err)
			}
			if h := srv.requests()[0].Header.Get("Traceparent"); h != "" {
				t.Errorf("traceparent %q sent without a trace", h)
			}
			if seen.Header.Get("Traceparent") != "" || len(seen.Header) != len(req.Header) {
				t.Errorf("headers changed: %v", seen.Header)
			}
		})
	}
}

// A trace that is not sampled starts no attempt span but still propagates,
// so the server knows the trace and that it is not sampled.
func TestAttempt_FollowsUnsampledCallSpan(t *testing.T) {
	sr := newEnv(t).sr
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.NeverSample()), sdktrace.WithSpanProcessor(sr))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	opts := telemetry.Options{TracerProvider: tp, MeterProvider: metricnoop.NewMeterProvider(), Propagators: propagation.TraceContext{}}
	srv := newServer(t, 200)
	rt := chain(srv.Client().Transport, telemetry.Call(opts), telemetry.Attempt(opts))
	if _, err := do(t, rt, finderRequest(t, context.Background(), srv.URL, "")); err != nil {
		t.Fatal(err)
	}
	if n := len(sr.Started()); n != 0 {
		t.Errorf("%d spans started", n)
	}
	tp0 := srv.requests()[0].Header.Get("Traceparent")
	if !strings.HasPrefix(tp0, "00-") || !strings.HasSuffix(tp0, "-00") {
		t.Errorf("traceparent = %q, want an unsampled trace context", tp0)
	}
}

// Without a span in the context, the sampler decides: the attempt span is a
// root span.
func TestAttempt_AloneStartsRootSpan(t *testing.T) {
	e := newEnv(t)
	srv := newServer(t, 200)
	rt := chain(srv.Client().Transport, telemetry.Attempt(e.options()))
	if _, err := do(t, rt, finderRequest(t, context.Background(), srv.URL, "")); err != nil {
		t.Fatal(err)
	}
	s := e.attemptSpans()
	if len(s) != 1 || s[0].Parent().IsValid() {
		t.Fatalf("attempt spans = %v, want one root span", s)
	}
}

// A sampled parent from another provider (or remote) does not make the
// attempt span disappear.
func TestAttempt_RemoteSampledParent(t *testing.T) {
	e := newEnv(t)
	srv := newServer(t, 200)
	rt := chain(srv.Client().Transport, telemetry.Attempt(telemetry.Options{TracerProvider: e.tp, MeterProvider: metricnoop.NewMeterProvider()}))
	sc := trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID{1}, SpanID: trace.SpanID{2}, TraceFlags: trace.FlagsSampled, Remote: true,
	})
	ctx := trace.ContextWithRemoteSpanContext(context.Background(), sc)
	if _, err := do(t, rt, finderRequest(t, ctx, srv.URL, "")); err != nil {
		t.Fatal(err)
	}
	s := e.attemptSpans()
	if len(s) != 1 || s[0].Parent().SpanID() != sc.SpanID() {
		t.Fatalf("attempt spans = %v, want one child of the remote parent", s)
	}
}

// A client Labeler the caller put in the context lends its attributes to
// every attempt's http.client.request.duration, and one attempt's error.type
// does not stick to the next.
func TestAttempt_MetricAttributesPerAttempt(t *testing.T) {
	e := newEnv(t)
	srv := newServer(t, 503, 200)
	rt := chain(srv.Client().Transport, telemetry.Call(e.options()), fakeRetry(2), telemetry.Attempt(e.options()))
	l := &otelhttp.Labeler{}
	l.Add(attribute.String("app", "reporting"))
	ctx := otelhttp.ContextWithClientLabeler(context.Background(), l)
	if _, err := do(t, rt, finderRequest(t, ctx, srv.URL, "")); err != nil {
		t.Fatal(err)
	}
	if n := len(l.Get()); n != 1 {
		t.Errorf("the caller's labeler now has %d attributes, want 1", n)
	}
	dps := histogram(t, e.metrics(t)["http.client.request.duration"])
	if len(dps) != 2 {
		t.Fatalf("%d points, want 2 (503 and 200)", len(dps))
	}
	for _, dp := range dps {
		code, _ := dp.Attributes.Value("http.response.status_code")
		want := map[string]any{
			"app": "reporting", "url.template": "/adAccounts", "restli.method": "finder",
			"http.request.method": "GET", "server.address": "127.0.0.1", "url.scheme": "http",
		}
		if code.AsInt64() == 503 {
			want["error.type"] = "503"
			wantAttrs(t, "503 point", dp.Attributes.ToSlice(), want)
		} else {
			wantAttrs(t, "200 point", dp.Attributes.ToSlice(), want, "error.type")
		}
	}
}
