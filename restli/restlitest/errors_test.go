package restlitest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
)

func TestProtocolErrors_400WithLinkedInErrorBody(t *testing.T) {
	srv := newServer(t)
	srv.Seed("/things", 1, map[string]any{"a": 1})
	c := rawClient(t)
	jsonHeader := func(m restli.Method) http.Header {
		h := restliHeader(srv, m)
		h.Set("Content-Type", "application/json")
		return h
	}
	noProto := restliHeader(srv, restli.MethodGet)
	noProto.Del("X-RestLi-Protocol-Version")
	oldProto := restliHeader(srv, restli.MethodGet)
	oldProto.Set("X-RestLi-Protocol-Version", "1.0.0")
	noVersion := restliHeader(srv, restli.MethodGet)
	noVersion.Del("LinkedIn-Version")

	for _, tc := range []struct {
		name, method, path string
		h                  http.Header
		body, code         string
	}{
		{"missing protocol header", "GET", "/rest/things/1", noProto, "", restlitest.CodeProtocolVersion},
		{"protocol 1.0", "GET", "/rest/things/1", oldProto, "", restlitest.CodeProtocolVersion},
		{"missing version on /rest", "GET", "/rest/things/1", noVersion, "", restlitest.CodeVersionMissing},
		{"path key not UTF-8", "GET", "/rest/things/a%FF", restliHeader(srv, restli.MethodGet), "", restlitest.CodeIllegalArgument},
		{"compound path key not UTF-8", "GET", "/rest/things/(a:%FF)", restliHeader(srv, restli.MethodGet), "", restlitest.CodeIllegalArgument},
		{"bad compound path key", "GET", "/rest/things/(a:1", restliHeader(srv, restli.MethodGet), "", restlitest.CodeIllegalArgument},
		{"bad query value", "GET", "/rest/things?ids=List(1", restliHeader(srv, restli.MethodBatchGet), "", restlitest.CodeIllegalArgument},
		{"bad escape in query", "GET", "/rest/things?q=a%4", restliHeader(srv, restli.MethodFinder), "", restlitest.CodeIllegalArgument},
		{"repeated param", "GET", "/rest/things?q=all&q=all", restliHeader(srv, restli.MethodFinder), "", restlitest.CodeIllegalArgument},
		{"empty param value", "GET", "/rest/things?q=all&start", restliHeader(srv, restli.MethodFinder), "", restlitest.CodeIllegalArgument},
		{"unknown method", "GET", "/rest/things/1", restliHeader(srv, "fetch"), "", restlitest.CodeInvalidMethod},
		{"method does not fit verb", "GET", "/rest/things", restliHeader(srv, restli.MethodCreate), "", restlitest.CodeInvalidMethod},
		{"batch get without ids", "GET", "/rest/things", restliHeader(srv, restli.MethodBatchGet), "", restlitest.CodeInvalidMethod},
		{"get with ids and key", "GET", "/rest/things/1?ids=List(1)", restliHeader(srv, restli.MethodGet), "", restlitest.CodeInvalidMethod},
		{"finder without q", "GET", "/rest/things", restliHeader(srv, restli.MethodFinder), "", restlitest.CodeInvalidMethod},
		{"action on GET", "GET", "/rest/things?action=x", restliHeader(srv, ""), "", restlitest.CodeInvalidMethod},
		{"HTTP PATCH", "PATCH", "/rest/things/1", restliHeader(srv, ""), "{}", restlitest.CodeInvalidMethod},
		{"create body not JSON", "POST", "/rest/things", jsonHeader(restli.MethodCreate), "nope", restlitest.CodeInvalidBody},
		{"create body an array", "POST", "/rest/things", jsonHeader(restli.MethodCreate), "[1]", restlitest.CodeInvalidBody},
		{"batch create without elements", "POST", "/rest/things", jsonHeader(restli.MethodBatchCreate), `{"x":[]}`, restlitest.CodeInvalidBody},
		{"batch create element not an object", "POST", "/rest/things", jsonHeader(restli.MethodBatchCreate), `{"elements":[1]}`, restlitest.CodeInvalidBody},
		{"batch update without entities", "PUT", "/rest/things?ids=List(1)", jsonHeader(restli.MethodBatchUpdate), `{}`, restlitest.CodeInvalidBody},
		{"batch update missing an id", "PUT", "/rest/things?ids=List(1,2)", jsonHeader(restli.MethodBatchUpdate), `{"entities":{"1":{}}}`, restlitest.CodeInvalidBody},
		{"update body not an object", "PUT", "/rest/things/1", jsonHeader(restli.MethodUpdate), `"x"`, restlitest.CodeInvalidBody},
		{"create id not a key", "POST", "/rest/things", jsonHeader(restli.MethodCreate), `{"id":[1]}`, restlitest.CodeInvalidBody},
		{"negative start", "GET", "/rest/things?start=-1", restliHeader(srv, restli.MethodGetAll), "", restlitest.CodeIllegalArgument},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, c, tc.method, srv.URL+tc.path, tc.h, tc.body)
			if r.status != 400 {
				t.Fatalf("status %d, want 400: %s", r.status, r.body)
			}
			e := r.errorBody(t)
			if e["code"] != tc.code || num(t, e["status"]) != 400 || e["message"] == "" || e["serviceErrorCode"] == nil {
				t.Fatalf("error body %s, want code %s", r.body, tc.code)
			}
			if r.header.Get("X-RestLi-Error-Response") != "true" || r.header.Get("Content-Type") != "application/json" || r.header.Get("X-RestLi-Protocol-Version") != "2.0.0" {
				t.Fatalf("headers %v", r.header)
			}
			if rec := lastRequest(t, srv); rec.Status != 400 || rec.ErrorCode != tc.code {
				t.Fatalf("recorded status %d code %q", rec.Status, rec.ErrorCode)
			}
		})
	}
	if e, _ := srv.Collection("/things").Get(1); e == nil || srv.Collection("/things").Len() != 1 {
		t.Fatal("a rejected request changed the data")
	}
}

func TestAuth_401AndTokenNeverEchoed(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	srv := newServer(t, restlitest.WithClock(func() time.Time { return now }), restlitest.WithTokenTTL(time.Hour), restlitest.WithToken("CANARY-TOKEN-123"))
	srv.Seed("/things", 1, map[string]any{"a": 1})
	c := rawClient(t)
	check := func(name string, h http.Header) {
		t.Helper()
		r := do(t, c, "GET", srv.URL+"/rest/things/1", h, "")
		if r.status != 401 {
			t.Fatalf("%s: status %d", name, r.status)
		}
		want := `{"code":"INVALID_ACCESS_TOKEN","message":"Invalid access token","serviceErrorCode":65600,"status":401}`
		if string(r.body) != want || r.header.Get("X-RestLi-Error-Response") != "true" {
			t.Fatalf("%s: body %s", name, r.body)
		}
	}
	h := restliHeader(srv, restli.MethodGet)
	h.Del("Authorization")
	check("no token", h)
	h.Set("Authorization", "Bearer unknown-token")
	check("unknown token", h)
	h.Set("Authorization", "Basic "+srv.Token())
	check("wrong scheme", h)

	if r := do(t, c, "GET", srv.URL+"/rest/things/1", restliHeader(srv, restli.MethodGet), ""); r.status != 200 {
		t.Fatalf("valid token: %d", r.status)
	}
	if g, err := srv.RestliClient().Get(ctxT(t), restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": 1}}); err != nil || g.StatusCode != 200 {
		t.Fatalf("through the stack: %v", err)
	}
	srv.Advance(time.Hour)
	check("expired token", restliHeader(srv, restli.MethodGet))
	_, err := srv.RestliClient().Get(ctxT(t), restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": 1}})
	wantError(t, err, 401, restlitest.CodeInvalidAccessToken)
	if !restli.IsUnauthorized(err) {
		t.Fatal("IsUnauthorized is false")
	}

	tok := srv.IssueToken(time.Minute)
	h = restliHeader(srv, restli.MethodGet)
	h.Set("Authorization", "Bearer "+tok)
	if r := do(t, c, "GET", srv.URL+"/rest/things/1", h, ""); r.status != 200 {
		t.Fatalf("issued token: %d", r.status)
	}
	srv.RevokeToken(tok)
	check("revoked token", h)

	for _, r := range srv.Requests() {
		for k, vs := range r.Header {
			for _, v := range vs {
				if strings.Contains(v, "CANARY") || strings.Contains(v, tok) {
					t.Fatalf("recorded header %s leaks the token: %q", k, v)
				}
			}
		}
		if r.Header.Get("Authorization") != "" && r.Header.Get("Authorization") != "Bearer REDACTED" && r.Header.Get("Authorization") != "Basic REDACTED" {
			t.Fatalf("Authorization recorded as %q", r.Header.Get("Authorization"))
		}
	}
}

func TestWithoutAuth(t *testing.T) {
	srv := newServer(t, restlitest.WithoutAuth())
	h := restliHeader(srv, restli.MethodGetAll)
	h.Del("Authorization")
	if r := do(t, rawClient(t), "GET", srv.URL+"/rest/things", h, ""); r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
}

func TestVersions_426ForUnknownVersion(t *testing.T) {
	srv := newServer(t, restlitest.WithVersions("202601", "202605"))
	c := srv.RestliClient()
	for _, v := range []string{"202601", "202605"} {
		if _, err := c.GetAll(ctxT(t), restli.GetAllRequest{ResourcePath: "/things", Version: v}); err != nil {
			t.Fatalf("version %s: %v", v, err)
		}
	}
	_, err := c.GetAll(ctxT(t), restli.GetAllRequest{ResourcePath: "/things", Version: "202401"})
	e := wantError(t, err, 426, restlitest.CodeNonexistentVersion)
	if !restli.IsVersionSunset(err) || !strings.Contains(e.Message, "202401") {
		t.Fatalf("error %+v", e)
	}
	// /v2 is not versioned.
	if _, err := srv.RestliClient(restli.WithBaseURL(srv.URL+"/v2"), restli.WithVersion("")).GetAll(ctxT(t), restli.GetAllRequest{ResourcePath: "/things"}); err != nil {
		t.Fatalf("/v2: %v", err)
	}
}

func TestBodyTooLarge_413(t *testing.T) {
	srv := newServer(t, restlitest.WithMaxBodyBytes(1000))
	h := restliHeader(srv, restli.MethodCreate)
	h.Set("Content-Type", "application/json")
	r := do(t, rawClient(t), "POST", srv.URL+"/rest/things", h, `{"a":"`+strings.Repeat("x", 2000)+`"}`)
	if r.status != 413 || r.errorBody(t)["code"] != restlitest.CodeRequestTooLarge {
		t.Fatalf("status %d %s", r.status, r.body)
	}
	if srv.Collection("/things").Len() != 0 {
		t.Fatal("the oversized create was applied")
	}
}

func TestUnknownPath_404(t *testing.T) {
	srv := newServer(t)
	for _, p := range []string{"/", "/rest", "/restful/x", "/api/things"} {
		if r := do(t, rawClient(t), "GET", srv.URL+p, restliHeader(srv, ""), ""); r.status != 404 {
			t.Errorf("%s: %d", p, r.status)
		}
	}
}

// Without X-RestLi-Method the method is inferred from the request's shape.
func TestMethodInference_WithoutHeader(t *testing.T) {
	srv := newServer(t)
	srv.Seed("/things", 1, map[string]any{"a": 1})
	srv.Seed("/me", nil, map[string]any{"me": true})
	c := rawClient(t)
	h := restliHeader(srv, "")
	hb := restliHeader(srv, "")
	hb.Set("Content-Type", "application/json")
	for _, tc := range []struct {
		method, path, body string
		want               restli.Method
		status             int
	}{
		{"GET", "/rest/things/1", "", restli.MethodGet, 200},
		{"GET", "/rest/things?ids=List(1)", "", restli.MethodBatchGet, 200},
		{"GET", "/rest/things", "", restli.MethodGetAll, 200},
		{"GET", "/rest/me", "", restli.MethodGet, 200},
		{"GET", "/rest/things?q=all", "", restli.MethodFinder, 200},
		{"POST", "/rest/things", `{"a":2}`, restli.MethodCreate, 201},
		{"POST", "/rest/things/1", `{"patch":{"$set":{"b":1}}}`, restli.MethodPartialUpdate, 204},
		{"PUT", "/rest/things/1", `{"a":3}`, restli.MethodUpdate, 204},
		{"PUT", "/rest/things?ids=List(1)", `{"entities":{"1":{"a":4}}}`, restli.MethodBatchUpdate, 200},
		{"DELETE", "/rest/things?ids=List(2)", "", restli.MethodBatchDelete, 200},
		{"DELETE", "/rest/things/1", "", restli.MethodDelete, 204},
	} {
		hh := h
		if tc.body != "" {
			hh = hb
		}
		r := do(t, c, tc.method, srv.URL+tc.path, hh, tc.body)
		rec := lastRequest(t, srv)
		if r.status != tc.status || rec.RestliMethod != tc.want {
			t.Errorf("%s %s: %d %s, want %d %s (%s)", tc.method, tc.path, r.status, rec.RestliMethod, tc.status, tc.want, r.body)
		}
	}
}
