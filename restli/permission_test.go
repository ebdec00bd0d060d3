// Tests of the 403 permission-message parser and IsPermissionDenied.

package restli_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/linkedin-go/linkedin/restli"
)

func TestParsePermission(t *testing.T) {
	tests := []struct {
		msg  string
		want *restli.Permission
	}{
		{"Not enough permissions to access: userinfo.GET.NO_VERSION",
			&restli.Permission{Resource: "userinfo", Method: "GET", Target: "userinfo.GET.NO_VERSION"}},
		{"Not enough permissions to access: me.GET.NO_VERSION",
			&restli.Permission{Resource: "me", Method: "GET", Target: "me.GET.NO_VERSION"}},
		{"Not enough permissions to access: partnerApiAdAccounts.GET.20240601",
			&restli.Permission{Resource: "partnerApiAdAccounts", Method: "GET", Version: "20240601", Target: "partnerApiAdAccounts.GET.20240601"}},
		{"Not enough permissions to access: partnerApiSocialActions.CREATE.20250101",
			&restli.Permission{Resource: "partnerApiSocialActions", Method: "CREATE", Version: "20250101", Target: "partnerApiSocialActions.CREATE.20250101"}},
		{"Not enough permissions to access: a.b.FINDER.20260101",
			&restli.Permission{Resource: "a.b", Method: "FINDER", Version: "20260101", Target: "a.b.FINDER.20260101"}},
		{"Not enough permissions to access: GET /me",
			&restli.Permission{Resource: "/me", Method: "GET", Target: "GET /me"}},
		{"Not enough permissions to access: POST /ugcPosts",
			&restli.Permission{Resource: "/ugcPosts", Method: "POST", Target: "POST /ugcPosts"}},
		{"Not enough permissions to access: GET /people/~:(id)",
			&restli.Permission{Resource: "/people/~:(id)", Method: "GET", Target: "GET /people/~:(id)"}},
		{"Not enough permissions to access: posts",
			&restli.Permission{Resource: "posts", Target: "posts"}},
		{"Not enough permissions to access: posts.CREATE",
			&restli.Permission{Resource: "posts", Method: "CREATE", Target: "posts.CREATE"}},
		{"Not enough permissions to access: posts.20260101",
			&restli.Permission{Resource: "posts", Version: "20260101", Target: "posts.20260101"}},
		{"Not enough permissions to access:", &restli.Permission{}},
		{"  Not enough permissions to access:   userinfo.GET.NO_VERSION  ",
			&restli.Permission{Resource: "userinfo", Method: "GET", Target: "userinfo.GET.NO_VERSION"}},
		{"Empty oauth2_access_token", nil},
		{"", nil},
		{"Caller is not authorized to access the resource", nil},
	}
	for _, tt := range tests {
		got := restli.ParsePermission(tt.msg)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParsePermission(%q) = %+v, want %+v", tt.msg, got, tt.want)
		}
	}
}

func TestIsPermissionDenied(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   bool
		perm   *restli.Permission
	}{
		{"access denied with message", 403,
			`{"status":403,"serviceErrorCode":100,"code":"ACCESS_DENIED","message":"Not enough permissions to access: userinfo.GET.NO_VERSION"}`,
			true, &restli.Permission{Resource: "userinfo", Method: "GET", Target: "userinfo.GET.NO_VERSION"}},
		{"older body without code", 403, `{"serviceErrorCode":100,"message":"Not enough permissions to access: GET /me","status":403}`,
			true, &restli.Permission{Resource: "/me", Method: "GET", Target: "GET /me"}},
		{"access denied, other message", 403, `{"status":403,"code":"ACCESS_DENIED","message":"Member is not an admin"}`, true, nil},
		{"other 403", 403, `{"status":403,"message":"Member is restricted"}`, false, nil},
		{"401", 401, `{"status":401,"code":"INVALID_ACCESS_TOKEN","message":"Invalid access token"}`, false, nil},
		{"not json", 403, `<html>forbidden</html>`, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := setup(t, func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			})
			_, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/userinfo"})
			if got := restli.IsPermissionDenied(err); got != tt.want {
				t.Fatalf("IsPermissionDenied(%v) = %v", err, got)
			}
			var e *restli.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v", err)
			}
			if !reflect.DeepEqual(e.Permission, tt.perm) {
				t.Fatalf("Permission = %+v, want %+v", e.Permission, tt.perm)
			}
		})
	}
	if restli.IsPermissionDenied(errors.New("403")) || restli.IsPermissionDenied(nil) {
		t.Fatal("a non-*Error is a permission error")
	}
}

// FuzzParsePermission feeds arbitrary messages to ParsePermission: it must
// never panic, every field it returns must come from the message, and a
// message built from parts must give the parts back.
func FuzzParsePermission(f *testing.F) {
	for _, s := range []string{
		"Not enough permissions to access: userinfo.GET.NO_VERSION",
		"Not enough permissions to access: partnerApiAdAccounts.GET.20240601",
		"Not enough permissions to access: GET /me", "Not enough permissions to access:",
		"Not enough permissions to access: ...", "Not enough permissions to access: a..1",
		"Not enough permissions to access: POST ", "x", "",
	} {
		f.Add(s, "posts", "CREATE", "20260101")
	}
	f.Fuzz(func(t *testing.T, msg, resource, method, version string) {
		p := restli.ParsePermission(msg)
		if p != nil {
			for _, s := range []string{p.Resource, p.Method, p.Version, p.Target} {
				if !strings.Contains(msg, s) {
					t.Fatalf("ParsePermission(%q) = %+v: %q is not in the message", msg, p, s)
				}
			}
		}
		// Round trip: resource.METHOD.version with a resource and method
		// free of dots and spaces and a numeric version.
		if resource == "" || method == "" || strings.ContainsAny(resource+method, ". \t\n\r\v\f\u0085\u00a0") ||
			strings.TrimSpace(resource) != resource || !digits(version) {
			return
		}
		if method == "GET" || method == "POST" || method == "PUT" || method == "DELETE" || method == "PATCH" || method == "HEAD" || method == "OPTIONS" {
			return
		}
		target := resource + "." + method + "." + version
		got := restli.ParsePermission("Not enough permissions to access: " + target)
		want := &restli.Permission{Resource: resource, Method: method, Version: version, Target: target}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round trip: got %+v, want %+v", got, want)
		}
	})
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
