package benchmarks

import (
	"context"
	"testing"

	"github.com/linkedin-go/linkedin/restli"
)

// buildRequests holds one request of typical size per Rest.li method, in
// the order of restli.Methods.
var buildRequests = []restli.Request{
	restli.GetRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": 507404993},
		QueryParams: map[string]any{"fields": "id,name,status"}},
	restli.BatchGetRequest{ResourcePath: "/adAccounts", IDs: []any{507404993, 507404994, 507404995}},
	restli.GetAllRequest{ResourcePath: "/adAccounts", QueryParams: map[string]any{"start": 0, "count": 10}},
	restli.FinderRequest{ResourcePath: "/adAccounts", FinderName: "search", QueryParams: map[string]any{
		"search": map[string]any{
			"status":    map[string]any{"values": []any{"ACTIVE", "DRAFT"}},
			"reference": map[string]any{"values": []any{"urn:li:organization:123"}},
			"test":      true,
		},
		"start": 0, "count": 5,
	}},
	restli.BatchFinderRequest{ResourcePath: "/organizationAuthorizations", FinderName: "authorizationActionsAndImpersonator",
		CriteriaName: "authorizationActions", Criteria: []any{
			map[string]any{"OrganizationRoleAuthorizationAction": map[string]any{"actionType": "ADMINISTRATOR_READ"}},
			map[string]any{"OrganizationContentAuthorizationAction": map[string]any{"actionType": "ORGANIC_SHARE_DELETE"}},
		}},
	restli.CreateRequest{ResourcePath: "/adCampaignGroups", Entity: map[string]any{
		"account": "urn:li:sponsoredAccount:507404993", "name": "Spring campaigns", "status": "DRAFT",
		"runSchedule": map[string]any{"start": 1735689600000},
	}},
	restli.BatchCreateRequest{ResourcePath: "/adCampaignGroups", Entities: []any{
		map[string]any{"account": "urn:li:sponsoredAccount:507404993", "name": "A", "status": "DRAFT"},
		map[string]any{"account": "urn:li:sponsoredAccount:507404993", "name": "B", "status": "DRAFT"},
	}},
	restli.UpdateRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": 507404993},
		Entity: map[string]any{"name": "Acme Brand Account", "status": "ACTIVE", "type": "BUSINESS", "currency": "USD"}},
	restli.BatchUpdateRequest{ResourcePath: "/adAccounts", IDs: []any{507404993, 507404994},
		Entities: []any{map[string]any{"name": "A"}, map[string]any{"name": "B"}}},
	restli.PartialUpdateRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": 507404993},
		PatchSetObject: map[string]any{"status": "PAUSED", "name": "Renamed"}},
	restli.BatchPartialUpdateRequest{ResourcePath: "/adAccounts", IDs: []any{507404993, 507404994},
		PatchSetObjects: []any{map[string]any{"status": "PAUSED"}, map[string]any{"status": "ACTIVE"}}},
	restli.DeleteRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": 507404993}},
	restli.BatchDeleteRequest{ResourcePath: "/adAccounts", IDs: []any{507404993, 507404994, 507404995}},
	restli.ActionRequest{ResourcePath: "/assets", ActionName: "registerUpload", ActionParams: map[string]any{
		"registerUploadRequest": map[string]any{"owner": "urn:li:organization:123",
			"recipes": []any{"urn:li:digitalmediaRecipe:feedshare-image"}},
	}},
}

// BenchmarkBuild builds the canonical *http.Request of each of the 14
// Rest.li methods with (*restli.Client).NewHTTPRequest.
func BenchmarkBuild(b *testing.B) {
	c := restli.NewClient(nil, restli.WithVersion("202401"))
	ctx := context.Background()
	for _, r := range buildRequests {
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

// TestBuild_CoversEveryMethod keeps BenchmarkBuild in step with
// restli.Methods and checks that every request builds.
func TestBuild_CoversEveryMethod(t *testing.T) {
	if len(buildRequests) != len(restli.Methods) {
		t.Fatalf("%d build requests for %d Rest.li methods", len(buildRequests), len(restli.Methods))
	}
	c := restli.NewClient(nil, restli.WithVersion("202401"))
	for i, m := range restli.Methods {
		r := buildRequests[i]
		if r.RestliMethod() != m {
			t.Errorf("buildRequests[%d] is %s, want %s", i, r.RestliMethod(), m)
		}
		if _, err := c.NewHTTPRequest(context.Background(), r); err != nil {
			t.Errorf("%s: %v", m, err)
		}
	}
}
