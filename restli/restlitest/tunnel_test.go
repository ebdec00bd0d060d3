package restlitest_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
)

func urnIDs(n int) []any {
	ids := make([]any, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("urn:li:sponsoredAccount:%d", 100000+i)
	}
	return ids
}

// 500 URN ids make a query far over 4000 characters: the default stack
// tunnels it, and the server decodes it back to the same 500 keys.
func TestTunneledBatchGet_500URNs(t *testing.T) {
	srv := newServer(t, exact())
	ids := urnIDs(500)
	for _, id := range ids {
		srv.Seed("/adAccounts", id, map[string]any{"id": id})
	}
	r, err := srv.RestliClient().BatchGet(ctxT(t), restli.BatchGetRequest{ResourcePath: "/adAccounts", IDs: ids})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Results) != 500 || len(r.Errors) != 0 {
		t.Fatalf("%d results, %d errors", len(r.Results), len(r.Errors))
	}
	for _, id := range ids {
		if r.Results[id.(string)]["id"] != id {
			t.Fatalf("no result for %v", id)
		}
	}
	rec := lastRequest(t, srv)
	if !rec.Tunneled || rec.HTTPMethod != http.MethodPost || rec.Method != http.MethodGet || rec.RestliMethod != restli.MethodBatchGet {
		t.Fatalf("recorded tunneled=%v wire=%s method=%s restli=%s", rec.Tunneled, rec.HTTPMethod, rec.Method, rec.RestliMethod)
	}
	if !reflect.DeepEqual(rec.Keys, ids) {
		t.Fatalf("recorded %d keys, want the 500 ids in order", len(rec.Keys))
	}
	if len(rec.Query) <= 4000 || len(rec.Body) != 0 {
		t.Fatalf("recorded query of %d bytes and body of %d", len(rec.Query), len(rec.Body))
	}
}

// A long BATCH_UPDATE has a body: the stack tunnels it as multipart/mixed.
func TestTunneledBatchUpdate_MultipartFromTheStack(t *testing.T) {
	srv := newServer(t, exact())
	ids := urnIDs(300)
	ents := make([]any, len(ids))
	for i, id := range ids {
		srv.Seed("/adAccounts", id, map[string]any{"v": 0})
		ents[i] = map[string]any{"v": i}
	}
	r, err := srv.RestliClient().BatchUpdate(ctxT(t), restli.BatchUpdateRequest{ResourcePath: "/adAccounts", IDs: ids, Entities: ents})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Results) != 300 {
		t.Fatalf("%d results", len(r.Results))
	}
	rec := lastRequest(t, srv)
	if !rec.Tunneled || rec.Method != http.MethodPut || rec.RestliMethod != restli.MethodBatchUpdate || len(rec.Keys) != 300 {
		t.Fatalf("recorded tunneled=%v method=%s restli=%s keys=%d", rec.Tunneled, rec.Method, rec.RestliMethod, len(rec.Keys))
	}
	if !strings.HasPrefix(rec.Header.Get("Content-Type"), "multipart/mixed") || !bytes.HasPrefix(rec.Body, []byte(`{"entities":`)) {
		t.Fatalf("recorded Content-Type %q, body %.40q", rec.Header.Get("Content-Type"), rec.Body)
	}
	if e, _ := srv.Collection("/adAccounts").Get(ids[299]); fmt.Sprint(e["v"]) != "299" {
		t.Fatalf("entity = %v", e)
	}
}

// multipartBody lays out a tunneled body by hand (protocol §7.3).
func multipartBody(boundary string, parts ...[2]string) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString("--" + boundary + "\r\nContent-Type: " + p[0] + "\r\n\r\n" + p[1] + "\r\n")
	}
	b.WriteString("--" + boundary + "--\r\n")
	return b.String()
}

func TestTunneled_ByHand(t *testing.T) {
	srv := newServer(t)
	srv.Seed("/things", 1, map[string]any{"name": "a"})
	srv.Seed("/things", 2, map[string]any{"name": "b"})
	c := rawClient(t)

	// A partial update: the query part, then the JSON part, then a part
	// that is ignored; the query on the URL is kept and merged.
	h := restliHeader(srv, restli.MethodPartialUpdate)
	h.Set("X-HTTP-Method-Override", "POST")
	h.Set("Content-Type", "multipart/mixed; boundary=xyz")
	body := multipartBody("xyz",
		[2]string{"application/x-www-form-urlencoded", "fields=name"},
		[2]string{"application/json", `{"patch":{"$set":{"name":"A"}}}`},
		[2]string{"text/plain", "ignored"})
	r := do(t, c, http.MethodPost, srv.URL+"/rest/things/1?%24returnEntity=true", h, body)
	if r.status != 200 || string(r.body) != `{"name":"A"}` {
		t.Fatalf("tunneled partial update: %d %s", r.status, r.body)
	}
	rec := lastRequest(t, srv)
	if !rec.Tunneled || rec.Query != "%24returnEntity=true&fields=name" || string(rec.Body) != `{"patch":{"$set":{"name":"A"}}}` || rec.Header.Get("Content-Type") == "" {
		t.Fatalf("recorded %+v", rec)
	}

	// A DELETE tunneled with a form body stays a DELETE.
	h = restliHeader(srv, restli.MethodBatchDelete)
	h.Set("X-HTTP-Method-Override", "DELETE")
	h.Set("Content-Type", "application/x-www-form-urlencoded")
	r = do(t, c, http.MethodPost, srv.URL+"/rest/things", h, "ids=List(2)")
	if r.status != 200 || !strings.Contains(string(r.body), `"2":{"status":204}`) {
		t.Fatalf("tunneled batch delete: %d %s", r.status, r.body)
	}
	if n := srv.Collection("/things").Len(); n != 1 {
		t.Fatalf("%d things left", n)
	}

	// Overrides a Rest.li server refuses, and bodies it cannot read.
	for _, tc := range []struct{ override, ct, body string }{
		{"PATCH", "application/x-www-form-urlencoded", "ids=List(1)"},
		{"get", "application/x-www-form-urlencoded", "ids=List(1)"},
		{"GET", "application/json", `{}`},
		{"GET", "multipart/mixed", "x"},
		{"GET", "multipart/mixed; boundary=b", "garbage"},
	} {
		h := restliHeader(srv, "")
		h.Set("X-HTTP-Method-Override", tc.override)
		h.Set("Content-Type", tc.ct)
		r := do(t, c, http.MethodPost, srv.URL+"/rest/things", h, tc.body)
		if r.status != 400 || r.errorBody(t)["code"] != restlitest.CodeIllegalArgument {
			t.Errorf("override %q with %q: %d %s", tc.override, tc.ct, r.status, r.body)
		}
	}

	// An override on a GET is not tunneling: the header is ignored.
	h = restliHeader(srv, "")
	h.Set("X-HTTP-Method-Override", "DELETE")
	r = do(t, c, http.MethodGet, srv.URL+"/rest/things/1", h, "")
	if r.status != 200 || lastRequest(t, srv).Tunneled {
		t.Fatalf("GET with an override: %d tunneled=%v", r.status, lastRequest(t, srv).Tunneled)
	}
}

func TestDecodeTunneled(t *testing.T) {
	req, _ := http.NewRequest(http.MethodPost, "http://x/rest/things?a=1", strings.NewReader(
		multipartBody("b1", [2]string{"application/json", `{"k":1}`}, [2]string{"application/x-www-form-urlencoded", "ids=List(1)"})))
	req.Header.Set("X-HTTP-Method-Override", "PUT")
	req.Header.Set("Content-Type", "multipart/mixed; boundary=b1")
	out, tunneled, err := restlitest.DecodeTunneled(req)
	if err != nil || !tunneled {
		t.Fatalf("DecodeTunneled = %v, %v", tunneled, err)
	}
	body, _ := io.ReadAll(out.Body)
	if out.Method != http.MethodPut || out.URL.RawQuery != "a=1&ids=List(1)" || string(body) != `{"k":1}` ||
		out.Header.Get("Content-Type") != "application/json" || out.Header.Get("X-HTTP-Method-Override") != "" || out.ContentLength != 7 {
		t.Fatalf("decoded %s %q body %q header %v", out.Method, out.URL.RawQuery, body, out.Header)
	}
	if req.Method != http.MethodPost || req.URL.RawQuery != "a=1" {
		t.Fatal("DecodeTunneled modified its argument")
	}

	plain, _ := http.NewRequest(http.MethodGet, "http://x/rest/things", nil)
	if out, tunneled, err := restlitest.DecodeTunneled(plain); err != nil || tunneled || out != plain {
		t.Fatalf("plain request: %v %v %v", out, tunneled, err)
	}
	bad, _ := http.NewRequest(http.MethodPost, "http://x/", strings.NewReader("q"))
	bad.Header.Set("X-HTTP-Method-Override", "TRACE")
	bad.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if _, _, err := restlitest.DecodeTunneled(bad); !errors.Is(err, restlitest.ErrTunnel) {
		t.Fatalf("TRACE override: %v", err)
	}
}

func TestParseQuery(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want map[string]any
		err  bool
	}{
		{"", map[string]any{}, false},
		{"q=search&start=0", map[string]any{"q": "search", "start": "0"}, false},
		{"ids=List(urn%3Ali%3Ax%3A1,(a:1,b:x%20y))", map[string]any{"ids": []any{"urn:li:x:1", map[string]any{"a": "1", "b": "x y"}}}, false},
		{"a+b=c+d", map[string]any{"a b": "c+d"}, false}, // names form-decoded, values not
		{"fields=id,owner:(id)&projection=(id~)", map[string]any{"fields": "id,owner:(id)", "projection": "(id~)"}, false},
		{"=x&&k=''", map[string]any{"k": ""}, false}, // =x and empty pieces ignored
		{"k=%27%27", map[string]any{"k": "''"}, false},
		{"k", nil, true},       // no value
		{"k=", nil, true},      // empty value
		{"k=1&k=2", nil, true}, // repeated
		{"k=%zz", nil, true},   // bad escape
		{"k=(a:b", nil, true},  // bad grammar
		{"k=urn:li:x:1", nil, true},
		{"%zz=1", nil, true},
	} {
		got, err := restlitest.ParseQuery(tc.raw)
		if (err != nil) != tc.err {
			t.Errorf("ParseQuery(%q) error = %v, want error %v", tc.raw, err, tc.err)
			continue
		}
		if !tc.err && !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseQuery(%q) = %#v, want %#v", tc.raw, got, tc.want)
		}
	}
	var qe *restlitest.QueryError
	if _, err := restlitest.ParseQuery("secret=(oops"); !errors.As(err, &qe) || qe.Param != "secret" || strings.Contains(err.Error(), "oops") {
		t.Fatalf("error %v quotes the value or lacks the parameter", err)
	}
}
