package oauth

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/linkedin"
)

func TestDefaultEndpoints_MatchXOAuth2LinkedIn(t *testing.T) {
	if DefaultAuthURL != linkedin.Endpoint.AuthURL || DefaultTokenURL != linkedin.Endpoint.TokenURL {
		t.Errorf("defaults %q %q differ from x/oauth2/linkedin %q %q", DefaultAuthURL, DefaultTokenURL, linkedin.Endpoint.AuthURL, linkedin.Endpoint.TokenURL)
	}
	if got := (&Config{}).oauth2Config().Endpoint.AuthStyle; got != oauth2.AuthStyleInParams {
		t.Errorf("AuthStyle = %v, want AuthStyleInParams", got)
	}
}

func TestAuthCodeURL_ParametersExact(t *testing.T) {
	tests := []struct {
		name  string
		cfg   Config
		state string
		opts  []oauth2.AuthCodeOption
		want  string
	}{
		{
			name:  "LinkedIn default endpoint, scopes joined with %20",
			cfg:   Config{ClientID: "cid", RedirectURL: "https://app.example/callback", Scopes: []string{"openid", "profile", "email"}},
			state: "st4te",
			want:  "https://www.linkedin.com/oauth/v2/authorization?client_id=cid&redirect_uri=https%3A%2F%2Fapp.example%2Fcallback&response_type=code&scope=openid%20profile%20email&state=st4te",
		},
		{
			name: "no scopes, no redirect, no state",
			cfg:  Config{ClientID: "cid"},
			want: "https://www.linkedin.com/oauth/v2/authorization?client_id=cid&response_type=code",
		},
		{
			name:  "one scope; a literal plus stays %2B",
			cfg:   Config{ClientID: "c+d", Scopes: []string{"r_ads"}, AuthURL: "http://127.0.0.1:1/auth"},
			state: "a+b c",
			want:  "http://127.0.0.1:1/auth?client_id=c%2Bd&response_type=code&scope=r_ads&state=a%2Bb%20c",
		},
		{
			name:  "extra option and AuthURL with a query",
			cfg:   Config{ClientID: "cid", AuthURL: "https://auth.example/authorize?tenant=x"},
			state: "s",
			opts:  []oauth2.AuthCodeOption{oauth2.SetAuthURLParam("prompt", "login")},
			want:  "https://auth.example/authorize?tenant=x&client_id=cid&prompt=login&response_type=code&state=s",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.cfg.AuthCodeURL(tt.state, tt.opts...)
			if got != tt.want {
				t.Errorf("AuthCodeURL =\n %s\nwant\n %s", got, tt.want)
			}
			// The %20 form decodes to the same values x/oauth2 meant.
			u, err := url.Parse(got)
			if err != nil {
				t.Fatal(err)
			}
			if len(tt.cfg.Scopes) > 0 {
				if s := u.Query().Get("scope"); s != strings.Join(tt.cfg.Scopes, " ") {
					t.Errorf("scope decodes to %q", s)
				}
			}
			if s := u.Query().Get("state"); s != tt.state {
				t.Errorf("state decodes to %q, want %q", s, tt.state)
			}
		})
	}
}

func TestAuthCodeURL_PKCEParameters(t *testing.T) {
	verifier := oauth2.GenerateVerifier()
	c := &Config{ClientID: "cid"}
	u, err := url.Parse(c.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier)))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") != oauth2.S256ChallengeFromVerifier(verifier) {
		t.Errorf("PKCE parameters = %v", q)
	}
	if q.Has("code_verifier") {
		t.Error("the verifier must never be in the authorization URL")
	}
}

func TestExchange_RequestBodyExactAndTokenTyped(t *testing.T) {
	srv := newOAuthServer(t, tokenJSON(canaryAccess, canaryRefresh))
	c := srv.config()
	tok, err := c.Exchange(context.Background(), canaryCode)
	if err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Method != http.MethodPost || r.Path != "/oauth/v2/accessToken" || r.ContentType != "application/x-www-form-urlencoded" {
		t.Errorf("request = %s %s (%s)", r.Method, r.Path, r.ContentType)
	}
	want := url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {canaryCode},
		"redirect_uri":  {"https://app.example/callback"},
		"client_id":     {"client-id"},
		"client_secret": {canarySecret},
	}
	if !reflect.DeepEqual(r.Form, want) {
		t.Errorf("form =\n %v\nwant\n %v", r.Form, want)
	}
	if tok.AccessToken != canaryAccess || tok.RefreshToken != canaryRefresh {
		t.Errorf("tokens = %q %q", tok.AccessToken, tok.RefreshToken)
	}
	if want := fixedNow.Add(5184000 * time.Second); !tok.Expiry.Equal(want) {
		t.Errorf("Expiry = %v, want %v", tok.Expiry, want)
	}
	if want := fixedNow.Add(31536000 * time.Second); !tok.RefreshTokenExpiry.Equal(want) {
		t.Errorf("RefreshTokenExpiry = %v, want %v", tok.RefreshTokenExpiry, want)
	}
	if !reflect.DeepEqual(tok.Scopes, []string{"openid", "profile"}) {
		t.Errorf("Scopes = %q", tok.Scopes)
	}
	if tok.Type() != "Bearer" {
		t.Errorf("Type = %q", tok.Type())
	}
	if tok.Extra("scope") != "openid,profile" {
		t.Errorf("Extra(scope) = %v", tok.Extra("scope"))
	}
}

func TestExchange_EmptyCodeRefusedWithoutRequest(t *testing.T) {
	srv := newOAuthServer(t, tokenJSON("a", ""))
	if _, err := srv.config().Exchange(context.Background(), ""); err == nil {
		t.Fatal("want an error")
	}
	if srv.count() != 0 {
		t.Error("no request expected")
	}
}

func TestExchange_PKCERoundTrip(t *testing.T) {
	// The server plays LinkedIn: it remembers the challenge of the
	// authorization request and checks S256(code_verifier) at exchange.
	var challenge string
	srv := newOAuthServer(t, func(w http.ResponseWriter, r *http.Request, form url.Values) {
		if oauth2.S256ChallengeFromVerifier(form.Get("code_verifier")) != challenge {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant", "error_description": "code verifier mismatch"})
			return
		}
		tokenJSON("pkce-token", "")(w, r, form)
	})
	c := srv.config()
	verifier := oauth2.GenerateVerifier()
	u, _ := url.Parse(c.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier)))
	if u.Query().Get("code_challenge_method") != "S256" {
		t.Fatal("no S256 method")
	}
	challenge = u.Query().Get("code_challenge")

	tok, err := c.Exchange(context.Background(), "code", oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("Exchange with the right verifier: %v", err)
	}
	if tok.AccessToken != "pkce-token" {
		t.Errorf("AccessToken = %q", tok.AccessToken)
	}
	form := srv.requests()[0].Form
	if form.Get("code_verifier") != verifier || form.Has("code_challenge") {
		t.Errorf("exchange form = %v", form)
	}

	_, err = c.Exchange(context.Background(), "code", oauth2.VerifierOption(oauth2.GenerateVerifier()))
	var e *Error
	if !errors.As(err, &e) || e.Code != "invalid_grant" {
		t.Errorf("Exchange with a wrong verifier: err = %v, want invalid_grant", err)
	}
	_, err = c.Exchange(context.Background(), "code")
	if !errors.As(err, &e) {
		t.Errorf("Exchange without verifier: err = %v, want *Error", err)
	}
}

func TestOptionParams(t *testing.T) {
	tests := []struct {
		name string
		opts []oauth2.AuthCodeOption
		want url.Values
	}{
		{"none", nil, nil},
		{"verifier", []oauth2.AuthCodeOption{oauth2.VerifierOption("v")}, url.Values{"code_verifier": {"v"}}},
		{"custom and client_id override", []oauth2.AuthCodeOption{oauth2.SetAuthURLParam("a", "1"), oauth2.SetAuthURLParam("client_id", "other")},
			url.Values{"a": {"1"}, "client_id": {"other"}}},
		{"response_type override", []oauth2.AuthCodeOption{oauth2.SetAuthURLParam("response_type", "token")}, url.Values{"response_type": {"token"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := optionParams(tt.opts); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("optionParams = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRefresh_RequestBodyExact(t *testing.T) {
	tests := []struct {
		name        string
		respRefresh string
		wantRefresh string
	}{
		{"rotated refresh token", "NEW-REFRESH", "NEW-REFRESH"},
		{"no refresh token in the response keeps the old one", "", canaryRefresh},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newOAuthServer(t, tokenJSON("new-access", tt.respRefresh))
			tok, err := srv.config().Refresh(context.Background(), canaryRefresh)
			if err != nil {
				t.Fatal(err)
			}
			want := url.Values{
				"grant_type":    {"refresh_token"},
				"refresh_token": {canaryRefresh},
				"client_id":     {"client-id"},
				"client_secret": {canarySecret},
			}
			if r := srv.requests()[0]; !reflect.DeepEqual(r.Form, want) || r.Path != "/oauth/v2/accessToken" {
				t.Errorf("%s form = %v, want %v", r.Path, r.Form, want)
			}
			if tok.AccessToken != "new-access" || tok.RefreshToken != tt.wantRefresh {
				t.Errorf("token = %q / %q", tok.AccessToken, tok.RefreshToken)
			}
		})
	}
}

func TestRefresh_ReauthorizeErrors(t *testing.T) {
	srv := newOAuthServer(t, func(w http.ResponseWriter, _ *http.Request, _ url.Values) {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant", "error_description": "refresh token revoked"})
	})
	c := srv.config()
	_, err := c.Refresh(context.Background(), "")
	if !errors.Is(err, ErrReauthorize) {
		t.Errorf("empty refresh token: err = %v, want ErrReauthorize", err)
	}
	if srv.count() != 0 {
		t.Error("an empty refresh token must not reach the server")
	}
	_, err = c.Refresh(context.Background(), canaryRefresh)
	var e *Error
	if !errors.Is(err, ErrReauthorize) || !errors.As(err, &e) || e.Code != "invalid_grant" || e.StatusCode != 400 || e.Description != "refresh token revoked" {
		t.Errorf("invalid_grant: err = %#v", err)
	}
	if e != nil && e.ErrorType() != "invalid_grant" {
		t.Errorf("ErrorType = %q", e.ErrorType())
	}
}

func TestClientCredentials_ScopeOnlyWhenSet(t *testing.T) {
	tests := []struct {
		name   string
		scopes []string
		want   url.Values
	}{
		{"no scopes", nil, url.Values{"grant_type": {"client_credentials"}, "client_id": {"client-id"}, "client_secret": {canarySecret}}},
		{"scopes", []string{"r_a", "r_b"}, url.Values{"grant_type": {"client_credentials"}, "client_id": {"client-id"}, "client_secret": {canarySecret}, "scope": {"r_a r_b"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newOAuthServer(t, func(w http.ResponseWriter, _ *http.Request, _ url.Values) {
				writeJSON(w, http.StatusOK, map[string]any{"access_token": "app-token", "expires_in": "1800"})
			})
			c := srv.config()
			c.RedirectURL = "" // irrelevant to the grant; must not leak in
			c.Scopes = tt.scopes
			tok, err := c.ClientCredentials(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if r := srv.requests()[0]; !reflect.DeepEqual(r.Form, tt.want) || r.Path != "/oauth/v2/accessToken" {
				t.Errorf("%s form = %v, want %v", r.Path, r.Form, tt.want)
			}
			if tok.AccessToken != "app-token" || !tok.Expiry.Equal(fixedNow.Add(30*time.Minute)) || tok.RefreshToken != "" || tok.ExpiresIn != 1800 {
				t.Errorf("token = %+v", tok.Token)
			}
		})
	}
}

func TestIntrospect_RequestBodyExactAndResultTyped(t *testing.T) {
	tests := []struct {
		name string
		resp string
		want Introspection
	}{
		{
			name: "3-legged active, commas in scope",
			resp: `{"active":true,"client_id":"client-id","authorized_at":1700000000,"created_at":1700000100,"status":"active","expires_at":1705184000,"scope":"r_ads,rw_ads, openid","auth_type":"3L"}`,
			want: Introspection{Active: true, Status: "active", AuthType: "3L", ClientID: "client-id",
				AuthorizedAt: time.Unix(1700000000, 0).UTC(), CreatedAt: time.Unix(1700000100, 0).UTC(), ExpiresAt: time.Unix(1705184000, 0).UTC(),
				Scopes: []string{"r_ads", "rw_ads", "openid"}},
		},
		{
			name: "2-legged without scope, times as strings",
			resp: `{"active":true,"client_id":"client-id","created_at":"1700000100","status":"active","expires_at":"1700001900","auth_type":"2L"}`,
			want: Introspection{Active: true, Status: "active", AuthType: "2L", ClientID: "client-id",
				CreatedAt: time.Unix(1700000100, 0).UTC(), ExpiresAt: time.Unix(1700001900, 0).UTC()},
		},
		{
			name: "revoked",
			resp: `{"active":false,"status":"revoked"}`,
			want: Introspection{Status: "revoked"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newOAuthServer(t, func(w http.ResponseWriter, _ *http.Request, _ url.Values) {
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte(tt.resp))
			})
			got, err := srv.config().Introspect(context.Background(), canaryAccess)
			if err != nil {
				t.Fatal(err)
			}
			want := url.Values{"token": {canaryAccess}, "client_id": {"client-id"}, "client_secret": {canarySecret}}
			if r := srv.requests()[0]; !reflect.DeepEqual(r.Form, want) || r.Path != "/oauth/v2/introspectToken" || r.Method != http.MethodPost {
				t.Errorf("%s %s form = %v, want %v", r.Method, r.Path, r.Form, want)
			}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("Introspect =\n %+v\nwant\n %+v", *got, tt.want)
			}
		})
	}
}

func TestEndpointErrors_Typed(t *testing.T) {
	big := `{"access_token":"` + strings.Repeat("x", maxBodyBytes) + `"}`
	tests := []struct {
		name        string
		status      int
		body        string
		wantStatus  int
		wantCode    string
		wantDesc    string
		wantType    string
		wantMalform bool
	}{
		{"400 invalid_request", 400, `{"error":"invalid_request","error_description":"A required parameter \"redirect_uri\" is missing"}`, 400, "invalid_request", `A required parameter "redirect_uri" is missing`, "invalid_request", false},
		{"401 invalid_client", 401, `{"error":"invalid_client","error_description":"Client authentication failed"}`, 401, "invalid_client", "Client authentication failed", "invalid_client", false},
		{"non-JSON error body", 502, `<html>Bad gateway</html>`, 502, "", "", "502", false},
		{"Rest.li error shape", 401, `{"serviceErrorCode":65600,"message":"Invalid access token","status":401}`, 401, "", "Invalid access token", "401", false},
		{"200 with an error member", 200, `{"error":"access_denied","error_description":"no"}`, 200, "access_denied", "no", "access_denied", false},
		{"200 not JSON", 200, `access_token=abc`, 200, "", "", "malformed_response", true},
		{"200 JSON array", 200, `[1]`, 200, "", "", "malformed_response", true},
		{"200 truncated JSON", 200, `{"access_token":"abc"`, 200, "", "", "malformed_response", true},
		{"200 wrong type", 200, `{"access_token":42}`, 200, "", "", "malformed_response", true},
		{"200 no access token", 200, `{"expires_in":60}`, 200, "", "", "malformed_response", true},
		{"200 bad expires_in", 200, `{"access_token":"a","expires_in":"soon"}`, 200, "", "", "malformed_response", true},
		{"200 negative expires_in", 200, `{"access_token":"a","expires_in":-5}`, 200, "", "", "malformed_response", true},
		{"200 body over 1 MiB", 200, big, 200, "", "", "malformed_response", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newOAuthServer(t, func(w http.ResponseWriter, _ *http.Request, _ url.Values) {
				w.WriteHeader(tt.status)
				w.Write([]byte(tt.body))
			})
			_, err := srv.config().ClientCredentials(context.Background())
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v (%T), want *Error", err, err)
			}
			if e.StatusCode != tt.wantStatus || e.Code != tt.wantCode || e.Description != tt.wantDesc {
				t.Errorf("Error = {%d %q %q}, want {%d %q %q}", e.StatusCode, e.Code, e.Description, tt.wantStatus, tt.wantCode, tt.wantDesc)
			}
			if e.ErrorType() != tt.wantType {
				t.Errorf("ErrorType = %q, want %q", e.ErrorType(), tt.wantType)
			}
			if errors.Is(err, ErrMalformedResponse) != tt.wantMalform {
				t.Errorf("errors.Is(ErrMalformedResponse) = %v", !tt.wantMalform)
			}
			if errors.Is(err, ErrReauthorize) {
				t.Error("client credentials errors are never ErrReauthorize")
			}
		})
	}
}

func TestIntrospect_ErrorsTyped(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		body        string
		wantCode    string
		wantMalform bool
	}{
		{"400 bad token", 400, `{"error":"invalid_request","error_description":"invalid token"}`, "invalid_request", false},
		{"401 bad secret", 401, `{"error":"invalid_client","error_description":"bad secret"}`, "invalid_client", false},
		{"no active member", 200, `{"status":"active"}`, "", true},
		{"active as string", 200, `{"active":"true"}`, "", true},
		{"time not a number", 200, `{"active":true,"expires_at":"tomorrow"}`, "", true},
		{"scope not a string", 200, `{"active":true,"scope":["a"]}`, "", true},
		{"not JSON", 200, `active`, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newOAuthServer(t, func(w http.ResponseWriter, _ *http.Request, _ url.Values) {
				w.WriteHeader(tt.status)
				w.Write([]byte(tt.body))
			})
			_, err := srv.config().Introspect(context.Background(), "tok")
			var e *Error
			if !errors.As(err, &e) || e.StatusCode != tt.status || e.Code != tt.wantCode || errors.Is(err, ErrMalformedResponse) != tt.wantMalform {
				t.Errorf("err = %#v", err)
			}
		})
	}
}

func TestDefaultHTTPClient_HasTimeoutAndDoesNotFollowRedirects(t *testing.T) {
	c := (&Config{}).httpClient()
	if c == http.DefaultClient || c.Timeout <= 0 || c.CheckRedirect == nil {
		t.Fatalf("default client = %+v", c)
	}
	if err := c.CheckRedirect(nil, nil); !errors.Is(err, http.ErrUseLastResponse) {
		t.Errorf("CheckRedirect = %v", err)
	}
	own := &http.Client{}
	if (&Config{HTTPClient: own}).httpClient() != own {
		t.Error("Config.HTTPClient not used")
	}
}

func TestCalls_HonourContext(t *testing.T) {
	srv := newOAuthServer(t, tokenJSON("a", ""))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := srv.config()
	if _, err := c.ClientCredentials(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("ClientCredentials err = %v", err)
	}
	if _, err := c.Introspect(ctx, "t"); !errors.Is(err, context.Canceled) {
		t.Errorf("Introspect err = %v", err)
	}
}
