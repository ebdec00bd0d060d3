// quota.go: the shared quota step (GCRA smoothing and daily budgets on
// Redis's clock) and the DAY-quota marks.

package redisstore

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/linkedin-go/linkedin/transport/sharedstate"
)

// quotaScript is one attempt's quota step. It checks the DAY marks, the
// daily budgets and the GCRA schedules, and commits only when every rule
// allows the attempt within the longest wait the caller accepts, so a
// refused attempt spends nothing.
//
// KEYS: 1 app TAT, 2 member TAT, 3 resource TAT, 4 app day, 5 member day,
// 6 resource mark, 7 member's resource mark.
// ARGV: 1-2 app interval (µs) and burst, 3-4 member, 5-6 resource,
// 7 app daily limit, 8 member daily limit, 9 max wait (µs), 10 "1" when a
// member is set, 11 "1" when a resource is set.
// Returns {code, value, scope}: code 0 allowed (value: wait µs), 1 refused
// for now (value: wait µs), 2 out of DAY quota (value: reset, unix ms).
var quotaScript = redis.NewScript(`
local t = redis.call('TIME')
local sec = tonumber(t[1])
local now = sec * 1000000 + tonumber(t[2])
local day = math.floor(sec / 86400)
local reset = (day + 1) * 86400000
local hasMember = ARGV[10] == '1'
local hasResource = ARGV[11] == '1'

if hasResource then
  local m = redis.call('GET', KEYS[6])
  if m then return {2, tonumber(m), 'mark'} end
  if hasMember then
    m = redis.call('GET', KEYS[7])
    if m then return {2, tonumber(m), 'mark'} end
  end
end

local function spent(k, limit)
  if limit <= 0 then return false end
  local d = redis.call('HMGET', k, 'd', 'n')
  return tonumber(d[1]) == day and (tonumber(d[2]) or 0) >= limit
end
if spent(KEYS[4], tonumber(ARGV[7])) then return {2, reset, 'app'} end
if hasMember and spent(KEYS[5], tonumber(ARGV[8])) then return {2, reset, 'member'} end

local wait, scope = 0, ''
local tats = {}
local function gcra(k, iv, burst, name)
  if iv <= 0 then return end
  local tat = tonumber(redis.call('GET', k)) or now
  if tat < now then tat = now end
  local w = tat + iv - burst * iv - now
  if w > wait then wait, scope = w, name end
  tats[#tats + 1] = {k, tat + iv}
end
gcra(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), 'app')
if hasMember then gcra(KEYS[2], tonumber(ARGV[3]), tonumber(ARGV[4]), 'member') end
if hasResource then gcra(KEYS[3], tonumber(ARGV[5]), tonumber(ARGV[6]), 'resource') end
if wait > tonumber(ARGV[9]) then return {1, wait, scope} end

for _, e in ipairs(tats) do
  redis.call('SET', e[1], e[2], 'PX', math.floor((e[2] - now) / 1000) + 1000)
end
local function count(k, limit)
  if limit <= 0 then return end
  if tonumber(redis.call('HGET', k, 'd')) ~= day then
    redis.call('HSET', k, 'd', day, 'n', 1)
  else
    redis.call('HINCRBY', k, 'n', 1)
  end
  redis.call('PEXPIREAT', k, reset + 3600000)
end
count(KEYS[4], tonumber(ARGV[7]))
if hasMember then count(KEYS[5], tonumber(ARGV[8])) end
return {0, wait, scope}
`)

// markScript records a DAY-quota mark. KEYS: 1 the mark. ARGV: 1 until
// (unix ms; 0 or less: the next 00:00 UTC on Redis's clock). Returns the
// time recorded, or 0 when until has already passed.
var markScript = redis.NewScript(`
local t = redis.call('TIME')
local sec = tonumber(t[1])
local nowms = sec * 1000 + math.floor(tonumber(t[2]) / 1000)
local u = tonumber(ARGV[1])
if u <= 0 then u = (math.floor(sec / 86400) + 1) * 86400000 end
if u <= nowms then return 0 end
local cur = tonumber(redis.call('GET', KEYS[1]))
if cur and cur >= u then return cur end
redis.call('SET', KEYS[1], u)
redis.call('PEXPIREAT', KEYS[1], u)
return u
`)

// QuotaStore is the Redis quota and rate state: it implements
// sharedstate.QuotaStore. Get it from Store.Quota.
type QuotaStore struct {
	s     *Store
	local *localQuota
}

var _ sharedstate.QuotaStore = (*QuotaStore)(nil)

func newQuotaStore(s *Store) *QuotaStore {
	return &QuotaStore{s: s, local: newLocalQuota(s.now, s.replicas)}
}

// quotaKeys returns the seven keys of quotaScript for k.
func (q *QuotaStore) quotaKeys(k sharedstate.QuotaKey) []string {
	app := k.App
	if app == "" {
		app = "default"
	}
	t := q.s.tag("q", app)
	mark := t + ":x:" + k.Host + " " + k.Resource
	return []string{
		t + ":r:a",
		t + ":r:m:" + k.Member,
		t + ":r:r:" + k.Resource,
		t + ":d:a",
		t + ":d:m:" + k.Member,
		mark,
		mark + " m:" + k.Member,
	}
}

// interval returns the GCRA emission interval of r in microseconds (0: no
// limit) and its burst (at least 1).
func interval(r sharedstate.Rate) (int64, int) {
	if r.PerSecond <= 0 || math.IsNaN(r.PerSecond) || math.IsInf(r.PerSecond, 0) {
		return 0, 1
	}
	return max(int64(1e6/r.PerSecond), 1), max(r.Burst, 1)
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// Take spends one attempt of k under p, in one round trip to Redis. A
// resource marked out of its DAY quota (on this replica, or by any replica
// through Redis) or a spent daily budget gives DayExhausted with the reset
// time; a rate that would make the attempt wait longer than p.MaxWait
// gives a refusal that spends nothing. When Redis is unavailable the step
// runs on in-process state (see Options.Replicas) and never fails.
func (q *QuotaStore) Take(ctx context.Context, k sharedstate.QuotaKey, p sharedstate.QuotaPolicy) (sharedstate.QuotaDecision, error) {
	if d, ok := q.local.marked(k); ok {
		return d, nil
	}
	ai, ab := interval(p.App)
	mi, mb := interval(p.Member)
	ri, rb := interval(p.Resource)
	v, err := q.s.run(ctx, quotaScript, q.quotaKeys(k),
		ai, ab, mi, mb, ri, rb, max(p.AppDaily, 0), max(p.MemberDaily, 0),
		max(p.MaxWait.Microseconds(), 0), flag(k.Member != ""), flag(k.Resource != ""))
	if err != nil {
		if ctx.Err() != nil {
			return sharedstate.QuotaDecision{}, ctx.Err()
		}
		q.s.fellBack(ctx, "quota.take")
		return q.local.take(k, p), nil
	}
	d, perr := parseDecision(v)
	if perr != nil {
		q.s.fellBack(ctx, "quota.take")
		return q.local.take(k, p), nil
	}
	if d.DayExhausted && d.Scope == "mark" {
		q.local.mark(k, d.Reset)
	}
	return d, nil
}

// parseDecision reads quotaScript's answer.
func parseDecision(v any) (sharedstate.QuotaDecision, error) {
	a, ok := v.([]any)
	if !ok || len(a) != 3 {
		return sharedstate.QuotaDecision{}, fmt.Errorf("redisstore: unexpected quota answer %T", v)
	}
	code, ok1 := a[0].(int64)
	val, ok2 := a[1].(int64)
	scope, _ := a[2].(string)
	if !ok1 || !ok2 {
		return sharedstate.QuotaDecision{}, fmt.Errorf("redisstore: unexpected quota answer")
	}
	switch code {
	case 0:
		return sharedstate.QuotaDecision{Allowed: true, Wait: time.Duration(val) * time.Microsecond, Scope: scope}, nil
	case 1:
		return sharedstate.QuotaDecision{Wait: time.Duration(val) * time.Microsecond, Scope: scope}, nil
	case 2:
		return sharedstate.QuotaDecision{DayExhausted: true, Reset: time.UnixMilli(val).UTC(), Scope: scope}, nil
	}
	return sharedstate.QuotaDecision{}, fmt.Errorf("redisstore: unexpected quota code %d", code)
}

// MarkDayExhausted records, for every replica, that k's resource on k's
// host (for k.Member only, when it is set) is out of its DAY quota until
// until; a zero until means the next 00:00 UTC on Redis's clock. The mark
// is also kept in-process, so this replica needs no round trip to refuse
// the resource, and it holds while Redis is unavailable.
func (q *QuotaStore) MarkDayExhausted(ctx context.Context, k sharedstate.QuotaKey, until time.Time) error {
	keys := q.quotaKeys(k)
	key := keys[5]
	if k.Member != "" {
		key = keys[6]
	}
	var ms int64
	if !until.IsZero() {
		ms = until.UnixMilli()
	}
	v, err := q.s.run(ctx, markScript, []string{key}, ms)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		q.s.fellBack(ctx, "quota.mark")
	} else if got, ok := v.(int64); ok && got > 0 {
		until = time.UnixMilli(got).UTC()
	}
	if until.IsZero() {
		until = nextMidnight(q.s.now())
	}
	q.local.mark(k, until)
	return nil
}

// nextMidnight returns the next 00:00 UTC after t.
func nextMidnight(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
}
