// Ads-report writes a year of daily metrics for every campaign of an ad
// account, 25 metrics per row, as CSV, with one call to
// adanalytics.WriteCSV: the package splits the metrics into requests of at
// most 20 fields, splits the dates where an answer reaches LinkedIn's cap
// (an adAnalytics answer is cut without warning beyond it), merges the
// parts exactly, and sends the long list of campaigns through the query
// tunnel. It prints the number of requests it made and of rows.
//
//	go run ./examples/ads-report            # the CSV goes to a temporary file, removed at the end
//	go run ./examples/ads-report -o ads.csv # keep it
//
// Against the embedded fake server the account has 120 campaigns and the
// fake cuts answers at 3,000 elements (LinkedIn: 15,000), so the split
// shows at a small scale and the example runs in seconds. With
// LINKEDIN_ACCESS_TOKEN set (scope r_ads_reporting), set
// LINKEDIN_AD_ACCOUNT to the account's id or URN: the report covers the
// 365 days up to yesterday.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/linkedin-go/linkedin/examples/internal/demo"
	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/adanalytics"
	"github.com/linkedin-go/linkedin/restli/restlitest"
)

// metrics are the 25 metrics of the report, more than one request may
// name.
var metrics = []string{
	"impressions", "clicks", "costInLocalCurrency", "costInUsd", "landingPageClicks",
	"totalEngagements", "likes", "comments", "shares", "follows",
	"reactions", "otherEngagements", "companyPageClicks", "commentLikes", "adUnitClicks",
	"actionClicks", "textUrlClicks", "cardClicks", "cardImpressions",
	"externalWebsiteConversions", "externalWebsitePostClickConversions",
	"externalWebsitePostViewConversions", "conversionValueInLocalCurrency",
	"videoViews", "oneClickLeads",
}

// fakeCap is where the fake server cuts an answer.
const fakeCap = 3000

func main() {
	log.SetFlags(0)
	out := flag.String("o", "", "write the CSV to this file (default: a temporary file, removed at the end)")
	flag.Parse()

	env := demo.Setup()
	defer env.Close()
	ctx := context.Background()
	fmt.Println("Calling", env.Target())

	var opts []adanalytics.Option
	var account string
	year := adanalytics.DateRange{
		Start: adanalytics.DateOf(time.Now().AddDate(0, 0, -365)),
		End:   adanalytics.DateOf(time.Now().AddDate(0, 0, -1)),
	}
	if env.Fake != nil {
		ds := env.Fake.ServeAds(restlitest.AdsConfig{CampaignsPerAccount: 120, Days: 365, MaxElements: fakeCap})
		account = ds.Accounts()[0]
		year = adanalytics.DateRange{Start: adanalytics.DateOf(ds.First()), End: adanalytics.DateOf(ds.Last())}
		opts = append(opts, adanalytics.WithMaxElements(fakeCap))
	} else {
		account = os.Getenv("LINKEDIN_AD_ACCOUNT")
		if account == "" {
			fmt.Fprintln(os.Stderr, "ads-report: against LinkedIn, set LINKEDIN_AD_ACCOUNT to your ad account's id or URN")
			os.Exit(2)
		}
		if !strings.HasPrefix(account, "urn:") {
			account = "urn:li:sponsoredAccount:" + account
		}
	}

	// Every campaign of the account, through the cursor-paged search finder.
	id := strings.TrimPrefix(account, "urn:li:sponsoredAccount:")
	var campaigns []string
	for c, err := range restli.CursorPages[struct {
		ID int64 `json:"id"`
	}](ctx, env.Client, restli.FinderRequest{
		ResourcePath: "/adAccounts/{id}/adCampaigns",
		PathKeys:     map[string]any{"id": id},
		FinderName:   "search",
		QueryParams:  map[string]any{"pageSize": 100},
	}) {
		check(err)
		campaigns = append(campaigns, fmt.Sprintf("urn:li:sponsoredCampaign:%d", c.ID))
	}
	fmt.Printf("%d campaigns in %s\n", len(campaigns), account)
	if len(campaigns) == 0 {
		return
	}

	path := *out
	if path == "" {
		f, err := os.CreateTemp("", "ads-report-*.csv")
		check(err)
		path = f.Name()
		check(f.Close())
		defer os.Remove(path)
	}
	f, err := os.Create(path)
	check(err)
	defer f.Close()
	if env.Fake != nil {
		env.Fake.ClearRequests()
	}

	// The one call: a year of daily metrics, every campaign, 25 metrics.
	var stats adanalytics.Stats
	n, err := adanalytics.WriteCSV(ctx, f, env.Client, adanalytics.Query{
		Pivots:      []adanalytics.Pivot{adanalytics.PivotCampaign},
		Granularity: adanalytics.Daily,
		DateRange:   year,
		Facets:      map[string][]string{adanalytics.FacetCampaigns: campaigns},
		Metrics:     metrics,
	}, append(opts, adanalytics.WithStats(&stats))...)
	check(err)
	check(f.Close())

	fmt.Printf("%d rows, %s, written to %s\n", n, year, filepath.Base(path))
	fmt.Printf("%d requests: %d metric groups; %d answer(s) reached the cap and were split; %d slices\n",
		stats.Requests, stats.Groups, stats.Capped, stats.Slices)
	if env.Fake != nil {
		tunneled := env.Fake.Count(func(r restlitest.Request) bool { return r.Tunneled })
		fmt.Printf("%d of them tunneled (the list of %d campaigns makes the query too long for a URL)\n", tunneled, len(campaigns))
	}
	head, err := os.ReadFile(path)
	check(err)
	lines := strings.SplitN(string(head), "\n", 3)
	fmt.Println("first lines:")
	for _, l := range lines[:min(2, len(lines))] {
		if len(l) > 110 {
			l = l[:110] + "…"
		}
		fmt.Println("  " + l)
	}
}

func check(err error) {
	if err != nil {
		log.Fatal("ads-report: ", err)
	}
}
