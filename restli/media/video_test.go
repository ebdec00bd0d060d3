// This file tests video uploads against restlitest: every step, the
// parallel and sequential forms, progress, captions and thumbnail, and the
// wait for AVAILABLE.

package media_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/media"
	"github.com/linkedin-go/linkedin/restli/restlitest"
)

func TestUploadVideo_UploadsEveryPartOnceAndFinalizes(t *testing.T) {
	for _, tc := range []struct {
		name string
		size int
		seq  bool
	}{
		{"parallel, three parts", 2*partLen + 12345, false},
		{"parallel, one part", 100_000, false},
		{"sequential, three parts", 2*partLen + 12345, true},
		{"sequential, exact parts", 2 * partLen, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, rc := newServer(t)
			data := video(tc.size)
			var mu sync.Mutex
			var progress []media.Progress
			opts := []media.Option{
				media.WithUploadHosts(srv.UploadHost()),
				media.WithWait(5*time.Second, time.Millisecond),
				media.WithProgress(func(p media.Progress) { mu.Lock(); progress = append(progress, p); mu.Unlock() }),
			}
			var urn string
			var err error
			if tc.seq {
				urn, err = media.UploadVideoFrom(context.Background(), rc, owner, bytes.NewBuffer(data), int64(len(data)), opts...)
			} else {
				urn, err = media.UploadVideo(context.Background(), rc, owner, bytes.NewReader(data), int64(len(data)), opts...)
			}
			if err != nil {
				t.Fatal(err)
			}
			a, ok := srv.MediaAsset(urn)
			if !ok {
				t.Fatalf("no asset %s", urn)
			}
			if a.Status != media.StatusAvailable || !a.Finalized {
				t.Errorf("status %s finalized %v, want AVAILABLE and finalized", a.Status, a.Finalized)
			}
			want := partCRCs(data, partLen)
			if !slices.Equal(a.PartCRC32, want) {
				t.Errorf("part checksums %x, want %x", a.PartCRC32, want)
			}
			for i, n := range a.PartPuts {
				if n != 1 {
					t.Errorf("part %d was PUT %d times, want 1", i, n)
				}
			}
			if a.PutsWithToken != 0 {
				t.Errorf("%d part uploads carried a token, want none", a.PutsWithToken)
			}
			if len(progress) != len(want) {
				t.Fatalf("%d progress calls, want %d", len(progress), len(want))
			}
			last := progress[len(progress)-1]
			if last.BytesDone != int64(len(data)) || last.BytesTotal != int64(len(data)) || last.PartsDone != len(want) {
				t.Errorf("last progress %+v, want everything done", last)
			}
		})
	}
}

func TestUploadVideo_CaptionsAndThumbnail(t *testing.T) {
	srv, rc := newServer(t)
	data := video(partLen + 1)
	urn, err := media.UploadVideo(context.Background(), rc, owner, bytes.NewReader(data), int64(len(data)),
		media.WithUploadHosts(srv.UploadHost()),
		media.WithCaptions([]byte("1\n00:00:00,000 --> 00:00:01,000\nHello\n")),
		media.WithThumbnail(pngImage(t)))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := srv.MediaAsset(urn)
	if !a.Captions || !a.Thumbnail {
		t.Errorf("captions %v thumbnail %v, want both uploaded", a.Captions, a.Thumbnail)
	}
}

func TestUploadVideo_WaitsForAvailableOnTheServerClock(t *testing.T) {
	// The server's clock moves 5 minutes each time it is read: a video
	// PROCESSING for an hour becomes AVAILABLE after a few status reads,
	// whatever the wall clock does.
	var ticks atomic.Int64
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	srv, rc := newServer(t, restlitest.WithClock(func() time.Time {
		return start.Add(time.Duration(ticks.Add(1)) * 5 * time.Minute)
	}))
	srv.SetMediaOptions(restlitest.MediaOptions{PartSize: partLen, ProcessingDelay: time.Hour})
	data := video(200_000)
	urn, err := media.UploadVideo(context.Background(), rc, owner, bytes.NewReader(data), int64(len(data)),
		media.WithUploadHosts(srv.UploadHost()), media.WithWait(time.Minute, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	reads := srv.Count(func(r restlitest.Request) bool { return r.RestliMethod == restli.MethodGet })
	if reads < 2 {
		t.Errorf("%d status reads, want several (PROCESSING, then AVAILABLE)", reads)
	}
	if a, _ := srv.MediaAsset(urn); a.Status != media.StatusAvailable {
		t.Errorf("status %s, want AVAILABLE", a.Status)
	}
}

func TestUploadVideo_WaitBoundEndsWithWaitError(t *testing.T) {
	srv, rc := newServer(t)
	srv.SetMediaOptions(restlitest.MediaOptions{PartSize: partLen, ProcessingDelay: 1000 * time.Hour})
	data := video(200_000)
	urn, err := media.UploadVideo(context.Background(), rc, owner, bytes.NewReader(data), int64(len(data)),
		media.WithUploadHosts(srv.UploadHost()), media.WithWait(30*time.Millisecond, time.Millisecond))
	var we *media.WaitError
	if !errors.As(err, &we) || we.Status != media.StatusProcessing || we.URN != urn {
		t.Fatalf("err = %v, want a WaitError for %s in PROCESSING", err, urn)
	}
}
