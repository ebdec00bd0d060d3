package oauth

// The OpenID Connect nonce, the companion of the state value (state.go):
// the state protects the callback against forged requests, the nonce binds
// the id_token to the authorization request that asked for it.

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"

	"golang.org/x/oauth2"
)

// NewNonce returns a fresh nonce for an authorization request with the
// openid scope: 32 bytes from crypto/rand, base64url-encoded without
// padding. Send it with NonceOption, keep it with the member's session
// (like the state) and pass it to Provider.VerifyIDToken, which rejects an
// id_token without exactly this nonce. A nonce is a secret of the session:
// never log it.
func NewNonce() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("oauth: generating nonce: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// NonceOption adds nonce to the authorization URL:
// cfg.AuthCodeURL(state, oauth.NonceOption(nonce)).
func NonceOption(nonce string) oauth2.AuthCodeOption {
	return oauth2.SetAuthURLParam("nonce", nonce)
}
