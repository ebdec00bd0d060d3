// Tests of the call span's version marks.

package telemetry_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/telemetry"
)

func TestCall_MarksSpansOfNearSunsetVersions(t *testing.T) {
	clock := func() time.Time { return time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name      string
		opts      func(*telemetry.Options)
		callVer   string // in the call description
		headerVer string // on a request built by hand
		want      map[string]any
		absent    []string
	}{
		{"own version, 10 months", nil, "202601", "",
			map[string]any{"linkedin.version": "202601", "linkedin.version.sunset_warning": true, "linkedin.version.age_months": 10}, nil},
		{"own version, 9 months", nil, "202602", "",
			map[string]any{"linkedin.version": "202602"}, []string{"linkedin.version.sunset_warning", "linkedin.version.age_months"}},
		{"header version", nil, "", "202512",
			map[string]any{"linkedin.version": "202512", "linkedin.version.sunset_warning": true, "linkedin.version.age_months": 11}, nil},
		{"default version", func(o *telemetry.Options) { o.Version = "202601" }, "", "",
			map[string]any{"linkedin.version": "202601", "linkedin.version.sunset_warning": true}, nil},
		{"young default", func(o *telemetry.Options) { o.Version = "202610" }, "", "",
			nil, []string{"linkedin.version", "linkedin.version.sunset_warning"}},
		{"off", func(o *telemetry.Options) { o.VersionWarnMonths = -1 }, "202401", "",
			map[string]any{"linkedin.version": "202401"}, []string{"linkedin.version.sunset_warning"}},
		{"custom threshold", func(o *telemetry.Options) { o.VersionWarnMonths = 2 }, "202608", "",
			map[string]any{"linkedin.version.sunset_warning": true, "linkedin.version.age_months": 3}, nil},
		{"malformed", nil, "", "2024-04",
			nil, []string{"linkedin.version.sunset_warning"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			srv := newServer(t, 200)
			o := e.options()
			o.Clock = clock
			if tt.opts != nil {
				tt.opts(&o)
			}
			rt := chain(srv.Client().Transport, telemetry.Call(o))
			ctx := context.Background()
			if tt.callVer != "" {
				ctx = restli.ContextWithCallInfo(ctx, restli.CallInfo{Method: restli.MethodGet, Resource: "/x/{id}", Version: tt.callVer})
			}
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/x/1", nil)
			if tt.headerVer != "" {
				req.Header.Set("LinkedIn-Version", tt.headerVer)
			}
			resp, err := rt.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			spans := e.callSpans()
			if len(spans) != 1 {
				t.Fatalf("%d call spans", len(spans))
			}
			wantAttrs(t, "call span", spans[0].Attributes(), tt.want, tt.absent...)
		})
	}
}
