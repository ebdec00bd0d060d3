// Runnable examples of the version and permission errors.

package restli_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/linkedin-go/linkedin/restli"
)

// IsVersionSunset recognises LinkedIn's answer to a sunset version by its
// code; Error.Version is the version that was sent.
func ExampleIsVersionSunset() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(426)
		io.WriteString(w, `{"status":426,"code":"NONEXISTENT_VERSION","message":"Requested version 20240401 is not active"}`)
	}))
	defer srv.Close()
	c := restli.NewClient(srv.Client(), restli.WithBaseURL(srv.URL), restli.WithVersion("202404"))

	_, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": 1}})
	var e *restli.Error
	if restli.IsVersionSunset(err) && errors.As(err, &e) {
		fmt.Println("sunset:", e.Version)
	}
	// A malformed version never leaves the client.
	_, err = c.Get(context.Background(), restli.GetRequest{ResourcePath: "/me", Version: "2024-04"})
	fmt.Println(err)
	// How old a version is, on a given day.
	age, _ := restli.VersionAgeMonths("202601", time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC))
	fmt.Println("202601 in November 2026:", age, "months; near sunset:", age >= restli.DefaultVersionWarnMonths)
	// Output:
	// sunset: 202404
	// restli: invalid request: Version: must be a LinkedIn-Version of the form YYYYMM or YYYYMM.RR, such as 202601 or 202601.01
	// 202601 in November 2026: 10 months; near sunset: true
}

// IsPermissionDenied recognises LinkedIn's 403 for a missing permission;
// Error.Permission says what it names.
func ExampleIsPermissionDenied() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(403)
		io.WriteString(w, `{"status":403,"serviceErrorCode":100,"code":"ACCESS_DENIED","message":"Not enough permissions to access: userinfo.GET.NO_VERSION"}`)
	}))
	defer srv.Close()
	c := restli.NewClient(srv.Client(), restli.WithBaseURL(srv.URL))

	_, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/userinfo"})
	var e *restli.Error
	if restli.IsPermissionDenied(err) && errors.As(err, &e) {
		fmt.Printf("resource %q, method %q, version %q\n", e.Permission.Resource, e.Permission.Method, e.Permission.Version)
	}
	// Output:
	// resource "userinfo", method "GET", version ""
}
