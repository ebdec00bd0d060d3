package telemetry_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/telemetry"
)

// The contract tests in this file use fakeRetry and fakeBreaker, which
// follow the documented behaviour of the real layers towards telemetry;
// integration_test.go runs the same scenarios through package transport.

func TestCall_FinderRetriedTwice_OneCallSpanThreeAttemptSpans(t *testing.T) {
	e := newEnv(t)
	srv := newServer(t, 503, 503, 200)
	rt := chain(srv.Client().Transport,
		telemetry.Call(e.options()), fakeRetry(3), telemetry.Attempt(e.options()))

	resp, err := do(t, rt, finderRequest(t, context.Background(), srv.URL, ""))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("call: %v, %v", resp, err)
	}

	calls, attempts := e.callSpans(), e.attemptSpans()
	if len(calls) != 1 || len(attempts) != 3 {
		t.Fatalf("got %d call spans and %d attempt spans, want 1 and 3", len(calls), len(attempts))
	}
	call := calls[0]
	if call.Name() != "FINDER /adAccounts" {
		t.Errorf("call span name = %q, want %q", call.Name(), "FINDER /adAccounts")
	}
	wantAttrs(t, "call span", call.Attributes(), map[string]any{
		"restli.method":             "finder",
		"restli.resource":           "/adAccounts",
		"restli.finder":             "search",
		"linkedin.version":          "202601",
		"restli.attempts":           3,
		"http.response.status_code": 200,
	}, "error.type", "restli.action", "url.full")
	if call.Status().Code != codes.Unset {
		t.Errorf("call span status = %v, want Unset", call.Status())
	}
	var retries []sdktrace.Event
	for _, ev := range call.Events() {
		if ev.Name == telemetry.EventRetry {
			retries = append(retries, ev)
		}
	}
	if len(retries) != 2 {
		t.Errorf("call span has %d retry events, want 2", len(retries))
	}

	for i, a := range attempts {
		if a.Name() != "GET /adAccounts" {
			t.Errorf("attempt %d: name = %q, want %q", i, a.Name(), "GET /adAccounts")
		}
		if a.Parent().SpanID() != call.SpanContext().SpanID() || a.SpanContext().TraceID() != call.SpanContext().TraceID() {
			t.Errorf("attempt %d: parent = %v, want the call span %v", i, a.Parent().SpanID(), call.SpanContext().SpanID())
		}
		if a.EndTime().After(call.EndTime()) {
			t.Errorf("attempt %d ends after the call span", i)
		}
		status := 503
		if i == 2 {
			status = 200
		}
		want := map[string]any{
			"http.request.method":       "GET",
			"http.response.status_code": status,
			"url.template":              "/adAccounts",
			"restli.method":             "finder",
		}
		if i > 0 {
			want["http.request.resend_count"] = i
			wantAttrs(t, a.Name(), a.Attributes(), want)
		} else {
			wantAttrs(t, a.Name(), a.Attributes(), want, "http.request.resend_count")
		}
	}
	// The server saw each attempt's own span as parent.
	for i, r := range srv.requests() {
		tp := r.Header.Get("Traceparent")
		if !strings.Contains(tp, attempts[i].SpanContext().SpanID().String()) {
			t.Errorf("attempt %d: traceparent %q does not name the attempt span %s", i, tp, attempts[i].SpanContext().SpanID())
		}
	}

	m := e.metrics(t)
	if got := total(t, m[telemetry.AttemptsName]); got != 3 {
		t.Errorf("%s = %d, want 3", telemetry.AttemptsName, got)
	}
	if got := total(t, m[telemetry.RetriesName]); got != 2 {
		t.Errorf("%s = %d, want 2", telemetry.RetriesName, got)
	}
	if _, ok := m[telemetry.BreakerRejectionsName]; ok {
		t.Errorf("%s recorded without a rejection", telemetry.BreakerRejectionsName)
	}
	dps := histogram(t, m[telemetry.OperationDurationName])
	if len(dps) != 1 || dps[0].Count != 1 {
		t.Fatalf("%s: %d points, want 1 point with count 1", telemetry.OperationDurationName, len(dps))
	}
	wantAttrs(t, telemetry.OperationDurationName, dps[0].Attributes.ToSlice(), map[string]any{
		"restli.method": "finder", "restli.resource": "/adAccounts", "http.response.status_code": 200,
	}, "error.type")
	var wire uint64
	for _, dp := range histogram(t, m["http.client.request.duration"]) {
		wire += dp.Count
	}
	if wire != 3 {
		t.Errorf("http.client.request.duration counted %d attempts, want 3", wire)
	}
}

func TestCall_StatusCodes(t *testing.T) {
	for _, tc := range []struct {
		status    int
		errorType string
		code      codes.Code
	}{
		{200, "", codes.Unset},
		{201, "", codes.Unset},
		{400, "400", codes.Error},
		{404, "404", codes.Error},
		{429, "429", codes.Error},
		{500, "500", codes.Error},
	} {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			e := newEnv(t)
			srv := newServer(t, tc.status)
			rt := chain(srv.Client().Transport, telemetry.Call(e.options()), telemetry.Attempt(e.options()))
			req := getRequest(t, srv.URL+"/rest/adAccounts/123456789", "/adAccounts/{id}")
			if _, err := do(t, rt, req); err != nil {
				t.Fatal(err)
			}
			calls, attempts := e.callSpans(), e.attemptSpans()
			if len(calls) != 1 || len(attempts) != 1 {
				t.Fatalf("got %d call and %d attempt spans, want 1 and 1", len(calls), len(attempts))
			}
			for _, s := range []sdktrace.ReadOnlySpan{calls[0], attempts[0]} {
				want := map[string]any{"http.response.status_code": tc.status}
				if tc.errorType != "" {
					want["error.type"] = tc.errorType
					wantAttrs(t, s.Name(), s.Attributes(), want)
				} else {
					wantAttrs(t, s.Name(), s.Attributes(), want, "error.type")
				}
				if s.Status().Code != tc.code {
					t.Errorf("%s: status = %v, want %v", s.Name(), s.Status().Code, tc.code)
				}
			}
			if calls[0].Name() != "GET /adAccounts/{id}" || attempts[0].Name() != "GET /adAccounts/{id}" {
				t.Errorf("span names = %q, %q", calls[0].Name(), attempts[0].Name())
			}

			m := e.metrics(t)
			for _, name := range []string{telemetry.OperationDurationName, "http.client.request.duration"} {
				dps := histogram(t, m[name])
				if len(dps) != 1 {
					t.Fatalf("%s: %d points, want 1", name, len(dps))
				}
				want := map[string]any{"http.response.status_code": tc.status}
				if tc.errorType != "" {
					want["error.type"] = tc.errorType
					wantAttrs(t, name, dps[0].Attributes.ToSlice(), want)
				} else {
					wantAttrs(t, name, dps[0].Attributes.ToSlice(), want, "error.type")
				}
			}
		})
	}
}

// getRequest builds a GET of url described as a Rest.li GET of template.
func getRequest(t testing.TB, url, template string) *http.Request {
	t.Helper()
	ctx := restli.ContextWithCallInfo(context.Background(), restli.CallInfo{
		Method: restli.MethodGet, Resource: template, Idempotent: true,
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-RestLi-Method", "get")
	return req
}

func TestCall_BreakerRejection(t *testing.T) {
	e := newEnv(t)
	srv := newServer(t, 503)
	// The first attempt reaches the server and fails; the breaker then
	// opens and rejects the resend.
	rt := chain(srv.Client().Transport,
		telemetry.Call(e.options()), fakeRetry(3),
		fakeBreaker(func(attempt int) bool { return attempt > 0 }),
		telemetry.Attempt(e.options()))

	_, err := do(t, rt, finderRequest(t, context.Background(), srv.URL, ""))
	var et interface{ ErrorType() string }
	if !errors.As(err, &et) || et.ErrorType() != "circuit_open" {
		t.Fatalf("err = %v, want a circuit_open error", err)
	}
	calls := e.callSpans()
	if len(calls) != 1 || len(e.attemptSpans()) != 1 {
		t.Fatalf("got %d call and %d attempt spans, want 1 and 1", len(calls), len(e.attemptSpans()))
	}
	call := calls[0]
	wantAttrs(t, "call span", call.Attributes(), map[string]any{
		"error.type":      "circuit_open",
		"restli.attempts": 2,
	}, "http.response.status_code")
	if call.Status().Code != codes.Error {
		t.Errorf("call span status = %v, want Error", call.Status())
	}
	var names []string
	for _, ev := range call.Events() {
		names = append(names, ev.Name)
		if ev.Name == telemetry.EventBreakerRejected {
			wantAttrs(t, "rejected event", ev.Attributes, map[string]any{"circuit_breaker.key": strings.TrimPrefix(srv.URL, "http://")})
		}
	}
	if strings.Join(names, ",") != "retry,circuit_breaker.rejected" {
		t.Errorf("call span events = %v, want [retry circuit_breaker.rejected]", names)
	}

	m := e.metrics(t)
	rej := sum(t, m[telemetry.BreakerRejectionsName])
	if len(rej) != 1 || rej[0].Value != 1 {
		t.Fatalf("%s = %v, want one point of 1", telemetry.BreakerRejectionsName, rej)
	}
	wantAttrs(t, telemetry.BreakerRejectionsName, rej[0].Attributes.ToSlice(), map[string]any{
		"error.type": "circuit_open", "restli.method": "finder", "restli.resource": "/adAccounts",
	}, "http.response.status_code")
	if got := total(t, m[telemetry.AttemptsName]); got != 2 {
		t.Errorf("%s = %d, want 2 (one sent, one rejected)", telemetry.AttemptsName, got)
	}
}

func TestCall_BreakerWithoutEventStillCountsRejection(t *testing.T) {
	e := newEnv(t)
	rt := chain(http.DefaultTransport, telemetry.Call(e.options()),
		func(http.RoundTripper) http.RoundTripper {
			return roundTripFunc(func(*http.Request) (*http.Response, error) {
				return nil, &circuitOpenError{key: "api.linkedin.com"}
			})
		})
	_, err := do(t, rt, finderRequest(t, context.Background(), "https://api.linkedin.com", ""))
	if err == nil {
		t.Fatal("no error")
	}
	if got := total(t, e.metrics(t)[telemetry.BreakerRejectionsName]); got != 1 {
		t.Errorf("%s = %d, want 1", telemetry.BreakerRejectionsName, got)
	}
}

func TestCall_TransportError(t *testing.T) {
	e := newEnv(t)
	srv := newServer(t, 200)
	base := srv.Client().Transport
	srv.Close() // connection refused
	rt := chain(base, telemetry.Call(e.options()), telemetry.Attempt(e.options()))
	_, err := do(t, rt, getRequest(t, srv.URL+"/rest/adAccounts/1", "/adAccounts/{id}"))
	if err == nil {
		t.Fatal("no error")
	}
	for _, s := range e.spans() {
		wantAttrs(t, s.Name(), s.Attributes(), map[string]any{"error.type": "*net.OpError"}, "http.response.status_code")
		if s.Status().Code != codes.Error || s.Status().Description == "" {
			t.Errorf("%s: status = %v, want Error with a description", s.Name(), s.Status())
		}
	}
	if len(e.spans()) != 2 {
		t.Errorf("got %d spans, want 2", len(e.spans()))
	}
}

func TestCall_ErrorTypes(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"ErrorType method", &circuitOpenError{}, "circuit_open"},
		{"wrapped ErrorType", errorsJoin(&circuitOpenError{}), "circuit_open"},
		{"restli error", &restli.Error{StatusCode: 503}, "503"},
		{"deadline", context.DeadlineExceeded, "context.DeadlineExceeded"},
		{"canceled", errorsWrap(context.Canceled), "context.Canceled"},
		{"anonymous", errors.New("boom"), "_OTHER"},
		{"unexpected EOF", io.ErrUnexpectedEOF, "_OTHER"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			rt := chain(nil, telemetry.Call(e.options()), func(http.RoundTripper) http.RoundTripper {
				return roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, tc.err })
			})
			_, _ = rt.RoundTrip(getRequest(t, "http://127.0.0.1:1/x", "/x"))
			wantAttrs(t, "call span", e.callSpans()[0].Attributes(), map[string]any{"error.type": tc.want})
		})
	}
}

func errorsJoin(err error) error { return errors.Join(errors.New("context"), err) }
func errorsWrap(err error) error { return &wrapped{err} }

type wrapped struct{ err error }

func (w *wrapped) Error() string { return "wrapped: " + w.err.Error() }
func (w *wrapped) Unwrap() error { return w.err }

func TestCall_HandBuiltRequestNames(t *testing.T) {
	for _, tc := range []struct {
		method, header, want string
		wantAttr             string
	}{
		{"GET", "finder", "FINDER", "finder"},
		{"POST", "BATCH_CREATE", "BATCH_CREATE", "batch_create"},
		{"GET", "", "GET", ""},
		{"DELETE", "not a method", "DELETE", ""},
		{"PROPFIND", "", "HTTP", ""},
	} {
		t.Run(tc.want, func(t *testing.T) {
			e := newEnv(t)
			srv := newServer(t, 200)
			rt := chain(srv.Client().Transport, telemetry.Call(e.options()), telemetry.Attempt(e.options()))
			req, _ := http.NewRequest(tc.method, srv.URL+"/v2/adAccounts/987654321?q=x", nil)
			if tc.header != "" {
				req.Header.Set("X-RestLi-Method", tc.header)
			}
			if _, err := do(t, rt, req); err != nil {
				t.Fatal(err)
			}
			call := e.callSpans()[0]
			if call.Name() != tc.want {
				t.Errorf("call span name = %q, want %q", call.Name(), tc.want)
			}
			if tc.wantAttr != "" {
				wantAttrs(t, "call span", call.Attributes(), map[string]any{"restli.method": tc.wantAttr}, "restli.resource")
			} else {
				wantAttrs(t, "call span", call.Attributes(), nil, "restli.method", "restli.resource")
			}
			wantMethod := tc.method
			if wantMethod == "PROPFIND" {
				wantMethod = "HTTP"
			}
			if a := e.attemptSpans()[0]; a.Name() != wantMethod {
				t.Errorf("attempt span name = %q, want %q", a.Name(), wantMethod)
			}
		})
	}
}

func TestCall_SpanEndsWhenBodyIsClosed(t *testing.T) {
	e := newEnv(t)
	srv := newServer(t, 200)
	rt := chain(srv.Client().Transport, telemetry.Call(e.options()), telemetry.Attempt(e.options()))
	resp, err := rt.RoundTrip(getRequest(t, srv.URL+"/rest/me", "/me"))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(e.spans()); n != 0 {
		t.Fatalf("%d spans ended before the body was read", n)
	}
	if m := e.metrics(t); len(m[telemetry.OperationDurationName].Name) != 0 {
		t.Errorf("operation duration recorded before the body was read")
	}
	resp.Body.Close()
	resp.Body.Close() // a second close finishes nothing twice
	calls, attempts := e.callSpans(), e.attemptSpans()
	if len(calls) != 1 || len(attempts) != 1 {
		t.Fatalf("got %d call and %d attempt spans after Close, want 1 and 1", len(calls), len(attempts))
	}
	if attempts[0].EndTime().After(calls[0].EndTime()) {
		t.Error("the attempt span ends after the call span")
	}
	if got := histogram(t, e.metrics(t)[telemetry.OperationDurationName]); len(got) != 1 || got[0].Count != 1 {
		t.Errorf("operation duration = %v, want one measurement", got)
	}
}

func TestCall_SpanEndsAtEOF(t *testing.T) {
	e := newEnv(t)
	srv := newServer(t, 200)
	rt := chain(srv.Client().Transport, telemetry.Call(e.options()), telemetry.Attempt(e.options()))
	resp, err := rt.RoundTrip(getRequest(t, srv.URL+"/rest/me", "/me"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.ReadAll(resp.Body); err != nil {
		t.Fatal(err)
	}
	if len(e.callSpans()) != 1 {
		t.Fatal("the call span did not end at EOF")
	}
}

func TestCall_NoBody(t *testing.T) {
	e := newEnv(t)
	rt := chain(nil, telemetry.Call(e.options()), func(http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 204, Body: http.NoBody, Request: r}, nil
		})
	})
	if _, err := rt.RoundTrip(getRequest(t, "http://example.com/x", "/x")); err != nil {
		t.Fatal(err)
	}
	if len(e.callSpans()) != 1 {
		t.Fatal("a response without a body did not end the call span")
	}
}

func TestCall_CountsEventsWhenOnlyMetricsAreOn(t *testing.T) {
	e := newEnv(t)
	opts := telemetry.Options{MeterProvider: e.mp} // global tracer: not recording
	srv := newServer(t, 503, 200)
	var sawRecording bool
	probe := func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			sawRecording = trace.SpanFromContext(r.Context()).IsRecording()
			return next.RoundTrip(r)
		})
	}
	rt := chain(srv.Client().Transport, telemetry.Call(opts), probe, fakeRetry(3), telemetry.Attempt(opts))
	if _, err := do(t, rt, finderRequest(t, context.Background(), srv.URL, "")); err != nil {
		t.Fatal(err)
	}
	if !sawRecording {
		t.Error("the call span is not recording while metrics are: guarded AddEvent calls would be lost")
	}
	m := e.metrics(t)
	if got := total(t, m[telemetry.RetriesName]); got != 1 {
		t.Errorf("%s = %d, want 1", telemetry.RetriesName, got)
	}
	if got := total(t, m[telemetry.AttemptsName]); got != 2 {
		t.Errorf("%s = %d, want 2", telemetry.AttemptsName, got)
	}
}

func TestCall_AttributesHook(t *testing.T) {
	e := newEnv(t)
	opts := e.options()
	var calls int
	opts.Attributes = func(r *http.Request) []attribute.KeyValue {
		calls++
		return []attribute.KeyValue{attribute.String("tenant", "acme"), attribute.String("restli.method", "overridden")}
	}
	srv := newServer(t, 200)
	rt := chain(srv.Client().Transport, telemetry.Call(opts), telemetry.Attempt(opts))
	if _, err := do(t, rt, finderRequest(t, context.Background(), srv.URL, "")); err != nil {
		t.Fatal(err)
	}
	if calls != 2 {
		t.Errorf("hook called %d times, want 2 (once per layer)", calls)
	}
	for _, s := range e.spans() {
		wantAttrs(t, s.Name(), s.Attributes(), map[string]any{"tenant": "acme", "restli.method": "finder"})
	}
	m := e.metrics(t)
	for _, name := range []string{telemetry.OperationDurationName, "http.client.request.duration"} {
		for _, dp := range histogram(t, m[name]) {
			wantAttrs(t, name, dp.Attributes.ToSlice(), map[string]any{"tenant": "acme", "restli.method": "finder"})
		}
	}
}

// With a no-op TracerProvider, Call records metrics and leaves the caller's
// span alone.
func TestCall_NoopTracerLeavesCallersSpanAlone(t *testing.T) {
	e := newEnv(t)
	opts := telemetry.Options{TracerProvider: tracenoop.NewTracerProvider(), MeterProvider: e.mp}
	srv := newServer(t, 503, 200)
	rt := chain(srv.Client().Transport, telemetry.Call(opts), fakeRetry(2), telemetry.Attempt(opts))
	ctx, parent := e.tp.Tracer("app").Start(context.Background(), "handler")
	if _, err := do(t, rt, finderRequest(t, ctx, srv.URL, "")); err != nil {
		t.Fatal(err)
	}
	parent.End()
	spans := e.spans()
	if len(spans) != 1 {
		t.Fatalf("%d spans, want only the caller's", len(spans))
	}
	if len(spans[0].Attributes()) != 0 || len(spans[0].Events()) != 0 {
		t.Errorf("the caller's span got %v and events %v", spans[0].Attributes(), spans[0].Events())
	}
	if got := total(t, e.metrics(t)[telemetry.RetriesName]); got != 1 {
		t.Errorf("%s = %d, want 1", telemetry.RetriesName, got)
	}
}
