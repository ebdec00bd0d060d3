// This file holds the deduplication store: the interface the handler uses
// to remember notification ids, and its in-memory implementation with a
// time to live.

package webhooks

import (
	"context"
	"sync"
	"time"
)

// Store remembers the ids of the notifications a Handler has accepted, so
// that a repeated delivery is not processed twice. Implementations must be
// safe for concurrent use; one shared by several replicas (Redis, SQL)
// deduplicates across them.
type Store interface {
	// Claim records id and reports whether it is new: false when id was
	// claimed before and is still remembered.
	Claim(ctx context.Context, id string) (bool, error)
	// Release forgets id, so that a redelivery of the notification is
	// processed. The handler calls it when your function fails.
	Release(ctx context.Context, id string) error
}

// Defaults of MemoryStoreOptions.
const (
	DefaultDedupTTL        = 24 * time.Hour
	DefaultDedupMaxEntries = 100_000
)

// MemoryStoreOptions configures NewMemoryStore. The zero value means the
// defaults.
type MemoryStoreOptions struct {
	// TTL is how long an id is remembered (DefaultDedupTTL when zero).
	TTL time.Duration
	// MaxEntries bounds the ids remembered (DefaultDedupMaxEntries when
	// zero); past it, the oldest are forgotten first.
	MaxEntries int
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// MemoryStore is a Store in memory: ids are remembered for a TTL, at most
// MaxEntries of them, oldest forgotten first. It deduplicates within one
// process only. Use NewMemoryStore; it is safe for concurrent use.
type MemoryStore struct {
	ttl time.Duration
	max int
	now func() time.Time

	mu    sync.Mutex
	ids   map[string]time.Time // id → expiry
	queue []memEntry           // claims in order; since the TTL is fixed, in expiry order too
	head  int
}

type memEntry struct {
	id     string
	expiry time.Time
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore(opts MemoryStoreOptions) *MemoryStore {
	m := &MemoryStore{ttl: opts.TTL, max: opts.MaxEntries, now: opts.Now, ids: map[string]time.Time{}}
	if m.ttl <= 0 {
		m.ttl = DefaultDedupTTL
	}
	if m.max <= 0 {
		m.max = DefaultDedupMaxEntries
	}
	if m.now == nil {
		m.now = time.Now
	}
	return m
}

// Claim records id for the TTL and reports whether it was new.
func (m *MemoryStore) Claim(_ context.Context, id string) (bool, error) {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.expire(now)
	if exp, ok := m.ids[id]; ok && now.Before(exp) {
		return false, nil
	}
	for len(m.ids) >= m.max && m.head < len(m.queue) {
		m.pop()
	}
	exp := now.Add(m.ttl)
	m.ids[id] = exp
	m.queue = append(m.queue, memEntry{id, exp})
	return true, nil
}

// Release forgets id.
func (m *MemoryStore) Release(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.ids, id)
	return nil
}

// Len returns how many ids are remembered.
func (m *MemoryStore) Len() int {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.expire(now)
	return len(m.ids)
}

// expire forgets the ids whose time is up.
func (m *MemoryStore) expire(now time.Time) {
	for m.head < len(m.queue) && !now.Before(m.queue[m.head].expiry) {
		m.pop()
	}
}

// pop drops the oldest claim, and its id unless a later claim renewed it.
func (m *MemoryStore) pop() {
	e := m.queue[m.head]
	m.queue[m.head] = memEntry{}
	m.head++
	if exp, ok := m.ids[e.id]; ok && exp.Equal(e.expiry) {
		delete(m.ids, e.id)
	}
	if m.head > 1024 && m.head*2 > len(m.queue) {
		m.queue = append(m.queue[:0:0], m.queue[m.head:]...)
		m.head = 0
	}
}
