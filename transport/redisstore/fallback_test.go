// fallback_test.go: what each store does while Redis is unavailable, and
// that sharing resumes when it returns.

package redisstore

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/transport/sharedstate"
)

// waitUp retries op (bounded: 5s) until s reaches Redis again.
func waitUp(t *testing.T, s *Store, op func()) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		op()
		if !s.Stats().Down {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("store did not reach Redis again within 5s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestFallback_QuotaNeverFailsAndSharingResumes(t *testing.T) {
	redisBackends(t, func(t *testing.T, b *backend) {
		ctx := context.Background()
		var logs bytes.Buffer
		opts := Options{RetryInterval: 20 * time.Millisecond, Replicas: 4,
			Logger: slog.New(slog.NewTextHandler(&logs, nil))}
		a, c := b.newStore(t, opts), b.newStore(t, opts)
		p := sharedstate.QuotaPolicy{AppDaily: 8}

		b.srv.Stop()
		// Down: each replica enforces its share of the budget, 8/4 = 2.
		var allowed int
		for range 5 {
			d, err := a.Quota().Take(ctx, keyA, p)
			if err != nil {
				t.Fatalf("Take failed because Redis is down: %v", err)
			}
			if d.Allowed {
				allowed++
			}
		}
		if allowed != 2 {
			t.Fatalf("allowed %d in fallback, want 8/4 = 2", allowed)
		}
		st := a.Stats()
		if !st.Down || st.Outages != 1 || st.Fallbacks != 5 {
			t.Fatalf("stats %+v, want down, 1 outage, 5 fallbacks", st)
		}
		if !strings.Contains(logs.String(), "redis unavailable") {
			t.Fatalf("no log line for the outage: %q", logs.String())
		}

		if err := b.srv.Start(); err != nil {
			t.Fatal(err)
		}
		k := withResource(keyA, "/after")
		waitUp(t, a, func() { a.Quota().Take(ctx, k, sharedstate.QuotaPolicy{}) })
		waitUp(t, c, func() { c.Quota().Take(ctx, k, sharedstate.QuotaPolicy{}) })
		if !strings.Contains(logs.String(), "redis available again") {
			t.Fatalf("no log line for the recovery: %q", logs.String())
		}
		// Shared again: one budget of 3 across both replicas.
		k.App = "resumed"
		got := 0
		for i := range 6 {
			s := []*Store{a, c}[i%2]
			if d, _ := s.Quota().Take(ctx, k, sharedstate.QuotaPolicy{AppDaily: 3}); d.Allowed {
				got++
			}
		}
		if got != 3 {
			t.Fatalf("allowed %d across two replicas after recovery, want the shared 3", got)
		}
	})
}

func TestFallback_TokensWrittenDuringAnOutageAreWrittenBack(t *testing.T) {
	redisBackends(t, func(t *testing.T, b *backend) {
		ctx := context.Background()
		opts := Options{RetryInterval: 20 * time.Millisecond}
		a, c := b.newStore(t, opts), b.newStore(t, opts)
		if _, err := a.Tokens().Save(ctx, "m1", token("old", time.Minute), 0); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Tokens().Save(ctx, "m2", token("old2", time.Minute), 0); err != nil {
			t.Fatal(err)
		}
		b.srv.Stop()
		if ok, err := a.Tokens().Lease(ctx, "m1", "A", time.Minute); !ok || err != nil {
			t.Fatalf("local lease: %v %v", ok, err)
		}
		if ok, _ := a.Tokens().Lease(ctx, "m1", "A2", time.Minute); ok {
			t.Fatal("two local leases")
		}
		v, err := a.Tokens().Save(ctx, "m1", token("new", time.Hour), 1)
		if err != nil || v != 2 {
			t.Fatalf("save during outage: %d %v", v, err)
		}
		if st, _ := a.Tokens().Load(ctx, "m1"); st.Token.AccessToken != "new" {
			t.Fatalf("local read during outage: %+v", st)
		}
		// m2: written locally on a, and meanwhile (after the restart) by
		// another replica: the other replica's newer token wins.
		if _, err := a.Tokens().Save(ctx, "m2", token("local2", time.Minute), 1); err != nil {
			t.Fatal(err)
		}
		if err := b.srv.Start(); err != nil {
			t.Fatal(err)
		}
		waitUp(t, c, func() { c.Tokens().Expiring(ctx, 0) })
		for _, access := range []string{"remote1", "remote2"} { // two writes: past a's base version
			cur, _ := c.Tokens().Load(ctx, "m2")
			if _, err := c.Tokens().Save(ctx, "m2", token(access, time.Hour), cur.Version); err != nil {
				t.Fatal(err)
			}
		}
		waitUp(t, a, func() { a.Tokens().Load(ctx, "m1") })
		if st, _ := c.Tokens().Load(ctx, "m1"); st.Version < 1 || st.Token.AccessToken != "new" {
			t.Fatalf("other replica after recovery: %+v, want the token written during the outage", st)
		}
		if st, _ := a.Tokens().Load(ctx, "m2"); st.Token.AccessToken != "remote2" {
			t.Fatalf("m2 on a: %+v, want the newer remote token", st)
		}
	})
}

func TestFallback_BreakerAnswersClosedWhileRedisIsDown(t *testing.T) {
	redisBackends(t, func(t *testing.T, b *backend) {
		ctx := context.Background()
		s := b.newStore(t, Options{RetryInterval: time.Hour, BreakerCache: -1})
		b.srv.Stop()
		defer b.srv.Start()
		for range 3 {
			st, _, err := s.Breaker().State(ctx, "k", "o", time.Second)
			if err != nil || st != sharedstate.BreakerClosed {
				t.Fatalf("down: %v %v, want closed (the local breaker decides)", st, err)
			}
		}
		if err := s.Breaker().Trip(ctx, "k", time.Minute); err != nil {
			t.Fatal(err)
		}
		if st := s.Stats(); st.Fallbacks != 4 || st.Outages != 1 {
			t.Fatalf("stats %+v: one outage, and no Redis attempt per call after it", st)
		}
	})
}
