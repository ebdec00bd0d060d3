// This file recognises LinkedIn's daily quota answers: a 429 that will not
// clear before 00:00 UTC, and the error a layer returns when it refuses to
// send a call whose daily quota is known to be spent.

package restli

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"
)

// The scopes of LinkedIn's DAY limits, as its 429 message names them.
const (
	// QuotaScopeApplication is the application's DAY limit on a resource,
	// shared by every member.
	QuotaScopeApplication = "APPLICATION"
	// QuotaScopeMember is the DAY limit of one member of the application
	// on a resource.
	QuotaScopeMember = "APPLICATION_AND_MEMBER"
)

// DailyQuotaServiceErrorCode is the serviceErrorCode LinkedIn sends with a
// 429 for a throttle limit.
const DailyQuotaServiceErrorCode = 101

// DailyQuotaScope reports whether a response with this status and (bounded)
// body is LinkedIn's DAY-limit answer, and which limit it names. LinkedIn
// sends no rate-limit headers; it documents the answer as status 429,
// serviceErrorCode 101 (code TOO_MANY_REQUESTS) and a message such as
// "Resource level throttle APPLICATION DAY limit for calls to this resource
// is reached." or the same with APPLICATION_AND_MEMBER. Both the service
// error code and the message must match; any other 429 is an ordinary
// throttle that may clear within seconds.
func DailyQuotaScope(status int, body []byte) (scope string, ok bool) {
	if status != http.StatusTooManyRequests || len(body) == 0 {
		return "", false
	}
	var r struct {
		ServiceErrorCode int    `json:"serviceErrorCode"`
		Message          string `json:"message"`
	}
	if json.Unmarshal(body, &r) != nil {
		return "", false
	}
	return dailyQuotaScope(status, r.ServiceErrorCode, r.Message)
}

func dailyQuotaScope(status, serviceErrorCode int, message string) (string, bool) {
	if status != http.StatusTooManyRequests || serviceErrorCode != DailyQuotaServiceErrorCode {
		return "", false
	}
	switch {
	case strings.Contains(message, QuotaScopeMember+" DAY limit"):
		return QuotaScopeMember, true
	case strings.Contains(message, QuotaScopeApplication+" DAY limit"):
		return QuotaScopeApplication, true
	}
	return "", false
}

// NextQuotaReset returns the first 00:00 UTC strictly after t: when
// LinkedIn's daily quotas reset.
func NextQuotaReset(t time.Time) time.Time {
	return t.UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
}

// DailyQuotaError is the error of a layer that refused to send a call
// because the daily quota it needs is known to be spent until ResetAt: an
// earlier call got LinkedIn's DAY-limit 429 for the same host and resource
// (and member, for a member limit) today. Nothing was sent: it matches
// ErrNotSent. IsDailyQuotaExhausted recognises it, and DailyQuotaResetAt
// returns ResetAt.
type DailyQuotaError struct {
	// Host is the API host ("api.linkedin.com").
	Host string
	// Resource is the resource whose quota is spent ("/adAccounts"); it
	// holds no key values.
	Resource string
	// Scope is QuotaScopeApplication or QuotaScopeMember.
	Scope string
	// ResetAt is when the quota resets: the next 00:00 UTC.
	ResetAt time.Time
}

// Error names the resource and the reset time, never a member or a token.
func (e *DailyQuotaError) Error() string {
	return "restli: daily quota (" + e.Scope + " DAY limit) for " + e.Host + e.Resource +
		" is spent until " + e.ResetAt.UTC().Format(time.RFC3339) + "; not sent"
}

// Is reports whether target is ErrNotSent: the call was refused before the
// network.
func (e *DailyQuotaError) Is(target error) bool { return target == ErrNotSent }

// ErrorType returns "restli.daily_quota".
func (e *DailyQuotaError) ErrorType() string { return "restli.daily_quota" }

// IsDailyQuotaExhausted reports whether err says LinkedIn's daily quota for
// the call is spent: LinkedIn's DAY-limit 429 (an *Error, see
// DailyQuotaScope), or a layer's refusal to send because of an earlier one
// (a *DailyQuotaError). Such a call cannot succeed before the next 00:00
// UTC, which DailyQuotaResetAt returns; resending it earlier only spends
// more of other quotas.
func IsDailyQuotaExhausted(err error) bool {
	_, ok := DailyQuotaResetAt(err)
	return ok
}

// DailyQuotaResetAt returns when the daily quota behind err resets (the
// next 00:00 UTC after the answer, by the response's Date header when it
// has one), and false when err is not a daily quota error.
func DailyQuotaResetAt(err error) (time.Time, bool) {
	var q *DailyQuotaError
	if errors.As(err, &q) {
		return q.ResetAt, true
	}
	e, ok := asError(err)
	if !ok {
		return time.Time{}, false
	}
	if _, day := dailyQuotaScope(e.StatusCode, e.ServiceErrorCode, e.Message); !day {
		return time.Time{}, false
	}
	at := time.Now()
	if d, err := http.ParseTime(e.Header.Get("Date")); err == nil {
		at = d
	}
	return NextQuotaReset(at), true
}
