package restlitest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
)

func TestPartialUpdate_SetDeleteNestedAndEscapes(t *testing.T) {
	srv := newServer(t)
	orig := map[string]any{"name": "Old", "note": "n", "address": map[string]any{"zip": "1", "city": "C"}, "$x": map[string]any{"a": 1}, "tags": []any{"a"}}
	srv.Seed("/people", 1, orig)
	c := srv.RestliClient()
	patch := restli.Patch{
		"$set":    map[string]any{"name": "New", "tags": []any{"b", "c"}},
		"$delete": []string{"note"},
		"address": restli.Patch{"$set": map[string]any{"zip": "94086"}, "$delete": []string{"city"}},
		"$$x":     restli.Patch{"$set": map[string]any{"a": 2}},
		"created": restli.Patch{"$set": map[string]any{"by": "me"}},
	}
	if _, err := c.PartialUpdate(ctxT(t), restli.PartialUpdateRequest{ResourcePath: "/people/{id}", PathKeys: map[string]any{"id": 1}, PatchSetObject: patch}); err != nil {
		t.Fatal(err)
	}
	got, _ := srv.Collection("/people").Get(1)
	want := `map[$x:map[a:2] address:map[zip:94086] created:map[by:me] name:New tags:[b c]]`
	if fmt.Sprint(got) != want {
		t.Fatalf("patched = %v\nwant      %s", got, want)
	}

	// A diff patch computed by the client applies back to the modified entity.
	mod := map[string]any{"name": "Newer", "address": map[string]any{"zip": "94086", "street": "S"}, "$x": map[string]any{"a": 2}, "created": map[string]any{"by": "me"}}
	if _, err := c.PartialUpdate(ctxT(t), restli.PartialUpdateRequest{ResourcePath: "/people/{id}", PathKeys: map[string]any{"id": 1}, OriginalEntity: got, ModifiedEntity: mod}); err != nil {
		t.Fatal(err)
	}
	got, _ = srv.Collection("/people").Get(1)
	gb, _ := json.Marshal(got)
	mb, _ := json.Marshal(mod)
	if string(gb) != string(mb) {
		t.Fatalf("after diff patch: %s, want %s", gb, mb)
	}
}

func TestPartialUpdate_BadPatchesRejectedAndNothingChanges(t *testing.T) {
	srv := newServer(t)
	srv.Seed("/people", 1, map[string]any{"name": "A", "age": 3})
	h := restliHeader(srv, restli.MethodPartialUpdate)
	h.Set("Content-Type", "application/json")
	for _, body := range []string{
		`not json`,
		`[]`,
		`{"name":"x"}`,
		`{"patch":null}`,
		`{"patch":[1]}`,
		`{"patch":{"$set":[1]}}`,
		`{"patch":{"$delete":"name"}}`,
		`{"patch":{"$delete":[1]}}`,
		`{"patch":{"$unknown":{}}}`,
		`{"patch":{"name":{"$set":{"a":1}}}}`,
		`{"patch":{"$set":{"name":"B"},"age":5}}`,
	} {
		r := do(t, rawClient(t), http.MethodPost, srv.URL+"/rest/people/1", h, body)
		if r.status != 400 || r.errorBody(t)["code"] != restlitest.CodeInvalidBody || r.header.Get("X-RestLi-Error-Response") != "true" {
			t.Errorf("patch %s: %d %s", body, r.status, r.body)
		}
	}
	if e, _ := srv.Collection("/people").Get(1); e["name"] != "A" {
		t.Fatalf("a rejected patch changed the entity: %v", e)
	}
}
