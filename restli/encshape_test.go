// Tests of the remembered key sets of encshape.go.

package restli

import (
	"math/rand/v2"
	"sync"
	"testing"
)

// shapeGen builds values whose maps draw their keys from a few names, so
// that maps of the same size often share some keys but not all: the case
// where a remembered key set must not be taken for the map's own.
type shapeGen struct {
	next func() uint64
}

var shapeKeys = []string{"a", "b", "c", "q", "start", "d e", "", "ü",
	// Longer, escaped, than the room a key set has for its escaped keys.
	"a key whose escaped form alone fills more than the room a key set keeps for escaped keys: ::::::::::::::::::::::::::::::::::::::::"}

func (g shapeGen) n(k uint64) int { return int(g.next() % k) }

// value returns a value nested at most depth levels.
func (g shapeGen) value(depth int) any {
	switch g.n(6) {
	case 0, 1:
		if depth > 0 {
			return g.object(depth-1, false)
		}
	case 2:
		if depth > 0 {
			l := make([]any, g.n(6))
			for i := range l {
				l[i] = g.value(depth - 1)
			}
			return l
		}
	case 3:
		return g.n(100)
	case 4:
		// Long strings sharing a prefix, as the ids of a batch call do,
		// mixed in lists with other values.
		return "urn:li:sponsoredCampaign:" + shapeKeys[g.n(uint64(len(shapeKeys)))]
	case 5:
		if g.n(30) == 0 {
			return "not UTF-8: \xff" // an error, now and then
		}
	}
	return shapeKeys[g.n(uint64(len(shapeKeys)))]
}

// object returns a map of up to 9 entries (one more than the encoder keeps
// on the stack); with nils, some values are nil pointers.
func (g shapeGen) object(depth int, nils bool) map[string]any {
	m := make(map[string]any)
	for range g.n(5) + g.n(6) {
		k := shapeKeys[g.n(uint64(len(shapeKeys)))]
		if g.n(4) == 0 {
			k += "x" // a ninth and tenth name now and then
		}
		if nils && g.n(5) == 0 {
			m[k] = (*int)(nil)
			continue
		}
		m[k] = g.value(depth)
	}
	return m
}

// checkShapes encodes a sequence of generated values with the remembered
// key sets (ParamEncode, Encode) and without them (appendParamEncode,
// appendEncode), and reports the first difference. It does not stop the
// test, so that goroutines other than the test's may call it.
func checkShapes(t *testing.T, next func() uint64, rounds int) {
	t.Helper()
	g := shapeGen{next}
	for range rounds {
		params := g.object(3, true)
		want, wantErr := appendParamEncode(nil, params)
		got, err := ParamEncode(params)
		if errText(err) != errText(wantErr) || err == nil && got != string(want) {
			t.Errorf("ParamEncode(%#v) = %q, %v; without remembered keys %q, %v", params, got, err, want, wantErr)
			return
		}
		v := g.value(4)
		// The three tables in turn, on the same pooled scratch state: a
		// key set's escaped keys belong to the table that escaped them.
		for _, enc := range []struct {
			name string
			got  func(any) (string, error)
			want func([]byte, any) ([]byte, error)
		}{
			{"Encode", Encode, appendEncode},
			{"EncodePathKey", EncodePathKey, appendEncodePathKey},
			{"ReducedEncode", ReducedEncode, appendReducedEncode},
		} {
			wantV, wantErr := enc.want(nil, v)
			gotV, err := enc.got(v)
			if errText(err) != errText(wantErr) || err == nil && gotV != string(wantV) {
				t.Errorf("%s(%#v) = %q, %v; without remembered keys %q, %v", enc.name, v, gotV, err, wantV, wantErr)
				return
			}
		}
	}
}

// errText is err's message, or "" for nil.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestEncodeShapes_SameOutput checks that remembering key sets never
// changes what is written: maps of the same size with other keys, keys
// added or removed between calls, nil parameters, names that need escaping.
func TestEncodeShapes_SameOutput(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	checkShapes(t, r.Uint64, 20000)
}

// TestEncodeShapes_MapChangedBetweenCalls encodes one map, changes its keys
// without changing its size, and encodes it again.
func TestEncodeShapes_MapChangedBetweenCalls(t *testing.T) {
	m := map[string]any{"count": 10, "q": "search", "start": 0}
	for _, step := range []struct {
		del, add string
		want     string
	}{
		{"", "", "count=10&q=search&start=0"},
		{"start", "sort", "count=10&q=search&sort=0"},
		{"q", "a b", "a%20b=search&count=10&sort=0"},
		{"a b", "q", "count=10&q=search&sort=0"},
	} {
		if step.del != "" {
			v := m[step.del]
			delete(m, step.del)
			m[step.add] = v
		}
		for range 3 {
			if got, err := ParamEncode(m); err != nil || got != step.want {
				t.Fatalf("after -%s +%s: ParamEncode = %q, %v; want %q", step.del, step.add, got, err, step.want)
			}
		}
	}
}

// TestEncodeShapes_Concurrent runs the comparison from several goroutines
// at once, for the race detector and to mix pooled states between them.
func TestEncodeShapes_Concurrent(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(i), 7))
			checkShapes(t, r.Uint64, 2000)
		})
	}
	wg.Wait()
}

// FuzzEncodeShapes drives the generator with the fuzzer's bytes.
func FuzzEncodeShapes(f *testing.F) {
	f.Add([]byte("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a"))
	f.Add([]byte("same shapes, other keys: aaaa bbbb aaaa bbbb"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) == 0 {
			return
		}
		i := 0
		next := func() uint64 {
			c := b[i%len(b)]
			i++
			return uint64(c) + uint64(i/len(b))
		}
		checkShapes(t, next, 4)
	})
}
