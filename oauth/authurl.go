package oauth

import (
	"strconv"
	"strings"

	"golang.org/x/oauth2"
)

// ConfigError reports a Config that cannot make the request asked for: an
// authorization URL without scopes, say, which LinkedIn answers with an
// error page instead of the consent screen. It never holds a credential.
type ConfigError struct {
	// Field names the Config field at fault: "ClientID", "RedirectURL",
	// "Scopes" or "Scopes[i]".
	Field string
	// Reason says what is wrong with it.
	Reason string
}

// Error names the field and says what is wrong.
func (e *ConfigError) Error() string {
	return "oauth: invalid config: " + e.Field + ": " + e.Reason
}

// ErrorType returns "oauth.ConfigError", the value for the OpenTelemetry
// error.type attribute.
func (e *ConfigError) ErrorType() string { return "oauth.ConfigError" }

// AuthorizationURL is AuthCodeURL with the checks LinkedIn makes before it
// shows the consent screen: a ClientID, a RedirectURL and at least one
// scope, each non-empty and without spaces. A Config that fails them gets a
// *ConfigError and no URL, instead of a URL LinkedIn refuses in the
// member's browser. Use it where the Config comes from settings; the
// examples do.
func (c *Config) AuthorizationURL(state string, opts ...oauth2.AuthCodeOption) (string, error) {
	if err := c.checkAuthorization(); err != nil {
		return "", err
	}
	return c.AuthCodeURL(state, opts...), nil
}

// checkAuthorization returns the *ConfigError AuthorizationURL reports.
func (c *Config) checkAuthorization() error {
	if c.ClientID == "" {
		return &ConfigError{Field: "ClientID", Reason: "is empty"}
	}
	if c.RedirectURL == "" {
		return &ConfigError{Field: "RedirectURL", Reason: "is empty; LinkedIn requires redirect_uri"}
	}
	if len(c.Scopes) == 0 {
		return &ConfigError{Field: "Scopes", Reason: "is empty; LinkedIn refuses an authorization request without a scope (e.g. \"openid\", \"profile\", \"r_ads\")"}
	}
	for i, s := range c.Scopes {
		if s == "" || strings.ContainsAny(s, " \t\r\n") {
			return &ConfigError{Field: "Scopes[" + strconv.Itoa(i) + "]", Reason: "is empty or holds white space; give one scope per element"}
		}
	}
	return nil
}
