// Tests of the webhook sender: it validates and delivers to a correct
// receiver (package webhooks) and reports each way a receiver can be wrong.

package restlitest_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/linkedin-go/linkedin/restli/restlitest"
	"github.com/linkedin-go/linkedin/restli/webhooks"
)

func hexHMAC(key, msg string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// receiver is a correct endpoint: package webhooks with the server's secret.
func receiver(t *testing.T, secret string) (*httptest.Server, func() []string) {
	t.Helper()
	var mu sync.Mutex
	var ids []string
	h, err := webhooks.NewHandler(secret, func(_ context.Context, n *webhooks.Notification) error {
		mu.Lock()
		defer mu.Unlock()
		ids = append(ids, n.ID)
		return nil
	}, webhooks.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ep := httptest.NewServer(h)
	t.Cleanup(ep.Close)
	return ep, func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), ids...) }
}

func TestCheckWebhook_CorrectReceiverPasses(t *testing.T) {
	srv := newServer(t)
	ep, processed := receiver(t, restlitest.DefaultClientSecret)
	rep := srv.CheckWebhook(ctxT(t), ep.URL+"/linkedin/webhook")
	if !rep.OK() {
		t.Fatalf("problems: %v", rep.Problems())
	}
	steps := map[string]restlitest.WebhookResult{}
	for _, s := range rep.Steps {
		steps[s.Step] = s
	}
	if steps["challenge"].Status != 200 || steps["bad signature"].Status != 401 || len(rep.Steps) != 5 {
		t.Fatalf("steps %+v", rep.Steps)
	}
	// The repeat and the bad signature were not processed.
	got := processed()
	want := []string{steps["delivery"].NotificationID, steps["delivery signed over hmacsha256=+body"].NotificationID}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("processed %v, want %v", got, want)
	}
}

func TestValidateWebhook_LinkedInsTestVector(t *testing.T) {
	const code = "890e4665-4dfe-4ab1-b689-ed553bceeed0"
	srv := newServer(t, restlitest.WithOAuthClient("app-1", "configured-secret"))
	ep, _ := receiver(t, "configured-secret")
	resp, err := ep.Client().Get(ep.URL + "?challengeCode=" + code)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct{ ChallengeCode, ChallengeResponse string }
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if want := hexHMAC("configured-secret", code); got.ChallengeResponse != want || len(want) != 64 {
		t.Fatalf("challengeResponse %q, want %q", got.ChallengeResponse, want)
	}
	// The sender signs with the configured application's secret.
	if r := srv.ValidateWebhook(ctxT(t), ep.URL, ""); !r.OK {
		t.Fatalf("challenge: %s", r.Problem)
	}
	if r := srv.ValidateWebhook(ctxT(t), ep.URL, "app-1"); !r.OK {
		t.Fatalf("challenge with applicationId: %s", r.Problem)
	}
}

// brokenReceiver answers the challenge and notifications in a wrong way.
func brokenReceiver(t *testing.T, challenge func(w http.ResponseWriter, code string), accept func(sig string, body []byte) bool) string {
	t.Helper()
	ep := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			challenge(w, r.URL.Query().Get("challengeCode"))
			return
		}
		body, _ := io.ReadAll(r.Body)
		if accept(r.Header.Get("X-LI-Signature"), body) {
			w.WriteHeader(200)
		} else {
			w.WriteHeader(401)
		}
	}))
	t.Cleanup(ep.Close)
	return ep.URL
}

func TestCheckWebhook_ReportsBrokenReceivers(t *testing.T) {
	secret := restlitest.DefaultClientSecret
	goodChallenge := func(w http.ResponseWriter, code string) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"challengeCode": code, "challengeResponse": hexHMAC(secret, code)})
	}
	headerReading := func(sig string, body []byte) bool { return sig == "hmacsha256="+hexHMAC(secret, string(body)) }
	messageReading := func(sig string, body []byte) bool { return sig == hexHMAC(secret, "hmacsha256="+string(body)) }
	tests := []struct {
		name      string
		challenge func(http.ResponseWriter, string)
		accept    func(string, []byte) bool
		failing   string
	}{
		{"text/plain challenge answer", func(w http.ResponseWriter, code string) {
			w.Header().Set("Content-Type", "text/plain")
			io.WriteString(w, hexHMAC(secret, code))
		}, headerReading, "challenge"},
		{"key and message swapped", func(w http.ResponseWriter, code string) {
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]string{"challengeCode": code, "challengeResponse": hexHMAC(code, secret)})
		}, headerReading, "challenge"},
		{"challenge code not echoed", func(w http.ResponseWriter, code string) {
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]string{"challengeResponse": hexHMAC(secret, code)})
		}, headerReading, "challenge"},
		{"only the header reading", goodChallenge, headerReading, "delivery signed over hmacsha256=+body"},
		{"only the message reading", goodChallenge, messageReading, "delivery"},
		{"no signature check", goodChallenge, func(string, []byte) bool { return true }, "bad signature"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			rep := srv.CheckWebhook(ctxT(t), brokenReceiver(t, tt.challenge, tt.accept))
			if rep.OK() {
				t.Fatal("a broken receiver passed")
			}
			found := false
			for _, p := range rep.Problems() {
				if strings.HasPrefix(p, tt.failing+": ") {
					found = true
				}
				if strings.Contains(p, secret) {
					t.Fatalf("the secret is in a problem: %s", p)
				}
			}
			if !found {
				t.Fatalf("problems %q, want one for %q", rep.Problems(), tt.failing)
			}
		})
	}
}

func TestDeliverWebhook(t *testing.T) {
	srv := newServer(t)
	ep, processed := receiver(t, restlitest.DefaultClientSecret)
	n := map[string]any{"notificationId": 5, "type": "LEAD_ACTION", "leadAction": "CREATED"}
	for i, d := range []restlitest.WebhookDelivery{
		{Notification: n},
		{Notification: n}, // a repeat
		{Notification: n, Reading: restlitest.SignatureMessagePrefix}, // a repeat, the other reading
		{Notification: map[string]any{"notificationId": 6}, BadSignature: true},
	} {
		r := srv.DeliverWebhook(ctxT(t), ep.URL, d)
		if !r.OK || r.Err != nil {
			t.Fatalf("#%d: %+v", i, r)
		}
	}
	if got := processed(); len(got) != 1 || got[0] != "5" {
		t.Fatalf("processed %v", got)
	}
	// Only loopback endpoints are contacted.
	for _, u := range []string{"http://example.com/hook", "https://10.0.0.1/x", "ftp://127.0.0.1/", "not a url", "/relative"} {
		if r := srv.DeliverWebhook(ctxT(t), u, restlitest.WebhookDelivery{}); r.Err == nil || r.OK {
			t.Fatalf("%s: %+v", u, r)
		}
		if r := srv.ValidateWebhook(ctxT(t), u, ""); r.Err == nil || r.OK {
			t.Fatalf("%s: %+v", u, r)
		}
	}
	// An endpoint that is gone is a transport error, reported.
	gone := httptest.NewServer(http.NotFoundHandler())
	url := gone.URL
	gone.Close()
	if r := srv.DeliverWebhook(ctxT(t), url, restlitest.WebhookDelivery{}); r.Err == nil || r.OK || r.Problem == "" {
		t.Fatalf("closed endpoint: %+v", r)
	}
	if (&restlitest.WebhookReport{}).OK() {
		t.Fatal("an empty report is OK")
	}
}
