package telemetry

import (
	"net/http"
	"net/url"
	"strings"
)

// redacted replaces every query value in url.full and in error messages.
const redacted = "REDACTED"

// redactURL returns u as an absolute URL without user info or fragment and
// with every query value replaced by REDACTED: "https://api.linkedin.com/rest/
// adAccounts/123?q=REDACTED&search=REDACTED". Parameter names stay, values
// go; a parameter without '=' counts as a value. The path stays as it is:
// keys are identifiers, not secrets.
func redactURL(u *url.URL) string {
	var b strings.Builder
	path := u.EscapedPath()
	b.Grow(len(u.Scheme) + 3 + len(u.Host) + len(path) + len(u.RawQuery))
	if u.Scheme != "" {
		b.WriteString(u.Scheme)
		b.WriteString("://")
	}
	b.WriteString(u.Host)
	if path != "" && path[0] != '/' && u.Host != "" {
		b.WriteByte('/')
	}
	b.WriteString(path)
	if u.RawQuery != "" || u.ForceQuery {
		b.WriteByte('?')
		redactQuery(&b, u.RawQuery)
	}
	return b.String()
}

// redactQuery writes q with every value replaced by REDACTED.
func redactQuery(b *strings.Builder, q string) {
	first := true
	for q != "" {
		var part string
		part, q, _ = strings.Cut(q, "&")
		if !first {
			b.WriteByte('&')
		}
		first = false
		if part == "" {
			continue
		}
		if name, _, ok := strings.Cut(part, "="); ok {
			b.WriteString(name)
			b.WriteByte('=')
		}
		b.WriteString(redacted)
	}
}

// sanitize returns msg with what must never reach telemetry removed: the
// request's query string and Authorization credentials wherever they appear,
// and the query of any URL in the message (errors from retry libraries
// often quote the request URL). It is used on the error path only.
func sanitize(msg string, req *http.Request) string {
	if req != nil {
		if req.URL != nil && req.URL.RawQuery != "" && strings.Contains(msg, req.URL.RawQuery) {
			var b strings.Builder
			redactQuery(&b, req.URL.RawQuery)
			msg = strings.ReplaceAll(msg, req.URL.RawQuery, b.String())
		}
		for _, v := range req.Header["Authorization"] {
			// Redact the credentials, and the whole value in case it
			// appears as such.
			if _, cred, ok := strings.Cut(v, " "); ok && strings.TrimSpace(cred) != "" {
				msg = strings.ReplaceAll(msg, strings.TrimSpace(cred), redacted)
			}
			if strings.TrimSpace(v) != "" {
				msg = strings.ReplaceAll(msg, v, redacted)
			}
		}
	}
	return redactURLsIn(msg)
}

// redactURLsIn redacts the query values of every "scheme://…?…" token in s.
// A token ends at white space or a quote; Rest.li queries contain
// parentheses and commas, so those do not end it.
func redactURLsIn(s string) string {
	if !strings.Contains(s, "://") || !strings.Contains(s, "?") {
		return s
	}
	var b strings.Builder
	rest := s
	for {
		i := strings.Index(rest, "://")
		if i < 0 {
			b.WriteString(rest)
			return b.String()
		}
		end := i + 3
		for end < len(rest) && !isURLEnd(rest[end]) {
			end++
		}
		token := rest[i:end] // "://host/path?query#frag"
		b.WriteString(rest[:i])
		if q := strings.IndexByte(token, '?'); q >= 0 {
			b.WriteString(token[:q+1])
			query := token[q+1:]
			if f := strings.IndexByte(query, '#'); f >= 0 {
				query = query[:f]
			}
			redactQuery(&b, query)
		} else if f := strings.IndexByte(token, '#'); f >= 0 {
			b.WriteString(token[:f])
		} else {
			b.WriteString(token)
		}
		rest = rest[end:]
	}
}

func isURLEnd(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '"', '\'', '`', '<', '>':
		return true
	}
	return false
}
