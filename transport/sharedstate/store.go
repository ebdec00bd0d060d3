// Package sharedstate mirrors, until they land on main, the store
// interfaces that package middleware defines (QuotaStore, BreakerStore), so
// that transport/redisstore can be built against them now. PROVISIONAL:
// once main has them, every name here is replaced by the real one
// (sharedstate.X -> middleware.X) and this package is deleted.
package sharedstate

import (
	"context"
	"time"
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
