// This file tests the token rule: part uploads never carry the bearer
// token unless asked, the token layer then decides by its own allow-list,
// and an upload URL outside the upload hosts gets nothing at all.

package media_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/media"
	"github.com/linkedin-go/linkedin/restli/restlitest"
	"github.com/linkedin-go/linkedin/transport"
)

const tokenCanary = "TOKEN-CANARY-0123456789"

// otherHost is another loopback server that records what it receives.
type otherHost struct {
	*httptest.Server
	mu    sync.Mutex
	puts  int
	auths []string
}

func newOtherHost(t *testing.T) *otherHost {
	h := &otherHost{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.puts++
		if a := r.Header.Get("Authorization"); a != "" {
			h.auths = append(h.auths, a)
		}
		h.mu.Unlock()
		w.Header().Set("ETag", "/ambry-video/elsewhere")
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *otherHost) seen() (int, []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.puts, append([]string(nil), h.auths...)
}

func TestUploadVideo_TokenNeverReachesAnotherHost(t *testing.T) {
	data := video(100_000)
	for _, tc := range []struct {
		name       string
		uploadHost bool // the other host is listed with WithUploadHosts
		tokenHost  bool // the token layer may send its token there
		withAuth   bool // WithUploadAuthorization
		wantPuts   bool
	}{
		{"unlisted host is refused", false, true, true, false},
		{"listed host gets no token by default", true, true, false, true},
		{"listed host outside the token layer's list gets no token", true, false, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			other := newOtherHost(t)
			srv, _ := newServer(t, restlitest.WithToken(tokenCanary))
			redirectUploads(srv, other.URL)
			hosts := []string{srv.UploadHost()}
			if tc.tokenHost {
				hosts = append(hosts, hostOf(other.URL))
			}
			hc := transport.NewClient(
				transport.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tokenCanary})),
				transport.WithTokenHosts(hosts...), transport.WithVersion(restlitest.DefaultVersion),
				transport.WithoutTelemetry())
			rc := restli.NewClient(hc, restli.WithBaseURL(srv.URL+"/rest"))
			opts := []media.Option{}
			if tc.uploadHost {
				opts = append(opts, media.WithUploadHosts(hostOf(other.URL)))
			}
			if tc.withAuth {
				opts = append(opts, media.WithUploadAuthorization())
			}
			_, err := media.UploadVideo(context.Background(), rc, owner, bytes.NewReader(data), int64(len(data)), opts...)
			puts, auths := other.seen()
			if len(auths) != 0 {
				t.Fatalf("the other host received Authorization %q", auths)
			}
			if tc.wantPuts != (puts > 0) {
				t.Errorf("%d PUTs on the other host, want some: %v", puts, tc.wantPuts)
			}
			if !tc.uploadHost {
				var he *media.UploadHostError
				if !errors.As(err, &he) {
					t.Fatalf("err = %v, want an UploadHostError", err)
				}
			}
			if err != nil && (strings.Contains(err.Error(), tokenCanary) || strings.Contains(err.Error(), "SIGNATURE-CANARY")) {
				t.Errorf("error %q shows a secret", err)
			}
		})
	}
}

func TestUploadVideo_UploadAuthorizationFollowsTheTokenLayer(t *testing.T) {
	// srv.Client's token layer may send the token to the server's host, which
	// is also the fake upload host: with WithUploadAuthorization the parts
	// carry it, without it they do not.
	for _, withAuth := range []bool{false, true} {
		srv, rc := newServer(t)
		data := video(100_000)
		opts := []media.Option{media.WithUploadHosts(srv.UploadHost())}
		if withAuth {
			opts = append(opts, media.WithUploadAuthorization())
		}
		urn, err := media.UploadVideo(context.Background(), rc, owner, bytes.NewReader(data), int64(len(data)), opts...)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := srv.MediaAsset(urn)
		if got := a.PutsWithToken > 0; got != withAuth {
			t.Errorf("WithUploadAuthorization %v: %d PUTs with a token", withAuth, a.PutsWithToken)
		}
	}
}

func TestUploadVideo_UploadHostsRequireHTTPSOffLoopback(t *testing.T) {
	srv, rc := newServer(t)
	srv.HandleAction("/videos", "initializeUpload", func(r *restlitest.Request, p map[string]any, c *restlitest.Collection) (any, error) {
		return map[string]any{"video": "urn:li:video:1", "uploadToken": "", "uploadInstructions": []map[string]any{
			{"uploadUrl": "http://www.linkedin.com/dms-uploads/1?sig=x", "firstByte": 0, "lastByte": 99_999},
		}}, nil
	})
	data := video(100_000)
	_, err := media.UploadVideo(context.Background(), rc, owner, bytes.NewReader(data), int64(len(data)))
	var he *media.UploadHostError
	if !errors.As(err, &he) || he.Scheme != "http" {
		t.Fatalf("err = %v, want an UploadHostError for plain http", err)
	}
}

func TestUploadVideo_PerCallAccessTokenStaysOnTheAPI(t *testing.T) {
	srv := restlitest.NewServer(fastRetry())
	defer srv.Close()
	// A client without a token layer: the token goes per call.
	rc := restli.NewClient(&http.Client{}, restli.WithBaseURL(srv.URL+"/rest"), restli.WithVersion(restlitest.DefaultVersion))
	data := video(100_000)
	urn, err := media.UploadVideo(context.Background(), rc, owner, bytes.NewReader(data), int64(len(data)),
		media.WithUploadHosts(srv.UploadHost()), media.WithAccessToken(srv.Token()))
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := srv.MediaAsset(urn); a.PutsWithToken != 0 || !a.Finalized {
		t.Errorf("%d PUTs with a token, finalized %v", a.PutsWithToken, a.Finalized)
	}
}

func TestUploadVideo_ErrorsNeverShowTheUploadSignature(t *testing.T) {
	srv, rc := newServer(t, restlitest.WithToken(tokenCanary))
	// Every PUT gets its connection reset: the part fails with a transport
	// error, whose net/http text would name the URL, signature included.
	srv.Fail(restlitest.Fault{Path: "/dms-uploads", Reset: true, Times: -1})
	data := video(100_000)
	var state *media.UploadState
	_, err := media.UploadVideo(context.Background(), rc, owner, bytes.NewReader(data), int64(len(data)),
		media.WithUploadHosts(srv.UploadHost()), media.WithCheckpoint(func(s *media.UploadState) { state = s }))
	var pe *media.PartError
	if !errors.As(err, &pe) || pe.Err == nil {
		t.Fatalf("err = %v, want a PartError with a transport error", err)
	}
	t.Log(err)
	sig := state.Instructions[0].UploadURL[strings.Index(state.Instructions[0].UploadURL, "sig=")+len("sig="):]
	for _, secret := range []string{sig, tokenCanary, state.UploadToken} {
		if secret != "" && strings.Contains(err.Error(), secret) {
			t.Errorf("error %q shows a secret", err)
		}
	}
	if !strings.Contains(err.Error(), "sig=REDACTED") && strings.Contains(err.Error(), "sig=") {
		t.Errorf("error %q", err)
	}
}
