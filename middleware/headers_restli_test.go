package middleware_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/restli"
)

func TestHeaderLayers_AddRestliHeadersOnlyToRestliRequests(t *testing.T) {
	restliCtx := restli.ContextWithCallInfo(context.Background(), restli.CallInfo{Method: restli.MethodGet, Resource: "/me"})
	tests := []struct {
		name   string
		ctx    context.Context
		method string
		url    string
		header http.Header
		restli bool
	}{
		{"API host", nil, http.MethodGet, "https://api.linkedin.com/rest/me", nil, true},
		{"API host with port and capitals", nil, http.MethodGet, "https://API.LinkedIn.com:443/v2/me", nil, true},
		{"built by restli, any host", restliCtx, http.MethodGet, "http://127.0.0.1:1/rest/me", nil, true},
		{"X-RestLi-Method by hand, any host", nil, http.MethodGet, "http://127.0.0.1:1/rest/me", http.Header{"X-Restli-Method": {"get"}}, true},
		{"upload PUT to another host", nil, http.MethodPut, "https://www.linkedin.com/dms-uploads/abc?ca=x", nil, false},
		{"look-alike host", nil, http.MethodGet, "https://api.linkedin.com.example/rest/me", nil, false},
		{"loopback without a marker", nil, http.MethodGet, "http://127.0.0.1:1/file", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got http.Header
			rt := middleware.ProtocolVersion()(middleware.LinkedInVersion("202601")(middleware.UserAgent("app/1")(
				hdrRTFunc(func(r *http.Request) (*http.Response, error) {
					got = r.Header
					return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
				}))))
			ctx := tt.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			req, _ := http.NewRequestWithContext(ctx, tt.method, tt.url, nil)
			for k, v := range tt.header {
				req.Header[k] = v
			}
			if _, err := rt.RoundTrip(req); err != nil {
				t.Fatal(err)
			}
			_, pv := got["X-Restli-Protocol-Version"]
			_, lv := got["Linkedin-Version"]
			if pv != tt.restli || lv != tt.restli {
				t.Errorf("protocol header %v, version header %v, want %v", pv, lv, tt.restli)
			}
			if got.Get("User-Agent") == "" {
				t.Error("User-Agent missing: it goes on every request")
			}
		})
	}
}

func TestLinkedInVersion_MalformedVersionLetsNonRestliRequestsThrough(t *testing.T) {
	sent := 0
	rt := middleware.LinkedInVersion("2024-04")(hdrRTFunc(func(r *http.Request) (*http.Response, error) {
		sent++
		return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
	}))
	req, _ := http.NewRequest(http.MethodPut, "https://www.linkedin.com/dms-uploads/abc", nil)
	if _, err := rt.RoundTrip(req); err != nil || sent != 1 {
		t.Fatalf("upload PUT: sent %d, %v", sent, err)
	}
}

func TestHeaderLayers_NonRestliRequestAllocatesNothing(t *testing.T) {
	rt := middleware.ProtocolVersion()(middleware.LinkedInVersion("202601")(middleware.UserAgent("app/1")(newHdrCanned())))
	req, _ := http.NewRequest(http.MethodPut, "https://www.linkedin.com/dms-uploads/abc", nil)
	req.Header.Set("User-Agent", "mine")
	if n := testing.AllocsPerRun(100, func() { rt.RoundTrip(req) }); n != 0 {
		t.Errorf("%v allocations for a request the layers leave alone", n)
	}
}

func TestHeaders_APIHostsCountAsRestliRequests(t *testing.T) {
	layer := middleware.Headers(middleware.HeaderOptions{Version: "202601", UserAgent: "app/1",
		APIHosts: []string{"127.0.0.1:8080", "Gateway.Example."}})
	tests := []struct {
		url    string
		restli bool
	}{
		{"http://127.0.0.1:8080/rest/me", true},
		{"http://127.0.0.1:9090/rest/me", false}, // another port
		{"https://gateway.example/rest/me", true},
		{"https://gateway.example:8443/rest/me", true}, // a host entry matches any port
		{"https://api.linkedin.com/rest/me", true},
		{"https://uploads.example/put", false},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			var got http.Header
			rt := layer(hdrRTFunc(func(r *http.Request) (*http.Response, error) {
				got = r.Header
				return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
			}))
			req, _ := http.NewRequest(http.MethodPut, tt.url, nil)
			if _, err := rt.RoundTrip(req); err != nil {
				t.Fatal(err)
			}
			_, pv := got["X-Restli-Protocol-Version"]
			if v := got.Get("Linkedin-Version"); pv != tt.restli || (v == "202601") != tt.restli {
				t.Errorf("protocol header %v, version %q; want Rest.li headers %v", pv, v, tt.restli)
			}
			if got.Get("User-Agent") != "app/1 linkedin-go/"+middleware.ModuleVersionForTest {
				t.Errorf("User-Agent %q", got.Get("User-Agent"))
			}
		})
	}
	rt := layer(newHdrCanned())
	req, _ := http.NewRequest(http.MethodPut, "https://uploads.example/put", nil)
	req.Header.Set("User-Agent", "mine")
	if n := testing.AllocsPerRun(100, func() { rt.RoundTrip(req) }); n != 0 {
		t.Errorf("%v allocations for a request the layer leaves alone", n)
	}
}
