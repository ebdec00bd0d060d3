// Tests of each split rule: metric groups, date splits aligned to the
// granularity, facet splits within a period, the truncation error when no
// split is possible, open-ended ranges, long facet lists.

package adanalytics_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/restli/adanalytics"
	"github.com/linkedin-go/linkedin/restli/restlitest"
)

func TestRun_SplitsMetricsIntoGroupsOfEighteen(t *testing.T) {
	srv, ds, c := setup(t, restlitest.AdsConfig{CampaignsPerAccount: 5, Days: 20})
	metrics := restlitest.AdsMetrics() // 40: three requests of 18, 18 and 4 metrics
	q := yearQuery(ds, metrics)
	rows, err := adanalytics.Run(ctxT(t), c, q)
	if err != nil {
		t.Fatal(err)
	}
	if d := compare(rows, truthOf(t, ds, q), metrics); !d.ok() {
		t.Fatal(d)
	}
	reqs := adsRequests(srv)
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	var asked []string
	for _, r := range reqs {
		f := fieldsOf(r)
		if len(f) > adanalytics.MaxFields || f[0] != "dateRange" || f[1] != "pivotValues" {
			t.Fatalf("fields %v: want dateRange, pivotValues and at most 18 metrics", f)
		}
		asked = append(asked, f[2:]...)
	}
	slices.Sort(asked)
	want := slices.Clone(metrics)
	slices.Sort(want)
	if !slices.Equal(asked, want) {
		t.Fatalf("the requests asked for %v, want every metric once", asked)
	}
}

func TestRun_SplitsDatesWhenAnAnswerReachesTheCap(t *testing.T) {
	srv, ds, c := setup(t, restlitest.AdsConfig{CampaignsPerAccount: 10, Days: 90, MaxElements: 100})
	metrics := []string{"impressions", "clicks"}
	q := yearQuery(ds, metrics)
	var st adanalytics.Stats
	rows, err := adanalytics.Run(ctxT(t), c, q, adanalytics.WithMaxElements(100), adanalytics.WithStats(&st))
	if err != nil {
		t.Fatal(err)
	}
	truth := truthOf(t, ds, q)
	if d := compare(rows, truth, metrics); !d.ok() {
		t.Fatal(d)
	}
	reqs := adsRequests(srv)
	if min := ceilDiv(len(truth), 100); 2*len(reqs) > 3*min || st.Capped == 0 {
		t.Fatalf("%d requests (%d capped) for %d rows: minimum %d", len(reqs), st.Capped, len(truth), min)
	}
	// The rows come sorted: by day, then campaign.
	for i := 1; i < len(rows); i++ {
		a, b := rows[i-1], rows[i]
		if c := a.DateRange.Start.Compare(b.DateRange.Start); c > 0 || c == 0 && a.PivotValues[0] >= b.PivotValues[0] {
			t.Fatalf("rows %d and %d out of order", i-1, i)
		}
	}
}

func TestRun_MonthlyReportsSplitOnMonthBoundaries(t *testing.T) {
	srv, ds, c := setup(t, restlitest.AdsConfig{CampaignsPerAccount: 30, Days: 365, MaxElements: 100})
	metrics := []string{"impressions", "costInUsd"}
	q := yearQuery(ds, metrics)
	q.Granularity = adanalytics.Monthly
	q.Pivots = []adanalytics.Pivot{adanalytics.PivotCreative}
	q.DateRange.Start = adanalytics.Date{Year: 2025, Month: 1, Day: 10} // a partial first month
	rows, err := adanalytics.Run(ctxT(t), c, q, adanalytics.WithMaxElements(100))
	if err != nil {
		t.Fatal(err)
	}
	if d := compare(rows, truthOf(t, ds, q), metrics); !d.ok() {
		t.Fatal(d)
	}
	split := false
	for _, r := range adsRequests(srv) {
		dr := r.Params["dateRange"].(map[string]any)
		start, end := dr["start"].(map[string]any), dr["end"].(map[string]any)
		if start["day"] != "1" && !(start["month"] == "1" && start["day"] == "10") {
			t.Fatalf("a request starts on %v: not a month boundary", start)
		}
		endDay := adanalytics.Date{Year: 2025, Month: atoi(end["month"]), Day: atoi(end["day"])}
		if endDay.AddDays(1).Day != 1 {
			t.Fatalf("a request ends on %v: not the end of a month", endDay)
		}
		split = split || end["month"] != "12"
	}
	if !split {
		t.Fatal("the report was never split")
	}
}

func atoi(v any) int {
	s, _ := v.(string)
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func TestRun_SplitsFacetsWithinASingleDay(t *testing.T) {
	srv, ds, c := setup(t, restlitest.AdsConfig{CampaignsPerAccount: 40, Days: 3, MaxElements: 10})
	metrics := []string{"impressions"}
	q := yearQuery(ds, metrics)
	q.DateRange.End = q.DateRange.Start // one day: only the campaigns can be split
	q.Facets = map[string][]string{adanalytics.FacetCampaigns: ds.Campaigns("")}
	rows, err := adanalytics.Run(ctxT(t), c, q, adanalytics.WithMaxElements(10))
	if err != nil {
		t.Fatal(err)
	}
	if d := compare(rows, truthOf(t, ds, q), metrics); !d.ok() {
		t.Fatal(d)
	}
	smallest := 40
	for _, r := range adsRequests(srv) {
		smallest = min(smallest, len(r.Params["campaigns"].([]any)))
	}
	if smallest > 10 {
		t.Fatalf("no request had 10 campaigns or fewer (smallest %d)", smallest)
	}
}

func TestRun_ReportsTruncationItCannotSplit(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(q *adanalytics.Query, ds *restlitest.AdsDataset)
		slices int
	}{
		{"one day, one account", func(q *adanalytics.Query, ds *restlitest.AdsDataset) {
			q.DateRange.End = q.DateRange.Start
		}, 1},
		{"granularity ALL cannot be split by date", func(q *adanalytics.Query, ds *restlitest.AdsDataset) {
			q.Granularity = adanalytics.All
		}, 1},
		{"campaign groups do not partition campaigns", func(q *adanalytics.Query, ds *restlitest.AdsDataset) {
			q.Granularity = adanalytics.All
			q.Pivots = []adanalytics.Pivot{adanalytics.PivotCampaignGroup}
			q.Facets = map[string][]string{adanalytics.FacetCampaigns: ds.Campaigns("")}
		}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, ds, c := setup(t, restlitest.AdsConfig{CampaignsPerAccount: 12, CampaignGroupsPerAccount: 6, Days: 5, MaxElements: 5})
			q := yearQuery(ds, []string{"impressions", "clicks"})
			tt.edit(&q, ds)
			rows, err := adanalytics.Run(ctxT(t), c, q, adanalytics.WithMaxElements(5))
			var te *adanalytics.TruncatedError
			if !errors.As(err, &te) || !errors.Is(err, adanalytics.ErrTruncated) {
				t.Fatalf("got %v, want a *TruncatedError", err)
			}
			if len(te.Slices) != tt.slices || te.Slices[0].Elements != 5 || te.Slices[0].DateRange.Start != q.DateRange.Start {
				t.Fatalf("slices %+v", te.Slices)
			}
			if len(rows) != 5 {
				t.Fatalf("%d rows, want the 5 LinkedIn sent", len(rows))
			}
			if !strings.Contains(err.Error(), "truncated by LinkedIn") || !strings.Contains(err.Error(), q.DateRange.Start.String()) {
				t.Fatalf("error %q does not name the slice", err)
			}
			if n := len(adsRequests(srv)); n != 1 {
				t.Fatalf("%d requests, want 1: nothing to split", n)
			}
		})
	}
}

func TestRun_OpenEndedRangeEndsToday(t *testing.T) {
	srv, ds, c := setup(t, restlitest.AdsConfig{CampaignsPerAccount: 10, Days: 60, MaxElements: 100})
	metrics := []string{"impressions"}
	q := yearQuery(ds, metrics)
	q.DateRange.End = adanalytics.Date{}
	today := func() time.Time { return ds.Last().Add(13 * time.Hour) }
	rows, err := adanalytics.Run(ctxT(t), c, q, adanalytics.WithMaxElements(100), adanalytics.WithClock(today))
	if err != nil {
		t.Fatal(err)
	}
	if d := compare(rows, truthOf(t, ds, q), metrics); !d.ok() {
		t.Fatal(d)
	}
	reqs := adsRequests(srv)
	if _, ok := reqs[0].Params["dateRange"].(map[string]any)["end"]; ok || len(reqs) < 3 {
		t.Fatalf("%d requests; the first must be open-ended", len(reqs))
	}
}

func TestRun_TheDensestMetricGroupSizesTheSlices(t *testing.T) {
	srv, ds, c := setup(t, restlitest.AdsConfig{CampaignsPerAccount: 15, Days: 120, MaxElements: 200})
	all := restlitest.AdsMetrics()
	metrics := append(slices.Clone(all[23:30]), all[:18]...) // the sparse video group first
	q := yearQuery(ds, metrics)
	rows, err := adanalytics.Run(ctxT(t), c, q, adanalytics.WithMaxElements(200), adanalytics.WithConcurrency(1))
	if err != nil {
		t.Fatal(err)
	}
	truth := truthOf(t, ds, q)
	if d := compare(rows, truth, metrics); !d.ok() {
		t.Fatal(d)
	}
	n, min := len(adsRequests(srv)), ceilDiv(len(truth), 200)*2
	t.Logf("%d requests for %d rows, minimum %d", n, len(truth), min)
	if 2*n > 3*min {
		t.Fatalf("%d requests, minimum %d", n, min)
	}
}

func TestRun_LongFacetListsAreTunneled(t *testing.T) {
	srv, ds, c := setup(t, restlitest.AdsConfig{CampaignsPerAccount: 300, Days: 2})
	metrics := []string{"impressions", "videoViews"}
	q := yearQuery(ds, metrics)
	q.Facets = map[string][]string{adanalytics.FacetCampaigns: ds.Campaigns("")}
	rows, err := adanalytics.Run(ctxT(t), c, q)
	if err != nil {
		t.Fatal(err)
	}
	if d := compare(rows, truthOf(t, ds, q), metrics); !d.ok() {
		t.Fatal(d)
	}
	reqs := adsRequests(srv)
	if len(reqs) != 1 || !reqs[0].Tunneled || len(reqs[0].Params["campaigns"].([]any)) != 300 {
		t.Fatalf("want one tunneled request with the 300 campaigns; got %d requests", len(reqs))
	}
}
