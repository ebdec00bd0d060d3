// This file is the module's one answer to "did this request reach the
// server?", asked by the client (to flag writes that may have happened) and
// by the retry layer (to resend a write that never left).

package restli

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"syscall"
)

// NotSent reports whether err proves that the request it ended never reached
// the server, so a write (CREATE, ACTION…) it carried was certainly not
// applied. It holds when:
//
//   - err wraps ErrNotSent: a layer refused to send (an open circuit breaker,
//     a rate limiter whose wait would outlast the deadline, a daily quota
//     known to be spent, a token that could not be obtained), unless err also
//     matches ErrMaybeApplied (an earlier attempt of the same call may have
//     reached the server);
//   - the connection was never made: a failed dial, a refused connection or a
//     failed DNS lookup;
//   - the TLS handshake failed (certificate, alert or record errors), which
//     happens before any byte of the request is written.
//
// Any other error, a timeout or a reset above all, may have come after the
// server read the request: NotSent is false, and a write must be assumed to
// have possibly happened.
func NotSent(err error) bool {
	if err == nil || errors.Is(err, ErrMaybeApplied) {
		return false
	}
	if errors.Is(err, ErrNotSent) || errors.Is(err, syscall.ECONNREFUSED) {
		return true
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var (
		dns          *net.DNSError
		verification *tls.CertificateVerificationError
		record       tls.RecordHeaderError
		alert        tls.AlertError
		unknownAuth  x509.UnknownAuthorityError
		hostname     x509.HostnameError
		invalid      x509.CertificateInvalidError
	)
	return errors.As(err, &dns) || errors.As(err, &verification) || errors.As(err, &record) ||
		errors.As(err, &alert) || errors.As(err, &unknownAuth) || errors.As(err, &hostname) ||
		errors.As(err, &invalid)
}
