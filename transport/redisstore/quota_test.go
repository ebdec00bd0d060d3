// quota_test.go: the quota step on every backend: what the conformance
// suite does not cover (sharing across replicas, the 00:00 UTC reset on
// Redis's clock, exactness under concurrency across replicas).

package redisstore

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/restli"
)

const testHost, testRes = "api.linkedin.com", "/adAccounts"

func step(t *testing.T, q middleware.QuotaStore, st middleware.QuotaStep) middleware.QuotaDecision {
	t.Helper()
	d, err := q.Step(context.Background(), st)
	if err != nil {
		t.Fatalf("Step: %v", err)
	}
	return d
}

func TestQuota_RateAndDailyCountAreSharedByReplicas(t *testing.T) {
	redisBackends(t, func(t *testing.T, b *backend) {
		a, c := b.newStore(t, Options{}).Quota(), b.newStore(t, Options{}).Quota()
		st := middleware.QuotaStep{Host: testHost, Resource: testRes, RateKey: "rate",
			Rate: middleware.QuotaRate{Interval: time.Hour, Burst: 2}, MaxDelay: time.Minute}
		if d := step(t, a, st); !d.Allowed {
			t.Fatalf("a: %+v", d)
		}
		if d := step(t, c, st); !d.Allowed {
			t.Fatalf("c: %+v", d)
		}
		if d := step(t, a, st); d.Allowed || d.RetryAfter < 50*time.Minute {
			t.Fatalf("third across replicas: %+v, want refused ~1h", d)
		}
		day := middleware.QuotaStep{Host: testHost, Resource: testRes, DailyKey: "day", DailyLimit: 2}
		step(t, a, day)
		step(t, c, day)
		if d := step(t, a, day); d.ExhaustedUntil.IsZero() || d.Scope != restli.QuotaScopeApplication {
			t.Fatalf("third of a shared daily budget of 2: %+v", d)
		}
	})
}

func TestQuota_MarkBySomeReplicaStopsEveryReplica(t *testing.T) {
	redisBackends(t, func(t *testing.T, b *backend) {
		ctx := context.Background()
		a, c := b.newStore(t, Options{Cache: -1}).Quota(), b.newStore(t, Options{Cache: -1}).Quota()
		until := time.Now().Add(time.Hour).Truncate(time.Millisecond).UTC()
		if err := a.MarkExhausted(ctx, middleware.QuotaMark{Host: testHost, Resource: testRes,
			Scope: restli.QuotaScopeApplication, Until: until}); err != nil {
			t.Fatal(err)
		}
		m, err := c.Exhausted(ctx, testHost, testRes, "m1")
		if err != nil || !m.Until.Equal(until) || m.Scope != restli.QuotaScopeApplication {
			t.Fatalf("other replica's Exhausted: %+v %v", m, err)
		}
		d := step(t, c, middleware.QuotaStep{Host: testHost, Resource: testRes, Member: "m2"})
		if d.Allowed || !d.ExhaustedUntil.Equal(until) {
			t.Fatalf("other replica's Step: %+v", d)
		}
	})
}

func TestQuota_DailyCountResetsAtMidnightUTCOnTheStoreClock(t *testing.T) {
	eachBackend(t, func(t *testing.T, b *backend) {
		if b.setTime == nil {
			t.Skip("the clock of a real redis-server cannot be moved; miniredis and in-process cover the reset")
		}
		q := b.newStore(t, Options{}).Quota()
		start := time.Date(2026, 3, 9, 23, 59, 0, 0, time.UTC)
		b.setTime(start)
		st := middleware.QuotaStep{Host: testHost, Resource: testRes, DailyKey: "d", DailyLimit: 2}
		step(t, q, st)
		step(t, q, st)
		want := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
		if d := step(t, q, st); !d.ExhaustedUntil.Equal(want) {
			t.Fatalf("over the budget at 23:59: %+v, want exhausted until %v", d, want)
		}
		b.setTime(want.Add(time.Second))
		if d := step(t, q, st); !d.Allowed {
			t.Fatalf("after 00:00 UTC: %+v, want allowed", d)
		}
	})
}

func TestQuota_DailyBudgetIsExactUnderConcurrencyAcrossReplicas(t *testing.T) {
	eachBackend(t, func(t *testing.T, b *backend) {
		stores := []*Store{b.newStore(t, Options{})}
		if b.shared {
			stores = append(stores, b.newStore(t, Options{}), b.newStore(t, Options{}))
		}
		const limit, workers, each = 100, 8, 40
		var allowed, exhausted atomic.Int64
		var wg sync.WaitGroup
		for w := range workers {
			q := stores[w%len(stores)].Quota()
			wg.Go(func() {
				for range each {
					d, err := q.Step(context.Background(), middleware.QuotaStep{Host: testHost, Resource: testRes,
						DailyKey: "d", DailyLimit: limit})
					switch {
					case err != nil:
						t.Error(err)
						return
					case d.Allowed:
						allowed.Add(1)
					case !d.ExhaustedUntil.IsZero():
						exhausted.Add(1)
					}
				}
			})
		}
		wg.Wait()
		if allowed.Load() != limit || exhausted.Load() != workers*each-limit {
			t.Fatalf("allowed %d, exhausted %d; want %d and %d", allowed.Load(), exhausted.Load(), limit, workers*each-limit)
		}
	})
}
