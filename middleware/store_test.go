package middleware_test

import (
	"sync"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/middleware/storetest"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Now()} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestMemoryQuotaStore_Conformance(t *testing.T) {
	storetest.QuotaStore(t, func(t *testing.T) (middleware.QuotaStore, func(time.Duration)) {
		c := newFakeClock()
		return middleware.NewMemoryQuotaStore(c.Now), c.Advance
	})
}

func TestMemoryBreakerStore_Conformance(t *testing.T) {
	storetest.BreakerStore(t, func(t *testing.T) (middleware.BreakerStore, func(time.Duration)) {
		c := newFakeClock()
		return middleware.NewMemoryBreakerStore(c.Now), c.Advance
	})
}
