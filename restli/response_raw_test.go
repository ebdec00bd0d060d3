package restli_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/linkedin-go/linkedin/restli"
)

func TestResponse_FinalURLAndHTTPResponseReachTheAnswer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/rest/old/1" {
			http.Redirect(w, r, "/rest/new/1", http.StatusTemporaryRedirect)
			return
		}
		w.Header().Set("X-Li-Uuid", "u-1")
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"id":1}`))
	}))
	defer srv.Close()
	c := restli.NewClient(srv.Client(), restli.WithBaseURL(srv.URL+"/rest"))
	ctx := context.Background()

	tests := []struct {
		name    string
		path    string
		params  map[string]any
		wantURL string
	}{
		{"as built", "/new/{id}", map[string]any{"fields": "id"}, srv.URL + "/rest/new/1?fields=id"},
		{"after a redirect", "/old/{id}", nil, srv.URL + "/rest/new/1"},
		{"credential-like parameter redacted", "/new/{id}", map[string]any{"oauth2_access_token": "CANARY-SECRET-7f3a9", "x": "y"},
			srv.URL + "/rest/new/1?oauth2_access_token=" + restli.Redacted + "&x=y"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.Get(ctx, restli.GetRequest{ResourcePath: tt.path, PathKeys: map[string]any{"id": 1}, QueryParams: tt.params})
			if err != nil {
				t.Fatal(err)
			}
			if u := got.FinalURL(); u != tt.wantURL {
				t.Errorf("FinalURL = %q, want %q", u, tt.wantURL)
			}
			hr := got.HTTPResponse()
			if hr == nil || hr.StatusCode != 200 || hr.Header.Get("X-Li-Uuid") != "u-1" || hr.Proto == "" {
				t.Fatalf("HTTPResponse = %+v", hr)
			}
			if n, _ := hr.Body.Read(make([]byte, 1)); n != 0 {
				t.Error("the body was readable after decoding")
			}
		})
	}
	if u := (restli.Response{}).FinalURL(); u != "" || (restli.Response{}).HTTPResponse() != nil {
		t.Errorf("zero Response: FinalURL %q", u)
	}
}
