package telemetry_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/linkedin-go/linkedin/telemetry"
)

// benchStacks returns the configurations the benchmarks compare, each as a
// function that wraps a base RoundTripper.
func benchStacks(b *testing.B) []struct {
	name string
	wrap func(http.RoundTripper) http.RoundTripper
} {
	layers := func(o telemetry.Options) func(http.RoundTripper) http.RoundTripper {
		return func(base http.RoundTripper) http.RoundTripper {
			return chain(base, telemetry.Call(o), telemetry.Attempt(o))
		}
	}
	sampleAll := func() *sdktrace.TracerProvider {
		tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.AlwaysSample()),
			sdktrace.WithSyncer(tracetest.NewNoopExporter()))
		b.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
		return tp
	}
	otelhttpOnly := func(tp *sdktrace.TracerProvider) func(http.RoundTripper) http.RoundTripper {
		return func(base http.RoundTripper) http.RoundTripper {
			return otelhttp.NewTransport(base, otelhttp.WithTracerProvider(tp),
				otelhttp.WithMeterProvider(metricnoop.NewMeterProvider()), otelhttp.WithPropagators(propagation.TraceContext{}))
		}
	}
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() { _ = mp.Shutdown(context.Background()) })
	return []struct {
		name string
		wrap func(http.RoundTripper) http.RoundTripper
	}{
		{"none", func(rt http.RoundTripper) http.RoundTripper { return rt }},
		{"noop", layers(telemetry.Options{TracerProvider: tracenoop.NewTracerProvider(), MeterProvider: metricnoop.NewMeterProvider()})},
		{"global-unset", layers(telemetry.Options{})},
		{"sdk-traces", layers(telemetry.Options{TracerProvider: sampleAll(), MeterProvider: metricnoop.NewMeterProvider(), Propagators: propagation.TraceContext{}})},
		// Reference: plain otelhttp.NewTransport alone, one sampled span per
		// call, no Call layer: the floor of Attempt's cost.
		{"sdk-traces-otelhttp-only", otelhttpOnly(sampleAll())},
		{"sdk-traces+metrics", layers(telemetry.Options{TracerProvider: sampleAll(), MeterProvider: mp, Propagators: propagation.TraceContext{}})},
	}
}

const benchBody = `{"elements":[{"id":123456789,"name":"Account"}],"paging":{"start":0,"count":10}}`

// BenchmarkLoopback is a FINDER call over loopback HTTP through Call and
// Attempt, against the same call without them ("none").
func BenchmarkLoopback(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, benchBody)
	}))
	defer srv.Close()
	for _, s := range benchStacks(b) {
		rt := s.wrap(srv.Client().Transport)
		b.Run(s.name, func(b *testing.B) {
			req := finderRequest(b, context.Background(), srv.URL, "search=(status:(values:List(ACTIVE)))")
			b.ReportAllocs()
			for b.Loop() {
				roundTrip(b, rt, req)
			}
		})
	}
}

// BenchmarkLayers measures the layers alone, over a RoundTripper that
// answers from memory: the cost telemetry adds to every call.
func BenchmarkLayers(b *testing.B) {
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(benchBody)), Request: r}, nil
	})
	for _, s := range benchStacks(b) {
		rt := s.wrap(base)
		b.Run(s.name, func(b *testing.B) {
			req := finderRequest(b, context.Background(), "http://127.0.0.1:1", "search=(status:(values:List(ACTIVE)))")
			b.ReportAllocs()
			for b.Loop() {
				roundTrip(b, rt, req)
			}
		})
	}
}

func roundTrip(b *testing.B, rt http.RoundTripper, req *http.Request) {
	resp, err := rt.RoundTrip(req)
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}
