// Package sharedstate holds the store interfaces that let many replicas of a
// service share the client's quota, breaker and member-token state, and the
// layers that use them.
//
// PROVISIONAL: these interfaces mirror the ones being added to package
// middleware (quota and breaker state) and package oauth (member tokens);
// once those land, this package shrinks to adapters.
package sharedstate

import (
	"context"
	"errors"
	"time"

	"github.com/linkedin-go/linkedin/oauth"
)

// Rate is a smoothing rule: PerSecond attempts a second on average, with up
// to Burst at once. The zero Rate does not limit.
type Rate struct {
	PerSecond float64
	Burst     int
}

// QuotaPolicy is what one quota step enforces. Zero fields do not limit.
type QuotaPolicy struct {
	// App, Member and Resource smooth the attempts of the application, of
	// one member, and to one resource.
	App, Member, Resource Rate
	// AppDaily and MemberDaily are daily budgets that reset at 00:00 UTC.
	AppDaily, MemberDaily int64
	// MaxWait is the longest wait a step may reserve; a longer one is
	// refused without spending anything. Zero means no wait at all.
	MaxWait time.Duration
}

// QuotaKey names what one attempt spends.
type QuotaKey struct {
	App      string // the application (client id); "" means "default"
	Member   string // the member the call acts for; "" for none
	Host     string // the API host
	Resource string // the resource template, e.g. "/adAccounts"; "" for none
}

// QuotaDecision is the outcome of a quota step.
type QuotaDecision struct {
	// Allowed is true when the attempt may be sent after Wait.
	Allowed bool
	// Wait is how long the attempt must wait before it is sent (Allowed),
	// or how long until it could be allowed (not Allowed, not DayExhausted).
	Wait time.Duration
	// DayExhausted is true when a daily budget is spent or the resource is
	// marked out of its DAY quota; Reset is then when that ends (00:00 UTC).
	DayExhausted bool
	Reset        time.Time
	// Scope says which rule decided: "app", "member", "resource" or "mark".
	Scope string
}

// QuotaStore takes one atomic quota step per attempt and remembers DAY
// quota marks. Implementations are safe for concurrent use.
type QuotaStore interface {
	// Take spends one attempt of key under p.
	Take(ctx context.Context, key QuotaKey, p QuotaPolicy) (QuotaDecision, error)
	// MarkDayExhausted records that key's resource on key's host (and, when
	// key.Member is set, for that member only) is out of its DAY quota
	// until until (zero: the next 00:00 UTC on the store's clock).
	MarkDayExhausted(ctx context.Context, key QuotaKey, until time.Time) error
}

// BreakerStatus is the shared state of one breaker key.
type BreakerStatus int

// The shared breaker states.
const (
	// BreakerClosed: send as usual.
	BreakerClosed BreakerStatus = iota
	// BreakerOpen: refuse until the returned remaining time has passed.
	BreakerOpen
	// BreakerProbe: this caller holds the fleet's single half-open probe.
	BreakerProbe
	// BreakerProbeTaken: half-open, another caller holds the probe.
	BreakerProbeTaken
)

// BreakerStore shares "host open until T" and one half-open probe across a
// fleet. No lock is held across a request: the probe is a claim with a
// time bound that expires by itself.
type BreakerStore interface {
	// State reports key's state; when the breaker is half-open it tries to
	// claim the probe for probeTTL on behalf of owner. remaining is how long
	// an open breaker stays open.
	State(ctx context.Context, key, owner string, probeTTL time.Duration) (st BreakerStatus, remaining time.Duration, err error)
	// Trip opens key for openFor (on the store's clock).
	Trip(ctx context.Context, key string, openFor time.Duration) error
	// Reset closes key; owner is the probe's owner (or "").
	Reset(ctx context.Context, key, owner string) error
	// ReleaseProbe gives the probe back without a verdict.
	ReleaseProbe(ctx context.Context, key, owner string) error
}

// StoredToken is a member token with its store version.
type StoredToken struct {
	Token *oauth.Token
	// Version increases by one with every write; 0 means absent.
	Version int64
	// Invalid is true when the token was invalidated (a 401) and not yet
	// replaced; its refresh token is still usable.
	Invalid bool
}

// ErrVersionConflict is returned by TokenStore.Save when the stored version
// is not the one the writer read: someone else wrote a newer token.
var ErrVersionConflict = errors.New("sharedstate: token version conflict")

// TokenStore keeps member tokens, keyed by member id.
type TokenStore interface {
	// Load returns member's token; Version 0 when there is none.
	Load(ctx context.Context, member string) (StoredToken, error)
	// Save writes tok if the stored version is still prev (0: absent) and
	// returns the new version, or ErrVersionConflict.
	Save(ctx context.Context, member string, tok *oauth.Token, prev int64) (int64, error)
	// Invalidate marks member's token invalid if its version is still
	// version; it reports whether it did.
	Invalidate(ctx context.Context, member string, version int64) (bool, error)
	// Lease claims the right to refresh member's token for ttl; ok is false
	// when someone else holds it.
	Lease(ctx context.Context, member, owner string, ttl time.Duration) (ok bool, err error)
	// Release gives the lease back if owner still holds it.
	Release(ctx context.Context, member, owner string) error
	// Expiring lists members whose refresh token (or, without one, access
	// token) expires before now+within.
	Expiring(ctx context.Context, within time.Duration) ([]string, error)
}
