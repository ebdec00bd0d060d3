package middleware

import (
	"net/http"
	"net/url"
	"strings"
)

// Redacted replaces every header value, query value or credential that a
// redaction helper does not let through.
const Redacted = "REDACTED"

// logSensitiveParts are the name fragments (lower case) that make a header
// or query parameter sensitive: its value is never logged, even when it is
// allow-listed. "auth" covers Authorization and Proxy-Authorization,
// "cookie" covers Cookie and Set-Cookie, "token" covers access_token,
// oauth2_access_token and pageToken, "key" covers every kind of API key.
var logSensitiveParts = [...]string{
	"auth", "cookie", "token", "secret", "passw", "key", "session",
	"signature", "credential", "assertion",
}

// logSensitiveNames are sensitive names that need an exact match
// (lower case): the OAuth authorization code and a signature parameter.
var logSensitiveNames = [...]string{"code", "sig"}

// IsSensitiveHeader reports whether the value of the header name must never
// be logged or recorded, even when a user allow-lists it: Authorization,
// Proxy-Authorization, Cookie, Set-Cookie and any name that contains
// "auth", "cookie", "token", "secret", "passw", "key", "session",
// "signature", "credential" or "assertion" (case-insensitive).
func IsSensitiveHeader(name string) bool { return logSensitive(name) }

// IsSensitiveParam reports whether the value of the query parameter name
// must never be logged or recorded: the names IsSensitiveHeader rejects,
// plus "code" and "sig" (case-insensitive).
func IsSensitiveParam(name string) bool { return logSensitive(name) }

func logSensitive(name string) bool {
	for _, n := range logSensitiveNames {
		if strings.EqualFold(name, n) {
			return true
		}
	}
	lower := name
	for i := 0; i < len(name); i++ {
		if c := name[i]; 'A' <= c && c <= 'Z' {
			lower = strings.ToLower(name)
			break
		}
	}
	for _, p := range logSensitiveParts {
		if strings.Contains(lower, p) {
			return true
		}
	}
	return false
}

// RedactURL returns u as a string that is safe to log or record: the
// scheme, host and escaped path stay (path keys are identifiers, not
// secrets), a password in the user info is replaced, the fragment is
// dropped, and every query value is replaced by Redacted except the values
// of the parameters named in allowed, which are kept as they are encoded
// unless IsSensitiveParam rejects the name. A nil u gives "".
func RedactURL(u *url.URL, allowed ...string) string {
	return logRedactURL(u, func(name string) bool {
		for _, a := range allowed {
			if a == name {
				return true
			}
		}
		return false
	})
}

// RedactQuery returns the raw query string q with every value replaced by
// Redacted except those of the parameters named in allowed, as RedactURL
// does. A parameter without '=' is kept only when allowed: on its own it
// could be a bare secret. Parameter names keep their original encoding.
func RedactQuery(q string, allowed ...string) string {
	return logRedactQuery(q, func(name string) bool {
		for _, a := range allowed {
			if a == name {
				return true
			}
		}
		return false
	})
}

// logRedactURL is RedactURL with a predicate for the allow-list.
func logRedactURL(u *url.URL, allowed func(string) bool) string {
	if u == nil {
		return ""
	}
	u2 := *u
	u2.Fragment, u2.RawFragment = "", ""
	u2.RawQuery = ""
	u2.ForceQuery = false
	if u2.User != nil {
		if _, ok := u2.User.Password(); ok {
			u2.User = url.UserPassword(u2.User.Username(), Redacted)
		}
	}
	s := u2.String()
	if u.RawQuery == "" {
		return s
	}
	return s + "?" + logRedactQuery(u.RawQuery, allowed)
}

// logRedactQuery is RedactQuery with a predicate for the allow-list.
func logRedactQuery(q string, allowed func(string) bool) string {
	var b strings.Builder
	b.Grow(len(q))
	first := true
	for part := range strings.SplitSeq(q, "&") {
		if !first {
			b.WriteByte('&')
		}
		first = false
		name, _, hasValue := strings.Cut(part, "=")
		ok := allowed(logParamName(name)) && !IsSensitiveParam(logParamName(name))
		switch {
		case ok:
			b.WriteString(part)
		case !hasValue:
			if part != "" {
				b.WriteString(Redacted)
			}
		default:
			b.WriteString(name)
			b.WriteByte('=')
			b.WriteString(Redacted)
		}
	}
	return b.String()
}

// logParamName decodes a query parameter name for matching; a name that is
// not valid percent-encoding matches as it is written.
func logParamName(name string) string {
	if strings.ContainsAny(name, "%+") {
		if n, err := url.QueryUnescape(name); err == nil {
			return n
		}
	}
	return name
}

// logHeaderValue returns the value of a header as it may be logged: the
// values joined by ", " when allowed, else Redacted.
func logHeaderValue(name string, values []string, allowed func(string) bool) string {
	if IsSensitiveHeader(name) || !allowed(http.CanonicalHeaderKey(name)) {
		return Redacted
	}
	if ck := http.CanonicalHeaderKey(name); ck == "Location" || ck == "Content-Location" {
		// A redirect can carry a credential in its query (an OAuth
		// callback's code): log the URL with every query value redacted.
		out := make([]string, len(values))
		for i, v := range values {
			out[i] = Redacted
			if u, err := url.Parse(v); err == nil {
				out[i] = logRedactURL(u, func(string) bool { return false })
			}
		}
		return strings.Join(out, ", ")
	}
	return strings.Join(values, ", ")
}
