package restli

import (
	"strconv"
	"strings"
)

// Checks the builder makes on request values before encoding them: the
// zero URN, and projections given as lists.

// zeroURNReason is the ValidationError reason for a zero URN.
const zeroURNReason = "holds a zero URN (\"no URN\"), which would be sent as an empty string; leave the value out or set the URN"

// checkZeroURNs refuses a zero URN (or a non-nil *URN to one) in a path
// key, a batch id, a finder criterion or a query parameter, at the top
// level or inside a list or map of them ([]any, []URN, map[string]any,
// map[string]URN): sent as an empty string, it would address nothing or filter
// on nothing. A nil *URN parameter is still dropped like any nil value.
// URNs inside structs are the encoder's to write.
//
// The query parameters, batch ids and criteria are walked only when
// walkQuery is set: the builder sets it when their encoding failed or holds
// two apostrophes (emptyString, the Rest.li 2.0 empty string), because a
// zero URN anywhere in them encodes so (TestZeroURN_EncodesAsEmptyString);
// a query without them holds none, and the walk, which ranges over every
// map again, is spared.
func (p *prepared) checkZeroURNs(walkQuery bool) error {
	for name, v := range p.b.PathKeys {
		if hasZeroURN(v, 0) {
			return invalid("PathKeys["+name+"]", zeroURNReason, nil)
		}
	}
	if !walkQuery {
		return nil
	}
	for name, v := range p.b.QueryParams {
		if hasZeroURN(v, 0) {
			return invalid("QueryParams["+name+"]", zeroURNReason, nil)
		}
	}
	for _, e := range p.extra {
		ids, ok := e.value.([]any)
		if !ok {
			continue
		}
		field := "Criteria"
		if e.name == "ids" {
			field = "IDs"
		}
		for i, v := range ids {
			if hasZeroURN(v, 0) {
				return invalid(field+"["+strconv.Itoa(i)+"]", zeroURNReason, nil)
			}
		}
	}
	return nil
}

// hasZeroURN reports whether v is, or a list or map in v holds, a zero URN.
// It allocates nothing.
func hasZeroURN(v any, depth int) bool {
	if depth > 16 {
		return false // the encoder reports what is too deep
	}
	switch v := v.(type) {
	case string, int, int64, bool, nil:
		return false
	case URN:
		return v.IsZero()
	case *URN:
		return v != nil && v.IsZero()
	case []URN:
		for _, u := range v {
			if u.IsZero() {
				return true
			}
		}
	case []any:
		for _, e := range v {
			if hasZeroURN(e, depth+1) {
				return true
			}
		}
	case map[string]any:
		for _, e := range v {
			if hasZeroURN(e, depth+1) {
				return true
			}
		}
	case map[string]URN:
		for _, u := range v {
			if u.IsZero() {
				return true
			}
		}
	}
	return false
}

// projectionLists returns qp, or a copy of it in which every projection
// parameter (fields, metadataFields, pagingFields, projection) given as a
// []string is joined with commas into the mask text LinkedIn wants
// ("fields=id,name"), as if it had been written as that string. An empty
// list, or an empty or comma-holding element, is a *ValidationError. The
// caller's map is never modified.
func projectionLists(qp map[string]any) (map[string]any, error) {
	if len(qp) == 0 {
		return qp, nil
	}
	var out map[string]any
	for _, name := range [...]string{"fields", "metadataFields", "pagingFields", "projection"} {
		list, ok := qp[name].([]string)
		if !ok {
			continue
		}
		if len(list) == 0 {
			return nil, invalid("QueryParams["+name+"]", "is an empty list of fields", nil)
		}
		for i, f := range list {
			if f == "" || strings.IndexByte(f, ',') >= 0 {
				return nil, invalid("QueryParams["+name+"]["+strconv.Itoa(i)+"]", "is empty or holds a comma; give one field (or nested mask) per element", nil)
			}
		}
		if out == nil {
			out = make(map[string]any, len(qp))
			for k, v := range qp {
				out[k] = v
			}
		}
		out[name] = strings.Join(list, ",")
	}
	if out == nil {
		return qp, nil
	}
	return out, nil
}
