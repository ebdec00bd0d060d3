// Runnable example of a LinkedIn webhook receiver.

package webhooks_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/linkedin-go/linkedin/restli/webhooks"
)

// NewHandler answers LinkedIn's challenge and hands each new, signed
// notification to a function.
func ExampleNewHandler() {
	h, err := webhooks.NewHandler("client-secret", func(ctx context.Context, n *webhooks.Notification) error {
		fmt.Println("notification", n.ID, n.Action, n.SourcePost)
		return nil // an error answers 500: LinkedIn counts the delivery as failed
	}, webhooks.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	// In production: http.Handle("/linkedin/webhook", h) on an https server.
	srv := httptest.NewServer(h)
	defer srv.Close()

	resp, _ := http.Get(srv.URL + "?challengeCode=890e4665-4dfe-4ab1-b689-ed553bceeed0")
	fmt.Println("challenge:", resp.StatusCode, resp.Header.Get("Content-Type"))
	resp.Body.Close()

	body := `{"notificationId":1,"action":"COMMENT","sourcePost":"urn:li:share:1"}`
	for range 2 { // the repeat is acknowledged but not processed again
		req, _ := http.NewRequest("POST", srv.URL, strings.NewReader(body))
		req.Header.Set("X-LI-Signature", webhooks.Sign("client-secret", []byte(body)))
		resp, _ := http.DefaultClient.Do(req)
		fmt.Println("delivery:", resp.StatusCode)
		resp.Body.Close()
	}
	// Output:
	// challenge: 200 application/json
	// notification 1 COMMENT urn:li:share:1
	// delivery: 200
	// delivery: 200
}
