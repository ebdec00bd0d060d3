package restlitest_test

import (
	"bytes"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
)

// FuzzParseQuery: any query string either parses or fails with an error,
// never panics, and every value it decodes survives re-encoding with
// restli.Encode. Seeds are in testdata/fuzz/FuzzParseQuery. Run it with
//
//	go test -run '^$' -fuzz FuzzParseQuery -fuzztime 60s ./restli/restlitest
func FuzzParseQuery(f *testing.F) {
	f.Add("q=search&search=(status:(values:List(ACTIVE)),test:false)&start=0&count=10")
	f.Fuzz(func(t *testing.T, raw string) {
		params, err := restlitest.ParseQuery(raw)
		if err != nil {
			if params != nil {
				t.Fatal("params and an error")
			}
			return
		}
		if len(params) > strings.Count(raw, "&")+1 {
			t.Fatalf("%d params from %d pieces", len(params), strings.Count(raw, "&")+1)
		}
		for name, v := range params {
			if name == "fields" || name == "metadataFields" || name == "pagingFields" || name == "projection" {
				if _, ok := v.(string); !ok {
					t.Fatalf("projection %q is %T", name, v)
				}
				continue
			}
			enc, err := restli.Encode(v)
			if err != nil {
				t.Fatalf("decoded value of %q cannot be re-encoded: %v", name, err)
			}
			back, err := restli.Decode(enc)
			if err != nil || !reflect.DeepEqual(back, v) {
				t.Fatalf("value of %q does not round-trip: %#v -> %q -> %#v (%v)", name, v, enc, back, err)
			}
		}
	})
}

// FuzzDecodeTunneled: any tunneled request either decodes or fails with an
// error, never panics, never grows (the decoded body is part of the
// original), and a decoded request carries the override as its method.
// Seeds are in testdata/fuzz/FuzzDecodeTunneled. Run it with
//
//	go test -run '^$' -fuzz FuzzDecodeTunneled -fuzztime 60s ./restli/restlitest
func FuzzDecodeTunneled(f *testing.F) {
	f.Add("GET", "application/x-www-form-urlencoded", []byte("ids=List(1,2)"), "")
	f.Fuzz(func(t *testing.T, override, contentType string, body []byte, urlQuery string) {
		req, err := http.NewRequest(http.MethodPost, "http://127.0.0.1/rest/things", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.URL.RawQuery = urlQuery
		req.Header.Set("X-HTTP-Method-Override", override)
		req.Header.Set("Content-Type", contentType)
		out, tunneled, err := restlitest.DecodeTunneled(req)
		if err != nil {
			return
		}
		if !tunneled || out.Method != override || out.Header.Get("X-HTTP-Method-Override") != "" {
			t.Fatalf("tunneled %v method %q", tunneled, out.Method)
		}
		got, err := io.ReadAll(out.Body)
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(got)) != out.ContentLength || len(got) > len(body) || (len(got) > 0 && !bytes.Contains(body, got)) {
			t.Fatalf("decoded body of %d bytes (Content-Length %d) from %d", len(got), out.ContentLength, len(body))
		}
		if !strings.HasPrefix(out.URL.RawQuery, urlQuery) || len(out.URL.RawQuery) > len(urlQuery)+1+len(body) {
			t.Fatalf("query %q from URL query %q", out.URL.RawQuery, urlQuery)
		}
		_, _ = restlitest.ParseQuery(out.URL.RawQuery)
	})
}
