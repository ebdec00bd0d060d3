package restlitest_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
)

func TestRequests_IdentifyTokenAndMemberWithoutTheToken(t *testing.T) {
	srv := restlitest.NewServer()
	defer srv.Close()
	srv.AddMember(restlitest.Member{ID: "ada", GivenName: "Ada", FamilyName: "Lovelace"})
	ada := srv.AuthorizeMember("ada", "profile").AccessToken
	ctx := context.Background()
	c := restli.NewClient(&http.Client{}, restli.WithBaseURL(srv.URL+"/rest"), restli.WithVersion(restlitest.DefaultVersion))
	tests := []struct {
		name       string
		token      string
		wantMember string
	}{
		{"registered member", ada, "ada"},
		{"default token", srv.Token(), ""},
		{"no token", "", ""},
		{"unknown token", "not-a-token-of-this-server", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.ClearRequests()
			c.Get(ctx, restli.GetRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": 1}, AccessToken: tt.token})
			reqs := srv.Requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests recorded", len(reqs))
			}
			r := reqs[0]
			if r.TokenFingerprint != restlitest.TokenFingerprint(tt.token) || r.Member != tt.wantMember {
				t.Errorf("TokenFingerprint %q, Member %q; want %q, %q", r.TokenFingerprint, r.Member, restlitest.TokenFingerprint(tt.token), tt.wantMember)
			}
			if tt.token != "" && (len(r.TokenFingerprint) != len("sha256:")+8 || strings.Contains(r.TokenFingerprint, tt.token)) {
				t.Errorf("fingerprint %q is not a short hash", r.TokenFingerprint)
			}
		})
	}
	if restlitest.TokenFingerprint(ada) == restlitest.TokenFingerprint(srv.Token()) {
		t.Error("two tokens share a fingerprint")
	}
}
