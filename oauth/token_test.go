package oauth

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestParseToken_ExpiresInNumberOrString(t *testing.T) {
	tests := []struct {
		name       string
		body       string
		wantExpiry time.Duration // 0: zero Expiry
		wantRT     time.Duration
		wantErr    bool
	}{
		{"number", `{"access_token":"a","expires_in":5184000}`, 5184000 * time.Second, 0, false},
		{"string", `{"access_token":"a","expires_in":"1800"}`, 1800 * time.Second, 0, false},
		{"string with spaces", `{"access_token":"a","expires_in":" 1800 "}`, 1800 * time.Second, 0, false},
		{"whole float", `{"access_token":"a","expires_in":1.8e3}`, 1800 * time.Second, 0, false},
		{"absent", `{"access_token":"a"}`, 0, 0, false},
		{"null", `{"access_token":"a","expires_in":null}`, 0, 0, false},
		{"empty string", `{"access_token":"a","expires_in":""}`, 0, 0, false},
		{"refresh expiry as string", `{"access_token":"a","expires_in":60,"refresh_token":"r","refresh_token_expires_in":"31536000"}`, time.Minute, 31536000 * time.Second, false},
		{"fraction", `{"access_token":"a","expires_in":1.5}`, 0, 0, true},
		{"negative", `{"access_token":"a","expires_in":"-1"}`, 0, 0, true},
		{"word", `{"access_token":"a","expires_in":"soon"}`, 0, 0, true},
		{"bool", `{"access_token":"a","expires_in":true}`, 0, 0, true},
		{"out of range", `{"access_token":"a","expires_in":1e300}`, 0, 0, true},
		{"bad refresh expiry", `{"access_token":"a","refresh_token_expires_in":{}}`, 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := parseToken([]byte(tt.body), fixedNow)
			if tt.wantErr {
				if !errors.Is(err, ErrMalformedResponse) {
					t.Fatalf("err = %v, want ErrMalformedResponse", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var want, wantRT time.Time
			if tt.wantExpiry > 0 {
				want = fixedNow.Add(tt.wantExpiry)
			}
			if tt.wantRT > 0 {
				wantRT = fixedNow.Add(tt.wantRT)
			}
			if !tok.Expiry.Equal(want) || !tok.RefreshTokenExpiry.Equal(wantRT) {
				t.Errorf("Expiry %v, RefreshTokenExpiry %v; want %v, %v", tok.Expiry, tok.RefreshTokenExpiry, want, wantRT)
			}
			if int64(tt.wantExpiry/time.Second) != tok.ExpiresIn {
				t.Errorf("ExpiresIn = %d", tok.ExpiresIn)
			}
		})
	}
}

func TestSplitScopes(t *testing.T) {
	tests := map[string][]string{
		"":                      nil,
		" , ":                   nil,
		"openid":                {"openid"},
		"openid profile":        {"openid", "profile"},
		"r_ads,rw_ads":          {"r_ads", "rw_ads"},
		"r_ads, rw_ads  openid": {"r_ads", "rw_ads", "openid"},
	}
	for in, want := range tests {
		if got := splitScopes(in); !reflect.DeepEqual(got, want) {
			t.Errorf("splitScopes(%q) = %q, want %q", in, got, want)
		}
	}
}
