package middleware_test

import (
	"errors"
	"log/slog"
	"net/http"
	"testing"

	"github.com/linkedin-go/linkedin/middleware"
)

func TestLogging_ServerErrorsAndThrottlingAtWarnTransportErrorsAtError(t *testing.T) {
	tests := []struct {
		name        string
		loggerLevel slog.Level // what the handler logs
		optLevel    slog.Level // LoggingOptions.Level
		status      int        // 0: a transport error
		want        string     // the line's level; "" means no line
	}{
		{"200 at Level", slog.LevelInfo, slog.LevelInfo, 200, "INFO"},
		{"404 at Level", slog.LevelInfo, slog.LevelInfo, 404, "INFO"},
		{"429 at Warn", slog.LevelInfo, slog.LevelInfo, 429, "WARN"},
		{"500 at Warn", slog.LevelInfo, slog.LevelInfo, 500, "WARN"},
		{"503 at Warn", slog.LevelInfo, slog.LevelInfo, 503, "WARN"},
		{"transport error at Error", slog.LevelInfo, slog.LevelInfo, 0, "ERROR"},
		{"Level above Warn wins for a 5xx", slog.LevelInfo, slog.LevelError + 4, 503, "ERROR+4"},
		{"logger at Warn: 200 not logged", slog.LevelWarn, slog.LevelInfo, 200, ""},
		{"logger at Warn: 503 still logged", slog.LevelWarn, slog.LevelInfo, 503, "WARN"},
		{"logger at Error: 429 not logged", slog.LevelError, slog.LevelInfo, 429, ""},
		{"logger at Error: transport error logged", slog.LevelError, slog.LevelInfo, 0, "ERROR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sink logSink
			rt := middleware.Logging(sink.logger(tt.loggerLevel), middleware.LoggingOptions{Level: tt.optLevel, LogBodies: true})(
				hdrRTFunc(func(r *http.Request) (*http.Response, error) {
					if tt.status == 0 {
						return nil, errors.New("connection refused")
					}
					return &http.Response{StatusCode: tt.status, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
				}))
			req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1/x", nil)
			if resp, _ := rt.RoundTrip(req); resp != nil {
				resp.Body.Close()
			}
			if tt.want == "" {
				if sink.String() != "" {
					t.Fatalf("logged: %s", sink.String())
				}
				return
			}
			if got := sink.lines(t)[0]["level"]; got != tt.want {
				t.Errorf("level = %v, want %s", got, tt.want)
			}
		})
	}
}
