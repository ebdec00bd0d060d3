// Internal tests of the split decisions: date ranges cut on unit
// boundaries, the number of slices estimated from a cut answer, and which
// facets a query's pivots partition.

package adanalytics

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func TestUnit_SplitDatesAlignsToTheGranularity(t *testing.T) {
	tests := []struct {
		u          unit
		start, end Date
		n          int
		want       string
	}{
		{unitDay, Date{2025, 1, 1}, Date{2025, 1, 10}, 3, "[2025-01-01..2025-01-03 2025-01-04..2025-01-06 2025-01-07..2025-01-10]"},
		{unitDay, Date{2024, 12, 30}, Date{2025, 1, 2}, 9, "[2024-12-30..2024-12-30 2024-12-31..2024-12-31 2025-01-01..2025-01-01 2025-01-02..2025-01-02]"},
		{unitMonth, Date{2025, 1, 10}, Date{2025, 4, 5}, 2, "[2025-01-10..2025-02-28 2025-03-01..2025-04-05]"},
		{unitMonth, Date{2024, 11, 15}, Date{2025, 2, 1}, 4, "[2024-11-15..2024-11-30 2024-12-01..2024-12-31 2025-01-01..2025-01-31 2025-02-01..2025-02-01]"},
		{unitYear, Date{2023, 6, 1}, Date{2025, 3, 1}, 2, "[2023-06-01..2023-12-31 2024-01-01..2025-03-01]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(tt.u.splitDates(tt.start, tt.end, tt.n)); got != tt.want {
			t.Errorf("split %v..%v in %d: %s, want %s", tt.start, tt.end, tt.n, got, tt.want)
		}
	}
}

// answer builds a cut answer of limit rows from perDay rows per day over
// days: the first ones in date order, or a random sample (an answer cut
// in some other order).
func answer(perDay, days, limit int, shuffled bool) []*row {
	start := Date{2025, 1, 1}
	mk := func(d, p int) *row {
		day := start.AddDays(d)
		return &row{pivotValues: []string{fmt.Sprint(p)}, dateRange: DateRange{day, day}}
	}
	var out []*row
	if !shuffled {
		for i := 0; i < min(limit, perDay*days); i++ {
			out = append(out, mk(i/perDay, i%perDay))
		}
		return out
	}
	rnd := rand.New(rand.NewPCG(1, 1))
	seen := map[int]bool{}
	for len(out) < min(limit, perDay*days) {
		if i := rnd.IntN(perDay * days); !seen[i] {
			seen[i] = true
			out = append(out, mk(i/perDay, i%perDay))
		}
	}
	return out
}

func TestEstimateSlices_SizesSlicesFromTheCutAnswer(t *testing.T) {
	tests := []struct {
		name                string
		perDay, days, limit int
		shuffled            bool
		want                int
	}{
		{"in date order", 300, 365, 15000, false, 8},   // 109,500 rows: 8 slices of 45-46 days (13,800 rows at most)
		{"cut in any order", 300, 365, 15000, true, 8}, // the distinct campaigns give the density
		{"a tenth", 30, 365, 1500, false, 8},
		{"barely over", 16, 1000, 15000, false, 2},
		{"denser than the cap per day", 20000, 10, 15000, false, 10},
	}
	for _, tt := range tests {
		els := answer(tt.perDay, tt.days, tt.limit, tt.shuffled)
		end := Date{2025, 1, 1}.AddDays(tt.days - 1)
		if got := estimateSlices(els, unitDay, Date{2025, 1, 1}, end, tt.limit); got != tt.want {
			t.Errorf("%s: %d slices, want %d", tt.name, got, tt.want)
		}
	}
	if n := estimateSlices(nil, unitNone, Date{2025, 1, 1}, Date{2025, 12, 31}, 10); n != 1 {
		t.Errorf("granularity ALL: %d slices, want 1 (no date split)", n)
	}
}

func TestSplittable_PivotsPartitionTheirFacetAndThoseAbove(t *testing.T) {
	tests := []struct {
		pivots []Pivot
		facet  string
		want   bool
	}{
		{[]Pivot{PivotCampaign}, FacetCampaigns, true},
		{[]Pivot{PivotCreative}, FacetCampaigns, true}, // a creative belongs to one campaign
		{[]Pivot{PivotCampaign}, FacetAccounts, true},
		{[]Pivot{PivotCampaign}, FacetCreatives, false}, // a campaign row sums many creatives
		{[]Pivot{PivotCampaignGroup}, FacetCampaigns, false},
		{[]Pivot{PivotMemberCountry}, FacetCampaigns, false}, // demographic rows sum every campaign
		{[]Pivot{PivotMemberCountry, PivotCampaign}, FacetCampaigns, true},
		{[]Pivot{PivotShare}, FacetShares, true},
		{[]Pivot{PivotShare}, FacetCampaigns, false},
		{[]Pivot{PivotCompany}, FacetCompanies, true},
	}
	for _, tt := range tests {
		if got := splittable(tt.pivots, tt.facet); got != tt.want {
			t.Errorf("pivots %v, facet %s: %v, want %v", tt.pivots, tt.facet, got, tt.want)
		}
	}
	f := map[string][]string{FacetAccounts: {"a", "b"}, FacetCampaigns: {"1", "2", "3"}, FacetCreatives: {"x", "y", "z", "w"}}
	if got := facetToSplit([]Pivot{PivotCampaign}, f); got != FacetCampaigns {
		t.Errorf("facet to split: %q, want the campaigns (the creatives are not partitioned)", got)
	}
}
