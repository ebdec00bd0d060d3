package middleware

import (
	"net/http"
	"slices"
	"strings"

	"github.com/linkedin-go/linkedin/restli"
)

// moduleVersion is this module's version, as the User-Agent token
// "linkedin-go/<version>" that UserAgent appends shows it. It is not
// exported: it describes the module, not the header layers, and nothing
// outside them needs it (read it from the User-Agent a request carries).
const moduleVersion = "0.1.0"

// hdrUserAgentToken is the module's own User-Agent product token.
const hdrUserAgentToken = "linkedin-go/" + moduleVersion

// Header names in canonical form, so a lookup is a plain map index that
// neither canonicalizes nor allocates.
const (
	hdrProtocolVersion = "X-Restli-Protocol-Version" // X-RestLi-Protocol-Version
	hdrLinkedInVersion = "Linkedin-Version"          // LinkedIn-Version
	hdrUserAgent       = "User-Agent"
	hdrRestliMethod    = "X-Restli-Method"        // X-RestLi-Method
	hdrMethodOverride  = "X-Http-Method-Override" // X-HTTP-Method-Override
	hdrContentType     = "Content-Type"
	hdrContentLength   = "Content-Length"
)

// hdrProtocolVersionValue is the Rest.li protocol version the module speaks.
const hdrProtocolVersionValue = "2.0.0"

// ProtocolVersion returns a layer that sets X-RestLi-Protocol-Version: 2.0.0
// on Rest.li requests that carry no such header. LinkedIn assumes protocol
// 1.0 when the header is missing, which encodes keys and query values
// differently.
//
// A Rest.li request is one restli built (restli.CallInfoFromContext), one
// that carries X-RestLi-Method, or one for LinkedIn's API host
// api.linkedin.com. Other requests, such as the plain PUT of an upload to
// the URL LinkedIn hands out, pass through without the header.
//
// A header counts as present when the request has any value for it, even an
// empty one, so a value set per call always wins. Requests that already
// carry the header pass through without being copied.
func ProtocolVersion() func(http.RoundTripper) http.RoundTripper {
	return hdrLayer(hdrProtocolVersion, hdrProtocolVersionValue, true, nil)
}

// LinkedInVersion returns a layer that sets LinkedIn-Version: v (for
// example "202601") on Rest.li requests (as ProtocolVersion defines them)
// that carry no such header, so the version a call sets itself wins. An
// empty v makes the layer a no-op. A v that is not
// a LinkedIn-Version (restli.ValidateVersion) makes a layer that sends
// nothing: every request fails with an error wrapping the
// *restli.ValidationError, restli.ErrNotSent and restli.ErrPermanent.
func LinkedInVersion(v string) func(http.RoundTripper) http.RoundTripper {
	return linkedInVersion(v, nil)
}

// linkedInVersion is LinkedInVersion with more API hosts (see Headers).
func linkedInVersion(v string, hosts []string) func(http.RoundTripper) http.RoundTripper {
	if v == "" {
		return hdrIdentity
	}
	if hdrCheckValue(hdrLinkedInVersion, v) == nil { // control characters: hdrLayer refuses
		if err := restli.ValidateVersion(v); err != nil {
			return func(next http.RoundTripper) http.RoundTripper {
				return hdrRefuse{next: next, key: hdrLinkedInVersion, err: &versionError{err: err}, restliOnly: true, hosts: hosts}
			}
		}
	}
	return hdrLayer(hdrLinkedInVersion, v, true, hosts)
}

// UserAgent returns a layer that sets User-Agent to s followed by the
// module's token "linkedin-go/<Version>" (just the token when s is empty) on
// every request (Rest.li or not) that carries no User-Agent. A request whose User-Agent is present,
// even set to the empty string (which tells net/http to send none), is left
// as it is.
func UserAgent(s string) func(http.RoundTripper) http.RoundTripper {
	return hdrLayer(hdrUserAgent, hdrUserAgentValue(s), false, nil)
}

// hdrUserAgentValue is the User-Agent UserAgent(s) sets.
func hdrUserAgentValue(s string) string {
	if s == "" {
		return hdrUserAgentToken
	}
	return s + " " + hdrUserAgentToken
}

// hdrIdentity is the layer that does nothing.
func hdrIdentity(next http.RoundTripper) http.RoundTripper { return next }

// hdrLayer returns a layer that sets the canonical header key to value when
// the request has no value for it and, when restliOnly is set, is a Rest.li
// request (hdrIsRestli with hosts).
//
// Header layers stacked directly on one another (with the same hosts) fuse
// into one transport that copies the request at most once for all of them:
// wrapping a *hdrTransport takes over its headers and its next. The outer
// layer's value wins for a key both set, as it would unfused.
func hdrLayer(key, value string, restliOnly bool, hosts []string) func(http.RoundTripper) http.RoundTripper {
	if err := hdrCheckValue(key, value); err != nil {
		return func(next http.RoundTripper) http.RoundTripper {
			return hdrRefuse{next: next, key: key, err: err, restliOnly: restliOnly, hosts: hosts}
		}
	}
	return func(next http.RoundTripper) http.RoundTripper {
		kvs := []hdrKV{{key: key, value: value, restliOnly: restliOnly, vals: []string{value}}}
		if in, ok := next.(*hdrTransport); ok && slices.Equal(in.hosts, hosts) {
			for _, kv := range in.kvs {
				if kv.key != key {
					kvs = append(kvs, kv)
				}
			}
			next = in.next
		}
		return &hdrTransport{next: next, kvs: kvs, hosts: hosts}
	}
}

// hdrKV is a header a hdrTransport sets where absent (on Rest.li requests
// only, when restliOnly is set).
type hdrKV struct {
	key, value string
	restliOnly bool
	vals       []string // {value}: shared by every request add gives it (len = cap = 1)
}

// hdrTransport sets headers where they are absent.
type hdrTransport struct {
	next  http.RoundTripper
	kvs   []hdrKV  // canonical keys, distinct
	hosts []string // more API hosts (Headers), lower case; read-only
}

// RoundTrip implements http.RoundTripper.
func (t *hdrTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	missing := 0
	restliReq := hdrUnknown
	for i := range t.kvs {
		if t.wants(req.Header, req, &t.kvs[i], &restliReq) {
			missing++
		}
	}
	if missing == 0 {
		return t.next.RoundTrip(req)
	}
	return t.next.RoundTrip(t.withHeaders(req, missing, restliReq))
}

// withHeaders returns a copy of req with the missing headers added. It is
// a function of its own so that RoundTrip, whose frame stays on the stack
// for the whole request, keeps a small frame.
func (t *hdrTransport) withHeaders(req *http.Request, missing, restliReq int) *http.Request {
	// A shallow copy with a deep copy of the header: body, URL and context
	// are shared, which is all a layer that only adds headers needs; the
	// caller's request and its header values are never touched, whatever
	// the layers below do to the copy. Two allocations in all: the map, and
	// the request with room for up to hdrInlineValues values.
	c := new(hdrCopy)
	c.req = *req
	r2 := &c.req
	h, spare := hdrCloneHeader(req.Header, missing, c.vals[:])
	for i := range t.kvs {
		if kv := &t.kvs[i]; t.wants(req.Header, req, kv, &restliReq) {
			spare[0] = kv.value
			h[kv.key] = spare[:1:1]
			spare = spare[1:]
		}
	}
	r2.Header = h
	return r2
}

// Whether a request is a Rest.li request, worked out once per request and
// only when a Rest.li-only header is missing.
const (
	hdrUnknown = iota
	hdrRestli
	hdrOther
)

// add adds to h, the header of a copy of req that the caller owns, the
// headers RoundTrip would add to req. The values are shared read-only
// slices of length and capacity 1: an Add on the copy reallocates, and a
// RoundTripper never writes into a request's values.
func (t *hdrTransport) add(req *http.Request, h http.Header) {
	restliReq := hdrUnknown
	for i := range t.kvs {
		if kv := &t.kvs[i]; t.wants(h, req, kv, &restliReq) {
			h[kv.key] = kv.vals
		}
	}
}

// wants reports whether kv must be added to h, the header of req or of a
// copy of it: the header is absent and, for a Rest.li-only header, req is
// a Rest.li request. It does not allocate.
func (t *hdrTransport) wants(h http.Header, req *http.Request, kv *hdrKV, restliReq *int) bool {
	if _, ok := h[kv.key]; ok {
		return false
	}
	if !kv.restliOnly {
		return true
	}
	if *restliReq == hdrUnknown {
		*restliReq = hdrOther
		if hdrIsRestli(req, t.hosts) {
			*restliReq = hdrRestli
		}
	}
	return *restliReq == hdrRestli
}

// hdrAPIHost is LinkedIn's API host: requests for it are Rest.li requests.
const hdrAPIHost = "api.linkedin.com"

// hdrIsRestli reports whether req is a Rest.li request: built by restli (its
// context carries a restli.CallInfo), carrying X-RestLi-Method, or for
// LinkedIn's API host (any port, any letter case) or one of hosts (an entry
// "host" matches any port, "host:port" that port). It does not allocate.
func hdrIsRestli(req *http.Request, hosts []string) bool {
	if _, ok := req.Header[hdrRestliMethod]; ok {
		return true
	}
	if _, ok := restli.CallInfoFromContext(req.Context()); ok {
		return true
	}
	if req.URL == nil {
		return false
	}
	hostPort := req.URL.Host
	host := hostPort
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		host = host[:i]
	}
	host = strings.TrimSuffix(host, ".")
	if strings.EqualFold(host, hdrAPIHost) {
		return true
	}
	for _, h := range hosts {
		if strings.EqualFold(h, host) || strings.EqualFold(h, hostPort) {
			return true
		}
	}
	return false
}

// hdrInlineValues is how many header values a hdrCopy holds without a
// separate array: enough for the headers restli's request builder sets and
// those the layers add.
const hdrInlineValues = 8

// hdrCopy is a request copy and the backing array of its header values.
type hdrCopy struct {
	req  http.Request
	vals [hdrInlineValues]string
}

// hdrCloneHeader is http.Header.Clone with room for extra more keys, whose
// values the caller puts in spare (len extra), which shares the one backing
// array of all values: buf when it is long enough. Each value slice is
// capped at its length, so an append on the copy reallocates instead of
// writing into its neighbour.
func hdrCloneHeader(h http.Header, extra int, buf []string) (clone http.Header, spare []string) {
	n := extra
	for _, v := range h {
		n += len(v)
	}
	var all []string
	if n <= len(buf) {
		all = buf[:n]
	} else {
		all = make([]string, n)
	}
	h2 := make(http.Header, len(h)+extra)
	for k, v := range h {
		if v == nil {
			h2[k] = nil
			continue
		}
		m := copy(all, v)
		h2[k] = all[:m:m]
		all = all[m:]
	}
	return h2, all
}

// hdrCheckValue returns the error of a header layer configured with a
// value net/http would refuse to send: one with a control character other
// than a tab.
func hdrCheckValue(key, value string) error {
	for i := 0; i < len(value); i++ {
		if c := value[i]; c < ' ' && c != '\t' || c == 0x7f {
			return &restli.ValidationError{Field: key, Reason: "contains a control character (CR, LF, NUL…)", Err: errRefused}
		}
	}
	return nil
}

// errRefused is the cause of a refusal by a layer whose configuration is
// invalid: nothing was sent, and no resend can help.
var errRefused = refusedError{}

type refusedError struct{}

func (refusedError) Error() string   { return "nothing was sent" }
func (refusedError) Unwrap() []error { return []error{restli.ErrNotSent, restli.ErrPermanent} }

// hdrRefuse is a header layer with an invalid value: it fails every
// request that would get the value without sending it, and passes on those
// that carry the header already (and, for a Rest.li-only header, those that
// are not Rest.li requests).
type hdrRefuse struct {
	next       http.RoundTripper
	key        string
	err        error
	restliOnly bool
	hosts      []string
}

// RoundTrip implements http.RoundTripper.
func (t hdrRefuse) RoundTrip(req *http.Request) (*http.Response, error) {
	if _, ok := req.Header[t.key]; ok || t.restliOnly && !hdrIsRestli(req, t.hosts) {
		return t.next.RoundTrip(req)
	}
	if req.Body != nil {
		req.Body.Close()
	}
	return nil, t.err
}
