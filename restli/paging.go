// This file holds the paging iterators: Pages (start and count) and
// CursorPages (page tokens).

package restli

import (
	"context"
	"encoding/json"
	"iter"
	"reflect"
	"strconv"
)

// CollectionRequest is a request whose answer is a paged collection:
// GetAllRequest or FinderRequest.
type CollectionRequest interface {
	Request
	collection()
}

func (GetAllRequest) collection() {}
func (FinderRequest) collection() {}

// withParams returns a copy of req whose QueryParams are params.
func withParams(req CollectionRequest, params map[string]any) CollectionRequest {
	switch r := req.(type) {
	case GetAllRequest:
		r.QueryParams = params
		return r
	case *GetAllRequest:
		c := *r
		c.QueryParams = params
		return c
	case FinderRequest:
		r.QueryParams = params
		return r
	case *FinderRequest:
		c := *r
		c.QueryParams = params
		return c
	}
	return req
}

// DefaultPageSize is the page size iterators ask for when the request sets
// no "count" (start/count paging) or "pageSize" (cursor paging).
const DefaultPageSize = 10

// Pages iterates over a collection with start/count paging, yielding each
// element decoded into a T. It starts at the request's "start" parameter (0
// if unset), asks for "count" elements per page (DefaultPageSize if unset),
// and stops after a page with fewer elements than the page size, an empty
// page, or the last element by paging.total. An error — including the
// context's — is yielded once, with the zero T, and ends the iteration.
// The request's QueryParams map is not modified.
func Pages[T any](ctx context.Context, c *Client, req CollectionRequest) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		base := req.base().QueryParams
		start, err := intParam(base, "start", 0)
		if err != nil {
			yield(zero, err)
			return
		}
		count, err := intParam(base, "count", DefaultPageSize)
		if err != nil {
			yield(zero, err)
			return
		}
		if count <= 0 {
			yield(zero, invalid("QueryParams[count]", "must be positive for paging", nil))
			return
		}
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			params := copyParams(base, 2)
			params["start"] = start
			params["count"] = count
			page, err := collectionAs[T](ctx, c, withParams(req, params))
			if err != nil {
				yield(zero, err)
				return
			}
			for _, e := range page.Elements {
				if !yield(e, nil) {
					return
				}
			}
			n := len(page.Elements)
			size := count
			if page.Paging != nil && page.Paging.Count > 0 {
				size = page.Paging.Count
			}
			start += n
			if n == 0 || n < size {
				return
			}
			if page.Paging != nil && page.Paging.Total > 0 && start >= page.Paging.Total {
				return
			}
		}
	}
}

// CursorPages iterates over a collection with LinkedIn's cursor paging:
// "pageSize" (DefaultPageSize if unset) and "pageToken" in the request,
// metadata.nextPageToken in the response. It stops when a page carries no
// next token. Errors are yielded as for Pages.
func CursorPages[T any](ctx context.Context, c *Client, req CollectionRequest) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		base := req.base().QueryParams
		size, err := intParam(base, "pageSize", DefaultPageSize)
		if err != nil {
			yield(zero, err)
			return
		}
		token, _ := base["pageToken"].(string)
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			params := copyParams(base, 2)
			params["pageSize"] = size
			if token != "" {
				params["pageToken"] = token
			} else {
				delete(params, "pageToken")
			}
			page, err := collectionAs[T](ctx, c, withParams(req, params))
			if err != nil {
				yield(zero, err)
				return
			}
			for _, e := range page.Elements {
				if !yield(e, nil) {
					return
				}
			}
			var meta struct {
				NextPageToken string `json:"nextPageToken"`
			}
			if len(page.Metadata) > 0 {
				if err := json.Unmarshal(page.Metadata, &meta); err != nil {
					yield(zero, &ResponseBodyError{Method: req.RestliMethod(), Resource: req.base().ResourcePath, Err: err})
					return
				}
			}
			if meta.NextPageToken == "" || meta.NextPageToken == token {
				return
			}
			token = meta.NextPageToken
		}
	}
}

func copyParams(m map[string]any, extra int) map[string]any {
	out := make(map[string]any, len(m)+extra)
	for k, v := range m {
		out[k] = v
	}
	return out
}

// intParam reads an integer query parameter given as any Go integer kind,
// json.Number or decimal string.
func intParam(m map[string]any, name string, def int) (int, error) {
	v, ok := m[name]
	if !ok || v == nil {
		return def, nil
	}
	bad := invalid("QueryParams["+name+"]", "must be an integer", nil)
	var text string
	switch n := v.(type) {
	case json.Number:
		text = string(n)
	case string:
		text = n
	default:
		rv := reflect.ValueOf(v)
		switch {
		case rv.CanInt():
			return int(rv.Int()), nil
		case rv.CanUint():
			return int(rv.Uint()), nil
		}
		return 0, bad
	}
	i, err := strconv.Atoi(text)
	if err != nil {
		return 0, bad
	}
	return i, nil
}
