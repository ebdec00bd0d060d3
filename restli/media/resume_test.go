// This file tests resumable uploads: a crash mid-upload, the state saved
// as JSON and read back, a resume that sends only the missing parts, and an
// expired state.

package media_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/restli/media"
)

func TestResumeVideo_AfterACrashSendsOnlyMissingParts(t *testing.T) {
	for _, seq := range []bool{false, true} {
		name := map[bool]string{false: "ReaderAt", true: "Reader"}[seq]
		t.Run(name, func(t *testing.T) {
			srv, rc := newServer(t)
			data := video(5*partLen + 777)
			var saved []byte
			crash, cancel := context.WithCancel(context.Background())
			defer cancel()
			// The process "crashes" after its third part: the context ends
			// and only what the checkpoint persisted survives.
			_, err := media.UploadVideo(crash, rc, owner, bytes.NewReader(data), int64(len(data)),
				media.WithUploadHosts(srv.UploadHost()), media.WithParallelism(1),
				media.WithCheckpoint(func(s *media.UploadState) {
					b, err := json.Marshal(s)
					if err != nil {
						t.Error(err)
					}
					saved = b
					if s.PartsDone() == 3 {
						cancel()
					}
				}))
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want the crash", err)
			}
			state, err := media.DecodeState(saved)
			if err != nil {
				t.Fatal(err)
			}
			if state.PartsDone() != 3 {
				t.Fatalf("saved state has %d parts done, want 3", state.PartsDone())
			}
			before, _ := srv.MediaAsset(state.URN)

			opts := []media.Option{media.WithUploadHosts(srv.UploadHost()), media.WithWait(5*time.Second, time.Millisecond)}
			var urn string
			if seq {
				urn, err = media.ResumeVideoFrom(context.Background(), rc, state, bytes.NewReader(data), opts...)
			} else {
				urn, err = media.ResumeVideo(context.Background(), rc, state, bytes.NewReader(data), opts...)
			}
			if err != nil {
				t.Fatal(err)
			}
			if urn != state.URN {
				t.Errorf("urn %s, want %s", urn, state.URN)
			}
			a, _ := srv.MediaAsset(urn)
			for i := range 3 {
				if a.PartPuts[i] != before.PartPuts[i] {
					t.Errorf("part %d sent again on resume", i)
				}
			}
			if a.Status != media.StatusAvailable || !slices.Equal(a.PartCRC32, partCRCs(data, partLen)) {
				t.Errorf("status %s, checksums match %v", a.Status, slices.Equal(a.PartCRC32, partCRCs(data, partLen)))
			}
		})
	}
}

func TestResumeVideo_AfterPartFailure(t *testing.T) {
	srv, rc := newServer(t)
	srv.FailUploadPart(1, 4, http.StatusBadGateway) // every attempt of the first try fails
	data := video(3 * partLen)
	var state *media.UploadState
	_, err := media.UploadVideo(context.Background(), rc, owner, bytes.NewReader(data), int64(len(data)),
		media.WithUploadHosts(srv.UploadHost()), media.WithParallelism(3),
		media.WithCheckpoint(func(s *media.UploadState) { state = s }))
	var pe *media.PartError
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v, want a PartError", err)
	}
	if _, err := media.ResumeVideo(context.Background(), rc, state, bytes.NewReader(data), media.WithUploadHosts(srv.UploadHost())); err != nil {
		t.Fatal(err)
	}
	a, _ := srv.MediaAsset(state.URN)
	if !a.Finalized || a.PartPuts[1] != 5 {
		t.Errorf("finalized %v, part 1 PUT %d times (want 4 failed + 1)", a.Finalized, a.PartPuts[1])
	}
	for _, i := range []int{0, 2} {
		if a.PartPuts[i] != 1 {
			t.Errorf("part %d PUT %d times, want 1", i, a.PartPuts[i])
		}
	}
}

func TestResumeVideo_ExpiredStateSendsNothing(t *testing.T) {
	srv, rc := newServer(t)
	data := video(2 * partLen)
	var state *media.UploadState
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, _ = media.UploadVideo(ctx, rc, owner, bytes.NewReader(data), int64(len(data)),
		media.WithUploadHosts(srv.UploadHost()), media.WithParallelism(1),
		media.WithCheckpoint(func(s *media.UploadState) {
			state = s
			if s.PartsDone() == 1 {
				cancel()
			}
		}))
	n := srv.Count(nil)
	later := func() time.Time { return state.ExpiresAt.Add(time.Second) }
	_, err := media.ResumeVideo(context.Background(), rc, state, bytes.NewReader(data),
		media.WithUploadHosts(srv.UploadHost()), media.WithClock(later))
	var ee *media.ExpiredError
	if !errors.As(err, &ee) || ee.URN != state.URN || !errors.Is(err, media.ErrExpired) {
		t.Fatalf("err = %v, want an ExpiredError", err)
	}
	if srv.Count(nil) != n {
		t.Error("requests sent for an expired state")
	}
}

func TestDecodeState_RejectsUnusableStates(t *testing.T) {
	good := media.UploadState{Format: 1, URN: "urn:li:video:1", Size: 10,
		Instructions: []media.Instruction{{UploadURL: "https://www.linkedin.com/dms-uploads/x", FirstByte: 0, LastByte: 9}},
		ETags:        []string{""}}
	b, _ := json.Marshal(good)
	if _, err := media.DecodeState(b); err != nil {
		t.Fatalf("good state: %v", err)
	}
	for name, mutate := range map[string]func(s *media.UploadState){
		"format":        func(s *media.UploadState) { s.Format = 2 },
		"urn":           func(s *media.UploadState) { s.URN = "urn:li:image:1" },
		"etag slots":    func(s *media.UploadState) { s.ETags = nil },
		"weak etag":     func(s *media.UploadState) { s.ETags = []string{`W/"x"`} },
		"size":          func(s *media.UploadState) { s.Size = 11 },
		"url":           func(s *media.UploadState) { s.Instructions[0].UploadURL = "ftp://x" },
		"no parts":      func(s *media.UploadState) { s.Instructions, s.ETags = nil, nil },
		"negative size": func(s *media.UploadState) { s.Size = -1 },
	} {
		t.Run(name, func(t *testing.T) {
			s := good
			s.Instructions = slices.Clone(good.Instructions)
			mutate(&s)
			b, _ := json.Marshal(s)
			_, err := media.DecodeState(b)
			var se *media.StateError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want a StateError", err)
			}
		})
	}
	for _, raw := range []string{"", "{", "[]", `{"format":1} {}`, "null"} {
		if _, err := media.DecodeState([]byte(raw)); err == nil {
			t.Errorf("DecodeState(%q) succeeded", raw)
		}
	}
}

func TestUploadState_StringHidesURLsAndToken(t *testing.T) {
	s := &media.UploadState{Format: 1, URN: "urn:li:video:1", Size: 10, UploadToken: "UPLOAD-TOKEN-CANARY",
		Instructions: []media.Instruction{{UploadURL: "https://www.linkedin.com/x?sig=SIG-CANARY", LastByte: 9}}, ETags: []string{""}}
	for _, text := range []string{s.String(), fmtV(s)} {
		if bytes.Contains([]byte(text), []byte("CANARY")) {
			t.Errorf("%q shows a secret", text)
		}
	}
}
