// Get-profile reads the signed-in member's profile: GET /v2/me, the same
// with a projection that selects fields, and the OpenID Connect /v2/userinfo.
//
//	go run ./examples/get-profile
//
// With LINKEDIN_ACCESS_TOKEN set it calls LinkedIn; /me needs a token with
// the profile scope (r_liteprofile for older apps), /userinfo one with the
// openid, profile and email scopes.
package main

import (
	"context"
	"fmt"
	"log"
	"slices"

	"github.com/linkedin-go/linkedin/examples/internal/demo"
	"github.com/linkedin-go/linkedin/restli"
)

// Profile is the lite profile /me returns.
type Profile struct {
	ID                 string `json:"id"`
	LocalizedFirstName string `json:"localizedFirstName"`
	LocalizedLastName  string `json:"localizedLastName"`
	LocalizedHeadline  string `json:"localizedHeadline"`
	VanityName         string `json:"vanityName"`
}

// UserInfo is the OpenID Connect profile /userinfo returns.
type UserInfo struct {
	Sub           string `json:"sub"`
	Name          string `json:"name"`
	Email         string `json:"email"`
	EmailVerified bool   `json:"email_verified"`
	Locale        struct {
		Country  string `json:"country"`
		Language string `json:"language"`
	} `json:"locale"`
}

func main() {
	log.SetFlags(0)
	env := demo.Setup()
	defer env.Close()
	ctx := context.Background()
	fmt.Println("Calling", env.Target())

	// /me is an unversioned (/v2) simple resource: no key in the path.
	me, err := restli.GetAs[Profile](ctx, env.V2, restli.GetRequest{ResourcePath: "/me"})
	check(err)
	p := me.Entity
	fmt.Printf("\nGET /v2/me\n  %s %s, %s\n  member URN: %s\n", p.LocalizedFirstName, p.LocalizedLastName,
		p.LocalizedHeadline, restli.NewURN("li", "person", p.ID))

	// A projection asks LinkedIn for the named fields only.
	projected, err := env.V2.Get(ctx, restli.GetRequest{
		ResourcePath: "/me",
		QueryParams:  map[string]any{"projection": "(id,localizedFirstName)"},
	})
	check(err)
	fields := make([]string, 0, len(projected.Entity))
	for k := range projected.Entity {
		fields = append(fields, k)
	}
	slices.Sort(fields)
	fmt.Printf("\nGET /v2/me?projection=(id,localizedFirstName)\n  fields returned: %v\n", fields)

	// Sign In with LinkedIn using OpenID Connect.
	info, err := restli.GetAs[UserInfo](ctx, env.V2, restli.GetRequest{ResourcePath: "/userinfo"})
	check(err)
	u := info.Entity
	fmt.Printf("\nGET /v2/userinfo\n  %s <%s> (verified: %t), locale %s_%s\n",
		u.Name, u.Email, u.EmailVerified, u.Locale.Language, u.Locale.Country)
}

func check(err error) {
	if err != nil {
		log.Fatal("get-profile: ", err)
	}
}
