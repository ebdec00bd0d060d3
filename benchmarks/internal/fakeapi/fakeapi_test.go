package fakeapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestHandler(t *testing.T) {
	const finder = BasePath + Resource + "?count=5&q=search&start=0"
	tests := []struct {
		name   string
		method string
		target string
		token  string
		want   int
	}{
		{"finder", http.MethodGet, finder, Token, http.StatusOK},
		{"q first, as the JavaScript client sends it", http.MethodGet, BasePath + Resource + "?q=search&start=0", Token, http.StatusOK},
		{"no token", http.MethodGet, finder, "", http.StatusUnauthorized},
		{"wrong token", http.MethodGet, finder, "other", http.StatusUnauthorized},
		{"other resource", http.MethodGet, BasePath + "/adCampaigns?q=search", Token, http.StatusNotFound},
		{"unversioned path", http.MethodGet, "/v2" + Resource + "?q=search", Token, http.StatusNotFound},
		{"not the finder", http.MethodGet, BasePath + Resource + "?q=searchByName", Token, http.StatusBadRequest},
		{"POST", http.MethodPost, finder, Token, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.target, nil)
			if tt.token != "" {
				r.Header.Set("Authorization", "Bearer "+tt.token)
			}
			w := httptest.NewRecorder()
			Handler().ServeHTTP(w, r)
			if w.Code != tt.want {
				t.Fatalf("status %d, want %d (%s)", w.Code, tt.want, w.Body)
			}
			if tt.want == http.StatusOK && w.Body.String() != string(SmallCollection) {
				t.Errorf("body %s, want SmallCollection", w.Body)
			}
		})
	}
}

func TestCheckLoopback(t *testing.T) {
	for u, ok := range map[string]bool{
		"http://127.0.0.1:8080":     true,
		"http://127.0.0.1:8080/":    true,
		"http://[::1]:9000":         true,
		"http://localhost:8080":     false, // a name could resolve anywhere
		"http://10.0.0.1:8080":      false,
		"https://127.0.0.1:8080":    false,
		"http://api.linkedin.com":   false,
		"127.0.0.1:8080":            false,
		"http://127.0.0.1.nip.io:1": false,
	} {
		if err := CheckLoopback(u); (err == nil) != ok {
			t.Errorf("CheckLoopback(%q) = %v, want ok=%v", u, err, ok)
		}
	}
}

func TestCollections_AreValid(t *testing.T) {
	for _, b := range [][]byte{SmallCollection, LargeCollection(3)} {
		var v struct {
			Elements []map[string]any `json:"elements"`
			Paging   struct{ Total int }
		}
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if len(v.Elements) != 3 || v.Paging.Total != 3 {
			t.Errorf("%d elements, total %d; want 3 and 3", len(v.Elements), v.Paging.Total)
		}
	}
}
