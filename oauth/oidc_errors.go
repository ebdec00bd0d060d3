package oauth

// Typed errors of the OpenID Connect part: id_token verification failures,
// provider discovery failures and userinfo failures. None of their texts
// contains an id_token, an access token or a nonce.

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ErrIDTokenInvalid is matched (errors.Is) by every *IDTokenError.
var ErrIDTokenInvalid = errors.New("oauth: invalid id_token")

// ErrNoClientID reports a Config without a ClientID where one is needed
// (the audience of id_tokens).
var ErrNoClientID = errors.New("oauth: no client id")

// Reasons an id_token is rejected (IDTokenError.Reason).
const (
	ReasonMissing   = "missing"   // no id_token (the openid scope was not granted)
	ReasonMalformed = "malformed" // not a JWT, or claims of the wrong type
	ReasonSignature = "signature" // the signature does not verify with the provider's keys, or is not RS256
	ReasonIssuer    = "issuer"    // iss is not the provider's issuer
	ReasonAudience  = "audience"  // aud does not include the application's client id
	ReasonExpired   = "expired"   // exp is past (or nbf still ahead)
	ReasonNonce     = "nonce"     // a nonce was sent and the token has none, or another one
	ReasonKeys      = "keys"      // the provider's keys could not be fetched
	ReasonInvalid   = "invalid"   // any other failure
)

// IDTokenError is an id_token that failed verification. Reason says why
// (one of the Reason constants). It matches ErrIDTokenInvalid.
type IDTokenError struct {
	// Reason is one of ReasonMissing, ReasonMalformed, ReasonSignature,
	// ReasonIssuer, ReasonAudience, ReasonExpired, ReasonNonce, ReasonKeys,
	// ReasonInvalid.
	Reason string
	// Expiry is the token's expiry when Reason is ReasonExpired.
	Expiry time.Time

	detail string // fixed text
	cause  error  // a context error, when that is why
}

// Error returns "oauth: id_token rejected: <reason>[: <detail>]".
func (e *IDTokenError) Error() string {
	s := "oauth: id_token rejected: " + e.Reason
	if e.detail != "" {
		s += ": " + e.detail
	}
	if e.cause != nil {
		s += ": " + e.cause.Error()
	}
	return s
}

// Unwrap returns ErrIDTokenInvalid and the context error that caused the
// failure, if any.
func (e *IDTokenError) Unwrap() []error {
	if e.cause != nil {
		return []error{ErrIDTokenInvalid, e.cause}
	}
	return []error{ErrIDTokenInvalid}
}

// ErrorType returns "id_token_<reason>", for OpenTelemetry's error.type.
func (e *IDTokenError) ErrorType() string { return "id_token_" + e.Reason }

// OIDCError is a failure of provider discovery (Op "discovery") or of the
// userinfo endpoint (Op "userinfo"). StatusCode is the HTTP status when the
// endpoint answered.
type OIDCError struct {
	Op         string
	StatusCode int
	// Code and Message are the error body's code and message (LinkedIn's
	// Rest.li error "code"/"message", or OAuth's "error"/
	// "error_description"), with the access token removed.
	Code    string
	Message string
	Err     error
}

// Error returns a one-line description without credentials.
func (e *OIDCError) Error() string {
	var b strings.Builder
	b.WriteString("oauth: ")
	b.WriteString(e.Op)
	if e.StatusCode != 0 {
		b.WriteString(": HTTP ")
		b.WriteString(strconv.Itoa(e.StatusCode))
		if t := http.StatusText(e.StatusCode); t != "" {
			b.WriteString(" " + t)
		}
	}
	if e.Code != "" {
		b.WriteString(": " + e.Code)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

// Unwrap returns Err.
func (e *OIDCError) Unwrap() error { return e.Err }

// ErrorType returns a low-cardinality classification: the code when it is
// one of the OAuth 2.0 / OpenID Connect codes of the fixed set Error uses,
// else the status, else the operation.
func (e *OIDCError) ErrorType() string {
	if isKnownCode(e.Code) {
		return e.Code
	}
	if e.StatusCode != 0 {
		return strconv.Itoa(e.StatusCode)
	}
	return e.Op
}
