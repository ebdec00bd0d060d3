// This file holds the permission rule of the fake: resources that require
// OAuth scopes, and LinkedIn's 403 answer to a token that lacks them.

package restlitest

import (
	"net/http"
	"slices"
	"strings"

	"github.com/linkedin-go/linkedin/restli"
)

// CodeAccessDenied is the code of LinkedIn's 403 answer to a token that
// lacks the permission a resource requires.
const CodeAccessDenied = "ACCESS_DENIED"

// ServiceErrorAccessDenied is the serviceErrorCode LinkedIn sends with
// ACCESS_DENIED.
const ServiceErrorAccessDenied = 100

// scopeRule is one RequireScopes registration.
type scopeRule struct {
	method restli.Method // "" for every method
	anyOf  []string
}

// RequireScopes makes the resource at resourcePath (a collection path such
// as "/posts" or "/userinfo", under /rest and /v2 alike) require one of
// scopes for method (every method when method is ""): a token that holds
// none of them gets LinkedIn's answer,
//
//	403 {"status":403,"serviceErrorCode":100,"code":"ACCESS_DENIED",
//	     "message":"Not enough permissions to access: posts.CREATE.20260101"}
//
// naming the resource, the Rest.li method in upper case and the version as
// eight digits (NO_VERSION on /v2), which restli.ParsePermission reads.
// Several registrations for one resource all apply. The check comes after
// the token and version checks.
//
// Tokens hold the scopes they were issued with: those of the authorization
// request for a 3-legged token, those given to AddToken, IssueToken or
// SetTokenScopes. The default token (Token, sent by Client and
// RestliClient) holds none until SetTokenScopes gives it some. It panics
// if resourcePath is not a collection path, like Collection.
func (s *Server) RequireScopes(resourcePath string, method restli.Method, scopes ...string) {
	p, err := normalizeResource(resourcePath)
	if err != nil {
		panic("restlitest: RequireScopes: " + err.Error())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.scopeRules == nil {
		s.scopeRules = map[string][]scopeRule{}
	}
	s.scopeRules[p] = append(s.scopeRules[p], scopeRule{method: method, anyOf: slices.Clone(scopes)})
}

// SetTokenScopes replaces the scopes an access token holds, and reports
// whether the server knew the token. Introspection reports them too.
func (s *Server) SetTokenScopes(token string, scopes ...string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.auth.tokens[token]
	if ok {
		t.scopes = slices.Clone(scopes)
	}
	return ok
}

// checkScopes answers 403 when the request's resource requires a scope its
// token lacks.
func (s *Server) checkScopes(r *http.Request, c *call) *Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rules := s.scopeRules[c.rp.collection]
	if len(rules) == 0 {
		return nil
	}
	var held []string
	if t, ok := s.auth.tokens[bearer(r.Header.Get("Authorization"))]; ok {
		held = t.scopes
	}
	for _, rule := range rules {
		if rule.method != "" && rule.method != c.req.RestliMethod {
			continue
		}
		if !slices.ContainsFunc(rule.anyOf, func(sc string) bool { return slices.Contains(held, sc) }) {
			return errPermission(c, r)
		}
	}
	return nil
}

// errPermission is LinkedIn's 403 for a missing permission, naming the
// resource, the method and the version: "userinfo.GET.NO_VERSION".
func errPermission(c *call, r *http.Request) *Error {
	name := c.rp.collection[strings.LastIndexByte(c.rp.collection, '/')+1:]
	method := c.req.RestliMethod.Upper()
	if method == "" {
		method = r.Method
	}
	version := "NO_VERSION"
	if c.prefix == "/rest" {
		if d := linkedInDate(r.Header.Get("LinkedIn-Version")); d != "" {
			version = d
		}
	}
	return &Error{Status: http.StatusForbidden, ServiceErrorCode: ServiceErrorAccessDenied, Code: CodeAccessDenied,
		Message: "Not enough permissions to access: " + name + "." + method + "." + version}
}
