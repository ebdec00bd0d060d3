package restli

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
)

// Naming the field a bad URN came from. encoding/json gives the field path
// only in its own *json.UnmarshalTypeError, not in the error a type's
// UnmarshalJSON returns; so when a typed decode fails with a *URNError from
// URN.UnmarshalJSON (or UnmarshalText, for a map key), the field is found
// from the target type instead: a type in which exactly one place can hold
// a URN names that place, and a type with a few names them all.

// urnFieldMaxPaths bounds how many candidate places a field name lists.
const urnFieldMaxPaths = 4

var (
	urnType         = reflect.TypeFor[URN]()
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
)

// withURNField returns err with the Field of the *URNError it wraps set,
// when that error came from decoding into v and the place is known.
func withURNField(err error, v any) error {
	var ue *URNError
	if !errors.As(err, &ue) || !ue.decoded || ue.Field != "" || v == nil {
		return err
	}
	var paths []string
	urnPaths(reflect.TypeOf(v), "", nil, &paths)
	switch n := len(paths); {
	case n == 1:
		ue.Field = paths[0]
	case n > 1 && n <= urnFieldMaxPaths:
		ue.Field = "one of " + strings.Join(paths, ", ")
	}
	return err
}

// urnPaths appends to out the JSON paths in t that hold a URN: "author",
// "elements[].author", "byKey{}" for a map value, "byKey{key}" for a map
// key. stack holds the types being walked, against recursion. It stops once
// out has more than urnFieldMaxPaths entries.
func urnPaths(t reflect.Type, path string, stack []reflect.Type, out *[]string) {
	if len(*out) > urnFieldMaxPaths || len(stack) > 32 {
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == urnType {
		if path == "" {
			path = "the response body"
		}
		*out = append(*out, path)
		return
	}
	if reflect.PointerTo(t).Implements(jsonUnmarshaler) {
		return // decodes itself; a URN inside it is not visible here
	}
	for _, s := range stack {
		if s == t {
			return
		}
	}
	stack = append(stack, t)
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		urnPaths(t.Elem(), path+"[]", stack, out)
	case reflect.Map:
		k := t.Key()
		for k.Kind() == reflect.Pointer {
			k = k.Elem()
		}
		if k == urnType {
			*out = append(*out, path+"{key}")
		}
		urnPaths(t.Elem(), path+"{}", stack, out)
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() && !f.Anonymous {
				continue
			}
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
				urnPaths(ft, path, stack, out) // embedded: its fields are promoted
				continue
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			p := name
			if path != "" {
				p = path + "." + name
			}
			urnPaths(f.Type, p, stack, out)
		}
	}
}
