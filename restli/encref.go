// This file holds the reference encoder: the whole Rest.li 2.0 grammar
// (protocol reference §1, §2, §4.1, §4.6) written as plainly as it can be, one
// function per rule, with no speed tricks. Read it first to learn what the
// encoder writes. The encoder the package uses (encvalue.go and the fast
// paths it calls) must write exactly the same bytes and the same errors; the
// differential fuzz target and the generated-shapes test in encref_test.go
// check that. The reference shares with it only the rules that are not
// about speed: the escaping tables, number formatting, the text rule, the
// struct field rules and the error constructors.

package restli

import (
	"reflect"
	"sort"
	"strconv"
	"unicode/utf8"
)

// refEncode returns v encoded in the form t stands for.
func refEncode(v any, t *encTable) (string, error) {
	b, err := refValue(nil, v, t, 0)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// refParamEncode returns the query string for params, as ParamEncode does.
func refParamEncode(params map[string]any) (string, error) {
	type pair struct {
		name  string // escaped: the sort key and what is written
		value any
	}
	var ps []pair
	for name, v := range params {
		if encIsNilParam(v) { // nil means "not set"
			continue
		}
		esc, ok := refEscape(nil, name, &encQuery)
		if !ok {
			return "", &EncodeError{Path: encSegment(name), Reason: "parameter name is not valid UTF-8", Err: ErrInvalidUTF8}
		}
		ps = append(ps, pair{string(esc), v})
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].name < ps[j].name })
	var b []byte
	for i, p := range ps {
		if i > 0 {
			b = append(b, '&')
		}
		b = append(b, p.name...)
		b = append(b, '=')
		var err error
		if encIsProjection(p.name) {
			b, err = refProjection(b, p.value)
		} else {
			b, err = refValue(b, p.value, &encQuery, 0)
		}
		if err != nil {
			return "", encErrAtKey(err, p.name)
		}
	}
	return string(b), nil
}

// refValue writes v. The elements of a []any and the values of a
// map[string]any are the values they hold; every other value is written by
// its reflected kind. depth counts the containers and indirections around v.
func refValue(dst []byte, v any, t *encTable, depth int) ([]byte, error) {
	switch x := v.(type) {
	case []any:
		if depth >= codecMaxDepth {
			return dst, encErrTooDeep()
		}
		dst = append(dst, "List("...)
		for i, e := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = refValue(dst, e, t, depth+1); err != nil {
				return dst, encErrAtIndex(err, i)
			}
		}
		return append(dst, ')'), nil
	case map[string]any:
		if depth >= codecMaxDepth {
			return dst, encErrTooDeep()
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys) // §2.1: byte-wise
		dst = append(dst, '(')
		for i, k := range keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			var ok bool
			if dst, ok = refEscape(dst, k, t); !ok {
				return dst, encErrAtKey(encErrKeyUTF8(), k)
			}
			dst = append(dst, ':')
			var err error
			if dst, err = refValue(dst, x[k], t, depth+1); err != nil {
				return dst, encErrAtKey(err, k)
			}
		}
		return append(dst, ')'), nil
	}
	return refReflect(dst, reflect.ValueOf(v), t, depth)
}

// refReflect writes rv by its kind.
func refReflect(dst []byte, rv reflect.Value, t *encTable, depth int) ([]byte, error) {
	if !rv.IsValid() {
		return dst, &EncodeError{Reason: "nil value", Err: ErrNilValue} // Rest.li has no null
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
			return refValue(dst, rv.Interface(), t, depth+1)
		}
		return refReflect(dst, rv.Elem(), t, depth+1)
	}
	// The text rule comes first: a TextMarshaler (a URN) is its text.
	if kind := encTextKind(rv); kind != encTextNone && rv.CanInterface() {
		text, err := encTextOf(rv, kind)
		if err != nil {
			return dst, err
		}
		d, _ := refEscape(dst, text, t)
		return d, nil
	}
	k := rv.Kind()
	if k == reflect.Pointer || k == reflect.Array || k == reflect.Map || k == reflect.Struct ||
		k == reflect.Slice && !encIsBytes(rv.Type()) {
		if depth >= codecMaxDepth {
			return dst, encErrTooDeep()
		}
	}
	switch k {
	case reflect.Pointer:
		return refReflect(dst, rv.Elem(), t, depth+1)
	case reflect.String:
		s := rv.String()
		if rv.Type() == encJSONNumberType {
			if !encValidNumber(s) {
				return dst, &EncodeError{Reason: "json.Number is not a valid number", Err: ErrInvalidNumber}
			}
		}
		d, ok := refEscape(dst, s, t)
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
	case reflect.Float32, reflect.Float64:
		return encAppendFloatEsc(dst, rv.Float(), rv.Type().Bits(), t)
	case reflect.Slice, reflect.Array:
		if k == reflect.Slice && encIsBytes(rv.Type()) {
			// Rest.li bytes: each byte is the character of that code point.
			var text []byte
			for _, c := range rv.Bytes() {
				text = utf8.AppendRune(text, rune(c))
			}
			d, _ := refEscape(dst, string(text), t)
			return d, nil
		}
		dst = append(dst, "List("...)
		for i := range rv.Len() {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = refReflect(dst, rv.Index(i), t, depth+1); err != nil {
				return dst, encErrAtIndex(err, i)
			}
		}
		return append(dst, ')'), nil
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			return dst, &EncodeError{Reason: "map key type " + rv.Type().Key().String() + " is not a string kind", Err: ErrUnsupportedType}
		}
		keys := rv.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		dst = append(dst, '(')
		for i, key := range keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			k := key.String()
			var ok bool
			if dst, ok = refEscape(dst, k, t); !ok {
				return dst, encErrAtKey(encErrKeyUTF8(), k)
			}
			dst = append(dst, ':')
			var err error
			if dst, err = refReflect(dst, rv.MapIndex(key), t, depth+1); err != nil {
				return dst, encErrAtKey(err, k)
			}
		}
		return append(dst, ')'), nil
	case reflect.Struct:
		// A struct is the map of its fields, as encoding/json chooses them.
		dst = append(dst, '(')
		first := true
	fields:
		for _, f := range encStructFields(rv.Type()) {
			fv := rv
			for _, x := range f.index {
				if fv.Kind() == reflect.Pointer {
					if fv.IsNil() {
						continue fields // a nil embedded pointer hides its fields
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
			if dst, ok = refEscape(dst, f.name, t); !ok {
				return dst, encErrAtKey(encErrKeyUTF8(), f.name)
			}
			dst = append(dst, ':')
			var err error
			if dst, err = refReflect(dst, fv, t, depth+1); err != nil {
				return dst, encErrAtKey(err, f.name)
			}
		}
		return append(dst, ')'), nil
	}
	return dst, &EncodeError{Reason: "unsupported type " + rv.Type().String(), Err: ErrUnsupportedType}
}

// refProjection writes a projection parameter's mask text (§4.6).
func refProjection(dst []byte, v any) ([]byte, error) {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.String {
		return dst, &EncodeError{Reason: "projection must be a string in mask syntax, not " + reflect.TypeOf(v).String(), Err: ErrUnsupportedType}
	}
	if rv.String() == "" {
		return dst, &EncodeError{Reason: "projection is empty"}
	}
	d, ok := refEscape(dst, rv.String(), &encProjection)
	if !ok {
		return d, encErrUTF8()
	}
	return d, nil
}

// refEscape writes s escaped per t (§2.2), byte by byte: the empty string
// is two apostrophes; a byte the form keeps is written as it is, any other
// as %HH; the bytes of a multi-byte character are kept together, raw in the
// reduced form and escaped in the others. It reports false if s is not
// valid UTF-8.
func refEscape(dst []byte, s string, t *encTable) ([]byte, bool) {
	if s == "" {
		return append(dst, "''"...), true
	}
	if !utf8.ValidString(s) {
		return dst, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if t.class[c] == encClsRaw || c >= utf8.RuneSelf && t.rawNonASCII {
			dst = append(dst, c)
		} else {
			dst = append(dst, '%', encHex[c>>4], encHex[c&0xF])
		}
	}
	return dst, true
}
