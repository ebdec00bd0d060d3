// Oauth-2legged gets an application (2-legged) access token with the client
// credentials grant, introspects it, and calls an API that accepts
// application tokens (LinkedIn Learning's /v2/learningAssets) through the
// default transport stack, whose token layer asks the token source for a token
// on every attempt (the source caches it and fetches a new one before it
// expires). The token itself is never printed.
//
//	go run ./examples/oauth-2legged
//
// Against the fake server it uses the fake's registered application. With
// LINKEDIN_ACCESS_TOKEN set it talks to LinkedIn and needs LINKEDIN_CLIENT_ID
// and LINKEDIN_CLIENT_SECRET of an application enabled for the client
// credentials flow; without them it says so and exits with status 2 (a usage
// error: nothing was tried).
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/linkedin-go/linkedin/examples/internal/demo"
	"github.com/linkedin-go/linkedin/oauth"
	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/transport"
)

// LearningAsset is a LinkedIn Learning course or video.
type LearningAsset struct {
	URN   restli.URN `json:"urn"`
	Type  string     `json:"type"`
	Title struct {
		Value string `json:"value"`
	} `json:"title"`
}

func main() {
	log.SetFlags(0)
	ctx := context.Background()

	var cfg oauth.Config
	var opts []transport.Option
	v2URL := "https://api.linkedin.com/v2"
	if os.Getenv("LINKEDIN_ACCESS_TOKEN") == "" {
		srv := demo.NewFake()
		defer srv.Close()
		cfg = srv.OAuthConfig() // client id and secret, endpoints on the fake server
		opts = append(opts, transport.WithTokenHosts(demo.Host(srv.URL)))
		v2URL = srv.URL + "/v2"
		fmt.Println("Calling the embedded fake LinkedIn server")
	} else {
		cfg = oauth.Config{ClientID: os.Getenv("LINKEDIN_CLIENT_ID"), ClientSecret: os.Getenv("LINKEDIN_CLIENT_SECRET")}
		if cfg.ClientID == "" || cfg.ClientSecret == "" {
			fmt.Fprintln(os.Stderr, "oauth-2legged: against LinkedIn, set LINKEDIN_CLIENT_ID and LINKEDIN_CLIENT_SECRET")
			os.Exit(2)
		}
		fmt.Println("Calling LinkedIn")
	}

	ts := cfg.ClientCredentialsTokenSource()
	tok, err := ts.Token()
	check(err)
	fmt.Printf("\napplication token: <redacted>, expires in %s\n", time.Until(tok.Expiry).Round(time.Minute))

	info, err := cfg.Introspect(ctx, tok.AccessToken)
	check(err)
	fmt.Printf("introspection: active %t, status %s, auth type %s, client %s\n",
		info.Active, info.Status, info.AuthType, info.ClientID)

	// The token source goes into the transport stack; the token layer sends
	// its token to LinkedIn's API host only (here, to the fake server).
	httpClient := transport.NewClient(append(opts, transport.WithTokenSource(ts))...)
	defer httpClient.CloseIdleConnections()
	c := restli.NewClient(httpClient, restli.WithBaseURL(v2URL))

	courses, err := restli.FinderAs[LearningAsset](ctx, c, restli.FinderRequest{
		ResourcePath: "/learningAssets",
		FinderName:   "localeAndType",
		QueryParams: map[string]any{
			"assetType":             "COURSE",
			"sourceLocale.language": "en",
			"sourceLocale.country":  "US",
			"count":                 3,
		},
	})
	check(err)
	fmt.Println("\nGET /v2/learningAssets?q=localeAndType&assetType=COURSE…")
	for _, a := range courses.Elements {
		fmt.Printf("  %-28s %s\n", a.URN, a.Title.Value)
	}
}

func check(err error) {
	if err != nil {
		log.Fatal("oauth-2legged: ", err)
	}
}
