// Tests that a header layer configured with a control character refuses
// to send instead of letting net/http fail after the breaker counted it.

package middleware_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/restli"
)

func TestHeaderLayers_ControlCharacterIsValidationErrorNotSent(t *testing.T) {
	for _, bad := range []string{"a\rb", "a\nb", "a\x00b", "app/1\r\nX-Evil: 1", "\x7f"} {
		for name, layer := range map[string]func(http.RoundTripper) http.RoundTripper{
			"User-Agent":       middleware.UserAgent(bad),
			"Linkedin-Version": middleware.LinkedInVersion(bad),
		} {
			sent := 0
			next := hdrRTFunc(func(r *http.Request) (*http.Response, error) {
				sent++
				return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
			})
			rt := layer(next)
			body := &closeTracker{Reader: strings.NewReader("x")}
			req, _ := http.NewRequest(http.MethodPost, "https://api.linkedin.com/rest/x", body)
			_, err := rt.RoundTrip(req)
			var ve *restli.ValidationError
			if !errors.As(err, &ve) || ve.Field != name || !errors.Is(err, restli.ErrNotSent) || !errors.Is(err, restli.ErrPermanent) {
				t.Errorf("%s %q: err = %v, want a ValidationError wrapping ErrNotSent and ErrPermanent", name, bad, err)
			}
			if sent != 0 || !body.closed {
				t.Errorf("%s %q: sent %d, body closed %v", name, bad, sent, body.closed)
			}
			// A request that brings its own value does not need the layer's.
			req, _ = http.NewRequest(http.MethodGet, "https://api.linkedin.com/rest/x", nil)
			req.Header.Set(name, "own")
			if resp, err := rt.RoundTrip(req); err != nil || sent != 1 {
				t.Errorf("%s %q with its own header: err %v, sent %d", name, bad, err, sent)
			} else {
				resp.Body.Close()
			}
		}
	}
}

type closeTracker struct {
	io.Reader
	closed bool
}

func (c *closeTracker) Close() error { c.closed = true; return nil }
