// This file holds the options of the upload calls and their defaults.

package media

import (
	"time"
)

// LinkedIn's documented limits, and this package's defaults.
const (
	// MaxImagePixels bounds width × height of an image: LinkedIn accepts
	// images under 36,152,320 pixels.
	MaxImagePixels = 36_152_320
	// MaxGIFFrames is the most frames LinkedIn accepts in a GIF.
	MaxGIFFrames = 250
	// MaxDocumentBytes is LinkedIn's document size limit (100 MB).
	MaxDocumentBytes = 100_000_000
	// DefaultMaxImageBytes bounds images (LinkedIn bounds pixels, not
	// bytes; this bound keeps a buffered io.Reader source in check).
	DefaultMaxImageBytes = 100 << 20
	// MinVideoBytes is the smallest video LinkedIn documents (75 KB).
	MinVideoBytes = 75_000
	// DefaultMaxVideoBytes is the video size limit checked by default: 500
	// MB, as LinkedIn's prose says (its schema allows 5 GB; raise the limit
	// with WithMaxVideoBytes).
	DefaultMaxVideoBytes = 500_000_000
	// DefaultParallelism is how many parts of a video are uploaded at once.
	DefaultParallelism = 4
	// MaxPartBytes bounds one upload instruction's range (LinkedIn's parts
	// are 4 MiB), so that a sequential upload buffers a bounded amount.
	MaxPartBytes = 64 << 20
	// DefaultPollInterval is the pause between status reads of WithWait.
	DefaultPollInterval = 2 * time.Second
)

// Option configures an upload call.
type Option func(*config)

type config struct {
	parallelism    int
	progress       func(Progress)
	checkpoint     func(*UploadState)
	captions       []byte
	thumbnail      []byte
	wait           time.Duration
	pollInterval   time.Duration
	maxVideoBytes  int64
	minVideoBytes  int64
	maxImageBytes  int64
	uploadHosts    []string
	uploadWithAuth bool
	accessToken    string
	version        string
	now            func() time.Time
}

func newConfig(opts []Option) *config {
	c := &config{
		parallelism:   DefaultParallelism,
		pollInterval:  DefaultPollInterval,
		maxVideoBytes: DefaultMaxVideoBytes,
		minVideoBytes: MinVideoBytes,
		maxImageBytes: DefaultMaxImageBytes,
		now:           time.Now,
	}
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	return c
}

// Progress describes the state of an upload after a part completed.
type Progress struct {
	// Part is the instruction index of the part that just completed.
	Part int
	// PartBytes is its length.
	PartBytes int64
	// PartsDone and PartsTotal count parts, skipped ones (resumed) included.
	PartsDone, PartsTotal int
	// BytesDone and BytesTotal count bytes the same way.
	BytesDone, BytesTotal int64
}

// WithParallelism sets how many video parts are uploaded at once
// (DefaultParallelism; values below 1 mean 1). Peak memory does not grow
// with it for an io.ReaderAt source: parts are streamed from the source.
// UploadVideoFrom always uploads one part at a time.
func WithParallelism(n int) Option {
	return func(c *config) { c.parallelism = max(n, 1) }
}

// WithProgress calls fn after each part completes. Calls never overlap, so
// fn needs no lock; it must return quickly.
func WithProgress(fn func(Progress)) Option {
	return func(c *config) { c.progress = fn }
}

// WithCheckpoint calls fn with the upload's state after initialization and
// after each part completes, so that the caller can persist it
// (json.Marshal) and resume after a crash with ResumeVideo. Calls never
// overlap. The state holds the pre-signed upload URLs and the upload token:
// store it as you would store a credential that expires.
func WithCheckpoint(fn func(*UploadState)) Option {
	return func(c *config) { c.checkpoint = fn }
}

// WithCaptions asks LinkedIn for a captions upload URL and uploads data (an
// SRT file) to it with the video.
func WithCaptions(data []byte) Option {
	return func(c *config) { c.captions = data }
}

// WithThumbnail asks LinkedIn for a thumbnail upload URL and uploads data
// (a JPG or PNG image) to it with the video.
func WithThumbnail(data []byte) Option {
	return func(c *config) { c.thumbnail = data }
}

// WithWait makes the call return only once LinkedIn reports the media
// AVAILABLE, reading its status every interval (DefaultPollInterval when 0)
// for at most maxWait; then the call fails with a *WaitError. The context
// bounds the wait too. PROCESSING_FAILED ends it with a
// *ProcessingFailedError. Without WithWait the call returns once the upload
// is complete, while LinkedIn may still be processing.
func WithWait(maxWait, interval time.Duration) Option {
	return func(c *config) {
		c.wait = maxWait
		if interval > 0 {
			c.pollInterval = interval
		}
	}
}

// WithMaxVideoBytes sets the largest video accepted before any request
// (DefaultMaxVideoBytes; LinkedIn's schema allows up to 5 GB).
func WithMaxVideoBytes(n int64) Option {
	return func(c *config) { c.maxVideoBytes = n }
}

// WithMinVideoBytes sets the smallest video accepted before any request
// (MinVideoBytes; 0 turns the check off).
func WithMinVideoBytes(n int64) Option {
	return func(c *config) { c.minVideoBytes = n }
}

// WithMaxImageBytes sets the largest image accepted (DefaultMaxImageBytes).
func WithMaxImageBytes(n int64) Option {
	return func(c *config) { c.maxImageBytes = n }
}

// WithUploadHosts adds hosts ("host" or "host:port") that upload URLs may
// point to, besides LinkedIn's own (linkedin.com and its subdomains, over
// https). A loopback host listed here (localhost, 127.0.0.0/8, ::1) may be
// reached over plain http: that is how tests mark a fake server
// (restlitest.Server.UploadHost) as LinkedIn's upload host. An upload URL
// on any other host is refused with an *UploadHostError before anything is
// sent to it.
func WithUploadHosts(hosts ...string) Option {
	return func(c *config) { c.uploadHosts = append(c.uploadHosts, hosts...) }
}

// WithUploadAuthorization lets the client's token layer attach its token to
// part uploads. By default part uploads are sent with
// restli.ContextWithoutToken, so no token layer attaches one: the upload
// URLs are pre-signed. With this option the oauth layer decides, by its own
// host allow-list (transport.WithTokenHosts), https only; add
// "www.linkedin.com" to that list for the token to reach LinkedIn's upload
// host. Only for an upload host that demands the token.
func WithUploadAuthorization() Option {
	return func(c *config) { c.uploadWithAuth = true }
}

// WithAccessToken sends token as the bearer token of the Rest.li calls
// (initializeUpload, finalizeUpload, status reads), as the AccessToken
// field of a restli request does. It is never sent to an upload URL.
func WithAccessToken(token string) Option {
	return func(c *config) { c.accessToken = token }
}

// WithVersion sets the LinkedIn-Version of the Rest.li calls, winning over
// the restli.Client's default.
func WithVersion(v string) Option {
	return func(c *config) { c.version = v }
}

// WithClock makes the call read the time from now (to check a saved state's
// expiry) instead of time.Now.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.now = now
		}
	}
}
