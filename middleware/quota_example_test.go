package middleware_test

import (
	"fmt"
	"net/http"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/restli"
)

// Quota keeps a client-side daily budget per resource (and can smooth the
// rate): past the budget, calls fail before the network until 00:00 UTC.
// Give the same store to Retry so LinkedIn's own DAY-limit answers stop
// this layer too, and a shared store to share the budget among replicas.
func ExampleQuota() {
	srv, c := exampleEcho(func(*http.Request, []byte) {})
	defer srv.Close()
	store := middleware.NewMemoryQuotaStore(nil)
	client := &http.Client{Transport: middleware.Retry(middleware.RetryOptions{Quota: store})(
		middleware.Quota(middleware.QuotaOptions{Store: store, DailyLimit: 2})(c.Transport))}

	for range 3 {
		resp, err := client.Get(srv.URL + "/rest/adAccounts/1")
		if err != nil {
			fmt.Println("daily quota spent:", restli.IsDailyQuotaExhausted(err))
			continue
		}
		resp.Body.Close()
		fmt.Println(resp.Status)
	}
	// Output:
	// 200 OK
	// 200 OK
	// daily quota spent: true
}
