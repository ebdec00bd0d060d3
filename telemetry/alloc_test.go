package telemetry_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	metricnoop "go.opentelemetry.io/otel/metric/noop"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/linkedin-go/linkedin/telemetry"
)

// TestLayers_NoopProvidersAddNoAllocation pins the package documentation's
// statement on cost: with nothing recording, Call and Attempt add no
// allocation to a call (the global providers before an SDK is installed
// are measured by BenchmarkLayers/global-unset, since other tests here
// install global providers).
func TestLayers_NoopProvidersAddNoAllocation(t *testing.T) {
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(benchBody)), Request: r}, nil
	})
	o := telemetry.Options{TracerProvider: tracenoop.NewTracerProvider(), MeterProvider: metricnoop.NewMeterProvider()}
	layered := chain(base, telemetry.Call(o), telemetry.Attempt(o))
	req := finderRequest(t, context.Background(), "http://127.0.0.1:1", "search=(status:(values:List(ACTIVE)))")
	allocs := func(rt http.RoundTripper) float64 {
		return testing.AllocsPerRun(200, func() {
			resp, err := rt.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		})
	}
	if bare, with := allocs(base), allocs(layered); with != bare {
		t.Errorf("allocations per call: %v with the layers, %v without", with, bare)
	}
}
