package restlitest

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/linkedin-go/linkedin/restli"
)

// Request is the server's record of one request it received, as decoded:
// what a test asserts on. The server hands the same record, not yet
// complete, to Fault.Match, fault policies and handler funcs.
type Request struct {
	// Seq numbers requests from 1 in the order they arrived.
	Seq int
	// Time is the server's clock when the request arrived.
	Time time.Time

	// RestliMethod is the Rest.li method the server routed the request to
	// ("" for OAuth endpoints and for requests it could not route).
	RestliMethod restli.Method
	// HTTPMethod is the method on the wire: POST for a tunneled request.
	HTTPMethod string
	// Method is the effective HTTP method, after tunnel decoding.
	Method string
	// Path is the URL path as received, still percent-encoded, e.g.
	// "/rest/adAccounts/urn%3Ali%3AsponsoredAccount%3A1".
	Path string
	// Query is the raw query string after tunnel decoding. For OAuth
	// endpoints it is empty.
	Query string
	// Resource is the canonical collection path, e.g. "/adAccounts".
	Resource string
	// ParentKeys are the decoded keys of parent resources
	// (/parents/{k}/children), in order.
	ParentKeys []any
	// Keys are the decoded entity keys: the path key of a GET, UPDATE,
	// PARTIAL_UPDATE, DELETE or ACTION, or the ids of a batch method. A
	// simple key is a string, a compound or complex key a map[string]any
	// (with "$params" when the request carried them).
	Keys []any
	// Params are the decoded query parameters (see ParseQuery):
	// projections raw, everything else as restli.Decode returns it.
	Params map[string]any
	// Header is a copy of the request headers as received (for a tunneled
	// request, with its X-HTTP-Method-Override and multipart Content-Type),
	// with the credentials redacted: Authorization reads "Bearer REDACTED".
	Header http.Header
	// Body is the request body after tunnel decoding (the JSON part of a
	// multipart/mixed body). Credentials in OAuth form bodies are redacted.
	Body []byte
	// Tunneled reports whether the request came tunneled
	// (X-HTTP-Method-Override).
	Tunneled bool
	// Version is the LinkedIn-Version header.
	Version string
	// TokenFingerprint names the bearer token the request carried without
	// showing it (TokenFingerprint of the token; "" without one), so a test
	// can tell which of its tokens made each request.
	TokenFingerprint string
	// Member is the id of the registered member the token belongs to (see
	// AddMember, AuthorizeMember), or "" for the default token, an
	// application token or an unknown one.
	Member string

	// Fault is the fault injected into this request, if any.
	Fault *Fault
	// Status is the status the server answered with; 0 when it answered
	// nothing (a Reset fault, or a client that went away during a Delay).
	Status int
	// Applied reports whether the request reached its handler and the
	// handler succeeded (2xx), so any write it carried took effect, even if
	// a Fault with AfterApply then hid the answer from the client.
	Applied bool
	// ErrorCode is the "code" of the error the server answered, if any.
	ErrorCode string
}

// Param returns the decoded query parameter name, or nil.
func (r *Request) Param(name string) any { return r.Params[name] }

// Requests returns a copy of the record of every request received so far
// (see WithMaxRecordedRequests), oldest first. The records' maps and
// slices are shared: do not modify them.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Count returns the number of recorded requests for which match returns
// true; a nil match counts them all. match may call the server's methods.
func (s *Server) Count(match func(Request) bool) int {
	s.mu.Lock()
	if match == nil {
		n := len(s.requests)
		s.mu.Unlock()
		return n
	}
	rs := append([]Request(nil), s.requests...)
	s.mu.Unlock()
	n := 0
	for _, r := range rs {
		if match(r) {
			n++
		}
	}
	return n
}

// ClearRequests forgets every recorded request.
func (s *Server) ClearRequests() {
	s.mu.Lock()
	s.requests = nil
	s.mu.Unlock()
}

// Reset clears the recorded requests, the pending faults and the fault
// policy. Stored data, handlers and tokens stay.
func (s *Server) Reset() {
	s.mu.Lock()
	s.requests = nil
	s.faults = nil
	s.policy = nil
	s.mu.Unlock()
}

// record appends r to the log.
func (s *Server) record(r *Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	max := s.cfg.maxRecorded
	if max < 0 {
		return
	}
	s.requests = append(s.requests, *r)
	if max > 0 && len(s.requests) > max {
		n := copy(s.requests, s.requests[len(s.requests)-max:])
		clear(s.requests[n:])
		s.requests = s.requests[:n]
	}
}

// redactHeader copies h with credentials replaced (restli.RedactHeader):
// Authorization reads "Bearer REDACTED".
func redactHeader(h http.Header) http.Header {
	return restli.RedactHeader(h, nil)
}

// redactParams returns params, or a copy with the values of credential
// parameters (restli.IsSensitiveName) replaced by restli.Redacted, for the
// request record.
func redactParams(params map[string]any) map[string]any {
	var out map[string]any
	for k := range params {
		if !restli.IsSensitiveName(k) {
			continue
		}
		if out == nil {
			out = make(map[string]any, len(params))
			for k, v := range params {
				out[k] = v
			}
		}
		out[k] = restli.Redacted
	}
	if out == nil {
		return params
	}
	return out
}

// redactForm replaces the values of the credential fields
// (restli.IsSensitiveName) of a form-encoded text; the others stay, for
// tests to assert on.
func redactForm(raw string) string {
	if raw == "" {
		return raw
	}
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		name, _, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		n, err := url.QueryUnescape(name)
		if err != nil {
			n = name
		}
		if restli.IsSensitiveName(n) {
			parts[i] = name + "=" + restli.Redacted
		}
	}
	return strings.Join(parts, "&")
}
