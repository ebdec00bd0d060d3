// Crud-ad-accounts creates, reads, partially updates and deletes a test ad
// account, like the official clients' CRUD example: CREATE returns the new
// id in X-RestLi-Id, PARTIAL_UPDATE sends {"patch":{"$set":{…}}} built from
// PatchSetObject, and DELETE answers 204.
//
//	go run ./examples/crud-ad-accounts
//
// With LINKEDIN_ACCESS_TOKEN set (scope rw_ads) it creates a test account for
// LINKEDIN_ORGANIZATION on LinkedIn and deletes it again.
package main

import (
	"context"
	"fmt"
	"log"

	"github.com/linkedin-go/linkedin/examples/internal/demo"
	"github.com/linkedin-go/linkedin/restli"
)

// AdAccount is the part of LinkedIn's ad account we set and read.
type AdAccount struct {
	ID        int64      `json:"id,omitempty"`
	Name      string     `json:"name"`
	Currency  string     `json:"currency"`
	Reference restli.URN `json:"reference"`
	Status    string     `json:"status"`
	Type      string     `json:"type"`
	Test      bool       `json:"test"`
}

func main() {
	log.SetFlags(0)
	env := demo.Setup()
	defer env.Close()
	ctx := context.Background()
	c := env.Client
	org := env.Organization()
	fmt.Println("Calling", env.Target())

	// CREATE: a test account is free and never serves ads.
	created, err := c.Create(ctx, restli.CreateRequest{
		ResourcePath: "/adAccounts",
		Entity: AdAccount{
			Name: "CRUD Example Account", Currency: "USD", Reference: org,
			Status: "DRAFT", Type: "BUSINESS", Test: true,
		},
	})
	check(err)
	fmt.Println()
	show("CREATE", "/adAccounts", "%d, X-RestLi-Id: %s", created.StatusCode, created.EntityID)
	account := map[string]any{"id": created.EntityID}
	path := "/adAccounts/" + created.EntityID

	// GET
	got, err := restli.GetAs[AdAccount](ctx, c, restli.GetRequest{ResourcePath: "/adAccounts/{id}", PathKeys: account})
	check(err)
	show("GET", path, "%d, %q (%s, %s, test: %t)",
		got.StatusCode, got.Entity.Name, got.Entity.Status, got.Entity.Currency, got.Entity.Test)

	// PARTIAL_UPDATE with the fields to set; see the quickstart for a patch
	// computed from two versions of the entity (restli.DiffPatch).
	updated, err := c.PartialUpdate(ctx, restli.PartialUpdateRequest{
		ResourcePath:   "/adAccounts/{id}",
		PathKeys:       account,
		PatchSetObject: map[string]any{"name": "CRUD Example Account (renamed)"},
	})
	check(err)
	got, err = restli.GetAs[AdAccount](ctx, c, restli.GetRequest{ResourcePath: "/adAccounts/{id}", PathKeys: account})
	check(err)
	show("PARTIAL_UPDATE", path, "%d, name now %q", updated.StatusCode, got.Entity.Name)

	// DELETE
	deleted, err := c.Delete(ctx, restli.DeleteRequest{ResourcePath: "/adAccounts/{id}", PathKeys: account})
	check(err)
	show("DELETE", path, "%d", deleted.StatusCode)

	_, err = c.Get(ctx, restli.GetRequest{ResourcePath: "/adAccounts/{id}", PathKeys: account})
	switch {
	case restli.IsNotFound(err):
		show("GET", path, "404, gone")
	case err != nil:
		log.Fatal(err)
	default:
		fmt.Println("still readable: LinkedIn keeps deleted accounts, with status REMOVED")
	}
}

// show prints one call and its outcome.
func show(method, path, format string, args ...any) {
	fmt.Printf("%-14s %-14s → %s\n", method, path, fmt.Sprintf(format, args...))
}

func check(err error) {
	if err != nil {
		log.Fatal("crud-ad-accounts: ", err)
	}
}
