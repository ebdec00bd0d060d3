// This file holds the typed results and the generic functions (GetAs,
// FinderAs, ...) that decode responses straight into the caller's own
// types: the untyped maps are never built. The untyped Client methods are
// thin wrappers over these.

package restli

import (
	"context"
	"encoding/json"
	"net/http"
)

// EntityResult is a typed GET result.
type EntityResult[T any] struct {
	Response
	Entity T
}

// CollectionResult is a typed GET_ALL or FINDER result.
type CollectionResult[T any] struct {
	Response
	Elements []T
	// Paging is nil when the server sent none.
	Paging *Paging
	// Metadata is the finder's metadata, undecoded.
	Metadata json.RawMessage
}

// BatchGetResult is a typed BATCH_GET result, keyed by response key (see
// ResponseKey).
type BatchGetResult[T any] struct {
	Response
	Results  map[string]T
	Statuses map[string]int
	Errors   map[string]*Error
}

// BatchFinderResult is a typed BATCH_FINDER result: one entry per criterion,
// in request order.
type BatchFinderResult[T any] struct {
	Response
	Results []CriteriaResult[T]
}

// CriteriaResult is the typed result for one batch-finder criterion.
type CriteriaResult[T any] struct {
	Elements []T             `json:"elements"`
	Paging   *Paging         `json:"paging"`
	Metadata json.RawMessage `json:"metadata"`
	Error    *Error          `json:"error"`
	IsError  bool            `json:"isError"`
}

// CreateResult is a typed CREATE result. Entity is nil unless the server
// returned the created entity.
type CreateResult[T any] struct {
	Response
	EntityID        string
	DecodedEntityID any
	Location        string
	Entity          *T
}

// ActionResult is a typed ACTION result. Value is the zero value for a void
// action.
type ActionResult[T any] struct {
	Response
	Value T
}

// GetAs sends a GET and decodes the entity into a T.
func GetAs[T any](ctx context.Context, c *Client, req GetRequest) (*EntityResult[T], error) {
	resp, p, err := c.send(ctx, req)
	if err != nil {
		return nil, err
	}
	out := &EntityResult[T]{Response: responseOf(resp)}
	if _, err := c.decodeJSON(resp, p, &out.Entity); err != nil {
		return nil, err
	}
	return out, nil
}

type collectionWire[T any] struct {
	Elements []T             `json:"elements"`
	Paging   *Paging         `json:"paging"`
	Metadata json.RawMessage `json:"metadata"`
}

func collectionAs[T any](ctx context.Context, c *Client, req Request) (*CollectionResult[T], error) {
	resp, p, err := c.send(ctx, req)
	if err != nil {
		return nil, err
	}
	var w collectionWire[T]
	if err := decodeCollection(c, resp, p, &w); err != nil {
		return nil, err
	}
	return w.result(resp), nil
}

// decodeCollection decodes a collection page from resp's body into w with
// encoding/json: whole when it is small, element by element otherwise.
func decodeCollection[T any](c *Client, resp *http.Response, p *prepared, w *collectionWire[T]) error {
	if resp.ContentLength >= 0 && resp.ContentLength <= streamThreshold {
		// A small page: decoding it whole is faster than token streaming.
		_, err := c.decodeJSON(resp, p, w)
		return err
	}
	return streamCollection(c, resp, p, w)
}

// result is the decoded page as a CollectionResult.
func (w *collectionWire[T]) result(resp *http.Response) *CollectionResult[T] {
	return &CollectionResult[T]{Response: responseOf(resp), Elements: w.Elements, Paging: w.Paging, Metadata: w.Metadata}
}

// GetAllAs sends a GET_ALL and decodes the elements into Ts.
func GetAllAs[T any](ctx context.Context, c *Client, req GetAllRequest) (*CollectionResult[T], error) {
	return collectionAs[T](ctx, c, req)
}

// FinderAs sends a FINDER and decodes the elements into Ts.
func FinderAs[T any](ctx context.Context, c *Client, req FinderRequest) (*CollectionResult[T], error) {
	return collectionAs[T](ctx, c, req)
}

type batchGetWire[T any] struct {
	Results  map[string]T      `json:"results"`
	Statuses map[string]int    `json:"statuses"`
	Errors   map[string]*Error `json:"errors"`
}

// BatchGetAs sends a BATCH_GET and decodes each entity into a T.
func BatchGetAs[T any](ctx context.Context, c *Client, req BatchGetRequest) (*BatchGetResult[T], error) {
	resp, p, err := c.send(ctx, req)
	if err != nil {
		return nil, err
	}
	var w batchGetWire[T]
	if _, err := c.decodeJSON(resp, p, &w); err != nil {
		return nil, err
	}
	return &BatchGetResult[T]{Response: responseOf(resp), Results: w.Results, Statuses: w.Statuses, Errors: w.Errors}, nil
}

type batchFinderWire[T any] struct {
	Elements []CriteriaResult[T] `json:"elements"`
}

// BatchFinderAs sends a BATCH_FINDER and decodes each element into a T.
func BatchFinderAs[T any](ctx context.Context, c *Client, req BatchFinderRequest) (*BatchFinderResult[T], error) {
	resp, p, err := c.send(ctx, req)
	if err != nil {
		return nil, err
	}
	var w batchFinderWire[T]
	if _, err := c.decodeJSON(resp, p, &w); err != nil {
		return nil, err
	}
	return &BatchFinderResult[T]{Response: responseOf(resp), Results: w.Elements}, nil
}

// CreateAs sends a CREATE and decodes the returned entity, if any, into a T.
func CreateAs[T any](ctx context.Context, c *Client, req CreateRequest) (*CreateResult[T], error) {
	resp, p, err := c.send(ctx, req)
	if err != nil {
		return nil, err
	}
	out := &CreateResult[T]{Response: responseOf(resp), Location: resp.Header.Get("Location")}
	out.EntityID, out.DecodedEntityID = entityIDOf(resp.Header)
	var e T
	empty, err := c.decodeJSON(resp, p, &e)
	if err != nil {
		return nil, err
	}
	if !empty {
		out.Entity = &e
	}
	return out, nil
}

type actionWire[T any] struct {
	Value T `json:"value"`
}

// ActionAs sends an ACTION and decodes its value into a T.
func ActionAs[T any](ctx context.Context, c *Client, req ActionRequest) (*ActionResult[T], error) {
	resp, p, err := c.send(ctx, req)
	if err != nil {
		return nil, err
	}
	var w actionWire[T]
	if _, err := c.decodeJSON(resp, p, &w); err != nil {
		return nil, err
	}
	return &ActionResult[T]{Response: responseOf(resp), Value: w.Value}, nil
}

// entityIDOf returns the raw and decoded X-RestLi-Id header. A value that
// cannot be decoded is returned raw in both.
func entityIDOf(h http.Header) (string, any) {
	raw := h.Get("X-Restli-Id")
	if raw == "" {
		return "", nil
	}
	dec, err := DecodeEntityID(raw)
	if err != nil {
		return raw, raw
	}
	return raw, dec
}
