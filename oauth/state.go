package oauth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
)

// NewState returns a fresh state value for AuthCodeURL: 32 bytes from
// crypto/rand, base64url-encoded without padding (43 URL-safe characters).
// Store it with the member's session and compare it with CheckState when the
// browser comes back.
func NewState() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("oauth: generating state: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// CheckState reports whether the state returned to the redirect URL (got)
// equals the one issued (want). The comparison takes constant time for
// values of equal length; an empty got or want never matches, so a missing
// state cannot pass for a missing session.
func CheckState(got, want string) bool {
	if got == "" || want == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
