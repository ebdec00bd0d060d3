// This file adds a many-member token source to the default stack, with
// its tokens in the Tokens store of WithStores.

package transport

import (
	"sync"

	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/oauth"
)

// memberTokens is WithMemberTokens's configuration and, once built, its
// source (one per configuration, shared by every stack built from it).
type memberTokens struct {
	cfg    oauth.Config
	opts   oauth.MemberOptions
	tsOpts []oauth.TokenSourceOption

	once sync.Once
	src  *oauth.MemberTokenSource
}

// WithMemberTokens makes the oauth layer use cfg.MemberTokenSource(opts,
// tsOpts...) (so oauth.OnTokenChange and oauth.EarlyExpiry work as with any
// token source):
// each call's token is the token of the member its context names
// (oauth.WithMember), refreshed once per member, with its 401 handling.
// The source keeps tokens in opts.Store, else in the Tokens store of
// WithStores (shared by every replica: one refresh per member for the whole
// fleet), else in memory. The retry and quota layers then count DAY quotas
// per member of the context. It replaces WithTokenSource.
func WithMemberTokens(cfg oauth.Config, opts oauth.MemberOptions, tsOpts ...oauth.TokenSourceOption) Option {
	m := &memberTokens{cfg: cfg, opts: opts, tsOpts: append([]oauth.TokenSourceOption(nil), tsOpts...)}
	return func(c *config) { c.members, c.tokenSource = m, nil }
}

// tokens returns the token source of the oauth layer, or nil.
func (c *config) tokens() oauth2.TokenSource {
	if c.members == nil {
		if c.tokenSource == nil {
			return nil
		}
		return c.tokenSource
	}
	m := c.members
	m.once.Do(func() {
		o := m.opts
		if o.Store == nil {
			o.Store = c.stores.Tokens
		}
		m.src = m.cfg.MemberTokenSource(o, m.tsOpts...)
	})
	return m.src
}
