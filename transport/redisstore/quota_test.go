// quota_test.go: the quota step's conformance tests on every backend.

package redisstore

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/transport/sharedstate"
)

var (
	keyA  = sharedstate.QuotaKey{App: "app", Host: "api.linkedin.com", Resource: "/adAccounts"}
	slowR = sharedstate.Rate{PerSecond: 1.0 / 3600, Burst: 3} // one an hour after a burst of 3
)

func withMember(k sharedstate.QuotaKey, m string) sharedstate.QuotaKey { k.Member = m; return k }
func withResource(k sharedstate.QuotaKey, r string) sharedstate.QuotaKey {
	k.Resource = r
	return k
}

// take runs Take and fails the test on error.
func take(t *testing.T, q sharedstate.QuotaStore, k sharedstate.QuotaKey, p sharedstate.QuotaPolicy) sharedstate.QuotaDecision {
	t.Helper()
	d, err := q.Take(context.Background(), k, p)
	if err != nil {
		t.Fatalf("Take: %v", err)
	}
	return d
}

func TestQuota_SmoothsWithBurstAndRefusesWithoutSpending(t *testing.T) {
	eachBackend(t, func(t *testing.T, b *backend) {
		q := b.newStore(t, Options{}).Quota()
		p := sharedstate.QuotaPolicy{App: slowR, AppDaily: 4}
		for i := range 3 {
			if d := take(t, q, keyA, p); !d.Allowed || d.Wait != 0 {
				t.Fatalf("attempt %d: %+v, want allowed without wait", i, d)
			}
		}
		// The 4th would wait an hour: refused, spending neither the
		// schedule nor the daily budget.
		for range 3 {
			d := take(t, q, keyA, p)
			if d.Allowed || d.DayExhausted || d.Scope != "app" || d.Wait < 59*time.Minute || d.Wait > 61*time.Minute {
				t.Fatalf("over the burst: %+v, want refused with ~1h wait", d)
			}
		}
		p.App = sharedstate.Rate{}
		if d := take(t, q, keyA, p); !d.Allowed {
			t.Fatalf("4th of the daily budget after refusals: %+v, want allowed", d)
		}
		if d := take(t, q, keyA, p); !d.DayExhausted {
			t.Fatalf("5th: %+v, want DayExhausted", d)
		}
	})
}

func TestQuota_ReservesWaitsUpToMaxWait(t *testing.T) {
	eachBackend(t, func(t *testing.T, b *backend) {
		q := b.newStore(t, Options{}).Quota()
		p := sharedstate.QuotaPolicy{App: sharedstate.Rate{PerSecond: 1.0 / 3600, Burst: 1}, MaxWait: 2 * time.Hour}
		waits := []time.Duration{0, time.Hour, 2 * time.Hour}
		for i, want := range waits {
			d := take(t, q, keyA, p)
			if !d.Allowed || d.Wait < want-time.Minute || d.Wait > want+time.Minute {
				t.Fatalf("attempt %d: %+v, want allowed after ~%v", i, d, want)
			}
		}
		if d := take(t, q, keyA, p); d.Allowed {
			t.Fatalf("wait beyond MaxWait: %+v, want refused", d)
		}
	})
}

func TestQuota_ScopesAreIndependent(t *testing.T) {
	one := sharedstate.Rate{PerSecond: 1.0 / 3600, Burst: 1}
	tests := []struct {
		name   string
		p      sharedstate.QuotaPolicy
		first  sharedstate.QuotaKey
		same   sharedstate.QuotaKey // refused after first
		other  sharedstate.QuotaKey // still allowed
		scope  string
		exhaus bool
	}{
		{"member rate", sharedstate.QuotaPolicy{Member: one}, withMember(keyA, "m1"), withMember(keyA, "m1"), withMember(keyA, "m2"), "member", false},
		{"resource rate", sharedstate.QuotaPolicy{Resource: one}, keyA, keyA, withResource(keyA, "/adCampaigns"), "resource", false},
		{"member daily", sharedstate.QuotaPolicy{MemberDaily: 1}, withMember(keyA, "m1"), withMember(keyA, "m1"), withMember(keyA, "m2"), "member", true},
		{"app rate", sharedstate.QuotaPolicy{App: one}, keyA, withMember(keyA, "m2"), sharedstate.QuotaKey{App: "other", Host: keyA.Host, Resource: keyA.Resource}, "app", false},
	}
	eachBackend(t, func(t *testing.T, b *backend) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				q := b.newStore(t, Options{Prefix: "t:" + tt.name + ":"}).Quota()
				if d := take(t, q, tt.first, tt.p); !d.Allowed {
					t.Fatalf("first: %+v", d)
				}
				d := take(t, q, tt.same, tt.p)
				if d.Allowed || d.Scope != tt.scope || d.DayExhausted != tt.exhaus {
					t.Fatalf("same scope: %+v, want refused by %s (day %v)", d, tt.scope, tt.exhaus)
				}
				if d := take(t, q, tt.other, tt.p); !d.Allowed {
					t.Fatalf("other scope: %+v, want allowed", d)
				}
			})
		}
	})
}

func TestQuota_DailyBudgetResetsAtMidnightUTC(t *testing.T) {
	eachBackend(t, func(t *testing.T, b *backend) {
		q := b.newStore(t, Options{}).Quota()
		p := sharedstate.QuotaPolicy{AppDaily: 3}
		start := time.Now().UTC()
		if b.setTime != nil {
			start = time.Date(2026, 3, 9, 23, 59, 0, 0, time.UTC)
			b.setTime(start)
		}
		for i := range 3 {
			if d := take(t, q, keyA, p); !d.Allowed {
				t.Fatalf("attempt %d: %+v", i, d)
			}
		}
		d := take(t, q, keyA, p)
		want := nextMidnight(start)
		if !d.DayExhausted || d.Scope != "app" || (!d.Reset.Equal(want) && !d.Reset.Equal(want.AddDate(0, 0, 1))) {
			t.Fatalf("over the budget: %+v, want DayExhausted until %v", d, want)
		}
		if b.setTime == nil {
			t.Log("clock not controllable on this backend: the reset itself is checked on miniredis")
			return
		}
		b.setTime(want.Add(time.Second))
		if d := take(t, q, keyA, p); !d.Allowed {
			t.Fatalf("after 00:00 UTC: %+v, want allowed", d)
		}
	})
}

func TestQuota_DayMarkStopsTheResourceForEveryReplica(t *testing.T) {
	eachBackend(t, func(t *testing.T, b *backend) {
		a, other := b.newStore(t, Options{}), b.newStore(t, Options{})
		ctx := context.Background()
		until := time.Now().Add(time.Hour).Truncate(time.Millisecond).UTC()
		if err := a.Quota().MarkDayExhausted(ctx, keyA, until); err != nil {
			t.Fatal(err)
		}
		if err := a.Quota().MarkDayExhausted(ctx, withMember(withResource(keyA, "/posts"), "m1"), time.Time{}); err != nil {
			t.Fatal(err)
		}
		stores := []*Store{a}
		if b.shared {
			stores = append(stores, other)
		}
		for i, s := range stores {
			q := s.Quota()
			if d := take(t, q, keyA, sharedstate.QuotaPolicy{}); !d.DayExhausted || d.Scope != "mark" || !d.Reset.Equal(until) {
				t.Fatalf("store %d, marked resource: %+v, want DayExhausted until %v", i, d, until)
			}
			if d := take(t, q, withMember(keyA, "m9"), sharedstate.QuotaPolicy{}); !d.DayExhausted {
				t.Fatalf("store %d, marked resource, any member: %+v", i, d)
			}
			if d := take(t, q, withResource(keyA, "/adCampaigns"), sharedstate.QuotaPolicy{}); !d.Allowed {
				t.Fatalf("store %d, other resource: %+v", i, d)
			}
			k := keyA
			k.Host = "other.example"
			if d := take(t, q, k, sharedstate.QuotaPolicy{}); !d.Allowed {
				t.Fatalf("store %d, other host: %+v", i, d)
			}
			if d := take(t, q, withMember(withResource(keyA, "/posts"), "m1"), sharedstate.QuotaPolicy{}); !d.DayExhausted {
				t.Fatalf("store %d, member mark: %+v", i, d)
			}
			if d := take(t, q, withMember(withResource(keyA, "/posts"), "m2"), sharedstate.QuotaPolicy{}); !d.Allowed {
				t.Fatalf("store %d, member mark, other member: %+v", i, d)
			}
		}
	})
}

func TestQuota_DailyBudgetIsExactUnderConcurrency(t *testing.T) {
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
					d, err := q.Take(context.Background(), keyA, sharedstate.QuotaPolicy{AppDaily: limit})
					switch {
					case err != nil:
						t.Error(err)
						return
					case d.Allowed:
						allowed.Add(1)
					case d.DayExhausted:
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
