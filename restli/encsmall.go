// This file holds a fast path: maps of up to encSmall entries are collected
// and sorted in arrays of the encoder's own stack frame, through a byte
// permutation, instead of a slice on the heap and sort.Strings. It buys the
// one-allocation budget of ParamEncode, and it spares the write barriers a
// heap slice of strings pays on every store while a GC is marking. Larger
// maps take encAppendMapLarge.

package restli

// encSmall is the number of map entries or parameters the encoder collects
// and sorts in arrays of its own stack frame. Entries are stored there
// directly and sorted through a byte permutation, so that collecting and
// sorting them stores no pointer outside the frame: while a GC is marking,
// every such store would pay a write barrier.
const encSmall = 8

// encAppendMapAny writes a map[string]any with its keys sorted. It is kept
// out of encAppendValue so that the arrays on the stack are not part of
// every recursive frame.
func encAppendMapAny(dst []byte, m map[string]any, t *encTable, sh *encShapes, depth int) ([]byte, error) {
	if depth >= codecMaxDepth {
		return dst, encErrTooDeep()
	}
	if len(m) > encSmall {
		return encAppendMapAnyLarge(dst, m, t, sh, depth)
	}
	var keys [encSmall]string
	var vals [encSmall]any
	var ord [encSmall]uint8
	n := len(m)
	hit := false
	var esc *encKeySet // the key set whose escaped keys are copied
	var gen uint32     // esc.gen when its keys were these
	if set := sh.get(n); set != nil {
		hit = true
		for i, k := range set.keys[:n] {
			v, ok := m[k]
			if !ok {
				hit = false
				break
			}
			keys[i], vals[i], ord[i] = k, v, uint8(i)
		}
		if hit && set.escaped(t) {
			esc, gen = set, set.gen
		}
	}
	if !hit {
		n = 0
		for k, e := range m {
			if n == encSmall { // only a racing writer can grow m meanwhile
				return encAppendMapAnyLarge(dst, m, t, sh, depth)
			}
			keys[n], vals[n] = k, e
			n++
		}
		encSortOrder(keys[:n], ord[:n])
		sh.put(keys[:n], ord[:n])
	}
	dst = append(dst, '(')
	for i, o := range ord[:n] {
		if i > 0 {
			dst = append(dst, ',')
		}
		var err error
		if esc != nil && esc.gen == gen {
			// o == i: the remembered keys are sorted already, and still
			// these (a map in a value may have replaced them).
			dst = append(append(dst, esc.escapedKey(i)...), ':')
			dst, err = encAppendEntryValue(dst, keys[o], vals[o], t, sh, depth)
		} else {
			dst, err = encAppendEntry(dst, keys[o], vals[o], t, sh, depth)
		}
		if err != nil {
			return dst, err
		}
	}
	return append(dst, ')'), nil
}

// encAppendMapString writes a map[string]string with its keys sorted.
func encAppendMapString(dst []byte, m map[string]string, t *encTable) ([]byte, error) {
	var keys [encSmall]string
	var vals [encSmall]string
	n := 0
	if len(m) <= encSmall {
		for k, e := range m {
			if n == encSmall { // only a racing writer can grow m meanwhile
				n = -1
				break
			}
			keys[n], vals[n] = k, e
			n++
		}
	}
	if n < 0 || len(m) > encSmall {
		return encAppendMapStringLarge(dst, m, t)
	}
	var ord [encSmall]uint8
	encSortOrder(keys[:n], ord[:n])
	dst = append(dst, '(')
	for i, o := range ord[:n] {
		if i > 0 {
			dst = append(dst, ',')
		}
		var err error
		if dst, err = encAppendStringEntry(dst, keys[o], vals[o], t); err != nil {
			return dst, err
		}
	}
	return append(dst, ')'), nil
}

// encLess reports whether a sorts before b, byte-wise. Keys that differ in
// their first byte, as most parameter names and field names do, are
// ordered without a call into the runtime.
func encLess(a, b string) bool {
	if len(a) > 0 && len(b) > 0 && a[0] != b[0] {
		return a[0] < b[0]
	}
	return a < b
}

// encSortOrder sets ord, of the same length as keys (at most 256), to the
// indexes of keys in byte-wise order of the keys (§2.1), by an insertion
// sort that neither allocates nor calls through a func value.
func encSortOrder(keys []string, ord []uint8) {
	for i := range ord {
		ord[i] = uint8(i)
	}
	for i := 1; i < len(ord); i++ {
		o := ord[i]
		k := keys[o]
		j := i
		for ; j > 0 && encLess(k, keys[ord[j-1]]); j-- {
			ord[j] = ord[j-1]
		}
		ord[j] = o
	}
}
