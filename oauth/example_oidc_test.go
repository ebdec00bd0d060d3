package oauth_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/url"
	"time"

	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/oauth"
	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
	"github.com/linkedin-go/linkedin/transport"
)

// Sign In with LinkedIn: the authorization URL with state, nonce and PKCE,
// the code exchange, the id_token verified, and the member's profile from
// /v2/userinfo. Against LinkedIn, leave OIDCOptions empty; here a fake
// LinkedIn plays the provider and its authorization page signs the member
// in at once.
func ExampleNewProvider() {
	srv := restlitest.NewServer()
	defer srv.Close()
	srv.AddMember(restlitest.Member{ID: "782bbtaQ", GivenName: "Ada", FamilyName: "Lovelace", Email: "ada@example.com", EmailVerified: true})
	ctx := context.Background()

	cfg := srv.OAuthConfig() // ClientID, ClientSecret, RedirectURL, endpoints
	cfg.Scopes = []string{"openid", "profile", "email"}
	provider, err := oauth.NewProvider(ctx, &cfg, srv.OIDCOptions()) // oauth.OIDCOptions{} for LinkedIn
	if err != nil {
		log.Fatal(err)
	}

	// 1. Send the browser to LinkedIn, keeping state, nonce and verifier in
	// the member's session.
	state, _ := oauth.NewState()
	nonce, _ := oauth.NewNonce()
	verifier := oauth2.GenerateVerifier()
	authURL := cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oauth.NonceOption(nonce))

	// (What the browser does: LinkedIn redirects back with a code.)
	resp, err := cfg.HTTPClient.Get(authURL)
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	callback, _ := resp.Location()

	// 2. The callback: check the state, exchange the code, verify the id_token.
	q := callback.Query()
	if !oauth.CheckState(q.Get("state"), state) {
		log.Fatal("forged callback")
	}
	tok, err := cfg.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		log.Fatal(err)
	}
	claims, err := provider.VerifyToken(ctx, tok, nonce)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("id_token:", claims.Subject, claims.Name, claims.Email, claims.EmailVerified)

	// 3. The profile, from /v2/userinfo.
	info, err := provider.UserInfo(ctx, tok.AccessToken)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("userinfo:", info.Name, info.Locale)

	// A token meant for another nonce is refused, with a typed error.
	_, err = provider.VerifyToken(ctx, tok, "another-nonce")
	var e *oauth.IDTokenError
	fmt.Println("other nonce:", errors.As(err, &e) && e.Reason == oauth.ReasonNonce)
	// Output:
	// id_token: 782bbtaQ Ada Lovelace ada@example.com true
	// userinfo: Ada Lovelace en_US
	// other nonce: true
}

// One client for many members: the member of each call comes from its
// context, tokens live in a store (in memory by default), each member's
// token is refreshed once however many calls need it, and members who must
// sign in again are reported.
func ExampleConfig_MemberTokenSource() {
	srv := restlitest.NewServer()
	defer srv.Close()
	for _, id := range []string{"ada", "grace"} {
		srv.AddMember(restlitest.Member{ID: id, GivenName: id, FamilyName: "Example"})
	}
	ctx := context.Background()
	cfg := srv.OAuthConfig()

	members := cfg.MemberTokenSource(oauth.MemberOptions{
		OnTokenChange: func(member string, _ *oauth.Token) { fmt.Println("refreshed and stored:", member) },
		OnReauthorize: func(e *oauth.ReauthorizeError) { fmt.Println("ask to sign in again:", e.Member, e.Reason) },
	})
	// After each sign-in, store the member's token.
	for _, id := range []string{"ada", "grace"} {
		if err := members.Put(ctx, id, srv.AuthorizeMember(id, "openid", "profile")); err != nil {
			log.Fatal(err)
		}
	}

	u, _ := url.Parse(srv.URL)
	hc := transport.NewClient(transport.WithTokenSource(members), transport.WithTokenHosts(u.Host), transport.WithoutTelemetry())
	c := restli.NewClient(hc, restli.WithBaseURL(srv.URL+"/v2"))
	whoAmI := func(member string) {
		res, err := c.Get(oauth.WithMember(ctx, member), restli.GetRequest{ResourcePath: "/userinfo"})
		if err != nil {
			var re *oauth.ReauthorizeError
			fmt.Println(member, "failed; re-authorization:", errors.As(err, &re))
			return
		}
		fmt.Println(member, "→", res.Entity["sub"])
	}
	whoAmI("ada")
	whoAmI("grace")

	srv.ExpireTokens() // LinkedIn answers 401: refresh once, replay
	whoAmI("ada")
	srv.RevokeMember("grace") // grace removed the app from her account
	whoAmI("grace")

	soon, _ := members.Expiring(ctx, 400*24*time.Hour)
	fmt.Println("must sign in again within 400 days:", len(soon))
	// Output:
	// ada → ada
	// grace → grace
	// refreshed and stored: ada
	// ada → ada
	// ask to sign in again: grace invalid_grant
	// grace failed; re-authorization: true
	// must sign in again within 400 days: 2
}
