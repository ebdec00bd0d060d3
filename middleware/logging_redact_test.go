// Tests that the logging layer redacts token endpoint answers, URLs with
// user information and Location headers by the module's one set of rules.

package middleware_test

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/linkedin-go/linkedin/middleware"
)

func TestLogging_TokenEndpointJSONRedactedWithLogBodies(t *testing.T) {
	const (
		access  = "AQV-access-canary-0123456789"
		refresh = "AQX-refresh-canary-0123456789"
		idTok   = "eyJ-id-token-canary.part.sig"
		secret  = "client-secret-canary-42"
	)
	tests := []struct {
		name, contentType, body string
	}{
		{"json", "application/json", `{"access_token":"` + access + `","expires_in":5184000,"refresh_token":"` + refresh + `","id_token":"` + idTok + `"}`},
		{"json without content type", "text/plain", ` {"access_token":"` + access + `","refresh_token":"` + refresh + `","id_token":"` + idTok + `"}`},
		{"error echoing the refresh token", "application/json", `{"error":"invalid_grant","error_description":"refresh token ` + refresh + ` and secret ` + secret + ` rejected"}`},
		{"form answer", "application/x-www-form-urlencoded", "access_token=" + access + "&refresh_token=" + refresh + "&id_token=" + idTok},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, tr := newLogServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.contentType)
				io.WriteString(w, tt.body)
			})
			var sink logSink
			rt := middleware.Logging(sink.logger(slog.LevelDebug), middleware.LoggingOptions{LogBodies: true})(tr)
			form := "grant_type=refresh_token&refresh_token=" + refresh + "&client_id=app&client_secret=" + secret
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/oauth/v2/accessToken", strings.NewReader(form))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp := logDo(t, rt, req)
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if string(got) != tt.body {
				t.Fatalf("the caller got %q, want the body whole", got)
			}
			out := sink.String()
			for _, c := range []string{access, refresh, idTok, secret} {
				if strings.Contains(out, c) {
					t.Errorf("log shows %q:\n%s", c, out)
				}
			}
			if !strings.Contains(out, "REDACTED") {
				t.Errorf("log shows no redaction:\n%s", out)
			}
		})
	}
}

func TestLogging_URLAndLocationLoseUserinfo(t *testing.T) {
	const tok = "userinfo-token-canary-31"
	srv, tr := newLogServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "https://"+tok+"@elsewhere.example/cb?code="+tok)
		w.WriteHeader(http.StatusFound)
	})
	var sink logSink
	rt := middleware.Logging(sink.logger(slog.LevelInfo), middleware.LoggingOptions{})(tr)
	req, _ := http.NewRequest(http.MethodGet, strings.Replace(srv.URL, "http://", "http://"+tok+":pw-"+tok+"@", 1)+"/x", nil)
	resp := logDo(t, rt, req)
	resp.Body.Close()
	out := sink.String()
	if strings.Contains(out, tok) {
		t.Errorf("log shows the user information:\n%s", out)
	}
	if !strings.Contains(out, "https://elsewhere.example/cb?code=REDACTED") {
		t.Errorf("Location not logged as a redacted URL:\n%s", out)
	}
}
