package oauth_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/oauth"
	"github.com/linkedin-go/linkedin/restli/restlitest"
)

var ada = restlitest.Member{ID: "ada-42", GivenName: "Ada", FamilyName: "Lovelace", Email: "ada@example.com",
	EmailVerified: true, Language: "en", Country: "GB"}

// newOIDC starts a fake LinkedIn with Ada as a member and discovers its
// provider.
func newOIDC(t *testing.T, opts ...restlitest.Option) (*restlitest.Server, oauth.Config, *oauth.Provider) {
	t.Helper()
	srv := restlitest.NewServer(opts...)
	t.Cleanup(srv.Close)
	srv.AddMember(ada)
	cfg := srv.OAuthConfig()
	p, err := oauth.NewProvider(t.Context(), &cfg, srv.OIDCOptions())
	if err != nil {
		t.Fatalf("NewProvider: %v", err)
	}
	return srv, cfg, p
}

// signIn runs the authorization-code flow with the openid scope, a nonce
// and PKCE through the no-browser shortcut and returns the token.
func signIn(t *testing.T, cfg oauth.Config, nonce string) *oauth.Token {
	t.Helper()
	cfg.Scopes = []string{"openid", "profile", "email"}
	state, _ := oauth.NewState()
	verifier := oauth2.GenerateVerifier()
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(verifier)}
	if nonce != "" {
		opts = append(opts, oauth.NonceOption(nonce))
	}
	resp, err := cfg.HTTPClient.Get(cfg.AuthCodeURL(state, opts...))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil {
		t.Fatalf("authorization answered %s without a redirect", resp.Status)
	}
	if !oauth.CheckState(loc.Query().Get("state"), state) {
		t.Fatal("state not echoed")
	}
	tok, err := cfg.Exchange(t.Context(), loc.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("Exchange: %v", err)
	}
	return tok
}

func TestVerifyIDToken_ValidTokenFromTheCodeExchange(t *testing.T) {
	_, cfg, p := newOIDC(t)
	nonce, err := oauth.NewNonce()
	if err != nil {
		t.Fatal(err)
	}
	tok := signIn(t, cfg, nonce)
	if tok.IDToken() == "" {
		t.Fatal("no id_token with the openid scope")
	}
	c, err := p.VerifyToken(t.Context(), tok, nonce)
	if err != nil {
		t.Fatalf("VerifyToken: %v", err)
	}
	want := oauth.Profile{Subject: "ada-42", Name: "Ada Lovelace", GivenName: "Ada", FamilyName: "Lovelace",
		Email: "ada@example.com", EmailVerified: true, Locale: oauth.Locale{Language: "en", Country: "GB"}}
	got := c.Profile
	got.Picture = ""
	if got != want {
		t.Errorf("claims = %+v, want %+v", got, want)
	}
	if !strings.HasPrefix(c.Picture, "data:image/svg+xml,") {
		t.Errorf("picture = %q", c.Picture)
	}
	if c.Issuer != cfg.AuthURL[:strings.Index(cfg.AuthURL, "/oauth/")]+"/oauth" || len(c.Audience) != 1 || c.Audience[0] != cfg.ClientID {
		t.Errorf("iss %q aud %v", c.Issuer, c.Audience)
	}
	if !c.Expiry.After(c.IssuedAt) {
		t.Errorf("exp %v not after iat %v", c.Expiry, c.IssuedAt)
	}
	// Without a nonce in the request, none is required.
	tok2 := signIn(t, cfg, "")
	if _, err := p.VerifyToken(t.Context(), tok2, ""); err != nil {
		t.Fatalf("VerifyToken without nonce: %v", err)
	}
}

func TestVerifyIDToken_Rejections(t *testing.T) {
	srv, cfg, p := newOIDC(t)
	now := time.Now()
	claims := func(change func(map[string]any)) map[string]any {
		c := srv.IDTokenClaims("ada-42", cfg.ClientID, now)
		c["nonce"] = "the-nonce"
		if change != nil {
			change(c)
		}
		return c
	}
	sign := func(c map[string]any) string {
		s, err := srv.SignIDToken(c)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	kid, err := srv.SigningKeyID()
	if err != nil {
		t.Fatal(err)
	}
	forged := signWithForeignKey(t, kid, claims(nil))

	tests := []struct {
		name   string
		raw    string
		nonce  string
		reason string
	}{
		{"valid", sign(claims(nil)), "the-nonce", ""},
		{"wrong audience", sign(claims(func(c map[string]any) { c["aud"] = "another-app" })), "the-nonce", oauth.ReasonAudience},
		{"wrong issuer", sign(claims(func(c map[string]any) { c["iss"] = "https://www.linkedin.com" })), "the-nonce", oauth.ReasonIssuer},
		{"expired", sign(claims(func(c map[string]any) {
			c["iat"] = now.Add(-2 * time.Hour).Unix()
			c["exp"] = now.Add(-time.Hour).Unix()
		})), "the-nonce", oauth.ReasonExpired},
		{"bad signature (another key, same kid)", forged, "the-nonce", oauth.ReasonSignature},
		{"tampered payload", tamper(t, sign(claims(nil))), "the-nonce", oauth.ReasonSignature},
		{"missing nonce when one was sent", sign(claims(func(c map[string]any) { delete(c, "nonce") })), "the-nonce", oauth.ReasonNonce},
		{"other nonce", sign(claims(nil)), "another-nonce", oauth.ReasonNonce},
		{"not a JWT", "not-a-jwt", "", oauth.ReasonMalformed},
		{"empty", "", "", oauth.ReasonMissing},
		{"no sub", sign(claims(func(c map[string]any) { delete(c, "sub") })), "the-nonce", oauth.ReasonMalformed},
		{"email_verified of the wrong type", sign(claims(func(c map[string]any) { c["email_verified"] = 3 })), "the-nonce", oauth.ReasonMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := p.VerifyIDToken(t.Context(), tc.raw, tc.nonce)
			if tc.reason == "" {
				if err != nil {
					t.Fatalf("VerifyIDToken: %v", err)
				}
				if c.Subject != "ada-42" {
					t.Fatalf("sub = %q", c.Subject)
				}
				return
			}
			var e *oauth.IDTokenError
			if !errors.As(err, &e) || !errors.Is(err, oauth.ErrIDTokenInvalid) {
				t.Fatalf("err = %v (%T), want *IDTokenError", err, err)
			}
			if e.Reason != tc.reason {
				t.Fatalf("Reason = %q (%v), want %q", e.Reason, err, tc.reason)
			}
			for _, secret := range []string{tc.raw, tc.nonce} {
				if len(secret) > 8 && strings.Contains(err.Error(), secret) {
					t.Fatalf("error text contains a secret: %v", err)
				}
			}
		})
	}
}

func TestVerifyIDToken_StringEmailVerifiedAndLocale(t *testing.T) {
	srv, cfg, p := newOIDC(t)
	c := srv.IDTokenClaims("ada-42", cfg.ClientID, time.Now())
	c["email_verified"] = "true" // as LinkedIn's id_tokens have sent it
	c["locale"] = "en-US"
	raw, err := srv.SignIDToken(c)
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.VerifyIDToken(t.Context(), raw, "")
	if err != nil {
		t.Fatal(err)
	}
	if !got.EmailVerified || got.Locale != (oauth.Locale{Language: "en", Country: "US"}) || got.Locale.String() != "en_US" {
		t.Fatalf("email_verified %t locale %+v", got.EmailVerified, got.Locale)
	}
}

func TestVerifyIDToken_KeyRotation(t *testing.T) {
	srv, cfg, p := newOIDC(t)
	old := signIn(t, cfg, "n1")
	if _, err := p.VerifyToken(t.Context(), old, "n1"); err != nil {
		t.Fatalf("before rotation: %v", err)
	}
	kid1, _ := srv.SigningKeyID()
	kid2, err := srv.RotateSigningKey()
	if err != nil {
		t.Fatal(err)
	}
	if kid2 == kid1 {
		t.Fatal("rotation kept the key id")
	}
	// The provider fetched the JWKS before the rotation; a token signed
	// with the new key makes it fetch the keys again.
	fresh := signIn(t, cfg, "n2")
	if _, err := p.VerifyToken(t.Context(), fresh, "n2"); err != nil {
		t.Fatalf("token signed with the new key: %v", err)
	}
	// The previous key is still published, so a token it signed verifies.
	if _, err := p.VerifyToken(t.Context(), old, "n1"); err != nil {
		t.Fatalf("token signed with the previous key: %v", err)
	}
	// After a second rotation the first key is gone.
	if _, err := srv.RotateSigningKey(); err != nil {
		t.Fatal(err)
	}
	newer := signIn(t, cfg, "n3")
	if _, err := p.VerifyToken(t.Context(), newer, "n3"); err != nil {
		t.Fatalf("after the second rotation: %v", err)
	}
	// go-oidc hands the keys it fetched to the waiting call before it
	// stores them in its cache (RemoteKeySet.keysFromRemote), so for a
	// moment the cache can still hold the retired key: retry, bounded,
	// until it does not.
	for i := 0; i < 500; i++ {
		if _, err = p.VerifyToken(t.Context(), old, "n1"); err != nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	var e *oauth.IDTokenError
	if !errors.As(err, &e) || e.Reason != oauth.ReasonSignature {
		t.Fatalf("token of a retired key: %v, want a signature rejection", err)
	}
}

func TestVerifyIDToken_ClockOption(t *testing.T) {
	srv, cfg, _ := newOIDC(t)
	raw, err := srv.SignIDToken(srv.IDTokenClaims("ada-42", cfg.ClientID, time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	opts := srv.OIDCOptions()
	opts.Now = func() time.Time { return time.Now().Add(2 * restlitest.IDTokenTTL) }
	p, err := oauth.NewProvider(t.Context(), &cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.VerifyIDToken(t.Context(), raw, "")
	var e *oauth.IDTokenError
	if !errors.As(err, &e) || e.Reason != oauth.ReasonExpired || e.Expiry.IsZero() {
		t.Fatalf("err = %v, want expired with its expiry", err)
	}
}

func TestNewProvider_Errors(t *testing.T) {
	srv := restlitest.NewServer()
	defer srv.Close()
	cfg := srv.OAuthConfig()
	tests := []struct {
		name string
		cfg  *oauth.Config
		opts oauth.OIDCOptions
		is   error
	}{
		{"no client id", &oauth.Config{}, srv.OIDCOptions(), oauth.ErrNoClientID},
		{"nil config", nil, srv.OIDCOptions(), oauth.ErrNoClientID},
		{"issuer mismatch", &cfg, oauth.OIDCOptions{Issuer: srv.URL + "/oauth/"}, nil},
		{"no discovery document", &cfg, oauth.OIDCOptions{Issuer: srv.URL + "/nothing"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := oauth.NewProvider(t.Context(), tc.cfg, tc.opts)
			var e *oauth.OIDCError
			if !errors.As(err, &e) || e.Op != "discovery" {
				t.Fatalf("err = %v, want *OIDCError discovery", err)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Fatalf("err = %v, want %v", err, tc.is)
			}
		})
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := oauth.NewProvider(ctx, &cfg, srv.OIDCOptions()); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled discovery: %v", err)
	}
}

func TestUserInfo_TypedProfileOfTheTokensMember(t *testing.T) {
	srv, cfg, p := newOIDC(t)
	grace := restlitest.Member{ID: "grace-7", GivenName: "Grace", FamilyName: "Hopper", Email: "grace@example.com"}
	srv.AddMember(grace)
	for _, m := range []restlitest.Member{ada, grace} {
		tok := srv.AuthorizeMember(m.ID, "openid", "profile", "email")
		ui, err := p.UserInfo(t.Context(), tok.AccessToken)
		if err != nil {
			t.Fatalf("UserInfo(%s): %v", m.ID, err)
		}
		if ui.Subject != m.ID || ui.Name != m.Name() || ui.GivenName != m.GivenName || ui.FamilyName != m.FamilyName ||
			ui.Email != m.Email || ui.EmailVerified != m.EmailVerified || ui.Picture == "" {
			t.Errorf("UserInfo(%s) = %+v", m.ID, ui.Profile)
		}
		if m.ID == "ada-42" && ui.Locale.String() != "en_GB" {
			t.Errorf("locale = %+v", ui.Locale)
		}
	}
	// A revoked member's token: a typed 401 that does not contain the token.
	tok := srv.AuthorizeMember("grace-7", "openid")
	srv.RevokeMember("grace-7")
	_, err := p.UserInfo(t.Context(), tok.AccessToken)
	var e *oauth.OIDCError
	if !errors.As(err, &e) || e.StatusCode != http.StatusUnauthorized || e.Op != "userinfo" {
		t.Fatalf("revoked: %v", err)
	}
	if strings.Contains(err.Error(), tok.AccessToken) {
		t.Fatal("error contains the token")
	}
	_ = cfg
}

func TestUserInfo_RefusesPlainHTTPToARemoteHost(t *testing.T) {
	srv, cfg, _ := newOIDC(t)
	opts := srv.OIDCOptions()
	opts.UserInfoURL = "http://api.linkedin.example/v2/userinfo"
	p, err := oauth.NewProvider(t.Context(), &cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.UserInfo(t.Context(), "CANARY-ACCESS-TOKEN-in-clear")
	if !errors.Is(err, oauth.ErrInsecureTransport) {
		t.Fatalf("err = %v, want ErrInsecureTransport", err)
	}
	if _, err := p.UserInfo(t.Context(), ""); err == nil {
		t.Fatal("empty token accepted")
	}
}

// signWithForeignKey signs claims with a fresh RSA key that claims the
// provider's key id: a forged token.
func signWithForeignKey(t *testing.T, kid string, claims map[string]any) string {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(claims)
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: kid}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	jws, err := sig.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	s, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// tamper changes the payload of a signed JWT (the name claim) and keeps the
// signature.
func tamper(t *testing.T, raw string) string {
	t.Helper()
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		t.Fatalf("not a compact JWS: %d parts", len(parts))
	}
	b, err := decodeSegment(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	c["name"] = "Mallory"
	nb, _ := json.Marshal(c)
	parts[1] = encodeSegment(nb)
	return strings.Join(parts, ".")
}

func decodeSegment(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(s)
}

func encodeSegment(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// Example-style check that the authorization URL carries the nonce.
func TestNonceOption_InAuthorizationURL(t *testing.T) {
	cfg := oauth.Config{ClientID: "app", RedirectURL: "https://app.example/cb", Scopes: []string{"openid"}}
	n, err := oauth.NewNonce()
	if err != nil || len(n) != 43 {
		t.Fatalf("NewNonce = %q, %v", n, err)
	}
	u, err := url.Parse(cfg.AuthCodeURL("st", oauth.NonceOption(n)))
	if err != nil {
		t.Fatal(err)
	}
	if u.Query().Get("nonce") != n {
		t.Fatalf("nonce missing from %s", fmt.Sprint(u.Query()))
	}
}
