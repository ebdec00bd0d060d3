package telemetry_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/telemetry"
	"github.com/linkedin-go/linkedin/transport"
)

// These tests run the real default stack of package transport, with
// middleware.Retry, middleware.CircuitBreaker, middleware.QueryTunnel and
// the oauth layer between the two telemetry layers.

// fastRetry resends at once, up to three attempts in all.
var fastRetry = middleware.RetryOptions{MaxAttempts: 3, RetryWaitMin: time.Millisecond, RetryWaitMax: 2 * time.Millisecond}

func stackClient(e *env, srv *server, opts ...transport.Option) *http.Client {
	base := []transport.Option{
		transport.WithBase(srv.Client().Transport),
		transport.WithTracerProvider(e.tp),
		transport.WithMeterProvider(e.mp),
		transport.WithPropagators(propagation.TraceContext{}),
		transport.WithRetry(fastRetry),
	}
	return transport.NewClient(append(base, opts...)...)
}

func TestStack_FinderRetriedTwice(t *testing.T) {
	e := newEnv(t)
	srv := newServer(t, 503, 503, 200)
	c := restli.NewClient(stackClient(e, srv), restli.WithBaseURL(srv.URL+"/rest"))
	_, err := c.Finder(context.Background(), restli.FinderRequest{
		ResourcePath: "/adAccounts",
		FinderName:   "search",
		QueryParams:  map[string]any{"search": map[string]any{"status": []any{"ACTIVE"}}},
		Version:      "202601",
	})
	if err != nil {
		t.Fatal(err)
	}

	calls, attempts := e.callSpans(), e.attemptSpans()
	if len(calls) != 1 || len(attempts) != 3 {
		t.Fatalf("got %d call spans and %d attempt spans, want 1 and 3", len(calls), len(attempts))
	}
	call := calls[0]
	if call.Name() != "FINDER /adAccounts" {
		t.Errorf("call span name = %q", call.Name())
	}
	wantAttrs(t, "call span", call.Attributes(), map[string]any{
		"restli.method": "finder", "restli.resource": "/adAccounts", "restli.finder": "search",
		"linkedin.version": "202601", "restli.attempts": 3, "http.response.status_code": 200,
	}, "error.type")
	var retries int
	for _, ev := range call.Events() {
		if ev.Name == "retry" {
			retries++
			wantAttrs(t, "retry event", ev.Attributes, map[string]any{"retry.attempt": retries})
		}
	}
	if retries != 2 {
		t.Errorf("%d retry events, want 2", retries)
	}
	for i, a := range attempts {
		if a.Parent().SpanID() != call.SpanContext().SpanID() {
			t.Errorf("attempt %d is not a child of the call span", i)
		}
		if a.Name() != "GET /adAccounts" {
			t.Errorf("attempt %d name = %q", i, a.Name())
		}
		if i == 0 {
			wantAttrs(t, a.Name(), a.Attributes(), nil, "http.request.resend_count")
		} else {
			wantAttrs(t, a.Name(), a.Attributes(), map[string]any{"http.request.resend_count": i})
		}
	}
	m := e.metrics(t)
	if got := total(t, m[telemetry.AttemptsName]); got != 3 {
		t.Errorf("%s = %d, want 3", telemetry.AttemptsName, got)
	}
	if got := total(t, m[telemetry.RetriesName]); got != 2 {
		t.Errorf("%s = %d, want 2", telemetry.RetriesName, got)
	}
	var wire uint64
	for _, dp := range histogram(t, m["http.client.request.duration"]) {
		wire += dp.Count
	}
	if wire != 3 {
		t.Errorf("http.client.request.duration counted %d attempts, want 3", wire)
	}
}

func TestStack_TunneledFinder(t *testing.T) {
	e := newEnv(t)
	srv := newServer(t, 200)
	c := restli.NewClient(stackClient(e, srv), restli.WithBaseURL(srv.URL+"/rest"))
	_, err := c.Finder(context.Background(), restli.FinderRequest{
		ResourcePath: "/adAccounts",
		FinderName:   "search",
		QueryParams:  map[string]any{"search": strings.Repeat("x", 4100)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if r := srv.requests()[0]; r.Method != http.MethodPost {
		t.Fatalf("the request was not tunneled: %s", r.Method)
	}
	a := e.attemptSpans()
	if len(a) != 1 || a[0].Name() != "POST /adAccounts" {
		t.Fatalf("attempt spans = %v", a)
	}
	wantAttrs(t, "attempt span", a[0].Attributes(), map[string]any{"http.request.method": "POST", "restli.method": "finder"})
	if e.callSpans()[0].Name() != "FINDER /adAccounts" {
		t.Errorf("call span = %q", e.callSpans()[0].Name())
	}
}

func TestStack_BreakerRejection(t *testing.T) {
	e := newEnv(t)
	srv := newServer(t, 500)
	hc := stackClient(e, srv, transport.WithCircuitBreaker(middleware.BreakerOptions{FailureThreshold: 1, OpenTimeout: time.Minute}))
	c := restli.NewClient(hc, restli.WithBaseURL(srv.URL+"/rest"))
	get := func() error {
		_, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": 123456789}})
		return err
	}
	// The first attempt fails with 500 and opens the breaker, which
	// rejects the resend.
	err := get()
	if !errors.Is(err, middleware.ErrCircuitOpen) {
		t.Fatalf("err = %v, want ErrCircuitOpen", err)
	}
	calls := e.callSpans()
	if len(calls) != 1 || len(e.attemptSpans()) != 1 {
		t.Fatalf("got %d call and %d attempt spans, want 1 and 1", len(calls), len(e.attemptSpans()))
	}
	call := calls[0]
	wantAttrs(t, "call span", call.Attributes(), map[string]any{"error.type": "circuit_open", "restli.attempts": 2})
	if call.Status().Code != codes.Error {
		t.Errorf("status = %v", call.Status())
	}
	var rejected bool
	for _, ev := range call.Events() {
		rejected = rejected || ev.Name == "circuit_breaker.rejected"
	}
	if !rejected {
		t.Errorf("no circuit_breaker.rejected event in %v", call.Events())
	}
	// The next call is refused before any attempt.
	if err := get(); !errors.Is(err, middleware.ErrCircuitOpen) {
		t.Fatalf("second call: err = %v", err)
	}
	m := e.metrics(t)
	if got := total(t, m[telemetry.BreakerRejectionsName]); got != 2 {
		t.Errorf("%s = %d, want 2", telemetry.BreakerRejectionsName, got)
	}
	for _, dp := range sum(t, m[telemetry.BreakerRejectionsName]) {
		wantAttrs(t, telemetry.BreakerRejectionsName, dp.Attributes.ToSlice(), map[string]any{
			"error.type": "circuit_open", "restli.method": "get", "restli.resource": "/adAccounts/{id}",
		})
	}
}

func TestStack_NotFoundAndServerError(t *testing.T) {
	for _, status := range []int{404, 500} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			e := newEnv(t)
			srv := newServer(t, status)
			c := restli.NewClient(stackClient(e, srv, transport.WithoutRetry()), restli.WithBaseURL(srv.URL+"/rest"))
			_, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": 123456789}})
			var re *restli.Error
			if !errors.As(err, &re) || re.StatusCode != status {
				t.Fatalf("err = %v", err)
			}
			for _, s := range e.spans() {
				wantAttrs(t, s.Name(), s.Attributes(), map[string]any{"http.response.status_code": status, "error.type": status})
				if s.Status().Code != codes.Error {
					t.Errorf("%s: status %v, want Error", s.Name(), s.Status())
				}
				if s.Name() != "GET /adAccounts/{id}" {
					t.Errorf("span name %q", s.Name())
				}
			}
			if len(e.spans()) != 2 {
				t.Errorf("%d spans, want 2", len(e.spans()))
			}
		})
	}
}

// The oauth layer adds the token between the two telemetry layers; it never
// shows up, nor do query values or path keys outside url.full.
func TestStack_CanariesNeverReachTelemetry(t *testing.T) {
	e := newEnv(t)
	srv := newServer(t, 503, 200)
	ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: canaryToken, TokenType: "Bearer"})
	hc := stackClient(e, srv, transport.WithTokenSource(ts), transport.WithTokenHosts(strings.TrimPrefix(srv.URL, "http://")))
	c := restli.NewClient(hc, restli.WithBaseURL(srv.URL+"/rest"))
	for _, q := range []string{canaryQuery, canaryQuery + strings.Repeat("t", 4100)} {
		_, err := c.Get(context.Background(), restli.GetRequest{
			ResourcePath: "/adAccounts/{id}",
			PathKeys:     map[string]any{"id": pathKey},
			QueryParams:  map[string]any{"fields": q},
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := srv.requests()[0].Header.Get("Authorization"); !strings.Contains(got, canaryToken) {
		t.Fatalf("the canary token was not sent (Authorization %q): the test proves nothing", got)
	}
	if len(e.spans()) < 4 {
		t.Fatalf("only %d spans", len(e.spans()))
	}
	for _, s := range e.spans() {
		checkSpan(t, s)
	}
	checkMetrics(t, e.metrics(t))
}
