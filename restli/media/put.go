// This file sends one PUT to a pre-signed upload URL through the caller's
// *http.Client, so its retry layer resends a failed part on its own, and
// reads the ETag the upload host answers.

package media

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/linkedin-go/linkedin/restli"
)

// putResult is the outcome of one PUT that got an answer.
type putResult struct {
	status int
	etag   string // the ETag header exactly as received, "" when absent
}

// put sends n bytes from open() to rawURL. open is called for the first
// attempt and again (as GetBody) for every resend, so the retry layer can
// replay the part. Unless withAuth, the request's context carries
// restli.ContextWithoutToken: no token layer attaches a token to it.
func put(ctx context.Context, hc *http.Client, rawURL string, n int64, open func() io.ReadCloser, withAuth bool) (putResult, error) {
	if !withAuth {
		ctx = restli.ContextWithoutToken(ctx)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, rawURL, open())
	if err != nil {
		return putResult{}, errors.New("media: cannot build the upload request")
	}
	req.ContentLength = n
	if n == 0 {
		req.Body = http.NoBody
	}
	req.GetBody = func() (io.ReadCloser, error) { return open(), nil }
	req.Header.Set("Content-Type", "application/octet-stream")
	resp, err := hc.Do(req)
	if err != nil {
		return putResult{}, redactURLError(err)
	}
	// A small drain lets the connection be reused; upload answers are tiny.
	_, _ = io.CopyN(io.Discard, resp.Body, 64<<10)
	_ = resp.Body.Close()
	r := putResult{status: resp.StatusCode}
	if vs := resp.Header.Values("Etag"); len(vs) > 0 {
		r.etag = vs[0]
	}
	return r, nil
}

// redactURLError replaces the URL in a *url.Error (which net/http fills
// with the request URL, signature included) by one whose query values are
// redacted.
func redactURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return &url.Error{Op: ue.Op, URL: restli.RedactURL(ue.URL), Err: ue.Err}
	}
	return err
}

// checkETag classifies a part's ETag: missing, weak or usable.
func checkETag(part int, etag string) error {
	switch {
	case strings.TrimSpace(etag) == "":
		return &ETagError{Part: part}
	case strings.HasPrefix(etag, "W/"):
		return &ETagError{Part: part, Weak: true}
	}
	return nil
}

// expiredStatus reports whether an upload host's status says the
// pre-signed URL is no longer valid.
func expiredStatus(code int) bool {
	return code == http.StatusForbidden || code == http.StatusGone
}
