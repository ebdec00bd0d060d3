// This file holds the Client, its options, and send: one call's request
// over the http.Client, with a non-2xx answer turned into an *Error and a
// failure to get one into a *TransportError.

package restli

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// DefaultMaxResponseBytes bounds the size of a response body the client
// decodes, unless WithMaxResponseBytes says otherwise.
const DefaultMaxResponseBytes = 64 << 20

// Client makes Rest.li calls through an *http.Client. It is safe for
// concurrent use. The http.Client decides how requests travel: use
// transport.NewClient for LinkedIn's default stack (retries, circuit
// breaker, query tunneling, OAuth, telemetry), or any client of your own.
type Client struct {
	hc               *http.Client
	baseURL          string
	version          string
	maxResponseBytes int64
}

// ClientOption configures a Client.
type ClientOption func(*Client)

// WithBaseURL sets the URL every resource path is appended to, used verbatim
// (a trailing slash is dropped). By default calls that carry a
// LinkedIn-Version go to https://api.linkedin.com/rest and others to
// https://api.linkedin.com/v2.
func WithBaseURL(u string) ClientOption {
	return func(c *Client) { c.baseURL = strings.TrimSuffix(u, "/") }
}

// WithVersion sets the LinkedIn-Version (e.g. "202601") for calls whose
// request sets none.
func WithVersion(v string) ClientOption {
	return func(c *Client) { c.version = v }
}

// WithMaxResponseBytes bounds the size of response bodies the client reads
// (DefaultMaxResponseBytes by default). A larger body fails the call with an
// error wrapping ErrResponseTooLarge. n <= 0 restores the default.
func WithMaxResponseBytes(n int64) ClientOption {
	return func(c *Client) {
		if n <= 0 {
			n = DefaultMaxResponseBytes
		}
		c.maxResponseBytes = n
	}
}

// NewClient returns a Client that sends requests with httpClient (a plain
// &http.Client{} when nil).
func NewClient(httpClient *http.Client, opts ...ClientOption) *Client {
	if httpClient == nil {
		httpClient = &http.Client{}
	}
	c := &Client{hc: httpClient, maxResponseBytes: DefaultMaxResponseBytes}
	for _, o := range opts {
		o(c)
	}
	return c
}

// HTTPClient returns the *http.Client the client sends with.
func (c *Client) HTTPClient() *http.Client { return c.hc }

// send builds and sends r. On success it returns the response with its body
// open (the caller decodes and closes it). A non-2xx answer is read, closed
// and returned as *Error; a failure to get a response is a *TransportError.
func (c *Client) send(ctx context.Context, r Request) (*http.Response, *prepared, error) {
	req, p, err := c.build(ctx, r)
	if err != nil {
		return nil, nil, err
	}
	resp, err := c.hc.Do(req)
	if err == nil && resp.Request == nil {
		resp.Request = req // a RoundTripper that does not set it; FinalURL reads it
	}
	if err != nil {
		return nil, p, &TransportError{
			Method:       p.method,
			Resource:     p.b.ResourcePath,
			MaybeApplied: !p.method.Idempotent() && !NotSent(err),
			Err:          redactError(err, req),
		}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, DefaultMaxErrorBodyBytes))
		DrainAndClose(resp.Body)
		e := parseError(resp.StatusCode, resp.Header, body)
		e.Method, e.Resource, e.Version = p.method, p.b.ResourcePath, requestedVersion(resp, req)
		return nil, p, e
	}
	return resp, p, nil
}

// ErrNotSent is wrapped by errors of layers that refuse to send a request
// (an open circuit breaker, for example), so callers know the server never
// saw it.
var ErrNotSent = errors.New("restli: request not sent")

// ErrPermanent is wrapped by errors of layers that refuse a request for a
// reason no resend can fix (a token sent over plain http, a broken
// configuration, a member who must authorize again), so the retry layer
// stops at once.
var ErrPermanent = errors.New("restli: permanent failure")

// redactError returns err with the URL of a *url.Error (net/http puts the
// request URL, query included, in every transport error) redacted, and,
// when the text of its cause still shows a credential of req or a URL (an
// unparsable Location header a server echoed a token into), that cause
// replaced by its redacted text.
func redactError(err error, req *http.Request) error {
	ue, ok := err.(*url.Error)
	if !ok {
		if msg, clean := err.Error(), RedactRequestText(err.Error(), req); clean != msg {
			return &redactedError{msg: clean, err: err}
		}
		return err
	}
	inner := ue.Err
	if inner != nil {
		if msg, clean := inner.Error(), RedactRequestText(inner.Error(), req); clean != msg {
			inner = &redactedError{msg: clean, err: inner}
		}
	}
	return &url.Error{Op: ue.Op, URL: RedactURL(ue.URL), Err: inner}
}

// redactedError stands for an error whose text showed a secret: its text
// is redacted, and it unwraps to what the original wrapped (not to the
// original, whose text is the problem), so errors.Is and errors.As still
// find the causes below it.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() []error {
	switch u := e.err.(type) {
	case interface{ Unwrap() []error }:
		return u.Unwrap()
	case interface{ Unwrap() error }:
		if w := u.Unwrap(); w != nil {
			return []error{w}
		}
	}
	return nil
}

// limitedReader reads at most n bytes and fails with ErrResponseTooLarge if
// the body holds more.
type limitedReader struct {
	r io.Reader
	n int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		var one [1]byte
		if k, _ := l.r.Read(one[:]); k > 0 {
			return 0, ErrResponseTooLarge
		}
		return 0, io.EOF
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	k, err := l.r.Read(p)
	l.n -= int64(k)
	return k, err
}
