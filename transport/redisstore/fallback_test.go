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

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/oauth"
	"github.com/linkedin-go/linkedin/restli"
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
		st := middleware.QuotaStep{Host: testHost, Resource: testRes, DailyKey: "d", DailyLimit: 8}

		b.srv.Stop()
		// Down: each replica enforces its share of the budget, 8/4 = 2.
		allowed := 0
		for range 5 {
			d, err := a.Quota().Step(ctx, st)
			if err != nil {
				t.Fatalf("Step failed because Redis is down: %v", err)
			}
			if d.Allowed {
				allowed++
			}
		}
		if allowed != 2 {
			t.Fatalf("allowed %d in fallback, want 8/4 = 2", allowed)
		}
		if s := a.Stats(); !s.Down || s.Outages != 1 || s.Fallbacks != 5 {
			t.Fatalf("stats %+v, want down, 1 outage, 5 fallbacks", s)
		}
		if !strings.Contains(logs.String(), "redis unavailable") {
			t.Fatalf("no log line for the outage: %q", logs.String())
		}

		if err := b.srv.Start(); err != nil {
			t.Fatal(err)
		}
		probe := middleware.QuotaStep{Host: testHost, Resource: "/probe"}
		waitUp(t, a, func() { a.Quota().Step(ctx, probe) })
		waitUp(t, c, func() { c.Quota().Step(ctx, probe) })
		if !strings.Contains(logs.String(), "redis available again") {
			t.Fatalf("no log line for the recovery: %q", logs.String())
		}
		// Shared again: one budget of 3 across both replicas.
		shared := middleware.QuotaStep{Host: testHost, Resource: testRes, DailyKey: "resumed", DailyLimit: 3}
		got := 0
		for i := range 6 {
			if d := step(t, []*Store{a, c}[i%2].Quota(), shared); d.Allowed {
				got++
			}
		}
		if got != 3 {
			t.Fatalf("allowed %d across two replicas after recovery, want the shared 3", got)
		}
	})
}

func TestFallback_MarksHoldWhileRedisIsDown(t *testing.T) {
	redisBackends(t, func(t *testing.T, b *backend) {
		ctx := context.Background()
		s := b.newStore(t, Options{RetryInterval: time.Hour})
		until := time.Now().Add(time.Hour)
		b.srv.Stop()
		defer b.srv.Start()
		if err := s.Quota().MarkExhausted(ctx, middleware.QuotaMark{Host: testHost, Resource: testRes,
			Scope: restli.QuotaScopeApplication, Until: until}); err != nil {
			t.Fatal(err)
		}
		if d := step(t, s.Quota(), middleware.QuotaStep{Host: testHost, Resource: testRes}); d.ExhaustedUntil.IsZero() {
			t.Fatalf("Step during the outage: %+v, want the local mark", d)
		}
		if m, err := s.Quota().Exhausted(ctx, testHost, testRes, ""); err != nil || m.Until.IsZero() {
			t.Fatalf("Exhausted during the outage: %+v %v", m, err)
		}
	})
}

func TestFallback_TokensWrittenDuringAnOutageAreWrittenBack(t *testing.T) {
	redisBackends(t, func(t *testing.T, b *backend) {
		ctx := context.Background()
		opts := Options{RetryInterval: 20 * time.Millisecond}
		a, c := b.newStore(t, opts), b.newStore(t, opts)
		v1 := put(t, a.Tokens(), "m1", token("old", time.Minute), 0)
		put(t, a.Tokens(), "m2", token("old2", time.Minute), 0)
		b.srv.Stop()
		if ok, err := a.Tokens().AcquireLease(ctx, "m1", "A", time.Minute); !ok || err != nil {
			t.Fatalf("local lease: %v %v", ok, err)
		}
		if ok, _ := a.Tokens().AcquireLease(ctx, "m1", "A2", time.Minute); ok {
			t.Fatal("two local leases")
		}
		if _, err := a.Tokens().Put(ctx, oauth.MemberToken{Member: "m1", Token: token("new", time.Hour)}, v1); err != nil {
			t.Fatalf("Put during the outage: %v", err)
		}
		if mt, _ := a.Tokens().Get(ctx, "m1"); mt.Token.AccessToken != "new" {
			t.Fatalf("local read during the outage: %+v", mt)
		}
		// m2: written locally on a, and (after the restart) twice by
		// another replica: the other replica's newer token wins.
		mt2, _ := a.Tokens().Get(ctx, "m2")
		if _, err := a.Tokens().Put(ctx, oauth.MemberToken{Member: "m2", Token: token("local2", time.Minute)}, mt2.Version); err != nil {
			t.Fatal(err)
		}
		if err := b.srv.Start(); err != nil {
			t.Fatal(err)
		}
		waitUp(t, c, func() { c.Tokens().Expiring(ctx, time.Now()) })
		for _, access := range []string{"remote1", "remote2"} {
			prev := int64(0)
			if cur, err := c.Tokens().Get(ctx, "m2"); err == nil {
				prev = cur.Version
			}
			put(t, c.Tokens(), "m2", token(access, time.Hour), prev)
		}
		waitUp(t, a, func() { a.Tokens().Get(ctx, "m1") })
		if mt, err := c.Tokens().Get(ctx, "m1"); err != nil || mt.Token.AccessToken != "new" {
			t.Fatalf("other replica after recovery: %+v %v, want the token written during the outage", mt, err)
		}
		if mt, _ := a.Tokens().Get(ctx, "m2"); mt.Token.AccessToken != "remote2" {
			t.Fatalf("m2 on a: %+v, want the newer remote token", mt.Token.AccessToken)
		}
	})
}

func TestFallback_BreakerAnswersClosedWhileRedisIsDown(t *testing.T) {
	redisBackends(t, func(t *testing.T, b *backend) {
		ctx := context.Background()
		s := b.newStore(t, Options{RetryInterval: time.Hour, Cache: -1})
		b.srv.Stop()
		defer b.srv.Start()
		for range 3 {
			if u, err := s.Breaker().Load(ctx, breakerKey); err != nil || !u.IsZero() {
				t.Fatalf("down: %v %v, want closed (the local breaker decides)", u, err)
			}
		}
		if err := s.Breaker().Trip(ctx, breakerKey, time.Now().Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if st := s.Stats(); st.Fallbacks != 4 || st.Outages != 1 {
			t.Fatalf("stats %+v: want one outage, and no Redis attempt per call after it", st)
		}
	})
}

func TestFallback_IsCountedInTheFallbacksMetric(t *testing.T) {
	redisBackends(t, func(t *testing.T, b *backend) {
		ctx := context.Background()
		reader := sdkmetric.NewManualReader()
		s := b.newStore(t, Options{RetryInterval: time.Hour,
			MeterProvider: sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))})
		b.srv.Stop()
		defer b.srv.Start()
		step(t, s.Quota(), middleware.QuotaStep{Host: testHost, Resource: testRes})
		step(t, s.Quota(), middleware.QuotaStep{Host: testHost, Resource: testRes})
		if _, err := s.Breaker().Load(ctx, breakerKey); err != nil {
			t.Fatal(err)
		}
		var rm metricdata.ResourceMetrics
		if err := reader.Collect(ctx, &rm); err != nil {
			t.Fatal(err)
		}
		got := map[string]int64{}
		for _, sm := range rm.ScopeMetrics {
			for _, m := range sm.Metrics {
				if m.Name != "linkedin.redisstore.fallbacks" {
					continue
				}
				for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
					op, _ := dp.Attributes.Value("op")
					got[op.AsString()] += dp.Value
				}
			}
		}
		if got["quota.step"] != 2 || got["breaker.load"] != 1 || len(got) != 2 {
			t.Fatalf("fallbacks by op: %v, want quota.step 2, breaker.load 1", got)
		}
	})
}
