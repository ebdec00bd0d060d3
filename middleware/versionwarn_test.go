// Tests of the logging layer's version warning and of LinkedInVersion's
// refusal of a malformed version.

package middleware_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/restli"
)

// nov15 is the clock of these tests: 202601 is 10 months old.
func nov15() time.Time { return time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC) }

// warnings returns the version warnings logged.
func warnings(t *testing.T, sink *logSink) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range sink.lines(t) {
		if l["msg"] == "linkedin version nears its sunset: move to a newer LinkedIn-Version" {
			out = append(out, l)
		}
	}
	return out
}

func TestLogging_WarnsOncePerClientAndVersion(t *testing.T) {
	s, tr := newLogServer(t, func(w http.ResponseWriter, r *http.Request) {})
	var sink logSink
	opts := middleware.LoggingOptions{Clock: nov15, Version: "202512"}
	rt := middleware.Logging(sink.logger(slog.LevelInfo), opts)(tr)
	send := func(rt http.RoundTripper, version string, ctxVersion string) {
		ctx := context.Background()
		if ctxVersion != "" {
			ctx = restli.ContextWithCallInfo(ctx, restli.CallInfo{Method: restli.MethodGet, Version: ctxVersion})
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/x", nil)
		if version != "" {
			req.Header.Set("LinkedIn-Version", version)
		}
		logDo(t, rt, req).Body.Close()
	}
	for range 3 {
		send(rt, "202601", "")
	}
	send(rt, "202605", "") // 6 months: no warning
	send(rt, "", "202601") // the call description's version: already warned
	send(rt, "", "")       // the default version the header layer adds: 11 months
	send(rt, "", "")
	w := warnings(t, &sink)
	if len(w) != 2 {
		t.Fatalf("%d warnings, want 2: %s", len(w), sink.String())
	}
	if w[0]["level"] != "WARN" || w[0]["linkedin.version"] != "202601" || w[0]["version.age_months"] != float64(10) ||
		w[0]["version.sunset_expected"] != "2027-01" || w[0]["version.warn_months"] != float64(10) {
		t.Fatalf("warning %v", w[0])
	}
	if w[1]["linkedin.version"] != "202512" {
		t.Fatalf("second warning %v", w[1])
	}
	// Another client (another layer) warns again, once.
	rt2 := middleware.Logging(sink.logger(slog.LevelInfo), opts)(tr)
	send(rt2, "202601", "")
	send(rt2, "202601", "")
	if n := len(warnings(t, &sink)); n != 3 {
		t.Fatalf("%d warnings after a second client, want 3", n)
	}
}

func TestLogging_VersionWarningOptions(t *testing.T) {
	s, tr := newLogServer(t, func(w http.ResponseWriter, r *http.Request) {})
	tests := []struct {
		name  string
		level slog.Level
		opts  middleware.LoggingOptions
		want  int
	}{
		{"off", slog.LevelInfo, middleware.LoggingOptions{Clock: nov15, VersionWarnMonths: -1}, 0},
		{"higher threshold", slog.LevelInfo, middleware.LoggingOptions{Clock: nov15, VersionWarnMonths: 11}, 0},
		{"lower threshold", slog.LevelInfo, middleware.LoggingOptions{Clock: nov15, VersionWarnMonths: 3}, 1},
		{"attempt lines off, warnings on", slog.LevelWarn, middleware.LoggingOptions{Clock: nov15}, 1},
		{"warnings not logged", slog.LevelError, middleware.LoggingOptions{Clock: nov15}, 0},
		{"malformed version", slog.LevelInfo, middleware.LoggingOptions{Clock: nov15, Version: "2024-04"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sink logSink
			rt := middleware.Logging(sink.logger(tt.level), tt.opts)(tr)
			for range 2 {
				req, _ := http.NewRequest(http.MethodGet, s.URL+"/x", nil)
				if tt.opts.Version == "" {
					req.Header.Set("LinkedIn-Version", "202601")
				}
				logDo(t, rt, req).Body.Close()
			}
			if got := len(warnings(t, &sink)); got != tt.want {
				t.Fatalf("%d warnings, want %d: %s", got, tt.want, sink.String())
			}
		})
	}
}

func TestLogging_VersionWarningConcurrent(t *testing.T) {
	s, tr := newLogServer(t, func(w http.ResponseWriter, r *http.Request) {})
	var sink logSink
	rt := middleware.Logging(sink.logger(slog.LevelWarn), middleware.LoggingOptions{Clock: nov15})(tr)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				req, _ := http.NewRequest(http.MethodGet, s.URL+"/x", nil)
				req.Header.Set("LinkedIn-Version", "202601")
				if resp, err := rt.RoundTrip(req); err == nil {
					resp.Body.Close()
				}
			}
		}()
	}
	wg.Wait()
	if n := len(warnings(t, &sink)); n != 1 {
		t.Fatalf("%d warnings, want 1", n)
	}
}

// closeCounter counts Close calls on a request body.
type closeCounter struct{ n *atomic.Int32 }

func (c closeCounter) Read([]byte) (int, error) { return 0, io.EOF }
func (c closeCounter) Close() error             { c.n.Add(1); return nil }

func TestLinkedInVersion_RefusesMalformedVersion(t *testing.T) {
	var sent atomic.Int32
	base := hdrRTFunc(func(*http.Request) (*http.Response, error) {
		sent.Add(1)
		return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
	})
	for _, v := range []string{"2024-04", "20240401", "v202601", "202613"} {
		rt := middleware.LinkedInVersion(v)(base)
		var closed atomic.Int32
		req, _ := http.NewRequest(http.MethodPost, "https://api.linkedin.com/rest/x", closeCounter{n: &closed})
		resp, err := rt.RoundTrip(req)
		var ve *restli.ValidationError
		if resp != nil || !errors.As(err, &ve) || ve.Field != "Version" ||
			!errors.Is(err, restli.ErrNotSent) || !errors.Is(err, restli.ErrPermanent) {
			t.Fatalf("%s: %v, %v", v, resp, err)
		}
		if closed.Load() != 1 {
			t.Fatalf("%s: body closed %d times", v, closed.Load())
		}
		if et, ok := err.(interface{ ErrorType() string }); !ok || et.ErrorType() != "restli.invalid_request" {
			t.Fatalf("ErrorType of %v", err)
		}
	}
	if sent.Load() != 0 {
		t.Fatalf("%d requests sent", sent.Load())
	}
	// A valid version is set as before.
	var got string
	rt := middleware.LinkedInVersion("202601.02")(hdrRTFunc(func(r *http.Request) (*http.Response, error) {
		got = r.Header.Get("LinkedIn-Version")
		return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
	}))
	req, _ := http.NewRequest(http.MethodGet, "https://api.linkedin.com/rest/x", nil)
	if _, err := rt.RoundTrip(req); err != nil || got != "202601.02" {
		t.Fatalf("%q, %v", got, err)
	}
}

func TestLogging_VersionCheckAllocatesNothing(t *testing.T) {
	for _, level := range []slog.Level{slog.LevelError, slog.LevelWarn} {
		var sink logSink
		rt := middleware.Logging(sink.logger(level), middleware.LoggingOptions{Level: slog.LevelInfo, Clock: nov15})(newHdrCanned())
		for _, v := range []string{"202601", "202610"} { // warned (after the first call), and too young to warn
			req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1/x", nil)
			req.Header.Set("LinkedIn-Version", v)
			rt.RoundTrip(req)
			if n := testing.AllocsPerRun(50, func() { rt.RoundTrip(req) }); n != 0 {
				t.Errorf("level %v, version %s: allocs = %v, want 0", level, v, n)
			}
		}
	}
}
