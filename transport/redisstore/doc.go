// Package redisstore keeps the LinkedIn client's shared state on Redis, so
// that every replica of a service spends one LinkedIn quota, trips one
// circuit breaker and refreshes each member's token once.
//
// New takes the caller's client as a redis.Scripter (every go-redis client
// is one: *redis.Client, *redis.ClusterClient, sentinel-backed failover
// clients, *redis.Ring) and returns a *Store. Store.Stores gives its three
// stores to transport.WithStores: the quota and rate state
// (middleware.QuotaStore), the breaker state (middleware.BreakerStore) and
// the member tokens (oauth.MemberTokenStore). Every operation is one Lua
// script (EVALSHA, falling back to EVAL after a restart flushed the script
// cache), so it is atomic and costs one round trip.
//
// # Clock
//
// Rate smoothing, the daily budget's 00:00 UTC reset, and the lifetimes of
// leases, probe claims and marks use Redis's clock: the scripts read TIME
// and set PX/PEXPIREAT lifetimes, so replicas whose clocks disagree still
// agree on them. The times the layers pass and compare ("open until T",
// "out of DAY quota until T") are absolute times, as the interfaces define
// them.
//
// # Keys and Redis Cluster
//
// Keys start with Options.Prefix (default "linkedin:") and carry a hash
// tag, so the keys one script touches live in one slot: {<prefix>q:} for
// the quota state, {<prefix>b:<key>} for each breaker, {<prefix>t:} for
// member tokens. The price is that the quota state, and the member tokens,
// each sit on one shard. (The expiring-token listing reads member entries
// it finds in the index: same slot, though not declared as script keys.)
//
// # When Redis is unavailable
//
// No operation fails because Redis is down. An operation that cannot reach
// Redis (an error, or no answer within Options.Timeout) falls back to
// in-process state of the same kind: a local GCRA limiter and daily counter
// with the limits divided by Options.Replicas, the local breaker alone, the
// locally cached tokens with a per-process lease. The fallback is counted
// (metric linkedin.redisstore.fallbacks, attribute op) and logged once when
// Redis goes away and once when it is back. While Redis is away the store
// does not try it again for Options.RetryInterval, so a dead Redis costs no
// timeout per call; after that the next operation tries Redis again and
// sharing resumes. Tokens written during the outage are written back to
// Redis (versioned, so a newer token written elsewhere wins).
//
// # What was taken from gobreaker
//
// Each replica keeps its own sony/gobreaker breaker, which decides when to
// open from its own attempts; the store only shares the verdict ("open
// until T") and the single half-open probe, the two facts that matter fleet
// wide. gobreaker's DistributedCircuitBreaker shares the whole state
// machine instead and holds a Redis lock while the request runs, which
// serialises every request of every replica behind one lock (two 300 ms
// calls on two replicas take over 600 ms). Here no lock is held across a
// request: the half-open probe is a claim (SET NX PX) that expires by
// itself after the probe bound, closed-state requests touch nothing but a
// short local cache, and an open breaker is cached locally until it ends.
// From gobreaker we keep the state names, the rule that one failed probe
// reopens and one good probe closes, and the per-key breakers.
package redisstore
