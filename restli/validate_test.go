// Tests of the request checks of validate.go: each bad input is a
// *ValidationError and never a wire attempt.
package restli

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// countingTransport counts the requests that reach it and answers 200 {}.
type countingTransport struct{ n *atomic.Int64 }

func (t countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.n.Add(1)
	if req.Body != nil {
		req.Body.Close()
	}
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: http.NoBody, ContentLength: 0, Request: req}, nil
}

// canary is a value that must never appear in an error's text.
const canary = "CANARY-s3cr3t"

func TestBuild_RefusesBadInputWithoutSending(t *testing.T) {
	get := func(mut func(*GetRequest)) Request {
		r := GetRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": 1}}
		mut(&r)
		return r
	}
	tests := []struct {
		name  string
		opts  []ClientOption
		req   Request
		field string
	}{
		{"CR in header value", nil, get(func(r *GetRequest) { r.Header = http.Header{"X-Tenant": {canary + "\r\nX-Evil: 1"}} }), "Header[X-Tenant]"},
		{"LF in header value", nil, get(func(r *GetRequest) { r.Header = http.Header{"X-Tenant": {canary + "\n"}} }), "Header[X-Tenant]"},
		{"NUL in header value", nil, get(func(r *GetRequest) { r.Header = http.Header{"X-Tenant": {"a\x00" + canary}} }), "Header[X-Tenant]"},
		{"CR LF in header name", nil, get(func(r *GetRequest) { r.Header = http.Header{"X-A\r\nX-" + canary: {"v"}} }), "Header"},
		{"NUL in header name", nil, get(func(r *GetRequest) { r.Header = http.Header{"X-\x00" + canary: {"v"}} }), "Header"},
		{"space in header name", nil, get(func(r *GetRequest) { r.Header = http.Header{"X " + canary: {"v"}} }), "Header"},
		{"empty header name", nil, get(func(r *GetRequest) { r.Header = http.Header{"": {canary}} }), "Header"},
		{"CR LF in request Version", nil, get(func(r *GetRequest) { r.Version = "202601\r\nX-" + canary + ": 1" }), "Version"},
		{"NUL in request Version", nil, get(func(r *GetRequest) { r.Version = "202601\x00" + canary }), "Version"},
		{"LF in WithVersion", []ClientOption{WithVersion("202601\n" + canary)}, get(func(*GetRequest) {}), "Version"},
		{"'.' path key", nil, get(func(r *GetRequest) { r.PathKeys = map[string]any{"id": "."} }), "PathKeys[id]"},
		{"'..' path key", nil, DeleteRequest{ResourcePath: "/adAccounts/{id}/adCampaigns/7", PathKeys: map[string]any{"id": ".."}}, "PathKeys[id]"},
		{"'..' from two keys", nil, GetRequest{ResourcePath: "/a/{x}{y}/b", PathKeys: map[string]any{"x": ".", "y": "."}}, "PathKeys"},
		{"'..' in the template", nil, GetRequest{ResourcePath: "/adAccounts/../adCampaigns"}, "ResourcePath"},
		{"'.' in the template", nil, GetRequest{ResourcePath: "/adAccounts/./x"}, "ResourcePath"},
		{"'?' in WithBaseURL", []ClientOption{WithBaseURL("https://api.example/rest?token=" + canary)}, get(func(*GetRequest) {}), "BaseURL"},
		{"'#' in WithBaseURL", []ClientOption{WithBaseURL("https://api.example/rest#" + canary)}, get(func(*GetRequest) {}), "BaseURL"},
		{"repeated id", nil, BatchGetRequest{ResourcePath: "/adAccounts", IDs: []any{1, 2, 1}}, "IDs[2]"},
		{"repeated id, int and string", nil, BatchDeleteRequest{ResourcePath: "/adAccounts", IDs: []any{7, "7"}}, "IDs[1]"},
		{"repeated URN", nil, BatchGetRequest{ResourcePath: "/adAccounts", IDs: []any{NewURN("li", "sponsoredAccount", "1"), "urn:li:sponsoredAccount:1"}}, "IDs[1]"},
		{"repeated compound key", nil, BatchGetRequest{ResourcePath: "/x", IDs: []any{
			map[string]any{"a": 1, "b": canary}, map[string]any{"b": canary, "a": 1}}}, "IDs[1]"},
		{"bad path and bad query: the path first", nil, GetRequest{ResourcePath: "/adAccounts/../x", QueryParams: map[string]any{"q": canary}}, "ResourcePath"},
		{"bad query alone", nil, get(func(r *GetRequest) { r.QueryParams = map[string]any{"q": canary} }), "QueryParams"},
		{"repeated id in a batch update", nil, BatchUpdateRequest{ResourcePath: "/x", IDs: []any{1, 1}, Entities: []any{map[string]any{}, map[string]any{}}}, "IDs[1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int64
			c := NewClient(&http.Client{Transport: countingTransport{&n}}, tt.opts...)
			var err error
			switch r := tt.req.(type) {
			case GetRequest:
				_, err = c.Get(context.Background(), r)
			case DeleteRequest:
				_, err = c.Delete(context.Background(), r)
			case BatchGetRequest:
				_, err = c.BatchGet(context.Background(), r)
			case BatchDeleteRequest:
				_, err = c.BatchDelete(context.Background(), r)
			case BatchUpdateRequest:
				_, err = c.BatchUpdate(context.Background(), r)
			default:
				t.Fatalf("no call for %T", r)
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("got %v, want a *ValidationError", err)
			}
			if ve.Field != tt.field {
				t.Errorf("Field = %q, want %q (%v)", ve.Field, tt.field, err)
			}
			if n.Load() != 0 {
				t.Errorf("%d requests reached the transport, want none", n.Load())
			}
			if strings.Contains(err.Error(), canary) {
				t.Errorf("the error quotes the value: %v", err)
			}
		})
	}
}

func TestBuild_AcceptsWhatLooksLikeDotsButIsNot(t *testing.T) {
	for _, r := range []Request{
		GetRequest{ResourcePath: "/a/{id}", PathKeys: map[string]any{"id": "..."}},
		GetRequest{ResourcePath: "/a/{id}", PathKeys: map[string]any{"id": "a.."}},
		GetRequest{ResourcePath: "/a/{id}.json", PathKeys: map[string]any{"id": "."}},
		GetRequest{ResourcePath: "/a/{id}", PathKeys: map[string]any{"id": map[string]any{".": ".."}}},
		GetRequest{ResourcePath: "/a", Header: http.Header{"X-Tab": {"a\tb"}, "X-Tenant": {"ok"}}},
		BatchGetRequest{ResourcePath: "/a", IDs: []any{1, "1a", int64(2), map[string]any{"a": 1}, map[string]any{"a": 2}}},
	} {
		if _, err := NewHTTPRequest(context.Background(), r); err != nil {
			t.Errorf("%+v: %v", r, err)
		}
	}
}
