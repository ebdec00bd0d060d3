// This file is the Retry layer's daily-quota memory: recognising
// LinkedIn's DAY-limit 429, remembering it per host and resource (and
// member, for a member's limit) in a QuotaStore until 00:00 UTC, and
// refusing calls it covers before they reach the network.

package middleware

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/linkedin-go/linkedin/restli"
)

// retryQuotaPeek bounds how much of a 429's body the layer reads to tell a
// DAY limit from a passing throttle; LinkedIn's answer is about 150 bytes.
const retryQuotaPeek = 16 << 10

// quotaTarget names what a DAY quota is counted against: the host, the
// resource without key values ("/adAccounts", "/adAccounts/adAccountUsers"
// for "/adAccounts/{id}/adAccountUsers") and the member.
type quotaTarget struct {
	host, resource, member string
}

// quotaTargetOf returns the quota target of req.
func (t *retryTransport) quotaTargetOf(req *http.Request, info restli.CallInfo, hasInfo bool) quotaTarget {
	q := quotaTarget{host: req.URL.Host}
	if q.host == "" {
		q.host = req.Host
	}
	if hasInfo && info.Resource != "" {
		q.resource = quotaResource(info.Resource)
	} else {
		q.resource = quotaResourceOfPath(req.URL.EscapedPath())
	}
	switch {
	case t.quotaMember != nil:
		q.member = t.quotaMember(req)
	case req.Header.Get("Authorization") != "":
		q.member = authDigest(req.Header.Get("Authorization"))
	default:
		q.member = t.self
	}
	return q
}

// authDigest names the member behind an Authorization value without
// keeping the credential: the first 96 bits of its SHA-256.
func authDigest(auth string) string {
	sum := sha256.Sum256([]byte(auth))
	return "auth-" + hex.EncodeToString(sum[:12])
}

// quotaResource drops the {placeholder} segments of a resource template.
func quotaResource(template string) string {
	i := strings.Index(template, "/{")
	if i < 0 {
		return template
	}
	if !strings.Contains(strings.ReplaceAll(template[i:], "}/{", ""), "}/") {
		// Only keys follow: the common "/adAccounts/{id}" costs nothing.
		return template[:i]
	}
	var b strings.Builder
	for seg := range strings.SplitSeq(strings.Trim(template, "/"), "/") {
		if seg == "" || strings.HasPrefix(seg, "{") {
			continue
		}
		b.WriteByte('/')
		b.WriteString(seg)
	}
	return b.String()
}

// quotaResourceOfPath is the resource of a request without a call
// description: the first segment after the API prefix, since later ones
// may be key values.
func quotaResourceOfPath(p string) string {
	for _, prefix := range [...]string{"/rest/", "/v2/"} {
		if strings.HasPrefix(p, prefix) {
			p = p[len(prefix)-1:] // keep the slash: "/adAccounts/…"
			break
		}
	}
	if !strings.HasPrefix(p, "/") {
		return "/" + p
	}
	if i := strings.IndexAny(p[1:], "/(?;"); i >= 0 {
		p = p[:i+1]
	}
	return p
}

// quotaRefusal returns the refusal for a call whose DAY quota is known to
// be spent, or nil. A store error lets the call through.
func (t *retryTransport) quotaRefusal(ctx context.Context, q quotaTarget) error {
	m, err := t.quota.Exhausted(ctx, q.host, q.resource, q.member)
	if err != nil || m.Until.IsZero() {
		return nil
	}
	return &restli.DailyQuotaError{Host: q.host, Resource: q.resource, Scope: m.Scope, ResetAt: m.Until}
}

// quotaCheck reads a 429's body (bounded, and put back for the caller) and,
// when it is LinkedIn's DAY-limit answer, remembers the spent quota and
// reports true.
func (t *retryTransport) quotaCheck(ctx context.Context, q quotaTarget, resp *http.Response) bool {
	if resp.StatusCode != http.StatusTooManyRequests || resp.Body == nil || resp.Body == http.NoBody {
		return false
	}
	head, _ := io.ReadAll(io.LimitReader(resp.Body, retryQuotaPeek))
	resp.Body = &peekedBody{Reader: io.MultiReader(bytes.NewReader(head), resp.Body), Closer: resp.Body}
	scope, ok := restli.DailyQuotaScope(resp.StatusCode, head)
	if !ok {
		return false
	}
	now := t.clock()
	if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		now = d
	}
	m := QuotaMark{Host: q.host, Resource: q.resource, Scope: scope, Until: restli.NextQuotaReset(now)}
	if scope == restli.QuotaScopeMember {
		m.Member = q.member
	}
	// The mark must land even when the caller has given up.
	_ = t.quota.MarkExhausted(context.WithoutCancel(ctx), m)
	return true
}

// clock is the layer's time.
func (t *retryTransport) clock() time.Time {
	if t.now != nil {
		return t.now()
	}
	return time.Now()
}

// peekedBody is a response body whose head was read and is replayed.
type peekedBody struct {
	io.Reader
	io.Closer
}
