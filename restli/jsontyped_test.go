// Tests that the typed fast parser of jsontyped.go decodes exactly as
// encoding/json does, and falls back to it for everything else.

package restli

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// typedSample exercises every kind the fast parser decodes itself and some
// it leaves to encoding/json.
type typedSample struct {
	ID     int64             `json:"id"`
	Small  int8              `json:"small"`
	U      uint16            `json:"u"`
	F      float32           `json:"f"`
	D      float64           `json:"d"`
	Name   string            `json:"name"`
	Named  shapeName         `json:"named"`
	OK     bool              `json:"ok"`
	N      json.Number       `json:"n"`
	Raw    json.RawMessage   `json:"raw"`
	Any    any               `json:"any"`
	List   []string          `json:"list"`
	Anys   []any             `json:"anys"`
	Obj    map[string]any    `json:"obj"`
	Counts map[string]int    `json:"counts"`
	Ptr    *typedInner       `json:"ptr"`
	Inners []typedInner      `json:"inners"`
	URN    URN               `json:"urn"`
	URNPtr *URN              `json:"urnPtr"`
	When   time.Time         `json:"when"`
	Err    *Error            `json:"err"`
	Errs   map[string]*Error `json:"errs"`
	Skip   string            `json:"-"`
	NoTag  int
	Self   *typedSample `json:"self"`
	typedEmbedded
}

type typedInner struct {
	A string `json:"a"`
	B []int  `json:"b"`
}

type typedEmbedded struct {
	Promoted string `json:"promoted"`
}

// typedStringOpt has a ",string" field: left to encoding/json.
type typedStringOpt struct {
	N int `json:"n,string"`
}

// typedBytes has a []byte field (base64): left to encoding/json.
type typedBytes struct {
	Bytes []byte `json:"bytes"`
}

// checkTyped decodes data into a new T with unmarshalJSON and with
// encoding/json, and compares results and errors; it reports whether the
// fast parser took the document.
func checkTyped[T any](t *testing.T, data []byte) (fast bool) {
	t.Helper()
	var want T
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	werr := dec.Decode(&want)
	if werr == nil {
		if off := dec.InputOffset(); !jsonSpaceOnly(data[off:]) {
			werr = errTrailingData
		}
	}
	var f T
	fast = fastUnmarshalJSON(string(data), &f) == nil
	if fast && werr != nil {
		t.Fatalf("%s: fast parser accepted, encoding/json says %v", data, werr)
	}
	if fast && !reflect.DeepEqual(f, want) {
		t.Fatalf("%s:\nfast %#v\nstd  %#v", data, f, want)
	}
	var got T
	gerr := unmarshalJSON(data, &got)
	if (gerr == nil) != (werr == nil) || werr == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: unmarshalJSON = %#v, %v; encoding/json %#v, %v", data, got, gerr, want, werr)
	}
	return fast
}

func TestUnmarshalJSON_TypedMatchesEncodingJSON(t *testing.T) {
	full := `{"id":-7,"small":12,"u":65535,"f":0.1,"d":1e300,"name":"caf\u00e9 \"x\"","named":"n","ok":true,
		"n":-1.5e3,"raw":{"a": [1, 2]},"any":{"k":[1,"x",null,true]},"list":["a","b"],"anys":[1,{"b":2}],
		"obj":{"x":1},"counts":{"a":1,"b":2},"ptr":{"a":"p","b":[1,2]},"inners":[{"a":"1"},{"b":[3]}],
		"urn":"urn:li:person:1","urnPtr":"urn:li:organization:2","when":"2024-01-02T03:04:05Z",
		"err":{"status":404,"message":"m","serviceErrorCode":1},"errs":{"k":{"status":500}},
		"Skip":"s","NoTag":3,"self":{"id":1,"self":null},"promoted":"p","unknown":{"deep":[1,{"x":"y"}]}}`
	tests := []struct {
		body string
		fast bool
	}{
		{full, true},
		{`{}`, true},
		{` { "id" : 1 } `, true},
		{`{"id":null,"name":null,"list":null,"obj":null,"ptr":null,"urn":null,"ok":null}`, true},
		{`{"notag":3}`, false},                    // case-insensitive match
		{`{"ID":1}`, false},                       // case-insensitive match
		{`{"id":1,"id":2}`, false},                // repeated key
		{`{"id":1.5}`, false},                     // not an integer
		{`{"small":300}`, false},                  // overflow
		{`{"u":-1}`, false},                       // negative unsigned
		{`{"f":1e40}`, false},                     // float32 overflow
		{`{"name":1}`, false},                     // wrong type
		{`{"ok":"true"}`, false},                  // wrong type
		{`{"n":"1"}`, false},                      // quoted number
		{`{"list":{}}`, false},                    // wrong type
		{`{"obj":[1]}`, false},                    // wrong type
		{`{"urn":"not a urn"}`, false},            // UnmarshalText fails
		{`{"when":"yesterday"}`, false},           // UnmarshalJSON fails
		{`{"id":1} x`, false},                     // trailing data
		{`{"id":1,}`, false},                      // invalid
		{`null`, false},                           // only null
		{`[]`, false},                             // wrong type
		{`{"unknown":[1,2,}`, false},              // invalid inside a skipped value
		{`{"unknown":"\x"}`, false},               // invalid escape inside a skipped value
		{`{"raw":01}`, false},                     // invalid number
		{"{\"name\":\"a\xffb\"}", true},           // invalid UTF-8 becomes U+FFFD
		{`{"any":1,"anys":[],"counts":{}}`, true}, // empty containers
	}
	for _, tt := range tests {
		if got := checkTyped[typedSample](t, []byte(tt.body)); got != tt.fast {
			t.Errorf("%s: fast %v, want %v", tt.body, got, tt.fast)
		}
	}
	if checkTyped[typedStringOpt](t, []byte(`{"n":"5"}`)) {
		t.Error("a ,string field was decoded by the fast parser")
	}
	if checkTyped[typedBytes](t, []byte(`{"bytes":"AAE="}`)) {
		t.Error("a []byte field was decoded by the fast parser")
	}
	checkTyped[[]typedInner](t, []byte(`[{"a":"x"},null,{"b":null}]`))
	checkTyped[map[string][]int](t, []byte(`{"a":[1],"a":[2,3]}`))
	checkTyped[collectionWire[typedInner]](t, benchCollectionBody)
	checkTyped[collectionWire[map[string]any]](t, benchCollectionBody)
	checkTyped[any](t, benchCollectionBody)
}

func FuzzUnmarshalJSONTyped(f *testing.F) {
	f.Add([]byte(`{"id":1,"name":"a","list":["x"],"ptr":{"a":"b"},"obj":{"k":[1]},"raw":[true],"n":2}`))
	f.Add([]byte(`{"elements":[{"a":"x","b":[1]}],"paging":{"start":0,"count":1,"links":[{"rel":"next"}]}}`))
	f.Add([]byte(`{"counts":{"a":1,"a":2},"urn":"urn:li:x:1","err":{"status":1}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkTyped[typedSample](t, data)
		checkTyped[collectionWire[typedInner]](t, data)
		checkTyped[batchGetWire[map[string]any]](t, data)
	})
}
