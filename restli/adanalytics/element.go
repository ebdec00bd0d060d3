// This file decodes one element of an adAnalytics answer: its key
// (pivotValues, dateRange) and its metrics kept as raw JSON, in one pass
// over the element's bytes and with a few allocations, since a report may
// hold hundreds of thousands of them.

package adanalytics

import (
	"bytes"
	"encoding/json"
	"errors"
	"unicode/utf8"
)

// metric is one metric of a row: its name and its raw JSON value, both
// slices of the element's bytes.
type metric struct {
	name []byte
	raw  []byte
}

// element is one decoded element of an answer.
type element struct {
	pivotValues []string
	dateRange   DateRange
	metrics     []metric
}

var errElement = errors.New("adanalytics: an answer element is not a JSON object")

// UnmarshalJSON decodes an element. The key members are decoded; every
// other member is kept raw.
func (e *element) UnmarshalJSON(b []byte) error {
	buf := bytes.Clone(b) // the metrics point into it
	// The metrics are gathered on the stack and copied once, at their
	// exact number: a report holds many rows.
	var local [32]metric
	ms := local[:0]
	i := skipSpace(buf, 0)
	if i >= len(buf) || buf[i] != '{' {
		return errElement
	}
	i = skipSpace(buf, i+1)
	if i < len(buf) && buf[i] == '}' {
		return nil
	}
	for {
		if i >= len(buf) || buf[i] != '"' {
			return errElement
		}
		kEnd := skipString(buf, i)
		if kEnd < 0 {
			return errElement
		}
		name := buf[i+1 : kEnd-1]
		if bytes.IndexByte(name, '\\') >= 0 || !utf8.Valid(name) {
			var s string
			if err := json.Unmarshal(buf[i:kEnd], &s); err != nil {
				return err
			}
			name = []byte(s)
		}
		i = skipSpace(buf, kEnd)
		if i >= len(buf) || buf[i] != ':' {
			return errElement
		}
		vStart := skipSpace(buf, i+1)
		vEnd := skipValue(buf, vStart)
		if vEnd < 0 {
			return errElement
		}
		raw := buf[vStart:vEnd]
		switch string(name) {
		case fieldPivotValues:
			if !parseStrings(raw, &e.pivotValues) {
				if err := json.Unmarshal(raw, &e.pivotValues); err != nil {
					return err
				}
			}
		case fieldDateRange:
			if !parseDateRange(raw, &e.dateRange) {
				if err := json.Unmarshal(raw, &e.dateRange); err != nil {
					return err
				}
			}
		default:
			ms = append(ms, metric{name: name, raw: raw})
		}
		i = skipSpace(buf, vEnd)
		if i >= len(buf) {
			return errElement
		}
		if buf[i] == '}' {
			if len(ms) > 0 {
				e.metrics = append(e.metrics, ms...)
			}
			return nil
		}
		if buf[i] != ',' {
			return errElement
		}
		i = skipSpace(buf, i+1)
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index just past the JSON string starting at
// b[i] (a '"'), or -1.
func skipString(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// skipValue returns the index just past the JSON value starting at b[i],
// or -1. The value is assumed well formed (encoding/json checks it before
// calling UnmarshalJSON); only its extent is found.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				j = skipString(b, j)
				if j < 0 {
					return -1
				}
				j--
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\t' && b[j] != '\n' && b[j] != '\r' {
		j++
	}
	if j == i {
		return -1
	}
	return j
}

// parseStrings reads a JSON array of plain strings (no escapes) into out,
// the common shape of pivotValues; false sends any other input to
// encoding/json.
func parseStrings(raw []byte, out *[]string) bool {
	if len(raw) < 2 || raw[0] != '[' {
		return false
	}
	var vals []string
	i := skipSpace(raw, 1)
	if i < len(raw) && raw[i] == ']' {
		*out = []string{}
		return i == len(raw)-1
	}
	for i < len(raw) {
		if raw[i] != '"' {
			return false
		}
		end := skipString(raw, i)
		if end < 0 || bytes.IndexByte(raw[i+1:end-1], '\\') >= 0 || !utf8.Valid(raw[i+1:end-1]) {
			return false
		}
		vals = append(vals, string(raw[i+1:end-1]))
		i = skipSpace(raw, end)
		if i < len(raw) && raw[i] == ']' {
			*out = vals
			return i == len(raw)-1
		}
		if i >= len(raw) || raw[i] != ',' {
			return false
		}
		i = skipSpace(raw, i+1)
	}
	return false
}

// parseDateRange reads {"start":{"year":…,"month":…,"day":…},"end":{…}}
// with members in any order; false sends any other input to
// encoding/json.
func parseDateRange(raw []byte, out *DateRange) bool {
	var r DateRange
	ok := parseObject(raw, func(name, v []byte) bool {
		var d *Date
		switch string(name) {
		case "start":
			d = &r.Start
		case "end":
			d = &r.End
		default:
			return false
		}
		return parseObject(v, func(name, v []byte) bool {
			n, ok := parseSmallInt(v)
			switch string(name) {
			case "year":
				d.Year = n
			case "month":
				d.Month = n
			case "day":
				d.Day = n
			default:
				return false
			}
			return ok
		})
	})
	if ok {
		*out = r
	}
	return ok
}

// parseObject calls member for each member of the JSON object raw whose
// name has no escapes, and reports whether raw was such an object and
// every call returned true.
func parseObject(raw []byte, member func(name, value []byte) bool) bool {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return false
	}
	i = skipSpace(raw, i+1)
	if i < len(raw) && raw[i] == '}' {
		return skipSpace(raw, i+1) == len(raw)
	}
	for i < len(raw) {
		if raw[i] != '"' {
			return false
		}
		kEnd := skipString(raw, i)
		if kEnd < 0 || bytes.IndexByte(raw[i+1:kEnd-1], '\\') >= 0 {
			return false
		}
		name := raw[i+1 : kEnd-1]
		i = skipSpace(raw, kEnd)
		if i >= len(raw) || raw[i] != ':' {
			return false
		}
		vStart := skipSpace(raw, i+1)
		vEnd := skipValue(raw, vStart)
		if vEnd < 0 || !member(name, raw[vStart:vEnd]) {
			return false
		}
		i = skipSpace(raw, vEnd)
		if i < len(raw) && raw[i] == '}' {
			return skipSpace(raw, i+1) == len(raw)
		}
		if i >= len(raw) || raw[i] != ',' {
			return false
		}
		i = skipSpace(raw, i+1)
	}
	return false
}

// parseSmallInt reads a non-negative decimal integer of up to 9 digits.
func parseSmallInt(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
