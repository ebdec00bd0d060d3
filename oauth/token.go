package oauth

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Token is a LinkedIn access token as returned by the token endpoint.
//
// The embedded *oauth2.Token holds the access token, the refresh token (if
// LinkedIn issued one) and Expiry, the absolute time computed from
// expires_in; Extra gives the other members of the response (for example
// "id_token" for Sign In with LinkedIn using OpenID Connect).
//
// A Token marshals to and from JSON, so it can be persisted as is:
// json.Marshal(tok) and json.Unmarshal(data, &oauth.Token{}) round-trip the
// access and refresh tokens, both expiry times and the scopes.
type Token struct {
	*oauth2.Token

	// RefreshTokenExpiry is when the refresh token expires, computed from
	// refresh_token_expires_in; zero when LinkedIn did not say. Refreshing
	// does not extend it: LinkedIn's refresh tokens live 365 days from the
	// original authorization.
	RefreshTokenExpiry time.Time `json:"refresh_token_expiry,omitzero"`

	// Scopes are the granted scopes from the response's "scope" member
	// (split on commas and spaces); nil when the response had none.
	Scopes []string `json:"scopes,omitempty"`
}

// maxSeconds bounds expires_in values and epoch times so that converting
// them to a time.Duration or time.Time cannot overflow (about 300 years).
const maxSeconds = 1 << 33

// tokenResponse is the token endpoint's JSON answer (success or error).
type tokenResponse struct {
	AccessToken           string          `json:"access_token"`
	TokenType             string          `json:"token_type"`
	RefreshToken          string          `json:"refresh_token"`
	ExpiresIn             json.RawMessage `json:"expires_in"`
	RefreshTokenExpiresIn json.RawMessage `json:"refresh_token_expires_in"`
	Scope                 json.RawMessage `json:"scope"`
	Error                 json.RawMessage `json:"error"`
	ErrorDescription      json.RawMessage `json:"error_description"`
}

// malformed returns the typed error for an unparsable response. detail is
// fixed text written in this package; it never quotes the body.
func malformed(status int, op, detail string) *Error {
	return &Error{StatusCode: status, Err: ErrMalformedResponse, op: op, detail: detail}
}

// parseToken parses a 2xx token endpoint body. Expiry times are computed
// relative to now. A body carrying an "error" member is returned as an
// *Error (with status 200: the caller sets the real status); any body that
// is not a token is an *Error wrapping ErrMalformedResponse.
func parseToken(body []byte, now time.Time) (*Token, error) {
	const op = "token endpoint"
	var tr tokenResponse
	if err := unmarshalObject(body, &tr); err != nil {
		return nil, malformed(200, op, describeJSONError(err))
	}
	if len(tr.Error) > 0 && string(tr.Error) != "null" {
		return nil, &Error{StatusCode: 200, Code: stringMember(tr.Error), Description: stringMember(tr.ErrorDescription), op: op}
	}
	if tr.AccessToken == "" {
		return nil, malformed(200, op, "no access_token")
	}
	if hasControl(tr.AccessToken) || hasControl(tr.RefreshToken) {
		return nil, malformed(200, op, "a token contains a control character")
	}
	expiresIn, ok := parseSeconds(tr.ExpiresIn)
	if !ok {
		return nil, malformed(200, op, "expires_in is not a non-negative integer")
	}
	rtExpiresIn, ok := parseSeconds(tr.RefreshTokenExpiresIn)
	if !ok {
		return nil, malformed(200, op, "refresh_token_expires_in is not a non-negative integer")
	}
	scope, ok := optionalString(tr.Scope)
	if !ok {
		return nil, malformed(200, op, "scope is not a string")
	}
	tok := &oauth2.Token{
		AccessToken:  tr.AccessToken,
		TokenType:    tr.TokenType,
		RefreshToken: tr.RefreshToken,
		ExpiresIn:    expiresIn,
	}
	if expiresIn > 0 {
		tok.Expiry = now.Add(time.Duration(expiresIn) * time.Second)
	}
	var raw map[string]any
	if err := json.Unmarshal(body, &raw); err == nil {
		tok = tok.WithExtra(raw)
	}
	t := &Token{Token: tok, Scopes: splitScopes(scope)}
	if rtExpiresIn > 0 {
		t.RefreshTokenExpiry = now.Add(time.Duration(rtExpiresIn) * time.Second)
	}
	return t, nil
}

// Introspection is the result of token introspection
// (POST /oauth/v2/introspectToken).
type Introspection struct {
	// Active reports whether the token is valid now. LinkedIn answers 200
	// with Active false for an expired or revoked token, and for a token of
	// another application.
	Active bool
	// Status is "active", "expired" or "revoked".
	Status string
	// AuthType is "2L", "3L" or "Enterprise_User".
	AuthType string
	// ClientID is the application the token was issued to.
	ClientID string
	// CreatedAt, AuthorizedAt and ExpiresAt are the token's times (UTC);
	// zero when absent.
	CreatedAt    time.Time
	AuthorizedAt time.Time
	ExpiresAt    time.Time
	// Scopes are the token's scopes (3-legged tokens only), split on commas
	// and spaces.
	Scopes []string
}

type introspectionResponse struct {
	Active           json.RawMessage `json:"active"`
	Status           json.RawMessage `json:"status"`
	AuthType         json.RawMessage `json:"auth_type"`
	ClientID         json.RawMessage `json:"client_id"`
	CreatedAt        json.RawMessage `json:"created_at"`
	AuthorizedAt     json.RawMessage `json:"authorized_at"`
	ExpiresAt        json.RawMessage `json:"expires_at"`
	Scope            json.RawMessage `json:"scope"`
	Error            json.RawMessage `json:"error"`
	ErrorDescription json.RawMessage `json:"error_description"`
}

// parseIntrospection parses a 2xx introspection body.
func parseIntrospection(body []byte) (*Introspection, error) {
	const op = "introspection endpoint"
	var ir introspectionResponse
	if err := unmarshalObject(body, &ir); err != nil {
		return nil, malformed(200, op, describeJSONError(err))
	}
	if len(ir.Error) > 0 && string(ir.Error) != "null" {
		return nil, &Error{StatusCode: 200, Code: stringMember(ir.Error), Description: stringMember(ir.ErrorDescription), op: op}
	}
	var in Introspection
	switch string(bytes.TrimSpace(ir.Active)) {
	case "true":
		in.Active = true
	case "false":
	case "", "null":
		return nil, malformed(200, op, "no active member")
	default:
		return nil, malformed(200, op, "active is not a boolean")
	}
	strs := []struct {
		raw  json.RawMessage
		dst  *string
		name string
	}{
		{ir.Status, &in.Status, "status"},
		{ir.AuthType, &in.AuthType, "auth_type"},
		{ir.ClientID, &in.ClientID, "client_id"},
	}
	for _, f := range strs {
		v, ok := optionalString(f.raw)
		if !ok {
			return nil, malformed(200, op, f.name+" is not a string")
		}
		*f.dst = v
	}
	times := []struct {
		raw  json.RawMessage
		dst  *time.Time
		name string
	}{
		{ir.CreatedAt, &in.CreatedAt, "created_at"},
		{ir.AuthorizedAt, &in.AuthorizedAt, "authorized_at"},
		{ir.ExpiresAt, &in.ExpiresAt, "expires_at"},
	}
	for _, f := range times {
		secs, ok := parseSeconds(f.raw)
		if !ok {
			return nil, malformed(200, op, f.name+" is not a non-negative integer")
		}
		if secs > 0 {
			*f.dst = time.Unix(secs, 0).UTC()
		}
	}
	scope, ok := optionalString(ir.Scope)
	if !ok {
		return nil, malformed(200, op, "scope is not a string")
	}
	in.Scopes = splitScopes(scope)
	return &in, nil
}

// errorResponse is the body of a failed token or introspection call. LinkedIn
// documents OAuth's error/error_description; Rest.li's code/message shape is
// accepted as a fallback.
type errorResponse struct {
	Error            json.RawMessage `json:"error"`
	ErrorDescription json.RawMessage `json:"error_description"`
	Code             json.RawMessage `json:"code"`
	Message          json.RawMessage `json:"message"`
}

// parseError builds the *Error for a non-2xx response. A body that is not
// JSON gives an *Error with the status only.
func parseError(status int, op string, body []byte) *Error {
	e := &Error{StatusCode: status, op: op}
	var er errorResponse
	if unmarshalObject(body, &er) != nil {
		return e
	}
	e.Code = stringMember(er.Error)
	if e.Code == "" {
		e.Code = stringMember(er.Code)
	}
	e.Description = stringMember(er.ErrorDescription)
	if e.Description == "" {
		e.Description = stringMember(er.Message)
	}
	return e
}

// unmarshalObject decodes a JSON object into v, rejecting anything else
// (including trailing data).
func unmarshalObject(body []byte, v any) error {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return errNotObject
	}
	return json.Unmarshal(body, v)
}

var errNotObject = errors.New("not a JSON object")

// describeJSONError turns a decoding error into fixed text that names at most
// a field of ours, never a byte of the input.
func describeJSONError(err error) string {
	var te *json.UnmarshalTypeError
	switch {
	case errors.Is(err, errNotObject):
		return "not a JSON object"
	case errors.As(err, &te) && te.Field != "":
		return te.Field + " has the wrong type"
	default:
		return "invalid JSON"
	}
}

// stringMember returns raw as a string: a JSON string's value, or "" for
// anything else. It is used for error members, where leniency beats failing.
func stringMember(raw json.RawMessage) string {
	s, ok := optionalString(raw)
	if !ok {
		return ""
	}
	return s
}

// optionalString decodes an optional JSON string member; absent and null
// give "". Any other JSON type reports !ok.
func optionalString(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", true
	}
	if raw[0] != '"' {
		return "", false
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false
	}
	return s, true
}

// parseSeconds decodes an optional count of seconds sent as a JSON integer or
// as a string holding one (LinkedIn's 2-legged responses send "1800").
// Absent, null and "" give 0. A number written with a fraction or exponent
// is accepted when its value is a whole number (1800.0, 1.8e3). Negative,
// fractional and out-of-range values report !ok.
func parseSeconds(raw json.RawMessage) (int64, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return 0, true
	}
	s := string(raw)
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, false
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return 0, true
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, n >= 0 && n <= maxSeconds
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > maxSeconds || f != math.Trunc(f) {
		return 0, false
	}
	return int64(f), true
}

// splitScopes splits a scope string on commas and whitespace, dropping empty
// entries. It returns nil for a string with no scope.
func splitScopes(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
	if len(f) == 0 {
		return nil
	}
	return f
}
