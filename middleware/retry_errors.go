// This file is the Retry layer's errors and their classification: the
// *RetryError a call ends with when no response is left to return, which
// transport errors another attempt could fix, and the scrubbing of error
// text. Whether a failed attempt reached the server is restli.NotSent's
// call, the module's one classifier.

package middleware

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	retryablehttp "github.com/hashicorp/go-retryablehttp"

	"github.com/linkedin-go/linkedin/restli"
)

// RetryError is the error Retry returns when a call ends without a response
// to give back: the last attempt failed with a transport error the policy
// does not resend (or no attempt was left), the circuit breaker refused an
// attempt, or the context ended while waiting to resend. When the call ends
// with a response, whatever its status, the layer returns the response
// instead, body intact.
//
// Its text names the method, the URL without query values and the number of
// attempts, never query values or credentials.
type RetryError struct {
	// Method is the request's HTTP method.
	Method string
	// URL is the request URL with user info and fragment dropped and every
	// query value replaced by "REDACTED".
	URL string
	// Attempts is the number of attempts made, refused ones included.
	Attempts int
	// MaybeApplied is set when the call is not safe to resend (a CREATE, an
	// ACTION, a non-Rest.li POST) and some attempt failed after the request
	// may have reached the server: the write may have happened even though no
	// response arrived. Check before repeating such a call by hand.
	MaybeApplied bool
	// Err is the cause: the last attempt's transport error (with the
	// *url.Error wrapper of an inner http.Client removed), or the context's
	// error.
	Err error

	text string // Err's text with query values and credentials removed
	// unsafe is set when the call is not safe to resend, so write tracking
	// ran and !MaybeApplied means no attempt's request left the client.
	unsafe bool
}

// Is reports whether target is restli.ErrMaybeApplied and MaybeApplied is
// set, or target is restli.ErrNotSent and the call, which is not safe to
// resend, provably never reached the server.
func (e *RetryError) Is(target error) bool {
	switch target {
	case restli.ErrMaybeApplied:
		return e.MaybeApplied
	case restli.ErrNotSent:
		return e.unsafe && !e.MaybeApplied
	}
	return false
}

// Error implements error.
func (e *RetryError) Error() string {
	var b strings.Builder
	b.WriteString("retry: ")
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(e.URL)
	b.WriteString(": ")
	b.WriteString(strconv.Itoa(e.Attempts))
	if e.Attempts == 1 {
		b.WriteString(" attempt")
	} else {
		b.WriteString(" attempts")
	}
	if e.MaybeApplied {
		b.WriteString(", request may have been applied")
	}
	text := e.text
	if text == "" && e.Err != nil {
		text = e.Err.Error()
	}
	if text != "" {
		b.WriteString(": ")
		b.WriteString(text)
	}
	return b.String()
}

// Unwrap returns the cause, so errors.Is(err, context.Canceled),
// errors.Is(err, ErrCircuitOpen) and errors.As on net errors work.
func (e *RetryError) Unwrap() error { return e.Err }

// ErrorType returns a low-cardinality OpenTelemetry error.type: the cause's
// own ErrorType when it has one (e.g. "circuit_open"), "canceled" or
// "timeout" for context and network timeouts, and "transport" otherwise.
func (e *RetryError) ErrorType() string {
	var typed interface{ ErrorType() string }
	if errors.As(e.Err, &typed) {
		return typed.ErrorType()
	}
	if errors.Is(e.Err, context.Canceled) {
		return "canceled"
	}
	if errors.Is(e.Err, context.DeadlineExceeded) {
		return "timeout"
	}
	var ne net.Error
	if errors.As(e.Err, &ne) && ne.Timeout() {
		return "timeout"
	}
	return "transport"
}

// retryBodyError is a failure to rewind the request body for a resend.
type retryBodyError struct{ err error }

func (e *retryBodyError) Error() string     { return "rewinding request body: " + e.err.Error() }
func (e *retryBodyError) Unwrap() error     { return e.err }
func (e *retryBodyError) ErrorType() string { return "request_body" }

// Is reports whether target is restli.ErrNotSent: the resend never left.
func (e *retryBodyError) Is(target error) bool { return target == restli.ErrNotSent }

// retryIdempotent reports whether a call may be resent after an ambiguous
// failure, from its call description, else its X-RestLi-Method header, else
// its HTTP method.
func retryIdempotent(req *http.Request, info restli.CallInfo, hasInfo bool) bool {
	if hasInfo {
		return info.Idempotent
	}
	if v := req.Header["X-Restli-Method"]; len(v) > 0 {
		if m := restli.Method(strings.ToLower(v[0])); m.HTTPMethod() != "" {
			return m.Idempotent()
		}
	}
	switch req.Method {
	case "", http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// retryTransient reports whether another attempt could succeed where this
// transport error failed: go-retryablehttp's DefaultRetryPolicy (which
// gives up on redirect loops, unsupported schemes, invalid headers and
// certificates that are not trusted), narrowed by what it does not know:
// cancellation, our own permanent refusals and TLS failures.
func retryTransient(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, ErrCircuitOpen) || errors.Is(err, restli.ErrPermanent) {
		return false
	}
	var bodyErr *retryBodyError
	var tunnelErr *TunnelError
	if errors.As(err, &bodyErr) || errors.As(err, &tunnelErr) {
		return false
	}
	var (
		unknownAuthority x509.UnknownAuthorityError
		hostname         x509.HostnameError
		invalid          x509.CertificateInvalidError
		verification     *tls.CertificateVerificationError
		record           tls.RecordHeaderError
	)
	if errors.As(err, &unknownAuthority) || errors.As(err, &hostname) ||
		errors.As(err, &invalid) || errors.As(err, &verification) || errors.As(err, &record) {
		return false
	}
	// The policy reads the errors of an http.Client, *url.Error; net/http
	// reports malformed requests with untyped errors.
	ue, ok := err.(*url.Error)
	if !ok {
		ue = &url.Error{Op: "Do", Err: err}
	}
	if resend, _ := retryablehttp.DefaultRetryPolicy(context.Background(), nil, ue); !resend {
		return false
	}
	msg := err.Error()
	for _, s := range [...]string{
		"invalid header field",
		"http: nil Request",
		"http: no Host in request URL",
		"server gave HTTP response to HTTPS client",
	} {
		if strings.Contains(msg, s) {
			return false
		}
	}
	return true
}

// retryURL is the redacted text of u ("" for nil).
func retryURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	return restli.RedactURL(u.String())
}
