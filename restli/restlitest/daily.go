// This file makes the fake server enforce LinkedIn's daily limits on its
// own clock: an application DAY limit and a per-member DAY limit per
// resource, answered with LinkedIn's 429 until 00:00 UTC.

package restlitest

import (
	"net/http"
	"sync"
)

// The code, service error code and messages of LinkedIn's DAY-limit 429.
const (
	CodeTooManyRequests      = "TOO_MANY_REQUESTS"
	ServiceErrorThrottle     = 101
	MessageApplicationDay    = "Resource level throttle APPLICATION DAY limit for calls to this resource is reached."
	MessageApplicationMember = "Resource level throttle APPLICATION_AND_MEMBER DAY limit for calls to this resource is reached."
)

// DailyLimits are LinkedIn's per-resource daily call limits, as the fake
// server enforces them (WithDailyLimits). Zero means no limit.
type DailyLimits struct {
	// Application is the calls per resource per UTC day for the whole
	// application, every member included.
	Application int
	// Member is the calls per resource per UTC day for one member; the
	// server tells members apart by their access token.
	Member int
}

// WithDailyLimits makes the server count Rest.li calls per resource (the
// path template, keys left out: GET /adAccounts/1 and the finder on
// /adAccounts count together) per UTC day of its clock (WithClock and
// Advance move it), and answer a call over a limit with LinkedIn's 429:
// serviceErrorCode 101, code TOO_MANY_REQUESTS and the message
// MessageApplicationDay or MessageApplicationMember, until the clock passes
// 00:00 UTC. A refused call is not counted; calls with an invalid token
// are refused before they are counted.
func WithDailyLimits(l DailyLimits) Option {
	return func(c *config) { c.daily = l }
}

// dailyState is the server's daily counters. day is the UTC day they
// count.
type dailyState struct {
	mu     sync.Mutex
	day    int64
	app    map[string]int
	member map[[2]string]int
}

// spendDaily counts the call c against the daily limits, or returns the
// DAY-limit error when a limit is reached.
func (s *Server) spendDaily(r *http.Request, c *call) *Error {
	l := s.cfg.daily
	if l.Application <= 0 && l.Member <= 0 {
		return nil
	}
	day := s.now().UTC().Unix() / 86400
	resource := c.rp.template
	member := bearer(r.Header.Get("Authorization"))
	d := &s.daily
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.day != day || d.app == nil {
		d.day, d.app, d.member = day, map[string]int{}, map[[2]string]int{}
	}
	mk := [2]string{resource, member}
	switch {
	case l.Application > 0 && d.app[resource] >= l.Application:
		return dayLimitError(MessageApplicationDay)
	case l.Member > 0 && d.member[mk] >= l.Member:
		return dayLimitError(MessageApplicationMember)
	}
	d.app[resource]++
	d.member[mk]++
	return nil
}

func dayLimitError(msg string) *Error {
	return &Error{Status: http.StatusTooManyRequests, ServiceErrorCode: ServiceErrorThrottle, Code: CodeTooManyRequests, Message: msg}
}
