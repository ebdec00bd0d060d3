// This file holds the request builder: NewHTTPRequest validates a request,
// expands its path, encodes its query and body, and sets the Rest.li headers
// and the call's CallInfo on the canonical *http.Request.

package restli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// Header names and values the builder sets. Keys are in canonical form so
// they can be stored without canonicalisation.
const (
	emptyString          = "''" // "" in Rest.li 2.0, and so a zero URN
	headerRestliMethod   = "X-Restli-Method"
	headerProtocol       = "X-Restli-Protocol-Version"
	headerVersion        = "Linkedin-Version"
	headerAccept         = "Accept"
	headerContentType    = "Content-Type"
	headerAuthorization  = "Authorization"
	protocolVersion      = "2.0.0"
	contentTypeJSON      = "application/json"
	defaultVersionedBase = "https://api.linkedin.com/rest"
	defaultLegacyBase    = "https://api.linkedin.com/v2"
)

// ProtocolVersion is the Rest.li protocol version this package speaks, sent
// in X-RestLi-Protocol-Version.
const ProtocolVersion = protocolVersion

// reservedParams are query parameters the builder sets from request fields;
// QueryParams may not set them.
var reservedParams = [...]struct{ name, field string }{
	{"q", "FinderName"},
	{"bq", "FinderName"},
	{"ids", "IDs"},
	{"action", "ActionName"},
}

// prepared is a validated request, ready to become an *http.Request.
type prepared struct {
	// ctx is the call's context, which also bounds decoding its answer.
	ctx    context.Context
	method Method
	b      requestBase
	finder string
	action string
	// extra holds the query parameters the method itself adds (q, ids, ...),
	// in extraBuf: no method adds more than two.
	extra    []param
	extraBuf [2]param
	// body is the value sent as JSON; hasBody distinguishes a nil entity.
	body    any
	hasBody bool
}

type param struct {
	name  string
	value any
}

func (p *prepared) setBody(v any) { p.body, p.hasBody = v, true }

// NewHTTPRequest builds the canonical *http.Request for r: method, URL with
// Rest.li-encoded path keys and query, JSON body, the Rest.li headers
// (X-RestLi-Method, X-RestLi-Protocol-Version, LinkedIn-Version when a version
// applies, Accept, Content-Type) and the call's CallInfo in its context. The
// request can be sent through any http.Client. Invalid input yields a
// *ValidationError and no request.
func (c *Client) NewHTTPRequest(ctx context.Context, r Request) (*http.Request, error) {
	req, _, err := c.build(ctx, r)
	return req, err
}

// NewHTTPRequest builds the canonical request for r as a Client made with
// opts would; see Client.NewHTTPRequest.
func NewHTTPRequest(ctx context.Context, r Request, opts ...ClientOption) (*http.Request, error) {
	return NewClient(nil, opts...).NewHTTPRequest(ctx, r)
}

func (c *Client) build(ctx context.Context, r Request) (*http.Request, *prepared, error) {
	if r == nil {
		return nil, nil, invalid("Request", "is nil", nil)
	}
	if ctx == nil {
		return nil, nil, invalid("ctx", "is nil", nil)
	}
	p := &prepared{ctx: ctx, method: r.RestliMethod(), b: r.base()}
	p.extra = p.extraBuf[:0]
	if err := r.prepare(p); err != nil {
		return nil, nil, err
	}
	// The query is encoded first: the zero-URN check reads it (a query
	// without '' holds no zero URN), and the URL is then allocated once at
	// its size. Its own errors still come after the path's.
	st := encScratch()
	q, qerr := p.appendQuery(append(st.buf, '?'), &st.shapes)
	defer func() { st.release(q) }()
	if err := p.checkZeroURNs(qerr != nil || bytes.Contains(q, []byte(emptyString))); err != nil { // build_check.go
		return nil, nil, err
	}

	version := p.b.Version
	if version == "" {
		version = c.version
	}
	if !validHeaderValue(version) {
		return nil, nil, invalid("Version", "contains characters not allowed in a header", nil)
	}
	if !validHeaderValue(p.b.AccessToken) {
		return nil, nil, invalid("AccessToken", "contains characters not allowed in a header", nil)
	}
	if version != "" {
		if err := ValidateVersion(version); err != nil {
			return nil, nil, err
		}
	}
	if err := checkHeaders(p.b.Header); err != nil {
		return nil, nil, err
	}
	if err := checkBaseURL(c.baseURL); err != nil {
		return nil, nil, err
	}

	var u strings.Builder
	base := c.baseURL
	if base == "" {
		base = defaultLegacyBase
		if version != "" {
			base = defaultVersionedBase
		}
	}
	u.Grow(len(base) + len(p.b.ResourcePath) + len(q) + 64) // 64 to spare for the path keys
	u.WriteString(base)
	err := expandPath(&u, p.b.ResourcePath, p.b.PathKeys)
	if err == nil {
		err = checkDotSegments(p.b.ResourcePath, u.String()[len(base):])
	}
	if err == nil {
		err = qerr
	}
	if err == nil && len(q) > 1 {
		u.Write(q)
	}
	if err != nil {
		return nil, nil, err
	}

	var body io.Reader
	var bodyBytes []byte
	if p.hasBody {
		bodyBytes, err = json.Marshal(p.body)
		if err != nil {
			return nil, nil, invalid("body", "cannot be marshalled to JSON", err)
		}
		body = bytes.NewReader(bodyBytes)
	}

	info := CallInfo{
		Method:     p.method,
		Resource:   p.b.ResourcePath,
		Finder:     p.finder,
		Action:     p.action,
		Version:    version,
		Idempotent: p.method.Idempotent(),
	}
	req, err := http.NewRequestWithContext(ContextWithCallInfo(ctx, info), p.method.HTTPMethod(), u.String(), body)
	if err != nil {
		// The URL is built from encoded parts, so this is a bad base URL. Do
		// not echo the URL: its query may hold secrets.
		return nil, nil, invalid("BaseURL", "does not form a valid URL", nil)
	}
	h := make(http.Header, 8)
	// One array holds the values of the headers set here, each slice
	// capped at its length so that an append reallocates.
	vals := make([]string, 0, 6)
	set := func(k, v string) {
		vals = append(vals, v)
		h[k] = vals[len(vals)-1 : len(vals) : len(vals)]
	}
	set(headerRestliMethod, string(p.method))
	set(headerProtocol, protocolVersion)
	set(headerAccept, contentTypeJSON)
	if p.hasBody {
		set(headerContentType, contentTypeJSON)
	}
	if version != "" {
		set(headerVersion, version)
	}
	if p.b.AccessToken != "" {
		set(headerAuthorization, "Bearer "+p.b.AccessToken)
	}
	for k, vs := range p.b.Header {
		h[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	req.Header = h
	return req, p, nil
}

// appendQuery appends the encoded query string to dst: QueryParams plus
// the parameters the method adds.
func (p *prepared) appendQuery(dst []byte, sh *encShapes) ([]byte, error) {
	qp, err := projectionLists(p.b.QueryParams) // build_check.go
	if err != nil {
		return dst, err
	}
	for _, r := range reservedParams {
		if _, ok := qp[r.name]; ok {
			return dst, invalid("QueryParams", "must not set the reserved parameter "+strconv.Quote(r.name)+"; use the request's "+r.field+" field", nil)
		}
	}
	for _, e := range p.extra {
		if _, ok := qp[e.name]; ok {
			return dst, invalid("QueryParams", "must not set "+strconv.Quote(e.name)+", which the request sets", nil)
		}
	}
	out, err := appendParamsWith(dst, qp, p.extra, sh)
	if err != nil {
		return dst, invalid("QueryParams", "cannot be encoded", err)
	}
	return out, nil
}

// expandPath writes tmpl to w with each {placeholder} replaced by the
// path-encoded key of the same name. Every placeholder needs a key and every
// key a placeholder.
func expandPath(w *strings.Builder, tmpl string, keys map[string]any) error {
	if tmpl == "" || tmpl[0] != '/' {
		return invalid("ResourcePath", "must start with '/'", nil)
	}
	used := 0
	var seen []string
	for i := 0; i < len(tmpl); {
		c := tmpl[i]
		switch {
		case c == '{':
			j := strings.IndexByte(tmpl[i:], '}')
			if j < 0 {
				return invalid("ResourcePath", "has an unclosed '{'", nil)
			}
			name := tmpl[i+1 : i+j]
			if name == "" || strings.ContainsAny(name, "{/") {
				return invalid("ResourcePath", "has a malformed placeholder", nil)
			}
			v, ok := keys[name]
			if !ok {
				return invalid("PathKeys", "has no key for placeholder {"+name+"}", nil)
			}
			if v == nil {
				return invalid("PathKeys["+name+"]", "is nil", nil)
			}
			enc, err := EncodePathKey(v)
			if err != nil {
				return invalid("PathKeys["+name+"]", "cannot be encoded", err)
			}
			if enc == "''" && !isCompoundValue(v) {
				return invalid("PathKeys["+name+"]", "is an empty simple key, which Rest.li cannot address", nil)
			}
			if whole := tmpl[i-1] == '/' && (i+j+1 == len(tmpl) || tmpl[i+j+1] == '/'); whole {
				if err := checkDotKey(name, enc); err != nil {
					return err
				}
			}
			w.WriteString(enc)
			if !contains(seen, name) {
				seen = append(seen, name)
				used++
			}
			i += j + 1
		case c == '}':
			return invalid("ResourcePath", "has an unmatched '}'", nil)
		case !pathTemplateChar(c):
			return invalid("ResourcePath", "contains a character that is not allowed in a URL path; put values in PathKeys", nil)
		default:
			w.WriteByte(c)
			i++
		}
	}
	if used != len(keys) {
		var extra []string
		for k := range keys {
			if !contains(seen, k) {
				extra = append(extra, k)
			}
		}
		sort.Strings(extra)
		return invalid("PathKeys", "has keys with no placeholder in ResourcePath: "+strings.Join(extra, ", "), nil)
	}
	return nil
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// pathTemplateChar reports whether c may appear literally in a resource
// path template: unreserved characters, sub-delimiters, ':', '@' and '/'.
func pathTemplateChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!$&'()*+,;=:@/", c) >= 0
}
