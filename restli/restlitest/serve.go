package restlitest

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/linkedin-go/linkedin/restli"
)

// call is a Rest.li request being served.
type call struct {
	req    *Request
	prefix string // "/rest" or "/v2"
	rp     resourcePath
	params map[string]any
	body   []byte
	proj   projection
}

// ServeHTTP serves one request: the Rest.li API under /rest and /v2, the
// OAuth endpoints under /oauth/v2/, and the default redirect target
// CallbackPath. The Server's own listener calls it; it can also be used
// in-process, with an httptest.ResponseRecorder, where a Reset fault
// aborts the handler with http.ErrAbortHandler instead.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.seq++
	seq := s.seq
	s.mu.Unlock()
	path := r.URL.EscapedPath()
	rec := &Request{
		Seq:        seq,
		Time:       s.now(),
		HTTPMethod: r.Method,
		Method:     r.Method,
		Path:       path,
		Header:     redactHeader(r.Header),
		Version:    r.Header.Get("LinkedIn-Version"),
	}
	s.identify(rec, r) // record_token.go
	// The record is stored before the answer goes out, so a client that
	// got its answer finds its request in Requests.
	recorded := false
	record := func() {
		if !recorded {
			recorded = true
			s.record(rec)
		}
	}
	defer record()

	if strings.HasPrefix(path, uploadPrefix) { // the upload host (media_upload.go)
		s.serveUpload(w, r, rec, record)
		return
	}

	prefix := apiPrefix(path)
	isRestli := prefix != ""
	isOAuth := strings.HasPrefix(path, "/oauth/v2/")

	var body []byte
	var tooLarge bool
	if r.Body != nil {
		var err error
		body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.maxBody))
		if err != nil {
			var mbe *http.MaxBytesError
			if !errors.As(err, &mbe) {
				return // the client went away
			}
			tooLarge = true
		}
	}

	var c *call
	var early *Error
	switch {
	case tooLarge:
	case isRestli:
		c, early = s.parseRestli(r, rec, prefix, path[len(prefix):], body)
	case isOAuth:
		rec.Body = []byte(redactForm(string(body)))
	default:
		rec.Body = body
	}

	f := s.faultFor(rec)
	rec.Fault = f
	if f != nil && !f.AfterApply {
		stop, answer := s.faultStep(w, r, f, record)
		if stop {
			return
		}
		if answer {
			s.write(w, rec, faultResponse(f, http.StatusServiceUnavailable, isRestli), record)
			return
		}
	}

	var resp *response
	switch {
	case tooLarge:
		resp = errorResponse(&Error{Status: http.StatusRequestEntityTooLarge, Code: CodeRequestTooLarge,
			Message: "request body larger than " + strconv.FormatInt(s.cfg.maxBody, 10) + " bytes"})
	case isRestli:
		resp = s.serveRestli(r, c, early)
	case isOAuth:
		resp = s.serveOAuth(r, body)
	case path == CallbackPath:
		resp = serveCallback(r)
	case strings.HasPrefix(path, IssuerPath+"/"):
		resp = s.serveOIDC(r) // oidc.go
	default:
		resp = errorResponse(notFound("no such path"))
	}
	if isRestli {
		resp.header.Set("X-RestLi-Protocol-Version", restli.ProtocolVersion)
		resp.header.Set("X-Li-Uuid", "restlitest-"+strconv.Itoa(seq))
	}
	rec.Applied = resp.status >= 200 && resp.status <= 299

	if f != nil && f.AfterApply {
		stop, answer := s.faultStep(w, r, f, record)
		if stop {
			return
		}
		if answer {
			resp = faultResponse(f, http.StatusInternalServerError, isRestli)
		}
	}
	s.write(w, rec, resp, record)
}

// apiPrefix returns "/rest" or "/v2" when path is under it, else "".
func apiPrefix(path string) string {
	for _, p := range []string{"/rest", "/v2"} {
		if path == p || strings.HasPrefix(path, p+"/") {
			return p
		}
	}
	return ""
}

// write records rec with the answer's status, then sends the answer.
func (s *Server) write(w http.ResponseWriter, rec *Request, resp *response, record func()) {
	if checkStatus("status", resp.status) != nil {
		resp = invalidStatusResponse(resp.status) // never a panic in WriteHeader
	}
	rec.Status = resp.status
	rec.ErrorCode = resp.code
	record()
	h := w.Header()
	for k, vs := range resp.header {
		h[k] = vs
	}
	h.Set("Content-Length", strconv.Itoa(len(resp.body)))
	h.Set("Date", s.now().UTC().Format(http.TimeFormat)) // the server's clock, as daily limits see it
	w.WriteHeader(resp.status)
	_, _ = w.Write(resp.body)
}

// parseRestli decodes a Rest.li request into rec and a call: tunneling,
// path, query and method. The first problem found is returned as an
// *Error, to be answered after the authentication and header checks.
func (s *Server) parseRestli(r *http.Request, rec *Request, prefix, rest string, body []byte) (*call, *Error) {
	c := &call{req: rec, prefix: prefix}
	query := r.URL.RawQuery
	method := r.Method
	if ov, ok := r.Header["X-Http-Method-Override"]; ok && r.Method == http.MethodPost {
		o := ""
		if len(ov) > 0 {
			o = ov[0]
		}
		q, inner, _, err := decodeTunnel(o, r.Header.Get("Content-Type"), body)
		if err != nil {
			rec.Body = body
			return c, badRequest(CodeIllegalArgument, err.Error())
		}
		rec.Tunneled = true
		method, body = o, inner
		switch {
		case q == "":
		case query == "":
			query = q
		default:
			query += "&" + q
		}
	}
	rec.Method = method
	rec.Query = redactForm(query)
	rec.Body = body
	c.body = body

	rp, e := parseResourcePath(rest, false)
	c.rp = rp
	rec.Resource = rp.collection
	rec.ParentKeys = rp.parentKeys
	if rp.hasKey {
		rec.Keys = []any{rp.rawKey}
	}
	params, err := ParseQuery(query)
	if err != nil {
		rec.Params = map[string]any{}
		c.params = rec.Params
		return c, badRequest(CodeIllegalArgument, err.Error())
	}
	rec.Params, c.params = redactParams(params), params
	if e != nil {
		return c, e
	}
	if ids, ok := params["ids"].([]any); ok {
		rec.Keys = ids
	}
	m, e := restliMethodOf(method, r.Header.Get("X-RestLi-Method"), params, rp, func() bool {
		coll := s.collection(rp.collection, false)
		if coll == nil {
			return false
		}
		_, ok := coll.Get(nil)
		return ok
	})
	if e != nil {
		return c, e
	}
	rec.RestliMethod = m
	if e := checkShape(m, params, rp); e != nil {
		return c, e
	}
	proj, e := projectionOf(params)
	if e != nil {
		return c, e
	}
	c.proj = proj
	return c, nil
}

// serveRestli checks the token and the protocol and version headers, then
// answers the request's Rest.li method.
func (s *Server) serveRestli(r *http.Request, c *call, early *Error) *response {
	if !s.cfg.noAuth && !s.validToken(bearer(r.Header.Get("Authorization"))) {
		return errorResponse(errInvalidToken())
	}
	if r.Header.Get("X-RestLi-Protocol-Version") != restli.ProtocolVersion {
		return errorResponse(badRequest(CodeProtocolVersion, "X-RestLi-Protocol-Version: 2.0.0 is required"))
	}
	if c.prefix == "/rest" {
		v := r.Header.Get("LinkedIn-Version")
		if v == "" {
			return errorResponse(badRequest(CodeVersionMissing, "A version must be present. Please specify a version by adding the LinkedIn-Version header."))
		}
		if s.cfg.versions != nil && !s.cfg.versions[v] {
			return errorResponse(errVersionNotActive(v))
		}
	}
	if e := s.checkScopes(r, c); e != nil {
		return errorResponse(e)
	}
	if early != nil {
		return errorResponse(early)
	}
	if e := s.spendDaily(r, c); e != nil { // daily.go
		return errorResponse(e)
	}
	s.syncMedia()                                 // media statuses as of the server's clock (media.go)
	if resp := s.serveMember(r, c); resp != nil { // members.go
		return resp
	}
	return s.dispatch(c)
}

// headerSafe cuts a header value down for an error message.
func headerSafe(v string) string {
	if len(v) > 32 {
		v = v[:32]
	}
	return strconv.Quote(v)
}

// bearer returns the token of an "Authorization: Bearer <token>" value.
func bearer(h string) string {
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}

func (s *Server) dispatch(c *call) *response {
	switch c.req.RestliMethod {
	case restli.MethodGet:
		return s.get(c)
	case restli.MethodBatchGet:
		return s.batchGet(c)
	case restli.MethodGetAll:
		return s.getAll(c)
	case restli.MethodFinder:
		return s.finder(c)
	case restli.MethodBatchFinder:
		return s.batchFinder(c)
	case restli.MethodCreate:
		return s.create(c)
	case restli.MethodBatchCreate:
		return s.batchCreate(c)
	case restli.MethodUpdate:
		return s.update(c)
	case restli.MethodBatchUpdate:
		return s.batchUpdate(c)
	case restli.MethodPartialUpdate:
		return s.partialUpdate(c)
	case restli.MethodBatchPartialUpdate:
		return s.batchPartialUpdate(c)
	case restli.MethodDelete:
		return s.delete(c)
	case restli.MethodBatchDelete:
		return s.batchDelete(c)
	case restli.MethodAction:
		return s.action(c)
	}
	return errorResponse(badRequest(CodeInvalidMethod, "unknown method"))
}

// faultStep carries out what fault f does before an answer: its delay (the
// request is over when the client goes away first) and a connection reset.
// stop reports that the request is over; answer, that f replaces the answer
// with its own status (a fault with a status, or one with no delay).
func (s *Server) faultStep(w http.ResponseWriter, r *http.Request, f *Fault, record func()) (stop, answer bool) {
	if f.Delay > 0 && !s.sleep(r.Context(), f.Delay) {
		return true, false
	}
	if f.Reset {
		record()
		resetConn(w)
		return true, false
	}
	return false, f.Status != 0 || f.Delay == 0
}
