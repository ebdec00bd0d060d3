// This file holds the entry points: Run and RunAs return a whole report,
// Stream and StreamAs hand it over row by row, and their options.

package adanalytics

import (
	"context"
	"iter"
	"slices"
	"time"

	"github.com/linkedin-go/linkedin/restli"
)

// Defaults of the options.
const (
	// DefaultConcurrency is how many requests a report has in flight at
	// most, unless WithConcurrency says otherwise: a few, so that a report
	// is quick without spending the application's quota in a burst.
	DefaultConcurrency = 4
	// MaxElements is the most elements LinkedIn puts in an adAnalytics
	// answer; an answer that long may have been cut.
	MaxElements = 15000
	// MaxFields is the most fields an adAnalytics request may name;
	// dateRange and pivotValues count, so a request carries at most 18
	// metrics.
	MaxFields = 20
)

// Option configures Run, RunAs, Stream, StreamAs and WriteCSV.
type Option func(*config)

type config struct {
	concurrency int
	maxElements int
	maxFields   int
	version     string
	now         func() time.Time
	stats       *Stats
}

func newConfig(opts []Option) config {
	c := config{concurrency: DefaultConcurrency, maxElements: MaxElements, maxFields: MaxFields, now: time.Now}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

// WithConcurrency sets how many requests may be in flight at once
// (DefaultConcurrency by default; values below 1 mean 1). Every request
// goes through the caller's *restli.Client, so its retry, rate limit,
// quota and circuit breaker layers apply to each.
func WithConcurrency(n int) Option {
	return func(c *config) { c.concurrency = max(n, 1) }
}

// WithMaxElements sets the answer size at which an answer is taken as cut
// (MaxElements by default), for a server with another cap.
func WithMaxElements(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.maxElements = n
		}
	}
}

// WithMaxFields sets the most fields a request may name (MaxFields by
// default), dateRange and pivotValues included.
func WithMaxFields(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.maxFields = n
		}
	}
}

// WithVersion sets the LinkedIn-Version of the report's requests; by
// default the client's applies.
func WithVersion(v string) Option { return func(c *config) { c.version = v } }

// WithClock sets the clock that ends an open date range (a Query without
// DateRange.End) when it must be split: today, by default.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.now = now
		}
	}
}

// WithStats makes the call fill s when it returns (or, for a Stream, when
// the loop ends): the requests it made and how the report was split.
func WithStats(s *Stats) Option { return func(c *config) { c.stats = s } }

// Stats describes the work behind a report.
type Stats struct {
	// Requests is the number of finder requests sent (retries made by the
	// transport layers not counted).
	Requests int
	// Groups is the number of metric groups (requests per slice).
	Groups int
	// Capped is the number of answers that reached the cap.
	Capped int
	// Slices is the number of slices whose rows were delivered.
	Slices int
	// Truncated is the number of capped answers that could not be split.
	Truncated int
}

// Run returns every row of the report q describes, as Rows, sorted by
// slice (dates first, then facet splits), and within a slice by period
// then pivot values. It validates q first (a *restli.ValidationError,
// nothing sent), then makes as few requests as LinkedIn's limits allow
// (see the package documentation). When an answer reached the cap and
// could not be split, Run returns all the rows with a *TruncatedError
// naming the slices. Any other error (a request failed after the
// transport's retries, ctx ended) ends the report: Run returns nil and
// the error.
func Run(ctx context.Context, c *restli.Client, q Query, opts ...Option) ([]Row, error) {
	return RunAs[Row](ctx, c, q, opts...)
}

// RunAs is Run into the caller's own type: each merged row is decoded
// with encoding/json from LinkedIn's shape, {"pivotValues":[…],
// "dateRange":{"start":{…},"end":{…}}, "impressions":…, …}.
func RunAs[T any](ctx context.Context, c *restli.Client, q Query, opts ...Option) ([]T, error) {
	e, err := newEngine(ctx, c, q, opts, convFor[T](), false)
	if err != nil {
		return nil, err
	}
	var batches []batch[T]
	n := 0
	for b := range e.out {
		batches = append(batches, b)
		n += len(b.rows)
	}
	if err := e.close(); err != nil {
		return nil, err
	}
	slices.SortFunc(batches, func(a, b batch[T]) int { return slices.Compare(a.path, b.path) })
	rows := make([]T, 0, n)
	var trunc []Slice
	for _, b := range batches {
		rows = append(rows, b.rows...)
		trunc = append(trunc, b.trunc...)
	}
	if len(trunc) > 0 {
		return rows, &TruncatedError{Slices: trunc}
	}
	return rows, nil
}

// Stream is Run for reports too large to hold: it hands the rows over one
// slice at a time, in the order Run returns them, holding no more than one
// slice per worker (see WithConcurrency). A *TruncatedError is yielded after the
// rows of its slice, and the report goes on if the loop does; any other
// error is yielded once and ends it. Breaking out of the loop cancels the
// requests in flight and sends no more.
func Stream(ctx context.Context, c *restli.Client, q Query, opts ...Option) iter.Seq2[Row, error] {
	return StreamAs[Row](ctx, c, q, opts...)
}

// StreamAs is Stream into the caller's own type, decoded as RunAs does.
func StreamAs[T any](ctx context.Context, c *restli.Client, q Query, opts ...Option) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		e, err := newEngine(ctx, c, q, opts, convFor[T](), true)
		if err != nil {
			yield(zero, err)
			return
		}
		for b := range e.out {
			for _, r := range b.rows {
				if !yield(r, nil) {
					e.close()
					return
				}
			}
			if len(b.trunc) > 0 && !yield(zero, &TruncatedError{Slices: b.trunc}) {
				e.close()
				return
			}
		}
		if err := e.close(); err != nil {
			yield(zero, err)
		}
	}
}
