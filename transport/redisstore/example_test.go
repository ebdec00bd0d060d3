// example_test.go: wiring the Redis stores into the default stack.

package redisstore_test

import (
	"context"
	"fmt"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
	"github.com/linkedin-go/linkedin/transport"
	"github.com/linkedin-go/linkedin/transport/redisstore"
)

// Two replicas share one daily budget of 3 calls through Redis (here an
// embedded miniredis; in production, your client to your Redis).
func ExampleNew() {
	m := miniredis.NewMiniRedis()
	if err := m.Start(); err != nil {
		panic(err)
	}
	defer m.Close()
	rdb := redis.NewClient(&redis.Options{Addr: m.Addr()})
	defer rdb.Close()

	api := restlitest.NewServer()
	defer api.Close()
	api.Seed("/adAccounts", 1, map[string]any{"id": 1})

	replica := func() *restli.Client {
		st := redisstore.New(rdb, redisstore.Options{Replicas: 2})
		hc := transport.NewClient(
			transport.WithStores(st.Stores()),
			transport.WithQuota(middleware.QuotaOptions{DailyLimit: 3}),
			transport.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: api.Token()})),
			transport.WithTokenHosts(api.URL[len("http://"):]),
		)
		return restli.NewClient(hc, restli.WithBaseURL(api.URL+"/rest"), restli.WithVersion(restlitest.DefaultVersion))
	}
	a, b := replica(), replica()
	for i, c := range []*restli.Client{a, b, a, b} {
		_, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": 1}})
		fmt.Printf("call %d: sent %v, daily quota spent %v\n", i+1, err == nil, restli.IsDailyQuotaExhausted(err))
	}
	fmt.Println("the server received", len(api.Requests()))
	// Output:
	// call 1: sent true, daily quota spent false
	// call 2: sent true, daily quota spent false
	// call 3: sent true, daily quota spent false
	// call 4: sent false, daily quota spent true
	// the server received 3
}
