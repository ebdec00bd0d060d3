// Tests that statuses outside 100-999 given to the fake server are errors,
// never a panic in the test.

package restlitest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
)

// TestServer_StatusOutsideHTTPRangeIsAnErrorNotAPanic: a Fault or Error
// status net/http cannot send used to panic in WriteHeader inside the
// test's server; now Fail returns an error and the server answers 500.
func TestServer_StatusOutsideHTTPRangeIsAnErrorNotAPanic(t *testing.T) {
	srv := restlitest.NewServer()
	defer srv.Close()
	srv.Seed("/things", 1, map[string]any{"id": 1})
	for _, status := range []int{-1, 42, 99, 1000} {
		if err := srv.Fail(restlitest.Fault{Status: status}); err == nil {
			t.Errorf("Fail(Status %d): no error", status)
		}
	}
	if n := srv.PendingFaults(); n != 0 {
		t.Fatalf("%d invalid faults queued", n)
	}
	if err := srv.Fail(restlitest.Fault{Status: 503, Times: 1}); err != nil {
		t.Fatalf("Fail(503): %v", err)
	}
	srv.ClearFaults()

	// A bare client: no retries, no breaker, so each call is one answer.
	c := restli.NewClient(&http.Client{}, restli.WithBaseURL(srv.URL+"/rest"), restli.WithVersion(restlitest.DefaultVersion))
	tok := srv.Token()
	get := func() error {
		_, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": 1}, AccessToken: tok})
		return err
	}
	// A fault policy with a bad status.
	srv.SetFaultPolicy(func(*restlitest.Request) *restlitest.Fault { return &restlitest.Fault{Status: 1000} })
	var re *restli.Error
	if err := get(); !errors.As(err, &re) || re.StatusCode != 500 || re.Code != restlitest.CodeInvalidTestStatus {
		t.Errorf("policy status 1000: err = %v", err)
	}
	srv.SetFaultPolicy(nil)
	// A handler returning an Error with a bad status.
	srv.HandleFinder("/things", "bad", func(*restlitest.Request, *restlitest.Collection) ([]map[string]any, error) {
		return nil, &restlitest.Error{Status: 42, Code: "X"}
	})
	_, err := c.Finder(context.Background(), restli.FinderRequest{ResourcePath: "/things", FinderName: "bad", AccessToken: tok})
	if !errors.As(err, &re) || re.StatusCode != 500 || re.Code != restlitest.CodeInvalidTestStatus {
		t.Errorf("handler status 42: err = %v", err)
	}
}
