package telemetry

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestRedactURL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://api.linkedin.com/rest/adAccounts/123", "https://api.linkedin.com/rest/adAccounts/123"},
		{"https://api.linkedin.com/rest/adAccounts?q=search&search=(a:b)", "https://api.linkedin.com/rest/adAccounts?q=REDACTED&search=REDACTED"},
		{"https://u:p@api.linkedin.com/rest/x?token=abc#frag", "https://api.linkedin.com/rest/x?token=REDACTED"},
		{"https://api.linkedin.com/x?flag&a=&&b=1", "https://api.linkedin.com/x?REDACTED&a=REDACTED&&b=REDACTED"},
		{"https://api.linkedin.com/x?", "https://api.linkedin.com/x?"},
		{"https://api.linkedin.com/ad%20Accounts/urn%3Ali%3Aorg%3A1?ids=List(1,2)", "https://api.linkedin.com/ad%20Accounts/urn%3Ali%3Aorg%3A1?ids=REDACTED"},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
	} {
		u, err := url.Parse(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := redactURL(u); got != tc.want {
			t.Errorf("redactURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSanitize(t *testing.T) {
	req, _ := http.NewRequest("GET", "https://api.linkedin.com/rest/x?q=secret1&k=secret2", nil)
	req.Header.Set("Authorization", "Bearer tok3n")
	for _, tc := range []struct{ in, want string }{
		{"plain failure", "plain failure"},
		{`Get "https://api.linkedin.com/rest/x?q=secret1&k=secret2": EOF`, `Get "https://api.linkedin.com/rest/x?q=REDACTED&k=REDACTED": EOF`},
		{"query q=secret1&k=secret2 rejected", "query q=REDACTED&k=REDACTED rejected"},
		{"bad token Bearer tok3n", "bad token Bearer REDACTED"},
		{"tok3n", "REDACTED"},
		{"see https://other.example/a?b=(c:d),e f", "see https://other.example/a?b=REDACTED f"},
		{"two http://a/?x=1 and http://b/#y", "two http://a/?x=REDACTED and http://b/"},
	} {
		if got := sanitize(tc.in, req); got != tc.want {
			t.Errorf("sanitize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

type typed struct{}

func (typed) Error() string     { return "typed" }
func (typed) ErrorType() string { return "typed_kind" }

func TestErrorType(t *testing.T) {
	opErr := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("refused")}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{typed{}, "typed_kind"},
		{fmt.Errorf("x: %w", typed{}), "typed_kind"},
		{opErr, "*net.OpError"},
		{&url.Error{Op: "Get", URL: "u", Err: opErr}, "*net.OpError"},
		{fmt.Errorf("a: %w", fmt.Errorf("b: %w", opErr)), "*net.OpError"},
		{errors.Join(opErr, errors.New("x")), "*net.OpError"},
		{context.DeadlineExceeded, "context.DeadlineExceeded"},
		{fmt.Errorf("x: %w", context.Canceled), "context.Canceled"},
		{errors.New("boom"), "_OTHER"},
		{fmt.Errorf("boom %d", 1), "_OTHER"},
	} {
		if got := errorType(tc.err); got != tc.want {
			t.Errorf("errorType(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}

func TestStatusErrorType(t *testing.T) {
	for _, code := range []int{400, 401, 403, 404, 418, 429, 500, 502, 503, 504, 599} {
		if got := statusErrorType(code); got != fmt.Sprint(code) {
			t.Errorf("statusErrorType(%d) = %q", code, got)
		}
	}
}

func TestSpanNames(t *testing.T) {
	req, _ := http.NewRequest("GET", "https://api.linkedin.com/rest/adAccounts/1", nil)
	d := description{method: "batch_partial_update", resource: "/adAccounts"}
	if got := callSpanName(d, req); got != "BATCH_PARTIAL_UPDATE /adAccounts" {
		t.Errorf("callSpanName = %q", got)
	}
	if got := attemptSpanName(d, req); got != "GET /adAccounts" {
		t.Errorf("attemptSpanName = %q", got)
	}
	if got := callSpanName(description{method: "action"}, req); got != "ACTION" {
		t.Errorf("callSpanName without resource = %q", got)
	}
	for _, m := range []string{"get", "batch_get", "get_all", "finder", "batch_finder", "create", "batch_create",
		"update", "batch_update", "partial_update", "batch_partial_update", "delete", "batch_delete", "action"} {
		if got := upper(knownMethod(strings.ToUpper(m))); got != strings.ToUpper(m) {
			t.Errorf("upper(%q) = %q", m, got)
		}
	}
}
