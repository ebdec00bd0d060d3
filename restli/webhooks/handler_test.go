// Tests of the webhook endpoint: the challenge, the signature check in both
// readings, deduplication, failures and limits, and that secrets and
// signatures never leak.

package webhooks_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/restli/webhooks"
)

// secret is a canary: it must never appear in an answer or a log line.
const secret = "CANARY-client-secret-5f1d"

// hmacHex is the test's own HMAC-SHA256, in hex, for known answers.
func hmacHex(key, msg string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// recorder collects the notifications a handler got.
type recorder struct {
	mu   sync.Mutex
	got  []*webhooks.Notification
	fail error
}

func (r *recorder) handle(_ context.Context, n *webhooks.Notification) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return r.fail
	}
	r.got = append(r.got, n)
	return nil
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

// newEndpoint starts a receiver on a loopback httptest server.
func newEndpoint(t *testing.T, opts webhooks.Options) (*httptest.Server, *recorder, *bytes.Buffer) {
	t.Helper()
	rec := &recorder{}
	var logs bytes.Buffer
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewJSONHandler(&syncWriter{w: &logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	h, err := webhooks.NewHandler(secret, rec.handle, opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, rec, &logs
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

type answer struct {
	status int
	header http.Header
	body   string
}

func send(t *testing.T, method, url string, header map[string][]string, body string) answer {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[http.CanonicalHeaderKey(k)] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, string(b)}
}

func TestChallenge_KnownAnswers(t *testing.T) {
	// RFC 4231 test case 2: an independent known answer for HMAC-SHA256.
	if got := webhooks.ChallengeResponse("Jefe", "what do ya want for nothing?"); got != "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" {
		t.Fatalf("ChallengeResponse(RFC 4231 #2) = %s", got)
	}
	srv, rec, logs := newEndpoint(t, webhooks.Options{ApplicationSecrets: map[string]string{"77": "child-secret"}})
	const code = "890e4665-4dfe-4ab1-b689-ed553bceeed0" // LinkedIn's documented challenge
	tests := []struct {
		name, query, key string
	}{
		{"client secret", "?challengeCode=" + code, secret},
		{"partner application", "?challengeCode=" + code + "&applicationId=77", "child-secret"},
		{"unknown application uses the client secret", "?challengeCode=" + code + "&applicationId=78", secret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := send(t, "GET", srv.URL+tt.query, nil, "")
			if a.status != 200 || a.header.Get("Content-Type") != "application/json" {
				t.Fatalf("%d %s %q", a.status, a.header.Get("Content-Type"), a.body)
			}
			var got struct{ ChallengeCode, ChallengeResponse string }
			if err := json.Unmarshal([]byte(a.body), &got); err != nil {
				t.Fatal(err)
			}
			want := hmacHex(tt.key, code)
			if got.ChallengeCode != code || got.ChallengeResponse != want || len(got.ChallengeResponse) != 64 {
				t.Fatalf("answer %+v, want response %s", got, want)
			}
			if strings.Contains(a.body, secret) {
				t.Fatal("secret in the answer")
			}
		})
	}
	for _, q := range []string{"", "?challengeCode=", "?challengeCode=" + strings.Repeat("x", 300)} {
		if a := send(t, "GET", srv.URL+q, nil, ""); a.status != 400 {
			t.Errorf("GET %q: %d", q, a.status)
		}
	}
	if rec.count() != 0 || strings.Contains(logs.String(), secret) {
		t.Fatalf("handler called or secret logged: %s", logs.String())
	}
}

func TestNotification_SignatureReadings(t *testing.T) {
	body := `{"notificationId":1,"type":"ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS","action":"COMMENT"}`
	mac := hmacHex(secret, body)
	prefixed := hmacHex(secret, "hmacsha256="+body)
	other := hmacHex("another-secret", body)
	tests := []struct {
		name   string
		header []string
		body   string
		status int
	}{
		{"prefix on the header value", []string{"hmacsha256=" + mac}, body, 200},
		{"prefix on the signed message", []string{prefixed}, body, 200},
		{"both prefixes", []string{"hmacsha256=" + prefixed}, body, 200},
		{"no prefix at all", []string{mac}, body, 200},
		{"upper-case hex and prefix", []string{"HMACSHA256=" + strings.ToUpper(mac)}, body, 200},
		{"spaces around", []string{"  hmacsha256=" + mac + " "}, body, 200},
		{"missing", nil, body, 401},
		{"empty", []string{""}, body, 401},
		{"twice", []string{"hmacsha256=" + mac, "hmacsha256=" + mac}, body, 401},
		{"wrong secret", []string{"hmacsha256=" + other}, body, 401},
		{"tampered body", []string{"hmacsha256=" + mac}, strings.Replace(body, "COMMENT", "LIKE", 1), 401},
		{"truncated digest", []string{"hmacsha256=" + mac[:62]}, body, 401},
		{"not hex", []string{"hmacsha256=" + strings.Repeat("zz", 32)}, body, 401},
		{"other algorithm", []string{"sha1=" + mac}, body, 401},
		{"bad signature over a body that is not JSON", []string{"hmacsha256=" + other}, "{not json", 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, rec, logs := newEndpoint(t, webhooks.Options{})
			h := map[string][]string{}
			if tt.header != nil {
				h["X-LI-Signature"] = tt.header
			}
			a := send(t, "POST", srv.URL, h, tt.body)
			if a.status != tt.status {
				t.Fatalf("status %d (%q), want %d", a.status, a.body, tt.status)
			}
			if want := map[bool]int{true: 1, false: 0}[tt.status == 200]; rec.count() != want {
				t.Fatalf("handler called %d times", rec.count())
			}
			for _, leak := range []string{secret, mac, prefixed, other} {
				if strings.Contains(a.body, leak) || strings.Contains(logs.String(), leak) {
					t.Fatalf("a secret or signature leaked: %q / %s", a.body, logs.String())
				}
			}
		})
	}
}

func TestNotification_Typed(t *testing.T) {
	srv, rec, _ := newEndpoint(t, webhooks.Options{})
	body := `{"notificationId":7310472013,"type":"ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS","action":"COMMENT",` +
		`"organizationalEntity":"urn:li:organization:2414183","sourcePost":"urn:li:share:1","generatedActivity":"urn:li:comment:(urn:li:activity:1,2)",` +
		`"lastModifiedAt":1700000000000,"decoratedGeneratedActivity":{"comment":{"text":"hi"}}}`
	if a := send(t, "POST", srv.URL, map[string][]string{"X-LI-Signature": {webhooks.Sign(secret, []byte(body))}}, body); a.status != 200 {
		t.Fatalf("%d %q", a.status, a.body)
	}
	n := rec.got[0]
	if n.ID != "7310472013" || n.Type != "ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS" || n.Action != "COMMENT" ||
		n.Entity != "urn:li:organization:2414183" || n.SourcePost != "urn:li:share:1" ||
		n.GeneratedActivity != "urn:li:comment:(urn:li:activity:1,2)" || !n.Time.Equal(time.UnixMilli(1700000000000)) ||
		n.DedupKey != "id:7310472013" || string(n.Raw) != body {
		t.Fatalf("notification %+v", n)
	}
	var extra struct {
		Decorated struct {
			Comment struct{ Text string } `json:"comment"`
		} `json:"decoratedGeneratedActivity"`
	}
	if err := n.Decode(&extra); err != nil || extra.Decorated.Comment.Text != "hi" {
		t.Fatalf("Decode: %v %+v", err, extra)
	}
	// A lead notification: leadAction, owner, occuredAt, a string id.
	lead := `{"notificationId":"n-1","type":"LEAD_ACTION","leadAction":"CREATED","owner":"urn:li:sponsoredAccount:9","occuredAt":1700000000001}`
	if a := send(t, "POST", srv.URL, map[string][]string{"X-LI-Signature": {webhooks.Sign(secret, []byte(lead))}}, lead); a.status != 200 {
		t.Fatalf("%d", a.status)
	}
	n = rec.got[1]
	if n.ID != "n-1" || n.Action != "CREATED" || n.Entity != "urn:li:sponsoredAccount:9" || n.Time.UnixMilli() != 1700000000001 {
		t.Fatalf("lead %+v", n)
	}
	// Fields of an unexpected type are left empty; the delivery is accepted.
	odd := `{"notificationId":3,"type":5,"action":{"x":1},"lastModifiedAt":"soon","sourcePost":null}`
	if a := send(t, "POST", srv.URL, map[string][]string{"X-LI-Signature": {webhooks.Sign(secret, []byte(odd))}}, odd); a.status != 200 {
		t.Fatalf("odd body: %d", a.status)
	}
	n = rec.got[2]
	if n.ID != "3" || n.Type != "" || n.Action != "" || !n.Time.IsZero() || n.SourcePost != "" || string(n.Raw) != odd {
		t.Fatalf("odd %+v", n)
	}
}

func TestNotification_Deduplicated(t *testing.T) {
	srv, rec, _ := newEndpoint(t, webhooks.Options{})
	post := func(body string) int {
		return send(t, "POST", srv.URL, map[string][]string{"X-LI-Signature": {webhooks.Sign(secret, []byte(body))}}, body).status
	}
	for i, tt := range []struct {
		body  string
		calls int
	}{
		{`{"notificationId":1,"action":"LIKE"}`, 1},
		{`{"notificationId":1,"action":"LIKE"}`, 1},    // repeat: acknowledged, not processed
		{`{"notificationId":1, "action":"LIKE"}`, 1},   // same id, other bytes: still a repeat
		{`{"notificationId":2,"action":"LIKE"}`, 2},    // another id
		{`{"action":"LIKE","no":"id"}`, 3},             // no id: deduplicated by the body
		{`{"action":"LIKE","no":"id"}`, 3},             // same body
		{`{"notificationId":"1","action":"LIKE"}`, 3},  // "1" and 1 are the same id
		{`{"notificationId":null,"action":"LIKE"}`, 4}, // no id
		{`{"notificationId":[1],"action":"LIKE"}`, 5},  // not an id: by body
	} {
		if s := post(tt.body); s != 200 {
			t.Fatalf("#%d: status %d", i, s)
		}
		if rec.count() != tt.calls {
			t.Fatalf("#%d %s: handler called %d times, want %d", i, tt.body, rec.count(), tt.calls)
		}
	}
}

func TestNotification_ConcurrentRepeatsProcessedOnce(t *testing.T) {
	srv, rec, _ := newEndpoint(t, webhooks.Options{})
	body := `{"notificationId":42,"action":"COMMENT"}`
	sig := webhooks.Sign(secret, []byte(body))
	var wg sync.WaitGroup
	var ok atomic.Int32
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("POST", srv.URL, strings.NewReader(body))
			req.Header.Set("X-LI-Signature", sig)
			resp, err := srv.Client().Do(req)
			if err == nil {
				if resp.StatusCode == 200 {
					ok.Add(1)
				}
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	if ok.Load() != 8 || rec.count() != 1 {
		t.Fatalf("%d answers 200, handler called %d times", ok.Load(), rec.count())
	}
}

func TestNotification_HandlerErrorIs500AndRedeliveryIsProcessed(t *testing.T) {
	srv, rec, logs := newEndpoint(t, webhooks.Options{})
	body := `{"notificationId":9,"action":"COMMENT"}`
	h := map[string][]string{"X-LI-Signature": {webhooks.Sign(secret, []byte(body))}}
	rec.fail = errors.New("database down")
	if a := send(t, "POST", srv.URL, h, body); a.status != 500 {
		t.Fatalf("status %d", a.status)
	}
	if !strings.Contains(logs.String(), "database down") {
		t.Fatalf("failure not logged: %s", logs.String())
	}
	rec.fail = nil
	if a := send(t, "POST", srv.URL, h, body); a.status != 200 || rec.count() != 1 {
		t.Fatalf("redelivery: status %d, processed %d", a.status, rec.count())
	}
}

// failingStore fails every claim.
type failingStore struct{}

func (failingStore) Claim(context.Context, string) (bool, error) {
	return false, errors.New("store down")
}
func (failingStore) Release(context.Context, string) error { return nil }

func TestNotification_LimitsAndBadInput(t *testing.T) {
	srv, rec, _ := newEndpoint(t, webhooks.Options{MaxBodyBytes: 64})
	sign := func(b string) map[string][]string {
		return map[string][]string{"X-LI-Signature": {webhooks.Sign(secret, []byte(b))}}
	}
	big := `{"notificationId":1,"pad":"` + strings.Repeat("x", 100) + `"}`
	if a := send(t, "POST", srv.URL, sign(big), big); a.status != 413 {
		t.Fatalf("large body: %d", a.status)
	}
	for _, b := range []string{`[1,2]`, `"x"`, `{"notificationId":1`, ``, `null`} {
		if a := send(t, "POST", srv.URL, sign(b), b); a.status != 400 {
			t.Fatalf("body %q: %d", b, a.status)
		}
	}
	for _, m := range []string{"PUT", "DELETE", "PATCH"} {
		if a := send(t, m, srv.URL, nil, ""); a.status != 405 || a.header.Get("Allow") != "GET, POST" {
			t.Fatalf("%s: %d", m, a.status)
		}
	}
	if rec.count() != 0 {
		t.Fatal("handler called")
	}
	fs, _, _ := newEndpoint(t, webhooks.Options{Store: failingStore{}})
	b := `{"notificationId":1}`
	if a := send(t, "POST", fs.URL, sign(b), b); a.status != 500 {
		t.Fatalf("store failure: %d", a.status)
	}
}

func TestNewHandler_RefusesBadConfiguration(t *testing.T) {
	ok := func(context.Context, *webhooks.Notification) error { return nil }
	for _, tt := range []struct {
		secret string
		fn     webhooks.HandlerFunc
		opts   webhooks.Options
	}{
		{"", ok, webhooks.Options{}},
		{"s", nil, webhooks.Options{}},
		{"s", ok, webhooks.Options{ApplicationSecrets: map[string]string{"1": ""}}},
	} {
		if h, err := webhooks.NewHandler(tt.secret, tt.fn, tt.opts); err == nil || h != nil {
			t.Errorf("NewHandler(%q) = %v, %v", tt.secret, h, err)
		}
	}
}

func TestVerifyAndSign(t *testing.T) {
	body := []byte(`{"a":1}`)
	if err := webhooks.Verify(webhooks.Sign(secret, body), body, "", "x", secret); err != nil {
		t.Fatal(err)
	}
	if err := webhooks.Verify(webhooks.Sign(secret, body), body, "x"); !errors.Is(err, webhooks.ErrInvalidSignature) {
		t.Fatal(err)
	}
	if err := webhooks.Verify(webhooks.Sign(secret, body), body); !errors.Is(err, webhooks.ErrInvalidSignature) {
		t.Fatal("no secret verified")
	}
	if want := "hmacsha256=" + hmacHex(secret, string(body)); webhooks.Sign(secret, body) != want {
		t.Fatal("Sign")
	}
}
