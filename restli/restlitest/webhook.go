// This file makes the Server play LinkedIn's webhook sender against an
// endpoint under test: the validation challenge, signed notifications
// (repeats and bad signatures included), and a report of the answers.

package restlitest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// WebhookChallengeTimeout is how long LinkedIn waits for the answer to its
// validation challenge; ValidateWebhook fails a slower answer.
const WebhookChallengeTimeout = 3 * time.Second

// webhookDeliveryTimeout bounds one notification delivery.
const webhookDeliveryTimeout = 10 * time.Second

// maxWebhookAnswer bounds how much of an endpoint's answer is kept.
const maxWebhookAnswer = 64 << 10

// SignatureReading says how DeliverWebhook signs a notification. LinkedIn's
// documentation can be read two ways, so a receiver must accept both.
type SignatureReading int

const (
	// SignatureHeaderPrefix sends X-LI-Signature: hmacsha256=<hex
	// HMAC-SHA256(client secret, body)>.
	SignatureHeaderPrefix SignatureReading = iota
	// SignatureMessagePrefix sends X-LI-Signature: <hex HMAC-SHA256(client
	// secret, "hmacsha256=" + body)>.
	SignatureMessagePrefix
)

// WebhookDelivery is one notification for DeliverWebhook.
type WebhookDelivery struct {
	// Notification is the JSON body. Nil sends a sample
	// ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS comment notification; a
	// body without "notificationId" gets a new one.
	Notification map[string]any
	// Reading is how the body is signed.
	Reading SignatureReading
	// BadSignature signs with a wrong key: a correct endpoint answers 401.
	BadSignature bool
}

// WebhookResult is what an endpoint answered to one request of the sender.
type WebhookResult struct {
	// Step names the request: "challenge", "delivery", …
	Step string
	// Status is the HTTP status of the answer (0 when there was none).
	Status int
	// Header and Body are the answer's (Body up to 64 KiB).
	Header http.Header
	Body   []byte
	// Duration is the time to the answer.
	Duration time.Duration
	// NotificationID is the notificationId delivered, for a delivery.
	NotificationID string
	// OK reports whether the answer is what LinkedIn expects of a correct
	// endpoint; Problem says why not.
	OK      bool
	Problem string
	// Err is the transport error, when there was no answer.
	Err error
}

// WebhookReport is the outcome of CheckWebhook.
type WebhookReport struct {
	// Steps are the requests made, in order.
	Steps []WebhookResult
}

// OK reports whether every step got the answer LinkedIn expects.
func (r *WebhookReport) OK() bool {
	for _, s := range r.Steps {
		if !s.OK {
			return false
		}
	}
	return len(r.Steps) > 0
}

// Problems lists, one line per failed step, what was wrong.
func (r *WebhookReport) Problems() []string {
	var out []string
	for _, s := range r.Steps {
		if !s.OK {
			out = append(out, s.Step+": "+s.Problem)
		}
	}
	return out
}

// webhookSecret returns the client secret LinkedIn signs with: that of the
// registered application whose client id is applicationID, else the first
// application's.
func (s *Server) webhookSecret(applicationID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if applicationID != "" {
		if c, ok := s.client(applicationID); ok {
			return c.secret
		}
	}
	return s.auth.clients[0].secret
}

// ValidateWebhook runs LinkedIn's validation challenge against the endpoint
// at endpointURL, which must be on a loopback address: GET
// ?challengeCode=<new UUID> (and &applicationId=… when applicationID is
// set), then checks the answer as LinkedIn does: within
// WebhookChallengeTimeout, status 200, Content-Type application/json, the
// same challengeCode and, as challengeResponse, the hex HMAC-SHA256 of the
// code keyed by the client secret of the application (the registered one
// whose client id is applicationID, else the first).
func (s *Server) ValidateWebhook(ctx context.Context, endpointURL, applicationID string) WebhookResult {
	return s.validateWebhook(ctx, endpointURL, applicationID, newUUID())
}

func (s *Server) validateWebhook(ctx context.Context, endpointURL, applicationID, code string) WebhookResult {
	res := WebhookResult{Step: "challenge"}
	u, err := loopbackURL(endpointURL)
	if err != nil {
		res.Err, res.Problem = err, err.Error()
		return res
	}
	q := u.Query()
	q.Set("challengeCode", code)
	if applicationID != "" {
		q.Set("applicationId", applicationID)
	}
	u.RawQuery = q.Encode()
	ctx, cancel := context.WithTimeout(ctx, WebhookChallengeTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		res.Err, res.Problem = err, "cannot build the request"
		return res
	}
	s.sendWebhook(req, &res)
	if res.Err != nil {
		return res
	}
	mt, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type"))
	var got struct {
		ChallengeCode     string `json:"challengeCode"`
		ChallengeResponse string `json:"challengeResponse"`
	}
	want := hmacHex(s.webhookSecret(applicationID), []byte(code))
	switch {
	case res.Status != http.StatusOK:
		res.Problem = fmt.Sprintf("status %d, want 200", res.Status)
	case mt != "application/json":
		res.Problem = "Content-Type " + mt + ", want application/json"
	case json.Unmarshal(res.Body, &got) != nil:
		res.Problem = "the body is not a JSON object with challengeCode and challengeResponse"
	case got.ChallengeCode != code:
		res.Problem = "challengeCode is not the one sent"
	case !hmac.Equal([]byte(strings.ToLower(got.ChallengeResponse)), []byte(want)):
		res.Problem = "challengeResponse is not the hex HMAC-SHA256 of the challengeCode keyed by the client secret"
	default:
		res.OK = true
	}
	return res
}

// DeliverWebhook sends one signed notification to the endpoint at
// endpointURL, which must be on a loopback address, as LinkedIn does: POST,
// Content-Type application/json, X-LI-Signature signed with the first
// registered application's client secret (see SignatureReading). The
// result is OK when a correctly signed delivery is answered 2xx, and a
// delivery with BadSignature is answered 401.
func (s *Server) DeliverWebhook(ctx context.Context, endpointURL string, d WebhookDelivery) WebhookResult {
	body, id, err := webhookBody(d.Notification, s.now())
	if err != nil {
		return WebhookResult{Step: "delivery", Err: err, Problem: err.Error()}
	}
	return s.deliver(ctx, endpointURL, "delivery", body, id, d.Reading, d.BadSignature)
}

func (s *Server) deliver(ctx context.Context, endpointURL, step string, body []byte, id string, reading SignatureReading, bad bool) WebhookResult {
	res := WebhookResult{Step: step, NotificationID: id}
	u, err := loopbackURL(endpointURL)
	if err != nil {
		res.Err, res.Problem = err, err.Error()
		return res
	}
	key := s.webhookSecret("")
	if bad {
		key = "not-the-client-secret:" + key
	}
	var sig string
	if reading == SignatureMessagePrefix {
		sig = hmacHex(key, append([]byte("hmacsha256="), body...))
	} else {
		sig = "hmacsha256=" + hmacHex(key, body)
	}
	ctx, cancel := context.WithTimeout(ctx, webhookDeliveryTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		res.Err, res.Problem = err, "cannot build the request"
		return res
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-LI-Signature", sig)
	s.sendWebhook(req, &res)
	switch {
	case res.Err != nil:
	case bad && res.Status != http.StatusUnauthorized:
		res.Problem = fmt.Sprintf("a notification with a bad signature was answered %d, want 401", res.Status)
	case !bad && (res.Status < 200 || res.Status > 299):
		res.Problem = fmt.Sprintf("a correctly signed notification was answered %d, want 2xx", res.Status)
	default:
		res.OK = true
	}
	return res
}

// CheckWebhook runs what LinkedIn does to an endpoint, in order, and
// reports every answer: the validation challenge; a notification signed
// with the prefix on the header value; the same delivery again (a correct
// endpoint acknowledges a repeat with 2xx and does not process it twice,
// which the test checks on its side); a second notification signed with
// the prefix inside the signed message (LinkedIn's documentation allows
// both readings); and a notification with a bad signature, which must be
// answered 401. The endpoint must be on a loopback address.
func (s *Server) CheckWebhook(ctx context.Context, endpointURL string) *WebhookReport {
	r := &WebhookReport{}
	r.Steps = append(r.Steps, s.ValidateWebhook(ctx, endpointURL, ""))
	now := s.now()
	first, id1, err1 := webhookBody(nil, now)
	second, id2, err2 := webhookBody(nil, now)
	bad, id3, err3 := webhookBody(nil, now)
	if err := errors.Join(err1, err2, err3); err != nil {
		r.Steps = append(r.Steps, WebhookResult{Step: "delivery", Err: err, Problem: err.Error()})
		return r
	}
	r.Steps = append(r.Steps,
		s.deliver(ctx, endpointURL, "delivery", first, id1, SignatureHeaderPrefix, false),
		s.deliver(ctx, endpointURL, "repeated delivery", first, id1, SignatureHeaderPrefix, false),
		s.deliver(ctx, endpointURL, "delivery signed over hmacsha256=+body", second, id2, SignatureMessagePrefix, false),
		s.deliver(ctx, endpointURL, "bad signature", bad, id3, SignatureHeaderPrefix, true),
	)
	return r
}

// sendWebhook sends req with a client of its own (no stack, no redirects,
// no connection kept) and fills res with the answer.
func (s *Server) sendWebhook(req *http.Request, res *WebhookResult) {
	tr := &http.Transport{DisableKeepAlives: true, Proxy: nil}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	start := time.Now()
	resp, err := c.Do(req)
	res.Duration = time.Since(start)
	if err != nil {
		res.Err = err
		res.Problem = "no answer: " + err.Error()
		return
	}
	defer resp.Body.Close()
	res.Status, res.Header = resp.StatusCode, resp.Header
	res.Body, err = io.ReadAll(io.LimitReader(resp.Body, maxWebhookAnswer))
	if err != nil {
		res.Err = err
		res.Problem = "answer cut short: " + err.Error()
	}
}

// loopbackURL parses endpointURL and refuses any host but a loopback one:
// the fake never contacts anything else.
func loopbackURL(endpointURL string) (*url.URL, error) {
	u, err := url.Parse(endpointURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("restlitest: the webhook URL must be an absolute http or https URL")
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, errors.New("restlitest: the webhook URL must be on a loopback address")
	}
	return u, nil
}

// webhookBody returns the JSON body of a notification and its id: n with a
// new notificationId when it has none, or a sample comment notification.
func webhookBody(n map[string]any, now time.Time) ([]byte, string, error) {
	id := newNotificationID()
	if n == nil {
		n = map[string]any{
			"type":                 "ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS",
			"action":               "COMMENT",
			"organizationalEntity": "urn:li:organization:2414183",
			"sourcePost":           "urn:li:share:7000000000000000001",
			"generatedActivity":    "urn:li:comment:(urn:li:activity:7000000000000000001,7000000000000000002)",
			"lastModifiedAt":       now.UnixMilli(),
		}
	}
	m := make(map[string]any, len(n)+1)
	for k, v := range n {
		m[k] = v
	}
	if v, ok := m["notificationId"]; ok {
		id = fmt.Sprint(v)
	} else {
		m["notificationId"] = json.Number(id)
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, "", errors.New("restlitest: the notification cannot be marshalled to JSON")
	}
	return b, id, nil
}

// hmacHex is the hex HMAC-SHA256 of msg keyed by key.
func hmacHex(key string, msg []byte) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write(msg)
	return hex.EncodeToString(m.Sum(nil))
}

// newUUID returns a random (version 4) UUID, as LinkedIn's challenge codes are.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// newNotificationID returns a new positive notification id, as text.
func newNotificationID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprint(binary.BigEndian.Uint64(b[:]) >> 11) // below 2^53: exact in JSON
}
