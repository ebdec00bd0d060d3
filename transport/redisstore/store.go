// store.go: the Store type, its options, and the gate that sends an
// operation to Redis or to its in-process fallback.

package redisstore

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"
)

// Options configures a Store. The zero value means the defaults given on
// each field.
type Options struct {
	// Prefix starts every key. Empty means "linkedin:".
	Prefix string
	// Timeout bounds each Redis operation; past it the operation falls back
	// to in-process state. Zero or less means 100ms.
	Timeout time.Duration
	// RetryInterval is how long the store stays on its in-process fallback
	// after Redis failed, before it tries Redis again. Zero or less means 1s.
	RetryInterval time.Duration
	// Replicas is the number of replicas expected to share the quota; while
	// Redis is unavailable each replica enforces the rate and daily limits
	// divided by it, so the fleet stays near the shared limits. Zero or less
	// means 1 (each replica enforces the full limits: over-spends by the
	// number of replicas during an outage).
	Replicas int
	// Cache is how long a "closed" breaker answer and a "no DAY-quota mark"
	// answer are reused before Redis is asked again: a trip or a mark on
	// another replica is seen within it. An "open" breaker answer is reused
	// until the open time ends. Zero means 100ms; negative means no cache.
	Cache time.Duration
	// TokenCacheMargin: a cached member token is served without touching
	// Redis while it is valid for longer than this. Zero or less means 2m.
	TokenCacheMargin time.Duration
	// TokenTTL bounds how long a member's token entry lives in Redis after
	// its last write. Zero or less means 400 days (beyond LinkedIn's 365-day
	// refresh tokens).
	TokenTTL time.Duration
	// Logger receives one line when Redis becomes unavailable and one when
	// it is back. nil means slog.Default().
	Logger *slog.Logger
	// MeterProvider records linkedin.redisstore.fallbacks. nil means the
	// global one.
	MeterProvider metric.MeterProvider
	// Now is the local clock of the in-process fallback. nil means
	// time.Now. Shared decisions always use Redis's clock.
	Now func() time.Time
}

// Store keeps quota, breaker and member-token state on Redis. Create it
// with New; it is safe for concurrent use.
type Store struct {
	c        redis.Scripter
	prefix   string
	timeout  time.Duration
	retry    time.Duration
	replicas int
	cache    time.Duration
	id       string // this Store's probe owner id
	tmargin  time.Duration
	tttl     time.Duration
	log      *slog.Logger
	now      func() time.Time

	fallbacks metric.Int64Counter

	downUntil atomic.Int64 // unix nanos; Redis is skipped before it
	down      atomic.Bool  // the last Redis operation failed
	outages   atomic.Int64
	fbCount   atomic.Int64

	quota   *QuotaStore
	breaker *BreakerStore
	tokens  *TokenStore
}

// New returns a Store on c, the caller's client (a *redis.Client,
// *redis.ClusterClient, failover client or *redis.Ring). It does not
// contact Redis; a nil c gives a Store that always uses its in-process
// fallback.
func New(c redis.Scripter, opts Options) *Store {
	s := &Store{
		c:        c,
		prefix:   opts.Prefix,
		timeout:  opts.Timeout,
		retry:    opts.RetryInterval,
		replicas: max(opts.Replicas, 1),
		cache:    opts.Cache,
		id:       "rs-" + rand.Text(),
		tmargin:  opts.TokenCacheMargin,
		tttl:     opts.TokenTTL,
		log:      opts.Logger,
		now:      opts.Now,
	}
	if s.prefix == "" {
		s.prefix = "linkedin:"
	}
	if s.timeout <= 0 {
		s.timeout = 100 * time.Millisecond
	}
	if s.retry <= 0 {
		s.retry = time.Second
	}
	if s.cache == 0 {
		s.cache = 100 * time.Millisecond
	}
	if s.tmargin <= 0 {
		s.tmargin = 2 * time.Minute
	}
	if s.tttl <= 0 {
		s.tttl = 400 * 24 * time.Hour
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	mp := opts.MeterProvider
	if mp == nil {
		mp = otel.GetMeterProvider()
	}
	fb, err := mp.Meter("github.com/linkedin-go/linkedin/transport/redisstore").Int64Counter(
		"linkedin.redisstore.fallbacks",
		metric.WithDescription("Store operations served by the in-process fallback because Redis was unavailable."),
		metric.WithUnit("{operation}"))
	if err != nil || fb == nil {
		fb = noop.Int64Counter{}
	}
	s.fallbacks = fb
	s.quota = newQuotaStore(s)
	s.breaker = newBreakerStore(s)
	s.tokens = newTokenStore(s)
	return s
}

// Stats are counters of a Store's use of Redis since New.
type Stats struct {
	// Fallbacks counts operations served in-process because Redis was
	// unavailable.
	Fallbacks int64
	// Outages counts the times Redis became unavailable.
	Outages int64
	// Down reports whether the last attempt to reach Redis failed.
	Down bool
}

// Stats returns the store's counters.
func (s *Store) Stats() Stats {
	return Stats{Fallbacks: s.fbCount.Load(), Outages: s.outages.Load(), Down: s.down.Load()}
}

// errSkipped is the error of an operation not sent because Redis failed
// recently.
var errSkipped = errors.New("redisstore: redis unavailable, retrying later")

// run runs one script on Redis within the store's timeout, or returns an
// error without trying while Redis is known to be away. A failure caused by
// the caller's own context is returned as is and does not mark Redis away.
func (s *Store) run(ctx context.Context, sc *redis.Script, keys []string, args ...any) (any, error) {
	if s.c == nil {
		return nil, errSkipped
	}
	if until := s.downUntil.Load(); until != 0 && time.Now().UnixNano() < until {
		return nil, errSkipped
	}
	rctx, cancel := context.WithTimeout(ctx, s.timeout)
	v, err := sc.Run(rctx, s.c, keys, args...).Result()
	cancel()
	if err != nil && !errors.Is(err, redis.Nil) {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		s.markDown(err)
		return nil, err
	}
	s.markUp()
	return v, nil
}

// markDown records that Redis failed.
func (s *Store) markDown(err error) {
	s.downUntil.Store(time.Now().Add(s.retry).UnixNano())
	if !s.down.Swap(true) {
		s.outages.Add(1)
		// The error comes from the Redis client: addresses and Redis
		// messages, never a key's value.
		s.log.Warn("linkedin: redis unavailable, using in-process state", "error", err.Error(), "retry_in", s.retry)
	}
}

// markUp records that Redis answered.
func (s *Store) markUp() {
	if s.down.Load() && s.down.Swap(false) {
		s.downUntil.Store(0)
		s.log.Info("linkedin: redis available again, sharing state")
	}
}

// fellBack counts one operation served in-process.
func (s *Store) fellBack(ctx context.Context, op string) {
	s.fbCount.Add(1)
	s.fallbacks.Add(context.WithoutCancel(ctx), 1, metric.WithAttributes(attribute.String("op", op)))
}

// Quota returns the store's shared quota and rate state.
func (s *Store) Quota() *QuotaStore { return s.quota }

// Breaker returns the store's shared breaker state.
func (s *Store) Breaker() *BreakerStore { return s.breaker }

// Tokens returns the store's member tokens.
func (s *Store) Tokens() *TokenStore { return s.tokens }
