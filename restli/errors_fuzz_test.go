// Fuzz target of error-body parsing.

package restli

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// FuzzParseError feeds error response bodies, which come from the server
// (or from a proxy in front of it), to parseError. It must never panic,
// always keep the status and the raw body, and give an ErrorType that is
// the status code.
// Seeds live in testdata/fuzz/FuzzParseError.
func FuzzParseError(f *testing.F) {
	for _, s := range []string{
		`{"status":401,"serviceErrorCode":65600,"code":"INVALID_ACCESS_TOKEN","message":"Invalid access token"}`,
		`{"status":422,"message":"bad","errorDetails":{"inputErrors":[{"description":"x","input":{"inputPath":{"fieldPath":"a"}},"code":"FIELD_VALUE_TOO_LOW"}]}}`,
		`{"status":"500","code":42}`, `{"errorDetails":null}`, `{"errorDetails":[[[[[]]]]]}`,
		`<html>502 Bad Gateway</html>`, ``, `null`, `[]`, `{"message":"a\nb"}`,
		`{"status":1e400}`, `{"requestId":"abc"}`, "\xff\xfe",
	} {
		f.Add(503, s, "")
		f.Add(429, s, "req-1")
	}
	f.Fuzz(func(t *testing.T, status int, body string, requestID string) {
		h := http.Header{}
		if requestID != "" {
			h.Set("X-Li-Uuid", requestID)
		}
		in := []byte(body)
		e := parseError(status, h, in)
		if e == nil {
			t.Fatal("nil *Error")
		}
		if e.StatusCode != status {
			t.Fatalf("StatusCode %d, want %d", e.StatusCode, status)
		}
		if !bytes.Equal(e.Body, in) {
			t.Fatal("Body is not the raw body")
		}
		if e.ErrorType() != strconv.Itoa(status) {
			t.Fatalf("ErrorType %q for status %d", e.ErrorType(), status)
		}
		if requestID != "" && strings.TrimSpace(requestID) != "" && e.RequestID == "" {
			// The header value may be normalised by http.Header, but a
			// request id that was sent must be kept somewhere.
			t.Fatalf("request id %q lost", requestID)
		}
		msg := e.Error()
		if !strings.HasPrefix(msg, "restli: ") {
			t.Fatalf("Error() = %q", msg)
		}
		if len(msg) > len(body)+256 {
			t.Fatalf("Error() is %d bytes for a %d-byte body", len(msg), len(body))
		}
		// The same body decodes the same way as a batch entry error.
		var entry Error
		_ = entry.UnmarshalJSON(in)
	})
}
