// Tests of Run's contract: validation before sending, the exact merge as
// seen by users, errors, cancellation, bounded concurrency, the typed
// path, the stream and the CSV writer.

package adanalytics_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/adanalytics"
	"github.com/linkedin-go/linkedin/restli/restlitest"
)

func TestRun_ValidatesBeforeSending(t *testing.T) {
	srv, ds, c := setup(t, restlitest.AdsConfig{CampaignsPerAccount: 2, Days: 10})
	day := func(y, m, d int) adanalytics.Date { return adanalytics.Date{Year: y, Month: m, Day: d} }
	tests := []struct {
		name  string
		edit  func(q *adanalytics.Query)
		field string
	}{
		{"unknown granularity", func(q *adanalytics.Query) { q.Granularity = "WEEKLY" }, "Query.Granularity"},
		{"missing granularity", func(q *adanalytics.Query) { q.Granularity = "" }, "Query.Granularity"},
		{"end before start", func(q *adanalytics.Query) { q.DateRange.End = q.DateRange.Start.AddDays(-1) }, "Query.DateRange.End"},
		{"no start", func(q *adanalytics.Query) { q.DateRange.Start = adanalytics.Date{} }, "Query.DateRange.Start"},
		{"not a day", func(q *adanalytics.Query) { q.DateRange.End = day(2025, 2, 30) }, "Query.DateRange.End"},
		{"four pivots", func(q *adanalytics.Query) {
			q.Pivots = []adanalytics.Pivot{"ACCOUNT", "CAMPAIGN_GROUP", "CAMPAIGN", "CREATIVE"}
		}, "Query.Pivots"},
		{"two pivots for analytics", func(q *adanalytics.Query) {
			q.Finder = adanalytics.FinderAnalytics
			q.Pivots = []adanalytics.Pivot{"CAMPAIGN", "CREATIVE"}
		}, "Query.Pivots"},
		{"no pivot", func(q *adanalytics.Query) { q.Pivots = nil }, "Query.Pivots"},
		{"pivot twice", func(q *adanalytics.Query) { q.Pivots = []adanalytics.Pivot{"CAMPAIGN", "CAMPAIGN"} }, "Query.Pivots[1]"},
		{"lower-case pivot", func(q *adanalytics.Query) { q.Pivots = []adanalytics.Pivot{"campaign"} }, "Query.Pivots[0]"},
		{"unknown finder", func(q *adanalytics.Query) { q.Finder = "search" }, "Query.Finder"},
		{"empty facet", func(q *adanalytics.Query) { q.Facets["campaigns"] = []string{} }, "Query.Facets[campaigns]"},
		{"no facet", func(q *adanalytics.Query) { q.Facets = nil }, "Query.Facets"},
		{"not a URN", func(q *adanalytics.Query) { q.Facets["campaigns"] = []string{"123"} }, "Query.Facets[campaigns][0]"},
		{"facet named like a parameter", func(q *adanalytics.Query) { q.Facets["fields"] = []string{"urn:li:x:1"} }, "Query.Facets"},
		{"no metrics", func(q *adanalytics.Query) { q.Metrics = nil }, "Query.Metrics"},
		{"bad metric", func(q *adanalytics.Query) { q.Metrics = []string{"impressions", "clicks,likes"} }, "Query.Metrics[1]"},
		{"key as metric", func(q *adanalytics.Query) { q.Metrics = []string{"dateRange"} }, "Query.Metrics[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := yearQuery(ds, []string{"impressions"})
			tt.edit(&q)
			rows, err := adanalytics.Run(ctxT(t), c, q)
			var ve *restli.ValidationError
			if !errors.As(err, &ve) || ve.Field != tt.field || rows != nil {
				t.Fatalf("got %v (%d rows), want a *restli.ValidationError for %s", err, len(rows), tt.field)
			}
			if q.Validate() == nil {
				t.Fatal("Validate accepts what Run refuses")
			}
		})
	}
	if n := len(adsRequests(srv)); n != 0 {
		t.Fatalf("%d requests sent for invalid queries", n)
	}
	if _, err := adanalytics.Run(ctxT(t), nil, yearQuery(ds, []string{"impressions"})); err == nil {
		t.Fatal("a nil client was accepted")
	}
}

func TestRun_MergeIsExact(t *testing.T) {
	_, ds, c := setup(t, restlitest.AdsConfig{CampaignsPerAccount: 6, Days: 15})
	// Group 1: 18 core metrics; group 2: video metrics only, which only
	// video creatives have: rows of campaigns without one are in group 1
	// only, and must keep group 1's metrics with the video ones absent.
	all := restlitest.AdsMetrics()
	metrics := append(append([]string{}, all[:18]...), "videoViews", "videoStarts")
	q := yearQuery(ds, metrics)
	q.Pivots = []adanalytics.Pivot{adanalytics.PivotCreative}
	rows, err := adanalytics.Run(ctxT(t), c, q)
	if err != nil {
		t.Fatal(err)
	}
	if d := compare(rows, truthOf(t, ds, q), metrics); !d.ok() {
		t.Fatal(d)
	}
	with, without := 0, 0
	for _, r := range rows {
		if r.Impressions == nil || r.CostInUsd == nil {
			t.Fatalf("row %v lost its group-1 metrics", r.PivotValues)
		}
		if r.VideoViews == nil {
			without++
			if _, ok := r.Other["videoStarts"]; ok {
				t.Fatalf("row %v has videoStarts without videoViews", r.PivotValues)
			}
		} else {
			with++
		}
	}
	if with == 0 || without == 0 {
		t.Fatalf("%d rows with video metrics, %d without: the test needs both", with, without)
	}
}

func TestRun_RequestErrorEndsTheReport(t *testing.T) {
	srv, ds, c := setup(t, restlitest.AdsConfig{CampaignsPerAccount: 5, Days: 10})
	srv.Fail(restlitest.Fault{Status: http.StatusForbidden, Times: 1})
	rows, err := adanalytics.Run(ctxT(t), c, yearQuery(ds, []string{"impressions"}))
	var re *restli.Error
	if !errors.As(err, &re) || re.StatusCode != http.StatusForbidden || rows != nil {
		t.Fatalf("got %v with %d rows, want the 403 and no rows", err, len(rows))
	}
	if !strings.Contains(err.Error(), "metric group 1 of 1") {
		t.Fatalf("error %q does not say which request failed", err)
	}
}

func TestRun_CancelStopsTheReport(t *testing.T) {
	srv, ds, c := setup(t, restlitest.AdsConfig{CampaignsPerAccount: 10, Days: 120, MaxElements: 50})
	ctx, cancel := context.WithCancel(ctxT(t))
	defer cancel()
	var seen atomic.Int32
	srv.SetFaultPolicy(func(r *restlitest.Request) *restlitest.Fault {
		if r.Resource == "/adAnalytics" && seen.Add(1) == 3 {
			cancel() // mid-report: the third request cancels the caller's context
		}
		return nil
	})
	rows, err := adanalytics.Run(ctx, c, yearQuery(ds, []string{"impressions"}), adanalytics.WithMaxElements(50), adanalytics.WithConcurrency(2))
	if !errors.Is(err, context.Canceled) || rows != nil {
		t.Fatalf("got %v with %d rows, want context.Canceled", err, len(rows))
	}
	// Run has returned, so its workers have stopped: nothing more is sent
	// (and TestMain checks that no goroutine is left).
	after := seen.Load()
	if after > 4 { // the third, and one the other worker may have had in flight
		t.Fatalf("%d requests reached the server after the cancel at the third", after)
	}
	_ = c.HTTPClient() // the same client still works for other calls
	if _, err := adanalytics.Run(ctxT(t), c, yearQuery(ds, []string{"impressions"}), adanalytics.WithMaxElements(50)); err != nil {
		t.Fatal(err)
	}
}

// inFlight is an http.RoundTripper that records the most requests it had
// in flight at once.
type inFlight struct {
	next      http.RoundTripper
	mu        sync.Mutex
	now, most int
}

func (f *inFlight) RoundTrip(r *http.Request) (*http.Response, error) {
	f.mu.Lock()
	f.now++
	f.most = max(f.most, f.now)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.now--
		f.mu.Unlock()
	}()
	return f.next.RoundTrip(r)
}

func TestRun_ConcurrencyIsBounded(t *testing.T) {
	srv, ds, _ := setup(t, restlitest.AdsConfig{CampaignsPerAccount: 10, Days: 120, MaxElements: 60})
	for _, n := range []int{1, 3} {
		f := &inFlight{next: srv.Client().Transport}
		c := restli.NewClient(&http.Client{Transport: f}, restli.WithBaseURL(srv.URL+"/rest"), restli.WithVersion(restlitest.DefaultVersion))
		var st adanalytics.Stats
		q := yearQuery(ds, restlitest.AdsMetrics()[:25])
		if _, err := adanalytics.Run(ctxT(t), c, q, adanalytics.WithMaxElements(60), adanalytics.WithConcurrency(n), adanalytics.WithStats(&st)); err != nil {
			t.Fatal(err)
		}
		if f.most > n || st.Requests < 10 {
			t.Fatalf("concurrency %d: %d requests in flight at once (of %d)", n, f.most, st.Requests)
		}
		c.HTTPClient().CloseIdleConnections()
	}
}

func TestRunAs_DecodesIntoTheCallersType(t *testing.T) {
	_, ds, c := setup(t, restlitest.AdsConfig{CampaignsPerAccount: 3, Days: 5})
	type campaignDay struct {
		PivotValues []string              `json:"pivotValues"`
		DateRange   adanalytics.DateRange `json:"dateRange"`
		Impressions int64                 `json:"impressions"`
		CostInUsd   string                `json:"costInUsd"`
		VideoViews  *int64                `json:"videoViews"`
	}
	q := yearQuery(ds, []string{"impressions", "costInUsd", "videoViews"})
	typed, err := adanalytics.RunAs[campaignDay](ctxT(t), c, q)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := adanalytics.Run(ctxT(t), c, q)
	if err != nil || len(rows) != len(typed) || len(rows) == 0 {
		t.Fatalf("%d typed rows, %d rows, %v", len(typed), len(rows), err)
	}
	for i, r := range rows {
		tr := typed[i]
		if tr.Impressions != *r.Impressions || tr.CostInUsd != string(*r.CostInUsd) || (tr.VideoViews == nil) != (r.VideoViews == nil) ||
			tr.DateRange != r.DateRange || tr.PivotValues[0] != r.PivotValues[0] {
			t.Fatalf("row %d: typed %+v differs from %+v", i, tr, r)
		}
	}
}

func TestStream_HandsOverTheSameRowsInTheSameOrder(t *testing.T) {
	_, ds, c := setup(t, restlitest.AdsConfig{CampaignsPerAccount: 10, Days: 60, MaxElements: 100})
	metrics := restlitest.AdsMetrics()[:22]
	q := yearQuery(ds, metrics)
	var rows []adanalytics.Row
	for r, err := range adanalytics.Stream(ctxT(t), c, q, adanalytics.WithMaxElements(100)) {
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, r)
	}
	if d := compare(rows, truthOf(t, ds, q), metrics); !d.ok() {
		t.Fatal(d)
	}
	all, err := adanalytics.Run(ctxT(t), c, q, adanalytics.WithMaxElements(100))
	if err != nil {
		t.Fatal(err)
	}
	for i := range all { // the same order: by slice, then day, then pivot values
		if all[i].DateRange != rows[i].DateRange || all[i].PivotValues[0] != rows[i].PivotValues[0] {
			t.Fatalf("row %d: Stream gives %v %v, Run %v %v", i, rows[i].DateRange, rows[i].PivotValues, all[i].DateRange, all[i].PivotValues)
		}
	}
}

func TestStream_BreakStopsTheReport(t *testing.T) {
	srv, ds, c := setup(t, restlitest.AdsConfig{CampaignsPerAccount: 10, Days: 200, MaxElements: 50})
	n := 0
	for _, err := range adanalytics.Stream(ctxT(t), c, yearQuery(ds, []string{"impressions"}), adanalytics.WithMaxElements(50), adanalytics.WithConcurrency(1)) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 3 {
			break
		}
	}
	// With one worker, the loop broke during the first slice's rows: the
	// probe, its first child, and at most the next one the worker had
	// started.
	if got := len(adsRequests(srv)); got > 3 {
		t.Fatalf("%d requests after the loop stopped in the first slice", got)
	}
}

func TestStream_YieldsTruncationAndGoesOn(t *testing.T) {
	_, ds, c := setup(t, restlitest.AdsConfig{CampaignsPerAccount: 12, Days: 3, MaxElements: 5})
	q := yearQuery(ds, []string{"impressions"})
	rows, truncated := 0, 0
	for _, err := range adanalytics.Stream(ctxT(t), c, q, adanalytics.WithMaxElements(5)) {
		switch {
		case errors.Is(err, adanalytics.ErrTruncated):
			truncated++
		case err != nil:
			t.Fatal(err)
		default:
			rows++
		}
	}
	if truncated != 3 || rows != 15 { // each of the 3 days is cut at 5 rows
		t.Fatalf("%d rows, %d truncation errors; want 15 and 3", rows, truncated)
	}
}

func TestWriteCSV_WritesEveryRowWithEmptyCellsForMissingMetrics(t *testing.T) {
	_, ds, c := setup(t, restlitest.AdsConfig{CampaignsPerAccount: 6, Days: 10, MaxElements: 20})
	metrics := []string{"impressions", "costInUsd", "videoViews", "viralLikes"}
	q := yearQuery(ds, metrics)
	var buf bytes.Buffer
	n, err := adanalytics.WriteCSV(ctxT(t), &buf, c, q, adanalytics.WithMaxElements(20))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	truth := truthOf(t, ds, q)
	if n != len(truth) || len(recs) != n+1 {
		t.Fatalf("%d rows written, %d records, truth %d", n, len(recs), len(truth))
	}
	if got := strings.Join(recs[0], ","); got != "start,end,campaign,impressions,costInUsd,videoViews,viralLikes" {
		t.Fatalf("header %q", got)
	}
	want := map[string]restlitest.AdsRow{}
	for _, r := range truth {
		want[r.Start.String()+r.PivotValues[0]] = r
	}
	empty := 0
	for _, rec := range recs[1:] {
		tr, ok := want[rec[0]+rec[2]]
		if !ok || rec[1] != tr.End.String() {
			t.Fatalf("record %v not in the truth", rec)
		}
		for i, m := range metrics {
			if rec[3+i] != tr.Metrics[m] { // an absent metric is "" in both
				t.Fatalf("record %v: %s is %q, want %q", rec, m, rec[3+i], tr.Metrics[m])
			}
			if rec[3+i] == "" {
				empty++
			}
		}
	}
	if empty == 0 {
		t.Fatal("no empty cell: the test needs missing metrics")
	}
}
