// The stop rules of the paging iterators: the options that bound them and
// the error they end with when a server does not page as asked.

package restli

import (
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

// samePage reports whether a page repeats the previous, non-empty, page
// element for element.
func samePage[T any](prev, cur []T) bool {
	return len(prev) > 0 && len(prev) == len(cur) && reflect.DeepEqual(prev, cur)
}
