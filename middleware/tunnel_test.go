package middleware_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/linkedin-go/linkedin/middleware"
)

// tunnelDecoded is a request as a Rest.li server sees it after undoing
// query tunneling.
type tunnelDecoded struct {
	Method      string
	Query       string
	Body        string
	ContentType string
	Tunneled    bool
}

// tunnelDecode undoes query tunneling the way the reference server does
// (restli-protocol.md §7.4, QueryTunnelUtil.decode).
func tunnelDecode(method string, h http.Header, rawQuery string, body []byte) (tunnelDecoded, error) {
	override := h.Get("X-HTTP-Method-Override")
	if override == "" { // 1. not tunneled
		return tunnelDecoded{Method: method, Query: rawQuery, Body: string(body), ContentType: h.Get("Content-Type")}, nil
	}
	switch override { // 2. exact, upper case
	case "GET", "POST", "PUT", "DELETE", "OPTIONS":
	default:
		return tunnelDecoded{}, fmt.Errorf("bad override %q", override)
	}
	if method != http.MethodPost {
		return tunnelDecoded{}, fmt.Errorf("tunneled request sent as %s, want POST", method)
	}
	d := tunnelDecoded{Method: override, Tunneled: true}
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		return d, fmt.Errorf("content type: %v", err)
	}
	var query string
	switch mt {
	case "application/x-www-form-urlencoded": // 3.
		query = string(body)
	case "multipart/mixed": // 4.
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		gotQuery, gotBody := false, false
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				return d, fmt.Errorf("multipart: %v", err)
			}
			data, err := io.ReadAll(p)
			if err != nil {
				return d, fmt.Errorf("multipart part: %v", err)
			}
			ct := p.Header.Get("Content-Type")
			switch {
			case ct == "application/x-www-form-urlencoded" && !gotQuery:
				query, gotQuery = string(data), true
			case ct != "application/x-www-form-urlencoded" && !gotBody:
				d.Body, d.ContentType, gotBody = string(data), ct, true
			default:
				return d, fmt.Errorf("unexpected extra part %q", ct)
			}
		}
		if !gotQuery || !gotBody {
			return d, fmt.Errorf("multipart: query part %v, body part %v", gotQuery, gotBody)
		}
	default:
		return d, fmt.Errorf("unexpected tunneled content type %q", mt)
	}
	switch { // 5.
	case rawQuery == "":
		d.Query = query
	case query == "":
		d.Query = rawQuery
	default:
		d.Query = rawQuery + "&" + query
	}
	return d, nil
}

// tunnelWire is what a tunnel test server received, before and after
// decoding.
type tunnelWire struct {
	Method        string
	RawQuery      string
	Header        http.Header
	ContentLength int64
	Body          []byte
	Decoded       tunnelDecoded
	Err           error
}

// tunnelServer is a loopback server that decodes every request per §7.4.
type tunnelServer struct {
	*httptest.Server
	mu  sync.Mutex
	got []tunnelWire
}

func newTunnelServer(t *testing.T) *tunnelServer {
	t.Helper()
	s := &tunnelServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		d, err := tunnelDecode(r.Method, r.Header, r.URL.RawQuery, body)
		s.mu.Lock()
		s.got = append(s.got, tunnelWire{r.Method, r.URL.RawQuery, r.Header.Clone(), r.ContentLength, body, d, err})
		s.mu.Unlock()
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *tunnelServer) requests() []tunnelWire {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]tunnelWire(nil), s.got...)
}

func (s *tunnelServer) transport(t *testing.T) *http.Transport {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

// tunnelQuery returns an already Rest.li-encoded query of exactly n bytes
// holding characters that any re-encoding would change (% escapes, '+',
// parentheses, commas, colons).
func tunnelQuery(n int) string {
	const head = "q=search&search=(name:(values:List(a%20b,c%2Bd+e)))&ids=List(urn%3Ali%3Aperson%3A1,"
	if n < len(head)+1 {
		panic("query too short")
	}
	return head + strings.Repeat("x", n-len(head)-1) + ")"
}

// tunnelSnapshot is what a layer must not change in the caller's request.
type tunnelSnapshot struct {
	Method, URL   string
	Header        http.Header
	ContentLength int64
	HasGetBody    bool
	Host          string
}

func snapshotTunnel(r *http.Request) tunnelSnapshot {
	return tunnelSnapshot{r.Method, r.URL.String(), r.Header.Clone(), r.ContentLength, r.GetBody != nil, r.Host}
}

// tunnelCloseTracker records whether a request body was closed.
type tunnelCloseTracker struct {
	io.Reader
	closed bool
}

func (c *tunnelCloseTracker) Close() error { c.closed = true; return nil }

func TestQueryTunnel_ServerDecodesOriginalRequest(t *testing.T) {
	long := tunnelQuery(5000)
	longPath := "/adAccounts/" + strings.Repeat("p", 3000) + "/" + strings.Repeat("s", 3000)
	tests := []struct {
		name        string
		method      string
		path        string
		query       string
		body        string
		contentType string
		replayable  bool // body given as a bytes.Reader, so GetBody is set
		wantCT      string
		wantTunnel  bool
	}{
		{name: "GET without body", method: "GET", query: long, wantTunnel: true},
		{name: "DELETE keeps DELETE", method: "DELETE", query: long, wantTunnel: true},
		{name: "POST without body", method: "POST", query: long, wantTunnel: true},
		{name: "PUT with JSON body", method: "PUT", query: long, body: `{"name":"x","n":1}`,
			contentType: "application/json", replayable: true, wantCT: "application/json", wantTunnel: true},
		{name: "POST body keeps its content type", method: "POST", query: long, body: `{"a":"b"}`,
			contentType: "application/json; charset=utf-8", replayable: true,
			wantCT: "application/json; charset=utf-8", wantTunnel: true},
		{name: "body without content type is JSON", method: "POST", query: long, body: `{}`,
			replayable: true, wantCT: "application/json", wantTunnel: true},
		{name: "body that is not replayable", method: "POST", query: long, body: `{"big":true}`,
			contentType: "application/json", wantCT: "application/json", wantTunnel: true},
		{name: "short query with long path tunnels by URL length", method: "GET", path: longPath,
			query: tunnelQuery(3000), wantTunnel: true},
		{name: "short GET passes through", method: "GET", query: tunnelQuery(200)},
		{name: "short PUT passes through", method: "PUT", query: tunnelQuery(200), body: `{"x":1}`,
			contentType: "application/json", replayable: true, wantCT: "application/json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTunnelServer(t)
			path := tt.path
			if path == "" {
				path = "/adAccounts"
			}
			var body io.Reader
			if tt.body != "" {
				if tt.replayable {
					body = bytes.NewReader([]byte(tt.body))
				} else {
					body = io.NopCloser(strings.NewReader(tt.body)) // no GetBody, unknown length
				}
			}
			req, err := http.NewRequest(tt.method, s.URL+path+"?"+tt.query, body)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("X-RestLi-Method", "finder")
			req.Header.Set("Authorization", "Bearer tok")
			req.Header.Set("Accept", "application/json")
			req.Header.Set("X-Custom", "kept")
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			before := snapshotTunnel(req)

			resp, err := middleware.QueryTunnel(middleware.TunnelOptions{})(s.transport(t)).RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()

			if after := snapshotTunnel(req); !reflect.DeepEqual(before, after) {
				t.Errorf("caller's request changed:\nbefore %+v\nafter  %+v", before, after)
			}
			got := s.requests()
			if len(got) != 1 {
				t.Fatalf("server got %d requests, want 1", len(got))
			}
			w := got[0]
			if w.Err != nil {
				t.Fatalf("server could not decode: %v", w.Err)
			}
			want := tunnelDecoded{Method: tt.method, Query: tt.query, Body: tt.body, ContentType: tt.wantCT, Tunneled: tt.wantTunnel}
			if w.Decoded != want {
				t.Errorf("decoded\n%+v\nwant\n%+v", w.Decoded, want)
			}
			if tt.wantTunnel {
				if w.Method != "POST" || w.RawQuery != "" {
					t.Errorf("wire: %s with query %q, want POST without query", w.Method, w.RawQuery)
				}
				if w.ContentLength != int64(len(w.Body)) {
					t.Errorf("Content-Length %d, body %d bytes", w.ContentLength, len(w.Body))
				}
			}
			for _, h := range []string{"X-Restli-Method", "Authorization", "Accept", "X-Custom"} {
				if w.Header.Get(h) != req.Header.Get(h) {
					t.Errorf("header %s = %q on the wire, want %q", h, w.Header.Get(h), req.Header.Get(h))
				}
			}
		})
	}
}

func TestQueryTunnel_ThresholdEdge(t *testing.T) {
	tests := []struct {
		name       string
		opts       middleware.TunnelOptions
		queryLen   int
		wantTunnel bool
	}{
		{"default: 4000 passes as GET", middleware.TunnelOptions{}, 4000, false},
		{"default: 4001 is tunneled", middleware.TunnelOptions{}, 4001, true},
		{"custom: at the limit passes", middleware.TunnelOptions{MaxQueryLength: 500}, 500, false},
		{"custom: over the limit tunnels", middleware.TunnelOptions{MaxQueryLength: 500}, 501, true},
		{"negative: always tunnels", middleware.TunnelOptions{MaxQueryLength: -1}, 100, true},
		{"URL limit: query under it passes", middleware.TunnelOptions{MaxURLLength: 9000}, 4000, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTunnelServer(t)
			q := tunnelQuery(tt.queryLen)
			req, _ := http.NewRequest(http.MethodGet, s.URL+"/adAccounts?"+q, nil)
			resp, err := middleware.QueryTunnel(tt.opts)(s.transport(t)).RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			w := s.requests()[0]
			if w.Decoded.Tunneled != tt.wantTunnel {
				t.Errorf("tunneled = %v, want %v", w.Decoded.Tunneled, tt.wantTunnel)
			}
			wantWire := "GET"
			if tt.wantTunnel {
				wantWire = "POST"
			}
			if w.Method != wantWire || w.Decoded.Method != "GET" || w.Decoded.Query != q {
				t.Errorf("wire %s, decoded %s with %d-byte query; want wire %s, decoded GET with the %d-byte original",
					w.Method, w.Decoded.Method, len(w.Decoded.Query), wantWire, len(q))
			}
		})
	}
}

func TestQueryTunnel_MultipartLayoutExact(t *testing.T) {
	var got *http.Request
	rt := middleware.QueryTunnel(middleware.TunnelOptions{MaxQueryLength: 10})(hdrRTFunc(func(r *http.Request) (*http.Response, error) {
		got = r
		return hdrOK()(r)
	}))
	q := "q=search&ids=List(1,2)"
	body := `{"patch":{"$set":{"name":"n"}}}`
	req, _ := http.NewRequest(http.MethodPost, "https://api.linkedin.com/rest/adAccounts?"+q, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if _, err := rt.RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	mt, params, err := mime.ParseMediaType(got.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/mixed" {
		t.Fatalf("Content-Type %q (%v)", got.Header.Get("Content-Type"), err)
	}
	b := params["boundary"]
	if b == "" || len(b) > 70 {
		t.Fatalf("boundary %q", b)
	}
	want := "--" + b + "\r\n" +
		"Content-Type: application/x-www-form-urlencoded\r\n" +
		"\r\n" +
		q + "\r\n" +
		"--" + b + "\r\n" +
		"Content-Type: application/json\r\n" +
		"\r\n" +
		body + "\r\n" +
		"--" + b + "--"
	gotBody, _ := io.ReadAll(got.Body)
	if string(gotBody) != want {
		t.Errorf("body\n%q\nwant\n%q", gotBody, want)
	}
	if got.ContentLength != int64(len(want)) {
		t.Errorf("ContentLength = %d, want %d", got.ContentLength, len(want))
	}
	if strings.Contains(q, b) || strings.Contains(body, b) {
		t.Errorf("boundary %q occurs in a part", b)
	}
	if got.Header.Get("X-HTTP-Method-Override") != "POST" || got.Method != "POST" || got.URL.RawQuery != "" {
		t.Errorf("override %q, method %s, query %q", got.Header.Get("X-HTTP-Method-Override"), got.Method, got.URL.RawQuery)
	}
}

func TestQueryTunnel_FormBodyIsQueryByteForByte(t *testing.T) {
	var got *http.Request
	rt := middleware.QueryTunnel(middleware.TunnelOptions{MaxQueryLength: 10})(hdrRTFunc(func(r *http.Request) (*http.Response, error) {
		got = r
		return hdrOK()(r)
	}))
	q := "q=search&search=(name:a%20b+c)&fields=id,name&x=%2B%25"
	req, _ := http.NewRequest(http.MethodDelete, "https://api.linkedin.com/rest/things?"+q, nil)
	req.Header.Set("Content-Type", "application/json") // stale: there is no body
	if _, err := rt.RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(got.Body)
	if string(b) != q {
		t.Errorf("body %q, want the query %q", b, q)
	}
	if ct := got.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		t.Errorf("Content-Type %q", ct)
	}
	if o := got.Header.Get("X-HTTP-Method-Override"); o != "DELETE" {
		t.Errorf("override %q, want DELETE", o)
	}
}

func TestQueryTunnel_GetBodyReplaysAndRetryDecodesIdentically(t *testing.T) {
	for _, body := range []string{"", `{"elements":[1,2,3]}`} {
		t.Run(fmt.Sprintf("body=%v", body != ""), func(t *testing.T) {
			s := newTunnelServer(t)
			base := s.transport(t)
			var tunneled []*http.Request
			capture := hdrRTFunc(func(r *http.Request) (*http.Response, error) {
				tunneled = append(tunneled, r)
				return base.RoundTrip(r)
			})
			rt := middleware.QueryTunnel(middleware.TunnelOptions{})(capture)
			q := tunnelQuery(4500)
			method := http.MethodGet
			var rd io.Reader
			if body != "" {
				method, rd = http.MethodPut, bytes.NewReader([]byte(body))
			}
			req, _ := http.NewRequest(method, s.URL+"/adAccounts?"+q, rd)
			if body != "" {
				req.Header.Set("Content-Type", "application/json")
			}

			// Attempt 1, then attempt 2 as a retry layer above would send it:
			// a copy of the logical request with a fresh body from GetBody.
			send := func(r *http.Request) {
				resp, err := rt.RoundTrip(r)
				if err != nil {
					t.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			send(req)
			retry := req.Clone(context.Background())
			if req.GetBody != nil {
				retry.Body, _ = req.GetBody()
			}
			send(retry)

			// The tunneled request itself replays: GetBody twice gives the
			// bytes sent, and resending it decodes the same again.
			r2 := tunneled[0]
			if r2.GetBody == nil {
				t.Fatal("tunneled request has no GetBody")
			}
			first := s.requests()[0].Body
			for i := range 2 {
				rc, err := r2.GetBody()
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(rc)
				rc.Close()
				if !bytes.Equal(b, first) {
					t.Errorf("GetBody #%d = %q, want the bytes sent %q", i+1, b, first)
				}
			}
			replay := r2.Clone(context.Background())
			replay.Body, _ = r2.GetBody()
			resp, err := base.RoundTrip(replay)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()

			want := tunnelDecoded{Method: method, Query: q, Body: body, Tunneled: true}
			if body != "" {
				want.ContentType = "application/json"
			}
			got := s.requests()
			if len(got) != 3 {
				t.Fatalf("server got %d requests, want 3", len(got))
			}
			for i, w := range got {
				if w.Err != nil || w.Decoded != want {
					t.Errorf("request %d decoded %+v (%v), want %+v", i+1, w.Decoded, w.Err, want)
				}
			}
		})
	}
}

func TestQueryTunnel_CannotTunnel(t *testing.T) {
	const canary = "CANARYQUERYVALUE"
	q := "q=search&secret=" + canary + "&pad=" + strings.Repeat("y", 4100)
	tests := []struct {
		name       string
		method     string
		url        string
		body       io.Reader
		opts       middleware.TunnelOptions
		wantReason string
	}{
		{"path segment over 4 KB", "GET", "https://api.linkedin.com/rest/x/" + strings.Repeat("k", 4097) + "?" + q,
			nil, middleware.TunnelOptions{}, middleware.TunnelReasonPathSegment},
		{"path alone over the URL limit", "GET", "https://api.linkedin.com/" + strings.Repeat("a/", 300) + "?" + q,
			nil, middleware.TunnelOptions{MaxURLLength: 500}, middleware.TunnelReasonPath},
		{"PATCH is not a Rest.li override", "PATCH", "https://api.linkedin.com/rest/x?" + q,
			nil, middleware.TunnelOptions{}, middleware.TunnelReasonMethod},
		{"body over the bound", "POST", "https://api.linkedin.com/rest/x?" + q,
			strings.NewReader(`{"a":"0123456789"}`), middleware.TunnelOptions{MaxBodyBytes: 8}, middleware.TunnelReasonBodyTooLarge},
		{"body read fails", "POST", "https://api.linkedin.com/rest/x?" + q,
			io.MultiReader(strings.NewReader("{"), iotestErrReader{}), middleware.TunnelOptions{}, middleware.TunnelReasonBodyRead},
		{"content type that breaks the part header", "PUT", "https://api.linkedin.com/rest/x?" + q,
			strings.NewReader(`{}`), middleware.TunnelOptions{}, middleware.TunnelReasonContentType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			called := false
			rt := middleware.QueryTunnel(tt.opts)(hdrRTFunc(func(r *http.Request) (*http.Response, error) {
				called = true
				return hdrOK()(r)
			}))
			req, _ := http.NewRequest(tt.method, tt.url, nil)
			if tt.wantReason == middleware.TunnelReasonContentType {
				req.Header["Content-Type"] = []string{"application/json\r\nX-Evil: 1"}
			}
			tracker := &tunnelCloseTracker{Reader: strings.NewReader("")}
			if tt.body != nil {
				tracker.Reader = tt.body
				req.Body = tracker
			} else {
				req.Body = tracker
				req.ContentLength = 0
			}
			resp, err := rt.RoundTrip(req)
			if resp != nil || err == nil {
				t.Fatalf("got (%v, %v), want a *TunnelError", resp, err)
			}
			var te *middleware.TunnelError
			if !errors.As(err, &te) || te.Reason != tt.wantReason {
				t.Fatalf("err = %v, want reason %s", err, tt.wantReason)
			}
			if te.ErrorType() != "tunnel."+tt.wantReason {
				t.Errorf("ErrorType() = %q", te.ErrorType())
			}
			if strings.Contains(err.Error(), canary) || strings.Contains(err.Error(), "yyyy") {
				t.Errorf("error text leaks the query: %v", err)
			}
			if called {
				t.Error("the request was sent")
			}
			if !tracker.closed {
				t.Error("request body not closed")
			}
		})
	}
}

type iotestErrReader struct{}

func (iotestErrReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestQueryTunnel_PassesThroughUntouched(t *testing.T) {
	tests := []struct {
		name string
		req  func() *http.Request
	}{
		{"no query", func() *http.Request {
			r, _ := http.NewRequest("GET", "https://api.linkedin.com/rest/me", nil)
			return r
		}},
		{"short query", func() *http.Request {
			r, _ := http.NewRequest("GET", "https://api.linkedin.com/rest/adAccounts?"+tunnelQuery(4000), nil)
			return r
		}},
		{"already tunneled", func() *http.Request {
			r, _ := http.NewRequest("POST", "https://api.linkedin.com/rest/adAccounts?"+tunnelQuery(6000), nil)
			r.Header.Set("X-HTTP-Method-Override", "GET")
			return r
		}},
		{"long path segment with short query", func() *http.Request {
			r, _ := http.NewRequest("GET", "https://api.linkedin.com/rest/x/"+strings.Repeat("k", 5000)+"?q=a", nil)
			return r
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := tt.req()
			var seen *http.Request
			rt := middleware.QueryTunnel(middleware.TunnelOptions{})(hdrRTFunc(func(r *http.Request) (*http.Response, error) {
				seen = r
				return hdrOK()(r)
			}))
			if _, err := rt.RoundTrip(req); err != nil {
				t.Fatal(err)
			}
			if seen != req {
				t.Error("request was replaced")
			}
			canned := middleware.QueryTunnel(middleware.TunnelOptions{})(newHdrCanned())
			if n := testing.AllocsPerRun(100, func() { canned.RoundTrip(req) }); n != 0 {
				t.Errorf("pass-through allocates %v times, want 0", n)
			}
		})
	}
}

// FuzzQueryTunnel_RoundTrip checks that any query and body, tunneled, decode
// back to themselves.
func FuzzQueryTunnel_RoundTrip(f *testing.F) {
	f.Add("q=search&ids=List(1,2)", []byte(`{"a":1}`), true)
	f.Add("a=%2B+b", []byte(""), false)
	f.Add("x=\r\n--", []byte("\r\n--linkedin-go-\r\n"), true)
	f.Fuzz(func(t *testing.T, query string, body []byte, put bool) {
		if query == "" {
			return // nothing to tunnel
		}
		var got *http.Request
		rt := middleware.QueryTunnel(middleware.TunnelOptions{MaxQueryLength: -1})(hdrRTFunc(func(r *http.Request) (*http.Response, error) {
			got = r
			return hdrOK()(r)
		}))
		method := http.MethodGet
		if put {
			method = http.MethodPut
		}
		req, err := http.NewRequest(method, "https://api.linkedin.com/rest/x", bytes.NewReader(body))
		if err != nil {
			t.Skip()
		}
		req.URL.RawQuery = query
		req.Header.Set("Content-Type", "application/json")
		if _, err := rt.RoundTrip(req); err != nil {
			t.Fatal(err)
		}
		wire, _ := io.ReadAll(got.Body)
		d, err := tunnelDecode(got.Method, got.Header, got.URL.RawQuery, wire)
		if err != nil {
			t.Fatalf("decode: %v\nbody %q", err, wire)
		}
		want := tunnelDecoded{Method: method, Query: query, Body: string(body), Tunneled: true}
		if len(body) > 0 {
			want.ContentType = "application/json"
		}
		if d != want {
			t.Errorf("decoded %+v, want %+v", d, want)
		}
	})
}

func TestQueryTunnel_URLLengthCountsEscapedPath(t *testing.T) {
	// 101 bytes of path, 301 once net/url escapes the parentheses; with the
	// query the URL is 461 bytes, not 261.
	u := &url.URL{Scheme: "https", Host: "h", Path: "/" + strings.Repeat("(", 100), RawQuery: "a=" + strings.Repeat("b", 148)}
	tests := []struct {
		max        int
		wantTunnel bool
	}{{461, false}, {460, true}}
	for _, tt := range tests {
		var got *http.Request
		rt := middleware.QueryTunnel(middleware.TunnelOptions{MaxURLLength: tt.max})(hdrRTFunc(func(r *http.Request) (*http.Response, error) {
			got = r
			return hdrOK()(r)
		}))
		req := &http.Request{Method: "GET", URL: u, Header: http.Header{}}
		if _, err := rt.RoundTrip(req); err != nil {
			t.Fatal(err)
		}
		if tunneled := got.Method == "POST"; tunneled != tt.wantTunnel {
			t.Errorf("MaxURLLength %d: tunneled = %v, want %v", tt.max, tunneled, tt.wantTunnel)
		}
	}
}

func TestQueryTunnel_ResponseReportsTheLogicalRequest(t *testing.T) {
	var wire *http.Request
	rt := middleware.QueryTunnel(middleware.TunnelOptions{})(hdrRTFunc(func(r *http.Request) (*http.Response, error) {
		wire = r
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
	}))
	req, _ := http.NewRequest(http.MethodGet, "https://api.linkedin.com/rest/adAccounts?"+tunnelQuery(5000), nil)
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	if wire == nil || wire.Method != http.MethodPost {
		t.Fatalf("the request was not tunneled: %v", wire)
	}
	if resp.Request != req {
		t.Errorf("resp.Request = %s %s, want the caller's GET", resp.Request.Method, resp.Request.URL)
	}
}
