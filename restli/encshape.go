// This file holds the encoder's scratch state: a buffer to encode into and
// the key sets of the small maps encoded lately.
//
// Ranging over a Go map is the costliest step of encoding a small map: the
// runtime seeds every iteration at random, and while a GC is marking, each
// step stores pointers through write barriers. The keys then have to be
// sorted. Yet maps of the same size usually have the same keys: every
// element of a list of complex keys, the parameters of repeated calls to
// the same finder. So the encoder remembers, per map size, the sorted keys
// of the last map of that size it ranged over. A map of that size holding
// each of those keys has exactly those keys, since they are distinct: its
// entries are then read by lookups, which on a small map compare keys
// without hashing, in the order already sorted. When a key is missing the
// map is ranged over as usual and its keys are remembered in turn.
//
// A remembered key set also keeps its keys escaped (for the table of the
// last encoding that used it), so that the next map with those keys copies
// them instead of escaping them again.
//
// What it buys: without it, ParamEncode of the simple and finder_search
// cases of BenchmarkParamEncode costs about 1.7x to 1.9x the CPU time,
// which would put the simple case under the target of ten times LinkedIn's
// JavaScript client. The escaped keys take 7–10% off the complex_keys_20
// case (20 maps of two keys: 2.29–2.35 µs against 2.49–2.65 µs, the two
// builds run in turn), the one closest to that target.

package restli

import "sync"

// encShapes holds the sorted key set last seen for each map size from 1 to
// encSmall.
type encShapes [encSmall]encKeySet

// encKeySet is the sorted key set of one map.
type encKeySet struct {
	n     int  // number of keys; 0 when nothing is remembered
	plain bool // every key is a parameter name the query form writes as it is
	keys  [encSmall]string

	// The keys escaped per escT, end to end: key i is
	// esc[escEnd[i-1]:escEnd[i]] (escEnd[-1] being 0). A map of these keys
	// copies them instead of escaping them again, which for the small maps
	// of a list of compound keys is a good part of the work. escT is nil
	// until they are escaped, and after put; escLong marks keys that do not
	// fit in esc.
	escT    *encTable
	escLong bool
	// gen counts the changes of keys and esc: a map whose value holds maps
	// of its own size sees its key set replaced while it writes its
	// entries, and checks gen before copying another escaped key.
	gen    uint32
	escEnd [encSmall]uint8
	esc    [encKeyEscBytes]byte
}

// encKeyEscBytes is the room for a key set's escaped keys.
const encKeyEscBytes = 96

// escaped returns the key set's escaped keys per t, escaping them first if
// need be, or false when they do not fit (or are not valid UTF-8).
func (set *encKeySet) escaped(t *encTable) bool {
	if set.escT == t {
		return true
	}
	if set.escLong {
		return false
	}
	b := set.esc[:0]
	for i, k := range set.keys[:set.n] {
		var ok bool
		if b, ok = encAppendString(b, k, t); !ok || len(b) > len(set.esc) || &b[0] != &set.esc[0] {
			set.escLong = true // grown out of esc, or not UTF-8: escape as usual
			return false
		}
		set.escEnd[i] = uint8(len(b))
	}
	set.escT = t
	set.gen++ // the bytes in esc changed
	return true
}

// escapedKey returns key i escaped, once escaped returned true.
func (set *encKeySet) escapedKey(i int) []byte {
	start := 0
	if i > 0 {
		start = int(set.escEnd[i-1])
	}
	return set.esc[start:set.escEnd[i]]
}

// get returns the remembered key set of maps of n entries, or nil. It is
// nil-safe, so that callers without scratch state pass a nil *encShapes.
func (sh *encShapes) get(n int) *encKeySet {
	if sh == nil || n < 1 || n > encSmall {
		return nil
	}
	if set := &sh[n-1]; set.n == n {
		return set
	}
	return nil
}

// put remembers keys, in the order ord gives, as the key set of maps of
// len(ord) entries.
func (sh *encShapes) put(keys []string, ord []uint8) {
	n := len(ord)
	if sh == nil || n < 1 || n > encSmall {
		return
	}
	set := &sh[n-1]
	plain := true
	for i, o := range ord {
		set.keys[i] = keys[o]
		plain = plain && encIsPlainName(keys[o])
	}
	set.n, set.plain = n, plain
	set.escT, set.escLong = nil, false
	set.gen++
}

// encState is the encoder's pooled scratch state.
type encState struct {
	buf    []byte
	shapes encShapes
}

// encStatePool holds scratch states: encoding into a pooled buffer and
// copying the result out once costs one allocation without walking the
// value twice to size the output.
var encStatePool = sync.Pool{New: func() any { return &encState{buf: make([]byte, 0, 1024)} }}

// encMaxPooled is the largest buffer kept for reuse.
const encMaxPooled = 64 << 10

// encScratch returns a scratch state from the pool; give it back with
// release.
func encScratch() *encState { return encStatePool.Get().(*encState) }

// release returns st to the pool with buf, the grown scratch buffer, unless
// buf has grown too large to keep.
func (st *encState) release(buf []byte) {
	if cap(buf) > encMaxPooled {
		return
	}
	if cap(buf) != cap(st.buf) {
		// buf grew into a new array; otherwise st.buf is it already, and
		// not storing it again spares a write barrier.
		st.buf = buf[:0]
	}
	encStatePool.Put(st)
}
