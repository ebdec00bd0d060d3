// Benchmarks of response decoding: the finder page through the untyped and
// the typed methods, and the parsers behind them.

package restli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
)

// benchAccount is a user's type for the elements of the finder page.
type benchAccount struct {
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

// staticTransport answers every call with body, with its length.
type staticTransport struct{ body []byte }

func (t staticTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(t.body)), ContentLength: int64(len(t.body)), Request: req}, nil
}

// benchCPU runs f b.N times and reports, besides wall time, the process's
// CPU time per call (cpu-ns/op), which a busy machine disturbs less.
func benchCPU(b *testing.B, f func() error) {
	b.ReportAllocs()
	start := processCPU()
	for b.Loop() {
		if err := f(); err != nil {
			b.Fatal(err)
		}
	}
	if cpu := processCPU() - start; cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkFinderPage makes the finder call on the small page (three ad
// accounts and paging) through the untyped Finder and the typed FinderAs,
// with the client-side work only (the answer comes from memory).
func BenchmarkFinderPage(b *testing.B) {
	c := NewClient(&http.Client{Transport: staticTransport{benchCollectionBody}})
	req := FinderRequest{ResourcePath: "/adAccounts", FinderName: "search", QueryParams: map[string]any{"start": 0, "count": 5}}
	ctx := context.Background()
	b.Run("Finder", func(b *testing.B) {
		benchCPU(b, func() error { _, err := c.Finder(ctx, req); return err })
	})
	b.Run("FinderAs", func(b *testing.B) {
		benchCPU(b, func() error { _, err := FinderAs[benchAccount](ctx, c, req); return err })
	})
}

// BenchmarkParseFinderPage compares the parsers on the small page: the
// fast parser into the untyped values and into the user's struct, and
// encoding/json into each.
func BenchmarkParseFinderPage(b *testing.B) {
	parsers := []struct {
		name string
		f    func() error
	}{
		{"fast/untyped", func() error { var w collectionWire[any]; return unmarshalJSON(benchCollectionBody, &w) }},
		{"fast/typed", func() error { var w collectionWire[benchAccount]; return unmarshalJSON(benchCollectionBody, &w) }},
		{"encoding_json/untyped", func() error { var w collectionWire[any]; return stdUnmarshal(benchCollectionBody, &w) }},
		{"encoding_json/typed", func() error { var w collectionWire[benchAccount]; return stdUnmarshal(benchCollectionBody, &w) }},
	}
	for _, p := range parsers {
		b.Run(p.name, func(b *testing.B) {
			b.SetBytes(int64(len(benchCollectionBody)))
			benchCPU(b, p.f)
		})
	}
}

// stdUnmarshal is encoding/json with UseNumber, the client's fallback.
func stdUnmarshal(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(v)
}
