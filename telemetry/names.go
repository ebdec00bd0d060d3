package telemetry

import (
	"net/http"
	"strings"

	"github.com/linkedin-go/linkedin/restli"
)

// Header names in canonical form, so lookups index the map directly.
const (
	hdrRestliMethod   = "X-Restli-Method"        // X-RestLi-Method
	hdrMethodOverride = "X-Http-Method-Override" // X-HTTP-Method-Override
	hdrLinkedInVer    = "Linkedin-Version"       // LinkedIn-Version
)

// description is what the layers know about a request: the call description
// from its context, completed from its headers for requests built by hand.
// Every field is low-cardinality: no key values, no query.
type description struct {
	method   restli.Method // "" when unknown
	resource string        // template; "" when unknown
	finder   string
	action   string
	version  string
}

func describe(req *http.Request) description {
	if info, ok := restli.CallInfoFromContext(req.Context()); ok {
		d := description{
			method:   knownMethod(string(info.Method)),
			resource: info.Resource,
			finder:   info.Finder,
			action:   info.Action,
			version:  info.Version,
		}
		if d.method == "" {
			d.method = headerMethod(req.Header)
		}
		return d
	}
	d := description{method: headerMethod(req.Header)}
	// LinkedIn-Version values are dates ("202601"): low cardinality.
	if v := req.Header[hdrLinkedInVer]; len(v) > 0 && len(v[0]) <= 16 {
		d.version = v[0]
	}
	return d
}

// headerMethod returns the Rest.li method named by the X-RestLi-Method
// header, or "" when the header is absent or names no Rest.li method (the
// value is not trusted as an attribute: it could be anything).
func headerMethod(h http.Header) restli.Method {
	v := h[hdrRestliMethod]
	if len(v) == 0 {
		return ""
	}
	return knownMethod(v[0])
}

// knownMethod returns the Rest.li method spelled s in any case, or "".
func knownMethod(s string) restli.Method {
	if s == "" {
		return ""
	}
	for _, m := range restli.Methods {
		if strings.EqualFold(s, string(m)) {
			return m
		}
	}
	return ""
}

// upper returns the method in upper case without allocating.
func upper(m restli.Method) string {
	switch m {
	case restli.MethodGet:
		return "GET"
	case restli.MethodBatchGet:
		return "BATCH_GET"
	case restli.MethodGetAll:
		return "GET_ALL"
	case restli.MethodFinder:
		return "FINDER"
	case restli.MethodBatchFinder:
		return "BATCH_FINDER"
	case restli.MethodCreate:
		return "CREATE"
	case restli.MethodBatchCreate:
		return "BATCH_CREATE"
	case restli.MethodUpdate:
		return "UPDATE"
	case restli.MethodBatchUpdate:
		return "BATCH_UPDATE"
	case restli.MethodPartialUpdate:
		return "PARTIAL_UPDATE"
	case restli.MethodBatchPartialUpdate:
		return "BATCH_PARTIAL_UPDATE"
	case restli.MethodDelete:
		return "DELETE"
	case restli.MethodBatchDelete:
		return "BATCH_DELETE"
	case restli.MethodAction:
		return "ACTION"
	}
	return m.Upper()
}

// httpMethod returns the request method if it is one of the methods the
// HTTP semantic conventions know, else "HTTP" (their span-name fallback for
// unknown methods, which keeps names low-cardinality).
func httpMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete,
		http.MethodPatch, http.MethodHead, http.MethodOptions,
		http.MethodConnect, http.MethodTrace:
		return m
	case "":
		return http.MethodGet // net/http: an empty method means GET
	}
	return "HTTP"
}

// callSpanName names the call span: "FINDER /adAccounts" from the call
// description, else the X-RestLi-Method header in upper case, else the HTTP
// method. It never contains a key or a query.
func callSpanName(d description, req *http.Request) string {
	if d.method == "" {
		return httpMethod(req.Method)
	}
	if d.resource == "" {
		return upper(d.method)
	}
	return upper(d.method) + " " + d.resource
}

// attemptSpanName names the attempt span per the HTTP semantic conventions:
// "{method} {url.template}", or "{method}" when there is no template. The
// method is the one on the wire (POST for a tunneled GET).
func attemptSpanName(d description, req *http.Request) string {
	m := httpMethod(req.Method)
	if d.resource == "" {
		return m
	}
	return m + " " + d.resource
}
