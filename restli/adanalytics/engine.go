// This file holds the engine that runs a report: a bounded pool of
// workers taking slices from a queue, fetching each metric group through
// the caller's *restli.Client, splitting slices whose answer reached the
// cap, and handing merged rows on one slice at a time.

package adanalytics

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/linkedin-go/linkedin/restli"
)

// batch is the merged rows of one finished slice, with the slices LinkedIn
// cut and that could not be split.
type batch[T any] struct {
	path  []int
	rows  []T
	trunc []Slice
}

type engine[T any] struct {
	parent    context.Context
	ctx       context.Context
	cancel    context.CancelFunc
	c         *restli.Client
	q         Query
	cfg       config
	groups    [][]string // the metrics of each request, in order
	allGroups []int
	conv      func(*row) (T, error)
	out       chan batch[T]
	wg        sync.WaitGroup

	requests, capped, slices, truncated atomic.Int64

	mu      sync.Mutex
	cond    *sync.Cond
	queue   []*task
	running map[*task]bool
	ordered bool // hand slices over in report order (Stream)
	pending int  // tasks queued or being processed
	stopped bool
	err     error
	lead    int // the metric group to fetch first: the densest seen
}

// newEngine validates q and starts the workers; the caller reads e.out
// until it is closed, then calls e.close.
func newEngine[T any](ctx context.Context, c *restli.Client, q Query, opts []Option, conv func(*row) (T, error), ordered bool) (*engine[T], error) {
	if c == nil {
		return nil, &restli.ValidationError{Field: "Client", Reason: "nil *restli.Client"}
	}
	n, err := q.normalize()
	if err != nil {
		return nil, err
	}
	cfg := newConfig(opts)
	per := cfg.maxFields - 2 // dateRange and pivotValues count as fields
	if per < 1 {
		return nil, &restli.ValidationError{Field: "WithMaxFields", Reason: "must leave room for dateRange, pivotValues and one metric (3 or more)"}
	}
	e := &engine[T]{parent: ctx, c: c, q: n, cfg: cfg, conv: conv, out: make(chan batch[T]), ordered: ordered, running: map[*task]bool{}}
	for m := n.Metrics; len(m) > 0; m = m[min(per, len(m)):] {
		e.allGroups = append(e.allGroups, len(e.groups))
		e.groups = append(e.groups, m[:min(per, len(m))])
	}
	e.cond = sync.NewCond(&e.mu)
	e.ctx, e.cancel = context.WithCancel(ctx)
	e.queue = []*task{{start: n.DateRange.Start, end: n.DateRange.End, facets: n.Facets, groups: slices.Clone(e.allGroups)}}
	e.pending = 1
	stop := context.AfterFunc(e.ctx, func() {
		e.mu.Lock()
		e.stopped = true
		e.cond.Broadcast()
		e.mu.Unlock()
	})
	for range cfg.concurrency {
		e.wg.Add(1)
		go e.worker()
	}
	go func() {
		e.wg.Wait()
		stop()
		close(e.out)
	}()
	return e, nil
}

// close stops the engine, waits for its workers and fills the caller's
// Stats. It returns the error that ended the report early, if any.
func (e *engine[T]) close() error {
	e.cancel()
	for range e.out {
	}
	if s := e.cfg.stats; s != nil {
		*s = Stats{
			Requests:  int(e.requests.Load()),
			Groups:    len(e.groups),
			Capped:    int(e.capped.Load()),
			Slices:    int(e.slices.Load()),
			Truncated: int(e.truncated.Load()),
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.err == nil && e.pending > 0 {
		// Stopped before the end with no request failing: the caller's
		// context ended (or the caller stopped a Stream, which ignores it).
		e.err = e.parent.Err()
	}
	return e.err
}

func (e *engine[T]) worker() {
	defer e.wg.Done()
	for {
		t := e.next()
		if t == nil {
			return
		}
		kids := e.process(t)
		e.mu.Lock()
		delete(e.running, t)
		e.queue = append(kids, e.queue...) // depth first: a split slice's children next
		e.pending += len(kids) - 1
		e.cond.Broadcast()
		e.mu.Unlock()
	}
}

// next waits for a task; nil means the report is over.
func (e *engine[T]) next() *task {
	e.mu.Lock()
	defer e.mu.Unlock()
	for len(e.queue) == 0 && e.pending > 0 && !e.stopped {
		e.cond.Wait()
	}
	if e.stopped || len(e.queue) == 0 {
		return nil
	}
	t := e.queue[0]
	e.queue = e.queue[1:]
	e.running[t] = true
	return t
}

// waitTurn waits until no slice before t in the report is still to come,
// so that slices are handed over in report order. It cannot deadlock:
// workers take the first slice queued, so the first slice still to come is
// always being fetched by a worker that is not waiting.
func (e *engine[T]) waitTurn(t *task) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for !e.stopped && e.before(t) {
		e.cond.Wait()
	}
}

// before reports whether a slice before t is queued or being fetched.
func (e *engine[T]) before(t *task) bool {
	for u := range e.running {
		if u != t && slices.Compare(u.path, t.path) < 0 {
			return true
		}
	}
	for _, u := range e.queue {
		if slices.Compare(u.path, t.path) < 0 {
			return true
		}
	}
	return false
}

// fail ends the report with err (the first one wins).
func (e *engine[T]) fail(err error) {
	e.mu.Lock()
	if e.err == nil {
		e.err = err
	}
	e.mu.Unlock()
	e.cancel()
}

// order returns groups with the lead group first.
func (e *engine[T]) order(groups []int) []int {
	e.mu.Lock()
	lead := e.lead
	e.mu.Unlock()
	i := slices.Index(groups, lead)
	if i <= 0 {
		return groups
	}
	out := make([]int, 0, len(groups))
	out = append(out, lead)
	out = append(out, groups[:i]...)
	return append(out, groups[i+1:]...)
}

// process fetches every group t still needs. It returns t's children when
// an answer reached the cap and t could be split; otherwise it sends t's
// merged rows on e.out and returns nil.
func (e *engine[T]) process(t *task) []*task {
	m := t.have
	if m == nil {
		m = newMerger()
	}
	order := e.order(t.groups)
	var trunc []Slice
	for i, g := range order {
		rows, err := e.fetch(t, g)
		if err != nil {
			e.fail(err)
			return nil
		}
		if len(rows) >= e.cfg.maxElements {
			e.capped.Add(1)
			if kids, ok := e.children(t, rows, order, i, m); ok {
				if i > 0 {
					// This group has more rows than the ones before it:
					// fetch it first from now on, so that it is the one
					// whose answers size the slices.
					e.mu.Lock()
					e.lead = g
					e.mu.Unlock()
				}
				return kids
			}
			e.truncated.Add(1)
			trunc = append(trunc, e.slice(t, g, len(rows)))
		}
		for _, r := range rows {
			m.add(r)
		}
	}
	sorted := m.sorted()
	out := make([]T, 0, len(sorted))
	for _, r := range sorted {
		v, err := e.conv(r)
		if err != nil {
			e.fail(err)
			return nil
		}
		out = append(out, v)
	}
	e.slices.Add(1)
	if e.ordered {
		e.waitTurn(t)
	}
	select {
	case e.out <- batch[T]{path: t.path, rows: out, trunc: trunc}:
	case <-e.ctx.Done():
	}
	return nil
}

// fetch asks for group g of slice t and returns its rows.
func (e *engine[T]) fetch(t *task, g int) ([]*row, error) {
	if err := e.ctx.Err(); err != nil {
		return nil, err
	}
	e.requests.Add(1)
	res, err := restli.FinderAs[element](e.ctx, e.c, restli.FinderRequest{
		ResourcePath: "/adAnalytics",
		FinderName:   string(e.q.Finder),
		QueryParams:  e.q.params(t.start, t.end, t.facets, e.groups[g]),
		Version:      e.cfg.version,
	})
	if err != nil {
		return nil, fmt.Errorf("adanalytics: %s: %w", e.describe(t, g), err)
	}
	rows := make([]*row, len(res.Elements))
	for i := range res.Elements {
		rows[i] = rowOf(&res.Elements[i])
	}
	return rows, nil
}

// describe names a request for an error message: its days, its facet
// split and its metric group.
func (e *engine[T]) describe(t *task, g int) string {
	s := "report slice " + DateRange{t.start, t.end}.String()
	if t.split != "" {
		s += fmt.Sprintf(", %d of the %s", len(t.facets[t.split]), t.split)
	}
	return s + fmt.Sprintf(", metric group %d of %d", g+1, len(e.groups))
}

// slice describes slice t and group g for a TruncatedError.
func (e *engine[T]) slice(t *task, g, n int) Slice {
	s := Slice{DateRange: DateRange{t.start, t.end}, Metrics: slices.Clone(e.groups[g]), Elements: n}
	if t.split != "" {
		s.Facet, s.Values = t.split, slices.Clone(t.facets[t.split])
	}
	return s
}

// convFor returns the conversion of merged rows into T: straight into a
// Row, or through JSON in LinkedIn's shape for any other type.
func convFor[T any]() func(*row) (T, error) {
	var zero T
	if _, ok := any(zero).(Row); ok {
		return func(r *row) (T, error) { return any(rowFrom(r)).(T), nil }
	}
	return func(r *row) (T, error) {
		var v T
		if err := json.Unmarshal(r.json(), &v); err != nil {
			return v, fmt.Errorf("adanalytics: decoding a row into %T: %w", v, err)
		}
		return v, nil
	}
}
