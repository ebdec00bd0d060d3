// breaker.go: the shared breaker state ("open until T" and the fleet's one
// half-open probe), with a short local cache.

package redisstore

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/linkedin-go/linkedin/middleware"
)

// KEYS of the breaker scripts: 1 state (the open-until time, unix ms; it
// outlives that time by breakerHalfOpenTTL, the half-open state), 2 probe
// (the claim, with its owner).

// breakerHalfOpenTTL is how long a tripped key stays half-open, waiting for
// a probe, before Redis forgets it (the key then reads as closed).
const breakerHalfOpenTTL = 10 * time.Minute

// breakerTripScript: ARGV 1 until (unix ms), 2 half-open lifetime (ms).
var breakerTripScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local left = tonumber(ARGV[1]) - now
if left < 0 then left = 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', left + tonumber(ARGV[2]))
redis.call('DEL', KEYS[2])
return 1
`)

// breakerProbeScript: ARGV 1 owner, 2 ttl (ms). 1: the caller may probe
// (it holds the claim, or the key is closed); 0: another holds it.
var breakerProbeScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 1 end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0
`)

// breakerReleaseScript: ARGV 1 owner.
var breakerReleaseScript = redis.NewScript(`
if redis.call('GET', KEYS[2]) == ARGV[1] then return redis.call('DEL', KEYS[2]) end
return 0
`)

// breakerLoadScript returns the open-until time (unix ms), or 0.
var breakerLoadScript = redis.NewScript(`
return tonumber(redis.call('GET', KEYS[1])) or 0
`)

// breakerResetScript closes the key.
var breakerResetScript = redis.NewScript(`
return redis.call('DEL', KEYS[1], KEYS[2])
`)

// BreakerStore is the Redis breaker state; it implements the middleware
// package's BreakerStore. Get it from Store.Breaker.
//
// A closed answer is reused for Options.Cache and an open one until it
// ends, so a healthy host costs one round trip per cache period and an open
// one none; only the half-open state is read every time. The probe is a
// claim (SET NX PX) in this Store's name that expires by itself: no lock is
// held while a request runs.
type BreakerStore struct {
	s *Store

	mu    sync.Mutex
	cache map[string]breakerCached
}

// breakerCached is a remembered Load answer, good until good (local clock).
type breakerCached struct {
	until time.Time // the answer: zero (closed) or an open-until time
	good  time.Time
}

var _ middleware.BreakerStore = (*BreakerStore)(nil)

func newBreakerStore(s *Store) *BreakerStore {
	return &BreakerStore{s: s, cache: map[string]breakerCached{}}
}

func (b *BreakerStore) keys(key string) []string {
	t := b.s.tag("b", key)
	return []string{t + ":state", t + ":probe"}
}

func (b *BreakerStore) remember(key string, c breakerCached) {
	b.mu.Lock()
	if len(b.cache) >= localMaxKeys {
		clear(b.cache)
	}
	b.cache[key] = c
	b.mu.Unlock()
}

func (b *BreakerStore) forget(key string) {
	b.mu.Lock()
	delete(b.cache, key)
	b.mu.Unlock()
}

// Load returns until when key is open for the fleet: zero when closed, a
// future time while open, a past time while half-open. When Redis is
// unavailable it answers closed: the local breaker decides alone.
func (b *BreakerStore) Load(ctx context.Context, key string) (time.Time, error) {
	if err := ctx.Err(); err != nil {
		return time.Time{}, err
	}
	now := time.Now()
	b.mu.Lock()
	c, ok := b.cache[key]
	b.mu.Unlock()
	if ok && now.Before(c.good) {
		return c.until, nil
	}
	v, err := b.s.run(ctx, breakerLoadScript, b.keys(key))
	if err != nil {
		if ctx.Err() != nil {
			return time.Time{}, ctx.Err()
		}
		b.s.fellBack(ctx, "breaker.load")
		return time.Time{}, nil
	}
	ms, _ := v.(int64)
	if ms == 0 {
		if b.s.cache > 0 {
			b.remember(key, breakerCached{good: now.Add(b.s.cache)})
		}
		return time.Time{}, nil
	}
	until := time.UnixMilli(ms)
	if until.After(now) {
		b.remember(key, breakerCached{until: until, good: until})
	}
	return until, nil
}

// Trip opens key until until for every replica and frees the probe.
func (b *BreakerStore) Trip(ctx context.Context, key string, until time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if until.After(time.Now()) {
		b.remember(key, breakerCached{until: until, good: until})
	} else {
		b.forget(key)
	}
	if _, err := b.s.run(ctx, breakerTripScript, b.keys(key), strconv.FormatInt(until.UnixMilli(), 10),
		breakerHalfOpenTTL.Milliseconds()); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		b.s.fellBack(ctx, "breaker.trip")
	}
	return nil
}

// AcquireProbe claims key's single probe for ttl; false while another
// claim is live anywhere in the fleet. On a closed key it answers true
// without claiming anything.
func (b *BreakerStore) AcquireProbe(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	v, err := b.s.run(ctx, breakerProbeScript, b.keys(key), b.s.id, max(ttl.Milliseconds(), 1))
	if err != nil {
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		b.s.fellBack(ctx, "breaker.probe")
		return true, nil // the local breaker decides alone
	}
	n, _ := v.(int64)
	return n == 1, nil
}

// ReleaseProbe gives this Store's claim back, so another probe may start.
func (b *BreakerStore) ReleaseProbe(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, err := b.s.run(ctx, breakerReleaseScript, b.keys(key), b.s.id); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		b.s.fellBack(ctx, "breaker.release")
	}
	return nil
}

// Reset closes key for every replica (a probe succeeded) and frees the
// probe.
func (b *BreakerStore) Reset(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b.forget(key)
	if _, err := b.s.run(ctx, breakerResetScript, b.keys(key)); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		b.s.fellBack(ctx, "breaker.reset")
	}
	return nil
}
