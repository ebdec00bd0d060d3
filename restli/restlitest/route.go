package restlitest

import (
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/linkedin-go/linkedin/restli"
)

// A resolved Rest.li path: the collection it addresses and, when the path
// ends with a key, that key.
type resourcePath struct {
	prefix     string // "/rest" or "/v2"
	collection string // canonical collection path, e.g. "/parents/1/children"
	template   string // the same with every key replaced by {}: "/parents/{}/children"
	parentKeys []any  // decoded keys of the parent resources
	hasKey     bool
	key        any    // decoded entity key (string or map[string]any without $params)
	rawKey     any    // the key as decoded from the path, $params included
	keyCanon   string // its canonical text
}

// decodePathKey decodes one key segment of a path as a Rest.li server does
// (protocol §4.3): a compound or complex key, which starts with '(', is
// grammar-parsed; a simple key is plain percent-decoded ('+' stays '+').
func decodePathKey(seg string) (any, *Error) {
	if strings.HasPrefix(seg, "(") {
		v, err := restli.Decode(seg)
		if err != nil {
			return nil, badRequest(CodeIllegalArgument, "malformed key in the path: "+err.Error())
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, badRequest(CodeIllegalArgument, "malformed key in the path")
		}
		return m, nil
	}
	if strings.HasPrefix(seg, "List(") {
		return nil, badRequest(CodeIllegalArgument, "a list cannot be a key")
	}
	s, err := url.PathUnescape(seg)
	if err != nil {
		return nil, badRequest(CodeIllegalArgument, "malformed percent-encoding in a path key")
	}
	if !utf8.ValidString(s) {
		return nil, badRequest(CodeIllegalArgument, "a path key is not valid UTF-8")
	}
	if s == "" || seg == "''" {
		return nil, badRequest(CodeIllegalArgument, "empty key in the path")
	}
	return s, nil
}

// parseResourcePath resolves p, a path without the /rest or /v2 prefix, in
// escaped (wire) form. Segments alternate resource names and keys. When
// templates is set, a key segment written as a {placeholder} is accepted as
// a wildcard (for registrations).
func parseResourcePath(p string, templates bool) (resourcePath, *Error) {
	var rp resourcePath
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	segs := strings.Split(p[1:], "/")
	if len(segs) == 0 || segs[0] == "" {
		return rp, notFound("no resource in the path")
	}
	var coll, tmpl strings.Builder
	n := len(segs)
	if n%2 == 0 {
		n-- // the last segment is the entity key
	}
	for i := 0; i < n; i++ {
		seg := segs[i]
		if seg == "" {
			return rp, badRequest(CodeIllegalArgument, "empty segment in the path")
		}
		if i%2 == 0 {
			name, err := url.PathUnescape(seg)
			if err != nil || name == "" || strings.Contains(name, "/") {
				return rp, badRequest(CodeIllegalArgument, "malformed resource name in the path")
			}
			coll.WriteString("/" + name)
			tmpl.WriteString("/" + name)
			continue
		}
		tmpl.WriteString("/{}")
		if templates && strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			coll.WriteString("/{}")
			rp.parentKeys = append(rp.parentKeys, seg)
			continue
		}
		k, e := decodePathKey(seg)
		if e != nil {
			return rp, e
		}
		_, dk, err := canonicalKey(k)
		if err != nil {
			return rp, badRequest(CodeIllegalArgument, "malformed key in the path")
		}
		enc, err := restli.EncodePathKey(dk)
		if err != nil {
			return rp, badRequest(CodeIllegalArgument, "malformed key in the path")
		}
		coll.WriteString("/" + enc)
		rp.parentKeys = append(rp.parentKeys, dk)
	}
	rp.collection, rp.template = coll.String(), tmpl.String()
	if len(segs)%2 == 0 {
		last := segs[len(segs)-1]
		if last == "" {
			return rp, badRequest(CodeIllegalArgument, "empty key in the path")
		}
		k, e := decodePathKey(last)
		if e != nil {
			return rp, e
		}
		ck, dk, err := canonicalKey(k)
		if err != nil {
			return rp, badRequest(CodeIllegalArgument, "malformed key in the path")
		}
		rp.hasKey, rp.key, rp.keyCanon, rp.rawKey = true, dk, ck, k
	}
	return rp, nil
}

// normalizeResource turns a resource path given to Seed, Collection or a
// Handle method into its canonical collection path (or template, when it
// has {placeholders}). A leading "/rest" or "/v2" is dropped.
func normalizeResource(p string) (string, error) {
	p = stripAPIPrefix(p)
	rp, e := parseResourcePath(p, true)
	if e != nil {
		return "", e
	}
	if rp.hasKey {
		return "", &Error{Message: "resource path " + p + " ends with a key; give the collection path"}
	}
	return rp.collection, nil
}

func stripAPIPrefix(p string) string {
	for _, pre := range []string{"/rest/", "/v2/"} {
		if strings.HasPrefix(p, pre) {
			return p[len(pre)-1:]
		}
	}
	return p
}

// restliMethodOf determines the Rest.li method of a request from its HTTP
// method, its X-RestLi-Method header (case-insensitive) and its shape, as
// the reference router does. With the header, the method must be one of
// the 14 and fit the HTTP method. Without it, GET is a FINDER (q), a
// BATCH_FINDER (bq), a BATCH_GET (ids), a GET (a key, or a simple resource
// that holds a singleton) or a GET_ALL; PUT is a BATCH_UPDATE (ids) or an
// UPDATE; DELETE is a BATCH_DELETE (ids) or a DELETE; POST is an ACTION
// (action), a PARTIAL_UPDATE (a key) or a CREATE. BATCH_CREATE and
// BATCH_PARTIAL_UPDATE need the header.
func restliMethodOf(httpMethod, header string, params map[string]any, rp resourcePath, hasSingleton func() bool) (restli.Method, *Error) {
	_, hasIDs := params["ids"]
	_, hasQ := params["q"]
	_, hasBQ := params["bq"]
	_, hasAction := params["action"]
	if header != "" {
		m := restli.Method(strings.ToLower(header))
		if m.HTTPMethod() == "" {
			return "", badRequest(CodeInvalidMethod, "unknown X-RestLi-Method")
		}
		if m.HTTPMethod() != httpMethod {
			return "", badRequest(CodeInvalidMethod, "X-RestLi-Method "+string(m)+" does not match HTTP method "+httpMethod)
		}
		return m, nil
	}
	switch httpMethod {
	case http.MethodGet:
		switch {
		case hasQ:
			return restli.MethodFinder, nil
		case hasBQ:
			return restli.MethodBatchFinder, nil
		case hasIDs:
			return restli.MethodBatchGet, nil
		case rp.hasKey:
			return restli.MethodGet, nil
		case hasSingleton():
			return restli.MethodGet, nil
		}
		return restli.MethodGetAll, nil
	case http.MethodPut:
		if hasIDs {
			return restli.MethodBatchUpdate, nil
		}
		return restli.MethodUpdate, nil
	case http.MethodDelete:
		if hasIDs {
			return restli.MethodBatchDelete, nil
		}
		return restli.MethodDelete, nil
	case http.MethodPost:
		switch {
		case hasAction:
			return restli.MethodAction, nil
		case rp.hasKey:
			return restli.MethodPartialUpdate, nil
		}
		return restli.MethodCreate, nil
	}
	return "", badRequest(CodeInvalidMethod, "HTTP method "+httpMethod+" is not a Rest.li method")
}

// checkShape rejects a request whose URL does not fit its Rest.li method:
// a key where none belongs, missing ids, q, bq or action, and so on.
func checkShape(m restli.Method, params map[string]any, rp resourcePath) *Error {
	_, hasIDs := params["ids"]
	_, hasQ := params["q"]
	_, hasBQ := params["bq"]
	_, hasAction := params["action"]
	bad := func(msg string) *Error { return badRequest(CodeInvalidMethod, string(m)+": "+msg) }
	if hasAction && m != restli.MethodAction {
		return bad("the action parameter is only allowed on an ACTION")
	}
	switch m {
	case restli.MethodGet, restli.MethodUpdate, restli.MethodPartialUpdate, restli.MethodDelete:
		if hasIDs || hasQ || hasBQ {
			return bad("unexpected ids, q or bq parameter")
		}
	case restli.MethodBatchGet, restli.MethodBatchUpdate, restli.MethodBatchPartialUpdate, restli.MethodBatchDelete:
		if rp.hasKey {
			return bad("a batch method takes ids, not a key in the path")
		}
		if !hasIDs {
			return bad("missing ids parameter")
		}
		if _, ok := params["ids"].([]any); !ok {
			return badRequest(CodeIllegalArgument, "ids must be a List(…)")
		}
	case restli.MethodGetAll, restli.MethodCreate, restli.MethodBatchCreate:
		if rp.hasKey || hasIDs || hasQ || hasBQ {
			return bad("takes no key, ids, q or bq")
		}
	case restli.MethodFinder:
		if _, ok := params["q"].(string); !ok {
			return bad("missing q parameter")
		}
	case restli.MethodBatchFinder:
		if _, ok := params["bq"].(string); !ok {
			return bad("missing bq parameter")
		}
		if hasQ {
			return bad("unexpected q parameter")
		}
	case restli.MethodAction:
		if _, ok := params["action"].(string); !ok {
			return bad("missing action parameter")
		}
	}
	return nil
}
