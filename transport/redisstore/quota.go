// quota.go: the shared quota step (a GCRA rate slot and a daily count on
// Redis's clock, after the DAY-quota marks) and the marks themselves.

package redisstore

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/restli"
)

// quotaStepScript is one attempt's quota step. In order: a DAY-quota mark
// refuses; a spent daily count refuses; a rate slot further away than the
// caller's maximum delay refuses; only then are the slot reserved and the
// count spent, so a refused step spends nothing.
//
// KEYS: 1 rate TAT, 2 daily count, 3 the resource's mark, 4 the member's.
// ARGV: 1 interval (µs, 0: no rate), 2 burst, 3 daily limit (0: none),
// 4 max delay (µs, -1: unbounded), 5 "1" when a member is named.
// Returns {code, value, scope}: 0 allowed (value: delay, µs), 1 refused by
// the rate (value: how far the slot is, µs), 2 refused by a DAY-quota
// mark, 3 refused by the daily count (value: until, unix ms).
var quotaStepScript = redis.NewScript(`
local function mark(k)
  local v = redis.call('GET', k)
  if not v then return nil end
  local ms, scope = string.match(v, '^(%d+)|(.*)$')
  return {2, tonumber(ms), scope}
end
local m = mark(KEYS[3])
if m then return m end
if ARGV[5] == '1' then
  m = mark(KEYS[4])
  if m then return m end
end

local t = redis.call('TIME')
local sec = tonumber(t[1])
local now = sec * 1000000 + tonumber(t[2])
local day = math.floor(sec / 86400)
local reset = (day + 1) * 86400000

local limit = tonumber(ARGV[3])
local count = 0
if limit > 0 then
  local d = redis.call('HMGET', KEYS[2], 'd', 'n')
  if tonumber(d[1]) == day then count = tonumber(d[2]) or 0 end
  if count >= limit then return {3, reset, 'APPLICATION'} end
end

local iv = tonumber(ARGV[1])
local delay, tat = 0, 0
if iv > 0 then
  local burst = tonumber(ARGV[2])
  tat = tonumber(redis.call('GET', KEYS[1])) or now
  if tat < now then tat = now end
  tat = tat + iv
  delay = tat - burst * iv - now
  if delay < 0 then delay = 0 end
  local maxd = tonumber(ARGV[4])
  if maxd >= 0 and delay > maxd then return {1, delay, ''} end
  redis.call('SET', KEYS[1], tat, 'PX', math.floor((tat - now) / 1000) + 1000)
end
if limit > 0 then
  redis.call('HSET', KEYS[2], 'd', day, 'n', count + 1)
  redis.call('PEXPIREAT', KEYS[2], reset + 3600000)
end
return {0, delay, ''}
`)

// quotaMarkScript records a mark that is never shortened. KEYS: 1 the
// mark. ARGV: 1 until (unix ms), 2 scope.
var quotaMarkScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v then
  local ms = tonumber(string.match(v, '^(%d+)|'))
  if ms and ms >= tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2])
redis.call('PEXPIREAT', KEYS[1], ARGV[1])
return 1
`)

// quotaExhaustedScript reads the marks. KEYS: 1 the resource's mark, 2 the
// member's (or the same key again). Returns {until ms, scope, which} with
// which 0 for the resource's mark, 1 for the member's, or an empty array.
var quotaExhaustedScript = redis.NewScript(`
for i = 1, 2 do
  local v = redis.call('GET', KEYS[i])
  if v then
    local ms, scope = string.match(v, '^(%d+)|(.*)$')
    return {tonumber(ms), scope, i - 1}
  end
end
return {}
`)

// QuotaStore is the Redis quota and rate state; it implements the
// middleware package's QuotaStore. Get it from Store.Quota.
//
// Marks are also kept in-process: a resource this replica knows to be out
// of quota is refused without a round trip, and the mark holds while Redis
// is unavailable. Exhausted answers "no mark" from a local cache for
// Options.Cache (a mark another replica set is seen within it; the quota
// step itself always reads the marks on Redis).
type QuotaStore struct {
	s     *Store
	local *localQuota

	mu     sync.Mutex
	noMark map[markKey]time.Time // "no mark" answers, good until
}

var _ middleware.QuotaStore = (*QuotaStore)(nil)

func newQuotaStore(s *Store) *QuotaStore {
	return &QuotaStore{s: s, local: newLocalQuota(s.now, s.replicas), noMark: map[markKey]time.Time{}}
}

// markKey names a mark: member "" is the resource's mark.
type markKey struct{ host, resource, member string }

func (q *QuotaStore) key(kind, name string) string { return q.s.tag("q", "") + ":" + kind + ":" + name }

// markRedisKey returns the Redis key of a mark.
func (q *QuotaStore) markRedisKey(k markKey) string {
	name := k.host + "\x00" + k.resource
	if k.member != "" {
		name += "\x00m:" + k.member
	}
	return q.key("x", name)
}

// micros converts d to microseconds, -1 for "unbounded" (beyond a year).
func micros(d time.Duration) int64 {
	if d > 365*24*time.Hour {
		return -1
	}
	return max(d.Microseconds(), 0)
}

// Step takes one attempt's quota step in one round trip (see
// middleware.QuotaStore). When Redis is unavailable the step runs on
// in-process state with the limits divided by Options.Replicas, is counted
// as a fallback, and never fails.
func (q *QuotaStore) Step(ctx context.Context, st middleware.QuotaStep) (middleware.QuotaDecision, error) {
	if err := ctx.Err(); err != nil {
		return middleware.QuotaDecision{}, err
	}
	if m, ok := q.local.marked(st.Host, st.Resource, st.Member); ok {
		return middleware.QuotaDecision{ExhaustedUntil: m.Until, Scope: m.Scope}, nil
	}
	var iv int64
	if st.RateKey != "" && st.Rate.Interval > 0 {
		iv = max(st.Rate.Interval.Microseconds(), 1)
	}
	var limit int64
	if st.DailyKey != "" && st.DailyLimit > 0 {
		limit = st.DailyLimit
	}
	app := q.markRedisKey(markKey{st.Host, st.Resource, ""})
	mem := app
	if st.Member != "" {
		mem = q.markRedisKey(markKey{st.Host, st.Resource, st.Member})
	}
	v, err := q.s.run(ctx, quotaStepScript, []string{q.key("r", st.RateKey), q.key("d", st.DailyKey), app, mem},
		iv, max(st.Rate.Burst, 1), limit, micros(st.MaxDelay), flag(st.Member != ""))
	if err == nil {
		if d, byMark, perr := parseDecision(v); perr == nil {
			if byMark {
				// A mark set by another replica: keep it here too.
				m := middleware.QuotaMark{Host: st.Host, Resource: st.Resource, Scope: d.Scope, Until: d.ExhaustedUntil}
				if d.Scope == restli.QuotaScopeMember {
					m.Member = st.Member
				}
				q.local.mark(m)
			}
			return d, nil
		}
	} else if ctx.Err() != nil {
		return middleware.QuotaDecision{}, ctx.Err()
	}
	q.s.fellBack(ctx, "quota.step")
	return q.local.step(st), nil
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// parseDecision reads quotaStepScript's answer; byMark reports a refusal
// by a DAY-quota mark.
func parseDecision(v any) (d middleware.QuotaDecision, byMark bool, err error) {
	a, ok := v.([]any)
	if !ok || len(a) != 3 {
		return d, false, fmt.Errorf("redisstore: unexpected quota answer %T", v)
	}
	code, ok1 := a[0].(int64)
	val, ok2 := a[1].(int64)
	scope, _ := a[2].(string)
	if !ok1 || !ok2 {
		return d, false, fmt.Errorf("redisstore: unexpected quota answer")
	}
	switch code {
	case 0:
		return middleware.QuotaDecision{Allowed: true, Delay: time.Duration(val) * time.Microsecond}, false, nil
	case 1:
		return middleware.QuotaDecision{RetryAfter: time.Duration(val) * time.Microsecond}, false, nil
	case 2, 3:
		return middleware.QuotaDecision{ExhaustedUntil: time.UnixMilli(val).UTC(), Scope: scope}, code == 2, nil
	}
	return d, false, fmt.Errorf("redisstore: unexpected quota code %d", code)
}

// MarkExhausted records m for every replica (never shortening a mark) and
// in-process. Its lifetime on Redis ends at m.Until.
func (q *QuotaStore) MarkExhausted(ctx context.Context, m middleware.QuotaMark) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	q.local.mark(m)
	k := markKey{m.Host, m.Resource, m.Member}
	q.mu.Lock()
	delete(q.noMark, k)
	q.mu.Unlock()
	if _, err := q.s.run(ctx, quotaMarkScript, []string{q.markRedisKey(k)}, m.Until.UnixMilli(), m.Scope); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		q.s.fellBack(ctx, "quota.mark")
	}
	return nil
}

// Exhausted returns the live mark covering (host, resource, member): the
// resource's, else the member's; a zero mark when none does.
func (q *QuotaStore) Exhausted(ctx context.Context, host, resource, member string) (middleware.QuotaMark, error) {
	if err := ctx.Err(); err != nil {
		return middleware.QuotaMark{}, err
	}
	if m, ok := q.local.marked(host, resource, member); ok {
		return m, nil
	}
	k := markKey{host, resource, member}
	now := time.Now()
	q.mu.Lock()
	until, cached := q.noMark[k]
	q.mu.Unlock()
	if cached && now.Before(until) {
		return middleware.QuotaMark{}, nil
	}
	app := q.markRedisKey(markKey{host, resource, ""})
	mem := app
	if member != "" {
		mem = q.markRedisKey(k)
	}
	v, err := q.s.run(ctx, quotaExhaustedScript, []string{app, mem})
	if err != nil {
		if ctx.Err() != nil {
			return middleware.QuotaMark{}, ctx.Err()
		}
		q.s.fellBack(ctx, "quota.exhausted")
		return middleware.QuotaMark{}, nil // the local marks were checked above
	}
	a, _ := v.([]any)
	if len(a) != 3 {
		if q.s.cache > 0 {
			q.mu.Lock()
			if len(q.noMark) > 4096 {
				clear(q.noMark) // bound the cache; it only saves round trips
			}
			q.noMark[k] = now.Add(q.s.cache)
			q.mu.Unlock()
		}
		return middleware.QuotaMark{}, nil
	}
	ms, _ := a[0].(int64)
	scope, _ := a[1].(string)
	which, _ := a[2].(int64)
	m := middleware.QuotaMark{Host: host, Resource: resource, Scope: scope, Until: time.UnixMilli(ms).UTC()}
	if which == 1 {
		m.Member = member
	}
	q.local.mark(m)
	return m, nil
}
