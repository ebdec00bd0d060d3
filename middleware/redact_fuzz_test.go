package middleware_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/linkedin-go/linkedin/middleware"
)

// FuzzRedactQuery feeds raw query strings (from request URLs and from URLs
// that servers put in Location headers and errors) to the redaction used by
// the logging layer, the retry layer's errors and telemetry. It must never
// panic, keep one output part per input part, keep only allow-listed values
// whose names are not sensitive, and replace every other value.
// Seeds live in testdata/fuzz/FuzzRedactQuery.
func FuzzRedactQuery(f *testing.F) {
	for _, s := range []string{
		"q=search&start=0&count=10", "oauth2_access_token=SECRET&q=x", "code=abc&state=s",
		"a", "=v", "&&", "q", "%71=leak", "q=%zz&access%5Ftoken=t", "pageToken=t&fields=id,name",
		"a=b=c", ";", "", "q=1&q=2",
	} {
		f.Add(s)
	}
	allowed := []string{"q", "start", "count", "fields", "pageToken", "code"}
	f.Fuzz(func(t *testing.T, q string) {
		out := middleware.RedactQuery(q, allowed...)
		in := strings.Split(q, "&")
		parts := strings.Split(out, "&")
		if len(in) != len(parts) {
			t.Fatalf("RedactQuery(%q) = %q: %d parts, want %d", q, out, len(parts), len(in))
		}
		for i, p := range in {
			name, _, hasValue := strings.Cut(p, "=")
			dn := name
			if n, err := url.QueryUnescape(name); err == nil {
				dn = n
			}
			keep := false
			for _, a := range allowed {
				if a == dn && !middleware.IsSensitiveParam(dn) {
					keep = true
				}
			}
			switch {
			case keep:
				if parts[i] != p {
					t.Fatalf("allowed part %q became %q", p, parts[i])
				}
			case !hasValue:
				if p != "" && parts[i] != middleware.Redacted {
					t.Fatalf("bare part %q became %q, want %q", p, parts[i], middleware.Redacted)
				}
			default:
				if parts[i] != name+"="+middleware.Redacted {
					t.Fatalf("part %q became %q", p, parts[i])
				}
			}
		}
		// The whole-URL form agrees with the query form.
		if u, err := url.Parse("https://api.example.test/rest/x?" + q); err == nil && u.RawQuery != "" {
			full := middleware.RedactURL(u, allowed...)
			if !strings.HasSuffix(full, "?"+middleware.RedactQuery(u.RawQuery, allowed...)) {
				t.Fatalf("RedactURL(%q) = %q disagrees with RedactQuery", u, full)
			}
		}
	})
}
