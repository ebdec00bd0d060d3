package restlitest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
	"github.com/linkedin-go/linkedin/transport"
)

// newServer starts a server closed at the end of the test.
func newServer(t *testing.T, opts ...restlitest.Option) *restlitest.Server {
	t.Helper()
	srv := restlitest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

// exact is a server option set for tests that count requests: the stack
// sends each call once, whatever the retry and breaker layers become.
func exact() restlitest.Option {
	return restlitest.WithTransportOptions(transport.WithoutRetry(), transport.WithoutCircuitBreaker())
}

func ctxT(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// rawClient is a plain client with its own connection pool, closed at the
// end of the test: no layers add or change anything.
func rawClient(t *testing.T) *http.Client {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// restliHeader is what a correct Rest.li request carries.
func restliHeader(srv *restlitest.Server, method restli.Method) http.Header {
	h := http.Header{}
	h.Set("Authorization", "Bearer "+srv.Token())
	h.Set("X-RestLi-Protocol-Version", "2.0.0")
	h.Set("LinkedIn-Version", restlitest.DefaultVersion)
	if method != "" {
		h.Set("X-RestLi-Method", string(method))
	}
	return h
}

type rawResponse struct {
	status int
	header http.Header
	body   []byte
}

// errorBody decodes a LinkedIn error body.
func (r rawResponse) errorBody(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("error body is not JSON: %q", r.body)
	}
	return m
}

func do(t *testing.T, c *http.Client, method, url string, h http.Header, body string) rawResponse {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctxT(t), method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return rawResponse{resp.StatusCode, resp.Header, b}
}

// wantError checks that err is a *restli.Error with the status and code.
func wantError(t *testing.T, err error, status int, code string) *restli.Error {
	t.Helper()
	var e *restli.Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v, want a *restli.Error %d", err, status)
	}
	if e.StatusCode != status || (code != "" && e.Code != code) {
		t.Fatalf("error = %d %q (%s), want %d %q", e.StatusCode, e.Code, e.Message, status, code)
	}
	return e
}

// lastRequest returns the most recent record.
func lastRequest(t *testing.T, srv *restlitest.Server) restlitest.Request {
	t.Helper()
	rs := srv.Requests()
	if len(rs) == 0 {
		t.Fatal("no request recorded")
	}
	return rs[len(rs)-1]
}

func num(t *testing.T, v any) int {
	t.Helper()
	switch n := v.(type) {
	case json.Number:
		i, err := n.Int64()
		if err != nil {
			t.Fatalf("%v is not an integer", v)
		}
		return int(i)
	case float64:
		return int(n)
	}
	t.Fatalf("%v (%T) is not a number", v, v)
	return 0
}
