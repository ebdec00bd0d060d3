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
