// End-to-end test of the version warning through the default stack against
// the fake LinkedIn: one log line per client and version, every call span
// marked, and no fallback to another version.

package transport_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
	"github.com/linkedin-go/linkedin/telemetry"
	"github.com/linkedin-go/linkedin/transport"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestVersionWarning_OneLinePerClientAndMarkedSpans(t *testing.T) {
	clock := func() time.Time { return time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC) }
	var logs lockedBuffer
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	defer tp.Shutdown(context.Background())
	srv := restlitest.NewServer(restlitest.WithClock(clock), restlitest.WithTransportOptions(
		transport.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))),
		transport.WithTracerProvider(tp),
		transport.WithVersionWarning(0, clock),
	))
	defer srv.Close()
	ctx := context.Background()

	c := srv.RestliClient() // LinkedIn-Version 202601: 10 months old on the clock
	for range 3 {
		if _, err := c.GetAll(ctx, restli.GetAllRequest{ResourcePath: "/things"}); err != nil {
			t.Fatal(err)
		}
	}
	fresh := srv.RestliClient(restli.WithVersion("202610"))
	if _, err := fresh.GetAll(ctx, restli.GetAllRequest{ResourcePath: "/things"}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(logs.String(), "linkedin version nears its sunset"); n != 1 {
		t.Fatalf("%d warnings, want 1:\n%s", n, logs.String())
	}
	marked := 0
	for _, s := range spans.Ended() {
		if s.SpanKind().String() != "internal" {
			continue
		}
		var warn, version string
		for _, a := range s.Attributes() {
			switch a.Key {
			case telemetry.LinkedInVersionSunsetWarningKey:
				warn = a.Value.Emit()
			case telemetry.LinkedInVersionKey:
				version = a.Value.Emit()
			}
		}
		if warn == "true" {
			marked++
			if version != "202601" {
				t.Errorf("marked span with version %q", version)
			}
		} else if version != "202610" {
			t.Errorf("unmarked span with version %q", version)
		}
	}
	if marked != 3 {
		t.Fatalf("%d call spans marked, want 3", marked)
	}

	// The version a transport adds by default is covered too.
	var logs2 lockedBuffer
	hc := transport.NewClient(transport.WithoutTelemetry(), transport.WithVersion("202512"),
		transport.WithLogger(slog.New(slog.NewJSONHandler(&logs2, nil))), transport.WithVersionWarning(0, clock))
	defer hc.CloseIdleConnections()
	c2 := restli.NewClient(hc, restli.WithBaseURL(srv.URL+"/rest"), restli.WithVersion(""))
	if _, err := c2.GetAll(ctx, restli.GetAllRequest{ResourcePath: "/things", AccessToken: srv.Token()}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs2.String(), `"linkedin.version":"202512"`) {
		t.Fatalf("no warning for the transport's default version:\n%s", logs2.String())
	}
}

func TestVersionSunset_NoFallback(t *testing.T) {
	srv := restlitest.NewServer(restlitest.WithVersions("202610"))
	defer srv.Close()
	c := srv.RestliClient(restli.WithVersion("202404"))
	_, err := c.GetAll(context.Background(), restli.GetAllRequest{ResourcePath: "/things"})
	if !restli.IsVersionSunset(err) {
		t.Fatalf("err = %v", err)
	}
	// One request, with the version configured: nothing tried another one.
	rs := srv.Requests()
	if len(rs) != 1 || rs[0].Version != "202404" {
		t.Fatalf("requests %+v", rs)
	}
}

func TestVersionFormat_RefusedBeforeSending(t *testing.T) {
	srv := restlitest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	// Per call, per restli.Client, and per transport: nothing reaches the server.
	_, err1 := srv.RestliClient().GetAll(ctx, restli.GetAllRequest{ResourcePath: "/things", Version: "2024-04"})
	_, err2 := srv.RestliClient(restli.WithVersion("20240401")).GetAll(ctx, restli.GetAllRequest{ResourcePath: "/things"})
	hc := transport.NewClient(transport.WithoutTelemetry(), transport.WithVersion("2024-04"))
	defer hc.CloseIdleConnections()
	_, err3 := restli.NewClient(hc, restli.WithBaseURL(srv.URL+"/rest")).GetAll(ctx, restli.GetAllRequest{ResourcePath: "/things", AccessToken: srv.Token()})
	for i, err := range []error{err1, err2, err3} {
		var ve *restli.ValidationError
		if !errors.As(err, &ve) || ve.Field != "Version" {
			t.Errorf("#%d: err = %v, want a *restli.ValidationError for Version", i, err)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Fatalf("%d requests reached the server", n)
	}
}

func TestVersionWarning_FollowsTheFakeServersClock(t *testing.T) {
	var logs lockedBuffer
	srv := restlitest.NewServer(
		restlitest.WithClock(func() time.Time { return time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC) }),
		restlitest.WithTokenTTL(400*24*time.Hour),
		restlitest.WithTransportOptions(transport.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil)))),
	)
	defer srv.Close()
	c := srv.RestliClient() // 202601: one month old on the server's clock
	if _, err := c.GetAll(context.Background(), restli.GetAllRequest{ResourcePath: "/things"}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(logs.String(), "nears its sunset") {
		t.Fatalf("warned about a young version:\n%s", logs.String())
	}
	srv.Advance(300 * 24 * time.Hour) // late November 2026
	if _, err := c.GetAll(context.Background(), restli.GetAllRequest{ResourcePath: "/things"}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(logs.String(), "nears its sunset"); n != 1 {
		t.Fatalf("%d warnings, want 1:\n%s", n, logs.String())
	}
}
