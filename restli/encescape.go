// This file holds the escaping tables of the three Rest.li 2.0 forms (protocol
// reference §2.2) and the writers of leaves: strings, bytes and numbers.

package restli

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

const (
	encClsEscape   uint8 = iota // write as %HH
	encClsRaw                   // write as is
	encClsNonASCII              // first or later byte of a multi-byte character
)

// encTable says, per byte of a string, how one escaping form writes it.
type encTable struct {
	class [256]uint8
	// enc holds, per byte, its output (up to three bytes, little-endian)
	// and in the top byte the output length, 1 or 3.
	enc [256]uint32
	// rawNonASCII keeps valid multi-byte characters raw (reduced form);
	// otherwise each of their bytes is percent-encoded.
	rawNonASCII bool
}

const encAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

var (
	// §2.2: query = Jersey QUERY_PARAM minus the internal escapes.
	encQuery = encNewTable(encAlnum+"-._~!$*;@/?", false)
	// §2.2: path = Jersey PATH_SEGMENT minus the internal escapes.
	encPath = encNewTable(encAlnum+"-._~!$&*+=@", false)
	// §2.2: reduced = only the internal escapes % ( ) , : '.
	encReduced = encNewTable(encAllASCIIExcept("%(),:'"), true)
	// §4.6: projection masks keep their grammar characters ' ( ) , :.
	encProjection = encNewTable(encAlnum+"-._~!$'()*,;:@/?", false)
)

func encAllASCIIExcept(except string) string {
	var b []byte
	for c := 0; c < 0x80; c++ {
		if strings.IndexByte(except, byte(c)) < 0 {
			b = append(b, byte(c))
		}
	}
	return string(b)
}

func encNewTable(safe string, rawNonASCII bool) encTable {
	var t encTable
	for i := 0; i < len(safe); i++ {
		t.class[safe[i]] = encClsRaw
	}
	for c := 0x80; c < 0x100; c++ {
		t.class[c] = encClsNonASCII
	}
	t.rawNonASCII = rawNonASCII
	for c := 0; c < 0x100; c++ {
		if t.class[c] == encClsRaw || t.class[c] == encClsNonASCII && rawNonASCII {
			t.enc[c] = uint32(c) | 1<<24
		} else {
			t.enc[c] = '%' | uint32(encHex[c>>4])<<8 | uint32(encHex[c&0xF])<<16 | 3<<24
		}
	}
	return t
}

const encHex = "0123456789ABCDEF"

// encAppendString appends s escaped per t; the empty string becomes two
// apostrophes. It reports false if s is not valid UTF-8.
//
// It makes room for the worst case (three bytes out per byte in) once, and
// then writes each byte from its table entry, which holds the byte's output
// and its length, with no call to append and no branch on the form; eight
// bytes that are all written as they are, the common case, are copied at
// once. UTF-8 is checked afterwards, only if s is not ASCII. This is the
// escaping the encoding benchmarks spend most of their time in; refEscape
// is the plain version it is checked against.
func encAppendString(dst []byte, s string, t *encTable) ([]byte, bool) {
	if len(s) == 0 {
		return append(dst, '\'', '\''), true
	}
	n := len(dst)
	dst = slices.Grow(dst, 3*len(s)+1)
	out := dst[n : n+3*len(s)+1]
	enc := &t.enc
	w := 0
	var hi byte
	i := 0
	for ; i+8 <= len(s); i += 8 {
		b := s[i : i+8]
		_ = b[7]
		hi |= b[0] | b[1] | b[2] | b[3] | b[4] | b[5] | b[6] | b[7]
		// The OR of the eight entries is 1<<24 exactly when every byte is
		// written as it is.
		if (enc[b[0]]|enc[b[1]]|enc[b[2]]|enc[b[3]]|enc[b[4]]|enc[b[5]]|enc[b[6]]|enc[b[7]])>>24 == 1 {
			w += copy(out[w:], b)
			continue
		}
		for k := range 8 {
			w = encPut(out, w, enc[b[k]])
		}
	}
	for ; i < len(s); i++ {
		c := s[i]
		hi |= c
		w = encPut(out, w, enc[c])
	}
	if hi >= utf8.RuneSelf && !utf8.ValidString(s) {
		return dst[:n], false
	}
	return dst[:n+w], true
}

// encPut writes the output of one table entry e at out[w:] and returns the
// new end: its three bytes are stored, and the length in its top byte says
// how many count.
func encPut(out []byte, w int, e uint32) int {
	o := out[w : w+3 : w+3]
	o[0], o[1], o[2] = byte(e), byte(e>>8), byte(e>>16)
	return w + int(e>>24)
}

// encAppendBytes appends b as a Rest.li bytes string: each byte is the
// character with that code point (U+0000–U+00FF), escaped per t.
func encAppendBytes(dst []byte, b []byte, t *encTable) []byte {
	if len(b) == 0 {
		return append(dst, '\'', '\'')
	}
	for _, c := range b {
		if c < 0x80 {
			if t.class[c] == encClsRaw {
				dst = append(dst, c)
			} else {
				dst = append(dst, '%', encHex[c>>4], encHex[c&0xF])
			}
			continue
		}
		b0, b1 := 0xC0|c>>6, 0x80|c&0x3F
		if t.rawNonASCII {
			dst = append(dst, b0, b1)
		} else {
			dst = append(dst, '%', encHex[b0>>4], encHex[b0&0xF], '%', encHex[b1>>4], encHex[b1&0xF])
		}
	}
	return dst
}

// encAppendASCII appends ASCII number text escaped per t (a float exponent
// may hold "+", which the query form escapes).
func encAppendASCII(dst []byte, b []byte, t *encTable) []byte {
	for _, c := range b {
		if t.class[c] == encClsRaw {
			dst = append(dst, c)
		} else {
			dst = append(dst, '%', encHex[c>>4], encHex[c&0xF])
		}
	}
	return dst
}

// encAppendFloat appends f formatted as encoding/json does: the shortest text
// that round-trips at the given bit size, with an exponent only outside
// 1e-6 <= |f| < 1e21.
func encAppendFloat(dst []byte, f float64, bits int) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	dst = strconv.AppendFloat(dst, f, format, -1, bits)
	if format == 'e' {
		// Clean up e-09 to e-9, as encoding/json does.
		n := len(dst)
		if n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst
}

func encAppendFloatEsc(dst []byte, f float64, bits int, t *encTable) ([]byte, error) {
	if math.IsNaN(f) {
		return dst, &EncodeError{Reason: "NaN float", Err: ErrNonFinite}
	}
	if math.IsInf(f, 0) {
		return dst, &EncodeError{Reason: "infinite float", Err: ErrNonFinite}
	}
	var tmp [32]byte
	return encAppendASCII(dst, encAppendFloat(tmp[:0], f, bits), t), nil
}

func encAppendNumber(dst []byte, n json.Number, t *encTable) ([]byte, error) {
	if !encValidNumber(string(n)) {
		return dst, &EncodeError{Reason: "json.Number is not a valid number", Err: ErrInvalidNumber}
	}
	d, _ := encAppendString(dst, string(n), t)
	return d, nil
}

// encValidNumber reports whether s is a JSON number (the grammar
// encoding/json checks json.Number against).
func encValidNumber(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '-' {
		s = s[1:]
		if s == "" {
			return false
		}
	}
	isDigit := func(c byte) bool { return '0' <= c && c <= '9' }
	switch {
	case s[0] == '0':
		s = s[1:]
	case '1' <= s[0] && s[0] <= '9':
		s = s[1:]
		for len(s) > 0 && isDigit(s[0]) {
			s = s[1:]
		}
	default:
		return false
	}
	if len(s) >= 2 && s[0] == '.' && isDigit(s[1]) {
		s = s[2:]
		for len(s) > 0 && isDigit(s[0]) {
			s = s[1:]
		}
	}
	if len(s) >= 2 && (s[0] == 'e' || s[0] == 'E') {
		s = s[1:]
		if s[0] == '+' || s[0] == '-' {
			s = s[1:]
			if s == "" {
				return false
			}
		}
		for len(s) > 0 && isDigit(s[0]) {
			s = s[1:]
		}
	}
	return s == ""
}
