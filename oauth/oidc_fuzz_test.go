package oauth

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-jose/go-jose/v4"
	"golang.org/x/oauth2"
)

const testIssuer = "https://issuer.example/oauth"

var (
	testKeyOnce sync.Once
	testKey     *rsa.PrivateKey
)

// staticProvider is a Provider over a fixed RSA key, without discovery.
func staticProvider(t testing.TB, userInfoURL string) (*Provider, *rsa.PrivateKey) {
	t.Helper()
	testKeyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		testKey = k
	})
	ks := &oidc.StaticKeySet{PublicKeys: []crypto.PublicKey{testKey.Public()}}
	return &Provider{
		clientID:    "app",
		userInfoURL: userInfoURL,
		client:      http.DefaultClient,
		verifier: oidc.NewVerifier(testIssuer, ks, &oidc.Config{ClientID: "app", SupportedSigningAlgs: []string{oidc.RS256},
			Now: func() time.Time { return time.Unix(1_800_000_000, 0) }}),
	}, testKey
}

func signClaims(t testing.TB, key *rsa.PrivateKey, claims map[string]any) string {
	t.Helper()
	b, _ := json.Marshal(claims)
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, nil)
	if err != nil {
		t.Fatal(err)
	}
	jws, err := s.Sign(b)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := jws.CompactSerialize()
	return out
}

func goodClaims() map[string]any {
	return map[string]any{"iss": testIssuer, "aud": "app", "sub": "m1", "iat": 1_800_000_000 - 60,
		"exp": 1_800_000_000 + 3600, "nonce": "n", "name": "Ada", "email_verified": "true", "locale": "en_US"}
}

// FuzzVerifyIDToken: any input is either accepted with a subject or
// rejected with an *IDTokenError whose text does not quote the input.
func FuzzVerifyIDToken(f *testing.F) {
	p, key := staticProvider(f, "")
	f.Add(signClaims(f, key, goodClaims()), "n")
	f.Add("a.b.c", "")
	f.Add("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "")
	f.Add("", "n")
	f.Fuzz(func(t *testing.T, raw, nonce string) {
		c, err := p.VerifyIDToken(context.Background(), raw, nonce)
		if err == nil {
			if c == nil || c.Subject == "" {
				t.Fatal("accepted without a subject")
			}
			return
		}
		var e *IDTokenError
		if !errors.As(err, &e) || !errors.Is(err, ErrIDTokenInvalid) {
			t.Fatalf("error %T %v, want *IDTokenError", err, err)
		}
		if len(raw) > 12 && strings.Contains(err.Error(), raw) {
			t.Fatal("error quotes the token")
		}
	})
}

// FuzzParseUserInfo: no panic; success means a subject; errors wrap
// ErrMalformedResponse and quote no input.
func FuzzParseUserInfo(f *testing.F) {
	f.Add([]byte(`{"sub":"x","name":"A B","email_verified":true,"locale":{"country":"US","language":"en"}}`))
	f.Add([]byte(`{"sub":"x","email_verified":"true","locale":"en-US"}`))
	f.Add([]byte(`{"sub":1}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"sub":"x","locale":7}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ui, err := ParseUserInfo(body)
		if err != nil {
			if !errors.Is(err, ErrMalformedResponse) {
				t.Fatalf("error %v does not wrap ErrMalformedResponse", err)
			}
			if len(body) > 16 && strings.Contains(err.Error(), string(body)) {
				t.Fatal("error quotes the body")
			}
			return
		}
		if ui.Subject == "" {
			t.Fatal("parsed without a subject")
		}
		// The object form round-trips.
		b, err := json.Marshal(ui.Locale)
		if err != nil {
			t.Fatal(err)
		}
		var l Locale
		if err := json.Unmarshal(b, &l); err != nil || l != ui.Locale {
			t.Fatalf("locale %+v does not round-trip: %s → %+v, %v", ui.Locale, b, l, err)
		}
	})
}

func TestVerifyIDToken_StaticKeyTable(t *testing.T) {
	p, key := staticProvider(t, "")
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	with := func(k string, v any) map[string]any {
		c := goodClaims()
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		return c
	}
	tests := []struct {
		name   string
		raw    string
		reason string
	}{
		{"valid", signClaims(t, key, goodClaims()), ""},
		{"audience list with ours", signClaims(t, key, with("aud", []string{"x", "app"})), ""},
		{"audience", signClaims(t, key, with("aud", "x")), ReasonAudience},
		{"issuer", signClaims(t, key, with("iss", "https://www.linkedin.com")), ReasonIssuer},
		{"expired", signClaims(t, key, with("exp", 1_800_000_000-1)), ReasonExpired},
		{"not yet valid", signClaims(t, key, with("nbf", 1_800_000_000+3600)), ReasonExpired},
		{"signature", signClaims(t, other, goodClaims()), ReasonSignature},
		{"HS256 (algorithm confusion)", hmacSigned(t, goodClaims()), ReasonSignature},
		{"no nonce", signClaims(t, key, with("nonce", nil)), ReasonNonce},
		{"locale object", signClaims(t, key, with("locale", map[string]any{"language": "fr", "country": "FR"})), ""},
		{"bad locale", signClaims(t, key, with("locale", 3)), ReasonMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := p.VerifyIDToken(context.Background(), tc.raw, "n")
			if tc.reason == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var e *IDTokenError
			if !errors.As(err, &e) || e.Reason != tc.reason {
				t.Fatalf("err = %v, want reason %s", err, tc.reason)
			}
			if e.ErrorType() != "id_token_"+tc.reason {
				t.Fatalf("ErrorType %q", e.ErrorType())
			}
		})
	}
}

// hmacSigned signs claims with HS256, the algorithm of a confusion attack.
func hmacSigned(t *testing.T, claims map[string]any) string {
	t.Helper()
	b, _ := json.Marshal(claims)
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: []byte("0123456789abcdef0123456789abcdef")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	jws, err := s.Sign(b)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := jws.CompactSerialize()
	return out
}

// TestUserInfo_CanaryNeverInErrors: a userinfo endpoint that echoes the
// request (token included) in every error shape.
func TestUserInfo_CanaryNeverInErrors(t *testing.T) {
	bodies := []struct {
		status int
		body   func(auth string) string
	}{
		{401, func(a string) string {
			return fmt.Sprintf(`{"status":401,"code":"INVALID %s","message":"bad token %s"}`, a, a)
		}},
		{400, func(a string) string { return fmt.Sprintf(`{"error":"%s","error_description":"%s"}`, a, a) }},
		{500, func(a string) string { return "<html>" + a + "</html>" }},
		{200, func(a string) string { return `{"name":"` + a + `"}` }}, // no sub: malformed
		{200, func(a string) string { return a }},
	}
	for i, b := range bodies {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(b.status)
				fmt.Fprint(w, b.body(r.Header.Get("Authorization")))
			}))
			defer srv.Close()
			p, _ := staticProvider(t, srv.URL+"/v2/userinfo")
			_, err := p.UserInfo(context.Background(), canaryAccess)
			assertNoCanary(t, err)
			var e *OIDCError
			if !errors.As(err, &e) || e.Op != "userinfo" || e.StatusCode != b.status {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

// TestReauthorizeError_NoCanary: the invalid_grant of a refresh whose
// endpoint echoes the refresh token.
func TestReauthorizeError_NoCanary(t *testing.T) {
	srv := newOAuthServer(t, func(w http.ResponseWriter, r *http.Request, form url.Values) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(400)
		fmt.Fprintf(w, `{"error":"invalid_grant","error_description":"refresh token %s is revoked"}`, strings.Join(form["refresh_token"], ","))
	})
	c := srv.config()
	src := c.MemberTokenSource(MemberOptions{})
	tok := &Token{Token: &oauth2.Token{AccessToken: canaryAccess, RefreshToken: canaryRefresh, Expiry: fixedNow.Add(-time.Hour)}}
	if err := src.Put(context.Background(), "m1", tok); err != nil {
		t.Fatal(err)
	}
	_, err := src.TokenContext(WithMember(context.Background(), "m1"))
	var re *ReauthorizeError
	if !errors.As(err, &re) || re.Reason != ReauthInvalidGrant {
		t.Fatalf("err = %v", err)
	}
	assertNoCanary(t, err)
}
