// Tests that error.type stays a bounded set whatever error codes a server
// chooses.

package telemetry_test

import (
	"context"
	"strconv"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/oauth"
	"github.com/linkedin-go/linkedin/telemetry"
)

type codeSource struct{ n int }

func (s *codeSource) Token() (*oauth2.Token, error) {
	s.n++
	return nil, &oauth.Error{StatusCode: 400, Code: "server_chosen_code_" + strconv.Itoa(s.n)}
}

// TestMetrics_ErrorTypeIsBoundedForServerChosenOAuthCodes: 300 calls whose
// token endpoint answers 300 different error codes give one error.type
// series, not 300.
func TestMetrics_ErrorTypeIsBoundedForServerChosenOAuthCodes(t *testing.T) {
	e := newEnv(t)
	srv := newServer(t, 200)
	ts := &codeSource{}
	rt := chain(srv.Client().Transport, telemetry.Call(e.options()), oauth.Middleware(ts, oauth.MiddlewareOptions{AllowHosts: []string{srv.Listener.Addr().String()}}))
	for range 300 {
		if _, err := do(t, rt, finderRequest(t, context.Background(), srv.URL, "")); err == nil {
			t.Fatal("no error")
		}
	}
	types := map[string]bool{}
	m := e.metrics(t)["linkedin.client.operation.duration"]
	for _, dp := range histogram(t, m) {
		v, _ := dp.Attributes.Value(attribute.Key("error.type"))
		types[v.AsString()] = true
	}
	if len(types) != 1 {
		t.Errorf("%d error.type values for 300 server-chosen codes: %v", len(types), types)
	}
}
