package oauth

// OpenID Connect ("Sign In with LinkedIn using OpenID Connect") on
// github.com/coreos/go-oidc/v3: discovery of LinkedIn's provider, and
// verification of the id_token the token endpoint returns with the openid
// scope (RS256 signature against the provider's JWKS, issuer, audience =
// client id, expiry, and the nonce when one was sent).

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
)

// LinkedIn's OpenID Connect issuer and userinfo endpoint, used when
// OIDCOptions leaves them empty. Discovery reads
// DefaultIssuer+"/.well-known/openid-configuration".
const (
	DefaultIssuer      = "https://www.linkedin.com/oauth"
	DefaultUserInfoURL = "https://api.linkedin.com/v2/userinfo"
)

// OIDCOptions configures NewProvider. The zero value means LinkedIn.
type OIDCOptions struct {
	// Issuer is the provider's issuer URL (DefaultIssuer when empty). The
	// discovery document must name the same issuer, and so must every
	// id_token. A fake server gives its own (restlitest's Server.Issuer).
	Issuer string
	// UserInfoURL overrides the userinfo endpoint of the discovery document
	// (which is DefaultUserInfoURL at LinkedIn).
	UserInfoURL string
	// Now is the clock id_token expiry is checked against; nil means
	// time.Now.
	Now func() time.Time
}

// Provider is an OpenID Connect provider found by discovery: it verifies
// id_tokens issued to one application and calls the userinfo endpoint. It
// is safe for concurrent use. The provider's signing keys are fetched when
// first needed and again when an id_token names a key not seen before, so
// key rotation needs no restart.
type Provider struct {
	clientID    string
	userInfoURL string
	client      *http.Client
	verifier    *oidc.IDTokenVerifier
}

// NewProvider discovers the provider at opts.Issuer (LinkedIn by default)
// for the application cfg describes: the discovery document and, later, the
// JWKS and the userinfo endpoint are fetched with cfg.HTTPClient (the same
// default as the token endpoint's when nil). cfg.ClientID is the audience
// every id_token must name. Failures are *OIDCError values.
func NewProvider(ctx context.Context, cfg *Config, opts OIDCOptions) (*Provider, error) {
	if cfg == nil || cfg.ClientID == "" {
		return nil, &OIDCError{Op: "discovery", Err: ErrNoClientID}
	}
	issuer := orDefault(opts.Issuer, DefaultIssuer)
	hc := cfg.httpClient()
	p, err := oidc.NewProvider(oidc.ClientContext(ctx, hc), issuer)
	if err != nil {
		return nil, &OIDCError{Op: "discovery", Err: discoveryError(ctx, err)}
	}
	now := opts.Now
	if now == nil && cfg.now != nil {
		now = cfg.now
	}
	ui := opts.UserInfoURL
	if ui == "" {
		ui = orDefault(p.UserInfoEndpoint(), DefaultUserInfoURL)
	}
	return &Provider{
		clientID:    cfg.ClientID,
		userInfoURL: ui,
		client:      hc,
		verifier: p.Verifier(&oidc.Config{
			ClientID:             cfg.ClientID,
			SupportedSigningAlgs: []string{oidc.RS256},
			Now:                  now,
		}),
	}, nil
}

// discoveryError keeps a context error as is; go-oidc's other discovery
// errors name the issuer and status, never a credential, and are kept too.
func discoveryError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

// UserInfoURL returns the userinfo endpoint the provider calls.
func (p *Provider) UserInfoURL() string { return p.userInfoURL }

// VerifyIDToken verifies a raw id_token and returns its claims. It checks
// the RS256 signature against the provider's keys, the issuer, that the
// audience includes the application's client id, and the expiry; when nonce
// is not empty (the value sent with NonceOption in the authorization
// request), the token must carry exactly that nonce. Any failure is an
// *IDTokenError (errors.Is(err, ErrIDTokenInvalid)) whose text never
// contains the token or the nonce.
func (p *Provider) VerifyIDToken(ctx context.Context, rawIDToken, nonce string) (*IDClaims, error) {
	if strings.TrimSpace(rawIDToken) == "" {
		return nil, &IDTokenError{Reason: ReasonMissing}
	}
	t, err := p.verifier.Verify(ctx, rawIDToken)
	if err != nil {
		return nil, classifyVerifyError(ctx, err)
	}
	if nonce != "" {
		if t.Nonce == "" {
			return nil, &IDTokenError{Reason: ReasonNonce, detail: "the id_token has no nonce"}
		}
		if subtle.ConstantTimeCompare([]byte(t.Nonce), []byte(nonce)) != 1 {
			return nil, &IDTokenError{Reason: ReasonNonce, detail: "the nonce does not match"}
		}
	}
	var raw profileJSON
	if err := t.Claims(&raw); err != nil {
		return nil, &IDTokenError{Reason: ReasonMalformed, detail: "claims: " + describeJSONError(err)}
	}
	prof, err := raw.profile()
	if err != nil {
		return nil, &IDTokenError{Reason: ReasonMalformed, detail: err.Error()}
	}
	if prof.Subject == "" {
		return nil, &IDTokenError{Reason: ReasonMalformed, detail: "no sub claim"}
	}
	return &IDClaims{
		Profile:  prof,
		Issuer:   t.Issuer,
		Audience: t.Audience,
		IssuedAt: t.IssuedAt,
		Expiry:   t.Expiry,
	}, nil
}

// VerifyToken verifies the id_token of a code exchange's token (see
// VerifyIDToken). A token without an id_token (the openid scope was not
// granted) is an *IDTokenError with Reason ReasonMissing.
func (p *Provider) VerifyToken(ctx context.Context, tok *Token, nonce string) (*IDClaims, error) {
	return p.VerifyIDToken(ctx, tok.IDToken(), nonce)
}

// IDToken returns the raw id_token the token endpoint sent with t (with the
// openid scope), or "".
func (t *Token) IDToken() string {
	if t == nil || t.Token == nil {
		return ""
	}
	s, _ := t.Extra("id_token").(string)
	return s
}

// IDClaims are the verified claims of an id_token: the member's profile
// (LinkedIn sends sub, name, given_name, family_name, picture, email,
// email_verified and locale, as far as the granted scopes allow) and the
// token's issuer, audience and times.
type IDClaims struct {
	Profile
	Issuer   string
	Audience []string
	IssuedAt time.Time
	Expiry   time.Time
}

// classifyVerifyError turns a go-oidc verification error into an
// *IDTokenError with a fixed text. go-oidc's own texts are not kept: some
// quote values taken from the token.
func classifyVerifyError(ctx context.Context, err error) error {
	var exp *oidc.TokenExpiredError
	if errors.As(err, &exp) {
		return &IDTokenError{Reason: ReasonExpired, Expiry: exp.Expiry}
	}
	msg := err.Error()
	switch {
	case ctx.Err() != nil:
		return &IDTokenError{Reason: ReasonKeys, detail: "fetching the provider's keys", cause: ctx.Err()}
	case strings.Contains(msg, "issued by a different provider"):
		return &IDTokenError{Reason: ReasonIssuer}
	case strings.Contains(msg, "expected audience"):
		return &IDTokenError{Reason: ReasonAudience}
	case strings.Contains(msg, "fetching keys"):
		return &IDTokenError{Reason: ReasonKeys, detail: "fetching the provider's keys failed"}
	case strings.Contains(msg, "verify") && strings.Contains(msg, "signature"):
		return &IDTokenError{Reason: ReasonSignature}
	case strings.Contains(msg, "signature algorithm") || strings.Contains(msg, "unsupported algorithm"):
		return &IDTokenError{Reason: ReasonSignature, detail: "not signed with RS256"}
	case strings.Contains(msg, "not signed") || strings.Contains(msg, "multiple signatures"):
		return &IDTokenError{Reason: ReasonSignature, detail: "not signed once"}
	case strings.Contains(msg, "nbf"):
		return &IDTokenError{Reason: ReasonExpired, detail: "not valid yet"}
	case strings.Contains(msg, "malformed") || strings.Contains(msg, "unmarshal"):
		return &IDTokenError{Reason: ReasonMalformed}
	}
	return &IDTokenError{Reason: ReasonInvalid}
}
