package restli

import (
	"net/http"
	"strings"
)

// HTTPResponse returns the *http.Response the call's answer came in, for
// what the typed fields leave out (Proto, TLS, Trailer, the Request that
// was sent, …). Its Body has already been read and closed by decoding: it
// is never readable. Its Header is the same map as Header. It returns nil
// for a Response the client did not make (a zero value, or one built in a
// test).
func (r Response) HTTPResponse() *http.Response { return r.raw }

// FinalURL returns the URL the answer came from: the URL the client built,
// or the last redirect's when the http.Client followed any. A tunneled call
// (see middleware.QueryTunnel) reports its logical URL, query included, not
// the POST that carried it. The user information is dropped and the values
// of credential-like query parameters (restli.IsSensitiveName) read
// Redacted, so the text is safe to log; other values stay as sent. It
// returns "" when r has no *http.Response (see HTTPResponse).
func (r Response) FinalURL() string {
	if r.raw == nil || r.raw.Request == nil || r.raw.Request.URL == nil {
		return ""
	}
	u := *r.raw.Request.URL
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	if u.RawQuery != "" {
		u.RawQuery = redactSensitiveParams(u.RawQuery)
	}
	return u.String()
}

// redactSensitiveParams returns the raw query q with the value of every
// parameter whose name IsSensitiveName accepts replaced by Redacted; the
// others stay byte for byte.
func redactSensitiveParams(q string) string {
	parts := strings.Split(q, "&")
	changed := false
	for i, p := range parts {
		name, _, hasValue := strings.Cut(p, "=")
		if hasValue && IsSensitiveName(decodedName(name)) {
			parts[i] = name + "=" + Redacted
			changed = true
		}
	}
	if !changed {
		return q
	}
	return strings.Join(parts, "&")
}
