// Tests of the Client's methods against an httptest server.

package restli_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/linkedin-go/linkedin/restli"
)

const canary = "CANARY-SECRET-7f3a9"

func TestNewHTTPRequest_MethodShapes(t *testing.T) {
	base := "https://api.test/rest"
	tests := []struct {
		name       string
		req        restli.Request
		httpMethod string
		url        string
		body       string
	}{
		{"get", restli.GetRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": 123}},
			"GET", base + "/adAccounts/123", ""},
		{"get urn key", restli.GetRequest{ResourcePath: "/posts/{id}", PathKeys: map[string]any{"id": "urn:li:share:7"}},
			"GET", base + "/posts/urn%3Ali%3Ashare%3A7", ""},
		{"get compound key", restli.GetRequest{ResourcePath: "/adAccountUsers/{key}", PathKeys: map[string]any{"key": map[string]any{"user": "urn:li:person:X", "account": "urn:li:sponsoredAccount:9"}}},
			"GET", base + "/adAccountUsers/(account:urn%3Ali%3AsponsoredAccount%3A9,user:urn%3Ali%3Aperson%3AX)", ""},
		{"batch get", restli.BatchGetRequest{ResourcePath: "/adAccounts", IDs: []any{"urn:li:sponsoredAccount:1", "urn:li:sponsoredAccount:2"}},
			"GET", base + "/adAccounts?ids=List(urn%3Ali%3AsponsoredAccount%3A1,urn%3Ali%3AsponsoredAccount%3A2)", ""},
		{"get all", restli.GetAllRequest{ResourcePath: "/adAccounts", QueryParams: map[string]any{"start": 0, "count": 5}},
			"GET", base + "/adAccounts?count=5&start=0", ""},
		{"finder", restli.FinderRequest{ResourcePath: "/adAccounts", FinderName: "search",
			QueryParams: map[string]any{"search": map[string]any{"reference": map[string]any{"values": []any{"urn:li:organization:42"}}}, "start": 0, "count": 10}},
			"GET", base + "/adAccounts?count=10&q=search&search=(reference:(values:List(urn%3Ali%3Aorganization%3A42)))&start=0", ""},
		{"finder with projection", restli.FinderRequest{ResourcePath: "/adAccounts", FinderName: "search", QueryParams: map[string]any{"fields": "id,name,owner:(id)"}},
			"GET", base + "/adAccounts?fields=id,name,owner:(id)&q=search", ""},
		{"batch finder", restli.BatchFinderRequest{ResourcePath: "/things", FinderName: "criteriaFinder", CriteriaName: "criteria",
			Criteria: []any{map[string]any{"name": "A B"}, map[string]any{"name": "C&D"}}},
			"GET", base + "/things?bq=criteriaFinder&criteria=List((name:A%20B),(name:C%26D))", ""},
		{"create", restli.CreateRequest{ResourcePath: "/adAccounts", Entity: map[string]any{"name": "x"}},
			"POST", base + "/adAccounts", `{"name":"x"}`},
		{"batch create", restli.BatchCreateRequest{ResourcePath: "/adAccounts", Entities: []any{map[string]any{"name": "x"}, map[string]any{"name": "y"}}},
			"POST", base + "/adAccounts", `{"elements":[{"name":"x"},{"name":"y"}]}`},
		{"update", restli.UpdateRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": 1}, Entity: map[string]any{"name": "x"}},
			"PUT", base + "/adAccounts/1", `{"name":"x"}`},
		{"batch update urn keys raw in body", restli.BatchUpdateRequest{ResourcePath: "/posts", IDs: []any{"urn:li:share:1", "urn:li:share:2"},
			Entities: []any{map[string]any{"a": 1}, map[string]any{"a": 2}}},
			"PUT", base + "/posts?ids=List(urn%3Ali%3Ashare%3A1,urn%3Ali%3Ashare%3A2)", `{"entities":{"urn:li:share:1":{"a":1},"urn:li:share:2":{"a":2}}}`},
		{"batch update compound keys reduced in body", restli.BatchUpdateRequest{ResourcePath: "/follows", IDs: []any{map[string]any{"a": "x y", "b": "1"}},
			Entities: []any{map[string]any{"v": 1}}},
			"PUT", base + "/follows?ids=List((a:x%20y,b:1))", `{"entities":{"(a:x y,b:1)":{"v":1}}}`},
		{"partial update set", restli.PartialUpdateRequest{ResourcePath: "/adCampaignGroups/{id}", PathKeys: map[string]any{"id": 11}, PatchSetObject: map[string]any{"status": "ACTIVE"}},
			"POST", base + "/adCampaignGroups/11", `{"patch":{"$set":{"status":"ACTIVE"}}}`},
		{"partial update diff", restli.PartialUpdateRequest{ResourcePath: "/x/{id}", PathKeys: map[string]any{"id": 1},
			OriginalEntity: map[string]any{"name": "Old", "note": "n", "address": map[string]any{"zip": "1"}},
			ModifiedEntity: map[string]any{"name": "New", "address": map[string]any{"zip": "94086"}}},
			"POST", base + "/x/1", `{"patch":{"$set":{"name":"New"},"$delete":["note"],"address":{"$set":{"zip":"94086"}}}}`},
		{"batch partial update", restli.BatchPartialUpdateRequest{ResourcePath: "/adCampaignGroups", IDs: []any{11, 22},
			PatchSetObjects: []any{map[string]any{"status": "ACTIVE"}, map[string]any{"status": "PAUSED"}}},
			"POST", base + "/adCampaignGroups?ids=List(11,22)", `{"entities":{"11":{"patch":{"$set":{"status":"ACTIVE"}}},"22":{"patch":{"$set":{"status":"PAUSED"}}}}}`},
		{"delete", restli.DeleteRequest{ResourcePath: "/adAccountUsers/{key}", PathKeys: map[string]any{"key": map[string]any{"account": "urn:li:sponsoredAccount:9", "user": "urn:li:person:X"}}},
			"DELETE", base + "/adAccountUsers/(account:urn%3Ali%3AsponsoredAccount%3A9,user:urn%3Ali%3Aperson%3AX)", ""},
		{"batch delete", restli.BatchDeleteRequest{ResourcePath: "/adAccounts", IDs: []any{1, 2}},
			"DELETE", base + "/adAccounts?ids=List(1,2)", ""},
		{"action", restli.ActionRequest{ResourcePath: "/media", ActionName: "registerUpload", ActionParams: map[string]any{"owner": "urn:li:person:1"}},
			"POST", base + "/media?action=registerUpload", `{"owner":"urn:li:person:1"}`},
		{"action without params", restli.ActionRequest{ResourcePath: "/media/{id}", PathKeys: map[string]any{"id": "a/b"}, ActionName: "ping"},
			"POST", base + "/media/a%2Fb?action=ping", `{}`},
		{"sub-resource", restli.GetRequest{ResourcePath: "/parents/{p}/children/{c}", PathKeys: map[string]any{"p": "a b", "c": 2}},
			"GET", base + "/parents/a%20b/children/2", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := restli.NewHTTPRequest(context.Background(), tt.req, restli.WithBaseURL(base), restli.WithVersion("202601"))
			if err != nil {
				t.Fatalf("NewHTTPRequest: %v", err)
			}
			if req.Method != tt.httpMethod {
				t.Errorf("method = %s, want %s", req.Method, tt.httpMethod)
			}
			if got := req.URL.String(); got != tt.url {
				t.Errorf("url:\n got %s\nwant %s", got, tt.url)
			}
			m := tt.req.RestliMethod()
			wantHeaders := map[string]string{
				"X-RestLi-Method":           string(m),
				"X-RestLi-Protocol-Version": "2.0.0",
				"LinkedIn-Version":          "202601",
				"Accept":                    "application/json",
			}
			if tt.body != "" {
				wantHeaders["Content-Type"] = "application/json"
			}
			for k, v := range wantHeaders {
				if got := req.Header.Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
			var body []byte
			if req.Body != nil {
				body, _ = io.ReadAll(req.Body)
			}
			if !jsonEqual(body, []byte(tt.body)) {
				t.Errorf("body:\n got %s\nwant %s", body, tt.body)
			}
			if tt.body != "" {
				if req.GetBody == nil || req.ContentLength != int64(len(body)) {
					t.Errorf("GetBody/ContentLength not set for a replayable body")
				}
			}
			info, ok := restli.CallInfoFromContext(req.Context())
			if !ok {
				t.Fatal("no CallInfo in the request context")
			}
			want := restli.CallInfo{Method: m, Resource: reflect.ValueOf(tt.req).FieldByName("ResourcePath").String(), Version: "202601", Idempotent: m.Idempotent()}
			switch r := tt.req.(type) {
			case restli.FinderRequest:
				want.Finder = r.FinderName
			case restli.BatchFinderRequest:
				want.Finder = r.FinderName
			case restli.ActionRequest:
				want.Action = r.ActionName
			}
			if info != want {
				t.Errorf("CallInfo = %+v, want %+v", info, want)
			}
		})
	}
}

func TestNewHTTPRequest_Validation(t *testing.T) {
	tests := []struct {
		name  string
		req   restli.Request
		field string
	}{
		{"no leading slash", restli.GetRequest{ResourcePath: "adAccounts"}, "ResourcePath"},
		{"missing key", restli.GetRequest{ResourcePath: "/a/{id}"}, "PathKeys"},
		{"unused key", restli.GetRequest{ResourcePath: "/a", PathKeys: map[string]any{"id": 1}}, "PathKeys"},
		{"unclosed placeholder", restli.GetRequest{ResourcePath: "/a/{id", PathKeys: map[string]any{"id": 1}}, "ResourcePath"},
		{"raw query in path", restli.GetRequest{ResourcePath: "/a?x=1"}, "ResourcePath"},
		{"nil key", restli.GetRequest{ResourcePath: "/a/{id}", PathKeys: map[string]any{"id": nil}}, "PathKeys[id]"},
		{"empty simple key", restli.GetRequest{ResourcePath: "/a/{id}", PathKeys: map[string]any{"id": ""}}, "PathKeys[id]"},
		{"unencodable key", restli.GetRequest{ResourcePath: "/a/{id}", PathKeys: map[string]any{"id": make(chan int)}}, "PathKeys[id]"},
		{"reserved q", restli.FinderRequest{ResourcePath: "/a", FinderName: "x", QueryParams: map[string]any{"q": "y"}}, "QueryParams"},
		{"reserved ids", restli.GetAllRequest{ResourcePath: "/a", QueryParams: map[string]any{"ids": []any{1}}}, "QueryParams"},
		{"criteria clash", restli.BatchFinderRequest{ResourcePath: "/a", FinderName: "f", CriteriaName: "c", Criteria: []any{}, QueryParams: map[string]any{"c": 1}}, "QueryParams"},
		{"bad param", restli.GetAllRequest{ResourcePath: "/a", QueryParams: map[string]any{"x": func() {}}}, "QueryParams"},
		{"no finder", restli.FinderRequest{ResourcePath: "/a"}, "FinderName"},
		{"no criteria name", restli.BatchFinderRequest{ResourcePath: "/a", FinderName: "f", Criteria: []any{}}, "CriteriaName"},
		{"criteria named bq", restli.BatchFinderRequest{ResourcePath: "/a", FinderName: "f", CriteriaName: "bq", Criteria: []any{}}, "CriteriaName"},
		{"criteria named q", restli.BatchFinderRequest{ResourcePath: "/a", FinderName: "f", CriteriaName: "q", Criteria: []any{}}, "CriteriaName"},
		{"nil ids", restli.BatchGetRequest{ResourcePath: "/a"}, "IDs"},
		{"nil id", restli.BatchDeleteRequest{ResourcePath: "/a", IDs: []any{1, nil}}, "IDs[1]"},
		{"nil entity", restli.CreateRequest{ResourcePath: "/a"}, "Entity"},
		{"nil batch entity", restli.BatchCreateRequest{ResourcePath: "/a", Entities: []any{nil}}, "Entities[0]"},
		{"entities mismatch", restli.BatchUpdateRequest{ResourcePath: "/a", IDs: []any{1, 2}, Entities: []any{map[string]any{}}}, "Entities"},
		{"duplicate batch key", restli.BatchUpdateRequest{ResourcePath: "/a", IDs: []any{1, 1}, Entities: []any{map[string]any{}, map[string]any{}}}, "IDs[1]"},
		{"no patch", restli.PartialUpdateRequest{ResourcePath: "/a/{id}", PathKeys: map[string]any{"id": 1}}, "PatchSetObject"},
		{"patch not object", restli.PartialUpdateRequest{ResourcePath: "/a/{id}", PathKeys: map[string]any{"id": 1}, PatchSetObject: 5}, "PatchSetObject"},
		{"batch patch mismatch", restli.BatchPartialUpdateRequest{ResourcePath: "/a", IDs: []any{1}, PatchSetObjects: []any{}}, "PatchSetObjects"},
		{"no action", restli.ActionRequest{ResourcePath: "/a"}, "ActionName"},
		{"unmarshalable entity", restli.CreateRequest{ResourcePath: "/a", Entity: map[string]any{"f": func() {}}}, "body"},
		{"token with newline", restli.GetRequest{ResourcePath: "/a", AccessToken: canary + "\r\nX: y"}, "AccessToken"},
		{"version with newline", restli.GetRequest{ResourcePath: "/a", Version: "2026\n01"}, "Version"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := restli.NewHTTPRequest(context.Background(), tt.req)
			var ve *restli.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v (%T), want *restli.ValidationError", err, err)
			}
			if ve.Field != tt.field {
				t.Errorf("Field = %q, want %q (%v)", ve.Field, tt.field, err)
			}
			if strings.Contains(err.Error(), canary) {
				t.Errorf("error leaks the token: %v", err)
			}
		})
	}
}

func TestNewHTTPRequest_DefaultsAndOverrides(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name        string
		opts        []restli.ClientOption
		req         restli.GetRequest
		wantURL     string
		wantVersion string
	}{
		{"no version uses v2", nil, restli.GetRequest{ResourcePath: "/me"}, "https://api.linkedin.com/v2/me", ""},
		{"client version uses rest", []restli.ClientOption{restli.WithVersion("202601")}, restli.GetRequest{ResourcePath: "/me"}, "https://api.linkedin.com/rest/me", "202601"},
		{"call version wins", []restli.ClientOption{restli.WithVersion("202601")}, restli.GetRequest{ResourcePath: "/me", Version: "202405"}, "https://api.linkedin.com/rest/me", "202405"},
		{"base url verbatim", []restli.ClientOption{restli.WithBaseURL("http://127.0.0.1:9/x/")}, restli.GetRequest{ResourcePath: "/me", Version: "202405"}, "http://127.0.0.1:9/x/me", "202405"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := restli.NewHTTPRequest(ctx, tt.req, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if req.URL.String() != tt.wantURL {
				t.Errorf("url = %s, want %s", req.URL, tt.wantURL)
			}
			if got := req.Header.Get("LinkedIn-Version"); got != tt.wantVersion {
				t.Errorf("LinkedIn-Version = %q, want %q", got, tt.wantVersion)
			}
			if _, ok := req.Header["Linkedin-Version"]; !ok && tt.wantVersion != "" {
				t.Error("version header not in canonical form")
			}
		})
	}

	req, err := restli.NewHTTPRequest(ctx, restli.GetRequest{ResourcePath: "/me", AccessToken: "tok",
		Header: http.Header{"x-restli-method": {"custom"}, "X-Extra": {"1"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Get("Authorization"); got != "Bearer tok" {
		t.Errorf("Authorization = %q", got)
	}
	if got := req.Header.Get("X-RestLi-Method"); got != "custom" {
		t.Errorf("per-call header did not win: X-RestLi-Method = %q", got)
	}
	if got := req.Header.Get("X-Extra"); got != "1" {
		t.Errorf("X-Extra = %q", got)
	}
}

// setup returns a client wired to an httptest server running h.
func setup(t *testing.T, h http.HandlerFunc, opts ...restli.ClientOption) *restli.Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return restli.NewClient(srv.Client(), append([]restli.ClientOption{restli.WithBaseURL(srv.URL)}, opts...)...)
}

func TestClient_ErrorResponses(t *testing.T) {
	tests := []struct {
		name   string
		status int
		header map[string]string
		body   string
		want   restli.Error
		check  func(error) bool
	}{
		{"linkedin classic", 401, nil, `{"message":"Empty oauth2_access_token","serviceErrorCode":401,"status":401}`,
			restli.Error{StatusCode: 401, ServiceErrorCode: 401, Message: "Empty oauth2_access_token"}, restli.IsUnauthorized},
		{"version sunset", 426, map[string]string{"X-Li-Uuid": "uuid-1"}, `{"status":426,"code":"NONEXISTENT_VERSION","message":"Requested version 20240401 is not active"}`,
			restli.Error{StatusCode: 426, Code: "NONEXISTENT_VERSION", Message: "Requested version 20240401 is not active", RequestID: "uuid-1"}, restli.IsVersionSunset},
		{"throttled", 429, map[string]string{"X-Li-Request-Id": "rid"}, `{"status":429,"message":"Resource level throttle limit for calls to this resource is reached."}`,
			restli.Error{StatusCode: 429, Message: "Resource level throttle limit for calls to this resource is reached.", RequestID: "rid"}, restli.IsThrottled},
		{"forbidden with details", 403, nil, `{"status":403,"message":"no","errorDetails":{"a":[1]},"requestId":"body-id"}`,
			restli.Error{StatusCode: 403, Message: "no", Details: map[string]any{"a": []any{json.Number("1")}}, RequestID: "body-id"}, restli.IsForbidden},
		{"not json", 502, nil, `<html>bad gateway</html>`, restli.Error{StatusCode: 502}, func(err error) bool { return !restli.IsNotFound(err) }},
		{"empty body", 404, nil, ``, restli.Error{StatusCode: 404}, restli.IsNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := setup(t, func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			})
			_, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": 1}})
			var e *restli.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *restli.Error", err)
			}
			want := tt.want
			want.Body = []byte(tt.body)
			if tt.body == "" {
				want.Body = []byte{}
			}
			want.Method, want.Resource = restli.MethodGet, "/things/{id}"
			got := *e
			if got.Header.Get("Content-Length") == "" {
				t.Errorf("Error.Header = %v, want the response's header", got.Header)
			}
			got.Header = nil // the response's header, checked above
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Error = %#v\nwant %#v", got, want)
			}
			if !tt.check(err) {
				t.Errorf("helper check failed for %v", err)
			}
			if e.ErrorType() == "" || !strings.Contains(e.Error(), "GET /things/{id}") {
				t.Errorf("Error() = %q, ErrorType() = %q", e.Error(), e.ErrorType())
			}
		})
	}
}

func TestClient_ErrorBodyIsBounded(t *testing.T) {
	c := setup(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(500)
		w.Write([]byte(strings.Repeat("x", restli.DefaultMaxErrorBodyBytes+100)))
	})
	_, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/x"})
	var e *restli.Error
	if !errors.As(err, &e) || len(e.Body) != restli.DefaultMaxErrorBodyBytes {
		t.Fatalf("err = %v, body len %d", err, len(e.Body))
	}
}

func TestClient_MaxResponseBytes(t *testing.T) {
	c := setup(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"elements":[`+strings.Repeat(`{"a":1},`, 100)+`{"a":1}]}`)
	}, restli.WithMaxResponseBytes(200))
	_, err := c.GetAll(context.Background(), restli.GetAllRequest{ResourcePath: "/x"})
	if !errors.Is(err, restli.ErrResponseTooLarge) {
		t.Fatalf("err = %v, want ErrResponseTooLarge", err)
	}
}

func TestClient_TransportErrorsAreRedacted(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // connection refused from now on

	c := restli.NewClient(nil, restli.WithBaseURL("http://"+addr))
	_, err = c.Finder(context.Background(), restli.FinderRequest{ResourcePath: "/x", FinderName: "f", QueryParams: map[string]any{"token": canary}, AccessToken: canary})
	var te *restli.TransportError
	if !errors.As(err, &te) {
		t.Fatalf("err = %v (%T), want *restli.TransportError", err, err)
	}
	if strings.Contains(err.Error(), canary) {
		t.Errorf("error leaks the canary: %v", err)
	}
	var ue *url.Error
	if !errors.As(err, &ue) || !strings.Contains(ue.URL, "token=REDACTED") {
		t.Errorf("url.Error not kept with a redacted URL: %v", err)
	}
	if te.MaybeApplied || errors.Is(err, restli.ErrMaybeApplied) {
		t.Error("a finder (or a refused connection) is never 'maybe applied'")
	}

	// A create whose connection dies after the request was sent may have
	// been applied.
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		io.ReadAll(r.Body)
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	}))
	defer srv.Close()
	c = restli.NewClient(srv.Client(), restli.WithBaseURL(srv.URL))
	_, err = c.Create(context.Background(), restli.CreateRequest{ResourcePath: "/x", Entity: map[string]any{"a": 1}})
	if !errors.Is(err, restli.ErrMaybeApplied) {
		t.Errorf("create cut after sending: err = %v, want ErrMaybeApplied", err)
	}
	if !strings.Contains(err.Error(), "may have been applied") {
		t.Errorf("error does not say the create may have been applied: %v", err)
	}
}

type account struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

func TestTyped_DecodesIntoCallerTypes(t *testing.T) {
	c := setup(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.Header.Get("X-RestLi-Method") {
		case "get":
			io.WriteString(w, `{"id":9007199254740993,"name":"a"}`)
		case "finder":
			io.WriteString(w, `{"elements":[{"id":1,"name":"a"},{"id":2,"name":"b"}],"paging":{"start":0,"count":2,"total":7},"metadata":{"nextPageToken":"t"}}`)
		case "batch_get":
			io.WriteString(w, `{"results":{"1":{"id":1,"name":"a"}},"statuses":{"1":200},"errors":{"2":{"status":404,"message":"gone"}}}`)
		case "action":
			io.WriteString(w, `{"value":{"id":3,"name":"c"}}`)
		case "create":
			w.Header().Set("X-RestLi-Id", "urn:li:sponsoredAccount:5")
			w.WriteHeader(201)
		}
	})
	ctx := context.Background()
	g, err := restli.GetAs[account](ctx, c, restli.GetRequest{ResourcePath: "/a"})
	if err != nil || g.Entity != (account{9007199254740993, "a"}) {
		t.Errorf("GetAs = %+v, %v", g, err)
	}
	f, err := restli.FinderAs[account](ctx, c, restli.FinderRequest{ResourcePath: "/a", FinderName: "x"})
	if err != nil || len(f.Elements) != 2 || f.Elements[1].Name != "b" || f.Paging.Total != 7 || string(f.Metadata) != `{"nextPageToken":"t"}` {
		t.Errorf("FinderAs = %+v, %v", f, err)
	}
	b, err := restli.BatchGetAs[account](ctx, c, restli.BatchGetRequest{ResourcePath: "/a", IDs: []any{1, 2}})
	if err != nil || b.Results["1"].Name != "a" || b.Errors["2"].StatusCode != 404 || b.Errors["2"].Message != "gone" || b.Statuses["1"] != 200 {
		t.Errorf("BatchGetAs = %+v, %v", b, err)
	}
	a, err := restli.ActionAs[account](ctx, c, restli.ActionRequest{ResourcePath: "/a", ActionName: "x"})
	if err != nil || a.Value.ID != 3 {
		t.Errorf("ActionAs = %+v, %v", a, err)
	}
	cr, err := restli.CreateAs[account](ctx, c, restli.CreateRequest{ResourcePath: "/a", Entity: account{Name: "n"}})
	if err != nil || cr.EntityID != "urn:li:sponsoredAccount:5" || cr.DecodedEntityID != "urn:li:sponsoredAccount:5" || cr.Entity != nil {
		t.Errorf("CreateAs = %+v, %v", cr, err)
	}
}

func TestClient_UntypedNumbersAreJSONNumbers(t *testing.T) {
	c := setup(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"id":9007199254740993}`)
	})
	g, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/a"})
	if err != nil || g.Entity["id"] != json.Number("9007199254740993") {
		t.Errorf("Get = %+v, %v", g, err)
	}
}

func TestClient_BadResponseBody(t *testing.T) {
	for _, body := range []string{`{"id":`, `{"a":1} trailing`, `[1,2]`} {
		c := setup(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) })
		_, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/a"})
		var de *restli.ResponseBodyError
		if !errors.As(err, &de) {
			t.Errorf("body %q: err = %v, want *ResponseBodyError", body, err)
		}
	}
}

func TestDecodeEntityID(t *testing.T) {
	tests := []struct {
		raw  string
		want any
	}{
		{"1", "1"},
		{"urn:li:share:7", "urn:li:share:7"},
		{"urn%3Ali%3Aapp%3A123", "urn:li:app:123"},
		{"a%20b%2c", "a%20b,"},
		{"(part1:one,part2:2)", map[string]any{"part1": "one", "part2": "2"}},
		{"(a:x y)", map[string]any{"a": "x y"}},
		{"%", "%"},
	}
	for _, tt := range tests {
		got, err := restli.DecodeEntityID(tt.raw)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("DecodeEntityID(%q) = %#v, %v; want %#v", tt.raw, got, err, tt.want)
		}
	}
	if _, err := restli.DecodeEntityID("(a:b"); err == nil {
		t.Error("malformed compound id decoded without error")
	}
}

func TestResponseAndBodyKeys(t *testing.T) {
	tests := []struct {
		id         any
		body, resp string
	}{
		{"urn:li:share:1", "urn:li:share:1", "urn:li:share:1"},
		{123, "123", "123"},
		{map[string]any{"b": "x y", "a": "urn:li:p:1"}, "(a:urn%3Ali%3Ap%3A1,b:x y)", "(a:urn%3Ali%3Ap%3A1,b:x y)"},
		{map[string]any{"$params": map[string]any{"v": "1"}, "id": "a,b"}, "($params:(v:1),id:a%2Cb)", "(id:a%2Cb)"},
	}
	for _, tt := range tests {
		b, err := restli.BodyKey(tt.id)
		if err != nil || b != tt.body {
			t.Errorf("BodyKey(%v) = %q, %v; want %q", tt.id, b, err, tt.body)
		}
		r, err := restli.ResponseKey(tt.id)
		if err != nil || r != tt.resp {
			t.Errorf("ResponseKey(%v) = %q, %v; want %q", tt.id, r, err, tt.resp)
		}
	}
}

func TestClient_BadCollectionBody(t *testing.T) {
	for _, body := range []string{`[1,2]`, `{"elements":{}}`, `{"elements":[1]}`, `{"elements":[{}]} x`, `{"elements":[{}]`, `{"paging":"x"}`} {
		c := setup(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) })
		_, err := restli.FinderAs[item](context.Background(), c, restli.FinderRequest{ResourcePath: "/a", FinderName: "f"})
		var de *restli.ResponseBodyError
		if !errors.As(err, &de) {
			t.Errorf("body %q: err = %v, want *ResponseBodyError", body, err)
		}
	}
	for body, want := range map[string]int{``: 0, `{}`: 0, `{"elements":null}`: 0, `{"x":[1,{"y":2}],"elements":[{"n":1},{"n":2}]}`: 2} {
		c := setup(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) })
		res, err := restli.FinderAs[item](context.Background(), c, restli.FinderRequest{ResourcePath: "/a", FinderName: "f"})
		if err != nil || len(res.Elements) != want {
			t.Errorf("body %q: %v elements, err %v; want %d", body, res, err, want)
		}
	}
}

func TestClient_UntypedRejectsNonObjects(t *testing.T) {
	c := setup(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-RestLi-Method") == "get" {
			io.WriteString(w, `[1]`)
			return
		}
		io.WriteString(w, `{"elements":[{"a":1},2]}`)
	})
	ctx := context.Background()
	var de *restli.ResponseBodyError
	if _, err := c.Get(ctx, restli.GetRequest{ResourcePath: "/a"}); !errors.As(err, &de) {
		t.Errorf("Get of a non-object: err = %v", err)
	}
	if _, err := c.Finder(ctx, restli.FinderRequest{ResourcePath: "/a", FinderName: "f"}); !errors.As(err, &de) {
		t.Errorf("Finder with a non-object element: err = %v", err)
	}
	if _, err := c.GetAll(ctx, restli.GetAllRequest{ResourcePath: "/a"}); !errors.As(err, &de) {
		t.Errorf("GetAll with a non-object element: err = %v", err)
	}
}
