// tokens.go: member tokens on Redis (versioned compare-and-swap,
// conditional invalidation, refresh lease, the expiring index) behind a
// local cache.

package redisstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/linkedin-go/linkedin/oauth"
)

// KEYS of the token scripts: 1 the member's hash (v version, t token JSON,
// a SHA-256 of the access token, inv "1" when invalid, si the index score
// once invalid), 2 the member's version counter (it outlives Delete, so
// versions are never reused), 3 the expiring index (score: ReauthorizeBy,
// unix ms).

// tokenPutScript: ARGV 1 expected version (-1: any), 2 token JSON, 3
// member, 4 index score ("" for none), 5 "1" when invalid, 6 access token
// hash, 7 index score once invalid, 8 lifetime (ms). Returns {1, version}
// or {0, current version}.
var tokenPutScript = redis.NewScript(`
local cur = tonumber(redis.call('HGET', KEYS[1], 'v')) or 0
local prev = tonumber(ARGV[1])
if prev >= 0 and cur ~= prev then return {0, cur} end
local v = redis.call('INCR', KEYS[2])
if v <= cur then v = cur + 1 redis.call('SET', KEYS[2], v) end
redis.call('HSET', KEYS[1], 'v', v, 't', ARGV[2], 'inv', ARGV[5], 'a', ARGV[6], 'si', ARGV[7])
redis.call('PEXPIRE', KEYS[1], ARGV[8])
redis.call('PEXPIRE', KEYS[2], ARGV[8])
if ARGV[4] == '' then redis.call('ZREM', KEYS[3], ARGV[3]) else redis.call('ZADD', KEYS[3], ARGV[4], ARGV[3]) end
return {1, v}
`)

// tokenInvalidateScript: ARGV 1 access token hash, 2 member. Returns 1
// when it invalidated the token.
var tokenInvalidateScript = redis.NewScript(`
local h = redis.call('HMGET', KEYS[1], 'v', 'a', 'inv', 'si')
if not h[1] or h[2] ~= ARGV[1] or h[3] == '1' then return 0 end
local cur = tonumber(h[1])
local v = redis.call('INCR', KEYS[2])
if v <= cur then v = cur + 1 redis.call('SET', KEYS[2], v) end
redis.call('HSET', KEYS[1], 'v', v, 'inv', '1')
if h[4] == '' then redis.call('ZREM', KEYS[3], ARGV[2]) else redis.call('ZADD', KEYS[3], h[4], ARGV[2]) end
return 1
`)

// tokenGetScript returns {version, JSON, inv}.
var tokenGetScript = redis.NewScript(`
return redis.call('HMGET', KEYS[1], 'v', 't', 'inv')
`)

// tokenDeleteScript: ARGV 1 member.
var tokenDeleteScript = redis.NewScript(`
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return 1
`)

// tokenExpiringScript: KEYS 1 the index; ARGV 1 before (unix ms,
// exclusive), 2 the member hash key prefix. Returns a flat list of member,
// version, JSON, inv.
var tokenExpiringScript = redis.NewScript(`
local out = {}
for _, m in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])) do
  local h = redis.call('HMGET', ARGV[2] .. m, 'v', 't', 'inv')
  if h[1] then
    out[#out + 1] = m
    out[#out + 1] = h[1]
    out[#out + 1] = h[2]
    out[#out + 1] = h[3] or '0'
  end
end
return out
`)

// tokenLeaseScript: KEYS 1 the lease. ARGV 1 holder, 2 lifetime (ms).
var tokenLeaseScript = redis.NewScript(`
local cur = redis.call('GET', KEYS[1])
if cur == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if cur then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`)

// tokenReleaseScript: KEYS 1 the lease. ARGV 1 holder.
var tokenReleaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`)

// TokenStore is the Redis member-token store; it implements the oauth
// package's MemberTokenStore. Get it from Store.Tokens.
//
// Reads are served from a local cache while the cached token is valid,
// not invalidated, and further than Options.TokenCacheMargin from its
// expiry; otherwise they read Redis. Writes go to Redis and the cache.
// When Redis is unavailable, reads answer from the cache, writes are kept
// locally and written back (versioned) when Redis returns, and leases are
// taken in-process (one refresher per replica).
type TokenStore struct {
	s     *Store
	local *localTokens
}

var _ oauth.MemberTokenStore = (*TokenStore)(nil)

func newTokenStore(s *Store) *TokenStore {
	return &TokenStore{s: s, local: newLocalTokens(s.now)}
}

func (ts *TokenStore) prefix() string { return ts.s.tag("t", "") + ":m:" }
func (ts *TokenStore) keys(member string) []string {
	t := ts.s.tag("t", "")
	return []string{t + ":m:" + member, t + ":v:" + member, t + ":exp"}
}
func (ts *TokenStore) leaseKey(member string) string { return ts.s.tag("t", "") + ":l:" + member }

// errBadEntry is the error for a stored entry that does not decode; it
// never quotes the entry, which holds secrets.
var errBadEntry = errors.New("redisstore: stored token entry does not decode")

// errNoCopy is the error of a read while Redis is unavailable for a member
// this replica has not cached.
var errNoCopy = errors.New("redisstore: redis unavailable and no local copy of the member's token")

// accessHash is what Redis keeps to compare access tokens.
func accessHash(tok *oauth.Token) string {
	if tok == nil || tok.Token == nil {
		return ""
	}
	return hashAccess(tok.AccessToken)
}

func hashAccess(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:16])
}

// score is the index score of t: its ReauthorizeBy in unix ms, "" when
// zero (not indexed).
func score(t oauth.MemberToken) string {
	by := t.ReauthorizeBy()
	if by.IsZero() {
		return ""
	}
	return strconv.FormatInt(by.UnixMilli(), 10)
}

// Get returns the member's token (a copy) or an error wrapping
// ErrTokenNotFound.
func (ts *TokenStore) Get(ctx context.Context, member string) (*oauth.MemberToken, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if mt, ok := ts.local.fresh(member, ts.s.tmargin); ok {
		return mt, nil
	}
	ts.writeBack(ctx, member)
	v, err := ts.s.run(ctx, tokenGetScript, ts.keys(member)[:1])
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		ts.s.fellBack(ctx, "tokens.get")
		if mt, ok := ts.local.get(member); ok {
			return mt, nil
		}
		return nil, errNoCopy
	}
	mt, err := decodeEntry(member, v)
	if err != nil {
		return nil, err
	}
	if mt == nil {
		ts.local.drop(member)
		return nil, fmt.Errorf("redisstore: member %q: %w", member, oauth.ErrTokenNotFound)
	}
	ts.local.set(*mt, false, 0)
	return mt, nil
}

// decodeEntry reads tokenGetScript's answer: nil for no entry.
func decodeEntry(member string, v any) (*oauth.MemberToken, error) {
	a, ok := v.([]any)
	if !ok || len(a) != 3 {
		return nil, errBadEntry
	}
	if a[0] == nil {
		return nil, nil
	}
	vs, _ := a[0].(string)
	js, _ := a[1].(string)
	inv, _ := a[2].(string)
	return decodeToken(member, vs, js, inv)
}

func decodeToken(member, version, js, inv string) (*oauth.MemberToken, error) {
	ver, err := strconv.ParseInt(version, 10, 64)
	if err != nil || ver <= 0 || js == "" {
		return nil, errBadEntry
	}
	tok := &oauth.Token{}
	if json.Unmarshal([]byte(js), tok) != nil || tok.Token == nil {
		return nil, errBadEntry
	}
	return &oauth.MemberToken{Member: member, Token: tok, Version: ver, Invalid: inv == "1"}, nil
}

// put runs tokenPutScript: the new version and true, or the current
// version and false.
func (ts *TokenStore) put(ctx context.Context, t oauth.MemberToken, prev int64) (int64, bool, error) {
	js, err := json.Marshal(t.Token)
	if err != nil {
		return 0, false, errors.New("redisstore: token does not encode")
	}
	inv := t
	inv.Invalid = true
	v, err := ts.s.run(ctx, tokenPutScript, ts.keys(t.Member),
		prev, string(js), t.Member, score(t), flag(t.Invalid), accessHash(t.Token), score(inv), ts.s.tttl.Milliseconds())
	if err != nil {
		return 0, false, err
	}
	a, _ := v.([]any)
	if len(a) != 2 {
		return 0, false, errBadEntry
	}
	ok, _ := a[0].(int64)
	nv, _ := a[1].(int64)
	return nv, ok == 1, nil
}

// Put writes t if the member's stored version is still prev (0: absent,
// AnyVersion: whatever is stored) and returns the new version, or an error
// wrapping ErrVersionConflict.
func (ts *TokenStore) Put(ctx context.Context, t oauth.MemberToken, prev int64) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if t.Token == nil || t.Token.Token == nil {
		return 0, fmt.Errorf("redisstore: Put: member %q: nil token", t.Member)
	}
	ts.writeBack(ctx, t.Member)
	nv, ok, err := ts.put(ctx, t, prev)
	if err == nil {
		if !ok {
			return 0, fmt.Errorf("redisstore: member %q: %w", t.Member, oauth.ErrVersionConflict)
		}
		t.Version = nv
		ts.local.set(t, false, 0)
		return nv, nil
	}
	if ctx.Err() != nil {
		return 0, ctx.Err()
	}
	if errors.Is(err, errBadEntry) {
		return 0, err
	}
	ts.s.fellBack(ctx, "tokens.put")
	nv, ok = ts.local.putDirty(t, prev)
	if !ok {
		return 0, fmt.Errorf("redisstore: member %q: %w", t.Member, oauth.ErrVersionConflict)
	}
	return nv, nil
}

// writeBack writes a token put during an outage to Redis, versioned
// against the Redis version it replaced; if another replica wrote since,
// its token wins and the local one is dropped. When Redis lost the entry
// (a restart without persistence) the local token is written as new.
func (ts *TokenStore) writeBack(ctx context.Context, member string) {
	e, ok := ts.local.dirty(member)
	if !ok {
		return
	}
	nv, ok, err := ts.put(ctx, e.mt, e.base)
	if err == nil && !ok && nv == 0 {
		nv, ok, err = ts.put(ctx, e.mt, 0)
	}
	if err != nil {
		return
	}
	ts.local.wroteBack(member, e.mt.Version, nv, ok)
}

// Invalidate marks the member's token invalid, with a new version, if its
// access token is still accessToken, and reports whether it did.
func (ts *TokenStore) Invalidate(ctx context.Context, member, accessToken string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if accessToken == "" {
		return false, nil
	}
	localDone := ts.local.invalidate(member, accessToken)
	if _, dirty := ts.local.dirty(member); dirty {
		return localDone, nil
	}
	v, err := ts.s.run(ctx, tokenInvalidateScript, ts.keys(member), hashAccess(accessToken), member)
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

// Delete removes the member's token; its version counter stays, so a
// later token gets a higher version.
func (ts *TokenStore) Delete(ctx context.Context, member string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ts.local.drop(member)
	if _, err := ts.s.run(ctx, tokenDeleteScript, ts.keys(member), member); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		ts.s.fellBack(ctx, "tokens.delete")
	}
	return nil
}

// AcquireLease grants holder the right to refresh the member's token for
// ttl (SET NX PX; the holder may extend it) and reports whether it did.
func (ts *TokenStore) AcquireLease(ctx context.Context, member, holder string, ttl time.Duration) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	ttl = max(ttl, time.Millisecond)
	v, err := ts.s.run(ctx, tokenLeaseScript, []string{ts.leaseKey(member)}, holder, ttl.Milliseconds())
	if err == nil {
		n, _ := v.(int64)
		return n == 1, nil
	}
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	ts.s.fellBack(ctx, "tokens.lease")
	return ts.local.lease(member, holder, ttl), nil
}

// ReleaseLease ends holder's lease on the member, if it still holds it.
func (ts *TokenStore) ReleaseLease(ctx context.Context, member, holder string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ts.local.release(member, holder)
	if _, err := ts.s.run(ctx, tokenReleaseScript, []string{ts.leaseKey(member)}, holder); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		ts.s.fellBack(ctx, "tokens.release")
	}
	return nil
}

// Expiring returns the tokens whose ReauthorizeBy is set and before
// before, earliest first.
func (ts *TokenStore) Expiring(ctx context.Context, before time.Time) ([]oauth.MemberToken, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	v, err := ts.s.run(ctx, tokenExpiringScript, ts.keys("")[2:], strconv.FormatInt(before.UnixMilli(), 10), ts.prefix())
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		ts.s.fellBack(ctx, "tokens.expiring")
		return ts.local.expiring(before), nil
	}
	a, _ := v.([]any)
	out := make([]oauth.MemberToken, 0, len(a)/4)
	for i := 0; i+3 < len(a); i += 4 {
		m, _ := a[i].(string)
		ver, _ := a[i+1].(string)
		js, _ := a[i+2].(string)
		inv, _ := a[i+3].(string)
		mt, err := decodeToken(m, ver, js, inv)
		if err != nil {
			return nil, err
		}
		out = append(out, *mt)
	}
	return out, nil
}
