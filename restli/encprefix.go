// Lists of strings in batch calls are mostly keys of one kind, such as
// ids=List(urn:li:sponsoredCampaign:1000000,urn:li:sponsoredCampaign:1000001,...),
// which share a long prefix. encAppendListString writes such a list's
// elements: after an element that shared a prefix with the one before it,
// it keeps where that prefix's escaped form is in dst, and an element with
// the same prefix copies it from there and escapes only the rest.
//
// What it buys: the batch_ids_100 case of BenchmarkParamEncode (100 campaign
// URNs) costs about a quarter less CPU time with it (measured 5.7 vs 7.8 µs
// per call on a busy machine), which keeps that case well clear of the
// target of ten times LinkedIn's JavaScript client.

package restli

// encPrefixMin is the shortest shared prefix worth keeping: below it,
// comparing and copying costs about what escaping the bytes again does.
const encPrefixMin = 16

// encPrefixMemo is what encAppendListString keeps of the previous element,
// whose string the caller passes. It holds no pointers, so updating it
// through a pointer costs no write barrier.
type encPrefixMemo struct {
	out    int // where the previous element's escaped form starts in dst
	cut    int // prev[:cut] is the kept prefix; 0 if none
	cutOut int // the length of prev[:cut]'s escaped form
}

// encAppendListString appends s, an element of a list that follows prev,
// escaped per t, as encAppendString would, and updates m for the next
// element.
func encAppendListString(dst []byte, s, prev string, t *encTable, m *encPrefixMemo) ([]byte, bool) {
	start := len(dst)
	if c := m.cut; c > 0 && len(s) > c && len(prev) >= c && s[:c] == prev[:c] {
		// s[:c] is the kept prefix, escaped already and valid UTF-8 on
		// its own (it was escaped as a whole string), so it ends with a
		// whole character and s is valid exactly when s[c:] is.
		dst = append(dst, dst[m.out:m.out+m.cutOut]...)
		m.out = start
		return encAppendString(dst, s[c:], t)
	}
	m.out = start
	c := encCommonPrefix(s, prev)
	for c > 0 && s[c]&0xC0 == 0x80 {
		c-- // cut before a character, not inside it
	}
	if c < encPrefixMin {
		m.cut = 0
		return encAppendString(dst, s, t)
	}
	// Both halves are non-empty, and valid UTF-8 exactly when s is.
	dst, ok := encAppendString(dst, s[:c], t)
	if !ok {
		return dst, false
	}
	m.cut, m.cutOut = c, len(dst)-start
	return encAppendString(dst, s[c:], t)
}

// encCommonPrefix returns the length of the longest common prefix of s and
// p, at most len(s)-1.
func encCommonPrefix(s, p string) int {
	n := min(len(s)-1, len(p))
	i := 0
	for i < n && s[i] == p[i] {
		i++
	}
	return i
}
