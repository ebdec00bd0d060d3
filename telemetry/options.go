package telemetry

import (
	"net/http"
	"reflect"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"
)

// ScopeName is the instrumentation scope of the tracer and meter that Call
// uses. Attempt's spans and http.client.request.duration come from otelhttp
// and carry its scope, go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp.
const ScopeName = "github.com/linkedin-go/linkedin/telemetry"

// Options configures Call and Attempt. The zero value uses the global
// providers and propagator.
//
// Give both layers the same Options: Attempt follows the sampling decision
// of the call span it finds in the request context, so the two layers are
// meant to share one TracerProvider.
type Options struct {
	// TracerProvider creates the spans. Nil means otel.GetTracerProvider(),
	// read when the layer is built; the global provider forwards to an SDK
	// installed later with otel.SetTracerProvider.
	TracerProvider trace.TracerProvider

	// MeterProvider creates the instruments. Nil means
	// otel.GetMeterProvider(), read when the layer is built (it too
	// forwards to a provider installed later).
	MeterProvider metric.MeterProvider

	// Propagators injects the trace context into the headers of every wire
	// attempt (Attempt only; Call sends nothing itself). Nil means
	// otel.GetTextMapPropagator(), OpenTelemetry's global propagator, which
	// injects nothing until the application sets one (for example
	// otel.SetTextMapPropagator(propagation.TraceContext{}) for W3C
	// traceparent): like otelhttp, the layer does not decide on its own to
	// send trace identifiers to a third party.
	Propagators propagation.TextMapPropagator

	// Attributes, when set, returns extra attributes for a request. Call
	// calls it once per logical call with the caller's request, Attempt once
	// per wire attempt with the request as it goes on the wire (after query
	// tunneling). The attributes go on the layer's span and on its metrics
	// (linkedin.client.* for Call, http.client.request.duration for
	// Attempt), so they must have low cardinality and must not hold secrets
	// or identifiers: a tenant name or an application id, never a URL, a
	// query value, a header value or a resource key. It is not called when
	// neither traces nor metrics are recorded.
	Attributes func(*http.Request) []attribute.KeyValue

	// Version is the LinkedIn-Version the header layer adds to requests
	// that carry none (package transport sets it from WithVersion), so that
	// Call can mark the calls that take it.
	Version string
	// VersionWarnMonths is how old a call's LinkedIn-Version must be, in
	// months after its release, for Call to mark its span with
	// linkedin.version.sunset_warning=true and linkedin.version.age_months:
	// LinkedIn sunsets a version about a year after its release. Zero means
	// restli.DefaultVersionWarnMonths (10); negative turns the marks off.
	VersionWarnMonths int
	// Clock is the clock the version's age is measured by (nil: time.Now).
	Clock func() time.Time
}

func (o Options) tracerProvider() trace.TracerProvider {
	if o.TracerProvider != nil {
		return o.TracerProvider
	}
	return otel.GetTracerProvider()
}

func (o Options) meterProvider() metric.MeterProvider {
	if o.MeterProvider != nil {
		return o.MeterProvider
	}
	return otel.GetMeterProvider()
}

func (o Options) propagators() propagation.TextMapPropagator {
	if o.Propagators != nil {
		return o.Propagators
	}
	return otel.GetTextMapPropagator()
}

// isNoopTracerProvider reports whether tp is known never to record, so that
// a layer can skip starting spans at all. Other no-op providers (the global
// one before an SDK is installed) are detected per request through
// Span.IsRecording.
func isNoopTracerProvider(tp trace.TracerProvider) bool {
	switch tp.(type) {
	case tracenoop.TracerProvider, *tracenoop.TracerProvider:
		return true
	}
	return false
}

// otelGlobalPkg is the package of otel's default global providers, which
// record nothing until otel.SetTracerProvider or otel.SetMeterProvider
// installs one they then forward to.
const otelGlobalPkg = "go.opentelemetry.io/otel/internal/global"

// The types of the default global providers, nil if the global was
// already replaced when this package was initialized (then a layer built
// on the global sees that provider's own type and is never taken for idle).
var (
	globalTracerProviderType = globalDefaultType(otel.GetTracerProvider())
	globalMeterProviderType  = globalDefaultType(otel.GetMeterProvider())
)

func globalDefaultType(p any) reflect.Type {
	t := reflect.TypeOf(p)
	if t != nil && t.Kind() == reflect.Pointer && t.Elem().PkgPath() == otelGlobalPkg {
		return t
	}
	return nil
}

// idleGlobal reports whether p, of a layer built on the globals, is the
// default global provider and no provider has been installed since: it
// records nothing now. A provider installed later is seen by the next
// call, since the global then returns that provider.
func idleGlobal(p any, global any, typ reflect.Type) bool {
	return typ != nil && reflect.TypeOf(p) == typ && reflect.TypeOf(global) == typ
}

// tracerIdle reports whether tp records nothing for the call at hand.
func tracerIdle(tp trace.TracerProvider, noop bool) bool {
	return noop || idleGlobal(tp, otel.GetTracerProvider(), globalTracerProviderType)
}

// meterIdle reports whether mp records nothing for the call at hand.
func meterIdle(mp metric.MeterProvider, noop bool) bool {
	return noop || idleGlobal(mp, otel.GetMeterProvider(), globalMeterProviderType)
}

// isNoopMeterProvider reports whether mp is known never to record.
func isNoopMeterProvider(mp metric.MeterProvider) bool {
	switch mp.(type) {
	case metricnoop.MeterProvider, *metricnoop.MeterProvider:
		return true
	}
	return false
}

// userAttributes calls the Attributes hook and drops the attributes that the
// layers set themselves: those always keep the layer's value.
func userAttributes(hook func(*http.Request) []attribute.KeyValue, req *http.Request) []attribute.KeyValue {
	if hook == nil {
		return nil
	}
	kvs := hook(req)
	for i, kv := range kvs {
		if reservedKey(kv.Key) {
			out := append(make([]attribute.KeyValue, 0, len(kvs)-1), kvs[:i]...)
			for _, kv := range kvs[i+1:] {
				if !reservedKey(kv.Key) {
					out = append(out, kv)
				}
			}
			return out
		}
	}
	return kvs
}

// reservedKey reports the attribute keys that Call, Attempt or otelhttp set.
func reservedKey(k attribute.Key) bool {
	switch k {
	case RestliMethodKey, RestliResourceKey, RestliFinderKey, RestliActionKey,
		RestliAttemptsKey, LinkedInVersionKey,
		"http.request.method", "http.request.method_original", "http.request.resend_count",
		"http.response.status_code", "error.type",
		"url.full", "url.template", "url.scheme", "server.address", "server.port",
		"network.protocol.name", "network.protocol.version":
		return true
	}
	return false
}
