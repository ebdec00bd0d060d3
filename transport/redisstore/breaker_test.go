// breaker_test.go: the shared breaker state across replicas.

package redisstore

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// redisBackends is backends without the in-process one, for what only a
// shared store does.
func redisBackends(t *testing.T, f func(t *testing.T, b *backend)) {
	for _, b := range backends(t) {
		if b.srv == nil {
			continue
		}
		t.Run(b.name, func(t *testing.T) { f(t, b) })
	}
}

const breakerKey = "https://api.linkedin.com"

func TestBreaker_TripIsSeenByEveryReplicaAndCachedWhileOpen(t *testing.T) {
	redisBackends(t, func(t *testing.T, b *backend) {
		ctx := context.Background()
		a, c := b.newStore(t, Options{Cache: -1}), b.newStore(t, Options{Cache: -1})
		if u, err := c.Breaker().Load(ctx, breakerKey); err != nil || !u.IsZero() {
			t.Fatalf("initial: %v %v, want closed", u, err)
		}
		until := time.Now().Add(time.Hour).Truncate(time.Millisecond)
		if err := a.Breaker().Trip(ctx, breakerKey, until); err != nil {
			t.Fatal(err)
		}
		if u, _ := c.Breaker().Load(ctx, breakerKey); !u.Equal(until) {
			t.Fatalf("other replica: %v, want open until %v", u, until)
		}
		// An open answer is cached until it ends: Redis going away changes
		// nothing and costs no fallback.
		b.srv.Stop()
		defer b.srv.Start()
		if u, _ := c.Breaker().Load(ctx, breakerKey); !u.Equal(until) {
			t.Fatalf("cached: %v", u)
		}
		if fb := c.Stats().Fallbacks; fb != 0 {
			t.Fatalf("fallbacks %d while open is cached, want 0", fb)
		}
	})
}

func TestBreaker_ExactlyOneHalfOpenProbeAcrossReplicas(t *testing.T) {
	redisBackends(t, func(t *testing.T, b *backend) {
		ctx := context.Background()
		const replicas, callers = 4, 8
		stores := make([]*Store, replicas)
		for i := range stores {
			stores[i] = b.newStore(t, Options{Cache: -1})
		}
		if err := stores[0].Breaker().Trip(ctx, breakerKey, time.Now().Add(-time.Second)); err != nil {
			t.Fatal(err)
		}
		for i, s := range stores {
			if u, _ := s.Breaker().Load(ctx, breakerKey); u.IsZero() || u.After(time.Now()) {
				t.Fatalf("store %d: %v, want half-open (a past time)", i, u)
			}
		}
		var won atomic.Int64
		var winner atomic.Int64
		var wg sync.WaitGroup
		for i := range replicas * callers {
			wg.Go(func() {
				ok, err := stores[i%replicas].Breaker().AcquireProbe(ctx, breakerKey, time.Minute)
				if err != nil {
					t.Error(err)
				}
				if ok {
					won.Add(1)
					winner.Store(int64(i % replicas))
				}
			})
		}
		wg.Wait()
		if won.Load() != 1 {
			t.Fatalf("%d probes granted across %d replicas, want exactly 1", won.Load(), replicas)
		}
		// Only the holder's release frees the claim.
		w := int(winner.Load())
		other := stores[(w+1)%replicas].Breaker()
		other.ReleaseProbe(ctx, breakerKey)
		if ok, _ := other.AcquireProbe(ctx, breakerKey, time.Minute); ok {
			t.Fatal("a replica released another replica's probe")
		}
		stores[w].Breaker().ReleaseProbe(ctx, breakerKey)
		if ok, _ := other.AcquireProbe(ctx, breakerKey, time.Minute); !ok {
			t.Fatal("probe not free after its holder released it")
		}
		// A good probe closes the breaker for everyone.
		if err := other.Reset(ctx, breakerKey); err != nil {
			t.Fatal(err)
		}
		for i, s := range stores {
			if u, _ := s.Breaker().Load(ctx, breakerKey); !u.IsZero() {
				t.Fatalf("store %d after Reset: %v", i, u)
			}
		}
	})
}
