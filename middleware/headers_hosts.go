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
