package oauth

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func checkScopes(t *testing.T, scopes []string) {
	for _, s := range scopes {
		if s == "" || strings.ContainsAny(s, ", \t\r\n") {
			t.Fatalf("bad scope entry %q", s)
		}
	}
}

func FuzzParseToken(f *testing.F) {
	for _, s := range []string{
		`{"access_token":"AQX","expires_in":5184000,"refresh_token":"AQW","refresh_token_expires_in":31536000,"scope":"openid,profile"}`,
		`{"access_token":"AQX","expires_in":"1800"}`,
		`{"access_token":"AQX","expires_in":1.8e3,"token_type":"Bearer","id_token":"eyJ"}`,
		`{"error":"invalid_grant","error_description":"expired"}`,
		`{"access_token":42}`,
		`{"access_token":"a","expires_in":-1}`,
		`[]`, `null`, ``, `access_token=a`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		tok, err := parseToken(body, fixedNow)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is %T, want *Error", err, err)
			}
			if tok != nil {
				t.Fatal("token and error")
			}
			return
		}
		if tok == nil || tok.Token == nil || tok.AccessToken == "" {
			t.Fatalf("success without an access token: %+v", tok)
		}
		if !tok.Expiry.IsZero() && tok.Expiry.Before(fixedNow) {
			t.Fatalf("Expiry %v before now", tok.Expiry)
		}
		if !tok.RefreshTokenExpiry.IsZero() && tok.RefreshTokenExpiry.Before(fixedNow) {
			t.Fatalf("RefreshTokenExpiry %v before now", tok.RefreshTokenExpiry)
		}
		if tok.ExpiresIn < 0 {
			t.Fatalf("ExpiresIn %d", tok.ExpiresIn)
		}
		checkScopes(t, tok.Scopes)
	})
}

func FuzzParseIntrospection(f *testing.F) {
	for _, s := range []string{
		`{"active":true,"client_id":"c","authorized_at":1700000000,"created_at":1700000100,"status":"active","expires_at":1705184000,"scope":"r_ads,rw_ads","auth_type":"3L"}`,
		`{"active":true,"created_at":"1700000100","expires_at":"1700001900","auth_type":"2L"}`,
		`{"active":false,"status":"revoked"}`,
		`{"error":"invalid_request","error_description":"bad token"}`,
		`{"active":"yes"}`,
		`{"status":"active"}`,
		`{}`, `[true]`, ``, `{"active":true,"expires_at":1e400}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := parseIntrospection(body)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is %T, want *Error", err, err)
			}
			if in != nil {
				t.Fatal("result and error")
			}
			return
		}
		if in == nil {
			t.Fatal("nil result without error")
		}
		for _, tm := range []time.Time{in.CreatedAt, in.AuthorizedAt, in.ExpiresAt} {
			if !tm.IsZero() && (tm.Unix() <= 0 || tm.Unix() > maxSeconds || tm.Location() != time.UTC) {
				t.Fatalf("time out of range: %v", tm)
			}
		}
		checkScopes(t, in.Scopes)
	})
}
