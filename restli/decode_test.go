// Tests of the Rest.li 2.0 decoder.

package restli

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want any
	}{
		// §9 rows 23 and 24.
		{"23 compound key with a raw space", "(account:urn%3Ali%3AsponsoredAccount%3A9,member:urn%3Ali%3Aperson%3Ax y)",
			map[string]any{"account": "urn:li:sponsoredAccount:9", "member": "urn:li:person:x y"}},
		{"24 empty, apostrophes, plus", "List('',%27%27,a+b)", []any{"", "''", "a+b"}},
		// Strings.
		{"plain", "abc", "abc"},
		{"empty string", "''", ""},
		{"escaped apostrophes are literal", "%27%27", "''"},
		{"one apostrophe", "'", "'"},
		{"three apostrophes", "'''", "'''"},
		{"apostrophes inside", "a''b", "a''b"},
		{"half escaped", "'%27", "''"},
		{"plus is not a space", "a+b", "a+b"},
		{"lower-case hex", "%c3%a9%2c", "é,"},
		{"upper-case hex", "%C3%A9%2C", "é,"},
		{"raw non-ASCII", "café ☕", "café ☕"},
		{"percent run", "%F0%9F%91%8D", "👍"},
		{"escapes next to raw text", "a%20b%3Ac", "a b:c"},
		{"grammar escaped", "List%28x%29", "List(x)"},
		{"word List alone", "List", "List"},
		{"List as map key and value", "(List:List)", map[string]any{"List": "List"}},
		{"escaped List still starts a list (reference compares decoded text)", "Li%73t(a)", []any{"a"}},
		{"raw controls and symbols", "a\tb&c=d;e/f?g#h", "a\tb&c=d;e/f?g#h"},
		// Lists and maps.
		{"empty list", "List()", []any{}},
		{"empty map", "()", map[string]any{}},
		{"list of empty string", "List('')", []any{""}},
		{"empty key", "('':x)", map[string]any{"": "x"}},
		{"13", "('':x,a:List(1,2),b:2)", map[string]any{"": "x", "a": []any{"1", "2"}, "b": "2"}},
		{"14", "List(List(1,List()),(k:List(())))", []any{[]any{"1", []any{}}, map[string]any{"k": []any{map[string]any{}}}}},
		{"17", "($params:(v:1.0),id:a%2Cb)", map[string]any{"$params": map[string]any{"v": "1.0"}, "id": "a,b"}},
		{"duplicate keys: last wins", "(a:1,b:2,a:3)", map[string]any{"a": "3", "b": "2"}},
		{"unsorted keys accepted", "(b:1,a:2)", map[string]any{"a": "2", "b": "1"}},
		{"nested lists", "List(List(List()))", []any{[]any{[]any{}}}},
		{"finder", "(status:(values:List(ACTIVE,DRAFT)),test:false)",
			map[string]any{"status": map[string]any{"values": []any{"ACTIVE", "DRAFT"}}, "test": "false"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for name, fn := range map[string]func(string) (any, error){"Decode": Decode, "ReducedDecode": ReducedDecode} {
				got, err := fn(tt.in)
				if err != nil {
					t.Fatalf("%s(%q): %v", name, tt.in, err)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("%s(%q) = %#v, want %#v", name, tt.in, got, tt.want)
				}
			}
		})
	}
}

// Every error of §3.3 (and row 25 of §9), with the offset of the offending
// token.
func TestDecode_Errors(t *testing.T) {
	tests := []struct {
		in       string
		offset   int
		reason   string // a substring of the reason
		sentinel error
	}{
		{"", 0, "unexpected end of input", nil},
		{"(a:b", 4, "unexpected end of input", nil},
		{"List(", 5, "unexpected end of input", nil},
		{"List(a", 6, "unexpected end of input", nil},
		{"(a", 2, "unexpected end of input", nil},
		{"(a:", 3, "unexpected end of input", nil},
		{"(", 1, "unexpected end of input", nil},
		{"(a)", 2, "expected ':'", nil},
		{"(a,b)", 2, "expected ':'", nil},
		{"(:b)", 1, "expected a map key", nil},
		{"(a:b,)", 5, "expected a map key", nil},
		{"(List(a):b)", 1, "expected a map key", nil},
		{"((a:b):c)", 1, "expected a map key", nil},
		{"List(a,)", 7, "unexpected ')' at the start of a value", nil},
		{"List(,a)", 5, "unexpected ',' at the start of a value", nil},
		{")", 0, "unexpected ')' at the start of a value", nil},
		{",x", 0, "unexpected ',' at the start of a value", nil},
		{":", 0, "unexpected ':' at the start of a value", nil},
		{"(a:)", 3, "at the start of a value", nil},
		{"(a:,b:c)", 3, "at the start of a value", nil},
		{"a:b", 1, "after a complete value", nil},
		{"(a:b)c", 5, "after a complete value", nil},
		{"List(a)(b)", 7, "after a complete value", nil},
		{"urn:li:x:1", 3, "after a complete value", nil},
		{"urn:li:share:1", 3, "after a complete value", nil},
		{"a)", 1, "after a complete value", nil},
		{"xList(a)", 5, "after a complete value", nil},
		{"List(xList(a))", 10, "expected ',' or ')' in a list", nil},
		{"List((a:b)c)", 10, "expected ',' or ')' in a list", nil},
		{"(a:b(c))", 4, "expected ',' or ')' in a map", nil},
		{"''(a:b)", 2, "after a complete value", nil},
		{"%", 0, "malformed percent-encoded octet", nil},
		{"%4", 0, "malformed percent-encoded octet", nil},
		{"abc%", 3, "malformed percent-encoded octet", nil},
		{"(a:b%2", 4, "malformed percent-encoded octet", nil},
		{"%zz", 0, "invalid hexadecimal digit", nil},
		{"%G0", 0, "invalid hexadecimal digit", nil},
		{"%0G", 0, "invalid hexadecimal digit", nil},
		{"ab%4)", 2, "invalid hexadecimal digit", nil},
		{"x%20%2", 4, "malformed percent-encoded octet", nil},
		{"%C3", 0, "not valid UTF-8", ErrInvalidUTF8},
		{"ab%FF", 2, "not valid UTF-8", ErrInvalidUTF8},
		{"%41%C3%28", 3, "not valid UTF-8", ErrInvalidUTF8},
		{"%E2%82", 0, "not valid UTF-8", ErrInvalidUTF8},
		{"%ED%A0%80", 0, "not valid UTF-8", ErrInvalidUTF8}, // UTF-16 surrogate
		{"%C3\xa9", 0, "not valid UTF-8", ErrInvalidUTF8},   // a run is checked on its own
		{"é%A9", 2, "not valid UTF-8", ErrInvalidUTF8},
		{"ab\xff", 2, "invalid UTF-8", ErrInvalidUTF8},
		{"(a:\xc3)", 3, "invalid UTF-8", ErrInvalidUTF8},
	}
	for _, tt := range tests {
		for name, fn := range map[string]func(string) (any, error){"Decode": Decode, "ReducedDecode": ReducedDecode} {
			v, err := fn(tt.in)
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Errorf("%s(%q) = %#v, %v; want a *DecodeError", name, tt.in, v, err)
				continue
			}
			if v != nil {
				t.Errorf("%s(%q) returned a value with an error", name, tt.in)
			}
			if de.Offset != tt.offset || !strings.Contains(de.Reason, tt.reason) {
				t.Errorf("%s(%q): offset %d reason %q; want offset %d reason containing %q", name, tt.in, de.Offset, de.Reason, tt.offset, tt.reason)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("%s(%q): %v does not match %v", name, tt.in, err, tt.sentinel)
			}
			if de.ErrorType() != "restli.decode_error" {
				t.Errorf("ErrorType = %q", de.ErrorType())
			}
			if !strings.HasPrefix(err.Error(), "restli: cannot decode value at offset "+strconv.Itoa(tt.offset)+": ") {
				t.Errorf("Error() = %q", err)
			}
		}
	}
}

func TestDecode_ErrorsDoNotLeakInput(t *testing.T) {
	inputs := []string{
		"(token:" + secret,
		"(token:" + secret + ")" + secret,
		secret + ":x",
		"List(" + secret + "%zz)",
		"(" + secret + ")",
		secret + "%C3",
		"List(" + secret + ",)",
	}
	for _, in := range inputs {
		_, err := Decode(in)
		if err == nil {
			t.Fatalf("Decode(%q) succeeded", in)
		}
		if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "token") {
			t.Errorf("error leaks the input: %q", err)
		}
	}
}

func TestDecode_DepthLimit(t *testing.T) {
	ok := strings.Repeat("List(", codecMaxDepth) + strings.Repeat(")", codecMaxDepth)
	if _, err := Decode(ok); err != nil {
		t.Errorf("%d levels: %v", codecMaxDepth, err)
	}
	tooDeep := strings.Repeat("List(", codecMaxDepth+1) + strings.Repeat(")", codecMaxDepth+1)
	_, err := Decode(tooDeep)
	var de *DecodeError
	if !errors.As(err, &de) || !errors.Is(err, ErrTooDeep) || de.Offset != 5*codecMaxDepth {
		t.Errorf("%d levels: got %v, want ErrTooDeep at offset %d", codecMaxDepth+1, err, 5*codecMaxDepth)
	}
	// Unbalanced input far deeper than the limit fails fast without
	// exhausting the stack.
	if _, err := Decode(strings.Repeat("(a:", 1_000_000)); !errors.Is(err, ErrTooDeep) {
		t.Errorf("deep maps: got %v, want ErrTooDeep", err)
	}
	// Sibling containers do not add up.
	wide := "List(" + strings.Repeat("List(),", 5000) + "List())"
	if v, err := Decode(wide); err != nil || len(v.([]any)) != 5001 {
		t.Errorf("wide list: %v", err)
	}
}

// stringify turns a value into what decoding its encoding gives back: leaves
// become their text.
func stringify(v any) any {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case json.Number:
		return string(x)
	case []any:
		out := []any{}
		for _, e := range x {
			out = append(out, stringify(e))
		}
		return out
	case []string:
		out := []any{}
		for _, e := range x {
			out = append(out, e)
		}
		return out
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			out[k] = stringify(e)
		}
		return out
	}
	panic("stringify: unexpected type")
}

// roundTripValues exercise every character class in every position.
var roundTripValues = []any{
	"",
	"''",
	"'",
	"List",
	"List(x)",
	"()",
	"%",
	"%41",
	"a+b c",
	"\x00\x01\t\r\n\x7f",
	" !\"#$%&'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~",
	"café ☕ 👍 日本 \uFFFD \U0010FFFF",
	"urn:li:endorsement:(urn:li:person:abc,42)",
	42, -7, true, false, 1.5, json.Number("1e+21"),
	[]any{},
	[]any{""},
	[]any{"", "", ""},
	map[string]any{},
	map[string]any{"": ""},
	map[string]any{"List": []any{"List"}, "(": ")", ",": ":", "'": "''", "%": "%25"},
	[]any{[]any{[]any{}}, map[string]any{"a": map[string]any{"b": []any{map[string]any{}}}}},
	[]string{"a b", "c,d"},
	map[string]any{"$params": map[string]any{"v": "1.0"}, "id": "a,b", "x y": []any{1, "2", true}},
}

func TestRoundTrip(t *testing.T) {
	for _, v := range roundTripValues {
		want := stringify(v)
		for _, c := range []struct {
			name string
			enc  func(any) (string, error)
			dec  func(string) (any, error)
		}{
			{"query", Encode, Decode},
			{"path", EncodePathKey, Decode},
			{"reduced", ReducedEncode, ReducedDecode},
		} {
			s, err := c.enc(v)
			if err != nil {
				t.Fatalf("%s encode %#v: %v", c.name, v, err)
			}
			got, err := c.dec(s)
			if err != nil {
				t.Fatalf("%s decode %q: %v", c.name, s, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s round trip of %#v via %q = %#v", c.name, v, s, got)
			}
		}
	}
}

// Every single character (and every byte of the Latin-1 range as bytes)
// survives each form.
func TestRoundTrip_AllCharacters(t *testing.T) {
	var b strings.Builder
	for r := rune(0); r < 0x800; r++ {
		b.WriteRune(r)
	}
	for _, r := range []rune{0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x1F44D, 0x10FFFF} {
		b.WriteRune(r)
	}
	all := b.String()
	for _, enc := range []func(any) (string, error){Encode, EncodePathKey, ReducedEncode} {
		s, err := enc(map[string]any{all: []any{all}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := Decode(s)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, map[string]any{all: []any{all}}) {
			t.Errorf("round trip failed for %q", s[:40])
		}
	}
}

func TestRoundTrip_Floats(t *testing.T) {
	for _, f := range []float64{0, 1, -1, 0.1, 1e-6, 1e-7, 1e20, 1e21, 123456789.125, math.MaxFloat64, math.SmallestNonzeroFloat64, -2.5e-300} {
		s, err := Encode(f)
		if err != nil {
			t.Fatal(err)
		}
		v, err := Decode(s)
		if err != nil {
			t.Fatal(err)
		}
		back, err := strconv.ParseFloat(v.(string), 64)
		if err != nil || back != f {
			t.Errorf("%v → %q → %v, %v", f, s, back, err)
		}
	}
	// float32 texts round-trip at 32 bits.
	for _, f := range []float32{0.1, 1.1, 3.4e38, 1e-7, 16777217} {
		s, _ := Encode(f)
		v, _ := Decode(s)
		back, err := strconv.ParseFloat(v.(string), 32)
		if err != nil || float32(back) != f {
			t.Errorf("float32 %v → %q → %v, %v", f, s, back, err)
		}
	}
}
