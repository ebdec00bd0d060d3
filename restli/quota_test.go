package restli_test

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/restli"
)

const (
	dayAppBody    = `{"status":429,"serviceErrorCode":101,"code":"TOO_MANY_REQUESTS","message":"Resource level throttle APPLICATION DAY limit for calls to this resource is reached."}`
	dayMemberBody = `{"status":429,"serviceErrorCode":101,"code":"TOO_MANY_REQUESTS","message":"Resource level throttle APPLICATION_AND_MEMBER DAY limit for calls to this resource is reached."}`
)

func TestDailyQuotaScope_MatchesLinkedInsDayLimitOnly(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		scope  string
	}{
		{"application DAY limit", 429, dayAppBody, restli.QuotaScopeApplication},
		{"member DAY limit", 429, dayMemberBody, restli.QuotaScopeMember},
		{"ordinary throttle", 429, `{"status":429,"message":"Resource level throttle limit for calls to this resource is reached."}`, ""},
		{"DAY text without the service error code", 429, `{"status":429,"message":"Resource level throttle APPLICATION DAY limit for calls to this resource is reached."}`, ""},
		{"other service error code", 429, strings.Replace(dayAppBody, "101", "100", 1), ""},
		{"not a 429", 503, dayAppBody, ""},
		{"not JSON", 429, "APPLICATION DAY limit", ""},
		{"empty", 429, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			scope, ok := restli.DailyQuotaScope(tc.status, []byte(tc.body))
			if scope != tc.scope || ok != (tc.scope != "") {
				t.Errorf("DailyQuotaScope = %q, %v; want %q", scope, ok, tc.scope)
			}
			e := errorFrom(t, tc.status, http.Header{"Date": {"Mon, 07 Dec 2026 17:04:21 GMT"}}, tc.body)
			if got := restli.IsDailyQuotaExhausted(fmt.Errorf("call: %w", e)); got != (tc.scope != "") {
				t.Errorf("IsDailyQuotaExhausted = %v", got)
			}
			if at, ok := restli.DailyQuotaResetAt(e); ok && !at.Equal(time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("reset at %v, want the next 00:00 UTC after the answer's Date", at)
			}
		})
	}
}

func TestDailyQuotaError_IsNotSentAndCarriesTheResetTime(t *testing.T) {
	reset := time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)
	err := fmt.Errorf("wrapped: %w", &restli.DailyQuotaError{Host: "api.linkedin.com", Resource: "/adAccounts", Scope: restli.QuotaScopeApplication, ResetAt: reset})
	if !restli.IsDailyQuotaExhausted(err) || !errors.Is(err, restli.ErrNotSent) || !restli.NotSent(err) {
		t.Errorf("err %v: want daily quota, not sent", err)
	}
	if at, ok := restli.DailyQuotaResetAt(err); !ok || !at.Equal(reset) {
		t.Errorf("DailyQuotaResetAt = %v, %v", at, ok)
	}
	if restli.IsDailyQuotaExhausted(errors.New("x")) || restli.IsDailyQuotaExhausted(nil) {
		t.Error("unrelated errors are not daily quota errors")
	}
}

func TestNextQuotaReset_IsTheNextMidnightUTC(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	for in, want := range map[time.Time]time.Time{
		time.Date(2026, 12, 7, 17, 0, 0, 0, time.UTC):    time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC):     time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC): time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 12, 8, 0, 30, 0, 0, paris):       time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC),
	} {
		if got := restli.NextQuotaReset(in); !got.Equal(want) {
			t.Errorf("NextQuotaReset(%v) = %v, want %v", in, got, want)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		value string
		want  time.Duration
		ok    bool
	}{
		{"120", 120 * time.Second, true},
		{" 0 ", 0, true},
		{"9223372036", 9223372036 * time.Second, true},
		{"9223372037", restli.MaxRetryAfter, true},              // beyond Duration
		{"99999999999999999999999", restli.MaxRetryAfter, true}, // beyond int64: longer than any cap, not absent
		{"Mon, 07 Dec 2026 12:01:00 GMT", time.Minute, true},
		{"Mon, 07 Dec 2026 11:00:00 GMT", 0, true},
		{"-5", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		{"", 0, false},
	}
	for _, tc := range tests {
		h := http.Header{"Retry-After": {tc.value}}
		if got, ok := restli.ParseRetryAfter(h, now); got != tc.want || ok != tc.ok {
			t.Errorf("ParseRetryAfter(%q) = %v, %v; want %v, %v", tc.value, got, ok, tc.want, tc.ok)
		}
	}
	if _, ok := restli.ParseRetryAfter(http.Header{}, now); ok {
		t.Error("no header is absent")
	}
}

func TestError_CarriesHeaderAndRetryAfter(t *testing.T) {
	h := http.Header{"Retry-After": {"3600"}, "X-Li-Uuid": {"u"}}
	e := errorFrom(t, 503, h, `{"message":"maintenance"}`)
	if e.RetryAfter != time.Hour || e.Header.Get("Retry-After") != "3600" {
		t.Errorf("Error = %+v, want RetryAfter 1h and the header", e)
	}
	e = errorFrom(t, 503, http.Header{"Retry-After": {"184467440737095516150"}}, "")
	if e.RetryAfter != restli.MaxRetryAfter {
		t.Errorf("RetryAfter = %v, want MaxRetryAfter for a delay beyond int64", e.RetryAfter)
	}
}

func TestNotSent_ClassifiesWhetherTheRequestLeft(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"layer refusal", fmt.Errorf("breaker: %w", restli.ErrNotSent), true},
		{"dial", &net.OpError{Op: "dial", Err: errors.New("no route")}, true},
		{"refused", fmt.Errorf("x: %w", syscall.ECONNREFUSED), true},
		{"dns", &net.DNSError{Err: "no such host", Name: "x"}, true},
		{"tls alert", tls.AlertError(40), true},
		{"reset after write", &net.OpError{Op: "read", Err: syscall.ECONNRESET}, false},
		{"timeout", errors.New("net/http: timeout awaiting response headers"), false},
		{"refusal after an attempt that may have applied", errors.Join(restli.ErrNotSent, restli.ErrMaybeApplied), false},
		{"nil", nil, false},
	}
	for _, tc := range tests {
		if got := restli.NotSent(tc.err); got != tc.want {
			t.Errorf("%s: NotSent = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// errorFrom returns the *restli.Error a client makes of an answer with
// this status, header and body.
func errorFrom(t *testing.T, status int, h http.Header, body string) *restli.Error {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		for k, v := range h {
			w.Header()[k] = v
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	defer srv.Close()
	c := restli.NewClient(srv.Client(), restli.WithBaseURL(srv.URL))
	_, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": 1}})
	var e *restli.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want a *restli.Error", err)
	}
	return e
}

// FuzzParseRetryAfter: whatever a server sends, the parser never panics and
// never returns a negative wait.
func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"120", "99999999999999999999", "Mon, 07 Dec 2026 12:01:00 GMT", "-1", ""} {
		f.Add(s)
	}
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := restli.ParseRetryAfter(http.Header{"Retry-After": {v}}, now)
		if d < 0 || (!ok && d != 0) {
			t.Fatalf("ParseRetryAfter(%q) = %v, %v", v, d, ok)
		}
	})
}

// FuzzDailyQuotaScope: bodies come from the server; the matcher never
// panics and only ever names one of the two scopes.
func FuzzDailyQuotaScope(f *testing.F) {
	f.Add(dayAppBody)
	f.Add(dayMemberBody)
	f.Add(`{"serviceErrorCode":101,"message":null}`)
	f.Fuzz(func(t *testing.T, body string) {
		scope, ok := restli.DailyQuotaScope(429, []byte(body))
		if ok != (scope != "") || (ok && scope != restli.QuotaScopeApplication && scope != restli.QuotaScopeMember) {
			t.Fatalf("DailyQuotaScope(%q) = %q, %v", body, scope, ok)
		}
	})
}
