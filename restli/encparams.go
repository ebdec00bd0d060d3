// This file holds the query-parameter writer behind ParamEncode and the
// request builder (§4.1): nil parameters dropped, names escaped and sorted,
// projection parameters (§4.6) written as mask text.

package restli

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// appendParamsWith appends the query string for params and extra (names
// distinct from params' and from each other) to dst, as appendParamEncode
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
