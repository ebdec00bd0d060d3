// This file holds Row, the typed row of a report, and its conversion from
// the merged answers.

package adanalytics

import (
	"encoding/json"
	"strconv"
)

// Row is one row of a report: the pivot values and period that identify
// it, the common metrics typed, and every other metric raw. A metric
// LinkedIn did not report for the row is nil (or absent from Other),
// never zero.
type Row struct {
	// PivotValues are the row's pivot values, one per pivot, e.g.
	// ["urn:li:sponsoredCampaign:123"].
	PivotValues []string
	// DateRange is the row's period.
	DateRange DateRange

	// The common counts, nil when LinkedIn did not report them for the
	// row (a metric of a family the campaign has none of, say).
	Impressions                *int64
	Clicks                     *int64
	LandingPageClicks          *int64
	TotalEngagements           *int64
	Likes                      *int64
	Comments                   *int64
	Shares                     *int64
	Follows                    *int64
	ExternalWebsiteConversions *int64
	OneClickLeads              *int64
	VideoViews                 *int64

	// Money, as the decimal text LinkedIn sends.
	CostInLocalCurrency            *Decimal
	CostInUsd                      *Decimal
	ConversionValueInLocalCurrency *Decimal

	// Other holds every other metric, as the JSON LinkedIn sent.
	Other map[string]json.RawMessage
}

// Decimal is an exact decimal number as LinkedIn sends money, e.g.
// "12.345678".
type Decimal string

// Float64 returns d as a float64 (rounded).
func (d Decimal) Float64() (float64, error) { return strconv.ParseFloat(string(d), 64) }

// String returns the decimal text.
func (d Decimal) String() string { return string(d) }

// The typed metrics of Row, by metric name.
var (
	intMetrics = map[string]func(*Row) **int64{
		"impressions":                func(r *Row) **int64 { return &r.Impressions },
		"clicks":                     func(r *Row) **int64 { return &r.Clicks },
		"landingPageClicks":          func(r *Row) **int64 { return &r.LandingPageClicks },
		"totalEngagements":           func(r *Row) **int64 { return &r.TotalEngagements },
		"likes":                      func(r *Row) **int64 { return &r.Likes },
		"comments":                   func(r *Row) **int64 { return &r.Comments },
		"shares":                     func(r *Row) **int64 { return &r.Shares },
		"follows":                    func(r *Row) **int64 { return &r.Follows },
		"externalWebsiteConversions": func(r *Row) **int64 { return &r.ExternalWebsiteConversions },
		"oneClickLeads":              func(r *Row) **int64 { return &r.OneClickLeads },
		"videoViews":                 func(r *Row) **int64 { return &r.VideoViews },
	}
	decimalMetrics = map[string]func(*Row) **Decimal{
		"costInLocalCurrency":            func(r *Row) **Decimal { return &r.CostInLocalCurrency },
		"costInUsd":                      func(r *Row) **Decimal { return &r.CostInUsd },
		"conversionValueInLocalCurrency": func(r *Row) **Decimal { return &r.ConversionValueInLocalCurrency },
	}
)

// rowFrom converts a merged row. A typed metric whose value does not fit
// its type (a fraction where a count was expected) is kept in Other.
func rowFrom(m *row) Row {
	r := Row{PivotValues: m.pivotValues, DateRange: m.dateRange}
	var ints []int64
	var decs []Decimal
	for _, mt := range m.metrics {
		raw := json.RawMessage(mt.raw)
		if f, ok := intMetrics[string(mt.name)]; ok {
			if v, err := strconv.ParseInt(string(unquote(raw)), 10, 64); err == nil {
				if ints == nil {
					ints = make([]int64, 0, len(intMetrics)) // one allocation for all of the row's counts
				}
				ints = append(ints, v)
				*f(&r) = &ints[len(ints)-1]
				continue
			}
		}
		if f, ok := decimalMetrics[string(mt.name)]; ok {
			if t := unquote(raw); validDecimal(t) {
				if decs == nil {
					decs = make([]Decimal, 0, len(decimalMetrics))
				}
				decs = append(decs, Decimal(t))
				*f(&r) = &decs[len(decs)-1]
				continue
			}
		}
		if r.Other == nil {
			r.Other = make(map[string]json.RawMessage, len(m.metrics))
		}
		r.Other[string(mt.name)] = raw
	}
	return r
}

// unquote returns the text of a JSON string, or raw itself for any other
// JSON value.
func unquote(raw json.RawMessage) []byte {
	if len(raw) >= 2 && raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return []byte(s)
		}
	}
	return raw
}

// validDecimal reports whether t is a decimal number: -?digits(.digits)?
// with an optional exponent, as JSON numbers are.
func validDecimal(t []byte) bool {
	if len(t) == 0 {
		return false
	}
	var n json.Number
	return json.Unmarshal(t, &n) == nil && n.String() == string(t)
}

// Value returns the text of metric name (a count in decimal, money as
// LinkedIn's decimal text, any other JSON string unquoted, any other JSON
// value as sent) and whether the row has it.
func (r *Row) Value(name string) (string, bool) {
	if f, ok := intMetrics[name]; ok {
		if p := *f(r); p != nil {
			return strconv.FormatInt(*p, 10), true
		}
	}
	if f, ok := decimalMetrics[name]; ok {
		if p := *f(r); p != nil {
			return string(*p), true
		}
	}
	if raw, ok := r.Other[name]; ok {
		return string(unquote(raw)), true
	}
	return "", false
}

// metrics returns every metric of r as raw JSON.
func (r *Row) metrics() []metric {
	out := make([]metric, 0, len(r.Other)+4)
	for k, f := range intMetrics {
		if p := *f(r); p != nil {
			out = append(out, metric{[]byte(k), strconv.AppendInt(nil, *p, 10)})
		}
	}
	for k, f := range decimalMetrics {
		if p := *f(r); p != nil {
			b, _ := json.Marshal(string(*p))
			out = append(out, metric{[]byte(k), b})
		}
	}
	for k, v := range r.Other {
		out = append(out, metric{[]byte(k), v})
	}
	return out
}

// MarshalJSON writes r in LinkedIn's shape: {"pivotValues":…,
// "dateRange":…, and every metric it has}, money as strings.
func (r Row) MarshalJSON() ([]byte, error) {
	m := row{pivotValues: r.PivotValues, dateRange: r.DateRange, metrics: r.metrics()}
	return m.json(), nil
}

// UnmarshalJSON reads a row in LinkedIn's shape.
func (r *Row) UnmarshalJSON(b []byte) error {
	var e element
	if err := json.Unmarshal(b, &e); err != nil {
		return err
	}
	*r = rowFrom(rowOf(&e))
	return nil
}
