// Custom-middleware adds your own layers to the transport stack at its two
// named points: a per-call layer (above retry: once per logical call, sees
// the final outcome) that sets a correlation id and logs each call, and a
// per-attempt layer (below retry and the token layer: once per wire attempt)
// that logs each attempt with restli.AttemptFromContext. It prints the stack
// (transport.Layers), then makes the fake server fail twice with 503 to show
// a GET being retried, and a CREATE that is not resent after a 5xx, since the
// server may have acted on it.
//
//	go run ./examples/custom-middleware
//
// With LINKEDIN_ACCESS_TOKEN set it prints the stack and makes one call to
// LinkedIn; fault injection needs the fake server.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/linkedin-go/linkedin/examples/internal/demo"
	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
	"github.com/linkedin-go/linkedin/transport"
)

// correlate is a per-call layer: it gives each call an X-Correlation-Id,
// which every attempt of the call carries, and logs the call's outcome.
func correlate(next http.RoundTripper) http.RoundTripper {
	var calls atomic.Int64
	return transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		id := fmt.Sprintf("call-%d", calls.Add(1))
		req = req.Clone(req.Context()) // a layer never modifies its caller's request
		req.Header.Set("X-Correlation-Id", id)
		info, _ := restli.CallInfoFromContext(req.Context())
		resp, err := next.RoundTrip(req)
		if err != nil {
			fmt.Printf("  %s  %s %s: %v\n", id, info.Method.Upper(), info.Resource, err)
			return nil, err
		}
		fmt.Printf("  %s  %s %s → %s\n", id, info.Method.Upper(), info.Resource, resp.Status)
		return resp, nil
	})
}

// logAttempts is a per-attempt layer: it runs for every wire attempt, after
// the token layer has attached the token.
func logAttempts(next http.RoundTripper) http.RoundTripper {
	return transport.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		auth := "none"
		if strings.HasPrefix(req.Header.Get("Authorization"), "Bearer ") {
			auth = "Bearer <redacted>" // never print a token
		}
		resp, err := next.RoundTrip(req)
		outcome := fmt.Sprint(err)
		if err == nil {
			outcome = resp.Status
		}
		fmt.Printf("    attempt %d of %s (Authorization: %s) → %s\n",
			restli.AttemptFromContext(req.Context()), req.Header.Get("X-Correlation-Id"), auth, outcome)
		return resp, err
	})
}

func main() {
	log.SetFlags(0)
	env := demo.Setup(
		transport.WithPerCall(correlate),
		transport.WithPerAttempt(logAttempts),
		// Short waits between attempts, for the demo (defaults: 500ms to 30s).
		transport.WithRetry(middleware.RetryOptions{MaxAttempts: 4, RetryWaitMin: 50 * time.Millisecond, RetryWaitMax: 200 * time.Millisecond}),
	)
	defer env.Close()
	ctx := context.Background()
	fmt.Println("Calling", env.Target())
	fmt.Println("\nlayers, outermost first:\n  " + strings.Join(env.Layers(), " → "))

	getMe := func() error {
		_, err := env.V2.Get(ctx, restli.GetRequest{ResourcePath: "/me"})
		return err
	}

	fmt.Println("\nA call that succeeds at once:")
	check(getMe())

	if env.Fake == nil {
		fmt.Println("\n(fault injection needs the fake server: run without LINKEDIN_ACCESS_TOKEN)")
		return
	}

	fmt.Println("\nThe server fails the next 2 requests with 503; a GET is safe to resend:")
	env.Fake.Fail(restlitest.Fault{Status: http.StatusServiceUnavailable, Times: 2})
	check(getMe())

	fmt.Println("\nThe server fails a CREATE with 503; it is sent once, as it may have been applied:")
	env.Fake.Fail(restlitest.Fault{Method: restli.MethodCreate, Status: http.StatusServiceUnavailable})
	_, err := env.Client.Create(ctx, restli.CreateRequest{
		ResourcePath: "/adAccounts",
		Entity:       map[string]any{"name": "Retry demo", "type": "BUSINESS", "test": true},
	})
	var restliErr *restli.Error
	if !errors.As(err, &restliErr) || restliErr.StatusCode != http.StatusServiceUnavailable {
		log.Fatalf("custom-middleware: want a 503 *restli.Error, got %v", err)
	}
	fmt.Println("  the caller gets a *restli.Error with status", restliErr.StatusCode)
}

func check(err error) {
	if err != nil {
		log.Fatal("custom-middleware: ", err)
	}
}
