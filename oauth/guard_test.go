// Tests that credentials the token layer did not add (per-call tokens,
// hand-set headers) obey the host allow-list and the https-only rule, on
// the first hop and after every redirect.

package oauth

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/restli"
)

func TestMiddleware_PerCallTokenObeysHostRules(t *testing.T) {
	tests := []struct {
		url     string
		wantErr error // nil: sent with the per-call token
	}{
		{"https://api.linkedin.com/rest/me", nil},
		{"http://api.linkedin.com/rest/me", ErrInsecureTransport},
		{"https://evil.example/rest/me", ErrHostNotAllowed},
		{"https://sub.api.linkedin.com/rest/me", ErrHostNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			src := &countingSource{tok: "layer-token"}
			next := &recordingTransport{}
			rt := Middleware(src, MiddlewareOptions{})(next)
			req, _ := http.NewRequest(http.MethodGet, tt.url, nil)
			req.Header.Set("Authorization", "Bearer per-call-canary")
			resp, err := rt.RoundTrip(req)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if len(next.auth) != 1 || next.auth[0] != "Bearer per-call-canary" {
					t.Errorf("sent %q", next.auth)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) || !errors.Is(err, restli.ErrNotSent) || !errors.Is(err, restli.ErrPermanent) {
				t.Errorf("err = %v, want %v wrapping ErrNotSent and ErrPermanent", err, tt.wantErr)
			}
			if len(next.auth) != 0 {
				t.Errorf("a request was sent: %q", next.auth)
			}
		})
	}
}

// redirectPair starts b, and a that redirects every request to b (or to
// itself once, when sameOrigin is set), and records the Authorization
// each saw.
func redirectPair(t *testing.T, sameOrigin bool) (a, b *httptest.Server, sawA, sawB *atomic.Value) {
	sawA, sawB = new(atomic.Value), new(atomic.Value)
	sawB.Store("-")
	b = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawB.Store(r.Header.Get("Authorization"))
	}))
	t.Cleanup(b.Close)
	a = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/landing" {
			sawA.Store(r.Header.Get("Authorization"))
			return
		}
		if sameOrigin {
			http.Redirect(w, r, "/landing", http.StatusTemporaryRedirect)
			return
		}
		http.Redirect(w, r, b.URL+"/landing", http.StatusTemporaryRedirect)
	}))
	t.Cleanup(a.Close)
	return a, b, sawA, sawB
}

// TestMiddleware_PerCallTokenStrippedOnRedirect: net/http keeps
// Authorization on a redirect to another port of the same host name; the
// token layer strips a per-call credential on a hop to a host it does not
// allow.
func TestMiddleware_PerCallTokenStrippedOnRedirect(t *testing.T) {
	a, _, _, sawB := redirectPair(t, false)
	base := &http.Transport{}
	t.Cleanup(base.CloseIdleConnections)
	client := &http.Client{Transport: Middleware(&countingSource{tok: "layer"}, MiddlewareOptions{AllowHosts: []string{a.Listener.Addr().String()}})(base)}
	req, _ := http.NewRequest(http.MethodGet, a.URL+"/start", nil)
	req.Header.Set("Authorization", "Bearer per-call-canary")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if got := sawB.Load().(string); got != "" {
		t.Errorf("redirect target saw Authorization %q", got)
	}
}

func TestGuard_StripsCredentialOnCrossOriginRedirect(t *testing.T) {
	for _, same := range []bool{false, true} {
		a, _, sawA, sawB := redirectPair(t, same)
		base := &http.Transport{}
		t.Cleanup(base.CloseIdleConnections)
		client := &http.Client{Transport: Guard(MiddlewareOptions{})(base)}
		req, _ := http.NewRequest(http.MethodGet, a.URL+"/start", nil)
		req.Header.Set("Authorization", "Bearer per-call-canary")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if same {
			if got, _ := sawA.Load().(string); got != "Bearer per-call-canary" {
				t.Errorf("same-origin redirect: credential %q, want it kept", got)
			}
		} else if got := sawB.Load().(string); got != "" {
			t.Errorf("cross-origin redirect: target saw %q", got)
		}
	}
}

func TestGuard_RefusesCredentialOverPlainHTTP(t *testing.T) {
	next := &recordingTransport{}
	for _, tt := range []struct {
		url  string
		sent bool
	}{
		{"http://api.example.test/x", false},
		{"http://127.0.0.1:9/x", true},
		{"https://api.example.test/x", true},
	} {
		req, _ := http.NewRequest(http.MethodGet, tt.url, nil)
		req.Header.Set("Authorization", "Bearer c")
		resp, err := Guard(MiddlewareOptions{})(next).RoundTrip(req)
		if tt.sent != (err == nil) {
			t.Errorf("%s: err = %v, want sent=%v", tt.url, err, tt.sent)
		}
		if err == nil {
			resp.Body.Close()
		} else if !errors.Is(err, ErrInsecureTransport) || !errors.Is(err, restli.ErrNotSent) {
			t.Errorf("%s: err = %v", tt.url, err)
		}
	}
	// Without a credential, the guard lets anything through.
	req, _ := http.NewRequest(http.MethodGet, "http://api.example.test/x", nil)
	if resp, err := Guard(MiddlewareOptions{})(next).RoundTrip(req); err != nil {
		t.Errorf("no credential: %v", err)
	} else {
		resp.Body.Close()
	}
}

// failingRefreshSource hands out "stale" until Invalidate, then fails.
type failingRefreshSource struct {
	invalidated atomic.Bool
}

func (s *failingRefreshSource) Token() (*oauth2.Token, error) {
	if s.invalidated.Load() {
		return nil, &Error{StatusCode: 503, Code: "temporarily_unavailable"}
	}
	return &oauth2.Token{AccessToken: "stale"}, nil
}

func (s *failingRefreshSource) Invalidate(string) { s.invalidated.Store(true) }

// TestMiddleware_FailedRefreshAfter401IsNotSentAndPermanent: the replay
// after a 401 was never sent and the server refused the first attempt, so
// the error says "not sent" (never "maybe applied") and "permanent" (the
// retry layer does not resend it).
func TestMiddleware_FailedRefreshAfter401IsNotSentAndPermanent(t *testing.T) {
	next := &recordingTransport{status: func(*http.Request) int { return http.StatusUnauthorized }}
	rt := Middleware(&failingRefreshSource{}, MiddlewareOptions{})(next)
	req, _ := http.NewRequest(http.MethodPost, "https://api.linkedin.com/rest/posts", strings.NewReader("{}"))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("{}")), nil }
	_, err := rt.RoundTrip(req)
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, restli.ErrNotSent) || !errors.Is(err, restli.ErrPermanent) {
		t.Fatalf("err = %v, want the refresh error wrapping ErrNotSent and ErrPermanent", err)
	}
	if len(next.reqs) != 1 {
		t.Errorf("%d requests sent, want 1", len(next.reqs))
	}
}
