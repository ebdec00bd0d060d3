// breaker.go: the shared breaker state ("open until T" and the fleet's one
// half-open probe), with a short local cache.

package redisstore

import (
	"context"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/linkedin-go/linkedin/transport/sharedstate"
)

// KEYS of the breaker scripts: 1 open (PX = open time), 2 tripped (the
// breaker opened and no probe has closed it yet), 3 probe (the claim).

// breakerStateScript: ARGV 1 probe TTL (ms), 2 owner. Returns {code, ms}:
// 0 closed; 1 open, ms remaining; 2 probe claimed by owner; 3 probe taken
// by someone else, ms until that claim expires.
var breakerStateScript = redis.NewScript(`
local p = redis.call('PTTL', KEYS[1])
if p > 0 then return {1, p} end
if redis.call('EXISTS', KEYS[2]) == 0 then return {0, 0} end
local cur = redis.call('GET', KEYS[3])
if cur == ARGV[2] then return {2, 0} end
if cur then return {3, redis.call('PTTL', KEYS[3])} end
redis.call('SET', KEYS[3], ARGV[2], 'PX', ARGV[1])
return {2, 0}
`)

// breakerTripScript: ARGV 1 open time (ms), 2 lifetime of the tripped flag.
var breakerTripScript = redis.NewScript(`
redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
redis.call('DEL', KEYS[3])
return 1
`)

// breakerResetScript: ARGV 1 owner. Closes the breaker.
var breakerResetScript = redis.NewScript(`
redis.call('DEL', KEYS[1], KEYS[2])
if redis.call('GET', KEYS[3]) == ARGV[1] then redis.call('DEL', KEYS[3]) end
return 1
`)

// breakerReleaseScript: ARGV 1 owner. Gives the probe back.
var breakerReleaseScript = redis.NewScript(`
if redis.call('GET', KEYS[3]) == ARGV[1] then return redis.call('DEL', KEYS[3]) end
return 0
`)

// BreakerStore is the Redis breaker state: it implements
// sharedstate.BreakerStore. Get it from Store.Breaker.
type BreakerStore struct {
	s *Store

	mu    sync.Mutex
	cache map[string]breakerCached
}

// breakerCached is a remembered answer, good until until (local clock).
type breakerCached struct {
	open  bool
	until time.Time
}

var _ sharedstate.BreakerStore = (*BreakerStore)(nil)

func newBreakerStore(s *Store) *BreakerStore {
	return &BreakerStore{s: s, cache: map[string]breakerCached{}}
}

func (b *BreakerStore) keys(key string) []string {
	t := b.s.tag("b", key)
	return []string{t + ":open", t + ":tripped", t + ":probe"}
}

func (b *BreakerStore) cached(key string, now time.Time) (breakerCached, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c, ok := b.cache[key]
	if !ok || !now.Before(c.until) {
		return breakerCached{}, false
	}
	return c, true
}

func (b *BreakerStore) remember(key string, c breakerCached) {
	b.mu.Lock()
	b.cache[key] = c
	b.mu.Unlock()
}

// State reports key's shared state. A closed answer is reused for
// Options.BreakerCache and an open one until it ends, so a healthy host
// costs a round trip per cache period, not per call, and an open one none.
// When the breaker is half-open, State claims the fleet's single probe for
// owner for probeTTL (SET NX PX): exactly one caller in the fleet gets
// BreakerProbe; the claim expires by itself if its holder vanishes. When
// Redis is unavailable State answers BreakerClosed: the local breaker alone
// decides.
func (b *BreakerStore) State(ctx context.Context, key, owner string, probeTTL time.Duration) (sharedstate.BreakerStatus, time.Duration, error) {
	now := time.Now()
	if c, ok := b.cached(key, now); ok {
		if c.open {
			return sharedstate.BreakerOpen, c.until.Sub(now), nil
		}
		return sharedstate.BreakerClosed, 0, nil
	}
	v, err := b.s.run(ctx, breakerStateScript, b.keys(key), max(probeTTL.Milliseconds(), 1), owner)
	if err != nil {
		if ctx.Err() != nil {
			return sharedstate.BreakerClosed, 0, ctx.Err()
		}
		b.s.fellBack(ctx, "breaker.state")
		return sharedstate.BreakerClosed, 0, nil
	}
	a, _ := v.([]any)
	if len(a) != 2 {
		b.s.fellBack(ctx, "breaker.state")
		return sharedstate.BreakerClosed, 0, nil
	}
	code, _ := a[0].(int64)
	ms, _ := a[1].(int64)
	d := time.Duration(ms) * time.Millisecond
	switch code {
	case 1:
		b.remember(key, breakerCached{open: true, until: now.Add(d)})
		return sharedstate.BreakerOpen, d, nil
	case 2:
		return sharedstate.BreakerProbe, 0, nil
	case 3:
		return sharedstate.BreakerProbeTaken, d, nil
	}
	if b.s.bcache > 0 {
		b.remember(key, breakerCached{until: now.Add(b.s.bcache)})
	}
	return sharedstate.BreakerClosed, 0, nil
}

// Trip opens key for openFor on Redis's clock, for every replica.
func (b *BreakerStore) Trip(ctx context.Context, key string, openFor time.Duration) error {
	openFor = max(openFor, time.Millisecond)
	b.remember(key, breakerCached{open: true, until: time.Now().Add(openFor)})
	flagTTL := max(10*openFor, 10*time.Minute)
	if _, err := b.s.run(ctx, breakerTripScript, b.keys(key), openFor.Milliseconds(), flagTTL.Milliseconds()); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		b.s.fellBack(ctx, "breaker.trip")
	}
	return nil
}

// Reset closes key for every replica (a probe succeeded).
func (b *BreakerStore) Reset(ctx context.Context, key, owner string) error {
	b.mu.Lock()
	delete(b.cache, key)
	b.mu.Unlock()
	if _, err := b.s.run(ctx, breakerResetScript, b.keys(key), owner); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		b.s.fellBack(ctx, "breaker.reset")
	}
	return nil
}

// ReleaseProbe gives owner's probe claim back without a verdict (the probe
// was not sent), so another replica can probe at once.
func (b *BreakerStore) ReleaseProbe(ctx context.Context, key, owner string) error {
	if _, err := b.s.run(ctx, breakerReleaseScript, b.keys(key), owner); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		b.s.fellBack(ctx, "breaker.release")
	}
	return nil
}
