package transport

import (
	"net/http"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/oauth"
	"github.com/linkedin-go/linkedin/telemetry"
)

// The names Layers reports, one per layer of the default stack, in the
// order the layers run (outermost first). They are stable.
const (
	LayerTelemetryCall    = "telemetry.call"
	LayerPerCall          = "per-call"
	LayerRetry            = "retry"
	LayerRateLimit        = "ratelimit"
	LayerOAuth            = "oauth"
	LayerPerAttempt       = "per-attempt"
	LayerBreaker          = "breaker"
	LayerTunnel           = "tunnel"
	LayerTelemetryAttempt = "telemetry.attempt"
	LayerLogging          = "logging"
	LayerHeaders          = "headers"
)

// namedLayer is a layer of the default stack with its name.
type namedLayer struct {
	name string
	mw   Middleware
}

// stack returns the layers the configuration selects, outermost first. It
// is the single source of both the pipeline and Layers.
func (c *config) stack() []namedLayer {
	s := make([]namedLayer, 0, 11+len(c.perCall)+len(c.perAttempt))
	add := func(name string, mw Middleware) { s = append(s, namedLayer{name, mw}) }
	if !c.noTelemetry {
		add(LayerTelemetryCall, telemetry.Call(c.callTelemetryOptions()))
	}
	for _, mw := range c.perCall {
		if mw != nil {
			add(LayerPerCall, mw)
		}
	}
	if !c.noRetry {
		retry := c.retry
		if retry.Quota == nil {
			retry.Quota = c.stores.Quota
		}
		if retry.QuotaMember == nil && c.members != nil {
			retry.QuotaMember = memberOf
		}
		add(LayerRetry, middleware.Retry(retry))
	}
	if c.limiter != nil {
		add(LayerRateLimit, middleware.RateLimit(c.limiter))
	} else if c.quota != nil {
		add(LayerRateLimit, middleware.Quota(c.quotaOptions()))
	}
	if ts := c.tokens(); ts != nil {
		opts := oauth.MiddlewareOptions{AllowHosts: c.tokenHosts}
		if len(c.perAttempt) == 0 && c.logger == nil {
			// The token layer copies each request it sets a token on. With
			// no layer between it and the header layer that could look at
			// the headers (per-attempt layers, logging), the Rest.li
			// headers go into that copy too, and the header layer finds
			// nothing to add: one copy instead of two.
			opts.Header = middleware.AddHeaders(c.headerOptions())
		}
		add(LayerOAuth, oauth.Middleware(ts, opts))
	}
	for _, mw := range c.perAttempt {
		if mw != nil {
			add(LayerPerAttempt, mw)
		}
	}
	if !c.noBreaker {
		breaker := c.breaker
		if breaker.Store == nil {
			breaker.Store = c.stores.Breaker
		}
		add(LayerBreaker, middleware.CircuitBreaker(breaker))
	}
	add(LayerTunnel, middleware.QueryTunnel(c.tunnel))
	if !c.noTelemetry {
		add(LayerTelemetryAttempt, telemetry.Attempt(c.telemetry))
	}
	if c.logger != nil {
		add(LayerLogging, middleware.Logging(c.logger, c.loggingOptions()))
	}
	add(LayerHeaders, c.headers())
	return s
}

// headers is the innermost layer: the three header layers as one, over
// the credential guard (oauth.Guard), which applies the token hosts (or,
// without any, the https-only rule and same-origin redirects) to every
// Authorization header a request carries, whichever layer or caller set it.
func (c *config) headers() Middleware {
	hdr := middleware.Headers(c.headerOptions())
	guard := oauth.Guard(oauth.MiddlewareOptions{AllowHosts: c.tokenHosts})
	return func(next http.RoundTripper) http.RoundTripper { return hdr(guard(next)) }
}

// headerOptions configures the header layers. The token hosts are API
// hosts: requests for them count as Rest.li requests for the protocol and
// version headers too.
func (c *config) headerOptions() middleware.HeaderOptions {
	return middleware.HeaderOptions{Version: c.version, UserAgent: c.userAgent, APIHosts: c.tokenHosts}
}

// transport builds the pipeline over base.
func (c *config) transport(base http.RoundTripper) http.RoundTripper {
	s := c.stack()
	layers := make([]Middleware, len(s))
	for i, l := range s {
		layers[i] = l.mw
	}
	return Chain(base, layers...)
}

// Layers returns the names of the layers that NewClient, NewTransport or
// Wrap would assemble with opts, outermost first, using the Layer…
// constants: each WithPerCall and WithPerAttempt layer appears once under
// its point's name, and "headers" stands for the header layers together.
// The base transport is not listed.
func Layers(opts ...Option) []string {
	s := newConfig(opts).stack()
	names := make([]string, len(s))
	for i, l := range s {
		names[i] = l.name
	}
	return names
}

// NewTransport returns the default LinkedIn stack (see the package
// documentation) as an http.RoundTripper, over WithBase's RoundTripper or a
// new NewBaseTransport.
func NewTransport(opts ...Option) http.RoundTripper {
	c := newConfig(opts)
	base := c.base
	if base == nil {
		base = NewBaseTransport()
	}
	return c.transport(base)
}

// NewClient returns an *http.Client whose Transport is the default LinkedIn
// stack (see the package documentation). It sets no Timeout: bound calls
// with contexts, or set Timeout on the returned client.
func NewClient(opts ...Option) *http.Client {
	return &http.Client{Transport: NewTransport(opts...)}
}

// Wrap returns a new *http.Client that sends through the default LinkedIn
// stack on top of c's Transport (or the RoundTripper given by WithBase; a
// nil Transport means a new NewBaseTransport) and keeps c's Timeout, Jar and
// CheckRedirect. c itself is not modified and keeps working as before. A nil
// c is the same as NewClient. Wrapping a client that Wrap returned stacks
// the layers twice.
func Wrap(c *http.Client, opts ...Option) *http.Client {
	if c == nil {
		return NewClient(opts...)
	}
	cfg := newConfig(opts)
	base := cfg.base
	if base == nil {
		base = c.Transport
	}
	if base == nil {
		base = NewBaseTransport()
	}
	cp := *c
	cp.Transport = cfg.transport(base)
	return &cp
}
