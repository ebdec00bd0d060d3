package restlitest

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
)

// Error codes the server puts in the "code" member of its Rest.li error
// bodies. The ones LinkedIn is known to send (INVALID_ACCESS_TOKEN,
// NONEXISTENT_VERSION, VERSION_MISSING) are spelled as LinkedIn spells them;
// the others are this server's own.
const (
	CodeInvalidAccessToken = "INVALID_ACCESS_TOKEN" // 401: missing, unknown, expired or revoked token
	CodeNonexistentVersion = "NONEXISTENT_VERSION"  // 426: LinkedIn-Version not in WithVersions
	CodeVersionMissing     = "VERSION_MISSING"      // 400: a /rest call without LinkedIn-Version
	CodeProtocolVersion    = "INVALID_PROTOCOL_VERSION"
	CodeIllegalArgument    = "ILLEGAL_ARGUMENT"  // 400: malformed key, query value or parameter
	CodeInvalidMethod      = "INVALID_METHOD"    // 400: unknown X-RestLi-Method or one that does not fit the request
	CodeInvalidBody        = "INVALID_BODY"      // 400: a body of the wrong shape
	CodeNotFound           = "NOT_FOUND"         // 404
	CodeConflict           = "DUPLICATE_ENTITY"  // 409: create with an id that exists
	CodeRequestTooLarge    = "REQUEST_TOO_LARGE" // 413
	CodeInjectedFault      = "INJECTED_FAULT"    // the body of a Fault without Body
	CodeInternal           = "INTERNAL_SERVER_ERROR"
)

// Service error codes this server sends in "serviceErrorCode". 65600 is
// LinkedIn's code for an invalid access token; the others are this
// server's own, stable values.
const (
	ServiceErrorInvalidToken = 65600
	ServiceErrorBadRequest   = 100
	ServiceErrorNotFound     = 404
	ServiceErrorVersion      = 426 // no longer sent: LinkedIn's 426 has no serviceErrorCode
	ServiceErrorFault        = 999
)

// Error is a Rest.li error a FinderFunc, BatchFinderFunc or ActionFunc
// returns to make the server answer with Status and a LinkedIn error body
// {"status":…,"serviceErrorCode":…,"code":…,"message":…}. Any other error
// returned by such a func answers 400 with code ILLEGAL_ARGUMENT and the
// error's text as the message.
type Error struct {
	// Status is the HTTP status; 0 means 400. A value outside 100–999 is
	// not sent: the server answers 500 INVALID_TEST_STATUS instead.
	Status int
	// ServiceErrorCode is LinkedIn's serviceErrorCode; 0 leaves it out.
	ServiceErrorCode int
	// Code is the canonical error code, e.g. "ACCESS_DENIED".
	Code string
	// Message is the human-readable message.
	Message string
	// Details, when not nil, is sent as "errorDetails".
	Details any
}

// Error returns "restlitest: <status> <code>: <message>".
func (e *Error) Error() string {
	return "restlitest: " + strconv.Itoa(e.status()) + " " + e.Code + ": " + e.Message
}

func (e *Error) status() int {
	if e.Status == 0 {
		return http.StatusBadRequest
	}
	return e.Status
}

// body returns the Rest.li ErrorResponse object for e.
func (e *Error) body() map[string]any {
	m := map[string]any{"status": e.status()}
	if e.ServiceErrorCode != 0 {
		m["serviceErrorCode"] = e.ServiceErrorCode
	}
	if e.Code != "" {
		m["code"] = e.Code
	}
	if e.Message != "" {
		m["message"] = e.Message
	}
	if e.Details != nil {
		m["errorDetails"] = e.Details
	}
	return m
}

// asError turns any error from a user func into an *Error.
func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return badRequest(CodeIllegalArgument, err.Error())
}

func badRequest(code, msg string) *Error {
	return &Error{Status: http.StatusBadRequest, ServiceErrorCode: ServiceErrorBadRequest, Code: code, Message: msg}
}

func notFound(msg string) *Error {
	return &Error{Status: http.StatusNotFound, ServiceErrorCode: ServiceErrorNotFound, Code: CodeNotFound, Message: msg}
}

// errInvalidToken is LinkedIn's answer to a missing, unknown or expired
// token. It never names the token.
func errInvalidToken() *Error {
	return &Error{Status: http.StatusUnauthorized, ServiceErrorCode: ServiceErrorInvalidToken, Code: CodeInvalidAccessToken, Message: "Invalid access token"}
}

// response is a handler's answer, built in memory so that a fault applied
// after handling can replace it and so that its status can be recorded.
type response struct {
	status int
	header http.Header
	body   []byte
	code   string // the error code, for an error response
}

func newResponse(status int) *response {
	return &response{status: status, header: http.Header{}}
}

// jsonResponse answers status with v marshalled as JSON.
func jsonResponse(status int, v any) *response {
	r := newResponse(status)
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(map[string]any{"status": 500, "code": CodeInternal, "message": "cannot marshal the response"})
		r.status = http.StatusInternalServerError
		r.header.Set("X-RestLi-Error-Response", "true")
	}
	r.body = b
	r.header.Set("Content-Type", "application/json")
	return r
}

// errorResponse answers with e as a Rest.li error body.
func errorResponse(e *Error) *response {
	r := jsonResponse(e.status(), e.body())
	r.header.Set("X-RestLi-Error-Response", "true")
	r.code = e.Code
	return r
}
