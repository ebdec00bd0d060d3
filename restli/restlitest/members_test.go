package restlitest_test

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/oauth"
	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
)

var (
	memberAda   = restlitest.Member{ID: "ada", GivenName: "Ada", FamilyName: "Lovelace", Email: "ada@example.com", EmailVerified: true}
	memberGrace = restlitest.Member{ID: "grace", GivenName: "Grace", FamilyName: "Hopper", Email: "grace@example.com"}
)

// v2Get calls GET /v2/<path> with token and returns the status and JSON.
func v2Get(t *testing.T, srv *restlitest.Server, path, token string) (int, map[string]any) {
	t.Helper()
	h := restliHeader(srv, restli.MethodGet)
	h.Set("Authorization", "Bearer "+token)
	r := do(t, rawClient(t), "GET", srv.URL+"/v2"+path, h, "")
	var m map[string]any
	_ = json.Unmarshal(r.body, &m)
	return r.status, m
}

func TestMembers_UserInfoAndMeAnswerForTheTokensMember(t *testing.T) {
	srv := newServer(t)
	srv.AddMember(memberAda)
	srv.AddMember(memberGrace)
	srv.Seed("/userinfo", nil, map[string]any{"sub": "seeded"})
	for _, m := range []restlitest.Member{memberAda, memberGrace} {
		tok := srv.AuthorizeMember(m.ID, "openid", "profile", "email")
		st, ui := v2Get(t, srv, "/userinfo", tok.AccessToken)
		if st != 200 || ui["sub"] != m.ID || ui["name"] != m.Name() || ui["email"] != m.Email || ui["email_verified"] != m.EmailVerified {
			t.Errorf("%s: /v2/userinfo = %d %v", m.ID, st, ui)
		}
		if loc, _ := ui["locale"].(map[string]any); loc["language"] != "en" || loc["country"] != "US" {
			t.Errorf("%s: locale %v", m.ID, ui["locale"])
		}
		st, me := v2Get(t, srv, "/me", tok.AccessToken)
		if st != 200 || me["id"] != m.ID || me["localizedFirstName"] != m.GivenName {
			t.Errorf("%s: /v2/me = %d %v", m.ID, st, me)
		}
	}
	// A token of no member still gets the seeded singleton.
	if st, ui := v2Get(t, srv, "/userinfo", srv.Token()); st != 200 || ui["sub"] != "seeded" {
		t.Errorf("default token: %d %v", st, ui)
	}
}

func TestMembers_RevokeMemberKillsAccessAndRefresh(t *testing.T) {
	srv := newServer(t)
	srv.AddMember(memberAda)
	srv.AddMember(memberGrace)
	ada, grace := srv.AuthorizeMember("ada"), srv.AuthorizeMember("grace")
	if n := srv.RevokeMember("ada"); n != 2 {
		t.Fatalf("RevokeMember = %d, want 2 (access and refresh)", n)
	}
	if st, _ := v2Get(t, srv, "/userinfo", ada.AccessToken); st != http.StatusUnauthorized {
		t.Fatalf("revoked member's token: %d, want 401", st)
	}
	if st, _ := v2Get(t, srv, "/userinfo", grace.AccessToken); st != 200 {
		t.Fatalf("other member: %d", st)
	}
	cfg := srv.OAuthConfig()
	_, err := cfg.Refresh(ctxT(t), ada.RefreshToken)
	if err == nil || !strings.Contains(err.Error(), "invalid_grant") {
		t.Fatalf("refresh of a revoked member: %v", err)
	}
	if _, err := cfg.Refresh(ctxT(t), grace.RefreshToken); err != nil {
		t.Fatal(err)
	}
	if srv.RefreshCount("grace") != 1 || srv.RefreshCount("ada") != 0 || srv.RefreshCount("") != 1 {
		t.Fatalf("RefreshCount grace %d ada %d all %d", srv.RefreshCount("grace"), srv.RefreshCount("ada"), srv.RefreshCount(""))
	}
}

func TestOIDC_DiscoveryAndJWKS(t *testing.T) {
	srv := newServer(t)
	r := do(t, rawClient(t), "GET", srv.URL+restlitest.DiscoveryPath, nil, "")
	var d map[string]any
	if err := json.Unmarshal(r.body, &d); err != nil || r.status != 200 {
		t.Fatalf("discovery: %d %v", r.status, err)
	}
	if d["issuer"] != srv.Issuer() || d["jwks_uri"] != srv.URL+restlitest.JWKSPath || d["userinfo_endpoint"] != srv.URL+"/v2/userinfo" {
		t.Fatalf("discovery document: %v", d)
	}
	jwks := func() []any {
		r := do(t, rawClient(t), "GET", srv.URL+restlitest.JWKSPath, nil, "")
		var set map[string]any
		if err := json.Unmarshal(r.body, &set); err != nil {
			t.Fatal(err)
		}
		keys, _ := set["keys"].([]any)
		for _, k := range keys {
			if m := k.(map[string]any); m["kty"] != "RSA" || m["alg"] != "RS256" || m["d"] != nil {
				t.Fatalf("key %v: want a public RS256 key", m)
			}
		}
		return keys
	}
	if n := len(jwks()); n != 1 {
		t.Fatalf("%d keys before rotation", n)
	}
	srv.RotateSigningKey()
	if n := len(jwks()); n != 2 {
		t.Fatalf("%d keys after one rotation, want 2 (new and previous)", n)
	}
	srv.RotateSigningKey()
	if n := len(jwks()); n != 2 {
		t.Fatalf("%d keys after two rotations, want 2", n)
	}
}

func TestOIDC_IDTokenOnlyWithOpenIDScopeAndEchoesNonce(t *testing.T) {
	srv := newServer(t)
	srv.AddMember(memberGrace)
	cfg := srv.OAuthConfig()
	p, err := oauth.NewProvider(ctxT(t), &cfg, srv.OIDCOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		scopes []string
		want   bool
	}{{[]string{"openid", "profile"}, true}, {[]string{"r_ads"}, false}} {
		cfg.Scopes = tc.scopes
		q := authorize(t, cfg, "st", oauth.NonceOption("nonce-123"))
		tok, err := cfg.Exchange(ctxT(t), q.Get("code"))
		if err != nil {
			t.Fatal(err)
		}
		if (tok.IDToken() != "") != tc.want {
			t.Fatalf("scopes %v: id_token present %t", tc.scopes, tok.IDToken() != "")
		}
		if tc.want {
			c, err := p.VerifyToken(ctxT(t), tok, "nonce-123")
			if err != nil || c.Subject != "grace" || c.Name != "Grace Hopper" {
				t.Fatalf("claims %+v, %v", c, err)
			}
		}
	}
	// The nonce is redacted from the request record.
	for _, r := range srv.Requests() {
		if strings.Contains(r.Path+string(r.Body)+r.Query, "nonce-123") {
			t.Fatalf("request record holds the nonce: %+v", r)
		}
	}
}

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([a-z_]+)" value="([^"]*)">`)

// consentForm fetches the consent page and returns its hidden fields.
func consentForm(t *testing.T, cfg oauth.Config, state string, opts ...oauth2.AuthCodeOption) (string, url.Values) {
	t.Helper()
	resp, err := cfg.HTTPClient.Get(cfg.AuthCodeURL(state, opts...))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("consent page: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	form := url.Values{}
	for _, m := range hiddenInput.FindAllStringSubmatch(string(b), -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	return string(b), form
}

func TestConsentPage_AllowAndCancel(t *testing.T) {
	srv := newServer(t, restlitest.WithConsentPage())
	srv.AddMember(memberAda)
	srv.AddMember(memberGrace)
	cfg := srv.OAuthConfig()
	cfg.Scopes = []string{"openid", "profile", "email"}
	page, form := consentForm(t, cfg, "st-1", oauth.NonceOption("n-1"))
	for _, want := range []string{`id="allow"`, `id="cancel"`, `<li class="scope">openid</li>`, `<li class="scope">email</li>`,
		`<option value="ada" selected>Ada Lovelace`, `<option value="grace">Grace Hopper`} {
		if !strings.Contains(page, want) {
			t.Errorf("consent page lacks %q", want)
		}
	}
	if form.Get("state") != "st-1" || form.Get("client_id") != cfg.ClientID || form.Get("nonce") != "n-1" {
		t.Fatalf("hidden fields %v", form)
	}
	post := func(f url.Values) *http.Response {
		resp, err := cfg.HTTPClient.PostForm(srv.URL+"/oauth/v2/authorization", f)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}

	// Allow as Grace: a code for Grace.
	allow := url.Values{}
	for k, v := range form {
		allow[k] = v
	}
	allow.Set("member", "grace")
	allow.Set("action", "allow")
	resp := post(allow)
	loc, err := resp.Location()
	if err != nil || resp.StatusCode != http.StatusFound {
		t.Fatalf("Allow: %d %v", resp.StatusCode, err)
	}
	if loc.Query().Get("state") != "st-1" || loc.Query().Get("code") == "" {
		t.Fatalf("Allow redirected to %v", loc)
	}
	tok, err := cfg.Exchange(ctxT(t), loc.Query().Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	if st, ui := v2Get(t, srv, "/userinfo", tok.AccessToken); st != 200 || ui["sub"] != "grace" {
		t.Fatalf("token of the member chosen on the page: %d %v", st, ui)
	}

	// Cancel: error=user_cancelled_authorize with the state, no code.
	cancel := url.Values{}
	for k, v := range form {
		cancel[k] = v
	}
	cancel.Set("action", "cancel")
	resp = post(cancel)
	loc, _ = resp.Location()
	if resp.StatusCode != http.StatusFound || loc == nil || loc.Query().Get("error") != "user_cancelled_authorize" ||
		loc.Query().Get("state") != "st-1" || loc.Query().Get("code") != "" {
		t.Fatalf("Cancel: %d %v", resp.StatusCode, loc)
	}

	// A forged form: unknown member, unknown redirect.
	bad := url.Values{}
	for k, v := range allow {
		bad[k] = v
	}
	bad.Set("member", "mallory")
	if r := post(bad); r.StatusCode != http.StatusBadRequest {
		t.Fatalf("unknown member: %d", r.StatusCode)
	}
	bad.Set("member", "ada")
	bad.Set("redirect_uri", "https://evil.example/cb")
	if r := post(bad); r.StatusCode != http.StatusBadRequest {
		t.Fatalf("unregistered redirect: %d", r.StatusCode)
	}

	// The shortcut is one call away.
	srv.SetConsentPage(false)
	srv.SignInAs("grace")
	q := authorize(t, cfg, "st-2")
	tok, err = cfg.Exchange(ctxT(t), q.Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	if _, ui := v2Get(t, srv, "/userinfo", tok.AccessToken); ui["sub"] != "grace" {
		t.Fatalf("SignInAs: %v", ui)
	}
}
