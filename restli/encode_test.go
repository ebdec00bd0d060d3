// Tests of the Rest.li 2.0 encoder.

package restli

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

// encodeAll returns v in the three forms, failing the test on error.
func encodeAll(t *testing.T, v any) (q, p, r string) {
	t.Helper()
	var err error
	if q, err = Encode(v); err != nil {
		t.Fatalf("Encode(%#v): %v", v, err)
	}
	if p, err = EncodePathKey(v); err != nil {
		t.Fatalf("EncodePathKey(%#v): %v", v, err)
	}
	if r, err = ReducedEncode(v); err != nil {
		t.Fatalf("ReducedEncode(%#v): %v", v, err)
	}
	return q, p, r
}

// Rows 1–18 of the protocol reference §9. An empty p or r means "same as q".
func TestEncode_WorkedExamples(t *testing.T) {
	tests := []struct {
		name    string
		v       any
		q, p, r string
	}{
		{"1 space", "hello world", "hello%20world", "", "hello world"},
		{"1 empty", "", "''", "", ""},
		{"2 urn", "urn:li:person:AbC-12_x", "urn%3Ali%3Aperson%3AAbC-12_x", "", ""},
		{"3 tuple urn", "urn:li:endorsement:(urn:li:person:abc,42)", "urn%3Ali%3Aendorsement%3A%28urn%3Ali%3Aperson%3Aabc%2C42%29", "", ""},
		{"4 percent amp", "50% off & more", "50%25%20off%20%26%20more", "50%25%20off%20&%20more", "50%25 off & more"},
		{"5 slash query hash", "a/b?c=d#e", "a/b?c%3Dd%23e", "a%2Fb%3Fc=d%23e", "a/b?c=d#e"},
		{"6 plus semicolon at", "x+y;z@w", "x%2By;z@w", "x+y%3Bz@w", "x+y;z@w"},
		{"7 cafe", "café ☕", "caf%C3%A9%20%E2%98%95", "", "café ☕"},
		{"7 emoji", "👍", "%F0%9F%91%8D", "", "👍"},
		{"8 apostrophe", "it's", "it%27s", "", ""},
		{"8 two apostrophes", "''", "%27%27", "", ""},
		{"9 List lookalike", "List(x)", "List%28x%29", "", ""},
		{"9 percent", "%41", "%2541", "", ""},
		{"10 marks", "~*!$'()", "~*!$%27%28%29", "", ""},
		{"11 eleven", "\"<>[]{}|\\^`", "%22%3C%3E%5B%5D%7B%7D%7C%5C%5E%60", "", "\"<>[]{}|\\^`"},
		{"12 empty list", []any{}, "List()", "", ""},
		{"12 empty map", map[string]any{}, "()", "", ""},
		{"12 list of empty", []any{""}, "List('')", "", ""},
		{"13 sorted map", map[string]any{"b": "2", "a": []any{1, 2}, "": "x"}, "('':x,a:List(1,2),b:2)", "", ""},
		{"14 nesting", []any{[]any{1, []any{}}, map[string]any{"k": []any{map[string]any{}}}}, "List(List(1,List()),(k:List(())))", "", ""},
		{"15 key escaping", map[string]any{"a b": "c:d"}, "(a%20b:c%3Ad)", "(a%20b:c%3Ad)", "(a b:c%3Ad)"},
		{"16 compound key", map[string]any{"member": "urn:li:person:x y", "account": "urn:li:sponsoredAccount:9"},
			"(account:urn%3Ali%3AsponsoredAccount%3A9,member:urn%3Ali%3Aperson%3Ax%20y)", "",
			"(account:urn%3Ali%3AsponsoredAccount%3A9,member:urn%3Ali%3Aperson%3Ax y)"},
		{"17 complex key", map[string]any{"$params": map[string]any{"v": "1.0"}, "id": "a,b"}, "($params:(v:1.0),id:a%2Cb)", "", ""},
		{"17 response key", map[string]any{"id": "a,b"}, "(id:a%2Cb)", "", ""},
		{"18 negative", -42, "-42", "", ""},
		{"18 float", 3.5, "3.5", "", ""},
		{"18 bool", true, "true", "", ""},
		{"18 tab", "tab\there", "tab%09here", "", "tab\there"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantP, wantR := tt.p, tt.r
			if wantP == "" {
				wantP = tt.q
			}
			if wantR == "" {
				wantR = tt.q
			}
			q, p, r := encodeAll(t, tt.v)
			if q != tt.q {
				t.Errorf("Encode = %q, want %q", q, tt.q)
			}
			if p != wantP {
				t.Errorf("EncodePathKey = %q, want %q", p, wantP)
			}
			if r != wantR {
				t.Errorf("ReducedEncode = %q, want %q", r, wantR)
			}
		})
	}
}

// TestEncode_CharacterTable checks every ASCII character in all three forms
// against the protocol reference §2.3, written out here row by row.
func TestEncode_CharacterTable(t *testing.T) {
	const raw, esc = true, false
	// Printable non-alphanumeric characters: query, path, reduced.
	special := map[byte][3]bool{
		' ':  {esc, esc, raw},
		'!':  {raw, raw, raw},
		'"':  {esc, esc, raw},
		'#':  {esc, esc, raw},
		'$':  {raw, raw, raw},
		'%':  {esc, esc, esc},
		'&':  {esc, raw, raw},
		'\'': {esc, esc, esc},
		'(':  {esc, esc, esc},
		')':  {esc, esc, esc},
		'*':  {raw, raw, raw},
		'+':  {esc, raw, raw},
		',':  {esc, esc, esc},
		'-':  {raw, raw, raw},
		'.':  {raw, raw, raw},
		'/':  {raw, esc, raw},
		':':  {esc, esc, esc},
		';':  {raw, esc, raw},
		'<':  {esc, esc, raw},
		'=':  {esc, raw, raw},
		'>':  {esc, esc, raw},
		'?':  {raw, esc, raw},
		'@':  {raw, raw, raw},
		'[':  {esc, esc, raw},
		'\\': {esc, esc, raw},
		']':  {esc, esc, raw},
		'^':  {esc, esc, raw},
		'_':  {raw, raw, raw},
		'`':  {esc, esc, raw},
		'{':  {esc, esc, raw},
		'|':  {esc, esc, raw},
		'}':  {esc, esc, raw},
		'~':  {raw, raw, raw},
	}
	encoders := [3]struct {
		name string
		fn   func(any) (string, error)
	}{{"query", Encode}, {"path", EncodePathKey}, {"reduced", ReducedEncode}}
	counted := 0
	for c := 0; c < 0x80; c++ {
		var want [3]bool
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			want = [3]bool{raw, raw, raw}
		case c < 0x20 || c == 0x7F:
			want = [3]bool{esc, esc, raw} // controls: raw only in reduced form
		default:
			w, ok := special[byte(c)]
			if !ok {
				t.Fatalf("test table has no row for %q", rune(c))
			}
			want = w
			counted++
		}
		for f, enc := range encoders {
			got, err := enc.fn(string(rune(c)))
			if err != nil {
				t.Fatalf("%s(%q): %v", enc.name, rune(c), err)
			}
			exp := string(rune(c))
			if !want[f] {
				exp = fmt.Sprintf("%%%02X", c)
			}
			if got != exp {
				t.Errorf("%s(%q) = %q, want %q", enc.name, rune(c), got, exp)
			}
		}
	}
	if counted != len(special) {
		t.Errorf("checked %d special characters, table has %d", counted, len(special))
	}
}

func TestEncode_NonASCII(t *testing.T) {
	tests := []struct{ in, q string }{
		{"é", "%C3%A9"},
		{"日本", "%E6%97%A5%E6%9C%AC"},
		{"\u00a0", "%C2%A0"},
		{"\uFFFD", "%EF%BF%BD"},        // a real replacement character is valid
		{"\U0010FFFF", "%F4%8F%BF%BF"}, // the last code point
		{"a\u2028b", "a%E2%80%A8b"},
	}
	for _, tt := range tests {
		q, p, r := encodeAll(t, tt.in)
		if q != tt.q || p != tt.q {
			t.Errorf("Encode/EncodePathKey(%q) = %q/%q, want %q", tt.in, q, p, tt.q)
		}
		if r != tt.in {
			t.Errorf("ReducedEncode(%q) = %q, want it raw", tt.in, r)
		}
	}
}

func TestEncode_MapKeysSortedByteWise(t *testing.T) {
	v := map[string]any{"b": 1, "a": 1, "B": 1, "_": 1, "$x": 1, "1": 1, "é": 1, "aa": 1, "": 1, "z": 1,
		"k01": 1, "k02": 1, "k03": 1, "k04": 1, "k05": 1, "k06": 1, "k07": 1, "k08": 1} // > 16 keys: heap path
	got, err := ReducedEncode(v)
	if err != nil {
		t.Fatal(err)
	}
	want := "('':1,$x:1,1:1,B:1,_:1,a:1,aa:1,b:1,k01:1,k02:1,k03:1,k04:1,k05:1,k06:1,k07:1,k08:1,z:1,é:1)"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// The same keys through the reflection path and map[string]string.
	ms := map[string]string{}
	mr := map[string]int{}
	for k := range v {
		ms[k] = "1"
		mr[k] = 1
	}
	for _, x := range []any{ms, mr} {
		if got, err := ReducedEncode(x); err != nil || got != want {
			t.Errorf("ReducedEncode(%T) = %q, %v; want %q", x, got, err, want)
		}
	}
}

func TestEncode_ListKeepsOrder(t *testing.T) {
	tests := []struct {
		v    any
		want string
	}{
		{[]any{"b", "a", 3}, "List(b,a,3)"},
		{[]string{"b", "", "a"}, "List(b,'',a)"},
		{[]int{3, 1, 2}, "List(3,1,2)"},
		{[2]string{"y", "x"}, "List(y,x)"},
		{[]map[string]any{{"b": 1, "a": 2}}, "List((a:2,b:1))"},
		{[]any(nil), "List()"},
		{[]string(nil), "List()"},
		{[]int(nil), "List()"},
		{map[string]any(nil), "()"},
		{map[string]int(nil), "()"},
		{[0]int{}, "List()"},
	}
	for _, tt := range tests {
		if got, err := Encode(tt.v); err != nil || got != tt.want {
			t.Errorf("Encode(%#v) = %q, %v; want %q", tt.v, got, err, tt.want)
		}
	}
}

type (
	testInt     int
	testString  string
	testFloat32 float32
	testBool    bool
)

func TestEncode_Numbers(t *testing.T) {
	tests := []struct {
		v         any
		q, p, r   string
		scalarTxt string
	}{
		{int(-7), "-7", "", "", ""},
		{int8(-128), "-128", "", "", ""},
		{int16(32767), "32767", "", "", ""},
		{int32(-2147483648), "-2147483648", "", "", ""},
		{int64(math.MinInt64), "-9223372036854775808", "", "", ""},
		{uint(7), "7", "", "", ""},
		{uint8(255), "255", "", "", ""},
		{uint16(65535), "65535", "", "", ""},
		{uint32(4294967295), "4294967295", "", "", ""},
		{uint64(math.MaxUint64), "18446744073709551615", "", "", ""},
		{uintptr(9), "9", "", "", ""},
		{testInt(5), "5", "", "", ""},
		{float64(0), "0", "", "", ""},
		{math.Copysign(0, -1), "-0", "", "", ""},
		{1.5, "1.5", "", "", ""},
		{2.0, "2", "", "", ""},
		{0.1, "0.1", "", "", ""},
		{1e20, "100000000000000000000", "", "", ""},
		{1e21, "1e%2B21", "1e+21", "1e+21", "1e+21"},
		{-1e21, "-1e%2B21", "-1e+21", "-1e+21", "-1e+21"},
		{1e-6, "0.000001", "", "", ""},
		{1e-7, "1e-7", "", "", ""},
		{123456789e-15, "1.23456789e-7", "", "", ""},
		{math.MaxFloat64, "1.7976931348623157e%2B308", "1.7976931348623157e+308", "1.7976931348623157e+308", "1.7976931348623157e+308"},
		{float32(0.1), "0.1", "", "", ""}, // formatted as float32, not 0.10000000149011612
		{float32(3.4e38), "3.4e%2B38", "3.4e+38", "3.4e+38", "3.4e+38"},
		{float32(1e-7), "1e-7", "", "", ""},
		{testFloat32(2.5), "2.5", "", "", ""},
		{true, "true", "", "", ""},
		{testBool(false), "false", "", "", ""},
		{json.Number("12345678901234567890"), "12345678901234567890", "", "", ""},
		{json.Number("-1.5e+10"), "-1.5e%2B10", "-1.5e+10", "-1.5e+10", "-1.5e+10"},
		{json.Number("0"), "0", "", "", ""},
	}
	for _, tt := range tests {
		for _, c := range []struct {
			fn   func(any) (string, error)
			want string
		}{{Encode, tt.q}, {EncodePathKey, tt.p}, {ReducedEncode, tt.r}} {
			want := c.want
			if want == "" {
				want = tt.q
			}
			if got, err := c.fn(tt.v); err != nil || got != want {
				t.Errorf("encode %T(%v) = %q, %v; want %q", tt.v, tt.v, got, err, want)
			}
		}
		want := tt.scalarTxt
		if want == "" {
			want = tt.q
		}
		if got, err := scalarText(tt.v); err != nil || got != want {
			t.Errorf("scalarText(%T(%v)) = %q, %v; want %q", tt.v, tt.v, got, err, want)
		}
	}
}

// testURN is a URN-like struct that marshals as text.
type testURN struct{ Type, ID string }

func (u testURN) MarshalText() ([]byte, error) { return []byte("urn:li:" + u.Type + ":" + u.ID), nil }

// testStatus is an enum that marshals as text.
type testStatus int

func (s testStatus) MarshalText() ([]byte, error) {
	return []byte([...]string{"ACTIVE", "PAUSED"}[s]), nil
}

// testPtrText implements encoding.TextMarshaler on the pointer only.
type testPtrText struct{ V string }

func (t *testPtrText) MarshalText() ([]byte, error) { return []byte("text:" + t.V), nil }

// testBoth implements both; TextMarshaler wins.
type testBoth struct{}

func (testBoth) String() string               { return "stringer" }
func (testBoth) MarshalText() ([]byte, error) { return []byte("marshaler"), nil }

// testFailing fails to marshal, quoting its value in the error.
type testFailing struct{ Secret string }

func (f testFailing) MarshalText() ([]byte, error) {
	return nil, errors.New("cannot marshal " + f.Secret)
}

// testBadText returns invalid UTF-8.
type testBadText struct{}

func (testBadText) MarshalText() ([]byte, error) { return []byte("bad\xff"), nil }

func TestEncode_TextValues(t *testing.T) {
	urn := testURN{"person", "a b"}
	ts := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name string
		v    any
		q, r string
	}{
		{"text struct", urn, "urn%3Ali%3Aperson%3Aa%20b", "urn%3Ali%3Aperson%3Aa b"},
		{"pointer to text struct", &urn, "urn%3Ali%3Aperson%3Aa%20b", "urn%3Ali%3Aperson%3Aa b"},
		{"text struct in map", map[string]any{"owner": urn}, "(owner:urn%3Ali%3Aperson%3Aa%20b)", "(owner:urn%3Ali%3Aperson%3Aa b)"},
		{"text struct in list", []testURN{urn}, "List(urn%3Ali%3Aperson%3Aa%20b)", "List(urn%3Ali%3Aperson%3Aa b)"},
		{"enum", testStatus(1), "PAUSED", "PAUSED"},
		{"enum list", []testStatus{0, 1}, "List(ACTIVE,PAUSED)", "List(ACTIVE,PAUSED)"},
		{"pointer receiver", &testPtrText{"x"}, "text%3Ax", "text%3Ax"},
		{"pointer receiver, addressable field", &struct{ T testPtrText }{testPtrText{"y"}}, "(T:text%3Ay)", "(T:text%3Ay)"},
		{"pointer receiver, unaddressable value: struct rule", testPtrText{"z"}, "(V:z)", "(V:z)"},
		{"marshaler beats stringer", testBoth{}, "marshaler", "marshaler"},
		{"time", ts, "2024-01-02T03%3A04%3A05Z", "2024-01-02T03%3A04%3A05Z"},
		{"duration: a String method is not text", 90 * time.Second, "90000000000", "90000000000"},
		{"named string", testString("a,b"), "a%2Cb", "a%2Cb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, _, r := encodeAll(t, tt.v)
			if q != tt.q || r != tt.r {
				t.Errorf("got %q / %q, want %q / %q", q, r, tt.q, tt.r)
			}
		})
	}
}

func TestEncode_Bytes(t *testing.T) {
	tests := []struct {
		v    any
		q, r string
	}{
		{[]byte("a b"), "a%20b", "a b"},
		{[]byte{0xE9}, "%C3%A9", "é"}, // byte 0xE9 is the character U+00E9
		{[]byte{0x00, 0xFF}, "%00%C3%BF", "\x00ÿ"},
		{[]byte{}, "''", "''"},
		{[]byte(nil), "''", "''"},
		{json.RawMessage("(x)"), "%28x%29", "%28x%29"},
		{[]testInt{1, 2}, "List(1,2)", "List(1,2)"},
		{[2]byte{1, 2}, "List(1,2)", "List(1,2)"}, // arrays are lists, as in encoding/json
	}
	for _, tt := range tests {
		q, _, r := encodeAll(t, tt.v)
		if q != tt.q || r != tt.r {
			t.Errorf("%#v: got %q / %q, want %q / %q", tt.v, q, r, tt.q, tt.r)
		}
	}
	if got, err := scalarText([]byte{'a', 0xE9}); err != nil || got != "aé" {
		t.Errorf("scalarText(bytes) = %q, %v", got, err)
	}
}

type testEmbedded struct {
	Inner  string `json:"inner"`
	Shadow string `json:"shadow"`
}

type testEmbeddedPtr struct {
	Deep string `json:"deep"`
}

type testAmbiguousA struct{ Same string }
type testAmbiguousB struct{ Same string }

type testZeroer struct{ n int }

func (z testZeroer) IsZero() bool                 { return z.n == 42 }
func (z testZeroer) MarshalText() ([]byte, error) { return []byte("zeroer"), nil }

type testRecord struct {
	ID       int64             `json:"id"`
	Name     string            `json:"name,omitempty"`
	Empty    string            `json:"empty,omitempty"`
	Skipped  string            `json:"-"`
	Dash     string            `json:"-,"`
	NoTag    bool              // uses the Go name
	Opt      *int              `json:"opt,omitempty"`
	Zero     time.Time         `json:"zero,omitzero"`
	Custom   testZeroer        `json:"custom,omitzero"`
	List     []string          `json:"list"`
	Attrs    map[string]string `json:"attrs,omitempty"`
	Shadow   string            `json:"shadow"` // shallower: beats testEmbedded.Shadow
	private  string
	Iface    any `json:"iface,omitempty"`
	Stringly int `json:"stringly,string"` // ",string" changes nothing: leaves are text anyway
	testEmbedded
	*testEmbeddedPtr
	testAmbiguousA // Same is ambiguous with testAmbiguousB.Same: dropped
	testAmbiguousB
}

func TestEncode_Structs(t *testing.T) {
	r := testRecord{
		ID: 7, Name: "n m", Skipped: "no", Dash: "d", NoTag: true, List: []string{"x"},
		Custom: testZeroer{42}, Shadow: "outer", private: "p", Stringly: 3,
		testEmbedded:   testEmbedded{Inner: "in", Shadow: "hidden"},
		testAmbiguousA: testAmbiguousA{"a"}, testAmbiguousB: testAmbiguousB{"b"},
	}
	want := "(-:d,NoTag:true,id:7,inner:in,list:List(x),name:n%20m,shadow:outer,stringly:3)"
	for _, v := range []any{r, &r} {
		got, err := Encode(v)
		if err != nil || got != want {
			t.Errorf("Encode(%T) = %q, %v\nwant %q", v, got, err, want)
		}
	}
	one := 1
	r.Opt, r.Name, r.Custom = &one, "", testZeroer{1}
	r.testEmbeddedPtr = &testEmbeddedPtr{Deep: "dp"}
	r.Iface = map[string]any{"k": "v"}
	r.Attrs = map[string]string{"b": "2", "a": "1"}
	want = "(-:d,NoTag:true,attrs:(a:1,b:2),custom:zeroer,deep:dp,id:7,iface:(k:v),inner:in,list:List(x),opt:1,shadow:outer,stringly:3)"
	if got, err := Encode(r); err != nil || got != want {
		t.Errorf("Encode = %q, %v\nwant %q", got, err, want)
	}
	if !isCompoundValue(r) || !isCompoundValue(&r) {
		t.Error("a struct is a compound value")
	}
	// An empty struct is an empty map.
	if got, err := Encode(struct{}{}); err != nil || got != "()" {
		t.Errorf("Encode(struct{}{}) = %q, %v", got, err)
	}
}

func TestEncode_Pointers(t *testing.T) {
	s, n, f := "a:b", 5, 2.5
	ps := &s
	num := json.Number("12")
	tests := []struct {
		v    any
		want string
	}{
		{&s, "a%3Ab"},
		{&ps, "a%3Ab"},
		{&n, "5"},
		{&f, "2.5"},
		{&num, "12"},
		{[]*int{&n, &n}, "List(5,5)"},
		{map[string]*string{"k": &s}, "(k:a%3Ab)"},
		{&[]any{1}, "List(1)"},
		{&map[string]any{"a": 1}, "(a:1)"},
		{[]any{&s}, "List(a%3Ab)"},
		{struct{ P *string }{&s}, "(P:a%3Ab)"},
	}
	for _, tt := range tests {
		if got, err := Encode(tt.v); err != nil || got != tt.want {
			t.Errorf("Encode(%T) = %q, %v; want %q", tt.v, got, err, tt.want)
		}
	}
}

// secret appears in the values of the rejection tests; no error text may
// contain it.
const secret = "s3cr3t-T0k3n"

func TestEncode_Rejects(t *testing.T) {
	type withChan struct {
		Name string `json:"name"`
		C    chan int
	}
	type node struct {
		Name string
		Next *node
	}
	cyc := &node{Name: secret}
	cyc.Next = cyc
	cycMap := map[string]any{"name": secret}
	cycMap["self"] = cycMap
	cycList := []any{secret, nil}
	cycList[1] = cycList
	selfPtr := new(any)
	*selfPtr = selfPtr
	var nilURN *testURN
	tests := []struct {
		name     string
		v        any
		sentinel error
		path     string
	}{
		{"nil", nil, ErrNilValue, ""},
		{"nil pointer", (*int)(nil), ErrNilValue, ""},
		{"nil stringer pointer", nilURN, ErrNilValue, ""},
		{"nil in list", []any{secret, nil}, ErrNilValue, "[1]"},
		{"nil in map", map[string]any{"a": secret, "b": nil}, ErrNilValue, "b"},
		{"nil pointer in struct", struct{ P *int }{}, ErrNilValue, "P"},
		{"nil interface in struct", struct{ I any }{}, ErrNilValue, "I"},
		{"nil pointer in nested list", map[string]any{"search": map[string]any{"values": []any{secret, secret, (*string)(nil)}}}, ErrNilValue, "search.values[2]"},
		{"channel", make(chan int), ErrUnsupportedType, ""},
		{"channel in struct", withChan{Name: secret, C: make(chan int)}, ErrUnsupportedType, "C"},
		{"func", func() {}, ErrUnsupportedType, ""},
		{"complex64", complex64(1), ErrUnsupportedType, ""},
		{"complex128 in list", []any{secret, complex(1, 2)}, ErrUnsupportedType, "[1]"},
		{"unsafe pointer", reflect.ValueOf(&nilURN).UnsafePointer(), ErrUnsupportedType, ""},
		{"int map key", map[int]string{1: secret}, ErrUnsupportedType, ""},
		{"struct map key", map[struct{}]string{{}: secret}, ErrUnsupportedType, ""},
		{"NaN", math.NaN(), ErrNonFinite, ""},
		{"+Inf", math.Inf(1), ErrNonFinite, ""},
		{"-Inf in map", map[string]any{"x": math.Inf(-1)}, ErrNonFinite, "x"},
		{"float32 NaN", float32(math.NaN()), ErrNonFinite, ""},
		{"named float Inf", []testFloat32{testFloat32(math.Inf(1))}, ErrNonFinite, "[0]"},
		{"bad json.Number", json.Number(secret), ErrInvalidNumber, ""},
		{"empty json.Number", json.Number(""), ErrInvalidNumber, ""},
		{"json.Number 01", json.Number("01"), ErrInvalidNumber, ""},
		{"json.Number 1.", json.Number("1."), ErrInvalidNumber, ""},
		{"json.Number in struct", struct{ N json.Number }{json.Number("1e")}, ErrInvalidNumber, "N"},
		{"invalid UTF-8", secret + "\xff", ErrInvalidUTF8, ""},
		{"invalid UTF-8 named", testString(secret + "\xc3"), ErrInvalidUTF8, ""},
		{"invalid UTF-8 in []string", []string{secret, "\xed\xa0\x80" + secret}, ErrInvalidUTF8, "[1]"}, // surrogate
		{"invalid UTF-8 key", map[string]any{secret + "\xff": 1}, ErrInvalidUTF8, "?"},
		{"invalid UTF-8 key, string map", map[string]string{"\xff": secret}, ErrInvalidUTF8, "?"},
		{"invalid UTF-8 value, string map", map[string]string{"k": secret + "\xff"}, ErrInvalidUTF8, "k"},
		{"invalid UTF-8 from MarshalText", testBadText{}, ErrInvalidUTF8, ""},
		{"pointer cycle", cyc, ErrTooDeep, ""},
		{"map cycle", cycMap, ErrTooDeep, ""},
		{"list cycle", cycList, ErrTooDeep, ""},
		{"self pointer", selfPtr, ErrTooDeep, ""},
		{"secret key in path is redacted", map[string]any{"urn:li:person:" + secret: make(chan int)}, ErrUnsupportedType, "?"},
	}
	forms := []struct {
		name string
		fn   func(any) (string, error)
	}{{"Encode", Encode}, {"EncodePathKey", EncodePathKey}, {"ReducedEncode", ReducedEncode},
		{"appendEncode", func(v any) (string, error) { b, err := appendEncode(nil, v); return string(b), err }}}
	for _, tt := range tests {
		for _, f := range forms {
			t.Run(tt.name+"/"+f.name, func(t *testing.T) {
				got, err := f.fn(tt.v)
				if err == nil {
					t.Fatalf("got %q, want an error", got)
				}
				var ee *EncodeError
				if !errors.As(err, &ee) {
					t.Fatalf("error %T %v is not an *EncodeError", err, err)
				}
				if !errors.Is(err, tt.sentinel) {
					t.Errorf("error %v does not match %v", err, tt.sentinel)
				}
				if tt.sentinel == ErrTooDeep {
					if len(ee.Path) > encPathMax+len("…") {
						t.Errorf("path of a cycle is %d bytes long", len(ee.Path))
					}
				} else if ee.Path != tt.path {
					t.Errorf("Path = %q, want %q", ee.Path, tt.path)
				}
				if ee.ErrorType() != "restli.encode_error" {
					t.Errorf("ErrorType = %q", ee.ErrorType())
				}
				if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "\xff") {
					t.Errorf("error text leaks the value: %q", err)
				}
				if ee.Reason == "" || !strings.HasPrefix(err.Error(), "restli: ") {
					t.Errorf("unhelpful error: %q", err)
				}
			})
		}
	}
}

func TestEncode_MarshalTextErrorIsWrappedNotPrinted(t *testing.T) {
	_, err := Encode(map[string]any{"k": testFailing{Secret: secret}})
	var ee *EncodeError
	if !errors.As(err, &ee) {
		t.Fatalf("got %v, want *EncodeError", err)
	}
	if strings.Contains(err.Error(), secret) {
		t.Errorf("error text leaks the value: %q", err)
	}
	if ee.Err == nil || !strings.Contains(ee.Err.Error(), secret) {
		t.Errorf("the marshaler's own error should stay reachable through Unwrap, got %v", ee.Err)
	}
	if ee.Path != "k" || !strings.Contains(ee.Reason, "restli.testFailing") {
		t.Errorf("Path %q Reason %q", ee.Path, ee.Reason)
	}
}

func TestEncode_DepthLimit(t *testing.T) {
	nest := func(n int) any {
		var v any = "x"
		for range n {
			v = []any{v}
		}
		return v
	}
	if _, err := Encode(nest(codecMaxDepth)); err != nil {
		t.Errorf("%d levels: %v", codecMaxDepth, err)
	}
	if _, err := Encode(nest(codecMaxDepth + 1)); !errors.Is(err, ErrTooDeep) {
		t.Errorf("%d levels: got %v, want ErrTooDeep", codecMaxDepth+1, err)
	}
	nestMap := func(n int) any {
		var v any = "x"
		for range n {
			v = map[string]any{"a": v}
		}
		return v
	}
	if _, err := Encode(nestMap(codecMaxDepth)); err != nil {
		t.Errorf("%d map levels: %v", codecMaxDepth, err)
	}
	if _, err := Encode(nestMap(codecMaxDepth + 1)); !errors.Is(err, ErrTooDeep) {
		t.Errorf("%d map levels: got %v, want ErrTooDeep", codecMaxDepth+1, err)
	}
	// Every container kind counts, including the innermost.
	for _, leaf := range []any{[]string{"x"}, map[string]string{"a": "x"}, []int{1}, map[string]int{"a": 1}} {
		var v any = leaf
		for range codecMaxDepth - 1 {
			v = []any{v}
		}
		if _, err := Encode(v); err != nil {
			t.Errorf("%T at level %d: %v", leaf, codecMaxDepth, err)
		}
		if _, err := Encode([]any{v}); !errors.Is(err, ErrTooDeep) {
			t.Errorf("%T at level %d: got %v, want ErrTooDeep", leaf, codecMaxDepth+1, err)
		}
	}
}

// Rows 19–22 of §9, §4.1's example and the projection rules of §4.6.
func TestParamEncode(t *testing.T) {
	var nilPtr *int
	count := 10
	tests := []struct {
		name   string
		params map[string]any
		want   string
	}{
		{"19 ids", map[string]any{"ids": []any{"urn:li:sponsoredAccount:1", "urn:li:sponsoredAccount:2"}},
			"ids=List(urn%3Ali%3AsponsoredAccount%3A1,urn%3Ali%3AsponsoredAccount%3A2)"},
		{"20 batch finder", map[string]any{"bq": "criteriaFinder", "criteria": []any{map[string]any{"name": "A B"}, map[string]any{"name": "C&D"}}},
			"bq=criteriaFinder&criteria=List((name:A%20B),(name:C%26D))"},
		{"21 escaped name", map[string]any{"pr op:1": " t?':,*!&+"}, "pr%20op%3A1=%20t?%27%3A%2C*!%26%2B"},
		{"22 fields", map[string]any{"q": "search", "search": map[string]any{"status": map[string]any{"values": []any{"ACTIVE"}}, "test": false}, "fields": "id,name,owner:(id)"},
			"fields=id,name,owner:(id)&q=search&search=(status:(values:List(ACTIVE)),test:false)"},
		{"4.1 finder", map[string]any{"q": "search", "search": map[string]any{"status": map[string]any{"values": []any{"ACTIVE", "DRAFT"}}, "test": false}, "start": 0, "count": 10},
			"count=10&q=search&search=(status:(values:List(ACTIVE,DRAFT)),test:false)&start=0"},
		{"nil values dropped", map[string]any{"a": nil, "b": nilPtr, "c": 1}, "c=1"},
		{"pointer value", map[string]any{"count": &count}, "count=10"},
		{"empty values", map[string]any{"s": "", "l": []any{}, "m": map[string]any{}}, "l=List()&m=()&s=''"},
		{"space is never +", map[string]any{"k": "a b+c"}, "k=a%20b%2Bc"},
		{"sorted by encoded name", map[string]any{"a b": 1, "a": 2, "a%": 3, "a-": 4, "aB": 5}, "a=2&a%20b=1&a%25=3&a-=4&aB=5"},
		{"empty name", map[string]any{"": "x", "a": "y"}, "''=x&a=y"},
		{"non-ASCII name", map[string]any{"é": 1, "z": 2}, "%C3%A9=1&z=2"},
		{"empty", map[string]any{}, ""},
		{"nil map", nil, ""},
		{"all nil", map[string]any{"a": nil}, ""},
		{"metadataFields pagingFields projection", map[string]any{
			"metadataFields": "total", "pagingFields": "start,count", "projection": "(id,owner~(localizedFirstName))"},
			"metadataFields=total&pagingFields=start,count&projection=(id,owner~(localizedFirstName))"},
		{"projection escapes only what the mask syntax lacks", map[string]any{"fields": "a b,c%d,é,$*:(x),'q',[]#&=+"},
			"fields=a%20b,c%25d,%C3%A9,$*:(x),'q',%5B%5D%23%26%3D%2B"},
		{"projection as named string", map[string]any{"fields": testString("id")}, "fields=id"},
		{"fields as pointer", map[string]any{"fields": new("id")}, "fields=id"},
		{"a param named like a projection but differently cased is a value", map[string]any{"Fields": "a,b"}, "Fields=a%2Cb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParamEncode(tt.params)
			if err != nil || got != tt.want {
				t.Errorf("ParamEncode = %q, %v\nwant          %q", got, err, tt.want)
			}
			b, err := appendParamEncode([]byte("prefix?"), tt.params)
			if err != nil || string(b) != "prefix?"+tt.want {
				t.Errorf("appendParamEncode = %q, %v", b, err)
			}
		})
	}
}

func TestParamEncode_ManyParamsSorted(t *testing.T) {
	params := map[string]any{}
	var want []string
	for i := 0; i < 40; i++ {
		k := fmt.Sprintf("p%02d", 39-i)
		params[k] = i
		want = append(want, fmt.Sprintf("%s=%d", k, i))
	}
	params["x y"] = 1 // forces the encoded-name path with more than 16 params
	want = append(want, "x%20y=1")
	// want is built in descending key order; sort it by name.
	for i, j := 0, len(want)-2; i < j; i, j = i+1, j-1 {
		want[i], want[j] = want[j], want[i]
	}
	got, err := ParamEncode(params)
	if err != nil || got != strings.Join(want, "&") {
		t.Errorf("ParamEncode = %q, %v\nwant %q", got, err, strings.Join(want, "&"))
	}
}

func TestParamEncode_Rejects(t *testing.T) {
	tests := []struct {
		name     string
		params   map[string]any
		sentinel error
		path     string
	}{
		{"projection not a string", map[string]any{"fields": []any{"id", secret}}, ErrUnsupportedType, "fields"},
		{"projection int", map[string]any{"q": "x", "projection": 5}, ErrUnsupportedType, "projection"},
		{"projection empty", map[string]any{"pagingFields": ""}, nil, "pagingFields"},
		{"projection invalid UTF-8", map[string]any{"fields": secret + "\xff"}, ErrInvalidUTF8, "fields"},
		{"value nested", map[string]any{"search": map[string]any{"values": []any{secret, secret, nil}}}, ErrNilValue, "search.values[2]"},
		{"invalid UTF-8 name", map[string]any{secret + "\xff": 1}, ErrInvalidUTF8, "?"},
		{"channel", map[string]any{"c": make(chan int)}, ErrUnsupportedType, "c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParamEncode(tt.params)
			var ee *EncodeError
			if !errors.As(err, &ee) {
				t.Fatalf("got %v, want *EncodeError", err)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("%v does not match %v", err, tt.sentinel)
			}
			if ee.Path != tt.path {
				t.Errorf("Path = %q, want %q", ee.Path, tt.path)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error leaks the value: %q", err)
			}
		})
	}
}

func TestAppend_NoAllocationsWithCapacity(t *testing.T) {
	v := map[string]any{
		"q": "search", "start": 0, "count": int64(10), "ok": true, "f": 1.5, "n": json.Number("7"),
		"search": map[string]any{"values": []any{"urn:li:x:1", "b c"}, "tags": []string{"x", "y"}, "m": map[string]string{"a": "b"}},
	}
	buf := make([]byte, 0, 1024)
	for name, fn := range map[string]func() error{
		"appendEncode":        func() error { _, err := appendEncode(buf[:0], v); return err },
		"appendEncodePathKey": func() error { _, err := appendEncodePathKey(buf[:0], v); return err },
		"appendReducedEncode": func() error { _, err := appendReducedEncode(buf[:0], v); return err },
		"appendParamEncode":   func() error { _, err := appendParamEncode(buf[:0], v); return err },
	} {
		if err := fn(); err != nil {
			t.Fatal(err)
		}
		if n := testing.AllocsPerRun(50, func() { _ = fn() }); n != 0 {
			t.Errorf("%s: %v allocations, want 0", name, n)
		}
	}
	if n := testing.AllocsPerRun(50, func() { _, _ = Encode(v) }); n != 1 {
		t.Errorf("Encode: %v allocations, want 1 (the result)", n)
	}
}

func TestIsCompoundValue(t *testing.T) {
	urn := testURN{"person", "1"}
	var nilMap map[string]any
	tests := []struct {
		v    any
		want bool
	}{
		{map[string]any{"a": 1}, true},
		{map[string]string{}, true},
		{nilMap, true},
		{map[string]int{"a": 1}, true},
		{&map[string]any{}, true},
		{struct{ A int }{}, true},
		{&struct{ A int }{}, true},
		{testRecord{}, true},
		{nil, false},
		{"x", false},
		{1, false},
		{int64(1), false},
		{uint8(1), false},
		{1.5, false},
		{true, false},
		{json.Number("1"), false},
		{urn, false},
		{&urn, false},
		{time.Time{}, false},
		{testStatus(0), false},
		{&testPtrText{}, false},
		{[]any{map[string]any{}}, false},
		{[]byte("x"), false},
		{(*struct{})(nil), false},
		{new(*struct{ A int }), false}, // pointer to nil pointer
	}
	for _, tt := range tests {
		if got := isCompoundValue(tt.v); got != tt.want {
			t.Errorf("isCompoundValue(%T %v) = %v, want %v", tt.v, tt.v, got, tt.want)
		}
	}
}

func TestScalarText(t *testing.T) {
	urn := testURN{"person", "a b"}
	s := "a:b c"
	ps := &s
	tests := []struct {
		v    any
		want string
	}{
		{"urn:li:x:1", "urn:li:x:1"},
		{"", ""},
		{"''", "''"},
		{s, "a:b c"},
		{&ps, "a:b c"},
		{42, "42"},
		{int64(-1), "-1"},
		{uint64(math.MaxUint64), "18446744073709551615"},
		{true, "true"},
		{1e21, "1e+21"},
		{float32(0.1), "0.1"},
		{json.Number("1e+5"), "1e+5"},
		{urn, "urn:li:person:a b"},
		{&urn, "urn:li:person:a b"},
		{testStatus(1), "PAUSED"},
		{&testPtrText{"q"}, "text:q"},
		{testString("x"), "x"},
	}
	for _, tt := range tests {
		if got, err := scalarText(tt.v); err != nil || got != tt.want {
			t.Errorf("scalarText(%T %v) = %q, %v; want %q", tt.v, tt.v, got, err, tt.want)
		}
	}
	bad := []struct {
		v        any
		sentinel error
	}{
		{nil, ErrNilValue},
		{(*int)(nil), ErrNilValue},
		{(*testURN)(nil), ErrNilValue},
		{map[string]any{}, ErrUnsupportedType},
		{struct{}{}, ErrUnsupportedType},
		{[]any{"a"}, ErrUnsupportedType},
		{[1]int{1}, ErrUnsupportedType},
		{make(chan int), ErrUnsupportedType},
		{math.NaN(), ErrNonFinite},
		{float32(math.Inf(-1)), ErrNonFinite},
		{json.Number("x"), ErrInvalidNumber},
		{secret + "\xff", ErrInvalidUTF8},
		{testString(secret + "\xff"), ErrInvalidUTF8},
		{testBadText{}, ErrInvalidUTF8},
	}
	for _, tt := range bad {
		got, err := scalarText(tt.v)
		var ee *EncodeError
		if !errors.As(err, &ee) || !errors.Is(err, tt.sentinel) {
			t.Errorf("scalarText(%T) = %q, %v; want *EncodeError matching %v", tt.v, got, err, tt.sentinel)
			continue
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error leaks the value: %q", err)
		}
	}
}

// The struct-field cache must be consistent under concurrent first use.
func TestEncode_ConcurrentStructs(t *testing.T) {
	type fresh struct {
		B string `json:"b"`
		A int    `json:"a"`
	}
	done := make(chan string)
	for range 8 {
		go func() {
			s, _ := Encode(fresh{"x", 1})
			done <- s
		}()
	}
	for range 8 {
		if s := <-done; s != "(a:1,b:x)" {
			t.Errorf("got %q", s)
		}
	}
}

// TestEncode_ReflectMatchesFastPath encodes the same data as untyped values
// (fast path) and as named types (reflection) and expects the same output.
func TestEncode_ReflectMatchesFastPath(t *testing.T) {
	type strMap map[string]any
	type strList []any
	fast := map[string]any{"a": []any{"x y", 1, true, 2.5}, "b": map[string]any{"c": ""}}
	slow := strMap{"a": strList{testString("x y"), testInt(1), testBool(true), testFloat32(2.5)}, "b": map[testString]testString{"c": ""}}
	for _, fn := range []func(any) (string, error){Encode, EncodePathKey, ReducedEncode} {
		a, err1 := fn(fast)
		b, err2 := fn(slow)
		if err1 != nil || err2 != nil || a != b {
			t.Errorf("fast %q (%v) != reflect %q (%v)", a, err1, b, err2)
		}
	}
	if !reflect.DeepEqual(encStructFields(reflect.TypeFor[struct{ A, B int }]()), encStructFields(reflect.TypeFor[struct{ A, B int }]())) {
		t.Error("struct fields not deterministic")
	}
}
