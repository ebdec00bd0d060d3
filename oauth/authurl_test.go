package oauth

import (
	"errors"
	"strings"
	"testing"
)

func TestAuthorizationURL_RefusesConfigLinkedInRejects(t *testing.T) {
	good := Config{ClientID: "cid", ClientSecret: "CANARY-SECRET-7f3a9", RedirectURL: "https://app.example/cb", Scopes: []string{"openid", "profile"}}
	tests := []struct {
		name  string
		mod   func(*Config)
		field string // "" means a URL
	}{
		{"complete", func(*Config) {}, ""},
		{"no scopes", func(c *Config) { c.Scopes = nil }, "Scopes"},
		{"empty scope list", func(c *Config) { c.Scopes = []string{} }, "Scopes"},
		{"empty scope", func(c *Config) { c.Scopes = []string{"openid", ""} }, "Scopes[1]"},
		{"scopes in one string", func(c *Config) { c.Scopes = []string{"openid profile"} }, "Scopes[0]"},
		{"no client id", func(c *Config) { c.ClientID = "" }, "ClientID"},
		{"no redirect", func(c *Config) { c.RedirectURL = "" }, "RedirectURL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good
			tt.mod(&c)
			u, err := c.AuthorizationURL("st")
			if tt.field == "" {
				if err != nil || u != c.AuthCodeURL("st") {
					t.Fatalf("AuthorizationURL = %q, %v; want AuthCodeURL's %q", u, err, c.AuthCodeURL("st"))
				}
				return
			}
			var ce *ConfigError
			if u != "" || !errors.As(err, &ce) || ce.Field != tt.field {
				t.Fatalf("AuthorizationURL = %q, %v; want a *ConfigError for %s", u, err, tt.field)
			}
			if strings.Contains(err.Error(), "CANARY") || ce.ErrorType() != "oauth.ConfigError" {
				t.Fatalf("error %v", err)
			}
		})
	}
}
