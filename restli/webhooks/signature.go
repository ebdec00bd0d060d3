// This file holds the cryptography of LinkedIn's webhooks, on crypto/hmac:
// the challenge response, the X-LI-Signature header's parser, and the
// constant-time check of a notification's signature.

package webhooks

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"strings"
)

// SignatureHeader is the header LinkedIn signs notifications in.
const SignatureHeader = "X-LI-Signature"

// SignaturePrefix is the "hmacsha256=" that LinkedIn's documentation puts
// before the signature, read either as a prefix of the header value or of
// the signed message.
const SignaturePrefix = "hmacsha256="

// ErrInvalidSignature reports a signature header that is missing, malformed
// or does not match the body. Its text never holds the header's value.
var ErrInvalidSignature = errors.New("webhooks: invalid or missing X-LI-Signature")

// ChallengeResponse returns the answer to LinkedIn's validation challenge:
// the hex-encoded HMAC-SHA256 of challengeCode keyed by the application's
// client secret (64 lower-case hex digits).
func ChallengeResponse(clientSecret, challengeCode string) string {
	m := hmac.New(sha256.New, []byte(clientSecret))
	m.Write([]byte(challengeCode))
	return hex.EncodeToString(m.Sum(nil))
}

// Sign returns an X-LI-Signature value for body as this package reads
// LinkedIn's documentation first: "hmacsha256=" followed by the hex
// HMAC-SHA256 of the body keyed by the client secret. It is meant for tests
// of a receiver.
func Sign(clientSecret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(clientSecret))
	m.Write(body)
	return SignaturePrefix + hex.EncodeToString(m.Sum(nil))
}

// ParseSignature returns the 32-byte digest an X-LI-Signature value holds:
// 64 hex digits (either case), optionally after "hmacsha256=" (the prefix's
// case does not matter) and surrounding spaces. Anything else is
// ErrInvalidSignature.
func ParseSignature(header string) ([]byte, error) {
	s := strings.TrimSpace(header)
	if len(s) >= len(SignaturePrefix) && strings.EqualFold(s[:len(SignaturePrefix)], SignaturePrefix) {
		s = s[len(SignaturePrefix):]
	}
	if len(s) != 2*sha256.Size {
		return nil, ErrInvalidSignature
	}
	d, err := hex.DecodeString(s)
	if err != nil {
		return nil, ErrInvalidSignature
	}
	return d, nil
}

// Verify reports whether header is a valid X-LI-Signature of body for one
// of secrets: the HMAC-SHA256, keyed by the secret, of the body or of
// "hmacsha256=" followed by the body (the two readings of LinkedIn's
// documentation). Every candidate is computed and compared in constant
// time, so the time taken does not depend on which one matched. It returns
// nil or ErrInvalidSignature.
func Verify(header string, body []byte, secrets ...string) error {
	got, err := ParseSignature(header)
	if err != nil {
		return err
	}
	match := 0
	for _, secret := range secrets {
		if secret == "" {
			continue
		}
		m := hmac.New(sha256.New, []byte(secret))
		m.Write(body)
		match |= subtle.ConstantTimeCompare(got, m.Sum(nil))
		m.Reset()
		m.Write([]byte(SignaturePrefix))
		m.Write(body)
		match |= subtle.ConstantTimeCompare(got, m.Sum(nil))
	}
	if match != 1 {
		return ErrInvalidSignature
	}
	return nil
}
