// This file uploads images and documents: initializeUpload, one PUT of the
// whole file, and the optional wait for AVAILABLE.

package media

import (
	"bytes"
	"context"
	"io"
	"os"
	"strconv"

	"github.com/linkedin-go/linkedin/restli"
)

// UploadImage uploads a JPG, PNG or GIF image read from r and returns its
// URN (urn:li:image:…) once the upload host took it, and, with WithWait,
// once LinkedIn reports it AVAILABLE. owner is the URN of the member or
// organization that will own it.
//
// Before any request it checks the type (by its magic bytes), the pixel
// count (under MaxImagePixels), a GIF's frames (at most MaxGIFFrames) and
// the size (WithMaxImageBytes). A source that is an io.ReaderAt with a
// known size (*os.File, *bytes.Reader, *strings.Reader, *io.SectionReader)
// is streamed and can be resent by the retry layer; any other io.Reader is
// read into memory first, up to the size limit. The upload carries no token
// (see WithUploadAuthorization); its URL must point to an upload host (see
// WithUploadHosts).
func UploadImage(ctx context.Context, rc *restli.Client, owner string, r io.Reader, opts ...Option) (string, error) {
	cfg := newConfig(opts)
	return uploadSingle(ctx, rc, cfg, "image", owner, r, cfg.maxImageBytes, func(at io.ReaderAt, size int64) error {
		return checkImage(at, size)
	})
}

// UploadDocument uploads a PDF, PPT, PPTX, DOC or DOCX document of at most
// MaxDocumentBytes (LinkedIn also limits documents to 300 pages, which it
// checks itself) read from r, and returns its URN (urn:li:document:…). The
// source is handled as UploadImage handles it; so are the options.
func UploadDocument(ctx context.Context, rc *restli.Client, owner string, r io.Reader, opts ...Option) (string, error) {
	cfg := newConfig(opts)
	return uploadSingle(ctx, rc, cfg, "document", owner, r, MaxDocumentBytes, func(at io.ReaderAt, size int64) error {
		head := make([]byte, min(8, size))
		if n, err := at.ReadAt(head, 0); n < len(head) {
			return &SourceError{Reason: "cannot read the first bytes", Err: err}
		}
		return checkDocument(head)
	})
}

// sizer is a source that knows its size (bytes.Reader, strings.Reader,
// io.SectionReader).
type sizer interface{ Size() int64 }

// readerAt returns r as an io.ReaderAt with its size, reading r into
// memory (up to limit bytes) when it is not one already.
func readerAt(r io.Reader, kind string, limit int64) (io.ReaderAt, int64, error) {
	if at, ok := r.(io.ReaderAt); ok {
		switch v := r.(type) {
		case sizer:
			return at, v.Size(), nil
		case *os.File:
			if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
				return at, fi.Size(), nil
			}
		}
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, 0, &SourceError{Reason: "read failed", Err: err}
	}
	if int64(len(data)) > limit {
		return nil, 0, &LimitError{Kind: kind, Limit: "size", Reason: "more than " + strconv.FormatInt(limit, 10) + " bytes"}
	}
	return bytes.NewReader(data), int64(len(data)), nil
}

func uploadSingle(ctx context.Context, rc *restli.Client, cfg *config, kind, owner string, r io.Reader, limit int64,
	check func(io.ReaderAt, int64) error) (string, error) {
	if err := checkOwner(owner); err != nil {
		return "", err
	}
	if r == nil {
		return "", &restli.ValidationError{Field: "r", Reason: "nil source"}
	}
	at, size, err := readerAt(r, kind, limit)
	if err != nil {
		return "", err
	}
	if size == 0 {
		return "", &LimitError{Kind: kind, Limit: "size", Reason: "empty"}
	}
	if limit > 0 && size > limit {
		return "", &LimitError{Kind: kind, Limit: "size", Reason: strconv.FormatInt(size, 10) +
			" bytes, more than " + strconv.FormatInt(limit, 10)}
	}
	if err := check(at, size); err != nil {
		return "", err
	}
	urn, uploadURL, err := initSingle(ctx, rc, cfg, kind, owner)
	if err != nil {
		return "", err
	}
	u, err := parseUploadURL(uploadURL)
	if err != nil {
		return urn, &InstructionsError{Index: -1, Reason: err.Error()}
	}
	if err := parseUploadHosts(cfg.uploadHosts).check(u); err != nil {
		return urn, err
	}
	res, err := put(ctx, rc.HTTPClient(), uploadURL, size, func() io.ReadCloser {
		return io.NopCloser(io.NewSectionReader(at, 0, size))
	}, cfg.uploadWithAuth)
	if err != nil {
		if ctx.Err() != nil {
			return urn, ctx.Err()
		}
		return urn, &PartError{Part: 0, FirstByte: 0, LastByte: size - 1, Err: err}
	}
	switch {
	case expiredStatus(res.status):
		return urn, &ExpiredError{URN: urn, StatusCode: res.status}
	case res.status < 200 || res.status > 299:
		return urn, &PartError{Part: 0, FirstByte: 0, LastByte: size - 1, StatusCode: res.status}
	}
	if cfg.progress != nil {
		cfg.progress(Progress{Part: 0, PartBytes: size, PartsDone: 1, PartsTotal: 1, BytesDone: size, BytesTotal: size})
	}
	if cfg.wait > 0 {
		return urn, waitAvailable(ctx, rc, cfg, urn)
	}
	return urn, nil
}
