package transport_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
	"github.com/linkedin-go/linkedin/transport"
)

// WithStores gives the layers stores that several clients (in production:
// the replicas of a service, with a shared store) use together: once one
// client meets LinkedIn's DAY limit for a resource, the others stop
// sending it too.
func ExampleWithStores() {
	srv := restlitest.NewServer(restlitest.WithDailyLimits(restlitest.DailyLimits{Application: 1}))
	defer srv.Close()
	srv.Seed("/adAccounts", 1, map[string]any{"id": 1})

	stores := transport.Stores{Quota: middleware.NewMemoryQuotaStore(nil), Breaker: middleware.NewMemoryBreakerStore(nil)}
	replica := func() *restli.Client {
		hc := transport.NewClient(
			transport.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: srv.Token()})),
			transport.WithTokenHosts(strings.TrimPrefix(srv.URL, "http://")),
			transport.WithStores(stores),
			transport.WithoutTelemetry(),
		)
		return restli.NewClient(hc, restli.WithBaseURL(srv.URL+"/rest"), restli.WithVersion(restlitest.DefaultVersion))
	}
	a, b := replica(), replica()
	get := func(c *restli.Client) error {
		_, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": 1}})
		return err
	}
	fmt.Println("a:", get(a) == nil)
	err := get(a)
	fmt.Println("a again, DAY limit:", restli.IsDailyQuotaExhausted(err), "sent:", !errors.Is(err, restli.ErrNotSent))
	err = get(b)
	fmt.Println("b, DAY limit:", restli.IsDailyQuotaExhausted(err), "sent:", !errors.Is(err, restli.ErrNotSent))
	// Output:
	// a: true
	// a again, DAY limit: true sent: true
	// b, DAY limit: true sent: false
}
