// Redaction: the one set of rules, used by every package of this module,
// for what may appear in an error text, a log line, a span, a metric or a
// request record. URLs, headers, form and JSON bodies and free text go
// through the functions of this file, with one marker (Redacted) and one
// minimum secret length (MinSecretLength).

package restli

import (
	"net/http"
	"net/url"
	"strings"
)

// Redacted is the marker that replaces every value this module redacts:
// query values, header values, body members and secrets in text.
const Redacted = "REDACTED"

// MinSecretLength is the length from which a known secret (a token, a
// client secret, a query value) is replaced wherever it occurs in a text. A
// shorter one is replaced only where it stands as a whole word (delimited
// by characters other than letters, digits and "-._~"), so that scrubbing a
// short value can never corrupt the rest of the text, such as an error code
// ("invalid_grant" stays whole when the client secret is "a").
const MinSecretLength = 8

// sensitiveParts are name fragments (lower case) that make a header, query
// parameter, form field or JSON member sensitive: "auth" covers
// Authorization, "cookie" Cookie and Set-Cookie, "token" access_token,
// refresh_token, id_token and pageToken, "secret" client_secret, "key"
// every kind of API key, "verifier" code_verifier.
var sensitiveParts = [...]string{
	"auth", "cookie", "token", "secret", "passw", "key", "session",
	"signature", "credential", "assertion", "verifier",
}

// sensitiveNames are sensitive names that need an exact match (lower
// case): the OAuth authorization code, a signature parameter and the
// OpenID Connect nonce.
var sensitiveNames = [...]string{"code", "sig", "nonce"}

// IsSensitiveName reports whether the value of a header, query parameter,
// form field or JSON member called name carries credentials and is
// therefore never logged or recorded, whatever an allow-list says: the
// names "code", "sig" and "nonce", and every name containing "auth", "cookie",
// "token", "secret", "passw", "key", "session", "signature", "credential",
// "assertion" or "verifier" (case-insensitive). Authorization, Cookie,
// access_token, refresh_token, id_token, client_secret and code_verifier
// are all sensitive.
func IsSensitiveName(name string) bool {
	for _, n := range sensitiveNames {
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
	for _, p := range sensitiveParts {
		if strings.Contains(lower, p) {
			return true
		}
	}
	return false
}

// RedactURL returns rawURL in a form that is safe to log or record: the
// scheme, host and escaped path stay (path keys are identifiers, not
// secrets); the user information ("https://TOKEN@host/") and the fragment
// are dropped; every query value is replaced by Redacted except the values
// of the parameters named in allowed whose names IsSensitiveName accepts
// (see RedactQuery). It works on the text, so a URL that does not parse
// (a hostile Location header, say) is redacted by the same rules.
func RedactURL(rawURL string, allowed ...string) string {
	var b strings.Builder
	b.Grow(len(rawURL))
	writeRedactedURL(&b, rawURL, allowed)
	return b.String()
}

// writeRedactedURL writes RedactURL(s, allowed...) to b.
func writeRedactedURL(b *strings.Builder, s string, allowed []string) {
	if i := strings.IndexByte(s, '#'); i >= 0 {
		s = s[:i]
	}
	base, query, hasQuery := strings.Cut(s, "?")
	if i := strings.Index(base, "://"); i >= 0 {
		auth := base[i+3:]
		end := strings.IndexByte(auth, '/')
		if end < 0 {
			end = len(auth)
		}
		if at := strings.LastIndexByte(auth[:end], '@'); at >= 0 {
			b.WriteString(base[:i+3])
			base = auth[at+1:]
		}
	} else if strings.HasPrefix(base, "//") {
		auth := base[2:]
		end := strings.IndexByte(auth, '/')
		if end < 0 {
			end = len(auth)
		}
		if at := strings.LastIndexByte(auth[:end], '@'); at >= 0 {
			b.WriteString("//")
			base = auth[at+1:]
		}
	}
	b.WriteString(base)
	if hasQuery {
		b.WriteByte('?')
		writeRedactedQuery(b, query, allowed)
	}
}

// RedactQuery returns the raw query string (or form-encoded body) q with
// every value replaced by Redacted, except the values of the parameters
// named in allowed (matched against the decoded name, case-sensitively, as
// Rest.li does) that IsSensitiveName accepts. A part without '=' is kept
// only when allowed: on its own it could be a bare secret. Parameter names
// keep their original encoding, and there is one output part per input
// part.
func RedactQuery(q string, allowed ...string) string {
	var b strings.Builder
	b.Grow(len(q))
	writeRedactedQuery(&b, q, allowed)
	return b.String()
}

func writeRedactedQuery(b *strings.Builder, q string, allowed []string) {
	first := true
	for part := range strings.SplitSeq(q, "&") {
		if !first {
			b.WriteByte('&')
		}
		first = false
		name, _, hasValue := strings.Cut(part, "=")
		switch {
		case paramAllowed(name, allowed):
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
}

// paramAllowed reports whether the value of the (still encoded) parameter
// name may be shown.
func paramAllowed(name string, allowed []string) bool {
	if len(allowed) == 0 {
		return false
	}
	name = decodedName(name)
	for _, a := range allowed {
		if a == name {
			return !IsSensitiveName(name)
		}
	}
	return false
}

// RedactHeaderValue returns the value of one header as it may be logged or
// recorded. A sensitive header (IsSensitiveName) reads Redacted, except that
// an Authorization or Proxy-Authorization value keeps its scheme ("Bearer
// REDACTED"). A header that is not allowed reads Redacted. An allowed
// Location, Content-Location or Referer is a URL and is redacted as one
// (RedactURL), or reads Redacted when it does not parse as a URL. Any
// other allowed header is returned as it is.
func RedactHeaderValue(name, value string, allowed bool) string {
	if IsSensitiveName(name) {
		switch http.CanonicalHeaderKey(name) {
		case "Authorization", "Proxy-Authorization":
			if scheme, cred, ok := strings.Cut(value, " "); ok && cred != "" && isWord(scheme) {
				return scheme + " " + Redacted
			}
		}
		return Redacted
	}
	if !allowed {
		return Redacted
	}
	switch http.CanonicalHeaderKey(name) {
	case "Location", "Content-Location", "Referer":
		if _, err := url.Parse(value); err != nil {
			return Redacted // not a URL: it could be anything, a token included
		}
		return RedactURL(value)
	}
	return value
}

// RedactHeader returns a copy of h whose values are redacted by
// RedactHeaderValue. allowed tells which headers (by canonical name) may be
// shown; nil allows every header, so only sensitive ones and the URLs of
// Location headers are redacted.
func RedactHeader(h http.Header, allowed func(canonicalName string) bool) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		ok := allowed == nil || allowed(http.CanonicalHeaderKey(k))
		cp := make([]string, len(vs))
		for i, v := range vs {
			cp[i] = RedactHeaderValue(k, v, ok)
		}
		out[k] = cp
	}
	return out
}

// RedactText returns s with what must never be shown removed: every URL
// in it ("scheme://…", up to white space or a quote) is redacted as
// RedactURL does; the quoted value net/http puts after "Location header"
// when it cannot parse a redirect is replaced by Redacted; and each of
// secrets is replaced by Redacted in its raw, query-escaped and
// path-escaped spellings (a secret shorter than MinSecretLength only where
// it stands as a whole word). Empty secrets are ignored.
func RedactText(s string, secrets ...string) string {
	s = redactURLsInText(s)
	s = redactQuotedAfter(s, "Location header ")
	for _, sec := range secrets {
		if sec == "" || sec == Redacted {
			continue
		}
		s = replaceSecret(s, sec)
		if q := url.QueryEscape(sec); q != sec {
			s = replaceSecret(s, q)
		}
		if q := url.PathEscape(sec); q != sec {
			s = replaceSecret(s, q)
		}
	}
	return s
}

// RedactRequestText is RedactText for a text about req (an error message
// that may quote it): req's raw query is replaced by its redacted form
// wherever it appears, and so are the credentials req carries
// (RequestSecrets), every query value of at least MinSecretLength bytes,
// and extra. A nil req gives RedactText(s, extra...).
func RedactRequestText(s string, req *http.Request, extra ...string) string {
	if req == nil {
		return RedactText(s, extra...)
	}
	secrets := append(RequestSecrets(req), extra...)
	if u := req.URL; u != nil && u.RawQuery != "" {
		if strings.Contains(s, u.RawQuery) {
			s = strings.ReplaceAll(s, u.RawQuery, RedactQuery(u.RawQuery))
		}
		for part := range strings.SplitSeq(u.RawQuery, "&") {
			_, v, ok := strings.Cut(part, "=")
			if !ok {
				v = part
			}
			if len(v) >= MinSecretLength {
				secrets = appendValue(secrets, v)
			}
		}
	}
	return RedactText(s, secrets...)
}

// RequestSecrets returns the credentials req carries: the value of every
// sensitive header (IsSensitiveName), and the credential of an
// Authorization value without its scheme; the user information of its URL;
// and the values of its sensitive query parameters (access_token, code…).
// Pass them to RedactText or RedactBody to scrub a text that might echo
// them, such as a response body.
func RequestSecrets(req *http.Request) []string {
	if req == nil {
		return nil
	}
	var secrets []string
	if u := req.URL; u != nil {
		for part := range strings.SplitSeq(u.RawQuery, "&") {
			name, v, ok := strings.Cut(part, "=")
			if ok && v != "" && IsSensitiveName(decodedName(name)) {
				secrets = appendValue(secrets, v)
			}
		}
		if u.User != nil {
			secrets = append(secrets, u.User.Username())
			if pw, ok := u.User.Password(); ok {
				secrets = append(secrets, pw)
			}
		}
	}
	for k, vs := range req.Header {
		if !IsSensitiveName(k) {
			continue
		}
		for _, v := range vs {
			// The credential first: "Bearer REDACTED" reads better.
			if _, cred, ok := strings.Cut(v, " "); ok {
				secrets = append(secrets, strings.TrimSpace(cred))
			}
			secrets = append(secrets, v)
		}
	}
	return secrets
}

// appendValue appends a query value and, when it differs, its decoded form.
func appendValue(secrets []string, v string) []string {
	secrets = append(secrets, v)
	if dv, err := url.QueryUnescape(v); err == nil && dv != v {
		secrets = append(secrets, dv)
	}
	return secrets
}

// decodedName is a query parameter name decoded for matching, or as written
// when it is not valid percent-encoding.
func decodedName(name string) string {
	if strings.ContainsAny(name, "%+") {
		if n, err := url.QueryUnescape(name); err == nil {
			return n
		}
	}
	return name
}

// replaceSecret replaces sec in s: anywhere when it is at least
// MinSecretLength long, else only as a whole word.
func replaceSecret(s, sec string) string {
	if len(sec) >= MinSecretLength {
		return strings.ReplaceAll(s, sec, Redacted)
	}
	var b strings.Builder
	last := 0
	for i := 0; i+len(sec) <= len(s); {
		j := strings.Index(s[i:], sec)
		if j < 0 {
			break
		}
		j += i
		end := j + len(sec)
		if (j == 0 || !isWordByte(s[j-1])) && (end == len(s) || !isWordByte(s[end])) {
			b.WriteString(s[last:j])
			b.WriteString(Redacted)
			last, i = end, end
		} else {
			i = j + 1
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// isWordByte reports whether c can be part of a token-like word: an ASCII
// letter or digit, one of "-._~" (RFC 3986's unreserved characters), or a
// byte of a multi-byte character.
func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~' || c >= 0x80
}

// isWord reports whether s is a non-empty run of ASCII letters (an
// authorization scheme).
func isWord(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// redactURLsInText redacts every "scheme://…" token of s. A token ends at
// white space, a quote or an angle bracket; Rest.li queries contain
// parentheses and commas, so those do not end it.
func redactURLsInText(s string) string {
	if !strings.Contains(s, "://") && !strings.Contains(s, "?") {
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
		start := i
		for start > 0 && isSchemeByte(rest[start-1]) {
			start--
		}
		end := i + 3
		for end < len(rest) && !isURLEnd(rest[end]) {
			end++
		}
		b.WriteString(rest[:start])
		writeRedactedURL(&b, rest[start:end], nil)
		rest = rest[end:]
	}
}

func isSchemeByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'
}

func isURLEnd(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '"', '\'', '`', '<', '>':
		return true
	}
	return false
}

// redactQuotedAfter replaces the double-quoted (Go %q) value that follows
// each occurrence of prefix in s by Redacted.
func redactQuotedAfter(s, prefix string) string {
	i := strings.Index(s, prefix)
	if i < 0 {
		return s
	}
	var b strings.Builder
	rest := s
	for i >= 0 {
		start := i + len(prefix)
		b.WriteString(rest[:start])
		rest = rest[start:]
		if strings.HasPrefix(rest, `"`) {
			end := 1
			for end < len(rest) && rest[end] != '"' {
				if rest[end] == '\\' {
					end++
				}
				end++
			}
			if end < len(rest) {
				end++ // the closing quote
			} else {
				end = len(rest)
			}
			b.WriteString(`"` + Redacted + `"`)
			rest = rest[end:]
		}
		i = strings.Index(rest, prefix)
	}
	b.WriteString(rest)
	return b.String()
}
