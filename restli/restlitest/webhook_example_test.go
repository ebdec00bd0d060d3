// Runnable examples of the fake's webhook sender and permission rule.

package restlitest_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
	"github.com/linkedin-go/linkedin/restli/webhooks"
)

// CheckWebhook plays LinkedIn against a webhook endpoint and reports what
// it answered.
func ExampleServer_CheckWebhook() {
	srv := restlitest.NewServer()
	defer srv.Close()
	h, _ := webhooks.NewHandler(restlitest.DefaultClientSecret, func(ctx context.Context, n *webhooks.Notification) error {
		return nil
	}, webhooks.Options{})
	endpoint := httptest.NewServer(h)
	defer endpoint.Close()

	report := srv.CheckWebhook(context.Background(), endpoint.URL)
	for _, s := range report.Steps {
		fmt.Println(s.Step, s.Status, s.OK)
	}
	fmt.Println("OK:", report.OK())
	// Output:
	// challenge 200 true
	// delivery 200 true
	// repeated delivery 200 true
	// delivery signed over hmacsha256=+body 200 true
	// bad signature 401 true
	// OK: true
}

// RequireScopes makes the fake answer LinkedIn's 403 to a token without
// the scope.
func ExampleServer_RequireScopes() {
	srv := restlitest.NewServer()
	defer srv.Close()
	srv.RequireScopes("/posts", restli.MethodCreate, "w_member_social")
	c := srv.RestliClient()

	_, err := c.Create(context.Background(), restli.CreateRequest{ResourcePath: "/posts", Entity: map[string]any{"commentary": "hi"}})
	fmt.Println(restli.IsPermissionDenied(err), err)

	srv.SetTokenScopes(srv.Token(), "w_member_social")
	_, err = c.Create(context.Background(), restli.CreateRequest{ResourcePath: "/posts", Entity: map[string]any{"commentary": "hi"}})
	fmt.Println(err)
	// Output:
	// true restli: CREATE /posts: 403 Forbidden (ACCESS_DENIED): Not enough permissions to access: posts.CREATE.20260101
	// <nil>
}
