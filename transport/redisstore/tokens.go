// tokens.go: member tokens on Redis (versioned compare-and-swap, conditional
// invalidation, refresh lease) behind a local cache.

package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/linkedin-go/linkedin/oauth"
	"github.com/linkedin-go/linkedin/transport/sharedstate"
)

// tokenLoadScript: KEYS 1 the member's hash. Returns {version, json, inv}.
var tokenLoadScript = redis.NewScript(`
return redis.call('HMGET', KEYS[1], 'v', 't', 'inv')
`)

// tokenSaveScript: KEYS 1 the member's hash, 2 the expiry index. ARGV 1
// expected version, 2 token JSON, 3 member, 4 index score (unix ms), 5
// lifetime (ms). Returns {1, new version} or {0, current version}.
var tokenSaveScript = redis.NewScript(`
local cur = tonumber(redis.call('HGET', KEYS[1], 'v')) or 0
if cur ~= tonumber(ARGV[1]) then return {0, cur} end
local v = cur + 1
redis.call('HSET', KEYS[1], 'v', v, 't', ARGV[2], 'inv', '0')
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
return {1, v}
`)

// tokenInvalidateScript: KEYS 1 the member's hash. ARGV 1 version.
var tokenInvalidateScript = redis.NewScript(`
if tonumber(redis.call('HGET', KEYS[1], 'v')) == tonumber(ARGV[1]) and redis.call('HGET', KEYS[1], 'inv') ~= '1' then
  redis.call('HSET', KEYS[1], 'inv', '1')
  return 1
end
return 0
`)

// tokenLeaseScript: KEYS 1 the lease. ARGV 1 owner, 2 lifetime (ms).
var tokenLeaseScript = redis.NewScript(`
local cur = redis.call('GET', KEYS[1])
if cur == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if cur then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`)

// tokenReleaseScript: KEYS 1 the lease. ARGV 1 owner.
var tokenReleaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`)

// tokenExpiringScript: KEYS 1 the expiry index. ARGV 1 window (ms).
var tokenExpiringScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now + tonumber(ARGV[1]))
`)

// TokenStore is the Redis member-token store: it implements
// sharedstate.TokenStore. Get it from Store.Tokens.
//
// Reads are served from a local cache while the cached token is valid for
// longer than Options.TokenCacheMargin and was not invalidated; otherwise
// they read Redis. Writes go to Redis and the cache.
type TokenStore struct {
	s *Store

	mu     sync.Mutex
	cache  map[string]*tokenEntry
	leases map[string]localLease // the in-process leases of the fallback
}

// tokenEntry is a cached token. dirty marks a token written while Redis
// was unavailable; base is the Redis version it replaced.
type tokenEntry struct {
	st    sharedstate.StoredToken
	dirty bool
	base  int64
}

type localLease struct {
	owner string
	until time.Time
}

var _ sharedstate.TokenStore = (*TokenStore)(nil)

func newTokenStore(s *Store) *TokenStore {
	return &TokenStore{s: s, cache: map[string]*tokenEntry{}, leases: map[string]localLease{}}
}

func (ts *TokenStore) key(member string) string      { return ts.s.tag("t", "") + ":m:" + member }
func (ts *TokenStore) index() string                 { return ts.s.tag("t", "") + ":exp" }
func (ts *TokenStore) leaseKey(member string) string { return ts.s.tag("t", "") + ":l:" + member }

// errBadEntry is the error for a stored entry that does not decode; it
// never quotes the entry, which holds secrets.
var errBadEntry = errors.New("redisstore: stored token entry does not decode")

// fresh reports whether a cached entry may be served without Redis.
func (ts *TokenStore) fresh(e *tokenEntry) bool {
	if e == nil || e.dirty || e.st.Invalid || e.st.Token == nil || e.st.Token.Token == nil {
		return false
	}
	exp := e.st.Token.Expiry
	return exp.IsZero() || exp.Sub(ts.s.now()) > ts.s.tmargin
}

func (ts *TokenStore) cached(member string) *tokenEntry {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if e, ok := ts.cache[member]; ok {
		cp := *e
		return &cp
	}
	return nil
}

// Load returns member's token: from the cache when it is fresh, otherwise
// from Redis. A token written locally while Redis was unavailable is
// written back first (if Redis still holds the version it replaced). When
// Redis is unavailable Load answers from the cache.
func (ts *TokenStore) Load(ctx context.Context, member string) (sharedstate.StoredToken, error) {
	e := ts.cached(member)
	if ts.fresh(e) {
		return e.st, nil
	}
	if e != nil && e.dirty {
		ts.writeBack(ctx, member, e)
	}
	v, err := ts.s.run(ctx, tokenLoadScript, []string{ts.key(member)})
	if err != nil {
		if ctx.Err() != nil {
			return sharedstate.StoredToken{}, ctx.Err()
		}
		ts.s.fellBack(ctx, "tokens.load")
		if e = ts.cached(member); e != nil {
			return e.st, nil
		}
		return sharedstate.StoredToken{}, nil
	}
	st, err := decodeEntry(v)
	if err != nil {
		return sharedstate.StoredToken{}, err
	}
	ts.mu.Lock()
	if cur, ok := ts.cache[member]; ok && cur.dirty && cur.st.Version > st.Version {
		st = cur.st // a local write not yet written back
	} else if st.Version == 0 {
		delete(ts.cache, member)
	} else {
		ts.cache[member] = &tokenEntry{st: st}
	}
	ts.mu.Unlock()
	return st, nil
}

// writeBack writes a token saved during an outage to Redis, versioned
// against the Redis version it replaced; if another replica wrote since,
// its token wins and the local one is dropped. When Redis lost the entry
// altogether (a restart without persistence), the local token is written
// as a new entry; versions then restart at 1, so a token another replica
// wrote after such a restart at the same version number can be replaced
// (both are valid tokens of the same member).
func (ts *TokenStore) writeBack(ctx context.Context, member string, e *tokenEntry) {
	nv, ok, err := ts.save(ctx, member, e.st.Token, e.base)
	if err == nil && !ok && nv == 0 {
		// Redis lost the entry (restarted without persistence): the
		// local token is the newest there is.
		nv, ok, err = ts.save(ctx, member, e.st.Token, 0)
	}
	if err != nil {
		return
	}
	ts.mu.Lock()
	defer ts.mu.Unlock()
	cur, present := ts.cache[member]
	if !present || cur.st.Version != e.st.Version || !cur.dirty {
		return
	}
	if ok {
		cur.dirty = false
		cur.st.Version = nv
	} else {
		delete(ts.cache, member)
	}
}

// decodeEntry reads tokenLoadScript's answer.
func decodeEntry(v any) (sharedstate.StoredToken, error) {
	a, ok := v.([]any)
	if !ok || len(a) != 3 {
		return sharedstate.StoredToken{}, errBadEntry
	}
	if a[0] == nil {
		return sharedstate.StoredToken{}, nil
	}
	vs, _ := a[0].(string)
	ver, err := strconv.ParseInt(vs, 10, 64)
	js, _ := a[1].(string)
	if err != nil || ver <= 0 || js == "" {
		return sharedstate.StoredToken{}, errBadEntry
	}
	tok := &oauth.Token{}
	if json.Unmarshal([]byte(js), tok) != nil || tok.Token == nil {
		return sharedstate.StoredToken{}, errBadEntry
	}
	inv, _ := a[2].(string)
	return sharedstate.StoredToken{Token: tok, Version: ver, Invalid: inv == "1"}, nil
}

// indexScore is when a token needs the member again: its refresh token's
// expiry, or without a refresh token the access token's.
func indexScore(tok *oauth.Token) int64 {
	if tok.RefreshToken != "" && !tok.RefreshTokenExpiry.IsZero() {
		return tok.RefreshTokenExpiry.UnixMilli()
	}
	if tok.RefreshToken == "" && !tok.Expiry.IsZero() {
		return tok.Expiry.UnixMilli()
	}
	return 1 << 53 // never
}

// save runs tokenSaveScript: the new version and true, or the current
// version and false.
func (ts *TokenStore) save(ctx context.Context, member string, tok *oauth.Token, prev int64) (int64, bool, error) {
	js, err := json.Marshal(tok)
	if err != nil {
		return 0, false, errors.New("redisstore: token does not encode")
	}
	v, err := ts.s.run(ctx, tokenSaveScript, []string{ts.key(member), ts.index()},
		prev, string(js), member, indexScore(tok), ts.s.tttl.Milliseconds())
	if err != nil {
		return 0, false, err
	}
	a, _ := v.([]any)
	if len(a) != 2 {
		return 0, false, errBadEntry
	}
	okc, _ := a[0].(int64)
	nv, _ := a[1].(int64)
	return nv, okc == 1, nil
}

// Save writes tok as member's token if the stored version is still prev
// (0: no token yet), and returns the new version; a newer token written
// meanwhile by anyone gives sharedstate.ErrVersionConflict, so a slow
// refresher never overwrites a newer token. When Redis is unavailable the
// token is kept locally (versioned against the cache) and written back when
// Redis returns.
func (ts *TokenStore) Save(ctx context.Context, member string, tok *oauth.Token, prev int64) (int64, error) {
	if tok == nil || tok.Token == nil {
		return 0, errors.New("redisstore: Save: nil token")
	}
	nv, ok, err := ts.save(ctx, member, tok, prev)
	if err == nil {
		if !ok {
			return 0, sharedstate.ErrVersionConflict
		}
		ts.mu.Lock()
		ts.cache[member] = &tokenEntry{st: sharedstate.StoredToken{Token: tok, Version: nv}}
		ts.mu.Unlock()
		return nv, nil
	}
	if ctx.Err() != nil {
		return 0, ctx.Err()
	}
	if errors.Is(err, errBadEntry) {
		return 0, err
	}
	ts.s.fellBack(ctx, "tokens.save")
	ts.mu.Lock()
	defer ts.mu.Unlock()
	cur := ts.cache[member]
	var curV, base int64
	if cur != nil {
		curV, base = cur.st.Version, cur.st.Version
		if cur.dirty {
			base = cur.base
		}
	}
	if curV != prev {
		return 0, sharedstate.ErrVersionConflict
	}
	ts.cache[member] = &tokenEntry{st: sharedstate.StoredToken{Token: tok, Version: prev + 1}, dirty: true, base: base}
	return prev + 1, nil
}

// Invalidate marks member's token invalid if its version is still version
// (only the token that failed is dropped: a newer one written by another
// replica stays), and reports whether it did.
func (ts *TokenStore) Invalidate(ctx context.Context, member string, version int64) (bool, error) {
	ts.mu.Lock()
	localDone := false
	if e, ok := ts.cache[member]; ok && e.st.Version == version && !e.st.Invalid {
		e.st.Invalid, localDone = true, true
	}
	dirty := isDirty(ts.cache[member])
	ts.mu.Unlock()
	if dirty {
		return localDone, nil
	}
	v, err := ts.s.run(ctx, tokenInvalidateScript, []string{ts.key(member)}, version)
	if err != nil {
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		ts.s.fellBack(ctx, "tokens.invalidate")
		return localDone, nil
	}
	n, _ := v.(int64)
	return n == 1, nil
}

// isDirty reports whether e is a token written during an outage.
func isDirty(e *tokenEntry) bool { return e != nil && e.dirty }

// Lease claims the right to refresh member's token for ttl on behalf of
// owner (SET NX PX; the same owner may extend it). When Redis is
// unavailable the lease is taken in-process: one refresher per replica.
func (ts *TokenStore) Lease(ctx context.Context, member, owner string, ttl time.Duration) (bool, error) {
	ttl = max(ttl, time.Millisecond)
	v, err := ts.s.run(ctx, tokenLeaseScript, []string{ts.leaseKey(member)}, owner, ttl.Milliseconds())
	if err == nil {
		n, _ := v.(int64)
		return n == 1, nil
	}
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	ts.s.fellBack(ctx, "tokens.lease")
	now := ts.s.now()
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if l, ok := ts.leases[member]; ok && l.owner != owner && now.Before(l.until) {
		return false, nil
	}
	ts.leases[member] = localLease{owner: owner, until: now.Add(ttl)}
	return true, nil
}

// Release gives member's lease back if owner still holds it.
func (ts *TokenStore) Release(ctx context.Context, member, owner string) error {
	ts.mu.Lock()
	if l, ok := ts.leases[member]; ok && l.owner == owner {
		delete(ts.leases, member)
	}
	ts.mu.Unlock()
	if _, err := ts.s.run(ctx, tokenReleaseScript, []string{ts.leaseKey(member)}, owner); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		ts.s.fellBack(ctx, "tokens.release")
	}
	return nil
}

// Expiring lists the members whose refresh token (or, without one, access
// token) expires within the window, on Redis's clock. When Redis is
// unavailable it lists the cached members that match.
func (ts *TokenStore) Expiring(ctx context.Context, within time.Duration) ([]string, error) {
	v, err := ts.s.run(ctx, tokenExpiringScript, []string{ts.index()}, within.Milliseconds())
	if err == nil {
		a, _ := v.([]any)
		out := make([]string, 0, len(a))
		for _, m := range a {
			if s, ok := m.(string); ok {
				out = append(out, s)
			}
		}
		return out, nil
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	ts.s.fellBack(ctx, "tokens.expiring")
	limit := ts.s.now().Add(within).UnixMilli()
	ts.mu.Lock()
	defer ts.mu.Unlock()
	var out []string
	for m, e := range ts.cache {
		if e.st.Token != nil && e.st.Token.Token != nil && indexScore(e.st.Token) <= limit {
			out = append(out, m)
		}
	}
	return out, nil
}
