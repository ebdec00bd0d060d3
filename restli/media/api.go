// This file holds the Rest.li calls of an upload: initializeUpload,
// finalizeUpload and the status reads, made through the caller's
// restli.Client.

package media

import (
	"context"
	"strings"
	"time"

	"github.com/linkedin-go/linkedin/restli"
)

// The statuses LinkedIn reports for an image, document or video.
const (
	StatusWaitingUpload    = "WAITING_UPLOAD"
	StatusProcessing       = "PROCESSING"
	StatusAvailable        = "AVAILABLE"
	StatusProcessingFailed = "PROCESSING_FAILED"
)

type initVideoParams struct {
	InitializeUploadRequest initVideoRequest `json:"initializeUploadRequest"`
}

type initVideoRequest struct {
	Owner           string `json:"owner"`
	FileSizeBytes   int64  `json:"fileSizeBytes"`
	UploadCaptions  bool   `json:"uploadCaptions"`
	UploadThumbnail bool   `json:"uploadThumbnail"`
}

type initVideoValue struct {
	Video              string        `json:"video"`
	UploadURLsExpireAt int64         `json:"uploadUrlsExpireAt"`
	UploadToken        string        `json:"uploadToken"`
	UploadInstructions []Instruction `json:"uploadInstructions"`
	CaptionsUploadURL  string        `json:"captionsUploadUrl"`
	ThumbnailUploadURL string        `json:"thumbnailUploadUrl"`
}

type initSingleParams struct {
	InitializeUploadRequest struct {
		Owner string `json:"owner"`
	} `json:"initializeUploadRequest"`
}

type initSingleValue struct {
	UploadURLExpiresAt int64  `json:"uploadUrlExpiresAt"`
	UploadURL          string `json:"uploadUrl"`
	Image              string `json:"image"`
	Document           string `json:"document"`
}

type finalizeParams struct {
	FinalizeUploadRequest finalizeRequest `json:"finalizeUploadRequest"`
}

type finalizeRequest struct {
	Video           string   `json:"video"`
	UploadToken     string   `json:"uploadToken"`
	UploadedPartIds []string `json:"uploadedPartIds"`
}

type statusEntity struct {
	Status string `json:"status"`
}

func (c *config) action(resource string, params any) restli.ActionRequest {
	return restli.ActionRequest{ResourcePath: resource, ActionName: "", ActionParams: params,
		Version: c.version, AccessToken: c.accessToken}
}

// initVideo calls POST /videos?action=initializeUpload and returns the
// state of the new upload.
func initVideo(ctx context.Context, rc *restli.Client, cfg *config, owner string, size int64) (*UploadState, error) {
	req := cfg.action("/videos", initVideoParams{initVideoRequest{
		Owner: owner, FileSizeBytes: size,
		UploadCaptions: cfg.captions != nil, UploadThumbnail: cfg.thumbnail != nil,
	}})
	req.ActionName = "initializeUpload"
	res, err := restli.ActionAs[initVideoValue](ctx, rc, req)
	if err != nil {
		return nil, err
	}
	v := res.Value
	if !strings.HasPrefix(v.Video, "urn:li:video:") {
		return nil, &InstructionsError{Index: -1, Reason: "initializeUpload returned no video URN"}
	}
	s := &UploadState{
		Format:       stateFormat,
		URN:          v.Video,
		Owner:        owner,
		Size:         size,
		UploadToken:  v.UploadToken,
		Instructions: v.UploadInstructions,
		ETags:        make([]string, len(v.UploadInstructions)),
		CaptionsURL:  v.CaptionsUploadURL,
		ThumbnailURL: v.ThumbnailUploadURL,
	}
	if v.UploadURLsExpireAt > 0 {
		s.ExpiresAt = time.UnixMilli(v.UploadURLsExpireAt)
	}
	return s, nil
}

// initSingle calls POST /images or /documents ?action=initializeUpload.
func initSingle(ctx context.Context, rc *restli.Client, cfg *config, kind, owner string) (urn, uploadURL string, err error) {
	var p initSingleParams
	p.InitializeUploadRequest.Owner = owner
	req := cfg.action("/"+kind+"s", p)
	req.ActionName = "initializeUpload"
	res, err := restli.ActionAs[initSingleValue](ctx, rc, req)
	if err != nil {
		return "", "", err
	}
	urn = res.Value.Image
	if kind == "document" {
		urn = res.Value.Document
	}
	if !strings.HasPrefix(urn, "urn:li:"+kind+":") {
		return "", "", &InstructionsError{Index: -1, Reason: "initializeUpload returned no " + kind + " URN"}
	}
	return urn, res.Value.UploadURL, nil
}

// finalize calls POST /videos?action=finalizeUpload with the ETags exactly
// as the upload host sent them, in instruction order.
func finalize(ctx context.Context, rc *restli.Client, cfg *config, s *UploadState) error {
	req := cfg.action("/videos", finalizeParams{finalizeRequest{
		Video: s.URN, UploadToken: s.UploadToken, UploadedPartIds: append([]string(nil), s.ETags...),
	}})
	req.ActionName = "finalizeUpload"
	_, err := rc.Action(ctx, req)
	return err
}

// resourceOf returns the collection of a media URN: "/images",
// "/documents" or "/videos".
func resourceOf(urn string) (string, bool) {
	for _, k := range []string{"image", "document", "video"} {
		if strings.HasPrefix(urn, "urn:li:"+k+":") && len(urn) > len("urn:li:"+k+":") {
			return "/" + k + "s", true
		}
	}
	return "", false
}

// Status reads the status of an image, document or video (AVAILABLE,
// PROCESSING, WAITING_UPLOAD, PROCESSING_FAILED) with
// GET /images/{urn}, /documents/{urn} or /videos/{urn}. Of the options,
// WithAccessToken and WithVersion apply.
func Status(ctx context.Context, rc *restli.Client, urn string, opts ...Option) (string, error) {
	cfg := newConfig(opts)
	return status(ctx, rc, cfg, urn)
}

func status(ctx context.Context, rc *restli.Client, cfg *config, urn string) (string, error) {
	res, ok := resourceOf(urn)
	if !ok {
		return "", &restli.ValidationError{Field: "urn", Reason: "not an image, document or video URN"}
	}
	out, err := restli.GetAs[statusEntity](ctx, rc, restli.GetRequest{
		ResourcePath: res + "/{id}", PathKeys: map[string]any{"id": urn},
		Version: cfg.version, AccessToken: cfg.accessToken,
	})
	if err != nil {
		return "", err
	}
	return out.Entity.Status, nil
}

// DefaultMaxWait bounds WaitAvailable when WithWait sets no bound.
const DefaultMaxWait = 10 * time.Minute

// WaitAvailable reads the status of an image, document or video until it is
// AVAILABLE, every poll interval, for at most the WithWait bound
// (DefaultMaxWait and DefaultPollInterval without WithWait) or until ctx
// ends. PROCESSING_FAILED ends it with a *ProcessingFailedError, the bound
// with a *WaitError. Use it before creating a post with a media URN that
// IsWaitingUpload reported not ready.
func WaitAvailable(ctx context.Context, rc *restli.Client, urn string, opts ...Option) error {
	cfg := newConfig(opts)
	if cfg.wait <= 0 {
		cfg.wait = DefaultMaxWait
	}
	return waitAvailable(ctx, rc, cfg, urn)
}

func waitAvailable(ctx context.Context, rc *restli.Client, cfg *config, urn string) error {
	deadline := time.NewTimer(cfg.wait)
	defer deadline.Stop()
	polls := 0
	last := ""
	for {
		st, err := status(ctx, rc, cfg, urn)
		if err != nil {
			return err
		}
		polls++
		last = st
		switch st {
		case StatusAvailable:
			return nil
		case StatusProcessingFailed:
			return &ProcessingFailedError{URN: urn}
		}
		t := time.NewTimer(cfg.pollInterval)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-deadline.C:
			t.Stop()
			return &WaitError{URN: urn, Status: last, Polls: polls}
		case <-t.C:
		}
	}
}
