// This file holds the error LinkedInVersion's layer fails with when it is
// configured with a malformed version: it refuses to send (hdrRefuse)
// instead of setting a header LinkedIn would reject.

package middleware

import (
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
