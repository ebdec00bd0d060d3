package oauth

// MemoryTokenStore: the in-process MemberTokenStore, the default of
// MemberTokenSource.

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// MemoryTokenStore is a MemberTokenStore in the memory of one process. It
// is the default store of a MemberTokenSource; a service with several
// replicas uses a shared store instead (see MemberTokenStore). The zero
// value is ready to use; it is safe for concurrent use.
type MemoryTokenStore struct {
	// Now is the clock leases expire on; nil means time.Now.
	Now func() time.Time

	mu      sync.Mutex
	tokens  map[string]MemberToken
	leases  map[string]memoryLease
	version int64 // the last version given, across members: never reused
}

type memoryLease struct {
	holder string
	until  time.Time
}

// NewMemoryTokenStore returns an empty MemoryTokenStore.
func NewMemoryTokenStore() *MemoryTokenStore { return &MemoryTokenStore{} }

func (m *MemoryTokenStore) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// copyToken returns a deep copy of tok, so that callers never share the
// stored value.
func copyToken(tok *Token) *Token {
	if tok == nil {
		return nil
	}
	c := *tok
	if tok.Token != nil {
		t := *tok.Token
		c.Token = &t
	} else {
		c.Token = &oauth2.Token{}
	}
	c.Scopes = slices.Clone(tok.Scopes)
	return &c
}

// Get implements MemberTokenStore.
func (m *MemoryTokenStore) Get(ctx context.Context, member string) (*MemberToken, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tokens[member]
	if !ok {
		return nil, fmt.Errorf("oauth: member %q: %w", member, ErrTokenNotFound)
	}
	t.Token = copyToken(t.Token)
	return &t, nil
}

// Put implements MemberTokenStore.
func (m *MemoryTokenStore) Put(ctx context.Context, t MemberToken, prev int64) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if t.Token == nil || t.Token.Token == nil {
		return 0, fmt.Errorf("oauth: MemoryTokenStore.Put: member %q: nil token", t.Member)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	cur, ok := m.tokens[t.Member]
	var have int64
	if ok {
		have = cur.Version
	}
	if prev != AnyVersion && prev != have {
		return 0, fmt.Errorf("oauth: member %q: %w", t.Member, ErrVersionConflict)
	}
	if m.tokens == nil {
		m.tokens = map[string]MemberToken{}
	}
	m.version++
	t.Version = m.version
	t.Token = copyToken(t.Token)
	m.tokens[t.Member] = t
	return t.Version, nil
}

// Invalidate implements MemberTokenStore.
func (m *MemoryTokenStore) Invalidate(ctx context.Context, member, accessToken string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	cur, ok := m.tokens[member]
	if !ok || accessToken == "" || cur.Invalid || cur.Token.AccessToken != accessToken {
		return false, nil
	}
	m.version++
	cur.Invalid, cur.Version = true, m.version
	m.tokens[member] = cur
	return true, nil
}

// Delete implements MemberTokenStore.
func (m *MemoryTokenStore) Delete(ctx context.Context, member string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.tokens, member)
	return nil
}

// AcquireLease implements MemberTokenStore.
func (m *MemoryTokenStore) AcquireLease(ctx context.Context, member, holder string, ttl time.Duration) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if l, ok := m.leases[member]; ok && l.holder != holder && now.Before(l.until) {
		return false, nil
	}
	if m.leases == nil {
		m.leases = map[string]memoryLease{}
	}
	m.leases[member] = memoryLease{holder: holder, until: now.Add(ttl)}
	return true, nil
}

// ReleaseLease implements MemberTokenStore.
func (m *MemoryTokenStore) ReleaseLease(ctx context.Context, member, holder string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if l, ok := m.leases[member]; ok && l.holder == holder {
		delete(m.leases, member)
	}
	return nil
}

// Expiring implements MemberTokenStore.
func (m *MemoryTokenStore) Expiring(ctx context.Context, before time.Time) ([]MemberToken, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	var out []MemberToken
	for _, t := range m.tokens {
		if by := t.ReauthorizeBy(); !by.IsZero() && by.Before(before) {
			t.Token = copyToken(t.Token)
			out = append(out, t)
		}
	}
	m.mu.Unlock()
	slices.SortFunc(out, func(a, b MemberToken) int {
		if c := a.ReauthorizeBy().Compare(b.ReauthorizeBy()); c != 0 {
			return c
		}
		return strings.Compare(a.Member, b.Member)
	})
	return out, nil
}
