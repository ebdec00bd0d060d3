package restli_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/linkedin-go/linkedin/restli"
)

func TestNormalizeHost_ComparesHostsOneWay(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"API.LinkedIn.com", "api.linkedin.com"},
		{"api.linkedin.com.", "api.linkedin.com"},
		{"[::1]", "::1"},
		{"::ffff:127.0.0.1", "127.0.0.1"},
		{"0:0:0:0:0:0:0:1", "::1"},
	} {
		if got := restli.NormalizeHost(tc.in); got != tc.want {
			t.Errorf("restli.NormalizeHost(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestIsLoopbackHost_OnlyLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "127.0.0.1": true, "127.9.9.9": true, "::1": true,
		"api.linkedin.com": false, "10.0.0.1": false, "localhost.evil.com": false, "": false,
	} {
		if got := restli.IsLoopbackHost(host); got != want {
			t.Errorf("IsLoopbackHost(%q) = %v, want %v", host, got, want)
		}
	}
}

// FuzzNormalizeHost checks that an IP address comes out in netip's
// canonical form, whatever shortcut NormalizeHost takes for it.
func FuzzNormalizeHost(f *testing.F) {
	for _, s := range []string{"127.0.0.1", "[::1]", "::ffff:10.0.0.1", "API.LinkedIn.com.", "[127.0.0.1]", "1.2.3.04", "0.0.0.0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		got := restli.NormalizeHost(h)
		if a, err := netip.ParseAddr(strings.Trim(strings.ToLower(strings.TrimSuffix(h, ".")), "[]")); err == nil {
			if want := a.Unmap().String(); got != want {
				t.Fatalf("NormalizeHost(%q) = %q, want %q", h, got, want)
			}
		}
	})
}
