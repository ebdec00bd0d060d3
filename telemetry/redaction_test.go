package telemetry_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/telemetry"
)

const (
	canaryToken = "CANARYtokenA1b2C3"
	canaryQuery = "CANARYqueryZ9y8X7"
	pathKey     = "123456789"
)

// Neither the Authorization header nor any query value reaches a span name,
// a span attribute, an event, a link, a status or a metric attribute; and no
// span name or metric attribute holds a path key. Each case runs a
// different path through the layers.
func TestRedaction_CanariesNeverReachTelemetry(t *testing.T) {
	for _, tc := range []struct {
		name     string
		statuses []int
		query    string
		layers   func(opts telemetry.Options) []func(http.RoundTripper) http.RoundTripper
	}{
		{"retried", []int{503, 200}, "fields=" + canaryQuery, func(o telemetry.Options) []func(http.RoundTripper) http.RoundTripper {
			return stackWith(o, fakeRetry(3))
		}},
		{"tunneled", []int{200}, "fields=" + canaryQuery + "&pad=" + strings.Repeat("p", 4100), func(o telemetry.Options) []func(http.RoundTripper) http.RoundTripper {
			return stackWith(o, middleware.QueryTunnel(middleware.TunnelOptions{}))
		}},
		{"server error", []int{500}, "fields=" + canaryQuery, func(o telemetry.Options) []func(http.RoundTripper) http.RoundTripper {
			return stackWith(o)
		}},
		{"breaker", []int{503}, "fields=" + canaryQuery, func(o telemetry.Options) []func(http.RoundTripper) http.RoundTripper {
			return stackWith(o, fakeRetry(2), fakeBreaker(func(n int) bool { return n > 0 }))
		}},
		{"error quoting the URL and token above Attempt", []int{200}, "fields=" + canaryQuery, func(o telemetry.Options) []func(http.RoundTripper) http.RoundTripper {
			return stackWith(o, leakyFailure)
		}},
		{"error quoting the URL and token below Attempt", []int{200}, "fields=" + canaryQuery, func(o telemetry.Options) []func(http.RoundTripper) http.RoundTripper {
			return append(stackWith(o), leakyFailure)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			srv := newServer(t, tc.statuses...)
			rt := chain(srv.Client().Transport, tc.layers(e.options())...)
			ctx := restli.ContextWithCallInfo(context.Background(), restli.CallInfo{
				Method: restli.MethodGet, Resource: "/adAccounts/{id}", Version: "202601", Idempotent: true,
			})
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/rest/adAccounts/"+pathKey+"?"+tc.query, nil)
			req.Header.Set("Authorization", "Bearer "+canaryToken)
			req.Header.Set("X-RestLi-Method", "get")
			_, _ = do(t, rt, req)

			spans := e.spans()
			if len(spans) == 0 {
				t.Fatal("no spans recorded")
			}
			for _, s := range spans {
				checkSpan(t, s)
			}
			checkMetrics(t, e.metrics(t))
		})
	}
}

// stackWith is Call, the given layers, then Attempt.
func stackWith(o telemetry.Options, mid ...func(http.RoundTripper) http.RoundTripper) []func(http.RoundTripper) http.RoundTripper {
	return append(append([]func(http.RoundTripper) http.RoundTripper{telemetry.Call(o)}, mid...), telemetry.Attempt(o))
}

// leakyFailure fails with an error that quotes the URL and the
// Authorization header, as careless libraries do.
func leakyFailure(http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return nil, fmt.Errorf("giving up on GET %s with %q: %w", r.URL, r.Header.Get("Authorization"), context.DeadlineExceeded)
	})
}

func leaks(s string) bool {
	return strings.Contains(s, canaryToken) || strings.Contains(s, canaryQuery)
}

func checkSpan(t *testing.T, s sdktrace.ReadOnlySpan) {
	t.Helper()
	if leaks(s.Name()) || strings.Contains(s.Name(), pathKey) {
		t.Errorf("span name %q leaks", s.Name())
	}
	if leaks(s.Status().Description) {
		t.Errorf("%s: status description %q leaks", s.Name(), s.Status().Description)
	}
	checkAttrs(t, s.Name()+" attributes", s.Attributes(), false)
	for _, ev := range s.Events() {
		if leaks(ev.Name) {
			t.Errorf("%s: event name %q leaks", s.Name(), ev.Name)
		}
		checkAttrs(t, s.Name()+" event "+ev.Name, ev.Attributes, false)
	}
	for _, l := range s.Links() {
		checkAttrs(t, s.Name()+" link", l.Attributes, false)
	}
	if s.SpanKind().String() == "client" {
		full := attrs(s.Attributes())["url.full"].AsString()
		if !strings.Contains(full, "/adAccounts/"+pathKey) {
			t.Errorf("url.full %q lost the path", full)
		}
	}
}

// checkAttrs fails on a canary in any attribute, and on a path key too when
// noKeys (metric attributes).
func checkAttrs(t *testing.T, what string, kvs []attribute.KeyValue, noKeys bool) {
	t.Helper()
	for _, kv := range kvs {
		v := kv.Value.Emit()
		if leaks(string(kv.Key)) || leaks(v) {
			t.Errorf("%s: %s=%q leaks a canary", what, kv.Key, v)
		}
		if noKeys && (strings.Contains(v, pathKey) || strings.Contains(string(kv.Key), pathKey)) {
			t.Errorf("%s: %s=%q holds a path key", what, kv.Key, v)
		}
	}
}

func checkMetrics(t *testing.T, ms map[string]metricdata.Metrics) {
	t.Helper()
	if len(ms) == 0 {
		t.Fatal("no metrics")
	}
	for name, m := range ms {
		if leaks(name) || strings.Contains(name, pathKey) {
			t.Errorf("metric name %q leaks", name)
		}
		var sets []attribute.Set
		switch d := m.Data.(type) {
		case metricdata.Histogram[float64]:
			for _, dp := range d.DataPoints {
				sets = append(sets, dp.Attributes)
			}
		case metricdata.Histogram[int64]:
			for _, dp := range d.DataPoints {
				sets = append(sets, dp.Attributes)
			}
		case metricdata.Sum[int64]:
			for _, dp := range d.DataPoints {
				sets = append(sets, dp.Attributes)
			}
		case metricdata.Sum[float64]:
			for _, dp := range d.DataPoints {
				sets = append(sets, dp.Attributes)
			}
		default:
			t.Errorf("metric %s: unexpected data %T", name, m.Data)
		}
		if len(sets) == 0 {
			t.Errorf("metric %s has no data points", name)
		}
		for _, s := range sets {
			checkAttrs(t, "metric "+name, s.ToSlice(), true)
		}
	}
}
