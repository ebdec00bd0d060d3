package transport_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/transport"
)

// BenchmarkStack_Loopback compares one GET with a small JSON answer over
// loopback through bare net/http and through the default stack without
// telemetry (retry, breaker, tunnel, headers), on the same kind of base
// transport. Bodies are drained and closed so connections are reused.
//
// The "-restli" pair is the acceptance comparison: both send the same
// call, byte for byte on the wire (TestStackLoopbackSameWire checks it),
// the bare client because the request carries every header itself, the
// stack because its header layers add the ones restli's request builder
// does not set. "bare" and "stack" send a request without Rest.li headers,
// so the stack's request is the larger one on the wire; that pair shows
// the cost a user would see when the layers add the headers.
func BenchmarkStack_Loopback(b *testing.B) {
	srv := stackBenchServer(nil)
	defer srv.Close()
	for _, v := range stackBenchVariants() {
		b.Run(v.name, func(b *testing.B) {
			c := v.client()
			defer c.CloseIdleConnections()
			req := stackBenchRequest(srv.URL, v.header)
			b.ReportAllocs()
			for b.Loop() {
				resp, err := c.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
}

// stackBenchServer answers every request with a small collection and, if
// seen is not nil, sends it each request's header.
func stackBenchServer(seen chan<- http.Header) *httptest.Server {
	body := []byte(`{"elements":[{"id":123,"name":"Acme"}],"paging":{"start":0,"count":10}}`)
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if seen != nil {
			seen <- r.Header.Clone()
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
}

// stackBenchRequest is the finder call of the loopback benchmark, with the
// given headers.
func stackBenchRequest(base string, h http.Header) *http.Request {
	req, _ := http.NewRequest(http.MethodGet, base+"/rest/adAccounts?q=search&start=0&count=10", nil)
	for k, v := range h {
		req.Header[k] = v
	}
	return req
}

type stackBenchVariant struct {
	name   string
	header http.Header
	client func() *http.Client
}

func stackBenchVariants() []stackBenchVariant {
	// What restli's request builder sets on a finder call.
	restli := http.Header{
		"X-Restli-Method":           {"finder"},
		"X-Restli-Protocol-Version": {"2.0.0"},
		"Linkedin-Version":          {"202601"},
	}
	// The bare client of the acceptance pair also sends the User-Agent the
	// stack's header layer adds.
	restliUA := restli.Clone()
	restliUA.Set("User-Agent", moduleUserAgent())
	bare := func() *http.Client { return &http.Client{Transport: transport.NewBaseTransport()} }
	return []stackBenchVariant{
		{"bare", nil, bare},
		{"bare-restli", restliUA, bare},
		{"stack", nil, func() *http.Client { return transport.NewClient(transport.WithoutTelemetry()) }},
		{"stack-restli", restli, func() *http.Client {
			return transport.NewClient(transport.WithoutTelemetry(), transport.WithVersion("202601"))
		}},
	}
}

// TestStackLoopbackSameWire checks that the benchmark's acceptance pair
// sends the same request headers, so that it compares the same call.
func TestStackLoopbackSameWire(t *testing.T) {
	seen := make(chan http.Header, 1)
	srv := stackBenchServer(seen)
	defer srv.Close()
	got := map[string]http.Header{}
	for _, v := range stackBenchVariants() {
		c := v.client()
		resp, err := c.Do(stackBenchRequest(srv.URL, v.header))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		c.CloseIdleConnections()
		got[v.name] = <-seen
	}
	if !reflect.DeepEqual(got["bare-restli"], got["stack-restli"]) {
		t.Errorf("the acceptance pair sends different headers:\nbare  %v\nstack %v", got["bare-restli"], got["stack-restli"])
	}
	if reflect.DeepEqual(got["bare"], got["stack"]) {
		t.Errorf("the stack added no header to a request without Rest.li headers: %v", got["stack"])
	}
}

// BenchmarkStack_Layers measures the layers alone: the default stack
// without telemetry over a base that returns a canned response, against
// the canned base by itself.
func BenchmarkStack_Layers(b *testing.B) {
	resp := &http.Response{StatusCode: 200, Header: http.Header{}, Body: http.NoBody}
	base := rtFunc(func(*http.Request) (*http.Response, error) { return resp, nil })
	req, _ := http.NewRequest(http.MethodGet, "https://api.linkedin.com/rest/adAccounts?q=search", nil)
	for _, bc := range []struct {
		name string
		rt   http.RoundTripper
	}{
		{"base", base},
		{"stack", transport.NewTransport(transport.WithoutTelemetry(), transport.WithBase(base))},
		{"tunnel+headers", transport.NewTransport(transport.WithoutTelemetry(), transport.WithoutRetry(),
			transport.WithoutCircuitBreaker(), transport.WithBase(base))},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bc.rt.RoundTrip(req)
			}
		})
	}
}

// BenchmarkStack_LoopbackPaired makes the acceptance pair's calls in
// turn, one bare then one through the stack, and times each: the two
// sides see the same machine at the same moment, so drift between
// separate runs (several percent here) does not enter the comparison. It
// reports the mean time of each side and the stack's overhead in percent;
// ns/op is the time of one pair.
func BenchmarkStack_LoopbackPaired(b *testing.B) {
	srv := stackBenchServer(nil)
	defer srv.Close()
	var bare, stack stackBenchVariant
	for _, v := range stackBenchVariants() {
		switch v.name {
		case "bare-restli":
			bare = v
		case "stack-restli":
			stack = v
		}
	}
	bc, sc := bare.client(), stack.client()
	defer bc.CloseIdleConnections()
	defer sc.CloseIdleConnections()
	breq, sreq := stackBenchRequest(srv.URL, bare.header), stackBenchRequest(srv.URL, stack.header)
	call := func(c *http.Client, req *http.Request) time.Duration {
		start := time.Now()
		resp, err := c.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return time.Since(start)
	}
	var tb, ts time.Duration
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		// Alternate which side goes first, so neither always follows the
		// other's garbage.
		if n%2 == 0 {
			tb += call(bc, breq)
			ts += call(sc, sreq)
		} else {
			ts += call(sc, sreq)
			tb += call(bc, breq)
		}
		n++
	}
	b.ReportMetric(float64(tb.Nanoseconds())/float64(n), "bare-ns/call")
	b.ReportMetric(float64(ts.Nanoseconds())/float64(n), "stack-ns/call")
	b.ReportMetric(100*(float64(ts)/float64(tb)-1), "overhead-%")
}
