// This file holds the two small state-store interfaces the reliability
// layers keep their shared state in: quota and rate state (Quota, RateLimit
// and Retry's daily-quota memory) and circuit breaker state
// (CircuitBreaker). The in-process implementations are in store_memory.go;
// implementations on a database that many replicas share live under
// transport/, so this package imports no database client.

package middleware

import (
	"context"
	"time"
)

// QuotaStore keeps the rate and daily-quota state of calls to LinkedIn.
// One store may serve every replica of a service, so that they share one
// application quota. Every method takes a context and must honour it; a
// store error never fails a call: the layers treat it as "allowed" and
// carry on (a store that is down must not take the API calls down with it).
// Implementations must be safe for concurrent use. storetest.QuotaStore is
// the conformance test every implementation must pass.
type QuotaStore interface {
	// Step is the one atomic step of a wire attempt. In order, it:
	// refuses when a DAY-quota mark covers (Host, Resource, Member) or
	// (Host, Resource, every member); refuses when DailyKey's count for
	// the current UTC day has reached DailyLimit; takes a slot from
	// RateKey's bucket, refusing when the slot is further away than
	// MaxDelay; and only when nothing refused does it spend: the daily
	// count grows by one and the slot is reserved. The clock is the
	// store's own (a shared store uses the server's time, never the
	// caller's).
	Step(ctx context.Context, s QuotaStep) (QuotaDecision, error)
	// MarkExhausted records that m.Resource on m.Host is out of its DAY
	// quota until m.Until (for one member when m.Member is set, else for
	// every member). A later mark never shortens an earlier one.
	MarkExhausted(ctx context.Context, m QuotaMark) error
	// Exhausted returns the live mark that covers (host, resource,
	// member) or (host, resource, every member), the application's first;
	// a zero QuotaMark (Until.IsZero()) when none does or it has expired.
	// It spends nothing.
	Exhausted(ctx context.Context, host, resource, member string) (QuotaMark, error)
}

// QuotaStep is one attempt's request to a QuotaStore.
type QuotaStep struct {
	// Host, Resource and Member name the attempt, for the DAY-quota
	// marks; Member may be empty.
	Host, Resource, Member string
	// RateKey names the rate bucket the attempt spends from; empty means
	// no rate limit. Rate is the bucket's shape.
	RateKey string
	Rate    QuotaRate
	// DailyKey names the daily counter the attempt counts against; empty
	// or a DailyLimit of zero or less means no daily budget. Counters
	// reset at 00:00 UTC.
	DailyKey   string
	DailyLimit int64
	// MaxDelay is the longest the caller will wait for a rate slot (its
	// deadline); a slot further away is refused, not reserved.
	MaxDelay time.Duration
}

// QuotaRate is a rate: one call every Interval on average, with bursts of
// up to Burst calls (a GCRA, equivalent to a token bucket of Burst tokens
// refilled one per Interval). Burst below 1 means 1. A zero Interval means
// no limit.
type QuotaRate struct {
	Interval time.Duration
	Burst    int
}

// QuotaDecision is a QuotaStore's answer to a Step.
type QuotaDecision struct {
	// Allowed reports that the attempt may go, after Delay: its slot and
	// its daily count are spent.
	Allowed bool
	// Delay is how long the attempt must wait for its reserved slot.
	Delay time.Duration
	// ExhaustedUntil is set when the attempt was refused because the DAY
	// quota is spent (a mark, or DailyLimit reached): until then.
	ExhaustedUntil time.Time
	// Scope is restli.QuotaScopeApplication or restli.QuotaScopeMember
	// when ExhaustedUntil is set.
	Scope string
	// RetryAfter is set when the attempt was refused because its rate
	// slot is further away than MaxDelay: how far.
	RetryAfter time.Duration
}

// QuotaMark says a resource is out of its DAY quota until a time.
type QuotaMark struct {
	Host, Resource string
	// Member is the member whose own DAY limit is spent; empty means the
	// application's limit, for every member.
	Member string
	// Scope is restli.QuotaScopeApplication or restli.QuotaScopeMember.
	Scope string
	Until time.Time
}

// BreakerStore shares circuit breaker state among many breakers (typically
// one per replica): "key is open until T", and a single half-open probe at
// a time. No lock is held while a request runs: a probe is a lease that
// expires on its own. A store error never fails a call: the breaker then
// acts on its local state alone. Implementations must be safe for
// concurrent use. storetest.BreakerStore is the conformance test.
type BreakerStore interface {
	// Load returns until when key is open: the zero time when the fleet
	// considers it closed, a time in the future while it is open, and a
	// time in the past once it is half-open (waiting for one probe to
	// succeed).
	Load(ctx context.Context, key string) (openUntil time.Time, err error)
	// Trip marks key open until until (a breaker opened, or a probe
	// failed), and releases any probe lease.
	Trip(ctx context.Context, key string, until time.Time) error
	// AcquireProbe takes key's single probe lease for at most ttl. It
	// reports false while another holder's lease is live.
	AcquireProbe(ctx context.Context, key string, ttl time.Duration) (bool, error)
	// ReleaseProbe gives the lease back without a verdict (the probe's
	// caller gave up), so another probe may start at once.
	ReleaseProbe(ctx context.Context, key string) error
	// Reset closes key for the fleet (a probe succeeded) and releases the
	// lease.
	Reset(ctx context.Context, key string) error
}
