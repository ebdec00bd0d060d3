package middleware_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/restli"
)

// brokenQuotaStore fails every call, as a shared store that is down does.
type brokenQuotaStore struct{}

var errStoreDown = errors.New("store down")

func (brokenQuotaStore) Step(context.Context, middleware.QuotaStep) (middleware.QuotaDecision, error) {
	return middleware.QuotaDecision{}, errStoreDown
}
func (brokenQuotaStore) MarkExhausted(context.Context, middleware.QuotaMark) error {
	return errStoreDown
}
func (brokenQuotaStore) Exhausted(context.Context, string, string, string) (middleware.QuotaMark, error) {
	return middleware.QuotaMark{}, errStoreDown
}

func TestQuota_RefusesBeforeTheNetwork(t *testing.T) {
	tests := []struct {
		name    string
		opts    middleware.QuotaOptions
		ctx     func() (context.Context, context.CancelFunc)
		wantDay bool
	}{
		{"daily limit reached", middleware.QuotaOptions{DailyLimit: 1},
			func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) }, true},
		{"rate slot beyond the deadline", middleware.QuotaOptions{Rate: middleware.QuotaRate{Interval: time.Hour}},
			func() (context.Context, context.CancelFunc) {
				return context.WithTimeout(context.Background(), time.Minute)
			}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var sent atomic.Int32
			rt := middleware.Quota(tc.opts)(hdrRTFunc(func(r *http.Request) (*http.Response, error) {
				sent.Add(1)
				return hdrOK()(r)
			}))
			ctx, cancel := tc.ctx()
			defer cancel()
			call := func() error {
				req, _ := http.NewRequestWithContext(ctx, "POST", "https://api.linkedin.com/rest/adAccounts?q=x", nil)
				body := &tunnelCloseTracker{Reader: strings.NewReader("{}")}
				req.Body = body
				resp, err := rt.RoundTrip(req)
				if err == nil {
					resp.Body.Close()
				} else if !body.closed {
					t.Error("refused request's body was not closed")
				}
				return err
			}
			if err := call(); err != nil {
				t.Fatalf("first call: %v", err)
			}
			err := call()
			if !errors.Is(err, restli.ErrNotSent) || restli.IsDailyQuotaExhausted(err) != tc.wantDay || sent.Load() != 1 {
				t.Errorf("second call: %v after %d sent; want refused before the network (daily quota %v)", err, sent.Load(), tc.wantDay)
			}
		})
	}
}

func TestQuota_StoreErrorNeverFailsACall(t *testing.T) {
	var sent atomic.Int32
	next := hdrRTFunc(func(r *http.Request) (*http.Response, error) {
		sent.Add(1)
		return hdrOK()(r)
	})
	store := brokenQuotaStore{}
	rt := middleware.Retry(middleware.RetryOptions{Quota: store})(
		middleware.Quota(middleware.QuotaOptions{Store: store, DailyLimit: 1, Rate: middleware.QuotaRate{Interval: time.Hour}})(next))
	for range 3 {
		req, _ := http.NewRequest("GET", "https://api.linkedin.com/rest/adAccounts/1", nil)
		resp, err := rt.RoundTrip(req)
		if err != nil {
			t.Fatalf("err = %v; a store that is down must not fail the call", err)
		}
		resp.Body.Close()
	}
	if sent.Load() != 3 {
		t.Errorf("%d of 3 calls sent", sent.Load())
	}
}
