// quotalocal.go: the in-process quota state used while Redis is
// unavailable, and the local copy of DAY-quota marks.

package redisstore

import (
	"math"
	"sync"
	"time"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/restli"
)

// localQuota is quotaStepScript on this process's clock, with every limit
// divided by the number of replicas, so that the fleet stays near the
// shared limits while each replica counts alone.
type localQuota struct {
	now      func() time.Time
	replicas int

	mu    sync.Mutex
	tats  map[string]time.Time
	days  map[string]dayCount
	marks map[markKey]middleware.QuotaMark
}

type dayCount struct {
	day int64
	n   int64
}

// localMaxKeys bounds the fallback's maps: past it they are cleared (a
// fallback that forgets is better than one that grows without end).
const localMaxKeys = 1 << 16

func newLocalQuota(now func() time.Time, replicas int) *localQuota {
	return &localQuota{now: now, replicas: max(replicas, 1),
		tats: map[string]time.Time{}, days: map[string]dayCount{}, marks: map[markKey]middleware.QuotaMark{}}
}

// mark keeps m, never shortening a mark.
func (l *localQuota) mark(m middleware.QuotaMark) {
	k := markKey{m.Host, m.Resource, m.Member}
	l.mu.Lock()
	defer l.mu.Unlock()
	if old, ok := l.marks[k]; ok && !old.Until.Before(m.Until) {
		return
	}
	if len(l.marks) >= localMaxKeys {
		clear(l.marks)
	}
	l.marks[k] = m
}

// marked returns the live local mark covering the attempt.
func (l *localQuota) marked(host, resource, member string) (middleware.QuotaMark, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.marks) == 0 {
		return middleware.QuotaMark{}, false
	}
	now := l.now()
	keys := [2]markKey{{host, resource, ""}, {host, resource, member}}
	n := 2
	if member == "" {
		n = 1
	}
	for _, k := range keys[:n] {
		m, ok := l.marks[k]
		if !ok {
			continue
		}
		if !now.Before(m.Until) {
			delete(l.marks, k)
			continue
		}
		return m, true
	}
	return middleware.QuotaMark{}, false
}

// step is quotaStepScript on local state, with this replica's share of the
// limits.
func (l *localQuota) step(st middleware.QuotaStep) middleware.QuotaDecision {
	now := l.now()
	if m, ok := l.marked(st.Host, st.Resource, st.Member); ok {
		return middleware.QuotaDecision{ExhaustedUntil: m.Until, Scope: m.Scope}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	day := now.Unix() / 86400
	var count dayCount
	var limit int64
	if st.DailyKey != "" && st.DailyLimit > 0 {
		limit = int64(math.Ceil(float64(st.DailyLimit) / float64(l.replicas)))
		if count = l.days[st.DailyKey]; count.day != day {
			count = dayCount{day: day}
		}
		if count.n >= limit {
			return middleware.QuotaDecision{ExhaustedUntil: time.Unix((day+1)*86400, 0).UTC(), Scope: restli.QuotaScopeApplication}
		}
	}
	var delay time.Duration
	if st.RateKey != "" && st.Rate.Interval > 0 {
		iv := st.Rate.Interval * time.Duration(l.replicas)
		burst := max(st.Rate.Burst/l.replicas, 1)
		tat := l.tats[st.RateKey]
		if tat.Before(now) {
			tat = now
		}
		tat = tat.Add(iv)
		delay = max(tat.Add(-time.Duration(burst)*iv).Sub(now), 0)
		if delay > st.MaxDelay {
			return middleware.QuotaDecision{RetryAfter: delay}
		}
		if len(l.tats) >= localMaxKeys {
			clear(l.tats)
		}
		l.tats[st.RateKey] = tat
	}
	if limit > 0 {
		count.n++
		if len(l.days) >= localMaxKeys {
			clear(l.days)
		}
		l.days[st.DailyKey] = count
	}
	return middleware.QuotaDecision{Allowed: true, Delay: delay}
}
