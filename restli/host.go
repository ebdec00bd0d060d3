// This file holds the host-name helpers that every layer deciding where a
// credential may go shares: the oauth layer's allow-list and the media
// package's upload-host check compare hosts the same way.

package restli

import (
	"net/netip"
	"strings"
)

// NormalizeHost returns h (a URL's Hostname(), with or without the brackets
// of an IPv6 literal) in the form hosts are compared in: lower case, one
// trailing dot dropped, and IP addresses in their canonical form (an
// IPv4-mapped IPv6 address as IPv4).
func NormalizeHost(h string) string {
	h = strings.ToLower(strings.TrimSuffix(h, "."))
	t := strings.Trim(h, "[]")
	if a, err := netip.ParseAddr(t); err == nil {
		if a.Is4() {
			// ParseAddr accepts only the dotted-decimal form without
			// leading zeros, which is String's: t is canonical already,
			// and stays unallocated.
			return t
		}
		return a.Unmap().String()
	}
	return h
}

// IsLoopbackHost reports whether host, as NormalizeHost returns it, is
// "localhost" or a loopback address (127.0.0.0/8, ::1): the only hosts that
// may receive a credential over plain http, for tests and fake servers.
func IsLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}
