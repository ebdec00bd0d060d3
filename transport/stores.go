// This file wires the layers' state stores into the default stack: one
// option that gives retry's daily-quota memory, the quota layer, the
// circuit breaker state and the member tokens a store that many replicas
// can share.

package transport

import (
	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/oauth"
)

// Stores are the state stores of the default stack's layers. A nil field
// keeps that layer's in-process state, so a zero Stores changes nothing.
// Implementations on a shared database (many replicas, one LinkedIn quota)
// live in transport's sub-packages; any implementation must pass the
// middleware/storetest conformance tests.
type Stores struct {
	// Quota holds the daily-quota marks ("resource R on host H is out of
	// its DAY quota until T") the retry layer sets and honours, and the
	// rate and daily-budget state of a Quota layer the caller adds with the
	// same store.
	Quota middleware.QuotaStore
	// Breaker holds the circuit breaker's "host open until T" and its
	// single half-open probe.
	Breaker middleware.BreakerStore
	// Tokens holds member tokens for the many-member token source that
	// WithMemberTokens adds, so that each member's token is refreshed once
	// for every replica.
	Tokens oauth.MemberTokenStore
}

// WithStores gives the layers of the default stack the stores in s. A
// store set on the layer's own options (RetryOptions.Quota,
// QuotaOptions.Store, BreakerOptions.Store, MemberOptions.Store) wins over
// it. transport/redisstore's Store.Stores returns all three on Redis.
func WithStores(s Stores) Option {
	return func(c *config) { c.stores = s }
}
