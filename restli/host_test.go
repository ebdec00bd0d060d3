package restli_test

import (
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
			t.Errorf("NormalizeHost(%q) = %q, want %q", tc.in, got, tc.want)
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
