// Tests that the default propagation is what README and Options document:
// the global propagator, which injects nothing until the program sets one.

package telemetry_test

import (
	"context"
	"net/http"
	"testing"

	"go.opentelemetry.io/otel/propagation"

	"github.com/linkedin-go/linkedin/telemetry"
)

func TestAttempt_DefaultPropagatorIsTheGlobalOne(t *testing.T) {
	for _, tt := range []struct {
		name    string
		prop    propagation.TextMapPropagator
		wantHdr bool
	}{
		{"default (global, unset)", nil, false},
		{"WithPropagators(TraceContext)", propagation.TraceContext{}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			srv := newServer(t, 200)
			opts := e.options()
			opts.Propagators = tt.prop
			rt := chain(srv.Client().Transport, telemetry.Call(opts), telemetry.Attempt(opts))
			if _, err := do(t, rt, finderRequest(t, context.Background(), srv.URL, "")); err != nil {
				t.Fatal(err)
			}
			reqs := srv.requests()
			if got := reqs[len(reqs)-1].Header.Get("Traceparent") != ""; got != tt.wantHdr {
				t.Errorf("traceparent sent = %v, want %v (%v)", got, tt.wantHdr, http.Header(reqs[len(reqs)-1].Header))
			}
		})
	}
}
