// conformance_tokens_test.go: oauth/tokenstoretest, the member-token
// store's conformance suite, on miniredis and on a real redis-server.

package redisstore

import (
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/oauth"
	"github.com/linkedin-go/linkedin/oauth/tokenstoretest"
)

// conformanceStore returns a new Store on b with a key prefix of its own,
// and, when b's clock can be moved, a function that moves it forward.
func conformanceStore(t *testing.T, b *backend, n *atomic.Int64) (*Store, func(time.Duration)) {
	s := b.newStore(t, Options{Prefix: "conf" + strconv.FormatInt(n.Add(1), 10) + ":", Cache: -1})
	if b.setTime == nil {
		return s, nil
	}
	b.setTime(time.Time{}) // back to the wall clock, whatever earlier subtests did
	now := time.Now()
	return s, func(d time.Duration) {
		now = now.Add(d)
		b.setTime(now)
	}
}

func TestConformance_MemberTokenStore(t *testing.T) {
	redisBackends(t, func(t *testing.T, b *backend) {
		var n atomic.Int64
		tokenstoretest.Run(t, func(t *testing.T) oauth.MemberTokenStore {
			s, _ := conformanceStore(t, b, &n)
			return s.Tokens()
		})
	})
}
