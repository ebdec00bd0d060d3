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
//
// Against a server that does not page as asked it stops with a
// *PagingError, before yielding anything of the offending page: when a
// page's paging.start is not the start asked for (a server that ignores
// start, as LinkedIn documents for unpaged finders such as adAnalytics),
// when a page repeats the previous one element for element, or when more
// than MaxPages pages (DefaultMaxPages unless an option says otherwise)
// would be fetched.
func Pages[T any](ctx context.Context, c *Client, req CollectionRequest, opts ...PageOption) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		po := pageOptions(opts)
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
		w := pageWatch[T]{req: req, max: po.maxPages}
		for {
			if err := w.next(ctx); err != nil {
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
			if page.Paging != nil && page.Paging.Start != start {
				yield(zero, pagingError(req, w.n, PagingStartIgnored))
				return
			}
			if err := w.check(page.Elements); err != nil {
				yield(zero, err)
				return
			}
			for _, e := range page.Elements {
				if !yield(e, nil) {
					return
				}
			}
			got := len(page.Elements)
			size := count
			if page.Paging != nil && page.Paging.Count > 0 {
				size = page.Paging.Count
			}
			start += got
			if got == 0 || got < size {
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
//
// Against a server that cycles page tokens it stops with a *PagingError:
// when a next token is one already used in this iteration (the request's
// own pageToken included), when a page repeats the previous one element
// for element, or when more than MaxPages pages would be fetched.
func CursorPages[T any](ctx context.Context, c *Client, req CollectionRequest, opts ...PageOption) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		po := pageOptions(opts)
		base := req.base().QueryParams
		size, err := intParam(base, "pageSize", DefaultPageSize)
		if err != nil {
			yield(zero, err)
			return
		}
		token, _ := base["pageToken"].(string)
		seen := map[string]bool{token: true}
		w := pageWatch[T]{req: req, max: po.maxPages}
		for {
			if err := w.next(ctx); err != nil {
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
			if err := w.check(page.Elements); err != nil {
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
			if meta.NextPageToken == "" {
				return
			}
			if seen[meta.NextPageToken] {
				yield(zero, pagingError(req, w.n, PagingTokenRepeated))
				return
			}
			seen[meta.NextPageToken] = true
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
