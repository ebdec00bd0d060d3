package oauth

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzSecretAlphabet is what real credentials are made of (base64url and
// friends); secrets outside it are not meaningful for the scrub property.
func fuzzSecretOK(s string) bool {
	if len(s) < 8 || strings.Contains(s, "REDACTED") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
			return false
		}
	}
	return true
}

// FuzzParseOAuthError feeds error bodies of the token and introspection
// endpoints, which come from the network and may echo the request, to
// parseError and the scrubbing every endpoint error goes through. It must
// never panic; the error text must be valid UTF-8 on one line, bounded, and
// must never contain a credential the request carried, even when the server
// echoes it.
// Seeds live in testdata/fuzz/FuzzParseOAuthError.
func FuzzParseOAuthError(f *testing.F) {
	const sec = "SeCrEt-AbC123_xyz"
	for _, s := range []string{
		`{"error":"invalid_grant","error_description":"The provided authorization grant or refresh token is invalid, expired or revoked"}`,
		`{"error":"invalid_client","error_description":"client_secret=SeCrEt-AbC123_xyz is wrong"}`,
		`{"code":"x","message":"refresh_token SeCrEt%2DAbC123_xyz"}`,
		`{"error":42,"error_description":["a"]}`, `{"error":"a\u0000b\nc"}`, `not json SeCrEt-AbC123_xyz`,
		`{"error_description":"SeCrEt-AbC123_xy\u007fz"}`, ``, `{}`, `[]`,
	} {
		f.Add(400, s, sec)
		f.Add(200, s, "codeCANARY-1234")
	}
	f.Fuzz(func(t *testing.T, status int, body string, secret string) {
		secrets := []string{secret, "fixed-client-secret-0001"}
		e := scrubError(parseError(status, "token endpoint", []byte(body)), secrets)
		if e == nil || e.StatusCode != status {
			t.Fatalf("parseError lost the status: %+v", e)
		}
		if len(e.Code) > maxCodeLen+len("…") || len(e.Description) > maxDescriptionLen+len("…") {
			t.Fatalf("unbounded code (%d) or description (%d)", len(e.Code), len(e.Description))
		}
		msg := e.Error()
		if !utf8.ValidString(msg) || strings.ContainsAny(msg, "\r\n") {
			t.Fatalf("error text is not one line of UTF-8: %q", msg)
		}
		for _, s := range secrets {
			if fuzzSecretOK(s) && strings.Contains(msg, s) {
				t.Fatalf("error text leaks a credential: %q", msg)
			}
		}
		switch et := e.ErrorType(); {
		case isKnownCode(e.Code) && et != e.Code:
			t.Fatalf("ErrorType %q for code %q", et, e.Code)
		case !isKnownCode(e.Code) && et != "oauth_error" && et != "malformed_response" && et != strconv.Itoa(e.StatusCode):
			t.Fatalf("ErrorType %q outside the fixed set for code %q", et, e.Code)
		}
		if errors.Is(e, ErrReauthorize) {
			t.Fatal("a parsed error body wraps ErrReauthorize by itself")
		}
	})
}
