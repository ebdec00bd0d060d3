// Tests of the Posts API commentary rule: an unescaped commentary is cut
// as LinkedIn cuts it; an escaped one is stored and read back unchanged.

package restlitest_test

import (
	"net/http"
	"testing"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/posts"
)

func TestPostsCreate_CutsUnescapedCommentaryLikeLinkedIn(t *testing.T) {
	srv := newServer(t)
	c := srv.RestliClient()
	acme := restli.MustParseURN("urn:li:organization:2414183")
	var b posts.Commentary
	built, err := b.Text("Launch (beta) with ").Mention("Acme", acme).Text(" — *all* of it_ ~ <3 ").Hashtag("golang").Build()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, sent, stored string
	}{
		{"unescaped parenthesis", "Launch (beta) today", "Launch "},
		{"unescaped hash", "C# and F#", "C"},
		{"unescaped underscore", "snake_case", "snake"},
		{"escaped", posts.Escape("Launch (beta) today: C# & snake_case *100%* ~ {x} [y] <z> | \\ @me"), ""},
		{"built with mention and hashtag", built, ""},
		{"bare hashtag", "Hello #golang", ""},
		{"broken mention", "Hi @[Acme](urn:li:organization:2414183 and more", "Hi "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.stored
			if want == "" {
				want = tt.sent
			}
			cr, err := c.Create(ctxT(t), restli.CreateRequest{ResourcePath: "/posts", Entity: map[string]any{
				"author": "urn:li:organization:2414183", "commentary": tt.sent, "visibility": "PUBLIC",
			}})
			if err != nil {
				t.Fatal(err)
			}
			if cr.StatusCode != http.StatusCreated {
				t.Fatalf("status %d: LinkedIn accepts the post and cuts it silently", cr.StatusCode)
			}
			got, err := c.Get(ctxT(t), restli.GetRequest{ResourcePath: "/posts/{id}", PathKeys: map[string]any{"id": cr.EntityID}})
			if err != nil {
				t.Fatal(err)
			}
			if got.Entity["commentary"] != want {
				t.Fatalf("stored commentary %q, want %q", got.Entity["commentary"], want)
			}
		})
	}
}

func TestCommentaryRule_OnlyOnRestPosts(t *testing.T) {
	srv := newServer(t)
	for _, tt := range []struct {
		client *restli.Client
		path   string
	}{
		{srv.RestliClient(), "/comments"},
		{srv.RestliClient(restli.WithBaseURL(srv.URL+"/v2"), restli.WithVersion("")), "/posts"},
	} {
		cr, err := tt.client.Create(ctxT(t), restli.CreateRequest{ResourcePath: tt.path, Entity: map[string]any{"commentary": "plain (text)"}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := tt.client.Get(ctxT(t), restli.GetRequest{ResourcePath: tt.path + "/{id}", PathKeys: map[string]any{"id": cr.EntityID}})
		if err != nil {
			t.Fatal(err)
		}
		if got.Entity["commentary"] != "plain (text)" {
			t.Fatalf("%s: commentary %q", tt.path, got.Entity["commentary"])
		}
	}
}
