// Runnable examples of the package's entry points, against the fake
// LinkedIn of package restlitest.

package adanalytics_test

import (
	"context"
	"fmt"
	"io"
	"log"

	"github.com/linkedin-go/linkedin/restli/adanalytics"
	"github.com/linkedin-go/linkedin/restli/restlitest"
)

// A year of daily metrics for every campaign of an account, with 25
// metrics: more rows than one answer holds and more metrics than one
// request may name.
func ExampleRun() {
	srv := restlitest.NewServer()
	defer srv.Close()
	ds := srv.ServeAds(restlitest.AdsConfig{CampaignsPerAccount: 10, Days: 365, MaxElements: 500})
	client := srv.RestliClient() // in production: restli.NewClient(transport.NewClient(…))

	var stats adanalytics.Stats
	rows, err := adanalytics.Run(context.Background(), client, adanalytics.Query{
		Pivots:      []adanalytics.Pivot{adanalytics.PivotCampaign},
		Granularity: adanalytics.Daily,
		DateRange: adanalytics.DateRange{
			Start: adanalytics.Date{Year: 2025, Month: 1, Day: 1},
			End:   adanalytics.Date{Year: 2025, Month: 12, Day: 31},
		},
		Facets:  map[string][]string{adanalytics.FacetAccounts: ds.Accounts()},
		Metrics: restlitest.AdsMetrics()[:25],
	}, adanalytics.WithMaxElements(500), adanalytics.WithStats(&stats)) // this fake server cuts at 500
	if err != nil {
		log.Fatal(err)
	}
	first := rows[0]
	fmt.Println(len(rows), "rows in", stats.Requests, "requests")
	fmt.Println(first.DateRange.Start, first.PivotValues[0], *first.Impressions, *first.CostInUsd)
	// Output:
	// 3532 rows in 17 requests
	// 2025-01-01 urn:li:sponsoredCampaign:700000001 3023 900.39
}

// Streaming keeps memory bounded: rows are handed over one slice of the
// report at a time.
func ExampleStream() {
	srv := restlitest.NewServer()
	defer srv.Close()
	ds := srv.ServeAds(restlitest.AdsConfig{CampaignsPerAccount: 10, Days: 90, MaxElements: 200})

	q := adanalytics.Query{
		Pivots:      []adanalytics.Pivot{adanalytics.PivotCreative},
		Granularity: adanalytics.Monthly,
		DateRange:   adanalytics.DateRange{Start: adanalytics.Date{Year: 2025, Month: 1, Day: 1}},
		Facets:      map[string][]string{adanalytics.FacetCampaigns: ds.Campaigns("")},
		Metrics:     []string{"impressions", "videoViews"},
	}
	n, videos := 0, 0
	for row, err := range adanalytics.Stream(context.Background(), srv.RestliClient(), q, adanalytics.WithMaxElements(200)) {
		if err != nil {
			log.Fatal(err)
		}
		n++
		if row.VideoViews != nil { // absent, not zero, for creatives without video
			videos++
		}
	}
	fmt.Println(n, "monthly rows,", videos, "with video views")
	// Output:
	// 60 monthly rows, 30 with video views
}

// WriteCSV dumps a report; a metric a row lacks is an empty cell.
func ExampleWriteCSV() {
	srv := restlitest.NewServer()
	defer srv.Close()
	ds := srv.ServeAds(restlitest.AdsConfig{CampaignsPerAccount: 5, Days: 31})

	n, err := adanalytics.WriteCSV(context.Background(), io.Discard, srv.RestliClient(), adanalytics.Query{
		Pivots:      []adanalytics.Pivot{adanalytics.PivotCampaign},
		Granularity: adanalytics.Daily,
		DateRange:   adanalytics.DateRange{Start: adanalytics.Date{Year: 2025, Month: 1, Day: 1}, End: adanalytics.Date{Year: 2025, Month: 1, Day: 31}},
		Facets:      map[string][]string{adanalytics.FacetAccounts: ds.Accounts()},
		Metrics:     []string{"impressions", "clicks", "costInLocalCurrency"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(n, "rows written")
	// Output:
	// 148 rows written
}
