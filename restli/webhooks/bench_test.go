// Benchmarks of the signature check and of one delivery through the handler.

package webhooks_test

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/linkedin-go/linkedin/restli/webhooks"
)

var benchBody = []byte(`{"notificationId":7310472013,"type":"ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS","action":"COMMENT",` +
	`"organizationalEntity":"urn:li:organization:2414183","sourcePost":"urn:li:share:1",` +
	`"generatedActivity":"urn:li:comment:(urn:li:activity:1,2)","lastModifiedAt":1700000000000}`)

func BenchmarkVerify(b *testing.B) {
	sig := webhooks.Sign(secret, benchBody)
	b.ReportAllocs()
	for b.Loop() {
		if webhooks.Verify(sig, benchBody, secret) != nil {
			b.Fatal("invalid")
		}
	}
}

func BenchmarkChallengeResponse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = webhooks.ChallengeResponse(secret, "890e4665-4dfe-4ab1-b689-ed553bceeed0")
	}
}

// BenchmarkHandler_Delivery is one new notification through the handler:
// signature, parse, deduplication, the user's function.
func BenchmarkHandler_Delivery(b *testing.B) {
	h, _ := webhooks.NewHandler(secret, func(context.Context, *webhooks.Notification) error { return nil }, webhooks.Options{})
	bodies := make([][]byte, 1024)
	sigs := make([]string, len(bodies))
	for i := range bodies {
		bodies[i] = bytes.Replace(benchBody, []byte("7310472013"), []byte(strconv.Itoa(i)), 1)
		sigs[i] = webhooks.Sign(secret, bodies[i])
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		k := i % len(bodies)
		i++
		req := httptest.NewRequest("POST", "/", bytes.NewReader(bodies[k]))
		req.Header.Set("X-LI-Signature", sigs[k])
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}
