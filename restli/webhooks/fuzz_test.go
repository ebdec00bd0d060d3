// Fuzz target of the X-LI-Signature parser and the signature check.

package webhooks_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"net/http/httptest"
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

// FuzzHandlerBody signs arbitrary bodies and delivers them: the handler
// must never panic, answer 200 to a JSON object and 400 to anything else,
// and hand the body on unchanged.
func FuzzHandlerBody(f *testing.F) {
	for _, s := range []string{`{"notificationId":1}`, `{}`, `[]`, `null`, `{"notificationId":{"a":1}}`,
		`{"lastModifiedAt":1e400}`, `{"notificationId":-0.5e3}`, "\xff", `{"a":"\u0000"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var got []byte
		h, err := webhooks.NewHandler("k", func(_ context.Context, n *webhooks.Notification) error {
			got = n.Raw
			if n.DedupKey == "" {
				t.Fatal("no dedup key")
			}
			return nil
		}, webhooks.Options{})
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest("POST", "/", bytes.NewReader(body))
		req.Header.Set("X-LI-Signature", webhooks.Sign("k", body))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		isObject := json.Valid(body) && bytes.HasPrefix(bytes.TrimLeft(body, " \t\r\n"), []byte("{"))
		switch {
		case isObject && (w.Code != 200 || !bytes.Equal(got, body)):
			t.Fatalf("object %q: %d", body, w.Code)
		case !isObject && w.Code != 400:
			t.Fatalf("non-object %q: %d", body, w.Code)
		}
	})
}
