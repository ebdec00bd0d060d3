package transport_test

import (
	"context"
	"net"
	"net/http"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/transport"
)

func TestChain_FirstLayerIsOutermost(t *testing.T) {
	var rec recorder
	base := rec.layer("base")(canned())
	rt := transport.Chain(base, rec.layer("a"), nil, rec.layer("b"), rec.layer("c"))
	req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1/x", nil)
	if _, err := rt.RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	if got, want := rec.names(), []string{"a", "b", "c", "base"}; !reflect.DeepEqual(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}

func TestChain_HeadersShowCallOrder(t *testing.T) {
	// Each layer appends its name to a header on a copy of the request; the
	// server sees the order the layers ran in.
	tag := func(name string) transport.Middleware {
		return func(next http.RoundTripper) http.RoundTripper {
			return rtFunc(func(r *http.Request) (*http.Response, error) {
				r2 := r.Clone(r.Context())
				r2.Header.Add("X-Trace", name)
				return next.RoundTrip(r2)
			})
		}
	}
	s := newServer(t)
	tr := transport.NewBaseTransport()
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: transport.Chain(tr, tag("outer"), tag("middle"), tag("inner"))}
	resp, err := c.Get(s.URL + "/x")
	if err != nil {
		t.Fatal(err)
	}
	drain(resp)
	if got, want := s.requests()[0].Header.Values("X-Trace"), []string{"outer", "middle", "inner"}; !reflect.DeepEqual(got, want) {
		t.Errorf("X-Trace %v, want %v", got, want)
	}
}

func TestChain_BaseAndIdleConnections(t *testing.T) {
	t.Run("no layers returns base", func(t *testing.T) {
		base := transport.NewBaseTransport()
		if rt := transport.Chain(base); rt != http.RoundTripper(base) {
			t.Errorf("Chain(base) = %T, want base itself", rt)
		}
		if rt := transport.Chain(base, nil, nil); rt != http.RoundTripper(base) {
			t.Errorf("Chain(base, nil, nil) = %T, want base itself", rt)
		}
	})
	t.Run("nil base is a new tuned transport", func(t *testing.T) {
		rt := transport.Chain(nil)
		tr, ok := rt.(*http.Transport)
		if !ok || tr == http.DefaultTransport || tr.MaxIdleConnsPerHost != 32 {
			t.Errorf("Chain(nil) = %T %+v", rt, rt)
		}
	})
	t.Run("CloseIdleConnections reaches the base", func(t *testing.T) {
		s := newServer(t)
		var dials atomic.Int32
		tr := transport.NewBaseTransport()
		dial := tr.DialContext
		tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			dials.Add(1)
			return dial(ctx, network, addr)
		}
		c := &http.Client{Transport: transport.Chain(tr, (&recorder{}).layer("x"))}
		get := func() {
			resp, err := c.Get(s.URL)
			if err != nil {
				t.Fatal(err)
			}
			drain(resp)
		}
		get()
		get() // reuses the idle connection
		if n := dials.Load(); n != 1 {
			t.Fatalf("%d dials before closing, want 1", n)
		}
		c.CloseIdleConnections()
		get() // the pool is empty: dials again
		if n := dials.Load(); n != 2 {
			t.Errorf("%d dials after CloseIdleConnections, want 2: the call did not reach the base", n)
		}
		c.CloseIdleConnections()
	})
}

func TestNewBaseTransport_Tuned(t *testing.T) {
	a, b := transport.NewBaseTransport(), transport.NewBaseTransport()
	if a == b || a == http.DefaultTransport {
		t.Fatal("NewBaseTransport must return a new transport each time")
	}
	checks := []struct {
		name string
		ok   bool
	}{
		{"ForceAttemptHTTP2", a.ForceAttemptHTTP2},
		{"MaxIdleConnsPerHost > 2", a.MaxIdleConnsPerHost > 2},
		{"MaxIdleConns", a.MaxIdleConns >= a.MaxIdleConnsPerHost},
		{"TLSHandshakeTimeout", a.TLSHandshakeTimeout > 0 && a.TLSHandshakeTimeout <= 30*time.Second},
		{"IdleConnTimeout", a.IdleConnTimeout > 0},
		{"DialContext", a.DialContext != nil},
		{"Proxy", a.Proxy != nil},
		{"no response header timeout", a.ResponseHeaderTimeout == 0},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s not set: %+v", c.name, a)
		}
	}
}
