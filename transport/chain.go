package transport

import (
	"net"
	"net/http"
	"time"
)

// Middleware is a layer of the pipeline: it wraps the next RoundTripper and
// returns one that does its own work around it. Every constructor in
// packages middleware, oauth and telemetry returns one.
type Middleware = func(http.RoundTripper) http.RoundTripper

// Chain returns base wrapped in layers, the first layer outermost: a request
// passes through layers[0], then layers[1], …, then base, and the response
// comes back in the reverse order. Nil layers are skipped. A nil base means
// a new transport from NewBaseTransport, with its own connection pool, so
// build a chain once and reuse it.
//
// The returned RoundTripper's CloseIdleConnections closes the idle
// connections of base, so http.Client.CloseIdleConnections keeps working
// through the layers.
func Chain(base http.RoundTripper, layers ...Middleware) http.RoundTripper {
	if base == nil {
		base = NewBaseTransport()
	}
	rt, wrapped := base, false
	for i := len(layers) - 1; i >= 0; i-- {
		if layers[i] != nil {
			rt, wrapped = layers[i](rt), true
		}
	}
	if !wrapped {
		return base
	}
	return &chain{rt: rt, base: base}
}

// chain is a built pipeline: its RoundTrip enters the outermost layer, and
// CloseIdleConnections reaches the base through the layers, which do not
// forward it themselves.
type chain struct {
	rt   http.RoundTripper
	base http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (c *chain) RoundTrip(req *http.Request) (*http.Response, error) {
	return c.rt.RoundTrip(req)
}

// CloseIdleConnections closes the base transport's idle connections, if it
// has a CloseIdleConnections method.
func (c *chain) CloseIdleConnections() {
	if ci, ok := c.base.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

// Timeouts and pool sizes of NewBaseTransport.
const (
	baseDialTimeout         = 10 * time.Second
	baseKeepAlive           = 30 * time.Second
	baseTLSHandshakeTimeout = 10 * time.Second
	baseIdleConnTimeout     = 90 * time.Second
	baseExpectContinue      = 1 * time.Second
	baseMaxIdleConns        = 100
	baseMaxIdleConnsPerHost = 32
)

// NewBaseTransport returns a new *http.Transport tuned for calling one API
// host from many goroutines: the proxy from the environment, a 10s dial
// timeout with 30s TCP keep-alive, a 10s TLS handshake timeout, 90s idle
// connection timeout, up to 100 idle connections in all and 32 per host
// (net/http keeps 2 per host by default, which makes concurrent callers of
// one host reconnect all the time), and HTTP/2 when the server offers it.
// It sets no response or overall timeout: bound calls with contexts or
// http.Client.Timeout.
//
// Each call returns an independent transport with its own connection pool;
// it reads no global state (not even http.DefaultTransport).
func NewBaseTransport() *http.Transport {
	dialer := &net.Dialer{Timeout: baseDialTimeout, KeepAlive: baseKeepAlive}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          baseMaxIdleConns,
		MaxIdleConnsPerHost:   baseMaxIdleConnsPerHost,
		IdleConnTimeout:       baseIdleConnTimeout,
		TLSHandshakeTimeout:   baseTLSHandshakeTimeout,
		ExpectContinueTimeout: baseExpectContinue,
	}
}
