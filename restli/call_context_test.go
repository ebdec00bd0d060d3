package restli

import (
	"context"
	"runtime"
	"testing"
	"time"
)

// TestContextWithCallInfo_BehavesAsAValueContext checks the one-allocation
// context: values, cancellation and deadlines come from the parent, and a
// context derived from it is cancelled with its parent without a goroutine
// of the context package's watching the pair (which it starts for parents
// it cannot see through).
func TestContextWithCallInfo_BehavesAsAValueContext(t *testing.T) {
	type k struct{}
	parent, cancel := context.WithTimeout(context.WithValue(context.Background(), k{}, "v"), time.Hour)
	ctx := ContextWithCallInfo(parent, CallInfo{Method: MethodFinder, Resource: "/adAccounts"})
	if info, ok := CallInfoFromContext(ctx); !ok || info.Resource != "/adAccounts" {
		t.Fatalf("CallInfoFromContext = %+v, %v", info, ok)
	}
	if ctx.Value(k{}) != "v" {
		t.Error("the parent's value is lost")
	}
	if d, ok := ctx.Deadline(); !ok || time.Until(d) < 59*time.Minute {
		t.Errorf("deadline %v, %v; want the parent's", d, ok)
	}
	before := runtime.NumGoroutine()
	child, stop := context.WithCancel(ctx)
	defer stop()
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("deriving a context started %d goroutines", n-before)
	}
	cancel()
	select {
	case <-child.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the derived context outlived its parent")
	}
	if _, ok := CallInfoFromContext(context.Background()); ok {
		t.Error("CallInfo found in a context without one")
	}
}
