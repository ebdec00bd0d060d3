// Benchmarks of a whole report against the fake server: requests, rows
// and the peak heap of Run and of Stream, whose peak must not grow with
// the number of rows.
//
//	go test -run '^$' -bench Report -benchmem -benchtime 1x ./restli/adanalytics/

package adanalytics_test

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/restli/adanalytics"
	"github.com/linkedin-go/linkedin/restli/restlitest"
)

// peakHeap runs f and returns the most heap in use (live and not yet
// collected objects) while it ran, beyond what was in use before: sampled
// every millisecond with runtime/metrics, which does not stop the world.
func peakHeap(f func()) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	base := read()
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			peak = max(peak, read())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	f()
	close(done)
	wg.Wait()
	peak = max(peak, read())
	if peak < base {
		return 0
	}
	return peak - base
}

// BenchmarkReport runs the acceptance report (300 campaigns, daily, 25
// metrics, LinkedIn's cap of 15,000) over 90 and 365 days, with Run (which
// holds every row) and Stream (which holds one slice per worker: its peak
// follows the concurrency, not the number of rows), reporting the requests
// made, the rows, and the peak heap of the whole process (the fake server
// included) above its level before the report.
func BenchmarkReport(b *testing.B) {
	for _, bc := range []struct {
		name        string
		days        int
		stream      bool
		concurrency int
	}{
		{"Run/days=90", 90, false, adanalytics.DefaultConcurrency},
		{"Run/days=365", 365, false, adanalytics.DefaultConcurrency},
		{"Stream/days=90/concurrency=1", 90, true, 1},
		{"Stream/days=365/concurrency=1", 365, true, 1},
		{"Stream/days=365/concurrency=4", 365, true, 4},
	} {
		b.Run(bc.name, func(b *testing.B) {
			srv, ds, c := setup(b, restlitest.AdsConfig{CampaignsPerAccount: 300, Days: bc.days})
			_ = srv
			q := yearQuery(ds, reportMetrics())
			var peak uint64
			var rows, reqs int
			for b.Loop() {
				var st adanalytics.Stats
				rows = 0
				p := peakHeap(func() {
					if bc.stream {
						for r, err := range adanalytics.Stream(ctxT(b), c, q, adanalytics.WithStats(&st), adanalytics.WithConcurrency(bc.concurrency)) {
							if err != nil {
								b.Fatal(err)
							}
							_ = r
							rows++
						}
						return
					}
					all, err := adanalytics.Run(ctxT(b), c, q, adanalytics.WithStats(&st))
					if err != nil {
						b.Fatal(err)
					}
					rows = len(all)
					runtime.KeepAlive(all)
				})
				peak = max(peak, p)
				reqs = st.Requests
			}
			b.ReportMetric(float64(rows), "rows")
			b.ReportMetric(float64(reqs), "requests")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
	}
}
