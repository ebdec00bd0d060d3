// This file holds the in-process QuotaStore and BreakerStore: the default
// state of the layers, private to one layer unless the same store is given
// to several (which shares it between the clients of one process).

package middleware

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/linkedin-go/linkedin/restli"
)

// MemoryQuotaStore is the in-process QuotaStore. Its zero value is not
// usable; create one with NewMemoryQuotaStore.
type MemoryQuotaStore struct {
	now func() time.Time

	marksN atomic.Int64 // len(marks), read without the lock on the hot path
	mu     sync.Mutex
	marks  map[quotaMarkKey]QuotaMark
	tats   map[string]time.Time // GCRA theoretical arrival times, by RateKey
	days   map[string]quotaDay  // daily counters, by DailyKey
}

type quotaMarkKey struct{ host, resource, member string }

// quotaDay is a daily counter: n calls on UTC day.
type quotaDay struct {
	day int64
	n   int64
}

// NewMemoryQuotaStore returns an empty in-process QuotaStore reading the
// time from now (nil means time.Now).
func NewMemoryQuotaStore(now func() time.Time) *MemoryQuotaStore {
	if now == nil {
		now = time.Now
	}
	return &MemoryQuotaStore{
		now:   now,
		marks: map[quotaMarkKey]QuotaMark{},
		tats:  map[string]time.Time{},
		days:  map[string]quotaDay{},
	}
}

// Step implements QuotaStore.
func (s *MemoryQuotaStore) Step(ctx context.Context, st QuotaStep) (QuotaDecision, error) {
	if err := ctx.Err(); err != nil {
		return QuotaDecision{}, err
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if m, ok := s.markLocked(now, st.Host, st.Resource, st.Member); ok {
		return QuotaDecision{ExhaustedUntil: m.Until, Scope: m.Scope}, nil
	}
	day := now.UTC().Unix() / 86400
	var count quotaDay
	if st.DailyKey != "" && st.DailyLimit > 0 {
		count = s.days[st.DailyKey]
		if count.day != day {
			count = quotaDay{day: day}
		}
		if count.n >= st.DailyLimit {
			return QuotaDecision{ExhaustedUntil: restli.NextQuotaReset(now), Scope: restli.QuotaScopeApplication}, nil
		}
	}
	var delay time.Duration
	var tat time.Time
	if st.RateKey != "" && st.Rate.Interval > 0 {
		var ok bool
		tat, delay, ok = gcra(s.tats[st.RateKey], now, st.Rate)
		if !ok || delay > st.MaxDelay {
			return QuotaDecision{RetryAfter: delay}, nil
		}
		s.tats[st.RateKey] = tat
	}
	if st.DailyKey != "" && st.DailyLimit > 0 {
		count.n++
		s.days[st.DailyKey] = count
	}
	return QuotaDecision{Allowed: true, Delay: delay}, nil
}

// gcra is one step of the generic cell rate algorithm: from the stored
// theoretical arrival time, it returns the new one and how long the call
// must wait for its slot. ok is false when the rate admits no call.
func gcra(stored, now time.Time, r QuotaRate) (tat time.Time, delay time.Duration, ok bool) {
	burst := max(r.Burst, 1)
	tat = stored
	if tat.Before(now) {
		tat = now
	}
	tat = tat.Add(r.Interval)
	allowAt := tat.Add(-time.Duration(burst) * r.Interval)
	if d := allowAt.Sub(now); d > 0 {
		delay = d
	}
	return tat, delay, true
}

// MarkExhausted implements QuotaStore.
func (s *MemoryQuotaStore) MarkExhausted(ctx context.Context, m QuotaMark) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	k := quotaMarkKey{m.Host, m.Resource, m.Member}
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.marks[k]; ok && !old.Until.Before(m.Until) {
		return nil
	}
	s.marks[k] = m
	s.marksN.Store(int64(len(s.marks)))
	return nil
}

// Exhausted implements QuotaStore.
func (s *MemoryQuotaStore) Exhausted(ctx context.Context, host, resource, member string) (QuotaMark, error) {
	if s.marksN.Load() == 0 {
		return QuotaMark{}, nil // the common case: no call has met a DAY limit
	}
	if err := ctx.Err(); err != nil {
		return QuotaMark{}, err
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	m, _ := s.markLocked(now, host, resource, member)
	return m, nil
}

// markLocked returns the live mark covering the attempt, dropping expired
// ones it meets.
func (s *MemoryQuotaStore) markLocked(now time.Time, host, resource, member string) (QuotaMark, bool) {
	if len(s.marks) == 0 {
		return QuotaMark{}, false
	}
	keys := [2]quotaMarkKey{{host, resource, ""}, {host, resource, member}}
	n := 2
	if member == "" {
		n = 1
	}
	for _, k := range keys[:n] {
		m, ok := s.marks[k]
		if !ok {
			continue
		}
		if !now.Before(m.Until) {
			delete(s.marks, k)
			s.marksN.Store(int64(len(s.marks)))
			continue
		}
		return m, true
	}
	return QuotaMark{}, false
}

// MemoryBreakerStore is the in-process BreakerStore. Its zero value is not
// usable; create one with NewMemoryBreakerStore.
type MemoryBreakerStore struct {
	now    func() time.Time
	probes int // leases at a time: 1, or HalfOpenRequests for a layer's private store

	n    atomic.Int64 // len(keys), read without the lock on the hot path
	mu   sync.Mutex
	keys map[string]breakerShared
}

// breakerShared is one key's shared state: open until openUntil, and the
// expiry of each probe lease out.
type breakerShared struct {
	openUntil time.Time
	leases    []time.Time
}

// NewMemoryBreakerStore returns an empty in-process BreakerStore reading
// the time from now (nil means time.Now).
func NewMemoryBreakerStore(now func() time.Time) *MemoryBreakerStore {
	if now == nil {
		now = time.Now
	}
	return &MemoryBreakerStore{now: now, probes: 1, keys: map[string]breakerShared{}}
}

// Load implements BreakerStore.
func (s *MemoryBreakerStore) Load(ctx context.Context, key string) (time.Time, error) {
	if s.n.Load() == 0 {
		return time.Time{}, nil // the common case: every host is healthy
	}
	if err := ctx.Err(); err != nil {
		return time.Time{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.keys[key].openUntil, nil
}

// Trip implements BreakerStore.
func (s *MemoryBreakerStore) Trip(ctx context.Context, key string, until time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[key] = breakerShared{openUntil: until}
	s.n.Store(int64(len(s.keys)))
	return nil
}

// AcquireProbe implements BreakerStore.
func (s *MemoryBreakerStore) AcquireProbe(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.keys[key]
	if !ok {
		return true, nil // closed: nothing to probe, nothing to hold
	}
	live := st.leases[:0]
	for _, until := range st.leases {
		if now.Before(until) {
			live = append(live, until)
		}
	}
	st.leases = live
	if len(st.leases) >= s.probes {
		s.keys[key] = st
		return false, nil
	}
	st.leases = append(st.leases, now.Add(ttl))
	s.keys[key] = st
	return true, nil
}

// ReleaseProbe implements BreakerStore.
func (s *MemoryBreakerStore) ReleaseProbe(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.keys[key]; ok && len(st.leases) > 0 {
		st.leases = st.leases[1:]
		s.keys[key] = st
	}
	return nil
}

// Reset implements BreakerStore.
func (s *MemoryBreakerStore) Reset(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.keys, key)
	s.n.Store(int64(len(s.keys)))
	return nil
}
