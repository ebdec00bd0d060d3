package restlitest

import (
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/linkedin-go/linkedin/restli"
)

// Fault describes a failure the server injects into matching requests (see
// Server.Fail and Server.SetFaultPolicy).
//
// A request matches when every matcher that is set agrees: Method, Path and
// Match. What happens then:
//
//   - Delay: the server waits that long (or until the client gives up, or
//     Close) before going on.
//   - Reset: the server closes the connection (TCP RST) without answering.
//   - Status: the server answers with it (and RetryAfter, Body).
//   - None of Reset and Status, and no Delay: the server answers 503 (500
//     for an AfterApply fault).
//   - Only a Delay: after it the server answers normally: a slow response.
//
// Faults apply before the request is handled, so a failed write is not
// applied. With AfterApply the request is handled first (a create creates)
// and the fault then replaces the answer: the write took effect but the
// client sees a failure, a reset or a late answer.
type Fault struct {
	// Method, when set, limits the fault to requests routed to that Rest.li
	// method.
	Method restli.Method
	// Path, when set, limits the fault to requests whose URL path (as
	// received, percent-encoded) or whose path below /rest or /v2 starts
	// with it, segment-wise: "/adAccounts" matches "/rest/adAccounts" and
	// "/v2/adAccounts/1", not "/adAccountsX"; "/oauth/v2/accessToken"
	// matches the token endpoint.
	Path string
	// Match, when set, must return true for the request. It runs on the
	// server's goroutine for the request, concurrently with others.
	Match func(*Request) bool
	// Times is how many matching requests fail, for Server.Fail: 0 means
	// 1, a negative value means every matching request until ClearFaults
	// or Reset. It is ignored for faults returned by a fault policy.
	Times int

	// Status is the HTTP status to answer with: 0 (the default answer,
	// see above) or 100–999. Fail rejects any other value; one returned by
	// a fault policy makes the server answer 500 INVALID_TEST_STATUS.
	Status int
	// RetryAfter, when set, is sent as the Retry-After header: seconds
	// ("1") or an HTTP date.
	RetryAfter string
	// Body is the response body; when empty, a LinkedIn error body
	// {"status":…,"code":"INJECTED_FAULT",…} is sent.
	Body string
	// Reset closes the connection without an answer.
	Reset bool
	// Delay holds the request that long first.
	Delay time.Duration
	// AfterApply applies the fault after the request was handled.
	AfterApply bool
}

type pendingFault struct {
	f    Fault
	left int // < 0: unlimited
}

// Fail makes the next f.Times requests that match f fail as f says.
// Faults queued by Fail are matched in the order they were added, and each
// request gets at most one fault; a request no queued fault matches is
// offered to the fault policy. A Status outside 100–999 (0 aside) is not
// an HTTP status: Fail queues nothing and returns an error saying so.
func (s *Server) Fail(f Fault) error {
	if err := checkStatus("Fault.Status", f.Status); err != nil {
		return err
	}
	left := f.Times
	if left == 0 {
		left = 1
	}
	s.mu.Lock()
	s.faults = append(s.faults, &pendingFault{f: f, left: left})
	s.mu.Unlock()
	return nil
}

// SetFaultPolicy installs policy, which is called for every request that
// no fault queued by Fail matched, and returns the fault to inject into it
// or nil. It is called concurrently from the goroutines serving requests,
// so it must be safe for concurrent use (a *rand.Rand needs a lock). A nil
// policy removes it.
func (s *Server) SetFaultPolicy(policy func(*Request) *Fault) {
	s.mu.Lock()
	s.policy = policy
	s.mu.Unlock()
}

// ClearFaults removes every fault queued by Fail and the fault policy.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	s.faults = nil
	s.policy = nil
	s.mu.Unlock()
}

// PendingFaults returns how many faults queued by Fail have requests left
// to fail (an unlimited one counts once).
func (s *Server) PendingFaults() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.faults)
}

// matches reports whether f's matchers accept r.
func (f *Fault) matches(r *Request) bool {
	if f.Method != "" && f.Method != r.RestliMethod {
		return false
	}
	if f.Path != "" && !pathHasPrefix(r.Path, f.Path) && !pathHasPrefix(stripAPIPrefix(r.Path), f.Path) {
		return false
	}
	if f.Match != nil && !f.Match(r) {
		return false
	}
	return true
}

func pathHasPrefix(p, prefix string) bool {
	if !strings.HasPrefix(p, prefix) {
		return false
	}
	return len(p) == len(prefix) || strings.HasSuffix(prefix, "/") || p[len(prefix)] == '/'
}

// faultFor picks the fault for r: the first queued fault that matches,
// else the policy's. Match funcs and the policy run without the server's
// lock held.
func (s *Server) faultFor(r *Request) *Fault {
	s.mu.Lock()
	queued := append([]*pendingFault(nil), s.faults...)
	policy := s.policy
	s.mu.Unlock()
	for _, pf := range queued {
		if !pf.f.matches(r) {
			continue
		}
		s.mu.Lock()
		if pf.left == 0 {
			s.mu.Unlock()
			continue // used up meanwhile by a concurrent request
		}
		if pf.left > 0 {
			pf.left--
			if pf.left == 0 {
				for i, q := range s.faults {
					if q == pf {
						s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
						break
					}
				}
			}
		}
		s.mu.Unlock()
		f := pf.f
		return &f
	}
	if policy != nil {
		if f := policy(r); f != nil {
			c := *f
			return &c
		}
	}
	return nil
}

// faultResponse is the answer f gives in place of the real one.
func faultResponse(f *Fault, def int, restliPath bool) *response {
	status := f.Status
	if status == 0 {
		status = def
	}
	var r *response
	if f.Body != "" {
		r = newResponse(status)
		r.body = []byte(f.Body)
		r.header.Set("Content-Type", "application/json")
	} else {
		r = errorResponse(&Error{Status: status, ServiceErrorCode: ServiceErrorFault, Code: CodeInjectedFault,
			Message: "fault injected by restlitest: " + http.StatusText(status)})
	}
	if f.RetryAfter != "" {
		r.header.Set("Retry-After", f.RetryAfter)
	}
	if restliPath {
		r.header.Set("X-RestLi-Protocol-Version", restli.ProtocolVersion)
	}
	return r
}

// resetConn closes the request's connection without an answer, with a TCP
// RST where possible. When the connection cannot be hijacked (HTTP/2, or a
// ResponseWriter that is not a connection), the handler aborts instead.
func resetConn(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}
