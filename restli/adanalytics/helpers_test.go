// Test helpers: a fake LinkedIn serving the ads dataset, and the
// comparison of a report with the dataset's ground truth.

package adanalytics_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/adanalytics"
	"github.com/linkedin-go/linkedin/restli/restlitest"
	"github.com/linkedin-go/linkedin/transport"
)

// TestMain fails the run if a test leaves a goroutine behind: a report
// must stop every worker before it returns.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// setup starts a fake LinkedIn serving an ads dataset; the client sends
// each call once (no retry, no breaker) so requests can be counted.
func setup(t testing.TB, cfg restlitest.AdsConfig) (*restlitest.Server, *restlitest.AdsDataset, *restli.Client) {
	t.Helper()
	srv := restlitest.NewServer(restlitest.WithTransportOptions(transport.WithoutRetry(), transport.WithoutCircuitBreaker()))
	t.Cleanup(srv.Close)
	ds := srv.ServeAds(cfg)
	c := srv.RestliClient()
	t.Cleanup(c.HTTPClient().CloseIdleConnections)
	return srv, ds, c
}

func ctxT(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// yearQuery is a daily report by campaign of the dataset's whole span for
// every account.
func yearQuery(ds *restlitest.AdsDataset, metrics []string) adanalytics.Query {
	return adanalytics.Query{
		Pivots:      []adanalytics.Pivot{adanalytics.PivotCampaign},
		Granularity: adanalytics.Daily,
		DateRange:   adanalytics.DateRange{Start: adanalytics.DateOf(ds.First()), End: adanalytics.DateOf(ds.Last())},
		Facets:      map[string][]string{adanalytics.FacetAccounts: ds.Accounts()},
		Metrics:     metrics,
	}
}

// truthOf returns the dataset's complete report for q.
func truthOf(t testing.TB, ds *restlitest.AdsDataset, q adanalytics.Query) []restlitest.AdsRow {
	t.Helper()
	aq := restlitest.AdsQuery{Finder: string(q.Finder), Granularity: string(q.Granularity),
		Start: restlitest.AdsDate(q.DateRange.Start), End: restlitest.AdsDate(q.DateRange.End),
		Facets: q.Facets, Metrics: q.Metrics}
	for _, p := range q.Pivots {
		aq.Pivots = append(aq.Pivots, string(p))
	}
	rows, err := ds.Truth(aq)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// diff compares a report with the truth, row by row and metric by metric.
type diff struct {
	rows, truth, missing, duplicated, extra, wrong int
	first                                          string // the first difference, for the failure message
}

func (d diff) ok() bool {
	return d.missing == 0 && d.duplicated == 0 && d.extra == 0 && d.wrong == 0 && d.rows == d.truth
}

func (d diff) String() string {
	return fmt.Sprintf("rows=%d truth=%d missing=%d duplicated=%d extra=%d wrong=%d %s",
		d.rows, d.truth, d.missing, d.duplicated, d.extra, d.wrong, d.first)
}

func keyOf(pv []string, start, end string) string {
	return strings.Join(pv, ",") + "|" + start + "|" + end
}

func compare(rows []adanalytics.Row, truth []restlitest.AdsRow, metrics []string) diff {
	d := diff{rows: len(rows), truth: len(truth)}
	note := func(s string) {
		if d.first == "" {
			d.first = s
		}
	}
	want := make(map[string]map[string]string, len(truth))
	for _, r := range truth {
		want[keyOf(r.PivotValues, r.Start.String(), r.End.String())] = r.Metrics
	}
	seen := make(map[string]bool, len(rows))
	for _, r := range rows {
		k := keyOf(r.PivotValues, r.DateRange.Start.String(), r.DateRange.End.String())
		if seen[k] {
			d.duplicated++
			note("duplicated " + k)
			continue
		}
		seen[k] = true
		w, ok := want[k]
		if !ok {
			d.extra++
			note("extra " + k)
			continue
		}
		for _, m := range metrics {
			got, has := r.Value(m)
			exp, in := w[m]
			if has != in || got != exp {
				d.wrong++
				note(fmt.Sprintf("%s %s: got %q (present %v), want %q (present %v)", k, m, got, has, exp, in))
				break
			}
		}
	}
	for k := range want {
		if !seen[k] {
			d.missing++
			note("missing " + k)
		}
	}
	return d
}

// fieldsOf returns the fields a recorded request named.
func fieldsOf(r restlitest.Request) []string {
	f, _ := r.Params["fields"].(string)
	return strings.Split(f, ",")
}

// adsRequests returns the recorded adAnalytics requests.
func adsRequests(srv *restlitest.Server) []restlitest.Request {
	var out []restlitest.Request
	for _, r := range srv.Requests() {
		if r.Resource == "/adAnalytics" {
			out = append(out, r)
		}
	}
	return out
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }
