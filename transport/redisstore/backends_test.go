// backends_test.go: the stores every conformance test runs against: the
// in-process fallback alone, miniredis, and real redis-server processes.

package redisstore

import (
	"bytes"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/transport/redisstore/internal/redistest"
)

// backend makes Stores on one server (or none, for "inprocess").
type backend struct {
	name string
	srv  *redistest.Server // nil for inprocess
	// shared: two Stores of the backend share state.
	shared bool
	// setTime moves the clock of the server and of the Stores' fallback;
	// nil when the clock cannot be controlled.
	setTime func(time.Time)
	clock   *testClock
}

// testClock is a settable clock (the wall clock until set).
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.t.IsZero() {
		return time.Now()
	}
	return c.t
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// newStore returns a Store on the backend with a quiet logger.
func (b *backend) newStore(t testing.TB, opts Options) *Store {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil))
	}
	if opts.Timeout == 0 {
		// The machine is shared and -race is slow: a Redis answer later
		// than the default 100ms would fall back and make the result
		// depend on timing.
		opts.Timeout = 5 * time.Second
	}
	if opts.Now == nil {
		opts.Now = b.clock.Now
	}
	if b.srv == nil {
		return New(nil, opts)
	}
	return New(b.srv.Client(t), opts)
}

// backends returns the in-process backend, miniredis and (when installed or
// required) a real redis-server on a unix socket.
func backends(t *testing.T) []*backend {
	t.Helper()
	ip := &backend{name: "inprocess", clock: &testClock{}}
	ip.setTime = ip.clock.Set
	out := []*backend{ip}
	for _, srv := range redistest.All(t) {
		b := &backend{name: srv.Kind, srv: srv, shared: true, clock: &testClock{}}
		if srv.Mini != nil {
			m, c := srv.Mini, b.clock
			b.setTime = func(tm time.Time) { m.SetTime(tm); c.Set(tm) }
		}
		out = append(out, b)
	}
	return out
}

// eachBackend runs f as a subtest per backend.
func eachBackend(t *testing.T, f func(t *testing.T, b *backend)) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) { f(t, b) })
	}
}
