// tokenslocal.go: the local side of the member-token store: the read cache,
// tokens written while Redis was unavailable, and in-process leases.

package redisstore

import (
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/linkedin-go/linkedin/oauth"
)

// localTokens is safe for concurrent use.
type localTokens struct {
	now func() time.Time

	mu      sync.Mutex
	entries map[string]*tokenEntry
	leases  map[string]localLease
}

// tokenEntry is a cached token. dirty marks a token put while Redis was
// unavailable; base is the Redis version it replaced.
type tokenEntry struct {
	mt    oauth.MemberToken
	dirty bool
	base  int64
}

type localLease struct {
	holder string
	until  time.Time
}

func newLocalTokens(now func() time.Time) *localTokens {
	return &localTokens{now: now, entries: map[string]*tokenEntry{}, leases: map[string]localLease{}}
}

// copyToken returns a deep enough copy of tok that callers cannot change
// the cached one.
func copyToken(tok *oauth.Token) *oauth.Token {
	if tok == nil {
		return nil
	}
	c := *tok
	if tok.Token != nil {
		t := *tok.Token
		c.Token = &t
	}
	c.Scopes = slices.Clone(tok.Scopes)
	return &c
}

func copyMember(mt oauth.MemberToken) *oauth.MemberToken {
	mt.Token = copyToken(mt.Token)
	return &mt
}

// fresh returns a copy of the cached token when it may be served without
// Redis: clean, valid, and further than margin from its expiry.
func (l *localTokens) fresh(member string, margin time.Duration) (*oauth.MemberToken, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.entries[member]
	if !ok || e.dirty || e.mt.Invalid || e.mt.Token == nil || e.mt.Token.Token == nil {
		return nil, false
	}
	if exp := e.mt.Token.Expiry; !exp.IsZero() && exp.Sub(l.now()) <= margin {
		return nil, false
	}
	return copyMember(e.mt), true
}

// get returns a copy of whatever is cached.
func (l *localTokens) get(member string) (*oauth.MemberToken, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.entries[member]
	if !ok {
		return nil, false
	}
	return copyMember(e.mt), true
}

// set caches mt (a copy), unless a local write not yet written back is
// newer.
func (l *localTokens) set(mt oauth.MemberToken, dirty bool, base int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if cur, ok := l.entries[mt.Member]; ok && cur.dirty && !dirty {
		return
	}
	if len(l.entries) >= localMaxKeys {
		for k, e := range l.entries { // keep the tokens not yet written back
			if !e.dirty {
				delete(l.entries, k)
			}
		}
	}
	mt.Token = copyToken(mt.Token)
	l.entries[mt.Member] = &tokenEntry{mt: mt, dirty: dirty, base: base}
}

func (l *localTokens) drop(member string) {
	l.mu.Lock()
	delete(l.entries, member)
	l.mu.Unlock()
}

// putDirty is Put on the cache while Redis is unavailable: a
// compare-and-swap against the cached version.
func (l *localTokens) putDirty(t oauth.MemberToken, prev int64) (int64, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var have, base int64
	cur, ok := l.entries[t.Member]
	if ok {
		have, base = cur.mt.Version, cur.mt.Version
		if cur.dirty {
			base = cur.base
		}
	}
	if prev != oauth.AnyVersion && prev != have {
		return 0, false
	}
	t.Version = have + 1
	t.Token = copyToken(t.Token)
	l.entries[t.Member] = &tokenEntry{mt: t, dirty: true, base: base}
	return t.Version, true
}

// dirty returns a copy of the member's entry when it waits to be written
// back.
func (l *localTokens) dirty(member string) (tokenEntry, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.entries[member]
	if !ok || !e.dirty {
		return tokenEntry{}, false
	}
	c := *e
	c.mt.Token = copyToken(e.mt.Token)
	return c, true
}

// wroteBack records the outcome of a write-back of local version local:
// written as Redis version nv, or superseded by a newer Redis token.
func (l *localTokens) wroteBack(member string, local, nv int64, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, present := l.entries[member]
	if !present || !e.dirty || e.mt.Version != local {
		return
	}
	if ok {
		e.dirty, e.base, e.mt.Version = false, 0, nv
	} else {
		delete(l.entries, member)
	}
}

// invalidate marks the cached token invalid if it is accessToken.
func (l *localTokens) invalidate(member, accessToken string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.entries[member]
	if !ok || e.mt.Invalid || e.mt.Token == nil || e.mt.Token.Token == nil || e.mt.Token.AccessToken != accessToken {
		return false
	}
	e.mt.Invalid = true
	if e.dirty {
		e.mt.Version++
	}
	return true
}

// lease is AcquireLease in-process.
func (l *localTokens) lease(member, holder string, ttl time.Duration) bool {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if cur, ok := l.leases[member]; ok && cur.holder != holder && now.Before(cur.until) {
		return false
	}
	if len(l.leases) >= localMaxKeys {
		clear(l.leases)
	}
	l.leases[member] = localLease{holder: holder, until: now.Add(ttl)}
	return true
}

func (l *localTokens) release(member, holder string) {
	l.mu.Lock()
	if cur, ok := l.leases[member]; ok && cur.holder == holder {
		delete(l.leases, member)
	}
	l.mu.Unlock()
}

// expiring is Expiring over the cache.
func (l *localTokens) expiring(before time.Time) []oauth.MemberToken {
	l.mu.Lock()
	var out []oauth.MemberToken
	for _, e := range l.entries {
		if by := e.mt.ReauthorizeBy(); !by.IsZero() && by.Before(before) {
			out = append(out, *copyMember(e.mt))
		}
	}
	l.mu.Unlock()
	slices.SortFunc(out, func(a, b oauth.MemberToken) int {
		if c := a.ReauthorizeBy().Compare(b.ReauthorizeBy()); c != 0 {
			return c
		}
		return strings.Compare(a.Member, b.Member)
	})
	return out
}
