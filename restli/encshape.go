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
// What it buys: without it, ParamEncode of the simple and finder_search
// cases of BenchmarkParamEncode costs about 1.7x to 1.9x the CPU time,
// which would put the simple case under the target of ten times LinkedIn's
// JavaScript client.

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
