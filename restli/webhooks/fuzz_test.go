// Fuzz target of the X-LI-Signature parser and the signature check.

package webhooks_test

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/linkedin-go/linkedin/restli/webhooks"
)

// FuzzParseSignature feeds arbitrary header values and bodies: ParseSignature
// must never panic and return 32 bytes or ErrInvalidSignature, never with
// the header in the error; a header Sign made always verifies, in both
// readings, and never for another body.
func FuzzParseSignature(f *testing.F) {
	f.Add("hmacsha256="+strings.Repeat("ab", 32), []byte(`{"notificationId":1}`), "secret")
	f.Add(strings.Repeat("AB", 32), []byte(``), "s")
	f.Add("hmacsha256=", []byte(`x`), "")
	f.Add("HMACSHA256= "+strings.Repeat("0", 64), []byte("\xff"), "k")
	f.Add("sha256="+strings.Repeat("0", 64), []byte("{}"), "k")
	f.Fuzz(func(t *testing.T, header string, body []byte, secret string) {
		d, err := webhooks.ParseSignature(header)
		if err != nil {
			if err != webhooks.ErrInvalidSignature {
				t.Fatalf("error %v", err)
			}
		} else {
			if len(d) != 32 {
				t.Fatalf("digest of %d bytes", len(d))
			}
			if !strings.Contains(strings.ToLower(header), hex.EncodeToString(d)) {
				t.Fatalf("digest %x is not in %q", d, header)
			}
		}
		if err := webhooks.Verify(header, body, secret); err != nil && err != webhooks.ErrInvalidSignature {
			t.Fatalf("Verify error %v", err)
		}
		if secret == "" {
			return
		}
		sig := webhooks.Sign(secret, body)
		if err := webhooks.Verify(sig, body, secret); err != nil {
			t.Fatalf("Sign/Verify: %v", err)
		}
		// The other reading: the prefix inside the signed message.
		other := strings.TrimPrefix(webhooks.Sign(secret, append([]byte("hmacsha256="), body...)), "hmacsha256=")
		if err := webhooks.Verify(other, body, secret); err != nil {
			t.Fatalf("prefixed-message reading: %v", err)
		}
		if webhooks.Verify(sig, append(bytes.Clone(body), 'x'), secret) == nil {
			t.Fatal("a changed body verified")
		}
	})
}
