package restlitest_test

import (
	"net/http"
	"reflect"
	"testing"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
)

// An association (compound) key: the same key in the path, in ids, in a
// batch request body and in the response maps.
func TestCompoundKeys_PathIDsAndBodyMaps(t *testing.T) {
	srv := newServer(t)
	c := srv.RestliClient()
	ctx := ctxT(t)
	k1 := map[string]any{"account": "urn:li:sponsoredAccount:9", "user": "urn:li:person:x y"}
	k2 := map[string]any{"account": "urn:li:sponsoredAccount:9", "user": "urn:li:person:(a,b)"}
	srv.Seed("/adAccountUsers", k1, map[string]any{"role": "VIEWER"})

	g, err := c.Get(ctx, restli.GetRequest{ResourcePath: "/adAccountUsers/{key}", PathKeys: map[string]any{"key": k1}})
	if err != nil || g.Entity["role"] != "VIEWER" {
		t.Fatalf("get by compound key = %+v, %v", g, err)
	}
	if rec := lastRequest(t, srv); !reflect.DeepEqual(rec.Keys, []any{k1}) {
		t.Fatalf("recorded keys %#v", rec.Keys)
	}

	// CREATE with a compound id: X-RestLi-Id in reduced form.
	cr, err := c.Create(ctx, restli.CreateRequest{ResourcePath: "/adAccountUsers", Entity: map[string]any{"id": k2, "role": "ADMIN"}})
	if err != nil {
		t.Fatal(err)
	}
	rk2, _ := restli.ResponseKey(k2)
	if cr.EntityID != rk2 || !reflect.DeepEqual(cr.DecodedEntityID, k2) {
		t.Fatalf("X-RestLi-Id = %q decoded %#v, want %q", cr.EntityID, cr.DecodedEntityID, rk2)
	}
	pk, _ := restli.EncodePathKey(k2)
	if cr.Location != "/rest/adAccountUsers/"+pk {
		t.Errorf("Location = %q", cr.Location)
	}

	bg, err := c.BatchGet(ctx, restli.BatchGetRequest{ResourcePath: "/adAccountUsers", IDs: []any{k1, k2}})
	if err != nil {
		t.Fatal(err)
	}
	rk1, _ := restli.ResponseKey(k1)
	if bg.Results[rk1]["role"] != "VIEWER" || bg.Results[rk2]["role"] != "ADMIN" {
		t.Fatalf("batch get by compound ids = %v", bg.Results)
	}

	bu, err := c.BatchPartialUpdate(ctx, restli.BatchPartialUpdateRequest{ResourcePath: "/adAccountUsers", IDs: []any{k1, k2},
		PatchSetObjects: []any{map[string]any{"role": "ADMIN"}, map[string]any{"role": "VIEWER"}}})
	if err != nil || bu.Results[rk1].Status != 204 || bu.Results[rk2].Status != 204 {
		t.Fatalf("batch partial update by compound keys = %+v, %v", bu, err)
	}
	if e, _ := srv.Collection("/adAccountUsers").Get(k2); e["role"] != "VIEWER" {
		t.Fatalf("after batch partial update: %v", e)
	}
	bd, err := c.BatchDelete(ctx, restli.BatchDeleteRequest{ResourcePath: "/adAccountUsers", IDs: []any{k1}})
	if err != nil || bd.Results[rk1].Status != 204 {
		t.Fatalf("batch delete = %+v, %v", bd, err)
	}
}

// A complex key: a record plus $params, which never count for identity and
// never appear in response keys.
func TestComplexKeys_ParamsIgnoredForIdentity(t *testing.T) {
	srv := newServer(t)
	c := srv.RestliClient()
	ctx := ctxT(t)
	bare := map[string]any{"name": "x y", "size": 3}
	withParams := map[string]any{"$params": map[string]any{"v": 2}, "name": "x y", "size": 3}
	srv.Seed("/widgets", bare, map[string]any{"color": "red"})

	g, err := c.Get(ctx, restli.GetRequest{ResourcePath: "/widgets/{k}", PathKeys: map[string]any{"k": withParams}})
	if err != nil || g.Entity["color"] != "red" {
		t.Fatalf("get with $params = %+v, %v", g, err)
	}
	if rec := lastRequest(t, srv); rec.Keys[0].(map[string]any)["$params"] == nil {
		t.Errorf("recorded key lost its $params: %#v", rec.Keys[0])
	}
	bu, err := c.BatchUpdate(ctx, restli.BatchUpdateRequest{ResourcePath: "/widgets", IDs: []any{withParams}, Entities: []any{map[string]any{"color": "blue"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(bu.Results) != 1 || bu.Results["(name:x y,size:3)"].Status != 204 {
		t.Fatalf("response keys = %+v, want (name:x y,size:3)", bu.Results)
	}
	if e, _ := srv.Collection("/widgets").Get(bare); e["color"] != "blue" {
		t.Fatalf("after batch update: %v", e)
	}
}

// Simple keys with characters that every form escapes differently.
func TestSimpleKeys_SpecialCharacters(t *testing.T) {
	srv := newServer(t)
	c := srv.RestliClient()
	ctx := ctxT(t)
	keys := []string{"urn:li:endorsement:(urn:li:person:abc,42)", "a/b?c=d#e", "x+y;z@w", "50% off & more", "café ☕", "it's", "List(x)"}
	for _, k := range keys {
		srv.Seed("/things", k, map[string]any{"k": k})
	}
	for _, k := range keys {
		g, err := c.Get(ctx, restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": k}})
		if err != nil || g.Entity["k"] != k {
			t.Errorf("get %q = %v, %v", k, g, err)
		}
	}
	ids := make([]any, len(keys))
	for i, k := range keys {
		ids[i] = k
	}
	bg, err := c.BatchGet(ctx, restli.BatchGetRequest{ResourcePath: "/things", IDs: ids})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if bg.Results[k]["k"] != k {
			t.Errorf("batch get: no result for %q", k)
		}
	}
	bu, err := c.BatchUpdate(ctx, restli.BatchUpdateRequest{ResourcePath: "/things", IDs: ids, Entities: func() []any {
		out := make([]any, len(keys))
		for i, k := range keys {
			out[i] = map[string]any{"k": k, "v": 2}
		}
		return out
	}()})
	if err != nil || len(bu.Results) != len(keys) {
		t.Fatalf("batch update with raw body keys = %+v, %v", bu, err)
	}
}

// Batch body keys written query-encoded, as the official Python and
// JavaScript clients write them, are matched too.
func TestBatchBody_QueryEncodedSimpleKeysAccepted(t *testing.T) {
	srv := newServer(t)
	srv.Seed("/posts", "urn:li:share:1", map[string]any{"a": 1})
	h := restliHeader(srv, restli.MethodBatchUpdate)
	h.Set("Content-Type", "application/json")
	r := do(t, rawClient(t), http.MethodPut, srv.URL+"/rest/posts?ids=List(urn%3Ali%3Ashare%3A1)", h, `{"entities":{"urn%3Ali%3Ashare%3A1":{"a":2}}}`)
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	if e, _ := srv.Collection("/posts").Get("urn:li:share:1"); e["a"] == nil || e["a"].(interface{ String() string }).String() != "2" {
		t.Fatalf("entity = %v", e)
	}
	// A body key that is not among ids is a 400.
	r = do(t, rawClient(t), http.MethodPut, srv.URL+"/rest/posts?ids=List(urn%3Ali%3Ashare%3A1)", h, `{"entities":{"urn:li:share:2":{"a":2}}}`)
	if r.status != 400 || r.errorBody(t)["code"] != restlitest.CodeInvalidBody {
		t.Fatalf("mismatched body key: %d %s", r.status, r.body)
	}
}
