// Package webhooks receives LinkedIn's webhook deliveries: an http.Handler
// (NewHandler) that answers the validation challenge, checks the signature
// of every notification, drops repeated deliveries and hands each new
// notification, typed, to your function.
//
// # What LinkedIn sends
//
// Validation: LinkedIn calls GET <your URL>?challengeCode=<uuid> (partner
// applications also get applicationId) when the webhook is registered and
// again every 2 hours; three failed checks in a row block the endpoint. The
// answer must come within 3 seconds: 200, Content-Type application/json,
// {"challengeCode":<the code>,"challengeResponse":<hex HMAC-SHA256 of the
// code, keyed by the application's client secret>}.
//
// Notifications: POST <your URL> with a JSON body and the header
// X-LI-Signature, an HMAC-SHA256 keyed by the client secret. LinkedIn's
// documentation can be read two ways: "hmacsha256=" is either a prefix of
// the header value (hmacsha256=<hex HMAC of the body>) or a prefix of the
// signed message (<hex HMAC of "hmacsha256=" + body>). The handler accepts
// both, compares in constant time over the raw body bytes as received,
// bounds the body's size, and answers 401 to anything else before parsing
// the body. Deliveries can repeat: the handler remembers notification ids
// in a Store (in memory, with a TTL, by default) and acknowledges a repeat
// without calling your function again. An error from your function answers
// 500, so LinkedIn counts the delivery as failed, and the id is forgotten
// so that a redelivery is processed.
//
// Neither the client secret nor a signature ever appears in an answer, an
// error or a log line.
//
// Package restlitest plays LinkedIn's side in tests: Server.ValidateWebhook,
// DeliverWebhook and CheckWebhook run the challenge against your endpoint,
// deliver signed notifications (repeats and a bad signature included) and
// report what it answered.
package webhooks
