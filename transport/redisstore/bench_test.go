// bench_test.go: what the shared state costs. The Redis quota step is one
// round trip per attempt: its latency against the in-process store, on
// loopback TCP and a unix socket; the throughput of 64 goroutines sharing
// the quota; member-token reads served from the local cache; and a whole
// call through the default stack with and without the Redis stores.

package redisstore_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/oauth"
	"github.com/linkedin-go/linkedin/transport"
	"github.com/linkedin-go/linkedin/transport/redisstore"
	"github.com/linkedin-go/linkedin/transport/redisstore/internal/redistest"
)

// benchQuotaStores returns the quota stores to compare: in-process, and
// Redis over a unix socket and loopback TCP (when redis-server is
// installed), and miniredis.
func benchQuotaStores(b *testing.B) []struct {
	name string
	q    middleware.QuotaStore
} {
	out := []struct {
		name string
		q    middleware.QuotaStore
	}{{"inprocess", middleware.NewMemoryQuotaStore(nil)}}
	servers := []*redistest.Server{}
	if redistest.Binary() != "" || redistest.Required() {
		servers = append(servers, redistest.Real(b, true), redistest.Real(b, false))
	}
	servers = append(servers, redistest.Mini(b))
	for _, srv := range servers {
		st := redisstore.New(srv.Client(b), redisstore.Options{Timeout: 5 * time.Second})
		out = append(out, struct {
			name string
			q    middleware.QuotaStore
		}{srv.Kind, st.Quota()})
	}
	return out
}

// benchStep is a realistic step: a rate bucket that never binds and a
// daily budget that is never reached.
var benchStep = middleware.QuotaStep{Host: "api.linkedin.com", Resource: "/adAccounts", Member: "m1",
	RateKey: "rate|api.linkedin.com", Rate: middleware.QuotaRate{Interval: time.Nanosecond, Burst: 1 << 30},
	DailyKey: "day|api.linkedin.com|r:/adAccounts", DailyLimit: 1 << 50, MaxDelay: time.Second}

func BenchmarkQuotaStep(b *testing.B) {
	for _, s := range benchQuotaStores(b) {
		b.Run(s.name, func(b *testing.B) {
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if d, err := s.q.Step(ctx, benchStep); err != nil || !d.Allowed {
					b.Fatal(d, err)
				}
			}
		})
	}
}

// BenchmarkQuotaStep64 runs 64 goroutines taking steps on one shared
// quota: its ns/op is the inverse of the fleet-wide throughput one client
// gets.
func BenchmarkQuotaStep64(b *testing.B) {
	for _, s := range benchQuotaStores(b) {
		b.Run(s.name, func(b *testing.B) {
			ctx := context.Background()
			b.ReportAllocs()
			b.SetParallelism(max(64/runtime.GOMAXPROCS(0), 1))
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if d, err := s.q.Step(ctx, benchStep); err != nil || !d.Allowed {
						b.Error(d, err)
						return
					}
				}
			})
		})
	}
}

// BenchmarkTokenGet reads a member token: from the local cache (a token
// valid for an hour) and from Redis (a token within the cache margin of its
// expiry, which every read fetches).
func BenchmarkTokenGet(b *testing.B) {
	srv := redistest.Mini(b)
	if redistest.Binary() != "" || redistest.Required() {
		srv = redistest.Real(b, true)
	}
	st := redisstore.New(srv.Client(b), redisstore.Options{Timeout: 5 * time.Second})
	ctx := context.Background()
	for _, c := range []struct {
		name string
		life time.Duration
	}{{"cached", time.Hour}, {"redis-" + srv.Kind, time.Minute}} {
		tok := &oauth.Token{Token: &oauth2.Token{AccessToken: "a", RefreshToken: "r", Expiry: time.Now().Add(c.life)}}
		if _, err := st.Tokens().Put(ctx, oauth.MemberToken{Member: c.name, Token: tok}, oauth.AnyVersion); err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := st.Tokens().Get(ctx, c.name); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCall is one call through the default stack to a loopback
// server: without shared state, and with the Redis stores and the quota
// layer (a quota step and, once per cache period, a breaker read).
func BenchmarkCall(b *testing.B) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":1}`)
	}))
	defer api.Close()
	srv := redistest.Mini(b)
	if redistest.Binary() != "" || redistest.Required() {
		srv = redistest.Real(b, true)
	}
	st := redisstore.New(srv.Client(b), redisstore.Options{Timeout: 5 * time.Second})
	stacks := []struct {
		name string
		opts []transport.Option
	}{
		{"inprocess", nil},
		{"shared-" + srv.Kind, []transport.Option{transport.WithStores(st.Stores()),
			transport.WithQuota(middleware.QuotaOptions{DailyLimit: 1 << 50})}},
	}
	for _, s := range stacks {
		b.Run(s.name, func(b *testing.B) {
			hc := transport.NewClient(append(s.opts, transport.WithoutTelemetry())...)
			defer hc.CloseIdleConnections()
			b.ReportAllocs()
			for b.Loop() {
				resp, err := hc.Get(api.URL + "/rest/adAccounts/1")
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
}
