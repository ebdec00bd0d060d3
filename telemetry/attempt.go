package telemetry

import (
	"context"
	"net/http"
	"reflect"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/httpconv"
	"go.opentelemetry.io/otel/trace"

	"github.com/linkedin-go/linkedin/restli"
)

// Attempt returns the per-attempt layer: one CLIENT span per wire attempt,
// made by otelhttp.NewTransport and completed for LinkedIn.
//
// It belongs below the retry layer and the query tunnel, so that it sees
// every resend and the request as it goes on the wire. Its span:
//
//   - is named per the HTTP semantic conventions, "{method} {url.template}"
//     ("GET /adAccounts/{id}"), or "{method}" for a request without a call
//     description; the method is the wire method, so a tunneled FINDER shows
//     "POST /adAccounts";
//   - is a child of the span in the request context (the call span);
//   - carries otelhttp's attributes (http.request.method, server.address,
//     server.port, http.response.status_code, error.type, network.*), and
//     url.full with every query value replaced by REDACTED and no user
//     info; url.template and restli.method when known (restli.method is
//     the Rest.li method, also for tunneled requests);
//     http.request.resend_count from restli.AttemptFromContext on resends;
//     and the attributes of Options.Attributes.
//
// It ends when the response body is read to EOF or closed.
//
// It records http.client.request.duration (otelhttp's, per the HTTP
// semantic conventions), with url.template, restli.method, error.type for
// statuses of 400 and more, the attributes of Options.Attributes and those
// of an otelhttp client Labeler found in the request context; and injects
// the trace context into the request headers with Options.Propagators.
//
// When the MeterProvider records nothing and the span in the context is a
// local span of the same TracerProvider that is not recording (Call's span,
// when the trace is not sampled or the provider is a no-op), the layer does
// not start a span: it follows that sampling decision, as the SDK's default
// parent-based sampler would, and only propagates the trace context.
func Attempt(opts Options) func(http.RoundTripper) http.RoundTripper {
	tp := opts.tracerProvider()
	mp := opts.meterProvider()
	prop := opts.propagators()
	c := &attemptConfig{
		tp:         tp,
		mp:         mp,
		prop:       prop,
		noopTracer: isNoopTracerProvider(tp),
		noopMeter:  isNoopMeterProvider(mp),
		attrs:      opts.Attributes,
	}
	if !c.noopMeter {
		// The same instrument otelhttp records (same scope, name, unit,
		// description and buckets), asked whether it is enabled.
		m := mp.Meter(otelhttp.ScopeName, metric.WithInstrumentationVersion(otelhttp.Version))
		d, err := httpconv.NewClientRequestDuration(m,
			metric.WithExplicitBucketBoundaries(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10))
		if err != nil {
			otel.Handle(err) // otelhttp failed the same way: nothing to record
		} else {
			c.duration = d.Inst()
		}
	}
	return func(next http.RoundTripper) http.RoundTripper {
		if next == nil {
			next = http.DefaultTransport
		}
		t := &attemptTransport{attemptConfig: c, next: next}
		t.otel = otelhttp.NewTransport(wireTransport{t},
			otelhttp.WithTracerProvider(tp),
			otelhttp.WithMeterProvider(mp),
			otelhttp.WithPropagators(prop),
			otelhttp.WithSpanNameFormatter(spanName),
		)
		return t
	}
}

func spanName(_ string, r *http.Request) string {
	return attemptSpanName(describe(r), r)
}

type attemptConfig struct {
	tp         trace.TracerProvider
	mp         metric.MeterProvider
	prop       propagation.TextMapPropagator
	noopTracer bool
	noopMeter  bool
	attrs      func(*http.Request) []attribute.KeyValue
	duration   metric.Float64Histogram // nil when noopMeter
}

// attemptTransport runs before otelhttp: it decides whether to instrument
// and gives each attempt its own metric labeler.
type attemptTransport struct {
	*attemptConfig
	otel *otelhttp.Transport // otelhttp → wireTransport → next
	next http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (t *attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if s := callSpanFromContext(ctx); s != nil {
		s.countAttempt()
	}
	if !t.instrumenting(ctx) {
		return t.propagateOnly(req)
	}
	// Each attempt needs a labeler of its own: what wireTransport adds
	// (error.type of this attempt's status) must not leak into the next
	// attempt's metric. otelhttp makes one when the context has none; a
	// caller's labeler is copied.
	if user, ok := otelhttp.ClientLabelerFromContext(ctx); ok {
		l := &otelhttp.Labeler{}
		l.Add(user.Get()...)
		req = req.WithContext(otelhttp.ContextWithClientLabeler(ctx, l))
	}
	resp, err := t.otel.RoundTrip(req)
	if re, ok := err.(*redactedError); ok {
		err = re.err // the caller gets the error as the layers below made it
	}
	return resp, err
}

// instrumenting reports whether this attempt may produce a span or a
// measurement.
func (t *attemptConfig) instrumenting(ctx context.Context) bool {
	if t.duration != nil && !meterIdle(t.mp, t.noopMeter) && t.duration.Enabled(ctx) {
		return true
	}
	if tracerIdle(t.tp, t.noopTracer) {
		return false
	}
	p := trace.SpanFromContext(ctx)
	if p.IsRecording() {
		return true
	}
	// A local parent that our own provider chose not to record: follow
	// its decision. Anything else (no parent, a remote parent, a parent
	// from another provider) is for the sampler to decide.
	return p.SpanContext().IsRemote() || !sameProvider(p.TracerProvider(), t.tp)
}

// sameProvider compares two providers without panicking on a provider of a
// non-comparable type.
func sameProvider(a, b trace.TracerProvider) bool {
	ta, tb := reflect.TypeOf(a), reflect.TypeOf(b)
	return ta == tb && ta != nil && ta.Comparable() && a == b
}

// propagateOnly sends req without instrumentation, injecting the trace
// context in the request (a sampled-out trace, or one from upstream) as
// otelhttp would have done.
func (t *attemptTransport) propagateOnly(req *http.Request) (*http.Response, error) {
	if !carriesContext(req.Context()) {
		return t.next.RoundTrip(req)
	}
	return t.next.RoundTrip(t.inject(req))
}

// carriesContext reports whether ctx has a trace context or baggage to
// propagate. It is not inlined: its locals would otherwise sit in
// propagateOnly's frame for the whole call.
//
//go:noinline
func carriesContext(ctx context.Context) bool {
	return trace.SpanContextFromContext(ctx).IsValid() || baggage.FromContext(ctx).Len() > 0
}

// inject returns a copy of req carrying its context's trace context and
// baggage. Apart from propagateOnly, it keeps that layer's frame small.
func (t *attemptTransport) inject(req *http.Request) *http.Request {
	r := req.Clone(req.Context())
	t.prop.Inject(r.Context(), propagation.HeaderCarrier(r.Header))
	return r
}

// wireTransport runs inside otelhttp, with the attempt span in the context:
// it completes the span and the metric attributes that otelhttp cannot know.
type wireTransport struct{ *attemptTransport }

// RoundTrip implements http.RoundTripper.
func (w wireTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	ctx := r.Context()
	d := describe(r)
	user := userAttributes(w.attrs, r)
	kv := make([]attribute.KeyValue, 0, 2+len(user))
	kv = append(kv, user...)
	if d.resource != "" {
		kv = append(kv, semconv.URLTemplate(d.resource))
	}
	if d.method != "" {
		kv = append(kv, RestliMethodKey.String(string(d.method)))
	}
	var l *otelhttp.Labeler // nil when no metric is recorded
	if w.duration != nil && w.duration.Enabled(ctx) {
		l, _ = otelhttp.ClientLabelerFromContext(ctx)
		l.Add(kv...)
	}

	if span := trace.SpanFromContext(ctx); span.IsRecording() {
		a := make([]attribute.KeyValue, 0, 2+len(kv))
		a = append(a, kv...) // user attributes, url.template, restli.method
		if r.URL != nil {
			// Replaces the url.full otelhttp has just set from the raw URL.
			a = append(a, semconv.URLFull(restli.RedactURL(r.URL.String())))
		}
		if n := restli.AttemptFromContext(ctx); n > 0 {
			a = append(a, semconv.HTTPRequestResendCount(n))
		}
		span.SetAttributes(a...)
	}

	resp, err := w.next.RoundTrip(r)
	if err != nil {
		// otelhttp puts err.Error() in the span status: keep the query and
		// the credentials out of it.
		msg := err.Error()
		if clean := restli.RedactRequestText(msg, r); clean != msg {
			return resp, &redactedError{err: err, msg: clean}
		}
		return resp, err
	}
	if l != nil && resp != nil && (resp.StatusCode >= 400 || resp.StatusCode < 100) {
		// otelhttp puts error.type on the span but, for a status, not on
		// the metric; the conventions want it on both.
		l.Add(semconv.ErrorTypeKey.String(statusErrorType(resp.StatusCode)))
	}
	return resp, err
}

// redactedError carries an error whose message quoted the request's query or
// credentials, with a message that does not, from wireTransport through
// otelhttp; attemptTransport unwraps it again. On the attempt span it shows
// with the error.type of the error it stands for; otelhttp's metric names
// its type, github.com/linkedin-go/linkedin/telemetry.redactedError.
type redactedError struct {
	err error
	msg string
}

func (e *redactedError) Error() string     { return e.msg }
func (e *redactedError) Unwrap() error     { return e.err }
func (e *redactedError) ErrorType() string { return errorType(e.err) }
