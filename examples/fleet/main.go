// Fleet runs three workers in one program as if they were three replicas
// of a service, each with its own client stack, sharing one daily budget
// through Redis: together they send exactly the budget, and once it is
// spent every worker refuses further calls without sending them.
//
//	go run ./examples/fleet                              # an embedded Redis (miniredis)
//	REDIS_URL=redis://localhost:6379/0 go run ./examples/fleet
//
// It calls the embedded fake LinkedIn server, or LinkedIn (GET /v2/me)
// when LINKEDIN_ACCESS_TOKEN is set; either way the shared budget is small
// (5 calls), so it spends little of a real quota.
package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"log"
	"os"
	"sync"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/examples/internal/demo"
	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/transport"
	"github.com/linkedin-go/linkedin/transport/redisstore"
)

const (
	workers = 3
	calls   = 4 // per worker: 12 attempts for a budget of 5
	budget  = 5
)

func main() {
	log.SetFlags(0)
	ctx := context.Background()

	// Redis: the one given, or an embedded one.
	var rc *redis.Client
	if u := os.Getenv("REDIS_URL"); u != "" {
		opts, err := redis.ParseURL(u)
		if err != nil {
			log.Fatalf("fleet: REDIS_URL: %v", err)
		}
		rc = redis.NewClient(opts)
		fmt.Println("Sharing state through Redis at", opts.Addr)
	} else {
		m, err := miniredis.Run()
		if err != nil {
			log.Fatal(err)
		}
		defer m.Close()
		rc = redis.NewClient(&redis.Options{Addr: m.Addr()})
		fmt.Println("Sharing state through an embedded Redis (miniredis); set REDIS_URL to use yours")
	}
	defer rc.Close()
	// A key prefix of this run's own, so that a second run on the same day
	// starts with a full budget.
	prefix := "linkedin-example-" + rand.Text()[:8] + ":"

	// The API: the fake server, or LinkedIn.
	var base string
	received := func() string { return "" }
	req := restli.GetRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": 1}}
	var opts []transport.Option
	token := os.Getenv("LINKEDIN_ACCESS_TOKEN")
	if token == "" {
		srv := demo.NewFake()
		defer srv.Close()
		srv.Seed("/adAccounts", 1, map[string]any{"id": 1, "name": "Fleet"})
		base, token = srv.URL+"/rest", srv.Token()
		received = func() string { return fmt.Sprintf(" (the server received %d)", len(srv.Requests())) }
		opts = append(opts, transport.WithTokenHosts(demo.Host(srv.URL)))
		fmt.Println("Calling the embedded fake LinkedIn server")
	} else {
		base = "https://api.linkedin.com/v2"
		req = restli.GetRequest{ResourcePath: "/me"}
		fmt.Println("Calling LinkedIn")
	}

	// Each worker is a replica: its own Store on the shared Redis client
	// (in a real fleet, its own client to the same Redis) and its own stack.
	var mu sync.Mutex
	var wg sync.WaitGroup
	total := 0
	for w := 1; w <= workers; w++ {
		st := redisstore.New(rc, redisstore.Options{Prefix: prefix, Replicas: workers})
		hc := transport.NewClient(append(opts,
			transport.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token})),
			transport.WithStores(st.Stores()),
			transport.WithQuota(middleware.QuotaOptions{DailyLimit: budget}),
			transport.WithoutTelemetry(),
		)...)
		c := restli.NewClient(hc, restli.WithBaseURL(base), restli.WithVersion("202601"))
		wg.Go(func() {
			defer hc.CloseIdleConnections()
			sent, refused := 0, 0
			for range calls {
				_, err := c.Get(ctx, req)
				switch {
				case err == nil:
					sent++
				case restli.IsDailyQuotaExhausted(err):
					refused++
				default:
					log.Fatalf("worker %d: %v", w, err)
				}
			}
			mu.Lock()
			total += sent
			fmt.Printf("worker %d: %d calls answered, %d refused before sending (the shared daily budget is spent)\n", w, sent, refused)
			mu.Unlock()
		})
	}
	wg.Wait()
	fmt.Printf("together: %d workers sent %d calls for a shared daily budget of %d%s\n", workers, total, budget, received())
}
