// Tests of the module's one redaction helper: URLs, queries, headers,
// JSON and form bodies, and free text, with one marker and one minimum
// secret length.

package restli_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/linkedin-go/linkedin/restli"
)

func TestRedactURL_DropsUserinfoFragmentAndQueryValues(t *testing.T) {
	tests := []struct {
		in      string
		allowed []string
		want    string
	}{
		{"https://api.linkedin.com/rest/adAccounts/123?q=search&search=(x:1)", []string{"q"},
			"https://api.linkedin.com/rest/adAccounts/123?q=search&search=REDACTED"},
		{"https://u:pw@h/p?access_token=t&a=1#frag", []string{"access_token", "a"},
			"https://h/p?access_token=REDACTED&a=1"},
		{"https://TOKEN1234@api.linkedin.com/", nil, "https://api.linkedin.com/"},
		{"https://h/p?secretflag&x=", nil, "https://h/p?REDACTED&x=REDACTED"},
		{"https://h/p?a%62c=1&code=c", []string{"abc", "code"}, "https://h/p?a%62c=1&code=REDACTED"},
		{"https://h/p", nil, "https://h/p"},
		{"https://api.linkedin.com/x?", nil, "https://api.linkedin.com/x?"},
		{"https://api.linkedin.com/x?flag&a=&&b=1", nil, "https://api.linkedin.com/x?REDACTED&a=REDACTED&&b=REDACTED"},
		{"http://127.0.0.1:8080", nil, "http://127.0.0.1:8080"},
		// Unparsable URLs are redacted by the same rules.
		{"https://TOK@h/\x7f?access_token=SECRET", nil, "https://h/\x7f?access_token=REDACTED"},
		{"http://[::1%zz]/?token=X#f", nil, "http://[::1%zz]/?token=REDACTED"},
		{"//user:pw@h/x?a=1", nil, "//h/x?a=REDACTED"},
		{"", nil, ""},
	}
	for _, tt := range tests {
		if got := restli.RedactURL(tt.in, tt.allowed...); got != tt.want {
			t.Errorf("RedactURL(%q, %q) = %q, want %q", tt.in, tt.allowed, got, tt.want)
		}
	}
}

func TestIsSensitiveName(t *testing.T) {
	for _, n := range []string{"Authorization", "authorization", "Proxy-Authorization", "Cookie", "Set-Cookie",
		"X-Api-Key", "X-Auth-Token", "X-Client-Secret", "access_token", "refresh_token", "id_token",
		"client_secret", "code", "CODE", "code_verifier", "oauth2_access_token", "pageToken", "sig"} {
		if !restli.IsSensitiveName(n) {
			t.Errorf("IsSensitiveName(%q) = false", n)
		}
	}
	for _, n := range []string{"X-RestLi-Method", "LinkedIn-Version", "Content-Type", "X-Li-Uuid", "q",
		"start", "count", "error", "error_description", "grant_type", "expires_in", "state"} {
		if restli.IsSensitiveName(n) {
			t.Errorf("IsSensitiveName(%q) = true", n)
		}
	}
}

func TestRedactHeaderValue(t *testing.T) {
	tests := []struct {
		name, value string
		allowed     bool
		want        string
	}{
		{"Authorization", "Bearer tok3n-canary", true, "Bearer REDACTED"},
		{"authorization", "tok3n-canary", true, "REDACTED"},
		{"Cookie", "a=b", true, "REDACTED"},
		{"X-Tenant", "t1", false, "REDACTED"},
		{"X-Tenant", "t1", true, "t1"},
		{"Location", "https://TOKEN@h/cb?code=abc&state=s#x", true, "https://h/cb?code=REDACTED&state=REDACTED"},
		{"Location", "https://h/", false, "REDACTED"},
		{"Location", "%zzTOKEN", true, "REDACTED"},
	}
	for _, tt := range tests {
		if got := restli.RedactHeaderValue(tt.name, tt.value, tt.allowed); got != tt.want {
			t.Errorf("RedactHeaderValue(%q, %q, %v) = %q, want %q", tt.name, tt.value, tt.allowed, got, tt.want)
		}
	}
	h := restli.RedactHeader(http.Header{"Authorization": {"Basic dXNlcjpwYXNz"}, "X-Other": {"v"}}, nil)
	if h.Get("Authorization") != "Basic REDACTED" || h.Get("X-Other") != "v" {
		t.Errorf("RedactHeader = %v", h)
	}
}

func TestRedactText_ShortSecretsNeverCorruptCodes(t *testing.T) {
	tests := []struct {
		in      string
		secrets []string
		want    string
	}{
		{"plain failure", nil, "plain failure"},
		{"invalid_grant: bad token", []string{"a", "in", "grant"}, "invalid_grant: bad token"},
		{"code=code", []string{"code"}, "REDACTED=REDACTED"},
		{"secret s3cr/t+= here", []string{"s3cr/t+="}, "secret REDACTED here"},
		{"escaped s3cr%2Ft%2B%3D and s3cr%2Ft+=", []string{"s3cr/t+="}, "escaped REDACTED and REDACTED"},
		{"refresh-token-canary-1 echoed", []string{"refresh-token-canary-1"}, "REDACTED echoed"},
		{`Get "https://api.linkedin.com/rest/x?q=secret1&k=secret2": EOF`, nil, `Get "https://api.linkedin.com/rest/x?q=REDACTED&k=REDACTED": EOF`},
		{"see https://other.example/a?b=(c:d),e f", nil, "see https://other.example/a?b=REDACTED f"},
		{"two http://a/?x=1 and http://b/#y", nil, "two http://a/?x=REDACTED and http://b/"},
		{"to https://TOKEN@host/", nil, "to https://host/"},
		{`failed to parse Location header "TOKENX\x00": bad`, nil, `failed to parse Location header "REDACTED": bad`},
		{"", []string{"x"}, ""},
	}
	for _, tt := range tests {
		if got := restli.RedactText(tt.in, tt.secrets...); got != tt.want {
			t.Errorf("RedactText(%q, %q) = %q, want %q", tt.in, tt.secrets, got, tt.want)
		}
	}
}

func TestRedactRequestText(t *testing.T) {
	req, _ := http.NewRequest("GET", "https://api.linkedin.com/rest/x?q=secret1&k=secret2&oauth2_access_token=tok", nil)
	req.Header.Set("Authorization", "Bearer tok3n")
	tests := []struct{ in, want string }{
		{"query q=secret1&k=secret2&oauth2_access_token=tok rejected", "query q=REDACTED&k=REDACTED&oauth2_access_token=REDACTED rejected"},
		{"bad token Bearer tok3n", "bad token Bearer REDACTED"},
		{"tok3n", "REDACTED"},
		{"tok was sent", "REDACTED was sent"},
	}
	for _, tt := range tests {
		if got := restli.RedactRequestText(tt.in, req); got != tt.want {
			t.Errorf("RedactRequestText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRedactJSON_SensitiveMembersAtAnyDepth(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"access_token":"AQX-canary","expires_in":5184000,"refresh_token":"AQR-canary","scope":"r_ads"}`,
			`{"access_token":"REDACTED","expires_in":5184000,"refresh_token":"REDACTED","scope":"r_ads"}`},
		{`{"a":{"id_token" : "x.y.z", "n":[1,{"client_secret":{"v":1}}]}}`,
			`{"a":{"id_token" : "REDACTED", "n":[1,{"client_secret":"REDACTED"}]}}`},
		{`{"access\u005ftoken":"t","code":123,"x":"access_token"}`, `{"access\u005ftoken":"REDACTED","code":"REDACTED","x":"access_token"}`},
		{`{"refresh_token":"AQR-cut-sh`, `{"refresh_token":"REDACTED"`},
		{`{"access_token":`, `{"access_token":"REDACTED"`},
		{`{"name":"Acme","status":"ACTIVE"}`, `{"name":"Acme","status":"ACTIVE"}`},
		{`not json`, `not json`},
	}
	for _, tt := range tests {
		if got := restli.RedactJSON([]byte(tt.in)); got != tt.want {
			t.Errorf("RedactJSON(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestRedactBody_ByContentType(t *testing.T) {
	tests := []struct {
		ct, body string
		secrets  []string
		want     string
	}{
		{"application/x-www-form-urlencoded", "grant_type=refresh_token&refresh_token=R&q=x", nil, "grant_type=REDACTED&refresh_token=REDACTED&q=x"},
		{"application/json; charset=utf-8", `{"access_token":"A"}`, nil, `{"access_token":"REDACTED"}`},
		{"text/plain", ` {"refresh_token":"R"}`, nil, ` {"refresh_token":"REDACTED"}`},
		{"application/json", `{"error":"invalid_grant","error_description":"token refresh-canary-1 revoked"}`,
			[]string{"refresh-canary-1"}, `{"error":"invalid_grant","error_description":"token REDACTED revoked"}`},
		{"text/html", "<a href=\"https://h/?token=T\">", nil, "<a href=\"https://h/?token=REDACTED\">"},
	}
	for _, tt := range tests {
		if got := restli.RedactBody(tt.ct, []byte(tt.body), tt.secrets, "q"); got != tt.want {
			t.Errorf("RedactBody(%q, %q) = %q, want %q", tt.ct, tt.body, got, tt.want)
		}
	}
}

func TestTransportError_EchoedLocationNeverInText(t *testing.T) {
	const canary = "per-call-token-canary-77"
	// net/http's own words for an unparsable Location header.
	inner := errors.New(`failed to parse Location header "https://` + canary + `@evil.example/\x7f": net/url: invalid control character in URL`)
	for _, loc := range []string{
		"/x?access_token=" + canary + "\x7f",       // rejected by the header parser
		"%zz" + canary,                             // not a URL
		"https://" + canary + "@h:port/",           // bad port
		"http://[::1%zz]/x?access_token=" + canary, // bad host
	} {
		srv := newLocationServer(t, loc)
		c := restli.NewClient(srv.Client(), restli.WithBaseURL(srv.URL))
		_, err := c.Get(t.Context(), restli.GetRequest{ResourcePath: "/x", AccessToken: canary})
		if err == nil {
			t.Fatalf("Location %q: no error", loc)
		}
		if strings.Contains(err.Error(), canary) {
			t.Errorf("Location %q: error text shows the token: %v", loc, err)
		}
	}
	if got := restli.RedactText(inner.Error()); strings.Contains(got, canary) {
		t.Errorf("RedactText kept the echoed token: %s", got)
	}
}

// FuzzRedactQuery feeds raw query strings (from request URLs and from URLs
// that servers put in Location headers and errors) to the redaction used by
// the logging layer, the retry layer's errors and telemetry. It must never
// panic, keep one output part per input part, keep only allow-listed values
// whose names are not sensitive, and replace every other value.
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
		out := restli.RedactQuery(q, allowed...)
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
				if a == dn && !restli.IsSensitiveName(dn) {
					keep = true
				}
			}
			switch {
			case keep:
				if parts[i] != p {
					t.Fatalf("allowed part %q became %q", p, parts[i])
				}
			case !hasValue:
				if p != "" && parts[i] != restli.Redacted {
					t.Fatalf("bare part %q became %q, want %q", p, parts[i], restli.Redacted)
				}
			default:
				if parts[i] != name+"="+restli.Redacted {
					t.Fatalf("part %q became %q", p, parts[i])
				}
			}
		}
		// The whole-URL form agrees with the query form.
		if u, err := url.Parse("https://api.example.test/rest/x?" + q); err == nil && u.RawQuery != "" && u.Fragment == "" {
			full := restli.RedactURL(u.String(), allowed...)
			if !strings.HasSuffix(full, "?"+restli.RedactQuery(u.RawQuery, allowed...)) {
				t.Fatalf("RedactURL(%q) = %q disagrees with RedactQuery", u, full)
			}
		}
	})
}

// FuzzRedactJSON checks that the JSON redaction never panics and that the
// value of a sensitive member never survives, whatever surrounds it and
// wherever the text is cut.
func FuzzRedactJSON(f *testing.F) {
	for _, s := range []string{`{"a":1}`, `{"b":"x\"y"}`, `[{"c":[1,2,{"d":null}]}]`, `{"e":`, `"`, `{"f":"\`} {
		f.Add(s, 3)
	}
	const canary = "CANARYSECRET"
	f.Fuzz(func(t *testing.T, doc string, cut int) {
		out := restli.RedactJSON([]byte(doc))
		if strings.Count(out, canary) > strings.Count(doc, canary) {
			t.Fatalf("RedactJSON(%q) added text: %q", doc, out)
		}
		full := `{"x":` + `{"access_token":"` + canary + `"},"y":` + doc + `}`
		if cut < 0 {
			cut = -cut
		}
		prefix := full[:min(len(full), len(`{"x":{"access_token":"`)+cut%(len(canary)+2))]
		for _, s := range []string{full, prefix} {
			red := restli.RedactJSON([]byte(s))
			if strings.Count(red, canary) > strings.Count(doc, canary) {
				t.Fatalf("RedactJSON(%q) = %q kept the secret", s, red)
			}
		}
	})
}

// FuzzRedactText checks that text redaction never panics and always removes
// a secret of MinSecretLength bytes or more, in any surroundings.
func FuzzRedactText(f *testing.F) {
	for _, s := range []string{"x", `Location header "a`, "https://u@h/?a=b", "://", "?&=", "\x00"} {
		f.Add(s, "secret-canary-9")
	}
	f.Fuzz(func(t *testing.T, text, secret string) {
		if len(secret) < restli.MinSecretLength || strings.Contains(secret, restli.Redacted) {
			return
		}
		in := text + secret + text
		if out := restli.RedactText(in, secret); strings.Contains(out, secret) {
			t.Fatalf("RedactText(%q, %q) = %q", in, secret, out)
		}
	})
}

// newLocationServer answers every request with a 302 to loc, written as
// is (a hostile server's Location header).
func newLocationServer(t *testing.T, loc string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Location"] = []string{loc}
		w.WriteHeader(http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestRequestSecrets_CredentialsOnly(t *testing.T) {
	req, _ := http.NewRequest("GET", "https://user:pw@api.linkedin.com/x?access_token=tok1&q=search-finder-name", nil)
	req.Header.Set("Authorization", "Bearer cred-123")
	req.Header.Set("X-Tenant", "tenant-value")
	got := strings.Join(restli.RequestSecrets(req), " ")
	for _, want := range []string{"tok1", "cred-123", "Bearer cred-123", "user", "pw"} {
		if !strings.Contains(" "+got+" ", " "+want+" ") {
			t.Errorf("RequestSecrets = %q, missing %q", got, want)
		}
	}
	for _, not := range []string{"search-finder-name", "tenant-value"} {
		if strings.Contains(got, not) {
			t.Errorf("RequestSecrets = %q, has %q", got, not)
		}
	}
}
