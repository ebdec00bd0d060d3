package tokenstoretest_test

import (
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/oauth"
	"github.com/linkedin-go/linkedin/oauth/tokenstoretest"
)

// The in-process store passes the suite, with the default clock and with
// a clock of its own (leases expire on the store's clock).
func TestRun_MemoryTokenStore(t *testing.T) {
	tokenstoretest.Run(t, func(*testing.T) oauth.MemberTokenStore { return oauth.NewMemoryTokenStore() })
	tokenstoretest.Run(t, func(*testing.T) oauth.MemberTokenStore {
		return &oauth.MemoryTokenStore{Now: func() time.Time { return time.Now().Add(time.Hour) }}
	})
}
