// Tests of the codec against the official Rest.li conformance suite.

package restli_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/linkedin-go/linkedin/restli"
)

// The conformance test runs every case of LinkedIn's Rest.li wire-protocol
// test suite through the public client: the request the client sends must
// match the recorded request, and the recorded response must decode into the
// right typed response or *restli.Error. The suite is read from
// $RESTLI_TESTSUITE_DIR (.ci/run points it at ../shared/restli-testsuite).

type suiteCase struct {
	call  func(ctx context.Context, c *restli.Client) (any, error)
	check func(t *testing.T, res any)
}

type message = map[string]any

func ck(part1 string, part2 int, part3 string) map[string]any {
	return map[string]any{"part1": part1, "part2": part2, "part3": part3}
}

func cplx(p1 string, p2 int, part1 string, part2 int, part3 string) map[string]any {
	k := ck(part1, part2, part3)
	k["$params"] = map[string]any{"param1": p1, "param2": p2}
	return k
}

func keyedMsg(msg string, key map[string]any) map[string]any {
	return map[string]any{"message": message{"message": msg}, "key": key}
}

var suiteCases = map[string]suiteCase{
	"collectionReturnEntity-create": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.Create(ctx, restli.CreateRequest{ResourcePath: "/collectionReturnEntity", Entity: message{"message": "test message"}})
		},
		check: func(t *testing.T, res any) {
			r := res.(*restli.CreateResponse)
			wantEq(t, "EntityID", r.EntityID, "1")
			wantEq(t, "Location", r.Location, "/collectionReturnEntity/1")
			wantEq(t, "Entity", r.Entity, map[string]any{"message": "test message"})
		},
	},
	"collection-get": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.Get(ctx, restli.GetRequest{ResourcePath: "/collection/{id}", PathKeys: map[string]any{"id": 1}})
		},
		check: func(t *testing.T, res any) {
			wantEq(t, "Entity", res.(*restli.GetResponse).Entity, map[string]any{"id": json.Number("1"), "message": "test message"})
		},
	},
	"collection-create": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.Create(ctx, restli.CreateRequest{ResourcePath: "/collection", Entity: message{"message": "test message"}})
		},
		check: func(t *testing.T, res any) {
			r := res.(*restli.CreateResponse)
			wantEq(t, "EntityID", r.EntityID, "1")
			wantEq(t, "DecodedEntityID", r.DecodedEntityID, "1")
			wantEq(t, "StatusCode", r.StatusCode, 201)
			wantEq(t, "Entity", r.Entity, map[string]any(nil))
		},
	},
	"collection-update": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.Update(ctx, restli.UpdateRequest{ResourcePath: "/collection/{id}", PathKeys: map[string]any{"id": 1},
				Entity: map[string]any{"id": 1, "message": "updated message"}})
		},
		check: statusIs(204),
	},
	"collection-partial-update": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.PartialUpdate(ctx, restli.PartialUpdateRequest{ResourcePath: "/collection/{id}", PathKeys: map[string]any{"id": 1},
				PatchSetObject: message{"message": "partial updated message"}})
		},
		check: statusIs(204),
	},
	"collection-delete": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.Delete(ctx, restli.DeleteRequest{ResourcePath: "/collection/{id}", PathKeys: map[string]any{"id": 1}})
		},
		check: statusIs(204),
	},
	"collection-batch-get": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.BatchGet(ctx, restli.BatchGetRequest{ResourcePath: "/collection", IDs: []any{1, 3}})
		},
		check: func(t *testing.T, res any) {
			r := res.(*restli.BatchGetResponse)
			wantEq(t, "Results[3]", r.Results["3"], map[string]any{"id": json.Number("2"), "message": "another message"})
			wantEq(t, "len(Results)", len(r.Results), 2)
		},
	},
	"collection-batch-create": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.BatchCreate(ctx, restli.BatchCreateRequest{ResourcePath: "/collection",
				Entities: []any{message{"message": "test message"}, message{"message": "another message"}}})
		},
		check: func(t *testing.T, res any) {
			r := res.(*restli.BatchCreateResponse)
			wantEq(t, "len(Elements)", len(r.Elements), 2)
			wantEq(t, "Elements[1]", r.Elements[1], restli.CreateStatus{Status: 201, ID: "3", DecodedID: "3", Location: "/collection/3"})
		},
	},
	"collection-batch-update": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.BatchUpdate(ctx, restli.BatchUpdateRequest{ResourcePath: "/collection", IDs: []any{1, 3},
				Entities: []any{map[string]any{"id": 1, "message": "updated message"}, map[string]any{"id": 3, "message": "inserted message"}}})
		},
		check: func(t *testing.T, res any) {
			r := res.(*restli.BatchUpdateResponse)
			wantEq(t, "Results", r.Results, map[string]restli.KeyStatus{"1": {Status: 204}, "3": {Status: 201}})
		},
	},
	"collection-batch-partial-update": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.BatchPartialUpdate(ctx, restli.BatchPartialUpdateRequest{ResourcePath: "/collection", IDs: []any{1, 3},
				PatchSetObjects: []any{message{"message": "partial updated message"}, message{"message": "another partial message"}}})
		},
		check: func(t *testing.T, res any) {
			r := res.(*restli.BatchUpdateResponse)
			wantEq(t, "Results", r.Results, map[string]restli.KeyStatus{"1": {Status: 204}, "3": {Status: 204}})
		},
	},
	"collection-batch-delete": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.BatchDelete(ctx, restli.BatchDeleteRequest{ResourcePath: "/collection", IDs: []any{1, 3}})
		},
		check: func(t *testing.T, res any) {
			r := res.(*restli.BatchDeleteResponse)
			wantEq(t, "Results", r.Results, map[string]restli.KeyStatus{"1": {Status: 204}, "3": {Status: 404}})
		},
	},
	"collection-get-404": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.Get(ctx, restli.GetRequest{ResourcePath: "/collection/{id}", PathKeys: map[string]any{"id": 2}})
		},
		check: func(t *testing.T, res any) {
			if !restli.IsNotFound(res.(error)) {
				t.Errorf("IsNotFound = false for %v", res)
			}
		},
	},
	"collection-update-400": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.Update(ctx, restli.UpdateRequest{ResourcePath: "/collection/{id}", PathKeys: map[string]any{"id": 1}, Entity: map[string]any{"id": 1}})
		},
	},
	"collection-create-500": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.Create(ctx, restli.CreateRequest{ResourcePath: "/collection", Entity: map[string]any{"id": 3, "message": "internal error test"}})
		},
	},
	"collection-create-error-details": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.Create(ctx, restli.CreateRequest{ResourcePath: "/collection", Entity: map[string]any{"id": 3, "message": "error details test"}})
		},
		check: func(t *testing.T, res any) {
			var e *restli.Error
			errors.As(res.(error), &e)
			wantEq(t, "Details", e.Details, map[string]any{"one": json.Number("1"), "two": json.Number("2")})
		},
	},
	"sub-simple-of-collection-get": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.Get(ctx, restli.GetRequest{ResourcePath: "/collection/{id}/subsimple", PathKeys: map[string]any{"id": 1}})
		},
		check: func(t *testing.T, res any) {
			wantEq(t, "Entity", res.(*restli.GetResponse).Entity, map[string]any{"message": "sub simple message"})
		},
	},
	"collection-search-finder": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.Finder(ctx, restli.FinderRequest{ResourcePath: "/collection", FinderName: "search", QueryParams: map[string]any{"keyword": "message"}})
		},
		check: func(t *testing.T, res any) {
			r := res.(*restli.CollectionResponse)
			wantEq(t, "len(Elements)", len(r.Elements), 2)
			wantEq(t, "Paging", r.Paging, &restli.Paging{Start: 0, Count: 10, Total: 2, Links: []restli.Link{}})
			wantEq(t, "Metadata", r.Metadata, map[string]any{"optionalLong": json.Number("5"), "optionalString": "metadata"})
		},
	},
	"complexkey-get": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.Get(ctx, restli.GetRequest{ResourcePath: "/complexkey/{key}", PathKeys: map[string]any{"key": cplx("param1", 5, "one", 2, "APPLE")}})
		},
		check: func(t *testing.T, res any) {
			wantEq(t, "Entity.key.part1", res.(*restli.GetResponse).Entity["key"].(map[string]any)["part1"], "one")
		},
	},
	"complexkey-create": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.Create(ctx, restli.CreateRequest{ResourcePath: "/complexkey", Entity: keyedMsg("test message", ck("one", 2, "APPLE"))})
		},
		check: func(t *testing.T, res any) {
			r := res.(*restli.CreateResponse)
			wantEq(t, "EntityID", r.EntityID, "")
			wantEq(t, "StatusCode", r.StatusCode, 201)
		},
	},
	"complexkey-update": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.Update(ctx, restli.UpdateRequest{ResourcePath: "/complexkey/{key}", PathKeys: map[string]any{"key": cplx("param1", 5, "one", 2, "APPLE")},
				Entity: keyedMsg("updated message", ck("one", 2, "APPLE"))})
		},
		check: statusIs(204),
	},
	"complexkey-delete": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.Delete(ctx, restli.DeleteRequest{ResourcePath: "/complexkey/{key}", PathKeys: map[string]any{"key": cplx("param1", 5, "one", 2, "APPLE")}})
		},
		check: statusIs(204),
	},
	"complexkey-batch-get": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.BatchGet(ctx, restli.BatchGetRequest{ResourcePath: "/complexkey",
				IDs: []any{cplx("param1", 5, "one", 2, "APPLE"), cplx("param2", 11, "two", 7, "ORANGE")}})
		},
		check: func(t *testing.T, res any) {
			r := res.(*restli.BatchGetResponse)
			k, err := restli.ResponseKey(cplx("param2", 11, "two", 7, "ORANGE"))
			wantEq(t, "ResponseKey error", err, nil)
			wantEq(t, "ResponseKey", k, "(part1:two,part2:7,part3:ORANGE)")
			wantEq(t, "Results[k].key.part1", r.Results[k]["key"].(map[string]any)["part1"], "two")
		},
	},
	"complexkey-batch-create": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.BatchCreate(ctx, restli.BatchCreateRequest{ResourcePath: "/complexkey",
				Entities: []any{keyedMsg("test message", ck("one", 2, "APPLE")), keyedMsg("another message", ck("two", 7, "ORANGE"))}})
		},
		check: func(t *testing.T, res any) {
			r := res.(*restli.BatchCreateResponse)
			wantEq(t, "Elements", r.Elements, []restli.CreateStatus{{Status: 201}, {Status: 201}})
		},
	},
	"complexkey-batch-update": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.BatchUpdate(ctx, restli.BatchUpdateRequest{ResourcePath: "/complexkey",
				IDs:      []any{cplx("param1", 5, "one", 2, "APPLE"), cplx("param2", 11, "two", 7, "ORANGE")},
				Entities: []any{keyedMsg("updated message", ck("one", 2, "APPLE")), keyedMsg("another updated message", ck("one", 2, "APPLE"))}})
		},
		check: func(t *testing.T, res any) {
			r := res.(*restli.BatchUpdateResponse)
			wantEq(t, "Results", r.Results, map[string]restli.KeyStatus{"(part1:one,part2:2,part3:APPLE)": {Status: 204}, "(part1:two,part2:7,part3:ORANGE)": {Status: 204}})
		},
	},
	"complexkey-batch-delete": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.BatchDelete(ctx, restli.BatchDeleteRequest{ResourcePath: "/complexkey",
				IDs: []any{cplx("param1", 5, "one", 2, "APPLE"), cplx("param2", 11, "two", 7, "ORANGE")}})
		},
		check: func(t *testing.T, res any) {
			wantEq(t, "len(Results)", len(res.(*restli.BatchDeleteResponse).Results), 2)
		},
	},
	"complexkey-partial-update": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.PartialUpdate(ctx, restli.PartialUpdateRequest{ResourcePath: "/complexkey/{key}", PathKeys: map[string]any{"key": cplx("param1", 5, "one", 2, "APPLE")},
				OriginalEntity: keyedMsg("test message", ck("one", 2, "APPLE")),
				ModifiedEntity: keyedMsg("test message", ck("newpart1", 2, "APPLE"))})
		},
		check: statusIs(204),
	},
	"association-get": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.Get(ctx, restli.GetRequest{ResourcePath: "/association/{key}", PathKeys: map[string]any{"key": ck("two", 3, "ORANGE")}})
		},
		check: func(t *testing.T, res any) {
			wantEq(t, "Entity.message", res.(*restli.GetResponse).Entity["message"], map[string]any{"message": "test message"})
		},
	},
	"association-update": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.Update(ctx, restli.UpdateRequest{ResourcePath: "/association/{key}", PathKeys: map[string]any{"key": ck("two", 3, "ORANGE")},
				Entity: keyedMsg("updated message", ck("two", 3, "ORANGE"))})
		},
		check: statusIs(204),
	},
	"association-delete": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.Delete(ctx, restli.DeleteRequest{ResourcePath: "/association/{key}", PathKeys: map[string]any{"key": ck("two", 3, "ORANGE")}})
		},
		check: statusIs(204),
	},
	"association-batch-get": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.BatchGet(ctx, restli.BatchGetRequest{ResourcePath: "/association", IDs: []any{ck("two", 3, "ORANGE"), ck("five", 9, "APPLE")}})
		},
		check: func(t *testing.T, res any) {
			r := res.(*restli.BatchGetResponse)
			k, _ := restli.ResponseKey(ck("five", 9, "APPLE"))
			wantEq(t, "Results[k].key.part1", r.Results[k]["key"].(map[string]any)["part1"], "five")
		},
	},
	"association-batch-update": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.BatchUpdate(ctx, restli.BatchUpdateRequest{ResourcePath: "/association", IDs: []any{ck("two", 3, "ORANGE"), ck("five", 9, "APPLE")},
				Entities: []any{keyedMsg("updated message", ck("two", 3, "ORANGE")), keyedMsg("another updated message", ck("five", 9, "APPLE"))}})
		},
		check: func(t *testing.T, res any) {
			wantEq(t, "len(Results)", len(res.(*restli.BatchUpdateResponse).Results), 2)
		},
	},
	"association-batch-delete": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.BatchDelete(ctx, restli.BatchDeleteRequest{ResourcePath: "/association", IDs: []any{ck("two", 3, "ORANGE"), ck("five", 9, "APPLE")}})
		},
		check: func(t *testing.T, res any) {
			wantEq(t, "Results", res.(*restli.BatchDeleteResponse).Results,
				map[string]restli.KeyStatus{"(part1:five,part2:9,part3:APPLE)": {Status: 204}, "(part1:two,part2:3,part3:ORANGE)": {Status: 204}})
		},
	},
	"simple-get": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.Get(ctx, restli.GetRequest{ResourcePath: "/simple"})
		},
		check: func(t *testing.T, res any) {
			wantEq(t, "Entity", res.(*restli.GetResponse).Entity, map[string]any{"message": "test message"})
		},
	},
	"simple-update": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.Update(ctx, restli.UpdateRequest{ResourcePath: "/simple", Entity: message{"message": "updated message"}})
		},
		check: statusIs(204),
	},
	"simple-delete": {
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.Delete(ctx, restli.DeleteRequest{ResourcePath: "/simple"})
		},
		check: statusIs(204),
	},
	"actionset-echo":               action("echo", map[string]any{"input": "Is anybody out there?"}, "Is anybody out there?"),
	"actionset-return-int":         action("returnInt", nil, json.Number("42")),
	"actionset-return-bool":        action("returnBool", nil, true),
	"actionset-echo-message":       action("echoMessage", map[string]any{"message": message{"message": "test message"}}, map[string]any{"message": "test message"}),
	"actionset-echo-message-array": action("echoMessageArray", map[string]any{"messages": []any{message{"message": "test message"}, message{"message": "another message"}}}, []any{map[string]any{"message": "test message"}, map[string]any{"message": "another message"}}),
	"actionset-echo-string-array":  action("echoStringArray", map[string]any{"strings": []string{"string one", "string two"}}, []any{"string one", "string two"}),
	"actionset-echo-string-map":    action("echoStringMap", map[string]any{"strings": map[string]string{"one": "string one", "two": "string two"}}, map[string]any{"one": "string one", "two": "string two"}),
	"actionset-echo-typeref-url":   action("echoTyperefUrl", map[string]any{"urlTyperef": "http://rest.li"}, "http://rest.li"),
	"actionset-echo-primitive-union": action("echoPrimitiveUnion", map[string]any{"primitiveUnion": map[string]any{"primitivesUnion": map[string]any{"long": 100}}},
		map[string]any{"primitivesUnion": map[string]any{"long": json.Number("100")}}),
	"actionset-empty-response": action("emptyResponse", map[string]any{"message1": message{"message": "test message"}, "message2": message{"message": "another message"}}, nil),
	"actionset-multiple-inputs": action("multipleInputs", struct {
		URLTyperef     string  `json:"urlTyperef"`
		String         string  `json:"string"`
		OptionalString string  `json:"optionalString,omitempty"`
		Message        message `json:"message"`
	}{"http://rest.li", "string", "optional string", message{"message": "test message"}}, true),
	"actionset-multiple-inputs-no-optional": action("multipleInputs", struct {
		URLTyperef     string  `json:"urlTyperef"`
		String         string  `json:"string"`
		OptionalString string  `json:"optionalString,omitempty"`
		Message        message `json:"message"`
	}{"http//rest.li", "string", "", message{"message": "test message"}}, true),
}

func action(name string, params any, want any) suiteCase {
	return suiteCase{
		call: func(ctx context.Context, c *restli.Client) (any, error) {
			return c.Action(ctx, restli.ActionRequest{ResourcePath: "/actionSet", ActionName: name, ActionParams: params})
		},
		check: func(t *testing.T, res any) {
			wantEq(t, "Value", res.(*restli.ActionResponse).Value, want)
		},
	}
}

func statusIs(code int) func(t *testing.T, res any) {
	return func(t *testing.T, res any) {
		var got int
		switch r := res.(type) {
		case *restli.UpdateResponse:
			got = r.StatusCode
		case *restli.Response:
			got = r.StatusCode
		default:
			t.Fatalf("unexpected response type %T", res)
		}
		wantEq(t, "StatusCode", got, code)
	}
}

func wantEq(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", what, got, want)
	}
}

type manifest struct {
	Data []struct {
		Name       string `json:"name"`
		Operations []struct {
			Name         string `json:"name"`
			Method       string `json:"method"`
			Request      string `json:"request"`
			Response     string `json:"response"`
			Status       int    `json:"status"`
			ErrorMessage string `json:"errorMessage"`
		} `json:"operations"`
	} `json:"wireProtocolTestData"`
}

type wireMessage struct {
	first  string // request or status line
	header http.Header
	body   []byte
}

func readWire(t *testing.T, path string) wireMessage {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(bytes.NewReader(data))
	first, _ := r.ReadString('\n')
	m := wireMessage{first: strings.TrimRight(first, "\r\n"), header: http.Header{}}
	for {
		line, err := r.ReadString('\n')
		line = strings.TrimRight(line, "\r\n")
		if line == "" || err != nil {
			break
		}
		k, v, _ := strings.Cut(line, ":")
		m.header.Add(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	m.body, _ = io.ReadAll(r)
	m.body = bytes.TrimSpace(m.body)
	return m
}

func jsonEqual(a, b []byte) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

func TestConformance(t *testing.T) {
	dir := os.Getenv("RESTLI_TESTSUITE_DIR")
	if dir == "" {
		t.Skip("RESTLI_TESTSUITE_DIR is not set: skipping the Rest.li wire-protocol conformance suite (bash .ci/run sets it)")
	}
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, res := range m.Data {
		for _, op := range res.Operations {
			t.Run(op.Name, func(t *testing.T) {
				tc, ok := suiteCases[op.Name]
				if !ok {
					t.Fatalf("no client call is defined for suite case %q", op.Name)
				}
				wantReq := readWire(t, filepath.Join(dir, op.Request))
				wantResp := readWire(t, filepath.Join(dir, op.Response))
				runSuiteCase(t, tc, op.Status, op.ErrorMessage, wantReq, wantResp)
			})
			ran++
		}
	}
	if ran != len(suiteCases) {
		t.Errorf("ran %d suite cases, but %d are defined", ran, len(suiteCases))
	}
}

func runSuiteCase(t *testing.T, tc suiteCase, status int, errMsg string, wantReq, wantResp wireMessage) {
	type seen struct {
		line   string
		header http.Header
		body   []byte
	}
	got := make(chan seen, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- seen{r.Method + " " + r.RequestURI + " HTTP/1.1", r.Header.Clone(), body}
		for k, vs := range wantResp.header {
			if !strings.EqualFold(k, "Content-Length") {
				w.Header()[k] = vs
			}
		}
		_, code, _ := strings.Cut(wantResp.first, " ")
		code, _, _ = strings.Cut(code, " ")
		n, _ := strconv.Atoi(code)
		w.WriteHeader(n)
		w.Write(wantResp.body)
	}))
	defer srv.Close()

	c := restli.NewClient(srv.Client(), restli.WithBaseURL(srv.URL))
	res, err := tc.call(context.Background(), c)
	r := <-got

	if r.line != wantReq.first {
		t.Errorf("request line:\n got %s\nwant %s", r.line, wantReq.first)
	}
	for _, h := range []string{"Accept", "Content-Type", "X-RestLi-Protocol-Version"} {
		if g, w := r.header.Get(h), wantReq.header.Get(h); g != w {
			t.Errorf("header %s = %q, want %q", h, g, w)
		}
	}
	// The suite omits X-RestLi-Method on GET, PUT and DELETE; the client sends
	// it on every call (harmless, and what LinkedIn's clients do).
	if w := wantReq.header.Get("X-RestLi-Method"); w != "" {
		if g := r.header.Get("X-RestLi-Method"); g != w {
			t.Errorf("X-RestLi-Method = %q, want %q", g, w)
		}
	}
	if !jsonEqual(r.body, wantReq.body) {
		t.Errorf("body:\n got %s\nwant %s", r.body, wantReq.body)
	}

	if status >= 400 {
		var e *restli.Error
		if !errors.As(err, &e) {
			t.Fatalf("error = %v (%T), want *restli.Error", err, err)
		}
		wantEq(t, "Error.StatusCode", e.StatusCode, status)
		if errMsg != "" {
			wantEq(t, "Error.Message", e.Message, errMsg)
		}
		if tc.check != nil {
			tc.check(t, err)
		}
		return
	}
	if err != nil {
		t.Fatalf("call failed: %v", err)
	}
	if tc.check != nil {
		tc.check(t, res)
	}
}
