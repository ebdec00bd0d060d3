// breaker_test.go: the shared breaker state on Redis.

package redisstore

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/transport/sharedstate"
)

// redisBackends is backends without the in-process one: breaker state is
// not shared in-process (the local gobreaker decides alone).
func redisBackends(t *testing.T, f func(t *testing.T, b *backend)) {
	for _, b := range backends(t) {
		if b.srv == nil {
			continue
		}
		t.Run(b.name, func(t *testing.T) { f(t, b) })
	}
}

func state(t *testing.T, bs sharedstate.BreakerStore, owner string) (sharedstate.BreakerStatus, time.Duration) {
	t.Helper()
	st, rem, err := bs.State(context.Background(), "https://api.linkedin.com", owner, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	return st, rem
}

func TestBreaker_TripIsSeenByEveryReplicaWithoutARoundTripWhileOpen(t *testing.T) {
	redisBackends(t, func(t *testing.T, b *backend) {
		a, c := b.newStore(t, Options{BreakerCache: -1}), b.newStore(t, Options{BreakerCache: -1})
		if st, _ := state(t, c.Breaker(), "c"); st != sharedstate.BreakerClosed {
			t.Fatalf("initial state %v, want closed", st)
		}
		if err := a.Breaker().Trip(context.Background(), "https://api.linkedin.com", time.Hour); err != nil {
			t.Fatal(err)
		}
		st, rem := state(t, c.Breaker(), "c")
		if st != sharedstate.BreakerOpen || rem <= 59*time.Minute || rem > time.Hour {
			t.Fatalf("other replica: %v %v, want open for ~1h", st, rem)
		}
		// Open answers are cached until they end: Redis going away changes
		// nothing and costs no fallback.
		b.srv.Stop()
		defer b.srv.Start()
		if st, _ := state(t, c.Breaker(), "c"); st != sharedstate.BreakerOpen {
			t.Fatalf("cached: %v, want open", st)
		}
		if fb := c.Stats().Fallbacks; fb != 0 {
			t.Fatalf("fallbacks %d while open is cached, want 0", fb)
		}
	})
}

func TestBreaker_ExactlyOneHalfOpenProbeAcrossTheFleet(t *testing.T) {
	redisBackends(t, func(t *testing.T, b *backend) {
		ctx := context.Background()
		const replicas, callers = 4, 8
		stores := make([]*Store, replicas)
		for i := range stores {
			stores[i] = b.newStore(t, Options{BreakerCache: -1})
		}
		if err := stores[0].Breaker().Trip(ctx, "https://api.linkedin.com", 20*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		// Wait (bounded) until the open time has passed on Redis's clock.
		deadline := time.Now().Add(5 * time.Second)
		for {
			st, _ := state(t, stores[1].Breaker(), "poll")
			if st != sharedstate.BreakerOpen {
				if st == sharedstate.BreakerProbe {
					stores[1].Breaker().ReleaseProbe(ctx, "https://api.linkedin.com", "poll")
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("breaker still open after 5s")
			}
			time.Sleep(5 * time.Millisecond)
		}
		var probes, taken atomic.Int64
		var winner atomic.Value
		var wg sync.WaitGroup
		for i := range replicas * callers {
			wg.Go(func() {
				owner := "o" + strconv.Itoa(i)
				switch st, _ := state(t, stores[i%replicas].Breaker(), owner); st {
				case sharedstate.BreakerProbe:
					probes.Add(1)
					winner.Store(owner)
				case sharedstate.BreakerProbeTaken:
					taken.Add(1)
				default:
					t.Errorf("caller %d: state %v (stats %+v)", i, st, stores[i%replicas].Stats())
				}
			})
		}
		wg.Wait()
		if probes.Load() != 1 || taken.Load() != replicas*callers-1 {
			t.Fatalf("probes %d, taken %d; want exactly 1 probe", probes.Load(), taken.Load())
		}
		// A good probe closes the breaker for everyone.
		w := winner.Load().(string)
		if err := stores[2].Breaker().Reset(ctx, "https://api.linkedin.com", w); err != nil {
			t.Fatal(err)
		}
		for i, s := range stores {
			if st, _ := state(t, s.Breaker(), "after"); st != sharedstate.BreakerClosed {
				t.Fatalf("store %d after reset: %v", i, st)
			}
		}
	})
}

func TestBreaker_ProbeClaimExpiresAndCanBeReleased(t *testing.T) {
	redisBackends(t, func(t *testing.T, b *backend) {
		ctx := context.Background()
		s := b.newStore(t, Options{BreakerCache: -1})
		bs := s.Breaker()
		key := "https://api.linkedin.com"
		if err := bs.Trip(ctx, key, time.Millisecond); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(5 * time.Second)
		var st sharedstate.BreakerStatus
		for {
			st, _, _ = bs.State(ctx, key, "first", time.Minute)
			if st != sharedstate.BreakerOpen || time.Now().After(deadline) {
				break
			}
			time.Sleep(2 * time.Millisecond)
		}
		if st != sharedstate.BreakerProbe {
			t.Fatalf("first after open: %v, want probe", st)
		}
		if st, _, _ := bs.State(ctx, key, "second", time.Minute); st != sharedstate.BreakerProbeTaken {
			t.Fatalf("second: %v, want probe taken", st)
		}
		if err := bs.ReleaseProbe(ctx, key, "second"); err != nil { // not its claim: no effect
			t.Fatal(err)
		}
		if st, _, _ := bs.State(ctx, key, "second", time.Minute); st != sharedstate.BreakerProbeTaken {
			t.Fatalf("after a foreign release: %v, want probe taken", st)
		}
		if err := bs.ReleaseProbe(ctx, key, "first"); err != nil {
			t.Fatal(err)
		}
		if st, _, _ := bs.State(ctx, key, "second", time.Minute); st != sharedstate.BreakerProbe {
			t.Fatalf("after release: %v, want probe for second", st)
		}
		if b.srv.Mini != nil { // the claim's own time bound
			b.srv.Mini.FastForward(2 * time.Minute)
			if st, _, _ := bs.State(ctx, key, "third", time.Minute); st != sharedstate.BreakerProbe {
				t.Fatalf("after the claim expired: %v, want probe for third", st)
			}
		}
	})
}
