// This file holds the resumable upload state: what a caller persists to
// resume a video upload after a crash, and its decoding and checks.

package media

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// stateFormat is the version of the UploadState JSON layout.
const stateFormat = 1

// maxStateBytes bounds the JSON DecodeState accepts.
const maxStateBytes = 16 << 20

// UploadState is the resumable state of a video upload: the media URN, the
// upload instructions, the upload token, the ETag of every part done and
// when the upload URLs expire. WithCheckpoint hands it out after every
// part; it marshals to JSON (json.Marshal) and back (DecodeState), and
// ResumeVideo continues from it, sending only the parts without an ETag.
//
// It holds the pre-signed upload URLs and the upload token, which let
// anyone upload to this video until ExpiresAt: store it accordingly. Its
// String method, used by fmt and loggers, leaves them out.
type UploadState struct {
	// Format is the layout version (1).
	Format int `json:"format"`
	// URN is the video's URN (urn:li:video:…).
	URN string `json:"urn"`
	// Owner is the owner URN the upload was initialized for.
	Owner string `json:"owner"`
	// Size is the video's size in bytes.
	Size int64 `json:"size"`
	// UploadToken is finalizeUpload's uploadToken ("" for single-part
	// uploads, as LinkedIn sends it).
	UploadToken string `json:"uploadToken"`
	// Instructions are the parts, in order.
	Instructions []Instruction `json:"instructions"`
	// ETags holds, per instruction, the ETag of the part once uploaded,
	// exactly as the upload host sent it; "" for a part not done yet.
	ETags []string `json:"etags"`
	// ExpiresAt is when the upload URLs expire (zero when LinkedIn did not
	// say).
	ExpiresAt time.Time `json:"expiresAt"`
	// CaptionsURL and ThumbnailURL are the extra upload URLs, when asked
	// for; CaptionsDone and ThumbnailDone say they were uploaded.
	CaptionsURL   string `json:"captionsUrl,omitempty"`
	ThumbnailURL  string `json:"thumbnailUrl,omitempty"`
	CaptionsDone  bool   `json:"captionsDone,omitempty"`
	ThumbnailDone bool   `json:"thumbnailDone,omitempty"`
	// Finalized is set once finalizeUpload succeeded.
	Finalized bool `json:"finalized,omitempty"`
}

// DecodeState decodes a state saved with json.Marshal and checks it: the
// format, a video URN, instructions covering [0, Size), one ETag slot per
// instruction. A state that cannot be used is a *StateError. Expiry is
// checked by ResumeVideo, against the time of the resume.
func DecodeState(data []byte) (*UploadState, error) {
	if len(data) > maxStateBytes {
		return nil, &StateError{Reason: "larger than " + strconv.Itoa(maxStateBytes) + " bytes"}
	}
	var s UploadState
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&s); err != nil {
		return nil, &StateError{Reason: "malformed JSON"}
	}
	if dec.More() {
		return nil, &StateError{Reason: "trailing data after the JSON object"}
	}
	if err := s.validate(); err != nil {
		return nil, err
	}
	return &s, nil
}

// validate checks the state's consistency.
func (s *UploadState) validate() error {
	switch {
	case s.Format != stateFormat:
		return &StateError{Reason: "unknown format " + strconv.Itoa(s.Format)}
	case !strings.HasPrefix(s.URN, "urn:li:video:") || len(s.URN) == len("urn:li:video:"):
		return &StateError{Reason: "urn is not a video URN"}
	case len(s.ETags) != len(s.Instructions):
		return &StateError{Reason: strconv.Itoa(len(s.ETags)) + " ETag slots for " +
			strconv.Itoa(len(s.Instructions)) + " instructions"}
	}
	if err := validateInstructions(s.Instructions, s.Size); err != nil {
		return &StateError{Reason: err.Error()}
	}
	for i, e := range s.ETags {
		if strings.HasPrefix(e, "W/") {
			return &StateError{Reason: "weak ETag for part " + strconv.Itoa(i)}
		}
	}
	return nil
}

// PartsDone returns how many parts have an ETag.
func (s *UploadState) PartsDone() int {
	n := 0
	for _, e := range s.ETags {
		if e != "" {
			n++
		}
	}
	return n
}

// bytesDone returns the bytes of the parts that have an ETag.
func (s *UploadState) bytesDone() int64 {
	var n int64
	for i, e := range s.ETags {
		if e != "" {
			n += s.Instructions[i].Len()
		}
	}
	return n
}

// Expired reports whether the upload URLs have expired at now.
func (s *UploadState) Expired(now time.Time) bool {
	return !s.ExpiresAt.IsZero() && !now.Before(s.ExpiresAt)
}

// clone returns a deep copy, for a checkpoint.
func (s *UploadState) clone() *UploadState {
	c := *s
	c.Instructions = append([]Instruction(nil), s.Instructions...)
	c.ETags = append([]string(nil), s.ETags...)
	return &c
}

// String describes the state without its upload URLs or upload token.
func (s *UploadState) String() string {
	return "media.UploadState{" + s.URN + ", " + strconv.FormatInt(s.Size, 10) + " bytes, " +
		strconv.Itoa(s.PartsDone()) + "/" + strconv.Itoa(len(s.Instructions)) + " parts done, expires " +
		s.ExpiresAt.UTC().Format(time.RFC3339) + "}"
}
