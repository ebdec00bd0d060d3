// This file decides how to split a slice of a report whose answer may
// have been cut: by dates aligned to the granularity, sized from the
// answer itself, or else by halving a facet the pivots partition.

package adanalytics

import (
	"math"
	"slices"
	"time"
)

// task is one slice of the report still to fetch: a date range, the
// facet lists, and the metric groups it still needs. have holds the rows
// of the groups already fetched for exactly this slice (or nil).
type task struct {
	start, end Date // end is zero only for an open-ended root
	facets     map[string][]string
	split      string // the facet split to make this slice, "" if none
	groups     []int
	have       *merger
	path       []int // position in the split tree, for the report order
}

// unit is the period a date split must align to, so that every row of a
// child slice is a row of the whole: a day for DAILY, a month for MONTHLY,
// a year for YEARLY. ALL rows cover the whole range and cannot be split
// by date at all.
type unit int

const (
	unitNone unit = iota
	unitDay
	unitMonth
	unitYear
)

func unitOf(g Granularity) unit {
	switch g {
	case Daily:
		return unitDay
	case Monthly:
		return unitMonth
	case Yearly:
		return unitYear
	}
	return unitNone
}

// ordinal numbers the units: days since year 1, months, or years.
func (u unit) ordinal(d Date) int {
	switch u {
	case unitDay:
		return int(d.Time().Unix() / 86400)
	case unitMonth:
		return d.Year*12 + d.Month - 1
	case unitYear:
		return d.Year
	}
	return 0
}

// startOf returns the first day of the unit with ordinal o.
func (u unit) startOf(o int) Date {
	switch u {
	case unitDay:
		return DateOf(time.Unix(int64(o)*86400, 0))
	case unitMonth:
		return Date{o / 12, o%12 + 1, 1}
	case unitYear:
		return Date{o, 1, 1}
	}
	return Date{}
}

// count returns how many units [start, end] touches.
func (u unit) count(start, end Date) int {
	if u == unitNone {
		return 1
	}
	return u.ordinal(end) - u.ordinal(start) + 1
}

// splitDates divides [start, end] into n contiguous ranges on unit
// boundaries, their sizes in units differing by one at most.
func (u unit) splitDates(start, end Date, n int) []DateRange {
	first, units := u.ordinal(start), u.count(start, end)
	n = min(n, units)
	out := make([]DateRange, n)
	for i := range n {
		a := first + i*units/n
		b := first + (i+1)*units/n // the next range's first unit
		r := DateRange{Start: u.startOf(a), End: u.startOf(b).AddDays(-1)}
		if i == 0 {
			r.Start = start
		}
		if i == n-1 {
			r.End = end
		}
		out[i] = r
	}
	return out
}

// fill is how full the engine aims to make each child slice's answer, as
// a share of the cap: room for days busier than the estimate.
const fill = 0.95

// estimateSlices returns how many date slices [start, end] should be cut
// into so that each answer stays under limit elements, judged from els,
// an answer for the whole range that reached the limit. The rows it holds
// per unit give the density: LinkedIn (and restlitest) send rows in date
// order, so the first units of a cut answer are complete. When the answer
// instead spans nearly every unit (cut in some other order), each unit
// holds only a sample, and the number of distinct pivot-value
// combinations is the better estimate of rows per unit. Either way, a cut
// answer proves at least limit rows over the range.
func estimateSlices(els []*row, u unit, start, end Date, limit int) int {
	units := u.count(start, end)
	if units <= 1 {
		return 1
	}
	perUnit := map[int]int{}
	combos := map[string]bool{}
	most := 0
	for _, r := range els {
		o := u.ordinal(r.dateRange.Start)
		perUnit[o]++
		most = max(most, perUnit[o])
		combos[rowKey(r.pivotValues, DateRange{})] = true
	}
	density := float64(most)
	if len(perUnit)*10 >= units*9 {
		density = max(density, float64(len(combos)))
	}
	density = max(density, float64(limit)/float64(units))
	n := int(math.Ceil(float64(units) * density / (float64(limit) * fill)))
	return min(max(n, 2), units)
}

// facetLevel ranks the facets of LinkedIn's account structure, and
// pivotLevel the pivots: a pivot at or below a facet's level gives every
// row to exactly one value of the facet (a creative belongs to one
// campaign), so splitting that facet's list splits the rows without
// changing any. SHARE and COMPANY partition their own facets only.
var (
	facetLevel = map[string]int{FacetAccounts: 1, FacetCampaignGroups: 2, FacetCampaigns: 3, FacetCreatives: 4}
	pivotLevel = map[Pivot]int{PivotAccount: 1, PivotCampaignGroup: 2, PivotCampaign: 3, PivotCreative: 4}
	ownFacet   = map[Pivot]string{PivotShare: FacetShares, PivotCompany: FacetCompanies}
)

// splittable reports whether the rows of a query with pivots partition
// over the values of facet.
func splittable(pivots []Pivot, facet string) bool {
	for _, p := range pivots {
		if ownFacet[p] == facet {
			return true
		}
		if fl, ok := facetLevel[facet]; ok && pivotLevel[p] >= fl {
			return true
		}
	}
	return false
}

// facetToSplit returns the splittable facet of t with the most values
// (at least two), or "".
func facetToSplit(pivots []Pivot, facets map[string][]string) string {
	best := ""
	for _, name := range sortedKeys(facets) {
		if len(facets[name]) >= 2 && splittable(pivots, name) && (best == "" || len(facets[name]) > len(facets[best])) {
			best = name
		}
	}
	return best
}

// children splits t after an answer of group g reached the limit, or
// reports that it cannot be split. order is the order t's groups were
// being fetched in and i the position of g in it; m holds the rows of the
// groups fetched so far for t.
func (e *engine[T]) children(t *task, els []*row, order []int, i int, m *merger) ([]*task, bool) {
	u := unitOf(e.q.Granularity)
	end := t.end
	if end.IsZero() && u != unitNone {
		end = DateOf(e.cfg.now()) // an open end is today
		if end.Compare(t.start) < 0 {
			end = t.start
		}
	}
	if n := estimateSlices(els, u, t.start, end, e.cfg.maxElements); n >= 2 {
		ranges := u.splitDates(t.start, end, n)
		kids := make([]*task, len(ranges))
		for k, r := range ranges {
			kids[k] = &task{start: r.Start, end: r.End, facets: t.facets, split: t.split,
				groups: slices.Clone(order[i:]), path: append(slices.Clone(t.path), k)}
		}
		// The groups already fetched for t are kept, each row given to the
		// child holding its first day, so no child asks for them again.
		for _, r := range m.rows {
			k, _ := slices.BinarySearchFunc(kids, r.dateRange.Start, func(c *task, d Date) int {
				return c.end.Compare(d)
			})
			k = min(k, len(kids)-1)
			if kids[k].have == nil {
				kids[k].have = newMerger()
			}
			kids[k].have.add(r)
		}
		return kids, true
	}
	name := facetToSplit(e.q.Pivots, t.facets)
	if name == "" {
		return nil, false
	}
	// A facet split cannot share out the rows already fetched (a row does
	// not say which value of the facet it belongs to): each half asks for
	// every group again.
	vals := t.facets[name]
	halves := [2][]string{vals[:len(vals)/2], vals[len(vals)/2:]}
	kids := make([]*task, 2)
	for k, h := range halves {
		f := make(map[string][]string, len(t.facets))
		for n, v := range t.facets {
			f[n] = v
		}
		f[name] = h
		kids[k] = &task{start: t.start, end: t.end, facets: f, split: name,
			groups: slices.Clone(e.allGroups), path: append(slices.Clone(t.path), k)}
	}
	return kids, true
}
