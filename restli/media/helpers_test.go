// This file holds the helpers of the media tests: a fake server with fast
// retries, sample media, and request counting.

package media_test

import (
	"bytes"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
	"github.com/linkedin-go/linkedin/transport"
)

const (
	owner = "urn:li:organization:2414183"
	// partLen is the fake server's part size in these tests: LinkedIn's 4
	// MiB would only make them slower (the benchmark and the examples use
	// it).
	partLen = 256 << 10
)

// fastRetry makes the stack's retry layer resend at once, so tests that
// inject part failures do not wait for the default backoff.
func fastRetry() restlitest.Option {
	return restlitest.WithTransportOptions(transport.WithRetry(middleware.RetryOptions{
		MaxAttempts: 4, RetryWaitMin: time.Millisecond, RetryWaitMax: 2 * time.Millisecond,
	}))
}

// newServer starts a fake LinkedIn with fast retries and returns it with a
// Rest.li client over its default stack; it is closed at the end of the
// test.
func newServer(t testing.TB, opts ...restlitest.Option) (*restlitest.Server, *restli.Client) {
	t.Helper()
	srv := restlitest.NewServer(append([]restlitest.Option{fastRetry()}, opts...)...)
	t.Cleanup(srv.Close)
	srv.SetMediaOptions(restlitest.MediaOptions{PartSize: partLen})
	return srv, srv.RestliClient()
}

// video returns n bytes that start like an MP4 file (an ftyp box).
func video(n int) []byte {
	b := make([]byte, n)
	var seed [32]byte
	seed[0] = byte(n)
	_, _ = rand.NewChaCha8(seed).Read(b)
	copy(b, "\x00\x00\x00\x18ftypmp42")
	return b
}

// partCRCs returns the CRC-32 of each partLen slice of b.
func partCRCs(b []byte, part int) []uint32 {
	var out []uint32
	for i := 0; i < len(b); i += part {
		out = append(out, crc32.ChecksumIEEE(b[i:min(i+part, len(b))]))
	}
	return out
}

// pngImage returns a small PNG.
func pngImage(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	img.Set(1, 1, color.RGBA{255, 0, 0, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// uploads counts the requests the server got on its upload host.
func uploads(srv *restlitest.Server) int {
	return srv.Count(func(r restlitest.Request) bool { return strings.HasPrefix(r.Path, "/dms-uploads/") })
}

// fmtV formats v as fmt's %v does.
func fmtV(v any) string { return fmt.Sprintf("%v", v) }
