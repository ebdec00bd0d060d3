package transport

import (
	"log/slog"
	"net/http"
	"time"

	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/telemetry"
)

// Option configures NewClient, NewTransport, Wrap and Layers. Options apply
// in order: when two set the same thing, the later one wins (WithRetry after
// WithoutRetry turns retries back on). Options that add layers
// (WithPerCall, WithPerAttempt) accumulate instead.
type Option func(*config)

// config is what the options build; the zero value is not the default, see
// defaultConfig.
type config struct {
	base      http.RoundTripper
	version   string
	userAgent string

	tokenSource oauth2.TokenSource
	tokenHosts  []string

	retry     middleware.RetryOptions
	noRetry   bool
	breaker   middleware.BreakerOptions
	noBreaker bool
	tunnel    middleware.TunnelOptions
	limiter   *rate.Limiter
	quota     *middleware.QuotaOptions
	stores    Stores

	members *memberTokens

	logger  *slog.Logger
	logOpts middleware.LoggingOptions

	perCall, perAttempt []Middleware

	telemetry   telemetry.Options
	noTelemetry bool

	versionWarnMonths int              // WithVersionWarning
	versionClock      func() time.Time // WithVersionWarning
	versionWarnSet    bool
}

func newConfig(opts []Option) *config {
	c := &config{}
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	return c
}

// WithBase sets the RoundTripper at the bottom of the stack, the one that
// does the I/O. With NewClient the default is a new NewBaseTransport; with
// Wrap it is the wrapped client's Transport. A nil rt restores the default.
func WithBase(rt http.RoundTripper) Option {
	return func(c *config) { c.base = rt }
}

// WithVersion sets the LinkedIn-Version (such as "202601") on requests that
// carry none. A version set on the call (the request's Version field) or on
// the restli.Client (restli.WithVersion) is already in the header and wins.
// An empty v sets nothing.
func WithVersion(v string) Option {
	return func(c *config) { c.version = v }
}

// WithUserAgent puts s in front of the module's own "linkedin-go/<version>"
// token in the User-Agent of requests that carry none.
func WithUserAgent(s string) Option {
	return func(c *config) { c.userAgent = s }
}

// WithTokenSource adds the oauth layer (oauth.Middleware), which attaches
// "Authorization: Bearer <token>" from ts to every attempt that has no
// Authorization header yet, refreshes once and replays once on a 401, and
// only ever sends the token to the allowed hosts (see WithTokenHosts). A nil
// ts removes the layer.
func WithTokenSource(ts oauth2.TokenSource) Option {
	return func(c *config) { c.tokenSource, c.members = ts, nil }
}

// WithTokenHosts sets the hosts ("host" or "host:port") the oauth layer may
// send the token to, replacing any earlier list; it is passed to the layer
// as oauth.MiddlewareOptions.AllowHosts. Without it, the oauth layer's default
// applies (api.linkedin.com over https). The same list bounds where a
// credential set per call (a request's AccessToken, an Authorization
// header) may go, with or without WithTokenSource (see oauth.Guard):
// without the list, such a credential goes to any host over https (or to
// a loopback host over http), and a redirect to another scheme, host or
// port drops it.
func WithTokenHosts(hosts ...string) Option {
	hosts = append([]string(nil), hosts...)
	return func(c *config) { c.tokenHosts = hosts }
}

// WithRetry turns the retry layer on (it is on by default) with opts.
func WithRetry(opts middleware.RetryOptions) Option {
	return func(c *config) { c.retry, c.noRetry = opts, false }
}

// WithoutRetry removes the retry layer: every call is sent once.
func WithoutRetry() Option {
	return func(c *config) { c.noRetry = true }
}

// WithCircuitBreaker turns the circuit breaker on (it is on by default)
// with opts.
func WithCircuitBreaker(opts middleware.BreakerOptions) Option {
	return func(c *config) { c.breaker, c.noBreaker = opts, false }
}

// WithoutCircuitBreaker removes the circuit breaker layer.
func WithoutCircuitBreaker() Option {
	return func(c *config) { c.noBreaker = true }
}

// WithTunnel configures the query tunnel layer, which is always present.
func WithTunnel(opts middleware.TunnelOptions) Option {
	return func(c *config) { c.tunnel = opts }
}

// WithRateLimit adds a client-side rate limiter below retry: every attempt
// waits for one token. A nil limiter removes the layer.
func WithRateLimit(l *rate.Limiter) Option {
	return func(c *config) { c.limiter = l }
}

// WithLogger adds the logging layer with the default LoggingOptions: one
// line per wire attempt, at Info, with values redacted except an
// allow-list. A nil logger removes the layer.
func WithLogger(l *slog.Logger) Option {
	return WithLogging(l, middleware.LoggingOptions{})
}

// WithLogging adds the logging layer with opts. A nil logger removes it.
func WithLogging(l *slog.Logger, opts middleware.LoggingOptions) Option {
	return func(c *config) { c.logger, c.logOpts = l, opts }
}

// WithPerCall adds layers above retry, after the call span: they run once
// per logical call, however many attempts it takes, and see its final
// outcome. Repeated use appends, in order.
func WithPerCall(layers ...Middleware) Option {
	layers = append([]Middleware(nil), layers...)
	return func(c *config) { c.perCall = append(c.perCall, layers...) }
}

// WithPerAttempt adds layers below retry and the oauth layer, above the
// circuit breaker: they run once per attempt, with the attempt's token
// already attached, and see the logical (not yet tunneled) request. Repeated
// use appends, in order.
func WithPerAttempt(layers ...Middleware) Option {
	layers = append([]Middleware(nil), layers...)
	return func(c *config) { c.perAttempt = append(c.perAttempt, layers...) }
}

// WithTelemetry turns the two telemetry layers on (they are on by default)
// with opts, replacing the telemetry options set so far.
func WithTelemetry(opts telemetry.Options) Option {
	return func(c *config) { c.telemetry, c.noTelemetry = opts, false }
}

// WithTracerProvider sets the tracer provider of the telemetry layers
// (default: the global one) and turns them on.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) { c.telemetry.TracerProvider, c.noTelemetry = tp, false }
}

// WithMeterProvider sets the meter provider of the telemetry layers
// (default: the global one) and turns them on.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(c *config) { c.telemetry.MeterProvider, c.noTelemetry = mp, false }
}

// WithPropagators sets the propagator that injects trace context into
// request headers (default: the global one) and turns telemetry on.
func WithPropagators(p propagation.TextMapPropagator) Option {
	return func(c *config) { c.telemetry.Propagators, c.noTelemetry = p, false }
}

// WithoutTelemetry removes both telemetry layers.
func WithoutTelemetry() Option {
	return func(c *config) { c.noTelemetry = true }
}
