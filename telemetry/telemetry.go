// Package telemetry instruments LinkedIn calls with OpenTelemetry.
package telemetry

// STUB: the telemetry helper replaces this file.

import (
	"net/http"

	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// Options configures Call and Attempt. The zero value uses the global providers.
type Options struct {
	TracerProvider trace.TracerProvider
	MeterProvider  metric.MeterProvider
	Propagators    propagation.TextMapPropagator
}

// Call returns the outermost layer: one span per logical call.
func Call(opts Options) func(http.RoundTripper) http.RoundTripper {
	return func(next http.RoundTripper) http.RoundTripper { return next }
}

// Attempt returns the per-attempt layer: one CLIENT span per wire attempt.
func Attempt(opts Options) func(http.RoundTripper) http.RoundTripper {
	return func(next http.RoundTripper) http.RoundTripper { return next }
}
