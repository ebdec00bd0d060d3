package restlitest_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sort"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
	"github.com/linkedin-go/linkedin/transport"
)

// Create an entity on the fake server and read it back through the real
// client and the default transport stack.
func Example() {
	srv := restlitest.NewServer()
	defer srv.Close()
	c := srv.RestliClient()
	ctx := context.Background()

	created, err := c.Create(ctx, restli.CreateRequest{
		ResourcePath: "/adAccounts",
		Entity:       map[string]any{"name": "Acme", "status": "DRAFT"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created", created.StatusCode, created.EntityID, created.Location)

	got, err := c.Get(ctx, restli.GetRequest{
		ResourcePath: "/adAccounts/{id}",
		PathKeys:     map[string]any{"id": created.EntityID},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("got", got.Entity["id"], got.Entity["name"], got.Entity["status"])
	// Output:
	// created 201 1 /rest/adAccounts/1
	// got 1 Acme DRAFT
}

// Make the next two creates fail with 503 and Retry-After, and inspect what
// the server saw.
func ExampleServer_Fail() {
	srv := restlitest.NewServer(
		// Send each call once, so the example shows every failure.
		restlitest.WithTransportOptions(transport.WithoutRetry(), transport.WithoutCircuitBreaker()),
	)
	defer srv.Close()
	srv.Fail(restlitest.Fault{Method: restli.MethodCreate, Times: 2, Status: 503, RetryAfter: "1"})
	c := srv.RestliClient()

	for i := 0; i < 3; i++ {
		_, err := c.Create(context.Background(), restli.CreateRequest{ResourcePath: "/posts", Entity: map[string]any{"text": "hi"}})
		var e *restli.Error
		if errors.As(err, &e) {
			fmt.Println("attempt", i+1, "failed with", e.StatusCode)
		} else if err == nil {
			fmt.Println("attempt", i+1, "created")
		}
	}
	for _, r := range srv.Requests() {
		fmt.Println(r.RestliMethod, r.Path, r.Status, "fault:", r.Fault != nil, "applied:", r.Applied)
	}
	fmt.Println("posts stored:", srv.Collection("/posts").Len())
	// Output:
	// attempt 1 failed with 503
	// attempt 2 failed with 503
	// attempt 3 created
	// create /rest/posts 503 fault: true applied: false
	// create /rest/posts 503 fault: true applied: false
	// create /rest/posts 201 fault: false applied: true
	// posts stored: 1
}

// Seed a collection and serve a finder registered as a Go func; the server
// pages its results and fills paging.total.
func ExampleServer_HandleFinder() {
	srv := restlitest.NewServer()
	defer srv.Close()
	for i, status := range []string{"ACTIVE", "PAUSED", "ACTIVE", "ACTIVE", "ARCHIVED"} {
		srv.Seed("/adCampaigns", i+1, map[string]any{"id": i + 1, "status": status})
	}
	// search=(status:ACTIVE) selects by status.
	srv.HandleFinder("/adCampaigns", "search", func(r *restlitest.Request, c *restlitest.Collection) ([]map[string]any, error) {
		search, _ := r.Params["search"].(map[string]any)
		var out []map[string]any
		for _, e := range c.All() {
			if e["status"] == search["status"] {
				out = append(out, e)
			}
		}
		return out, nil
	})

	res, err := srv.RestliClient().Finder(context.Background(), restli.FinderRequest{
		ResourcePath: "/adCampaigns",
		FinderName:   "search",
		QueryParams:  map[string]any{"search": map[string]any{"status": "ACTIVE"}, "start": 0, "count": 2},
	})
	if err != nil {
		log.Fatal(err)
	}
	var ids []string
	for _, e := range res.Elements {
		ids = append(ids, fmt.Sprint(e["id"]))
	}
	sort.Strings(ids)
	fmt.Println("page:", ids, "total:", res.Paging.Total)
	// Output:
	// page: [1 3] total: 3
}
