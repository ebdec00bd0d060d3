package restlitest_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/linkedin-go/linkedin/restli/restlitest"
	"github.com/linkedin-go/linkedin/transport"
)

func TestClient_TakesTransportOptionsFromTheCaller(t *testing.T) {
	srv := restlitest.NewServer()
	defer srv.Close()
	tests := []struct {
		name       string
		userAgent  string // "" passes no options
		wantLogged bool
		wantUA     string
	}{
		{"no options: as before", "", false, "linkedin-go/"},
		{"logger and user agent for this client", "mytest/1", true, "mytest/1 linkedin-go/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			var opts []transport.Option
			if tt.userAgent != "" {
				opts = append(opts, transport.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))), transport.WithUserAgent(tt.userAgent))
			}
			srv.ClearRequests()
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/rest/adAccounts/1", nil)
			// Built by hand, without X-RestLi-Method: the server's host is an
			// API host of the client's stack, so the Rest.li headers are set.
			resp, err := srv.Client(opts...).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if got := logs.Len() > 0; got != tt.wantLogged {
				t.Errorf("logged %v, want %v: %q", got, tt.wantLogged, logs.String())
			}
			r := srv.Requests()[0]
			if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, tt.wantUA) {
				t.Errorf("User-Agent %q, want prefix %q", ua, tt.wantUA)
			}
			if r.TokenFingerprint != restlitest.TokenFingerprint(srv.Token()) {
				t.Error("the server's token was not sent: the caller's options replaced the defaults")
			}
		})
	}
}
