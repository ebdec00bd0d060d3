// This file checks upload instructions before a byte is sent: the ranges
// must cover [0, size) in order, contiguously, without overlap, and every
// URL must point to an upload host.

package media

import (
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/linkedin-go/linkedin/restli"
)

// Instruction is one part of a video upload, as initializeUpload returns
// it: PUT bytes FirstByte..LastByte (inclusive) of the file to UploadURL.
type Instruction struct {
	UploadURL string `json:"uploadUrl"`
	FirstByte int64  `json:"firstByte"`
	LastByte  int64  `json:"lastByte"`
}

// Len returns the number of bytes of the part.
func (in Instruction) Len() int64 { return in.LastByte - in.FirstByte + 1 }

// validateInstructions checks that ins cover [0, size) in order,
// contiguously and without overlap, that no part is larger than
// MaxPartBytes and that every URL parses as an absolute http(s) URL.
func validateInstructions(ins []Instruction, size int64) error {
	if size <= 0 {
		return &InstructionsError{Index: -1, Reason: "size " + strconv.FormatInt(size, 10) + " is not positive"}
	}
	if len(ins) == 0 {
		return &InstructionsError{Index: -1, Reason: "no instructions"}
	}
	var next int64
	for i, in := range ins {
		switch {
		case in.FirstByte != next:
			if in.FirstByte < next {
				return &InstructionsError{Index: i, Reason: "overlaps the previous part (firstByte " +
					strconv.FormatInt(in.FirstByte, 10) + ", expected " + strconv.FormatInt(next, 10) + ")"}
			}
			return &InstructionsError{Index: i, Reason: "leaves a gap (firstByte " +
				strconv.FormatInt(in.FirstByte, 10) + ", expected " + strconv.FormatInt(next, 10) + ")"}
		case in.LastByte < in.FirstByte:
			return &InstructionsError{Index: i, Reason: "lastByte before firstByte"}
		case in.LastByte >= size:
			return &InstructionsError{Index: i, Reason: "lastByte " + strconv.FormatInt(in.LastByte, 10) +
				" beyond the file (size " + strconv.FormatInt(size, 10) + ")"}
		case in.Len() > MaxPartBytes:
			return &InstructionsError{Index: i, Reason: "part of " + strconv.FormatInt(in.Len(), 10) +
				" bytes, more than " + strconv.Itoa(MaxPartBytes)}
		}
		if _, err := parseUploadURL(in.UploadURL); err != nil {
			return &InstructionsError{Index: i, Reason: err.Error()}
		}
		next = in.LastByte + 1
	}
	if next != size {
		return &InstructionsError{Index: -1, Reason: "the parts end at byte " + strconv.FormatInt(next, 10) +
			", short of the file's " + strconv.FormatInt(size, 10)}
	}
	return nil
}

// maxUploadQuery bounds an upload URL's query: the default stack's query
// tunnel rewrites requests with longer queries into POSTs, which an upload
// host would not understand.
const maxUploadQuery = 4000

type urlError string

func (e urlError) Error() string { return string(e) }

// parseUploadURL parses an upload URL; the error never quotes the URL,
// whose query is a signature.
func parseUploadURL(raw string) (*url.URL, error) {
	if raw == "" {
		return nil, urlError("empty upload URL")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, urlError("malformed upload URL")
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return nil, urlError("upload URL is not an absolute http(s) URL")
	}
	if len(u.RawQuery) > maxUploadQuery {
		return nil, urlError("upload URL query longer than " + strconv.Itoa(maxUploadQuery) + " bytes")
	}
	return u, nil
}

// hostEntry is one WithUploadHosts entry.
type hostEntry struct {
	host, port string // port "" matches any
}

// uploadHosts decides which upload URLs may be used.
type uploadHosts []hostEntry

func parseUploadHosts(hosts []string) uploadHosts {
	var l uploadHosts
	for _, h := range hosts {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		host, port := h, ""
		if a, err := netip.ParseAddr(strings.Trim(h, "[]")); err == nil {
			host = a.String()
		} else if hh, p, err := net.SplitHostPort(h); err == nil {
			host, port = hh, p
		}
		l = append(l, hostEntry{host: restli.NormalizeHost(host), port: port})
	}
	return l
}

// check returns nil when u may receive media: https to linkedin.com or one
// of its subdomains on the default port, or a listed host (over https, or
// plain http for a listed loopback host).
func (l uploadHosts) check(u *url.URL) error {
	host := restli.NormalizeHost(u.Hostname())
	port := u.Port()
	refuse := &UploadHostError{Scheme: u.Scheme, Host: u.Host}
	if u.Scheme == "https" && (port == "" || port == "443") &&
		(host == "linkedin.com" || strings.HasSuffix(host, ".linkedin.com")) {
		return nil
	}
	for _, e := range l {
		if e.host != host || (e.port != "" && e.port != port) {
			continue
		}
		if u.Scheme == "https" || (u.Scheme == "http" && restli.IsLoopbackHost(host)) {
			return nil
		}
	}
	return refuse
}

// checkURLs applies check to every instruction's URL.
func (l uploadHosts) checkAll(urls []string) error {
	for _, raw := range urls {
		u, err := parseUploadURL(raw)
		if err != nil {
			return &InstructionsError{Index: -1, Reason: err.Error()}
		}
		if err := l.check(u); err != nil {
			return err
		}
	}
	return nil
}
