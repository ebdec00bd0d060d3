package restlitest_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
)

func TestCreateThenGet_HeadersAndGeneratedID(t *testing.T) {
	srv := newServer(t)
	c := srv.RestliClient()
	ctx := ctxT(t)
	for i := 1; i <= 2; i++ {
		cr, err := c.Create(ctx, restli.CreateRequest{ResourcePath: "/adAccounts", Entity: map[string]any{"name": fmt.Sprint("acct", i)}})
		if err != nil {
			t.Fatal(err)
		}
		if cr.StatusCode != http.StatusCreated || cr.EntityID != fmt.Sprint(i) || cr.Location != fmt.Sprint("/rest/adAccounts/", i) {
			t.Fatalf("create %d: status %d id %q location %q", i, cr.StatusCode, cr.EntityID, cr.Location)
		}
		if cr.Entity != nil {
			t.Errorf("create returned an entity without $returnEntity: %v", cr.Entity)
		}
		if got := cr.Header.Get("X-RestLi-Protocol-Version"); got != "2.0.0" {
			t.Errorf("X-RestLi-Protocol-Version = %q", got)
		}
	}
	g, err := c.Get(ctx, restli.GetRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": 2}})
	if err != nil {
		t.Fatal(err)
	}
	if g.StatusCode != 200 || g.Entity["name"] != "acct2" || num(t, g.Entity["id"]) != 2 {
		t.Fatalf("get = %d %v", g.StatusCode, g.Entity)
	}
	if ct := g.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	_, err = c.Get(ctx, restli.GetRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": 99}})
	e := wantError(t, err, 404, restlitest.CodeNotFound)
	if e.RequestID == "" {
		t.Error("no request id on a 404")
	}
}

func TestCreate_IDFromEntityURNAndConflict(t *testing.T) {
	srv := newServer(t)
	c := srv.RestliClient()
	ctx := ctxT(t)
	urn := "urn:li:share:7"
	cr, err := c.Create(ctx, restli.CreateRequest{ResourcePath: "/posts", Entity: map[string]any{"id": urn, "text": "hi"}})
	if err != nil {
		t.Fatal(err)
	}
	if cr.EntityID != urn || cr.DecodedEntityID != urn {
		t.Fatalf("X-RestLi-Id = %q (%v), want the raw URN", cr.EntityID, cr.DecodedEntityID)
	}
	if cr.Location != "/rest/posts/urn%3Ali%3Ashare%3A7" {
		t.Errorf("Location = %q", cr.Location)
	}
	g, err := c.Get(ctx, restli.GetRequest{ResourcePath: "/posts/{id}", PathKeys: map[string]any{"id": restli.MustParseURN(urn)}})
	if err != nil || g.Entity["text"] != "hi" {
		t.Fatalf("get by URN = %v, %v", g, err)
	}
	_, err = c.Create(ctx, restli.CreateRequest{ResourcePath: "/posts", Entity: map[string]any{"id": urn}})
	wantError(t, err, 409, restlitest.CodeConflict)
}

func TestCreate_ReturnEntityWithProjection(t *testing.T) {
	srv := newServer(t)
	cr, err := srv.RestliClient().Create(ctxT(t), restli.CreateRequest{ResourcePath: "/things",
		QueryParams: map[string]any{"$returnEntity": true, "fields": "name"},
		Entity:      map[string]any{"name": "n", "secret": "s"}})
	if err != nil {
		t.Fatal(err)
	}
	if cr.StatusCode != 201 || !reflect.DeepEqual(cr.Entity, map[string]any{"name": "n"}) {
		t.Fatalf("create with $returnEntity = %d %v", cr.StatusCode, cr.Entity)
	}
}

func TestBatchMethods_RoundTrip(t *testing.T) {
	srv := newServer(t)
	c := srv.RestliClient()
	ctx := ctxT(t)

	bc, err := c.BatchCreate(ctx, restli.BatchCreateRequest{ResourcePath: "/campaigns", Entities: []any{
		map[string]any{"name": "a", "status": "DRAFT"},
		map[string]any{"name": "b", "status": "DRAFT"},
		map[string]any{"name": "c", "status": "DRAFT"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if bc.StatusCode != 200 || len(bc.Elements) != 3 {
		t.Fatalf("batch create = %d %+v", bc.StatusCode, bc.Elements)
	}
	for i, el := range bc.Elements {
		if el.Status != 201 || el.ID != fmt.Sprint(i+1) || el.Location != fmt.Sprint("/rest/campaigns/", i+1) {
			t.Errorf("element %d = %+v", i, el)
		}
	}

	bg, err := c.BatchGet(ctx, restli.BatchGetRequest{ResourcePath: "/campaigns", IDs: []any{1, 3, 42}})
	if err != nil {
		t.Fatal(err)
	}
	if len(bg.Results) != 2 || bg.Results["1"]["name"] != "a" || bg.Results["3"]["name"] != "c" {
		t.Fatalf("batch get results = %v", bg.Results)
	}
	if e := bg.Errors["42"]; e == nil || e.StatusCode != 404 {
		t.Fatalf("batch get errors = %v", bg.Errors)
	}

	bu, err := c.BatchUpdate(ctx, restli.BatchUpdateRequest{ResourcePath: "/campaigns", IDs: []any{1, 42},
		Entities: []any{map[string]any{"name": "A", "status": "ACTIVE"}, map[string]any{"name": "X"}}})
	if err != nil {
		t.Fatal(err)
	}
	if bu.Results["1"].Status != 204 || bu.Errors["42"] == nil || bu.Errors["42"].StatusCode != 404 {
		t.Fatalf("batch update = %+v %+v", bu.Results, bu.Errors)
	}
	if e, _ := srv.Collection("/campaigns").Get(1); e["name"] != "A" || e["status"] != "ACTIVE" {
		t.Fatalf("after batch update: %v", e)
	}

	bp, err := c.BatchPartialUpdate(ctx, restli.BatchPartialUpdateRequest{ResourcePath: "/campaigns", IDs: []any{2, 3},
		PatchSetObjects: []any{map[string]any{"status": "PAUSED"}, map[string]any{"status": "ARCHIVED"}}})
	if err != nil {
		t.Fatal(err)
	}
	if bp.Results["2"].Status != 204 || bp.Results["3"].Status != 204 || len(bp.Errors) != 0 {
		t.Fatalf("batch partial update = %+v %+v", bp.Results, bp.Errors)
	}
	if e, _ := srv.Collection("/campaigns").Get("3"); e["status"] != "ARCHIVED" || e["name"] != "c" {
		t.Fatalf("after batch partial update: %v", e)
	}

	bd, err := c.BatchDelete(ctx, restli.BatchDeleteRequest{ResourcePath: "/campaigns", IDs: []any{1, 42}})
	if err != nil {
		t.Fatal(err)
	}
	if bd.Results["1"].Status != 204 || bd.Results["42"].Status != 404 {
		t.Fatalf("batch delete = %+v", bd.Results)
	}
	if n := srv.Collection("/campaigns").Len(); n != 2 {
		t.Fatalf("%d entities left, want 2", n)
	}
	methods := map[restli.Method]bool{}
	for _, r := range srv.Requests() {
		methods[r.RestliMethod] = true
	}
	for _, m := range []restli.Method{restli.MethodBatchCreate, restli.MethodBatchGet, restli.MethodBatchUpdate, restli.MethodBatchPartialUpdate, restli.MethodBatchDelete} {
		if !methods[m] {
			t.Errorf("no %s recorded", m)
		}
	}
}

func TestUpdatePartialUpdateDelete(t *testing.T) {
	srv := newServer(t)
	srv.Seed("/adAccounts", 5, map[string]any{"id": 5, "name": "old", "note": "x"})
	c := srv.RestliClient()
	ctx := ctxT(t)
	key := map[string]any{"id": 5}

	u, err := c.Update(ctx, restli.UpdateRequest{ResourcePath: "/adAccounts/{id}", PathKeys: key, Entity: map[string]any{"id": 5, "name": "new"}})
	if err != nil || u.StatusCode != 204 {
		t.Fatalf("update = %v, %v", u, err)
	}
	if e, _ := srv.Collection("/adAccounts").Get(5); e["name"] != "new" || e["note"] != nil {
		t.Fatalf("update did not replace: %v", e)
	}
	_, err = c.Update(ctx, restli.UpdateRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": 6}, Entity: map[string]any{"name": "x"}})
	wantError(t, err, 404, restlitest.CodeNotFound)

	p, err := c.PartialUpdate(ctx, restli.PartialUpdateRequest{ResourcePath: "/adAccounts/{id}", PathKeys: key, PatchSetObject: map[string]any{"name": "patched"}})
	if err != nil || p.StatusCode != 204 {
		t.Fatalf("partial update = %v, %v", p, err)
	}
	p, err = c.PartialUpdate(ctx, restli.PartialUpdateRequest{ResourcePath: "/adAccounts/{id}", PathKeys: key,
		QueryParams: map[string]any{"$returnEntity": true}, PatchSetObject: map[string]any{"status": "ACTIVE"}})
	if err != nil || p.StatusCode != 200 || p.Entity["name"] != "patched" || p.Entity["status"] != "ACTIVE" {
		t.Fatalf("partial update with $returnEntity = %v, %v", p, err)
	}
	_, err = c.PartialUpdate(ctx, restli.PartialUpdateRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": 6}, PatchSetObject: map[string]any{"a": 1}})
	wantError(t, err, 404, restlitest.CodeNotFound)

	d, err := c.Delete(ctx, restli.DeleteRequest{ResourcePath: "/adAccounts/{id}", PathKeys: key})
	if err != nil || d.StatusCode != 204 {
		t.Fatalf("delete = %v, %v", d, err)
	}
	_, err = c.Delete(ctx, restli.DeleteRequest{ResourcePath: "/adAccounts/{id}", PathKeys: key})
	wantError(t, err, 404, restlitest.CodeNotFound)
}

func TestGetAll_PagesInInsertionOrderWithTotal(t *testing.T) {
	srv := newServer(t)
	for i := 1; i <= 25; i++ {
		srv.Seed("/adAccounts", i, map[string]any{"id": i})
	}
	c := srv.RestliClient()
	ctx := ctxT(t)
	r, err := c.GetAll(ctx, restli.GetAllRequest{ResourcePath: "/adAccounts"})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Elements) != 10 || r.Paging == nil || r.Paging.Start != 0 || r.Paging.Count != 10 || r.Paging.Total != 25 {
		t.Fatalf("default page: %d elements, paging %+v", len(r.Elements), r.Paging)
	}
	r, err = c.GetAll(ctx, restli.GetAllRequest{ResourcePath: "/adAccounts", QueryParams: map[string]any{"start": 20, "count": 10}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Elements) != 5 || num(t, r.Elements[0]["id"]) != 21 || r.Paging.Total != 25 {
		t.Fatalf("last page: %v %+v", r.Elements, r.Paging)
	}
	var ids []int
	for e, err := range restli.Pages[map[string]any](ctx, c, restli.GetAllRequest{ResourcePath: "/adAccounts", QueryParams: map[string]any{"count": 7}}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, num(t, e["id"]))
	}
	if len(ids) != 25 || !sort.IntsAreSorted(ids) {
		t.Fatalf("Pages gave %v", ids)
	}
	empty, err := c.GetAll(ctx, restli.GetAllRequest{ResourcePath: "/nothingHere"})
	if err != nil || len(empty.Elements) != 0 || empty.Paging.Total != 0 {
		t.Fatalf("empty collection = %+v, %v", empty, err)
	}
}

func TestFinder_DefaultRegisteredAndUnknown(t *testing.T) {
	srv := newServer(t)
	for i := 1; i <= 12; i++ {
		status := "ACTIVE"
		if i%3 == 0 {
			status = "PAUSED"
		}
		srv.Seed("/adAccounts", i, map[string]any{"id": i, "status": status, "name": fmt.Sprint("n", i)})
	}
	srv.HandleFinder("/adAccounts", "search", func(r *restlitest.Request, c *restlitest.Collection) ([]map[string]any, error) {
		want := r.Params["search"].(map[string]any)["status"].(map[string]any)["values"].([]any)
		var out []map[string]any
		for _, e := range c.All() {
			for _, w := range want {
				if e["status"] == w {
					out = append(out, e)
				}
			}
		}
		return out, nil
	})
	c := srv.RestliClient()
	ctx := ctxT(t)

	all, err := c.Finder(ctx, restli.FinderRequest{ResourcePath: "/adAccounts", FinderName: restlitest.DefaultFinder, QueryParams: map[string]any{"start": 10}})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Elements) != 2 || all.Paging.Total != 12 || all.Paging.Start != 10 {
		t.Fatalf("default finder: %d elements, %+v", len(all.Elements), all.Paging)
	}

	r, err := c.Finder(ctx, restli.FinderRequest{ResourcePath: "/adAccounts", FinderName: "search",
		QueryParams: map[string]any{"search": map[string]any{"status": map[string]any{"values": []any{"PAUSED"}}}, "count": 3, "fields": "id,status"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Elements) != 3 || r.Paging.Total != 4 || r.Paging.Count != 3 {
		t.Fatalf("search: %v %+v", r.Elements, r.Paging)
	}
	for _, e := range r.Elements {
		if e["status"] != "PAUSED" || e["name"] != nil {
			t.Fatalf("search element %v: wrong status or projection not applied", e)
		}
	}
	rec := lastRequest(t, srv)
	if rec.RestliMethod != restli.MethodFinder || rec.Params["q"] != "search" || rec.Params["fields"] != "id,status" || rec.Params["count"] != "3" {
		t.Fatalf("recorded %+v", rec)
	}

	_, err = c.Finder(ctx, restli.FinderRequest{ResourcePath: "/adAccounts", FinderName: "nope"})
	wantError(t, err, 400, restlitest.CodeIllegalArgument)
}

func TestFinder_ErrorFromFunc(t *testing.T) {
	srv := newServer(t)
	srv.HandleFinder("/x", "forbidden", func(*restlitest.Request, *restlitest.Collection) ([]map[string]any, error) {
		return nil, &restlitest.Error{Status: 403, Code: "ACCESS_DENIED", Message: "not allowed", ServiceErrorCode: 100}
	})
	srv.HandleFinder("/x", "plain", func(*restlitest.Request, *restlitest.Collection) ([]map[string]any, error) {
		return nil, errors.New("bad criteria")
	})
	c := srv.RestliClient()
	_, err := c.Finder(ctxT(t), restli.FinderRequest{ResourcePath: "/x", FinderName: "forbidden"})
	if e := wantError(t, err, 403, "ACCESS_DENIED"); e.ServiceErrorCode != 100 || e.Message != "not allowed" {
		t.Fatalf("error = %+v", e)
	}
	_, err = c.Finder(ctxT(t), restli.FinderRequest{ResourcePath: "/x", FinderName: "plain"})
	if e := wantError(t, err, 400, restlitest.CodeIllegalArgument); e.Message != "bad criteria" {
		t.Fatalf("error = %+v", e)
	}
}

func TestCursorFinder_NextPageToken(t *testing.T) {
	srv := newServer(t)
	for i := 1; i <= 23; i++ {
		srv.Seed("/adCampaigns", i, map[string]any{"id": i})
	}
	srv.HandleCursorFinder("/adCampaigns", "search", func(_ *restlitest.Request, c *restlitest.Collection) ([]map[string]any, error) {
		return c.All(), nil
	})
	c := srv.RestliClient()
	ctx := ctxT(t)
	var ids []int
	for e, err := range restli.CursorPages[map[string]any](ctx, c, restli.FinderRequest{ResourcePath: "/adCampaigns", FinderName: "search", QueryParams: map[string]any{"pageSize": 10}}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, num(t, e["id"]))
	}
	if len(ids) != 23 || ids[0] != 1 || ids[22] != 23 {
		t.Fatalf("cursor pages gave %v", ids)
	}
	if n := srv.Count(func(r restlitest.Request) bool { return r.RestliMethod == restli.MethodFinder }); n != 3 {
		t.Fatalf("%d finder requests, want 3", n)
	}
	_, err := c.Finder(ctx, restli.FinderRequest{ResourcePath: "/adCampaigns", FinderName: "search", QueryParams: map[string]any{"pageToken": "forged"}})
	wantError(t, err, 400, restlitest.CodeIllegalArgument)
}

func TestBatchFinder_PerCriterionResultsAndErrors(t *testing.T) {
	srv := newServer(t)
	for i, n := range []string{"A B", "C&D", "A B", "E"} {
		srv.Seed("/things", i+1, map[string]any{"id": i + 1, "name": n})
	}
	srv.HandleBatchFinder("/things", "byName", func(_ *restlitest.Request, crit map[string]any, c *restlitest.Collection) ([]map[string]any, error) {
		if crit["name"] == "boom" {
			return nil, &restlitest.Error{Status: 422, Code: "UNPROCESSABLE", Message: "boom"}
		}
		var out []map[string]any
		for _, e := range c.All() {
			if e["name"] == crit["name"] {
				out = append(out, e)
			}
		}
		return out, nil
	})
	r, err := srv.RestliClient().BatchFinder(ctxT(t), restli.BatchFinderRequest{ResourcePath: "/things", FinderName: "byName", CriteriaName: "criteria",
		Criteria: []any{map[string]any{"name": "A B"}, map[string]any{"name": "boom"}, map[string]any{"name": "C&D"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Results) != 3 {
		t.Fatalf("%d results", len(r.Results))
	}
	if got := r.Results[0]; got.IsError || len(got.Elements) != 2 || got.Paging == nil || got.Paging.Total != 2 {
		t.Errorf("criterion 0 = %+v", got)
	}
	if got := r.Results[1]; !got.IsError || got.Error == nil || got.Error.StatusCode != 422 || len(got.Elements) != 0 {
		t.Errorf("criterion 1 = %+v", got)
	}
	if got := r.Results[2]; len(got.Elements) != 1 || got.Elements[0]["name"] != "C&D" {
		t.Errorf("criterion 2 = %+v", got)
	}
	// A criteria parameter with another name is found too.
	r, err = srv.RestliClient().BatchFinder(ctxT(t), restli.BatchFinderRequest{ResourcePath: "/things", FinderName: "byName", CriteriaName: "searchCriteria",
		Criteria: []any{map[string]any{"name": "E"}}})
	if err != nil || len(r.Results) != 1 || len(r.Results[0].Elements) != 1 {
		t.Fatalf("batch finder with searchCriteria = %+v, %v", r, err)
	}
	_, err = srv.RestliClient().BatchFinder(ctxT(t), restli.BatchFinderRequest{ResourcePath: "/things", FinderName: "nope", CriteriaName: "criteria", Criteria: []any{}})
	wantError(t, err, 400, restlitest.CodeIllegalArgument)
}

func TestAction_ValueVoidKeyedAndErrors(t *testing.T) {
	srv := newServer(t)
	srv.Seed("/adAccounts", 9, map[string]any{"id": 9, "status": "ACTIVE"})
	srv.HandleAction("/adAccounts", "echo", func(_ *restlitest.Request, p map[string]any, _ *restlitest.Collection) (any, error) {
		return p["message"], nil
	})
	srv.HandleAction("/adAccounts", "pause", func(r *restlitest.Request, _ map[string]any, c *restlitest.Collection) (any, error) {
		if len(r.Keys) != 1 {
			return nil, errors.New("pause needs a key")
		}
		e, ok := c.Get(r.Keys[0])
		if !ok {
			return nil, &restlitest.Error{Status: 404, Code: "NOT_FOUND", Message: "no account"}
		}
		e["status"] = "PAUSED"
		c.Seed(r.Keys[0], e)
		return nil, nil
	})
	c := srv.RestliClient()
	ctx := ctxT(t)
	a, err := c.Action(ctx, restli.ActionRequest{ResourcePath: "/adAccounts", ActionName: "echo", ActionParams: map[string]any{"message": "hello"}})
	if err != nil || a.StatusCode != 200 || a.Value != "hello" {
		t.Fatalf("echo = %+v, %v", a, err)
	}
	a, err = c.Action(ctx, restli.ActionRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": 9}, ActionName: "pause"})
	if err != nil || a.StatusCode != 200 || a.Value != nil {
		t.Fatalf("void action = %+v, %v", a, err)
	}
	if e, _ := srv.Collection("/adAccounts").Get(9); e["status"] != "PAUSED" {
		t.Fatalf("void action did not run: %v", e)
	}
	if r := lastRequest(t, srv); len(r.Body) != 2 || r.RestliMethod != restli.MethodAction {
		t.Fatalf("recorded action %+v body %q", r, r.Body)
	}
	_, err = c.Action(ctx, restli.ActionRequest{ResourcePath: "/adAccounts", ActionName: "pause"})
	wantError(t, err, 400, restlitest.CodeIllegalArgument)
	_, err = c.Action(ctx, restli.ActionRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": 10}, ActionName: "pause"})
	wantError(t, err, 404, "NOT_FOUND")
	_, err = c.Action(ctx, restli.ActionRequest{ResourcePath: "/adAccounts", ActionName: "missing"})
	wantError(t, err, 400, restlitest.CodeIllegalArgument)
}

func TestSimpleResource_Singleton(t *testing.T) {
	srv := newServer(t)
	c := srv.RestliClient(restli.WithBaseURL(srv.URL + "/v2"))
	ctx := ctxT(t)
	_, err := c.Get(ctx, restli.GetRequest{ResourcePath: "/me"})
	wantError(t, err, 404, restlitest.CodeNotFound)
	srv.Seed("/me", nil, map[string]any{"localizedFirstName": "Ada", "id": "abc"})
	g, err := c.Get(ctx, restli.GetRequest{ResourcePath: "/me", QueryParams: map[string]any{"projection": "(localizedFirstName)"}})
	if err != nil || !reflect.DeepEqual(g.Entity, map[string]any{"localizedFirstName": "Ada"}) {
		t.Fatalf("get /me = %+v, %v", g, err)
	}
	if _, err := c.PartialUpdate(ctx, restli.PartialUpdateRequest{ResourcePath: "/me", PatchSetObject: map[string]any{"headline": "x"}}); err != nil {
		t.Fatal(err)
	}
	if e, _ := srv.Collection("/me").Get(nil); e["headline"] != "x" || e["id"] != "abc" {
		t.Fatalf("after partial update: %v", e)
	}
	if _, err := c.Update(ctx, restli.UpdateRequest{ResourcePath: "/me", Entity: map[string]any{"id": "new"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Delete(ctx, restli.DeleteRequest{ResourcePath: "/me"}); err != nil {
		t.Fatal(err)
	}
	if _, ok := srv.Collection("/me").Get(nil); ok {
		t.Fatal("singleton still there after DELETE")
	}
}

func TestSubResources_ParentKeysSeparateCollections(t *testing.T) {
	srv := newServer(t)
	c := srv.RestliClient()
	ctx := ctxT(t)
	for _, parent := range []string{"urn:li:person:1", "urn:li:person:2"} {
		_, err := c.Create(ctx, restli.CreateRequest{ResourcePath: "/people/{p}/notes", PathKeys: map[string]any{"p": parent}, Entity: map[string]any{"text": parent}})
		if err != nil {
			t.Fatal(err)
		}
	}
	g, err := c.Get(ctx, restli.GetRequest{ResourcePath: "/people/{p}/notes/{n}", PathKeys: map[string]any{"p": "urn:li:person:2", "n": 1}})
	if err != nil || g.Entity["text"] != "urn:li:person:2" {
		t.Fatalf("get = %+v, %v", g, err)
	}
	if n := srv.Collection("/people/urn:li:person:1/notes").Len(); n != 1 {
		t.Fatalf("collection of person 1 has %d entities", n)
	}
	rec := lastRequest(t, srv)
	if rec.Resource != "/people/urn%3Ali%3Aperson%3A2/notes" || !reflect.DeepEqual(rec.ParentKeys, []any{"urn:li:person:2"}) || !reflect.DeepEqual(rec.Keys, []any{"1"}) {
		t.Fatalf("recorded resource %q parents %v keys %v", rec.Resource, rec.ParentKeys, rec.Keys)
	}
	// A finder registered on a template serves every parent.
	srv.HandleFinder("/people/{p}/notes", "mine", func(r *restlitest.Request, c *restlitest.Collection) ([]map[string]any, error) {
		return c.All(), nil
	})
	f, err := c.Finder(ctx, restli.FinderRequest{ResourcePath: "/people/{p}/notes", PathKeys: map[string]any{"p": "urn:li:person:1"}, FinderName: "mine"})
	if err != nil || len(f.Elements) != 1 || f.Elements[0]["text"] != "urn:li:person:1" {
		t.Fatalf("template finder = %+v, %v", f, err)
	}
}

func TestProjection_FieldsNestedAndNegative(t *testing.T) {
	srv := newServer(t)
	srv.Seed("/x", 1, map[string]any{"id": 1, "name": "n", "owner": map[string]any{"id": "o", "email": "e"},
		"list": []any{map[string]any{"a": 1, "b": 2}}, "m": map[string]any{"k1": map[string]any{"v": 1, "w": 2}}})
	c := srv.RestliClient()
	for _, tc := range []struct {
		fields string
		want   string
	}{
		{"id,owner:(id)", `map[id:1 owner:map[id:o]]`},
		{"-owner,-list,-m", `map[id:1 name:n]`},
		{"list:(b)", `map[list:[map[b:2]]]`},
		{"m:($*:(w))", `map[m:map[k1:map[w:2]]]`},
	} {
		g, err := c.Get(ctxT(t), restli.GetRequest{ResourcePath: "/x/{id}", PathKeys: map[string]any{"id": 1}, QueryParams: map[string]any{"fields": tc.fields}})
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(g.Entity); got != tc.want {
			t.Errorf("fields=%s: %s, want %s", tc.fields, got, tc.want)
		}
	}
	g, err := c.Get(ctxT(t), restli.GetRequest{ResourcePath: "/x/{id}", PathKeys: map[string]any{"id": 1}, QueryParams: map[string]any{"projection": "(id,owner~(email))"}})
	if err != nil || fmt.Sprint(g.Entity) != `map[id:1 owner:map[email:e]]` {
		t.Fatalf("projection = %v, %v", g.Entity, err)
	}
	_, err = c.Get(ctxT(t), restli.GetRequest{ResourcePath: "/x/{id}", PathKeys: map[string]any{"id": 1}, QueryParams: map[string]any{"fields": "id,owner:(id"}})
	wantError(t, err, 400, restlitest.CodeIllegalArgument)
}

func TestV2AndRestServeTheSameData(t *testing.T) {
	srv := newServer(t)
	srv.Seed("/organizations", 1, map[string]any{"id": 1})
	for _, base := range []string{srv.URL + "/rest", srv.URL + "/v2"} {
		g, err := srv.RestliClient(restli.WithBaseURL(base)).Get(ctxT(t), restli.GetRequest{ResourcePath: "/organizations/{id}", PathKeys: map[string]any{"id": 1}})
		if err != nil || num(t, g.Entity["id"]) != 1 {
			t.Fatalf("%s: %v, %v", base, g, err)
		}
	}
	if !strings.HasPrefix(lastRequest(t, srv).Path, "/v2/") {
		t.Fatal("last request not under /v2")
	}
}

// The server's handler also works in-process, without the network.
func TestServeHTTP_InProcess(t *testing.T) {
	srv := newServer(t)
	srv.Seed("/things", 1, map[string]any{"a": 1})
	req := httptest.NewRequest("GET", "/rest/things?ids=List(1,2)", nil)
	for k, v := range restliHeader(srv, restli.MethodBatchGet) {
		req.Header[k] = v
	}
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, req)
	want := `{"errors":{"2":{"code":"NOT_FOUND","message":"Requested entity not found","serviceErrorCode":404,"status":404}},"results":{"1":{"a":1}},"statuses":{}}`
	if w.Code != 200 || w.Body.String() != want {
		t.Fatalf("%d %s\nwant %s", w.Code, w.Body, want)
	}
}
