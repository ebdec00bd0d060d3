// This file holds the element-by-element decoding of collection pages too
// large to read whole.

package restli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// streamThreshold is the body size (Content-Length) above which collection
// responses are decoded element by element; smaller ones, whose buffering
// costs little, are decoded whole, which is faster. A body of unknown length
// is always streamed.
const streamThreshold = 256 << 10

// streamCollection decodes a CollectionResponse from resp's body into w and
// closes the body. It decodes element by element, so json.Decoder holds one
// element at a time instead of buffering the whole body: a large page needs
// little memory beyond the result. Unknown top-level members are skipped.
func streamCollection[T any](c *Client, resp *http.Response, p *prepared, w *collectionWire[T]) error {
	defer DrainAndClose(resp.Body)
	fail := func(err error) error {
		return &ResponseBodyError{Method: p.method, Resource: p.b.ResourcePath, Err: err}
	}
	// The reader collapses whitespace: More and Token rescan what they skip.
	dec := json.NewDecoder(newBodyReader(p.ctx, resp.Body, c.maxResponseBytes))
	dec.UseNumber()
	tok, err := dec.Token()
	if err == io.EOF {
		return nil // an empty body: an empty collection
	}
	if err != nil {
		return fail(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fail(errors.New("collection response is not a JSON object"))
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fail(err)
		}
		name, _ := tok.(string)
		switch name {
		case "elements":
			if err := streamElements(dec, &w.Elements); err != nil {
				return fail(err)
			}
		case "paging":
			if err := dec.Decode(&w.Paging); err != nil {
				return fail(err)
			}
		case "metadata":
			if err := dec.Decode(&w.Metadata); err != nil {
				return fail(err)
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return fail(err)
			}
		}
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return fail(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			err = errors.New("unexpected data after the JSON value")
		}
		return fail(err)
	}
	return nil
}

// streamElements decodes a JSON array (or null) one element at a time.
func streamElements[T any](dec *json.Decoder, out *[]T) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return fmt.Errorf("elements is not a JSON array")
	}
	els := *out
	if els == nil {
		els = []T{}
	}
	for dec.More() {
		var zero T
		els = append(els, zero)
		if err := dec.Decode(&els[len(els)-1]); err != nil {
			return err
		}
	}
	*out = els
	_, err = dec.Token() // the closing ']'
	return err
}
