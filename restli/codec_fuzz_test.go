// Fuzz targets of the codec: round trips and agreement between forms.

package restli

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// Seeds shared by the decoder fuzz targets, on top of the corpus files in
// testdata/fuzz.
var codecFuzzDecodeSeeds = []string{
	"", "''", "%27%27", "List()", "()", "List('')", "('':'')",
	"(account:urn%3Ali%3AsponsoredAccount%3A9,member:urn%3Ali%3Aperson%3Ax y)",
	"List('',%27%27,a+b)", "($params:(v:1.0),id:a%2Cb)",
	"List(List(1,List()),(k:List(())))", "(a:1,a:2)", "Li%73t(a)", "xList(a)",
	"(a:b,)", "%", "%4", "%zz", "%C3", "%c3%a9", "\xff", "é%A9",
}

// checkDecoded checks one decoder on s: no panic; an error is a
// *DecodeError within the input; a value is made of strings, []any and
// map[string]any, and survives encoding with each encoder and decoding again,
// with the encoding being canonical (encoding the second result gives the
// same text).
func checkDecoded(t *testing.T, s string, dec func(string) (any, error), encs ...func(any) (string, error)) {
	v, err := dec(s)
	if err != nil {
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Fatalf("error %T %v is not a *DecodeError", err, err)
		}
		if v != nil || de.Offset < 0 || de.Offset > len(s) || de.Reason == "" {
			t.Fatalf("bad error %+v for a %d-byte input (value %v)", de, len(s), v)
		}
		return
	}
	if !codecIsUntyped(v, 0) {
		t.Fatalf("decoded value %#v has unexpected types", v)
	}
	for _, enc := range encs {
		e, err := enc(v)
		if err != nil {
			t.Fatalf("re-encoding %#v: %v", v, err)
		}
		v2, err := dec(e)
		if err != nil {
			t.Fatalf("decoding re-encoded %q: %v", e, err)
		}
		if !reflect.DeepEqual(v, v2) {
			t.Fatalf("round trip changed the value:\n in  %q → %#v\n out %q → %#v", s, v, e, v2)
		}
		if e2, err := enc(v2); err != nil || e2 != e {
			t.Fatalf("encoding is not canonical: %q then %q (%v)", e, e2, err)
		}
	}
}

// codecIsUntyped reports whether v holds only valid UTF-8 strings, []any and
// map[string]any.
func codecIsUntyped(v any, depth int) bool {
	if depth > codecMaxDepth {
		return false
	}
	switch x := v.(type) {
	case string:
		return utf8.ValidString(x)
	case []any:
		if x == nil {
			return false
		}
		for _, e := range x {
			if !codecIsUntyped(e, depth+1) {
				return false
			}
		}
		return true
	case map[string]any:
		if x == nil {
			return false
		}
		for k, e := range x {
			if !utf8.ValidString(k) || !codecIsUntyped(e, depth+1) {
				return false
			}
		}
		return true
	}
	return false
}

func FuzzDecode(f *testing.F) {
	for _, s := range codecFuzzDecodeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkDecoded(t, s, Decode, Encode, EncodePathKey)
	})
}

func FuzzReducedDecode(f *testing.F) {
	for _, s := range codecFuzzDecodeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkDecoded(t, s, ReducedDecode, ReducedEncode)
		// The two decoders accept the same language.
		a, errA := Decode(s)
		b, errB := ReducedDecode(s)
		if (errA == nil) != (errB == nil) || !reflect.DeepEqual(a, b) {
			t.Fatalf("Decode and ReducedDecode disagree: %v %v", errA, errB)
		}
	})
}

// codecFuzzAlphabet holds characters that matter to the codec; the value
// builder draws from it half of the time, so that short inputs reach the
// interesting cases quickly.
var codecFuzzAlphabet = []string{
	"(", ")", ",", ":", "'", "''", "%", "%41", "List", "List(", " ", "+", "&", "=", "/", "?", "#",
	";", "@", "$", "!", "*", "~", "\x00", "\t", "\n", "\x7f", "é", "☕", "👍", "\uFFFD", "a", "Z", "0",
}

// codecFuzzBuilder turns fuzz bytes into a Go value and the value that
// decoding its encoding must give back (leaves as text).
type codecFuzzBuilder struct {
	data []byte
}

func (b *codecFuzzBuilder) next() byte {
	if len(b.data) == 0 {
		return 0
	}
	c := b.data[0]
	b.data = b.data[1:]
	return c
}

func (b *codecFuzzBuilder) str() string {
	op := b.next()
	n := int(op & 0x0F)
	var sb strings.Builder
	for range n {
		c := b.next()
		if op&0x80 != 0 {
			sb.WriteString(codecFuzzAlphabet[int(c)%len(codecFuzzAlphabet)])
		} else {
			sb.WriteByte(c)
		}
	}
	return sb.String()
}

// codecHasInvalidUTF8 reports whether a built value holds a string or key
// that is not valid UTF-8 (and so must fail to encode). It looks at the
// final value: a map entry may have been overwritten by a later one.
func codecHasInvalidUTF8(v any) bool {
	switch x := v.(type) {
	case string:
		return !utf8.ValidString(x)
	case []string:
		for _, e := range x {
			if !utf8.ValidString(e) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if codecHasInvalidUTF8(e) {
				return true
			}
		}
	case map[string]any:
		for k, e := range x {
			if !utf8.ValidString(k) || codecHasInvalidUTF8(e) {
				return true
			}
		}
	}
	return false
}

func (b *codecFuzzBuilder) value(depth int) (v, want any) {
	op := b.next()
	if depth > 6 {
		op &^= 0x07 // leaves only
	}
	switch op % 8 {
	case 5: // []any
		n := int(b.next() % 5)
		l, w := []any{}, []any{}
		for range n {
			v, want := b.value(depth + 1)
			l, w = append(l, v), append(w, want)
		}
		return l, w
	case 6: // map[string]any
		n := int(b.next() % 5)
		m, w := map[string]any{}, map[string]any{}
		for range n {
			k := b.str()
			v, want := b.value(depth + 1)
			m[k], w[k] = v, want
		}
		return m, w
	case 7: // []string
		n := int(b.next() % 4)
		l, w := []string{}, []any{}
		for range n {
			s := b.str()
			l, w = append(l, s), append(w, s)
		}
		return l, w
	case 3: // int64
		var x int64
		for range 8 {
			x = x<<8 | int64(b.next())
		}
		return x, strconv.FormatInt(x, 10)
	case 4:
		x := b.next()&1 == 1
		return x, strconv.FormatBool(x)
	default:
		s := b.str()
		return s, s
	}
}

// codecFormOK reports whether out holds only the bytes a form may emit
// outside of escapes: letters, digits, the form's safe set and the grammar.
func codecFormOK(out string, safe string) bool {
	for i := 0; i < len(out); i++ {
		c := out[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte(safe+"(),:%'", c) >= 0:
		default:
			return false
		}
	}
	return true
}

func FuzzEncodeRoundTrip(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{6, 3, 0x83, 1, 2, 3, 0, 0x81, 5, 5, 2, 0, 0x82, 4, 9})
	f.Add([]byte{5, 4, 0x8f, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 3, 1, 2, 3, 4, 5, 6, 7, 8, 4, 1, 7, 2, 0x81, 0, 0x81, 4})
	f.Add([]byte{0x02, 0xff, 0xfe})
	f.Fuzz(func(t *testing.T, data []byte) {
		b := &codecFuzzBuilder{data: data}
		v, want := b.value(0)
		invalid := codecHasInvalidUTF8(v)
		forms := []struct {
			name string
			enc  func(any) (string, error)
			dec  func(string) (any, error)
			safe string // "" means no restriction (reduced)
		}{
			{"query", Encode, Decode, "-._~!$*;@/?"},
			{"path", EncodePathKey, Decode, "-._~!$&*+=@"},
			{"reduced", ReducedEncode, ReducedDecode, ""},
		}
		for _, form := range forms {
			s, err := form.enc(v)
			if invalid {
				if !errors.Is(err, ErrInvalidUTF8) {
					t.Fatalf("%s: invalid UTF-8 gave %q, %v", form.name, s, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s encode %#v: %v", form.name, v, err)
			}
			if form.safe != "" && !codecFormOK(s, form.safe) {
				t.Fatalf("%s form emitted a character outside its safe set: %q", form.name, s)
			}
			got, err := form.dec(s)
			if err != nil {
				t.Fatalf("%s decode %q: %v", form.name, s, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s round trip of %#v via %q = %#v, want %#v", form.name, v, s, got, want)
			}
			// The Append variant writes the same bytes after a prefix.
			var ab []byte
			switch form.name {
			case "query":
				ab, err = appendEncode([]byte("x"), v)
			case "path":
				ab, err = appendEncodePathKey([]byte("x"), v)
			default:
				ab, err = appendReducedEncode([]byte("x"), v)
			}
			if err != nil || string(ab) != "x"+s {
				t.Fatalf("%s Append variant = %q, %v; want %q", form.name, ab, err, "x"+s)
			}
		}
		// As a query parameter.
		qs, err := ParamEncode(map[string]any{"p": v})
		if invalid {
			if !errors.Is(err, ErrInvalidUTF8) {
				t.Fatalf("ParamEncode: invalid UTF-8 gave %q, %v", qs, err)
			}
			return
		}
		if err != nil || !strings.HasPrefix(qs, "p=") {
			t.Fatalf("ParamEncode = %q, %v", qs, err)
		}
		if got, err := Decode(qs[2:]); err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("ParamEncode value %q decodes to %#v, %v", qs, got, err)
		}
	})
}

// FuzzEncodeStringPaths checks that the string writer agrees with the
// reference's byte-by-byte escaper, whether dst has room or must grow.
func FuzzEncodeStringPaths(f *testing.F) {
	f.Add("urn:li:sponsoredCampaign:1000000", 0)
	f.Add("C++ & Go (fast), 100% 'quoted' ünïcödé 日本 !*~.-_", 3)
	f.Add("abcdefgh\xff", 1)
	f.Add("a-b.c_d~e!f$g*h;i@j/k?l&m+n=o,p:q'r(s)t%u v", 2)
	f.Add("0123456789:;<=>?@[\\]^`{|}~\x7f\x00\x1f", 5)
	f.Add("", 0)
	f.Fuzz(func(t *testing.T, s string, prefix int) {
		prefix &= 15
		for _, tab := range []*encTable{&encQuery, &encPath, &encReduced, &encProjection} {
			room := make([]byte, prefix, prefix+3*len(s)+16)
			for i := range room {
				room[i] = 'x'
			}
			fast, okFast := encAppendString(room, s, tab)
			slow, okSlow := refEscape([]byte(strings.Repeat("x", prefix)), s, tab)
			if okFast != okSlow {
				t.Fatalf("%q: valid %v (fast) vs %v (slow)", s, okFast, okSlow)
			}
			if okFast && len(s) > 0 && string(fast) != string(slow) {
				t.Fatalf("%q:\nfast %q\nslow %q", s, fast, slow)
			}
		}
	})
}
