// This file parses LinkedIn's 403 permission messages ("Not enough
// permissions to access: userinfo.GET.NO_VERSION") into the resource, method
// and version they name, and classifies permission errors.

package restli

import (
	"net/http"
	"strings"
)

// codeAccessDenied is the code LinkedIn sends with a 403 for a missing
// permission.
const codeAccessDenied = "ACCESS_DENIED"

// permissionPrefix starts every LinkedIn message about a missing permission.
const permissionPrefix = "Not enough permissions to access"

// noVersion is how LinkedIn's permission messages spell a call to the
// unversioned API (/v2).
const noVersion = "NO_VERSION"

// Permission is what a LinkedIn 403 message names as out of the token's
// reach. LinkedIn writes it in two forms, and Permission holds either:
//
//	Not enough permissions to access: userinfo.GET.NO_VERSION          resource.METHOD.version (current)
//	Not enough permissions to access: partnerApiAdAccounts.GET.20240601
//	Not enough permissions to access: GET /me                          METHOD /path (older /v2 answers)
//
// The resource is LinkedIn's internal name for it, which is not always the
// path: "partnerApi…" names a resource behind a partner program (Community
// Management, Advertising), "userinfo" the OpenID Connect endpoint. The
// README lists which product or scope typically grants the common ones.
type Permission struct {
	// Resource is the resource named: "userinfo", "partnerApiAdAccounts",
	// or a path such as "/me" in the older form.
	Resource string
	// Method is the method refused: a Rest.li method in upper case
	// ("GET", "CREATE", "FINDER"), or the HTTP method in the older form.
	Method string
	// Version is the LinkedIn-Version as the message spells it, eight
	// digits ("20240601" for 202406); empty for NO_VERSION (a call to the
	// unversioned /v2 API) and in the older form.
	Version string
	// Target is the whole text after "Not enough permissions to access:".
	Target string
}

// ParsePermission parses a LinkedIn error message of the form "Not enough
// permissions to access: <target>" and returns what it names, or nil when
// message is not such a message. A target it cannot split is kept whole in
// Target and Resource. It never fails and never panics.
func ParsePermission(message string) *Permission {
	rest, ok := strings.CutPrefix(strings.TrimSpace(message), permissionPrefix)
	if !ok {
		return nil
	}
	rest = strings.TrimSpace(strings.TrimPrefix(rest, ":"))
	p := &Permission{Target: rest}
	if rest == "" {
		return p
	}
	// The older form: an HTTP method, a space and a path.
	if m, path, ok := strings.Cut(rest, " "); ok && isHTTPMethod(m) {
		p.Method, p.Resource = m, strings.TrimSpace(path)
		return p
	}
	// The current form: resource.METHOD.version, where only the resource
	// could hold a dot.
	parts := strings.Split(rest, ".")
	n := len(parts)
	switch {
	case n >= 3 && isPermissionVersion(parts[n-1]):
		p.Resource = strings.Join(parts[:n-2], ".")
		p.Method = parts[n-2]
		p.Version = parts[n-1]
	case n == 2 && isPermissionVersion(parts[1]):
		p.Resource, p.Version = parts[0], parts[1]
	case n == 2:
		p.Resource, p.Method = parts[0], parts[1]
	default:
		p.Resource = rest
	}
	if p.Version == noVersion {
		p.Version = ""
	}
	return p
}

// isHTTPMethod reports whether s is an HTTP method the older messages name.
func isHTTPMethod(s string) bool {
	switch s {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodHead, http.MethodOptions:
		return true
	}
	return false
}

// isPermissionVersion reports whether s is the version part of a
// permission message: NO_VERSION or digits.
func isPermissionVersion(s string) bool {
	if s == noVersion {
		return true
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// IsPermissionDenied reports whether err is a 403 that says the token lacks
// a permission: code ACCESS_DENIED, or a "Not enough permissions to access"
// message (then Error.Permission says what is missing). The usual cause is
// an access token issued without the scope, or an application without the
// product, that grants the resource; a new token with the scope fixes the
// first, only LinkedIn's approval the second.
func IsPermissionDenied(err error) bool {
	e, ok := asError(err)
	return ok && e.StatusCode == http.StatusForbidden && (e.Code == codeAccessDenied || e.Permission != nil)
}
