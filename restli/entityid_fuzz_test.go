// Fuzz targets of created-key decoding.

package restli_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/linkedin-go/linkedin/restli"
)

// FuzzDecodeEntityID feeds X-RestLi-Id header values (and batch-create
// "id" members), which come from the server, to DecodeEntityID. It must never
// panic, fail only with a *restli.DecodeError, return only the untyped
// shapes (string, []any, map[string]any), give a plain value back unchanged,
// and undo ReducedEncode for every simple string key.
// Seeds live in testdata/fuzz/FuzzDecodeEntityID.
func FuzzDecodeEntityID(f *testing.F) {
	for _, s := range []string{
		"123", "urn:li:sponsoredAccount:9", "urn%3Ali%3Aperson%3A1",
		"(account:urn%3Ali%3AsponsoredAccount%3A9,member:urn%3Ali%3Aperson%3A1)",
		"List(1,2)", "(a:b)", "''", "%", "%2", "%2C%28%29%3a%27%25", "(", "List(",
		"(a:List((b:c)))", "\xff", "%zz",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := restli.DecodeEntityID(raw)
		if err != nil {
			var de *restli.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %T (%v), want *restli.DecodeError", err, err)
			}
			if strings.Contains(err.Error(), raw) && len(raw) > 8 {
				t.Fatalf("error text quotes the input: %v", err)
			}
			return
		}
		checkUntyped(t, v, 0)
		structured := strings.HasPrefix(raw, "(") || strings.HasPrefix(raw, "List(")
		if !structured {
			s, ok := v.(string)
			if !ok {
				t.Fatalf("simple key decoded to %T", v)
			}
			if !strings.Contains(raw, "%") && s != raw {
				t.Fatalf("plain value changed: %q -> %q", raw, s)
			}
			if len(s) > len(raw) {
				t.Fatalf("decoding grew the key: %d -> %d bytes", len(raw), len(s))
			}
		}
		// Whatever the server sends back for a simple string key we created
		// must decode to that key.
		if raw != "" && utf8.ValidString(raw) {
			enc, err := restli.ReducedEncode(raw)
			if err != nil {
				t.Fatalf("ReducedEncode(%q): %v", raw, err)
			}
			back, err := restli.DecodeEntityID(enc)
			if err != nil {
				t.Fatalf("DecodeEntityID(ReducedEncode(%q)) = %q: %v", raw, enc, err)
			}
			if back != raw {
				t.Fatalf("DecodeEntityID(ReducedEncode(%q)) = %#v (encoded %q)", raw, back, enc)
			}
		}
		// A structured key decoded once must survive re-encoding.
		if structured {
			enc, err := restli.ReducedEncode(v)
			if err != nil {
				t.Fatalf("ReducedEncode(%#v): %v", v, err)
			}
			back, err := restli.DecodeEntityID(enc)
			if err != nil {
				t.Fatalf("re-decoding %q: %v", enc, err)
			}
			if !reflect.DeepEqual(back, v) {
				t.Fatalf("round trip changed the key: %#v -> %q -> %#v", v, enc, back)
			}
		}
	})
}

// checkUntyped fails unless v is made only of string, []any and
// map[string]any, nested at most 1001 levels.
func checkUntyped(t *testing.T, v any, depth int) {
	t.Helper()
	if depth > 1001 {
		t.Fatalf("value nested deeper than the decoder's limit")
	}
	switch x := v.(type) {
	case string:
	case []any:
		for _, e := range x {
			checkUntyped(t, e, depth+1)
		}
	case map[string]any:
		for _, e := range x {
			checkUntyped(t, e, depth+1)
		}
	default:
		t.Fatalf("decoded value of type %T", v)
	}
}
