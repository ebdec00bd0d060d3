// This file tests the failure modes of video uploads against restlitest:
// part retries, parts that keep failing, missing and weak ETags, URL expiry,
// processing failures, cancellation, instructions that do not cover the
// file, and the limits checked before any request.

package media_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/media"
	"github.com/linkedin-go/linkedin/restli/restlitest"
	"github.com/linkedin-go/linkedin/transport"
)

func TestUploadVideo_PartFailingTwiceIsRetriedAlone(t *testing.T) {
	srv, rc := newServer(t)
	srv.FailUploadPart(1, 2, http.StatusServiceUnavailable)
	data := video(3 * partLen)
	urn, err := media.UploadVideo(context.Background(), rc, owner, bytes.NewReader(data), int64(len(data)),
		media.WithUploadHosts(srv.UploadHost()))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := srv.MediaAsset(urn)
	if got := a.PartPuts; got[0] != 1 || got[1] != 3 || got[2] != 1 {
		t.Errorf("PUTs per part %v, want [1 3 1]: only the failing part is resent", got)
	}
	if !a.Finalized {
		t.Error("not finalized")
	}
}

func TestUploadVideo_PartFailingAfterRetriesIsAPartError(t *testing.T) {
	srv, rc := newServer(t)
	srv.FailUploadPart(2, 100, http.StatusInternalServerError)
	data := video(3 * partLen)
	var last *media.UploadState
	urn, err := media.UploadVideo(context.Background(), rc, owner, bytes.NewReader(data), int64(len(data)),
		media.WithUploadHosts(srv.UploadHost()), media.WithParallelism(1),
		media.WithCheckpoint(func(s *media.UploadState) { last = s }))
	var pe *media.PartError
	if !errors.As(err, &pe) || pe.Part != 2 || pe.StatusCode != http.StatusInternalServerError {
		t.Fatalf("err = %v, want a PartError for part 2 with 500", err)
	}
	if pe.FirstByte != 2*partLen || pe.LastByte != 3*partLen-1 {
		t.Errorf("range %d-%d, want part 2's", pe.FirstByte, pe.LastByte)
	}
	if last == nil || last.PartsDone() != 2 || last.URN != urn {
		t.Fatalf("last checkpoint %v, want parts 0 and 1 done", last)
	}
	a, _ := srv.MediaAsset(urn)
	if a.PartPuts[2] != 4 {
		t.Errorf("part 2 PUT %d times, want the retry layer's 4 attempts", a.PartPuts[2])
	}
	if a.Finalized {
		t.Error("finalized despite a failed part")
	}
}

func TestUploadVideo_MissingOrWeakETag(t *testing.T) {
	t.Run("missing", func(t *testing.T) {
		srv, rc := newServer(t)
		srv.DropUploadETag(0, 1)
		data := video(100_000)
		_, err := media.UploadVideo(context.Background(), rc, owner, bytes.NewReader(data), int64(len(data)),
			media.WithUploadHosts(srv.UploadHost()))
		var ee *media.ETagError
		if !errors.As(err, &ee) || ee.Weak || !errors.Is(err, media.ErrMissingETag) {
			t.Fatalf("err = %v, want a missing-ETag error", err)
		}
	})
	t.Run("weak", func(t *testing.T) {
		up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("ETag", `W/"part"`)
		}))
		defer up.Close()
		srv, rc := newServer(t)
		redirectUploads(srv, up.URL)
		data := video(100_000)
		_, err := media.UploadVideo(context.Background(), rc, owner, bytes.NewReader(data), int64(len(data)),
			media.WithUploadHosts(hostOf(up.URL)))
		if !errors.Is(err, media.ErrWeakETag) {
			t.Fatalf("err = %v, want a weak-ETag error", err)
		}
	})
}

func TestUploadVideo_QuotedETagsGoToFinalizeExactlyAsReceived(t *testing.T) {
	srv, rc := newServer(t)
	srv.SetMediaOptions(restlitest.MediaOptions{PartSize: partLen, QuoteETags: true})
	data := video(2*partLen + 1)
	urn, err := media.UploadVideo(context.Background(), rc, owner, bytes.NewReader(data), int64(len(data)),
		media.WithUploadHosts(srv.UploadHost()))
	if err != nil {
		t.Fatal(err) // the server rejects a finalize whose ETags differ from what it sent
	}
	for _, r := range srv.Requests() {
		if r.Params["action"] != "finalizeUpload" {
			continue
		}
		var body struct {
			Req struct {
				IDs []string `json:"uploadedPartIds"`
			} `json:"finalizeUploadRequest"`
		}
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatal(err)
		}
		for _, id := range body.Req.IDs {
			if !strings.HasPrefix(id, `"`) || !strings.HasSuffix(id, `"`) {
				t.Errorf("part id %s lost its quotes", id)
			}
		}
		return
	}
	t.Errorf("no finalizeUpload for %s", urn)
}

func TestUploadVideo_FinalizeRejectsOtherETags(t *testing.T) {
	// A client that stripped the quotes the host sent would be refused: the
	// fake compares the part ids exactly, as LinkedIn does.
	srv, rc := newServer(t)
	srv.SetMediaOptions(restlitest.MediaOptions{PartSize: partLen, QuoteETags: true})
	data := video(100_000)
	var state *media.UploadState
	_, err := media.UploadVideo(context.Background(), rc, owner, bytes.NewReader(data), int64(len(data)),
		media.WithUploadHosts(srv.UploadHost()), media.WithCheckpoint(func(s *media.UploadState) { state = s }))
	if err != nil {
		t.Fatal(err)
	}
	_, err = rc.Action(context.Background(), restli.ActionRequest{
		ResourcePath: "/videos", ActionName: "finalizeUpload",
		ActionParams: map[string]any{"finalizeUploadRequest": map[string]any{
			"video": state.URN, "uploadToken": state.UploadToken,
			"uploadedPartIds": []string{strings.Trim(state.ETags[0], `"`)},
		}},
	})
	if e := new(restli.Error); !errors.As(err, &e) || e.StatusCode != http.StatusBadRequest {
		t.Fatalf("err = %v, want 400", err)
	}
}

func TestUploadVideo_ExpiredURLs(t *testing.T) {
	srv, rc := newServer(t)
	srv.SetMediaOptions(restlitest.MediaOptions{PartSize: partLen, URLTTL: time.Hour})
	data := video(3 * partLen)
	_, err := media.UploadVideo(context.Background(), rc, owner, bytes.NewReader(data), int64(len(data)),
		media.WithUploadHosts(srv.UploadHost()), media.WithParallelism(1),
		media.WithProgress(func(p media.Progress) {
			if p.PartsDone == 1 {
				srv.Advance(2 * time.Hour) // the URLs expire between parts
			}
		}))
	var ee *media.ExpiredError
	if !errors.As(err, &ee) || !errors.Is(err, media.ErrExpired) || ee.StatusCode != http.StatusForbidden {
		t.Fatalf("err = %v, want an ExpiredError from a 403", err)
	}
	if !strings.Contains(err.Error(), "start a new one") {
		t.Errorf("error %q does not say to start over", err)
	}
}

func TestUploadVideo_ProcessingFailed(t *testing.T) {
	srv, rc := newServer(t)
	srv.FailMediaProcessing(1)
	data := video(100_000)
	urn, err := media.UploadVideo(context.Background(), rc, owner, bytes.NewReader(data), int64(len(data)),
		media.WithUploadHosts(srv.UploadHost()), media.WithWait(5*time.Second, time.Millisecond))
	var pe *media.ProcessingFailedError
	if !errors.As(err, &pe) || pe.URN != urn || !errors.Is(err, media.ErrProcessingFailed) {
		t.Fatalf("err = %v, want a ProcessingFailedError for %s", err, urn)
	}
}

func TestUploadVideo_CancelledMidUploadStopsEverything(t *testing.T) {
	// Every attempt the client's stack sends is counted on the client side.
	var sent atomic.Int64
	count := func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			sent.Add(1)
			return next.RoundTrip(r)
		})
	}
	srv, rc := newServer(t, restlitest.WithTransportOptions(transport.WithPerAttempt(count)))
	data := video(8 * partLen)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := media.UploadVideo(ctx, rc, owner, bytes.NewReader(data), int64(len(data)),
		media.WithUploadHosts(srv.UploadHost()), media.WithParallelism(2),
		media.WithProgress(func(p media.Progress) {
			if p.PartsDone == 2 {
				cancel()
			}
		}))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	after := sent.Load()
	// Every goroutine of the upload has returned (goleak checks it at the
	// end of the package), so nothing can send any more.
	time.Sleep(20 * time.Millisecond)
	if n := sent.Load(); n != after {
		t.Errorf("%d requests sent after the upload returned", n-after)
	}
	if after >= 1+8 {
		t.Errorf("%d requests, want fewer than initializeUpload and 8 parts", after)
	}
	for _, r := range srv.Requests() {
		if r.Params["action"] == "finalizeUpload" {
			t.Error("finalizeUpload sent after cancellation")
		}
	}
}

// roundTripFunc is a function as an http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestUploadVideo_InstructionsCheckedBeforeAnyByte(t *testing.T) {
	for _, tc := range []struct {
		name string
		ins  []media.Instruction
		size int64
	}{
		{"gap", []media.Instruction{{FirstByte: 0, LastByte: 99}, {FirstByte: 101, LastByte: 199_999}}, 200_000},
		{"overlap", []media.Instruction{{FirstByte: 0, LastByte: 99}, {FirstByte: 50, LastByte: 199_999}}, 200_000},
		{"short", []media.Instruction{{FirstByte: 0, LastByte: 99}}, 200_000},
		{"beyond", []media.Instruction{{FirstByte: 0, LastByte: 200_000}}, 200_000},
		{"none", nil, 200_000},
		{"not from zero", []media.Instruction{{FirstByte: 1, LastByte: 199_999}}, 200_000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, rc := newServer(t)
			srv.HandleAction("/videos", "initializeUpload", func(r *restlitest.Request, p map[string]any, c *restlitest.Collection) (any, error) {
				ins := make([]map[string]any, len(tc.ins))
				for i, in := range tc.ins {
					ins[i] = map[string]any{"uploadUrl": srv.URL + "/dms-uploads/x/" + string(rune('0'+i)), "firstByte": in.FirstByte, "lastByte": in.LastByte}
				}
				return map[string]any{"video": "urn:li:video:bad", "uploadToken": "t", "uploadInstructions": ins}, nil
			})
			data := video(int(tc.size))
			_, err := media.UploadVideo(context.Background(), rc, owner, bytes.NewReader(data), tc.size,
				media.WithUploadHosts(srv.UploadHost()))
			var ie *media.InstructionsError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v, want an InstructionsError", err)
			}
			if n := uploads(srv); n != 0 {
				t.Errorf("%d uploads sent, want none", n)
			}
		})
	}
}

func TestUploadVideo_LimitsCheckedBeforeAnyRequest(t *testing.T) {
	notMP4 := video(200_000)
	copy(notMP4, "RIFF....AVI ")
	for _, tc := range []struct {
		name  string
		data  []byte
		size  int64
		opts  []media.Option
		limit string
	}{
		{"too small", video(1000), 1000, nil, "size"},
		{"too large", video(200_000), 200_000, []media.Option{media.WithMaxVideoBytes(100_000)}, "size"},
		{"over 500 MB", video(200_000), 600_000_000, nil, "size"},
		{"not MP4", notMP4, 200_000, nil, "type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, rc := newServer(t)
			_, err := media.UploadVideo(context.Background(), rc, owner, bytes.NewReader(tc.data), tc.size, tc.opts...)
			var le *media.LimitError
			if !errors.As(err, &le) || le.Limit != tc.limit {
				t.Fatalf("err = %v, want a %s LimitError", err, tc.limit)
			}
			if n := srv.Count(nil); n != 0 {
				t.Errorf("%d requests, want none", n)
			}
		})
	}
}

func TestUploadVideo_BadArguments(t *testing.T) {
	srv, rc := newServer(t)
	data := video(100_000)
	for _, tc := range []struct {
		name  string
		owner string
		size  int64
	}{
		{"owner not a URN", "acme", 100_000},
		{"owner a video", "urn:li:video:1", 100_000},
		{"zero size", owner, 0},
		{"short source", owner, 200_000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := media.UploadVideo(context.Background(), rc, tc.owner, bytes.NewReader(data), tc.size)
			var ve *restli.ValidationError
			var se *media.SourceError
			if !errors.As(err, &ve) && !errors.As(err, &se) {
				t.Fatalf("err = %v, want a ValidationError or SourceError", err)
			}
		})
	}
	t.Run("stream longer than its size", func(t *testing.T) {
		_, err := media.UploadVideoFrom(context.Background(), rc, owner, bytes.NewReader(data), 90_000,
			media.WithUploadHosts(srv.UploadHost()))
		var se *media.SourceError
		if !errors.As(err, &se) {
			t.Fatalf("err = %v, want a SourceError", err)
		}
	})
	t.Run("stream shorter than its size", func(t *testing.T) {
		_, err := media.UploadVideoFrom(context.Background(), rc, owner, bytes.NewReader(data), 110_000,
			media.WithUploadHosts(srv.UploadHost()))
		var se *media.SourceError
		if !errors.As(err, &se) {
			t.Fatalf("err = %v, want a SourceError", err)
		}
	})
}

// redirectUploads makes the server's video initializeUpload hand out upload
// URLs on base instead of itself.
func redirectUploads(srv *restlitest.Server, base string) {
	var n atomic.Int64
	srv.HandleAction("/videos", "initializeUpload", func(r *restlitest.Request, p map[string]any, c *restlitest.Collection) (any, error) {
		req := p["initializeUploadRequest"].(map[string]any)
		size, _ := req["fileSizeBytes"].(json.Number).Int64()
		urn := "urn:li:video:elsewhere" + string(rune('a'+n.Add(1)))
		return map[string]any{"video": urn, "uploadToken": "", "uploadInstructions": []map[string]any{
			{"uploadUrl": base + "/upload/0?sig=SIGNATURE-CANARY", "firstByte": 0, "lastByte": size - 1},
		}}, nil
	})
}

// hostOf returns the host:port of a URL.
func hostOf(u string) string {
	return strings.TrimPrefix(strings.TrimPrefix(u, "http://"), "https://")
}
