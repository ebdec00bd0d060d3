package restlitest

// The consent page: with WithConsentPage, GET /oauth/v2/authorization
// answers an HTML page, as LinkedIn's does, where a browser chooses the
// member to sign in as, sees the scopes requested and presses Allow or
// Cancel. The form posts back to /oauth/v2/authorization; Allow redirects
// to the application with a code, Cancel with
// error=user_cancelled_authorize. Without WithConsentPage the endpoint
// redirects at once (the no-browser shortcut).

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"slices"
)

// WithConsentPage makes the authorization endpoint serve an HTML consent
// page instead of redirecting at once, for tests that drive a real browser.
func WithConsentPage() Option { return func(c *config) { c.consent = true } }

// SetConsentPage turns the consent page on or off (see WithConsentPage).
func (s *Server) SetConsentPage(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.auth.consent, s.auth.consentSet = on, true
}

func (s *Server) consentEnabled() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.auth.consentSet {
		return s.auth.consent
	}
	return s.cfg.consent
}

// consentParams are the authorization request parameters the page carries
// through its form.
var consentParams = []string{"response_type", "client_id", "redirect_uri", "scope", "state", "nonce",
	"code_challenge", "code_challenge_method"}

// consentOption is one member on the page.
type consentOption struct {
	ID, Name, Email string
	Selected        bool
}

type consentView struct {
	ClientID string
	Scopes   []string
	Members  []consentOption
	Hidden   []struct{ Name, Value string }
}

var consentTemplate = template.Must(template.New("consent").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>LinkedIn: authorize {{.ClientID}}</title>
<style>body{font-family:sans-serif;max-width:32em;margin:2em auto}button{margin-right:1em;padding:.5em 1.5em}</style>
</head><body>
<h1>Sign in with LinkedIn</h1>
<p><strong id="client">{{.ClientID}}</strong> would like to:</p>
<ul id="scopes">{{range .Scopes}}<li class="scope">{{.}}</li>{{end}}</ul>
<form id="consent" method="post" action="/oauth/v2/authorization">
{{range .Hidden}}<input type="hidden" name="{{.Name}}" value="{{.Value}}">
{{end}}{{if .Members}}<label for="member">Sign in as</label>
<select id="member" name="member">{{range .Members}}<option value="{{.ID}}"{{if .Selected}} selected{{end}}>{{.Name}} ({{.Email}})</option>{{end}}</select>
{{end}}<p><button id="allow" type="submit" name="action" value="allow">Allow</button>
<button id="cancel" type="submit" name="action" value="cancel">Cancel</button></p>
</form></body></html>
`))

// checkAuthzRequest checks the client and redirect URL of an authorization
// request, which must be right before anything redirects to it. s.mu must
// be held.
func (s *Server) checkAuthzRequest(q url.Values) *response {
	c, ok := s.client(q.Get("client_id"))
	if !ok {
		return errorPage("unknown client_id")
	}
	if !slices.Contains(c.redirects, q.Get("redirect_uri")) {
		return errorPage("redirect_uri is not registered for this application")
	}
	return nil
}

// consentPage answers GET /oauth/v2/authorization with the page.
func (s *Server) consentPage(q url.Values) *response {
	s.mu.Lock()
	if bad := s.checkAuthzRequest(q); bad != nil {
		s.mu.Unlock()
		return bad
	}
	v := consentView{ClientID: q.Get("client_id"), Scopes: splitScope(q.Get("scope"))}
	sel := s.signInMember()
	for _, id := range s.auth.memberOrder {
		m := s.auth.members[id]
		v.Members = append(v.Members, consentOption{ID: m.ID, Name: m.Name(), Email: m.Email, Selected: id == sel})
	}
	s.mu.Unlock()
	for _, name := range consentParams {
		if val := q.Get(name); val != "" {
			v.Hidden = append(v.Hidden, struct{ Name, Value string }{name, val})
		}
	}
	var b bytes.Buffer
	if err := consentTemplate.Execute(&b, v); err != nil {
		return errorPage("cannot render the consent page")
	}
	r := newResponse(http.StatusOK)
	r.header.Set("Content-Type", "text/html; charset=utf-8")
	r.header.Set("Cache-Control", "no-store")
	r.body = b.Bytes()
	return r
}

// consentDecision answers the page's form: Allow signs the chosen member in,
// Cancel sends the browser back with error=user_cancelled_authorize.
func (s *Server) consentDecision(body []byte) *response {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return errorPage("malformed form body")
	}
	switch form.Get("action") {
	case "allow":
		member := form.Get("member")
		s.mu.Lock()
		_, known := s.auth.members[member]
		some := len(s.auth.members) > 0
		s.mu.Unlock()
		if some && !known {
			return errorPage("unknown member")
		}
		return s.authorize(form, member)
	case "cancel":
		s.mu.Lock()
		bad := s.checkAuthzRequest(form)
		s.mu.Unlock()
		if bad != nil {
			return bad
		}
		back := url.Values{
			"error":             {"user_cancelled_authorize"},
			"error_description": {"The user cancelled the authorization"},
		}
		if st := form.Get("state"); st != "" {
			back.Set("state", st)
		}
		return redirect(form.Get("redirect_uri"), back)
	}
	return errorPage("the form has no Allow or Cancel")
}
