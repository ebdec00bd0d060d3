// Tests of URNs.

package restli

import (
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestParseURN_Valid(t *testing.T) {
	long := "urn:li:x:" + strings.Repeat("a", URNMaxLength-len("urn:li:x:"))
	tests := []struct {
		in    string
		want  URN
		tuple bool
	}{
		{"urn:li:person:123", URN{"li", "person", "123"}, false},
		{"urn:li:sponsoredAccount:789", URN{"li", "sponsoredAccount", "789"}, false},
		{"urn:li:person:2qXA98-mVk", URN{"li", "person", "2qXA98-mVk"}, false},
		{"urn:li:endorsement:(urn:li:person:2qXA98-mVk,65761962366)",
			URN{"li", "endorsement", "(urn:li:person:2qXA98-mVk,65761962366)"}, true},
		// Opaque ids may hold any text, colons and parentheses included.
		{"urn:li:media:/p/2/005/x.png", URN{"li", "media", "/p/2/005/x.png"}, false},
		{"urn:li:media:/p/2/005/x(1).png", URN{"li", "media", "/p/2/005/x(1).png"}, false},
		{"urn:li:share:a:b:c", URN{"li", "share", "a:b:c"}, false},
		{"urn:li:x:a)", URN{"li", "x", "a)"}, false},
		{"urn:li:fs_miniProfile:ACoAA", URN{"li", "fs_miniProfile", "ACoAA"}, false},
		{"urn:li:person:x y", URN{"li", "person", "x y"}, false},
		{"urn:li:person:café☕", URN{"li", "person", "café☕"}, false},
		// Tuples: nested URNs, nested tuples, URNs with tuple ids, plain text.
		{"urn:li:x:(a)", URN{"li", "x", "(a)"}, true},
		{"urn:li:x:(a,b,c)", URN{"li", "x", "(a,b,c)"}, true},
		{"urn:li:x:((a,b),c)", URN{"li", "x", "((a,b),c)"}, true},
		{"urn:li:x:(urn:li:y:(urn:li:z:1,2),3)", URN{"li", "x", "(urn:li:y:(urn:li:z:1,2),3)"}, true},
		{"urn:li:sponsoredCreative:(urn:li:sponsoredCampaign:1,2)",
			URN{"li", "sponsoredCreative", "(urn:li:sponsoredCampaign:1,2)"}, true},
		{"urn:li:x:(foo:bar,urn:li:media:/p/x.png)", URN{"li", "x", "(foo:bar,urn:li:media:/p/x.png)"}, true},
		{"urn:li:x:( a , b )", URN{"li", "x", "( a , b )"}, true},
		{long, URN{"li", "x", long[len("urn:li:x:"):]}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in[:min(len(tt.in), 60)], func(t *testing.T) {
			got, err := ParseURN(tt.in)
			if err != nil {
				t.Fatalf("ParseURN: %v", err)
			}
			if got != tt.want {
				t.Errorf("ParseURN = %#v, want %#v", got, tt.want)
			}
			if s := got.String(); s != tt.in {
				t.Errorf("String = %q, want the input back", s)
			}
			if got.IsTuple() != tt.tuple {
				t.Errorf("IsTuple = %v, want %v", got.IsTuple(), tt.tuple)
			}
			if got.IsZero() {
				t.Error("IsZero = true for a parsed URN")
			}
		})
	}
}

func TestParseURN_Invalid(t *testing.T) {
	tests := []struct {
		name, in string
		reason   string // substring of URNError.Reason
		offset   int
	}{
		{"empty", "", `missing "urn:" prefix`, 0},
		{"no prefix", "li:person:1", `missing "urn:" prefix`, 0},
		{"upper-case prefix", "URN:li:person:1", `lower-case "urn:"`, 0},
		{"mixed-case prefix", "Urn:li:person:1", `lower-case "urn:"`, 0},
		{"prefix only", "urn:", "missing ':' after namespace", 4},
		{"no entity type", "urn:li", "missing ':' after namespace", 6},
		{"no id separator", "urn:li:person", "missing ':' after entity type", 13},
		{"empty namespace", "urn::person:1", "empty namespace", 4},
		{"empty entity type", "urn:li::1", "empty entity type", 7},
		{"empty id", "urn:li:person:", "empty id", 14},
		{"space in namespace", "urn:l i:person:1", "namespace contains ' '", 5},
		{"paren in entity type", "urn:li:per(son:1", "entity type contains '('", 10},
		{"comma in entity type", "urn:li:a,b:1", "entity type contains ','", 8},
		{"unbalanced open", "urn:li:x:(a,b", "missing ')'", 13},
		{"unbalanced nested", "urn:li:x:((a,b)", "missing ')'", 15},
		{"unbalanced close", "urn:li:x:(a))", "text after the closing parenthesis", 12},
		{"trailing text", "urn:li:x:(a)b", "text after the closing parenthesis", 12},
		{"text after nested tuple", "urn:li:x:((a)b)", "text after the closing parenthesis of a nested tuple", 13},
		{"empty tuple", "urn:li:x:()", "empty tuple element", 10},
		{"empty first element", "urn:li:x:(,a)", "empty tuple element", 10},
		{"empty last element", "urn:li:x:(a,)", "empty tuple element", 12},
		{"empty middle element", "urn:li:x:(a,,b)", "empty tuple element", 12},
		{"paren inside element text", "urn:li:x:(a(b))", "'(' inside tuple element", 11},
		{"invalid nested urn", "urn:li:x:(urn:li,1)", "namespace contains ','", 16},
		{"nested urn with empty id", "urn:li:x:(urn:li:y:,1)", "empty id", 19},
		{"nested urn upper-case", "urn:li:x:(URN:li:y:1,2)", `lower-case "urn:"`, 10},
		{"nested urn paren in id", "urn:li:x:(urn:li:y:a(b),2)", "'(' inside id", 20},
		{"nested urn bad tuple", "urn:li:x:(urn:li:y:(a,),2)", "empty tuple element", 22},
		{"control character", "urn:li:x:a\nb", "control character", 10},
		{"DEL", "urn:li:x:a\x7f", "control character", 10},
		{"invalid UTF-8", "urn:li:x:a\xffb", "invalid UTF-8", 10},
		{"too long", "urn:li:x:" + strings.Repeat("a", URNMaxLength), "longer than 4096 bytes", URNMaxLength},
		{"too deep", "urn:li:x:" + strings.Repeat("(", 40) + "a" + strings.Repeat(")", 40), "nested too deeply", 9 + urnMaxDepth},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := ParseURN(tt.in)
			if err == nil {
				t.Fatalf("ParseURN succeeded: %#v", u)
			}
			if !u.IsZero() {
				t.Errorf("ParseURN returned %#v with an error, want the zero URN", u)
			}
			var ue *URNError
			if !errors.As(err, &ue) {
				t.Fatalf("error %T is not a *URNError", err)
			}
			if !strings.Contains(ue.Reason, tt.reason) {
				t.Errorf("Reason = %q, want it to contain %q", ue.Reason, tt.reason)
			}
			if ue.Offset != tt.offset {
				t.Errorf("Offset = %d, want %d", ue.Offset, tt.offset)
			}
			if ue.ErrorType() != "restli.URNError" {
				t.Errorf("ErrorType = %q", ue.ErrorType())
			}
		})
	}
}

func TestURNError_DoesNotLeakInput(t *testing.T) {
	const secret = "SeCrEtMemberId"
	for _, in := range []string{
		"urn:li:person:(" + secret,
		"URN:li:person:" + secret,
		"urn:li:" + secret,
		"urn:li:x:(" + secret + "(x))",
	} {
		_, err := ParseURN(in)
		if err == nil {
			t.Fatalf("ParseURN(%q) succeeded", in)
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error %q contains the input", err)
		}
	}
	var u URN
	err := json.Unmarshal([]byte(`"urn:li:person:(`+secret+`"`), &u)
	if err == nil || strings.Contains(err.Error(), secret) {
		t.Errorf("json.Unmarshal error = %v, want an error without the input", err)
	}
}

func TestNewURN_And_NewTupleURN(t *testing.T) {
	person := NewURN("li", "person", "2qXA98-mVk")
	if got, want := person.String(), "urn:li:person:2qXA98-mVk"; got != want {
		t.Errorf("NewURN.String = %q, want %q", got, want)
	}
	tests := []struct {
		name  string
		got   URN
		want  string
		parts []string
	}{
		{"urn and int", NewTupleURN("li", "endorsement", person, 65761962366),
			"urn:li:endorsement:(urn:li:person:2qXA98-mVk,65761962366)",
			[]string{"urn:li:person:2qXA98-mVk", "65761962366"}},
		{"strings", NewTupleURN("li", "x", "a", "b"), "urn:li:x:(a,b)", []string{"a", "b"}},
		{"stringer", NewTupleURN("li", "x", urnTestStringer("s"), int64(-1)), "urn:li:x:(s,-1)", []string{"s", "-1"}},
		{"nested tuple urn", NewTupleURN("li", "x", NewTupleURN("li", "y", "1", "2"), "3"),
			"urn:li:x:(urn:li:y:(1,2),3)", []string{"urn:li:y:(1,2)", "3"}},
		{"pointer to urn", NewTupleURN("li", "x", &person), "urn:li:x:(urn:li:person:2qXA98-mVk)",
			[]string{"urn:li:person:2qXA98-mVk"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if s := tt.got.String(); s != tt.want {
				t.Fatalf("String = %q, want %q", s, tt.want)
			}
			parsed, err := ParseURN(tt.want)
			if err != nil {
				t.Fatalf("ParseURN: %v", err)
			}
			if parsed != tt.got {
				t.Errorf("ParseURN(String()) = %#v, want %#v", parsed, tt.got)
			}
			parts, err := tt.got.TupleParts()
			if err != nil {
				t.Fatalf("TupleParts: %v", err)
			}
			if fmt.Sprint(parts) != fmt.Sprint(tt.parts) || len(parts) != len(tt.parts) {
				t.Errorf("TupleParts = %q, want %q", parts, tt.parts)
			}
		})
	}
}

type urnTestStringer string

func (s urnTestStringer) String() string { return string(s) }

func TestURN_TupleParts(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"urn:li:x:(a)", []string{"a"}},
		{"urn:li:x:((a,b),c)", []string{"(a,b)", "c"}},
		{"urn:li:x:(urn:li:y:(urn:li:z:1,2),3,(4,(5)))", []string{"urn:li:y:(urn:li:z:1,2)", "3", "(4,(5))"}},
	}
	for _, tt := range tests {
		parts, err := MustParseURN(tt.in).TupleParts()
		if err != nil {
			t.Fatalf("%s: TupleParts: %v", tt.in, err)
		}
		if strings.Join(parts, "|") != strings.Join(tt.want, "|") || len(parts) != len(tt.want) {
			t.Errorf("%s: TupleParts = %q, want %q", tt.in, parts, tt.want)
		}
	}
	// Nested URN parts parse on their own.
	parts, _ := MustParseURN("urn:li:endorsement:(urn:li:person:X,9)").TupleParts()
	if p, err := ParseURN(parts[0]); err != nil || p != NewURN("li", "person", "X") {
		t.Errorf("ParseURN(part 0) = %#v, %v", p, err)
	}

	var ue *URNError
	if _, err := MustParseURN("urn:li:person:1").TupleParts(); !errors.As(err, &ue) || ue.Reason != "id is not a tuple" || ue.Offset != 14 {
		t.Errorf("TupleParts of a plain id: err = %v", err)
	}
	if _, err := NewURN("li", "x", "(a,").TupleParts(); !errors.As(err, &ue) {
		t.Errorf("TupleParts of an invalid tuple: err = %v, want *URNError", err)
	}
	if _, err := (URN{}).TupleParts(); err == nil {
		t.Error("TupleParts of the zero URN succeeded")
	}
}

func TestURN_ZeroValue(t *testing.T) {
	var u URN
	if !u.IsZero() || u.String() != "" || u.IsTuple() {
		t.Errorf("zero URN: IsZero=%v String=%q IsTuple=%v", u.IsZero(), u.String(), u.IsTuple())
	}
	text, err := u.MarshalText()
	if err != nil || len(text) != 0 {
		t.Errorf("MarshalText = %q, %v; want empty, nil", text, err)
	}
	if err := u.UnmarshalText(nil); err != nil || !u.IsZero() {
		t.Errorf("UnmarshalText(empty) = %v, %#v", err, u)
	}
	u = MustParseURN("urn:li:person:1")
	if err := u.UnmarshalText([]byte{}); err != nil || !u.IsZero() {
		t.Errorf("UnmarshalText(empty) should reset to zero, got %#v, %v", u, err)
	}
}

func TestURN_IsComparableMapKey(t *testing.T) {
	m := map[URN]int{MustParseURN("urn:li:person:1"): 1}
	m[NewURN("li", "person", "1")]++
	if len(m) != 1 || m[URN{"li", "person", "1"}] != 2 {
		t.Errorf("map = %v", m)
	}
	if MustParseURN("urn:li:person:1") == MustParseURN("urn:li:person:2") {
		t.Error("different URNs compare equal")
	}
}

func TestURN_TextMarshalling(t *testing.T) {
	var _ encoding.TextMarshaler = URN{}
	var _ encoding.TextUnmarshaler = (*URN)(nil)
	var _ fmt.Stringer = URN{}

	u := MustParseURN("urn:li:endorsement:(urn:li:person:2qXA98-mVk,65761962366)")
	text, err := u.MarshalText()
	if err != nil || string(text) != u.String() {
		t.Fatalf("MarshalText = %q, %v", text, err)
	}
	var back URN
	if err := back.UnmarshalText(text); err != nil || back != u {
		t.Fatalf("UnmarshalText = %#v, %v", back, err)
	}
	// The parsed URN must not alias the caller's buffer.
	text[0] = 'X'
	if back.String() != u.String() {
		t.Error("UnmarshalText kept a reference to its input")
	}

	for _, bad := range []URN{
		NewURN("li", "person", ""),
		NewURN("", "person", "1"),
		NewURN("li", "per:son", "1"),
		NewURN("li", "x", "(a,"),
		NewTupleURN("li", "x"),
		NewURN("li", "a:b", "1"), // the text is valid but reads as urn:li:a with id "b:1"
		NewTupleURN("li", "x", URN{}),
	} {
		if text, err := bad.MarshalText(); err == nil {
			t.Errorf("MarshalText(%#v) = %q, want an error", bad, text)
		}
		if _, err := json.Marshal(bad); err == nil {
			t.Errorf("json.Marshal(%#v) succeeded, want an error", bad)
		}
	}
	// A comma in a tuple part is not detectable: the text is a valid 3-tuple.
	if parts, _ := NewTupleURN("li", "x", "a,b", "c").TupleParts(); len(parts) != 3 {
		t.Errorf("TupleParts = %q", parts)
	}
	if err := back.UnmarshalText([]byte("urn:li:x:(")); err == nil {
		t.Error("UnmarshalText accepted an invalid URN")
	}
}

func TestURN_JSON(t *testing.T) {
	type entity struct {
		Owner   URN            `json:"owner"`
		Opt     URN            `json:"opt,omitzero"`
		Ptr     *URN           `json:"ptr,omitempty"`
		List    []URN          `json:"list"`
		ByOwner map[URN]string `json:"byOwner"`
	}
	in := entity{
		Owner:   MustParseURN("urn:li:organization:42"),
		List:    []URN{MustParseURN("urn:li:media:/p/2/005/x.png"), MustParseURN("urn:li:x:(urn:li:y:1,<&>)")},
		ByOwner: map[URN]string{MustParseURN("urn:li:person:1"): "a"},
	}
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"owner":"urn:li:organization:42","list":["urn:li:media:/p/2/005/x.png","urn:li:x:(urn:li:y:1,\u003c\u0026\u003e)"],"byOwner":{"urn:li:person:1":"a"}}`
	if string(data) != want {
		t.Errorf("json.Marshal =\n%s\nwant\n%s", data, want)
	}
	var out entity
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	if out.Owner != in.Owner || len(out.List) != 2 || out.List[1] != in.List[1] || out.ByOwner[MustParseURN("urn:li:person:1")] != "a" || !out.Opt.IsZero() {
		t.Errorf("round trip = %#v, want %#v", out, in)
	}

	// null leaves the value alone; "" is the zero URN; other JSON is an error.
	u := MustParseURN("urn:li:person:1")
	if err := json.Unmarshal([]byte(`null`), &u); err != nil || u.String() != "urn:li:person:1" {
		t.Errorf("Unmarshal(null) = %#v, %v", u, err)
	}
	if err := json.Unmarshal([]byte(`""`), &u); err != nil || !u.IsZero() {
		t.Errorf(`Unmarshal("") = %#v, %v`, u, err)
	}
	if err := json.Unmarshal([]byte(`"urn:li:person:\u0031"`), &u); err != nil || u.ID != "1" {
		t.Errorf("Unmarshal with a JSON escape = %#v, %v", u, err)
	}
	for _, bad := range []string{`123`, `{"a":1}`, `["urn:li:person:1"]`, `"urn:li:person"`, `"URN:li:person:1"`} {
		var u URN
		err := json.Unmarshal([]byte(bad), &u)
		var ue *URNError
		if !errors.As(err, &ue) {
			t.Errorf("Unmarshal(%s): err = %v, want a *URNError", bad, err)
		}
	}
	if data, err := json.Marshal(URN{}); err != nil || string(data) != `""` {
		t.Errorf("Marshal(zero) = %s, %v", data, err)
	}
}

// urnCodec calls a codec function, skipping the test while the codec is
// still a stub that panics.
func urnCodec(t *testing.T, name string, enc func(any) (string, error), v any) string {
	t.Helper()
	var (
		s        string
		err      error
		panicked any
	)
	func() {
		defer func() { panicked = recover() }()
		s, err = enc(v)
	}()
	if panicked != nil {
		t.Skipf("codec not ready: %s panicked: %v", name, panicked)
	}
	if err != nil {
		t.Fatalf("%s(%#v): %v", name, v, err)
	}
	return s
}

func TestURN_CodecEncodesText(t *testing.T) {
	endorsement := MustParseURN("urn:li:endorsement:(urn:li:person:X,9)")
	media := MustParseURN("urn:li:media:/p/2/005/x.png")
	org := MustParseURN("urn:li:organization:12345")
	tests := []struct {
		name            string
		v               any
		query, path, rd string
	}{
		{"tuple urn", endorsement,
			"urn%3Ali%3Aendorsement%3A%28urn%3Ali%3Aperson%3AX%2C9%29",
			"urn%3Ali%3Aendorsement%3A%28urn%3Ali%3Aperson%3AX%2C9%29",
			"urn%3Ali%3Aendorsement%3A%28urn%3Ali%3Aperson%3AX%2C9%29"},
		{"pointer to urn", &endorsement,
			"urn%3Ali%3Aendorsement%3A%28urn%3Ali%3Aperson%3AX%2C9%29",
			"urn%3Ali%3Aendorsement%3A%28urn%3Ali%3Aperson%3AX%2C9%29",
			"urn%3Ali%3Aendorsement%3A%28urn%3Ali%3Aperson%3AX%2C9%29"},
		{"slash in id", media,
			"urn%3Ali%3Amedia%3A/p/2/005/x.png",
			"urn%3Ali%3Amedia%3A%2Fp%2F2%2F005%2Fx.png",
			"urn%3Ali%3Amedia%3A/p/2/005/x.png"},
		{"in a list", []any{org}, "List(urn%3Ali%3Aorganization%3A12345)", "List(urn%3Ali%3Aorganization%3A12345)", "List(urn%3Ali%3Aorganization%3A12345)"},
		{"typed slice", []URN{org}, "List(urn%3Ali%3Aorganization%3A12345)", "List(urn%3Ali%3Aorganization%3A12345)", "List(urn%3Ali%3Aorganization%3A12345)"},
		{"compound key", map[string]any{"user": NewURN("li", "person", "X"), "account": NewURN("li", "sponsoredAccount", "9")},
			"(account:urn%3Ali%3AsponsoredAccount%3A9,user:urn%3Ali%3Aperson%3AX)",
			"(account:urn%3Ali%3AsponsoredAccount%3A9,user:urn%3Ali%3Aperson%3AX)",
			"(account:urn%3Ali%3AsponsoredAccount%3A9,user:urn%3Ali%3Aperson%3AX)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := urnCodec(t, "Encode", Encode, tt.v); got != tt.query {
				t.Errorf("Encode = %q, want %q", got, tt.query)
			}
			if got := urnCodec(t, "EncodePathKey", EncodePathKey, tt.v); got != tt.path {
				t.Errorf("EncodePathKey = %q, want %q", got, tt.path)
			}
			if got := urnCodec(t, "ReducedEncode", ReducedEncode, tt.v); got != tt.rd {
				t.Errorf("ReducedEncode = %q, want %q", got, tt.rd)
			}
		})
	}
}

func TestURN_CodecDecodeRoundTrip(t *testing.T) {
	for _, s := range []string{
		"urn:li:endorsement:(urn:li:person:X,9)",
		"urn:li:media:/p/2/005/x.png",
		"urn:li:person:x y",
	} {
		u := MustParseURN(s)
		enc := urnCodec(t, "Encode", Encode, u)
		dec := urnCodec(t, "Decode", func(v any) (string, error) {
			d, err := Decode(v.(string))
			if err != nil {
				return "", err
			}
			ds, ok := d.(string)
			if !ok {
				return "", fmt.Errorf("Decode returned %T, want string", d)
			}
			return ds, nil
		}, enc)
		back, err := ParseURN(dec)
		if err != nil || back != u {
			t.Errorf("%s: Decode(Encode(u)) parses to %#v, %v", s, back, err)
		}
	}
}

func BenchmarkParseURN(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseURN("urn:li:endorsement:(urn:li:person:2qXA98-mVk,65761962366)"); err != nil {
			b.Fatal(err)
		}
	}
}
