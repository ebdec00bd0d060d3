// Finder-ad-accounts searches ad accounts with the adAccounts "search"
// finder: one page with restli.FinderAs, then every page with the
// restli.CursorPages iterator, which follows metadata.nextPageToken (the
// cursor paging LinkedIn's Marketing search finders use since version 202401).
//
//	go run ./examples/finder-ad-accounts
//
// With LINKEDIN_ACCESS_TOKEN set (scope r_ads) it searches the accounts of
// LINKEDIN_ORGANIZATION on LinkedIn.
package main

import (
	"context"
	"fmt"
	"log"

	"github.com/linkedin-go/linkedin/examples/internal/demo"
	"github.com/linkedin-go/linkedin/restli"
)

// AdAccount is the part of LinkedIn's ad account we print.
type AdAccount struct {
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	Status    string     `json:"status"`
	Currency  string     `json:"currency"`
	Reference restli.URN `json:"reference"`
}

func main() {
	log.SetFlags(0)
	env := demo.Setup()
	defer env.Close()
	ctx := context.Background()
	org := env.Organization()
	fmt.Println("Calling", env.Target())

	// search=(reference:(values:List(urn%3Ali%3Aorganization%3A…)),status:(values:List(ACTIVE)),test:true)
	criteria := map[string]any{
		"reference": map[string]any{"values": []any{org}},
		"status":    map[string]any{"values": []any{"ACTIVE"}},
		"test":      true,
	}

	fmt.Println("\nOne page of 2 (restli.FinderAs):")
	page, err := restli.FinderAs[AdAccount](ctx, env.Client, restli.FinderRequest{
		ResourcePath: "/adAccounts",
		FinderName:   "search",
		QueryParams:  map[string]any{"search": criteria, "pageSize": 2},
	})
	check(err)
	for _, a := range page.Elements {
		fmt.Printf("  %d  %-34s %s\n", a.ID, a.Name, a.Status)
	}
	fmt.Printf("  metadata: %s\n", page.Metadata)

	fmt.Println("\nEvery page, 2 at a time (restli.CursorPages):")
	if env.Fake != nil {
		env.Fake.ClearRequests() // to count the requests the iterator makes
	}
	n := 0
	for a, err := range restli.CursorPages[AdAccount](ctx, env.Client, restli.FinderRequest{
		ResourcePath: "/adAccounts",
		FinderName:   "search",
		QueryParams:  map[string]any{"search": criteria, "pageSize": 2},
	}) {
		check(err)
		n++
		fmt.Printf("  %d. %d  %-34s %s %s\n", n, a.ID, a.Name, a.Status, a.Currency)
	}
	fmt.Printf("  %d ACTIVE test accounts of %s\n", n, org)
	if env.Fake != nil {
		fmt.Printf("  in %d requests: each page's metadata.nextPageToken is the next one's pageToken\n", env.Fake.Count(nil))
	}
}

func check(err error) {
	if err != nil {
		log.Fatal("finder-ad-accounts: ", err)
	}
}
