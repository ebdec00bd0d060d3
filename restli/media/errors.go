// This file holds the typed errors of package media: one type per failure a
// caller branches on, each with an ErrorType for OpenTelemetry. No error text
// holds an upload URL's query (its signature), an upload token or a bearer
// token.

package media

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/linkedin-go/linkedin/restli"
)

// Sentinel errors, matched with errors.Is by the typed errors below.
var (
	// ErrExpired is matched by an *ExpiredError: the upload URLs (or a saved
	// UploadState) expired, and the upload must start over.
	ErrExpired = errors.New("media: upload URLs expired")
	// ErrProcessingFailed is matched by a *ProcessingFailedError: LinkedIn
	// took the bytes but reports PROCESSING_FAILED.
	ErrProcessingFailed = errors.New("media: LinkedIn could not process the media")
	// ErrMissingETag and ErrWeakETag are matched by an *ETagError.
	ErrMissingETag = errors.New("media: part upload answered without an ETag")
	ErrWeakETag    = errors.New("media: part upload answered with a weak ETag")
)

// CodeWaitingUpload is the error code LinkedIn answers a post that names a
// media URN which is not AVAILABLE yet.
const CodeWaitingUpload = "MEDIA_ASSET_WAITING_UPLOAD"

// IsWaitingUpload reports whether err is LinkedIn's answer to a post (or
// another call) naming a media URN that is not AVAILABLE yet: a
// *restli.Error with code MEDIA_ASSET_WAITING_UPLOAD (or that code in its
// message). WaitAvailable, then the same call again, is the cure.
func IsWaitingUpload(err error) bool {
	var e *restli.Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Code == CodeWaitingUpload || strings.Contains(e.Message, CodeWaitingUpload)
}

// LimitError reports a source outside LinkedIn's limits (size, type, pixel
// count, GIF frames), found before any request was sent.
type LimitError struct {
	// Kind is "image", "document" or "video".
	Kind string
	// Limit names the limit: "size", "type", "pixels" or "frames".
	Limit string
	// Reason says what is wrong, e.g. "600000000 bytes, more than 524288000".
	Reason string
}

// Error implements error.
func (e *LimitError) Error() string {
	return "media: " + e.Kind + " outside LinkedIn's limits (" + e.Limit + "): " + e.Reason + "; nothing was sent"
}

// ErrorType returns "media.limit".
func (e *LimitError) ErrorType() string { return "media.limit" }

// InstructionsError reports upload instructions that do not cover
// [0, size) contiguously, in order, without overlap, or that name an
// unusable URL. Nothing was uploaded.
type InstructionsError struct {
	// Index is the instruction at fault, or -1 for the list as a whole.
	Index int
	// Reason says what is wrong.
	Reason string
}

// Error implements error.
func (e *InstructionsError) Error() string {
	if e.Index < 0 {
		return "media: invalid upload instructions: " + e.Reason
	}
	return "media: invalid upload instruction " + strconv.Itoa(e.Index) + ": " + e.Reason
}

// ErrorType returns "media.instructions".
func (e *InstructionsError) ErrorType() string { return "media.instructions" }

// UploadHostError reports an upload URL outside the upload hosts (LinkedIn's
// own, over https, or those listed with WithUploadHosts). Nothing was sent to
// it: neither the media nor any token.
type UploadHostError struct {
	// Scheme and Host are the URL's; the path and query are left out.
	Scheme, Host string
}

// Error implements error.
func (e *UploadHostError) Error() string {
	return "media: refusing to upload to " + e.Scheme + "://" + e.Host +
		": not one of LinkedIn's upload hosts over https (see WithUploadHosts)"
}

// ErrorType returns "media.upload_host".
func (e *UploadHostError) ErrorType() string { return "media.upload_host" }

// ETagError reports a part upload whose 2xx answer had no ETag, or a weak
// one (W/"…"), which cannot identify the part to finalizeUpload. It matches
// ErrMissingETag or ErrWeakETag.
type ETagError struct {
	// Part is the instruction index.
	Part int
	// Weak is set for a weak ETag, clear for a missing one.
	Weak bool
}

// Error implements error.
func (e *ETagError) Error() string {
	if e.Weak {
		return "media: part " + strconv.Itoa(e.Part) + ": the upload host answered with a weak ETag"
	}
	return "media: part " + strconv.Itoa(e.Part) + ": the upload host answered without an ETag"
}

// Is matches ErrMissingETag or ErrWeakETag.
func (e *ETagError) Is(target error) bool {
	return (target == ErrWeakETag && e.Weak) || (target == ErrMissingETag && !e.Weak)
}

// ErrorType returns "media.etag".
func (e *ETagError) ErrorType() string { return "media.etag" }

// PartError reports a part that failed after the retries of the client's
// retry layer: an error status (StatusCode) or a transport error (Err). The
// other parts were stopped; the UploadState given to WithCheckpoint holds
// the parts done, so ResumeVideo sends only the rest.
type PartError struct {
	// Part is the instruction index (-1 for captions or a thumbnail);
	// FirstByte and LastByte its range.
	Part                int
	FirstByte, LastByte int64
	// StatusCode is the upload host's answer, 0 for a transport error.
	StatusCode int
	// Err is the transport error, if any.
	Err error
}

// Error implements error.
func (e *PartError) Error() string {
	s := fmt.Sprintf("media: part %d (bytes %d-%d) failed", e.Part, e.FirstByte, e.LastByte)
	if e.Part < 0 {
		s = "media: upload failed"
	}
	if e.StatusCode != 0 {
		s += ": upload host answered " + strconv.Itoa(e.StatusCode)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the transport error.
func (e *PartError) Unwrap() error { return e.Err }

// ErrorType returns "media.part".
func (e *PartError) ErrorType() string { return "media.part" }

// ExpiredError reports upload URLs that expired: a saved UploadState past
// its expiry (nothing sent), or an upload host that refused a part with 403
// or 410, as hosts do for an expired pre-signed URL. It matches ErrExpired.
// The upload cannot be resumed: start a new one.
type ExpiredError struct {
	// URN is the media URN of the abandoned upload.
	URN string
	// ExpiresAt is when the URLs expire(d), when known.
	ExpiresAt time.Time
	// StatusCode is the upload host's answer, 0 when the expiry was found
	// before sending.
	StatusCode int
}

// Error implements error.
func (e *ExpiredError) Error() string {
	s := "media: the upload URLs of " + e.URN
	if e.StatusCode != 0 {
		s += " were refused with " + strconv.Itoa(e.StatusCode)
	}
	if !e.ExpiresAt.IsZero() {
		s += " (they expire at " + e.ExpiresAt.UTC().Format(time.RFC3339) + ")"
	}
	return s + "; the upload cannot be resumed: start a new one"
}

// Is matches ErrExpired.
func (e *ExpiredError) Is(target error) bool { return target == ErrExpired }

// ErrorType returns "media.expired".
func (e *ExpiredError) ErrorType() string { return "media.expired" }

// ProcessingFailedError reports media LinkedIn took but could not process
// (status PROCESSING_FAILED). It matches ErrProcessingFailed.
type ProcessingFailedError struct {
	URN string
}

// Error implements error.
func (e *ProcessingFailedError) Error() string {
	return "media: LinkedIn reports PROCESSING_FAILED for " + e.URN
}

// Is matches ErrProcessingFailed.
func (e *ProcessingFailedError) Is(target error) bool { return target == ErrProcessingFailed }

// ErrorType returns "media.processing_failed".
func (e *ProcessingFailedError) ErrorType() string { return "media.processing_failed" }

// WaitError reports media that was not AVAILABLE when the bounded wait of
// WithWait ended.
type WaitError struct {
	URN string
	// Status is the last status LinkedIn reported.
	Status string
	// Polls is how many times the status was read.
	Polls int
}

// Error implements error.
func (e *WaitError) Error() string {
	return "media: " + e.URN + " still " + e.Status + " after " + strconv.Itoa(e.Polls) + " status reads"
}

// ErrorType returns "media.wait".
func (e *WaitError) ErrorType() string { return "media.wait" }

// SourceError reports a source that could not be read, or whose length is
// not the size given.
type SourceError struct {
	Reason string
	Err    error
}

// Error implements error.
func (e *SourceError) Error() string {
	s := "media: source: " + e.Reason
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the read error, if any.
func (e *SourceError) Unwrap() error { return e.Err }

// ErrorType returns "media.source".
func (e *SourceError) ErrorType() string { return "media.source" }

// StateError reports an UploadState that cannot be used: malformed JSON,
// missing fields, instructions that do not cover the file, a different
// source size. Nothing was sent.
type StateError struct {
	Reason string
}

// Error implements error.
func (e *StateError) Error() string { return "media: invalid upload state: " + e.Reason }

// ErrorType returns "media.state".
func (e *StateError) ErrorType() string { return "media.state" }
