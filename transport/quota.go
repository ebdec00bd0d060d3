// This file adds the quota layer (middleware.Quota) to the default stack:
// a rate and daily budget per attempt, on the shared quota store when
// WithStores gives one.

package transport

import (
	"net/http"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/oauth"
)

// WithQuota adds the quota layer (middleware.Quota) at the rate limit's
// place, below retry: every attempt takes one step on its QuotaStore (the
// DAY-quota marks, opts.DailyLimit, opts.Rate) before it is sent. Its store
// defaults to the Quota store of WithStores (shared by every replica that
// uses the same store), else an in-process one; its Member defaults to the
// member of the call's context (oauth.WithMember). WithRateLimit, when also
// given, takes the place instead.
func WithQuota(opts middleware.QuotaOptions) Option {
	return func(c *config) { c.quota = &opts }
}

// quotaOptions resolves the quota layer's store and member.
func (c *config) quotaOptions() middleware.QuotaOptions {
	o := *c.quota
	if o.Store == nil {
		o.Store = c.stores.Quota
	}
	if o.Member == nil {
		o.Member = memberOf
	}
	return o
}

// memberOf names the member of req's call (oauth.WithMember), or "".
func memberOf(req *http.Request) string {
	m, _ := oauth.MemberFromContext(req.Context())
	return m
}
