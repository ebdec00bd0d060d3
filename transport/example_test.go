package transport_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"time"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/transport"
)

// NewClient returns an *http.Client with the whole LinkedIn stack. Any code
// that takes an *http.Client can use it, restli.NewClient included.
func ExampleNewClient() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println(r.Method, r.URL.Path)
		fmt.Println("X-RestLi-Protocol-Version:", r.Header.Get("X-RestLi-Protocol-Version"))
		fmt.Println("LinkedIn-Version:", r.Header.Get("LinkedIn-Version"))
		fmt.Println("User-Agent:", r.Header.Get("User-Agent"))
	}))
	defer srv.Close()

	client := transport.NewClient(
		transport.WithVersion("202601"),
		transport.WithUserAgent("adsync/2.1"),
		// In production also: transport.WithTokenSource(ts), WithLogger(logger) …
	)
	defer client.CloseIdleConnections()

	// A Rest.li request built by hand says so with X-RestLi-Method (restli's
	// builder marks its own); the stack adds the Rest.li headers to those
	// and to requests for api.linkedin.com only.
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/rest/adAccounts/123", nil)
	req.Header.Set("X-RestLi-Method", "get")
	resp, err := client.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.Status)
	// Output:
	// GET /rest/adAccounts/123
	// X-RestLi-Protocol-Version: 2.0.0
	// LinkedIn-Version: 202601
	// User-Agent: adsync/2.1 linkedin-go/0.1.0
	// 200 OK
}

// Wrap puts the stack under a client you already have: its Transport
// becomes the base, its Timeout, Jar and CheckRedirect stay, and the client
// itself is left as it was.
func ExampleWrap() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println("server got LinkedIn-Version:", r.Header.Get("LinkedIn-Version"))
	}))
	defer srv.Close()

	// Say, a client with your proxy and TLS settings and a timeout.
	base := srv.Client().Transport
	mine := &http.Client{Transport: base, Timeout: 30 * time.Second}

	client := transport.Wrap(mine, transport.WithVersion("202601"))
	fmt.Println("timeout kept:", client.Timeout)
	fmt.Println("original untouched:", client != mine && mine.Transport == base)

	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/rest/me", nil)
	req.Header.Set("X-RestLi-Method", "get") // a Rest.li request built by hand
	resp, err := client.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	// Output:
	// timeout kept: 30s
	// original untouched: true
	// server got LinkedIn-Version: 202601
}

// Chain builds a pipeline of your choosing from the exported layers; the
// first layer is the outermost.
func ExampleChain() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println(r.Method, "override:", r.Header.Get("X-HTTP-Method-Override"),
			"protocol:", r.Header.Get("X-RestLi-Protocol-Version"))
	}))
	defer srv.Close()

	rt := transport.Chain(srv.Client().Transport,
		middleware.QueryTunnel(middleware.TunnelOptions{MaxQueryLength: 100}),
		middleware.ProtocolVersion(),
	)
	client := &http.Client{Transport: rt}

	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/rest/adAccounts?q=search&pad="+strings.Repeat("x", 200), nil)
	req.Header.Set("X-RestLi-Method", "finder") // a Rest.li request built by hand
	resp, err := client.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	// Output:
	// POST override: GET protocol: 2.0.0
}

// Your own layers go at two points: per call (above retry: once per call)
// and per attempt (below retry and the token layer: once per wire attempt).
func ExampleWithPerCall() {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable) // the first attempt fails
		}
	}))
	defer srv.Close()

	counter := func(name string) transport.Middleware {
		return func(next http.RoundTripper) http.RoundTripper {
			return roundTripFunc(func(r *http.Request) (*http.Response, error) {
				fmt.Println(name)
				return next.RoundTrip(r)
			})
		}
	}
	client := transport.NewClient(
		transport.WithPerCall(counter("per call")),
		transport.WithPerAttempt(counter("per attempt")),
		transport.WithRetry(middleware.RetryOptions{RetryWaitMin: time.Millisecond, RetryWaitMax: 10 * time.Millisecond}),
	)
	defer client.CloseIdleConnections()

	resp, err := client.Get(srv.URL + "/rest/me")
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.Status)
	// Output:
	// per call
	// per attempt
	// per attempt
	// 200 OK
}

// roundTripFunc adapts a function to http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// Layers lists the stack the options build, outermost first.
func ExampleLayers() {
	fmt.Println(strings.Join(transport.Layers(), " → "))
	fmt.Println(strings.Join(transport.Layers(
		transport.WithoutTelemetry(),
		transport.WithPerAttempt(func(next http.RoundTripper) http.RoundTripper { return next }),
	), " → "))
	// Output:
	// telemetry.call → retry → breaker → tunnel → telemetry.attempt → headers
	// retry → per-attempt → breaker → tunnel → headers
}
