package transport_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
	"github.com/linkedin-go/linkedin/transport"
)

// Two clients (two replicas) given the same stores: once one meets the DAY
// limit, the other stops sending that resource too.
func TestWithStores_SharesTheDailyQuotaBetweenClients(t *testing.T) {
	srv := restlitest.NewServer(restlitest.WithDailyLimits(restlitest.DailyLimits{Application: 1}))
	defer srv.Close()
	srv.Seed("/adAccounts", 1, map[string]any{"id": 1})
	stores := transport.Stores{Quota: middleware.NewMemoryQuotaStore(nil), Breaker: middleware.NewMemoryBreakerStore(nil)}
	newClient := func() *restli.Client {
		hc := transport.NewClient(
			transport.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: srv.Token()})),
			transport.WithTokenHosts(strings.TrimPrefix(srv.URL, "http://")),
			transport.WithStores(stores),
			transport.WithoutTelemetry(),
		)
		t.Cleanup(hc.CloseIdleConnections)
		return restli.NewClient(hc, restli.WithBaseURL(srv.URL+"/rest"), restli.WithVersion(restlitest.DefaultVersion))
	}
	a, b := newClient(), newClient()
	get := func(c *restli.Client) error {
		_, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": 1}})
		return err
	}
	if err := get(a); err != nil {
		t.Fatal(err)
	}
	if err := get(a); !restli.IsDailyQuotaExhausted(err) {
		t.Fatalf("a over the limit: %v, want the DAY 429", err)
	}
	seen := len(srv.Requests())
	err := get(b)
	if !restli.IsDailyQuotaExhausted(err) || !errors.Is(err, restli.ErrNotSent) {
		t.Errorf("b: %v, want refused before the network", err)
	}
	if n := len(srv.Requests()); n != seen {
		t.Errorf("b's call reached the server (%d requests, want %d)", n, seen)
	}
}
