// The secrets audit of the paths a hostile server opens: redirects,
// token endpoint JSON in logs, echoed Location headers, error_description.

package reliability_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/oauth"
	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/transport"
)

// TestSecrets_NewPaths extends the secrets audit to the paths a hostile
// server opens: a per-call token on a redirect to another host, the token
// endpoint's JSON answer logged with LogBodies, a token echoed into an
// unparsable Location header, and an x/oauth2 error_description echoing the
// refresh token and the client secret. Every error, log line, span and
// metric is scanned for the canaries, and so is what the redirect target
// received.
func TestSecrets_NewPaths(t *testing.T) {
	a := newAudit()
	var logs bytes.Buffer
	var logMu sync.Mutex
	logger := slog.New(slog.NewJSONHandler(lockedWriter{&logMu, &logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	sink := newTelemetrySink()
	stack := func(extra ...transport.Option) *http.Client {
		base := transport.NewBaseTransport()
		base.Proxy = nil
		t.Cleanup(base.CloseIdleConnections)
		return transport.NewClient(append([]transport.Option{
			transport.WithBase(base),
			transport.WithRetry(middleware.RetryOptions{RetryWaitMin: time.Millisecond, RetryWaitMax: 2 * time.Millisecond}),
			transport.WithLogging(logger, middleware.LoggingOptions{Level: slog.LevelDebug, LogBodies: true}),
			transport.WithTracerProvider(sink.tp),
			transport.WithMeterProvider(sink.mp),
		}, extra...)...)
	}

	// 1. A per-call token, redirected to another host (another port of
	// 127.0.0.1, which net/http treats as the same domain).
	var targetSaw atomic.Value
	targetSaw.Store("")
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		targetSaw.Store(r.Header.Get("Authorization") + " " + r.URL.String())
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":1}`)
	}))
	t.Cleanup(target.Close)
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	t.Cleanup(redirector.Close)
	perCall := canaryAccess + "percall"
	for _, opts := range [][]transport.Option{
		nil,
		{transport.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: canaryAccess + "layer"})),
			transport.WithTokenHosts(redirector.Listener.Addr().String())},
	} {
		c := restli.NewClient(stack(opts...), restli.WithBaseURL(redirector.URL))
		_, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/things/1", AccessToken: perCall})
		a.err("per-call token redirected", err)
		a.text("redirect target request", targetSaw.Load().(string))
	}

	// 2. The token endpoint's JSON answer, through a client with the
	// logging layer (LogBodies), on success and on an error echoing the
	// refresh token and the client secret.
	var fail atomic.Bool
	tokenEndpoint := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		if fail.Load() {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"error":"invalid_grant","error_description":"refresh token `+r.Form.Get("refresh_token")+` for secret `+r.Form.Get("client_secret")+` revoked"}`)
			return
		}
		io.WriteString(w, `{"access_token":"`+canaryAccess+`json","expires_in":3600,"refresh_token":"`+canaryRefresh+`json","id_token":"`+canaryAccess+`.idtoken"}`)
	}))
	t.Cleanup(tokenEndpoint.Close)
	logged := stack(transport.WithoutRetry())
	cfg := &oauth.Config{ClientID: canaryClient, ClientSecret: canarySecret, TokenURL: tokenEndpoint.URL, HTTPClient: logged}
	tok, err := cfg.Refresh(context.Background(), canaryRefresh+"old")
	a.err("refresh", err)
	if tok == nil || !strings.HasPrefix(tok.AccessToken, canaryAccess) {
		t.Fatalf("refresh: %v %v", tok, err)
	}
	fail.Store(true)
	_, err = cfg.Refresh(context.Background(), canaryRefresh+"old")
	a.err("refresh rejected", err)

	// 3. x/oauth2 token sources: error_description echoing the refresh
	// token and the client secret, both auth styles.
	for _, style := range []oauth2.AuthStyle{oauth2.AuthStyleInParams, oauth2.AuthStyleInHeader} {
		xcfg := &oauth2.Config{ClientID: canaryClient, ClientSecret: canarySecret,
			Endpoint: oauth2.Endpoint{TokenURL: tokenEndpoint.URL, AuthStyle: style}}
		ctx := context.WithValue(context.Background(), oauth2.HTTPClient, logged)
		xts := xcfg.TokenSource(ctx, &oauth2.Token{AccessToken: "expired", RefreshToken: canaryRefresh + "x", Expiry: time.Now().Add(-time.Hour)})
		c := restli.NewClient(stack(transport.WithTokenSource(xts), transport.WithTokenHosts(target.Listener.Addr().String())), restli.WithBaseURL(target.URL))
		_, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/things/1"})
		if err == nil {
			t.Fatal("x/oauth2 source: no error")
		}
		a.err("x/oauth2 error_description", err)
	}

	// 4. A token echoed into a Location header that does not parse.
	for _, loc := range []string{"%zz" + perCall, "https://" + perCall + "@h:port/", "http://[::1%zz]/x?access_token=" + perCall} {
		echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header()["Location"] = []string{loc}
			w.WriteHeader(http.StatusFound)
		}))
		t.Cleanup(echo.Close)
		c := restli.NewClient(stack(), restli.WithBaseURL(echo.URL))
		_, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/things/1", AccessToken: perCall})
		if err == nil {
			t.Fatalf("Location %q: no error", loc)
		}
		a.err("echoed Location", err)
	}

	logMu.Lock()
	for _, line := range strings.Split(logs.String(), "\n") {
		a.text("log:line", line)
	}
	logMu.Unlock()
	spans, points := sink.check(t, a)
	if spans == 0 || points == 0 {
		t.Errorf("telemetry recorded %d spans, %d points", spans, points)
	}
	a.report(t)
}
