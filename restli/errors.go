// This file holds the errors a call returns (*Error for a Rest.li error
// answer, *ValidationError, *TransportError, *ResponseBodyError) and the
// helpers that classify them.

package restli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// DefaultMaxErrorBodyBytes bounds how much of an error response body is read
// and kept in Error.Body.
const DefaultMaxErrorBodyBytes = 1 << 20

// Error is a Rest.li error: any non-2xx answer, and each entry of the
// "errors" map of a batch response. Its fields mirror Rest.li's
// ErrorResponse; all of them are optional on the wire. Retrieve it with
// errors.As.
type Error struct {
	// StatusCode is the HTTP status (the response's, or the entry's "status").
	StatusCode int
	// ServiceErrorCode is LinkedIn's serviceErrorCode, when sent.
	ServiceErrorCode int
	// Code is the canonical error code, e.g. "NONEXISTENT_VERSION".
	Code string
	// Message is the server's message.
	Message string
	// Details holds errorDetails (decoded JSON), when sent.
	Details any
	// RequestID is the x-li-uuid response header, else x-li-request-id, else
	// the body's requestId.
	RequestID string
	// Body is the raw response body, read up to a bound
	// (DefaultMaxErrorBodyBytes). It is nil for batch entry errors.
	Body []byte

	// Method and Resource describe the call that failed (the resource is the
	// template, so it carries no key values).
	Method   Method
	Resource string
	// Version is the LinkedIn-Version the request was sent with, if any:
	// for a sunset version (IsVersionSunset) the one to replace.
	Version string
	// Permission is what a 403 "Not enough permissions to access: …"
	// message names (see ParsePermission); nil for other errors.
	Permission *Permission

	// Header is the response's header (nil for batch entry errors), so
	// callers can read what LinkedIn sent beside the body.
	Header http.Header
	// RetryAfter is the wait the response's Retry-After asked for (see
	// ParseRetryAfter), or 0 when it had none. It is set even when the retry
	// layer returned the answer at once because the wait exceeded its cap;
	// a delay too large to represent is MaxRetryAfter.
	RetryAfter time.Duration
}

// Error returns a one-line description: the call, the status and the
// server's message. It never contains query values or credentials.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("restli: ")
	if e.Method != "" {
		b.WriteString(e.Method.Upper())
		b.WriteByte(' ')
		b.WriteString(e.Resource)
		b.WriteString(": ")
	}
	b.WriteString(strconv.Itoa(e.StatusCode))
	if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteByte(' ')
		b.WriteString(t)
	}
	if e.Code != "" {
		b.WriteString(" (")
		b.WriteString(e.Code)
		b.WriteByte(')')
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	b.WriteString(e.versionNote())
	return b.String()
}

// ErrorType returns the HTTP status code as text, the value OpenTelemetry's
// semantic conventions use for error.type on HTTP clients.
func (e *Error) ErrorType() string { return strconv.Itoa(e.StatusCode) }

// Is reports whether target is ErrMaybeApplied and the error is a 500, 502,
// 503 or 504 answer to a call that is not safe to resend (CREATE,
// BATCH_CREATE, ACTION): the server may have acted before failing, which is
// also why the retry layer does not resend such a call.
func (e *Error) Is(target error) bool {
	if target != ErrMaybeApplied || e.Method == "" || e.Method.Idempotent() {
		return false
	}
	switch e.StatusCode {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// errorResponse is Rest.li's ErrorResponse record.
type errorResponse struct {
	Status           int             `json:"status"`
	ServiceErrorCode int             `json:"serviceErrorCode"`
	Code             string          `json:"code"`
	Message          string          `json:"message"`
	RequestID        string          `json:"requestId"`
	ErrorDetails     json.RawMessage `json:"errorDetails"`
}

func (r *errorResponse) toError() *Error {
	e := &Error{
		StatusCode:       r.Status,
		ServiceErrorCode: r.ServiceErrorCode,
		Code:             r.Code,
		Message:          r.Message,
		RequestID:        r.RequestID,
		Permission:       ParsePermission(r.Message),
	}
	if len(r.ErrorDetails) > 0 && !bytes.Equal(r.ErrorDetails, []byte("null")) {
		e.Details, _ = decodeUntyped(r.ErrorDetails)
	}
	return e
}

// parseError builds the *Error for a non-2xx response from its status,
// headers and (already bounded) body. A body that is not a JSON
// ErrorResponse still yields an Error carrying the status and the raw body.
func parseError(status int, header http.Header, body []byte) *Error {
	var r errorResponse
	var e *Error
	if len(body) > 0 && json.Unmarshal(body, &r) == nil {
		e = r.toError()
	} else {
		e = &Error{}
	}
	e.StatusCode = status
	e.Body = body
	e.Header = header
	now := time.Now()
	if d, err := http.ParseTime(header.Get("Date")); err == nil {
		now = d // a Retry-After date is relative to the server's clock
	}
	if d, ok := ParseRetryAfter(header, now); ok {
		e.RetryAfter = d
	}
	if id := header.Get("X-Li-Uuid"); id != "" {
		e.RequestID = id
	} else if id := header.Get("X-Li-Request-Id"); id != "" {
		e.RequestID = id
	}
	return e
}

func asError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

func hasStatus(err error, status int) bool {
	e, ok := asError(err)
	return ok && e.StatusCode == status
}

// IsNotFound reports whether err is a Rest.li 404.
func IsNotFound(err error) bool { return hasStatus(err, http.StatusNotFound) }

// IsUnauthorized reports whether err is a 401: the token is missing,
// expired or revoked.
func IsUnauthorized(err error) bool { return hasStatus(err, http.StatusUnauthorized) }

// IsForbidden reports whether err is a 403: the token lacks a permission.
func IsForbidden(err error) bool { return hasStatus(err, http.StatusForbidden) }

// IsThrottled reports whether err is a 429: an application or member quota
// was exceeded.
func IsThrottled(err error) bool { return hasStatus(err, http.StatusTooManyRequests) }

// IsVersionSunset reports whether err says the requested LinkedIn-Version is
// not active: code NONEXISTENT_VERSION, or a 426 without any code. It goes
// by the code, never the message, which spells the version differently
// (20240401 for 202404); Error.Version holds the version that was sent.
func IsVersionSunset(err error) bool {
	e, ok := asError(err)
	return ok && (e.Code == codeNonexistentVersion || e.StatusCode == http.StatusUpgradeRequired && e.Code == "")
}

// ValidationError reports a request the builder refused to send because it
// would be malformed or ambiguous on the wire. Nothing was sent.
type ValidationError struct {
	// Field names the request field at fault, e.g. "PathKeys" or "IDs[2]".
	Field string
	// Reason says what is wrong. It never contains the field's value.
	Reason string
	// Err is the underlying cause, e.g. an *EncodeError, if any.
	Err error
}

// Error names the field and says what is wrong with it.
func (e *ValidationError) Error() string {
	s := "restli: invalid request: " + e.Field + ": " + e.Reason
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying cause.
func (e *ValidationError) Unwrap() error { return e.Err }

// ErrorType returns "restli.invalid_request".
func (e *ValidationError) ErrorType() string { return "restli.invalid_request" }

func invalid(field, reason string, err error) error {
	return &ValidationError{Field: field, Reason: reason, Err: err}
}

// ErrMaybeApplied is matched (errors.Is) by a TransportError of a call that is
// not safe to resend (CREATE, BATCH_CREATE, ACTION) when the request may have
// reached the server before the failure, and by an *Error answering such a
// call with 500, 502, 503 or 504: the server may have applied it.
var ErrMaybeApplied = errors.New("restli: the request may have been applied")

// ErrResponseTooLarge is returned when a response body exceeds the client's
// maximum response size (WithMaxResponseBytes).
var ErrResponseTooLarge = errors.New("restli: response body exceeds the maximum size")

// TransportError is a call that got no HTTP response: a connection failure,
// a timeout, a cancelled context, or a layer that refused to send (an open
// circuit breaker). Err is the cause, with any URL in it stripped of query
// values (it is a *url.Error when net/http produced it).
type TransportError struct {
	Method   Method
	Resource string
	// MaybeApplied is true when the call is not safe to resend and the
	// request may have reached the server, so it may have been applied.
	MaybeApplied bool
	Err          error
}

// Error describes the call and the cause, with any URL redacted.
func (e *TransportError) Error() string {
	s := "restli: " + e.Method.Upper() + " " + e.Resource
	if e.MaybeApplied {
		s += " (the request may have been applied)"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *TransportError) Unwrap() error { return e.Err }

// Is reports whether target is ErrMaybeApplied and the call may have been
// applied.
func (e *TransportError) Is(target error) bool {
	return target == ErrMaybeApplied && e.MaybeApplied
}

// ErrorType returns the cause's ErrorType when it has one, else
// "restli.transport".
func (e *TransportError) ErrorType() string {
	var t interface{ ErrorType() string }
	if errors.As(e.Err, &t) {
		return t.ErrorType()
	}
	return "restli.transport"
}

// ResponseBodyError reports a 2xx response whose body could not be decoded:
// not JSON, not the expected shape, over the size bound, or cut short by the
// end of the call's context. (It was DecodeResponseError; DecodeError is the
// Rest.li codec's error for text that is not a Rest.li value.)
type ResponseBodyError struct {
	Method   Method
	Resource string
	Err      error
}

// Error describes the call and why its body could not be decoded.
func (e *ResponseBodyError) Error() string {
	return fmt.Sprintf("restli: %s %s: decoding response: %v", e.Method.Upper(), e.Resource, e.Err)
}

// Unwrap returns the cause.
func (e *ResponseBodyError) Unwrap() error { return e.Err }

// ErrorType returns "restli.decode_response".
func (e *ResponseBodyError) ErrorType() string { return "restli.decode_response" }
