// Tests of the untyped methods' decoding.

package restli_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/linkedin-go/linkedin/restli"
)

// TestFinder_UntypedPaths runs the untyped collection decode through each of
// its paths: a small page with a length (the fast parser), the same page
// in a form the fast parser leaves to encoding/json, a page without a
// length and one over the size limit.
func TestFinder_UntypedPaths(t *testing.T) {
	const page = `{"elements":[{"id":1,"name":"caf\u00e9","tags":["a"]},{"id":2}],"paging":{"start":0,"count":2,"total":5,"links":[{"rel":"next","href":"/x","type":"application/json"}]},"metadata":{"m":true}}`
	want := &restli.CollectionResponse{
		Elements: []map[string]any{
			{"id": json.Number("1"), "name": "café", "tags": []any{"a"}},
			{"id": json.Number("2")},
		},
		Paging:   &restli.Paging{Start: 0, Count: 2, Total: 5, Links: []restli.Link{{Rel: "next", Href: "/x", Type: "application/json"}}},
		Metadata: map[string]any{"m": true},
	}
	tests := []struct {
		name    string
		body    string
		chunked bool
		limit   int64
		wantErr func(error) bool
	}{
		{name: "fast", body: page},
		{name: "fallback (a field named in another case)", body: strings.Replace(page, `"metadata"`, `"Metadata"`, 1)},
		{name: "no length", body: page, chunked: true},
		{name: "not objects", body: `{"elements":[1]}`, wantErr: func(err error) bool {
			var de *restli.ResponseBodyError
			return errors.As(err, &de) && strings.Contains(err.Error(), "not a JSON object")
		}},
		{name: "not objects, no length", body: `{"elements":[1]}`, chunked: true, wantErr: func(err error) bool {
			return err != nil && strings.Contains(err.Error(), "not a JSON object")
		}},
		{name: "invalid JSON", body: `{"elements":[`, wantErr: func(err error) bool {
			var de *restli.ResponseBodyError
			return errors.As(err, &de)
		}},
		{name: "too large", body: page, limit: 10, wantErr: func(err error) bool { return errors.Is(err, restli.ErrResponseTooLarge) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []restli.ClientOption
			if tt.limit > 0 {
				opts = append(opts, restli.WithMaxResponseBytes(tt.limit))
			}
			c := setup(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if !tt.chunked {
					w.Header().Set("Content-Length", strconv.Itoa(len(tt.body)))
				}
				w.Write([]byte(tt.body))
				if tt.chunked {
					w.(http.Flusher).Flush()
				}
			}, opts...)
			got, err := c.Finder(context.Background(), restli.FinderRequest{ResourcePath: "/adAccounts", FinderName: "search"})
			if tt.wantErr != nil {
				if !tt.wantErr(err) {
					t.Fatalf("error = %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Elements, want.Elements) || !reflect.DeepEqual(got.Paging, want.Paging) || !reflect.DeepEqual(got.Metadata, want.Metadata) {
				t.Errorf("got %#v %#v %#v\nwant %#v %#v %#v", got.Elements, got.Paging, got.Metadata, want.Elements, want.Paging, want.Metadata)
			}
		})
	}
}

// TestGet_UntypedPaths runs the untyped GET decode through the fast parser
// and through encoding/json (no length), with an object, null and a value
// that is not an object.
func TestGet_UntypedPaths(t *testing.T) {
	for _, chunked := range []bool{false, true} {
		for _, tt := range []struct {
			body    string
			want    map[string]any
			wantErr bool
		}{
			{body: `{"id":7,"name":"x\ny","nested":{"a":[1,{"b":null}]}}`, want: map[string]any{"id": json.Number("7"), "name": "x\ny", "nested": map[string]any{"a": []any{json.Number("1"), map[string]any{"b": nil}}}}},
			{body: `null`},
			{body: ``},
			{body: `[1]`, wantErr: true},
			{body: `{"id":`, wantErr: true},
		} {
			c := setup(t, func(w http.ResponseWriter, r *http.Request) {
				if !chunked {
					w.Header().Set("Content-Length", strconv.Itoa(len(tt.body)))
				}
				w.Write([]byte(tt.body))
				if chunked {
					w.(http.Flusher).Flush()
				}
			})
			got, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": 7}})
			if tt.wantErr {
				if err == nil {
					t.Errorf("chunked=%v %s: no error", chunked, tt.body)
				}
				continue
			}
			if err != nil || !reflect.DeepEqual(got.Entity, tt.want) {
				t.Errorf("chunked=%v %s: %#v, %v; want %#v", chunked, tt.body, got, err, tt.want)
			}
		}
	}
}
