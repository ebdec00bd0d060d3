// This file is the entry to the Rest.li 2.0 encoder (protocol reference §1,
// §2, §4.1, §4.6): its public functions, its error type and sentinels. One
// grammar, three escaping forms (query: Encode and ParamEncode; path:
// EncodePathKey; reduced: ReducedEncode). Encode's doc comment lists what each
// Go value becomes.
//
// Read the encoder in this order:
//
//	encref.go      the whole grammar as one plain reference encoder: start here
//	encescape.go   the escaping tables of the three forms, and numbers
//	encvalue.go    the encoder proper: values, lists, maps, the text rule
//	encstruct.go   structs, by their json tags as encoding/json reads them
//	encparams.go   query parameters: names, sorting, projections
//	encsmall.go    fast path: small maps sorted in arrays on the stack
//	encshape.go    fast path: remembered key sets of small maps, pooled scratch
//	encprefix.go   fast path: shared prefixes of list elements copied
//
// The fast paths change only how fast the bytes are produced: a differential
// fuzz target and a generated-shapes test (encref_test.go) hold every one of
// them to the reference's output and error text, byte for byte.

package restli

import "errors"

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

// appendEncode appends the query-value form of v (see Encode) to dst. It
// allocates nothing when dst has room and v holds only strings, bools,
// numbers, json.Number, []any, []string and map[string]any or
// map[string]string values of up to 8 keys each.
func appendEncode(dst []byte, v any) ([]byte, error) {
	return encAppendValue(dst, v, &encQuery, nil, 0)
}

// appendEncodePathKey appends the path-segment form of v (see EncodePathKey)
// to dst.
func appendEncodePathKey(dst []byte, v any) ([]byte, error) {
	return encAppendValue(dst, v, &encPath, nil, 0)
}

// appendReducedEncode appends the reduced form of v (see ReducedEncode) to
// dst.
func appendReducedEncode(dst []byte, v any) ([]byte, error) {
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

// appendParamEncode appends the query string for params (see ParamEncode) to
// dst. It allocates nothing when dst has room, params has at most 8 entries
// and the values are of the kinds listed under appendEncode.
func appendParamEncode(dst []byte, params map[string]any) ([]byte, error) {
	return appendParamsWith(dst, params, nil, nil)
}

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
