// The stop rules of the paging iterators: the options that bound them and
// the error they end with when a server does not page as asked.

package restli

import (
	"context"
	"reflect"
	"strconv"
)

// DefaultMaxPages is how many pages Pages and CursorPages fetch at most
// unless MaxPages says otherwise: far more than any LinkedIn collection a
// client should read in one go, and a bound on a server that never stops.
const DefaultMaxPages = 10000

// PageOption configures Pages and CursorPages.
type PageOption func(*pageConfig)

type pageConfig struct{ maxPages int }

// MaxPages bounds the number of pages an iterator fetches: asking for page
// n+1 ends the iteration with a *PagingError (PagingTooManyPages). n <= 0
// means DefaultMaxPages.
func MaxPages(n int) PageOption {
	return func(c *pageConfig) {
		if n > 0 {
			c.maxPages = n
		}
	}
}

func pageOptions(opts []PageOption) pageConfig {
	c := pageConfig{maxPages: DefaultMaxPages}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

// The reasons of a PagingError.
const (
	// PagingStartIgnored: a page's paging.start is not the start asked for
	// (the server ignores start, or does not page this collection).
	PagingStartIgnored = "start_ignored"
	// PagingTokenRepeated: a page's next page token was already used.
	PagingTokenRepeated = "token_repeated"
	// PagingPageRepeated: a page has the same elements as the one before.
	PagingPageRepeated = "page_repeated"
	// PagingTooManyPages: the iterator reached its MaxPages bound.
	PagingTooManyPages = "too_many_pages"
)

// PagingError ends a paging iteration (Pages, CursorPages) against a server
// that does not page as asked, so the iteration would never end or would
// yield the same elements again. Nothing of the offending page is yielded.
type PagingError struct {
	Method   Method
	Resource string
	// Page is the number (from 1) of the page that showed the problem, or
	// that would have exceeded MaxPages.
	Page int
	// Reason is one of PagingStartIgnored, PagingTokenRepeated,
	// PagingPageRepeated and PagingTooManyPages.
	Reason string
}

// Error names the call, the page and the reason.
func (e *PagingError) Error() string {
	return "restli: " + e.Method.Upper() + " " + e.Resource + ": paging stopped at page " +
		strconv.Itoa(e.Page) + ": " + pagingReasonText(e.Reason)
}

// ErrorType returns "restli.paging." followed by the reason.
func (e *PagingError) ErrorType() string { return "restli.paging." + e.Reason }

func pagingReasonText(r string) string {
	switch r {
	case PagingStartIgnored:
		return "the server ignored start (its paging.start differs from the one asked for)"
	case PagingTokenRepeated:
		return "the server sent a page token already used"
	case PagingPageRepeated:
		return "the server sent the previous page again"
	case PagingTooManyPages:
		return "more pages than the MaxPages bound"
	}
	return r
}

func pagingError(req CollectionRequest, page int, reason string) error {
	return &PagingError{Method: req.RestliMethod(), Resource: req.base().ResourcePath, Page: page, Reason: reason}
}

// pageWatch applies the stop rules both iterators share: the context, the
// MaxPages bound, and a page that repeats the one before.
type pageWatch[T any] struct {
	req  CollectionRequest
	max  int
	n    int // pages asked for so far
	prev []T
}

// next counts the page about to be fetched and returns the error to end
// with, if any: the context's, or PagingTooManyPages.
func (w *pageWatch[T]) next(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	w.n++
	if w.n > w.max {
		return pagingError(w.req, w.n, PagingTooManyPages)
	}
	return nil
}

// check returns PagingPageRepeated when elems repeats the previous,
// non-empty, page element for element, and remembers elems.
func (w *pageWatch[T]) check(elems []T) error {
	if len(w.prev) > 0 && len(w.prev) == len(elems) && reflect.DeepEqual(w.prev, elems) {
		return pagingError(w.req, w.n, PagingPageRepeated)
	}
	w.prev = elems
	return nil
}
