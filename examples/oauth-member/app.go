// The web application of the oauth-member example: a home page with a
// "Sign In with LinkedIn" link, /login, which starts the flow (state, nonce
// and PKCE verifier kept in a server-side session named by a cookie), and
// the callback, which checks the state, exchanges the code with the
// verifier, verifies the id_token with the nonce, calls /v2/userinfo and
// shows the member's name.
package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"html/template"
	"log"
	"net/http"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/oauth"
)

const (
	sessionCookie = "oauth_member_session"
	sessionTTL    = 10 * time.Minute
	maxSessions   = 10000
)

// signIn is the outcome of one callback.
type signIn struct {
	Token  *oauth.Token
	Claims *oauth.IDClaims
	Info   *oauth.UserInfo
	Err    error
}

// session is a sign-in in progress: what the callback must check.
type session struct {
	state, nonce, verifier string
	created                time.Time
}

// app is the example's web application. It is an http.Handler.
type app struct {
	cfg      oauth.Config
	provider *oauth.Provider
	callback string       // the path of cfg.RedirectURL
	done     func(signIn) // called after every callback; may be nil

	mux      *http.ServeMux
	mu       sync.Mutex
	sessions map[string]session
}

func newApp(cfg oauth.Config, provider *oauth.Provider, done func(signIn)) *app {
	a := &app{cfg: cfg, provider: provider, callback: callbackPath(cfg.RedirectURL), done: done,
		mux: http.NewServeMux(), sessions: map[string]session{}}
	a.mux.HandleFunc("GET /{$}", a.home)
	a.mux.HandleFunc("GET /login", a.login)
	a.mux.HandleFunc("GET "+a.callback, a.handleCallback)
	return a
}

func (a *app) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.mux.ServeHTTP(w, r) }

var page = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>oauth-member</title></head><body>
{{if .Name}}<h1 id="result">Signed in as <span id="name">{{.Name}}</span></h1>
<p id="email">{{.Email}}</p><p id="sub">LinkedIn member {{.Subject}}</p>
{{else if .Refusal}}<h1>Not signed in</h1><p id="result">{{.Refusal}}</p><p><a id="login" href="/login">Try again</a></p>
{{else}}<h1>oauth-member</h1><p><a id="login" href="/login">Sign In with LinkedIn</a></p>{{end}}
</body></html>
`))

type view struct {
	Name, Email, Subject string
	Refusal              string
}

func render(w http.ResponseWriter, status int, v view) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = page.Execute(w, v)
}

func (a *app) home(w http.ResponseWriter, r *http.Request) { render(w, http.StatusOK, view{}) }

// login starts a sign-in: fresh state, nonce and PKCE verifier, kept on the
// server under a random session id in a cookie, and the redirect to
// LinkedIn's authorization page.
func (a *app) login(w http.ResponseWriter, r *http.Request) {
	state, err := oauth.NewState()
	if err != nil {
		http.Error(w, "cannot start sign-in", http.StatusInternalServerError)
		return
	}
	nonce, err := oauth.NewNonce()
	if err != nil {
		http.Error(w, "cannot start sign-in", http.StatusInternalServerError)
		return
	}
	s := session{state: state, nonce: nonce, verifier: oauth2.GenerateVerifier(), created: time.Now()}
	id := rand.Text()
	a.mu.Lock()
	a.prune()
	a.sessions[id] = s
	a.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, MaxAge: int(sessionTTL / time.Second)})
	// AuthorizationURL, unlike AuthCodeURL, refuses a configuration LinkedIn
	// would reject (no scopes, no redirect URL) with a *oauth.ConfigError.
	authURL, err := a.cfg.AuthorizationURL(state, oauth2.S256ChallengeOption(s.verifier), oauth.NonceOption(nonce))
	if err != nil {
		log.Print(err)
		http.Error(w, "sign-in is not configured", http.StatusInternalServerError)
		return
	}
	http.Redirect(w, r, authURL, http.StatusFound)
}

// prune drops expired sessions and bounds their number; a.mu is held.
func (a *app) prune() {
	now := time.Now()
	for id, s := range a.sessions {
		if now.Sub(s.created) > sessionTTL || len(a.sessions) >= maxSessions {
			delete(a.sessions, id)
		}
	}
}

// take returns and forgets the request's session: a callback is used once.
func (a *app) take(r *http.Request) (session, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return session{}, false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	s, ok := a.sessions[c.Value]
	delete(a.sessions, c.Value)
	if ok && time.Since(s.created) > sessionTTL {
		return session{}, false
	}
	return s, ok
}

// errRefused marks the outcomes where the member or a check refused the
// sign-in (as opposed to a failure talking to LinkedIn).
var errRefused = errors.New("sign-in refused")

func (a *app) handleCallback(w http.ResponseWriter, r *http.Request) {
	res := a.finish(r)
	if a.done != nil {
		defer a.done(res)
	}
	switch {
	case res.Err == nil:
		render(w, http.StatusOK, view{Name: res.Info.Name, Email: res.Info.Email, Subject: res.Info.Subject})
	case errors.Is(res.Err, errRefused):
		render(w, http.StatusForbidden, view{Refusal: res.Err.Error()})
	default:
		// The details (typed, without secrets) go to the log, not the page.
		render(w, http.StatusBadGateway, view{Refusal: "Sign-in failed; see the application's log."})
	}
}

// finish checks the callback and completes the sign-in.
func (a *app) finish(r *http.Request) signIn {
	q := r.URL.Query()
	s, ok := a.take(r)
	if !ok {
		return signIn{Err: fmt.Errorf("%w: no sign-in in progress in this browser", errRefused)}
	}
	if e := q.Get("error"); e != "" {
		return signIn{Err: fmt.Errorf("%w: LinkedIn answered %s", errRefused, template.HTMLEscapeString(e))}
	}
	if !oauth.CheckState(q.Get("state"), s.state) {
		return signIn{Err: fmt.Errorf("%w: the state does not match this sign-in (a forged or replayed callback)", errRefused)}
	}
	tok, err := a.cfg.Exchange(r.Context(), q.Get("code"), oauth2.VerifierOption(s.verifier))
	if err != nil {
		return signIn{Err: err}
	}
	claims, err := a.provider.VerifyToken(r.Context(), tok, s.nonce)
	if err != nil {
		return signIn{Err: err}
	}
	info, err := a.provider.UserInfo(r.Context(), tok.AccessToken)
	if err != nil {
		return signIn{Err: err}
	}
	if info.Subject != claims.Subject {
		return signIn{Err: errors.New("userinfo is about another member than the id_token")}
	}
	return signIn{Token: tok, Claims: claims, Info: info}
}
