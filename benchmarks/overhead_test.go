package benchmarks

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"

	metricnoop "go.opentelemetry.io/otel/metric/noop"
	tracenoop "go.opentelemetry.io/otel/trace/noop"
	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/benchmarks/internal/fakeapi"
	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/transport"
)

// BenchmarkFinderNoNetwork makes the finder call of BenchmarkFinder over a
// RoundTripper that answers the same small collection from memory: the
// client-side CPU and allocations of each client, without the network, the
// server or the scheduler in the way. It splits the gap between the bare
// and the full-stack calls into its parts:
//
//	decode-map    encoding/json decoding the body into a map[string]any (what bare-json adds)
//	restli        restli.Client.Finder: build, send, check, decode into maps
//	restli-typed  restli.FinderAs into the user's struct
//	stack-noop    restli.Client.Finder through the default stack, no-op telemetry
func BenchmarkFinderNoNetwork(b *testing.B) {
	_, spec := mustCases(b)
	params := caseByName(b, spec.Case).Params
	query := make(map[string]any, len(params))
	for k, v := range params {
		if k != "q" {
			query[k] = v
		}
	}
	req := restli.FinderRequest{ResourcePath: spec.Resource, FinderName: spec.Finder, QueryParams: query, Version: spec.Version}
	withToken := req
	withToken.AccessToken = spec.Token
	const baseURL = "http://127.0.0.1:1" + fakeapi.BasePath // never dialled
	canned := cannedTransport{fakeapi.SmallCollection}
	ctx := context.Background()

	plain := restli.NewClient(&http.Client{Transport: canned}, restli.WithBaseURL(baseURL))
	stack := restli.NewClient(transport.NewClient(
		transport.WithBase(canned),
		transport.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: spec.Token, TokenType: "Bearer"})),
		transport.WithTokenHosts("127.0.0.1:1"),
		transport.WithTracerProvider(tracenoop.NewTracerProvider()),
		transport.WithMeterProvider(metricnoop.NewMeterProvider()),
	), restli.WithBaseURL(baseURL))

	for _, c := range []struct {
		name string
		call func() error
	}{
		{"decode-map", func() error {
			var v map[string]any
			return json.NewDecoder(bytes.NewReader(fakeapi.SmallCollection)).Decode(&v)
		}},
		{"restli", func() error { _, err := plain.Finder(ctx, withToken); return err }},
		{"restli-typed", func() error { _, err := restli.FinderAs[adAccount](ctx, plain, withToken); return err }},
		{"stack-noop", func() error { _, err := stack.Finder(ctx, req); return err }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := c.call(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
