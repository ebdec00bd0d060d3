// This file tests image and document uploads against restlitest, their
// limits, and the post check: a post naming media that is not AVAILABLE
// gets LinkedIn's MEDIA_ASSET_WAITING_UPLOAD.

package media_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/media"
	"github.com/linkedin-go/linkedin/restli/restlitest"
)

// zeros is an endless io.ReaderAt of zero bytes.
type zeros struct{}

func (zeros) ReadAt(p []byte, off int64) (int, error) { clear(p); return len(p), nil }

// onlyReader hides every method but Read, so the source is buffered.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

func TestUploadImageAndDocument(t *testing.T) {
	img := pngImage(t)
	pdf := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("x"), 5000)...)
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		upload func(ctx context.Context, rc *restli.Client, o string, r io.Reader, opts ...media.Option) (string, error)
		open   func() io.Reader
		data   []byte
		prefix string
	}{
		{"image from bytes.Reader", media.UploadImage, func() io.Reader { return bytes.NewReader(img) }, img, "urn:li:image:"},
		{"image from a plain reader", media.UploadImage, func() io.Reader { return onlyReader{bytes.NewReader(img)} }, img, "urn:li:image:"},
		{"document from a file", media.UploadDocument, func() io.Reader {
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { f.Close() })
			return f
		}, pdf, "urn:li:document:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, rc := newServer(t)
			srv.FailUploadPart(0, 1, http.StatusServiceUnavailable) // resent by the retry layer
			var got media.Progress
			urn, err := tc.upload(context.Background(), rc, owner, tc.open(),
				media.WithUploadHosts(srv.UploadHost()), media.WithWait(5*time.Second, time.Millisecond),
				media.WithProgress(func(p media.Progress) { got = p }))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(urn, tc.prefix) {
				t.Errorf("urn %s", urn)
			}
			a, _ := srv.MediaAsset(urn)
			if a.Status != media.StatusAvailable || a.Size != int64(len(tc.data)) || a.PartCRC32[0] != crc32.ChecksumIEEE(tc.data) {
				t.Errorf("asset %+v", a)
			}
			if a.PutsWithToken != 0 {
				t.Error("the upload carried a token")
			}
			if got.BytesDone != int64(len(tc.data)) {
				t.Errorf("progress %+v", got)
			}
		})
	}
}

// pngHeader returns the start of a PNG of w × h pixels: enough for
// image.DecodeConfig.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2
	binary.Write(&b, binary.BigEndian, uint32(13))
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

// gifWithFrames returns a GIF of n 1×1 frames.
func gifWithFrames(n int) []byte {
	b := []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff")
	for range n {
		b = append(b, 0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0x02, 0x02, 0x44, 0x01, 0x00)
	}
	return append(b, 0x3B)
}

func TestUploadImage_LimitsCheckedBeforeAnyRequest(t *testing.T) {
	for _, tc := range []struct {
		name  string
		data  []byte
		opts  []media.Option
		limit string
	}{
		{"not an image", []byte("BM not a bitmap we take"), nil, "type"},
		{"too many pixels", pngHeader(8000, 5000), nil, "pixels"},
		{"too many frames", gifWithFrames(251), nil, "frames"},
		{"too many bytes", gifWithFrames(3), []media.Option{media.WithMaxImageBytes(10)}, "size"},
		{"empty", nil, nil, "size"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, rc := newServer(t)
			_, err := media.UploadImage(context.Background(), rc, owner, onlyReader{bytes.NewReader(tc.data)}, tc.opts...)
			var le *media.LimitError
			if !errors.As(err, &le) || le.Limit != tc.limit {
				t.Fatalf("err = %v, want a %s LimitError", err, tc.limit)
			}
			if n := srv.Count(nil); n != 0 {
				t.Errorf("%d requests, want none", n)
			}
		})
	}
	t.Run("250 frames are fine", func(t *testing.T) {
		srv, rc := newServer(t)
		if _, err := media.UploadImage(context.Background(), rc, owner, bytes.NewReader(gifWithFrames(250)),
			media.WithUploadHosts(srv.UploadHost())); err != nil {
			t.Fatal(err)
		}
	})
}

func TestUploadDocument_Limits(t *testing.T) {
	srv, rc := newServer(t)
	for name, src := range map[string]io.Reader{
		"not a document": onlyReader{strings.NewReader("just text, no magic")},
		// A sized source is measured, not read: nothing is buffered.
		"too large": io.NewSectionReader(zeros{}, 0, media.MaxDocumentBytes+1),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := media.UploadDocument(context.Background(), rc, owner, src)
			var le *media.LimitError
			if !errors.As(err, &le) {
				t.Fatalf("err = %v, want a LimitError", err)
			}
		})
	}
	if n := srv.Count(nil); n != 0 {
		t.Errorf("%d requests, want none", n)
	}
}

func TestPost_WithMediaNotAvailableGetsWaitingUpload(t *testing.T) {
	srv, rc := newServer(t)
	srv.SetMediaOptions(restlitest.MediaOptions{PartSize: partLen, ProcessingDelay: time.Hour})
	ctx := context.Background()
	urn, err := media.UploadImage(ctx, rc, owner, bytes.NewReader(pngImage(t)), media.WithUploadHosts(srv.UploadHost()))
	if err != nil {
		t.Fatal(err)
	}
	post := map[string]any{
		"author": owner, "commentary": "with an image", "visibility": "PUBLIC", "lifecycleState": "PUBLISHED",
		"distribution": map[string]any{"feedDistribution": "MAIN_FEED"},
		"content":      map[string]any{"media": map[string]any{"id": urn, "altText": "a dot"}},
	}
	_, err = rc.Create(ctx, restli.CreateRequest{ResourcePath: "/posts", Entity: post})
	if !media.IsWaitingUpload(err) {
		t.Fatalf("err = %v, want MEDIA_ASSET_WAITING_UPLOAD", err)
	}
	srv.Advance(2 * time.Hour)
	if err := media.WaitAvailable(ctx, rc, urn, media.WithWait(time.Second, time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if _, err := rc.Create(ctx, restli.CreateRequest{ResourcePath: "/posts", Entity: post}); err != nil {
		t.Fatalf("post once AVAILABLE: %v", err)
	}
	if media.IsWaitingUpload(errors.New(media.CodeWaitingUpload)) {
		t.Error("IsWaitingUpload matched an error that is not a restli.Error")
	}
}

func TestPost_WithFailedMediaIsRefused(t *testing.T) {
	srv, rc := newServer(t)
	srv.FailMediaProcessing(1)
	ctx := context.Background()
	urn, err := media.UploadImage(ctx, rc, owner, bytes.NewReader(pngImage(t)), media.WithUploadHosts(srv.UploadHost()))
	if err != nil {
		t.Fatal(err)
	}
	_, err = rc.Create(ctx, restli.CreateRequest{ResourcePath: "/posts", Entity: map[string]any{
		"author": owner, "content": map[string]any{"media": map[string]any{"id": urn}}}})
	var e *restli.Error
	if !errors.As(err, &e) || e.Code != restlitest.CodeMediaProcessingFailed {
		t.Fatalf("err = %v, want MEDIA_ASSET_PROCESSING_FAILED", err)
	}
	if st, err := media.Status(ctx, rc, urn); err != nil || st != media.StatusProcessingFailed {
		t.Errorf("Status = %q, %v", st, err)
	}
}
