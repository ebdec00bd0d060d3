// Package transport assembles the LinkedIn client's http.RoundTripper layers
// into a pipeline: the Middleware type, Chain, and the default stack that
// NewClient builds and Wrap puts under an existing *http.Client.
//
// # The default stack
//
// A request passes through these layers, outermost first; the names are
// the ones Layers returns:
//
//	telemetry.call     one span and the operation metrics per logical call   (package telemetry)
//	per-call           your WithPerCall layers: once per call                 (yours)
//	retry              attempts, jittered backoff, capped Retry-After        (middleware.Retry)
//	ratelimit          client-side smoothing and daily budget, per attempt   (middleware.RateLimit or .Quota: WithRateLimit, WithQuota)
//	oauth              a bearer token per attempt, refresh and replay on 401 (oauth.Middleware: WithTokenSource, WithMemberTokens)
//	per-attempt        your WithPerAttempt layers: once per attempt          (yours)
//	breaker            fails fast while the host is unhealthy                (middleware.CircuitBreaker)
//	tunnel             over-long query → POST + X-HTTP-Method-Override       (middleware.QueryTunnel)
//	telemetry.attempt  one CLIENT span per wire attempt                      (package telemetry)
//	logging            one log line per wire attempt                         (middleware.Logging, WithLogger)
//	headers            X-RestLi-Protocol-Version, LinkedIn-Version (Rest.li requests only), User-Agent where absent
//	(base)             the RoundTripper that does the I/O: NewBaseTransport, WithBase, or the wrapped client's
//
// Layers that are switched off (WithoutRetry, WithoutCircuitBreaker,
// WithoutTelemetry) or not configured (ratelimit, oauth, logging, per-call,
// per-attempt) are left out, not replaced by a pass-through.
//
// Why this order, each pair outer → inner:
//
//   - The call span is outside retry, so it covers the whole call, while
//     the per-attempt CLIENT spans sit where the wire attempts are.
//   - Per-call layers are above retry, so they run once per call, see the
//     final outcome and can, say, put a deadline on the whole call.
//   - Retry is outside the rate limiter and oauth, so every attempt waits
//     for its own token of the rate budget and asks for an access token
//     again: one that expired during a backoff is replaced. A 401 is left to
//     the oauth layer, which refreshes once and replays once.
//   - Oauth is outside the breaker, so failures of the token endpoint do not
//     count against the API host's health. Per-attempt layers sit between
//     them, after the token is attached and before the breaker's count.
//   - The breaker is inside retry, so it counts every attempt, and once it
//     opens the remaining attempts stop at once.
//   - The tunnel is below retry and the breaker, so those see the logical
//     request (a GET stays idempotent), and above the attempt span, the log
//     line and the base, which see what really goes over the wire.
//   - Logging is per wire attempt, below the breaker: a rejection by the
//     breaker sends nothing and is recorded by telemetry, not logged as an
//     attempt. It is inside the attempt span, so a handler that correlates
//     logs with traces sees the attempt's span, and above the header layers,
//     which stay innermost: the fixed headers they add (protocol version,
//     user agent, default version) are configuration, not news on each line.
//   - The header layers are innermost, so every attempt, replay and
//     tunneled rewrite carries them. They only fill headers that are absent:
//     a value the call sets itself wins. When nothing sits between the
//     token layer and them (no WithPerAttempt layer, no logging), the token
//     layer, which copies each request it sets a token on anyway, puts
//     their headers into that copy (middleware.AddHeaders), and they find
//     nothing left to add: a request is copied once, not twice. What goes
//     on the wire is the same either way.
//
// # Extending the stack
//
// WithPerCall and WithPerAttempt insert your own layers at the two named
// points. Chain builds any other pipeline from the exported layers of
// package middleware, oauth and telemetry; every layer has the same type,
// Middleware, and obeys the same contract: it never mutates the caller's
// request, always closes the request body, honours the request's context,
// returns a response for any HTTP status, and is safe for concurrent use.
package transport
