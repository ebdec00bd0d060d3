// Package sharedstate mirrors, until they land on main, the store
// interfaces that package middleware (QuotaStore, BreakerStore) and package
// oauth (MemberTokenStore) define, so that transport/redisstore can be
// built against them now. PROVISIONAL: once main has them, every name here
// is replaced by the real one (sharedstate.X -> middleware.X or oauth.X)
// and this package is deleted.
package sharedstate

import (
	"context"
	"errors"
	"time"

	"github.com/linkedin-go/linkedin/oauth"
)

// The scopes of LinkedIn's DAY limits (restli.QuotaScope…).
const (
	QuotaScopeApplication = "APPLICATION"
	QuotaScopeMember      = "APPLICATION_AND_MEMBER"
)

// QuotaStore mirrors middleware.QuotaStore.
type QuotaStore interface {
	Step(ctx context.Context, s QuotaStep) (QuotaDecision, error)
	MarkExhausted(ctx context.Context, m QuotaMark) error
	Exhausted(ctx context.Context, host, resource, member string) (QuotaMark, error)
}

// QuotaStep mirrors middleware.QuotaStep.
type QuotaStep struct {
	Host, Resource, Member string
	RateKey                string
	Rate                   QuotaRate
	DailyKey               string
	DailyLimit             int64
	MaxDelay               time.Duration
}

// QuotaRate mirrors middleware.QuotaRate.
type QuotaRate struct {
	Interval time.Duration
	Burst    int
}

// QuotaDecision mirrors middleware.QuotaDecision.
type QuotaDecision struct {
	Allowed        bool
	Delay          time.Duration
	ExhaustedUntil time.Time
	Scope          string
	RetryAfter     time.Duration
}

// QuotaMark mirrors middleware.QuotaMark.
type QuotaMark struct {
	Host, Resource string
	Member         string
	Scope          string
	Until          time.Time
}

// BreakerStore mirrors middleware.BreakerStore.
type BreakerStore interface {
	Load(ctx context.Context, key string) (openUntil time.Time, err error)
	Trip(ctx context.Context, key string, until time.Time) error
	AcquireProbe(ctx context.Context, key string, ttl time.Duration) (bool, error)
	ReleaseProbe(ctx context.Context, key string) error
	Reset(ctx context.Context, key string) error
}

// ErrTokenNotFound mirrors oauth.ErrTokenNotFound.
var ErrTokenNotFound = errors.New("oauth: no token stored for the member")

// ErrVersionConflict mirrors oauth.ErrVersionConflict.
var ErrVersionConflict = errors.New("oauth: member token changed since it was read")

// AnyVersion mirrors oauth.AnyVersion.
const AnyVersion int64 = -1

// MemberToken mirrors oauth.MemberToken.
type MemberToken struct {
	Member  string
	Token   *oauth.Token
	Invalid bool
	Version int64
}

// ReauthorizeBy mirrors oauth.MemberToken.ReauthorizeBy.
func (t MemberToken) ReauthorizeBy() time.Time {
	tok := t.Token
	if tok == nil || tok.Token == nil {
		return time.Unix(0, 0).UTC()
	}
	if t.Invalid && tok.RefreshToken == "" {
		return time.Unix(0, 0).UTC()
	}
	if tok.RefreshToken != "" && !tok.RefreshTokenExpiry.IsZero() {
		return tok.RefreshTokenExpiry
	}
	return tok.Expiry
}

// MemberTokenStore mirrors oauth.MemberTokenStore.
type MemberTokenStore interface {
	Get(ctx context.Context, member string) (*MemberToken, error)
	Put(ctx context.Context, t MemberToken, prev int64) (int64, error)
	Invalidate(ctx context.Context, member, accessToken string) (bool, error)
	Delete(ctx context.Context, member string) error
	AcquireLease(ctx context.Context, member, holder string, ttl time.Duration) (bool, error)
	ReleaseLease(ctx context.Context, member, holder string) error
	Expiring(ctx context.Context, before time.Time) ([]MemberToken, error)
}
