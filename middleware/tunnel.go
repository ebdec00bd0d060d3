package middleware

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/linkedin-go/linkedin/restli"
)

// Defaults and fixed limits of QueryTunnel (restli-protocol.md §7.1).
const (
	// DefaultMaxQueryLength is the longest encoded query string, without
	// the '?', that QueryTunnel sends as it is. LinkedIn rejects queries
	// over 4 KB with 414; the official clients tunnel above 4000 characters.
	DefaultMaxQueryLength = 4000
	// DefaultMaxURLLength is the longest URL (scheme, host, path and query)
	// that QueryTunnel sends as it is: LinkedIn rejects raw URLs over 8 KB.
	DefaultMaxURLLength = 8 << 10
	// DefaultMaxTunnelBodyBytes bounds how much of a request body
	// QueryTunnel reads to build a tunneled body.
	DefaultMaxTunnelBodyBytes = 16 << 20
	// MaxPathSegmentLength is the longest path segment LinkedIn accepts.
	// Tunneling moves the query only, so a request that must be tunneled
	// and has a longer segment fails with a *TunnelError.
	MaxPathSegmentLength = 4 << 10
)

// TunnelOptions configures QueryTunnel. The zero value means the defaults.
type TunnelOptions struct {
	// MaxQueryLength is the longest encoded query string (RawQuery, without
	// the '?') sent as it is; a longer one is tunneled. Zero means
	// DefaultMaxQueryLength (4000). A negative value tunnels every request
	// that has a query, which is mostly useful in tests.
	MaxQueryLength int
	// MaxURLLength is the longest whole URL (scheme://host/path?query) sent
	// as it is; a request with a longer one is tunneled even when its query
	// alone is short enough. Zero means DefaultMaxURLLength (8192).
	MaxURLLength int
	// MaxBodyBytes bounds how much of the original body is read to build
	// the tunneled body; a longer body fails with a *TunnelError. Zero
	// means DefaultMaxTunnelBodyBytes (16 MiB).
	MaxBodyBytes int64
}

// Reasons a request that needs tunneling cannot be tunneled, as found in
// TunnelError.Reason.
const (
	// TunnelReasonPathSegment: a path segment is longer than
	// MaxPathSegmentLength; only the query can move into the body.
	TunnelReasonPathSegment = "path_segment_too_long"
	// TunnelReasonPath: the URL without its query is still longer than
	// TunnelOptions.MaxURLLength.
	TunnelReasonPath = "path_too_long"
	// TunnelReasonMethod: a Rest.li server accepts only GET, POST, PUT,
	// DELETE and OPTIONS as X-HTTP-Method-Override.
	TunnelReasonMethod = "method_not_tunnelable"
	// TunnelReasonBodyTooLarge: the body is longer than
	// TunnelOptions.MaxBodyBytes.
	TunnelReasonBodyTooLarge = "body_too_large"
	// TunnelReasonBodyRead: reading the body failed (see Err).
	TunnelReasonBodyRead = "body_read"
	// TunnelReasonContentType: the body's Content-Type cannot be copied
	// into a MIME part header.
	TunnelReasonContentType = "bad_content_type"
)

// TunnelError reports a request whose URL is too long to send as it is but
// that QueryTunnel cannot rewrite. It never holds the query or the body.
type TunnelError struct {
	// Reason is one of the TunnelReason constants.
	Reason string
	// Method is the request's original HTTP method.
	Method string
	// Length is the offending length in bytes, when Reason is about one.
	Length int64
	// Limit is the limit Length exceeded.
	Limit int64
	// Err is the error that reading the body returned, for
	// TunnelReasonBodyRead.
	Err error
}

// Error implements error.
func (e *TunnelError) Error() string {
	var b strings.Builder
	b.WriteString("linkedin: query tunnel: cannot tunnel ")
	b.WriteString(e.Method)
	b.WriteString(" request: ")
	switch e.Reason {
	case TunnelReasonPathSegment:
		fmt.Fprintf(&b, "a path segment of %d bytes exceeds the %d-byte limit", e.Length, e.Limit)
	case TunnelReasonPath:
		fmt.Fprintf(&b, "the URL without its query is %d bytes, over the %d-byte limit", e.Length, e.Limit)
	case TunnelReasonMethod:
		b.WriteString("the method cannot be sent as X-HTTP-Method-Override")
	case TunnelReasonBodyTooLarge:
		fmt.Fprintf(&b, "the body exceeds %d bytes", e.Limit)
	case TunnelReasonBodyRead:
		b.WriteString("reading the body: ")
		if e.Err != nil {
			b.WriteString(e.Err.Error())
		}
	case TunnelReasonContentType:
		b.WriteString("the body's Content-Type is not a valid header value")
	default:
		b.WriteString(e.Reason)
	}
	return b.String()
}

// Unwrap returns the body read error, if any.
func (e *TunnelError) Unwrap() error { return e.Err }

// Is reports whether target is restli.ErrNotSent: a request that cannot be
// tunneled is never sent, so it is neither a host failure for the breaker
// nor a write that may have been applied.
func (e *TunnelError) Is(target error) bool { return target == restli.ErrNotSent }

// ErrorType returns a low-cardinality name for the error, for the
// error.type attribute of OpenTelemetry: "tunnel." followed by the reason.
func (e *TunnelError) ErrorType() string { return "tunnel." + e.Reason }

// QueryTunnel returns a layer that tunnels requests whose URL is too long
// for LinkedIn (restli-protocol.md §7): a request whose encoded query is
// longer than MaxQueryLength, or whose whole URL is longer than
// MaxURLLength, is sent as POST to the same path with
// X-HTTP-Method-Override set to the original method (DELETE stays DELETE)
// and the query moved into the body:
//
//   - without a body, the body is the raw query string byte for byte, as
//     application/x-www-form-urlencoded;
//   - with a body, it is multipart/mixed with two parts separated by CRLF
//     line ends: the query as application/x-www-form-urlencoded, then the
//     original body with its original Content-Type (application/json when it
//     had none), under a random boundary checked to occur in neither part.
//
// Every other header, X-RestLi-Method included, is kept. The tunneled
// request has Content-Length and GetBody set, so it can be replayed; the
// caller's request is never modified. A body that is not replayable is read
// once, up to MaxBodyBytes. A request that already carries
// X-HTTP-Method-Override is taken as tunneled and passes through, and so
// does every request whose URL is short enough, without allocating.
//
// A request that needs tunneling but cannot be tunneled (a path segment over
// MaxPathSegmentLength, a method other than GET, POST, PUT, DELETE or
// OPTIONS, a body that is too long or cannot be read) fails with a
// *TunnelError before anything is sent.
func QueryTunnel(opts TunnelOptions) func(http.RoundTripper) http.RoundTripper {
	if opts.MaxQueryLength == 0 {
		opts.MaxQueryLength = DefaultMaxQueryLength
	}
	if opts.MaxURLLength <= 0 {
		opts.MaxURLLength = DefaultMaxURLLength
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxTunnelBodyBytes
	}
	return func(next http.RoundTripper) http.RoundTripper {
		return &tunnelTransport{next: next, opts: opts}
	}
}

// tunnelTransport is the QueryTunnel layer.
type tunnelTransport struct {
	next http.RoundTripper
	opts TunnelOptions
}

// RoundTrip implements http.RoundTripper.
func (t *tunnelTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !t.needed(req) {
		return t.next.RoundTrip(req)
	}
	r2, err := t.tunnel(req)
	if err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	resp, err := t.next.RoundTrip(r2)
	if resp != nil {
		// The answer is to the caller's logical request: its URL, query
		// included, is the one the response reports (restli's FinalURL).
		resp.Request = req
	}
	return resp, err
}

// needed reports whether req must be tunneled. It does not allocate.
func (t *tunnelTransport) needed(req *http.Request) bool {
	u := req.URL
	if u == nil || u.RawQuery == "" {
		return false
	}
	if _, ok := req.Header[hdrMethodOverride]; ok {
		return false // already tunneled
	}
	if len(u.RawQuery) > t.opts.MaxQueryLength {
		return true
	}
	return tunnelURLLength(u) > t.opts.MaxURLLength
}

// tunnelURLLength returns the length of u as scheme://host/path?query,
// computing the escaped path exactly (which may allocate) only when a cheap
// estimate cannot decide against the limit.
func tunnelURLLength(u *url.URL) int {
	n := len(u.Scheme) + len("://") + len(u.Host) + len("?") + len(u.RawQuery)
	switch {
	case u.Opaque != "":
		return n + len(u.Opaque)
	case u.RawPath != "":
		// EscapedPath prefers RawPath when it is a valid encoding of Path,
		// and otherwise escapes Path; either is at least len(Path).
		return n + max(len(u.RawPath), len(u.Path))
	case !tunnelNeedsEscaping(u.Path):
		return n + len(u.Path)
	default:
		return n + len(u.EscapedPath())
	}
}

// tunnelNeedsEscaping reports whether net/url would escape any byte of a
// path: it leaves only unreserved characters and "$&+,/:;=@" as they are
// (parentheses, '!', '*' and the apostrophe are escaped in a path).
func tunnelNeedsEscaping(p string) bool {
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("-._~$&+,/:;=@", c) >= 0:
		default:
			return true
		}
	}
	return false
}

// tunnelMethods are the overrides a Rest.li server accepts (§7.4).
func tunnelMethodAllowed(m string) bool {
	switch m {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

const (
	tunnelFormType      = "application/x-www-form-urlencoded"
	tunnelDefaultCT     = "application/json"
	tunnelMultipartType = "multipart/mixed; boundary="
)

// tunnel builds the tunneled copy of req. On error the caller closes
// req.Body; on success req.Body has been read and closed.
func (t *tunnelTransport) tunnel(req *http.Request) (*http.Request, error) {
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	if !tunnelMethodAllowed(method) {
		return nil, &TunnelError{Reason: TunnelReasonMethod, Method: method}
	}
	u2 := *req.URL
	u2.RawQuery = ""
	u2.ForceQuery = false
	if err := tunnelCheckPath(&u2, method, t.opts.MaxURLLength); err != nil {
		return nil, err
	}

	// The body's Content-Type goes into a MIME part header: refuse one that
	// would break out of it before the body is consumed.
	ct := req.Header.Get(hdrContentType)
	if ct == "" {
		ct = tunnelDefaultCT
	}
	if strings.ContainsAny(ct, "\r\n") {
		return nil, &TunnelError{Reason: TunnelReasonContentType, Method: method}
	}

	body, err := t.readBody(req, method)
	if err != nil {
		return nil, err
	}

	query := req.URL.RawQuery
	c := new(hdrCopy)
	h, spare := hdrCloneHeader(req.Header, 2, c.vals[:])
	delete(h, hdrContentLength)
	spare[0] = method
	h[hdrMethodOverride] = spare[0:1:1]
	setCT := func(ct string) { spare[1] = ct; h[hdrContentType] = spare[1:2:2] }

	c.req = *req
	r2 := &c.req
	r2.Method = http.MethodPost
	r2.URL = &u2
	r2.Header = h
	r2.TransferEncoding = nil

	if len(body) == 0 {
		setCT(tunnelFormType)
		r2.ContentLength = int64(len(query))
		r2.Body = io.NopCloser(strings.NewReader(query))
		r2.GetBody = func() (io.ReadCloser, error) {
			return io.NopCloser(strings.NewReader(query)), nil
		}
		return r2, nil
	}

	boundary := tunnelBoundary(query, body)
	buf := tunnelMultipart(boundary, query, ct, body)
	setCT(tunnelMultipartType + boundary)
	r2.ContentLength = int64(len(buf))
	r2.Body = io.NopCloser(bytes.NewReader(buf))
	r2.GetBody = func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(buf)), nil
	}
	return r2, nil
}

// tunnelCheckPath fails when the URL would still be rejected once its query
// is gone: a path segment over MaxPathSegmentLength, or a path over the URL
// limit.
func tunnelCheckPath(u *url.URL, method string, maxURL int) error {
	p := u.EscapedPath()
	if u.Opaque != "" {
		p = u.Opaque
	}
	for seg := range strings.SplitSeq(p, "/") {
		if len(seg) > MaxPathSegmentLength {
			return &TunnelError{Reason: TunnelReasonPathSegment, Method: method,
				Length: int64(len(seg)), Limit: MaxPathSegmentLength}
		}
	}
	if n := len(u.Scheme) + len("://") + len(u.Host) + len(p); n > maxURL {
		return &TunnelError{Reason: TunnelReasonPath, Method: method,
			Length: int64(n), Limit: int64(maxURL)}
	}
	return nil
}

// readBody reads and closes req.Body, up to MaxBodyBytes.
func (t *tunnelTransport) readBody(req *http.Request, method string) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	limit := t.opts.MaxBodyBytes
	var buf bytes.Buffer
	if req.ContentLength > 0 && req.ContentLength <= limit {
		buf.Grow(int(req.ContentLength))
	}
	_, err := buf.ReadFrom(io.LimitReader(req.Body, limit+1))
	req.Body.Close()
	if err != nil {
		return nil, &TunnelError{Reason: TunnelReasonBodyRead, Method: method, Err: err}
	}
	if int64(buf.Len()) > limit {
		return nil, &TunnelError{Reason: TunnelReasonBodyTooLarge, Method: method, Limit: limit}
	}
	return buf.Bytes(), nil
}

// tunnelBoundary returns a random MIME boundary that occurs in neither the
// query nor the body. rand.Text gives 26 base32 characters (130 bits), all
// valid in a boundary; a collision is astronomically unlikely, and checked.
func tunnelBoundary(query string, body []byte) string {
	for {
		b := "linkedin-go-" + rand.Text()
		if !strings.Contains(query, b) && !bytes.Contains(body, []byte(b)) {
			return b
		}
	}
}

// tunnelMultipart lays out the multipart/mixed body of §7.3 exactly: the
// query part first, then the body part, CRLF line ends, each part with only
// a Content-Type header, ending with the close delimiter and no final CRLF
// (as LinkedIn's own clients do).
func tunnelMultipart(boundary, query, contentType string, body []byte) []byte {
	const (
		crlf     = "\r\n"
		ctHeader = "Content-Type: "
	)
	n := 2*(2+len(boundary)+2) + len(ctHeader) + len(tunnelFormType) + 4 + len(query) + 2 +
		len(ctHeader) + len(contentType) + 4 + len(body) + 2 + 2 + len(boundary) + 2
	buf := make([]byte, 0, n)
	buf = append(buf, "--"...)
	buf = append(buf, boundary...)
	buf = append(buf, crlf+ctHeader+tunnelFormType+crlf+crlf...)
	buf = append(buf, query...)
	buf = append(buf, crlf+"--"...)
	buf = append(buf, boundary...)
	buf = append(buf, crlf+ctHeader...)
	buf = append(buf, contentType...)
	buf = append(buf, crlf+crlf...)
	buf = append(buf, body...)
	buf = append(buf, crlf+"--"...)
	buf = append(buf, boundary...)
	buf = append(buf, "--"...)
	return buf
}
