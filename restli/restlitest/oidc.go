package restlitest

// The OpenID Connect provider ("Sign In with LinkedIn using OpenID
// Connect"): the discovery document at URL+"/oauth/.well-known/
// openid-configuration", the signing keys at URL+"/oauth/openid/jwks", and
// the id_token the token endpoint adds when the openid scope was granted,
// signed with RS256 (go-jose) and carrying the member's claims and the
// nonce of the authorization request.

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/linkedin-go/linkedin/oauth"
)

// IDTokenTTL is the lifetime of the id_tokens the server signs.
const IDTokenTTL = time.Hour

// OIDC paths, under URL.
const (
	IssuerPath    = "/oauth"
	DiscoveryPath = "/oauth/.well-known/openid-configuration"
	JWKSPath      = "/oauth/openid/jwks"
)

// signingKey is one RSA key of the provider.
type signingKey struct {
	id  string
	key *rsa.PrivateKey
}

// oidcKeys holds the signing keys: the current one signs, the previous one
// stays in the JWKS after a rotation (as providers keep it while tokens it
// signed are alive). The keys are made on first use: an RSA key takes a
// while to generate, and most servers never sign anything.
type oidcKeys struct {
	mu       sync.Mutex
	current  *signingKey
	previous *signingKey
	n        int
}

// next generates a new key. k.mu must be held.
func (k *oidcKeys) next() error {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	k.n++
	k.previous = k.current
	k.current = &signingKey{id: "restlitest-key-" + strconv.Itoa(k.n), key: key}
	return nil
}

// signer returns the current key, generating the first one if needed.
func (k *oidcKeys) signer() (*signingKey, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.current == nil {
		if err := k.next(); err != nil {
			return nil, err
		}
	}
	return k.current, nil
}

// Issuer returns the server's OpenID Connect issuer, URL+"/oauth" (LinkedIn's
// is https://www.linkedin.com/oauth). Pass it as oauth.OIDCOptions.Issuer;
// OIDCOptions does.
func (s *Server) Issuer() string { return s.URL + IssuerPath }

// OIDCOptions returns the oauth.OIDCOptions for the server's provider: its
// issuer. Discovery then finds the server's JWKS and /v2/userinfo.
func (s *Server) OIDCOptions() oauth.OIDCOptions {
	return oauth.OIDCOptions{Issuer: s.Issuer()}
}

// RotateSigningKey makes a new signing key current. The previous key stays
// published in the JWKS, so id_tokens it signed still verify; the one before
// it is dropped. It returns the new key's id ("kid").
func (s *Server) RotateSigningKey() (string, error) {
	k := &s.auth.oidc
	k.mu.Lock()
	defer k.mu.Unlock()
	if err := k.next(); err != nil {
		return "", err
	}
	return k.current.id, nil
}

// SigningKeyID returns the id ("kid") of the key that signs id_tokens now.
func (s *Server) SigningKeyID() (string, error) {
	k, err := s.auth.oidc.signer()
	if err != nil {
		return "", err
	}
	return k.id, nil
}

// SignIDToken signs claims as a JWT with the current key (RS256, with its
// kid), exactly as the token endpoint signs id_tokens. Tests use it to make
// tokens the provider would never issue: another audience or issuer, an
// expiry in the past, no nonce.
func (s *Server) SignIDToken(claims map[string]any) (string, error) {
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	k, err := s.auth.oidc.signer()
	if err != nil {
		return "", err
	}
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: k.key, KeyID: k.id}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", err
	}
	jws, err := sig.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}

// IDTokenClaims returns the claims the server puts in an id_token for the
// member with id, issued to clientID at now: iss, aud, sub, iat, exp and the
// member's profile (name, given_name, family_name, picture, email,
// email_verified, locale). A member that is not registered gets a
// placeholder profile.
func (s *Server) IDTokenClaims(id, clientID string, now time.Time) map[string]any {
	s.mu.Lock()
	m, ok := s.auth.members[id]
	s.mu.Unlock()
	return s.idClaims(m, ok, id, clientID, now)
}

func (s *Server) idClaims(m Member, ok bool, id, clientID string, now time.Time) map[string]any {
	if !ok {
		if id == "" {
			id = "restlitest-member"
		}
		m = Member{ID: id, GivenName: "Test", FamilyName: "Member", Email: "member@example.com", EmailVerified: true}.withDefaults()
	}
	return map[string]any{
		"iss":            s.Issuer(),
		"aud":            clientID,
		"sub":            m.ID,
		"iat":            now.Unix(),
		"exp":            now.Add(IDTokenTTL).Unix(),
		"name":           m.Name(),
		"given_name":     m.GivenName,
		"family_name":    m.FamilyName,
		"picture":        m.Picture,
		"email":          m.Email,
		"email_verified": m.EmailVerified,
		"locale":         m.Language + "_" + m.Country,
	}
}

// idTokenFor signs the id_token of a code exchange. s.mu is held.
func (s *Server) idTokenFor(clientID string, ci *codeInfo, now time.Time) (string, error) {
	m, ok := s.auth.members[ci.member]
	claims := s.idClaims(m, ok, ci.member, clientID, now)
	if ci.nonce != "" {
		claims["nonce"] = ci.nonce
	}
	return s.SignIDToken(claims)
}

// serveOIDC answers the discovery document and the JWKS.
func (s *Server) serveOIDC(r *http.Request) *response {
	if r.Method != http.MethodGet {
		return oauthError(http.StatusMethodNotAllowed, "invalid_request", "use GET")
	}
	switch r.URL.Path {
	case DiscoveryPath:
		iss := s.Issuer()
		return jsonResponse(http.StatusOK, map[string]any{
			"issuer":                                iss,
			"authorization_endpoint":                s.URL + "/oauth/v2/authorization",
			"token_endpoint":                        s.URL + "/oauth/v2/accessToken",
			"userinfo_endpoint":                     s.URL + "/v2/userinfo",
			"jwks_uri":                              s.URL + JWKSPath,
			"response_types_supported":              []string{"code"},
			"subject_types_supported":               []string{"pairwise"},
			"id_token_signing_alg_values_supported": []string{"RS256"},
			"scopes_supported":                      []string{"openid", "profile", "email"},
			"claims_supported": []string{"iss", "aud", "iat", "exp", "sub", "name", "given_name",
				"family_name", "picture", "email", "email_verified", "locale"},
		})
	case JWKSPath:
		if _, err := s.auth.oidc.signer(); err != nil {
			return oauthError(http.StatusInternalServerError, "server_error", "no signing key")
		}
		k := &s.auth.oidc
		k.mu.Lock()
		var set jose.JSONWebKeySet
		for _, sk := range []*signingKey{k.current, k.previous} {
			if sk != nil {
				set.Keys = append(set.Keys, jose.JSONWebKey{Key: sk.key.Public(), KeyID: sk.id, Algorithm: string(jose.RS256), Use: "sig"})
			}
		}
		k.mu.Unlock()
		return jsonResponse(http.StatusOK, set)
	}
	return oauthError(http.StatusNotFound, "invalid_request", "no such endpoint")
}
