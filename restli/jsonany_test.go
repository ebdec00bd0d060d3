// Tests of the untyped JSON parser of jsonany.go against encoding/json.

package restli

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

// jsonStd decodes data as the client's encoding/json path does: UseNumber,
// one value, nothing but whitespace after it.
func jsonStd(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("trailing data")
	}
	return v, nil
}

// checkJSONAny compares parseJSONAny with encoding/json on data: the same
// value whenever the fast parser answers, and an answer whenever
// encoding/json succeeds (documents within the depth limit).
func checkJSONAny(t *testing.T, data []byte) {
	t.Helper()
	want, werr := jsonStd(data)
	got, gerr := parseJSONAny(data)
	switch {
	case gerr == nil && werr != nil:
		t.Fatalf("%q: fast parser accepted %#v, encoding/json says %v", data, got, werr)
	case gerr == nil && !reflect.DeepEqual(got, want):
		t.Fatalf("%q:\nfast %#v\nstd  %#v", data, got, want)
	case gerr != nil && werr == nil:
		t.Fatalf("%q: fast parser fell back on a document encoding/json decodes", data)
	case gerr != nil && gerr != errJSONFallback:
		t.Fatalf("%q: error %v, want errJSONFallback", data, gerr)
	}
}

func TestParseJSONAny(t *testing.T) {
	for _, s := range []string{
		`{"elements":[{"id":1,"name":"a"}],"paging":{"start":0,"count":10,"total":1,"links":[]}}`,
		`[]`, `{}`, `[[]]`, `[{}]`, `null`, `true`, `false`, `0`, `-0`, `1.5e+10`, `-2E-3`, `123456789012345678901234567890`,
		` {"a" : [ 1 , 2 ] } `, "\t\n\r[1]\n",
		`"plain"`, `"esc \" \\ \/ \b \f \n \r \t"`, `"\u00e9\u65e5"`, `"\ud83d\ude00"`, `"\ud83d"`, `"\ud83dx"`, `"\ude00\ud83d"`,
		`"\ud83d\u0041"`, "\"caf\xc3\xa9\"", "\"bad \xff utf8\"", "\"\xed\xa0\x80\"", `{"k":1,"k":2}`, "{\"\xff\":1}",
		// Not JSON: these must fall back, and encoding/json reports the error.
		``, ` `, `{`, `[1,]`, `{"a":1,}`, `{"a"}`, `{a:1}`, `'x'`, `"\'"`, `"\x"`, `"\u12"`, `"\u12g4"`, "\"a\nb\"",
		`01`, `1.`, `.5`, `-`, `1e`, `1e+`, `+1`, `tru`, `nul`, `[1 2]`, `{"a":1 "b":2}`, `1 2`, `[1]]`, `"abc`, `NaN`,
	} {
		checkJSONAny(t, []byte(s))
	}
	deep := strings.Repeat("[", jsonMaxDepth+1) + strings.Repeat("]", jsonMaxDepth+1)
	if _, err := parseJSONAny([]byte(deep)); err != errJSONFallback {
		t.Errorf("a document deeper than %d levels: %v, want a fallback", jsonMaxDepth, err)
	}
	ok := strings.Repeat("[", jsonMaxDepth) + strings.Repeat("]", jsonMaxDepth)
	checkJSONAny(t, []byte(ok))
}

func FuzzParseJSONAny(f *testing.F) {
	for _, s := range []string{
		`{"elements":[{"id":1,"name":"a","tags":["x","y"],"n":{"v":-1.5e3}}],"paging":{"start":0,"count":10}}`,
		`"\ud83d\ude00 \u00e9 \n"`, "\"\xff\"", `[1,2,[3,{"a":null}]]`, `{"a":true,"a":false}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkJSONAny(t, data)
	})
}

// benchCollectionBody is a small finder page: three ad accounts and paging.
var benchCollectionBody = []byte(`{"elements":[` +
	`{"id":507404993,"name":"Acme Brand Account","status":"ACTIVE","type":"BUSINESS","currency":"USD","reference":"urn:li:organization:123","test":true,"notifiedOnCampaignOptimization":false,"servingStatuses":["RUNNABLE"],"version":{"versionTag":"4"}},` +
	`{"id":507404994,"name":"Acme Draft Account","status":"DRAFT","type":"BUSINESS","currency":"USD","reference":"urn:li:organization:123","test":true,"notifiedOnCampaignOptimization":false,"servingStatuses":["ACCOUNT_TOTAL_BUDGET_HOLD"],"version":{"versionTag":"2"}},` +
	`{"id":507404995,"name":"Acme EU Account","status":"ACTIVE","type":"BUSINESS","currency":"EUR","reference":"urn:li:organization:123","test":true,"notifiedOnCampaignOptimization":true,"servingStatuses":["RUNNABLE"],"version":{"versionTag":"7"}}` +
	`],"paging":{"start":0,"count":5,"total":3,"links":[]}}`)

// BenchmarkParseJSONAny compares the untyped fast path with encoding/json
// on a small finder page.
func BenchmarkParseJSONAny(b *testing.B) {
	b.Run("fast", func(b *testing.B) {
		b.SetBytes(int64(len(benchCollectionBody)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := parseJSONAny(benchCollectionBody); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding_json", func(b *testing.B) {
		b.SetBytes(int64(len(benchCollectionBody)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := jsonStd(benchCollectionBody); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// checkCollectionAny compares the fast parser's decoding of a collection
// page (the typed path with T = any, as Finder uses it) with the
// encoding/json path on data.
func checkCollectionAny(t *testing.T, data []byte) (fast bool) {
	t.Helper()
	var w collectionWire[any]
	_, werr := decodeJSONFrom(bytes.NewReader(data), &prepared{}, &w)
	var fw collectionWire[any]
	if fastUnmarshalJSON(string(data), &fw) != nil {
		return false
	}
	if werr != nil {
		t.Fatalf("%q: fast path accepted, encoding/json says %v", data, werr)
	}
	if !reflect.DeepEqual(fw.Elements, w.Elements) {
		t.Fatalf("%q: elements\nfast %#v\nstd  %#v", data, fw.Elements, w.Elements)
	}
	if !reflect.DeepEqual(fw.Paging, w.Paging) {
		t.Fatalf("%q: paging\nfast %#v\nstd  %#v", data, fw.Paging, w.Paging)
	}
	if meta, want := rawToMap(fw.Metadata), rawToMap(w.Metadata); !reflect.DeepEqual(meta, want) {
		t.Fatalf("%q: metadata\nfast %#v\nstd  %#v", data, meta, want)
	}
	return true
}

func TestParseCollectionAny(t *testing.T) {
	for _, tt := range []struct {
		body string
		fast bool // taken by the fast path
	}{
		{string(benchCollectionBody), true},
		{`{}`, true},
		{` { "elements" : [ ] } `, true},
		{`{"elements":null,"paging":null,"metadata":null}`, true},
		{`{"elements":[{"a":1}],"paging":{},"metadata":{"m":[1]}}`, true},
		{`{"elements":[],"paging":{"start":-0,"count":10,"total":null,"links":[{"rel":"next","href":"/x?start=10","type":"application/json"},null,{}]}}`, true},
		{`{"elements":[],"metadata":5,"other":{"x":[true]}}`, true},
		{`{"elements":[1,"x"]}`, true}, // not objects: Finder reports it after parsing
		// Fallbacks: encoding/json decides (and may report an error).
		{`{"elements":[],"elements":[{"a":1}]}`, false},
		{`{"Elements":[{"a":1}]}`, false},
		{`{"paging":{"START":1}}`, false},
		{`{"paging":{"links":[{"Rel":"x"}]}}`, false},
		{`{"paging":{"links":[{"rel":1}]}}`, false},
		{`{"paging":{"start":1.5}}`, false},
		{`{"paging":{"start":1e2}}`, false},
		{`{"paging":{"start":99999999999999999999}}`, false},
		{`{"paging":{"start":"1"}}`, false},
		{`{"paging":[]}`, false},
		{`{"paging":{"links":[{}],"links":[]}}`, false},
		{`{"elements":{}}`, false},
		{`{"elements":"x"}`, false},
		{`[]`, false},
		{`null`, false},
		{``, false},
		{`{"elements":[]} x`, false},
		{`{"elements":[],}`, false},
	} {
		if got := checkCollectionAny(t, []byte(tt.body)); got != tt.fast {
			t.Errorf("%s: fast path %v, want %v", tt.body, got, tt.fast)
		}
	}
}

func FuzzParseCollectionAny(f *testing.F) {
	f.Add(benchCollectionBody)
	f.Add([]byte(`{"elements":[{"a":"\u00e9"}],"paging":{"start":0,"count":10,"total":2,"links":[{"rel":"next","href":"h","type":"t"}]},"metadata":{"k":null}}`))
	f.Add([]byte(`{"paging":{"links":null,"total":-3},"x":[1,{"y":false}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkCollectionAny(t, data)
	})
}
