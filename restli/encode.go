package restli

import (
	"encoding"
	"encoding/binary"
	"encoding/json"
	"errors"
	"maps"
	"math"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"
)

// This file holds the Rest.li 2.0 encoder (protocol reference §1, §2, §4.1,
// §4.6): one grammar, three escaping forms (query: Encode and ParamEncode;
// path: EncodePathKey; reduced: ReducedEncode). Encode's doc comment lists
// what each Go value becomes.

// codecMaxDepth bounds nesting for both the encoder and the decoders. In the
// encoder every container and every pointer or interface indirection reached
// through reflection counts as a level, so a cyclic value fails instead of
// exhausting the stack.
const codecMaxDepth = 1000

// Sentinel errors carried by *EncodeError and *DecodeError; match them with
// errors.Is.
var (
	// ErrUnsupportedType reports a Go value with no Rest.li spelling: a
	// channel, func, complex number, unsafe pointer, a map whose keys are not
	// strings, or a projection parameter that is not a string.
	ErrUnsupportedType = errors.New("restli: unsupported type")
	// ErrNilValue reports a nil (untyped nil, nil interface or nil pointer)
	// inside a value; Rest.li has no null.
	ErrNilValue = errors.New("restli: nil value")
	// ErrNonFinite reports a NaN or infinite float.
	ErrNonFinite = errors.New("restli: NaN or infinite float")
	// ErrInvalidNumber reports a json.Number whose text is not a JSON number.
	ErrInvalidNumber = errors.New("restli: invalid json.Number")
	// ErrInvalidUTF8 reports text that is not valid UTF-8: a string being
	// encoded, or the bytes a decoder read or percent-decoded.
	ErrInvalidUTF8 = errors.New("restli: invalid UTF-8")
	// ErrTooDeep reports nesting deeper than 1000 levels, or a cyclic value.
	ErrTooDeep = errors.New("restli: nesting too deep")
)

// EncodeError reports a value that cannot be written in Rest.li 2.0 form.
// Its message says where in the value the problem is and what kind of problem
// it is, naming Go types but never any part of the value, which may be a
// secret.
type EncodeError struct {
	// Path locates the offending element: map keys, struct field names and
	// parameter names joined by ".", list indexes in brackets, as in
	// "search.values[2]". It is empty for the top-level value. A key that is
	// not a plain name (1–64 characters from A–Z a–z 0–9 _ $ -) is shown as
	// "?", so that data such as URN keys cannot leak through the path.
	Path string
	// Reason describes the problem.
	Reason string
	// Err is the sentinel for the kind of problem (ErrUnsupportedType,
	// ErrNilValue, ...) or the error returned by a MarshalText method. It may
	// be nil. Its text is not part of Error, because a marshaler's error may
	// quote the value.
	Err error
}

// Error implements error.
func (e *EncodeError) Error() string {
	if e.Path == "" {
		return "restli: cannot encode value: " + e.Reason
	}
	return "restli: cannot encode value at " + e.Path + ": " + e.Reason
}

// Unwrap returns e.Err.
func (e *EncodeError) Unwrap() error { return e.Err }

// ErrorType returns "restli.encode_error", the error.type attribute for
// OpenTelemetry.
func (e *EncodeError) ErrorType() string { return "restli.encode_error" }

// Encode returns v in Rest.li 2.0 query-value form, the form of a query
// parameter value: Encode(map[string]any{"a b": []any{1, "x:y"}}) is
// "(a%20b:List(1,x%3Ay))". Go values are written as follows (all three forms
// share these rules and differ only in which characters they escape):
//
//   - string: its text, escaped; the empty string is written as two
//     apostrophes. It must be valid UTF-8.
//   - bool and every integer kind: their text, like strconv writes it.
//   - float32 and float64: the text encoding/json would write, the shortest
//     that round-trips, with an exponent only outside 1e-6 <= |x| < 1e21.
//     NaN and ±Inf are errors.
//   - json.Number: its text unchanged, once checked to be a JSON number.
//   - a value whose type implements encoding.TextMarshaler, such as a URN
//     or a time.Time: its text, escaped like a string. This rule comes
//     before the struct rule. A String method (fmt.Stringer) does not count:
//     a String written for logging must not change what goes on the wire, so
//     such a struct is a record and such an enum its number, as in JSON
//     bodies.
//   - []byte: the Rest.li bytes type, each byte one character U+0000–U+00FF,
//     so the byte 0xE9 is written like "é".
//   - other slices and arrays: List(a,b,...), in order. A nil slice is List().
//   - maps with string keys (any key type of string kind): (k:v,...), sorted
//     byte-wise by key. A nil map is (). Other key types are errors.
//   - structs: a map of their fields, chosen and named as encoding/json does
//     (json tags, "-", omitempty, omitzero, embedded structs), sorted.
//   - pointers and interfaces: the value they hold.
//
// Rest.li has no null, so a nil interface or nil pointer anywhere in v is an
// error (ErrNilValue). Channels, funcs, complex numbers and unsafe pointers
// are errors (ErrUnsupportedType), as are invalid UTF-8 (ErrInvalidUTF8) and
// nesting deeper than 1000 levels, counting pointer and interface
// indirections, which is also how cyclic values are caught (ErrTooDeep). All
// errors are *EncodeError values whose text never contains any part of v.
func Encode(v any) (string, error) {
	return encToString(v, &encQuery)
}

// EncodePathKey returns v in Rest.li 2.0 path-segment form, for a resource
// key placed in the URL path; the result is one path segment. Values are
// written as by Encode; only the escaped characters differ: "/", "?" and ";"
// are escaped, "&", "+" and "=" are not.
func EncodePathKey(v any) (string, error) {
	return encToString(v, &encPath)
}

// ReducedEncode returns v in Rest.li 2.0 reduced form, used for compound and
// complex keys in the X-RestLi-Id header and as keys of JSON maps in batch
// bodies. Values are written as by Encode, but only % ( ) , : and ' are
// escaped; everything else, including spaces, control characters and
// non-ASCII text, stays raw, so a caller putting the result in an HTTP header
// must check it for CR and LF.
func ReducedEncode(v any) (string, error) {
	return encToString(v, &encReduced)
}

// AppendEncode appends the query-value form of v (see Encode) to dst. It
// allocates nothing when dst has room and v holds only strings, bools,
// numbers, json.Number, []any, []string and map[string]any or
// map[string]string values of up to 8 keys each.
func AppendEncode(dst []byte, v any) ([]byte, error) {
	return encAppendValue(dst, v, &encQuery, nil, 0)
}

// AppendEncodePathKey appends the path-segment form of v (see EncodePathKey)
// to dst.
func AppendEncodePathKey(dst []byte, v any) ([]byte, error) {
	return encAppendValue(dst, v, &encPath, nil, 0)
}

// AppendReducedEncode appends the reduced form of v (see ReducedEncode) to
// dst.
func AppendReducedEncode(dst []byte, v any) ([]byte, error) {
	return encAppendValue(dst, v, &encReduced, nil, 0)
}

// ParamEncode returns the query string for params: name=value pairs joined by
// "&", sorted byte-wise by encoded name, with no leading "?". Names are
// escaped like query-form strings and values are written by Encode. A nil
// value (untyped nil or nil pointer) drops its parameter, so a *T field left
// nil means "not set". The projection parameters fields, metadataFields,
// pagingFields and LinkedIn's projection take a string in projection-mask
// syntax, which is sent as written except that characters outside
// A–Z a–z 0–9 - . _ ~ ! $ ' ( ) * , ; : @ / ? are percent-encoded; any other
// value for them is an error. ParamEncode never writes "+" for a space or an
// empty value: an empty string is written as two apostrophes, an empty list
// as List() and an empty map as ().
func ParamEncode(params map[string]any) (string, error) {
	st := encScratch()
	buf, err := appendParamsWith(st.buf, params, nil, &st.shapes)
	if err != nil {
		st.release(buf)
		return "", err
	}
	out := string(buf)
	st.release(buf)
	return out, nil
}

// AppendParamEncode appends the query string for params (see ParamEncode) to
// dst. It allocates nothing when dst has room, params has at most 8 entries
// and the values are of the kinds listed under AppendEncode.
func AppendParamEncode(dst []byte, params map[string]any) ([]byte, error) {
	return appendParamsWith(dst, params, nil, nil)
}

// appendParamsWith appends the query string for params and extra (names
// distinct from params' and from each other) to dst, as AppendParamEncode
// would for their union.
func appendParamsWith(dst []byte, params map[string]any, extra []param, sh *encShapes) ([]byte, error) {
	if len(params)+len(extra) > encSmall {
		return appendParamsLarge(dst, params, extra)
	}
	set := sh.get(len(params))
	if set != nil && !set.plain {
		set = nil
	}
	if set != nil && len(extra) == 0 {
		if d, ok := appendParamsRemembered(dst, params, set, sh); ok {
			return d, nil
		}
		set = nil // a name is missing, or a value is in error: start over
	}
	// As in encAppendMapAny, the parameters are stored straight into arrays
	// of this frame and sorted through a byte permutation, and a
	// remembered key set spares ranging over params.
	var names [encSmall]string
	var vals [encSmall]any
	n := 0
	plain := true
	hit := false
	if set != nil {
		hit = true
		for _, k := range set.keys[:set.n] {
			v, ok := params[k]
			if !ok {
				hit = false
				break
			}
			if encIsNilParam(v) {
				continue
			}
			names[n], vals[n] = k, v
			n++
		}
	}
	if !hit {
		n = 0
		complete := true
		for k, v := range params {
			if encIsNilParam(v) {
				complete = false
				continue
			}
			if n == encSmall { // only a racing writer can grow params meanwhile
				return appendParamsLarge(dst, params, extra)
			}
			plain = plain && encIsPlainName(k)
			names[n], vals[n] = k, v
			n++
		}
		if complete && plain && sh != nil {
			var ord [encSmall]uint8
			encSortOrder(names[:n], ord[:n])
			sh.put(names[:n], ord[:n])
		}
	}
	for _, e := range extra {
		if encIsNilParam(e.value) {
			continue
		}
		plain = plain && encIsPlainName(e.name)
		names[n], vals[n] = e.name, e.value
		n++
	}
	if !plain {
		if err := encEscapeNames(names[:n]); err != nil {
			return dst, err
		}
	}
	var ord [encSmall]uint8
	encSortOrder(names[:n], ord[:n])
	var err error
	for i, o := range ord[:n] {
		if dst, err = encAppendPair(dst, i == 0, names[o], vals[o], sh); err != nil {
			return dst, err
		}
	}
	return dst, nil
}

// appendParamsRemembered appends params, whose size is that of set, when
// params holds every name of set: one lookup per name, in set's order,
// which is sorted, and each value written as it is found. It reports false
// when a name is missing or a value cannot be encoded, for the general
// path to do the work again (and report the error as it would).
func appendParamsRemembered(dst []byte, params map[string]any, set *encKeySet, sh *encShapes) ([]byte, bool) {
	// A copy: encoding a nested map may remember another set in its place.
	names := set.keys
	start := len(dst)
	first := true
	for _, name := range names[:set.n] {
		v, ok := params[name]
		if !ok {
			return dst[:start], false
		}
		if encIsNilParam(v) {
			continue
		}
		var err error
		if dst, err = encAppendPair(dst, first, name, v, sh); err != nil {
			return dst[:start], false
		}
		first = false
	}
	return dst, true
}

// encAppendPair appends one name=value pair, preceded by "&" unless it is
// the first; name is written as it is. String and int values, the common
// ones, are written here, the others (and projections) by
// encAppendParamValue.
func encAppendPair(dst []byte, first bool, name string, v any, sh *encShapes) ([]byte, error) {
	if !first {
		dst = append(dst, '&')
	}
	dst = append(dst, name...)
	dst = append(dst, '=')
	if !encIsProjection(name) {
		switch x := v.(type) {
		case string:
			d, ok := encAppendString(dst, x, &encQuery)
			if !ok {
				return d, encErrAtKey(encErrUTF8(), name)
			}
			return d, nil
		case int:
			return strconv.AppendInt(dst, int64(x), 10), nil
		}
	}
	return encAppendParamValue(dst, name, v, sh)
}

// appendParamsLarge is appendParamsWith for more than encSmall parameters.
func appendParamsLarge(dst []byte, params map[string]any, extra []param) ([]byte, error) {
	ps := make([]param, 0, len(params)+len(extra))
	for k, v := range params {
		ps = append(ps, param{k, v})
	}
	ps = append(ps, extra...)
	ps = slices.DeleteFunc(ps, func(p param) bool { return encIsNilParam(p.value) })
	names := make([]string, len(ps))
	for i := range ps {
		names[i] = ps[i].name
	}
	if err := encEscapeNames(names); err != nil {
		return dst, err
	}
	ord := make([]int, len(ps))
	for i := range ord {
		ord[i] = i
	}
	slices.SortFunc(ord, func(a, b int) int { return strings.Compare(names[a], names[b]) })
	var err error
	for i, o := range ord {
		if dst, err = encAppendPair(dst, i == 0, names[o], ps[o].value, nil); err != nil {
			return dst, err
		}
	}
	return dst, nil
}

// encEscapeNames replaces each parameter name that the query form does not
// write as it is by its escaped form, which is both the sort key (§4.1)
// and what is written. A projection name never needs escaping, and errors
// show a name that is not plain as "?" either way.
func encEscapeNames(names []string) error {
	for i, name := range names {
		if encIsPlainName(name) {
			continue
		}
		b, ok := encAppendString(nil, name, &encQuery)
		if !ok {
			return &EncodeError{Path: encSegment(name), Reason: "parameter name is not valid UTF-8", Err: ErrInvalidUTF8}
		}
		names[i] = string(b)
	}
	return nil
}

// encAppendParamValue appends the value of the parameter name.
func encAppendParamValue(dst []byte, name string, v any, sh *encShapes) ([]byte, error) {
	var err error
	if encIsProjection(name) {
		dst, err = encAppendProjection(dst, v)
	} else {
		dst, err = encAppendValue(dst, v, &encQuery, sh, 0)
	}
	if err != nil {
		return dst, encErrAtKey(err, name)
	}
	return dst, nil
}

// isCompoundValue reports whether v encodes as a Rest.li map, which makes it
// a compound or complex key: a map, a struct, or a pointer or interface
// holding one. Values whose type implements encoding.TextMarshaler are
// scalars, as are nil and everything else.
func isCompoundValue(v any) bool {
	switch v.(type) {
	case map[string]any, map[string]string:
		return true
	case nil, string, int, int64, bool, json.Number, []any:
		return false
	}
	rv := reflect.ValueOf(v)
	for range codecMaxDepth {
		if encTextKind(rv) != encTextNone {
			return false
		}
		switch rv.Kind() {
		case reflect.Pointer, reflect.Interface:
			if rv.IsNil() {
				return false
			}
			rv = rv.Elem()
		case reflect.Map, reflect.Struct:
			return true
		default:
			return false
		}
	}
	return false
}

// scalarText returns the unescaped text of a scalar v: a string as it is,
// the text of a bool, integer, float (as Encode writes it), json.Number,
// []byte (Rest.li bytes) or encoding.TextMarshaler value, or of
// what a pointer to one of those points to. Lists, maps, structs, nil, NaN,
// ±Inf and invalid UTF-8 are errors.
func scalarText(v any) (string, error) {
	switch x := v.(type) {
	case string:
		if !utf8.ValidString(x) {
			return "", encErrUTF8()
		}
		return x, nil
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case bool:
		return strconv.FormatBool(x), nil
	}
	rv := reflect.ValueOf(v)
	for depth := 0; depth < codecMaxDepth; depth++ {
		if !rv.IsValid() {
			return "", &EncodeError{Reason: "nil value", Err: ErrNilValue}
		}
		k := rv.Kind()
		if (k == reflect.Pointer || k == reflect.Interface) && rv.IsNil() {
			return "", &EncodeError{Reason: "nil " + rv.Type().String(), Err: ErrNilValue}
		}
		if rv.Type() == encJSONNumberType {
			if !encValidNumber(rv.String()) {
				return "", &EncodeError{Reason: "json.Number is not a valid number", Err: ErrInvalidNumber}
			}
			return rv.String(), nil
		}
		if tk := encTextKind(rv); tk != encTextNone && rv.CanInterface() {
			return encTextOf(rv, tk)
		}
		switch k {
		case reflect.Pointer, reflect.Interface:
			rv = rv.Elem()
		case reflect.String:
			s := rv.String()
			if !utf8.ValidString(s) {
				return "", encErrUTF8()
			}
			return s, nil
		case reflect.Bool:
			return strconv.FormatBool(rv.Bool()), nil
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return strconv.FormatInt(rv.Int(), 10), nil
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			return strconv.FormatUint(rv.Uint(), 10), nil
		case reflect.Float32, reflect.Float64:
			bits := 64
			if k == reflect.Float32 {
				bits = 32
			}
			f := rv.Float()
			if math.IsNaN(f) || math.IsInf(f, 0) {
				return "", &EncodeError{Reason: "NaN or infinite float", Err: ErrNonFinite}
			}
			return string(encAppendFloat(nil, f, bits)), nil
		case reflect.Slice:
			if !encIsBytes(rv.Type()) {
				return "", &EncodeError{Reason: rv.Type().String() + " is a list, not a scalar", Err: ErrUnsupportedType}
			}
			var b []byte
			for _, c := range rv.Bytes() {
				b = utf8.AppendRune(b, rune(c))
			}
			return string(b), nil
		case reflect.Map, reflect.Struct, reflect.Array:
			return "", &EncodeError{Reason: rv.Type().String() + " is not a scalar", Err: ErrUnsupportedType}
		default:
			return "", &EncodeError{Reason: "unsupported type " + rv.Type().String(), Err: ErrUnsupportedType}
		}
	}
	return "", encErrTooDeep()
}

// ---------------------------------------------------------------------------
// Escaping tables.

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

// encUnalignedLE is true on little-endian architectures with cheap unaligned
// stores, where encAppendString writes through an unsafe pointer; elsewhere
// it uses bounds-checked stores.
const encUnalignedLE = runtime.GOARCH == "amd64" || runtime.GOARCH == "arm64"

// encAppendString appends s escaped per t; the empty string becomes two
// apostrophes. It reports false if s is not valid UTF-8.
//
// When dst has room for the worst case (three bytes out per byte in), every
// byte is written with one table load and one 4-byte store, without
// branches: the table entry holds the output bytes and, in its top byte,
// how many of them count. UTF-8 is checked afterwards, only if s is not
// ASCII.
func encAppendString(dst []byte, s string, t *encTable) ([]byte, bool) {
	if len(s) == 0 {
		return append(dst, '\'', '\''), true
	}
	n := len(dst)
	if cap(dst)-n <= 3*len(s) {
		return encAppendStringSlow(dst, s, t)
	}
	var w int
	var hi byte
	if encUnalignedLE {
		// One unaligned 4-byte store per input byte; the capacity check
		// above keeps every store inside dst's backing array (the last one
		// ends at most at offset n+3*len(s)+1). Eight bytes are read at a
		// time: a block whose bytes are all written as they are is stored
		// with one 8-byte store.
		p := unsafe.Pointer(unsafe.SliceData(dst))
		p = unsafe.Add(p, n)
		sp := unsafe.Pointer(unsafe.StringData(s))
		enc := &t.enc
		var hi8 uint64
		i := 0
		for ; i+8 <= len(s); i += 8 {
			x := *(*uint64)(unsafe.Add(sp, i))
			hi8 |= x
			// The OR of the eight entries is 1<<24 exactly when every
			// byte is written as it is. The entries are loaded again to
			// write a block that needs escapes: keeping all eight live
			// would spill the registers the common case needs.
			if (enc[byte(x)]|enc[byte(x>>8)]|enc[byte(x>>16)]|enc[byte(x>>24)]|
				enc[byte(x>>32)]|enc[byte(x>>40)]|enc[byte(x>>48)]|enc[byte(x>>56)])>>24 == 1 {
				*(*uint64)(unsafe.Add(p, w)) = x
				w += 8
				continue
			}
			e0, e1, e2, e3 := enc[byte(x)], enc[byte(x>>8)], enc[byte(x>>16)], enc[byte(x>>24)]
			e4, e5, e6, e7 := enc[byte(x>>32)], enc[byte(x>>40)], enc[byte(x>>48)], enc[byte(x>>56)]
			*(*uint32)(unsafe.Add(p, w)) = e0
			w += int(e0 >> 24)
			*(*uint32)(unsafe.Add(p, w)) = e1
			w += int(e1 >> 24)
			*(*uint32)(unsafe.Add(p, w)) = e2
			w += int(e2 >> 24)
			*(*uint32)(unsafe.Add(p, w)) = e3
			w += int(e3 >> 24)
			*(*uint32)(unsafe.Add(p, w)) = e4
			w += int(e4 >> 24)
			*(*uint32)(unsafe.Add(p, w)) = e5
			w += int(e5 >> 24)
			*(*uint32)(unsafe.Add(p, w)) = e6
			w += int(e6 >> 24)
			*(*uint32)(unsafe.Add(p, w)) = e7
			w += int(e7 >> 24)
		}
		if hi8&0x8080808080808080 != 0 {
			hi = 0x80
		}
		for ; i < len(s); i++ {
			c := s[i]
			hi |= c
			e := enc[c]
			*(*uint32)(unsafe.Add(p, w)) = e
			w += int(e >> 24)
		}
	} else {
		out := dst[n:cap(dst)]
		for i := 0; i < len(s); i++ {
			c := s[i]
			hi |= c
			e := t.enc[c]
			binary.LittleEndian.PutUint32(out, e)
			out = out[e>>24&3:]
			w += int(e >> 24)
		}
	}
	if hi >= utf8.RuneSelf && !utf8.ValidString(s) {
		return dst, false
	}
	return dst[:n+w], true
}

// encAppendStringSlow is encAppendString for a dst that may need to grow: it
// appends runs of raw bytes and escapes one by one.
func encAppendStringSlow(dst []byte, s string, t *encTable) ([]byte, bool) {
	cls := &t.class
	start, i := 0, 0
	for i < len(s) {
		c := s[i]
		switch cls[c] {
		case encClsRaw:
			i++
			continue
		case encClsEscape:
			dst = append(dst, s[start:i]...)
			dst = append(dst, '%', encHex[c>>4], encHex[c&0xF])
			i++
			start = i
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				return dst, false
			}
			if t.rawNonASCII {
				i += n
				continue
			}
			dst = append(dst, s[start:i]...)
			for j := i; j < i+n; j++ {
				b := s[j]
				dst = append(dst, '%', encHex[b>>4], encHex[b&0xF])
			}
			i += n
			start = i
		}
	}
	return append(dst, s[start:]...), true
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

// ---------------------------------------------------------------------------
// Values.

// encToString encodes v into a pooled scratch buffer and returns a copy of
// the result: one allocation.
func encToString(v any, t *encTable) (string, error) {
	st := encScratch()
	buf, err := encAppendValue(st.buf, v, t, &st.shapes, 0)
	if err != nil {
		st.release(buf)
		return "", err
	}
	out := string(buf)
	st.release(buf)
	return out, nil
}

// encAppendValue appends v per t. The type switch handles the types that
// untyped Go code builds (and that JSON decodes into) without reflection.
func encAppendValue(dst []byte, v any, t *encTable, sh *encShapes, depth int) ([]byte, error) {
	switch x := v.(type) {
	case string:
		d, ok := encAppendString(dst, x, t)
		if !ok {
			return d, encErrUTF8()
		}
		return d, nil
	case int:
		return strconv.AppendInt(dst, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(dst, x, 10), nil
	case bool:
		return strconv.AppendBool(dst, x), nil
	case float64:
		return encAppendFloatEsc(dst, x, 64, t)
	case json.Number:
		return encAppendNumber(dst, x, t)
	case []any:
		if depth >= codecMaxDepth {
			return dst, encErrTooDeep()
		}
		dst = append(dst, "List("...)
		var err error
		var memo encPrefixMemo
		prev := ""
		for i, e := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			if s, ok := e.(string); ok {
				// Lists of strings (ids, URNs) are the common case.
				if dst, ok = encAppendListString(dst, s, prev, t, &memo); !ok {
					return dst, encErrAtIndex(encErrUTF8(), i)
				}
				prev = s
				continue
			}
			prev, memo = "", encPrefixMemo{}
			if dst, err = encAppendValue(dst, e, t, sh, depth+1); err != nil {
				return dst, encErrAtIndex(err, i)
			}
		}
		return append(dst, ')'), nil
	case map[string]any:
		return encAppendMapAny(dst, x, t, sh, depth)
	case []string:
		if depth >= codecMaxDepth {
			return dst, encErrTooDeep()
		}
		dst = append(dst, "List("...)
		var memo encPrefixMemo
		for i, e := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			prev := ""
			if i > 0 {
				prev = x[i-1]
			}
			var ok bool
			if dst, ok = encAppendListString(dst, e, prev, t, &memo); !ok {
				return dst, encErrAtIndex(encErrUTF8(), i)
			}
		}
		return append(dst, ')'), nil
	case map[string]string:
		if depth >= codecMaxDepth {
			return dst, encErrTooDeep()
		}
		return encAppendMapString(dst, x, t)
	case int32:
		return strconv.AppendInt(dst, int64(x), 10), nil
	case uint:
		return strconv.AppendUint(dst, uint64(x), 10), nil
	case uint64:
		return strconv.AppendUint(dst, x, 10), nil
	case uint32:
		return strconv.AppendUint(dst, uint64(x), 10), nil
	case float32:
		return encAppendFloatEsc(dst, float64(x), 32, t)
	case nil:
		return dst, &EncodeError{Reason: "nil value", Err: ErrNilValue}
	}
	return encAppendReflect(dst, reflect.ValueOf(v), t, sh, depth)
}

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
		if dst, err = encAppendEntry(dst, keys[o], vals[o], t, sh, depth); err != nil {
			return dst, err
		}
	}
	return append(dst, ')'), nil
}

// encAppendMapLarge writes a map of more than encSmall entries, keys
// sorted, with entry writing each entry.
func encAppendMapLarge[V any](dst []byte, m map[string]V, entry func(dst []byte, k string, v V) ([]byte, error)) ([]byte, error) {
	keys := slices.Sorted(maps.Keys(m))
	dst = append(dst, '(')
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		var err error
		if dst, err = entry(dst, k, m[k]); err != nil {
			return dst, err
		}
	}
	return append(dst, ')'), nil
}

// encAppendMapAnyLarge is encAppendMapAny for maps of more than encSmall
// entries.
func encAppendMapAnyLarge(dst []byte, m map[string]any, t *encTable, sh *encShapes, depth int) ([]byte, error) {
	return encAppendMapLarge(dst, m, func(dst []byte, k string, v any) ([]byte, error) {
		return encAppendEntry(dst, k, v, t, sh, depth)
	})
}

// encAppendEntry writes one map entry, k:v, of a map at depth.
func encAppendEntry(dst []byte, k string, v any, t *encTable, sh *encShapes, depth int) ([]byte, error) {
	var ok bool
	if dst, ok = encAppendString(dst, k, t); !ok {
		return dst, encErrAtKey(encErrKeyUTF8(), k)
	}
	dst = append(dst, ':')
	if s, isStr := v.(string); isStr {
		if dst, ok = encAppendString(dst, s, t); !ok {
			return dst, encErrAtKey(encErrUTF8(), k)
		}
		return dst, nil
	}
	var err error
	if dst, err = encAppendValue(dst, v, t, sh, depth+1); err != nil {
		return dst, encErrAtKey(err, k)
	}
	return dst, nil
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

// encAppendMapStringLarge is encAppendMapString for maps of more than
// encSmall entries.
func encAppendMapStringLarge(dst []byte, m map[string]string, t *encTable) ([]byte, error) {
	return encAppendMapLarge(dst, m, func(dst []byte, k, v string) ([]byte, error) {
		return encAppendStringEntry(dst, k, v, t)
	})
}

// encAppendStringEntry writes one map[string]string entry, k:v.
func encAppendStringEntry(dst []byte, k, v string, t *encTable) ([]byte, error) {
	var ok bool
	if dst, ok = encAppendString(dst, k, t); !ok {
		return dst, encErrAtKey(encErrKeyUTF8(), k)
	}
	dst = append(dst, ':')
	if dst, ok = encAppendString(dst, v, t); !ok {
		return dst, encErrAtKey(encErrUTF8(), k)
	}
	return dst, nil
}

// Types the text rule looks for. Only encoding.TextMarshaler makes a value
// text; fmt.Stringer does not (see Encode).
var (
	encTextMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	encJSONNumberType    = reflect.TypeFor[json.Number]()
)

const (
	encTextNone = iota
	encTextMarshal
	encTextMarshalAddr
)

// encTextKind reports whether rv is written as its text and through which
// receiver. json.Number is excluded, and so is a pointer whose element has
// the method itself, so that the element's own rules (and nil checks)
// apply.
func encTextKind(rv reflect.Value) int {
	typ := rv.Type()
	if typ == encJSONNumberType || typ.Kind() == reflect.Interface {
		return encTextNone
	}
	if typ.Kind() == reflect.Pointer {
		if e := typ.Elem(); e == encJSONNumberType || e.Implements(encTextMarshalerType) {
			return encTextNone
		}
	}
	if typ.Implements(encTextMarshalerType) {
		return encTextMarshal
	}
	if rv.CanAddr() && typ.Kind() != reflect.Pointer && reflect.PointerTo(typ).Implements(encTextMarshalerType) {
		return encTextMarshalAddr
	}
	return encTextNone
}

// encTextOf returns the text of rv through the method encTextKind found.
func encTextOf(rv reflect.Value, kind int) (string, error) {
	target := rv
	if kind == encTextMarshalAddr {
		target = rv.Addr()
	}
	b, err := target.Interface().(encoding.TextMarshaler).MarshalText()
	if err != nil {
		return "", &EncodeError{Reason: "MarshalText of " + rv.Type().String() + " failed", Err: err}
	}
	if !utf8.Valid(b) {
		return "", &EncodeError{Reason: "MarshalText of " + rv.Type().String() + " returned invalid UTF-8", Err: ErrInvalidUTF8}
	}
	return string(b), nil
}

// encAppendReflect is the general path for named and composite types.
//
// depth counts the containers and indirections around rv; like the fast path
// it limits those, not leaves.
func encAppendReflect(dst []byte, rv reflect.Value, t *encTable, sh *encShapes, depth int) ([]byte, error) {
	if !rv.IsValid() {
		return dst, &EncodeError{Reason: "nil value", Err: ErrNilValue}
	}
	switch rv.Kind() {
	case reflect.Pointer:
		if rv.IsNil() {
			return dst, &EncodeError{Reason: "nil " + rv.Type().String(), Err: ErrNilValue}
		}
	case reflect.Interface:
		if rv.IsNil() {
			return dst, &EncodeError{Reason: "nil " + rv.Type().String() + " value", Err: ErrNilValue}
		}
		if depth >= codecMaxDepth {
			return dst, encErrTooDeep()
		}
		if rv.CanInterface() {
			// Back to the fast path; this does not allocate for an interface.
			return encAppendValue(dst, rv.Interface(), t, sh, depth+1)
		}
		return encAppendReflect(dst, rv.Elem(), t, sh, depth+1)
	}
	if kind := encTextKind(rv); kind != encTextNone && rv.CanInterface() {
		text, err := encTextOf(rv, kind)
		if err != nil {
			return dst, err
		}
		d, _ := encAppendString(dst, text, t) // text is valid UTF-8
		return d, nil
	}
	switch k := rv.Kind(); k {
	case reflect.Pointer, reflect.Array, reflect.Map, reflect.Struct, reflect.Slice:
		if depth >= codecMaxDepth && !(k == reflect.Slice && encIsBytes(rv.Type())) {
			return dst, encErrTooDeep()
		}
	}
	switch rv.Kind() {
	case reflect.Pointer:
		return encAppendReflect(dst, rv.Elem(), t, sh, depth+1)
	case reflect.String:
		if rv.Type() == encJSONNumberType {
			return encAppendNumber(dst, json.Number(rv.String()), t)
		}
		d, ok := encAppendString(dst, rv.String(), t)
		if !ok {
			return d, encErrUTF8()
		}
		return d, nil
	case reflect.Bool:
		return strconv.AppendBool(dst, rv.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(dst, rv.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.AppendUint(dst, rv.Uint(), 10), nil
	case reflect.Float32:
		return encAppendFloatEsc(dst, rv.Float(), 32, t)
	case reflect.Float64:
		return encAppendFloatEsc(dst, rv.Float(), 64, t)
	case reflect.Slice:
		if encIsBytes(rv.Type()) {
			return encAppendBytes(dst, rv.Bytes(), t), nil
		}
		return encAppendList(dst, rv, t, sh, depth)
	case reflect.Array:
		return encAppendList(dst, rv, t, sh, depth)
	case reflect.Map:
		return encAppendMap(dst, rv, t, sh, depth)
	case reflect.Struct:
		return encAppendStruct(dst, rv, t, sh, depth)
	}
	return dst, &EncodeError{Reason: "unsupported type " + rv.Type().String(), Err: ErrUnsupportedType}
}

// encIsBytes reports whether typ is a byte slice that encoding/json would
// also treat as bytes (its elements have no MarshalText of their own).
func encIsBytes(typ reflect.Type) bool {
	if typ.Kind() != reflect.Slice || typ.Elem().Kind() != reflect.Uint8 {
		return false
	}
	e := typ.Elem()
	return !e.Implements(encTextMarshalerType) && !reflect.PointerTo(e).Implements(encTextMarshalerType)
}

func encAppendList(dst []byte, rv reflect.Value, t *encTable, sh *encShapes, depth int) ([]byte, error) {
	dst = append(dst, "List("...)
	var err error
	for i, n := 0, rv.Len(); i < n; i++ {
		if i > 0 {
			dst = append(dst, ',')
		}
		if dst, err = encAppendReflect(dst, rv.Index(i), t, sh, depth+1); err != nil {
			return dst, encErrAtIndex(err, i)
		}
	}
	return append(dst, ')'), nil
}

// encReflectPair is a map entry of a reflected map waiting to be sorted.
type encReflectPair struct {
	k string
	v reflect.Value
}

func encAppendMap(dst []byte, rv reflect.Value, t *encTable, sh *encShapes, depth int) ([]byte, error) {
	if rv.Type().Key().Kind() != reflect.String {
		return dst, &EncodeError{Reason: "map key type " + rv.Type().Key().String() + " is not a string kind", Err: ErrUnsupportedType}
	}
	ps := make([]encReflectPair, 0, rv.Len())
	for it := rv.MapRange(); it.Next(); {
		ps = append(ps, encReflectPair{it.Key().String(), it.Value()})
	}
	slices.SortFunc(ps, func(a, b encReflectPair) int { return strings.Compare(a.k, b.k) })
	dst = append(dst, '(')
	var err error
	for i := range ps {
		if i > 0 {
			dst = append(dst, ',')
		}
		var ok bool
		if dst, ok = encAppendString(dst, ps[i].k, t); !ok {
			return dst, encErrAtKey(encErrKeyUTF8(), ps[i].k)
		}
		dst = append(dst, ':')
		if dst, err = encAppendReflect(dst, ps[i].v, t, sh, depth+1); err != nil {
			return dst, encErrAtKey(err, ps[i].k)
		}
	}
	return append(dst, ')'), nil
}

func encAppendStruct(dst []byte, rv reflect.Value, t *encTable, sh *encShapes, depth int) ([]byte, error) {
	fields := encStructFields(rv.Type())
	dst = append(dst, '(')
	first := true
	var err error
next:
	for i := range fields {
		f := &fields[i]
		fv := rv
		for _, x := range f.index {
			if fv.Kind() == reflect.Pointer {
				if fv.IsNil() {
					// A nil embedded pointer hides its fields, as in encoding/json.
					continue next
				}
				fv = fv.Elem()
			}
			fv = fv.Field(x)
		}
		if f.omitEmpty && encIsEmpty(fv) || f.omitZero && encIsZero(fv) {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		var ok bool
		if dst, ok = encAppendString(dst, f.name, t); !ok {
			return dst, encErrAtKey(encErrKeyUTF8(), f.name)
		}
		dst = append(dst, ':')
		if dst, err = encAppendReflect(dst, fv, t, sh, depth+1); err != nil {
			return dst, encErrAtKey(err, f.name)
		}
	}
	return append(dst, ')'), nil
}

// encIsEmpty is encoding/json's omitempty test.
func encIsEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// encIsZero is encoding/json's omitzero test: an IsZero() bool method if the
// type has one, else reflect's zero value.
func encIsZero(v reflect.Value) bool {
	type isZeroer interface{ IsZero() bool }
	if v.CanInterface() {
		if v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
			if v.IsNil() {
				return true
			}
		}
		if z, ok := v.Interface().(isZeroer); ok {
			return z.IsZero()
		}
		if v.CanAddr() {
			if z, ok := v.Addr().Interface().(isZeroer); ok {
				return z.IsZero()
			}
		}
	}
	return v.IsZero()
}

// encField is one encodable struct field, found the way encoding/json finds
// them.
type encField struct {
	name      string
	index     []int
	typ       reflect.Type
	tagged    bool
	omitEmpty bool
	omitZero  bool
}

// encFieldCache memoises encStructFields per struct type. It holds only data
// derived from immutable type information, like encoding/json's cache.
var encFieldCache sync.Map // reflect.Type -> []encField

// encStructFields returns the fields of struct type typ that encode, sorted by
// name, following encoding/json's rules: exported fields, json tag names,
// "-" skips, embedded structs promote their fields, and among fields of the
// same name the shallowest (then the tagged) one wins or, when ambiguous,
// none does.
func encStructFields(typ reflect.Type) []encField {
	if f, ok := encFieldCache.Load(typ); ok {
		return f.([]encField)
	}
	var current []encField
	next := []encField{{typ: typ}}
	var count, nextCount map[reflect.Type]int
	visited := map[reflect.Type]bool{}
	var fields []encField
	for len(next) > 0 {
		current, next = next, current[:0]
		count, nextCount = nextCount, map[reflect.Type]int{}
		for _, f := range current {
			if visited[f.typ] {
				continue
			}
			visited[f.typ] = true
			for i := 0; i < f.typ.NumField(); i++ {
				sf := f.typ.Field(i)
				if sf.Anonymous {
					ft := sf.Type
					if ft.Kind() == reflect.Pointer {
						ft = ft.Elem()
					}
					if !sf.IsExported() && ft.Kind() != reflect.Struct {
						continue
					}
				} else if !sf.IsExported() {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				index := make([]int, len(f.index)+1)
				copy(index, f.index)
				index[len(f.index)] = i
				ft := sf.Type
				if ft.Name() == "" && ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if name != "" || !sf.Anonymous || ft.Kind() != reflect.Struct {
					field := encField{name: name, index: index, typ: ft, tagged: name != ""}
					if field.name == "" {
						field.name = sf.Name
					}
					for opts != "" {
						var o string
						o, opts, _ = strings.Cut(opts, ",")
						switch o {
						case "omitempty":
							field.omitEmpty = true
						case "omitzero":
							field.omitZero = true
						}
					}
					fields = append(fields, field)
					if count[f.typ] > 1 {
						// Two embeddings of the same type at this depth: add
						// a duplicate so the dominance pass drops the field.
						fields = append(fields, fields[len(fields)-1])
					}
					continue
				}
				nextCount[ft]++
				if nextCount[ft] == 1 {
					next = append(next, encField{name: ft.Name(), index: index, typ: ft})
				}
			}
		}
	}
	slices.SortFunc(fields, func(a, b encField) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		if c := len(a.index) - len(b.index); c != 0 {
			return c
		}
		if a.tagged != b.tagged {
			if a.tagged {
				return -1
			}
			return 1
		}
		return slices.Compare(a.index, b.index)
	})
	out := fields[:0]
	for i := 0; i < len(fields); {
		j := i + 1
		for j < len(fields) && fields[j].name == fields[i].name {
			j++
		}
		group := fields[i:j]
		if len(group) == 1 || len(group[0].index) != len(group[1].index) || group[0].tagged != group[1].tagged {
			out = append(out, group[0])
		}
		i = j
	}
	out = slices.Clip(out)
	f, _ := encFieldCache.LoadOrStore(typ, out)
	return f.([]encField)
}

// ---------------------------------------------------------------------------
// Sorting, parameters and projections.

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

// encIsPlainName reports whether the query form writes name unchanged.
func encIsPlainName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		if encQuery.class[name[i]] != encClsRaw {
			return false
		}
	}
	return true
}

// encIsNilParam reports whether a parameter value means "not set": untyped
// nil or a nil pointer.
func encIsNilParam(v any) bool {
	switch v.(type) {
	case nil:
		return true
	case string, int:
		// The common kinds: two comparisons of the type word.
		return false
	}
	return reflect.TypeOf(v).Kind() == reflect.Pointer && reflect.ValueOf(v).IsNil()
}

// encIsProjection reports whether name is a projection parameter, whose
// value is mask text rather than a Rest.li value (§4.6).
func encIsProjection(name string) bool {
	switch name {
	case "fields", "metadataFields", "pagingFields", "projection":
		return true
	}
	return false
}

func encAppendProjection(dst []byte, v any) ([]byte, error) {
	s, ok := v.(string)
	if !ok {
		rv := reflect.ValueOf(v)
		for rv.Kind() == reflect.Pointer && !rv.IsNil() {
			rv = rv.Elem()
		}
		if rv.Kind() != reflect.String {
			return dst, &EncodeError{Reason: "projection must be a string in mask syntax, not " + reflect.TypeOf(v).String(), Err: ErrUnsupportedType}
		}
		s = rv.String()
	}
	if s == "" {
		return dst, &EncodeError{Reason: "projection is empty"}
	}
	d, ok := encAppendString(dst, s, &encProjection)
	if !ok {
		return d, encErrUTF8()
	}
	return d, nil
}

// ---------------------------------------------------------------------------
// Errors. Paths are built only on the error path, innermost segment first.

// encPathMax bounds Path so that a cycle's error stays small.
const encPathMax = 256

func encErrUTF8() error {
	return &EncodeError{Reason: "string is not valid UTF-8", Err: ErrInvalidUTF8}
}

func encErrKeyUTF8() error {
	return &EncodeError{Reason: "map key is not valid UTF-8", Err: ErrInvalidUTF8}
}

func encErrTooDeep() error {
	return &EncodeError{Reason: "nesting deeper than " + strconv.Itoa(codecMaxDepth) + " levels (cyclic value?)", Err: ErrTooDeep}
}

// encSegment returns the path segment for a key: the key itself if it is a
// plain name, else "?".
func encSegment(k string) string {
	if len(k) == 0 || len(k) > 64 {
		return "?"
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '$' || c == '-') {
			return "?"
		}
	}
	return k
}

func encErrAtKey(err error, k string) error {
	return encPrepend(err, encSegment(k))
}

func encErrAtIndex(err error, i int) error {
	return encPrepend(err, "["+strconv.Itoa(i)+"]")
}

func encPrepend(err error, seg string) error {
	e, ok := err.(*EncodeError)
	if !ok {
		return err
	}
	switch {
	case e.Path == "":
		e.Path = seg
	case e.Path[0] == '[':
		e.Path = seg + e.Path
	default:
		e.Path = seg + "." + e.Path
	}
	if len(e.Path) > encPathMax {
		e.Path = e.Path[:encPathMax] + "…"
	}
	return e
}
