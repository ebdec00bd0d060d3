// Guarantee tests of request construction and credentials through the
// default stack: control characters refused before the wire, per-call
// tokens under the host rules, a failed refresh after a 401 not resent.

package reliability_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/oauth"
	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/transport"
)

// The tests in this file pin the request-construction and credential
// guarantees of RELIABILITY.md through the full default stack: a control
// character in a configured header or a token is a typed refusal with no
// wire attempt and no breaker failure, and a credential set per call obeys
// the host rules, redirects included.

// TestGuarantee_ControlCharacterInUserAgentOrVersionIsNotSentNorABreakerFailure:
// before, net/http refused the header after the breaker counted the attempt,
// so five such calls opened the breaker for a healthy host.
func TestGuarantee_ControlCharacterInUserAgentOrVersionIsNotSentNorABreakerFailure(t *testing.T) {
	for name, opt := range map[string]transport.Option{
		"WithUserAgent": transport.WithUserAgent("app/1\r\nX-Evil: 1"),
		"WithVersion":   transport.WithVersion("2026\n01"),
	} {
		t.Run(name, func(t *testing.T) {
			srv := newFaultServer(t)
			c, served := stackClient(t, srv, opt)
			for i := range 8 {
				var err error
				if i%2 == 0 && name == "WithUserAgent" {
					_, err = c.Create(context.Background(), restli.CreateRequest{ResourcePath: "/made", Entity: map[string]any{"a": 1}})
				} else {
					// A Rest.li request built by hand, without a LinkedIn-Version.
					req, _ := http.NewRequest(http.MethodGet, srv.URL+"/rest/things/1", nil)
					req.Header.Set("X-RestLi-Method", "get")
					var resp *http.Response
					if resp, err = c.HTTPClient().Do(req); err == nil {
						resp.Body.Close()
					}
				}
				var ve *restli.ValidationError
				if !errors.As(err, &ve) || !errors.Is(err, restli.ErrNotSent) || errors.Is(err, restli.ErrMaybeApplied) {
					t.Fatalf("err = %v, want a ValidationError, not sent, not maybe applied", err)
				}
			}
			if n := served(); n != 0 {
				t.Fatalf("%d requests reached the server", n)
			}
			// The breaker did not open: a call that brings its own headers goes through.
			_, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": 1},
				Header: http.Header{"User-Agent": {"own"}, "Linkedin-Version": {"202601"}}})
			if errors.Is(err, middleware.ErrCircuitOpen) {
				t.Fatalf("breaker opened on refusals: %v", err)
			}
		})
	}
}

// TestGuarantee_ControlCharacterInTokenIsNotSentNorABreakerFailure: a token
// source that hands out a token net/http cannot send is a typed refusal,
// never a wire attempt or a host failure.
func TestGuarantee_ControlCharacterInTokenIsNotSentNorABreakerFailure(t *testing.T) {
	srv := newFaultServer(t)
	var bad atomic.Bool
	bad.Store(true)
	ts := tokenSourceFunc(func() (*oauth2.Token, error) {
		if bad.Load() {
			return &oauth2.Token{AccessToken: srv.Token() + "\r\nX-Evil: 1"}, nil
		}
		return &oauth2.Token{AccessToken: srv.Token()}, nil
	})
	c, served := stackClient(t, srv, transport.WithTokenSource(ts))
	for range 8 {
		_, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": 1}})
		var ve *restli.ValidationError
		if !errors.As(err, &ve) || !errors.Is(err, restli.ErrNotSent) {
			t.Fatalf("err = %v, want a ValidationError, not sent", err)
		}
	}
	if n := served(); n != 0 {
		t.Fatalf("%d requests reached the server", n)
	}
	bad.Store(false)
	if _, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": 1}}); err != nil {
		t.Fatalf("after a good token: %v", err)
	}
}

// TestGuarantee_PerCallTokenObeysHostRules: a per-call AccessToken through
// the default stack goes only where a token may go, with or without a token
// source, and is dropped on a redirect to another origin.
func TestGuarantee_PerCallTokenObeysHostRules(t *testing.T) {
	const canary = "per-call-canary-token-5150"
	var sawB atomic.Value
	sawB.Store("-")
	b := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawB.Store(r.Header.Get("Authorization"))
		w.Write([]byte(`{"id":1}`))
	}))
	t.Cleanup(b.Close)
	a := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, b.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	t.Cleanup(a.Close)
	for name, opts := range map[string][]transport.Option{
		"without a token source": nil,
		"with a token source": {
			transport.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "layer"})),
			transport.WithTokenHosts(a.Listener.Addr().String()),
		},
	} {
		sawB.Store("-")
		base := transport.NewBaseTransport()
		t.Cleanup(base.CloseIdleConnections)
		hc := transport.NewClient(append([]transport.Option{transport.WithBase(base), transport.WithoutRetry()}, opts...)...)
		c := restli.NewClient(hc, restli.WithBaseURL(a.URL))
		if _, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/x/1", AccessToken: canary}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := sawB.Load().(string); got != "" {
			t.Errorf("%s: the redirect target saw Authorization %q", name, got)
		}
		// Plain http to a host that is not loopback: refused, nothing sent.
		c = restli.NewClient(hc, restli.WithBaseURL("http://api.example.test"))
		_, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/x/1", AccessToken: canary})
		if !errors.Is(err, restli.ErrNotSent) || !(errors.Is(err, oauth.ErrInsecureTransport) || errors.Is(err, oauth.ErrHostNotAllowed)) {
			t.Errorf("%s: plain http: err = %v", name, err)
		}
	}
}

// staleSource hands out a token the server rejects until Invalidate, then
// fails to refresh.
type staleSource struct{ invalidated atomic.Int32 }

func (s *staleSource) Token() (*oauth2.Token, error) {
	if s.invalidated.Load() > 0 {
		return nil, errors.New("token endpoint down")
	}
	return &oauth2.Token{AccessToken: "stale-token-not-issued"}, nil
}

func (s *staleSource) Invalidate(string) { s.invalidated.Add(1) }

// TestGuarantee_FailedRefreshAfter401IsNotResentNorMaybeApplied: the
// server refused the attempt (401) and the replay was never sent, so the
// retry layer does not resend it and a CREATE is not flagged.
func TestGuarantee_FailedRefreshAfter401IsNotResentNorMaybeApplied(t *testing.T) {
	for _, create := range []bool{false, true} {
		srv := newFaultServer(t)
		src := &staleSource{}
		c, served := stackClient(t, srv, transport.WithTokenSource(src))
		var err error
		if create {
			_, err = c.Create(context.Background(), restli.CreateRequest{ResourcePath: "/made", Entity: map[string]any{"a": 1}})
		} else {
			_, err = c.Get(context.Background(), restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": 1}})
		}
		if !errors.Is(err, restli.ErrNotSent) || errors.Is(err, restli.ErrMaybeApplied) {
			t.Errorf("create=%v: err = %v, want not sent, not maybe applied", create, err)
		}
		if n := served(); n != 1 {
			t.Errorf("create=%v: %d requests reached the server, want 1", create, n)
		}
	}
}
