// Package media uploads images, documents and videos to LinkedIn in one
// call each, and returns the media URN to put in a post:
//
//	urn, err := media.UploadVideo(ctx, client, owner, file, size,
//		media.WithWait(10*time.Minute, 0))
//
// UploadImage and UploadDocument take an io.Reader; UploadVideo takes an
// io.ReaderAt and its size, so its 4 MiB parts are read (and re-read by the
// retry layer) independently and sent in parallel; UploadVideoFrom takes an
// io.Reader and sends the parts one after another. Memory stays bounded
// whatever the file size: UploadVideo streams every part from the source,
// UploadVideoFrom holds one part.
//
// # The protocol
//
// initializeUpload (POST /images, /documents or /videos) returns the media
// URN and pre-signed upload URLs; the bytes go to those URLs with PUT (a
// video in byte ranges, each answered with an ETag); a video is then
// finalized (POST /videos?action=finalizeUpload with the ETags in
// instruction order), and LinkedIn processes the media until its status
// (GET /images/{urn} …) is AVAILABLE. Every call goes through the
// restli.Client's *http.Client (use transport.NewClient): a failed part is
// resent by the retry layer on its own, never the whole upload.
//
// # Checked before anything is sent
//
// Sizes and types against LinkedIn's limits (LimitError); before a byte is
// uploaded, that the instructions cover [0, size) in order without gap or
// overlap (InstructionsError) and that every upload URL points to an
// upload host (UploadHostError).
//
// # The token rule
//
// LinkedIn's upload URLs are pre-signed: their query carries the signature
// that authorizes the upload, and LinkedIn's own video guide, like most
// public uploaders, sends the parts without a bearer token. Only its image
// guide shows one. So part uploads never carry a token by default: they are
// sent with restli.ContextWithoutToken, which makes the oauth layer leave
// them alone, and WithAccessToken is never sent to them. Upload URLs must
// also point to LinkedIn (linkedin.com or a subdomain, over https) or a host
// listed with WithUploadHosts; any other URL a response names is refused
// before anything is sent. WithUploadAuthorization hands the decision to the
// oauth layer, which sends its token only to its own allowed hosts, over
// https.
//
// # ETags
//
// Each part's ETag goes to finalizeUpload exactly as received, quotes
// included if the host sent any: LinkedIn compares the part ids it issued
// as opaque strings (its upload host sends them unquoted), so stripping or
// adding quotes could only break the match. A missing or weak (W/) ETag is
// an ETagError.
//
// # Resuming
//
// WithCheckpoint hands out an UploadState after every part. Persist it
// (json.Marshal), and after a crash read it back (DecodeState) and call
// ResumeVideo: parts with an ETag are not sent again. A state whose URLs
// expired is an ExpiredError: start over.
package media
