package reliability_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/oauth"
	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
	"github.com/linkedin-go/linkedin/transport"
)

// hugeSize is the size of the streaming bodies: far more than any bound.
const hugeSize = 100 << 20

// hugeBody is a streaming body of hugeSize bytes: prefix, then fill bytes.
// It counts what was read from it, so a test can tell a bounded read from
// one that consumed everything.
type hugeBody struct {
	prefix []byte
	fill   byte
	size   int64
	read   atomic.Int64
	closed atomic.Bool
	total  *atomic.Int64 // optional: shared across bodies
}

func newHugeBody(prefix string, fill byte) *hugeBody {
	return &hugeBody{prefix: []byte(prefix), fill: fill, size: hugeSize}
}

func (b *hugeBody) Read(p []byte) (int, error) {
	if b.closed.Load() {
		return 0, errors.New("read after close")
	}
	off := b.read.Load()
	if off >= b.size {
		return 0, io.EOF
	}
	if rest := b.size - off; int64(len(p)) > rest {
		p = p[:rest]
	}
	for i := range p {
		if o := off + int64(i); o < int64(len(b.prefix)) {
			p[i] = b.prefix[o]
		} else {
			p[i] = b.fill
		}
	}
	b.read.Add(int64(len(p)))
	if b.total != nil {
		b.total.Add(int64(len(p)))
	}
	return len(p), nil
}

func (b *hugeBody) Close() error { b.closed.Store(true); return nil }

// hugeResponder is a base RoundTripper answering every request with status
// and a new hugeBody; it never touches the network.
func hugeResponder(status int, prefix string, total *atomic.Int64, calls *atomic.Int32) http.RoundTripper {
	return rtFunc(func(req *http.Request) (*http.Response, error) {
		if req.Body != nil {
			req.Body.Close()
		}
		if calls != nil {
			calls.Add(1)
		}
		b := newHugeBody(prefix, 'a')
		b.total = total
		return &http.Response{
			StatusCode: status, Status: http.StatusText(status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header:        http.Header{"Content-Type": {"application/json"}},
			Body:          b,
			ContentLength: -1,
			Request:       req,
		}, nil
	})
}

// slack is what a reader may take beyond a bound: one read buffer.
const slack = 64 << 10

func TestBound_RestliErrorBody(t *testing.T) {
	// Bare client: one error body, read up to DefaultMaxErrorBodyBytes.
	var total atomic.Int64
	c := restli.NewClient(&http.Client{Transport: hugeResponder(http.StatusInternalServerError, `{"message":"`, &total, nil)},
		restli.WithBaseURL("https://api.example.test/rest"), restli.WithVersion("202601"))
	_, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/things/1"})
	var re *restli.Error
	if !errors.As(err, &re) || re.StatusCode != 500 {
		t.Fatalf("err = %v, want a *restli.Error 500", err)
	}
	if len(re.Body) != restli.DefaultMaxErrorBodyBytes {
		t.Fatalf("Error.Body is %d bytes, want the bound %d", len(re.Body), restli.DefaultMaxErrorBodyBytes)
	}
	if n := total.Load(); n > restli.DefaultMaxErrorBodyBytes+slack {
		t.Fatalf("read %d bytes of a %d-byte error body, bound %d", n, hugeSize, restli.DefaultMaxErrorBodyBytes)
	}
	t.Logf("bare client: read %d of %d bytes", total.Load(), hugeSize)

	// Full stack: a GET that gets 503 four times. The retry layer drains a
	// little of each discarded answer; the client reads the last up to the
	// bound.
	total.Store(0)
	var calls atomic.Int32
	hc := transport.NewClient(transport.WithBase(hugeResponder(http.StatusServiceUnavailable, `{"message":"`, &total, &calls)),
		transport.WithRetry(middleware.RetryOptions{RetryWaitMin: time.Millisecond, RetryWaitMax: 2 * time.Millisecond}))
	c = restli.NewClient(hc, restli.WithBaseURL("https://api.example.test/rest"), restli.WithVersion("202601"))
	_, err = c.Get(context.Background(), restli.GetRequest{ResourcePath: "/things/1"})
	if !errors.As(err, &re) || re.StatusCode != 503 || calls.Load() != 4 {
		t.Fatalf("err = %v after %d attempts, want a *restli.Error 503 after 4", err, calls.Load())
	}
	if n := total.Load(); n > restli.DefaultMaxErrorBodyBytes+4*slack {
		t.Fatalf("full stack read %d bytes over 4 attempts of %d-byte bodies", n, hugeSize)
	}
	t.Logf("full stack, 4 attempts: read %d of %d bytes", total.Load(), 4*hugeSize)
}

func TestBound_EntityDecoding(t *testing.T) {
	for _, tc := range []struct {
		name  string
		opts  []restli.ClientOption
		limit int64
	}{
		{"WithMaxResponseBytes(1MiB)", []restli.ClientOption{restli.WithMaxResponseBytes(1 << 20)}, 1 << 20},
		{"default", nil, restli.DefaultMaxResponseBytes},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.limit > 1<<20 && testing.Short() {
				t.Skip("reads the default 64 MiB bound; skipped with -short")
			}
			var total atomic.Int64
			opts := append([]restli.ClientOption{restli.WithBaseURL("https://api.example.test/rest"), restli.WithVersion("202601")}, tc.opts...)
			c := restli.NewClient(&http.Client{Transport: hugeResponder(http.StatusOK, `{"name":"`, &total, nil)}, opts...)
			_, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/things/1"})
			var de *restli.ResponseBodyError
			if !errors.Is(err, restli.ErrResponseTooLarge) || !errors.As(err, &de) {
				t.Fatalf("err = %v, want a *restli.ResponseBodyError wrapping ErrResponseTooLarge", err)
			}
			if n := total.Load(); n > tc.limit+slack {
				t.Fatalf("read %d bytes, bound %d", n, tc.limit)
			}
			t.Logf("read %d of %d bytes", total.Load(), hugeSize)
		})
	}
}

func TestBound_OAuthResponses(t *testing.T) {
	for _, status := range []int{http.StatusOK, http.StatusBadRequest} {
		var total atomic.Int64
		cfg := oauth.Config{
			ClientID: "id", ClientSecret: "secret-0123456789",
			TokenURL: "https://www.example.test/oauth/v2/accessToken", IntrospectURL: "https://www.example.test/oauth/v2/introspectToken",
			HTTPClient: &http.Client{Transport: hugeResponder(status, `{"access_token":"`, &total, nil)},
		}
		_, err := cfg.Exchange(context.Background(), "code-0123456789")
		var oe *oauth.Error
		if !errors.As(err, &oe) {
			t.Fatalf("status %d: exchange err = %v, want *oauth.Error", status, err)
		}
		if status == http.StatusOK && !errors.Is(err, oauth.ErrMalformedResponse) {
			t.Fatalf("oversized token response: %v, want ErrMalformedResponse", err)
		}
		afterToken := total.Load()
		_, err = cfg.Introspect(context.Background(), "token-0123456789")
		if !errors.As(err, &oe) {
			t.Fatalf("status %d: introspect err = %v, want *oauth.Error", status, err)
		}
		if afterToken > 1<<20+slack || total.Load()-afterToken > 1<<20+slack {
			t.Fatalf("status %d: read %d and %d bytes of %d-byte responses, bound 1 MiB", status, afterToken, total.Load()-afterToken, hugeSize)
		}
		if len(err.Error()) > 2048 {
			t.Fatalf("error text of %d bytes", len(err.Error()))
		}
		t.Logf("status %d: token endpoint read %d, introspection read %d of %d bytes", status, afterToken, total.Load()-afterToken, hugeSize)
	}
}

func TestBound_TunnelRequestBody(t *testing.T) {
	const limit = 1 << 20
	var sent atomic.Int32
	rt := middleware.QueryTunnel(middleware.TunnelOptions{MaxQueryLength: 16, MaxBodyBytes: limit})(rtFunc(func(r *http.Request) (*http.Response, error) {
		sent.Add(1)
		return nil, errors.New("must not be called")
	}))
	body := newHugeBody(`{"a":"`, 'a')
	req, _ := http.NewRequest(http.MethodPost, "https://api.example.test/rest/things?q=search&long="+strings.Repeat("x", 64), body)
	req.GetBody = nil // not replayable: the layer must read it, within the bound
	_, err := rt.RoundTrip(req)
	var te *middleware.TunnelError
	if !errors.As(err, &te) || te.Reason != middleware.TunnelReasonBodyTooLarge {
		t.Fatalf("err = %v, want a *TunnelError %s", err, middleware.TunnelReasonBodyTooLarge)
	}
	if sent.Load() != 0 {
		t.Fatal("the oversized request was sent")
	}
	if n := body.read.Load(); n > limit+slack {
		t.Fatalf("read %d bytes of a %d-byte request body, bound %d", n, hugeSize, limit)
	}
	if !body.closed.Load() {
		t.Fatal("request body not closed")
	}
	t.Logf("tunnel: read %d of %d bytes", body.read.Load(), hugeSize)
}

func TestBound_FakeServerRequestBody(t *testing.T) {
	srv := restlitest.NewServer(restlitest.WithoutAuth())
	defer srv.Close()
	for _, tunneled := range []bool{false, true} {
		body := newHugeBody(`{"a":"`, 'a')
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/rest/things", body)
		req.Header.Set("X-RestLi-Protocol-Version", restli.ProtocolVersion)
		req.Header.Set("LinkedIn-Version", restlitest.DefaultVersion)
		req.Header.Set("X-RestLi-Method", "create")
		req.Header.Set("Content-Type", "application/json")
		if tunneled {
			req.Header.Set("X-HTTP-Method-Override", "GET")
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		base := transport.NewBaseTransport()
		base.Proxy = nil
		resp, err := (&http.Client{Transport: base}).Do(req)
		base.CloseIdleConnections()
		if err != nil {
			t.Fatalf("tunneled=%v: %v", tunneled, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("tunneled=%v: status %d, want 413", tunneled, resp.StatusCode)
		}
		// The server stops reading at its bound; what the client wrote beyond
		// it is socket buffers, far below the whole body.
		if n := body.read.Load(); n > restlitest.DefaultMaxBodyBytes+32<<20 {
			t.Fatalf("tunneled=%v: %d of %d bytes were consumed, bound %d", tunneled, n, hugeSize, restlitest.DefaultMaxBodyBytes)
		}
		t.Logf("restlitest, tunneled=%v: client wrote %d of %d bytes before the 413", tunneled, body.read.Load(), hugeSize)
	}
}

func TestBound_LoggingBodyCapture(t *testing.T) {
	const limit = 1 << 10
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	resp := newHugeBody(`{"elements":[`, ' ')
	reqBody := newHugeBody(`{"a":"`, 'b')
	rt := middleware.Logging(logger, middleware.LoggingOptions{Level: slog.LevelDebug, LogBodies: true, MaxBodyBytes: limit})(
		rtFunc(func(r *http.Request) (*http.Response, error) {
			// The server reads some of the request body; the rest is the
			// caller's stream, untouched.
			if _, err := io.CopyN(io.Discard, r.Body, 8<<10); err != nil {
				return nil, err
			}
			return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: resp, Request: r}, nil
		}))
	req, _ := http.NewRequest(http.MethodPost, "https://api.example.test/rest/things", reqBody)
	req.GetBody = nil
	got, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	readByLayer := resp.read.Load()
	if readByLayer > limit+1 {
		t.Fatalf("logging read %d bytes of the response body before returning it, bound %d", readByLayer, limit)
	}
	if n := reqBody.read.Load(); n > 8<<10+limit+1 {
		t.Fatalf("logging read %d bytes of the request body, bound %d beyond what the server read", n, limit)
	}
	// The caller still reads the body from its first byte.
	head := make([]byte, 4<<10)
	if _, err := io.ReadFull(got.Body, head); err != nil || !bytes.HasPrefix(head, []byte(`{"elements":[`)) {
		t.Fatalf("caller's body: %q, %v", head[:16], err)
	}
	got.Body.Close()
	var line struct {
		Req  string `json:"request.body"`
		Resp string `json:"response.body"`
	}
	if err := jsonFirstLine(logs.Bytes(), &line); err != nil {
		t.Fatalf("log line: %v: %s", err, logs.Bytes())
	}
	max := limit + len("…(truncated)")
	if len(line.Req) > max || len(line.Resp) > max || !strings.HasSuffix(line.Resp, "…(truncated)") {
		t.Fatalf("logged bodies of %d and %d bytes, bound %d", len(line.Req), len(line.Resp), limit)
	}
	if logs.Len() > 16<<10 {
		t.Fatalf("log output of %d bytes for one attempt", logs.Len())
	}
	t.Logf("logging: read %d of %d response bytes before handing the body on, logged %d", readByLayer, hugeSize, len(line.Resp))
}

// rotatingSource is a token source with Invalidate, so the oauth layer
// refreshes and replays after a 401.
type rotatingSource struct{ n atomic.Int32 }

func (s *rotatingSource) Token() (*oauth2.Token, error) {
	return &oauth2.Token{AccessToken: "tok-" + string(rune('a'+s.n.Load()%26)) + "-0123456789"}, nil
}
func (s *rotatingSource) Invalidate(string) { s.n.Add(1) }

func TestBound_OAuthLayerDrainsRejectedAnswer(t *testing.T) {
	first := newHugeBody(`{"status":401,"message":"`, 'a')
	var calls atomic.Int32
	rt := oauth.Middleware(&rotatingSource{}, oauth.MiddlewareOptions{AllowHosts: []string{"api.example.test"}})(rtFunc(func(r *http.Request) (*http.Response, error) {
		if calls.Add(1) == 1 {
			return &http.Response{StatusCode: 401, Header: http.Header{}, Body: first, Request: r}, nil
		}
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("{}")), Request: r}, nil
	}))
	req, _ := http.NewRequest(http.MethodGet, "https://api.example.test/rest/things/1", nil)
	resp, err := rt.RoundTrip(req)
	if err != nil || resp.StatusCode != 200 || calls.Load() != 2 {
		t.Fatalf("replay after 401: %v, %v after %d sends", resp, err, calls.Load())
	}
	resp.Body.Close()
	if n := first.read.Load(); n > 64<<10 || !first.closed.Load() {
		t.Fatalf("the 401 body: read %d bytes (bound 64 KiB), closed %v", n, first.closed.Load())
	}
	t.Logf("oauth layer: drained %d of %d bytes of the rejected answer", first.read.Load(), hugeSize)
}
