// Tests of the permission rule: LinkedIn's 403 for a token without the
// scope a resource requires, parsed by restli into Error.Permission.

package restlitest_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
)

func TestRequireScopes_403WithLinkedInsMessage(t *testing.T) {
	srv := newServer(t)
	srv.RequireScopes("/userinfo", "", "openid", "profile")
	srv.RequireScopes("/posts", restli.MethodCreate, "w_member_social", "w_organization_social")
	v2 := srv.RestliClient(restli.WithBaseURL(srv.URL+"/v2"), restli.WithVersion(""))
	srv.Seed("/userinfo", nil, map[string]any{"sub": "abc"})

	// The default token holds no scope.
	_, err := v2.Get(ctxT(t), restli.GetRequest{ResourcePath: "/userinfo"})
	e := wantError(t, err, http.StatusForbidden, restlitest.CodeAccessDenied)
	if e.Message != "Not enough permissions to access: userinfo.GET.NO_VERSION" || e.ServiceErrorCode != 100 {
		t.Fatalf("error %+v", e)
	}
	if !restli.IsPermissionDenied(err) {
		t.Fatal("IsPermissionDenied = false")
	}
	want := &restli.Permission{Resource: "userinfo", Method: "GET", Target: "userinfo.GET.NO_VERSION"}
	if !reflect.DeepEqual(e.Permission, want) {
		t.Fatalf("Permission = %+v", e.Permission)
	}

	// Versioned: the version shows as eight digits; only CREATE is guarded.
	c := srv.RestliClient()
	_, err = c.Create(ctxT(t), restli.CreateRequest{ResourcePath: "/posts", Entity: map[string]any{"commentary": "x"}})
	e = wantError(t, err, http.StatusForbidden, restlitest.CodeAccessDenied)
	if e.Permission == nil || e.Permission.Resource != "posts" || e.Permission.Method != "CREATE" || e.Permission.Version != "20260101" {
		t.Fatalf("Permission = %+v (message %q)", e.Permission, e.Message)
	}
	if _, err := c.GetAll(ctxT(t), restli.GetAllRequest{ResourcePath: "/posts"}); err != nil {
		t.Fatalf("GET_ALL is not guarded: %v", err)
	}

	// One of the scopes is enough.
	if !srv.SetTokenScopes(srv.Token(), "w_organization_social", "profile") {
		t.Fatal("SetTokenScopes: unknown default token")
	}
	if _, err := c.Create(ctxT(t), restli.CreateRequest{ResourcePath: "/posts", Entity: map[string]any{"commentary": "x"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := v2.Get(ctxT(t), restli.GetRequest{ResourcePath: "/userinfo"}); err != nil {
		t.Fatal(err)
	}
	if srv.SetTokenScopes("no-such-token") {
		t.Fatal("SetTokenScopes accepted an unknown token")
	}
}

func TestRequireScopes_TokensKeepTheirIssuedScopes(t *testing.T) {
	srv := newServer(t)
	srv.RequireScopes("/adAccounts", "", "r_ads", "rw_ads")
	tokWith := srv.IssueToken(time.Hour, "r_ads")
	tokWithout := srv.IssueToken(time.Hour, "r_basicprofile")
	c := srv.RestliClient()
	if _, err := c.GetAll(ctxT(t), restli.GetAllRequest{ResourcePath: "/adAccounts", AccessToken: tokWith}); err != nil {
		t.Fatal(err)
	}
	_, err := c.GetAll(ctxT(t), restli.GetAllRequest{ResourcePath: "/adAccounts", AccessToken: tokWithout})
	e := wantError(t, err, http.StatusForbidden, restlitest.CodeAccessDenied)
	if e.Message != "Not enough permissions to access: adAccounts.GET_ALL.20260101" {
		t.Fatalf("message %q", e.Message)
	}
	if strings.Contains(string(e.Body), tokWithout) {
		t.Fatal("the error body holds the token")
	}
	// The token check comes first: a bad token is 401, not 403.
	_, err = c.GetAll(ctxT(t), restli.GetAllRequest{ResourcePath: "/adAccounts", AccessToken: "unknown"})
	wantError(t, err, http.StatusUnauthorized, restlitest.CodeInvalidAccessToken)
}

func TestRequireScopes_PanicsOnAKeyPath(t *testing.T) {
	srv := newServer(t)
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	srv.RequireScopes("/posts/1", "")
}

func TestVersions_426BodyIsLinkedIns(t *testing.T) {
	srv := newServer(t, restlitest.WithVersions("202601"))
	for _, tt := range []struct{ sent, body string }{
		{"202404", `{"code":"NONEXISTENT_VERSION","message":"Requested version 20240401 is not active","status":426}`},
		{"202404.02", `{"code":"NONEXISTENT_VERSION","message":"Requested version 20240402 is not active","status":426}`},
	} {
		h := restliHeader(srv, restli.MethodGetAll)
		h.Set("LinkedIn-Version", tt.sent)
		r := do(t, rawClient(t), "GET", srv.URL+"/rest/things", h, "")
		if r.status != 426 || string(r.body) != tt.body {
			t.Fatalf("%s: %d %s", tt.sent, r.status, r.body)
		}
	}
	// Through the client: IsVersionSunset by code, the sent version on the error.
	_, err := srv.RestliClient(restli.WithVersion("202404")).GetAll(ctxT(t), restli.GetAllRequest{ResourcePath: "/things"})
	e := wantError(t, err, 426, restlitest.CodeNonexistentVersion)
	if !restli.IsVersionSunset(err) || e.Version != "202404" || e.ServiceErrorCode != 0 {
		t.Fatalf("error %+v", e)
	}
}
