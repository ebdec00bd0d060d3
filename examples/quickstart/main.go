// Quickstart is a short tour of the client: it creates an ad account, reads
// it back, runs a finder, batch-gets hundreds of ids (a query long enough to
// be tunneled), updates the account partially, deletes it, and shows the
// typed error a missing entity gives.
//
// Run it against the embedded fake LinkedIn server, no account needed:
//
//	go run ./examples/quickstart
//
// or against LinkedIn, with a token that has the rw_ads scope (it creates a
// test ad account for LINKEDIN_ORGANIZATION and deletes it again):
//
//	LINKEDIN_ACCESS_TOKEN=… LINKEDIN_ORGANIZATION=urn:li:organization:… go run ./examples/quickstart
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"

	"github.com/linkedin-go/linkedin/examples/internal/demo"
	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/restli"
)

// AdAccount is the part of LinkedIn's ad account we use. Typed calls
// (restli.GetAs, FinderAs, BatchGetAs…) decode straight into it.
type AdAccount struct {
	ID        int64      `json:"id,omitempty"`
	Name      string     `json:"name"`
	Currency  string     `json:"currency"`
	Reference restli.URN `json:"reference"`
	Status    string     `json:"status"`
	Type      string     `json:"type"`
	Test      bool       `json:"test"`
}

// String formats an account for the tour.
func (a AdAccount) String() string {
	return fmt.Sprintf("#%d %q, %s, %s", a.ID, a.Name, a.Status, a.Currency)
}

func main() {
	log.SetFlags(0)
	env := demo.Setup()
	defer env.Close()
	ctx := context.Background()
	c := env.Client
	org := env.Organization()

	fmt.Println("LinkedIn Rest.li client: a quick tour")
	fmt.Println("Calling", env.Target())

	step("1. CREATE a test ad account")
	created, err := c.Create(ctx, restli.CreateRequest{
		ResourcePath: "/adAccounts",
		Entity: AdAccount{
			Name: "Quickstart Sandbox", Currency: "USD", Reference: org,
			Status: "DRAFT", Type: "BUSINESS", Test: true,
		},
	})
	check(err)
	id := created.EntityID
	fmt.Printf("   POST /adAccounts: %d Created, X-RestLi-Id: %s\n", created.StatusCode, id)

	step("2. GET it back, decoded into an AdAccount (restli.GetAs)")
	byID := map[string]any{"id": id}
	got, err := restli.GetAs[AdAccount](ctx, c, restli.GetRequest{ResourcePath: "/adAccounts/{id}", PathKeys: byID})
	check(err)
	fmt.Println("  ", got.Entity)
	fmt.Printf("   its URN is %s; it advertises for %s\n", restli.NewURN("li", "sponsoredAccount", id), got.Entity.Reference)

	step("3. FINDER search (restli.FinderAs): ACTIVE or DRAFT test accounts of " + org.String())
	found, err := restli.FinderAs[AdAccount](ctx, c, restli.FinderRequest{
		ResourcePath: "/adAccounts",
		FinderName:   "search",
		QueryParams: map[string]any{
			"search": map[string]any{
				"reference": map[string]any{"values": []any{org}},
				"status":    map[string]any{"values": []any{"ACTIVE", "DRAFT"}},
				"test":      true,
			},
			"pageSize": 10,
		},
	})
	check(err)
	for _, a := range found.Elements {
		fmt.Println("  ", a)
	}

	step("4. BATCH_GET 500 ad accounts by id: a query too long for a URL")
	// The accounts we know, padded with made-up ids, as a reporting job
	// might ask.
	var ids []any
	for _, a := range found.Elements {
		ids = append(ids, a.ID)
	}
	for n := int64(507500000); len(ids) < 500; n++ {
		ids = append(ids, n)
	}
	batch := restli.BatchGetRequest{ResourcePath: "/adAccounts", IDs: ids}
	canonical, err := c.NewHTTPRequest(ctx, batch) // the request before the transport layers
	check(err)
	fmt.Printf("   ids=List(...) makes a %d-character query; LinkedIn refuses queries over %d,\n",
		len(canonical.URL.RawQuery), middleware.DefaultMaxQueryLength)
	fmt.Println("   so the tunnel layer sends it as POST with X-HTTP-Method-Override: GET, the query in the body")
	accounts, err := restli.BatchGetAs[AdAccount](ctx, c, batch)
	check(err)
	if env.Fake != nil {
		reqs := env.Fake.Requests()
		r := reqs[len(reqs)-1]
		fmt.Printf("   the server received %s %s, X-HTTP-Method-Override: %s (tunneled: %t)\n",
			r.HTTPMethod, r.Path, r.Header.Get("X-HTTP-Method-Override"), r.Tunneled)
		fmt.Printf("   and decoded it as %s of %d ids\n", r.RestliMethod.Upper(), len(r.Keys))
	}
	fmt.Printf("   %d found, %d not found (one *restli.Error per id in Errors)\n", len(accounts.Results), len(accounts.Errors))

	step("5. PARTIAL_UPDATE: rename it, with a patch computed by restli.DiffPatch")
	renamed := got.Entity
	renamed.Name = "Quickstart Sandbox (renamed)"
	patch, err := restli.DiffPatch(got.Entity, renamed)
	check(err)
	fmt.Printf("   patch: %s\n", mustJSON(patch))
	updated, err := c.PartialUpdate(ctx, restli.PartialUpdateRequest{
		ResourcePath: "/adAccounts/{id}", PathKeys: byID, PatchSetObject: patch,
	})
	check(err)
	got, err = restli.GetAs[AdAccount](ctx, c, restli.GetRequest{ResourcePath: "/adAccounts/{id}", PathKeys: byID})
	check(err)
	fmt.Printf("   %d No Content; read back: %s\n", updated.StatusCode, got.Entity)

	step("6. DELETE it")
	deleted, err := c.Delete(ctx, restli.DeleteRequest{ResourcePath: "/adAccounts/{id}", PathKeys: byID})
	check(err)
	fmt.Printf("   %d No Content\n", deleted.StatusCode)

	step("7. GET it again: errors are typed")
	_, err = restli.GetAs[AdAccount](ctx, c, restli.GetRequest{ResourcePath: "/adAccounts/{id}", PathKeys: byID})
	var restliErr *restli.Error
	switch {
	case errors.As(err, &restliErr):
		fmt.Printf("   *restli.Error: status %d, code %s, message %q\n",
			restliErr.StatusCode, restliErr.Code, restliErr.Message)
		fmt.Println("   restli.IsNotFound(err):", restli.IsNotFound(err))
	case err != nil:
		check(err)
	default:
		fmt.Println("   still readable: LinkedIn keeps deleted accounts, with status REMOVED")
	}

	fmt.Println("\nDone. Next: the other programs in examples/, and `go doc ./restli`.")
}

func step(title string) { fmt.Println("\n" + title) }

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	check(err)
	return string(b)
}

func check(err error) {
	if err != nil {
		log.Fatal("quickstart: ", err)
	}
}
