// quotalocal.go: the in-process quota state used while Redis is
// unavailable, and the local copy of DAY-quota marks.

package redisstore

import (
	"math"
	"sync"
	"time"

	"github.com/linkedin-go/linkedin/transport/sharedstate"
)

// localQuota is the same GCRA and daily budget as quotaScript, on this
// process's clock, with every limit divided by the number of replicas.
type localQuota struct {
	now      func() time.Time
	replicas int

	mu    sync.Mutex
	tats  map[string]time.Time
	days  map[string]dayCount
	marks map[string]time.Time
}

type dayCount struct {
	day int64
	n   int64
}

func newLocalQuota(now func() time.Time, replicas int) *localQuota {
	return &localQuota{now: now, replicas: max(replicas, 1),
		tats: map[string]time.Time{}, days: map[string]dayCount{}, marks: map[string]time.Time{}}
}

// markKeys returns the local mark keys of k: the resource's and the
// member's.
func markKeys(k sharedstate.QuotaKey) (string, string) {
	r := k.App + "\x00" + k.Host + "\x00" + k.Resource
	return r, r + "\x00" + k.Member
}

// mark remembers that k is out of its DAY quota until until.
func (l *localQuota) mark(k sharedstate.QuotaKey, until time.Time) {
	rk, mk := markKeys(k)
	key := rk
	if k.Member != "" {
		key = mk
	}
	l.mu.Lock()
	if until.After(l.marks[key]) {
		l.marks[key] = until
	}
	l.mu.Unlock()
}

// marked reports a live local mark for k.
func (l *localQuota) marked(k sharedstate.QuotaKey) (sharedstate.QuotaDecision, bool) {
	if k.Resource == "" {
		return sharedstate.QuotaDecision{}, false
	}
	rk, mk := markKeys(k)
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.marks) == 0 {
		return sharedstate.QuotaDecision{}, false
	}
	for _, key := range [2]string{rk, mk} {
		if key == mk && k.Member == "" {
			continue
		}
		if u, ok := l.marks[key]; ok {
			if now.Before(u) {
				return sharedstate.QuotaDecision{DayExhausted: true, Reset: u, Scope: "mark"}, true
			}
			delete(l.marks, key)
		}
	}
	return sharedstate.QuotaDecision{}, false
}

// share divides r among the replicas.
func (l *localQuota) share(r sharedstate.Rate) sharedstate.Rate {
	return sharedstate.Rate{PerSecond: r.PerSecond / float64(l.replicas), Burst: max(r.Burst/l.replicas, 1)}
}

// take is quotaScript on local state.
func (l *localQuota) take(k sharedstate.QuotaKey, p sharedstate.QuotaPolicy) sharedstate.QuotaDecision {
	now := l.now()
	day := now.Unix() / 86400
	reset := time.Unix((day+1)*86400, 0).UTC()
	if d, ok := l.marked(k); ok {
		return d
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	base := k.App + "\x00"
	type rule struct {
		key   string
		limit int64
		scope string
	}
	daily := []rule{{base + "a", p.AppDaily, "app"}}
	if k.Member != "" {
		daily = append(daily, rule{base + "m\x00" + k.Member, p.MemberDaily, "member"})
	}
	for i := range daily {
		if daily[i].limit <= 0 {
			continue
		}
		daily[i].limit = int64(math.Ceil(float64(daily[i].limit) / float64(l.replicas)))
		if c := l.days[daily[i].key]; c.day == day && c.n >= daily[i].limit {
			return sharedstate.QuotaDecision{DayExhausted: true, Reset: reset, Scope: daily[i].scope}
		}
	}
	type sched struct {
		key string
		r   sharedstate.Rate
		sc  string
	}
	rates := []sched{{base + "a", p.App, "app"}}
	if k.Member != "" {
		rates = append(rates, sched{base + "m\x00" + k.Member, p.Member, "member"})
	}
	if k.Resource != "" {
		rates = append(rates, sched{base + "r\x00" + k.Resource, p.Resource, "resource"})
	}
	var wait time.Duration
	scope := ""
	next := make([]time.Time, len(rates))
	for i, s := range rates {
		iv, burst := interval(l.share(s.r))
		if iv == 0 {
			continue
		}
		tat := l.tats[s.key]
		if tat.Before(now) {
			tat = now
		}
		step := time.Duration(iv) * time.Microsecond
		next[i] = tat.Add(step)
		if w := next[i].Add(-time.Duration(burst) * step).Sub(now); w > wait {
			wait, scope = w, s.sc
		}
	}
	if wait > max(p.MaxWait, 0) {
		return sharedstate.QuotaDecision{Wait: wait, Scope: scope}
	}
	for i, s := range rates {
		if !next[i].IsZero() {
			l.tats[s.key] = next[i]
		}
	}
	for _, d := range daily {
		if d.limit <= 0 {
			continue
		}
		c := l.days[d.key]
		if c.day != day {
			c = dayCount{day: day}
		}
		c.n++
		l.days[d.key] = c
	}
	return sharedstate.QuotaDecision{Allowed: true, Wait: wait, Scope: scope}
}
