package middleware_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/linkedin-go/linkedin/middleware"
)

func TestRateLimit_NilLimiterIsNoOp(t *testing.T) {
	next := newHdrCanned()
	if rt := middleware.RateLimit(nil)(next); rt != http.RoundTripper(next) {
		t.Errorf("nil limiter wrapped the transport: %T", rt)
	}
}

func TestRateLimit_SpendsOneTokenPerRequest(t *testing.T) {
	// One token, refilled every 40ms: the third request cannot start before
	// two refills. Only a lower bound is checked, which holds however slow
	// the machine.
	lim := rate.NewLimiter(rate.Every(40*time.Millisecond), 1)
	calls := 0
	rt := middleware.RateLimit(lim)(hdrRTFunc(func(r *http.Request) (*http.Response, error) {
		calls++
		return hdrOK()(r)
	}))
	start := time.Now()
	for range 3 {
		req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1/x", nil)
		if _, err := rt.RoundTrip(req); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d < 75*time.Millisecond {
		t.Errorf("3 requests at 1 per 40ms took %v, want at least 80ms", d)
	}
	if calls != 3 {
		t.Errorf("calls = %d", calls)
	}
}

func TestRateLimit_HonoursContext(t *testing.T) {
	tests := []struct {
		name    string
		ctx     func() (context.Context, context.CancelFunc)
		lim     func() *rate.Limiter
		wantIs  error
		maxWait time.Duration
	}{
		{"already cancelled",
			func() (context.Context, context.CancelFunc) {
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				return ctx, cancel
			},
			func() *rate.Limiter { return rate.NewLimiter(rate.Inf, 1) },
			context.Canceled, time.Second},
		{"cancelled while waiting",
			func() (context.Context, context.CancelFunc) {
				ctx, cancel := context.WithCancel(context.Background())
				time.AfterFunc(20*time.Millisecond, cancel)
				return ctx, cancel
			},
			func() *rate.Limiter {
				l := rate.NewLimiter(rate.Every(time.Hour), 1)
				l.Allow() // spend the only token: the next is an hour away
				return l
			},
			context.Canceled, 5 * time.Second},
		{"deadline before the next token",
			func() (context.Context, context.CancelFunc) {
				return context.WithTimeout(context.Background(), time.Minute)
			},
			func() *rate.Limiter {
				l := rate.NewLimiter(rate.Every(time.Hour), 1)
				l.Allow() // spend the only token
				return l
			},
			context.DeadlineExceeded, 5 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := tt.ctx()
			defer cancel()
			lim := tt.lim()
			called := false
			rt := middleware.RateLimit(lim)(hdrRTFunc(func(r *http.Request) (*http.Response, error) {
				called = true
				return hdrOK()(r)
			}))
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://127.0.0.1/x?q=SECRET", nil)
			body := &tunnelCloseTracker{Reader: strings.NewReader("{}")}
			req.Body = body
			start := time.Now()
			resp, err := rt.RoundTrip(req)
			if resp != nil || !errors.Is(err, tt.wantIs) {
				t.Fatalf("got (%v, %v), want an error wrapping %v", resp, err, tt.wantIs)
			}
			var rle *middleware.RateLimitError
			if !errors.As(err, &rle) || rle.ErrorType() != "rate_limit_wait" {
				t.Errorf("err %T is not a *RateLimitError", err)
			}
			if d := time.Since(start); d > tt.maxWait {
				t.Errorf("returned after %v", d)
			}
			if called || !body.closed {
				t.Errorf("sent = %v, body closed = %v; want false, true", called, body.closed)
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("error leaks the query: %v", err)
			}
		})
	}
}

func TestRateLimit_ZeroBurstIsAnErrorNotADeadline(t *testing.T) {
	rt := middleware.RateLimit(rate.NewLimiter(10, 0))(newHdrCanned())
	req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1/x", nil)
	_, err := rt.RoundTrip(req)
	var rle *middleware.RateLimitError
	if !errors.As(err, &rle) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
}

func BenchmarkRateLimit_PassThrough(b *testing.B) {
	rt := middleware.RateLimit(rate.NewLimiter(rate.Inf, 1))(newHdrCanned())
	req, _ := http.NewRequest(http.MethodGet, "https://api.linkedin.com/rest/adAccounts?q=search", nil)
	b.ReportAllocs()
	for b.Loop() {
		rt.RoundTrip(req)
	}
}

func BenchmarkRateLimit_TokenAvailable(b *testing.B) {
	rt := middleware.RateLimit(rate.NewLimiter(rate.Limit(1e9), 1000))(newHdrCanned())
	req, _ := http.NewRequest(http.MethodGet, "https://api.linkedin.com/rest/adAccounts?q=search", nil)
	b.ReportAllocs()
	for b.Loop() {
		rt.RoundTrip(req)
	}
}
