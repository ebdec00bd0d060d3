// Redaction of bodies: form-encoded bodies (OAuth requests, tunneled
// queries) and JSON bodies (OAuth token answers, Rest.li entities), by the
// rules of redact.go. Both work on text that may have been cut short.

package restli

import (
	"encoding/json"
	"mime"
	"strings"
)

// RedactBody returns body, of the given Content-Type, as it may be logged:
//   - a form-encoded body (application/x-www-form-urlencoded) as
//     RedactQuery(body, allowed...) does: every value but the allowed ones
//     is replaced;
//   - a JSON body (application/json, any "+json" type, or any body whose
//     first non-space byte is '{' or '[') as RedactJSON does: the value of
//     every sensitive member is replaced;
//   - any other text as RedactText does.
//
// secrets are also replaced wherever they appear (see RedactText), for
// example the refresh token of a request whose answer may echo it.
func RedactBody(contentType string, body []byte, secrets []string, allowed ...string) string {
	mt, _, _ := mime.ParseMediaType(contentType)
	var s string
	switch {
	case mt == "application/x-www-form-urlencoded":
		s = RedactQuery(string(body), allowed...)
	case mt == "application/json" || strings.HasSuffix(mt, "+json") || looksLikeJSON(body):
		s = RedactJSON(body)
	default:
		s = string(body)
	}
	return RedactText(s, secrets...)
}

// looksLikeJSON reports whether the first non-space byte of b opens a JSON
// object or array.
func looksLikeJSON(b []byte) bool {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '{', '[':
			return true
		}
		return false
	}
	return false
}

// RedactJSON returns the JSON text body with the value of every object
// member whose name IsSensitiveName accepts (access_token, refresh_token,
// id_token, client_secret, code, code_verifier, …), at any depth and of
// any type, replaced by the string "REDACTED". Everything else is kept
// byte for byte. The text is scanned, not parsed, so a document cut short
// (a logged prefix) or otherwise invalid is redacted as far as it goes.
func RedactJSON(body []byte) string {
	var b strings.Builder
	b.Grow(len(body))
	i := 0
	for i < len(body) {
		c := body[i]
		if c != '"' {
			b.WriteByte(c)
			i++
			continue
		}
		end := jsonStringEnd(body, i)
		str := body[i:end]
		b.Write(str)
		i = end
		j := i
		for j < len(body) && isJSONSpace(body[j]) {
			j++
		}
		if j >= len(body) || body[j] != ':' || !IsSensitiveName(jsonKey(str)) {
			continue
		}
		k := j + 1
		for k < len(body) && isJSONSpace(body[k]) {
			k++
		}
		b.Write(body[i:k])
		b.WriteString(`"` + Redacted + `"`)
		i = jsonValueEnd(body, k)
	}
	return b.String()
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// jsonStringEnd returns the index just past the string that starts at
// b[i] == '"', or len(b) when it is not closed.
func jsonStringEnd(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(b)
}

// jsonValueEnd returns the index just past the value that starts at b[i]
// (or len(b) when it is cut short).
func jsonValueEnd(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return jsonStringEnd(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				j = jsonStringEnd(b, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return len(b)
	}
	j := i
	for j < len(b) && !isJSONSpace(b[j]) && b[j] != ',' && b[j] != '}' && b[j] != ']' {
		j++
	}
	return j
}

// jsonKey returns the text of the quoted JSON string s (escapes decoded
// when they are valid).
func jsonKey(s []byte) string {
	if len(s) < 2 || s[len(s)-1] != '"' {
		return strings.TrimPrefix(string(s), `"`)
	}
	inner := s[1 : len(s)-1]
	if strings.IndexByte(string(inner), '\\') < 0 {
		return string(inner)
	}
	var k string
	if json.Unmarshal(s, &k) == nil {
		return k
	}
	return string(inner)
}
