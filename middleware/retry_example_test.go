package middleware_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"time"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/restli"
)

// A read that meets two 503s is resent and succeeds on the third attempt.
func ExampleRetry() {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		if n < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintf(w, "%s served on attempt %d", r.URL.Path, n)
	}))
	defer srv.Close()
	base := &http.Transport{}
	defer base.CloseIdleConnections()

	client := &http.Client{Transport: middleware.Retry(middleware.RetryOptions{
		MaxAttempts:  4,
		RetryWaitMin: 10 * time.Millisecond,
		RetryWaitMax: 100 * time.Millisecond,
	})(base)}

	// restli.Client puts this description in every request it builds; the
	// retry layer reads from it that a GET is safe to resend.
	ctx := restli.ContextWithCallInfo(context.Background(), restli.CallInfo{
		Method: restli.MethodGet, Resource: "/adAccounts/{id}", Idempotent: true,
	})
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/adAccounts/123", nil)
	resp, err := client.Do(req)
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, string(body))
	// Output: 200 /adAccounts/123 served on attempt 3
}

// A custom policy composes DefaultCheckRetry: here a read is also resent
// after a 409, which this (hypothetical) service uses for a lost race.
func ExampleRetry_customPolicy() {
	retry := middleware.Retry(middleware.RetryOptions{
		CheckRetry: func(a middleware.RetryAttempt) bool {
			if a.Response != nil && a.Response.StatusCode == http.StatusConflict && a.SafeToResend {
				return true
			}
			return middleware.DefaultCheckRetry(a)
		},
		Backoff: func(waitMin, waitMax time.Duration, a middleware.RetryAttempt) time.Duration {
			return middleware.DefaultBackoff(waitMin, waitMax, a) / 2
		},
	})
	client := &http.Client{Transport: retry(http.DefaultTransport)}
	_ = client
}

// After FailureThreshold consecutive failures the breaker refuses requests
// to that host without sending them, until OpenTimeout has passed.
func ExampleCircuitBreaker() {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusBadGateway)
	}))
	defer srv.Close()
	base := &http.Transport{}
	defer base.CloseIdleConnections()

	client := &http.Client{Transport: middleware.CircuitBreaker(middleware.BreakerOptions{
		FailureThreshold: 2,
		OpenTimeout:      time.Minute,
		OnStateChange: func(key, from, to string) {
			fmt.Println("breaker:", from, "->", to)
		},
	})(base)}

	for range 3 {
		resp, err := client.Get(srv.URL + "/rest/posts")
		switch {
		case errors.Is(err, middleware.ErrCircuitOpen):
			fmt.Println("refused without a request")
		case err != nil:
			fmt.Println("error:", err)
		default:
			resp.Body.Close()
			fmt.Println("status", resp.StatusCode)
		}
	}
	fmt.Println("requests that reached the server:", hits.Load())
	// Output:
	// status 502
	// breaker: closed -> open
	// status 502
	// refused without a request
	// requests that reached the server: 2
}
