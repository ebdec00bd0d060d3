package restlitest

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// OAuth 2.0 endpoints (protocol §8.4): /oauth/v2/authorization,
// /oauth/v2/accessToken and /oauth/v2/introspectToken, and the tokens they
// issue, which the Rest.li API accepts until they expire on the server's
// clock.

type oauthClient struct {
	id, secret string
	redirects  []string
}

type tokenInfo struct {
	clientID   string
	authType   string // "2L" or "3L"
	scopes     []string
	created    time.Time
	authorized time.Time
	expires    time.Time
	revoked    bool
	member     string // the member who signed in; "" for none
}

type refreshInfo struct {
	clientID   string
	scopes     []string
	authorized time.Time
	expires    time.Time
	revoked    bool
	member     string
}

type codeInfo struct {
	clientID   string
	redirect   string
	scopes     []string
	challenge  string
	method     string
	authorized time.Time
	expires    time.Time
	used       bool
	tokens     []string // access tokens issued for it, revoked if it is reused
	refresh    []string
	member     string // who signed in
	nonce      string // the OpenID Connect nonce of the authorization request
}

type authState struct {
	clients      []oauthClient
	tokens       map[string]*tokenInfo
	refresh      map[string]*refreshInfo
	codes        map[string]*codeInfo
	defaultToken string
	authzErr     string
	authzDesc    string

	members     map[string]Member // members.go
	memberOrder []string
	signInAs    string
	refreshes   map[string]int // refresh grants answered, per member
	consent     bool           // consent.go: serve the HTML consent page
	consentSet  bool           // SetConsentPage was called: consent wins over the option
	oidc        oidcKeys       // oidc.go: signing keys
}

func (s *Server) initAuth() {
	a := &s.auth
	a.tokens = map[string]*tokenInfo{}
	a.refresh = map[string]*refreshInfo{}
	a.codes = map[string]*codeInfo{}
	a.clients = append([]oauthClient(nil), s.cfg.clients...)
	if len(a.clients) == 0 {
		a.clients = []oauthClient{{id: DefaultClientID, secret: DefaultClientSecret}}
	}
	for i := range a.clients {
		if len(a.clients[i].redirects) == 0 {
			a.clients[i].redirects = []string{s.URL + CallbackPath}
		}
	}
	tok := s.cfg.token
	if tok == "" {
		tok = s.newCredential("access_token")
	}
	now := s.now()
	a.defaultToken = tok
	a.tokens[tok] = &tokenInfo{clientID: a.clients[0].id, authType: "3L", created: now, authorized: now, expires: now.Add(s.cfg.tokenTTL)}
}

// newCredential returns a new access token, refresh token or code.
func (s *Server) newCredential(kind string) string {
	if s.cfg.gen != nil {
		return s.cfg.gen(kind)
	}
	prefix := map[string]string{"access_token": "AQV", "refresh_token": "AQX", "code": "AQT"}[kind]
	return prefix + rand.Text() + rand.Text()
}

// Token returns the server's default access token: valid for the API
// until it expires (WithTokenTTL after NewServer, on the server's clock) or
// is revoked. Client sends it.
func (s *Server) Token() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.auth.defaultToken
}

// AddToken makes token a valid access token of the first registered
// application for ttl (WithTokenTTL's value when ttl <= 0) from now, as
// if it had been issued to a member with scopes. A test uses it to plant a
// token of its choosing, such as a canary.
func (s *Server) AddToken(token string, ttl time.Duration, scopes ...string) {
	if ttl <= 0 {
		ttl = s.cfg.tokenTTL
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.auth.tokens[token] = &tokenInfo{clientID: s.auth.clients[0].id, authType: "3L", scopes: scopes,
		created: now, authorized: now, expires: now.Add(ttl)}
}

// IssueToken returns a new access token valid for ttl (see AddToken).
func (s *Server) IssueToken(ttl time.Duration, scopes ...string) string {
	tok := s.newCredential("access_token")
	s.AddToken(tok, ttl, scopes...)
	return tok
}

// RevokeToken revokes an access token or a refresh token and reports
// whether the server knew it. The API then answers 401 to it, and
// introspection reports it revoked.
func (s *Server) RevokeToken(token string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.auth.tokens[token]; ok {
		t.revoked = true
		return true
	}
	if r, ok := s.auth.refresh[token]; ok {
		r.revoked = true
		return true
	}
	return false
}

// ExpireTokens makes every access token issued so far, the default token
// included, expire now. Refresh tokens stay valid, so a refresh can follow.
func (s *Server) ExpireTokens() {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.auth.tokens {
		if t.expires.After(now) {
			t.expires = now
		}
	}
}

// SetAuthorizationError makes the authorization endpoint send the member
// back with error=code and error_description=description (and the state)
// instead of a code, as LinkedIn does when the member cancels
// ("user_cancelled_login", "user_cancelled_authorize"). An empty code
// restores normal authorization.
func (s *Server) SetAuthorizationError(code, description string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.auth.authzErr, s.auth.authzDesc = code, description
}

// validToken reports whether tok is a known, unexpired, unrevoked access
// token.
func (s *Server) validToken(tok string) bool {
	if tok == "" {
		return false
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.auth.tokens[tok]
	return ok && !t.revoked && now.Before(t.expires)
}

func (s *Server) client(id string) (oauthClient, bool) {
	for _, c := range s.auth.clients {
		if c.id == id {
			return c, true
		}
	}
	return oauthClient{}, false
}

func oauthError(status int, code, desc string) *response {
	r := jsonResponse(status, map[string]any{"error": code, "error_description": desc})
	r.code = code
	r.header.Set("Cache-Control", "no-store")
	return r
}

func (s *Server) serveOAuth(r *http.Request, body []byte) *response {
	switch strings.TrimPrefix(r.URL.Path, "/oauth/v2/") {
	case "authorization":
		switch {
		case r.Method == http.MethodPost && s.consentEnabled():
			return s.consentDecision(body) // consent.go
		case r.Method != http.MethodGet:
			return oauthError(http.StatusMethodNotAllowed, "invalid_request", "use GET")
		case s.consentEnabled():
			return s.consentPage(r.URL.Query())
		}
		return s.authorize(r.URL.Query(), "")
	case "accessToken", "introspectToken":
		if r.Method != http.MethodPost {
			return oauthError(http.StatusMethodNotAllowed, "invalid_request", "use POST")
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
			return oauthError(http.StatusBadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded")
		}
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return oauthError(http.StatusBadRequest, "invalid_request", "malformed form body")
		}
		if id, secret, ok := r.BasicAuth(); ok && form.Get("client_id") == "" {
			form.Set("client_id", id)
			form.Set("client_secret", secret)
		}
		if strings.HasSuffix(r.URL.Path, "accessToken") {
			return s.accessToken(form)
		}
		return s.introspect(form)
	}
	return oauthError(http.StatusNotFound, "invalid_request", "no such endpoint")
}

func splitScope(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' })
}

// errorPage is the authorization endpoint's answer when it cannot redirect
// back (unknown client or redirect URL): a page for the member.
func errorPage(msg string) *response {
	r := newResponse(http.StatusBadRequest)
	r.header.Set("Content-Type", "text/plain; charset=utf-8")
	r.body = []byte("restlitest: authorization failed: " + msg + "\n")
	r.code = "invalid_request"
	return r
}

func redirect(to string, params url.Values) *response {
	u, err := url.Parse(to)
	if err != nil {
		return errorPage("invalid redirect_uri")
	}
	q := u.Query()
	for k, v := range params {
		q[k] = v
	}
	u.RawQuery = q.Encode()
	r := newResponse(http.StatusFound)
	r.header.Set("Location", u.String())
	return r
}

// authorize answers an authorization request for member (the shortcut's
// member when ""): a redirect with a code, or with an error.
func (s *Server) authorize(q url.Values, member string) *response {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if member == "" {
		member = s.signInMember()
	}
	c, ok := s.client(q.Get("client_id"))
	if !ok {
		return errorPage("unknown client_id")
	}
	ru := q.Get("redirect_uri")
	if !slices.Contains(c.redirects, ru) {
		return errorPage("redirect_uri is not registered for this application")
	}
	back := url.Values{}
	if st := q.Get("state"); st != "" {
		back.Set("state", st)
	}
	fail := func(code, desc string) *response {
		back.Set("error", code)
		back.Set("error_description", desc)
		return redirect(ru, back)
	}
	if q.Get("response_type") != "code" {
		return fail("unsupported_response_type", "response_type must be code")
	}
	method := q.Get("code_challenge_method")
	challenge := q.Get("code_challenge")
	if challenge != "" {
		if method == "" {
			method = "plain"
		}
		if method != "plain" && method != "S256" {
			return fail("invalid_request", "code_challenge_method must be S256 or plain")
		}
	}
	if s.auth.authzErr != "" {
		return fail(s.auth.authzErr, s.auth.authzDesc)
	}
	code := s.newCredential("code")
	s.auth.codes[code] = &codeInfo{clientID: c.id, redirect: ru, scopes: splitScope(q.Get("scope")),
		challenge: challenge, method: method, authorized: now, expires: now.Add(s.cfg.codeTTL),
		member: member, nonce: q.Get("nonce")}
	back.Set("code", code)
	return redirect(ru, back)
}

// checkClient authenticates the application of a token-endpoint call.
func (s *Server) checkClient(form url.Values) (oauthClient, *response) {
	c, ok := s.client(form.Get("client_id"))
	if !ok {
		return c, oauthError(http.StatusUnauthorized, "invalid_client", "unknown client_id")
	}
	if subtle.ConstantTimeCompare([]byte(form.Get("client_secret")), []byte(c.secret)) != 1 {
		return c, oauthError(http.StatusUnauthorized, "invalid_client", "client authentication failed")
	}
	return c, nil
}

func seconds(d time.Duration) int64 {
	if d < 0 {
		return 0
	}
	return int64(d / time.Second)
}

func (s *Server) accessToken(form url.Values) *response {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	grant := form.Get("grant_type")
	if grant == "" {
		return oauthError(http.StatusBadRequest, "invalid_request", "missing grant_type")
	}
	c, bad := s.checkClient(form)
	if bad != nil {
		return bad
	}
	switch grant {
	case "authorization_code":
		code := form.Get("code")
		if code == "" {
			return oauthError(http.StatusBadRequest, "invalid_request", "missing code")
		}
		ci, ok := s.auth.codes[code]
		if !ok || ci.clientID != c.id || !now.Before(ci.expires) {
			return oauthError(http.StatusBadRequest, "invalid_grant", "the authorization code is invalid or expired")
		}
		if ci.used {
			// A code presented twice may have been stolen: revoke what it gave.
			for _, t := range ci.tokens {
				s.auth.tokens[t].revoked = true
			}
			for _, t := range ci.refresh {
				s.auth.refresh[t].revoked = true
			}
			return oauthError(http.StatusBadRequest, "invalid_grant", "the authorization code was already used")
		}
		ci.used = true
		if form.Get("redirect_uri") != ci.redirect {
			return oauthError(http.StatusBadRequest, "invalid_grant", "redirect_uri does not match the authorization request")
		}
		if ci.challenge != "" {
			v := form.Get("code_verifier")
			if v == "" {
				return oauthError(http.StatusBadRequest, "invalid_grant", "missing code_verifier")
			}
			want := v
			if ci.method == "S256" {
				sum := sha256.Sum256([]byte(v))
				want = base64.RawURLEncoding.EncodeToString(sum[:])
			}
			if subtle.ConstantTimeCompare([]byte(want), []byte(ci.challenge)) != 1 {
				return oauthError(http.StatusBadRequest, "invalid_grant", "code_verifier does not match the code_challenge")
			}
		}
		at, rt := s.newCredential("access_token"), s.newCredential("refresh_token")
		s.auth.tokens[at] = &tokenInfo{clientID: c.id, authType: "3L", scopes: ci.scopes, created: now, authorized: ci.authorized, expires: now.Add(s.cfg.tokenTTL), member: ci.member}
		rexp := ci.authorized.Add(s.cfg.refreshTTL)
		s.auth.refresh[rt] = &refreshInfo{clientID: c.id, scopes: ci.scopes, authorized: ci.authorized, expires: rexp, member: ci.member}
		ci.tokens, ci.refresh = append(ci.tokens, at), append(ci.refresh, rt)
		out := map[string]any{
			"access_token": at, "token_type": "Bearer", "expires_in": seconds(s.cfg.tokenTTL),
			"refresh_token": rt, "refresh_token_expires_in": seconds(rexp.Sub(now)),
			"scope": strings.Join(ci.scopes, ","),
		}
		if slices.Contains(ci.scopes, "openid") {
			idt, err := s.idTokenFor(c.id, ci, now) // oidc.go
			if err != nil {
				return oauthError(http.StatusInternalServerError, "server_error", "cannot sign the id_token")
			}
			out["id_token"] = idt
		}
		return jsonResponse(http.StatusOK, out)
	case "refresh_token":
		rt := form.Get("refresh_token")
		if rt == "" {
			return oauthError(http.StatusBadRequest, "invalid_request", "missing refresh_token")
		}
		ri, ok := s.auth.refresh[rt]
		if !ok || ri.clientID != c.id || ri.revoked || !now.Before(ri.expires) {
			return oauthError(http.StatusBadRequest, "invalid_grant", "the refresh token is invalid, expired or revoked")
		}
		at := s.newCredential("access_token")
		s.auth.tokens[at] = &tokenInfo{clientID: c.id, authType: "3L", scopes: ri.scopes, created: now, authorized: ri.authorized, expires: now.Add(s.cfg.tokenTTL), member: ri.member}
		if s.auth.refreshes == nil {
			s.auth.refreshes = map[string]int{}
		}
		s.auth.refreshes[ri.member]++
		return jsonResponse(http.StatusOK, map[string]any{
			"access_token": at, "token_type": "Bearer", "expires_in": seconds(s.cfg.tokenTTL),
			"refresh_token": rt, "refresh_token_expires_in": seconds(ri.expires.Sub(now)),
			"scope": strings.Join(ri.scopes, ","),
		})
	case "client_credentials":
		at := s.newCredential("access_token")
		s.auth.tokens[at] = &tokenInfo{clientID: c.id, authType: "2L", created: now, authorized: now, expires: now.Add(s.cfg.appTokenTTL)}
		return jsonResponse(http.StatusOK, map[string]any{"access_token": at, "expires_in": seconds(s.cfg.appTokenTTL)})
	}
	return oauthError(http.StatusBadRequest, "unsupported_grant_type", "grant_type must be authorization_code, refresh_token or client_credentials")
}

func (s *Server) introspect(form url.Values) *response {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.client(form.Get("client_id"))
	if !ok {
		return oauthError(http.StatusBadRequest, "invalid_request", "unknown client_id")
	}
	if subtle.ConstantTimeCompare([]byte(form.Get("client_secret")), []byte(c.secret)) != 1 {
		return oauthError(http.StatusUnauthorized, "invalid_client", "client authentication failed")
	}
	tok := form.Get("token")
	if tok == "" {
		return oauthError(http.StatusBadRequest, "invalid_request", "missing token")
	}
	t, ok := s.auth.tokens[tok]
	if !ok {
		return oauthError(http.StatusBadRequest, "invalid_request", "unknown token")
	}
	if t.clientID != c.id {
		return jsonResponse(http.StatusOK, map[string]any{"active": false})
	}
	status := "active"
	switch {
	case t.revoked:
		status = "revoked"
	case !now.Before(t.expires):
		status = "expired"
	}
	out := map[string]any{
		"active":        status == "active",
		"status":        status,
		"client_id":     t.clientID,
		"created_at":    t.created.Unix(),
		"expires_at":    t.expires.Unix(),
		"authorized_at": t.authorized.Unix(),
		"auth_type":     t.authType,
	}
	if t.authType == "3L" {
		out["scope"] = strings.Join(t.scopes, ",")
	}
	return jsonResponse(http.StatusOK, out)
}

// serveCallback is the default redirect target: it answers 200 so a
// client that follows the redirect gets a page, without echoing the code.
func serveCallback(r *http.Request) *response {
	resp := newResponse(http.StatusOK)
	resp.header.Set("Content-Type", "text/plain; charset=utf-8")
	if r.URL.Query().Get("error") != "" {
		resp.body = []byte("restlitest: authorization was not granted\n")
	} else {
		resp.body = []byte("restlitest: authorization complete; the code is in this page's URL\n")
	}
	return resp
}
