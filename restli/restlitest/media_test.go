// This file tests the fake media endpoints and upload host on the wire:
// instructions, byte-range and signature checks, ETags, finalize checks,
// URL expiry and processing on the server's clock, and the request record.

package restlitest_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
)

type videoInit struct {
	Video        string `json:"video"`
	UploadToken  string `json:"uploadToken"`
	ExpireAt     int64  `json:"uploadUrlsExpireAt"`
	Instructions []struct {
		URL   string `json:"uploadUrl"`
		First int64  `json:"firstByte"`
		Last  int64  `json:"lastByte"`
	} `json:"uploadInstructions"`
	Captions string `json:"captionsUploadUrl"`
}

func initVideo(t *testing.T, c *restli.Client, size int64, captions bool) videoInit {
	t.Helper()
	res, err := restli.ActionAs[videoInit](context.Background(), c, restli.ActionRequest{
		ResourcePath: "/videos", ActionName: "initializeUpload",
		ActionParams: map[string]any{"initializeUploadRequest": map[string]any{
			"owner": "urn:li:person:abc", "fileSizeBytes": size, "uploadCaptions": captions, "uploadThumbnail": false}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return res.Value
}

// plainClient is net/http alone, its connections closed at the end of the
// test.
func plainClient(t *testing.T) *http.Client {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

func putPart(t *testing.T, url string, body []byte, contentLength int64) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPut, url, bytes.NewReader(body))
	req.ContentLength = contentLength
	hc := plainClient(t)
	defer hc.CloseIdleConnections()
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func finalize(c *restli.Client, v videoInit, ids []string) error {
	_, err := c.Action(context.Background(), restli.ActionRequest{
		ResourcePath: "/videos", ActionName: "finalizeUpload",
		ActionParams: map[string]any{"finalizeUploadRequest": map[string]any{
			"video": v.Video, "uploadToken": v.UploadToken, "uploadedPartIds": ids}},
	})
	return err
}

func status(t *testing.T, c *restli.Client, urn string) string {
	t.Helper()
	res, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/videos/{id}", PathKeys: map[string]any{"id": urn}})
	if err != nil {
		t.Fatal(err)
	}
	return res.Entity["status"].(string)
}

func TestMedia_VideoUploadOnTheWire(t *testing.T) {
	srv := newServer(t)
	srv.SetMediaOptions(restlitest.MediaOptions{PartSize: 10, ProcessingDelay: time.Minute})
	c := srv.RestliClient()
	v := initVideo(t, c, 25, true)
	if len(v.Instructions) != 3 || v.Instructions[2].First != 20 || v.Instructions[2].Last != 24 || v.UploadToken == "" {
		t.Fatalf("instructions %+v token %q", v.Instructions, v.UploadToken)
	}
	if !strings.HasPrefix(v.Instructions[0].URL, srv.URL+"/dms-uploads/") || v.Captions == "" {
		t.Fatalf("upload URL %q captions %q", v.Instructions[0].URL, v.Captions)
	}
	if got := status(t, c, v.Video); got != "WAITING_UPLOAD" {
		t.Errorf("status %s, want WAITING_UPLOAD", got)
	}
	data := []byte("0123456789abcdefghijKLMNO")

	// Wrong length, wrong signature, unknown upload, wrong method.
	if r := putPart(t, v.Instructions[0].URL, data[:9], 9); r.StatusCode != http.StatusBadRequest {
		t.Errorf("short part: %d, want 400", r.StatusCode)
	}
	if r := putPart(t, strings.Replace(v.Instructions[0].URL, "sig=", "sig=x", 1), data[:10], 10); r.StatusCode != http.StatusForbidden {
		t.Errorf("bad signature: %d, want 403", r.StatusCode)
	}
	if r := putPart(t, srv.URL+"/dms-uploads/nope/0?sig=x", data[:10], 10); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown upload: %d, want 404", r.StatusCode)
	}
	if r, err := plainClient(t).Get(v.Instructions[0].URL); err != nil || r.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET on an upload URL: %v %v", r, err)
	} else {
		r.Body.Close()
	}

	var etags []string
	for i, in := range v.Instructions {
		r := putPart(t, in.URL, data[in.First:in.Last+1], in.Last-in.First+1)
		if r.StatusCode != http.StatusOK || r.Header.Get("ETag") == "" {
			t.Fatalf("part %d: %d etag %q", i, r.StatusCode, r.Header.Get("ETag"))
		}
		etags = append(etags, r.Header.Get("ETag"))
	}
	if r := putPart(t, v.Captions, []byte("1\n"), 2); r.StatusCode != http.StatusOK {
		t.Errorf("captions: %d", r.StatusCode)
	}

	// finalize checks the ETags exactly, in order, and the upload token.
	for name, ids := range map[string][]string{
		"swapped":  {etags[1], etags[0], etags[2]},
		"quoted":   {`"` + etags[0] + `"`, etags[1], etags[2]},
		"too few":  etags[:2],
		"modified": {etags[0], etags[1], etags[2] + "x"},
	} {
		if err := finalize(c, v, ids); !restliStatus(err, http.StatusBadRequest) {
			t.Errorf("finalize %s: %v, want 400", name, err)
		}
	}
	bad := v
	bad.UploadToken = "other"
	if err := finalize(c, bad, etags); !restliStatus(err, http.StatusBadRequest) {
		t.Errorf("finalize with another uploadToken: %v, want 400", err)
	}
	if err := finalize(c, v, etags); err != nil {
		t.Fatal(err)
	}
	if got := status(t, c, v.Video); got != "PROCESSING" {
		t.Errorf("status %s, want PROCESSING", got)
	}
	srv.Advance(time.Minute)
	if got := status(t, c, v.Video); got != "AVAILABLE" {
		t.Errorf("status %s, want AVAILABLE", got)
	}
	a, _ := srv.MediaAsset(v.Video)
	if !a.Captions || a.PartPuts[0] != 3 || a.PutsWithToken != 0 {
		t.Errorf("asset %+v", a)
	}
	for _, r := range srv.Requests() {
		if strings.HasPrefix(r.Path, "/dms-uploads/") && strings.Contains(r.Query, "sig=") && !strings.Contains(r.Query, "sig=REDACTED") {
			t.Errorf("recorded query %q keeps the signature", r.Query)
		}
	}
}

func restliStatus(err error, status int) bool {
	var e *restli.Error
	return errors.As(err, &e) && e.StatusCode == status
}

func TestMedia_UploadURLsExpireOnTheServerClock(t *testing.T) {
	srv := newServer(t)
	srv.SetMediaOptions(restlitest.MediaOptions{URLTTL: time.Hour})
	c := srv.RestliClient()
	v := initVideo(t, c, 100, false)
	srv.Advance(time.Hour + time.Second)
	r := putPart(t, v.Instructions[0].URL, make([]byte, 100), 100)
	if r.StatusCode != http.StatusForbidden {
		t.Errorf("expired URL: %d, want 403", r.StatusCode)
	}
	if v.UploadToken != "" {
		t.Errorf("single-part upload token %q, want empty as LinkedIn sends it", v.UploadToken)
	}
}

func TestMedia_ImageUploadAndFaults(t *testing.T) {
	srv := newServer(t)
	c := srv.RestliClient()
	res, err := restli.ActionAs[struct {
		URL   string `json:"uploadUrl"`
		Image string `json:"image"`
	}](context.Background(), c, restli.ActionRequest{ResourcePath: "/images", ActionName: "initializeUpload",
		ActionParams: map[string]any{"initializeUploadRequest": map[string]any{"owner": "urn:li:organization:1"}}})
	if err != nil {
		t.Fatal(err)
	}
	srv.FailUploadPart(0, 1, http.StatusBadGateway)
	if r := putPart(t, res.Value.URL, []byte("GIF89a..."), 9); r.StatusCode != http.StatusBadGateway {
		t.Errorf("injected fault: %d, want 502", r.StatusCode)
	}
	srv.DropUploadETag(0, 1)
	if r := putPart(t, res.Value.URL, []byte("GIF89a..."), 9); r.StatusCode != http.StatusCreated || r.Header.Get("ETag") != "" {
		t.Errorf("dropped ETag: %d %q", r.StatusCode, r.Header.Get("ETag"))
	}
	got, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/images/{id}", PathKeys: map[string]any{"id": res.Value.Image}})
	if err != nil || got.Entity["status"] != "AVAILABLE" {
		t.Errorf("image: %v %v", got, err)
	}
	_, err = c.Action(context.Background(), restli.ActionRequest{ResourcePath: "/images", ActionName: "initializeUpload",
		ActionParams: map[string]any{"initializeUploadRequest": map[string]any{"owner": "acme"}}})
	if !restliStatus(err, http.StatusBadRequest) {
		t.Errorf("bad owner: %v, want 400", err)
	}
}

func TestMedia_PostNamingMediaNotAvailable(t *testing.T) {
	srv := newServer(t)
	srv.SetMediaOptions(restlitest.MediaOptions{ProcessingDelay: time.Hour})
	c := srv.RestliClient()
	v := initVideo(t, c, 10, false)
	post := map[string]any{"author": "urn:li:person:abc", "content": map[string]any{"media": map[string]any{"id": v.Video}}}
	_, err := c.Create(context.Background(), restli.CreateRequest{ResourcePath: "/posts", Entity: post})
	var e *restli.Error
	if !errors.As(err, &e) || e.Code != restlitest.CodeMediaWaitingUpload {
		t.Fatalf("err = %v, want MEDIA_ASSET_WAITING_UPLOAD", err)
	}
	// Media the server did not issue is not checked.
	post["content"] = map[string]any{"media": map[string]any{"id": "urn:li:video:seeded"}}
	if _, err := c.Create(context.Background(), restli.CreateRequest{ResourcePath: "/posts", Entity: post}); err != nil {
		t.Fatal(err)
	}
}
