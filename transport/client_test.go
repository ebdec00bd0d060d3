package transport_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/otel/propagation"
	tracenoop "go.opentelemetry.io/otel/trace/noop"
	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/transport"
)

func TestLayers_Order(t *testing.T) {
	ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "t"})
	noop := func(next http.RoundTripper) http.RoundTripper { return next }
	logger := slog.New(slog.DiscardHandler)
	tests := []struct {
		name string
		opts []transport.Option
		want []string
	}{
		{"default", nil,
			[]string{"telemetry.call", "retry", "breaker", "tunnel", "telemetry.attempt", "headers"}},
		{"everything",
			[]transport.Option{
				transport.WithTokenSource(ts), transport.WithTokenHosts("127.0.0.1"),
				transport.WithRateLimit(rate.NewLimiter(rate.Inf, 1)), transport.WithLogger(logger),
				transport.WithPerCall(noop, noop), transport.WithPerAttempt(noop),
				transport.WithVersion("202601"), transport.WithUserAgent("x"),
			},
			[]string{"telemetry.call", "per-call", "per-call", "retry", "ratelimit", "oauth", "per-attempt",
				"breaker", "tunnel", "telemetry.attempt", "logging", "headers"}},
		{"minimal", []transport.Option{transport.WithoutTelemetry(), transport.WithoutRetry(), transport.WithoutCircuitBreaker()},
			[]string{"tunnel", "headers"}},
		{"later option wins: retry back on", []transport.Option{transport.WithoutRetry(), transport.WithRetry(middleware.RetryOptions{MaxAttempts: 2})},
			[]string{"telemetry.call", "retry", "breaker", "tunnel", "telemetry.attempt", "headers"}},
		{"later option wins: retry off", []transport.Option{transport.WithRetry(middleware.RetryOptions{}), transport.WithoutRetry()},
			[]string{"telemetry.call", "breaker", "tunnel", "telemetry.attempt", "headers"}},
		{"later option wins: breaker", []transport.Option{transport.WithoutCircuitBreaker(), transport.WithCircuitBreaker(middleware.BreakerOptions{})},
			[]string{"telemetry.call", "retry", "breaker", "tunnel", "telemetry.attempt", "headers"}},
		{"later option wins: telemetry back on with a provider",
			[]transport.Option{transport.WithoutTelemetry(), transport.WithTracerProvider(tracenoop.NewTracerProvider())},
			[]string{"telemetry.call", "retry", "breaker", "tunnel", "telemetry.attempt", "headers"}},
		{"later option wins: telemetry off",
			[]transport.Option{transport.WithPropagators(propagation.TraceContext{}), transport.WithoutTelemetry()},
			[]string{"retry", "breaker", "tunnel", "headers"}},
		{"nil removes: token source, limiter, logger",
			[]transport.Option{
				transport.WithTokenSource(ts), transport.WithTokenSource(nil),
				transport.WithRateLimit(rate.NewLimiter(1, 1)), transport.WithRateLimit(nil),
				transport.WithLogger(logger), transport.WithLogger(nil),
			},
			[]string{"telemetry.call", "retry", "breaker", "tunnel", "telemetry.attempt", "headers"}},
		{"token hosts alone add nothing", []transport.Option{transport.WithTokenHosts("127.0.0.1")},
			[]string{"telemetry.call", "retry", "breaker", "tunnel", "telemetry.attempt", "headers"}},
		{"per-call and per-attempt accumulate, nil skipped",
			[]transport.Option{transport.WithoutTelemetry(), transport.WithPerCall(noop), transport.WithPerAttempt(noop, nil),
				transport.WithPerCall(noop), transport.WithPerAttempt(noop)},
			[]string{"per-call", "per-call", "retry", "per-attempt", "per-attempt", "breaker", "tunnel", "headers"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := transport.Layers(tt.opts...); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Layers() =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

// TestStack_RunsInDocumentedOrder checks the real pipeline, not just the
// names: what each point sees tells where it sits.
func TestStack_RunsInDocumentedOrder(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	note := func(s string) { mu.Lock(); seen = append(seen, s); mu.Unlock() }
	observe := func(point string) transport.Middleware {
		return func(next http.RoundTripper) http.RoundTripper {
			return rtFunc(func(r *http.Request) (*http.Response, error) {
				// method as it travels, whether a token and the stack's
				// headers are there yet
				note(point + " " + r.Method +
					" auth=" + boolStr(r.Header.Get("Authorization") != "") +
					" proto=" + boolStr(r.Header.Get("X-RestLi-Protocol-Version") != "") +
					" attempt=" + strconv.Itoa(restli.AttemptFromContext(r.Context())))
				return next.RoundTrip(r)
			})
		}
	}
	base := observe("base")(canned())
	var logs bytes.Buffer
	c := transport.NewClient(
		transport.WithBase(base),
		transport.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "TOKCANARY42"})),
		transport.WithTokenHosts("127.0.0.1"),
		transport.WithPerCall(observe("per-call")),
		transport.WithPerAttempt(observe("per-attempt")),
		transport.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))),
		transport.WithoutTelemetry(),
	)
	req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1:9/adAccounts?q=search&pad="+strings.Repeat("x", 5000), nil)
	req.Header.Set("X-RestLi-Method", "finder") // a Rest.li request built by hand
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	drain(resp)
	want := []string{
		"per-call GET auth=no proto=no attempt=0",     // above retry and oauth
		"per-attempt GET auth=yes proto=no attempt=0", // below oauth, above the tunnel
		"base POST auth=yes proto=yes attempt=0",      // tunneled, headers added innermost
	}
	if !reflect.DeepEqual(seen, want) {
		t.Errorf("seen\n%q\nwant\n%q", seen, want)
	}
	// The log line is per wire attempt: below the tunnel.
	if !strings.Contains(logs.String(), `"method":"POST"`) || !strings.Contains(logs.String(), `"method_override":"GET"`) {
		t.Errorf("log line does not show the tunneled request: %s", logs.String())
	}
	if strings.Contains(logs.String(), "TOKCANARY42") {
		t.Errorf("token logged: %s", logs.String())
	}
}

func boolStr(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func TestStack_PerCallOncePerAttemptEachAttempt(t *testing.T) {
	s := newServer(t, http.StatusServiceUnavailable, http.StatusBadGateway) // then 200
	var perCall, perAttempt atomic.Int32
	var attempts []int
	var mu sync.Mutex
	count := func(n *atomic.Int32, record bool) transport.Middleware {
		return func(next http.RoundTripper) http.RoundTripper {
			return rtFunc(func(r *http.Request) (*http.Response, error) {
				n.Add(1)
				if record {
					mu.Lock()
					attempts = append(attempts, restli.AttemptFromContext(r.Context()))
					mu.Unlock()
				}
				return next.RoundTrip(r)
			})
		}
	}
	c := transport.NewClient(
		transport.WithRetry(middleware.RetryOptions{MaxAttempts: 4, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond}),
		transport.WithPerCall(count(&perCall, false)),
		transport.WithPerAttempt(count(&perAttempt, true)),
		transport.WithoutTelemetry(),
	)
	defer c.CloseIdleConnections()
	resp, err := c.Get(s.URL + "/adAccounts/1")
	if err != nil {
		t.Fatal(err)
	}
	drain(resp)
	hits := len(s.requests())
	if hits != 3 || resp.StatusCode != 200 {
		t.Fatalf("server saw %d attempts ending in %d; want 3 ending in 200 (is the retry layer in place?)", hits, resp.StatusCode)
	}
	if perCall.Load() != 1 {
		t.Errorf("per-call layer ran %d times, want once per call", perCall.Load())
	}
	if int(perAttempt.Load()) != hits {
		t.Errorf("per-attempt layer ran %d times, want once per attempt (%d)", perAttempt.Load(), hits)
	}
	if want := []int{0, 1, 2}; !reflect.DeepEqual(attempts, want) {
		t.Errorf("attempt numbers seen per attempt %v, want %v", attempts, want)
	}
}

// requestSnapshot is everything of a request that no layer may change.
type requestSnapshot struct {
	Method, URL, Host string
	Header            http.Header
	ContentLength     int64
	GetBody           bool
	Body              []byte // what GetBody yields
	Ctx               context.Context
}

func snapshot(r *http.Request) requestSnapshot {
	s := requestSnapshot{r.Method, r.URL.String(), r.Host, r.Header.Clone(), r.ContentLength, r.GetBody != nil, nil, r.Context()}
	if r.GetBody != nil {
		rc, _ := r.GetBody()
		s.Body, _ = io.ReadAll(rc)
		rc.Close()
	}
	return s
}

func TestStack_NeverMutatesCallerRequest(t *testing.T) {
	long := "q=search&search=(name:x)&pad=" + strings.Repeat("p", 5000)
	tests := []struct {
		name, method, query, body string
		statuses                  []int
	}{
		{"short GET", http.MethodGet, "q=search&count=10", "", nil},
		{"tunneled GET", http.MethodGet, long, "", nil},
		{"tunneled PUT with body", http.MethodPut, long, `{"name":"n"}`, nil},
		{"retried GET", http.MethodGet, "q=a", "", []int{503}},
		{"retried tunneled POST", http.MethodPost, long, `{"a":1}`, []int{429}},
	}
	// With logging, the token layer and the header layer each copy the
	// request; without it, the token layer's copy carries the headers too.
	for _, logged := range []bool{true, false} {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%s/logged=%v", tt.name, logged), func(t *testing.T) {
				s := newServer(t, tt.statuses...)
				host := strings.TrimPrefix(s.URL, "http://")
				opts := []transport.Option{
					transport.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "tok"})),
					transport.WithTokenHosts(host),
					transport.WithVersion("202601"),
					transport.WithUserAgent("app/1"),
					transport.WithRateLimit(rate.NewLimiter(rate.Inf, 1)),
					transport.WithRetry(middleware.RetryOptions{RetryWaitMin: time.Millisecond, RetryWaitMax: 2 * time.Millisecond, RetryNonIdempotent: true}),
				}
				if logged {
					opts = append(opts, transport.WithLogging(slog.New(slog.DiscardHandler), middleware.LoggingOptions{LogBodies: true}))
				}
				c := transport.NewClient(opts...)
				defer c.CloseIdleConnections()
				var body io.Reader
				if tt.body != "" {
					body = strings.NewReader(tt.body)
				}
				req, _ := http.NewRequest(tt.method, s.URL+"/adAccounts?"+tt.query, body)
				req.Header.Set("X-RestLi-Method", "finder")
				req.Header.Set("Accept", "application/json")
				if tt.body != "" {
					req.Header.Set("Content-Type", "application/json")
				}
				before := snapshot(req)
				resp, err := c.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				drain(resp)
				if after := snapshot(req); !reflect.DeepEqual(before, after) {
					t.Errorf("caller's request changed:\nbefore %+v\nafter  %+v", before, after)
				}
				got := s.requests()
				if want := 1 + len(tt.statuses); len(got) != want {
					t.Fatalf("server saw %d attempts, want %d", len(got), want)
				}
				// Every attempt, retries included, decodes to the original.
				for i, w := range got {
					if w.DecodeErr != nil || w.Method != tt.method || w.Query != tt.query || w.Body != tt.body {
						t.Errorf("attempt %d: server decoded %s %q body %q (%v); want %s, the original query and body",
							i, w.Method, trunc(w.Query), w.Body, w.DecodeErr, tt.method)
					}
				}
				h := got[len(got)-1].Header
				for k, want := range map[string]string{
					"Authorization":             "Bearer tok",
					"X-Restli-Protocol-Version": "2.0.0",
					"Linkedin-Version":          "202601",
					"User-Agent":                "app/1 " + moduleUserAgent(),
					"X-Restli-Method":           "finder",
				} {
					if h.Get(k) != want {
						t.Errorf("%s = %q on the wire, want %q", k, h.Get(k), want)
					}
				}
			})
		}
	}
}

func trunc(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

func TestStack_PerCallHeadersWin(t *testing.T) {
	s := newServer(t)
	c := transport.NewClient(transport.WithVersion("202601"), transport.WithUserAgent("app/1"), transport.WithoutTelemetry())
	defer c.CloseIdleConnections()
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/me", nil)
	req.Header.Set("LinkedIn-Version", "202406")
	req.Header.Set("User-Agent", "mine/2")
	req.Header.Set("X-RestLi-Protocol-Version", "2.0.0")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	drain(resp)
	h := s.requests()[0].Header
	if h.Get("Linkedin-Version") != "202406" || h.Get("User-Agent") != "mine/2" {
		t.Errorf("per-call headers lost: %v", h)
	}
}

func TestWrap_KeepsClientAndDoesNotChangeIt(t *testing.T) {
	s := newServer(t)
	var baseCalls atomic.Int32
	userBase := transport.NewBaseTransport()
	defer userBase.CloseIdleConnections()
	userRT := rtFunc(func(r *http.Request) (*http.Response, error) {
		baseCalls.Add(1)
		return userBase.RoundTrip(r)
	})
	jar, _ := cookiejar.New(nil)
	redirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	orig := &http.Client{Transport: userRT, Timeout: 7 * time.Second, Jar: jar, CheckRedirect: redirect}
	type fields struct {
		Transport, CheckRedirect uintptr
		Jar                      http.CookieJar
		Timeout                  time.Duration
	}
	fieldsOf := func(c *http.Client) fields {
		return fields{reflect.ValueOf(c.Transport).Pointer(), reflect.ValueOf(c.CheckRedirect).Pointer(), c.Jar, c.Timeout}
	}
	before := fieldsOf(orig)

	w := transport.Wrap(orig, transport.WithVersion("202601"))
	if w == orig {
		t.Fatal("Wrap returned the client passed in")
	}
	if after := fieldsOf(orig); after != before {
		t.Errorf("original client changed: %+v → %+v", before, after)
	}
	got := fieldsOf(w)
	if got.Timeout != 7*time.Second || got.Jar != jar || got.CheckRedirect != before.CheckRedirect {
		t.Errorf("wrapped client lost fields: %+v", got)
	}
	if got.Transport == before.Transport {
		t.Error("wrapped client has no stack")
	}

	req, _ := http.NewRequest(http.MethodGet, s.URL+"/me", nil)
	req.Header.Set("X-RestLi-Method", "get") // a Rest.li request built by hand
	resp, err := w.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	drain(resp)
	if baseCalls.Load() != 1 {
		t.Errorf("user's transport used %d times, want 1: it must be the base", baseCalls.Load())
	}
	if v := s.requests()[0].Header.Get("Linkedin-Version"); v != "202601" {
		t.Errorf("stack not applied: LinkedIn-Version %q", v)
	}
	// The original still sends directly, without the stack.
	resp, err = orig.Get(s.URL + "/me")
	if err != nil {
		t.Fatal(err)
	}
	drain(resp)
	if v := s.requests()[1].Header.Get("Linkedin-Version"); v != "" {
		t.Errorf("original client now sends through the stack (LinkedIn-Version %q)", v)
	}
}

func TestWrap_TimeoutStillApplies(t *testing.T) {
	release := make(chan struct{})
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer s.Close()
	defer close(release)
	w := transport.Wrap(&http.Client{Timeout: 50 * time.Millisecond}, transport.WithoutRetry())
	defer w.CloseIdleConnections()
	_, err := w.Get(s.URL + "/slow?token=SECRET")
	var ue *url.Error
	if !errors.As(err, &ue) || !ue.Timeout() {
		t.Fatalf("err = %v, want a client timeout", err)
	}
}

func TestWrap_BaseSelection(t *testing.T) {
	var used []string
	mark := func(name string) http.RoundTripper {
		return rtFunc(func(r *http.Request) (*http.Response, error) {
			used = append(used, name)
			return canned()(r)
		})
	}
	tests := []struct {
		name   string
		client *http.Client
		opts   []transport.Option
		want   string
	}{
		{"client transport", &http.Client{Transport: mark("client")}, nil, "client"},
		{"WithBase wins", &http.Client{Transport: mark("client")}, []transport.Option{transport.WithBase(mark("option"))}, "option"},
		{"nil client with base", nil, []transport.Option{transport.WithBase(mark("option"))}, "option"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			used = nil
			c := transport.Wrap(tt.client, tt.opts...)
			req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1:9/x", nil)
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			drain(resp)
			if !slices.Equal(used, []string{tt.want}) {
				t.Errorf("bases used %v, want [%s]", used, tt.want)
			}
		})
	}
	t.Run("nil transport gets a tuned base", func(t *testing.T) {
		s := newServer(t)
		c := transport.Wrap(&http.Client{})
		defer c.CloseIdleConnections()
		resp, err := c.Get(s.URL)
		if err != nil {
			t.Fatal(err)
		}
		drain(resp)
	})
}

func TestNewClient_NoTimeoutByDefault(t *testing.T) {
	if c := transport.NewClient(); c.Timeout != 0 || c.Transport == nil {
		t.Errorf("NewClient() = %+v", c)
	}
}
