package restlitest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
)

func TestServer_DailyLimitsAnswerLinkedInsDay429UntilMidnightUTC(t *testing.T) {
	eve := time.Date(2026, 12, 7, 23, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		limits  restlitest.DailyLimits
		tokens  int // members, each with its own token, calling in turn
		allowed int // calls that pass before the first 429
		message string
	}{
		{"application limit", restlitest.DailyLimits{Application: 3}, 2, 3, restlitest.MessageApplicationDay},
		{"member limit", restlitest.DailyLimits{Member: 2}, 1, 2, restlitest.MessageApplicationMember},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, restlitest.WithClock(func() time.Time { return eve }), restlitest.WithDailyLimits(tc.limits))
			srv.Seed("/adAccounts", 1, map[string]any{"id": 1})
			srv.Seed("/adCampaigns", 1, map[string]any{"id": 1})
			tokens := []string{srv.Token()}
			for len(tokens) < tc.tokens {
				tokens = append(tokens, srv.IssueToken(0))
			}
			c := rawClient(t)
			get := func(i int, path string) rawResponse {
				m := restli.MethodGet
				if strings.Contains(path, "?q=") {
					m = restli.MethodFinder
				}
				h := restliHeader(srv, m)
				h.Set("Authorization", "Bearer "+tokens[i%len(tokens)])
				return do(t, c, "GET", srv.URL+"/rest"+path, h, "")
			}
			for i := range tc.allowed {
				// A GET and the finder on the same resource count together.
				path := "/adAccounts/1"
				if i%2 == 1 {
					path = "/adAccounts?q=" + restlitest.DefaultFinder
				}
				if r := get(i, path); r.status != 200 {
					t.Fatalf("call %d: %d %s, want 200", i+1, r.status, r.body)
				}
			}
			r := get(tc.allowed, "/adAccounts/1")
			if r.status != http.StatusTooManyRequests {
				t.Fatalf("call over the limit: %d, want 429", r.status)
			}
			body := r.errorBody(t)
			if body["serviceErrorCode"] != float64(101) || body["code"] != "TOO_MANY_REQUESTS" || body["message"] != tc.message || body["status"] != float64(429) {
				t.Errorf("429 body = %v, want LinkedIn's DAY-limit answer", body)
			}
			if got, want := r.header.Get("Date"), eve.Format(http.TimeFormat); got != want {
				t.Errorf("Date = %q, want the server's clock %q", got, want)
			}
			if scope, ok := restli.DailyQuotaScope(r.status, r.body); !ok {
				t.Errorf("the client does not recognise the body as a DAY limit (%q)", scope)
			}
			if r := get(tc.allowed, "/adCampaigns/1"); r.status != 200 {
				t.Errorf("another resource: %d, want 200", r.status)
			}
			srv.Advance(59 * time.Minute)
			if r := get(tc.allowed, "/adAccounts/1"); r.status != 429 {
				t.Errorf("at 23:59 UTC: %d, want still 429", r.status)
			}
			srv.Advance(2 * time.Minute) // past 00:00 UTC
			if r := get(tc.allowed, "/adAccounts/1"); r.status != 200 {
				t.Errorf("after 00:00 UTC: %d, want 200", r.status)
			}
		})
	}
}

func TestServer_MemberDailyLimitIsPerMember(t *testing.T) {
	srv := newServer(t, restlitest.WithDailyLimits(restlitest.DailyLimits{Member: 1}))
	srv.Seed("/adAccounts", 1, map[string]any{"id": 1})
	c := rawClient(t)
	other := srv.IssueToken(0)
	h := restliHeader(srv, restli.MethodGet)
	if r := do(t, c, "GET", srv.URL+"/rest/adAccounts/1", h, ""); r.status != 200 {
		t.Fatalf("first member: %d", r.status)
	}
	if r := do(t, c, "GET", srv.URL+"/rest/adAccounts/1", h, ""); r.status != 429 {
		t.Fatalf("first member again: %d, want 429", r.status)
	}
	h.Set("Authorization", "Bearer "+other)
	if r := do(t, c, "GET", srv.URL+"/rest/adAccounts/1", h, ""); r.status != 200 {
		t.Errorf("second member: %d, want 200", r.status)
	}
}
