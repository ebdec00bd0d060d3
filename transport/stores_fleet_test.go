// stores_fleet_test.go: WithQuota and WithMemberTokens, and the Tokens
// store of WithStores.

package transport_test

import (
	"context"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/oauth"
	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
	"github.com/linkedin-go/linkedin/transport"
)

func TestWithQuota_AddsTheQuotaLayerBelowRetry(t *testing.T) {
	tests := []struct {
		name string
		opts []transport.Option
		want bool
	}{
		{"default", nil, false},
		{"with quota", []transport.Option{transport.WithQuota(middleware.QuotaOptions{})}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			names := transport.Layers(tt.opts...)
			i := slices.Index(names, transport.LayerRateLimit)
			if (i >= 0) != tt.want {
				t.Fatalf("layers %v: ratelimit present %v, want %v", names, i >= 0, tt.want)
			}
			if tt.want && i < slices.Index(names, transport.LayerRetry) {
				t.Fatalf("layers %v: quota above retry", names)
			}
		})
	}
}

// Two clients on one Tokens store: a member's expired token is refreshed
// once for both, and the daily budget of WithQuota is counted per member of
// the context.
func TestWithMemberTokens_SharesTheTokensStoreAndCountsPerMember(t *testing.T) {
	srv := restlitest.NewServer()
	defer srv.Close()
	srv.Seed("/adAccounts", 1, map[string]any{"id": 1})
	srv.AddMember(restlitest.Member{ID: "ada", GivenName: "Ada", FamilyName: "Lovelace"})
	srv.AddMember(restlitest.Member{ID: "bob", GivenName: "Bob", FamilyName: "B"})
	tokens := oauth.NewMemoryTokenStore()
	for _, m := range []string{"ada", "bob"} {
		tok := srv.AuthorizeMember(m)
		tok.Expiry = time.Now().Add(-time.Minute)
		if _, err := tokens.Put(context.Background(), oauth.MemberToken{Member: m, Token: tok}, 0); err != nil {
			t.Fatal(err)
		}
	}
	stores := transport.Stores{Quota: middleware.NewMemoryQuotaStore(nil), Tokens: tokens}
	var changes atomic.Int32
	newClient := func() *restli.Client {
		hc := transport.NewClient(
			transport.WithStores(stores),
			transport.WithMemberTokens(srv.OAuthConfig(), oauth.MemberOptions{},
				oauth.OnTokenChange(func(*oauth.Token) { changes.Add(1) })),
			transport.WithQuota(middleware.QuotaOptions{DailyLimit: 1, DailyPerMember: true}),
			transport.WithTokenHosts(strings.TrimPrefix(srv.URL, "http://")),
			transport.WithoutTelemetry(),
		)
		t.Cleanup(hc.CloseIdleConnections)
		return restli.NewClient(hc, restli.WithBaseURL(srv.URL+"/rest"), restli.WithVersion(restlitest.DefaultVersion))
	}
	a, b := newClient(), newClient()
	get := func(c *restli.Client, member string) error {
		_, err := c.Get(oauth.WithMember(context.Background(), member), restli.GetRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": 1}})
		return err
	}
	steps := []struct {
		c      *restli.Client
		member string
		day    bool
	}{{a, "ada", false}, {b, "bob", false}, {b, "ada", true}, {a, "bob", true}}
	for i, s := range steps {
		if err := get(s.c, s.member); restli.IsDailyQuotaExhausted(err) != s.day || (!s.day && err != nil) {
			t.Fatalf("step %d (%s): %v, want daily quota spent %v", i, s.member, err, s.day)
		}
	}
	for _, m := range []string{"ada", "bob"} {
		if n := srv.RefreshCount(m); n != 1 {
			t.Errorf("%s refreshed %d times, want 1", m, n)
		}
	}
	if n := changes.Load(); n != 2 {
		t.Errorf("OnTokenChange called %d times, want once per refresh (2)", n)
	}
}
