// Package telemetry instruments LinkedIn Rest.li calls with OpenTelemetry.
//
// It provides two http.RoundTripper layers. Package transport puts both in
// its default stack:
//
//   - Call is the outermost layer. It starts one INTERNAL span per logical
//     call, named after the Rest.li method and the resource template
//     ("FINDER /adAccounts"), and records the linkedin.client.* metrics. The
//     retry and circuit-breaker layers below it add their "retry" and
//     "circuit_breaker.rejected" events to that span through
//     trace.SpanFromContext, without importing this package.
//   - Attempt sits below the retry layer and the query tunnel and wraps
//     otelhttp: one CLIENT span per wire attempt, named by the HTTP semantic
//     conventions ("GET /adAccounts"), with http.request.resend_count,
//     url.template and a url.full whose query values are all redacted. It
//     alone records http.client.request.duration and injects the trace
//     context into the request headers.
//
// Neither layer ever records a query value, a header value (Authorization in
// particular) or a resource key outside url.full's path: span names and
// metric attributes use resource templates only.
//
// # Cost
//
// This is the one statement of what the layers cost; README points here.
// When nothing records, both layers step aside: with the providers of the
// otel noop packages, and with the global providers before an SDK is
// installed (the zero Options), they add no allocation to a call and well
// under a microsecond (BenchmarkLayers: none, noop and global-unset report
// the same allocs/op; TestLayers_NoopProvidersAddNoAllocation pins it).
// With an SDK sampling every call, expect a few microseconds per call, most
// of it in the SDK and otelhttp; calls in unsampled traces skip the attempt
// span.
package telemetry
