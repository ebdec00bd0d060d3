package restlitest_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
)

func TestCreate_PostsGetLinkedInShapedIDs(t *testing.T) {
	srv := restlitest.NewServer(restlitest.WithIDGenerator("/adAccounts", func(seq int64) string {
		return "urn:li:sponsoredAccount:" + strconv.FormatInt(500+seq, 10)
	}))
	defer srv.Close()
	c := srv.RestliClient()
	ctx := context.Background()
	base := strconv.FormatInt(restlitest.PostIDBase, 10)[:4]
	tests := []struct {
		name       string
		collection string
		entity     map[string]any
		wantPrefix string
	}{
		{"text post", "/posts", map[string]any{"commentary": "hi"}, "urn:li:share:" + base},
		{"video post", "/posts", map[string]any{"commentary": "v", "content": map[string]any{"media": map[string]any{"id": "urn:li:video:1"}}}, "urn:li:ugcPost:" + base},
		{"ugcPosts", "/ugcPosts", map[string]any{"x": 1}, "urn:li:ugcPost:" + base},
		{"own generator", "/adAccounts", map[string]any{"name": "a"}, "urn:li:sponsoredAccount:50"},
		{"numeric default elsewhere", "/campaigns", map[string]any{"name": "c"}, "1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := c.Create(ctx, restli.CreateRequest{ResourcePath: tt.collection, Entity: tt.entity})
			if err != nil {
				t.Fatalf("create: %v", err)
			}
			if !strings.HasPrefix(resp.EntityID, tt.wantPrefix) {
				t.Fatalf("X-RestLi-Id = %q, want prefix %q", resp.EntityID, tt.wantPrefix)
			}
			got, err := c.Get(ctx, restli.GetRequest{ResourcePath: tt.collection + "/{id}", PathKeys: map[string]any{"id": resp.DecodedEntityID}})
			if err != nil {
				t.Fatalf("reading the created entity back: %v", err)
			}
			if id := got.Entity["id"]; id == nil || !strings.HasPrefix(anyText(id), tt.wantPrefix) {
				t.Errorf("entity id = %#v", id)
			}
		})
	}
}

func anyText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case interface{ String() string }:
		return v.String()
	}
	return ""
}
