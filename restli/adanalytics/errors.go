// This file holds the error of a report LinkedIn cut short.

package adanalytics

import (
	"errors"
	"strconv"
	"strings"
)

// ErrTruncated is matched (errors.Is) by every *TruncatedError.
var ErrTruncated = errors.New("adanalytics: report truncated by LinkedIn")

// Slice is a part of a report: the days, the facet values and the
// metrics of one request.
type Slice struct {
	// DateRange is the slice's days (End zero: open-ended).
	DateRange DateRange
	// Facet is the facet whose list was split to make the slice, and
	// Values its values in the slice; both empty when the slice has the
	// query's facets.
	Facet  string
	Values []string
	// Metrics are the metrics of the request.
	Metrics []string
	// Elements is the number of elements LinkedIn answered.
	Elements int
}

// String describes the slice in one line.
func (s Slice) String() string {
	var b strings.Builder
	b.WriteString(s.DateRange.String())
	if s.Facet != "" {
		b.WriteString(" " + s.Facet + "=")
		if len(s.Values) <= 3 {
			b.WriteString(strings.Join(s.Values, ","))
		} else {
			b.WriteString(strings.Join(s.Values[:3], ",") + ",… (" + strconv.Itoa(len(s.Values)) + " values)")
		}
	}
	b.WriteString(" metrics=" + strings.Join(s.Metrics, ","))
	return b.String()
}

// TruncatedError reports that LinkedIn cut the answers of some slices
// (each reached the cap) and that they could not be split further: a
// single day (or period) whose facets the pivots do not partition, or a
// single facet value. The rows LinkedIn did send are returned with it.
type TruncatedError struct {
	Slices []Slice
}

// Error names the first slices that were cut.
func (e *TruncatedError) Error() string {
	var b strings.Builder
	b.WriteString("adanalytics: report truncated by LinkedIn: ")
	b.WriteString(strconv.Itoa(len(e.Slices)))
	b.WriteString(" answer(s) reached the cap and could not be split further (a single period whose facets the pivots do not partition): ")
	for i, s := range e.Slices {
		if i == 3 {
			b.WriteString("; …")
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(s.String() + " (" + strconv.Itoa(s.Elements) + " elements)")
	}
	return b.String()
}

// Is reports whether target is ErrTruncated.
func (e *TruncatedError) Is(target error) bool { return target == ErrTruncated }

// ErrorType returns "adanalytics.truncated".
func (e *TruncatedError) ErrorType() string { return "adanalytics.truncated" }
