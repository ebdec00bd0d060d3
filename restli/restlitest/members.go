package restlitest

// Members: the people behind 3-legged tokens. Every access and refresh token
// the server issues through the authorization flow belongs to the member
// who signed in; /v2/userinfo and /v2/me answer for that member, and a
// member can revoke the application (every token of theirs stops working).

import (
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/oauth"
)

// Member is a LinkedIn member known to the server. AddMember registers
// one; the authorization flow signs in as one of them (the consent page
// lets the browser choose; the no-browser shortcut uses SignInAs, else the
// first member added).
type Member struct {
	// ID is the member's id: the OpenID Connect "sub", the "id" of /v2/me
	// and the id in urn:li:person:<ID>. It must not be empty.
	ID string
	// GivenName and FamilyName make up the member's name.
	GivenName  string
	FamilyName string
	// Email is the member's primary email address; EmailVerified says
	// whether LinkedIn verified it.
	Email         string
	EmailVerified bool
	// Picture is the URL of the member's profile picture; when empty, a
	// small SVG data: URL with the member's initials is used, so that no
	// page ever loads an image from outside the loopback host.
	Picture string
	// Language and Country make up the member's locale ("en", "US" by
	// default).
	Language string
	Country  string
}

// Name returns the member's full name: GivenName and FamilyName joined by
// a space.
func (m Member) Name() string {
	return strings.TrimSpace(m.GivenName + " " + m.FamilyName)
}

// withDefaults fills the optional fields.
func (m Member) withDefaults() Member {
	if m.Language == "" {
		m.Language = "en"
	}
	if m.Country == "" {
		m.Country = "US"
	}
	if m.Picture == "" {
		m.Picture = initialsPicture(m)
	}
	return m
}

// initialsPicture is an SVG data: URL showing the member's initials.
func initialsPicture(m Member) string {
	var initials string
	for _, s := range []string{m.GivenName, m.FamilyName} {
		for _, r := range s {
			if r < 0x80 && (r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
				initials += strings.ToUpper(string(r))
			}
			break
		}
	}
	svg := `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">` +
		`<rect width="100" height="100" fill="#0a66c2"/>` +
		`<text x="50" y="62" font-size="40" text-anchor="middle" fill="#fff" font-family="sans-serif">` +
		initials + `</text></svg>`
	return "data:image/svg+xml," + url.PathEscape(svg)
}

// AddMember registers m (replacing a member with the same ID). The first
// member added is the one the no-browser authorization shortcut signs in
// as, until SignInAs chooses another. It panics if m.ID is empty.
func (s *Server) AddMember(m Member) {
	if m.ID == "" {
		panic("restlitest: AddMember: empty member ID")
	}
	m = m.withDefaults()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.auth.members == nil {
		s.auth.members = map[string]Member{}
	}
	if _, ok := s.auth.members[m.ID]; !ok {
		s.auth.memberOrder = append(s.auth.memberOrder, m.ID)
	}
	s.auth.members[m.ID] = m
}

// Members returns the registered members, in the order they were added.
func (s *Server) Members() []Member {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Member, 0, len(s.auth.memberOrder))
	for _, id := range s.auth.memberOrder {
		out = append(out, s.auth.members[id])
	}
	return out
}

// SignInAs makes the no-browser authorization shortcut sign in as the
// member with id (and the consent page preselect them). An empty id goes
// back to the first member added.
func (s *Server) SignInAs(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.auth.signInAs = id
}

// signInMember returns the member the shortcut signs in as ("" when no
// member is registered). s.mu must be held.
func (s *Server) signInMember() string {
	if s.auth.signInAs != "" {
		return s.auth.signInAs
	}
	if len(s.auth.memberOrder) > 0 {
		return s.auth.memberOrder[0]
	}
	return ""
}

// AuthorizeMember returns a member token as if member id had signed in with
// scopes and the application had exchanged the code: an access token (valid
// for WithTokenTTL) and a refresh token (valid for WithRefreshTokenTTL), both
// tied to the member. It is the shortcut tests of many-member code use. It
// panics if the member is not registered.
func (s *Server) AuthorizeMember(id string, scopes ...string) *oauth.Token {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.auth.members[id]; !ok {
		panic("restlitest: AuthorizeMember: unknown member " + id)
	}
	c := s.auth.clients[0]
	at, rt := s.newCredential("access_token"), s.newCredential("refresh_token")
	rexp := now.Add(s.cfg.refreshTTL)
	s.auth.tokens[at] = &tokenInfo{clientID: c.id, authType: "3L", scopes: scopes, created: now, authorized: now,
		expires: now.Add(s.cfg.tokenTTL), member: id}
	s.auth.refresh[rt] = &refreshInfo{clientID: c.id, scopes: scopes, authorized: now, expires: rexp, member: id}
	return &oauth.Token{
		Token: &oauth2.Token{AccessToken: at, TokenType: "Bearer", RefreshToken: rt,
			Expiry: now.Add(s.cfg.tokenTTL), ExpiresIn: seconds(s.cfg.tokenTTL)},
		RefreshTokenExpiry: rexp,
		Scopes:             append([]string(nil), scopes...),
	}
}

// RevokeMember revokes every access and refresh token of the member, as
// LinkedIn does when a member removes the application from their account:
// the API answers 401 to them and a refresh gets invalid_grant. It reports
// how many tokens were revoked.
func (s *Server) RevokeMember(id string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, t := range s.auth.tokens {
		if t.member == id && !t.revoked {
			t.revoked = true
			n++
		}
	}
	for _, r := range s.auth.refresh {
		if r.member == id && !r.revoked {
			r.revoked = true
			n++
		}
	}
	return n
}

// RefreshCount returns how many refresh_token grants the token endpoint has
// answered with a new access token for the member (all members when id is
// "").
func (s *Server) RefreshCount(id string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id == "" {
		n := 0
		for _, c := range s.auth.refreshes {
			n += c
		}
		return n
	}
	return s.auth.refreshes[id]
}

// tokenMember returns the registered member an access token belongs to.
func (s *Server) tokenMember(tok string) (Member, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.auth.tokens[tok]
	if !ok || t.member == "" {
		return Member{}, false
	}
	m, ok := s.auth.members[t.member]
	return m, ok
}

// serveMember answers GET /v2/userinfo and GET /v2/me for a token that
// belongs to a registered member; it returns nil for any other request,
// which the generic collections then answer (so a seeded /userinfo or /me
// still serves tokens that belong to no member).
func (s *Server) serveMember(r *http.Request, c *call) *response {
	if c.prefix != "/v2" || r.Method != http.MethodGet || c.rp.hasKey || len(c.rp.parentKeys) > 0 {
		return nil
	}
	if c.rp.collection != "/userinfo" && c.rp.collection != "/me" {
		return nil
	}
	m, ok := s.tokenMember(bearer(r.Header.Get("Authorization")))
	if !ok {
		return nil
	}
	if c.rp.collection == "/userinfo" {
		return jsonResponse(http.StatusOK, userInfoJSON(m))
	}
	return jsonResponse(http.StatusOK, map[string]any{
		"id":                 m.ID,
		"localizedFirstName": m.GivenName,
		"localizedLastName":  m.FamilyName,
		"firstName":          localizedName(m.GivenName, m),
		"lastName":           localizedName(m.FamilyName, m),
	})
}

// userInfoJSON is the member as /v2/userinfo returns it.
func userInfoJSON(m Member) map[string]any {
	return map[string]any{
		"sub":            m.ID,
		"name":           m.Name(),
		"given_name":     m.GivenName,
		"family_name":    m.FamilyName,
		"picture":        m.Picture,
		"email":          m.Email,
		"email_verified": m.EmailVerified,
		"locale":         map[string]any{"language": m.Language, "country": m.Country},
	}
}

func localizedName(name string, m Member) map[string]any {
	key := m.Language + "_" + m.Country
	return map[string]any{
		"localized":       map[string]any{key: name},
		"preferredLocale": map[string]any{"country": m.Country, "language": m.Language},
	}
}
