// conformance_test.go: middleware/storetest, the conformance suites of the
// quota and breaker stores, on miniredis and on a real redis-server, and
// the quota suite on the in-process fallback.

package redisstore

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/middleware/storetest"
)

func TestConformance_QuotaStore(t *testing.T) {
	eachBackend(t, func(t *testing.T, b *backend) {
		var n atomic.Int64
		storetest.QuotaStore(t, func(t *testing.T) (middleware.QuotaStore, func(time.Duration)) {
			s, adv := conformanceStore(t, b, &n)
			return s.Quota(), adv
		})
	})
}

func TestConformance_BreakerStore(t *testing.T) {
	redisBackends(t, func(t *testing.T, b *backend) {
		var n atomic.Int64
		storetest.BreakerStore(t, func(t *testing.T) (middleware.BreakerStore, func(time.Duration)) {
			s, adv := conformanceStore(t, b, &n)
			return s.Breaker(), adv
		})
	})
}
