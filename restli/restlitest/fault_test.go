package restlitest_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
)

func TestFail_NextNWith503AndRetryAfter(t *testing.T) {
	srv := newServer(t)
	srv.Fail(restlitest.Fault{Method: restli.MethodCreate, Times: 2, Status: 503, RetryAfter: "1"})
	c := rawClient(t)
	h := restliHeader(srv, restli.MethodCreate)
	h.Set("Content-Type", "application/json")

	// A GET does not match the fault.
	if r := do(t, c, "GET", srv.URL+"/rest/things", restliHeader(srv, restli.MethodGetAll), ""); r.status != 200 {
		t.Fatalf("unmatched GET: %d", r.status)
	}
	for i := 0; i < 2; i++ {
		r := do(t, c, "POST", srv.URL+"/rest/things", h, `{"n":1}`)
		if r.status != 503 || r.header.Get("Retry-After") != "1" || r.errorBody(t)["code"] != restlitest.CodeInjectedFault {
			t.Fatalf("create %d: %d %v %s", i, r.status, r.header, r.body)
		}
		rec := lastRequest(t, srv)
		if rec.Fault == nil || rec.Fault.Status != 503 || rec.Status != 503 || rec.Applied {
			t.Fatalf("recorded %+v", rec)
		}
	}
	if srv.Collection("/things").Len() != 0 {
		t.Fatal("a failed create was applied")
	}
	if r := do(t, c, "POST", srv.URL+"/rest/things", h, `{"n":1}`); r.status != 201 {
		t.Fatalf("third create: %d", r.status)
	}
	if srv.PendingFaults() != 0 || srv.Collection("/things").Len() != 1 {
		t.Fatalf("pending %d, stored %d", srv.PendingFaults(), srv.Collection("/things").Len())
	}
	if n := srv.Count(func(r restlitest.Request) bool { return r.Fault != nil }); n != 2 {
		t.Fatalf("%d faulted requests recorded", n)
	}
}

func TestFail_MatchersAndDefaults(t *testing.T) {
	srv := newServer(t)
	c := rawClient(t)
	srv.Fail(restlitest.Fault{Path: "/adAccounts", Times: -1, Status: 429, Body: `{"status":429,"message":"Resource level throttle limit for calls to this resource is reached."}`})
	srv.Fail(restlitest.Fault{Match: func(r *restlitest.Request) bool { return r.Params["q"] == "boom" }})
	for _, p := range []string{"/rest/adAccounts", "/v2/adAccounts/1", "/rest/adAccounts/1/users"} {
		r := do(t, c, "GET", srv.URL+p, restliHeader(srv, ""), "")
		if r.status != 429 || r.errorBody(t)["status"] == nil {
			t.Errorf("%s: %d %s", p, r.status, r.body)
		}
	}
	if r := do(t, c, "GET", srv.URL+"/rest/adAccountsX", restliHeader(srv, ""), ""); r.status != 200 {
		t.Errorf("/adAccountsX matched the prefix /adAccounts: %d", r.status)
	}
	r := do(t, c, "GET", srv.URL+"/rest/x?q=boom", restliHeader(srv, ""), "")
	if r.status != 503 || r.errorBody(t)["code"] != restlitest.CodeInjectedFault {
		t.Fatalf("Match fault: %d %s", r.status, r.body)
	}
	if r := do(t, c, "GET", srv.URL+"/rest/x?q=boom", restliHeader(srv, ""), ""); r.status != 400 {
		t.Fatalf("after the fault was used: %d (unknown finder is 400)", r.status)
	}
	if srv.PendingFaults() != 1 {
		t.Fatalf("%d pending faults, want the unlimited one", srv.PendingFaults())
	}
	srv.ClearFaults()
	if r := do(t, c, "GET", srv.URL+"/rest/adAccounts", restliHeader(srv, ""), ""); r.status != 200 {
		t.Fatalf("after ClearFaults: %d", r.status)
	}
}

func TestFail_ResetBeforeAndAfterApply(t *testing.T) {
	srv := newServer(t, exact())
	rc := srv.RestliClient()
	ctx := ctxT(t)

	srv.Fail(restlitest.Fault{Method: restli.MethodCreate, Reset: true})
	_, err := rc.Create(ctx, restli.CreateRequest{ResourcePath: "/things", Entity: map[string]any{"a": 1}})
	var te *restli.TransportError
	if !errors.As(err, &te) {
		t.Fatalf("reset: error %v, want a *restli.TransportError", err)
	}
	rec := lastRequest(t, srv)
	if rec.Status != 0 || rec.Fault == nil || !rec.Fault.Reset || rec.Applied {
		t.Fatalf("recorded %+v", rec)
	}
	if srv.Collection("/things").Len() != 0 {
		t.Fatal("a reset create was applied")
	}

	srv.Fail(restlitest.Fault{Method: restli.MethodCreate, Reset: true, AfterApply: true})
	_, err = rc.Create(ctx, restli.CreateRequest{ResourcePath: "/things", Entity: map[string]any{"a": 2}})
	if !errors.Is(err, restli.ErrMaybeApplied) {
		t.Fatalf("reset after apply: error %v, want one matching restli.ErrMaybeApplied", err)
	}
	if rec := lastRequest(t, srv); rec.Status != 0 || !rec.Applied {
		t.Fatalf("recorded %+v", rec)
	}
	if srv.Collection("/things").Len() != 1 {
		t.Fatal("the create before the reset was not applied")
	}

	srv.Fail(restlitest.Fault{Method: restli.MethodCreate, AfterApply: true})
	_, err = rc.Create(ctx, restli.CreateRequest{ResourcePath: "/things", Entity: map[string]any{"a": 3}})
	wantError(t, err, 500, restlitest.CodeInjectedFault)
	if rec := lastRequest(t, srv); rec.Status != 500 || !rec.Applied {
		t.Fatalf("recorded %+v", rec)
	}
	if srv.Collection("/things").Len() != 2 {
		t.Fatal("the create before the 500 was not applied")
	}
}

func TestFail_DelayHonoursTheClientsDeadline(t *testing.T) {
	srv := newServer(t, exact())
	rc := srv.RestliClient()

	srv.Fail(restlitest.Fault{Method: restli.MethodCreate, Delay: 10 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := rc.Create(ctx, restli.CreateRequest{ResourcePath: "/things", Entity: map[string]any{"a": 1}})
	if err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want the deadline", err)
	}
	// The server notices the client left and does not apply the create.
	deadline := time.Now().Add(5 * time.Second)
	for srv.Count(func(r restlitest.Request) bool { return r.RestliMethod == restli.MethodCreate }) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the delayed handler did not return after the client left")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatal("the delay ignored the request's context")
	}
	if rec := lastRequest(t, srv); rec.Status != 0 || rec.Applied || srv.Collection("/things").Len() != 0 {
		t.Fatalf("recorded %+v, stored %d", rec, srv.Collection("/things").Len())
	}

	srv.Fail(restlitest.Fault{Method: restli.MethodCreate, Delay: 150 * time.Millisecond})
	start = time.Now()
	cr, err := rc.Create(ctxT(t), restli.CreateRequest{ResourcePath: "/things", Entity: map[string]any{"a": 1}})
	if err != nil || cr.StatusCode != 201 {
		t.Fatalf("slow create: %v", err)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Fatalf("answered after %v, before the delay", d)
	}
}

func TestClose_ReleasesDelayedRequests(t *testing.T) {
	srv := restlitest.NewServer()
	srv.Fail(restlitest.Fault{Delay: time.Minute})
	c := rawClient(t)
	errc := make(chan error, 1)
	go func() {
		req, _ := http.NewRequest("GET", srv.URL+"/rest/things", nil)
		resp, err := c.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	for srv.PendingFaults() != 0 {
		time.Sleep(5 * time.Millisecond)
	}
	start := time.Now()
	srv.Close()
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("Close took %v", d)
	}
	<-errc
	srv.Close() // a second Close is harmless
}

// A probabilistic policy, called concurrently: every fault the clients see
// is recorded, and nothing else failed.
func TestSetFaultPolicy_Concurrent(t *testing.T) {
	srv := newServer(t, exact())
	srv.Seed("/things", 1, map[string]any{"a": 1})
	var n atomic.Int64
	srv.SetFaultPolicy(func(r *restlitest.Request) *restlitest.Fault {
		switch n.Add(1) % 10 {
		case 0, 5:
			return &restlitest.Fault{Status: 503}
		case 3:
			return &restlitest.Fault{Status: 429, RetryAfter: "0"}
		}
		return nil
	})
	rc := srv.RestliClient()
	var wg sync.WaitGroup
	var failed, ok atomic.Int64
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				_, err := rc.Get(context.Background(), restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": 1}})
				var e *restli.Error
				switch {
				case err == nil:
					ok.Add(1)
				case errors.As(err, &e) && (e.StatusCode == 503 || e.StatusCode == 429):
					failed.Add(1)
				default:
					t.Errorf("unexpected error %v", err)
				}
			}
		}()
	}
	wg.Wait()
	if failed.Load() != 120 || ok.Load() != 280 {
		t.Fatalf("%d failed, %d ok; want 120 and 280", failed.Load(), ok.Load())
	}
	if got := srv.Count(func(r restlitest.Request) bool { return r.Fault != nil }); got != 120 {
		t.Fatalf("%d faults recorded", got)
	}
	srv.SetFaultPolicy(nil)
	if _, err := rc.Get(ctxT(t), restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": 1}}); err != nil {
		t.Fatal(err)
	}
}

func TestRequests_ClearResetAndBound(t *testing.T) {
	srv := newServer(t, restlitest.WithMaxRecordedRequests(3))
	c := rawClient(t)
	for i := 0; i < 5; i++ {
		do(t, c, "GET", srv.URL+"/rest/things", restliHeader(srv, ""), "")
	}
	rs := srv.Requests()
	if len(rs) != 3 || rs[0].Seq != 3 || rs[2].Seq != 5 {
		t.Fatalf("kept %d requests starting at %d", len(rs), rs[0].Seq)
	}
	srv.Fail(restlitest.Fault{Times: -1})
	srv.Reset()
	if srv.Count(nil) != 0 || srv.PendingFaults() != 0 {
		t.Fatal("Reset left requests or faults")
	}
	do(t, c, "GET", srv.URL+"/rest/things", restliHeader(srv, ""), "")
	srv.ClearRequests()
	if len(srv.Requests()) != 0 {
		t.Fatal("ClearRequests left requests")
	}
}
