package telemetry_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/telemetry"
	"github.com/linkedin-go/linkedin/transport"
)

// flakyServer answers 503 to its first request and 200 afterwards.
func flakyServer() *httptest.Server {
	var n atomic.Int32
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"elements":[],"paging":{"start":0,"count":10}}`)
	}))
}

// A FINDER call that is retried once, through the default stack of package
// transport, with spans exported by stdouttrace. The exporter writes JSON
// with timestamps and random ids; this example prints a stable digest of
// it: each span's name, kind, parent and main attributes.
func Example() {
	srv := flakyServer()
	defer srv.Close()

	var out bytes.Buffer
	exp, err := stdouttrace.New(stdouttrace.WithWriter(&out))
	if err != nil {
		log.Fatal(err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	defer tp.Shutdown(context.Background())

	hc := transport.NewClient(
		transport.WithBase(srv.Client().Transport),
		transport.WithTracerProvider(tp),
		transport.WithRetry(middleware.RetryOptions{RetryWaitMin: time.Millisecond, RetryWaitMax: 2 * time.Millisecond}),
	)
	c := restli.NewClient(hc, restli.WithBaseURL(srv.URL+"/rest"))
	_, err = c.Finder(context.Background(), restli.FinderRequest{
		ResourcePath: "/adAccounts",
		FinderName:   "search",
		QueryParams:  map[string]any{"search": map[string]any{"status": []any{"ACTIVE"}}},
		Version:      "202601",
	})
	if err != nil {
		log.Fatal(err)
	}
	printSpans(&out, srv.URL)

	// Output:
	// span "GET /adAccounts" client, child of FINDER /adAccounts
	//   http.request.method=GET http.response.status_code=503 error.type=503 url.template=/adAccounts restli.method=finder
	//   url.full={server}/rest/adAccounts?q=REDACTED&search=REDACTED
	// span "GET /adAccounts" client, child of FINDER /adAccounts
	//   http.request.method=GET http.response.status_code=200 url.template=/adAccounts restli.method=finder http.request.resend_count=1
	//   url.full={server}/rest/adAccounts?q=REDACTED&search=REDACTED
	// span "FINDER /adAccounts" internal, root
	//   restli.method=finder restli.resource=/adAccounts restli.finder=search linkedin.version=202601 restli.attempts=2 http.response.status_code=200
	//   event retry retry.attempt=1
}

// printSpans prints the digest of the spans stdouttrace wrote to r.
func printSpans(r io.Reader, serverURL string) {
	type kv struct {
		Key   string
		Value struct{ Value any }
	}
	type span struct {
		Name        string
		SpanKind    int
		SpanContext struct{ SpanID string }
		Parent      struct{ SpanID string }
		Attributes  []kv
		Events      []struct {
			Name       string
			Attributes []kv
		}
	}
	var spans []span
	for dec := json.NewDecoder(r); ; {
		var s span
		if err := dec.Decode(&s); err == io.EOF {
			break
		} else if err != nil {
			log.Fatal(err)
		}
		spans = append(spans, s)
	}
	names := map[string]string{}
	for _, s := range spans {
		names[s.SpanContext.SpanID] = s.Name
	}
	show := func(kvs []kv, keys ...string) string {
		var parts []string
		for _, k := range keys {
			for _, a := range kvs {
				if a.Key == k {
					parts = append(parts, fmt.Sprintf("%s=%v", k, a.Value.Value))
				}
			}
		}
		return strings.Join(parts, " ")
	}
	for _, s := range spans {
		parent := "root"
		if p, ok := names[s.Parent.SpanID]; ok {
			parent = "child of " + p
		}
		kind := map[int]string{1: "internal", 3: "client"}[s.SpanKind]
		fmt.Printf("span %q %s, %s\n", s.Name, kind, parent)
		if kind == "client" {
			fmt.Println("  " + show(s.Attributes, "http.request.method", "http.response.status_code", "error.type",
				"url.template", "restli.method", "http.request.resend_count"))
			fmt.Println("  " + strings.Replace(show(s.Attributes, "url.full"), serverURL, "{server}", 1))
			continue
		}
		fmt.Println("  " + show(s.Attributes, "restli.method", "restli.resource", "restli.finder", "linkedin.version",
			"restli.attempts", "http.response.status_code", "error.type"))
		for _, e := range s.Events {
			fmt.Println("  event " + e.Name + " " + show(e.Attributes, "retry.attempt"))
		}
	}
}

// The raw stdouttrace output of a retried FINDER call: pretty-printed JSON,
// one object per span, as it ends. (Compiled, not run: timestamps and ids
// differ on every run.)
func Example_stdouttrace() {
	srv := flakyServer()
	defer srv.Close()

	exp, err := stdouttrace.New(stdouttrace.WithWriter(os.Stdout), stdouttrace.WithPrettyPrint())
	if err != nil {
		log.Fatal(err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp))
	defer tp.Shutdown(context.Background()) // flushes the spans

	hc := transport.NewClient(transport.WithBase(srv.Client().Transport), transport.WithTracerProvider(tp))
	c := restli.NewClient(hc, restli.WithBaseURL(srv.URL+"/rest"))
	_, err = c.Finder(context.Background(), restli.FinderRequest{ResourcePath: "/adAccounts", FinderName: "search"})
	if err != nil {
		log.Fatal(err)
	}
}

// Call and Attempt composed by hand around the layers between them, with
// a metric reader: one call, two attempts, one retry.
func ExampleCall() {
	srv := flakyServer()
	defer srv.Close()

	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	defer mp.Shutdown(context.Background())
	opts := telemetry.Options{MeterProvider: mp}

	rt := transport.Chain(srv.Client().Transport,
		telemetry.Call(opts), // outermost: one span and the operation metrics per call
		middleware.Retry(middleware.RetryOptions{RetryWaitMin: time.Millisecond, RetryWaitMax: 2 * time.Millisecond}),
		middleware.QueryTunnel(middleware.TunnelOptions{}),
		telemetry.Attempt(opts), // one CLIENT span and http.client.request.duration per wire attempt
	)
	c := restli.NewClient(&http.Client{Transport: rt}, restli.WithBaseURL(srv.URL+"/rest"))
	if _, err := c.Finder(context.Background(), restli.FinderRequest{ResourcePath: "/adAccounts", FinderName: "search"}); err != nil {
		log.Fatal(err)
	}

	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		log.Fatal(err)
	}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Histogram[float64]:
				var n uint64
				for _, dp := range d.DataPoints {
					n += dp.Count
				}
				fmt.Printf("%s (%s): %d measurements\n", m.Name, m.Unit, n)
			case metricdata.Sum[int64]:
				for _, dp := range d.DataPoints {
					method, _ := dp.Attributes.Value(attribute.Key("restli.method"))
					fmt.Printf("%s (%s): %d, restli.method=%s\n", m.Name, m.Unit, dp.Value, method.AsString())
				}
			}
		}
	}
	// Unordered output:
	// linkedin.client.operation.duration (s): 1 measurements
	// linkedin.client.attempts ({attempt}): 2, restli.method=finder
	// linkedin.client.retries ({retry}): 1, restli.method=finder
	// http.client.request.duration (s): 2 measurements
}

// Attempt alone over an http.Client: one CLIENT span per request, named
// with the method and the resource template, with the query values
// redacted from url.full.
func ExampleAttempt() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()

	sr := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr))
	defer tp.Shutdown(context.Background())

	hc := &http.Client{Transport: telemetry.Attempt(telemetry.Options{TracerProvider: tp})(srv.Client().Transport)}
	req, err := restli.NewHTTPRequest(context.Background(), restli.GetRequest{
		ResourcePath: "/adAccounts/{id}",
		PathKeys:     map[string]any{"id": 123},
		QueryParams:  map[string]any{"fields": "id,name"},
	}, restli.WithBaseURL(srv.URL+"/rest"))
	if err != nil {
		log.Fatal(err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()

	for _, s := range sr.Ended() {
		for _, kv := range s.Attributes() {
			if kv.Key == "url.full" {
				fmt.Println(s.Name(), strings.Replace(kv.Value.AsString(), srv.URL, "{server}", 1))
			}
		}
	}
	// Output:
	// GET /adAccounts/{id} {server}/rest/adAccounts/123?fields=REDACTED
}
