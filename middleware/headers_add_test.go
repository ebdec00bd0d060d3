package middleware_test

import (
	"context"
	"net/http"
	"reflect"
	"testing"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/restli"
)

// TestAddHeaders_AddsWhatTheLayerAdds checks that the step the token layer
// runs on its copy adds exactly the headers the layer would send.
func TestAddHeaders_AddsWhatTheLayerAdds(t *testing.T) {
	opts := middleware.HeaderOptions{Version: "202601", UserAgent: "app/1", APIHosts: []string{"127.0.0.1:8080"}}
	add := middleware.AddHeaders(opts)
	if add == nil {
		t.Fatal("AddHeaders returned nil for valid options")
	}
	restliCtx := restli.ContextWithCallInfo(context.Background(), restli.CallInfo{Method: restli.MethodGet, Resource: "/me"})
	tests := []struct {
		name   string
		ctx    context.Context
		url    string
		header http.Header
	}{
		{"API host", context.Background(), "https://api.linkedin.com/rest/me", nil},
		{"listed host", context.Background(), "http://127.0.0.1:8080/rest/me", nil},
		{"built by restli", restliCtx, "http://127.0.0.1:1/rest/me", nil},
		{"other host", context.Background(), "https://www.linkedin.com/dms-uploads/x", nil},
		{"values set per call win", context.Background(), "https://api.linkedin.com/rest/me",
			http.Header{"Linkedin-Version": {"202512"}, "User-Agent": {""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequestWithContext(tt.ctx, http.MethodGet, tt.url, nil)
			for k, v := range tt.header {
				req.Header[k] = v
			}
			var sent http.Header
			layer := middleware.Headers(opts)(hdrRTFunc(func(r *http.Request) (*http.Response, error) {
				sent = r.Header
				return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
			}))
			if _, err := layer.RoundTrip(req); err != nil {
				t.Fatal(err)
			}
			h := req.Header.Clone()
			add(req, h)
			if !reflect.DeepEqual(h, sent) {
				t.Errorf("AddHeaders gave %v; the layer sends %v", h, sent)
			}
			// The copy's header, filled by add, leaves the layer nothing to do.
			r2 := req.Clone(req.Context())
			r2.Header = h
			if _, err := layer.RoundTrip(r2); err != nil {
				t.Fatal(err)
			}
			if reflect.ValueOf(sent).Pointer() != reflect.ValueOf(h).Pointer() {
				t.Error("the layer copied a request that AddHeaders had completed")
			}
		})
	}
}

func TestAddHeaders_NilWhenTheLayerRefuses(t *testing.T) {
	for _, opts := range []middleware.HeaderOptions{
		{Version: "2026-01"},
		{UserAgent: "app\r\nX-Evil: 1"},
	} {
		if middleware.AddHeaders(opts) != nil {
			t.Errorf("AddHeaders(%+v) is not nil; the layer refuses every request", opts)
		}
	}
}
