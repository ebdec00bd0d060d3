// Tests of the shared-prefix fast path of encprefix.go.

package restli

import (
	"errors"
	"strings"
	"testing"
)

// listOneByOne is what a list of strings encodes to when every element is
// escaped on its own, without reusing a shared prefix.
func listOneByOne(t *testing.T, tab *encTable, l []string) (string, bool) {
	t.Helper()
	parts := make([]string, len(l))
	for i, s := range l {
		b, ok := refEscape(nil, s, tab)
		if !ok {
			return "", false
		}
		if len(s) == 0 {
			b = []byte("''")
		}
		parts[i] = string(b)
	}
	return "List(" + strings.Join(parts, ",") + ")", true
}

// checkListPrefix encodes l as a []string and as a []any in every form and
// compares with listOneByOne.
func checkListPrefix(t *testing.T, l []string) {
	t.Helper()
	anys := make([]any, len(l))
	for i, s := range l {
		anys[i] = s
	}
	for _, tab := range []*encTable{&encQuery, &encPath, &encReduced} {
		want, valid := listOneByOne(t, tab, l)
		for _, v := range []any{l, anys} {
			// Room for the fast path, and none, so that it also grows.
			for _, dst := range [][]byte{make([]byte, 0, 4096), nil} {
				got, err := encAppendValue(dst, v, tab, nil, 0)
				if !valid {
					if !errors.Is(err, ErrInvalidUTF8) {
						t.Fatalf("%q (%T): invalid UTF-8 gave %q, %v", l, v, got, err)
					}
					continue
				}
				if err != nil || string(got) != want {
					t.Fatalf("%q (%T):\ngot  %q, %v\nwant %q", l, v, got, err, want)
				}
			}
		}
	}
}

// TestEncodeList_SharedPrefixes covers lists whose elements share prefixes
// of every length around the kept minimum, cut inside a character, repeated
// or empty elements, and invalid UTF-8 after a shared prefix.
func TestEncodeList_SharedPrefixes(t *testing.T) {
	urns := make([]string, 30)
	for i := range urns {
		urns[i] = "urn:li:sponsoredCampaign:10000" + string(rune('0'+i/10)) + string(rune('0'+i%10))
	}
	long := strings.Repeat("ab:", 10)
	tests := map[string][]string{
		"urns":               urns,
		"empty":              {},
		"one":                {"urn:li:person:1"},
		"repeated":           {long, long, long},
		"prefix of the next": {long, long + "x", long + "xy", long},
		"shorter than kept":  {long + "123", long[:20], long + "124"},
		"around the minimum": {
			"0123456789abcdeX", "0123456789abcdeY", "0123456789abcdefZ", "0123456789abcdefW", "0123456789abcdeV",
		},
		"cut in a character":     {"0123456789abcdef\u00e9:1", "0123456789abcdef\u00e8:2", "0123456789abcdef\u00e8:3"},
		"cut before a multibyte": {"0123456789abcdefé1", "0123456789abcdefé2", "0123456789abcdef日3"},
		"empty elements":         {long, "", long, ""},
		"invalid after a kept prefix": {
			long + "1", long + "2", long + "\xff",
		},
		"invalid in the kept prefix": {long + "\xc3", long + "\xc3\xa9"},
		"mixed escapes":              {"a b/c?d&e=f(g)h,i:j'k%l" + long, "a b/c?d&e=f(g)h,i:j'k%l" + long + "!"},
	}
	for name, l := range tests {
		t.Run(name, func(t *testing.T) { checkListPrefix(t, l) })
	}
}

// TestEncodeList_SharedPrefixMixed interleaves other values with strings
// that share a prefix: the string after another value starts afresh.
func TestEncodeList_SharedPrefixMixed(t *testing.T) {
	long := strings.Repeat("urn:li:x:", 4)
	l := []any{long + "1", long + "2", 5, long + "3", []any{long + "4"}, long + "5", long + "6"}
	want := "List("
	for i, e := range l {
		if i > 0 {
			want += ","
		}
		s, err := Encode(e)
		if err != nil {
			t.Fatal(err)
		}
		want += s
	}
	want += ")"
	if got, err := Encode(l); err != nil || got != want {
		t.Fatalf("Encode = %q, %v\nwant %q", got, err, want)
	}
}

// FuzzEncodeListPrefix splits the input into list elements at '|' and
// checks the list against its elements escaped one by one.
func FuzzEncodeListPrefix(f *testing.F) {
	f.Add("urn:li:sponsoredCampaign:1000000|urn:li:sponsoredCampaign:1000001|urn:li:sponsoredCampaign:1000010")
	f.Add("0123456789abcdef\u00e9|0123456789abcdef\u00e8|0123456789abcdef\xff")
	f.Add("||x|0123456789abcdefghij|0123456789abcdefghij|0123456789abcdefghi")
	f.Fuzz(func(t *testing.T, s string) {
		checkListPrefix(t, strings.Split(s, "|"))
	})
}
