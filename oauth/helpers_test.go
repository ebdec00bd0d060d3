package oauth

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"
)

// Canary credentials: distinctive strings that must never appear in an error.
const (
	canaryAccess   = "CANARY-ACCESS-TOKEN-4f1d2c"
	canaryRefresh  = "CANARY-REFRESH-TOKEN-9a7e3b"
	canarySecret   = "CANARY-CLIENT-SECRET-/+=5c2d"
	canaryCode     = "CANARY-AUTH-CODE-7b8c1e"
	canaryVerifier = "CANARY-PKCE-VERIFIER-3e6f0a-0123456789012345678901234567"
)

// fixedNow is the clock of every test that computes expiry times.
var fixedNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// fakeClock is a settable clock safe for concurrent use.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: fixedNow} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// recorded is one request the fake OAuth server received.
type recorded struct {
	Method      string
	Path        string
	ContentType string
	Form        url.Values
}

// oauthServer is an httptest OAuth server: it records every request and
// answers with the handler the test sets.
type oauthServer struct {
	*httptest.Server
	mu      sync.Mutex
	reqs    []recorded
	handler func(w http.ResponseWriter, r *http.Request, form url.Values)
}

func newOAuthServer(t *testing.T, h func(w http.ResponseWriter, r *http.Request, form url.Values)) *oauthServer {
	t.Helper()
	s := &oauthServer{handler: h}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, err := url.ParseQuery(string(body))
		if err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		s.mu.Lock()
		s.reqs = append(s.reqs, recorded{r.Method, r.URL.Path, r.Header.Get("Content-Type"), form})
		h := s.handler
		s.mu.Unlock()
		h(w, r, form)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *oauthServer) requests() []recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]recorded(nil), s.reqs...)
}

func (s *oauthServer) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reqs)
}

// config returns a Config wired to the server with the fixed clock.
func (s *oauthServer) config() *Config {
	return &Config{
		ClientID:      "client-id",
		ClientSecret:  canarySecret,
		RedirectURL:   "https://app.example/callback",
		HTTPClient:    s.Client(),
		AuthURL:       s.URL + "/oauth/v2/authorization",
		TokenURL:      s.URL + "/oauth/v2/accessToken",
		IntrospectURL: s.URL + "/oauth/v2/introspectToken",
		now:           func() time.Time { return fixedNow },
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// tokenJSON answers with a token response.
func tokenJSON(access, refresh string) func(http.ResponseWriter, *http.Request, url.Values) {
	return func(w http.ResponseWriter, _ *http.Request, _ url.Values) {
		m := map[string]any{"access_token": access, "expires_in": 5184000, "scope": "openid,profile"}
		if refresh != "" {
			m["refresh_token"] = refresh
			m["refresh_token_expires_in"] = 31536000
		}
		writeJSON(w, http.StatusOK, m)
	}
}
