// This file holds the conversions that turn the typed results of T = any
// (typed.go) into the untyped responses of the Client methods: JSON objects
// as map[string]any, JSON numbers as json.Number.

package restli

import (
	"encoding/json"
	"errors"
)

var errNotObject = errors.New("the entity is not a JSON object")

// asObject returns v as a JSON object; null is a nil map.
func asObject(v any) (map[string]any, bool) {
	if v == nil {
		return nil, true
	}
	m, ok := v.(map[string]any)
	return m, ok
}

// objects converts decoded collection elements to JSON objects.
func objects(els []any) ([]map[string]any, bool) {
	if els == nil {
		return nil, true
	}
	out := make([]map[string]any, len(els))
	for i, e := range els {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, false
		}
		out[i] = m
	}
	return out, true
}

// untypedCollection converts the result of GetAllAs or FinderAs with T =
// any, or their error, into the untyped response.
func untypedCollection(req Request, r *CollectionResult[any], err error) (*CollectionResponse, error) {
	if err != nil {
		return nil, err
	}
	els, ok := objects(r.Elements)
	if !ok {
		return nil, errNotObjects(req)
	}
	return &CollectionResponse{Response: r.Response, Elements: els, Paging: r.Paging, Metadata: rawToMap(r.Metadata)}, nil
}

// errNotObjects is the error for a collection with an element that is not
// a JSON object.
func errNotObjects(req Request) error {
	return &ResponseBodyError{Method: req.RestliMethod(), Resource: req.base().ResourcePath, Err: errors.New("an element is not a JSON object")}
}

// rawToMap decodes raw metadata into a JSON object, or nil when it is
// absent or not an object.
func rawToMap(b json.RawMessage) map[string]any {
	if len(b) == 0 {
		return nil
	}
	var m map[string]any
	if unmarshalJSON(b, &m) != nil {
		return nil
	}
	return m
}
