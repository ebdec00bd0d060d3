package telemetry_test

import (
	"context"
	"testing"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/linkedin-go/linkedin/telemetry"
)

// Metric names, units, kinds and scopes, and the attribute keys each may
// carry: the HTTP semantic conventions for http.client.request.duration,
// this package's own for the linkedin.client.* metrics.
func TestMetrics_NamesUnitsAndAttributes(t *testing.T) {
	e := newEnv(t)
	srv := newServer(t, 503, 200)
	rt := chain(srv.Client().Transport, telemetry.Call(e.options()), fakeRetry(2),
		fakeBreaker(func(int) bool { return false }), telemetry.Attempt(e.options()))
	if _, err := do(t, rt, finderRequest(t, context.Background(), srv.URL, "")); err != nil {
		t.Fatal(err)
	}
	// A rejected call, for the rejections counter.
	rt = chain(srv.Client().Transport, telemetry.Call(e.options()),
		fakeBreaker(func(int) bool { return true }), telemetry.Attempt(e.options()))
	_, _ = do(t, rt, finderRequest(t, context.Background(), srv.URL, ""))

	var rm metricdata.ResourceMetrics
	if err := e.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	type want struct {
		scope, unit, kind string
		keys              map[string]bool // allowed attribute keys
	}
	call := map[string]bool{"restli.method": true, "restli.resource": true, "http.response.status_code": true, "error.type": true}
	wants := map[string]want{
		telemetry.OperationDurationName: {telemetry.ScopeName, "s", "histogram", call},
		telemetry.AttemptsName:          {telemetry.ScopeName, "{attempt}", "counter", call},
		telemetry.RetriesName:           {telemetry.ScopeName, "{retry}", "counter", call},
		telemetry.BreakerRejectionsName: {telemetry.ScopeName, "{rejection}", "counter", call},
		"http.client.request.duration": {otelhttp.ScopeName, "s", "histogram", map[string]bool{
			"http.request.method": true, "server.address": true, "server.port": true, "url.scheme": true,
			"network.protocol.name": true, "network.protocol.version": true,
			"http.response.status_code": true, "error.type": true, "url.template": true, "restli.method": true,
		}},
		"http.client.request.body.size": {otelhttp.ScopeName, "By", "int histogram", nil},
	}
	seen := map[string]int{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			seen[m.Name]++
			w, ok := wants[m.Name]
			if !ok {
				t.Errorf("unexpected metric %s from %s", m.Name, sm.Scope.Name)
				continue
			}
			if sm.Scope.Name != w.scope || m.Unit != w.unit {
				t.Errorf("%s: scope %s unit %q, want %s %q", m.Name, sm.Scope.Name, m.Unit, w.scope, w.unit)
			}
			if m.Description == "" {
				t.Errorf("%s has no description", m.Name)
			}
			var sets [][]string
			switch d := m.Data.(type) {
			case metricdata.Histogram[float64]:
				if w.kind != "histogram" {
					t.Errorf("%s is a float histogram, want %s", m.Name, w.kind)
				}
				for _, dp := range d.DataPoints {
					sets = append(sets, keys(dp.Attributes.ToSlice()))
				}
			case metricdata.Sum[int64]:
				if w.kind != "counter" || !d.IsMonotonic {
					t.Errorf("%s is a sum (monotonic %v), want %s", m.Name, d.IsMonotonic, w.kind)
				}
				for _, dp := range d.DataPoints {
					sets = append(sets, keys(dp.Attributes.ToSlice()))
				}
			case metricdata.Histogram[int64]:
				if w.kind != "int histogram" {
					t.Errorf("%s is an int histogram, want %s", m.Name, w.kind)
				}
			default:
				t.Errorf("%s: data %T", m.Name, m.Data)
			}
			if w.keys == nil {
				continue
			}
			for _, ks := range sets {
				for _, k := range ks {
					if !w.keys[k] {
						t.Errorf("%s carries attribute %s", m.Name, k)
					}
				}
			}
		}
	}
	for name := range wants {
		if seen[name] != 1 {
			t.Errorf("%s recorded by %d scopes, want 1", name, seen[name])
		}
	}
}

func keys(kvs []attribute.KeyValue) []string {
	out := make([]string, len(kvs))
	for i, kv := range kvs {
		out[i] = string(kv.Key)
	}
	return out
}
