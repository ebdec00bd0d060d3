package benchmarks

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/benchmarks/internal/fakeapi"
	"github.com/linkedin-go/linkedin/restli"
)

// largeN is the size of the large collection.
const largeN = 10_000

// adAccount is a user's own type for the elements of the collection: the
// fields they care about, typed.
type adAccount struct {
	ID                             int64    `json:"id"`
	Name                           string   `json:"name"`
	Status                         string   `json:"status"`
	Type                           string   `json:"type"`
	Currency                       string   `json:"currency"`
	Reference                      string   `json:"reference"`
	Test                           bool     `json:"test"`
	NotifiedOnCampaignOptimization bool     `json:"notifiedOnCampaignOptimization"`
	ServingStatuses                []string `json:"servingStatuses"`
	Version                        struct {
		VersionTag string `json:"versionTag"`
	} `json:"version"`
}

// cannedTransport answers every request with body, as a server would
// (status 200, JSON, Content-Length), without a network in between.
type cannedTransport struct{ body []byte }

func (t cannedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	return &http.Response{
		Status:        "200 OK",
		StatusCode:    http.StatusOK,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{"Content-Type": {"application/json"}, "X-Restli-Protocol-Version": {"2.0.0"}},
		Body:          io.NopCloser(bytes.NewReader(t.body)),
		ContentLength: int64(len(t.body)),
		Request:       req,
	}, nil
}

// largeFinder returns a function that makes the finder call and decodes
// the answer, body, into adAccounts with restli.FinderAs.
func largeFinder(body []byte) func() (*restli.CollectionResult[adAccount], error) {
	c := restli.NewClient(&http.Client{Transport: cannedTransport{body}},
		restli.WithBaseURL("http://127.0.0.1:1"+fakeapi.BasePath))
	req := restli.FinderRequest{
		ResourcePath: fakeapi.Resource, FinderName: fakeapi.Finder, Version: fakeapi.Version,
		AccessToken: fakeapi.Token, QueryParams: map[string]any{"start": 0, "count": largeN},
	}
	return func() (*restli.CollectionResult[adAccount], error) {
		return restli.FinderAs[adAccount](context.Background(), c, req)
	}
}

// BenchmarkDecodeLargeCollection decodes a 10,000-element finder answer
// into the user's struct with restli.FinderAs. MB/s is of the body;
// alloc/body is the bytes allocated per call over the body size.
func BenchmarkDecodeLargeCollection(b *testing.B) {
	body := fakeapi.LargeCollection(largeN)
	call := largeFinder(body)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for b.Loop() {
		res, err := call()
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Elements) != largeN {
			b.Fatalf("%d elements, want %d", len(res.Elements), largeN)
		}
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/float64(len(body)), "alloc/body")
}

// TestDecodeLargeCollection_PeakHeap holds decoding a 10,000-element
// collection into structs to a peak heap of at most 3x the body size.
//
// The peak is the largest heap (live and not yet swept objects) sampled
// while FinderAs runs, the result included, minus the heap before the
// call, after a forced collection; the body itself (the "server's" copy)
// is in the baseline. Sampling can miss a short peak, so the test also
// logs the bytes allocated during the call, the peak were no collection
// to run. It takes the smallest peak of a few runs: noise only adds.
func TestDecodeLargeCollection_PeakHeap(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation")
	}
	const maxRatio = 3.0
	body := fakeapi.LargeCollection(largeN)
	call := largeFinder(body)
	if _, err := call(); err != nil { // build encoding/json's caches first
		t.Fatal(err)
	}
	best := -1.0
	for run := range 3 {
		peak, total, err := peakHeapDuring(func() (any, error) { return call() })
		if err != nil {
			t.Fatal(err)
		}
		ratio := float64(peak) / float64(len(body))
		t.Logf("run %d: body %d B, peak heap +%d B (%.2fx body), allocated %d B (%.2fx body)",
			run, len(body), peak, ratio, total, float64(total)/float64(len(body)))
		if best < 0 || ratio < best {
			best = ratio
		}
	}
	if best > maxRatio {
		t.Errorf("peak heap %.2fx the body size, want at most %.1fx", best, maxRatio)
	}
}

// peakHeapDuring runs f with a sampler reading the heap size as fast as it
// can, and returns the peak over the baseline (f's result kept alive until
// the end) and the bytes allocated meanwhile.
func peakHeapDuring(f func() (any, error)) (peak, allocated uint64, err error) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	heap := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	runtime.GC()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	base := heap()

	stop := make(chan struct{})
	maxc := make(chan uint64)
	go func() {
		own := []metrics.Sample{{Name: sample[0].Name}} // not shared with heap()
		m := uint64(0)
		deadline := time.Now().Add(30 * time.Second)
		for i := 0; i < 10_000_000; i++ {
			select {
			case <-stop:
				maxc <- m
				return
			default:
			}
			metrics.Read(own)
			m = max(m, own[0].Value.Uint64())
			if i%1024 == 0 && time.Now().After(deadline) {
				break
			}
		}
		<-stop
		maxc <- m
	}()
	res, err := f()
	end := heap()
	close(stop)
	m := max(<-maxc, end)
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(res)
	if m < base {
		m = base
	}
	return m - base, after.TotalAlloc - before.TotalAlloc, err
}
