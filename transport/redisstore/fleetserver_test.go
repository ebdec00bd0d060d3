// fleetserver_test.go: the fleet test's fake LinkedIn: one restlitest
// server behind a recording front that tells the processes apart, and can
// make the API host fail.

package redisstore_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/linkedin-go/linkedin/restli/restlitest"
)

// procHeader carries the child process's number on every request.
const procHeader = "X-Fleet-Proc"

// arrival is one request that reached the server.
type arrival struct {
	proc     string
	resource string // the first path segment after /rest, e.g. "/adAccounts"
	member   string // from the member header the children send
	status   int
	at       time.Time // when the answer was written
}

// fleetServer records every request that reaches the restlitest server
// behind it.
type fleetServer struct {
	*httptest.Server
	api     *restlitest.Server
	failing atomic.Bool // answer 503 for resources starting with failPrefix
	prefix  string

	mu       sync.Mutex
	arrivals []arrival
}

// memberHeader carries the member a call acts for (test bookkeeping only).
const memberHeader = "X-Fleet-Member"

func newFleetServer(api *restlitest.Server, failPrefix string) *fleetServer {
	f := &fleetServer{api: api, prefix: failPrefix}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	return f
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (f *fleetServer) serve(w http.ResponseWriter, r *http.Request) {
	rest, api := strings.CutPrefix(r.URL.Path, "/rest/")
	resource := ""
	if api {
		resource = "/" + strings.SplitN(rest, "/", 2)[0]
	}
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	if api && f.failing.Load() && strings.HasPrefix(resource, f.prefix) {
		http.Error(sw, `{"status":503,"message":"down"}`, http.StatusServiceUnavailable)
	} else {
		f.api.ServeHTTP(sw, r)
	}
	if !api {
		return // token endpoint: counted by restlitest's RefreshCount
	}
	f.mu.Lock()
	f.arrivals = append(f.arrivals, arrival{proc: r.Header.Get(procHeader), resource: resource,
		member: r.Header.Get(memberHeader), status: sw.status, at: time.Now()})
	f.mu.Unlock()
}

// since returns the arrivals from index i on, and the new index.
func (f *fleetServer) since(i int) ([]arrival, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := append([]arrival(nil), f.arrivals[i:]...)
	return out, len(f.arrivals)
}
