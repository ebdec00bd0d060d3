package restli_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/linkedin-go/linkedin/restli"
)

func TestNewHTTPRequest_ZeroURNIsValidationError(t *testing.T) {
	var zero restli.URN
	set := restli.MustParseURN("urn:li:person:1")
	tests := []struct {
		name  string
		req   restli.Request
		field string // "" means the request builds
	}{
		{"path key", restli.GetRequest{ResourcePath: "/people/{id}", PathKeys: map[string]any{"id": zero}}, "PathKeys[id]"},
		{"in a compound path key", restli.GetRequest{ResourcePath: "/x/{k}", PathKeys: map[string]any{"k": map[string]any{"a": zero, "b": 1}}}, "PathKeys[k]"},
		{"batch id", restli.BatchGetRequest{ResourcePath: "/people", IDs: []any{set, zero}}, "IDs[1]"},
		{"query parameter", restli.FinderRequest{ResourcePath: "/posts", FinderName: "author", QueryParams: map[string]any{"author": zero}}, "QueryParams[author]"},
		{"pointer to a zero URN", restli.FinderRequest{ResourcePath: "/posts", FinderName: "author", QueryParams: map[string]any{"author": &zero}}, "QueryParams[author]"},
		{"in a list parameter", restli.FinderRequest{ResourcePath: "/posts", FinderName: "authors", QueryParams: map[string]any{"authors": []restli.URN{set, zero}}}, "QueryParams[authors]"},
		{"in a nested criteria map", restli.FinderRequest{ResourcePath: "/a", FinderName: "search",
			QueryParams: map[string]any{"search": map[string]any{"account": map[string]any{"values": []any{zero}}}}}, "QueryParams[search]"},
		{"batch finder criterion", restli.BatchFinderRequest{ResourcePath: "/a", FinderName: "f", CriteriaName: "c", Criteria: []any{map[string]any{"u": zero}}}, "Criteria[0]"},
		{"nil *URN parameter is dropped", restli.FinderRequest{ResourcePath: "/posts", FinderName: "author", QueryParams: map[string]any{"author": (*restli.URN)(nil)}}, ""},
		{"set URN builds", restli.FinderRequest{ResourcePath: "/posts", FinderName: "author", QueryParams: map[string]any{"author": set}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := restli.NewHTTPRequest(context.Background(), tt.req)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			var ve *restli.ValidationError
			if !errors.As(err, &ve) || ve.Field != tt.field {
				t.Fatalf("error = %v, want a *ValidationError for %s", err, tt.field)
			}
		})
	}
}

// TestZeroURN_EncodesAsEmptyString holds the builder to what lets it skip
// walking a query for zero URNs: every shape the walk looks into encodes a
// zero URN as the empty string, two apostrophes (so a query without them
// holds none).
func TestZeroURN_EncodesAsEmptyString(t *testing.T) {
	var zero restli.URN
	for _, v := range []any{
		zero, &zero, []restli.URN{zero}, []any{zero}, map[string]any{"k": zero}, map[string]restli.URN{"k": zero},
		map[string]any{"k": []any{map[string]any{"x": zero}}}, []any{[]any{&zero}},
	} {
		q, err := restli.ParamEncode(map[string]any{"p": v})
		if err != nil || !strings.Contains(q, "''") {
			t.Errorf("ParamEncode(%#v) = %q, %v; want it to hold ''", v, q, err)
		}
	}
	// '' alone (an empty string) is not a zero URN.
	if _, err := restli.NewHTTPRequest(context.Background(), restli.FinderRequest{ResourcePath: "/a", FinderName: "f",
		QueryParams: map[string]any{"name": "", "list": []any{""}}}); err != nil {
		t.Errorf("empty strings: %v", err)
	}
}

func TestNewHTTPRequest_FieldsListIsWrittenAsCommaList(t *testing.T) {
	tests := []struct {
		name   string
		params map[string]any
		query  string // "" means a *ValidationError
	}{
		{"string", map[string]any{"fields": "id,name"}, "fields=id,name"},
		{"[]string", map[string]any{"fields": []string{"id", "name", "owner:(id)"}}, "fields=id,name,owner:(id)"},
		{"metadataFields list", map[string]any{"metadataFields": []string{"total"}, "x": 1}, "metadataFields=total&x=1"},
		{"empty list", map[string]any{"fields": []string{}}, ""},
		{"empty element", map[string]any{"fields": []string{"id", ""}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			params := map[string]any{}
			for k, v := range tt.params {
				params[k] = v
			}
			req, err := restli.NewHTTPRequest(context.Background(), restli.GetAllRequest{ResourcePath: "/adAccounts", QueryParams: params})
			if tt.query == "" {
				var ve *restli.ValidationError
				if !errors.As(err, &ve) {
					t.Fatalf("error = %v, want *ValidationError", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if req.URL.RawQuery != tt.query {
				t.Errorf("query = %q, want %q", req.URL.RawQuery, tt.query)
			}
			for k, v := range tt.params {
				if _, isList := v.([]string); isList {
					if _, still := params[k].([]string); !still {
						t.Errorf("the caller's %s was replaced", k)
					}
				}
			}
		})
	}
}
