package restlitest_test

import (
	"context"
	"fmt"
	"log"

	"github.com/linkedin-go/linkedin/oauth"
	"github.com/linkedin-go/linkedin/restli/restlitest"
)

// Members sign in, get tokens of their own and an id_token signed by the
// server's OpenID Connect provider; a member can revoke the application.
func ExampleServer_AddMember() {
	srv := restlitest.NewServer()
	defer srv.Close()
	srv.AddMember(restlitest.Member{ID: "ada", GivenName: "Ada", FamilyName: "Lovelace", Email: "ada@example.com"})
	srv.AddMember(restlitest.Member{ID: "grace", GivenName: "Grace", FamilyName: "Hopper", Email: "grace@example.com"})
	ctx := context.Background()

	cfg := srv.OAuthConfig()
	provider, err := oauth.NewProvider(ctx, &cfg, srv.OIDCOptions())
	if err != nil {
		log.Fatal(err)
	}
	tok := srv.AuthorizeMember("grace", "openid", "profile", "email")
	info, err := provider.UserInfo(ctx, tok.AccessToken)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info.Subject, info.Name, info.Email)

	srv.RevokeMember("grace")
	_, err = provider.UserInfo(ctx, tok.AccessToken)
	fmt.Println(err)
	// Output:
	// grace Grace Hopper grace@example.com
	// oauth: userinfo: HTTP 401 Unauthorized: INVALID_ACCESS_TOKEN: Invalid access token
}
