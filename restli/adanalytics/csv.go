// This file holds the CSV writer for the common case of dumping a report.

package adanalytics

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"github.com/linkedin-go/linkedin/restli"
)

// CSVWriter writes rows as CSV: a header, then one line per row with the
// start and end day (YYYY-MM-DD), one column per pivot, and one per
// metric. A metric the row lacks is an empty cell, not 0.
type CSVWriter struct {
	w       *csv.Writer
	pivots  []Pivot
	metrics []string
	started bool
	rec     []string
}

// NewCSVWriter returns a CSVWriter for the rows of a report with pivots
// and metrics (take them from the Query).
func NewCSVWriter(w io.Writer, pivots []Pivot, metrics []string) *CSVWriter {
	return &CSVWriter{w: csv.NewWriter(w), pivots: pivots, metrics: metrics}
}

// Write writes r (the header first, on the first call).
func (cw *CSVWriter) Write(r Row) error {
	if !cw.started {
		cw.started = true
		h := []string{"start", "end"}
		for _, p := range cw.pivots {
			h = append(h, strings.ToLower(string(p)))
		}
		if err := cw.w.Write(append(h, cw.metrics...)); err != nil {
			return err
		}
	}
	rec := append(cw.rec[:0], r.DateRange.Start.String(), r.DateRange.End.String())
	for i := range cw.pivots {
		v := ""
		if i < len(r.PivotValues) {
			v = r.PivotValues[i]
		}
		rec = append(rec, v)
	}
	for _, m := range cw.metrics {
		v, _ := r.Value(m)
		rec = append(rec, v)
	}
	cw.rec = rec
	return cw.w.Write(rec)
}

// Flush writes any buffered data and returns the first write error.
func (cw *CSVWriter) Flush() error {
	cw.w.Flush()
	return cw.w.Error()
}

// WriteCSV streams the report q describes to w as CSV (see CSVWriter)
// and returns the number of rows written. Rows are written as they come
// (Stream), so memory stays bounded whatever the report's size. When
// LinkedIn cut slices that could not be split, every row is still written
// and the error is a *TruncatedError listing them.
func WriteCSV(ctx context.Context, w io.Writer, c *restli.Client, q Query, opts ...Option) (int, error) {
	if err := q.Validate(); err != nil {
		return 0, err
	}
	cw := NewCSVWriter(w, q.Pivots, dedupe(q.Metrics))
	n := 0
	var trunc *TruncatedError
	for r, err := range Stream(ctx, c, q, opts...) {
		var te *TruncatedError
		if errors.As(err, &te) {
			if trunc == nil {
				trunc = &TruncatedError{}
			}
			trunc.Slices = append(trunc.Slices, te.Slices...)
			continue
		}
		if err != nil {
			cw.Flush()
			return n, err
		}
		if err := cw.Write(r); err != nil {
			return n, err
		}
		n++
	}
	if err := cw.Flush(); err != nil {
		return n, err
	}
	if trunc != nil {
		return n, trunc
	}
	return n, nil
}

func dedupe(s []string) []string {
	seen := make(map[string]bool, len(s))
	var out []string
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
