// This file uploads videos: initializeUpload, the parts (in parallel from an
// io.ReaderAt, one by one from an io.Reader), captions and thumbnail,
// finalizeUpload and the optional wait, and resumes a saved UploadState.

package media

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/linkedin-go/linkedin/restli"
)

// UploadVideo uploads an MP4 video of size bytes read from r and returns its
// URN (urn:li:video:…) once finalizeUpload succeeded, and, with WithWait,
// once LinkedIn reports it AVAILABLE. owner is the URN of the member or
// organization that will own it.
//
// Before any request it checks the size against LinkedIn's limits
// (MinVideoBytes to WithMaxVideoBytes, 500 MB by default) and that r holds
// an MP4 (an ftyp box). Before sending a byte it checks that the upload
// instructions cover [0, size) in order without gap or overlap and that
// every upload URL points to an upload host (see WithUploadHosts). The
// parts are then uploaded WithParallelism at a time, each streamed from r
// (never buffered), through rc's *http.Client: its retry layer resends a
// failed part on its own, never the whole upload (a client without a retry
// layer sends each part once; ResumeVideo then continues a failed upload).
// Part uploads carry no token (see WithUploadAuthorization).
//
// Each part's ETag goes to finalizeUpload exactly as the upload host sent
// it, quotes included when there are any: LinkedIn's part ids are opaque
// strings it compares as issued (its upload host sends them unquoted,
// outside RFC 9110's syntax), so stripping or adding quotes could only break
// the match. A missing or weak ETag fails the part with an *ETagError.
//
// When the upload fails after initialization the URN is returned with the
// error; the state WithCheckpoint received lets ResumeVideo continue.
func UploadVideo(ctx context.Context, rc *restli.Client, owner string, r io.ReaderAt, size int64, opts ...Option) (string, error) {
	cfg := newConfig(opts)
	if r == nil {
		return "", &restli.ValidationError{Field: "r", Reason: "nil source"}
	}
	if err := checkVideo(cfg, owner, size); err != nil {
		return "", err
	}
	if err := sniffVideoAt(r, size); err != nil {
		return "", err
	}
	s, err := initVideo(ctx, rc, cfg, owner, size)
	if err != nil {
		return "", err
	}
	return s.URN, run(ctx, rc, cfg, s, atSource{r})
}

// UploadVideoFrom is UploadVideo for a source that can only be read once,
// in order (a pipe, a network stream): the parts are uploaded one at a
// time, each read into one reused buffer of the part's size (4 MiB at
// LinkedIn) so that the retry layer can resend it. r must hold exactly size
// bytes; a shorter or longer source fails with a *SourceError.
func UploadVideoFrom(ctx context.Context, rc *restli.Client, owner string, r io.Reader, size int64, opts ...Option) (string, error) {
	cfg := newConfig(opts)
	if r == nil {
		return "", &restli.ValidationError{Field: "r", Reason: "nil source"}
	}
	if err := checkVideo(cfg, owner, size); err != nil {
		return "", err
	}
	head := make([]byte, 12)
	k, err := io.ReadFull(r, head)
	if err != nil && k < len(head) && int64(k) < size {
		return "", &SourceError{Reason: "shorter than its size", Err: err}
	}
	if err := sniffVideo(head[:k]); err != nil {
		return "", err
	}
	s, err := initVideo(ctx, rc, cfg, owner, size)
	if err != nil {
		return "", err
	}
	return s.URN, run(ctx, rc, cfg, s, &streamSource{r: io.MultiReader(bytes.NewReader(head[:k]), r)})
}

// ResumeVideo continues the upload that state describes (a state handed to
// WithCheckpoint, possibly saved and read back with DecodeState), reading
// from r, which must hold the same bytes. Parts that have an ETag are not
// sent again. A state whose upload URLs have expired fails at once with an
// *ExpiredError (nothing is sent): start a new upload. It returns the URN.
// Pass the options of the first call again (WithCaptions and WithThumbnail
// in particular: their data is not part of the state).
func ResumeVideo(ctx context.Context, rc *restli.Client, state *UploadState, r io.ReaderAt, opts ...Option) (string, error) {
	if r == nil {
		return "", &restli.ValidationError{Field: "r", Reason: "nil source"}
	}
	return resume(ctx, rc, state, atSource{r}, opts)
}

// ResumeVideoFrom is ResumeVideo for a source read once, in order, from its
// first byte: the bytes of the parts already done are read and skipped.
func ResumeVideoFrom(ctx context.Context, rc *restli.Client, state *UploadState, r io.Reader, opts ...Option) (string, error) {
	if r == nil {
		return "", &restli.ValidationError{Field: "r", Reason: "nil source"}
	}
	return resume(ctx, rc, state, &streamSource{r: r}, opts)
}

func resume(ctx context.Context, rc *restli.Client, state *UploadState, src source, opts []Option) (string, error) {
	cfg := newConfig(opts)
	if state == nil {
		return "", &StateError{Reason: "nil state"}
	}
	if err := state.validate(); err != nil {
		return "", err
	}
	s := state.clone()
	if !s.Finalized && s.Expired(cfg.now()) {
		return s.URN, &ExpiredError{URN: s.URN, ExpiresAt: s.ExpiresAt}
	}
	return s.URN, run(ctx, rc, cfg, s, src)
}

// checkVideo checks the arguments and LinkedIn's size limits.
func checkVideo(cfg *config, owner string, size int64) error {
	if err := checkOwner(owner); err != nil {
		return err
	}
	if size <= 0 {
		return &restli.ValidationError{Field: "size", Reason: "not positive"}
	}
	if size < cfg.minVideoBytes {
		return &LimitError{Kind: "video", Limit: "size", Reason: strconv.FormatInt(size, 10) +
			" bytes, fewer than " + strconv.FormatInt(cfg.minVideoBytes, 10)}
	}
	if cfg.maxVideoBytes > 0 && size > cfg.maxVideoBytes {
		return &LimitError{Kind: "video", Limit: "size", Reason: strconv.FormatInt(size, 10) +
			" bytes, more than " + strconv.FormatInt(cfg.maxVideoBytes, 10)}
	}
	return nil
}

// checkOwner accepts a member or organization URN (LinkedIn's owners).
func checkOwner(owner string) error {
	for _, p := range []string{"urn:li:person:", "urn:li:organization:", "urn:li:organizationBrand:"} {
		if strings.HasPrefix(owner, p) && len(owner) > len(p) {
			return nil
		}
	}
	return &restli.ValidationError{Field: "owner", Reason: "not a person or organization URN"}
}

// source gives the bytes of a part.
type source interface {
	// sequential reports whether parts must be read in order, one at a time.
	sequential() bool
}

// atSource reads parts independently from an io.ReaderAt.
type atSource struct{ r io.ReaderAt }

func (atSource) sequential() bool { return false }

func (a atSource) open(in Instruction) func() io.ReadCloser {
	return func() io.ReadCloser { return io.NopCloser(io.NewSectionReader(a.r, in.FirstByte, in.Len())) }
}

// streamSource reads parts in order from an io.Reader, one buffer at a time.
type streamSource struct {
	r   io.Reader
	pos int64
	buf []byte
}

func (*streamSource) sequential() bool { return true }

// read returns the bytes of in, skipping what lies before it.
func (s *streamSource) read(in Instruction) ([]byte, error) {
	if skip := in.FirstByte - s.pos; skip > 0 {
		k, err := io.CopyN(io.Discard, s.r, skip)
		s.pos += k
		if err != nil {
			return nil, &SourceError{Reason: "shorter than its size", Err: err}
		}
	}
	n := int(in.Len())
	if cap(s.buf) < n {
		s.buf = make([]byte, n)
	}
	b := s.buf[:n]
	k, err := io.ReadFull(s.r, b)
	s.pos += int64(k)
	if err != nil {
		return nil, &SourceError{Reason: "shorter than its size", Err: err}
	}
	return b, nil
}

// tracker records finished parts: it updates the state and calls the
// checkpoint and progress callbacks, one call at a time.
type tracker struct {
	mu  sync.Mutex
	cfg *config
	s   *UploadState
}

func (t *tracker) done(i int, etag string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.s.ETags[i] = etag
	if t.cfg.progress != nil {
		t.cfg.progress(Progress{
			Part: i, PartBytes: t.s.Instructions[i].Len(),
			PartsDone: t.s.PartsDone(), PartsTotal: len(t.s.Instructions),
			BytesDone: t.s.bytesDone(), BytesTotal: t.s.Size,
		})
	}
	t.checkpointLocked()
}

func (t *tracker) update(f func(s *UploadState)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f(t.s)
	t.checkpointLocked()
}

func (t *tracker) checkpointLocked() {
	if t.cfg.checkpoint != nil {
		t.cfg.checkpoint(t.s.clone())
	}
}

// run uploads what s still lacks, finalizes and waits as configured.
func run(ctx context.Context, rc *restli.Client, cfg *config, s *UploadState, src source) error {
	if err := validateInstructions(s.Instructions, s.Size); err != nil {
		return err
	}
	urls := make([]string, 0, len(s.Instructions)+2)
	for _, in := range s.Instructions {
		urls = append(urls, in.UploadURL)
	}
	if cfg.captions != nil && s.CaptionsURL != "" {
		urls = append(urls, s.CaptionsURL)
	}
	if cfg.thumbnail != nil && s.ThumbnailURL != "" {
		urls = append(urls, s.ThumbnailURL)
	}
	if err := parseUploadHosts(cfg.uploadHosts).checkAll(urls); err != nil {
		return err
	}
	t := &tracker{cfg: cfg, s: s}
	t.update(func(*UploadState) {})
	hc := rc.HTTPClient()
	if !s.Finalized {
		var err error
		if ss, ok := src.(*streamSource); ok {
			err = uploadSequential(ctx, hc, cfg, s, ss, t)
		} else {
			err = uploadParallel(ctx, hc, cfg, s, src.(atSource), t)
		}
		if err != nil {
			return err
		}
		if err := uploadExtras(ctx, hc, cfg, s, t); err != nil {
			return err
		}
		if err := finalize(ctx, rc, cfg, s); err != nil {
			return err
		}
		t.update(func(s *UploadState) { s.Finalized = true })
	}
	if cfg.wait > 0 {
		return waitAvailable(ctx, rc, cfg, s.URN)
	}
	return nil
}

// sendPart PUTs one part and turns the answer into its ETag or an error.
func sendPart(ctx context.Context, hc *http.Client, cfg *config, s *UploadState, i int, open func() io.ReadCloser) (string, error) {
	in := s.Instructions[i]
	res, err := put(ctx, hc, in.UploadURL, in.Len(), open, cfg.uploadWithAuth)
	if err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", &PartError{Part: i, FirstByte: in.FirstByte, LastByte: in.LastByte, Err: err}
	}
	switch {
	case expiredStatus(res.status):
		return "", &ExpiredError{URN: s.URN, ExpiresAt: s.ExpiresAt, StatusCode: res.status}
	case res.status < 200 || res.status > 299:
		return "", &PartError{Part: i, FirstByte: in.FirstByte, LastByte: in.LastByte, StatusCode: res.status}
	}
	if err := checkETag(i, res.etag); err != nil {
		return "", err
	}
	return res.etag, nil
}

// uploadParallel uploads the parts without an ETag, cfg.parallelism at a
// time. The first failure stops the others: no part starts after it, and
// those in flight are cancelled.
func uploadParallel(ctx context.Context, hc *http.Client, cfg *config, s *UploadState, src atSource, t *tracker) error {
	var todo []int
	for i, e := range s.ETags {
		if e == "" {
			todo = append(todo, i)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work := make(chan int)
	var (
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
	)
	fail := func(err error) {
		errOnce.Do(func() { firstErr = err; cancel() })
	}
	for w := 0; w < min(cfg.parallelism, len(todo)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				if err := ctx.Err(); err != nil {
					fail(err) // no part starts once the upload is stopping
					continue
				}
				etag, err := sendPart(ctx, hc, cfg, s, i, src.open(s.Instructions[i]))
				if err != nil {
					fail(err)
					continue
				}
				t.done(i, etag)
			}
		}()
	}
feed:
	for _, i := range todo {
		select {
		case work <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

// uploadSequential uploads the parts in order from a stream, one buffered
// part at a time, then checks that the stream holds no more than size
// bytes.
func uploadSequential(ctx context.Context, hc *http.Client, cfg *config, s *UploadState, src *streamSource, t *tracker) error {
	for i, in := range s.Instructions {
		if s.ETags[i] != "" {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		b, err := src.read(in)
		if err != nil {
			return err
		}
		etag, err := sendPart(ctx, hc, cfg, s, i, func() io.ReadCloser { return io.NopCloser(bytes.NewReader(b)) })
		if err != nil {
			return err
		}
		t.done(i, etag)
	}
	if skip := s.Size - src.pos; skip > 0 {
		if _, err := io.CopyN(io.Discard, src.r, skip); err != nil {
			return &SourceError{Reason: "shorter than its size", Err: err}
		}
		src.pos = s.Size
	}
	var one [1]byte
	if k, _ := io.ReadFull(src.r, one[:]); k > 0 {
		return &SourceError{Reason: "longer than its size " + strconv.FormatInt(s.Size, 10)}
	}
	return nil
}

// uploadExtras uploads the captions and the thumbnail, when asked for and
// not done yet.
func uploadExtras(ctx context.Context, hc *http.Client, cfg *config, s *UploadState, t *tracker) error {
	extras := []struct {
		data []byte
		url  string
		done *bool
		what string
	}{
		{cfg.captions, s.CaptionsURL, &s.CaptionsDone, "captions"},
		{cfg.thumbnail, s.ThumbnailURL, &s.ThumbnailDone, "thumbnail"},
	}
	for _, x := range extras {
		if x.data == nil || *x.done {
			continue
		}
		if x.url == "" {
			return &InstructionsError{Index: -1, Reason: "initializeUpload returned no " + x.what + " upload URL"}
		}
		data := x.data
		res, err := put(ctx, hc, x.url, int64(len(data)), func() io.ReadCloser { return io.NopCloser(bytes.NewReader(data)) }, cfg.uploadWithAuth)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return &PartError{Part: -1, Err: errors.New(x.what + ": " + err.Error())}
		}
		if expiredStatus(res.status) {
			return &ExpiredError{URN: s.URN, ExpiresAt: s.ExpiresAt, StatusCode: res.status}
		}
		if res.status < 200 || res.status > 299 {
			return &PartError{Part: -1, StatusCode: res.status, Err: errors.New(x.what)}
		}
		done := x.done
		t.update(func(*UploadState) { *done = true })
	}
	return nil
}
