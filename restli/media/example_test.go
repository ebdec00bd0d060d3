// This file holds the runnable examples of the package, against the fake
// LinkedIn server of package restlitest.

package media_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/linkedin-go/linkedin/restli/media"
	"github.com/linkedin-go/linkedin/restli/restlitest"
)

// Upload a video in parallel 4 MiB parts, then wait until LinkedIn has
// processed it. Against LinkedIn, rc is restli.NewClient(transport.NewClient(
// transport.WithTokenSource(ts)), restli.WithVersion("202601")) and the
// source an *os.File; WithUploadHosts is not needed.
func ExampleUploadVideo() {
	srv := restlitest.NewServer()
	defer srv.Close()
	rc := srv.RestliClient()

	data := video(9 << 20) // 9 MiB: three parts
	urn, err := media.UploadVideo(context.Background(), rc, "urn:li:organization:2414183",
		bytes.NewReader(data), int64(len(data)),
		media.WithUploadHosts(srv.UploadHost()), // the fake server is the upload host
		media.WithParallelism(2),
		media.WithProgress(func(p media.Progress) {}),
		media.WithWait(time.Minute, 10*time.Millisecond))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.HasPrefix(urn, "urn:li:video:"))
	st, _ := media.Status(context.Background(), rc, urn)
	fmt.Println(st)
	// Output:
	// true
	// AVAILABLE
}

// Upload an image and use it in a post.
func ExampleUploadImage() {
	srv := restlitest.NewServer()
	defer srv.Close()
	rc := srv.RestliClient()

	img := []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff" +
		"\x2C\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00\x3B")
	urn, err := media.UploadImage(context.Background(), rc, "urn:li:person:yrZCpj2Z12", bytes.NewReader(img),
		media.WithUploadHosts(srv.UploadHost()), media.WithWait(time.Minute, 10*time.Millisecond))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.HasPrefix(urn, "urn:li:image:"))
	// Output: true
}

// Save the upload state after every part; after a crash, read it back and
// resume: the parts already sent are not sent again.
func ExampleResumeVideo() {
	srv := restlitest.NewServer()
	defer srv.Close()
	rc := srv.RestliClient()
	data := video(9 << 20)

	var saved []byte // in a real program: a file or a database row
	ctx, crash := context.WithCancel(context.Background())
	_, err := media.UploadVideo(ctx, rc, "urn:li:organization:2414183", bytes.NewReader(data), int64(len(data)),
		media.WithUploadHosts(srv.UploadHost()), media.WithParallelism(1),
		media.WithCheckpoint(func(s *media.UploadState) {
			saved, _ = json.Marshal(s)
			if s.PartsDone() == 2 {
				crash()
			}
		}))
	fmt.Println("first run:", err)

	state, err := media.DecodeState(saved)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("parts done:", state.PartsDone(), "of", len(state.Instructions))
	if _, err := media.ResumeVideo(context.Background(), rc, state, bytes.NewReader(data),
		media.WithUploadHosts(srv.UploadHost())); err != nil {
		log.Fatal(err)
	}
	a, _ := srv.MediaAsset(state.URN)
	fmt.Println("PUTs per part:", a.PartPuts)
	// Output:
	// first run: context canceled
	// parts done: 2 of 3
	// PUTs per part: [1 1 1]
}
