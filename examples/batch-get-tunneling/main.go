// Batch-get-tunneling reads 500 campaign groups in one BATCH_GET, like the
// official clients' query-tunneling example. ids=List(…) makes the query
// longer than the 4000 characters LinkedIn accepts, so the transport's tunnel
// layer sends the call as POST with X-HTTP-Method-Override: GET and the query
// in a form-encoded body. Nothing in the call changes: tunneling is automatic.
//
//	go run ./examples/batch-get-tunneling
//
// With LINKEDIN_ACCESS_TOKEN set (scope r_ads) it asks LinkedIn for the same
// ids; expect most to come back as per-id errors, as in the official example.
package main

import (
	"context"
	"fmt"
	"log"
	"maps"
	"slices"

	"github.com/linkedin-go/linkedin/examples/internal/demo"
	"github.com/linkedin-go/linkedin/restli"
)

// CampaignGroup is the part of LinkedIn's campaign group we print.
type CampaignGroup struct {
	ID          int64      `json:"id"`
	Name        string     `json:"name"`
	Status      string     `json:"status"`
	Account     restli.URN `json:"account"`
	TotalBudget struct {
		Amount       string `json:"amount"`
		CurrencyCode string `json:"currencyCode"`
	} `json:"totalBudget"`
}

func main() {
	log.SetFlags(0)
	env := demo.Setup()
	defer env.Close()
	ctx := context.Background()
	fmt.Println("Calling", env.Target())

	ids := make([]any, 500)
	for i := range ids {
		ids[i] = demo.FirstCampaignGroupID + int64(i)
	}
	req := restli.BatchGetRequest{ResourcePath: "/adCampaignGroups", IDs: ids}

	// NewHTTPRequest builds the request the client sends to the transport,
	// before any layer: here it has a query of about 5000 characters.
	canonical, err := env.Client.NewHTTPRequest(ctx, req)
	check(err)
	fmt.Printf("\nBATCH_GET /adCampaignGroups with %d ids: %s %s?%.40s… (%d characters)\n",
		len(ids), canonical.Method, canonical.URL.Path, canonical.URL.RawQuery, len(canonical.URL.RawQuery))

	res, err := restli.BatchGetAs[CampaignGroup](ctx, env.Client, req)
	check(err)

	if env.Fake != nil {
		reqs := env.Fake.Requests()
		r := reqs[len(reqs)-1]
		fmt.Printf("on the wire: %s %s with X-HTTP-Method-Override: %s, Content-Type: %s\n",
			r.HTTPMethod, r.Path, r.Header.Get("X-HTTP-Method-Override"), r.Header.Get("Content-Type"))
		fmt.Printf("the server decoded it as %s of %d ids (tunneled: %t)\n", r.RestliMethod.Upper(), len(r.Keys), r.Tunneled)
	}

	fmt.Printf("\n%d results, %d errors\n", len(res.Results), len(res.Errors))
	// Results and Errors are keyed by response key: restli.ResponseKey(id).
	for _, id := range ids {
		key, err := restli.ResponseKey(id)
		check(err)
		if g, ok := res.Results[key]; ok {
			fmt.Printf("  %s  %-22s %-7s %6s %s\n", key, g.Name, g.Status, g.TotalBudget.Amount, g.TotalBudget.CurrencyCode)
		}
	}
	byStatus := map[int]int{}
	for _, e := range res.Errors {
		byStatus[e.StatusCode]++
	}
	for _, status := range slices.Sorted(maps.Keys(byStatus)) {
		fmt.Printf("  %d ids answered %d\n", byStatus[status], status)
	}
}

func check(err error) {
	if err != nil {
		log.Fatal("batch-get-tunneling: ", err)
	}
}
