package oauth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"

	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/restli"
)

// defaultHost is where the token layer sends tokens when AllowHosts lists no
// host.
const defaultHost = "api.linkedin.com"

// MiddlewareOptions configures Middleware (and Guard). The zero value
// means the defaults.
type MiddlewareOptions struct {
	// AllowHosts are the hosts the token layer sends tokens to; empty means
	// api.linkedin.com (for Guard: every host). Each entry is a host name
	// or IP address, optionally with a port ("api.linkedin.com",
	// "127.0.0.1:8443", "[::1]:9000"). An entry without a port matches
	// every port of that host; one with a port matches that port only, the
	// scheme's default port standing for an absent one. Host names match
	// case-insensitively.
	//
	// Tokens go to allowed hosts over https only. Loopback hosts
	// (localhost, 127.0.0.0/8, ::1) are the exception: listed, they receive
	// tokens over plain http too, for tests and fake servers. An entry that
	// cannot be parsed (a URL, a path, an empty string, a bad port) makes
	// every request through the layer fail with an error that names it.
	AllowHosts []string

	// Header, when set, is called with each request the layer sets a
	// token on and the header of the layer's own copy of it, before the
	// copy goes on: it may add headers to h, never remove or change the
	// ones there. Package transport passes the header layers' step
	// (middleware.AddHeaders) here, so that such a request is copied once
	// for its token and its Rest.li headers together instead of once in
	// each layer. Guard ignores it.
	Header func(req *http.Request, h http.Header)
}

// tokenContexter is a token source that honours a context, as *TokenSource
// does.
type tokenContexter interface {
	TokenContext(context.Context) (*oauth2.Token, error)
}

// invalidator is a token source that can drop a token LinkedIn rejected, as
// *TokenSource does.
type invalidator interface {
	Invalidate(accessToken string)
}

// Middleware returns the token layer. For each request (each attempt, each
// redirect hop) to an allowed host (see MiddlewareOptions.AllowHosts) that has no
// Authorization header, it asks ts for a token and sends a copy of the
// request with "Authorization: Bearer <token>". It never modifies the
// caller's request.
//
//   - A request that already has an Authorization header (a per-call access
//     token) passes through untouched, and its 401 is returned as is; so
//     does one whose context says restli.TokenWithheld (a part upload to a
//     pre-signed URL).
//   - A request to a host that is not allowed passes through untouched,
//     without a token, like any other request: after a redirect to another
//     host, the next hop carries no token.
//   - A request to an allowed host over plain http fails with
//     ErrInsecureTransport unless the host is loopback; it is not sent.
//   - When ts fails, the request is not sent and the error is returned
//     (wrapping ErrReauthorize when the member must authorize again).
//   - On a 401, if ts has an Invalidate(accessToken string) method (as
//     *TokenSource has), the layer invalidates the token that was rejected,
//     gets a new one from ts and, when it differs and the request body can
//     be replayed (no body, or GetBody set), drains and closes the 401 and
//     sends the request once more; the answer to that replay, 401 included,
//     is returned. Concurrent requests rejected with the same token share
//     one refresh, because Invalidate only drops the token it names and
//     *TokenSource refreshes single-flight. If getting the new token fails,
//     the 401 is closed and the error returned. Without Invalidate, the 401
//     is returned.
//
// ts is asked with TokenContext(req.Context()) when it has that method.
func Middleware(ts oauth2.TokenSource, opts MiddlewareOptions) func(http.RoundTripper) http.RoundTripper {
	hosts := opts.AllowHosts
	if len(hosts) == 0 {
		hosts = []string{defaultHost}
	}
	allow, err := parseAllowList(hosts)
	if err == nil && ts == nil {
		err = errors.New("oauth: Middleware: nil token source")
	}
	return func(next http.RoundTripper) http.RoundTripper {
		if next == nil {
			next = http.DefaultTransport
		}
		return &tokenTransport{ts: ts, next: next, allow: allow, err: err, header: opts.Header}
	}
}

type tokenTransport struct {
	ts    oauth2.TokenSource
	next  http.RoundTripper
	allow allowList
	err   error // configuration error, returned for every request

	header func(*http.Request, http.Header) // MiddlewareOptions.Header

	bearer atomic.Pointer[bearerValue] // the last token's header value
}

func (t *tokenTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.err != nil {
		closeBody(req)
		return nil, &notSentError{err: t.err, permanent: true}
	}
	if req.URL == nil || restli.TokenWithheld(req.Context()) {
		return t.next.RoundTrip(req)
	}
	if _, ok := req.Header["Authorization"]; ok && req.Header.Get("Authorization") != "" {
		return guardCredential(t.next, t.allow, req)
	}
	switch t.allow.check(req.URL) {
	case hostNotAllowed:
		return t.next.RoundTrip(req)
	case hostInsecure:
		closeBody(req)
		return nil, &notSentError{err: fmt.Errorf("%w to %s", ErrInsecureTransport, req.URL.Host), permanent: true}
	}

	ctx := req.Context()
	tok, err := t.token(ctx)
	if err != nil {
		closeBody(req)
		return nil, &notSentError{err: err, permanent: permanentTokenError(err)}
	}
	resp, err := t.next.RoundTrip(t.withToken(req, t.authorization(tok.AccessToken)))
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		return resp, err
	}

	inv, ok := t.ts.(invalidator)
	if !ok {
		return resp, nil
	}
	inv.Invalidate(tok.AccessToken)
	if req.Body != nil && req.Body != http.NoBody && req.GetBody == nil {
		return resp, nil // cannot replay; the next request gets a new token
	}
	fresh, err := t.token(ctx)
	if err != nil {
		// The server refused the request (401) and the replay was never
		// sent: nothing was applied, and the retry layer must not resend.
		restli.DrainAndClose(resp.Body)
		return nil, &notSentError{err: err, permanent: true}
	}
	if fresh.AccessToken == tok.AccessToken {
		return resp, nil // nothing new to try
	}
	replay := t.withToken(req, t.authorization(fresh.AccessToken))
	if req.GetBody != nil && req.Body != nil && req.Body != http.NoBody {
		body, err := req.GetBody()
		if err != nil {
			return resp, nil
		}
		replay.Body = body
	}
	restli.DrainAndClose(resp.Body)
	return t.next.RoundTrip(replay)
}

// notSentError is the error of a request the layer refused to send (a
// configuration error, plain http, no token): it matches restli.ErrNotSent
// as well as its cause, so the retry layer and restli.Client know the
// server never saw the request, and restli.ErrPermanent when no resend can
// help (plain http, a bad configuration, re-authorization required).
type notSentError struct {
	err       error
	permanent bool
}

func (e *notSentError) Error() string { return e.err.Error() }
func (e *notSentError) Unwrap() []error {
	if e.permanent {
		return []error{e.err, restli.ErrNotSent, restli.ErrPermanent}
	}
	return []error{e.err, restli.ErrNotSent}
}

// token gets a token from the source, honouring ctx when the source can.
func (t *tokenTransport) token(ctx context.Context) (*oauth2.Token, error) {
	var tok *oauth2.Token
	var err error
	if tc, ok := t.ts.(tokenContexter); ok {
		tok, err = tc.TokenContext(ctx)
	} else {
		tok, err = t.ts.Token()
	}
	if err != nil {
		return nil, fmt.Errorf("oauth: getting a token: %w", sanitize(err))
	}
	if tok == nil || tok.AccessToken == "" {
		return nil, errors.New("oauth: token source returned an empty token")
	}
	if b := t.bearer.Load(); b != nil && b.token == tok.AccessToken {
		return tok, nil // the token of the last request, checked then
	}
	if hasControl(tok.AccessToken) {
		// net/http would refuse the header after the breaker counted the
		// attempt; refuse it here, without quoting the token.
		return nil, &restli.ValidationError{Field: "access token", Reason: "the token source returned a token with a control character (CR, LF, NUL…)"}
	}
	return tok, nil
}

// permanentTokenError reports whether no resend can help after the token
// source failed with err: the member must authorize again, or the source
// gave an unusable token.
func permanentTokenError(err error) bool {
	var ve *restli.ValidationError
	return errors.Is(err, ErrReauthorize) || errors.As(err, &ve)
}

// hasControl reports whether s has a byte net/http refuses in a header
// value: a control character other than a tab.
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' && c != '\t' || c == 0x7f {
			return true
		}
	}
	return false
}

// sanitize replaces an x/oauth2 RetrieveError, whose text includes the raw
// response body, by an *Error carrying only the code and description.
func sanitize(err error) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return err
	}
	e := &Error{Code: re.ErrorCode, Description: re.ErrorDescription, op: "token source"}
	if re.Response != nil {
		e.StatusCode = re.Response.StatusCode
	}
	if e.Code == "invalid_grant" {
		e.Err = ErrReauthorize
	}
	var secrets []string
	if re.Response != nil {
		secrets = requestSecrets(re.Response.Request)
	}
	return scrubError(e, secrets)
}

// requestSecrets returns the credentials an x/oauth2 token request carried
// (the refresh token, authorization code, PKCE verifier and client secret
// of its form, and the client secret of a Basic Authorization header), so
// that an error_description echoing them can be scrubbed. x/oauth2 builds
// the request with a replayable body, which is read again here.
func requestSecrets(req *http.Request) []string {
	if req == nil {
		return nil
	}
	var secrets []string
	if _, pass, ok := req.BasicAuth(); ok {
		// x/oauth2 query-escapes both parts.
		if p, err := url.QueryUnescape(pass); err == nil {
			secrets = append(secrets, p)
		}
		secrets = append(secrets, pass)
	}
	if req.GetBody == nil {
		return secrets
	}
	body, err := req.GetBody()
	if err != nil {
		return secrets
	}
	defer body.Close()
	data, _ := io.ReadAll(io.LimitReader(body, maxBodyBytes))
	form, _ := url.ParseQuery(string(data))
	for k, vs := range form {
		if restli.IsSensitiveName(k) {
			secrets = append(secrets, vs...)
		}
	}
	return secrets
}

// withToken returns a shallow copy of req with its own header carrying the
// token and what MiddlewareOptions.Header adds. The body is shared: the
// copy is what gets sent and closed.
func (t *tokenTransport) withToken(req *http.Request, authorization string) *http.Request {
	// One allocation for the request and, up to tokenInlineValues, the
	// header values; one for the map, sized for the added keys.
	c := new(tokenCopy)
	c.req = *req
	n := 1
	for _, v := range req.Header {
		n += len(v)
	}
	var all []string
	if n <= len(c.vals) {
		all = c.vals[:n]
	} else {
		all = make([]string, n)
	}
	h := make(http.Header, len(req.Header)+1+tokenHeaderRoom)
	for k, v := range req.Header {
		if k == "Authorization" {
			continue // present but empty: replaced
		}
		if v == nil {
			h[k] = nil
			continue
		}
		m := copy(all, v)
		h[k] = all[:m:m] // capped: an append reallocates
		all = all[m:]
	}
	all[0] = authorization
	h["Authorization"] = all[:1:1]
	c.req.Header = h
	if t.header != nil {
		t.header(req, h)
	}
	return &c.req
}

// tokenHeaderRoom is the room the copy's header map has for the keys
// MiddlewareOptions.Header adds (the default stack's three Rest.li headers).
const tokenHeaderRoom = 3

// tokenInlineValues is how many header values a tokenCopy holds without a
// separate array.
const tokenInlineValues = 8

// tokenCopy is a request copy and the backing array of its header values.
type tokenCopy struct {
	req  http.Request
	vals [tokenInlineValues]string
}

// bearerValue is an access token and its Authorization header value.
type bearerValue struct{ token, header string }

// authorization returns "Bearer <tok>", built once per token.
func (t *tokenTransport) authorization(tok string) string {
	if b := t.bearer.Load(); b != nil && b.token == tok {
		return b.header
	}
	b := &bearerValue{token: tok, header: "Bearer " + tok}
	t.bearer.Store(b)
	return b.header
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

type hostVerdict int

const (
	hostNotAllowed hostVerdict = iota
	hostAllowed
	hostInsecure // allowed, but plain http to a non-loopback host
)

// allowEntry is one AllowHosts entry: a normalised host and an optional port.
type allowEntry struct {
	host string
	port string // "" for any port
}

type allowList []allowEntry

func parseAllowList(hosts []string) (allowList, error) {
	l := make(allowList, 0, len(hosts))
	for _, h := range hosts {
		e, ok := parseAllowEntry(h)
		if !ok {
			return nil, fmt.Errorf("oauth: AllowHosts: invalid entry %q (want host or host:port)", h)
		}
		l = append(l, e)
	}
	return l, nil
}

func parseAllowEntry(s string) (allowEntry, bool) {
	if s == "" || strings.ContainsAny(s, "/@?#\\ \t") {
		return allowEntry{}, false
	}
	// A bare IPv6 address has colons but no port.
	if a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")); err == nil {
		return allowEntry{host: restli.NormalizeHost(a.String())}, true
	}
	host, port := s, ""
	if strings.Contains(s, ":") {
		h, p, err := net.SplitHostPort(s)
		if err != nil || !validPort(p) {
			return allowEntry{}, false
		}
		host, port = h, p
	}
	host = restli.NormalizeHost(host)
	if _, err := netip.ParseAddr(host); err == nil {
		return allowEntry{host: host, port: port}, true
	}
	if host == "" || strings.ContainsAny(host, ":[]") {
		return allowEntry{}, false
	}
	return allowEntry{host: host, port: port}, true
}

func validPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n > 0 && n <= 65535 && p[0] != '+' && p[0] != '-'
}

// check classifies a request URL. Only http and https URLs can be allowed.
func (l allowList) check(u *url.URL) hostVerdict {
	var defaultPort string
	scheme := strings.ToLower(u.Scheme)
	switch scheme {
	case "https":
		defaultPort = "443"
	case "http":
		defaultPort = "80"
	default:
		return hostNotAllowed
	}
	host, port := restli.NormalizeHost(u.Hostname()), u.Port()
	if port == "" {
		port = defaultPort
	}
	for _, e := range l {
		if e.host == host && (e.port == "" || e.port == port) {
			if scheme == "http" && !restli.IsLoopbackHost(host) {
				return hostInsecure
			}
			return hostAllowed
		}
	}
	return hostNotAllowed
}
