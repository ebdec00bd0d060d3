package oauth

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// recordingTransport stands for the rest of the stack: it records what it
// was asked to send and answers 200 (or what status returns).
type recordingTransport struct {
	mu     sync.Mutex
	auth   []string
	reqs   []*http.Request
	status func(*http.Request) int
}

func (rt *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		io.Copy(io.Discard, req.Body)
		req.Body.Close()
	}
	rt.mu.Lock()
	rt.auth = append(rt.auth, req.Header.Get("Authorization"))
	rt.reqs = append(rt.reqs, req)
	rt.mu.Unlock()
	code := http.StatusOK
	if rt.status != nil {
		code = rt.status(req)
	}
	return &http.Response{StatusCode: code, Body: io.NopCloser(strings.NewReader("")), Header: http.Header{}, Request: req}, nil
}

// countingSource is a static token source that counts calls, without
// Invalidate.
type countingSource struct {
	tok   string
	calls atomic.Int32
}

func (s *countingSource) Token() (*oauth2.Token, error) {
	s.calls.Add(1)
	return &oauth2.Token{AccessToken: s.tok}, nil
}

func TestMiddleware_AllowList(t *testing.T) {
	const tok = "Bearer " + canaryAccess
	tests := []struct {
		name    string
		hosts   []string // nil: default
		url     string
		want    string // Authorization the next layer sees
		wantErr error
	}{
		{"default host over https", nil, "https://api.linkedin.com/rest/adAccounts", tok, nil},
		{"default host, explicit 443", nil, "https://api.linkedin.com:443/v2/me", tok, nil},
		{"default host, upper case and trailing dot", nil, "https://API.LinkedIn.com./v2/me", tok, nil},
		{"default host over plain http is refused", nil, "http://api.linkedin.com/v2/me", "", ErrInsecureTransport},
		{"other LinkedIn host", nil, "https://www.linkedin.com/oauth/v2/accessToken", "", nil},
		{"look-alike suffix", nil, "https://api.linkedin.com.evil.example/v2/me", "", nil},
		{"host named only in the query", nil, "https://evil.example/?h=api.linkedin.com", "", nil},
		{"userinfo trick", nil, "https://api.linkedin.com@evil.example/", "", nil},
		{"loopback not allowed by default", nil, "http://127.0.0.1:8080/v2/me", "", nil},
		{"localhost not allowed by default", nil, "https://localhost/v2/me", "", nil},
		{"empty AllowHosts keeps the default", []string{}, "https://api.linkedin.com/v2/me", tok, nil},
		{"listed loopback host:port over http", []string{"127.0.0.1:8080"}, "http://127.0.0.1:8080/v2/me", tok, nil},
		{"listed loopback, other port", []string{"127.0.0.1:8080"}, "http://127.0.0.1:8081/v2/me", "", nil},
		{"listed loopback without port matches any port", []string{"127.0.0.1"}, "http://127.0.0.1:9999/x", tok, nil},
		{"listing replaces the default", []string{"127.0.0.1"}, "https://api.linkedin.com/v2/me", "", nil},
		{"localhost listed", []string{"localhost"}, "http://localhost:1234/x", tok, nil},
		{"other loopback address not listed", []string{"127.0.0.1"}, "http://127.0.0.2/x", "", nil},
		{"IPv6 loopback with port", []string{"[::1]:9000"}, "http://[::1]:9000/x", tok, nil},
		{"IPv6 loopback bare", []string{"::1"}, "http://[::1]:9000/x", tok, nil},
		{"listed non-loopback host over https", []string{"api.example.com"}, "https://api.example.com/x", tok, nil},
		{"listed non-loopback host over http is refused", []string{"api.example.com"}, "http://api.example.com/x", "", ErrInsecureTransport},
		{"listed host with default https port", []string{"api.example.com:443"}, "https://api.example.com/x", tok, nil},
		{"listed https port does not allow http 80", []string{"api.example.com:443"}, "http://api.example.com/x", "", nil},
		{"private address is not loopback", []string{"10.0.0.1"}, "http://10.0.0.1/x", "", ErrInsecureTransport},
		{"other scheme", []string{"127.0.0.1"}, "ws://127.0.0.1/x", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next := &recordingTransport{}
			rt := Middleware(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: canaryAccess}), MiddlewareOptions{AllowHosts: tt.hosts})(next)
			req := httptest.NewRequest(http.MethodGet, tt.url, nil)
			req.RequestURI = ""
			resp, err := rt.RoundTrip(req)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || resp != nil {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				if len(next.auth) != 0 {
					t.Fatal("a refused request must not be sent")
				}
				if strings.Contains(err.Error(), canaryAccess) {
					t.Fatal("token in error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if len(next.auth) != 1 || next.auth[0] != tt.want {
				t.Errorf("Authorization sent = %q, want %q", next.auth, tt.want)
			}
			if req.Header.Get("Authorization") != "" {
				t.Error("the caller's request was modified")
			}
		})
	}
}

func TestMiddleware_InvalidAllowHostsFailsEveryRequest(t *testing.T) {
	for _, entry := range []string{"", "https://api.linkedin.com", "api.linkedin.com/rest", "host:0", "host:99999", "host:http", "user@host", "a b"} {
		t.Run(entry, func(t *testing.T) {
			next := &recordingTransport{}
			rt := Middleware(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "t"}), MiddlewareOptions{AllowHosts: []string{"127.0.0.1", entry}})(next)
			body := &closeTracker{Reader: strings.NewReader("x")}
			req, _ := http.NewRequest(http.MethodPost, "https://api.linkedin.com/x", body)
			_, err := rt.RoundTrip(req)
			if err == nil || !strings.Contains(err.Error(), "AllowHosts") {
				t.Errorf("err = %v", err)
			}
			if len(next.auth) != 0 || !body.closed.Load() {
				t.Error("request sent or body not closed")
			}
		})
	}
}

func TestMiddleware_PerCallAuthorizationWins(t *testing.T) {
	src := &countingSource{tok: "layer-token"}
	next := &recordingTransport{status: func(*http.Request) int { return 401 }}
	rt := Middleware(src, MiddlewareOptions{})(next)
	req, _ := http.NewRequest(http.MethodGet, "https://api.linkedin.com/v2/me", nil)
	req.Header.Set("Authorization", "Bearer per-call")
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 || len(next.auth) != 1 || next.auth[0] != "Bearer per-call" || src.calls.Load() != 0 {
		t.Errorf("status %d, sent %q, %d token calls", resp.StatusCode, next.auth, src.calls.Load())
	}
}

func TestMiddleware_TokenPerAttemptAndNoMutation(t *testing.T) {
	src := &countingSource{tok: "t"}
	next := &recordingTransport{}
	rt := Middleware(src, MiddlewareOptions{})(next)
	req, _ := http.NewRequest(http.MethodGet, "https://api.linkedin.com/v2/me", nil)
	req.Header.Set("X-Keep", "1")
	for range 3 {
		resp, err := rt.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if src.calls.Load() != 3 {
		t.Errorf("%d token calls for 3 attempts", src.calls.Load())
	}
	if len(req.Header) != 1 || req.Header.Get("X-Keep") != "1" {
		t.Errorf("caller's header changed: %v", req.Header)
	}
	for _, r := range next.reqs {
		if r == req || r.Header.Get("X-Keep") != "1" {
			t.Error("sent request is the caller's or lost a header")
		}
	}
}

// TestMiddleware_RedirectToAnotherHostCarriesNoToken: the layer sits in the
// RoundTripper, so each redirect hop is checked again.
func TestMiddleware_RedirectToAnotherHostCarriesNoToken(t *testing.T) {
	var sawB atomic.Value
	b := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawB.Store(r.Header.Get("Authorization") + "|")
	}))
	defer b.Close()
	var sawA atomic.Value
	a := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawA.Store(r.Header.Get("Authorization"))
		http.Redirect(w, r, b.URL+"/landing", http.StatusTemporaryRedirect)
	}))
	defer a.Close()

	base := &http.Transport{}
	defer base.CloseIdleConnections()
	src := &countingSource{tok: canaryAccess}
	client := &http.Client{Transport: Middleware(src, MiddlewareOptions{AllowHosts: []string{a.Listener.Addr().String()}})(base)}
	resp, err := client.Get(a.URL + "/start")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if got, _ := sawA.Load().(string); got != "Bearer "+canaryAccess {
		t.Errorf("allowed host saw %q", got)
	}
	if got, _ := sawB.Load().(string); got != "|" {
		t.Errorf("redirect target saw Authorization %q", strings.TrimSuffix(got, "|"))
	}
	if resp.Request.URL.Host != b.Listener.Addr().String() {
		t.Errorf("redirect not followed: ended at %s", resp.Request.URL)
	}
}

// apiServer accepts only the token "Bearer <accept>" and counts attempts per
// request number (header X-Req) and the bodies it saw.
type apiServer struct {
	*httptest.Server
	accept   atomic.Value
	mu       sync.Mutex
	attempts map[string]int
	badBody  int
}

func newAPIServer(t *testing.T, accept string) *apiServer {
	s := &apiServer{attempts: map[string]int{}}
	s.accept.Store(accept)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.attempts[r.Header.Get("X-Req")]++
		if r.Method == http.MethodPost && string(body) != "body-"+r.Header.Get("X-Req") {
			s.badBody++
		}
		s.mu.Unlock()
		if r.Header.Get("Authorization") != "Bearer "+s.accept.Load().(string) {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"message":"Invalid access token","serviceErrorCode":65600,"status":401}`)
			return
		}
		io.WriteString(w, "ok")
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *apiServer) client(t *testing.T, ts oauth2.TokenSource) *http.Client {
	base := &http.Transport{MaxIdleConnsPerHost: 100}
	t.Cleanup(base.CloseIdleConnections)
	return &http.Client{Transport: Middleware(ts, MiddlewareOptions{AllowHosts: []string{s.Listener.Addr().String()}})(base)}
}

func TestMiddleware_100Concurrent401sShareOneRefreshAndReplayOnce(t *testing.T) {
	api := newAPIServer(t, "fresh-token")
	var refreshes atomic.Int32
	tokSrv := newOAuthServer(t, func(w http.ResponseWriter, r *http.Request, form url.Values) {
		refreshes.Add(1)
		time.Sleep(10 * time.Millisecond) // keep the flight open while 401s arrive
		tokenJSON("fresh-token", "")(w, r, form)
	})
	ts := tokSrv.config().TokenSource(memberToken("stale-token", canaryRefresh, time.Now().Add(24*time.Hour)))
	client := api.client(t, ts)

	const n = 100
	var wg sync.WaitGroup
	statuses := make([]int, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			var req *http.Request
			if i%2 == 0 {
				req, _ = http.NewRequest(http.MethodPost, api.URL+"/rest/things", strings.NewReader("body-"+strconv.Itoa(i)))
			} else {
				req, _ = http.NewRequest(http.MethodGet, api.URL+"/rest/things", nil)
			}
			req.Header.Set("X-Req", strconv.Itoa(i))
			resp, err := client.Do(req)
			if err != nil {
				errs[i] = err
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || statuses[i] != http.StatusOK {
			t.Errorf("request %d: status %d, err %v", i, statuses[i], errs[i])
		}
	}
	if got := refreshes.Load(); got != 1 {
		t.Errorf("%d refreshes, want exactly 1", got)
	}
	api.mu.Lock()
	defer api.mu.Unlock()
	for i := range n {
		if a := api.attempts[strconv.Itoa(i)]; a < 1 || a > 2 {
			t.Errorf("request %d reached the server %d times, want 1 or 2", i, a)
		}
	}
	if api.badBody != 0 {
		t.Errorf("%d attempts carried a wrong body", api.badBody)
	}
}

func TestMiddleware_Second401IsReturned(t *testing.T) {
	api := newAPIServer(t, "nothing-is-accepted")
	tokSrv, refreshes := rotatingServer(t, 3600)
	ts := tokSrv.config().TokenSource(memberToken("t0", "r0", time.Now().Add(time.Hour)))
	req, _ := http.NewRequest(http.MethodPost, api.URL+"/rest/x", strings.NewReader("body-1"))
	req.Header.Set("X-Req", "1")
	resp, err := api.client(t, ts).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 401 || !strings.Contains(string(body), "Invalid access token") {
		t.Errorf("status %d body %q", resp.StatusCode, body)
	}
	if refreshes.Load() != 1 || api.attempts["1"] != 2 || api.badBody != 0 {
		t.Errorf("%d refreshes, %d attempts, %d bad bodies; want 1, 2, 0", refreshes.Load(), api.attempts["1"], api.badBody)
	}
}

func TestMiddleware_401WithoutInvalidateIsReturned(t *testing.T) {
	api := newAPIServer(t, "other")
	src := &countingSource{tok: "static"}
	req, _ := http.NewRequest(http.MethodGet, api.URL+"/rest/x", nil)
	req.Header.Set("X-Req", "1")
	resp, err := api.client(t, src).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 || api.attempts["1"] != 1 || src.calls.Load() != 1 {
		t.Errorf("status %d, %d attempts, %d token calls", resp.StatusCode, api.attempts["1"], src.calls.Load())
	}
}

func TestMiddleware_UnreplayableBodyReturns401ButInvalidates(t *testing.T) {
	api := newAPIServer(t, "access-01")
	tokSrv, refreshes := rotatingServer(t, 3600)
	ts := tokSrv.config().TokenSource(memberToken("t0", "r0", time.Now().Add(time.Hour)))
	client := api.client(t, ts)

	req, _ := http.NewRequest(http.MethodPost, api.URL+"/rest/x", io.NopCloser(strings.NewReader("body-1")))
	req.Header.Set("X-Req", "1")
	if req.GetBody != nil {
		t.Fatal("test needs a body without GetBody")
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 || api.attempts["1"] != 1 {
		t.Errorf("status %d, %d attempts; want 401, 1", resp.StatusCode, api.attempts["1"])
	}
	// The failed token was dropped: the next request refreshes and succeeds.
	req2, _ := http.NewRequest(http.MethodGet, api.URL+"/rest/x", nil)
	req2.Header.Set("X-Req", "2")
	resp, err = client.Do(req2)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || refreshes.Load() != 1 || api.attempts["2"] != 1 {
		t.Errorf("next request: status %d, %d refreshes, %d attempts", resp.StatusCode, refreshes.Load(), api.attempts["2"])
	}
}

func TestMiddleware_RefreshImpossibleIsReauthorize(t *testing.T) {
	tests := []struct {
		name    string
		refresh string
		handler func(http.ResponseWriter, *http.Request, url.Values)
		code    string
	}{
		{"no refresh token", "", tokenJSON("never", ""), ""},
		{"invalid_grant", canaryRefresh, func(w http.ResponseWriter, _ *http.Request, _ url.Values) {
			writeJSON(w, 400, map[string]string{"error": "invalid_grant", "error_description": "refresh token " + canaryRefresh + " expired"})
		}, "invalid_grant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newAPIServer(t, "other")
			tokSrv := newOAuthServer(t, tt.handler)
			ts := tokSrv.config().TokenSource(memberToken(canaryAccess, tt.refresh, time.Now().Add(time.Hour)))
			req, _ := http.NewRequest(http.MethodGet, api.URL+"/rest/x", nil)
			resp, err := api.client(t, ts).Do(req)
			if resp != nil {
				resp.Body.Close()
			}
			if !errors.Is(err, ErrReauthorize) {
				t.Fatalf("err = %v, want ErrReauthorize", err)
			}
			var e *Error
			if tt.code != "" && (!errors.As(err, &e) || e.Code != tt.code) {
				t.Errorf("err = %v, want *Error with %s", err, tt.code)
			}
			for _, c := range []string{canaryAccess, canaryRefresh, canarySecret} {
				if strings.Contains(err.Error(), c) {
					t.Errorf("error %q contains %q", err, c)
				}
			}
		})
	}
}

// closeTracker is a request body that records whether it was closed.
type closeTracker struct {
	io.Reader
	closed atomic.Bool
}

func (c *closeTracker) Close() error { c.closed.Store(true); return nil }

type failingSource struct{ err error }

func (s failingSource) Token() (*oauth2.Token, error) { return nil, s.err }

func TestMiddleware_ClosesBodyWhenNotSending(t *testing.T) {
	tests := []struct {
		name string
		src  oauth2.TokenSource
		url  string
	}{
		{"token source fails", failingSource{errors.New("boom")}, "https://api.linkedin.com/x"},
		{"plain http refused", &countingSource{tok: "t"}, "http://api.linkedin.com/x"},
		{"nil token source", nil, "https://api.linkedin.com/x"},
		{"empty token", &countingSource{tok: ""}, "https://api.linkedin.com/x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next := &recordingTransport{}
			body := &closeTracker{Reader: strings.NewReader("x")}
			req, _ := http.NewRequest(http.MethodPost, tt.url, body)
			resp, err := Middleware(tt.src, MiddlewareOptions{})(next).RoundTrip(req)
			if err == nil || resp != nil {
				t.Fatalf("resp %v err %v; want an error", resp, err)
			}
			if !body.closed.Load() || len(next.reqs) != 0 {
				t.Error("body not closed, or request sent")
			}
		})
	}
}

func TestMiddleware_SanitizesRetrieveError(t *testing.T) {
	body := []byte(`{"refresh_token":"` + canaryRefresh + `","access_token":"` + canaryAccess + `"}`)
	tests := []struct {
		name       string
		code       string
		wantReauth bool
	}{
		{"no error code: x/oauth2 prints the body", "", false},
		{"invalid_grant", "invalid_grant", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			re := &oauth2.RetrieveError{
				Response:  &http.Response{StatusCode: 400, Status: "400 Bad Request"},
				Body:      body,
				ErrorCode: tt.code,
			}
			req, _ := http.NewRequest(http.MethodGet, "https://api.linkedin.com/x", nil)
			_, err := Middleware(failingSource{re}, MiddlewareOptions{})(&recordingTransport{}).RoundTrip(req)
			var e *Error
			if !errors.As(err, &e) || e.Code != tt.code || e.StatusCode != 400 || errors.Is(err, ErrReauthorize) != tt.wantReauth {
				t.Errorf("err = %#v", err)
			}
			if strings.Contains(err.Error(), canaryRefresh) || strings.Contains(err.Error(), canaryAccess) {
				t.Errorf("error leaks the body: %v", err)
			}
		})
	}
}

// ctxSource records the context it was asked with.
type ctxSource struct{ got context.Context }

func (s *ctxSource) Token() (*oauth2.Token, error) {
	return nil, errors.New("Token called instead of TokenContext")
}
func (s *ctxSource) TokenContext(ctx context.Context) (*oauth2.Token, error) {
	s.got = ctx
	return &oauth2.Token{AccessToken: "t"}, ctx.Err()
}

func TestMiddleware_UsesTokenContext(t *testing.T) {
	src := &ctxSource{}
	type key struct{}
	ctx := context.WithValue(context.Background(), key{}, "v")
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "https://api.linkedin.com/x", nil)
	resp, err := Middleware(src, MiddlewareOptions{})(&recordingTransport{}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if src.got == nil || src.got.Value(key{}) != "v" {
		t.Error("TokenContext not called with the request's context")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	req = req.WithContext(cctx)
	if _, err := Middleware(src, MiddlewareOptions{})(&recordingTransport{}).RoundTrip(req); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestMiddleware_ReplaysBodyFromGetBody(t *testing.T) {
	tokSrv, _ := rotatingServer(t, 3600)
	ts := tokSrv.config().TokenSource(memberToken("t0", "r0", time.Now().Add(time.Hour)))
	next := &recordingTransport{status: func(r *http.Request) int {
		if r.Header.Get("Authorization") == "Bearer t0" {
			return 401
		}
		return 200
	}}
	var bodies []string
	inner := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		r.Body = io.NopCloser(bytes.NewReader(b))
		return next.RoundTrip(r)
	})
	req, _ := http.NewRequest(http.MethodPut, "https://api.linkedin.com/rest/x", strings.NewReader(`{"a":1}`))
	resp, err := Middleware(ts, MiddlewareOptions{})(inner).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || len(bodies) != 2 || bodies[0] != `{"a":1}` || bodies[1] != `{"a":1}` {
		t.Errorf("status %d bodies %q", resp.StatusCode, bodies)
	}
	if next.auth[1] != "Bearer access-01" {
		t.Errorf("replay carried %q", next.auth[1])
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
