// Oauth-member runs the member (3-legged) OAuth flow: a local callback
// server, a state value and PKCE, the authorization redirect, the code
// exchange, a token source that refreshes the token and persists every new
// one (OnTokenChange), and an API call with it (/v2/userinfo).
//
//	go run ./examples/oauth-member
//
// Against the fake server no browser is needed: the program plays the
// browser, and the fake's authorization page signs the member in at once and
// redirects to the callback. It then expires the access token on the server to
// show the token layer refreshing it and replaying the call.
//
// With LINKEDIN_ACCESS_TOKEN set it talks to LinkedIn: set LINKEDIN_CLIENT_ID,
// LINKEDIN_CLIENT_SECRET and LINKEDIN_REDIRECT_URL (a redirect URL registered
// for the app, such as http://localhost:8080/callback; the callback server
// listens on its host and port) and open the printed URL in a browser. The
// token is saved to LINKEDIN_TOKEN_FILE (default linkedin-token.json, mode
// 0600). Without those variables it says so and exits with status 2 (a usage
// error: nothing was tried).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/oauth2"

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

	// 1. A fresh state (checked in the callback against CSRF) and a PKCE
	// verifier; a web app keeps both in the member's session.
	state, err := oauth.NewState()
	check(err)
	verifier := oauth2.GenerateVerifier()
	authURL := cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))

	// 2. The callback: LinkedIn sends the browser back with ?code=…&state=….
	tokens := make(chan *oauth.Token, 1)
	failures := make(chan error, 1)
	fail := func(w http.ResponseWriter, status int, err error) {
		http.Error(w, "sign-in failed", status)
		select {
		case failures <- err:
		default:
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+callbackPath(cfg.RedirectURL), func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if e := q.Get("error"); e != "" {
			fail(w, http.StatusForbidden, fmt.Errorf("authorization refused: %s: %s", e, q.Get("error_description")))
			return
		}
		if !oauth.CheckState(q.Get("state"), state) {
			fail(w, http.StatusBadRequest, errors.New("callback with a wrong state"))
			return
		}
		tok, err := cfg.Exchange(r.Context(), q.Get("code"), oauth2.VerifierOption(verifier))
		if err != nil {
			fail(w, http.StatusBadGateway, err)
			return
		}
		fmt.Fprintln(w, "Signed in. You can close this window.")
		select {
		case tokens <- tok:
		default:
		}
	})
	callback := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go callback.Serve(listener)
	defer callback.Close()

	// 3. Send the member to LinkedIn's authorization page.
	if fake == nil {
		fmt.Println("\nOpen this URL in a browser and sign in:\n\n ", authURL)
	} else {
		check(playBrowser(ctx, authURL))
	}

	var tok *oauth.Token
	select {
	case tok = <-tokens:
	case err := <-failures:
		log.Fatal("oauth-member: ", err)
	case <-ctx.Done():
		log.Fatal("oauth-member: no sign-in within 5 minutes")
	}
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
// it opens the authorization URL, which signs the member in at once and
// redirects (302) to the callback with a code and the state, and follows the
// redirect to the callback server.
func playBrowser(ctx context.Context, authURL string) error {
	browser := &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	get := func(u string) (*http.Response, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, err
		}
		resp, err := browser.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		return resp, err
	}
	resp, err := get(authURL)
	if err != nil {
		return err
	}
	callbackURL, err := resp.Location()
	if err != nil {
		return fmt.Errorf("authorization page answered %s without a redirect", resp.Status)
	}
	fmt.Printf("browser: authorization page redirected (%d) to %s?code=…&state=…\n", resp.StatusCode, callbackURL.Path)
	if resp, err = get(callbackURL.String()); err != nil {
		return err
	}
	fmt.Println("browser: callback answered", resp.Status)
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
