package restlitest

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
)

// TokenFingerprint returns the short, stable name the request log gives
// token (Request.TokenFingerprint): "sha256:" and the first 8 hex digits of
// its SHA-256. It identifies which of a test's tokens made a request
// without showing the token; "" for an empty token.
func TokenFingerprint(token string) string {
	if token == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(token))
	return "sha256:" + hex.EncodeToString(sum[:4])
}

// identify fills rec's TokenFingerprint and Member from the bearer token
// r carries, if any.
func (s *Server) identify(rec *Request, r *http.Request) {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
		return
	}
	rec.TokenFingerprint = TokenFingerprint(tok)
	s.mu.Lock()
	if ti := s.auth.tokens[tok]; ti != nil {
		rec.Member = ti.member
	}
	s.mu.Unlock()
}
