package oauth_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"

	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/oauth"
)

// fakeLinkedIn is a tiny stand-in for LinkedIn's OAuth endpoints and one API
// resource, enough for the examples to run offline. It issues "member-token-N"
// tokens with refresh tokens, "app-token" for client credentials, checks
// PKCE, and its API accepts only the newest member token.
func fakeLinkedIn() *httptest.Server {
	var mu sync.Mutex
	challenges := map[string]string{} // authorization code -> PKCE challenge
	issued := 0
	current := ""
	mux := http.NewServeMux()
	reply := func(w http.ResponseWriter, status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(v)
	}
	memberToken := func(w http.ResponseWriter) {
		issued++
		current = fmt.Sprintf("member-token-%d", issued)
		reply(w, 200, map[string]any{
			"access_token": current, "expires_in": 5184000,
			"refresh_token": fmt.Sprintf("refresh-token-%d", issued), "refresh_token_expires_in": 31536000,
			"scope": "openid,profile",
		})
	}
	mux.HandleFunc("GET /oauth/v2/authorization", func(w http.ResponseWriter, r *http.Request) {
		// The member signs in and approves; LinkedIn sends the browser back.
		q := r.URL.Query()
		mu.Lock()
		challenges["auth-code-1"] = q.Get("code_challenge")
		mu.Unlock()
		back := q.Get("redirect_uri") + "?code=auth-code-1&state=" + url.QueryEscape(q.Get("state"))
		http.Redirect(w, r, back, http.StatusFound)
	})
	mux.HandleFunc("POST /oauth/v2/accessToken", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.PostFormValue("client_secret") != "app-secret" {
			reply(w, 401, map[string]string{"error": "invalid_client", "error_description": "Client authentication failed"})
			return
		}
		switch r.PostFormValue("grant_type") {
		case "authorization_code":
			challenge, ok := challenges[r.PostFormValue("code")]
			if !ok || (challenge != "" && oauth2.S256ChallengeFromVerifier(r.PostFormValue("code_verifier")) != challenge) {
				reply(w, 400, map[string]string{"error": "invalid_grant", "error_description": "Unable to retrieve access token: authorization code not found"})
				return
			}
			delete(challenges, r.PostFormValue("code"))
			memberToken(w)
		case "refresh_token":
			memberToken(w)
		case "client_credentials":
			reply(w, 200, map[string]any{"access_token": "app-token", "expires_in": "1800"})
		default:
			reply(w, 400, map[string]string{"error": "unsupported_grant_type"})
		}
	})
	mux.HandleFunc("POST /oauth/v2/introspectToken", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		active := r.PostFormValue("token") == current
		mu.Unlock()
		status := "active"
		if !active {
			status = "revoked"
		}
		reply(w, 200, map[string]any{"active": active, "status": status, "auth_type": "3L", "client_id": "app-id",
			"created_at": 1767225600, "authorized_at": 1767225600, "expires_at": 1772409600, "scope": "openid,profile"})
	})
	mux.HandleFunc("GET /v2/userinfo", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		ok := r.Header.Get("Authorization") == "Bearer "+current
		mu.Unlock()
		if !ok {
			reply(w, 401, map[string]any{"status": 401, "serviceErrorCode": 65600, "message": "Invalid access token"})
			return
		}
		reply(w, 200, map[string]string{"name": "Ada Lovelace"})
	})
	return httptest.NewServer(mux)
}

// newConfig returns the application's Config pointed at the fake server.
func newConfig(srv *httptest.Server, redirectURL string) *oauth.Config {
	return &oauth.Config{
		ClientID:      "app-id",
		ClientSecret:  "app-secret",
		RedirectURL:   redirectURL,
		Scopes:        []string{"openid", "profile"},
		HTTPClient:    srv.Client(), // token-endpoint traffic, never the API stack
		AuthURL:       srv.URL + "/oauth/v2/authorization",
		TokenURL:      srv.URL + "/oauth/v2/accessToken",
		IntrospectURL: srv.URL + "/oauth/v2/introspectToken",
	}
}

// The member (3-legged) authorization flow: redirect the browser to
// LinkedIn with a fresh state and a PKCE challenge, then, in the callback
// handler, check the state and exchange the code with the verifier.
func Example_authorizationCodeFlow() {
	linkedin := fakeLinkedIn()
	defer linkedin.Close()

	var state, verifier string // per login attempt; keep them in the member's session
	var cfg *oauth.Config
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !oauth.CheckState(r.FormValue("state"), state) {
			http.Error(w, "bad state", http.StatusBadRequest)
			return
		}
		tok, err := cfg.Exchange(r.Context(), r.FormValue("code"), oauth2.VerifierOption(verifier))
		if err != nil {
			http.Error(w, "sign-in failed", http.StatusBadGateway)
			return
		}
		fmt.Fprintf(w, "signed in: %s (scopes %v)", tok.AccessToken, tok.Scopes)
	}))
	defer app.Close()
	cfg = newConfig(linkedin, app.URL+"/callback")

	state, _ = oauth.NewState()
	verifier = oauth2.GenerateVerifier()
	authURL := cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))

	// A browser follows the redirect to LinkedIn and back to the callback.
	resp, err := app.Client().Get(authURL)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	fmt.Println(string(page))
	// Output: signed in: member-token-1 (scopes [openid profile])
}

func ExampleConfig_AuthCodeURL() {
	cfg := &oauth.Config{
		ClientID:    "app-id",
		RedirectURL: "https://app.example/callback",
		Scopes:      []string{"openid", "profile", "email"},
	}
	fmt.Println(cfg.AuthCodeURL("fixed-state-for-the-example"))

	// In a real handler: a fresh state and PKCE verifier per login, kept in
	// the member's session until the callback.
	state, err := oauth.NewState()
	if err != nil {
		log.Fatal(err)
	}
	verifier := oauth2.GenerateVerifier()
	u, _ := url.Parse(cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier)))
	q := u.Query()
	fmt.Println(q.Get("code_challenge_method"), q.Get("code_challenge") == oauth2.S256ChallengeFromVerifier(verifier))
	fmt.Println(oauth.CheckState(q.Get("state"), state))
	// Output:
	// https://www.linkedin.com/oauth/v2/authorization?client_id=app-id&redirect_uri=https%3A%2F%2Fapp.example%2Fcallback&response_type=code&scope=openid%20profile%20email&state=fixed-state-for-the-example
	// S256 true
	// true
}

func ExampleConfig_Exchange() {
	linkedin := fakeLinkedIn()
	defer linkedin.Close()
	cfg := newConfig(linkedin, "https://app.example/callback")
	ctx := context.Background()

	// In the callback handler, after CheckState: trade the code for tokens.
	// (The fake server issued "auth-code-1" when the browser visited it.)
	resp, err := linkedin.Client().Get(cfg.AuthCodeURL("s"))
	if err == nil {
		resp.Body.Close()
	}
	tok, err := cfg.Exchange(ctx, "auth-code-1")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tok.AccessToken, tok.RefreshToken, tok.Scopes)
	fmt.Println("refresh token expires:", !tok.RefreshTokenExpiry.IsZero())

	// A code can be used once; LinkedIn's error comes back typed.
	_, err = cfg.Exchange(ctx, "auth-code-1")
	var e *oauth.Error
	if errors.As(err, &e) {
		fmt.Println(e.StatusCode, e.Code)
	}
	// Output:
	// member-token-1 refresh-token-1 [openid profile]
	// refresh token expires: true
	// 400 invalid_grant
}

func ExampleConfig_ClientCredentialsTokenSource() {
	linkedin := fakeLinkedIn()
	defer linkedin.Close()
	cfg := newConfig(linkedin, "")
	cfg.Scopes = nil // 2-legged: no scope unless the application needs one

	ts := cfg.ClientCredentialsTokenSource()
	tok, err := ts.TokenContext(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tok.AccessToken, tok.ExpiresIn) // expires_in arrived as the string "1800"
	// Output: app-token 1800
}

func ExampleConfig_Introspect() {
	linkedin := fakeLinkedIn()
	defer linkedin.Close()
	cfg := newConfig(linkedin, "")
	ctx := context.Background()

	tok, err := cfg.Refresh(ctx, "refresh-token-0")
	if err != nil {
		log.Fatal(err)
	}
	in, err := cfg.Introspect(ctx, tok.AccessToken)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(in.Active, in.Status, in.AuthType, in.ClientID, in.Scopes)
	fmt.Println(in.ExpiresAt.Format("2006-01-02"))

	in, _ = cfg.Introspect(ctx, "some-old-token")
	fmt.Println(in.Active, in.Status)
	// Output:
	// true active 3L app-id [openid profile]
	// 2026-03-02
	// false revoked
}

// The token layer on an API client: the stored token has been revoked, so
// the first call gets a 401; the layer refreshes once, replays the call, and
// OnTokenChange hands the rotated tokens over for persisting.
func ExampleMiddleware() {
	linkedin := fakeLinkedIn()
	defer linkedin.Close()
	cfg := newConfig(linkedin, "")

	stored := &oauth.Token{Token: &oauth2.Token{AccessToken: "revoked-token", RefreshToken: "refresh-token-0"}}
	ts := cfg.TokenSource(stored, oauth.OnTokenChange(func(t *oauth.Token) {
		data, _ := json.Marshal(t) // save it where the old one was
		fmt.Println("persist:", strings.Contains(string(data), t.RefreshToken), t.AccessToken)
	}))

	// transport.NewClient(transport.WithTokenSource(ts)) builds this layer
	// into the full stack; here it sits alone on a plain transport. The fake
	// API is on loopback, so it must be listed; the default is
	// api.linkedin.com over https only.
	host := strings.TrimPrefix(linkedin.URL, "http://")
	api := &http.Client{Transport: oauth.Middleware(ts, oauth.MiddlewareOptions{AllowHosts: []string{host}})(linkedin.Client().Transport)}

	resp, err := api.Get(linkedin.URL + "/v2/userinfo")
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, strings.TrimSpace(string(body)))
	// Output:
	// persist: true member-token-1
	// 200 {"name":"Ada Lovelace"}
}
