package middleware_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/restli"
)

const (
	logCanaryToken = "CANARYTOKEN0123456789"
	logCanaryQuery = "CANARYQUERY9876543210"
)

// logSink is a JSON slog logger into a buffer, safe for concurrent use.
type logSink struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *logSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *logSink) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

func (s *logSink) logger(level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(s, &slog.HandlerOptions{Level: level}))
}

// lines decodes every logged line.
func (s *logSink) lines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(s.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("bad log line %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

func newLogServer(t *testing.T, h http.HandlerFunc) (*httptest.Server, *http.Transport) {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return s, tr
}

func logDo(t *testing.T, rt http.RoundTripper, req *http.Request) *http.Response {
	t.Helper()
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func TestLogging_OneLinePerAttemptWithFields(t *testing.T) {
	s, tr := newLogServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Li-Uuid", "uuid-1")
		w.Header().Set("Set-Cookie", "li_at="+logCanaryToken)
		w.WriteHeader(http.StatusAccepted)
	})
	var sink logSink
	rt := middleware.Logging(sink.logger(slog.LevelInfo), middleware.LoggingOptions{})(tr)
	info := restli.CallInfo{Method: restli.MethodFinder, Resource: "/adAccounts", Finder: "search"}
	for attempt := range 3 {
		ctx := restli.ContextWithAttempt(restli.ContextWithCallInfo(context.Background(), info), attempt)
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/adAccounts/urn%3Ali%3AsponsoredAccount%3A9?q=search&start=0&search=(name:"+logCanaryQuery+")", nil)
		req.Header.Set("Authorization", "Bearer "+logCanaryToken)
		req.Header.Set("X-RestLi-Method", "finder")
		resp := logDo(t, rt, req)
		resp.Body.Close()
	}
	lines := sink.lines(t)
	if len(lines) != 3 {
		t.Fatalf("%d lines, want 3:\n%s", len(lines), sink.String())
	}
	for i, l := range lines {
		want := map[string]any{
			"level":           "INFO",
			"method":          "GET",
			"url":             s.URL + "/adAccounts/urn%3Ali%3AsponsoredAccount%3A9?q=search&start=0&search=REDACTED",
			"status":          float64(202),
			"attempt":         float64(i),
			"restli.method":   "finder",
			"restli.resource": "/adAccounts",
		}
		for k, v := range want {
			if l[k] != v {
				t.Errorf("line %d: %s = %v, want %v", i, k, l[k], v)
			}
		}
		if _, ok := l["duration"]; !ok {
			t.Errorf("line %d: no duration", i)
		}
		rh, _ := l["request.headers"].(map[string]any)
		if rh["Authorization"] != "Bearer REDACTED" || rh["X-Restli-Method"] != "finder" {
			t.Errorf("line %d: request headers %v", i, rh)
		}
		ph, _ := l["response.headers"].(map[string]any)
		if ph["X-Li-Uuid"] != "uuid-1" || ph["Set-Cookie"] != "REDACTED" {
			t.Errorf("line %d: response headers %v", i, ph)
		}
	}
	if out := sink.String(); strings.Contains(out, logCanaryToken) || strings.Contains(out, logCanaryQuery) {
		t.Errorf("a canary reached the log:\n%s", out)
	}
}

func TestLogging_CanariesNeverLogged(t *testing.T) {
	q := "q=search&access_token=" + logCanaryToken + "&search=" + logCanaryQuery + "&pad=" + strings.Repeat("z", 4100)
	tests := []struct {
		name   string
		opts   middleware.LoggingOptions
		body   string
		tunnel bool
		fail   bool
	}{
		{name: "defaults", opts: middleware.LoggingOptions{}},
		{name: "allow-listing secrets does not log them", opts: middleware.LoggingOptions{
			AllowedHeaders:     []string{"Authorization", "Cookie", "X-Api-Key", "Proxy-Authorization"},
			AllowedQueryParams: []string{"access_token", "oauth2_access_token"},
		}},
		{name: "bodies of a tunneled GET", opts: middleware.LoggingOptions{LogBodies: true}, tunnel: true},
		{name: "bodies of a tunneled PUT", opts: middleware.LoggingOptions{LogBodies: true, MaxBodyBytes: 64 << 10}, tunnel: true,
			body: `{"name":"visible"}`},
		{name: "transport error quoting the URL", opts: middleware.LoggingOptions{LogBodies: true}, fail: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, tr := newLogServer(t, func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
				w.Write([]byte(`{"ok":true}`))
			})
			var next http.RoundTripper = tr
			if tt.fail {
				next = hdrRTFunc(func(r *http.Request) (*http.Response, error) {
					// What net/http builds: the whole URL, query included.
					return nil, &url.Error{Op: "Get", URL: r.URL.String(), Err: errors.New("boom " + r.Header.Get("Authorization"))}
				})
			}
			var sink logSink
			rt := middleware.Logging(sink.logger(slog.LevelDebug), tt.opts)(next)
			if tt.tunnel {
				rt = middleware.QueryTunnel(middleware.TunnelOptions{})(rt)
			}
			var body io.Reader
			method := http.MethodGet
			if tt.body != "" {
				method, body = http.MethodPut, strings.NewReader(tt.body)
			}
			req, _ := http.NewRequest(method, s.URL+"/x?"+q, body)
			req.Header.Set("Authorization", "Bearer "+logCanaryToken)
			req.Header.Set("Cookie", "li_at="+logCanaryToken)
			req.Header.Set("Proxy-Authorization", "Basic "+logCanaryToken)
			req.Header.Set("X-Api-Key", logCanaryToken)
			req.Header.Set("X-Restli-Method", "finder")
			resp, err := rt.RoundTrip(req)
			if tt.fail != (err != nil) {
				t.Fatalf("err = %v", err)
			}
			if resp != nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			out := sink.String()
			if strings.Contains(out, logCanaryToken) || strings.Contains(out, logCanaryQuery) {
				t.Errorf("a canary reached the log:\n%s", out)
			}
			if n := len(sink.lines(t)); n != 1 {
				t.Errorf("%d lines, want 1", n)
			}
			if !strings.Contains(out, "q=search") {
				t.Errorf("the allow-listed q is missing:\n%s", out)
			}
			if tt.body != "" && !strings.Contains(out, "visible") {
				t.Errorf("the body part is missing with LogBodies:\n%s", out)
			}
		})
	}
}

func TestLogging_AllowList(t *testing.T) {
	s, tr := newLogServer(t, func(w http.ResponseWriter, r *http.Request) {})
	var sink logSink
	rt := middleware.Logging(sink.logger(slog.LevelInfo), middleware.LoggingOptions{
		AllowedHeaders:     []string{"x-tenant"},
		AllowedQueryParams: []string{"campaign"},
	})(tr)
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/x?q=a&count=5&campaign=c1&other=o1&bare", nil)
	req.Header.Set("X-Tenant", "t1")
	req.Header.Set("X-Other", "o2")
	req.Header.Set("LinkedIn-Version", "202601")
	logDo(t, rt, req).Body.Close()
	l := sink.lines(t)[0]
	if got, want := l["url"], s.URL+"/x?q=a&count=5&campaign=c1&other=REDACTED&REDACTED"; got != want {
		t.Errorf("url = %v, want %v", got, want)
	}
	h := l["request.headers"].(map[string]any)
	for k, want := range map[string]string{"X-Tenant": "t1", "X-Other": "REDACTED", "Linkedin-Version": "202601"} {
		if h[k] != want {
			t.Errorf("header %s = %v, want %v", k, h[k], want)
		}
	}
}

func TestLogging_LevelsAndNoOp(t *testing.T) {
	t.Run("nil logger returns next itself", func(t *testing.T) {
		next := newHdrCanned()
		if rt := middleware.Logging(nil, middleware.LoggingOptions{})(next); rt != http.RoundTripper(next) {
			t.Errorf("nil logger wrapped the transport: %T", rt)
		}
	})
	t.Run("disabled level logs nothing and allocates nothing", func(t *testing.T) {
		var sink logSink
		rt := middleware.Logging(sink.logger(slog.LevelWarn), middleware.LoggingOptions{Level: slog.LevelInfo})(newHdrCanned())
		req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1/x", nil)
		if n := testing.AllocsPerRun(50, func() { rt.RoundTrip(req) }); n != 0 {
			t.Errorf("allocs = %v, want 0", n)
		}
		if sink.String() != "" {
			t.Errorf("logged: %s", sink.String())
		}
	})
	t.Run("transport errors log at error at least, with their type", func(t *testing.T) {
		var sink logSink
		rt := middleware.Logging(sink.logger(slog.LevelDebug), middleware.LoggingOptions{Level: slog.LevelDebug})(
			hdrRTFunc(func(r *http.Request) (*http.Response, error) {
				return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
			}))
		req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1/x", nil)
		if _, err := rt.RoundTrip(req); err == nil {
			t.Fatal("want error")
		}
		l := sink.lines(t)[0]
		if l["level"] != "ERROR" || l["error.type"] != "*net.OpError" || !strings.Contains(l["error"].(string), "connection refused") {
			t.Errorf("line %v", l)
		}
		if _, ok := l["status"]; ok {
			t.Error("status logged without a response")
		}
	})
	t.Run("ErrorType wins for the error type", func(t *testing.T) {
		var sink logSink
		rt := middleware.Logging(sink.logger(slog.LevelInfo), middleware.LoggingOptions{})(
			middleware.QueryTunnel(middleware.TunnelOptions{MaxQueryLength: -1})(newHdrCanned()))
		req, _ := http.NewRequest("PATCH", "http://127.0.0.1/x?a=b", nil)
		rt.RoundTrip(req)
		if got := sink.lines(t)[0]["error.type"]; got != "tunnel.method_not_tunnelable" {
			t.Errorf("error.type = %v", got)
		}
	})
	t.Run("hand-built request falls back to X-RestLi-Method", func(t *testing.T) {
		var sink logSink
		rt := middleware.Logging(sink.logger(slog.LevelInfo), middleware.LoggingOptions{})(newHdrCanned())
		req, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1/x", nil)
		req.Header.Set("X-RestLi-Method", "BATCH_CREATE")
		rt.RoundTrip(req)
		l := sink.lines(t)[0]
		if l["restli.method"] != "batch_create" || l["attempt"] != float64(0) {
			t.Errorf("line %v", l)
		}
		if _, ok := l["restli.resource"]; ok {
			t.Error("resource without a call description")
		}
	})
}

func TestLogging_BodiesBoundedAndDelivered(t *testing.T) {
	reqBody := strings.Repeat("r", 100)
	respBody := strings.Repeat("s", 100)
	var serverGot string
	s, tr := newLogServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		serverGot = string(b)
		w.Write([]byte(respBody))
	})
	for _, replayable := range []bool{true, false} {
		var sink logSink
		rt := middleware.Logging(sink.logger(slog.LevelInfo), middleware.LoggingOptions{LogBodies: true, MaxBodyBytes: 10})(tr)
		var body io.Reader = strings.NewReader(reqBody)
		if !replayable {
			body = io.NopCloser(body)
		}
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/x", body)
		resp := logDo(t, rt, req)
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(got) != respBody || serverGot != reqBody {
			t.Errorf("replayable=%v: caller got %d bytes, server %d; want both 100", replayable, len(got), len(serverGot))
		}
		l := sink.lines(t)[0]
		if l["request.body"] != "rrrrrrrrrr…(truncated)" || l["response.body"] != "ssssssssss…(truncated)" {
			t.Errorf("replayable=%v: bodies %q %q", replayable, l["request.body"], l["response.body"])
		}
	}
}

func BenchmarkLogging_Disabled(b *testing.B) {
	logger := slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelWarn}))
	rt := middleware.Logging(logger, middleware.LoggingOptions{})(newHdrCanned())
	req, _ := http.NewRequest(http.MethodGet, "https://api.linkedin.com/rest/adAccounts?q=search&start=0", nil)
	b.ReportAllocs()
	for b.Loop() {
		rt.RoundTrip(req)
	}
}

func BenchmarkLogging_Enabled(b *testing.B) {
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	rt := middleware.Logging(logger, middleware.LoggingOptions{})(newHdrCanned())
	req, _ := http.NewRequest(http.MethodGet, "https://api.linkedin.com/rest/adAccounts?q=search&start=0", nil)
	req.Header.Set("X-RestLi-Method", "finder")
	req.Header.Set("Authorization", "Bearer x")
	b.ReportAllocs()
	for b.Loop() {
		rt.RoundTrip(req)
	}
}
