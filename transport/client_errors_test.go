package transport_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/transport"
	"golang.org/x/oauth2"
)

const stackCanary = "CANARY-STACK-TOKEN-51d0"

// fastRetry keeps retry waits short in tests.
var fastRetry = transport.WithRetry(middleware.RetryOptions{MaxAttempts: 3, RetryWaitMin: time.Millisecond, RetryWaitMax: 2 * time.Millisecond})

func TestRestliClient_ThroughStack_ClassifiesFailedWrites(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String()
	ln.Close()

	var hits atomic.Int32
	cut := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		io.ReadAll(r.Body)
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	}))
	defer cut.Close()

	ctx := context.Background()
	create := restli.CreateRequest{ResourcePath: "/adAccounts", Entity: map[string]any{"name": "x"}}

	// Refused connection: the create never left, so it was not applied.
	c := restli.NewClient(transport.NewClient(fastRetry, transport.WithoutTelemetry()), restli.WithBaseURL(refused))
	_, err = c.Create(ctx, create)
	var te *restli.TransportError
	if !errors.As(err, &te) || te.MaybeApplied || errors.Is(err, restli.ErrMaybeApplied) {
		t.Errorf("refused create: err = %v, want a TransportError that was not applied", err)
	}

	// Connection cut after the server read the request: sent once, and
	// reported as possibly applied.
	c = restli.NewClient(transport.NewClient(fastRetry, transport.WithoutTelemetry()), restli.WithBaseURL(cut.URL))
	_, err = c.Create(ctx, create)
	if !errors.Is(err, restli.ErrMaybeApplied) {
		t.Errorf("cut create: err = %v, want ErrMaybeApplied", err)
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("cut create reached the server %d times, want 1", n)
	}

	// An open breaker refuses without sending: not applied.
	hits.Store(0)
	c = restli.NewClient(transport.NewClient(transport.WithoutRetry(), transport.WithoutTelemetry(),
		transport.WithCircuitBreaker(middleware.BreakerOptions{FailureThreshold: 1, OpenTimeout: time.Minute})), restli.WithBaseURL(cut.URL))
	c.Create(ctx, create) // opens the breaker
	_, err = c.Create(ctx, create)
	if !errors.Is(err, middleware.ErrCircuitOpen) || errors.Is(err, restli.ErrMaybeApplied) {
		t.Errorf("breaker-refused create: err = %v, want ErrCircuitOpen and not maybe-applied", err)
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("server saw %d requests, want 1 (the second was refused by the breaker)", n)
	}
}

func TestRestliClient_ThroughStack_NeverLeaksCanary(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/slow":
			<-r.Context().Done()
		case "/cut":
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		default:
			w.WriteHeader(503)
		}
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	var logs bytes.Buffer
	hc := transport.NewClient(fastRetry, transport.WithoutTelemetry(),
		transport.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: stackCanary})),
		transport.WithTokenHosts(host),
		transport.WithLogging(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})), middleware.LoggingOptions{LogBodies: true}))
	c := restli.NewClient(hc, restli.WithBaseURL(srv.URL))

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	params := map[string]any{"token": stackCanary, "search": map[string]any{"k": stackCanary}}
	var errs []error
	for _, path := range []string{"/x", "/cut", "/slow"} {
		_, err := c.Finder(ctx, restli.FinderRequest{ResourcePath: path, FinderName: "f", QueryParams: params})
		errs = append(errs, err)
		_, err = c.Create(ctx, restli.CreateRequest{ResourcePath: path, Entity: map[string]any{"name": "x"}, AccessToken: stackCanary})
		errs = append(errs, err)
	}
	for i, err := range errs {
		if err == nil {
			t.Errorf("call %d: no error", i)
			continue
		}
		if strings.Contains(err.Error(), stackCanary) {
			t.Errorf("call %d: error leaks the canary: %v", i, err)
		}
	}
	if logs.Len() == 0 {
		t.Error("no log lines written")
	}
	if strings.Contains(logs.String(), stackCanary) {
		t.Errorf("logs leak the canary:\n%s", logs.String())
	}
}
