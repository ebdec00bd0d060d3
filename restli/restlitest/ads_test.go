// Tests of the ads dataset and the adAnalytics finders: LinkedIn's limits
// (20 fields, the element cap, no paging), the checks on the query, and
// the ground truth.

package restlitest_test

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
)

type adsElement struct {
	PivotValues []string `json:"pivotValues"`
	DateRange   struct {
		Start restlitest.AdsDate `json:"start"`
		End   restlitest.AdsDate `json:"end"`
	} `json:"dateRange"`
	Impressions *int64  `json:"impressions"`
	CostInUsd   *string `json:"costInUsd"`
	VideoViews  *int64  `json:"videoViews"`
}

func adsParams(days int, fields string) map[string]any {
	return map[string]any{
		"pivot":           "CAMPAIGN",
		"timeGranularity": "DAILY",
		"dateRange": map[string]any{
			"start": map[string]any{"year": 2025, "month": 1, "day": 1},
			"end":   map[string]any{"year": 2025, "month": 1, "day": days},
		},
		"accounts": []string{"urn:li:sponsoredAccount:500000000"},
		"fields":   fields,
	}
}

func adsFind(t *testing.T, c *restli.Client, finder string, params map[string]any) (*restli.CollectionResult[adsElement], error) {
	t.Helper()
	return restli.FinderAs[adsElement](ctxT(t), c, restli.FinderRequest{ResourcePath: "/adAnalytics", FinderName: finder, QueryParams: params})
}

func TestAds_FinderAnswersTheTruth(t *testing.T) {
	srv := newServer(t)
	ds := srv.ServeAds(restlitest.AdsConfig{CampaignsPerAccount: 4, Days: 31})
	res, err := adsFind(t, srv.RestliClient(), "analytics", adsParams(31, "dateRange,pivotValues,impressions,costInUsd,videoViews"))
	if err != nil {
		t.Fatal(err)
	}
	truth, err := ds.Truth(restlitest.AdsQuery{Finder: "analytics", Pivots: []string{"CAMPAIGN"}, Granularity: "DAILY",
		Start: restlitest.AdsDate{Year: 2025, Month: 1, Day: 1}, End: restlitest.AdsDate{Year: 2025, Month: 1, Day: 31},
		Facets: map[string][]string{"accounts": ds.Accounts()}, Metrics: []string{"impressions", "costInUsd", "videoViews"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Elements) != len(truth) || len(truth) < 100 {
		t.Fatalf("%d elements, truth %d", len(res.Elements), len(truth))
	}
	absentVideo := 0
	for i, e := range res.Elements {
		tr := truth[i]
		if !slices.Equal(e.PivotValues, tr.PivotValues) || e.DateRange.Start != tr.Start || e.DateRange.End != tr.End {
			t.Fatalf("element %d: key %v %v, truth %v %v", i, e.PivotValues, e.DateRange.Start, tr.PivotValues, tr.Start)
		}
		if e.Impressions == nil || strconv.FormatInt(*e.Impressions, 10) != tr.Metrics["impressions"] {
			t.Fatalf("element %d: impressions differ from the truth", i)
		}
		if e.CostInUsd == nil || *e.CostInUsd != tr.Metrics["costInUsd"] || !strings.Contains(*e.CostInUsd, ".") {
			t.Fatalf("element %d: costInUsd %v, truth %q", i, e.CostInUsd, tr.Metrics["costInUsd"])
		}
		if _, ok := tr.Metrics["videoViews"]; ok != (e.VideoViews != nil) {
			t.Fatalf("element %d: videoViews present %v, in truth %v", i, e.VideoViews != nil, ok)
		}
		if e.VideoViews == nil {
			absentVideo++
		}
	}
	if absentVideo == 0 || absentVideo == len(truth) {
		t.Fatalf("videoViews absent from %d of %d rows; the dataset should have both", absentVideo, len(truth))
	}
	if res.Paging == nil || res.Paging.Start != 0 || res.Paging.Count != 10 {
		t.Fatalf("paging %+v, want LinkedIn's defaults", res.Paging)
	}
}

func TestAds_CutsAtTheCapAndIgnoresPaging(t *testing.T) {
	srv := newServer(t)
	srv.ServeAds(restlitest.AdsConfig{CampaignsPerAccount: 10, Days: 30, MaxElements: 50})
	for _, extra := range []map[string]any{nil, {"start": 50, "count": 10}, {"start": 0, "count": 1000}} {
		p := adsParams(30, "dateRange,pivotValues,impressions")
		for k, v := range extra {
			p[k] = v
		}
		res, err := adsFind(t, srv.RestliClient(), "analytics", p)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Elements) != 50 {
			t.Fatalf("with %v: %d elements, want the cap of 50", extra, len(res.Elements))
		}
		first := res.Elements[0].DateRange.Start
		if first != (restlitest.AdsDate{Year: 2025, Month: 1, Day: 1}) {
			t.Fatalf("with %v: the answer starts at %v; start must be ignored", extra, first)
		}
	}
}

func TestAds_RejectsWhatLinkedInRejects(t *testing.T) {
	srv := newServer(t, exact())
	srv.ServeAds(restlitest.AdsConfig{CampaignsPerAccount: 2, Days: 10})
	c := srv.RestliClient()
	fields21 := "dateRange,pivotValues," + strings.Join(restlitest.AdsMetrics()[:19], ",")
	fields20 := "dateRange,pivotValues," + strings.Join(restlitest.AdsMetrics()[:18], ",")
	tests := []struct {
		name   string
		finder string
		edit   func(p map[string]any)
		want   string // in the message; "" means success
	}{
		{"20 fields", "analytics", func(p map[string]any) { p["fields"] = fields20 }, ""},
		{"21 fields", "analytics", func(p map[string]any) { p["fields"] = fields21 }, "maximum number of fields allowed is 20"},
		{"no pivot", "analytics", func(p map[string]any) { delete(p, "pivot") }, "pivot is required"},
		{"four pivots", "statistics", func(p map[string]any) {
			delete(p, "pivot")
			p["pivots"] = []string{"ACCOUNT", "CAMPAIGN_GROUP", "CAMPAIGN", "CREATIVE"}
		}, "at most 3 pivots"},
		{"three pivots", "statistics", func(p map[string]any) {
			delete(p, "pivot")
			p["pivots"] = []string{"CAMPAIGN_GROUP", "CAMPAIGN", "CREATIVE"}
		}, ""},
		{"unknown granularity", "analytics", func(p map[string]any) { p["timeGranularity"] = "WEEKLY" }, "unknown timeGranularity"},
		{"no dateRange", "analytics", func(p map[string]any) { delete(p, "dateRange") }, "dateRange is required"},
		{"end before start", "analytics", func(p map[string]any) {
			p["dateRange"] = map[string]any{"start": map[string]any{"year": 2025, "month": 2, "day": 1},
				"end": map[string]any{"year": 2025, "month": 1, "day": 1}}
		}, "before"},
		{"no facet", "analytics", func(p map[string]any) { delete(p, "accounts") }, "at least one facet"},
		{"empty facet", "analytics", func(p map[string]any) { p["campaigns"] = []string{} }, "non-empty"},
		{"no end", "analytics", func(p map[string]any) {
			p["dateRange"] = map[string]any{"start": map[string]any{"year": 2025, "month": 1, "day": 5}}
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := adsParams(10, "dateRange,pivotValues,impressions")
			tt.edit(p)
			_, err := adsFind(t, c, tt.finder, p)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var re *restli.Error
			if !errors.As(err, &re) || re.StatusCode != http.StatusBadRequest || !strings.Contains(re.Message, tt.want) {
				t.Fatalf("got %v, want a 400 saying %q", err, tt.want)
			}
		})
	}
}

func TestAds_DatasetIsDeterministic(t *testing.T) {
	cfg := restlitest.AdsConfig{CampaignsPerAccount: 3, Days: 20, Start: time.Date(2024, 2, 20, 15, 0, 0, 0, time.UTC)}
	q := restlitest.AdsQuery{Finder: "statistics", Pivots: []string{"CAMPAIGN", "CREATIVE"}, Granularity: "MONTHLY",
		Start: restlitest.AdsDate{Year: 2024, Month: 1, Day: 1}, Facets: map[string][]string{"campaigns": {"urn:li:sponsoredCampaign:700000001"}},
		Metrics: restlitest.AdsMetrics()}
	a, err := restlitest.NewAdsDataset(cfg).Truth(q)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := restlitest.NewAdsDataset(cfg).Truth(q)
	if len(a) != 4 || len(b) != len(a) { // 2 creatives × (February, March)
		t.Fatalf("%d and %d rows, want 4", len(a), len(b))
	}
	for i := range a {
		if !slices.Equal(a[i].PivotValues, b[i].PivotValues) || len(a[i].Metrics) != len(b[i].Metrics) {
			t.Fatalf("row %d differs between two datasets of the same config", i)
		}
		for k, v := range a[i].Metrics {
			if b[i].Metrics[k] != v {
				t.Fatalf("row %d metric %s differs", i, k)
			}
		}
	}
	if a[0].Start != (restlitest.AdsDate{Year: 2024, Month: 2, Day: 1}) || a[0].End != (restlitest.AdsDate{Year: 2024, Month: 2, Day: 29}) {
		t.Fatalf("first monthly row %v..%v, want February 2024", a[0].Start, a[0].End)
	}
}

func TestAds_ServesTheAccountStructure(t *testing.T) {
	srv := newServer(t)
	ds := srv.ServeAds(restlitest.AdsConfig{Accounts: 2, CampaignsPerAccount: 5})
	acct := ds.Accounts()[1]
	n := 0
	for c, err := range restli.CursorPages[map[string]any](ctxT(t), srv.RestliClient(), restli.FinderRequest{
		ResourcePath: "/adAccounts/{id}/adCampaigns", PathKeys: map[string]any{"id": strings.TrimPrefix(acct, "urn:li:sponsoredAccount:")},
		FinderName: "search", QueryParams: map[string]any{"pageSize": 2},
	}) {
		if err != nil {
			t.Fatal(err)
		}
		if c["account"] != acct {
			t.Fatalf("campaign %v of account %v", c["id"], c["account"])
		}
		n++
	}
	if n != 5 || len(ds.Campaigns(acct)) != 5 || len(ds.Campaigns("")) != 10 || len(ds.Creatives("")) != 20 {
		t.Fatalf("%d campaigns listed, %d in the dataset", n, len(ds.Campaigns(acct)))
	}
}
