// This file holds how structs are encoded: as maps of their fields, chosen,
// named and omitted as encoding/json does.

package restli

import (
	"reflect"
	"slices"
	"strings"
	"sync"
)

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
