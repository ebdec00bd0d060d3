// This file holds what LinkedInVersion does with a malformed version: a
// layer that refuses to send, with the typed error, instead of a header
// LinkedIn would reject.

package middleware

import (
	"net/http"

	"github.com/linkedin-go/linkedin/restli"
)

// versionError is the error of every request through a LinkedInVersion
// layer built with a malformed version. It wraps the *restli.ValidationError
// and says the request was not sent and that no resend can help.
type versionError struct{ err error }

func (e *versionError) Error() string { return "middleware: LinkedInVersion: " + e.err.Error() }

// Unwrap returns the *restli.ValidationError, restli.ErrNotSent and
// restli.ErrPermanent.
func (e *versionError) Unwrap() []error {
	return []error{e.err, restli.ErrNotSent, restli.ErrPermanent}
}

// ErrorType returns "restli.invalid_request".
func (e *versionError) ErrorType() string { return "restli.invalid_request" }

// refuseLayer returns a layer that sends nothing and answers every request
// with err, closing its body as a RoundTripper must.
func refuseLayer(err error) func(http.RoundTripper) http.RoundTripper {
	return func(http.RoundTripper) http.RoundTripper {
		return refuseTransport{err: &versionError{err: err}}
	}
}

type refuseTransport struct{ err error }

func (t refuseTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
	return nil, t.err
}
