package telemetry_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"

	"github.com/linkedin-go/linkedin/telemetry"
)

// TestGlobalProvidersInstalledLater checks layers built on the global
// providers (zero Options) before an SDK is installed: they record nothing
// and add no header while the globals are the defaults, and record spans
// and metrics from the first call after otel.SetTracerProvider and
// otel.SetMeterProvider, as an application that sets up OpenTelemetry after
// building its client expects. The globals cannot be put back, so the test
// runs in a child process.
func TestGlobalProvidersInstalledLater(t *testing.T) {
	if os.Getenv("TELEMETRY_GLOBAL_CHILD") != "1" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestGlobalProvidersInstalledLater$", "-test.count=1")
		cmd.Env = append(os.Environ(), "TELEMETRY_GLOBAL_CHILD=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("child: %v\n%s", err, out)
		}
		return
	}
	srv := newServer(t, http.StatusOK)
	rt := chain(srv.Client().Transport, telemetry.Call(telemetry.Options{}), telemetry.Attempt(telemetry.Options{}))
	call := func() {
		t.Helper()
		resp, err := rt.RoundTrip(finderRequest(t, context.Background(), srv.URL, ""))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}

	call()
	if h := srv.requests()[0].Header.Get("Traceparent"); h != "" {
		t.Errorf("before any provider is installed, the request carries traceparent %q", h)
	}

	e := newEnv(t)
	otel.SetTracerProvider(e.tp)
	otel.SetMeterProvider(e.mp)
	otel.SetTextMapPropagator(propagation.TraceContext{})
	call()
	if n, m := len(e.callSpans()), len(e.attemptSpans()); n != 1 || m != 1 {
		t.Errorf("after SetTracerProvider: %d call spans and %d attempt spans, want 1 and 1", n, m)
	}
	if h := srv.requests()[1].Header.Get("Traceparent"); h == "" {
		t.Error("after SetTextMapPropagator, the request carries no traceparent")
	}
	ms := e.metrics(t)
	for _, name := range []string{telemetry.OperationDurationName, "http.client.request.duration"} {
		if _, ok := ms[name]; !ok {
			t.Errorf("after SetMeterProvider, no %s recorded", name)
		}
	}
}
