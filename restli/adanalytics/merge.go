// This file holds the exact merge of the answers of several metric groups
// into rows, keyed by (pivotValues, dateRange).

package adanalytics

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// row is a row being merged: its key and every metric received so far,
// as the raw JSON LinkedIn sent.
type row struct {
	pivotValues []string
	dateRange   DateRange
	key         string
	metrics     []metric
}

// rowOf returns the row of a decoded element. An element without a key
// reads as having an empty one, so such elements still merge together.
func rowOf(e *element) *row {
	return &row{pivotValues: e.pivotValues, dateRange: e.dateRange, key: rowKey(e.pivotValues, e.dateRange), metrics: e.metrics}
}

// rowKey is the merge key: the pivot values and the two days, in a form
// no two different keys share (lengths prefix the values).
func rowKey(pv []string, dr DateRange) string {
	var b strings.Builder
	for _, v := range pv {
		b.WriteString(strconv.Itoa(len(v)))
		b.WriteByte(':')
		b.WriteString(v)
	}
	b.WriteByte('|')
	for _, d := range [2]Date{dr.Start, dr.End} {
		b.WriteString(strconv.Itoa(d.Year))
		b.WriteByte('-')
		b.WriteString(strconv.Itoa(d.Month))
		b.WriteByte('-')
		b.WriteString(strconv.Itoa(d.Day))
		b.WriteByte('|')
	}
	return b.String()
}

// merger merges rows by key. A metric keeps the first value received for
// it; a metric no answer had stays absent.
type merger struct {
	index map[string]int
	rows  []*row
}

func newMerger() *merger { return &merger{index: map[string]int{}} }

// add merges r in.
func (m *merger) add(r *row) {
	i, ok := m.index[r.key]
	if !ok {
		m.index[r.key] = len(m.rows)
		m.rows = append(m.rows, r)
		return
	}
	dst := m.rows[i]
	n := len(dst.metrics)
	for _, mt := range r.metrics {
		if !hasMetric(dst.metrics[:n], mt.name) {
			dst.metrics = append(dst.metrics, mt)
		}
	}
}

func hasMetric(ms []metric, name []byte) bool {
	for _, m := range ms {
		if bytes.Equal(m.name, name) {
			return true
		}
	}
	return false
}

// sorted returns the rows by start day, end day, then pivot values.
func (m *merger) sorted() []*row {
	out := slices.Clone(m.rows)
	slices.SortFunc(out, compareRows)
	return out
}

func compareRows(a, b *row) int {
	if c := a.dateRange.Start.Compare(b.dateRange.Start); c != 0 {
		return c
	}
	if c := a.dateRange.End.Compare(b.dateRange.End); c != 0 {
		return c
	}
	return slices.Compare(a.pivotValues, b.pivotValues)
}

// json returns r as one JSON object in LinkedIn's shape: pivotValues,
// dateRange and the metrics.
func (r *row) json() []byte {
	var b bytes.Buffer
	b.WriteString(`{"pivotValues":`)
	pv, _ := json.Marshal(r.pivotValues)
	if r.pivotValues == nil {
		pv = []byte("[]")
	}
	b.Write(pv)
	b.WriteString(`,"dateRange":`)
	dr, _ := json.Marshal(r.dateRange)
	b.Write(dr)
	ms := slices.Clone(r.metrics)
	slices.SortFunc(ms, func(a, b metric) int { return bytes.Compare(a.name, b.name) })
	for _, m := range ms {
		b.WriteByte(',')
		name, _ := json.Marshal(string(m.name))
		b.Write(name)
		b.WriteByte(':')
		b.Write(m.raw)
	}
	b.WriteByte('}')
	return b.Bytes()
}
