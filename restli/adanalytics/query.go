// This file holds the typed adAnalytics query, its validation and its
// encoding into the finder's query parameters.

package adanalytics

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/linkedin-go/linkedin/restli"
)

// Finder is an adAnalytics finder (the q parameter).
type Finder string

// The adAnalytics finders.
const (
	// FinderAnalytics groups by one pivot (pivot=…).
	FinderAnalytics Finder = "analytics"
	// FinderStatistics groups by up to three pivots (pivots=List(…)).
	FinderStatistics Finder = "statistics"
	// FinderAttributedRevenue reports revenue attribution metrics.
	FinderAttributedRevenue Finder = "attributedRevenueMetrics"
)

// Pivot is what a report groups by, e.g. CAMPAIGN.
type Pivot string

// Common pivots. Any other upper-case LinkedIn pivot (MEMBER_COUNTRY_V2,
// CONVERSION, SERVING_LOCATION…) can be given as Pivot("…").
const (
	PivotAccount       Pivot = "ACCOUNT"
	PivotCampaignGroup Pivot = "CAMPAIGN_GROUP"
	PivotCampaign      Pivot = "CAMPAIGN"
	PivotCreative      Pivot = "CREATIVE"
	PivotShare         Pivot = "SHARE"
	PivotCompany       Pivot = "COMPANY"
	PivotConversion    Pivot = "CONVERSION"
	PivotMemberCountry Pivot = "MEMBER_COUNTRY_V2"
)

// Granularity is the period of each row (timeGranularity).
type Granularity string

// The time granularities LinkedIn accepts.
const (
	All     Granularity = "ALL" // one row per pivot value for the whole range
	Daily   Granularity = "DAILY"
	Monthly Granularity = "MONTHLY"
	Yearly  Granularity = "YEARLY"
)

// Common facets: the query parameters that restrict a report to lists of
// URNs. Any other facet LinkedIn accepts can be used by name.
const (
	FacetAccounts       = "accounts"
	FacetCampaignGroups = "campaignGroups"
	FacetCampaigns      = "campaigns"
	FacetCreatives      = "creatives"
	FacetShares         = "shares"
	FacetCompanies      = "companies"
)

// MaxPivots is the most pivots LinkedIn's statistics finder takes.
const MaxPivots = 3

// Date is a calendar day, as LinkedIn's dateRange writes it:
// (year:2025,month:1,day:31), or {"year":2025,"month":1,"day":31} in JSON.
type Date struct {
	Year  int `json:"year"`
	Month int `json:"month"`
	Day   int `json:"day"`
}

// DateOf returns the UTC calendar day of t.
func DateOf(t time.Time) Date {
	y, m, d := t.UTC().Date()
	return Date{y, int(m), d}
}

// Time returns the day at 00:00 UTC.
func (d Date) Time() time.Time {
	return time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
}

// IsZero reports whether d is the zero Date (no day).
func (d Date) IsZero() bool { return d == Date{} }

// String returns the day as YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// AddDays returns the day n days after d (before, for a negative n).
func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(d.Month, e.Month)
	}
	return cmpInt(d.Day, e.Day)
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// valid reports whether d is a real calendar day.
func (d Date) valid() bool {
	return d.Year >= 1 && d.Year <= 9999 && d.Month >= 1 && d.Month <= 12 && d.Day >= 1 && DateOf(d.Time()) == d
}

func (d Date) wire() map[string]any {
	return map[string]any{"year": d.Year, "month": d.Month, "day": d.Day}
}

// DateRange is a range of days, both ends included. In a Query a zero End
// means open-ended (LinkedIn reports up to today).
type DateRange struct {
	Start Date `json:"start"`
	End   Date `json:"end"`
}

// String returns "start..end".
func (r DateRange) String() string {
	if r.End.IsZero() {
		return r.Start.String() + ".."
	}
	return r.Start.String() + ".." + r.End.String()
}

// Query describes an adAnalytics report. Run validates it before sending
// anything; an invalid query is a *restli.ValidationError naming the field.
type Query struct {
	// Finder is the adAnalytics finder. The zero value picks
	// FinderAnalytics for one pivot and FinderStatistics for two or three.
	Finder Finder
	// Pivots are what rows are grouped by: exactly one for
	// FinderAnalytics, one to MaxPivots for FinderStatistics, at most one
	// for FinderAttributedRevenue.
	Pivots []Pivot
	// Granularity is the period of each row. It is required, except for
	// FinderAttributedRevenue.
	Granularity Granularity
	// DateRange is the days reported on; Start is required, a zero End
	// means up to today.
	DateRange DateRange
	// Facets restricts the report, e.g. {FacetCampaigns: {"urn:li:sponsoredCampaign:1", …}}.
	// At least one is required (LinkedIn requires one); no list may be
	// empty. A URN listed twice is sent once. Long lists are sent whole:
	// the query tunneling layer of the transport stack turns such a
	// request into a POST (see the package documentation).
	Facets map[string][]string
	// Metrics are the metrics to report, any number of them, e.g.
	// "impressions", "clicks", "costInLocalCurrency". A metric listed
	// twice is asked for once.
	Metrics []string
}

// finder returns the finder q uses.
func (q *Query) finder() Finder {
	if q.Finder != "" {
		return q.Finder
	}
	if len(q.Pivots) > 1 {
		return FinderStatistics
	}
	return FinderAnalytics
}

func bad(field, reason string) error {
	return &restli.ValidationError{Field: "Query." + field, Reason: reason}
}

// Validate reports the first problem with q as a *restli.ValidationError,
// or nil. Run calls it before sending anything.
func (q *Query) Validate() error {
	_, err := q.normalize()
	return err
}

// normalize validates q and returns a copy with duplicates removed from
// the facets and metrics, and the finder filled in.
func (q *Query) normalize() (Query, error) {
	n := Query{Finder: q.finder(), Granularity: q.Granularity, DateRange: q.DateRange}
	switch n.Finder {
	case FinderAnalytics, FinderStatistics, FinderAttributedRevenue:
	default:
		return n, bad("Finder", "unknown finder; want analytics, statistics or attributedRevenueMetrics")
	}
	if len(q.Pivots) > MaxPivots {
		return n, bad("Pivots", "more than "+strconv.Itoa(MaxPivots)+" pivots; LinkedIn groups by at most three")
	}
	switch {
	case n.Finder == FinderAnalytics && len(q.Pivots) != 1:
		return n, bad("Pivots", "the analytics finder takes exactly one pivot (use FinderStatistics for two or three)")
	case n.Finder == FinderStatistics && len(q.Pivots) == 0:
		return n, bad("Pivots", "the statistics finder takes one to three pivots")
	case n.Finder == FinderAttributedRevenue && len(q.Pivots) > 1:
		return n, bad("Pivots", "the attributedRevenueMetrics finder takes at most one pivot")
	}
	for i, p := range q.Pivots {
		if !isSymbol(string(p)) {
			return n, bad("Pivots["+strconv.Itoa(i)+"]", "not a pivot name (upper-case letters, digits and _)")
		}
		if slices.Contains(q.Pivots[:i], p) {
			return n, bad("Pivots["+strconv.Itoa(i)+"]", "pivot listed twice")
		}
	}
	n.Pivots = slices.Clone(q.Pivots)
	switch q.Granularity {
	case All, Daily, Monthly, Yearly:
	case "":
		if n.Finder != FinderAttributedRevenue {
			return n, bad("Granularity", "missing; want ALL, DAILY, MONTHLY or YEARLY")
		}
	default:
		return n, bad("Granularity", "unknown time granularity; want ALL, DAILY, MONTHLY or YEARLY")
	}
	if !q.DateRange.Start.valid() {
		return n, bad("DateRange.Start", "missing or not a calendar day")
	}
	if !q.DateRange.End.IsZero() {
		if !q.DateRange.End.valid() {
			return n, bad("DateRange.End", "not a calendar day")
		}
		if q.DateRange.End.Compare(q.DateRange.Start) < 0 {
			return n, bad("DateRange.End", "before DateRange.Start")
		}
	}
	if len(q.Facets) == 0 {
		return n, bad("Facets", "missing; LinkedIn needs at least one facet (accounts, campaigns…)")
	}
	n.Facets = make(map[string][]string, len(q.Facets))
	for _, name := range sortedKeys(q.Facets) {
		urns := q.Facets[name]
		if !isIdentifier(name) || name == "q" || name == "fields" || name == "dateRange" ||
			name == "pivot" || name == "pivots" || name == "timeGranularity" {
			return n, bad("Facets", "a facet name must be a parameter name such as campaigns")
		}
		if len(urns) == 0 {
			return n, bad("Facets["+name+"]", "empty facet list; leave the facet out instead")
		}
		seen := make(map[string]bool, len(urns))
		out := make([]string, 0, len(urns))
		for i, u := range urns {
			if _, err := restli.ParseURN(u); err != nil {
				return n, bad("Facets["+name+"]["+strconv.Itoa(i)+"]", "not a URN")
			}
			if !seen[u] {
				seen[u] = true
				out = append(out, u)
			}
		}
		n.Facets[name] = out
	}
	if len(q.Metrics) == 0 {
		return n, bad("Metrics", "no metrics; name at least one, e.g. impressions")
	}
	seen := make(map[string]bool, len(q.Metrics))
	for i, m := range q.Metrics {
		if !isIdentifier(m) {
			return n, bad("Metrics["+strconv.Itoa(i)+"]", "not a metric name (letters, digits and _)")
		}
		if m == fieldDateRange || m == fieldPivotValues || m == "pivotValue" || m == "pivot" {
			return n, bad("Metrics["+strconv.Itoa(i)+"]", "dateRange and pivotValues are always reported; they are not metrics")
		}
		if !seen[m] {
			seen[m] = true
			n.Metrics = append(n.Metrics, m)
		}
	}
	return n, nil
}

// The fields every request names besides its metrics: the merge key.
const (
	fieldDateRange   = "dateRange"
	fieldPivotValues = "pivotValues"
)

// params returns the finder's query parameters for the days [start, end]
// (end may be zero: open), the facets and the metrics.
func (q *Query) params(start, end Date, facets map[string][]string, metrics []string) map[string]any {
	p := make(map[string]any, len(facets)+5)
	switch {
	case q.Finder == FinderStatistics:
		pv := make([]string, len(q.Pivots))
		for i, v := range q.Pivots {
			pv[i] = string(v)
		}
		p["pivots"] = pv
	case len(q.Pivots) == 1:
		p["pivot"] = string(q.Pivots[0])
	}
	if q.Granularity != "" {
		p["timeGranularity"] = string(q.Granularity)
	}
	dr := map[string]any{"start": start.wire()}
	if !end.IsZero() {
		dr["end"] = end.wire()
	}
	p["dateRange"] = dr
	for name, urns := range facets {
		p[name] = urns
	}
	var b strings.Builder
	b.WriteString(fieldDateRange + "," + fieldPivotValues)
	for _, m := range metrics {
		b.WriteByte(',')
		b.WriteString(m)
	}
	p["fields"] = b.String()
	return p
}

func isSymbol(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

func isIdentifier(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
