package telemetry

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/linkedin-go/linkedin/restli"
)

// Attribute keys of this package. The HTTP ones (http.response.status_code,
// error.type, url.*) come from the semantic conventions.
const (
	// RestliMethodKey is the Rest.li method in its wire spelling
	// ("finder", "batch_get"), on call and attempt spans and on metrics.
	RestliMethodKey = attribute.Key("restli.method")
	// RestliResourceKey is the resource path template ("/adAccounts/{id}"),
	// never a path with key values.
	RestliResourceKey = attribute.Key("restli.resource")
	// RestliFinderKey is the finder name of a FINDER or BATCH_FINDER call.
	RestliFinderKey = attribute.Key("restli.finder")
	// RestliActionKey is the action name of an ACTION call.
	RestliActionKey = attribute.Key("restli.action")
	// RestliAttemptsKey is the number of attempts a call took (int).
	RestliAttemptsKey = attribute.Key("restli.attempts")
	// LinkedInVersionKey is the LinkedIn-Version of the call ("202601").
	LinkedInVersionKey = attribute.Key("linkedin.version")
)

// Names of the span events the retry and circuit-breaker layers add to the
// call span; Call counts them for its metrics.
const (
	// EventRetry is added before each resend, with the attributes
	// retry.attempt (int, the resend about to be made: 1 for the first)
	// and retry.wait (the backoff, in seconds).
	EventRetry = "retry"
	// EventBreakerRejected is added when the circuit breaker refuses an
	// attempt, with the attribute circuit_breaker.key.
	EventBreakerRejected = "circuit_breaker.rejected"
)

// Names of the metrics Call records, under the instrumentation scope
// ScopeName. (http.client.request.duration is recorded by Attempt, through
// otelhttp.)
const (
	// OperationDurationName is the histogram of whole-call durations in
	// seconds ("s"), from the call's start until its response body is read
	// or closed, every attempt and backoff included.
	OperationDurationName = "linkedin.client.operation.duration"
	// AttemptsName counts the attempts calls made ("{attempt}"), including
	// attempts the circuit breaker refused.
	AttemptsName = "linkedin.client.attempts"
	// RetriesName counts resends ("{retry}"): the "retry" events.
	RetriesName = "linkedin.client.retries"
	// BreakerRejectionsName counts attempts refused by the circuit breaker
	// ("{rejection}"): the "circuit_breaker.rejected" events.
	BreakerRejectionsName = "linkedin.client.breaker.rejections"
)

// Call returns the outermost layer of a LinkedIn stack: one span per
// logical call, however many attempts it takes, and the operation metrics.
//
// The span is INTERNAL (the CLIENT spans are Attempt's, one per wire
// attempt, its children), named "<RESTLI_METHOD> <resource template>"
// ("FINDER /adAccounts"), or, for a request without a restli call
// description in its context, after its X-RestLi-Method header in upper
// case when that names a Rest.li method, else its HTTP method. Names never
// hold keys or queries. Samplers see the name and the kind; the attributes
// are set when the call ends: restli.method, restli.resource,
// restli.finder or restli.action, linkedin.version, restli.attempts,
// http.response.status_code, and error.type on failure; and, for a call
// whose LinkedIn-Version is near its sunset (Options.VersionWarnMonths),
// linkedin.version.sunset_warning=true and linkedin.version.age_months.
//
// A call fails on an error (a transport error, a circuit_open rejection, a
// tunnel error…) and on any status of 400 or more: the call span stands
// for a client operation, and the HTTP semantic conventions count 4xx as
// errors on the client side. A failed call has status Error and error.type
// set to the status code ("404"), else to the error's ErrorType()
// ("circuit_open"), else to its type name ("*net.OpError",
// "context.DeadlineExceeded", or "_OTHER"). The status description is the
// error message with query values and the request's Authorization
// credentials redacted.
//
// The span and the operation duration end when the response body has been
// read to EOF or closed, as with otelhttp, so they cover the whole call
// including reading the answer, and end after the attempt spans inside. A
// body that is never closed leaves the span unended.
//
// Metrics, all with the attributes restli.method, restli.resource,
// http.response.status_code and error.type (whichever apply) plus those of
// Options.Attributes, and nothing else:
//
//	linkedin.client.operation.duration  histogram  s            the whole call
//	linkedin.client.attempts            counter    {attempt}    attempts, breaker rejections included
//	linkedin.client.retries             counter    {retry}      resends ("retry" events)
//	linkedin.client.breaker.rejections  counter    {rejection}  "circuit_breaker.rejected" events
//
// http.client.request.duration is Attempt's, once per wire attempt; Call
// does not record it.
//
// Layers between Call and Attempt find the call span with
// trace.SpanFromContext. Call counts the "retry" and
// "circuit_breaker.rejected" events added to it, so the retry and breaker
// layers need no dependency on this package. While metrics are recorded,
// that span reports IsRecording true even if the trace is not sampled, so
// that layers which guard AddEvent with IsRecording still report. The
// attempt count is the larger of the wire attempts Attempt saw and the
// retry events plus one.
//
// With providers known never to record (the noop packages' own), Call
// returns the next RoundTripper itself: there is nothing for it to do.
func Call(opts Options) func(http.RoundTripper) http.RoundTripper {
	tp := opts.tracerProvider()
	mp := opts.meterProvider()
	c := &callConfig{
		tp:         tp,
		mp:         mp,
		tracer:     tp.Tracer(ScopeName),
		noopTracer: isNoopTracerProvider(tp),
		noopMeter:  isNoopMeterProvider(mp),
		attrs:      opts.Attributes,
		versions:   newVersionMarks(opts),
	}
	c.instruments(mp.Meter(ScopeName))
	return func(next http.RoundTripper) http.RoundTripper {
		if next == nil {
			next = http.DefaultTransport
		}
		if c.noopTracer && c.noopMeter {
			// Providers that never record: RoundTrip would pass every
			// request through untouched, so the layer steps aside.
			return next
		}
		return &callTransport{callConfig: c, next: next}
	}
}

// callConfig is shared by every transport one Call(opts) builds.
type callConfig struct {
	tp         trace.TracerProvider
	mp         metric.MeterProvider
	tracer     trace.Tracer
	noopTracer bool
	noopMeter  bool
	attrs      func(*http.Request) []attribute.KeyValue
	versions   versionMarks

	duration   metric.Float64Histogram
	attempts   metric.Int64Counter
	retries    metric.Int64Counter
	rejections metric.Int64Counter
}

func (c *callConfig) instruments(m metric.Meter) {
	var err error
	// Calls take longer than single requests: the HTTP conventions'
	// recommended buckets, extended for retries and backoff.
	c.duration, err = m.Float64Histogram(OperationDurationName,
		metric.WithUnit("s"),
		metric.WithDescription("Duration of LinkedIn Rest.li client operations, all attempts and backoff included."),
		metric.WithExplicitBucketBoundaries(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60))
	if err != nil {
		otel.Handle(err)
		c.duration = metricnoop.Float64Histogram{}
	}
	c.attempts = counter(m, AttemptsName, "{attempt}", "Attempts made by LinkedIn Rest.li client operations.")
	c.retries = counter(m, RetriesName, "{retry}", "Resends made by LinkedIn Rest.li client operations.")
	c.rejections = counter(m, BreakerRejectionsName, "{rejection}", "Attempts of LinkedIn Rest.li client operations refused by the circuit breaker.")
}

func counter(m metric.Meter, name, unit, desc string) metric.Int64Counter {
	c, err := m.Int64Counter(name, metric.WithUnit(unit), metric.WithDescription(desc))
	if err != nil {
		otel.Handle(err)
		return metricnoop.Int64Counter{}
	}
	return c
}

func (c *callConfig) measuring(ctx context.Context) bool {
	if meterIdle(c.mp, c.noopMeter) {
		return false
	}
	return c.duration.Enabled(ctx) || c.attempts.Enabled(ctx) ||
		c.retries.Enabled(ctx) || c.rejections.Enabled(ctx)
}

type callTransport struct {
	*callConfig
	next http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (t *callTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	measure := t.measuring(req.Context())
	noopTracer := tracerIdle(t.tp, t.noopTracer)
	if noopTracer && !measure {
		return t.next.RoundTrip(req)
	}
	return t.record(req, measure, noopTracer)
}

// record is RoundTrip for a call that may produce a span or a measurement.
// It is a function of its own so that the pass-through above keeps a small
// stack frame: the frame of every layer stays on the goroutine's stack for
// the whole call.
func (t *callTransport) record(req *http.Request, measure, noopTracer bool) (*http.Response, error) {
	ctx := req.Context()
	var start time.Time
	if measure {
		start = time.Now()
	}
	d := describe(req)
	var span trace.Span
	if noopTracer {
		// Metrics only: a span that records nothing, under the caller's
		// span context, never the caller's own span.
		span = trace.SpanFromContext(trace.ContextWithSpanContext(ctx, trace.SpanContextFromContext(ctx)))
	} else {
		// Samplers see the name and kind; the attributes are set when the
		// call ends, in one go, which costs nothing when not recording.
		ctx, span = t.tracer.Start(ctx, callSpanName(d, req), callStartOptions...)
	}
	if !span.IsRecording() && !measure {
		// Nothing to record. Pass the non-recording span down all the
		// same, so that Attempt follows this sampling decision.
		span.End()
		return t.next.RoundTrip(req.WithContext(ctx))
	}

	s := &callSpan{Span: span, config: t.callConfig, desc: d, start: start, measure: measure, owned: !noopTracer, req: req}
	s.user = userAttributes(t.attrs, req)
	ctx = trace.ContextWithSpan(ctx, s)
	ctx = context.WithValue(ctx, callSpanKey{}, s)

	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	switch {
	case err != nil:
		s.finish(nil, err)
	case resp == nil:
		s.finish(nil, errNilResponse)
	case resp.Body == nil || resp.Body == http.NoBody:
		s.finish(resp, nil)
	default:
		s.resp = resp
		resp.Body = newBody(resp.Body, s)
	}
	return resp, err
}

// callStartOptions start every call span. Shared and never modified.
var callStartOptions = []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindInternal)}

var errNilResponse = errors.New("telemetry: RoundTripper returned a nil *http.Response and a nil error")

// appendSpanAttributes appends the call span's attributes from d.
func (d description) appendSpanAttributes(a []attribute.KeyValue) []attribute.KeyValue {
	if d.method != "" {
		a = append(a, RestliMethodKey.String(string(d.method)))
	}
	if d.resource != "" {
		a = append(a, RestliResourceKey.String(d.resource))
	}
	if d.finder != "" {
		a = append(a, RestliFinderKey.String(d.finder))
	}
	if d.action != "" {
		a = append(a, RestliActionKey.String(d.action))
	}
	if d.version != "" {
		a = append(a, LinkedInVersionKey.String(d.version))
	}
	return a
}

type callSpanKey struct{}

// callSpanFromContext returns the state of the call the request belongs to,
// or nil.
func callSpanFromContext(ctx context.Context) *callSpan {
	s, _ := ctx.Value(callSpanKey{}).(*callSpan)
	return s
}

// callSpan is the call span as the layers below Call see it: the real span,
// which also counts the events the retry and breaker layers add, and the
// wire attempts Attempt reports.
type callSpan struct {
	trace.Span // the real span; non-recording when only metrics are on

	config  *callConfig
	desc    description
	start   time.Time
	measure bool
	owned   bool          // the span is ours to end
	req     *http.Request // the caller's request, for sanitizing messages
	user    []attribute.KeyValue

	resp       *http.Response // set before the body is wrapped
	wire       atomic.Int64   // wire attempts seen by Attempt
	retries    atomic.Int64   // "retry" events
	rejections atomic.Int64   // "circuit_breaker.rejected" events
	bodyErr    atomic.Pointer[error]
	done       atomic.Bool
}

// AddEvent counts the retry and breaker events, then adds the event to the
// span.
func (s *callSpan) AddEvent(name string, options ...trace.EventOption) {
	switch name {
	case EventRetry:
		s.retries.Add(1)
	case EventBreakerRejected:
		s.rejections.Add(1)
	}
	s.Span.AddEvent(name, options...)
}

// IsRecording reports true while metrics are recorded even if the span is
// not, so that layers guarding AddEvent with IsRecording still report
// retries and rejections.
func (s *callSpan) IsRecording() bool {
	return s.measure || s.Span.IsRecording()
}

// countAttempt records a wire attempt; Attempt calls it.
func (s *callSpan) countAttempt() { s.wire.Add(1) }

// finish ends the span and records the metrics, once.
func (s *callSpan) finish(resp *http.Response, err error) {
	if !s.done.CompareAndSwap(false, true) {
		return
	}
	if err == nil {
		if p := s.bodyErr.Load(); p != nil {
			err = *p
		}
	}
	retries := s.retries.Load()
	rejections := s.rejections.Load()
	errType := ""
	if err != nil {
		errType = errorType(err)
		if errType == "circuit_open" && rejections == 0 {
			// A breaker that adds no event still rejected this call.
			rejections = 1
		}
	}
	// Every retry event announces one more attempt; Attempt counts those
	// that reached the wire. A rejected attempt never reaches it.
	attempts := max(s.wire.Load(), retries+1)
	status := 0
	if resp != nil {
		status = resp.StatusCode
		if errType == "" && (status >= 400 || status < 100) {
			errType = statusErrorType(status)
		}
	}

	if s.Span.IsRecording() {
		a := make([]attribute.KeyValue, 0, 8+len(s.user))
		a = append(a, s.user...)
		a = s.desc.appendSpanAttributes(a)
		a = s.config.versions.append(a, s.desc.version)
		a = append(a, RestliAttemptsKey.Int64(attempts))
		if status != 0 {
			a = append(a, semconv.HTTPResponseStatusCode(status))
		}
		if errType != "" {
			a = append(a, semconv.ErrorTypeKey.String(errType))
		}
		s.Span.SetAttributes(a...)
		switch {
		case err != nil:
			s.Span.SetStatus(codes.Error, restli.RedactRequestText(err.Error(), s.req))
		case errType != "":
			s.Span.SetStatus(codes.Error, "")
		}
	}
	if s.owned {
		s.Span.End()
	}
	if !s.measure {
		return
	}

	c := s.config
	ctx := s.req.Context()
	kv := make([]attribute.KeyValue, 0, 4+len(s.user))
	kv = append(kv, s.user...)
	if s.desc.method != "" {
		kv = append(kv, RestliMethodKey.String(string(s.desc.method)))
	}
	if s.desc.resource != "" {
		kv = append(kv, RestliResourceKey.String(s.desc.resource))
	}
	if status != 0 {
		kv = append(kv, semconv.HTTPResponseStatusCode(status))
	}
	if errType != "" {
		kv = append(kv, semconv.ErrorTypeKey.String(errType))
	}
	set := metric.WithAttributeSet(attribute.NewSet(kv...))
	c.duration.Record(ctx, time.Since(s.start).Seconds(), set)
	c.attempts.Add(ctx, attempts, set)
	if retries > 0 {
		c.retries.Add(ctx, retries, set)
	}
	if rejections > 0 {
		c.rejections.Add(ctx, rejections, set)
	}
}
