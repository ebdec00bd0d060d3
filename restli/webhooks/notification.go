// This file holds Notification, a webhook delivery's body decoded into the
// fields LinkedIn's notifications share, with the raw JSON kept.

package webhooks

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"time"
)

// Notification is one webhook delivery. The common fields of LinkedIn's
// notifications are decoded; Raw holds the whole body, to decode with
// Decode into your own type for the rest (decoratedSourcePost, lead form
// responses, …).
type Notification struct {
	// ID is notificationId, as text (LinkedIn sends a number).
	ID string
	// Type is the notification type, e.g.
	// "ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS" or "LEAD_ACTION".
	Type string
	// Action is what happened: "action" (COMMENT, LIKE, SHARE_MENTION,
	// ADMIN_COMMENT…) or, for lead notifications, "leadAction".
	Action string
	// Entity is organizationalEntity (or owner): the URN the subscription
	// is for.
	Entity string
	// SourcePost is the URN of the post acted on, when there is one.
	SourcePost string
	// GeneratedActivity is the URN of the activity created (a comment, a
	// reaction…), when there is one.
	GeneratedActivity string
	// Time is lastModifiedAt (or occuredAt), when sent.
	Time time.Time
	// DedupKey is the key the handler deduplicates on: "id:" and ID, or,
	// for a body without notificationId, "sha256:" and the body's hash.
	DedupKey string
	// Raw is the body exactly as received and signed.
	Raw json.RawMessage
}

// Decode unmarshals the raw body into v.
func (n *Notification) Decode(v any) error { return json.Unmarshal(n.Raw, v) }

// errNotObject reports a body that is not a JSON object.
var errNotObject = errors.New("webhooks: the notification is not a JSON object")

// parseNotification decodes body, which must be a JSON object. The common
// fields are read leniently: one of an unexpected type is left empty rather
// than refusing a delivery LinkedIn signed (Raw keeps everything).
func parseNotification(body []byte) (*Notification, error) {
	if t := bytes.TrimLeft(body, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return nil, errNotObject
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, err
	}
	str := func(keys ...string) string {
		for _, k := range keys {
			var s string
			if json.Unmarshal(m[k], &s) == nil && s != "" {
				return s
			}
		}
		return ""
	}
	n := &Notification{
		ID:                idText(m["notificationId"]),
		Type:              str("type"),
		Action:            str("action", "leadAction"),
		Entity:            str("organizationalEntity", "owner"),
		SourcePost:        str("sourcePost"),
		GeneratedActivity: str("generatedActivity"),
		Raw:               json.RawMessage(body),
	}
	for _, k := range []string{"lastModifiedAt", "occuredAt"} {
		var ms json.Number
		if json.Unmarshal(m[k], &ms) == nil {
			if v, err := ms.Int64(); err == nil && v > 0 {
				n.Time = time.UnixMilli(v).UTC()
				break
			}
		}
	}
	if n.ID != "" {
		n.DedupKey = "id:" + n.ID
	} else {
		sum := sha256.Sum256(body)
		n.DedupKey = "sha256:" + hex.EncodeToString(sum[:])
	}
	return n, nil
}

// idText returns a notificationId (a number or a string) as text, or ""
// when absent, null or of another type.
func idText(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var num json.Number
	if json.Unmarshal(raw, &num) == nil {
		if _, err := strconv.ParseFloat(num.String(), 64); err == nil {
			return num.String()
		}
	}
	return ""
}
