// Package tokenstoretest is the conformance suite of oauth.MemberTokenStore:
// Run checks that an implementation (in process, Redis, a database) keeps
// the promises a many-member token source and several replicas sharing the
// store rely on: versioned compare-and-swap, conditional invalidation,
// leases, the expiring list, atomicity under concurrency, and contexts.
//
//	func TestMyStore(t *testing.T) {
//		tokenstoretest.Run(t, func(t *testing.T) oauth.MemberTokenStore { return newMyStore(t) })
//	}
package tokenstoretest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/oauth"
)

// Run runs the suite. newStore returns a new, empty store for each subtest
// (it may register cleanup with t.Cleanup). Every subtest is bounded in
// time; the lease-expiry subtest waits for a lease of 50 ms to lapse on the
// store's own clock.
func Run(t *testing.T, newStore func(t *testing.T) oauth.MemberTokenStore) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s oauth.MemberTokenStore)
	}{
		{"GetMissing", testGetMissing},
		{"PutThenGetRoundTrips", testRoundTrip},
		{"PutNewRequiresAbsent", testPutNewRequiresAbsent},
		{"PutCompareAndSwap", testCAS},
		{"PutAnyVersion", testAnyVersion},
		{"VersionsNeverReused", testVersionsNeverReused},
		{"MembersAreIndependent", testIndependent},
		{"InvalidateOnlyTheTokenThatFailed", testInvalidate},
		{"Delete", testDelete},
		{"Lease", testLease},
		{"LeaseExpires", testLeaseExpires},
		{"Expiring", testExpiring},
		{"ConcurrentCompareAndSwap", testConcurrentCAS},
		{"ConcurrentLease", testConcurrentLease},
		{"CancelledContext", testCancelled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			if s == nil {
				t.Fatal("newStore returned nil")
			}
			tc.fn(t, s)
		})
	}
}

// base is the time of every token the suite writes.
var base = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func token(access string, expiry time.Time) *oauth.Token {
	return &oauth.Token{
		Token: &oauth2.Token{AccessToken: access, TokenType: "Bearer", RefreshToken: "refresh-" + access,
			Expiry: expiry},
		RefreshTokenExpiry: expiry.Add(300 * 24 * time.Hour),
		Scopes:             []string{"openid", "profile"},
	}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func put(t *testing.T, s oauth.MemberTokenStore, member string, tok *oauth.Token, prev int64) int64 {
	t.Helper()
	v, err := s.Put(ctx(t), oauth.MemberToken{Member: member, Token: tok}, prev)
	if err != nil {
		t.Fatalf("Put(%s, prev %d): %v", member, prev, err)
	}
	if v <= 0 {
		t.Fatalf("Put(%s) returned version %d, want > 0", member, v)
	}
	return v
}

func get(t *testing.T, s oauth.MemberTokenStore, member string) *oauth.MemberToken {
	t.Helper()
	mt, err := s.Get(ctx(t), member)
	if err != nil {
		t.Fatalf("Get(%s): %v", member, err)
	}
	if mt == nil || mt.Token == nil || mt.Token.Token == nil {
		t.Fatalf("Get(%s) returned no token", member)
	}
	return mt
}

func testGetMissing(t *testing.T, s oauth.MemberTokenStore) {
	_, err := s.Get(ctx(t), "nobody")
	if !errors.Is(err, oauth.ErrTokenNotFound) {
		t.Fatalf("Get of a missing member: %v, want ErrTokenNotFound", err)
	}
}

func testRoundTrip(t *testing.T, s oauth.MemberTokenStore) {
	tok := token("a1", base.Add(time.Hour))
	v := put(t, s, "m1", tok, 0)
	mt := get(t, s, "m1")
	if mt.Member != "m1" || mt.Version != v || mt.Invalid {
		t.Fatalf("Get = member %q version %d invalid %t, want m1 %d false", mt.Member, mt.Version, mt.Invalid, v)
	}
	g := mt.Token
	if g.AccessToken != "a1" || g.RefreshToken != "refresh-a1" || !g.Expiry.Equal(tok.Expiry) ||
		!g.RefreshTokenExpiry.Equal(tok.RefreshTokenExpiry) || !slices.Equal(g.Scopes, tok.Scopes) {
		t.Fatalf("Get returned %+v (refresh expiry %v, scopes %v), want the token put", g.Token, g.RefreshTokenExpiry, g.Scopes)
	}
	// The store keeps its own copy.
	g.AccessToken = "mutated"
	if again := get(t, s, "m1"); again.Token.AccessToken != "a1" {
		t.Fatalf("changing a returned token changed the store: %q", again.Token.AccessToken)
	}
}

func testPutNewRequiresAbsent(t *testing.T, s oauth.MemberTokenStore) {
	put(t, s, "m1", token("a1", base), 0)
	_, err := s.Put(ctx(t), oauth.MemberToken{Member: "m1", Token: token("a2", base)}, 0)
	if !errors.Is(err, oauth.ErrVersionConflict) {
		t.Fatalf("Put(prev 0) over a stored token: %v, want ErrVersionConflict", err)
	}
	if got := get(t, s, "m1").Token.AccessToken; got != "a1" {
		t.Fatalf("a refused Put changed the token to %q", got)
	}
}

func testCAS(t *testing.T, s oauth.MemberTokenStore) {
	v1 := put(t, s, "m1", token("a1", base), 0)
	v2 := put(t, s, "m1", token("a2", base), v1)
	if v2 <= v1 {
		t.Fatalf("version went from %d to %d, want an increase", v1, v2)
	}
	// A slow refresher that read v1 must not overwrite the newer token.
	_, err := s.Put(ctx(t), oauth.MemberToken{Member: "m1", Token: token("stale", base)}, v1)
	if !errors.Is(err, oauth.ErrVersionConflict) {
		t.Fatalf("Put with a stale version: %v, want ErrVersionConflict", err)
	}
	mt := get(t, s, "m1")
	if mt.Token.AccessToken != "a2" || mt.Version != v2 {
		t.Fatalf("after a refused Put: %q v%d, want a2 v%d", mt.Token.AccessToken, mt.Version, v2)
	}
	// Put on a missing member with a non-zero version is a conflict too.
	_, err = s.Put(ctx(t), oauth.MemberToken{Member: "m2", Token: token("x", base)}, v2)
	if !errors.Is(err, oauth.ErrVersionConflict) {
		t.Fatalf("Put(prev %d) on a missing member: %v, want ErrVersionConflict", v2, err)
	}
}

func testAnyVersion(t *testing.T, s oauth.MemberTokenStore) {
	v0 := put(t, s, "m1", token("new", base), oauth.AnyVersion) // absent: writes
	v1 := put(t, s, "m1", token("a1", base), oauth.AnyVersion)
	if v1 <= v0 {
		t.Fatalf("AnyVersion: versions %d then %d", v0, v1)
	}
	if got := get(t, s, "m1").Token.AccessToken; got != "a1" {
		t.Fatalf("AnyVersion did not overwrite: %q", got)
	}
}

func testVersionsNeverReused(t *testing.T, s oauth.MemberTokenStore) {
	v1 := put(t, s, "m1", token("a1", base), 0)
	if err := s.Delete(ctx(t), "m1"); err != nil {
		t.Fatal(err)
	}
	v2 := put(t, s, "m1", token("a2", base), 0)
	if v2 <= v1 {
		t.Fatalf("after Delete, the new token got version %d, not above the old %d: a stale writer could overwrite it", v2, v1)
	}
	if _, err := s.Put(ctx(t), oauth.MemberToken{Member: "m1", Token: token("stale", base)}, v1); !errors.Is(err, oauth.ErrVersionConflict) {
		t.Fatalf("Put with the version from before Delete: %v, want ErrVersionConflict", err)
	}
}

func testIndependent(t *testing.T, s oauth.MemberTokenStore) {
	va := put(t, s, "a", token("ta", base), 0)
	put(t, s, "b", token("tb", base), 0)
	put(t, s, "a", token("ta2", base), va)
	if got := get(t, s, "b").Token.AccessToken; got != "tb" {
		t.Fatalf("member b changed to %q", got)
	}
	if ok, _ := s.Invalidate(ctx(t), "b", "ta2"); ok {
		t.Fatal("Invalidate of member b with member a's token reported true")
	}
}

func testInvalidate(t *testing.T, s oauth.MemberTokenStore) {
	v1 := put(t, s, "m1", token("a1", base), 0)
	ok, err := s.Invalidate(ctx(t), "m1", "other")
	if err != nil || ok {
		t.Fatalf("Invalidate with another token = %t, %v; want false, nil", ok, err)
	}
	if mt := get(t, s, "m1"); mt.Invalid || mt.Version != v1 {
		t.Fatalf("a non-matching Invalidate changed the token: invalid %t version %d", mt.Invalid, mt.Version)
	}
	ok, err = s.Invalidate(ctx(t), "m1", "a1")
	if err != nil || !ok {
		t.Fatalf("Invalidate with the stored token = %t, %v; want true, nil", ok, err)
	}
	mt := get(t, s, "m1")
	if !mt.Invalid || mt.Version <= v1 || mt.Token.RefreshToken != "refresh-a1" {
		t.Fatalf("after Invalidate: invalid %t version %d (was %d) refresh %q; want invalid, a new version, the refresh token kept",
			mt.Invalid, mt.Version, v1, mt.Token.RefreshToken)
	}
	// A new token clears the mark; a late 401 on the old one does not touch it.
	v3 := put(t, s, "m1", token("a2", base), mt.Version)
	if ok, _ := s.Invalidate(ctx(t), "m1", "a1"); ok {
		t.Fatal("a late Invalidate of the replaced token reported true")
	}
	if mt := get(t, s, "m1"); mt.Invalid || mt.Version != v3 {
		t.Fatalf("the new token: invalid %t version %d, want valid v%d", mt.Invalid, mt.Version, v3)
	}
	if ok, err := s.Invalidate(ctx(t), "nobody", "a1"); ok || err != nil {
		t.Fatalf("Invalidate of a missing member = %t, %v; want false, nil", ok, err)
	}
}

func testDelete(t *testing.T, s oauth.MemberTokenStore) {
	put(t, s, "m1", token("a1", base), 0)
	if err := s.Delete(ctx(t), "m1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx(t), "m1"); !errors.Is(err, oauth.ErrTokenNotFound) {
		t.Fatalf("Get after Delete: %v", err)
	}
	if err := s.Delete(ctx(t), "m1"); err != nil {
		t.Fatalf("Delete of a missing member: %v", err)
	}
}

func acquire(t *testing.T, s oauth.MemberTokenStore, member, holder string, ttl time.Duration) bool {
	t.Helper()
	ok, err := s.AcquireLease(ctx(t), member, holder, ttl)
	if err != nil {
		t.Fatalf("AcquireLease(%s, %s): %v", member, holder, err)
	}
	return ok
}

func testLease(t *testing.T, s oauth.MemberTokenStore) {
	const ttl = time.Minute
	if !acquire(t, s, "m1", "A", ttl) {
		t.Fatal("A could not take a free lease")
	}
	if acquire(t, s, "m1", "B", ttl) {
		t.Fatal("B took the lease A holds")
	}
	if !acquire(t, s, "m1", "A", ttl) {
		t.Fatal("A could not extend its own lease")
	}
	if !acquire(t, s, "m2", "B", ttl) {
		t.Fatal("B could not take another member's lease")
	}
	if err := s.ReleaseLease(ctx(t), "m1", "B"); err != nil {
		t.Fatal(err)
	}
	if acquire(t, s, "m1", "B", ttl) {
		t.Fatal("a release by a non-holder freed A's lease")
	}
	if err := s.ReleaseLease(ctx(t), "m1", "A"); err != nil {
		t.Fatal(err)
	}
	if !acquire(t, s, "m1", "B", ttl) {
		t.Fatal("B could not take the lease A released")
	}
}

func testLeaseExpires(t *testing.T, s oauth.MemberTokenStore) {
	if !acquire(t, s, "m1", "A", 50*time.Millisecond) {
		t.Fatal("A could not take a free lease")
	}
	deadline := time.Now().Add(10 * time.Second)
	for i := 0; ; i++ {
		if acquire(t, s, "m1", "B", time.Minute) {
			return
		}
		if time.Now().After(deadline) || i > 1000 {
			t.Fatal("A's 50 ms lease never expired: a crashed holder would block the member for ever")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func testExpiring(t *testing.T, s oauth.MemberTokenStore) {
	soon := token("soon", base.Add(time.Hour))
	soon.RefreshToken = "" // no refresh token: due when the access token expires
	later := token("later", base.Add(2*time.Hour))
	later.RefreshTokenExpiry = base.Add(10 * 24 * time.Hour)
	far := token("far", base.Add(time.Hour)) // refresh token good for 300 days
	put(t, s, "soon", soon, 0)
	put(t, s, "later", later, 0)
	put(t, s, "far", far, 0)
	dead := token("dead", base.Add(24*time.Hour))
	dead.RefreshToken = ""
	if _, err := s.Put(ctx(t), oauth.MemberToken{Member: "dead", Token: dead, Invalid: true}, 0); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		before time.Time
		want   []string
	}{
		{base, []string{"dead"}},
		{base.Add(2 * time.Hour), []string{"dead", "soon"}},
		{base.Add(30 * 24 * time.Hour), []string{"dead", "soon", "later"}},
		{base.Add(400 * 24 * time.Hour), []string{"dead", "soon", "later", "far"}},
	}
	for _, c := range cases {
		got, err := s.Expiring(ctx(t), c.before)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, mt := range got {
			names = append(names, mt.Member)
			if mt.Token == nil || mt.Version <= 0 {
				t.Fatalf("Expiring returned %s without its token or version", mt.Member)
			}
		}
		if !slices.Equal(names, c.want) {
			t.Errorf("Expiring(before %v) = %v, want %v (earliest first)", c.before, names, c.want)
		}
	}
}

func testConcurrentCAS(t *testing.T, s oauth.MemberTokenStore) {
	// Every writer increments a counter held in the access token with a
	// read-modify-write loop; with a correct compare-and-swap no increment
	// is lost.
	const writers, each = 8, 20
	put(t, s, "m1", token("0", base), 0)
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for range writers {
		wg.Go(func() {
			c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			for range each {
				for attempt := 0; ; attempt++ {
					if attempt > 10000 {
						errs <- errors.New("no progress after 10000 attempts")
						return
					}
					mt, err := s.Get(c, "m1")
					if err != nil {
						errs <- err
						return
					}
					n, _ := strconv.Atoi(mt.Token.AccessToken)
					_, err = s.Put(c, oauth.MemberToken{Member: "m1", Token: token(strconv.Itoa(n+1), base)}, mt.Version)
					if err == nil {
						break
					}
					if !errors.Is(err, oauth.ErrVersionConflict) {
						errs <- err
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if got := get(t, s, "m1").Token.AccessToken; got != strconv.Itoa(writers*each) {
		t.Fatalf("counter = %s after %d increments: a compare-and-swap let a write through over a newer one", got, writers*each)
	}
}

func testConcurrentLease(t *testing.T, s oauth.MemberTokenStore) {
	const holders = 16
	var wg sync.WaitGroup
	var mu sync.Mutex
	var won []string
	for i := range holders {
		wg.Go(func() {
			c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			h := fmt.Sprintf("holder-%d", i)
			ok, err := s.AcquireLease(c, "m1", h, time.Minute)
			if err == nil && ok {
				mu.Lock()
				won = append(won, h)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(won) != 1 {
		t.Fatalf("%d holders got the lease at once (%v), want exactly 1", len(won), won)
	}
}

func testCancelled(t *testing.T, s oauth.MemberTokenStore) {
	put(t, s, "m1", token("a1", base), 0)
	c, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Get(c, "m1"); err == nil {
		t.Error("Get with a cancelled context succeeded")
	}
	if _, err := s.Put(c, oauth.MemberToken{Member: "m1", Token: token("x", base)}, oauth.AnyVersion); err == nil {
		t.Error("Put with a cancelled context succeeded")
	}
	if got := get(t, s, "m1").Token.AccessToken; got != "a1" {
		t.Errorf("a Put with a cancelled context wrote %q", got)
	}
	if _, err := s.AcquireLease(c, "m1", "A", time.Minute); err == nil {
		t.Error("AcquireLease with a cancelled context succeeded")
	}
	if _, err := s.Expiring(c, base); err == nil {
		t.Error("Expiring with a cancelled context succeeded")
	}
}
