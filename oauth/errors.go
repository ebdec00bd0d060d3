package oauth

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/linkedin-go/linkedin/restli"
)

// ErrReauthorize reports that a token cannot be refreshed and the member
// must go through the authorization flow again: there is no refresh token,
// the refresh token has expired, or the token endpoint rejected it
// (invalid_grant). Test for it with errors.Is.
var ErrReauthorize = errors.New("oauth: re-authorization required")

// ErrMalformedResponse reports a token or introspection response that is not
// the JSON document the endpoint documents (not JSON, a field of the wrong
// type, a missing access_token or active field, an out-of-range number, or
// a body larger than the read bound). It is the Err of the *Error returned.
var ErrMalformedResponse = errors.New("oauth: malformed response")

// ErrInsecureTransport is returned by the Middleware layer for a request to
// an allowed host over plain http when that host is not a loopback host: the
// token is never sent in clear text, so the request is not sent at all.
var ErrInsecureTransport = errors.New("oauth: refusing to send a token over plain http")

// Error is a failure reported by a LinkedIn OAuth endpoint: a non-2xx answer,
// a 2xx answer carrying an "error" member, or a response that could not be
// parsed. Retrieve it with errors.As.
//
// Code and Description never contain a credential the request carried: any
// occurrence of the client secret, authorization code, refresh token, access
// token or PKCE verifier in the server's text is replaced by "REDACTED"
// (restli.RedactText).
// The raw response body is not kept.
type Error struct {
	// StatusCode is the HTTP status of the response.
	StatusCode int
	// Code is LinkedIn's "error" value, e.g. "invalid_request",
	// "invalid_client" or "invalid_grant". It is empty when the body had
	// none (for example a non-JSON error page).
	Code string
	// Description is LinkedIn's "error_description", when sent.
	Description string
	// Err is the underlying condition, if any: ErrReauthorize for a refresh
	// token the endpoint rejected, ErrMalformedResponse for a body that could
	// not be parsed. Error.Unwrap returns it.
	Err error

	op     string // "token endpoint", "introspection endpoint", "token source"
	detail string // fixed text describing a malformed response
}

// Error returns a one-line description: the endpoint, the HTTP status,
// LinkedIn's code and description. It never contains credentials.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("oauth: ")
	if e.op != "" {
		b.WriteString(e.op)
		b.WriteString(": ")
	}
	b.WriteString("HTTP ")
	b.WriteString(strconv.Itoa(e.StatusCode))
	if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteByte(' ')
		b.WriteString(t)
	}
	if e.Code != "" {
		b.WriteString(": ")
		b.WriteString(e.Code)
	}
	if e.Description != "" {
		b.WriteString(": ")
		b.WriteString(e.Description)
	}
	if errors.Is(e.Err, ErrMalformedResponse) {
		b.WriteString(": malformed response")
		if e.detail != "" {
			b.WriteString(": ")
			b.WriteString(e.detail)
		}
	} else if errors.Is(e.Err, ErrReauthorize) {
		b.WriteString(" (re-authorization required)")
	}
	return b.String()
}

// Unwrap returns Err.
func (e *Error) Unwrap() error { return e.Err }

// ErrorType returns a low-cardinality classification for OpenTelemetry's
// error.type attribute, from a fixed set: the error code when it is one of
// the codes OAuth 2.0 defines (RFC 6749 and RFC 6750: "invalid_request",
// "invalid_client", "invalid_grant", "unauthorized_client",
// "unsupported_grant_type", "invalid_scope", "access_denied",
// "unsupported_response_type", "server_error", "temporarily_unavailable",
// "invalid_token", "insufficient_scope"), "malformed_response" for an
// unparsable response, else the HTTP status code as text ("400"), or
// "oauth_error" without one. A code the server chose outside that list
// never becomes a metric attribute value.
func (e *Error) ErrorType() string {
	if isKnownCode(e.Code) {
		return e.Code
	}
	if errors.Is(e.Err, ErrMalformedResponse) {
		return "malformed_response"
	}
	if e.StatusCode >= 100 && e.StatusCode <= 999 {
		return strconv.Itoa(e.StatusCode)
	}
	return "oauth_error"
}

// isKnownCode reports whether code is one of the error codes OAuth 2.0
// defines.
func isKnownCode(code string) bool {
	switch code {
	case "invalid_request", "invalid_client", "invalid_grant", "unauthorized_client",
		"unsupported_grant_type", "invalid_scope", "access_denied", "unsupported_response_type",
		"server_error", "temporarily_unavailable", "invalid_token", "insufficient_scope":
		return true
	}
	return false
}

const (
	maxCodeLen        = 128
	maxDescriptionLen = 1024
)

// scrub makes server-supplied text safe to keep in an error: every secret
// (in its raw and form-encoded spellings) and every URL is redacted by
// restli.RedactText (a secret shorter than restli.MinSecretLength only as a
// whole word, so error codes stay whole), control characters
// and invalid UTF-8 are dropped, and the text is bounded.
func scrub(s string, max int, secrets []string) string {
	if s == "" {
		return ""
	}
	s = restli.RedactText(strings.ToValidUTF8(s, ""), secrets...)
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		// Secrets were replaced above, so the cut cannot leave part of one.
		s = s[:cut] + "…"
	}
	return s
}
