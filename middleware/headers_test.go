package middleware_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/linkedin-go/linkedin/middleware"
)

// hdrRTFunc adapts a function to http.RoundTripper.
type hdrRTFunc func(*http.Request) (*http.Response, error)

func (f hdrRTFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// hdrOK is a stub RoundTripper that answers 200 with an empty body.
func hdrOK() hdrRTFunc {
	return func(r *http.Request) (*http.Response, error) {
		if r.Body != nil {
			r.Body.Close()
		}
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
	}
}

// hdrCanned is a stub RoundTripper that returns the same response every
// time and allocates nothing, so allocation counts are the layer's own.
type hdrCanned struct{ resp *http.Response }

func newHdrCanned() *hdrCanned {
	return &hdrCanned{resp: &http.Response{StatusCode: 200, Header: http.Header{}, Body: http.NoBody}}
}

func (c *hdrCanned) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		r.Body.Close()
	}
	return c.resp, nil
}

// hdrServer is a loopback server that records the headers of the last
// request it got.
type hdrServer struct {
	*httptest.Server
	mu   sync.Mutex
	last http.Header
}

func newHdrServer(t *testing.T) *hdrServer {
	t.Helper()
	s := &hdrServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.last = r.Header.Clone()
		s.mu.Unlock()
		io.Copy(io.Discard, r.Body)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *hdrServer) header() http.Header {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// hdrSend sends one GET through layer to the server with the given request
// headers and returns what the server saw.
func hdrSend(t *testing.T, s *hdrServer, layer func(http.RoundTripper) http.RoundTripper, h http.Header) http.Header {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	req, err := http.NewRequest(http.MethodGet, s.URL+"/adAccounts", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-RestLi-Method", "finder") // a Rest.li request built by hand
	for k, v := range h {
		req.Header[k] = v
	}
	before := req.Header.Clone()
	resp, err := layer(tr).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if !reflect.DeepEqual(req.Header, before) {
		t.Errorf("caller's header changed: before %v, after %v", before, req.Header)
	}
	return s.header()
}

func TestHeaderLayers_SetOnlyWhenAbsent(t *testing.T) {
	s := newHdrServer(t)
	ua := "linkedin-go/" + middleware.ModuleVersionForTest
	tests := []struct {
		name   string
		layer  func(http.RoundTripper) http.RoundTripper
		header string // as the server spells it back
		in     http.Header
		want   []string // nil: header absent on the wire
	}{
		{"ProtocolVersion/absent", middleware.ProtocolVersion(), "X-Restli-Protocol-Version", nil, []string{"2.0.0"}},
		{"ProtocolVersion/present", middleware.ProtocolVersion(), "X-Restli-Protocol-Version",
			http.Header{"X-Restli-Protocol-Version": {"1.0.0"}}, []string{"1.0.0"}},
		{"LinkedInVersion/absent", middleware.LinkedInVersion("202601"), "Linkedin-Version", nil, []string{"202601"}},
		{"LinkedInVersion/present", middleware.LinkedInVersion("202601"), "Linkedin-Version",
			http.Header{"Linkedin-Version": {"202406"}}, []string{"202406"}},
		{"LinkedInVersion/empty version is a no-op", middleware.LinkedInVersion(""), "Linkedin-Version", nil, nil},
		{"UserAgent/absent without s", middleware.UserAgent(""), "User-Agent", nil, []string{ua}},
		{"UserAgent/absent with s", middleware.UserAgent("adsync/2.1"), "User-Agent", nil, []string{"adsync/2.1 " + ua}},
		{"UserAgent/present", middleware.UserAgent("adsync/2.1"), "User-Agent",
			http.Header{"User-Agent": {"mine/1"}}, []string{"mine/1"}},
		// An explicit empty User-Agent tells net/http to send none; it counts as present.
		{"UserAgent/explicitly empty", middleware.UserAgent("adsync/2.1"), "User-Agent",
			http.Header{"User-Agent": {""}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := hdrSend(t, s, tt.layer, tt.in)
			if g := got[tt.header]; !reflect.DeepEqual(g, tt.want) {
				t.Errorf("%s on the wire = %q, want %q", tt.header, g, tt.want)
			}
		})
	}
}

func TestHeaderLayers_ComposeAndKeepOtherHeaders(t *testing.T) {
	s := newHdrServer(t)
	layer := func(next http.RoundTripper) http.RoundTripper {
		return middleware.ProtocolVersion()(middleware.LinkedInVersion("202601")(middleware.UserAgent("app/1")(next)))
	}
	got := hdrSend(t, s, layer, http.Header{
		"X-Restli-Method":  {"finder"},
		"Accept":           {"application/json"},
		"Linkedin-Version": {"202505"},
	})
	want := map[string]string{
		"X-Restli-Protocol-Version": "2.0.0",
		"Linkedin-Version":          "202505",
		"User-Agent":                "app/1 linkedin-go/" + middleware.ModuleVersionForTest,
		"X-Restli-Method":           "finder",
		"Accept":                    "application/json",
	}
	for k, v := range want {
		if g := got.Get(k); g != v {
			t.Errorf("%s = %q, want %q", k, g, v)
		}
	}
}

func TestHeaderLayers_PassThroughDoesNotCopy(t *testing.T) {
	layers := map[string]func(http.RoundTripper) http.RoundTripper{
		"ProtocolVersion": middleware.ProtocolVersion(),
		"LinkedInVersion": middleware.LinkedInVersion("202601"),
		"UserAgent":       middleware.UserAgent("x"),
	}
	for name, layer := range layers {
		t.Run(name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1/x", nil)
			req.RequestURI = ""
			req.Header.Set("X-RestLi-Protocol-Version", "2.0.0")
			req.Header.Set("LinkedIn-Version", "202601")
			req.Header.Set("User-Agent", "u")
			var seen *http.Request
			rt := layer(hdrRTFunc(func(r *http.Request) (*http.Response, error) {
				seen = r
				return hdrOK()(r)
			}))
			if _, err := rt.RoundTrip(req); err != nil {
				t.Fatal(err)
			}
			if seen != req {
				t.Error("a request that already has the header was copied")
			}
			rt = layer(newHdrCanned())
			if allocs := testing.AllocsPerRun(100, func() { rt.RoundTrip(req) }); allocs != 0 {
				t.Errorf("pass-through allocates %v times per request, want 0", allocs)
			}
		})
	}
}

func TestHeaderLayers_AppendBelowDoesNotReachCaller(t *testing.T) {
	req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1/x", nil)
	req.Header["Accept"] = make([]string, 1, 4) // spare capacity a careless append could use
	req.Header["Accept"][0] = "application/json"
	rt := middleware.UserAgent("")(hdrRTFunc(func(r *http.Request) (*http.Response, error) {
		r.Header.Add("Accept", "text/plain")
		r.Header.Add("User-Agent", "extra")
		return hdrOK()(r)
	}))
	for range 2 {
		if _, err := rt.RoundTrip(req); err != nil {
			t.Fatal(err)
		}
	}
	if got := req.Header["Accept"]; len(got) != 1 || got[:cap(got)][1] != "" {
		t.Errorf("caller's Accept values touched: %q (backing %q)", got, got[:cap(got)])
	}
	if _, ok := req.Header["User-Agent"]; ok {
		t.Error("User-Agent added to the caller's request")
	}
}

func TestUserAgent_TokenFormat(t *testing.T) {
	var got string
	rt := middleware.UserAgent("")(hdrRTFunc(func(r *http.Request) (*http.Response, error) {
		got = r.Header.Get("User-Agent")
		return hdrOK()(r)
	}))
	req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1/", nil)
	rt.RoundTrip(req)
	name, ver, ok := strings.Cut(got, "/")
	if !ok || name != "linkedin-go" || ver != middleware.ModuleVersionForTest || ver == "" {
		t.Errorf("User-Agent = %q, want linkedin-go/<Version>", got)
	}
}

func TestHeaderLayers_StackedLayersCopyOnceAndOuterWins(t *testing.T) {
	var seen []*http.Request
	rec := hdrRTFunc(func(r *http.Request) (*http.Response, error) {
		seen = append(seen, r)
		return hdrOK()(r)
	})
	rt := middleware.ProtocolVersion()(middleware.LinkedInVersion("202601")(
		middleware.LinkedInVersion("199901")(middleware.UserAgent("")(rec))))
	req, _ := http.NewRequest(http.MethodGet, "https://api.linkedin.com/rest/x", nil)
	req.Header.Set("User-Agent", "mine")
	if _, err := rt.RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	h := seen[0].Header
	want := http.Header{
		"X-Restli-Protocol-Version": {"2.0.0"},
		"Linkedin-Version":          {"202601"}, // the outer layer wins, as unfused
		"User-Agent":                {"mine"},
	}
	if !reflect.DeepEqual(h, want) {
		t.Errorf("header %v, want %v", h, want)
	}
	rt = middleware.ProtocolVersion()(middleware.LinkedInVersion("202601")(middleware.UserAgent("")(newHdrCanned())))
	req.Header.Del("User-Agent")
	// One request copy, one map, one values array (and the map's group).
	if n := testing.AllocsPerRun(100, func() { rt.RoundTrip(req) }); n > 4 {
		t.Errorf("three header layers allocate %v times per request, want one copy (≤4)", n)
	}
}
