package middleware

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/linkedin-go/linkedin/restli"
)

// retryBenchStub answers every request with the same canned 200, so the
// benchmarks measure only the layer in front of it.
type retryBenchStub struct{ resp *http.Response }

func (s retryBenchStub) RoundTrip(*http.Request) (*http.Response, error) { return s.resp, nil }

func retryBenchSetup(b *testing.B, ctx context.Context) (retryBenchStub, *http.Request) {
	b.Helper()
	stub := retryBenchStub{resp: &http.Response{
		StatusCode: http.StatusOK, Status: "200 OK", Header: http.Header{}, Body: http.NoBody,
	}}
	u, _ := url.Parse("https://api.linkedin.com/rest/adAccounts?q=search")
	req := (&http.Request{
		Method: http.MethodGet, URL: u, Host: u.Host,
		Header: http.Header{"X-Restli-Method": {"finder"}, "Linkedin-Version": {"202405"}},
	}).WithContext(ctx)
	return stub, req
}

func retryBenchRun(b *testing.B, rt http.RoundTripper, req *http.Request) {
	b.Helper()
	b.ReportAllocs()
	for b.Loop() {
		resp, err := rt.RoundTrip(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatal(resp, err)
		}
	}
}

// BenchmarkRetry_PassThrough is the bare stub, then a finder (idempotent)
// and a CREATE (write tracking on) through Retry, each answered 200.
func BenchmarkRetry_PassThrough(b *testing.B) {
	finder := restli.ContextWithCallInfo(context.Background(), restli.CallInfo{
		Method: restli.MethodFinder, Resource: "/adAccounts", Finder: "search", Idempotent: true,
	})
	create := restli.ContextWithCallInfo(context.Background(), restli.CallInfo{
		Method: restli.MethodCreate, Resource: "/adAccounts",
	})
	b.Run("stub", func(b *testing.B) {
		stub, req := retryBenchSetup(b, finder)
		retryBenchRun(b, stub, req)
	})
	b.Run("finder", func(b *testing.B) {
		stub, req := retryBenchSetup(b, finder)
		retryBenchRun(b, Retry(RetryOptions{})(stub), req)
	})
	b.Run("create", func(b *testing.B) {
		stub, req := retryBenchSetup(b, create)
		req.Method = http.MethodPost
		retryBenchRun(b, Retry(RetryOptions{})(stub), req)
	})
}

// BenchmarkCircuitBreaker_PassThrough is the bare stub, then the closed
// breaker in front of it, serial and from parallel goroutines.
func BenchmarkCircuitBreaker_PassThrough(b *testing.B) {
	b.Run("stub", func(b *testing.B) {
		stub, req := retryBenchSetup(b, context.Background())
		retryBenchRun(b, stub, req)
	})
	b.Run("closed", func(b *testing.B) {
		stub, req := retryBenchSetup(b, context.Background())
		retryBenchRun(b, CircuitBreaker(BreakerOptions{})(stub), req)
	})
	b.Run("closed-parallel", func(b *testing.B) {
		stub, req := retryBenchSetup(b, context.Background())
		rt := CircuitBreaker(BreakerOptions{})(stub)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := rt.RoundTrip(req); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// BenchmarkRetryCircuitBreaker_PassThrough is Retry over CircuitBreaker,
// their order in the default stack.
func BenchmarkRetryCircuitBreaker_PassThrough(b *testing.B) {
	ctx := restli.ContextWithCallInfo(context.Background(), restli.CallInfo{
		Method: restli.MethodGet, Resource: "/adAccounts/{id}", Idempotent: true,
	})
	stub, req := retryBenchSetup(b, ctx)
	retryBenchRun(b, Retry(RetryOptions{})(CircuitBreaker(BreakerOptions{})(stub)), req)
}
