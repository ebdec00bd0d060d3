package middleware

import (
	"net/http"
	"strings"
)

// HeaderOptions configures Headers. The zero value means the defaults.
type HeaderOptions struct {
	// Version is the LinkedIn-Version to set, as LinkedInVersion takes it
	// ("" sets none).
	Version string
	// UserAgent is the caller's product token, as UserAgent takes it.
	UserAgent string
	// APIHosts are hosts ("host", any port, or "host:port") whose requests
	// count as Rest.li requests besides api.linkedin.com: a gateway, or a
	// fake server such as restlitest's. Package transport passes its token
	// hosts (transport.WithTokenHosts).
	APIHosts []string
}

// Headers returns ProtocolVersion, LinkedInVersion(opts.Version) and
// UserAgent(opts.UserAgent) as one layer (outermost first), in which
// requests for opts.APIHosts also count as Rest.li requests and get
// X-RestLi-Protocol-Version and LinkedIn-Version. It is the header layer
// of package transport's stack.
func Headers(opts HeaderOptions) func(http.RoundTripper) http.RoundTripper {
	var hosts []string
	for _, h := range opts.APIHosts {
		if h = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), "."); h != "" {
			hosts = append(hosts, h)
		}
	}
	pv := hdrLayer(hdrProtocolVersion, hdrProtocolVersionValue, true, hosts)
	lv := linkedInVersion(opts.Version, hosts)
	ua := hdrLayer(hdrUserAgent, hdrUserAgentValue(opts.UserAgent), false, hosts)
	return func(next http.RoundTripper) http.RoundTripper { return pv(lv(ua(next))) }
}

// AddHeaders returns the step of Headers(opts) that adds to a request what
// it lacks, for a layer that copies each request anyway: it is called with
// a request and the header of the caller's own copy of it, and adds to that
// header what Headers(opts) would add to the request. Package transport
// hands it to the token layer (oauth.MiddlewareOptions.Header), so that a
// request is copied once for its token and its Rest.li headers together;
// Headers(opts) still runs innermost and finds nothing left to add. It
// returns nil when Headers(opts) refuses every request (a value with a
// control character, a malformed Version): nothing is added, and the layer
// refuses.
func AddHeaders(opts HeaderOptions) func(req *http.Request, h http.Header) {
	t, ok := Headers(opts)(nil).(*hdrTransport)
	if !ok || t.next != nil {
		// Not one fused layer: a refusing layer sits below.
		return nil
	}
	return t.add
}
