package reliability_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
	"github.com/linkedin-go/linkedin/transport"
)

// The tests in this file pin one guarantee of RELIABILITY.md each, with a
// single deterministic fault, through the full default stack.

// stackClient returns a restli client over the default stack to srv with
// fast retries, and a func counting the API requests srv received.
func stackClient(t *testing.T, srv *restlitest.Server, extra ...transport.Option) (*restli.Client, func() int) {
	t.Helper()
	base := transport.NewBaseTransport()
	base.Proxy = nil
	t.Cleanup(base.CloseIdleConnections)
	opts := append([]transport.Option{
		transport.WithBase(base),
		transport.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: srv.Token()})),
		transport.WithTokenHosts(strings.TrimPrefix(srv.URL, "http://")),
		transport.WithVersion(restlitest.DefaultVersion),
		transport.WithRetry(middleware.RetryOptions{RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond, MaxRetryAfter: time.Second}),
	}, extra...)
	c := restli.NewClient(transport.NewClient(opts...), restli.WithBaseURL(srv.URL+"/rest"), restli.WithVersion(restlitest.DefaultVersion))
	return c, func() int {
		return srv.Count(func(r restlitest.Request) bool { return strings.HasPrefix(r.Path, "/rest/") })
	}
}

func newFaultServer(t *testing.T) *restlitest.Server {
	t.Helper()
	srv := restlitest.NewServer()
	t.Cleanup(srv.Close)
	srv.Seed("/things", 1, map[string]any{"id": 1})
	return srv
}

// A CREATE that the server applied and then answered 5xx is sent once and
// its error says it may have been applied.
func TestGuarantee_Create5xxAfterApplyIsMaybeApplied(t *testing.T) {
	for _, status := range []int{500, 502, 503, 504} {
		srv := newFaultServer(t)
		c, served := stackClient(t, srv)
		srv.Fail(restlitest.Fault{Method: restli.MethodCreate, Status: status, AfterApply: true})
		_, err := c.Create(context.Background(), restli.CreateRequest{ResourcePath: "/made", Entity: map[string]any{"a": 1}})
		var re *restli.Error
		if !errors.As(err, &re) || re.StatusCode != status {
			t.Fatalf("%d after apply: %v", status, err)
		}
		if !errors.Is(err, restli.ErrMaybeApplied) {
			t.Errorf("%d after apply: error does not match restli.ErrMaybeApplied: %v", status, err)
		}
		if served() != 1 || srv.Collection("/made").Len() != 1 {
			t.Errorf("%d after apply: %d requests, %d stored; want 1 and 1", status, served(), srv.Collection("/made").Len())
		}
	}
	// A GET's 5xx is retried and never "maybe applied"; a CREATE's 4xx and
	// 501 are not either.
	srv := newFaultServer(t)
	c, served := stackClient(t, srv)
	srv.Fail(restlitest.Fault{Method: restli.MethodGet, Status: 503, Times: 4})
	_, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": 1}})
	if errors.Is(err, restli.ErrMaybeApplied) || served() != 4 {
		t.Errorf("GET 503 x4: %v after %d requests", err, served())
	}
	for _, status := range []int{400, 409, 501} {
		srv.Fail(restlitest.Fault{Method: restli.MethodCreate, Status: status})
		_, err = c.Create(context.Background(), restli.CreateRequest{ResourcePath: "/made", Entity: map[string]any{"a": 1}})
		if !errors.As(err, new(*restli.Error)) || errors.Is(err, restli.ErrMaybeApplied) {
			t.Errorf("CREATE %d: %v", status, err)
		}
	}
}

// A CREATE whose connection is reset after the server applied it reports
// that it may have been applied, and is not resent.
func TestGuarantee_CreateResetAfterApply(t *testing.T) {
	srv := newFaultServer(t)
	c, served := stackClient(t, srv)
	srv.Fail(restlitest.Fault{Method: restli.MethodCreate, Reset: true, AfterApply: true})
	_, err := c.Create(context.Background(), restli.CreateRequest{ResourcePath: "/made", Entity: map[string]any{"a": 1}})
	var te *restli.TransportError
	if !errors.As(err, &te) || !te.MaybeApplied || !errors.Is(err, restli.ErrMaybeApplied) {
		t.Fatalf("reset after apply: %v", err)
	}
	if served() != 1 || srv.Collection("/made").Len() != 1 {
		t.Fatalf("%d requests, %d stored", served(), srv.Collection("/made").Len())
	}
}

// 429 is resent for every method, Retry-After honoured up to the cap; a
// longer Retry-After ends the call at once with the 429.
func TestGuarantee_429(t *testing.T) {
	srv := newFaultServer(t)
	c, served := stackClient(t, srv)
	srv.Fail(restlitest.Fault{Method: restli.MethodCreate, Status: 429, RetryAfter: "1"})
	start := time.Now()
	if _, err := c.Create(context.Background(), restli.CreateRequest{ResourcePath: "/made", Entity: map[string]any{"a": 1}}); err != nil {
		t.Fatalf("CREATE after a 429: %v", err)
	}
	if d := time.Since(start); d < 900*time.Millisecond || served() != 2 || srv.Collection("/made").Len() != 1 {
		t.Fatalf("CREATE after 429 Retry-After 1: %v, %d requests, %d stored", d, served(), srv.Collection("/made").Len())
	}
	srv.Fail(restlitest.Fault{Method: restli.MethodGet, Status: 429, RetryAfter: "120"})
	before := served()
	start = time.Now()
	_, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": 1}})
	if !restli.IsThrottled(err) || served()-before != 1 || time.Since(start) > 500*time.Millisecond {
		t.Fatalf("Retry-After beyond the cap: %v after %d requests in %v", err, served()-before, time.Since(start))
	}
}

// A request that cannot be tunneled is refused before the network, is not
// resent, is not a host failure for the breaker and is never "maybe
// applied".
func TestGuarantee_TunnelErrorIsNotAHostFailure(t *testing.T) {
	srv := newFaultServer(t)
	var attempts atomic.Int32
	c, served := stackClient(t, srv,
		transport.WithCircuitBreaker(middleware.BreakerOptions{FailureThreshold: 2, OpenTimeout: time.Hour}),
		transport.WithPerAttempt(func(next http.RoundTripper) http.RoundTripper {
			return rtFunc(func(r *http.Request) (*http.Response, error) { attempts.Add(1); return next.RoundTrip(r) })
		}))
	long := map[string]any{"pad": strings.Repeat("p", 5000)}
	key := strings.Repeat("k", 5000)
	for i := 0; i < 5; i++ {
		_, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": key}, QueryParams: long})
		var te *middleware.TunnelError
		if !errors.As(err, &te) || !errors.Is(err, restli.ErrNotSent) {
			t.Fatalf("untunnelable GET: %v", err)
		}
		_, err = c.Create(context.Background(), restli.CreateRequest{ResourcePath: "/made/{id}/sub", PathKeys: map[string]any{"id": key}, QueryParams: long, Entity: map[string]any{}})
		if !errors.As(err, &te) || errors.Is(err, restli.ErrMaybeApplied) {
			t.Fatalf("untunnelable CREATE: %v", err)
		}
	}
	if n := attempts.Load(); n != 10 {
		t.Errorf("%d attempts for 10 untunnelable calls: a TunnelError must not be resent", n)
	}
	if _, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": 1}}); err != nil {
		t.Fatalf("a healthy call after client-side refusals: %v (the breaker counted them as host failures)", err)
	}
	if served() != 1 {
		t.Fatalf("%d requests reached the server", served())
	}
}

// A context cancelled during a backoff wait ends the call at once.
func TestGuarantee_CancelDuringBackoff(t *testing.T) {
	srv := newFaultServer(t)
	c, _ := stackClient(t, srv, transport.WithRetry(middleware.RetryOptions{RetryWaitMin: 10 * time.Second, RetryWaitMax: 10 * time.Second}))
	srv.Fail(restlitest.Fault{Method: restli.MethodGet, Status: 503, Times: -1})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.Get(ctx, restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": 1}})
	if !errors.Is(err, context.Canceled) || time.Since(start) > 2*time.Second {
		t.Fatalf("cancelled during a 10s backoff: %v after %v", err, time.Since(start))
	}
}

// A 401 makes the oauth layer refresh once and replay once.
func TestGuarantee_401RefreshAndReplay(t *testing.T) {
	srv := restlitest.NewServer()
	t.Cleanup(srv.Close)
	srv.Seed("/things", 1, map[string]any{"id": 1})
	cfg := srv.OAuthConfig()
	c, served := stackClient(t, srv, transport.WithTokenSource(cfg.ClientCredentialsTokenSource()))
	if _, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": 1}}); err != nil {
		t.Fatal(err)
	}
	srv.ExpireTokens()
	before := served()
	if _, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": 1}}); err != nil {
		t.Fatalf("after the token expired: %v", err)
	}
	if n := served() - before; n != 2 {
		t.Fatalf("%d API requests for a 401 and its replay, want 2", n)
	}
}

// Malformed 2xx bodies and partial batch failures are typed.
func TestGuarantee_MalformedAndPartial(t *testing.T) {
	srv := newFaultServer(t)
	c, _ := stackClient(t, srv)
	srv.Fail(restlitest.Fault{Method: restli.MethodGet, Status: 200, Body: `{"id":`})
	_, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": 1}})
	var de *restli.ResponseBodyError
	if !errors.As(err, &de) {
		t.Fatalf("truncated 200: %v", err)
	}
	r, err := c.BatchGet(context.Background(), restli.BatchGetRequest{ResourcePath: "/things", IDs: []any{1, 2}})
	if err != nil || len(r.Results) != 1 || r.Errors["2"] == nil || r.Errors["2"].StatusCode != 404 {
		t.Fatalf("partial BATCH_GET: %+v, %v", r, err)
	}
}
