// The acceptance test of a whole report: a year of daily metrics for 300
// campaigns with 25 metrics equals the fake server's ground truth, in
// few requests.

package adanalytics_test

import (
	"fmt"
	"testing"

	"github.com/linkedin-go/linkedin/restli/adanalytics"
	"github.com/linkedin-go/linkedin/restli/restlitest"
)

// reportMetrics are 25 metrics: 18 present on every active day, then 7
// that only some campaigns or creatives have, so the second metric group
// lacks many rows the first has.
func reportMetrics() []string {
	all := restlitest.AdsMetrics()
	m := append([]string{}, all[:18]...)
	m = append(m, all[19:23]...) // conversions: every third campaign
	m = append(m, all[23:25]...) // video: video creatives
	return append(m, all[30])    // leads: some campaigns
}

func TestRun_YearOfDailyMetricsEqualsTheTruth(t *testing.T) {
	// The full size (365 days x 300 campaigns, ~107,000 rows, LinkedIn's
	// cap of 15,000) runs without -short and without the race detector;
	// otherwise the same shape at a tenth of the size (30 campaigns, a
	// cap of 1,500), or a twentieth under the race detector, which take
	// the same decisions.
	campaigns, limit, size := 300, restlitest.AdsMaxElements, "full"
	switch {
	case raceEnabled:
		campaigns, limit, size = 15, restlitest.AdsMaxElements/20, "twentieth"
	case testing.Short():
		campaigns, limit, size = 30, restlitest.AdsMaxElements/10, "tenth"
	}
	srv, ds, c := setup(t, restlitest.AdsConfig{CampaignsPerAccount: campaigns, CreativesPerCampaign: 2, Days: 365, MaxElements: limit})
	metrics := reportMetrics()
	q := yearQuery(ds, metrics)

	var st adanalytics.Stats
	rows, err := adanalytics.Run(ctxT(t), c, q, adanalytics.WithStats(&st), adanalytics.WithMaxElements(limit))
	if err != nil {
		t.Fatal(err)
	}
	truth := truthOf(t, ds, q)
	d := compare(rows, truth, metrics)
	reqs := adsRequests(srv)
	minimum := ceilDiv(len(truth), limit) * ceilDiv(len(metrics), adanalytics.MaxFields)
	fmt.Printf("REPORT SUMMARY: size=%s days=365 campaigns=%d metrics=%d cap=%d rows=%d truth=%d missing=%d duplicated=%d wrong=%d requests=%d minimum=%d ratio=%.2f capped=%d slices=%d\n",
		size, campaigns, len(metrics), limit, d.rows, d.truth, d.missing, d.duplicated, d.wrong+d.extra,
		len(reqs), minimum, float64(len(reqs))/float64(minimum), st.Capped, st.Slices)
	if !d.ok() {
		t.Fatalf("report differs from the truth: %v", d)
	}
	if len(reqs) != st.Requests {
		t.Errorf("the server saw %d requests, Stats says %d", len(reqs), st.Requests)
	}
	if 2*len(reqs) > 3*minimum {
		t.Errorf("%d requests, more than 1.5 x the minimum of %d", len(reqs), minimum)
	}
	for _, r := range reqs {
		if n := len(fieldsOf(r)); n > adanalytics.MaxFields {
			t.Fatalf("a request named %d fields", n)
		}
		if r.Status != 200 {
			t.Fatalf("a request was answered %d", r.Status)
		}
	}
}
