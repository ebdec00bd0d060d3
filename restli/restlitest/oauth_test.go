package restlitest_test

import (
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/oauth"
	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
	"github.com/linkedin-go/linkedin/transport"
)

// authorize runs the authorization step like a browser would and returns
// the callback URL's query.
func authorize(t *testing.T, cfg oauth.Config, state string, opts ...oauth2.AuthCodeOption) url.Values {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctxT(t), "GET", cfg.AuthCodeURL(state, opts...), nil)
	resp, err := cfg.HTTPClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorization: status %d", resp.StatusCode)
	}
	loc := resp.Header.Get("Location")
	if !strings.HasPrefix(loc, cfg.RedirectURL+"?") {
		t.Fatalf("redirected to %q, want %s", loc, cfg.RedirectURL)
	}
	u, _ := url.Parse(loc)
	return u.Query()
}

func wantOAuthError(t *testing.T, err error, status int, code string) {
	t.Helper()
	var e *oauth.Error
	if !errors.As(err, &e) || e.StatusCode != status || e.Code != code {
		t.Fatalf("error %v, want oauth %d %s", err, status, code)
	}
}

func TestOAuth_ThreeLeggedFlowAndCodeReuse(t *testing.T) {
	srv := newServer(t)
	cfg := srv.OAuthConfig()
	cfg.Scopes = []string{"r_ads", "rw_ads"}
	if cfg.ClientID != restlitest.DefaultClientID || cfg.RedirectURL != srv.URL+restlitest.CallbackPath {
		t.Fatalf("config %+v", cfg)
	}
	q := authorize(t, cfg, "st-123")
	if q.Get("state") != "st-123" || q.Get("code") == "" {
		t.Fatalf("callback query %v", q)
	}
	ctx := ctxT(t)
	tok, err := cfg.Exchange(ctx, q.Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken == "" || tok.RefreshToken == "" || !reflect.DeepEqual(tok.Scopes, []string{"r_ads", "rw_ads"}) {
		t.Fatalf("token %+v scopes %v", tok.Token, tok.Scopes)
	}
	if d := time.Until(tok.Expiry); d < 59*24*time.Hour || d > 61*24*time.Hour {
		t.Fatalf("expires in %v, want 60 days", d)
	}
	if d := time.Until(tok.RefreshTokenExpiry); d < 364*24*time.Hour {
		t.Fatalf("refresh token expires in %v", d)
	}
	rc := srv.RestliClient()
	get := func() error {
		_, err := rc.GetAll(ctx, restli.GetAllRequest{ResourcePath: "/things", AccessToken: tok.AccessToken})
		return err
	}
	if err := get(); err != nil {
		t.Fatalf("the issued token is refused: %v", err)
	}

	_, err = cfg.Exchange(ctx, q.Get("code"))
	wantOAuthError(t, err, 400, "invalid_grant")
	if err := get(); !restli.IsUnauthorized(err) {
		t.Fatalf("a token from a reused code still works: %v", err)
	}
	if strings.Contains(err.Error(), q.Get("code")) {
		t.Fatal("the error quotes the code")
	}

	// A client that follows the redirect lands on the callback page, which
	// does not echo the code.
	follow := &http.Client{Transport: cfg.HTTPClient.Transport}
	resp, err := follow.Get(cfg.AuthCodeURL("s2"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Request.URL.Query().Get("code") == "" {
		t.Fatalf("callback: %d %v", resp.StatusCode, resp.Request.URL)
	}
	for _, r := range srv.Requests() {
		if strings.Contains(string(r.Body), tok.AccessToken) || strings.Contains(string(r.Body), cfg.ClientSecret) || strings.Contains(string(r.Body), q.Get("code")) {
			t.Fatalf("recorded body leaks a credential: %s", r.Body)
		}
	}
}

func TestOAuth_RefreshKeepsRefreshTokenWithShrinkingLifetime(t *testing.T) {
	srv := newServer(t)
	cfg := srv.OAuthConfig()
	ctx := ctxT(t)
	tok, err := cfg.Exchange(ctx, authorize(t, cfg, "s").Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	srv.Advance(24 * time.Hour)
	tok2, err := cfg.Refresh(ctx, tok.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if tok2.AccessToken == tok.AccessToken || tok2.RefreshToken != tok.RefreshToken {
		t.Fatalf("refresh: access changed %v, refresh kept %v", tok2.AccessToken != tok.AccessToken, tok2.RefreshToken == tok.RefreshToken)
	}
	if d := tok.RefreshTokenExpiry.Sub(tok2.RefreshTokenExpiry); d < 24*time.Hour-time.Minute || d > 24*time.Hour+time.Minute {
		t.Fatalf("refresh_token_expires_in shrank by %v, want 24h", d)
	}
	srv.RevokeToken(tok.RefreshToken)
	_, err = cfg.Refresh(ctx, tok.RefreshToken)
	if !errors.Is(err, oauth.ErrReauthorize) {
		t.Fatalf("revoked refresh token: %v", err)
	}
}

// The whole stack: the oauth layer's token source meets an expired token
// (401), refreshes with the server's token endpoint and replays.
func TestOAuth_StackRefreshesAfterExpiry(t *testing.T) {
	srv := newServer(t)
	srv.Seed("/things", 1, map[string]any{"a": 1})
	cfg := srv.OAuthConfig()
	ctx := ctxT(t)
	tok, err := cfg.Exchange(ctx, authorize(t, cfg, "s").Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	base := rawClient(t).Transport
	hc := transport.NewClient(transport.WithBase(base), transport.WithoutTelemetry(), transport.WithoutRetry(),
		transport.WithTokenSource(cfg.TokenSource(tok)), transport.WithTokenHosts(host))
	rc := restli.NewClient(hc, restli.WithBaseURL(srv.URL+"/rest"), restli.WithVersion(restlitest.DefaultVersion))
	get := func() error {
		_, err := rc.Get(ctx, restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": 1}})
		return err
	}
	if err := get(); err != nil {
		t.Fatal(err)
	}
	srv.ExpireTokens()
	if err := get(); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	var statuses []int
	for _, r := range srv.Requests() {
		if r.RestliMethod == restli.MethodGet {
			statuses = append(statuses, r.Status)
		}
	}
	if !reflect.DeepEqual(statuses, []int{200, 401, 200}) {
		t.Fatalf("GET statuses %v, want 200 401 200", statuses)
	}
	if n := srv.Count(func(r restlitest.Request) bool { return r.Path == "/oauth/v2/accessToken" }); n != 2 {
		t.Fatalf("%d token endpoint calls, want exchange + refresh", n)
	}
}

func TestOAuth_ClientCredentials(t *testing.T) {
	srv := newServer(t)
	cfg := srv.OAuthConfig()
	tok, err := cfg.ClientCredentials(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	if tok.ExpiresIn != 1800 || tok.RefreshToken != "" {
		t.Fatalf("2-legged token expires_in %d refresh %q", tok.ExpiresIn, tok.RefreshToken)
	}
	in, err := cfg.Introspect(ctxT(t), tok.AccessToken)
	if err != nil || !in.Active || in.AuthType != "2L" || in.ClientID != cfg.ClientID {
		t.Fatalf("introspection %+v, %v", in, err)
	}
	srv.Advance(1800 * time.Second)
	if _, err := srv.RestliClient().GetAll(ctxT(t), restli.GetAllRequest{ResourcePath: "/x", AccessToken: tok.AccessToken}); !restli.IsUnauthorized(err) {
		t.Fatalf("expired 2-legged token: %v", err)
	}
	bad := cfg
	bad.ClientSecret = "wrong"
	_, err = bad.ClientCredentials(ctxT(t))
	wantOAuthError(t, err, 401, "invalid_client")
	if strings.Contains(err.Error(), "wrong") {
		t.Fatal("error quotes the secret")
	}
}

func TestOAuth_Introspection(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	srv := newServer(t, restlitest.WithClock(func() time.Time { return now }),
		restlitest.WithOAuthClient("app1", "secret1"), restlitest.WithOAuthClient("app2", "secret2"))
	cfg := srv.OAuthConfig()
	cfg.Scopes = []string{"openid", "profile"}
	ctx := ctxT(t)
	tok, err := cfg.Exchange(ctx, authorize(t, cfg, "s").Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	in, err := cfg.Introspect(ctx, tok.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	want := oauth.Introspection{Active: true, Status: "active", AuthType: "3L", ClientID: "app1", CreatedAt: now, AuthorizedAt: now,
		ExpiresAt: now.Add(restlitest.DefaultTokenTTL), Scopes: []string{"openid", "profile"}}
	if !reflect.DeepEqual(*in, want) {
		t.Fatalf("introspection\n got %+v\nwant %+v", *in, want)
	}
	other := cfg
	other.ClientID, other.ClientSecret = "app2", "secret2"
	if in, err := other.Introspect(ctx, tok.AccessToken); err != nil || in.Active || in.Status != "" {
		t.Fatalf("another app's token: %+v, %v", in, err)
	}
	wrong := cfg
	wrong.ClientSecret = "nope"
	_, err = wrong.Introspect(ctx, tok.AccessToken)
	wantOAuthError(t, err, 401, "invalid_client")
	_, err = cfg.Introspect(ctx, "never-issued")
	wantOAuthError(t, err, 400, "invalid_request")

	srv.Advance(restlitest.DefaultTokenTTL)
	if in, err := cfg.Introspect(ctx, tok.AccessToken); err != nil || in.Active || in.Status != "expired" {
		t.Fatalf("expired: %+v, %v", in, err)
	}
	tok2, err := cfg.Refresh(ctx, tok.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	srv.RevokeToken(tok2.AccessToken)
	if in, err := cfg.Introspect(ctx, tok2.AccessToken); err != nil || in.Active || in.Status != "revoked" {
		t.Fatalf("revoked: %+v, %v", in, err)
	}
}

func TestOAuth_PKCE(t *testing.T) {
	srv := newServer(t)
	cfg := srv.OAuthConfig()
	ctx := ctxT(t)
	verifier := oauth2.GenerateVerifier()

	code := authorize(t, cfg, "s", oauth2.S256ChallengeOption(verifier)).Get("code")
	_, err := cfg.Exchange(ctx, code)
	wantOAuthError(t, err, 400, "invalid_grant")

	code = authorize(t, cfg, "s", oauth2.S256ChallengeOption(verifier)).Get("code")
	_, err = cfg.Exchange(ctx, code, oauth2.VerifierOption(oauth2.GenerateVerifier()))
	wantOAuthError(t, err, 400, "invalid_grant")
	if strings.Contains(err.Error(), verifier) {
		t.Fatal("error quotes the verifier")
	}

	code = authorize(t, cfg, "s", oauth2.S256ChallengeOption(verifier)).Get("code")
	if _, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier)); err != nil {
		t.Fatalf("matching verifier: %v", err)
	}
}

func TestOAuth_AuthorizationAndTokenEndpointErrors(t *testing.T) {
	srv := newServer(t)
	cfg := srv.OAuthConfig()
	c := rawClient(t)
	ctx := ctxT(t)

	for _, mod := range []func(*oauth.Config){
		func(c *oauth.Config) { c.ClientID = "unknown" },
		func(c *oauth.Config) { c.RedirectURL = "https://evil.example/cb" },
	} {
		bad := cfg
		mod(&bad)
		r := do(t, c, "GET", bad.AuthCodeURL("s"), nil, "")
		if r.status != 400 || r.header.Get("Location") != "" {
			t.Fatalf("bad authorization request: %d %v", r.status, r.header)
		}
	}
	r := do(t, c, "GET", strings.Replace(cfg.AuthCodeURL("s"), "response_type=code", "response_type=token", 1), nil, "")
	if loc, _ := url.Parse(r.header.Get("Location")); r.status != 302 || loc.Query().Get("error") != "unsupported_response_type" {
		t.Fatalf("response_type=token: %d %v", r.status, r.header)
	}

	srv.SetAuthorizationError("user_cancelled_authorize", "The user cancelled the authorization")
	r = do(t, c, "GET", cfg.AuthCodeURL("st"), nil, "")
	loc, _ := url.Parse(r.header.Get("Location"))
	if q := loc.Query(); r.status != 302 || q.Get("error") != "user_cancelled_authorize" || q.Get("state") != "st" || q.Get("code") != "" {
		t.Fatalf("cancelled: %d %v", r.status, loc)
	}
	srv.SetAuthorizationError("", "")

	code := authorize(t, cfg, "s").Get("code")
	other := cfg
	other.RedirectURL = srv.URL + "/elsewhere"
	_, err := other.Exchange(ctx, code)
	wantOAuthError(t, err, 400, "invalid_grant")

	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	form := url.Values{"grant_type": {"password"}, "client_id": {cfg.ClientID}, "client_secret": {cfg.ClientSecret}}
	r = do(t, c, "POST", cfg.TokenURL, h, form.Encode())
	if r.status != 400 || !strings.Contains(string(r.body), `"error":"unsupported_grant_type"`) {
		t.Fatalf("password grant: %d %s", r.status, r.body)
	}
	r = do(t, c, "POST", cfg.TokenURL, http.Header{"Content-Type": {"application/json"}}, `{}`)
	if r.status != 400 {
		t.Fatalf("JSON token request: %d", r.status)
	}

	// An expired code.
	code = authorize(t, cfg, "s").Get("code")
	srv.Advance(restlitest.DefaultCodeTTL)
	_, err = cfg.Exchange(ctx, code)
	wantOAuthError(t, err, 400, "invalid_grant")
}

func TestOAuth_CustomTokensAndFaultsOnTheTokenEndpoint(t *testing.T) {
	n := 0
	srv := newServer(t, restlitest.WithTokenGenerator(func(kind string) string {
		n++
		return "CANARY-" + kind + "-" + string(rune('a'+n))
	}))
	if !strings.HasPrefix(srv.Token(), "CANARY-access_token-") {
		t.Fatalf("default token %q", srv.Token())
	}
	cfg := srv.OAuthConfig()
	srv.Fail(restlitest.Fault{Path: "/oauth/v2/accessToken", Status: 503})
	_, err := cfg.ClientCredentials(ctxT(t))
	wantOAuthError(t, err, 503, restlitest.CodeInjectedFault)
	tok, err := cfg.ClientCredentials(ctxT(t))
	if err != nil || !strings.HasPrefix(tok.AccessToken, "CANARY-access_token-") {
		t.Fatalf("token %v, %v", tok, err)
	}
	srv.AddToken("planted", time.Hour)
	h := restliHeader(srv, "")
	h.Set("Authorization", "Bearer planted")
	if r := do(t, rawClient(t), "GET", srv.URL+"/rest/things", h, ""); r.status != 200 {
		t.Fatalf("planted token: %d", r.status)
	}
}
