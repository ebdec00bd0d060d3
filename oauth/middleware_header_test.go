package oauth

import (
	"net/http"
	"testing"

	"golang.org/x/oauth2"
)

// TestMiddleware_HeaderGoesIntoTheTokenCopy checks MiddlewareOptions.Header:
// it runs on the layer's own copy of a request it sets a token on, never
// on the caller's request, and not at all for requests it leaves alone.
func TestMiddleware_HeaderGoesIntoTheTokenCopy(t *testing.T) {
	calls := 0
	opts := MiddlewareOptions{
		AllowHosts: []string{"api.linkedin.com"},
		Header: func(req *http.Request, h http.Header) {
			calls++
			if _, ok := h["Authorization"]; !ok {
				t.Error("Header ran before the token was in the copy")
			}
			h["X-Added"] = []string{"1"}
		},
	}
	var sent http.Header
	layer := Middleware(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "tok-canary-1234"}), opts)(
		roundTripFunc(func(r *http.Request) (*http.Response, error) {
			sent = r.Header
			return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
		}))
	tests := []struct {
		name      string
		url, auth string
		wantCalls int
	}{
		{"token set by the layer", "https://api.linkedin.com/rest/me", "", 1},
		{"token set by the caller", "https://api.linkedin.com/rest/me", "Bearer mine-1234567", 0},
		{"host not allowed", "https://example.com/x", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls = 0
			req, _ := http.NewRequest(http.MethodGet, tt.url, nil)
			req.Header.Set("Accept", "application/json")
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			before := req.Header.Clone()
			if _, err := layer.RoundTrip(req); err != nil {
				t.Fatal(err)
			}
			if calls != tt.wantCalls {
				t.Errorf("Header ran %d times, want %d", calls, tt.wantCalls)
			}
			if got := sent.Get("X-Added") != ""; got != (tt.wantCalls == 1) {
				t.Errorf("X-Added sent: %v, want %v", got, tt.wantCalls == 1)
			}
			if len(req.Header) != len(before) || req.Header.Get("X-Added") != "" || req.Header.Get("Authorization") != before.Get("Authorization") {
				t.Errorf("caller's header changed: %v, was %v", req.Header, before)
			}
		})
	}
}
