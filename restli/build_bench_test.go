// Benchmarks of the request builder.

package restli_test

import (
	"context"
	"testing"

	"github.com/linkedin-go/linkedin/restli"
)

// benchRequests is one request per Rest.li method, of typical size.
var benchRequests = []restli.Request{
	restli.GetRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": 123456}},
	restli.BatchGetRequest{ResourcePath: "/adAccounts", IDs: []any{"urn:li:sponsoredAccount:1", "urn:li:sponsoredAccount:2", "urn:li:sponsoredAccount:3"}},
	restli.GetAllRequest{ResourcePath: "/adAccounts", QueryParams: map[string]any{"start": 0, "count": 10}},
	restli.FinderRequest{ResourcePath: "/adAccounts", FinderName: "search", QueryParams: map[string]any{
		"search": map[string]any{"status": map[string]any{"values": []any{"ACTIVE", "DRAFT"}}, "test": true}, "start": 0, "count": 5}},
	restli.BatchFinderRequest{ResourcePath: "/things", FinderName: "f", CriteriaName: "criteria", Criteria: []any{map[string]any{"name": "a"}, map[string]any{"name": "b"}}},
	restli.CreateRequest{ResourcePath: "/adAccounts", Entity: map[string]any{"name": "x", "type": "BUSINESS"}},
	restli.BatchCreateRequest{ResourcePath: "/adAccounts", Entities: []any{map[string]any{"name": "x"}, map[string]any{"name": "y"}}},
	restli.UpdateRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": 1}, Entity: map[string]any{"name": "x"}},
	restli.BatchUpdateRequest{ResourcePath: "/adAccounts", IDs: []any{1, 2}, Entities: []any{map[string]any{"name": "x"}, map[string]any{"name": "y"}}},
	restli.PartialUpdateRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": 1}, PatchSetObject: map[string]any{"status": "ACTIVE"}},
	restli.BatchPartialUpdateRequest{ResourcePath: "/adAccounts", IDs: []any{1, 2}, PatchSetObjects: []any{map[string]any{"status": "ACTIVE"}, map[string]any{"status": "PAUSED"}}},
	restli.DeleteRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": 1}},
	restli.BatchDeleteRequest{ResourcePath: "/adAccounts", IDs: []any{1, 2}},
	restli.ActionRequest{ResourcePath: "/media", ActionName: "registerUpload", ActionParams: map[string]any{"owner": "urn:li:person:1"}},
}

func BenchmarkNewHTTPRequest(b *testing.B) {
	c := restli.NewClient(nil, restli.WithVersion("202601"))
	ctx := context.Background()
	for _, r := range benchRequests {
		b.Run(string(r.RestliMethod()), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.NewHTTPRequest(ctx, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
