// This file holds partial-update patches: the Patch type, SetPatch and
// DiffPatch.

package restli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Patch is a Rest.li partial-update patch object, the P in the request body
// {"patch": P} (protocol §6.1):
//
//   - "$set" maps field names to their new values (whole values: lists and
//     sub-records are replaced, not merged);
//   - "$delete" lists field names to remove;
//   - any other key is a field name, with every '$' doubled ("$x" becomes
//     "$$x"), mapped to a nested Patch for the record stored in that field.
//
// Names inside "$set" and "$delete" are not escaped. Patches built by
// DiffPatch and SetPatch hold "$set" as a map[string]any, "$delete" as a
// sorted []string, nested patches as Patch, and values as normalised JSON
// values (map[string]any, []any, string, bool, json.Number, nil inside lists).
//
// A Patch marshals to JSON deterministically (encoding/json sorts map keys),
// and a nil Patch marshals as {} rather than null, which a Rest.li server
// would reject.
type Patch map[string]any

// IsEmpty reports whether the patch changes nothing. A client may send an
// empty patch ({"patch":{}}, which the reference implementation also sends)
// or skip the call.
func (p Patch) IsEmpty() bool { return len(p) == 0 }

// MarshalJSON encodes the patch as a JSON object, {} for a nil Patch.
func (p Patch) MarshalJSON() ([]byte, error) {
	if p == nil {
		return []byte("{}"), nil
	}
	return json.Marshal(map[string]any(p))
}

// DiffPatch returns the patch that turns original into modified, with the
// reference semantics of Rest.li's PatchCreator.diff (protocol §6.2):
//
//   - a field present in original but absent from modified is deleted;
//   - a field absent from original is set;
//   - a field that holds an object on both sides is diffed recursively into a
//     nested patch (under the field name with '$' doubled);
//   - any other field whose value differs is set: scalars, lists (compared
//     element by element and replaced whole) and type changes alike;
//   - a nil value counts as absent, at every depth; an empty string is an
//     ordinary value;
//   - numbers compare by value: 1, 1.0, json.Number("1.0") and
//     json.Number("1e0") are equal.
//
// original and modified may be map[string]any, structs or pointers to
// structs (encoded by their json tags, so omitempty fields that are empty are
// absent), or any other value that marshals to a JSON object; they are
// normalised as encoding/json with UseNumber would decode them. Any other
// input, including nil, is a *PatchError.
//
// When nothing changed, DiffPatch returns an empty, non-nil Patch. The output
// is deterministic: keys are sorted when marshalled and "$delete" is sorted.
func DiffPatch(original, modified any) (Patch, error) {
	o, err := patchObject(original, "original")
	if err != nil {
		return nil, err
	}
	m, err := patchObject(modified, "modified")
	if err != nil {
		return nil, err
	}
	p := patchDiff(o, m)
	if p == nil {
		p = Patch{}
	}
	return p, nil
}

// SetPatch returns the patch {"$set": fields}, which sets every field of
// fields and leaves the others alone. fields is normalised like DiffPatch's
// inputs: a map, a struct (by json tags) or a pointer to one. Fields whose
// value is nil are left out, since a patch cannot set a field to null; use
// "$delete" to remove a field. An object without fields gives an empty Patch.
// A nil or non-object fields is a *PatchError.
func SetPatch(fields any) (Patch, error) {
	m, err := patchObject(fields, "fields")
	if err != nil {
		return nil, err
	}
	if len(m) == 0 {
		return Patch{}, nil
	}
	return Patch{patchSet: m}, nil
}

// PatchError reports an input that cannot be turned into a patch.
type PatchError struct {
	// Arg names the input: "original", "modified" or "fields".
	Arg string
	// Reason says what is wrong.
	Reason string
	// Err is the underlying error, if any (from encoding/json, say).
	Err error
}

// Error describes the problem without quoting the input's values.
func (e *PatchError) Error() string {
	msg := "restli: patch " + e.Arg + ": " + e.Reason
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the underlying error.
func (e *PatchError) Unwrap() error { return e.Err }

// ErrorType returns "restli.PatchError", the value for the OpenTelemetry
// error.type attribute.
func (e *PatchError) ErrorType() string { return "restli.PatchError" }

const (
	patchSet    = "$set"
	patchDelete = "$delete"

	// patchMaxDepth bounds nesting, so a cyclic map[string]any is an error
	// instead of a stack overflow. encoding/json uses the same bound.
	patchMaxDepth = 1000
)

// patchDiff implements protocol §6.2 on normalised objects (no nil values in
// maps). It returns nil when nothing changed.
func patchDiff(o, m map[string]any) Patch {
	var (
		p       Patch
		set     map[string]any
		deletes []string
	)
	for _, k := range patchSortedKeys(o) {
		ov := o[k]
		mv, ok := m[k]
		if !ok {
			deletes = append(deletes, k)
			continue
		}
		om, oIsMap := ov.(map[string]any)
		mm, mIsMap := mv.(map[string]any)
		if oIsMap && mIsMap {
			if sub := patchDiff(om, mm); sub != nil {
				if p == nil {
					p = Patch{}
				}
				p[patchEscape(k)] = sub
			}
			continue
		}
		if !patchEqual(ov, mv) {
			if set == nil {
				set = map[string]any{}
			}
			set[k] = mv
		}
	}
	for k, mv := range m {
		if _, ok := o[k]; !ok {
			if set == nil {
				set = map[string]any{}
			}
			set[k] = mv
		}
	}
	if set == nil && deletes == nil && p == nil {
		return nil
	}
	if p == nil {
		p = Patch{}
	}
	if set != nil {
		p[patchSet] = set
	}
	if deletes != nil {
		p[patchDelete] = deletes // sorted: keys were visited in order
	}
	return p
}

// patchEscape escapes a field name for use as a nested-patch key, as the
// reference's Escaper.escapePathSegment does.
func patchEscape(k string) string { return strings.ReplaceAll(k, "$", "$$") }

func patchSortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// patchEqual compares normalised values; numbers compare by decimal value.
func patchEqual(a, b any) bool {
	switch a := a.(type) {
	case nil:
		return b == nil
	case string:
		b, ok := b.(string)
		return ok && a == b
	case bool:
		b, ok := b.(bool)
		return ok && a == b
	case json.Number:
		b, ok := b.(json.Number)
		if !ok {
			return false
		}
		if a == b {
			return true
		}
		ca, okA := patchCanonNumber(string(a))
		cb, okB := patchCanonNumber(string(b))
		return okA && okB && ca == cb
	case []any:
		b, ok := b.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !patchEqual(a[i], b[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		b, ok := b.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, av := range a {
			bv, ok := b[k]
			if !ok || !patchEqual(av, bv) {
				return false
			}
		}
		return true
	}
	return false
}

// patchObject normalises an input that must be a JSON object.
func patchObject(v any, arg string) (map[string]any, error) {
	if v == nil {
		return nil, &PatchError{Arg: arg, Reason: "is nil, not an object"}
	}
	n, err := patchNormalize(v, 0)
	if err != nil {
		if pe, ok := err.(*PatchError); ok {
			pe.Arg = arg
			return nil, pe
		}
		return nil, &PatchError{Arg: arg, Reason: "cannot encode as JSON", Err: err}
	}
	m, ok := n.(map[string]any)
	if !ok {
		return nil, &PatchError{Arg: arg, Reason: "is " + patchKind(n) + ", not an object"}
	}
	return m, nil
}

func patchKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case []any:
		return "an array"
	}
	return "an object"
}

// patchNormalize returns v as encoding/json with UseNumber would decode its
// JSON encoding, except that map entries whose value is nil are dropped (nil
// means absent). It copies map[string]any and []any rather than modifying
// the caller's values, and goes through encoding/json only for other types.
func patchNormalize(v any, depth int) (any, error) {
	if depth > patchMaxDepth {
		return nil, &PatchError{Reason: fmt.Sprintf("nested more than %d levels deep (a cycle?)", patchMaxDepth)}
	}
	switch v := v.(type) {
	case nil:
		return nil, nil
	case string, bool:
		return v, nil
	case json.Number:
		if _, ok := patchCanonNumber(string(v)); !ok {
			return nil, &PatchError{Reason: "json.Number is not a valid JSON number, or its exponent is out of range"}
		}
		return v, nil
	case int:
		return json.Number(strconv.FormatInt(int64(v), 10)), nil
	case int8:
		return json.Number(strconv.FormatInt(int64(v), 10)), nil
	case int16:
		return json.Number(strconv.FormatInt(int64(v), 10)), nil
	case int32:
		return json.Number(strconv.FormatInt(int64(v), 10)), nil
	case int64:
		return json.Number(strconv.FormatInt(v, 10)), nil
	case uint:
		return json.Number(strconv.FormatUint(uint64(v), 10)), nil
	case uint8:
		return json.Number(strconv.FormatUint(uint64(v), 10)), nil
	case uint16:
		return json.Number(strconv.FormatUint(uint64(v), 10)), nil
	case uint32:
		return json.Number(strconv.FormatUint(uint64(v), 10)), nil
	case uint64:
		return json.Number(strconv.FormatUint(v, 10)), nil
	case float32:
		return patchFloat(float64(v), 32)
	case float64:
		return patchFloat(v, 64)
	case map[string]any:
		if v == nil {
			return nil, nil // JSON null, as encoding/json writes it
		}
		out := make(map[string]any, len(v))
		for k, e := range v {
			n, err := patchNormalize(e, depth+1)
			if err != nil {
				return nil, err
			}
			if n != nil {
				out[k] = n
			}
		}
		return out, nil
	case []any:
		if v == nil {
			return nil, nil
		}
		out := make([]any, len(v))
		for i, e := range v {
			n, err := patchNormalize(e, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = n
		}
		return out, nil
	}
	// Structs, pointers, typed maps and slices, json.Marshalers (a URN, say):
	// let encoding/json define their JSON form.
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var decoded any
	if err := dec.Decode(&decoded); err != nil {
		return nil, err
	}
	// The decoded tree is already JSON-shaped; this pass drops nil map
	// entries. Depth restarts because encoding/json bounds its own nesting.
	return patchNormalize(decoded, 0)
}

// patchFloat formats f as encoding/json would.
func patchFloat(f float64, bits int) (any, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, &PatchError{Reason: "number is NaN or infinite"}
	}
	var v any = f
	if bits == 32 {
		v = float32(f)
	}
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return json.Number(data), nil
}

// patchCanonNumber returns a canonical form of the JSON number s, so that two
// numbers are equal in value exactly when their canonical forms are equal:
// "1", "1.0", "10e-1" and "0.1e1" all give "1e0". It works on the decimal
// text, so it is exact for integers beyond 2^53 and never rounds. It
// reports false for text that is not a JSON number, or whose exponent is
// beyond ±10^15 (far outside anything a Rest.li server accepts; refusing it
// keeps the arithmetic in int64).
func patchCanonNumber(s string) (string, bool) {
	i := 0
	neg := false
	if i < len(s) && s[i] == '-' {
		neg = true
		i++
	}
	intStart := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	intPart := s[intStart:i]
	if intPart == "" || (len(intPart) > 1 && intPart[0] == '0') {
		return "", false
	}
	frac := ""
	if i < len(s) && s[i] == '.' {
		i++
		fracStart := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		frac = s[fracStart:i]
		if frac == "" {
			return "", false
		}
	}
	exp := int64(0)
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		expNeg := false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			expNeg = s[i] == '-'
			i++
		}
		expStart := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		digits := strings.TrimLeft(s[expStart:i], "0")
		if i == expStart {
			return "", false
		}
		if len(digits) > 15 {
			return "", false
		}
		if digits != "" {
			exp, _ = strconv.ParseInt(digits, 10, 64)
		}
		if expNeg {
			exp = -exp
		}
	}
	if i != len(s) {
		return "", false
	}
	// value = digits × 10^exp
	digits := strings.TrimLeft(intPart+frac, "0")
	exp -= int64(len(frac))
	if digits == "" {
		return "0", true // -0 == 0
	}
	trimmed := strings.TrimRight(digits, "0")
	exp += int64(len(digits) - len(trimmed))
	sign := ""
	if neg {
		sign = "-"
	}
	return sign + trimmed + "e" + strconv.FormatInt(exp, 10), true
}
