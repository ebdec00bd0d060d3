package restlitest

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/linkedin-go/linkedin/restli"
)

// The handlers of the 14 Rest.li methods. Each returns the full answer;
// status codes and body shapes follow protocol §5.

func (c *call) returnEntity() bool {
	v, _ := c.params["$returnEntity"].(string)
	return v == "true"
}

// location is the Location of a new entity: the request's collection path
// plus the key in path form.
func (c *call) location(dk any) string {
	enc, err := restli.EncodePathKey(dk)
	if err != nil {
		return ""
	}
	return c.prefix + c.rp.collection + "/" + enc
}

// batchKey is one id of a batch request.
type batchKey struct {
	raw   any    // as decoded from ids, $params included
	key   any    // decoded, without $params
	canon string // canonical text, the response key
}

// ids decodes the ids parameter; duplicates collapse, as in the reference.
func (c *call) ids() ([]batchKey, *Error) {
	list, _ := c.params["ids"].([]any)
	out := make([]batchKey, 0, len(list))
	seen := map[string]bool{}
	for _, id := range list {
		switch id.(type) {
		case string, map[string]any:
		default:
			return nil, badRequest(CodeIllegalArgument, "ids: an element is not a key")
		}
		ck, dk, err := canonicalKey(id)
		if err != nil {
			return nil, badRequest(CodeIllegalArgument, "ids: "+err.Error())
		}
		if seen[ck] {
			continue
		}
		seen[ck] = true
		out = append(out, batchKey{raw: id, key: dk, canon: ck})
	}
	return out, nil
}

// bodyKeyCanon returns the canonical key for a key of a batch request body's
// "entities" map. The reference writes simple keys raw and compound keys in
// reduced form; the official Python and JavaScript clients query-encode
// simple keys, so when the raw text is not among ids its decoding is tried.
func bodyKeyCanon(k string, ids map[string]bool) (string, bool) {
	if strings.HasPrefix(k, "(") {
		v, err := restli.ReducedDecode(k)
		if err != nil {
			return "", false
		}
		ck, _, err := canonicalKey(v)
		return ck, err == nil && ids[ck]
	}
	if ids[k] {
		return k, true
	}
	if v, err := restli.Decode(k); err == nil {
		if s, ok := v.(string); ok && ids[s] {
			return s, true
		}
	}
	return "", false
}

// entitiesBody decodes {"entities":{key: value}} and matches its keys to
// ids: every id needs exactly one entry and every entry an id.
func (c *call) entitiesBody(keys []batchKey) (map[string]json.RawMessage, *Error) {
	var w struct {
		Entities map[string]json.RawMessage `json:"entities"`
	}
	if err := json.Unmarshal(c.body, &w); err != nil || w.Entities == nil {
		return nil, badRequest(CodeInvalidBody, `the body must be {"entities":{…}}`)
	}
	ids := map[string]bool{}
	for _, k := range keys {
		ids[k.canon] = true
	}
	out := make(map[string]json.RawMessage, len(w.Entities))
	for k, v := range w.Entities {
		ck, ok := bodyKeyCanon(k, ids)
		if !ok {
			return nil, badRequest(CodeInvalidBody, "a key of entities is not among ids")
		}
		if _, dup := out[ck]; dup {
			return nil, badRequest(CodeInvalidBody, "entities has a key twice")
		}
		out[ck] = v
	}
	if len(out) != len(keys) {
		return nil, badRequest(CodeInvalidBody, "entities must have one entry per id")
	}
	return out, nil
}

func (s *Server) get(c *call) *response {
	coll := s.collection(c.rp.collection, false)
	var e map[string]any
	ok := false
	if coll != nil {
		if c.rp.hasKey {
			e, ok = coll.getCanon(c.rp.keyCanon)
		} else {
			e, ok = coll.Get(nil)
		}
	}
	if !ok {
		return errorResponse(notFound("Requested entity not found"))
	}
	return jsonResponse(http.StatusOK, c.proj.entity(e))
}

func (s *Server) batchGet(c *call) *response {
	keys, e := c.ids()
	if e != nil {
		return errorResponse(e)
	}
	coll := s.collection(c.rp.collection, false)
	results := map[string]any{}
	errs := map[string]any{}
	for _, k := range keys {
		var ent map[string]any
		ok := false
		if coll != nil {
			ent, ok = coll.getCanon(k.canon)
		}
		if ok {
			results[k.canon] = c.proj.entity(ent)
		} else {
			errs[k.canon] = notFound("Requested entity not found").body()
		}
	}
	return jsonResponse(http.StatusOK, map[string]any{"results": results, "statuses": map[string]any{}, "errors": errs})
}

// intParam reads an integer query parameter, def when absent.
func (c *call) intParam(name string, def int) (int, *Error) {
	v, ok := c.params[name]
	if !ok {
		return def, nil
	}
	s, _ := v.(string)
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, badRequest(CodeIllegalArgument, name+" must be a non-negative integer")
	}
	return n, nil
}

// page answers a CollectionResponse holding elements[start:start+count].
func (c *call) page(elements []map[string]any) (map[string]any, *Error) {
	start, e := c.intParam("start", 0)
	if e != nil {
		return nil, e
	}
	count, e := c.intParam("count", 10)
	if e != nil {
		return nil, e
	}
	return map[string]any{
		"elements": c.slice(elements, start, count),
		"paging":   map[string]any{"start": start, "count": count, "total": len(elements), "links": []any{}},
	}, nil
}

// slice projects elements[start:start+count].
func (c *call) slice(elements []map[string]any, start, count int) []any {
	out := []any{}
	for i := start; i < len(elements) && i-start < count; i++ {
		out = append(out, c.proj.element(elements[i]))
	}
	return out
}

// cursorPage answers a page of LinkedIn's cursor paging: pageSize and
// pageToken in, metadata.nextPageToken out.
func (c *call) cursorPage(elements []map[string]any) (map[string]any, *Error) {
	size, e := c.intParam("pageSize", 10)
	if e != nil {
		return nil, e
	}
	if size == 0 {
		return nil, badRequest(CodeIllegalArgument, "pageSize must be positive")
	}
	offset := 0
	if v, ok := c.params["pageToken"]; ok {
		t, _ := v.(string)
		n, ok := decodePageToken(t)
		if !ok {
			return nil, badRequest(CodeIllegalArgument, "invalid pageToken")
		}
		offset = n
	}
	out := map[string]any{
		"elements": c.slice(elements, offset, size),
		"paging":   map[string]any{"start": offset, "count": size, "links": []any{}},
		"metadata": map[string]any{},
	}
	if offset+size < len(elements) {
		out["metadata"] = map[string]any{"nextPageToken": encodePageToken(offset + size)}
	}
	return out, nil
}

func encodePageToken(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("restlitest-offset:" + strconv.Itoa(offset)))
}

func decodePageToken(t string) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(t)
	if err != nil {
		return 0, false
	}
	rest, ok := strings.CutPrefix(string(b), "restlitest-offset:")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil && n >= 0
}

func (s *Server) getAll(c *call) *response {
	var elements []map[string]any
	if coll := s.collection(c.rp.collection, false); coll != nil {
		elements = coll.All()
	}
	out, e := c.page(elements)
	if e != nil {
		return errorResponse(e)
	}
	return jsonResponse(http.StatusOK, out)
}

func allFinder(_ *Request, c *Collection) ([]map[string]any, error) { return c.All(), nil }

func (s *Server) finder(c *call) *response {
	name := c.params["q"].(string)
	reg, ok := s.lookupFinder(c.rp, name)
	if !ok {
		if name != DefaultFinder {
			return errorResponse(badRequest(CodeIllegalArgument, "unknown finder "+strconv.Quote(name)))
		}
		reg = finderReg{fn: allFinder}
	}
	if reg.unpaged != nil {
		return unpagedResponse(reg.unpaged(c.req))
	}
	elements, err := reg.fn(c.req, s.collection(c.rp.collection, true))
	if err != nil {
		return errorResponse(asError(err))
	}
	var out map[string]any
	var e *Error
	if reg.cursor {
		out, e = c.cursorPage(elements)
	} else {
		out, e = c.page(elements)
	}
	if e != nil {
		return errorResponse(e)
	}
	return jsonResponse(http.StatusOK, out)
}

// unpagedResponse answers a finder without paging: every element, and
// the default paging.
func unpagedResponse(elements []byte, err error) *response {
	if err != nil {
		return errorResponse(asError(err))
	}
	r := newResponse(http.StatusOK)
	r.body = append(append(append(make([]byte, 0, len(elements)+64), `{"elements":`...), elements...),
		`,"paging":{"count":10,"links":[],"start":0}}`...)
	r.header.Set("Content-Type", "application/json")
	return r
}

// criteria returns the criteria list of a batch finder: the "criteria"
// parameter, or the only other parameter holding a list.
func (c *call) criteria() ([]any, *Error) {
	if v, ok := c.params["criteria"]; ok {
		l, ok := v.([]any)
		if !ok {
			return nil, badRequest(CodeIllegalArgument, "criteria must be a List(…)")
		}
		return l, nil
	}
	var found []any
	n := 0
	for k, v := range c.params {
		if k == "ids" || projectionParams[k] {
			continue
		}
		if l, ok := v.([]any); ok {
			found = l
			n++
		}
	}
	if n != 1 {
		return nil, badRequest(CodeIllegalArgument, "cannot tell which parameter holds the batch finder's criteria")
	}
	return found, nil
}

func (s *Server) batchFinder(c *call) *response {
	name := c.params["bq"].(string)
	fn, ok := s.lookupBatchFinder(c.rp, name)
	if !ok {
		return errorResponse(badRequest(CodeIllegalArgument, "unknown batch finder "+strconv.Quote(name)))
	}
	crit, e := c.criteria()
	if e != nil {
		return errorResponse(e)
	}
	coll := s.collection(c.rp.collection, true)
	results := make([]any, 0, len(crit))
	for _, cr := range crit {
		m, ok := cr.(map[string]any)
		if !ok {
			return errorResponse(badRequest(CodeIllegalArgument, "a batch finder criterion must be a record"))
		}
		elements, err := fn(c.req, m, coll)
		if err != nil {
			results = append(results, map[string]any{"elements": []any{}, "isError": true, "error": asError(err).body()})
			continue
		}
		out, e := c.page(elements)
		if e != nil {
			return errorResponse(e)
		}
		out["isError"] = false
		results = append(results, out)
	}
	return jsonResponse(http.StatusOK, map[string]any{"elements": results})
}

// entityKey returns the key a new entity is stored under: its "id" member
// when it has one, else a new id, which is then set as "id".
func entityKey(coll *Collection, ent map[string]any) (string, any, *Error) {
	if id, ok := ent["id"]; ok {
		switch id.(type) {
		case string, json.Number, map[string]any:
		default:
			return "", nil, badRequest(CodeInvalidBody, `"id" must be a string, a number or a record`)
		}
		ck, dk, err := canonicalKey(id)
		if err != nil {
			return "", nil, badRequest(CodeInvalidBody, `"id" is not a valid key`)
		}
		return ck, dk, nil
	}
	ck, numeric := coll.newID(ent)
	switch {
	case ck == "":
		return "", nil, &Error{Status: http.StatusInternalServerError, Code: CodeInternal, Message: "the id generator gave no unused key"}
	case numeric:
		ent["id"] = json.Number(ck)
	default:
		ent["id"] = ck
	}
	return ck, ck, nil
}

func conflict() *Error {
	return &Error{Status: http.StatusConflict, ServiceErrorCode: ServiceErrorBadRequest, Code: CodeConflict, Message: "an entity with this id exists"}
}

func (s *Server) create(c *call) *response {
	ent, err := decodeObject(c.body)
	if err != nil {
		return errorResponse(badRequest(CodeInvalidBody, "the body must be a JSON object"))
	}
	if e := s.checkPostMedia(c.rp.collection, ent); e != nil { // media.go
		return errorResponse(e)
	}
	applyCommentaryRule(c, ent)
	coll := s.collection(c.rp.collection, true)
	coll.mu.Lock()
	ck, dk, e := entityKey(coll, ent)
	if e == nil {
		if _, exists := coll.entries[ck]; exists {
			e = conflict()
		} else {
			coll.put(ck, dk, ent)
		}
	}
	coll.mu.Unlock()
	if e != nil {
		return errorResponse(e)
	}
	var resp *response
	if c.returnEntity() {
		resp = jsonResponse(http.StatusCreated, c.proj.entity(ent))
	} else {
		resp = newResponse(http.StatusCreated)
	}
	resp.header.Set("X-RestLi-Id", ck)
	resp.header.Set("Location", c.location(dk))
	return resp
}

func (s *Server) batchCreate(c *call) *response {
	var w struct {
		Elements []json.RawMessage `json:"elements"`
	}
	if err := json.Unmarshal(c.body, &w); err != nil || w.Elements == nil {
		return errorResponse(badRequest(CodeInvalidBody, `the body must be {"elements":[…]}`))
	}
	ents := make([]map[string]any, len(w.Elements))
	for i, raw := range w.Elements {
		ent, err := decodeObject(raw)
		if err != nil {
			return errorResponse(badRequest(CodeInvalidBody, "elements["+strconv.Itoa(i)+"] is not a JSON object"))
		}
		ents[i] = ent
	}
	coll := s.collection(c.rp.collection, true)
	out := make([]any, len(ents))
	coll.mu.Lock()
	for i, ent := range ents {
		ck, dk, e := entityKey(coll, ent)
		if e == nil {
			if _, exists := coll.entries[ck]; exists {
				e = conflict()
			}
		}
		if e != nil {
			out[i] = map[string]any{"status": e.status(), "error": e.body()}
			continue
		}
		coll.put(ck, dk, ent)
		st := map[string]any{"status": http.StatusCreated, "id": ck, "location": c.location(dk)}
		if c.returnEntity() {
			st["entity"] = c.proj.entity(deepCopy(ent))
		}
		out[i] = st
	}
	coll.mu.Unlock()
	return jsonResponse(http.StatusOK, map[string]any{"elements": out})
}

func (s *Server) update(c *call) *response {
	ent, err := decodeObject(c.body)
	if err != nil {
		return errorResponse(badRequest(CodeInvalidBody, "the body must be a JSON object"))
	}
	coll := s.collection(c.rp.collection, true)
	coll.mu.Lock()
	defer coll.mu.Unlock()
	if !c.rp.hasKey {
		coll.singleton = ent // a simple resource: UPDATE sets it
		return newResponse(http.StatusNoContent)
	}
	old, ok := coll.entries[c.rp.keyCanon]
	if !ok {
		return errorResponse(notFound("Requested entity not found"))
	}
	old.entity = ent
	return newResponse(http.StatusNoContent)
}

func (s *Server) batchUpdate(c *call) *response {
	keys, e := c.ids()
	if e != nil {
		return errorResponse(e)
	}
	raw, e := c.entitiesBody(keys)
	if e != nil {
		return errorResponse(e)
	}
	ents := map[string]map[string]any{}
	for k, v := range raw {
		ent, err := decodeObject(v)
		if err != nil {
			return errorResponse(badRequest(CodeInvalidBody, "an entity is not a JSON object"))
		}
		ents[k] = ent
	}
	return s.batchApply(c, keys, func(k string, e *entry) (map[string]any, *Error) {
		e.entity = ents[k]
		return map[string]any{"status": http.StatusNoContent}, nil
	})
}

// batchApply runs apply on the stored entry of each key, under the
// collection's lock, and answers a batch status response: apply's result
// under "results", or its error (404 for a missing key) under "errors".
func (s *Server) batchApply(c *call, keys []batchKey, apply func(canon string, e *entry) (map[string]any, *Error)) *response {
	coll := s.collection(c.rp.collection, true)
	results, errs := map[string]any{}, map[string]any{}
	coll.mu.Lock()
	for _, k := range keys {
		ent, ok := coll.entries[k.canon]
		if !ok {
			errs[k.canon] = notFound("Requested entity not found").body()
			continue
		}
		res, e := apply(k.canon, ent)
		if e != nil {
			errs[k.canon] = e.body()
			continue
		}
		results[k.canon] = res
	}
	coll.mu.Unlock()
	return jsonResponse(http.StatusOK, map[string]any{"results": results, "errors": errs})
}

// patchOf decodes {"patch": {…}}.
func patchOf(b []byte) (map[string]any, *Error) {
	v, err := decodeJSON(b)
	if err != nil {
		return nil, badRequest(CodeInvalidBody, `the body must be {"patch":{…}}`)
	}
	w, ok := v.(map[string]any)
	if !ok {
		return nil, badRequest(CodeInvalidBody, `the body must be {"patch":{…}}`)
	}
	p, ok := w["patch"].(map[string]any)
	if !ok {
		return nil, badRequest(CodeInvalidBody, `the patch must be a JSON object`)
	}
	return p, nil
}

func (s *Server) partialUpdate(c *call) *response {
	p, e := patchOf(c.body)
	if e != nil {
		return errorResponse(e)
	}
	coll := s.collection(c.rp.collection, true)
	coll.mu.Lock()
	var cur map[string]any
	var ent *entry
	if c.rp.hasKey {
		ent = coll.entries[c.rp.keyCanon]
		if ent != nil {
			cur = ent.entity
		}
	} else {
		cur = coll.singleton
	}
	if cur == nil {
		coll.mu.Unlock()
		return errorResponse(notFound("Requested entity not found"))
	}
	next := deepCopy(cur)
	if err := applyPatch(next, p, 0); err != nil {
		coll.mu.Unlock()
		return errorResponse(badRequest(CodeInvalidBody, "invalid patch: "+err.Error()))
	}
	if ent != nil {
		ent.entity = next
	} else {
		coll.singleton = next
	}
	coll.mu.Unlock()
	if c.returnEntity() {
		return jsonResponse(http.StatusOK, c.proj.entity(deepCopy(next)))
	}
	return newResponse(http.StatusNoContent)
}

func (s *Server) batchPartialUpdate(c *call) *response {
	keys, e := c.ids()
	if e != nil {
		return errorResponse(e)
	}
	raw, e := c.entitiesBody(keys)
	if e != nil {
		return errorResponse(e)
	}
	patches := map[string]map[string]any{}
	for k, v := range raw {
		p, e := patchOf(v)
		if e != nil {
			return errorResponse(e)
		}
		patches[k] = p
	}
	return s.batchApply(c, keys, func(k string, e *entry) (map[string]any, *Error) {
		next := deepCopy(e.entity)
		if err := applyPatch(next, patches[k], 0); err != nil {
			return nil, badRequest(CodeInvalidBody, "invalid patch: "+err.Error())
		}
		e.entity = next
		if c.returnEntity() {
			return map[string]any{"status": http.StatusOK, "entity": c.proj.entity(deepCopy(next))}, nil
		}
		return map[string]any{"status": http.StatusNoContent}, nil
	})
}

func (s *Server) delete(c *call) *response {
	coll := s.collection(c.rp.collection, false)
	ok := false
	if coll != nil {
		if c.rp.hasKey {
			coll.mu.Lock()
			ok = coll.remove(c.rp.keyCanon)
			coll.mu.Unlock()
		} else {
			ok = coll.Delete(nil)
		}
	}
	if !ok {
		return errorResponse(notFound("Requested entity not found"))
	}
	return newResponse(http.StatusNoContent)
}

func (s *Server) batchDelete(c *call) *response {
	keys, e := c.ids()
	if e != nil {
		return errorResponse(e)
	}
	coll := s.collection(c.rp.collection, false)
	results := map[string]any{}
	for _, k := range keys {
		ok := false
		if coll != nil {
			coll.mu.Lock()
			ok = coll.remove(k.canon)
			coll.mu.Unlock()
		}
		st := http.StatusNoContent
		if !ok {
			st = http.StatusNotFound
		}
		results[k.canon] = map[string]any{"status": st}
	}
	return jsonResponse(http.StatusOK, map[string]any{"results": results, "errors": map[string]any{}})
}

func (s *Server) action(c *call) *response {
	name := c.params["action"].(string)
	fn, ok := s.lookupAction(c.rp, name)
	if !ok {
		return errorResponse(badRequest(CodeIllegalArgument, "unknown action "+strconv.Quote(name)))
	}
	params := map[string]any{}
	if len(strings.TrimSpace(string(c.body))) > 0 {
		p, err := decodeObject(c.body)
		if err != nil {
			return errorResponse(badRequest(CodeInvalidBody, "the action parameters must be a JSON object"))
		}
		params = p
	}
	v, err := fn(c.req, params, s.collection(c.rp.collection, true))
	if err != nil {
		return errorResponse(asError(err))
	}
	if v == nil {
		return newResponse(http.StatusOK)
	}
	return jsonResponse(http.StatusOK, map[string]any{"value": v})
}

// getCanon returns a copy of the entity under the canonical key ck.
func (c *Collection) getCanon(ck string) (map[string]any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[ck]
	if !ok {
		return nil, false
	}
	return deepCopy(e.entity), true
}

// sortedKeys returns m's keys in order.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
