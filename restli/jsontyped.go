// This file holds the typed half of the response parser: it decodes a whole
// JSON document straight into a Go value of any ordinary type (structs by
// their json tags, slices, string-keyed maps, pointers, strings, numbers,
// bools, interfaces, json.RawMessage, json.Number and types with their own
// UnmarshalJSON or UnmarshalText), in one pass over the document, with the
// parser of jsonany.go. It is a fast path only, like that parser: whatever
// is not plain (an invalid document, a value of the wrong JSON type, a
// number out of range, a key that matches a field only without regard to
// case, a key given twice for a struct, a ",string" field, []byte, arrays,
// embedded struct pointers, a method that fails) makes it report
// errJSONFallback, and unmarshalJSON decodes the document again with
// encoding/json, so results and errors are always encoding/json's.

package restli

import (
	"encoding"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// jsonDecoder decodes the value at the parser's position into v, which is
// settable and holds its type's zero value.
type jsonDecoder func(p *jsonParser, v reflect.Value) error

// jsonDecoders caches, per type, its decoder, or nil when the type is left
// to encoding/json. It holds only data derived from type information.
var jsonDecoders sync.Map // reflect.Type -> jsonDecoderEntry

type jsonDecoderEntry struct{ dec jsonDecoder }

var (
	jsonUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	jsonRawMessageType  = reflect.TypeFor[json.RawMessage]()
	jsonNumberType      = reflect.TypeFor[json.Number]()
	anyType             = reflect.TypeFor[any]()
	anySliceType        = reflect.TypeFor[[]any]()
	anyMapType          = reflect.TypeFor[map[string]any]()
)

// jsonDecoderFor returns the decoder of t, or nil.
func jsonDecoderFor(t reflect.Type) jsonDecoder {
	if e, ok := jsonDecoders.Load(t); ok {
		return e.(jsonDecoderEntry).dec
	}
	dec := compileJSONDecoder(t, map[reflect.Type]*jsonDecoder{})
	e, _ := jsonDecoders.LoadOrStore(t, jsonDecoderEntry{dec})
	return e.(jsonDecoderEntry).dec
}

// compileJSONDecoder builds the decoder of t. building holds the types being
// built, so that a recursive type refers to its own decoder.
func compileJSONDecoder(t reflect.Type, building map[reflect.Type]*jsonDecoder) jsonDecoder {
	if e, ok := jsonDecoders.Load(t); ok {
		return e.(jsonDecoderEntry).dec
	}
	if d, ok := building[t]; ok {
		return func(p *jsonParser, v reflect.Value) error {
			if *d == nil {
				return errJSONFallback
			}
			return (*d)(p, v)
		}
	}
	slot := new(jsonDecoder)
	building[t] = slot
	*slot = compileJSONKind(t, building)
	return *slot
}

func compileJSONKind(t reflect.Type, building map[reflect.Type]*jsonDecoder) jsonDecoder {
	switch {
	case t == jsonRawMessageType:
		return decodeJSONRaw
	case t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(jsonUnmarshalerType):
		return decodeJSONUnmarshaler
	case t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(textUnmarshalerType):
		return decodeJSONText
	case t == jsonNumberType:
		return decodeJSONNumber
	case t == anyType:
		return decodeJSONAnyValue
	case t == anySliceType || t == anyMapType:
		return decodeJSONAnyTyped
	}
	switch t.Kind() {
	case reflect.Pointer:
		elem := compileJSONDecoder(t.Elem(), building)
		if elem == nil {
			return nil
		}
		return func(p *jsonParser, v reflect.Value) error {
			if p.null() {
				return nil
			}
			pv := reflect.New(t.Elem())
			if err := elem(p, pv.Elem()); err != nil {
				return err
			}
			v.Set(pv)
			return nil
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return nil // base64: left to encoding/json
		}
		elem := compileJSONDecoder(t.Elem(), building)
		if elem == nil {
			return nil
		}
		// The empty slice every `[]` decodes to: an empty array of no
		// size, which appending to replaces, so every result can share it.
		empty := reflect.MakeSlice(t, 0, 0)
		return func(p *jsonParser, v reflect.Value) error { return decodeJSONSlice(p, v, elem, empty) }
	case reflect.Map:
		kt := t.Key()
		if kt.Kind() != reflect.String || reflect.PointerTo(kt).Implements(textUnmarshalerType) {
			return nil
		}
		elem := compileJSONDecoder(t.Elem(), building)
		if elem == nil {
			return nil
		}
		return func(p *jsonParser, v reflect.Value) error { return decodeJSONMap(p, v, elem) }
	case reflect.Struct:
		return compileJSONStruct(t, building)
	case reflect.String:
		return decodeJSONString
	case reflect.Bool:
		return decodeJSONBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return decodeJSONInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return decodeJSONUint
	case reflect.Float32, reflect.Float64:
		return decodeJSONFloat
	}
	return nil // arrays, interfaces with methods, channels, funcs, complex numbers
}

// jsonStructField is a field a JSON key decodes into.
type jsonStructField struct {
	name  string
	index []int
	dec   jsonDecoder
}

// compileJSONStruct builds the decoder of struct type t, with its fields
// chosen as encoding/json chooses them (the encoder's rules).
func compileJSONStruct(t reflect.Type, building map[reflect.Type]*jsonDecoder) jsonDecoder {
	enc := encStructFields(t)
	if len(enc) > 64 {
		return nil // more fields than the repeated-key bit set holds
	}
	fields := make([]jsonStructField, len(enc))
	for i, f := range enc {
		sf := t.FieldByIndex(f.index)
		if !sf.IsExported() {
			return nil // an unexported embedded struct named by a tag
		}
		if _, opts, _ := strings.Cut(sf.Tag.Get("json"), ","); strings.Contains(","+opts+",", ",string,") {
			return nil
		}
		// A field promoted through an embedded pointer needs allocating
		// (or fails, unexported); encoding/json does that.
		for j := 1; j < len(f.index); j++ {
			if t.FieldByIndex(f.index[:j]).Type.Kind() == reflect.Pointer {
				return nil
			}
		}
		dec := compileJSONDecoder(sf.Type, building)
		if dec == nil {
			return nil
		}
		fields[i] = jsonStructField{name: f.name, index: f.index, dec: dec}
	}
	return func(p *jsonParser, v reflect.Value) error {
		if p.null() {
			return nil
		}
		if !p.open('{') {
			return errJSONFallback
		}
		if p.close('}') {
			return nil
		}
		var seen uint64
		for {
			k, err := p.key()
			if err != nil {
				return err
			}
			i := jsonFieldIndex(fields, k)
			switch {
			case i >= 0:
				if seen&(1<<i) != 0 {
					return errJSONFallback // encoding/json merges a repeated key
				}
				seen |= 1 << i
				f := &fields[i]
				fv := v.Field(f.index[0])
				for _, x := range f.index[1:] {
					fv = fv.Field(x)
				}
				if err := f.dec(p, fv); err != nil {
					return err
				}
			case i == -2:
				return errJSONFallback // a field matched without regard to case
			default:
				if err := p.skip(); err != nil {
					return err
				}
			}
			done, ok := p.endOrComma('}')
			if !ok {
				return errJSONFallback
			}
			if done {
				p.depth--
				return nil
			}
		}
	}
}

// jsonFieldIndex returns the index of the field named k, -1 if there is
// none, and -2 if one matches only without regard to case.
func jsonFieldIndex(fields []jsonStructField, k string) int {
	for i := range fields {
		if fields[i].name == k {
			return i
		}
	}
	for i := range fields {
		if strings.EqualFold(fields[i].name, k) {
			return -2
		}
	}
	return -1
}

func decodeJSONSlice(p *jsonParser, v reflect.Value, elem jsonDecoder, empty reflect.Value) error {
	if p.null() {
		return nil
	}
	if !p.open('[') {
		return errJSONFallback
	}
	if p.close(']') {
		v.Set(empty) // empty, not nil
		return nil
	}
	// v is the nil slice: it grows in place, so that only its arrays are
	// allocated, and element n is zero when it is decoded into.
	for n := 0; ; n++ {
		if n == v.Cap() {
			v.Grow(max(4, n))
		}
		v.SetLen(n + 1)
		if err := elem(p, v.Index(n)); err != nil {
			return err
		}
		done, ok := p.endOrComma(']')
		if !ok {
			return errJSONFallback
		}
		if done {
			p.depth--
			return nil
		}
	}
}

func decodeJSONMap(p *jsonParser, v reflect.Value, elem jsonDecoder) error {
	if p.null() {
		return nil
	}
	if !p.open('{') {
		return errJSONFallback
	}
	m := reflect.MakeMap(v.Type())
	v.Set(m)
	if p.close('}') {
		return nil
	}
	// One key and one element value serve every entry: SetMapIndex copies
	// them. A repeated key: the last value wins, as in encoding/json.
	kv := reflect.New(v.Type().Key()).Elem()
	ev := reflect.New(v.Type().Elem()).Elem()
	for {
		k, err := p.key()
		if err != nil {
			return err
		}
		ev.SetZero()
		if err := elem(p, ev); err != nil {
			return err
		}
		kv.SetString(k)
		m.SetMapIndex(kv, ev)
		done, ok := p.endOrComma('}')
		if !ok {
			return errJSONFallback
		}
		if done {
			p.depth--
			return nil
		}
	}
}

// decodeJSONAnyValue decodes into an `any` as encoding/json with UseNumber.
func decodeJSONAnyValue(p *jsonParser, v reflect.Value) error {
	x, err := p.value()
	if err != nil {
		return err
	}
	if x != nil {
		v.Set(reflect.ValueOf(x))
	}
	return nil
}

// decodeJSONAnyTyped decodes into a []any or a map[string]any: the value
// the untyped parser gives, which must be of that type (or null).
func decodeJSONAnyTyped(p *jsonParser, v reflect.Value) error {
	x, err := p.value()
	if err != nil {
		return err
	}
	if x == nil {
		return nil
	}
	xv := reflect.ValueOf(x)
	if xv.Type() != v.Type() {
		return errJSONFallback
	}
	v.Set(xv)
	return nil
}

func decodeJSONString(p *jsonParser, v reflect.Value) error {
	if p.null() {
		return nil
	}
	if !p.at('"') {
		return errJSONFallback
	}
	s, err := p.str()
	if err != nil {
		return err
	}
	v.SetString(s)
	return nil
}

func decodeJSONBool(p *jsonParser, v reflect.Value) error {
	if p.null() {
		return nil
	}
	switch {
	case p.at('t'):
		if err := p.literal("true"); err != nil {
			return err
		}
		v.SetBool(true)
	case p.at('f'):
		return p.literal("false")
	default:
		return errJSONFallback
	}
	return nil
}

// numberText returns the text of the number at the parser's position, or
// false when the value there is not a number.
func (p *jsonParser) numberText() (string, bool) {
	if !p.at('-') && !(p.pos < len(p.data) && '0' <= p.data[p.pos] && p.data[p.pos] <= '9') {
		return "", false
	}
	s, err := p.numberSpan()
	return s, err == nil
}

func decodeJSONInt(p *jsonParser, v reflect.Value) error {
	if p.null() {
		return nil
	}
	s, ok := p.numberText()
	if !ok {
		return errJSONFallback
	}
	i, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v.OverflowInt(i) {
		return errJSONFallback
	}
	v.SetInt(i)
	return nil
}

func decodeJSONUint(p *jsonParser, v reflect.Value) error {
	if p.null() {
		return nil
	}
	s, ok := p.numberText()
	if !ok {
		return errJSONFallback
	}
	u, err := strconv.ParseUint(s, 10, 64)
	if err != nil || v.OverflowUint(u) {
		return errJSONFallback
	}
	v.SetUint(u)
	return nil
}

func decodeJSONFloat(p *jsonParser, v reflect.Value) error {
	if p.null() {
		return nil
	}
	s, ok := p.numberText()
	if !ok {
		return errJSONFallback
	}
	f, err := strconv.ParseFloat(s, v.Type().Bits())
	if err != nil {
		return errJSONFallback
	}
	v.SetFloat(f)
	return nil
}

func decodeJSONNumber(p *jsonParser, v reflect.Value) error {
	if p.null() {
		return nil
	}
	s, ok := p.numberText()
	if !ok {
		return errJSONFallback // encoding/json also takes a quoted number
	}
	v.SetString(s)
	return nil
}

// decodeJSONRaw keeps a value's text, copied, as encoding/json does for a
// json.RawMessage.
func decodeJSONRaw(p *jsonParser, v reflect.Value) error {
	raw, err := p.rawValue()
	if err != nil {
		return err
	}
	v.SetBytes([]byte(raw))
	return nil
}

// decodeJSONUnmarshaler hands a value's text to the type's UnmarshalJSON,
// null included, as encoding/json does for a value that is not a pointer.
func decodeJSONUnmarshaler(p *jsonParser, v reflect.Value) error {
	raw, err := p.rawValue()
	if err != nil {
		return err
	}
	if v.Addr().Interface().(json.Unmarshaler).UnmarshalJSON([]byte(raw)) != nil {
		return errJSONFallback
	}
	return nil
}

// decodeJSONText hands a string's text to the type's UnmarshalText; null
// leaves the value as it is.
func decodeJSONText(p *jsonParser, v reflect.Value) error {
	if p.null() {
		return nil
	}
	if !p.at('"') {
		return errJSONFallback
	}
	s, err := p.str()
	if err != nil {
		return err
	}
	if v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)) != nil {
		return errJSONFallback
	}
	return nil
}

// at reports whether the next byte after whitespace is c.
func (p *jsonParser) at(c byte) bool {
	p.skipSpace()
	return p.pos < len(p.data) && p.data[p.pos] == c
}

// null consumes a null, if that is what comes next.
func (p *jsonParser) null() bool {
	if p.at('n') && p.literal("null") == nil {
		return true
	}
	return false
}

// open consumes c, the start of an object or array, if it comes next.
func (p *jsonParser) open(c byte) bool {
	if !p.at(c) {
		return false
	}
	p.pos++
	if p.depth++; p.depth > jsonMaxDepth {
		return false
	}
	return true
}

// close consumes c, the end of the object or array just opened, if it
// comes next.
func (p *jsonParser) close(c byte) bool {
	if !p.at(c) {
		return false
	}
	p.pos++
	p.depth--
	return true
}

// rawValue checks the value at the parser's position and returns its text.
func (p *jsonParser) rawValue() (string, error) {
	p.skipSpace()
	start := p.pos
	if err := p.skip(); err != nil {
		return "", err
	}
	return p.data[start:p.pos], nil
}

// skip checks and passes over the value at the parser's position without
// building it.
func (p *jsonParser) skip() error {
	p.skipSpace()
	if p.pos >= len(p.data) {
		return errJSONFallback
	}
	switch c := p.data[p.pos]; c {
	case '{', '[':
		end := byte('}')
		if c == '[' {
			end = ']'
		}
		if !p.open(c) {
			return errJSONFallback
		}
		if p.close(end) {
			return nil
		}
		for {
			if c == '{' {
				if _, err := p.key(); err != nil {
					return err
				}
			}
			if err := p.skip(); err != nil {
				return err
			}
			done, ok := p.endOrComma(end)
			if !ok {
				return errJSONFallback
			}
			if done {
				p.depth--
				return nil
			}
		}
	case '"':
		_, err := p.str()
		return err
	case 't':
		return p.literal("true")
	case 'f':
		return p.literal("false")
	case 'n':
		return p.literal("null")
	}
	if _, ok := p.numberText(); !ok {
		return errJSONFallback
	}
	return nil
}

// unmarshalJSON decodes the one JSON value data holds into v, a non-nil
// pointer, as encoding/json with UseNumber would, with nothing but
// whitespace after it. It is the only place that chooses the parser: the
// fast one of this file when it takes the document, else encoding/json.
func unmarshalJSON(data []byte, v any) error {
	return unmarshalJSONText(string(data), v)
}

// unmarshalJSONText is unmarshalJSON of a document already in a string,
// which the fast parser's strings share without a copy.
func unmarshalJSONText(data string, v any) error {
	if fastUnmarshalJSON(data, v) == nil {
		return nil
	}
	rv := reflect.ValueOf(v).Elem()
	rv.SetZero() // the fast path may have filled part of it
	dec := json.NewDecoder(strings.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	// The rest must be whitespace: checked here rather than with
	// dec.Token, which rescans a long run of it after every refill.
	if off := dec.InputOffset(); off < int64(len(data)) && !jsonSpaceOnly(data[off:]) {
		return errTrailingData
	}
	return nil
}

// fastUnmarshalJSON decodes data into v with the fast parser, or reports
// errJSONFallback. A document that is only null is left to encoding/json.
func fastUnmarshalJSON(data string, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return errJSONFallback
	}
	dec := jsonDecoderFor(rv.Type().Elem())
	if dec == nil {
		return errJSONFallback
	}
	p := jsonParserGet(data)
	defer jsonParserPut(p)
	if p.at('n') {
		return errJSONFallback
	}
	if err := dec(p, rv.Elem()); err != nil || !p.end() {
		return errJSONFallback
	}
	return nil
}
