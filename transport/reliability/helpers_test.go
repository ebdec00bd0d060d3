package reliability_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

// rtFunc is an http.RoundTripper made of a func.
type rtFunc func(*http.Request) (*http.Response, error)

func (f rtFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// verifyNoLeaks fails t if goroutines other than those in before are still
// running, and returns how many leaked (0 when none).
func verifyNoLeaks(t *testing.T, before goleak.Option) int {
	t.Helper()
	err := goleak.Find(before)
	if err == nil {
		return 0
	}
	n := strings.Count(err.Error(), "Goroutine ")
	if n == 0 {
		n = 1
	}
	t.Errorf("%d goroutine(s) leaked: %v", n, err)
	return n
}

// soakScale is 1 for a full soak and 10 (a tenth of the calls) under -short
// unless LINKEDIN_SOAK=1.
func soakScale() int {
	if testing.Short() && os.Getenv("LINKEDIN_SOAK") != "1" {
		return 10
	}
	return 1
}

// jsonFirstLine decodes the first line of JSON log output into v.
func jsonFirstLine(b []byte, v any) error {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	return json.Unmarshal(line, v)
}
