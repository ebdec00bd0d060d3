package middleware_test

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	"github.com/linkedin-go/linkedin/middleware"
)

// The pass-through benchmarks send a request the layer has nothing to do
// for through it to a stub that returns a canned response; they must report
// 0 allocs/op. The _Set and _Tunnel ones measure the work when there is.

func benchHeaderLayer(b *testing.B, layer func(http.RoundTripper) http.RoundTripper, present bool) {
	rt := layer(newHdrCanned())
	req, _ := http.NewRequest(http.MethodGet, "https://api.linkedin.com/rest/adAccounts?q=search", nil)
	req.Header.Set("X-RestLi-Method", "finder")
	req.Header.Set("Accept", "application/json")
	if present {
		req.Header.Set("X-RestLi-Protocol-Version", "2.0.0")
		req.Header.Set("LinkedIn-Version", "202601")
		req.Header.Set("User-Agent", "app/1")
	}
	b.ReportAllocs()
	for b.Loop() {
		rt.RoundTrip(req)
	}
}

func BenchmarkProtocolVersion_PassThrough(b *testing.B) {
	benchHeaderLayer(b, middleware.ProtocolVersion(), true)
}

func BenchmarkProtocolVersion_Set(b *testing.B) {
	benchHeaderLayer(b, middleware.ProtocolVersion(), false)
}

func BenchmarkLinkedInVersion_PassThrough(b *testing.B) {
	benchHeaderLayer(b, middleware.LinkedInVersion("202601"), true)
}

func BenchmarkLinkedInVersion_Set(b *testing.B) {
	benchHeaderLayer(b, middleware.LinkedInVersion("202601"), false)
}

func BenchmarkUserAgent_PassThrough(b *testing.B) {
	benchHeaderLayer(b, middleware.UserAgent("app/1"), true)
}

func BenchmarkUserAgent_Set(b *testing.B) {
	benchHeaderLayer(b, middleware.UserAgent("app/1"), false)
}

func BenchmarkQueryTunnel_PassThrough(b *testing.B) {
	rt := middleware.QueryTunnel(middleware.TunnelOptions{})(newHdrCanned())
	req, _ := http.NewRequest(http.MethodGet, "https://api.linkedin.com/rest/adAccounts?"+tunnelQuery(4000), nil)
	b.ReportAllocs()
	for b.Loop() {
		rt.RoundTrip(req)
	}
}

func BenchmarkQueryTunnel_TunnelGET(b *testing.B) {
	rt := middleware.QueryTunnel(middleware.TunnelOptions{})(newHdrCanned())
	req, _ := http.NewRequest(http.MethodGet, "https://api.linkedin.com/rest/adAccounts?"+tunnelQuery(5000), nil)
	req.Header.Set("X-RestLi-Method", "finder")
	b.ReportAllocs()
	for b.Loop() {
		rt.RoundTrip(req)
	}
}

func BenchmarkQueryTunnel_TunnelPUT(b *testing.B) {
	rt := middleware.QueryTunnel(middleware.TunnelOptions{})(newHdrCanned())
	body := bytes.Repeat([]byte(`{"k":"v"},`), 100)
	req, _ := http.NewRequest(http.MethodPut, "https://api.linkedin.com/rest/adAccounts?"+tunnelQuery(5000), nil)
	req.Header.Set("Content-Type", "application/json")
	req.ContentLength = int64(len(body))
	rd := bytes.NewReader(body)
	b.ReportAllocs()
	for b.Loop() {
		rd.Reset(body)
		req.Body = io.NopCloser(rd)
		rt.RoundTrip(req)
	}
}
