// This file tests that the token layer leaves a request without a token
// when its context carries restli.ContextWithoutToken, as the part uploads
// of package media do.

package oauth

import (
	"context"
	"net/http"
	"testing"

	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/restli"
)

func TestMiddleware_WithheldTokenIsNotAttached(t *testing.T) {
	for _, tc := range []struct {
		name     string
		withhold bool
		want     string
	}{
		{"normal request gets the token", false, "Bearer TOKEN-CANARY"},
		{"withheld request goes without", true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recordingTransport{}
			rt := Middleware(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "TOKEN-CANARY"}),
				MiddlewareOptions{AllowHosts: []string{"www.linkedin.com"}})(rec)
			ctx := context.Background()
			if tc.withhold {
				ctx = restli.ContextWithoutToken(ctx)
			}
			req, _ := http.NewRequestWithContext(ctx, http.MethodPut, "https://www.linkedin.com/dms-uploads/x?sig=s", http.NoBody)
			resp, err := rt.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if got := rec.auth[0]; got != tc.want {
				t.Errorf("Authorization %q, want %q", got, tc.want)
			}
			if req.Header.Get("Authorization") != "" {
				t.Error("the caller's request was modified")
			}
		})
	}
}
