// Post-text publishes a post whose text holds every character LinkedIn's
// commentary format reserves, a mention and a hashtag, reads it back and
// checks that nothing was lost: the commentary is built with package posts,
// which escapes text and writes mentions and hashtags as LinkedIn defines
// them. Against the fake server it also shows what LinkedIn silently keeps
// of the same text sent unescaped.
//
//	go run ./examples/post-text
//
// With LINKEDIN_ACCESS_TOKEN set (scopes profile and w_member_social) the
// post is really published on LinkedIn as the member, then deleted. Reading
// it back needs r_member_social, which most apps lack: the 403 is reported
// with what it names (restli.IsPermissionDenied) and the check is skipped.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/linkedin-go/linkedin/examples/internal/demo"
	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/posts"
)

// Post is a LinkedIn post (the /rest/posts resource).
type Post struct {
	Author         restli.URN   `json:"author"`
	Commentary     string       `json:"commentary"`
	Visibility     string       `json:"visibility"`
	LifecycleState string       `json:"lifecycleState"`
	Distribution   Distribution `json:"distribution"`
}

// Distribution says where a post is shown.
type Distribution struct {
	FeedDistribution               string   `json:"feedDistribution"`
	TargetEntities                 []string `json:"targetEntities"`
	ThirdPartyDistributionChannels []string `json:"thirdPartyDistributionChannels"`
}

// text holds every reserved character: \ | { } @ [ ] ( ) < > # * _ ~
const text = `Release notes (v2.1) for C# & Go fans: {fast} [stable] <typed>, 100% *tested*, snake_case ~ no regressions | path\to\fix @ 09:00 #1 priority. Thanks, `

func main() {
	log.SetFlags(0)
	env := demo.Setup()
	defer env.Close()
	ctx := context.Background()
	fmt.Println("Calling", env.Target())

	me, err := env.V2.Get(ctx, restli.GetRequest{ResourcePath: "/me"})
	check(err)
	author := restli.NewURN("li", "person", fmt.Sprint(me.Entity["id"]))
	name := fmt.Sprint(me.Entity["localizedFirstName"], " ", me.Entity["localizedLastName"])

	var b posts.Commentary
	commentary, err := b.Text(text).Mention(name, author).Text("! ").Hashtag("golang").Build()
	check(err)
	fmt.Println("\nplain text :", text+name+"! #golang")
	fmt.Println("commentary :", commentary)

	urn := create(ctx, env, author, commentary)
	fmt.Println("created    :", urn)

	got, err := restli.GetAs[Post](ctx, env.Client, restli.GetRequest{ResourcePath: "/posts/{id}", PathKeys: map[string]any{"id": urn}})
	switch {
	case restli.IsPermissionDenied(err):
		fmt.Println("read back  : skipped, 403:", permission(err))
	default:
		check(err)
		elems, err := posts.Parse(got.Entity.Commentary)
		check(err)
		fmt.Println("read back  :", posts.PlainText(elems))
		fmt.Println("read back unchanged:", got.Entity.Commentary == commentary)
		for _, e := range elems {
			switch e.Kind {
			case posts.KindMention:
				fmt.Printf("  mention %q %s\n", e.Text, e.URN)
			case posts.KindHashtag:
				fmt.Printf("  hashtag #%s\n", e.Text)
			}
		}
	}
	_, err = env.Client.Delete(ctx, restli.DeleteRequest{ResourcePath: "/posts/{id}", PathKeys: map[string]any{"id": urn}})
	check(err)

	// What the same text becomes unescaped: only against the fake server,
	// which cuts it the way LinkedIn does (LinkedIn would publish the stub).
	if env.Fake != nil {
		urn := create(ctx, env, author, text)
		cut, err := restli.GetAs[Post](ctx, env.Client, restli.GetRequest{ResourcePath: "/posts/{id}", PathKeys: map[string]any{"id": urn}})
		check(err)
		fmt.Printf("\nunescaped, LinkedIn keeps only: %q\n", cut.Entity.Commentary)
		_, err = posts.Parse(text)
		fmt.Println("because:", err)
	}
}

// create publishes a post with the commentary and returns its URN.
func create(ctx context.Context, env *demo.Env, author restli.URN, commentary string) string {
	created, err := env.Client.Create(ctx, restli.CreateRequest{
		ResourcePath: "/posts",
		Entity: Post{
			Author: author, Commentary: commentary, Visibility: "PUBLIC", LifecycleState: "PUBLISHED",
			Distribution: Distribution{FeedDistribution: "MAIN_FEED", TargetEntities: []string{}, ThirdPartyDistributionChannels: []string{}},
		},
	})
	check(err)
	return created.EntityID
}

// permission describes what a 403 says is missing.
func permission(err error) string {
	var e *restli.Error
	if restli.IsPermissionDenied(err) && errors.As(err, &e) && e.Permission != nil {
		return fmt.Sprintf("no permission for %s %s (version %q); a token with r_member_social reads posts", e.Permission.Method, e.Permission.Resource, e.Permission.Version)
	}
	return err.Error()
}

func check(err error) {
	if err != nil {
		log.Fatal("post-text: ", err)
	}
}
