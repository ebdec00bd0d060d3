// The host rules for credentials the token layer did not add: a per-call
// access token or an Authorization header set by hand obeys the allow-list
// and the https-only rule too, on the first hop and after every redirect.

package oauth

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/linkedin-go/linkedin/restli"
)

// ErrHostNotAllowed is returned, wrapped, for a request that carries its
// own Authorization header (a per-call access token, or one set by hand)
// to a host that is not allowed (see MiddlewareOptions.AllowHosts): the credential is never
// sent there, so the request is not sent at all. It wraps restli.ErrNotSent
// and restli.ErrPermanent as well.
var ErrHostNotAllowed = errors.New("oauth: refusing to send a credential to a host that is not allowed")

// Guard returns a layer that applies the token layer's host rules to every
// credential a request already carries (an Authorization header, whoever
// set it), without adding one:
//
//   - on the first hop, a credential for a host that is not allowed fails
//     with ErrHostNotAllowed, and one over plain http to a host that is not
//     loopback with ErrInsecureTransport; nothing is sent;
//   - on a redirect hop (a request net/http made from a redirect, whose
//     Response is set), the credential is stripped, as net/http does for
//     a redirect to another domain, when the hop goes to a host that is not
//     allowed, over plain http to a host that is not loopback, or, when no
//     host is listed, to another scheme, host or port than the hop before.
//
// Without AllowHosts every host is allowed on the first hop. The default
// stack (package transport) always runs a Guard innermost, with the token
// hosts when it has any; Middleware applies the same rules itself.
func Guard(opts MiddlewareOptions) func(http.RoundTripper) http.RoundTripper {
	var allow allowList
	var err error
	if len(opts.AllowHosts) > 0 {
		allow, err = parseAllowList(opts.AllowHosts)
	}
	return func(next http.RoundTripper) http.RoundTripper {
		if next == nil {
			next = http.DefaultTransport
		}
		return &guardTransport{next: next, allow: allow, err: err}
	}
}

type guardTransport struct {
	next  http.RoundTripper
	allow allowList // nil: every host
	err   error
}

func (g *guardTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL == nil || req.Header.Get("Authorization") == "" {
		return g.next.RoundTrip(req)
	}
	if g.err != nil {
		closeBody(req)
		return nil, &notSentError{err: g.err, permanent: true}
	}
	return guardCredential(g.next, g.allow, req)
}

// guardCredential sends req, which carries its own Authorization header,
// under the host rules: see Guard. A nil allow list allows every host.
func guardCredential(next http.RoundTripper, allow allowList, req *http.Request) (*http.Response, error) {
	verdict := hostAllowed
	if allow != nil {
		verdict = allow.check(req.URL)
	} else if strings.EqualFold(req.URL.Scheme, "http") && !restli.IsLoopbackHost(restli.NormalizeHost(req.URL.Hostname())) {
		verdict = hostInsecure
	}
	if prev := req.Response; prev != nil && prev.Request != nil && prev.Request.URL != nil {
		// A redirect hop: strip the credential rather than refuse, as
		// net/http does; the caller gets the redirect target's answer.
		if verdict != hostAllowed || allow == nil && !sameOrigin(req.URL, prev.Request.URL) {
			return next.RoundTrip(withoutCredential(req))
		}
		return next.RoundTrip(req)
	}
	switch verdict {
	case hostInsecure:
		closeBody(req)
		return nil, &notSentError{err: fmt.Errorf("%w to %s", ErrInsecureTransport, req.URL.Host), permanent: true}
	case hostNotAllowed:
		closeBody(req)
		return nil, &notSentError{err: fmt.Errorf("%w: %s", ErrHostNotAllowed, req.URL.Host), permanent: true}
	}
	return next.RoundTrip(req)
}

// sameOrigin reports whether a and b have the same scheme, host and port
// (the scheme's default port standing for an absent one).
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) &&
		restli.NormalizeHost(a.Hostname()) == restli.NormalizeHost(b.Hostname()) &&
		portOrDefault(a) == portOrDefault(b)
}

func portOrDefault(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "http") {
		return "80"
	}
	return "443"
}

// strippedOnRedirect are the headers net/http drops on a redirect to
// another domain; the guard drops them on every redirect it does not
// allow.
var strippedOnRedirect = [...]string{"Authorization", "Www-Authenticate", "Cookie", "Cookie2"}

// withoutCredential returns a shallow copy of req without its credentials.
func withoutCredential(req *http.Request) *http.Request {
	r := new(http.Request)
	*r = *req
	r.Header = req.Header.Clone()
	for _, k := range strippedOnRedirect {
		r.Header.Del(k)
	}
	return r
}
