// This file holds the request checks that stop input which would reach the
// wire malformed or mean something other than what the caller wrote: header
// names and values net/http would refuse (which then came back as transport
// failures and counted against the host's health), dot segments that
// rewrite the resource path, a base URL that swallows the path and query,
// and a batch that names a key twice. Each failure is a *ValidationError
// whose text never quotes the offending value.

package restli

import (
	"net/http"
	"strconv"
	"strings"
)

// checkHeaders checks the per-call headers: every name a valid HTTP field
// name (an RFC 9110 token) and no value holding CR, LF, NUL or another
// control character but tab.
func checkHeaders(h http.Header) error {
	for name, values := range h {
		if !validHeaderName(name) {
			return invalid("Header", "has a name that is not a valid HTTP header field name", nil)
		}
		for _, v := range values {
			if !validHeaderValue(v) {
				return invalid("Header["+http.CanonicalHeaderKey(name)+"]", "contains characters not allowed in a header (CR, LF, NUL or another control character)", nil)
			}
		}
	}
	return nil
}

// validHeaderName reports whether name is an RFC 9110 token.
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// validHeaderValue reports whether s can be sent as a header value as is:
// no control character but tab, and no DEL.
func validHeaderValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// checkBaseURL refuses a base URL with a query or a fragment: the resource
// path would be appended to the query or the fragment, and the request would
// go to the base path itself.
func checkBaseURL(base string) error {
	if strings.ContainsAny(base, "?#") {
		return invalid("BaseURL", "must not contain '?' or '#' (set by WithBaseURL)", nil)
	}
	return nil
}

// isDotSegment reports whether seg is "." or "..", a path segment that URL
// resolution, proxies and servers remove together with its parent.
func isDotSegment(seg string) bool { return seg == "." || seg == ".." }

// checkDotSegments refuses a path, as expanded from the template tmpl, that
// has a "." or ".." segment: DELETE /adAccounts/../adCampaigns/7 would
// delete a campaign. A dot segment written in the template is the
// template's fault; any other came from the keys (checkDotKey names the key
// when it is a whole segment on its own).
func checkDotSegments(tmpl, path string) error {
	for seg := range strings.SplitSeq(tmpl, "/") {
		if isDotSegment(seg) {
			return invalid("ResourcePath", "has a '.' or '..' segment", nil)
		}
	}
	for seg := range strings.SplitSeq(path, "/") {
		if isDotSegment(seg) {
			return invalid("PathKeys", "form a '.' or '..' path segment, which would change the resource path", nil)
		}
	}
	return nil
}

// checkDotKey refuses a path key whose encoding is a whole "." or ".."
// segment.
func checkDotKey(name, enc string) error {
	if isDotSegment(enc) {
		return invalid("PathKeys["+name+"]", "is '.' or '..', a path segment that would change the resource path", nil)
	}
	return nil
}

// checkDuplicateIDs refuses a batch whose IDs name the same key twice (by
// the key's text on the wire, so 7 and "7" are the same key). A batch
// answer is a map keyed by id, so a repeated id cannot get a result of its
// own: a caller counting on one result per id would be silently wrong. The
// field names the second occurrence.
func checkDuplicateIDs(ids []any) error {
	if len(ids) < 2 {
		return nil
	}
	seen := make(map[string]struct{}, len(ids))
	for i, id := range ids {
		k, err := idText(id)
		if err != nil {
			return invalid("IDs["+strconv.Itoa(i)+"]", "cannot be encoded as a key", err)
		}
		if _, dup := seen[k]; dup {
			return invalid("IDs["+strconv.Itoa(i)+"]", "repeats an earlier key", nil)
		}
		seen[k] = struct{}{}
	}
	return nil
}

// idText is BodyKey with the common simple keys written without a detour.
func idText(id any) (string, error) {
	switch x := id.(type) {
	case string:
		return x, nil
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	}
	return BodyKey(id)
}
