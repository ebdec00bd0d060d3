package telemetry

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strconv"

	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// errorTyper is implemented by every error type of this module (and by
// *restli.Error, the circuit breaker's and the query tunnel's errors): a
// low-cardinality name for the error.type attribute.
type errorTyper interface{ ErrorType() string }

// otherErrorType is the semantic conventions' fallback value of error.type.
const otherErrorType = "_OTHER"

// Types of errors that only add text to another one, or carry nothing but
// text: their names say nothing about what failed.
var (
	typeWrapError   = reflect.TypeOf(fmt.Errorf("%w", errors.ErrUnsupported))
	typeWrapErrors  = reflect.TypeOf(fmt.Errorf("%w%w", errors.ErrUnsupported, errors.ErrUnsupported))
	typeJoinError   = reflect.TypeOf(errors.Join(errors.ErrUnsupported))
	typeErrorString = reflect.TypeOf(errors.ErrUnsupported)
	typeURLError    = reflect.TypeOf((*url.Error)(nil))
)

// errorType returns the low-cardinality error.type of err:
//   - ErrorType() of the first error in its chain that has one ("circuit_open",
//     "tunnel.body_too_large", "503", …);
//   - "context.Canceled" or "context.DeadlineExceeded";
//   - else the type name of the innermost error below fmt, errors.Join and
//     *url.Error wrappers, spelled as the semantic conventions' ErrorType
//     (and otelhttp on the attempt span) spell it: "*net.OpError";
//   - "_OTHER" when that error is a plain errors.New value.
func errorType(err error) string {
	var et errorTyper
	if errors.As(err, &et) {
		if s := et.ErrorType(); s != "" {
			return s
		}
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "context.DeadlineExceeded"
	case errors.Is(err, context.Canceled):
		return "context.Canceled"
	}
	for {
		var next error
		switch reflect.TypeOf(err) {
		case typeWrapError, typeURLError:
			next = errors.Unwrap(err)
		case typeWrapErrors, typeJoinError:
			if errs := err.(interface{ Unwrap() []error }).Unwrap(); len(errs) > 0 {
				next = errs[0]
			}
		case typeErrorString:
			return otherErrorType
		}
		if next == nil {
			break
		}
		err = next
	}
	if s := semconv.ErrorType(err).Value.AsString(); s != "" {
		return s
	}
	return otherErrorType
}

// statusErrorType is error.type for an HTTP status of 400 or more: the code.
func statusErrorType(code int) string {
	switch code {
	case 400:
		return "400"
	case 401:
		return "401"
	case 403:
		return "403"
	case 404:
		return "404"
	case 429:
		return "429"
	case 500:
		return "500"
	case 502:
		return "502"
	case 503:
		return "503"
	case 504:
		return "504"
	}
	return strconv.Itoa(code)
}
