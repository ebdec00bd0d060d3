// Package storetest is the conformance test of the middleware package's
// state stores: every middleware.QuotaStore and middleware.BreakerStore
// implementation (the in-process ones, and stores on a shared database)
// must pass it. Call it from a test of the implementation:
//
//	func TestMyQuotaStore(t *testing.T) {
//		storetest.QuotaStore(t, func(t *testing.T) (middleware.QuotaStore, func(time.Duration)) {
//			return newMyStore(t), nil
//		})
//	}
package storetest

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/restli"
)

// NewStore makes a fresh, empty store for one subtest. advance, when not
// nil, moves the store's clock forward by d (a fake clock, or a server
// whose time the test controls); subtests that need time to pass are
// skipped without it.
type NewStore[S any] func(t *testing.T) (store S, advance func(d time.Duration))

const host, res = "api.linkedin.com", "/adAccounts"

// QuotaStore runs the QuotaStore conformance tests on stores made by
// newStore.
func QuotaStore(t *testing.T, newStore NewStore[middleware.QuotaStore]) {
	ctx := context.Background()
	big := 24 * time.Hour
	t.Run("EmptyStoreAllowsAndSpendsNothing", func(t *testing.T) {
		s, _ := newStore(t)
		d, err := s.Step(ctx, middleware.QuotaStep{Host: host, Resource: res, MaxDelay: big})
		if err != nil || !d.Allowed || d.Delay != 0 || !d.ExhaustedUntil.IsZero() {
			t.Fatalf("Step = %+v, %v; want allowed at once", d, err)
		}
		if m, err := s.Exhausted(ctx, host, res, "m1"); err != nil || !m.Until.IsZero() {
			t.Fatalf("Exhausted = %+v, %v; want no mark", m, err)
		}
	})
	t.Run("ApplicationMarkCoversEveryMemberOfThatResourceOnly", func(t *testing.T) {
		s, _ := newStore(t)
		until := time.Now().Add(time.Hour).Truncate(time.Second)
		mark(t, s, middleware.QuotaMark{Host: host, Resource: res, Scope: restli.QuotaScopeApplication, Until: until})
		for _, member := range []string{"", "m1", "m2"} {
			m, err := s.Exhausted(ctx, host, res, member)
			if err != nil || !m.Until.Equal(until) || m.Scope != restli.QuotaScopeApplication {
				t.Errorf("Exhausted(member %q) = %+v, %v; want the mark until %v", member, m, err, until)
			}
			d, err := s.Step(ctx, middleware.QuotaStep{Host: host, Resource: res, Member: member, MaxDelay: big})
			if err != nil || d.Allowed || !d.ExhaustedUntil.Equal(until) {
				t.Errorf("Step(member %q) = %+v, %v; want refused until %v", member, d, err, until)
			}
		}
		for _, other := range [][2]string{{host, "/adCampaigns"}, {"other.example", res}} {
			if m, _ := s.Exhausted(ctx, other[0], other[1], "m1"); !m.Until.IsZero() {
				t.Errorf("mark leaked to %v: %+v", other, m)
			}
		}
	})
	t.Run("MemberMarkCoversThatMemberOnly", func(t *testing.T) {
		s, _ := newStore(t)
		until := time.Now().Add(time.Hour).Truncate(time.Second)
		mark(t, s, middleware.QuotaMark{Host: host, Resource: res, Member: "m1", Scope: restli.QuotaScopeMember, Until: until})
		if m, _ := s.Exhausted(ctx, host, res, "m1"); !m.Until.Equal(until) || m.Scope != restli.QuotaScopeMember {
			t.Errorf("member m1: %+v, want marked until %v", m, until)
		}
		if m, _ := s.Exhausted(ctx, host, res, "m2"); !m.Until.IsZero() {
			t.Errorf("member m2: %+v, want no mark", m)
		}
		if d, _ := s.Step(ctx, middleware.QuotaStep{Host: host, Resource: res, Member: "m2", MaxDelay: big}); !d.Allowed {
			t.Errorf("Step for m2 = %+v, want allowed", d)
		}
	})
	t.Run("MarkIsNeverShortened", func(t *testing.T) {
		s, _ := newStore(t)
		long := time.Now().Add(2 * time.Hour).Truncate(time.Second)
		mark(t, s, middleware.QuotaMark{Host: host, Resource: res, Scope: restli.QuotaScopeApplication, Until: long})
		mark(t, s, middleware.QuotaMark{Host: host, Resource: res, Scope: restli.QuotaScopeApplication, Until: long.Add(-time.Hour)})
		if m, _ := s.Exhausted(ctx, host, res, ""); !m.Until.Equal(long) {
			t.Errorf("mark until %v after a shorter one, want %v", m.Until, long)
		}
	})
	t.Run("MarkExpires", func(t *testing.T) {
		s, advance := newStore(t)
		if advance == nil {
			t.Skip("the store's clock cannot be advanced")
		}
		mark(t, s, middleware.QuotaMark{Host: host, Resource: res, Scope: restli.QuotaScopeApplication, Until: time.Now().Add(time.Minute)})
		advance(2 * time.Minute)
		if m, _ := s.Exhausted(ctx, host, res, ""); !m.Until.IsZero() {
			t.Errorf("mark %+v outlived its time", m)
		}
		if d, _ := s.Step(ctx, middleware.QuotaStep{Host: host, Resource: res, MaxDelay: big}); !d.Allowed {
			t.Errorf("Step after the mark expired = %+v, want allowed", d)
		}
	})
	t.Run("DailyLimitCountsAndRefusesUntilMidnightUTC", func(t *testing.T) {
		s, advance := newStore(t)
		step := middleware.QuotaStep{Host: host, Resource: res, DailyKey: "day|" + host + res, DailyLimit: 3, MaxDelay: big}
		for i := range 3 {
			if d, err := s.Step(ctx, step); err != nil || !d.Allowed {
				t.Fatalf("call %d: %+v, %v; want allowed", i+1, d, err)
			}
		}
		d, err := s.Step(ctx, step)
		if err != nil || d.Allowed || d.ExhaustedUntil.IsZero() {
			t.Fatalf("call 4: %+v, %v; want refused by the daily limit", d, err)
		}
		if u := d.ExhaustedUntil.UTC(); u.Hour() != 0 || u.Minute() != 0 || u.Second() != 0 {
			t.Errorf("refused until %v, want a 00:00 UTC", u)
		}
		other := step
		other.DailyKey = "day|" + host + "/adCampaigns"
		if d, _ := s.Step(ctx, other); !d.Allowed {
			t.Errorf("another counter: %+v, want allowed", d)
		}
		if advance == nil {
			return
		}
		advance(24 * time.Hour)
		if d, _ := s.Step(ctx, step); !d.Allowed {
			t.Errorf("the next UTC day: %+v, want the count reset", d)
		}
	})
	t.Run("RefusedStepsSpendNothing", func(t *testing.T) {
		s, _ := newStore(t)
		step := middleware.QuotaStep{Host: host, Resource: res, DailyKey: "d", DailyLimit: 1,
			RateKey: "r", Rate: middleware.QuotaRate{Interval: time.Hour, Burst: 1}, MaxDelay: big}
		mark(t, s, middleware.QuotaMark{Host: host, Resource: res, Member: "m1", Scope: restli.QuotaScopeMember, Until: time.Now().Add(time.Hour)})
		marked := step
		marked.Member = "m1"
		if d, _ := s.Step(ctx, marked); d.Allowed {
			t.Fatalf("marked member: %+v, want refused", d)
		}
		if d, _ := s.Step(ctx, step); !d.Allowed || d.Delay != 0 {
			t.Errorf("first unmarked call: %+v, want allowed at once (the refused one spent nothing)", d)
		}
	})
	t.Run("RateBurstThenDelayAndDeadlineRefusal", func(t *testing.T) {
		s, _ := newStore(t)
		step := middleware.QuotaStep{Host: host, Resource: res, RateKey: "rate|" + host,
			Rate: middleware.QuotaRate{Interval: time.Hour, Burst: 2}, MaxDelay: big}
		for i := range 2 {
			if d, _ := s.Step(ctx, step); !d.Allowed || d.Delay != 0 {
				t.Fatalf("burst call %d: %+v, want allowed at once", i+1, d)
			}
		}
		short := step
		short.MaxDelay = time.Minute
		d, _ := s.Step(ctx, short)
		if d.Allowed || d.RetryAfter < 50*time.Minute {
			t.Fatalf("beyond the burst with a 1m deadline: %+v, want refused with RetryAfter near 1h", d)
		}
		d, _ = s.Step(ctx, step)
		if !d.Allowed || d.Delay < 50*time.Minute || d.Delay > time.Hour {
			t.Errorf("beyond the burst: %+v, want a reserved slot about 1h away (the refused step reserved nothing)", d)
		}
	})
	t.Run("ConcurrentStepsNeverExceedTheDailyLimit", func(t *testing.T) {
		s, _ := newStore(t)
		step := middleware.QuotaStep{Host: host, Resource: res, DailyKey: "race", DailyLimit: 20, MaxDelay: big}
		var allowed atomic.Int32
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for range 10 {
					if d, err := s.Step(ctx, step); err == nil && d.Allowed {
						allowed.Add(1)
					}
				}
			})
		}
		wg.Wait()
		if n := allowed.Load(); n != 20 {
			t.Errorf("%d of 80 concurrent steps allowed, want exactly the limit, 20", n)
		}
	})
	t.Run("HonoursContext", func(t *testing.T) {
		s, _ := newStore(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if d, err := s.Step(cctx, middleware.QuotaStep{Host: host, Resource: res, DailyKey: "c", DailyLimit: 1}); err == nil && d.Allowed {
			// A store may answer from memory; it must then not have
			// spent the count for a caller that is gone.
			if d2, _ := s.Step(ctx, middleware.QuotaStep{Host: host, Resource: res, DailyKey: "c", DailyLimit: 1}); !d2.Allowed {
				t.Errorf("a step with a cancelled context spent the daily count")
			}
		}
	})
}

func mark(t *testing.T, s middleware.QuotaStore, m middleware.QuotaMark) {
	t.Helper()
	if err := s.MarkExhausted(context.Background(), m); err != nil {
		t.Fatalf("MarkExhausted: %v", err)
	}
}

// BreakerStore runs the BreakerStore conformance tests on stores made by
// newStore.
func BreakerStore(t *testing.T, newStore NewStore[middleware.BreakerStore]) {
	ctx := context.Background()
	const key = "https://api.linkedin.com"
	t.Run("EmptyStoreIsClosed", func(t *testing.T) {
		s, _ := newStore(t)
		if until, err := s.Load(ctx, key); err != nil || !until.IsZero() {
			t.Fatalf("Load = %v, %v; want closed", until, err)
		}
	})
	t.Run("TripOpensThatKeyOnly", func(t *testing.T) {
		s, _ := newStore(t)
		until := time.Now().Add(time.Hour).Truncate(time.Millisecond)
		if err := s.Trip(ctx, key, until); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Load(ctx, key); !got.Equal(until) {
			t.Errorf("Load = %v, want open until %v", got, until)
		}
		if got, _ := s.Load(ctx, "https://other.example"); !got.IsZero() {
			t.Errorf("another key: %v, want closed", got)
		}
	})
	t.Run("ExactlyOneProbeAtATime", func(t *testing.T) {
		s, _ := newStore(t)
		halfOpen(t, s, key)
		var won atomic.Int32
		var wg sync.WaitGroup
		for range 16 {
			wg.Go(func() {
				if ok, err := s.AcquireProbe(ctx, key, time.Minute); err == nil && ok {
					won.Add(1)
				}
			})
		}
		wg.Wait()
		if n := won.Load(); n != 1 {
			t.Fatalf("%d of 16 concurrent AcquireProbe won, want exactly 1", n)
		}
		if err := s.ReleaseProbe(ctx, key); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.AcquireProbe(ctx, key, time.Minute); !ok {
			t.Error("after ReleaseProbe the probe could not be taken again")
		}
	})
	t.Run("ProbeLeaseExpires", func(t *testing.T) {
		s, advance := newStore(t)
		if advance == nil {
			t.Skip("the store's clock cannot be advanced")
		}
		halfOpen(t, s, key)
		if ok, _ := s.AcquireProbe(ctx, key, time.Second); !ok {
			t.Fatal("first probe refused")
		}
		advance(2 * time.Second)
		if ok, _ := s.AcquireProbe(ctx, key, time.Second); !ok {
			t.Error("a hung probe's lease did not expire")
		}
	})
	t.Run("TripReleasesTheProbeAndResetCloses", func(t *testing.T) {
		s, _ := newStore(t)
		halfOpen(t, s, key)
		if ok, _ := s.AcquireProbe(ctx, key, time.Minute); !ok {
			t.Fatal("probe refused")
		}
		if err := s.Trip(ctx, key, time.Now().Add(-time.Second)); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.AcquireProbe(ctx, key, time.Minute); !ok {
			t.Error("Trip did not release the probe lease")
		}
		if err := s.Reset(ctx, key); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Load(ctx, key); !got.IsZero() {
			t.Errorf("after Reset Load = %v, want closed", got)
		}
	})
}

// halfOpen trips key with an open time already past: half-open.
func halfOpen(t *testing.T, s middleware.BreakerStore, key string) {
	t.Helper()
	if err := s.Trip(context.Background(), key, time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
}
