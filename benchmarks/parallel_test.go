package benchmarks

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// parallelSlice is the number of calls each client makes in one turn of
// BenchmarkFinderParallelInterleaved: some tens of milliseconds of 64
// goroutines' calls here, short enough that many turns alternate within a
// second and long enough that handing the turn over is noise.
const parallelSlice = 1024

// BenchmarkFinderParallelInterleaved is BenchmarkFinderParallel at 64
// goroutines with the clients taking turns: one op is parallelSlice calls
// from 64 goroutines with each client in turn, the first client rotating
// from op to op. A machine shared with other work (a cloud VM, a laptop)
// changes speed by tens of percent from one second to the next, so runs one
// after another can rank two clients either way; in turns, every client
// sees the same seconds, and their ratios hold still. Each client keeps its
// own 64 goroutines for the whole benchmark, as in BenchmarkFinderParallel.
// It reports each client's calls per second of its own turns and the full
// stack's share of restli.Client over bare net/http.
func BenchmarkFinderParallelInterleaved(b *testing.B) {
	const g = 64
	env := newFinderEnv(b)
	warmup := envInt(b, envWarmup, 200)
	ctx, cancel := context.WithTimeout(env.ctx, env.maxRun)
	defer cancel()
	pools := make([]*callPool, len(env.clients))
	for k, c := range env.clients {
		env.warm(b, c, warmup)
		pools[k] = newCallPool(ctx, g, c.call)
		defer pools[k].stop()
	}
	spent := make([]time.Duration, len(env.clients))
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		for j := range env.clients {
			k := (i + j) % len(env.clients)
			took, err := pools[k].run(parallelSlice)
			if err != nil {
				b.Fatalf("%s: %v", env.clients[k].name, err)
			}
			spent[k] += took
		}
	}
	b.StopTimer()
	reqs := map[string]float64{}
	for k, c := range env.clients {
		reqs[c.name] = float64(b.N*parallelSlice) / spent[k].Seconds()
		b.ReportMetric(reqs[c.name], c.name+"-req/s")
	}
	b.ReportMetric(100*reqs["stack-noop"]/reqs["restli"], "stack-noop-vs-restli-%")
}

// callPool is g goroutines that make calls of one client when told to, and
// otherwise wait: their stacks and the client's state stay warm between
// turns, as a server's request goroutines do. The goroutines take calls
// from a shared count, so the work is split evenly whatever each call
// costs.
type callPool struct {
	ctx   context.Context
	call  func(context.Context) error
	start []chan int // one per goroutine: how many calls the turn has in all
	wg    sync.WaitGroup
	done  sync.WaitGroup

	next     atomic.Int64
	n        int64
	errOnce  sync.Once
	firstErr error
}

func newCallPool(ctx context.Context, g int, call func(context.Context) error) *callPool {
	p := &callPool{ctx: ctx, call: call, start: make([]chan int, g)}
	for i := range p.start {
		ch := make(chan int)
		p.start[i] = ch
		p.wg.Go(func() {
			// A context per goroutine: the contexts net/http derives per
			// request register with their nearest cancellable parent under
			// its mutex, and one parent shared by 64 goroutines would be a
			// lock of the harness's own on the hot path.
			ctx, cancel := context.WithCancel(ctx)
			defer cancel()
			for range ch {
				for p.next.Add(1) <= p.n {
					if err := p.call(ctx); err != nil {
						p.errOnce.Do(func() { p.firstErr = err })
						p.next.Store(p.n) // the other goroutines stop too
						break
					}
				}
				p.done.Done()
			}
		})
	}
	return p
}

// run makes n calls from the pool's goroutines and returns the time they
// took and the first error of the pool so far.
func (p *callPool) run(n int) (time.Duration, error) {
	p.next.Store(0)
	p.n = int64(n)
	p.done.Add(len(p.start))
	start := time.Now()
	for _, ch := range p.start {
		select {
		case ch <- n:
		case <-p.ctx.Done():
			p.done.Add(-1)
		}
	}
	p.done.Wait()
	took := time.Since(start)
	switch {
	case p.firstErr == nil && p.ctx.Err() != nil:
		return took, p.ctx.Err()
	case errors.Is(p.firstErr, context.Canceled):
		return took, fmt.Errorf("cancelled: %w", p.firstErr)
	}
	return took, p.firstErr
}

// stop ends the pool's goroutines and waits for them.
func (p *callPool) stop() {
	for _, ch := range p.start {
		close(ch)
	}
	p.wg.Wait()
}
