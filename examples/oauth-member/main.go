// Oauth-member runs the member (3-legged) OAuth flow with Sign In with
// LinkedIn (OpenID Connect) in a small web app (app.go): a login link, a
// state value, a nonce and PKCE, the authorization redirect, the callback
// (state checked, code exchanged with the verifier, id_token verified with
// the nonce, /v2/userinfo called, the member's name shown), then a token
// source that refreshes the token and persists every new one
// (OnTokenChange), and an API call with it (/v2/userinfo).
//
//	go run ./examples/oauth-member
//
// Against the fake server no browser is needed: the program plays the
// browser, and the fake's authorization page signs the member in at once and
// redirects to the callback. It then expires the access token on the server to
// show the token layer refreshing it and replaying the call. browser_test.go
// drives the same app in headless Chromium through the fake's consent page.
//
// With LINKEDIN_ACCESS_TOKEN set it talks to LinkedIn: set LINKEDIN_CLIENT_ID,
// LINKEDIN_CLIENT_SECRET and LINKEDIN_REDIRECT_URL (a redirect URL registered
// for the app, such as http://localhost:8080/callback; the app listens on its
// host and port) and open the printed URL in a browser. The
// token is saved to LINKEDIN_TOKEN_FILE (default linkedin-token.json, mode
// 0600). Without those variables it says so and exits with status 2 (a usage
// error: nothing was tried).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/linkedin-go/linkedin/examples/internal/demo"
	"github.com/linkedin-go/linkedin/oauth"
	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
	"github.com/linkedin-go/linkedin/transport"
)

// UserInfo is the OpenID Connect profile /v2/userinfo returns.
type UserInfo struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

func main() {
	log.SetFlags(0)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	var (
		cfg       oauth.Config
		fake      *restlitest.Server
		listener  net.Listener
		tokenFile = os.Getenv("LINKEDIN_TOKEN_FILE")
		v2URL     = "https://api.linkedin.com/v2"
		stack     []transport.Option // options of the API client
		err       error
	)
	if os.Getenv("LINKEDIN_ACCESS_TOKEN") == "" {
		// The callback server listens first, so the fake server can register
		// its URL as the application's redirect URL.
		listener, err = net.Listen("tcp", "127.0.0.1:0")
		check(err)
		redirectURL := "http://" + listener.Addr().String() + "/callback"
		fake = demo.NewFake(restlitest.WithOAuthClient("example-app", "example-secret", redirectURL))
		defer fake.Close()
		cfg = fake.OAuthConfig()
		v2URL = fake.URL + "/v2"
		stack = append(stack, transport.WithTokenHosts(demo.Host(fake.URL)))
		dir, err := os.MkdirTemp("", "oauth-member")
		check(err)
		defer os.RemoveAll(dir)
		tokenFile = filepath.Join(dir, "token.json")
		fmt.Println("Calling the embedded fake LinkedIn server")
	} else {
		cfg = oauth.Config{
			ClientID:     os.Getenv("LINKEDIN_CLIENT_ID"),
			ClientSecret: os.Getenv("LINKEDIN_CLIENT_SECRET"),
			RedirectURL:  os.Getenv("LINKEDIN_REDIRECT_URL"),
		}
		if cfg.ClientID == "" || cfg.ClientSecret == "" || cfg.RedirectURL == "" {
			fmt.Fprintln(os.Stderr, "oauth-member: against LinkedIn, set LINKEDIN_CLIENT_ID, LINKEDIN_CLIENT_SECRET and\n"+
				"LINKEDIN_REDIRECT_URL (a redirect URL registered for the app, e.g. http://localhost:8080/callback)")
			os.Exit(2)
		}
		u, err := url.Parse(cfg.RedirectURL)
		check(err)
		listener, err = net.Listen("tcp", u.Host)
		check(err)
		if tokenFile == "" {
			tokenFile = "linkedin-token.json"
		}
		fmt.Println("Calling LinkedIn")
	}
	cfg.Scopes = []string{"openid", "profile", "email"}

	// 1. OpenID Connect discovery: the provider's keys (for the id_token)
	// and its userinfo endpoint.
	oidcOpts := oauth.OIDCOptions{}
	if fake != nil {
		oidcOpts = fake.OIDCOptions()
	}
	provider, err := oauth.NewProvider(ctx, &cfg, oidcOpts)
	check(err)

	// 2. The web app (app.go): /login makes a state, a nonce and a PKCE
	// verifier and sends the browser to LinkedIn; the callback checks the
	// state, exchanges the code with the verifier, verifies the id_token
	// with the nonce and calls /v2/userinfo.
	results := make(chan signIn, 1)
	web := newApp(cfg, provider, func(r signIn) {
		select {
		case results <- r:
		default:
		}
	})
	server := &http.Server{Handler: web, ReadHeaderTimeout: 10 * time.Second}
	go server.Serve(listener)
	defer server.Close()
	home := "http://" + listener.Addr().String() + "/"

	// 3. The member signs in.
	if fake == nil {
		fmt.Println("\nOpen this URL in a browser and sign in:\n\n ", home)
	} else {
		check(playBrowser(ctx, home))
	}

	var res signIn
	select {
	case res = <-results:
	case <-ctx.Done():
		log.Fatal("oauth-member: no sign-in within 5 minutes")
	}
	if res.Err != nil {
		log.Fatal("oauth-member: ", res.Err)
	}
	tok := res.Token
	fmt.Printf("\nid_token verified: %s (sub %s), email %s verified %t\n", res.Claims.Name, res.Claims.Subject,
		res.Claims.Email, res.Claims.EmailVerified)
	fmt.Printf("GET /v2/userinfo (Provider.UserInfo): %s <%s>, locale %s\n", res.Info.Name, res.Info.Email, res.Info.Locale)
	fmt.Printf("\ncode exchanged: access token <redacted>, expires in %s, scopes %v, refresh token: %t\n",
		days(tok.Expiry), tok.Scopes, tok.RefreshToken != "")

	// 4. Keep the token: save it now and whenever the source gets a new one.
	check(save(tokenFile, tok))
	ts := cfg.TokenSource(tok, oauth.OnTokenChange(func(t *oauth.Token) {
		fmt.Println("  OnTokenChange: new access token <redacted>, saved")
		if err := save(tokenFile, t); err != nil {
			log.Print("oauth-member: ", err)
		}
	}))
	if fake == nil {
		fmt.Println("token saved to", tokenFile)
	}

	// 5. Call the API with the token source.
	httpClient := transport.NewClient(append(stack, transport.WithTokenSource(ts))...)
	defer httpClient.CloseIdleConnections()
	c := restli.NewClient(httpClient, restli.WithBaseURL(v2URL))
	me, err := restli.GetAs[UserInfo](ctx, c, restli.GetRequest{ResourcePath: "/userinfo"})
	check(err)
	fmt.Printf("\nGET /v2/userinfo: signed in as %s <%s>\n", me.Entity.Name, me.Entity.Email)

	if fake != nil {
		// The server now rejects the access token (401): the token layer
		// refreshes it with the refresh token and replays the call once.
		fake.ExpireTokens()
		fmt.Println("\nthe server expires the access token; calling again:")
		me, err = restli.GetAs[UserInfo](ctx, c, restli.GetRequest{ResourcePath: "/userinfo"})
		check(err)
		fmt.Printf("GET /v2/userinfo: signed in as %s <%s>\n", me.Entity.Name, me.Entity.Email)
	}
}

// playBrowser does what the member's browser does against the fake server:
// it opens the app's /login, which redirects to the authorization page; the
// fake's no-browser shortcut signs the member in at once and redirects to
// the callback, whose page shows the member's name. The cookie jar keeps
// the app's session cookie, as a browser does. (browser_test.go drives a
// real browser through the consent page instead.)
func playBrowser(ctx context.Context, home string) error {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return err
	}
	hops := 0
	browser := &http.Client{
		Timeout: 10 * time.Second,
		Jar:     jar,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			hops++
			fmt.Printf("browser: redirected to %s%s\n", req.URL.Host, req.URL.Path)
			if len(via) > 5 {
				return errors.New("too many redirects")
			}
			return nil
		},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, home+"login", nil)
	if err != nil {
		return err
	}
	resp, err := browser.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Signed in as") {
		return fmt.Errorf("the app's callback page answered %s", resp.Status)
	}
	fmt.Printf("browser: the app's page says \"Signed in as …\" after %d redirects\n", hops)
	return nil
}

// callbackPath is the path of the redirect URL, which the callback serves.
func callbackPath(redirectURL string) string {
	u, err := url.Parse(redirectURL)
	if err != nil || u.Path == "" {
		return "/"
	}
	return u.Path
}

// save writes the token as JSON, readable by its owner only.
func save(path string, tok *oauth.Token) error {
	b, err := json.Marshal(tok)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o600)
}

func days(t time.Time) string {
	return fmt.Sprintf("%.0f days", time.Until(t).Hours()/24)
}

func check(err error) {
	if err != nil {
		log.Fatal("oauth-member: ", err)
	}
}
