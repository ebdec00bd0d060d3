package restlitest

// FinderFunc implements a finder: given the request (its decoded Params,
// Keys for an association finder addressed with a partial key, Header…)
// and the collection, it returns every matching element. The server pages
// them (start/count, or pageSize/pageToken for a cursor finder), fills
// paging.total and applies the projection. An *Error answers with its
// status; any other error answers 400.
type FinderFunc func(r *Request, c *Collection) ([]map[string]any, error)

// BatchFinderFunc implements a batch finder for one criterion (an element
// of the criteria list, decoded). The server calls it once per criterion,
// in order, and pages each result with the request's start and count. An
// error becomes that criterion's "error" (with "isError": true); the other
// criteria still succeed.
type BatchFinderFunc func(r *Request, criterion map[string]any, c *Collection) ([]map[string]any, error)

// ActionFunc implements an action. params is the decoded JSON body ({} when
// the body is empty); r.Keys holds the entity key when the action was
// called on /resource/{key}. A nil value answers 200 with an empty body (a
// void action); any other value is sent as {"value": value}. An *Error
// answers with its status; any other error answers 400.
type ActionFunc func(r *Request, params map[string]any, c *Collection) (any, error)

type finderReg struct {
	fn      FinderFunc
	cursor  bool
	unpaged UnpagedFinderFunc
}

// HandleFinder registers fn as the finder name of the collection at
// resource ("/adAccounts"; a parent key may be a {placeholder} to match
// every parent: "/parents/{id}/children"). Its results are paged with start
// and count (default 0 and 10). Registering DefaultFinder replaces the
// default finder of that resource. It panics if resource is not a
// collection path or fn is nil.
func (s *Server) HandleFinder(resource, name string, fn FinderFunc) {
	s.handleFinder(resource, name, fn, false)
}

// HandleCursorFinder is HandleFinder for a finder with LinkedIn's cursor
// paging: the request's pageSize (default 10) and pageToken select the
// page, and the response carries metadata.nextPageToken while more
// elements follow (restli.CursorPages reads it). A pageToken the server
// did not issue gets 400.
func (s *Server) HandleCursorFinder(resource, name string, fn FinderFunc) {
	s.handleFinder(resource, name, fn, true)
}

// UnpagedFinderFunc implements a finder without paging that encodes its
// own answer, for answers too large to build as maps: it returns the
// elements as one JSON array, already projected.
type UnpagedFinderFunc func(r *Request) (elements []byte, err error)

// HandleUnpagedFinder registers fn as a finder without paging, like
// LinkedIn's adAnalytics finders (see HandleFinder for resource): start,
// count and fields are left to fn, the answer holds every element fn
// returns, and paging carries the defaults {"start":0,"count":10}, as
// LinkedIn's answers do, so a client must not page on it. An *Error
// answers with its status; any other error answers 400.
func (s *Server) HandleUnpagedFinder(resource, name string, fn UnpagedFinderFunc) {
	if fn == nil {
		panic("restlitest: HandleUnpagedFinder: nil func")
	}
	s.register(resource, name, func(*Request, *Collection) ([]map[string]any, error) { return nil, nil }, finderReg{unpaged: fn})
}

func (s *Server) handleFinder(resource, name string, fn FinderFunc, cursor bool) {
	s.register(resource, name, fn, finderReg{cursor: cursor})
}

func (s *Server) register(resource, name string, fn FinderFunc, reg finderReg) {
	p := mustResource("HandleFinder", resource)
	if fn == nil {
		panic("restlitest: HandleFinder: nil func")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.finders[p] == nil {
		s.finders[p] = map[string]finderReg{}
	}
	reg.fn = fn
	s.finders[p][name] = reg
}

// HandleBatchFinder registers fn as the batch finder name of the collection
// at resource (see HandleFinder for resource). The criteria come from the
// query parameter "criteria" or, when the request has none, from its only
// other parameter holding a list.
func (s *Server) HandleBatchFinder(resource, name string, fn BatchFinderFunc) {
	p := mustResource("HandleBatchFinder", resource)
	if fn == nil {
		panic("restlitest: HandleBatchFinder: nil func")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.batchFinders[p] == nil {
		s.batchFinders[p] = map[string]BatchFinderFunc{}
	}
	s.batchFinders[p][name] = fn
}

// HandleAction registers fn as the action name of the collection at
// resource (see HandleFinder for resource), for both /resource?action=name
// and /resource/{key}?action=name.
func (s *Server) HandleAction(resource, name string, fn ActionFunc) {
	p := mustResource("HandleAction", resource)
	if fn == nil {
		panic("restlitest: HandleAction: nil func")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.actions[p] == nil {
		s.actions[p] = map[string]ActionFunc{}
	}
	s.actions[p][name] = fn
}

func mustResource(op, resource string) string {
	p, err := normalizeResource(resource)
	if err != nil {
		panic("restlitest: " + op + ": " + err.Error())
	}
	return p
}

// lookupFinder finds the finder registered for rp's collection, by exact
// path first and then by template.
func (s *Server) lookupFinder(rp resourcePath, name string) (finderReg, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range []string{rp.collection, rp.template} {
		if f, ok := s.finders[p][name]; ok {
			return f, true
		}
	}
	return finderReg{}, false
}

func (s *Server) lookupBatchFinder(rp resourcePath, name string) (BatchFinderFunc, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range []string{rp.collection, rp.template} {
		if f, ok := s.batchFinders[p][name]; ok {
			return f, true
		}
	}
	return nil, false
}

func (s *Server) lookupAction(rp resourcePath, name string) (ActionFunc, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range []string{rp.collection, rp.template} {
		if f, ok := s.actions[p][name]; ok {
			return f, true
		}
	}
	return nil, false
}
