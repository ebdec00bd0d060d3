package transport_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/linkedin-go/linkedin/transport"
)

// BenchmarkStack_Loopback compares one GET with a small JSON answer over
// loopback through bare net/http and through the default stack without
// telemetry (retry, breaker, tunnel, headers), on the same kind of base
// transport. Bodies are drained and closed so connections are reused.
//
// "bare" and "stack" send a hand-built request (the header layers add the
// protocol version and user agent); the "-restli" pair sends one that
// already carries the headers restli's request builder sets.
func BenchmarkStack_Loopback(b *testing.B) {
	body := []byte(`{"elements":[{"id":123,"name":"Acme"}],"paging":{"start":0,"count":10}}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	defer srv.Close()
	url := srv.URL + "/rest/adAccounts?q=search&start=0&count=10"

	run := func(b *testing.B, c *http.Client, restliHeaders bool) {
		defer c.CloseIdleConnections()
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		if restliHeaders {
			req.Header.Set("X-RestLi-Method", "finder")
			req.Header.Set("X-RestLi-Protocol-Version", "2.0.0")
			req.Header.Set("LinkedIn-Version", "202601")
		}
		b.ReportAllocs()
		for b.Loop() {
			resp, err := c.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
	b.Run("bare", func(b *testing.B) {
		run(b, &http.Client{Transport: transport.NewBaseTransport()}, false)
	})
	b.Run("bare-restli", func(b *testing.B) {
		run(b, &http.Client{Transport: transport.NewBaseTransport()}, true)
	})
	b.Run("stack", func(b *testing.B) {
		run(b, transport.NewClient(transport.WithoutTelemetry()), false)
	})
	b.Run("stack-restli", func(b *testing.B) {
		run(b, transport.NewClient(transport.WithoutTelemetry(), transport.WithVersion("202601")), true)
	})
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
