package transport_test

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/linkedin-go/linkedin/middleware"
)

// rtFunc adapts a function to http.RoundTripper.
type rtFunc func(*http.Request) (*http.Response, error)

func (f rtFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// canned is a base RoundTripper that answers 200 with an empty body.
func canned() rtFunc {
	return func(r *http.Request) (*http.Response, error) {
		if r.Body != nil {
			r.Body.Close()
		}
		return &http.Response{StatusCode: 200, Status: "200 OK", Header: http.Header{},
			Body: http.NoBody, Request: r}, nil
	}
}

// recorder is a Middleware that appends its name to a shared trace each
// time a request passes through it.
type recorder struct {
	mu    sync.Mutex
	trace []string
}

func (r *recorder) layer(name string) func(http.RoundTripper) http.RoundTripper {
	return func(next http.RoundTripper) http.RoundTripper {
		return rtFunc(func(req *http.Request) (*http.Response, error) {
			r.mu.Lock()
			r.trace = append(r.trace, name)
			r.mu.Unlock()
			return next.RoundTrip(req)
		})
	}
}

func (r *recorder) names() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.trace...)
}

// wireRequest is a request as a test server received it, with its query
// tunneling undone per restli-protocol.md §7.4.
type wireRequest struct {
	WireMethod     string
	Method, Query  string
	Body           string
	Header         http.Header
	DecodeErr      error
	ContentTypeOut string
}

// server is a loopback server that records what it receives and answers
// with status codes from a script (200 when the script runs out).
type server struct {
	*httptest.Server
	mu       sync.Mutex
	got      []wireRequest
	statuses []int
}

func newServer(t *testing.T, statuses ...int) *server {
	t.Helper()
	s := &server{statuses: statuses}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		wr := decodeTunnel(r, body)
		s.mu.Lock()
		s.got = append(s.got, wr)
		status := http.StatusOK
		if len(s.statuses) > 0 {
			status, s.statuses = s.statuses[0], s.statuses[1:]
		}
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write([]byte(`{"elements":[]}`))
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) requests() []wireRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]wireRequest(nil), s.got...)
}

// decodeTunnel undoes query tunneling as a Rest.li server does (§7.4).
func decodeTunnel(r *http.Request, body []byte) wireRequest {
	wr := wireRequest{WireMethod: r.Method, Method: r.Method, Query: r.URL.RawQuery,
		Body: string(body), Header: r.Header.Clone(), ContentTypeOut: r.Header.Get("Content-Type")}
	o := r.Header.Get("X-HTTP-Method-Override")
	if o == "" {
		return wr
	}
	wr.Method, wr.Body, wr.ContentTypeOut = o, "", ""
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case err != nil:
		wr.DecodeErr = err
	case mt == "application/x-www-form-urlencoded":
		wr.Query = string(body)
	case mt == "multipart/mixed":
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for i := 0; ; i++ {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				wr.DecodeErr = err
				break
			}
			data, _ := io.ReadAll(p)
			if i == 0 {
				wr.Query = string(data)
			} else {
				wr.Body, wr.ContentTypeOut = string(data), p.Header.Get("Content-Type")
			}
		}
	default:
		wr.DecodeErr = fmt.Errorf("unexpected content type %q", mt)
	}
	return wr
}

// drain reads and closes a response body so the connection is reused.
func drain(resp *http.Response) {
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// moduleUserAgent returns the module's own User-Agent token
// ("linkedin-go/<version>"), as the header layer writes it.
func moduleUserAgent() string {
	var ua string
	rt := middleware.UserAgent("")(rtFunc(func(r *http.Request) (*http.Response, error) {
		ua = r.Header.Get("User-Agent")
		return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
	}))
	req, _ := http.NewRequest(http.MethodGet, "https://api.linkedin.com/", nil)
	if resp, err := rt.RoundTrip(req); err == nil {
		resp.Body.Close()
	}
	return ua
}
