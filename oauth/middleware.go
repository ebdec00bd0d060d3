package oauth

// STUB: the oauth helper replaces this file with the real token layer.

import (
	"net/http"

	"golang.org/x/oauth2"
)

// MiddlewareOption configures Middleware.
type MiddlewareOption func(*middlewareConfig)

type middlewareConfig struct{ hosts []string }

// AllowHosts sets the hosts the token may be sent to.
func AllowHosts(hosts ...string) MiddlewareOption {
	return func(c *middlewareConfig) { c.hosts = append(c.hosts, hosts...) }
}

// Middleware returns the token layer.
func Middleware(ts oauth2.TokenSource, opts ...MiddlewareOption) func(http.RoundTripper) http.RoundTripper {
	return func(next http.RoundTripper) http.RoundTripper { return next }
}
