package oauth

import (
	"errors"
	"strings"
	"testing"
)

func TestError_Text(t *testing.T) {
	tests := []struct {
		err  *Error
		want string
		typ  string
	}{
		{&Error{StatusCode: 400, Code: "invalid_request", Description: "missing redirect_uri", op: "token endpoint"},
			"oauth: token endpoint: HTTP 400 Bad Request: invalid_request: missing redirect_uri", "invalid_request"},
		{&Error{StatusCode: 502, op: "introspection endpoint"}, "oauth: introspection endpoint: HTTP 502 Bad Gateway", "502"},
		{&Error{StatusCode: 400, Code: "invalid_grant", Err: ErrReauthorize, op: "token endpoint"},
			"oauth: token endpoint: HTTP 400 Bad Request: invalid_grant (re-authorization required)", "invalid_grant"},
		{malformed(200, "token endpoint", "no access_token"), "oauth: token endpoint: HTTP 200 OK: malformed response: no access_token", "malformed_response"},
		{&Error{StatusCode: 400, Code: "weird code with spaces"}, "oauth: HTTP 400 Bad Request: weird code with spaces", "400"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
		if got := tt.err.ErrorType(); got != tt.typ {
			t.Errorf("ErrorType() = %q, want %q", got, tt.typ)
		}
	}
	if !errors.Is(&Error{Err: ErrReauthorize}, ErrReauthorize) {
		t.Error("Unwrap does not reach Err")
	}
}

func TestScrub(t *testing.T) {
	secrets := []string{"s3cr/t+=", "", "code"}
	tests := []struct {
		in, want string
	}{
		{"plain", "plain"},
		{"secret s3cr/t+= here", "secret REDACTED here"},
		{"escaped s3cr%2Ft%2B%3D and s3cr%2Ft+=", "escaped REDACTED and REDACTED"},
		{"line\nbreak\x00", "line break"},
		{"bad \xff utf8", "bad  utf8"},
		{"code=code", "REDACTED=REDACTED"},
	}
	for _, tt := range tests {
		if got := scrub(tt.in, 100, secrets); got != tt.want {
			t.Errorf("scrub(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	long := strings.Repeat("é", 100)
	if got := scrub(long, 51, nil); got != strings.Repeat("é", 25)+"…" {
		t.Errorf("bounded scrub = %q", got)
	}
}

// TestScrub_ShortSecretsDoNotCorruptErrorCodes: a client secret or code of
// a letter or two is replaced only where it stands alone, so LinkedIn's
// error codes reach the caller whole.
func TestScrub_ShortSecretsDoNotCorruptErrorCodes(t *testing.T) {
	secrets := []string{"a", "in", "t", "grant", "x"}
	e := scrubError(&Error{Code: "invalid_grant", Description: "a token t was bad: x"}, secrets)
	if e.Code != "invalid_grant" {
		t.Errorf("Code = %q, want invalid_grant", e.Code)
	}
	if e.Description != "REDACTED token REDACTED was bad: REDACTED" {
		t.Errorf("Description = %q", e.Description)
	}
	if !errors.Is(e, ErrReauthorize) && e.ErrorType() != "invalid_grant" {
		t.Errorf("ErrorType = %q", e.ErrorType())
	}
}
