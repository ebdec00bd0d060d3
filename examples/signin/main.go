// Signin is the smallest "Sign In with LinkedIn" web app: a button, the
// OpenID Connect authorization-code flow (state, nonce, PKCE), and a page
// with the verified member's name and picture, taken from the id_token
// (oauth.Provider.VerifyToken) without any API call.
//
//	go run ./examples/signin
//
// Against the embedded fake server (the default) the program signs in once
// by itself, playing the browser, prints what the page shows and exits.
//
// With LINKEDIN_ACCESS_TOKEN set it is a real web app for LinkedIn: set
// LINKEDIN_CLIENT_ID, LINKEDIN_CLIENT_SECRET and LINKEDIN_REDIRECT_URL (a
// redirect URL registered for the app, such as http://localhost:8080/callback;
// the app listens on its host and port), open the printed URL and sign in;
// stop it with Ctrl-C. Without those variables it says so and exits with
// status 2.
package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"html/template"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/examples/internal/demo"
	"github.com/linkedin-go/linkedin/oauth"
	"github.com/linkedin-go/linkedin/restli/restlitest"
)

// flow is what the callback checks: kept on the server, named by a cookie.
type flow struct{ state, nonce, verifier string }

// site is the web app.
type site struct {
	cfg      oauth.Config
	provider *oauth.Provider
	mu       sync.Mutex
	flows    map[string]flow
}

var pageTmpl = template.Must(template.New("p").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign In with LinkedIn</title></head><body>
{{if .Name}}<img id="picture" src="{{.Picture}}" alt="" width="100" height="100">
<h1 id="name">{{.Name}}</h1><p>{{.Email}}</p>
{{else}}{{if .Error}}<p id="error">{{.Error}}</p>{{end}}
<a id="signin" href="/login">Sign In with LinkedIn</a>{{end}}
</body></html>
`))

type pageData struct {
	Name, Email, Error string
	Picture            template.URL
}

func (s *site) routes(callbackPath string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { show(w, http.StatusOK, pageData{}) })
	mux.HandleFunc("GET /login", s.login)
	mux.HandleFunc("GET "+callbackPath, s.callback)
	return mux
}

func show(w http.ResponseWriter, status int, d pageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = pageTmpl.Execute(w, d)
}

func (s *site) login(w http.ResponseWriter, r *http.Request) {
	state, err1 := oauth.NewState()
	nonce, err2 := oauth.NewNonce()
	if err1 != nil || err2 != nil {
		http.Error(w, "cannot start sign-in", http.StatusInternalServerError)
		return
	}
	f := flow{state: state, nonce: nonce, verifier: oauth2.GenerateVerifier()}
	id := rand.Text()
	s.mu.Lock()
	if len(s.flows) > 10000 {
		clear(s.flows) // a bound, not a policy: a real app keeps sessions elsewhere
	}
	s.flows[id] = f
	s.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: "signin", Value: id, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: 600})
	// AuthorizationURL, unlike AuthCodeURL, refuses a configuration LinkedIn
	// would reject (no scopes, no redirect URL) with a *oauth.ConfigError.
	authURL, err := s.cfg.AuthorizationURL(state, oauth2.S256ChallengeOption(f.verifier), oauth.NonceOption(nonce))
	if err != nil {
		log.Print(err)
		http.Error(w, "sign-in is not configured", http.StatusInternalServerError)
		return
	}
	http.Redirect(w, r, authURL, http.StatusFound)
}

func (s *site) callback(w http.ResponseWriter, r *http.Request) {
	var f flow
	var ok bool
	if c, err := r.Cookie("signin"); err == nil {
		s.mu.Lock()
		f, ok = s.flows[c.Value]
		delete(s.flows, c.Value)
		s.mu.Unlock()
	}
	q := r.URL.Query()
	switch {
	case !ok:
		show(w, http.StatusBadRequest, pageData{Error: "No sign-in in progress."})
		return
	case q.Get("error") != "":
		show(w, http.StatusForbidden, pageData{Error: "LinkedIn answered " + q.Get("error") + "."})
		return
	case !oauth.CheckState(q.Get("state"), f.state):
		show(w, http.StatusBadRequest, pageData{Error: "The state does not match: sign-in refused."})
		return
	}
	tok, err := s.cfg.Exchange(r.Context(), q.Get("code"), oauth2.VerifierOption(f.verifier))
	if err != nil {
		log.Print("signin: ", err) // typed, without secrets
		show(w, http.StatusBadGateway, pageData{Error: "Sign-in failed."})
		return
	}
	claims, err := s.provider.VerifyToken(r.Context(), tok, f.nonce)
	if err != nil {
		log.Print("signin: ", err)
		show(w, http.StatusBadGateway, pageData{Error: "Sign-in failed."})
		return
	}
	show(w, http.StatusOK, pageData{Name: claims.Name, Email: claims.Email, Picture: pictureURL(claims.Picture)})
}

// pictureURL lets an https URL (LinkedIn's media host) or an image data: URL
// (the fake's) through as an image source; anything else is dropped.
func pictureURL(s string) template.URL {
	if strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "data:image/") {
		return template.URL(s)
	}
	return ""
}

func main() {
	log.SetFlags(0)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	var cfg oauth.Config
	var oidcOpts oauth.OIDCOptions
	var listener net.Listener
	var err error
	fake := os.Getenv("LINKEDIN_ACCESS_TOKEN") == ""
	if fake {
		listener, err = net.Listen("tcp", "127.0.0.1:0")
		check(err)
		srv := demo.NewFake(restlitest.WithOAuthClient("signin-app", "signin-secret", "http://"+listener.Addr().String()+"/callback"))
		defer srv.Close()
		cfg, oidcOpts = srv.OAuthConfig(), srv.OIDCOptions()
		fmt.Println("Sign In with LinkedIn against the embedded fake LinkedIn server")
	} else {
		cfg = oauth.Config{ClientID: os.Getenv("LINKEDIN_CLIENT_ID"), ClientSecret: os.Getenv("LINKEDIN_CLIENT_SECRET"),
			RedirectURL: os.Getenv("LINKEDIN_REDIRECT_URL")}
		if cfg.ClientID == "" || cfg.ClientSecret == "" || cfg.RedirectURL == "" {
			fmt.Fprintln(os.Stderr, "signin: against LinkedIn, set LINKEDIN_CLIENT_ID, LINKEDIN_CLIENT_SECRET and LINKEDIN_REDIRECT_URL")
			os.Exit(2)
		}
		u, err := url.Parse(cfg.RedirectURL)
		check(err)
		listener, err = net.Listen("tcp", u.Host)
		check(err)
	}
	cfg.Scopes = []string{"openid", "profile", "email"}
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	provider, err := oauth.NewProvider(dctx, &cfg, oidcOpts) // discovery: keys and endpoints
	cancel()
	check(err)

	cb, err := url.Parse(cfg.RedirectURL)
	check(err)
	s := &site{cfg: cfg, provider: provider, flows: map[string]flow{}}
	server := &http.Server{Handler: s.routes(cb.Path), ReadHeaderTimeout: 10 * time.Second}
	go server.Serve(listener)
	defer server.Close()
	home := "http://" + listener.Addr().String() + "/"

	if !fake {
		fmt.Println("Open", home, "and sign in; Ctrl-C stops the app.")
		<-ctx.Done()
		return
	}
	// Play the browser once: the button, the fake's shortcut, the callback.
	jar, err := cookiejar.New(nil)
	check(err)
	browser := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	resp, err := browser.Get(home + "login")
	check(err)
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	check(err)
	name := regexp.MustCompile(`<h1 id="name">([^<]*)</h1>`).FindSubmatch(body)
	if resp.StatusCode != http.StatusOK || name == nil {
		log.Fatalf("signin: the callback page answered %s without a name", resp.Status)
	}
	fmt.Printf("the page shows: %s, with a picture: %t\n", template.HTMLEscapeString(string(name[1])),
		regexp.MustCompile(`<img id="picture" src="[^"]+"`).Match(body))
}

func check(err error) {
	if err != nil {
		log.Fatal("signin: ", err)
	}
}
