// This file holds the encoder proper: how each Go value is written (§1, §4.1),
// the text rule (encoding.TextMarshaler), the general reflection path, and
// the errors, whose paths are built only on the way out.

package restli

import (
	"encoding"
	"encoding/json"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

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
	return encAppendEntryValue(dst, k, v, t, sh, depth)
}

// encAppendEntryValue writes the value v of the entry k of a map at depth,
// after its key and colon.
func encAppendEntryValue(dst []byte, k string, v any, t *encTable, sh *encShapes, depth int) ([]byte, error) {
	if s, isStr := v.(string); isStr {
		var ok bool
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
