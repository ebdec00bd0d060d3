// Tests that hold the encoder's fast paths to the reference encoder of
// encref.go: a differential fuzz target and a generated-shapes test compare
// every public encoding function with it, output and error text, byte for
// byte.

package restli

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// shapeSource is where the value generator takes its choices from: the
// fuzzer's bytes, or a seeded random generator.
type shapeSource interface{ next() byte }

type byteSource struct{ b []byte }

func (s *byteSource) next() byte {
	if len(s.b) == 0 {
		return 0
	}
	c := s.b[0]
	s.b = s.b[1:]
	return c
}

type randSource struct{ r *rand.Rand }

func (s randSource) next() byte { return byte(s.r.UintN(256)) }

// Named and composite types the generator picks from: they take the
// reflection path, the text rule and the struct rules.
type (
	shapeName   string
	shapeInt    int16
	shapeFloat  float32
	shapeList   []any
	shapeMap    map[string]any
	shapeStrMap map[shapeName]string
	shapeRecord struct {
		ID      int64             `json:"id"`
		Name    string            `json:"name,omitempty"`
		Tags    []string          `json:"tags,omitempty"`
		Owner   *URN              `json:"owner,omitempty"`
		Any     any               `json:"any,omitempty"`
		Attrs   map[string]string `json:"attrs,omitzero"`
		Skipped string            `json:"-"`
		shapeEmbedded
	}
	shapeEmbedded struct {
		Inner float64 `json:"inner"`
	}
)

// shapeStrings are the texts the generator picks from: empty, plain, every
// kind of escape, non-ASCII, invalid UTF-8, grammar characters, URNs with
// long shared prefixes, and the dot keys.
var shapeStrings = []string{
	"", "a", "ACTIVE", "a b", "x:y", "(", ")", ",", "'", "''", "%", "%27", "List(", "List",
	"é", "日本", "🙂", "ünïcödé 100% 'q'", "\x00\x1f\x7f", "a\xffb", "\xed\xa0\x80", "\xc3",
	"+&=?/;@!$*~._-", ".", "..", "fields", "q", "start",
	"urn:li:sponsoredCampaign:1000000", "urn:li:sponsoredCampaign:1000001",
	"urn:li:sponsoredCampaign:2000000", "urn:li:organization:123", "urn:li:organization:1234567890123",
	"urn:li:sponsoredCampaign:10000é0", strings.Repeat("z", 40), strings.Repeat("z", 39) + "y",
}

// genKeys are the map keys and parameter names the generator picks from:
// few enough that maps of one size often share their keys (the remembered
// key sets), and some that are not plain names or not valid UTF-8.
var genKeys = []string{
	"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "count", "start", "search", "values",
	"fields", "projection", "a b", "é", "k\xff", "", "B", "aa",
}

func genString(s shapeSource) string { return shapeStrings[int(s.next())%len(shapeStrings)] }
func genKey(s shapeSource) string    { return genKeys[int(s.next())%len(genKeys)] }

// genValue builds a value of at most depth levels of nesting.
func genValue(s shapeSource, depth int) any {
	kinds := 26
	if depth <= 0 {
		kinds = 14 // leaves only
	}
	switch int(s.next()) % kinds {
	case 0:
		return genString(s)
	case 1:
		return int(s.next()) - 128
	case 2:
		return int64(s.next()) << 40
	case 3:
		return s.next()&1 == 0
	case 4:
		return [...]float64{0, -0.5, 1e21, 1e-7, 123.456, math.NaN(), math.Inf(1), 3}[s.next()%8]
	case 5:
		return json.Number([...]string{"1", "-0.5e+3", "01", "1.", "x", ""}[s.next()%6])
	case 6:
		return shapeName(genString(s))
	case 7:
		return shapeInt(s.next())
	case 8:
		return shapeFloat([...]float32{0.1, 1e30, float32(math.Inf(-1))}[s.next()%3])
	case 9:
		return NewURN("li", "sponsoredAccount", genString(s))
	case 10:
		return []byte(genString(s))
	case 11:
		return nil
	case 12:
		return uint64(math.MaxUint64) - uint64(s.next())
	case 13:
		return time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	case 14, 15, 16:
		n := int(s.next()) % 6
		l := make([]any, n)
		for i := range l {
			l[i] = genValue(s, depth-1)
		}
		return l
	case 17:
		n := int(s.next()) % 6
		l := make([]string, n)
		for i := range l {
			l[i] = genString(s)
		}
		return l
	case 18, 19, 20:
		return genMap(s, depth)
	case 21:
		m := map[string]string{}
		for range int(s.next()) % 10 {
			m[genKey(s)] = genString(s)
		}
		return m
	case 22:
		r := shapeRecord{ID: int64(s.next()), Name: genString(s), Any: genValue(s, depth-1)}
		if s.next()&1 == 0 {
			u := NewURN("li", "person", genString(s))
			r.Owner = &u
		}
		if s.next()&1 == 0 {
			r.Tags = []string{genString(s), genString(s)}
		}
		if s.next()&1 == 0 {
			r.Attrs = map[string]string{genKey(s): genString(s)}
		}
		if s.next()&1 == 0 {
			return &r
		}
		return r
	case 23:
		return shapeList{genValue(s, depth-1), genValue(s, depth-1)}
	case 24:
		return shapeMap{genKey(s): genValue(s, depth-1)}
	default:
		v := genValue(s, depth-1)
		if s.next()&1 == 0 {
			return &v
		}
		return shapeStrMap{shapeName(genKey(s)): genString(s)}
	}
}

// genMap builds a map[string]any of 0 to 11 entries: up to 8 take the
// stack-array and remembered-key-set paths, more the large path.
func genMap(s shapeSource, depth int) map[string]any {
	m := map[string]any{}
	for range int(s.next()) % 12 {
		m[genKey(s)] = genValue(s, depth-1)
	}
	return m
}

// genParams builds ParamEncode's input: a few parameters, some nil or nil
// pointers (dropped), sometimes projections.
func genParams(s shapeSource) map[string]any {
	m := map[string]any{}
	for range int(s.next()) % 11 {
		k := genKey(s)
		switch s.next() % 8 {
		case 0:
			m[k] = nil
		case 1:
			m[k] = (*int)(nil)
		default:
			m[k] = genValue(s, 3)
		}
	}
	return m
}

// refErrText is an error's text and sentinel, for comparison.
func refErrText(err error) string {
	if err == nil {
		return "<nil>"
	}
	for _, s := range []error{ErrUnsupportedType, ErrNilValue, ErrNonFinite, ErrInvalidNumber, ErrInvalidUTF8, ErrTooDeep} {
		if errors.Is(err, s) {
			return err.Error() + " [" + s.Error() + "]"
		}
	}
	return err.Error()
}

// checkAgainstReference encodes v in every form with every public entry
// point and compares each with the reference.
func checkAgainstReference(t *testing.T, v any) {
	t.Helper()
	forms := []struct {
		name   string
		t      *encTable
		enc    func(any) (string, error)
		append func([]byte, any) ([]byte, error)
	}{
		{"query", &encQuery, Encode, appendEncode},
		{"path", &encPath, EncodePathKey, appendEncodePathKey},
		{"reduced", &encReduced, ReducedEncode, appendReducedEncode},
	}
	for _, f := range forms {
		want, werr := refEncode(v, f.t)
		got, err := f.enc(v)
		if got != want || refErrText(err) != refErrText(werr) {
			t.Fatalf("%s form of %#v:\n got %q, %v\nwant %q, %v", f.name, v, got, refErrText(err), want, refErrText(werr))
		}
		// The appending form, into a buffer with room and into none.
		for _, dst := range [][]byte{make([]byte, 0, 4096), nil} {
			b, err := f.append(dst, v)
			if refErrText(err) != refErrText(werr) || err == nil && string(b) != want {
				t.Fatalf("Append %s form of %#v:\n got %q, %v\nwant %q, %v", f.name, v, b, refErrText(err), want, refErrText(werr))
			}
		}
	}
}

// checkParamsAgainstReference compares ParamEncode and appendParamEncode
// with the reference.
func checkParamsAgainstReference(t *testing.T, params map[string]any) {
	t.Helper()
	want, werr := refParamEncode(params)
	got, err := ParamEncode(params)
	if got != want || refErrText(err) != refErrText(werr) {
		t.Fatalf("ParamEncode(%#v):\n got %q, %v\nwant %q, %v", params, got, refErrText(err), want, refErrText(werr))
	}
	b, err := appendParamEncode(make([]byte, 0, 64), params)
	if refErrText(err) != refErrText(werr) || err == nil && string(b) != want {
		t.Fatalf("appendParamEncode(%#v):\n got %q, %v\nwant %q, %v", params, b, refErrText(err), want, refErrText(werr))
	}
}

// FuzzEncodeDifferential builds a value and a parameter map from the
// fuzzer's bytes and compares every encoding function with the reference.
func FuzzEncodeDifferential(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("\x12\x05\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09"))
	f.Add([]byte("\x0e\x05\x00\x1f\x00\x20\x00\x21\x00\x22\x00\x23"))
	f.Add([]byte("\x16\x07\x03\x02\x01\x00\x00\x01\x05"))
	f.Add([]byte("\x13\x09\x0a\x00\x0b\x01\x0c\x02\x0d\x03\x0e\x04\x0f\x05\x10\x06\x11\x07\x12\x08"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s := &byteSource{data}
		checkAgainstReference(t, genValue(s, 4))
		checkParamsAgainstReference(t, genParams(s))
	})
}

// TestEncode_GeneratedShapesMatchReference runs a few thousand generated
// values through every encoding function, in sequences that reuse map sizes
// and keys (so the remembered key sets hit and miss), lists of URNs with long
// shared prefixes, and parameter maps above and below the stack-array size,
// and compares each with the reference.
func TestEncode_GeneratedShapesMatchReference(t *testing.T) {
	n := 4000
	if testing.Short() {
		n = 500
	}
	r := randSource{rand.New(rand.NewPCG(1, 2))}
	for range n {
		checkAgainstReference(t, genValue(r, 4))
		checkParamsAgainstReference(t, genParams(r))
	}
	// Maps of one size with the same keys, then one key changed: the
	// remembered set hits, then misses.
	for size := 1; size <= encSmall+1; size++ {
		m := map[string]any{}
		for i := range size {
			m[genKeys[i]] = i
		}
		for range 3 {
			checkAgainstReference(t, []any{m, m, m})
			checkParamsAgainstReference(t, m)
		}
		other := map[string]any{}
		for k, v := range m {
			other[k+"x"] = v
		}
		checkAgainstReference(t, []any{m, other, m})
		checkParamsAgainstReference(t, other)
	}
	// Lists of URNs sharing prefixes of every length around encPrefixMin.
	for cut := 0; cut < 40; cut++ {
		base := "urn:li:sponsoredCampaign:123456789é123456789"
		var l []any
		for i := range 6 {
			l = append(l, base[:min(cut, len(base))]+string(rune('a'+i))+base)
		}
		checkAgainstReference(t, l)
		ls := make([]string, len(l))
		for i, e := range l {
			ls[i] = e.(string)
		}
		checkAgainstReference(t, ls)
	}
}
