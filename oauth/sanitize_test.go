// Tests that errors of x/oauth2 token sources and token endpoint answers
// with unusable tokens never carry a credential and never reach the wire.

package oauth

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// TestMiddleware_XOAuth2ErrorDescriptionEchoesScrubbed: an x/oauth2 token
// source whose endpoint echoes the refresh token and the client secret in
// error_description gives an error without either, whichever way x/oauth2
// sends the client credentials.
func TestMiddleware_XOAuth2ErrorDescriptionEchoesScrubbed(t *testing.T) {
	const (
		refresh = "x-oauth2-refresh-canary-8080"
		secret  = "x-oauth2-secret-canary+/=9"
	)
	for _, style := range []oauth2.AuthStyle{oauth2.AuthStyleInParams, oauth2.AuthStyleInHeader} {
		tokenSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"error":"invalid_grant","error_description":"refresh token `+refresh+` of client secret `+secret+` is revoked"}`)
		}))
		t.Cleanup(tokenSrv.Close)
		cfg := &oauth2.Config{ClientID: "app", ClientSecret: secret, Endpoint: oauth2.Endpoint{TokenURL: tokenSrv.URL, AuthStyle: style}}
		ctx := context.WithValue(context.Background(), oauth2.HTTPClient, tokenSrv.Client())
		ts := cfg.TokenSource(ctx, &oauth2.Token{AccessToken: "old", RefreshToken: refresh, Expiry: time.Now().Add(-time.Hour)})
		next := &recordingTransport{}
		req, _ := http.NewRequest(http.MethodGet, "https://api.linkedin.com/rest/me", nil)
		_, err := Middleware(ts, MiddlewareOptions{})(next).RoundTrip(req)
		if err == nil {
			t.Fatal("no error")
		}
		for _, c := range []string{refresh, secret, strings.ReplaceAll(secret, "+", "%2B")} {
			if strings.Contains(err.Error(), c) {
				t.Errorf("style %v: error shows %q: %v", style, c, err)
			}
		}
		if !errors.Is(err, ErrReauthorize) || len(next.reqs) != 0 {
			t.Errorf("style %v: err = %v, sent %d", style, err, len(next.reqs))
		}
	}
}

// TestParseToken_ControlCharacterIsMalformed: a token endpoint that hands
// out a token with CR, LF or NUL gives a malformed-response error, never a
// token that net/http would refuse to send.
func TestParseToken_ControlCharacterIsMalformed(t *testing.T) {
	for _, body := range []string{
		`{"access_token":"a\r\nX-Evil: 1","expires_in":60}`,
		`{"access_token":"a\u0000b","expires_in":60}`,
		`{"access_token":"ok","refresh_token":"r\nx","expires_in":60}`,
	} {
		_, err := parseToken([]byte(body), time.Now())
		if !errors.Is(err, ErrMalformedResponse) {
			t.Errorf("%s: err = %v, want ErrMalformedResponse", body, err)
		}
	}
}
