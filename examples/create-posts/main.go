// Create-posts publishes a text post as the signed-in member, like the
// official clients' example: it reads the member's id from /v2/me, creates
// the post on /rest/posts with the member's URN as author (the new post's URN
// comes back in X-RestLi-Id), lists the member's posts with the "author"
// finder and the restli.Pages iterator, and deletes the post again.
//
//	go run ./examples/create-posts
//
// With LINKEDIN_ACCESS_TOKEN set (scopes profile and w_member_social) the post
// is really published on LinkedIn, then deleted. Listing posts needs
// r_member_social, which most apps lack: a 403 there is reported and skipped.
package main

import (
	"context"
	"fmt"
	"log"

	"github.com/linkedin-go/linkedin/examples/internal/demo"
	"github.com/linkedin-go/linkedin/restli"
)

// Post is a LinkedIn post (the /rest/posts resource). Its id, a URN such as
// urn:li:share:…, comes back in X-RestLi-Id when it is created.
type Post struct {
	Author         restli.URN   `json:"author"`
	Commentary     string       `json:"commentary"`
	Visibility     string       `json:"visibility"`
	LifecycleState string       `json:"lifecycleState"`
	Distribution   Distribution `json:"distribution"`
}

// Distribution says where a post is shown.
type Distribution struct {
	FeedDistribution string `json:"feedDistribution"`
	// LinkedIn wants these present, even empty: non-nil slices marshal as [].
	TargetEntities                 []string `json:"targetEntities"`
	ThirdPartyDistributionChannels []string `json:"thirdPartyDistributionChannels"`
}

func main() {
	log.SetFlags(0)
	env := demo.Setup()
	defer env.Close()
	ctx := context.Background()
	fmt.Println("Calling", env.Target())

	me, err := env.V2.Get(ctx, restli.GetRequest{ResourcePath: "/me"})
	check(err)
	author := restli.NewURN("li", "person", fmt.Sprint(me.Entity["id"]))
	fmt.Println("\nauthor:", author)

	created, err := env.Client.Create(ctx, restli.CreateRequest{
		ResourcePath: "/posts",
		Entity: Post{
			Author:         author,
			Commentary:     "Sample text post created with linkedin-go",
			Visibility:     "PUBLIC",
			LifecycleState: "PUBLISHED",
			Distribution: Distribution{
				FeedDistribution:               "MAIN_FEED",
				TargetEntities:                 []string{},
				ThirdPartyDistributionChannels: []string{},
			},
		},
	})
	check(err)
	fmt.Printf("created post: %d, X-RestLi-Id: %s\n", created.StatusCode, created.EntityID)

	// GET /rest/posts?q=author&author=urn%3Ali%3Aperson%3A…, 10 per page.
	fmt.Println("\nposts by", author)
	for p, err := range restli.Pages[Post](ctx, env.Client, restli.FinderRequest{
		ResourcePath: "/posts",
		FinderName:   "author",
		QueryParams:  map[string]any{"author": author, "count": 10},
	}) {
		if restli.IsForbidden(err) {
			fmt.Println("  (403: listing posts needs the r_member_social scope)")
			break
		}
		check(err)
		fmt.Printf("  %s %s %q\n", p.LifecycleState, p.Visibility, p.Commentary)
	}

	// The id is a URN on LinkedIn (urn:li:share:…): the client encodes it as
	// one path segment, urn%3Ali%3Ashare%3A….
	deleted, err := env.Client.Delete(ctx, restli.DeleteRequest{
		ResourcePath: "/posts/{id}",
		PathKeys:     map[string]any{"id": created.EntityID},
	})
	check(err)
	fmt.Printf("\ndeleted post %s: %d\n", created.EntityID, deleted.StatusCode)
}

func check(err error) {
	if err != nil {
		log.Fatal("create-posts: ", err)
	}
}
