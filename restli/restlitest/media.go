// This file is the fake of LinkedIn's media APIs: /images, /documents and
// /videos initializeUpload and finalizeUpload, the media entities read with
// GET, their status moving from PROCESSING to AVAILABLE on the test clock,
// fault injection for uploads and processing, and the check that a post
// names only AVAILABLE media. The upload host itself is in media_upload.go.

package restlitest

import (
	"crypto/rand"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults of the fake media endpoints (see MediaOptions).
const (
	DefaultUploadPartSize = 4 << 20             // LinkedIn's video part size
	DefaultUploadURLTTL   = 30 * 24 * time.Hour // upload URLs expire about 30 days after initialization
	uploadPrefix          = "/dms-uploads/"
	maxFakeVideoBytes     = 5_000_000_000 // the 5 GB of LinkedIn's schema
	maxFakeSingleBytes    = 200 << 20
)

// Codes of the fake media endpoints' errors. CodeMediaWaitingUpload is
// LinkedIn's answer to a post naming media that is not AVAILABLE yet.
const (
	CodeMediaWaitingUpload    = "MEDIA_ASSET_WAITING_UPLOAD"
	CodeMediaProcessingFailed = "MEDIA_ASSET_PROCESSING_FAILED"
	CodeUploadURLExpired      = "UPLOAD_URL_EXPIRED"
	CodeUploadSignature       = "INVALID_UPLOAD_SIGNATURE"
)

// MediaOptions configures the fake media endpoints (SetMediaOptions).
type MediaOptions struct {
	// PartSize is the byte length of each video upload instruction but the
	// last (DefaultUploadPartSize when 0).
	PartSize int64
	// ProcessingDelay is how long, on the server's clock (Advance), media
	// stays PROCESSING after its upload completes (after the PUT of an
	// image or document, after finalizeUpload for a video). 0 makes it
	// AVAILABLE at once.
	ProcessingDelay time.Duration
	// URLTTL is how long upload URLs stay valid on the server's clock
	// (DefaultUploadURLTTL when 0); after it a PUT gets 403
	// UPLOAD_URL_EXPIRED.
	URLTTL time.Duration
	// QuoteETags makes the upload host send ETags in RFC 9110 form, in
	// double quotes; finalizeUpload then wants them quoted, exactly as
	// sent. LinkedIn's host sends them unquoted.
	QuoteETags bool
}

// MediaAsset is the fake server's record of an uploaded image, document or
// video (MediaAssets).
type MediaAsset struct {
	// URN is the media URN; Kind is "image", "document" or "video".
	URN, Kind string
	// Owner is the owner given to initializeUpload.
	Owner string
	// Status is WAITING_UPLOAD, PROCESSING, AVAILABLE or PROCESSING_FAILED.
	Status string
	// Size is fileSizeBytes for a video, the uploaded length otherwise.
	Size int64
	// Parts is the number of upload parts (1 for an image or document).
	Parts int
	// PartPuts counts the PUTs received per part, failed ones included.
	PartPuts []int
	// PartCRC32 holds the CRC-32 (IEEE) of each part as received (0 until
	// received).
	PartCRC32 []uint32
	// PutsWithToken counts PUTs that arrived with an Authorization header.
	PutsWithToken int
	// Captions and Thumbnail report whether they were uploaded.
	Captions, Thumbnail bool
	// Finalized reports a video's successful finalizeUpload.
	Finalized bool
}

// mediaAsset is an asset and its upload session.
type mediaAsset struct {
	MediaAsset
	id          string // upload id in the URLs
	sig         string // the URLs' signature
	partSize    int64
	uploadToken string
	expires     time.Time
	readyAt     time.Time
	fails       bool // ends PROCESSING_FAILED
	received    []bool
	etags       []string
	wantCaps    bool
	wantThumb   bool
}

// partFault fails or strips the answer of PUTs to one part index.
type partFault struct {
	part   int
	left   int
	status int  // 0 with drop: answer 200 without ETag
	drop   bool // drop the ETag
}

// mediaState is the server's media store.
type mediaState struct {
	mu         sync.Mutex
	opts       MediaOptions
	byURN      map[string]*mediaAsset
	byID       map[string]*mediaAsset
	processing int // assets still PROCESSING
	faults     []*partFault
	failNext   int
}

// initMedia registers the media actions. Tests may replace them with
// HandleAction (to answer with other upload URLs, say).
func (s *Server) initMedia() {
	s.media.byURN = map[string]*mediaAsset{}
	s.media.byID = map[string]*mediaAsset{}
	for _, kind := range []string{"image", "document", "video"} {
		s.HandleAction("/"+kind+"s", "initializeUpload", func(r *Request, p map[string]any, c *Collection) (any, error) {
			return s.initializeUpload(kind, p, c)
		})
	}
	s.HandleAction("/videos", "finalizeUpload", func(r *Request, p map[string]any, c *Collection) (any, error) {
		return s.finalizeUpload(p, c)
	})
}

// SetMediaOptions configures the fake media endpoints for uploads
// initialized from now on (and ProcessingDelay for uploads completed from
// now on).
func (s *Server) SetMediaOptions(o MediaOptions) {
	s.media.mu.Lock()
	s.media.opts = o
	s.media.mu.Unlock()
}

// UploadHost returns the "host:port" of the fake upload host, which is the
// server itself: the upload URLs initializeUpload returns point back to it,
// over plain http. Pass it to media.WithUploadHosts to mark it as
// LinkedIn's upload host.
func (s *Server) UploadHost() string { return s.hostPort() }

// FailUploadPart makes the next times PUTs of part index part (of any
// upload; 0 for an image or document) answer status (500 when 0) after
// reading the body. The client's retry layer resends them. Like
// DropUploadETag and FailMediaProcessing, it is separate from Fail: Reset
// and ClearFaults leave it in place.
func (s *Server) FailUploadPart(part, times, status int) {
	if status == 0 {
		status = http.StatusInternalServerError
	}
	s.addPartFault(&partFault{part: part, left: max(times, 1), status: status})
}

// DropUploadETag makes the next times successful PUTs of part index part
// answer without an ETag header.
func (s *Server) DropUploadETag(part, times int) {
	s.addPartFault(&partFault{part: part, left: max(times, 1), drop: true})
}

func (s *Server) addPartFault(f *partFault) {
	s.media.mu.Lock()
	s.media.faults = append(s.media.faults, f)
	s.media.mu.Unlock()
}

// FailMediaProcessing makes the next n uploads that complete end in
// PROCESSING_FAILED instead of AVAILABLE.
func (s *Server) FailMediaProcessing(n int) {
	s.media.mu.Lock()
	s.media.failNext += n
	s.media.mu.Unlock()
}

// MediaAsset returns the record of the uploaded asset urn, with its
// status as of the server's clock.
func (s *Server) MediaAsset(urn string) (MediaAsset, bool) {
	s.syncMedia()
	s.media.mu.Lock()
	defer s.media.mu.Unlock()
	a, ok := s.media.byURN[urn]
	if !ok {
		return MediaAsset{}, false
	}
	m := a.MediaAsset
	m.PartPuts = append([]int(nil), a.PartPuts...)
	m.PartCRC32 = append([]uint32(nil), a.PartCRC32...)
	return m, true
}

// randomID returns n random characters from the URL-safe alphabet.
func randomID(n int) string {
	t := rand.Text()
	for len(t) < n {
		t += rand.Text()
	}
	return t[:n]
}

// int64Param reads a JSON number parameter.
func int64Param(v any) (int64, bool) {
	switch n := v.(type) {
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	case float64:
		return int64(n), n == float64(int64(n))
	}
	return 0, false
}

func validOwner(o string) bool {
	for _, p := range []string{"urn:li:person:", "urn:li:organization:", "urn:li:organizationBrand:"} {
		if strings.HasPrefix(o, p) && len(o) > len(p) {
			return true
		}
	}
	return false
}

// initializeUpload answers /{kind}s?action=initializeUpload.
func (s *Server) initializeUpload(kind string, p map[string]any, c *Collection) (any, error) {
	req, _ := p["initializeUploadRequest"].(map[string]any)
	if req == nil {
		return nil, badRequest(CodeInvalidBody, "initializeUploadRequest is required")
	}
	owner, _ := req["owner"].(string)
	if !validOwner(owner) {
		return nil, badRequest(CodeIllegalArgument, "owner must be a person or organization URN")
	}
	now := s.now()
	m := &s.media
	m.mu.Lock()
	defer m.mu.Unlock()
	ttl := m.opts.URLTTL
	if ttl <= 0 {
		ttl = DefaultUploadURLTTL
	}
	a := &mediaAsset{id: randomID(20), sig: randomID(24), expires: now.Add(ttl)}
	a.Kind, a.Owner, a.Status = kind, owner, "WAITING_UPLOAD"
	a.URN = "urn:li:" + kind + ":D4E10AQ" + randomID(12)
	base := s.URL + uploadPrefix + a.id + "/"
	sig := "?ca=restlitest&sig=" + a.sig
	var value map[string]any
	if kind == "video" {
		size, ok := int64Param(req["fileSizeBytes"])
		if !ok || size <= 0 || size > maxFakeVideoBytes {
			return nil, badRequest(CodeIllegalArgument, "fileSizeBytes must be between 1 and "+strconv.Itoa(maxFakeVideoBytes))
		}
		part := m.opts.PartSize
		if part <= 0 {
			part = DefaultUploadPartSize
		}
		a.Size, a.partSize = size, part
		a.Parts = int((size + part - 1) / part)
		ins := make([]any, a.Parts)
		for i := range ins {
			first := int64(i) * part
			ins[i] = map[string]any{"uploadUrl": base + strconv.Itoa(i) + sig, "firstByte": first, "lastByte": min(first+part, size) - 1}
		}
		if a.Parts > 1 {
			a.uploadToken = randomID(32)
		}
		value = map[string]any{"video": a.URN, "uploadUrlsExpireAt": a.expires.UnixMilli(),
			"uploadToken": a.uploadToken, "uploadInstructions": ins}
		if b, _ := req["uploadCaptions"].(bool); b {
			a.wantCaps = true
			value["captionsUploadUrl"] = base + "captions" + sig
		}
		if b, _ := req["uploadThumbnail"].(bool); b {
			a.wantThumb = true
			value["thumbnailUploadUrl"] = base + "thumbnail" + sig
		}
	} else {
		a.Parts = 1
		value = map[string]any{kind: a.URN, "uploadUrlExpiresAt": a.expires.UnixMilli(), "uploadUrl": base + "0" + sig}
	}
	a.PartPuts = make([]int, a.Parts)
	a.PartCRC32 = make([]uint32, a.Parts)
	a.received = make([]bool, a.Parts)
	a.etags = make([]string, a.Parts)
	m.byURN[a.URN] = a
	m.byID[a.id] = a
	s.storeAssetLocked(a)
	return value, nil
}

// storeAssetLocked writes the asset's entity into its collection, for GET.
func (s *Server) storeAssetLocked(a *mediaAsset) {
	e := map[string]any{"id": a.URN, "owner": a.Owner, "status": a.Status}
	if a.Kind == "video" {
		e["uploadUrlsExpireAt"] = a.expires.UnixMilli()
	}
	if a.Status == "AVAILABLE" {
		e["downloadUrl"] = s.URL + "/media-downloads/" + a.id
	}
	s.Collection("/"+a.Kind+"s").Seed(a.URN, e)
}

// completeLocked moves an asset whose bytes are all in to PROCESSING.
func (s *Server) completeLocked(a *mediaAsset, now time.Time) {
	if a.Status != "WAITING_UPLOAD" {
		return
	}
	m := &s.media
	a.Status = "PROCESSING"
	a.readyAt = now.Add(m.opts.ProcessingDelay)
	if m.failNext > 0 {
		m.failNext--
		a.fails = true
	}
	m.processing++
	s.storeAssetLocked(a)
}

// syncMedia moves assets whose processing time has passed on the server's
// clock to AVAILABLE (or PROCESSING_FAILED). Every Rest.li request runs it
// first, so GET and post creation see the status of the moment.
func (s *Server) syncMedia() {
	m := &s.media
	m.mu.Lock()
	idle := m.processing == 0
	m.mu.Unlock()
	if idle {
		return
	}
	now := s.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, a := range m.byURN {
		if a.Status != "PROCESSING" || now.Before(a.readyAt) {
			continue
		}
		a.Status = "AVAILABLE"
		if a.fails {
			a.Status = "PROCESSING_FAILED"
		}
		m.processing--
		s.storeAssetLocked(a)
	}
}

// finalizeUpload answers /videos?action=finalizeUpload: every part must be
// in and uploadedPartIds must hold their ETags, in order, exactly as the
// upload host sent them.
func (s *Server) finalizeUpload(p map[string]any, c *Collection) (any, error) {
	req, _ := p["finalizeUploadRequest"].(map[string]any)
	if req == nil {
		return nil, badRequest(CodeInvalidBody, "finalizeUploadRequest is required")
	}
	urn, _ := req["video"].(string)
	token, _ := req["uploadToken"].(string)
	ids, _ := req["uploadedPartIds"].([]any)
	now := s.now()
	m := &s.media
	m.mu.Lock()
	defer m.mu.Unlock()
	a := m.byURN[urn]
	if a == nil || a.Kind != "video" {
		return nil, notFound("no video upload " + strconv.Quote(urn))
	}
	if token != a.uploadToken {
		return nil, badRequest(CodeIllegalArgument, "uploadToken does not match the upload")
	}
	if len(ids) != a.Parts {
		return nil, badRequest(CodeIllegalArgument, "uploadedPartIds has "+strconv.Itoa(len(ids))+
			" entries for "+strconv.Itoa(a.Parts)+" parts")
	}
	for i, v := range ids {
		id, _ := v.(string)
		if !a.received[i] {
			return nil, badRequest(CodeIllegalArgument, "part "+strconv.Itoa(i)+" was not uploaded")
		}
		if id != a.etags[i] {
			return nil, badRequest(CodeIllegalArgument, "uploadedPartIds["+strconv.Itoa(i)+
				"] is not the ETag the upload host sent for part "+strconv.Itoa(i))
		}
	}
	a.Finalized = true
	s.completeLocked(a, now)
	return nil, nil
}

// checkPostMedia is LinkedIn's check on a new post: every image, document
// or video URN it names that this server issued must be AVAILABLE. It
// answers 400 MEDIA_ASSET_WAITING_UPLOAD for media still waiting for its
// upload or processing, MEDIA_ASSET_PROCESSING_FAILED for media that failed.
// It checks only the /posts collection.
func (s *Server) checkPostMedia(collection string, post map[string]any) *Error {
	if collection != "/posts" {
		return nil
	}
	s.syncMedia()
	var bad *Error
	walkStrings(post, func(v string) {
		if bad != nil || !(strings.HasPrefix(v, "urn:li:image:") || strings.HasPrefix(v, "urn:li:video:") ||
			strings.HasPrefix(v, "urn:li:document:")) {
			return
		}
		s.media.mu.Lock()
		a := s.media.byURN[v]
		st := ""
		if a != nil {
			st = a.Status
		}
		s.media.mu.Unlock()
		switch st {
		case "", "AVAILABLE":
		case "PROCESSING_FAILED":
			bad = badRequest(CodeMediaProcessingFailed, "Processing of the media asset failed: "+v)
		default:
			bad = badRequest(CodeMediaWaitingUpload, "Media asset "+v+" is not ready ("+st+"): "+CodeMediaWaitingUpload)
		}
	})
	return bad
}

// walkStrings calls fn for every string in a decoded JSON value.
func walkStrings(v any, fn func(string)) {
	switch x := v.(type) {
	case string:
		fn(x)
	case map[string]any:
		for _, e := range x {
			walkStrings(e, fn)
		}
	case []any:
		for _, e := range x {
			walkStrings(e, fn)
		}
	}
}
