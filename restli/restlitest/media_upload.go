// This file is the fake upload host: PUTs to the pre-signed URLs that
// initializeUpload hands out. It checks the signature, the URL's expiry on
// the server's clock and each part's byte length, streams the body through
// a checksum without keeping it, and answers with an ETag per part, unless a
// fault says otherwise.

package restlitest

import (
	"hash/crc32"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// copyBufs recycles the copy buffers of part bodies.
var copyBufs = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}

// serveUpload answers a request to the upload host (a path under
// /dms-uploads/): it fills rec, calls record before answering, and writes
// the answer.
func (s *Server) serveUpload(w http.ResponseWriter, r *http.Request, rec *Request, record func()) {
	// The query is the URL's signature: record the names only.
	rec.Query = redactQueryValues(r.URL.RawQuery)
	answer := func(status int, code, msg string, etag string) {
		rec.Status = status
		rec.ErrorCode = code
		rec.Applied = status >= 200 && status <= 299
		record()
		h := w.Header()
		if etag != "" {
			h.Set("ETag", etag)
		}
		var body []byte
		if code != "" {
			body = errorResponse(&Error{Status: status, Code: code, Message: msg}).body
			h.Set("Content-Type", "application/json")
		}
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}
	if f := s.faultFor(rec); f != nil {
		rec.Fault = f
		stop, replace := s.faultStep(w, r, f, record)
		if stop {
			return
		}
		if replace {
			discard(r.Body, maxFakeSingleBytes)
			st := f.Status
			if st == 0 {
				st = http.StatusServiceUnavailable
			}
			answer(st, CodeInjectedFault, "fault injected by restlitest", "")
			return
		}
	}
	id, part, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, uploadPrefix), "/")
	now := s.now()
	m := &s.media
	m.mu.Lock()
	a := m.byID[id]
	var expectLen int64 = -1
	index := -1
	ok := a != nil
	if ok {
		switch part {
		case "captions", "thumbnail":
			ok = (part == "captions" && a.wantCaps) || (part == "thumbnail" && a.wantThumb)
		default:
			n, err := strconv.Atoi(part)
			ok = err == nil && n >= 0 && n < a.Parts && strconv.Itoa(n) == part
			index = n
			if ok && a.Kind == "video" {
				expectLen = partLen(a, n)
			}
		}
	}
	var sig string
	var expired bool
	if ok {
		sig, expired = a.sig, now.After(a.expires)
		if index >= 0 && r.Method == http.MethodPut {
			a.PartPuts[index]++
		}
		if r.Header.Get("Authorization") != "" {
			a.PutsWithToken++
		}
	}
	m.mu.Unlock()
	switch {
	case !ok:
		discard(r.Body, 1<<20)
		answer(http.StatusNotFound, CodeNotFound, "no such upload URL", "")
		return
	case r.Method != http.MethodPut:
		answer(http.StatusMethodNotAllowed, CodeInvalidMethod, "upload URLs take PUT", "")
		return
	case r.URL.Query().Get("sig") != sig:
		discard(r.Body, 1<<20)
		answer(http.StatusForbidden, CodeUploadSignature, "the upload URL's signature is not valid", "")
		return
	case expired:
		discard(r.Body, 1<<20)
		answer(http.StatusForbidden, CodeUploadURLExpired, "the upload URL has expired", "")
		return
	case expectLen >= 0 && r.ContentLength >= 0 && r.ContentLength != expectLen:
		answer(http.StatusBadRequest, CodeIllegalArgument, "Content-Length "+strconv.FormatInt(r.ContentLength, 10)+
			" does not match the part's byte range ("+strconv.FormatInt(expectLen, 10)+" bytes)", "")
		return
	}

	limit := expectLen
	if limit < 0 {
		limit = maxFakeSingleBytes
	}
	h := crc32.NewIEEE()
	bp := copyBufs.Get().(*[]byte)
	n, err := io.CopyBuffer(h, io.LimitReader(r.Body, limit+1), *bp)
	copyBufs.Put(bp)
	if err != nil {
		return // the client went away
	}
	switch {
	case expectLen >= 0 && n != expectLen:
		answer(http.StatusBadRequest, CodeIllegalArgument, "the body holds "+strconv.FormatInt(n, 10)+
			" bytes; the part's byte range holds "+strconv.FormatInt(expectLen, 10), "")
		return
	case n > limit:
		answer(http.StatusRequestEntityTooLarge, CodeRequestTooLarge, "upload larger than "+strconv.FormatInt(limit, 10)+" bytes", "")
		return
	}

	m.mu.Lock()
	fault := m.takePartFault(index)
	if fault != nil && !fault.drop {
		m.mu.Unlock()
		answer(fault.status, CodeInjectedFault, "upload part fault injected by restlitest", "")
		return
	}
	status := http.StatusOK
	etag := ""
	switch part {
	case "captions":
		a.Captions = true
	case "thumbnail":
		a.Thumbnail = true
	default:
		sum := h.Sum32()
		a.PartCRC32[index] = sum
		a.received[index] = true
		etag = "/ambry-video/signedId/" + a.id + "/" + part + "/" + strconv.FormatUint(uint64(sum), 16)
		if m.opts.QuoteETags {
			etag = `"` + etag + `"`
		}
		a.etags[index] = etag
		if a.Kind != "video" {
			status = http.StatusCreated
			a.Size = n
			s.completeLocked(a, now)
		}
	}
	m.mu.Unlock()
	if fault != nil { // drop the ETag
		etag = ""
	}
	answer(status, "", "", etag)
}

// partLen returns the byte length of part n of a video.
func partLen(a *mediaAsset, n int) int64 {
	first := int64(n) * a.partSize
	return min(first+a.partSize, a.Size) - first
}

// takePartFault returns the next fault for a PUT of part index and uses
// it up. The caller holds m.mu.
func (m *mediaState) takePartFault(index int) *partFault {
	for i, f := range m.faults {
		if f.part != index {
			continue
		}
		f.left--
		if f.left <= 0 {
			m.faults = append(m.faults[:i:i], m.faults[i+1:]...)
		}
		return f
	}
	return nil
}

// discard reads and drops up to n bytes of body, so the connection can be
// reused.
func discard(body io.Reader, n int64) {
	if body != nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(body, n))
	}
}

// redactQueryValues keeps a query's parameter names and replaces every
// value by REDACTED.
func redactQueryValues(q string) string {
	if q == "" {
		return ""
	}
	parts := strings.Split(q, "&")
	for i, p := range parts {
		if name, _, ok := strings.Cut(p, "="); ok {
			parts[i] = name + "=REDACTED"
		}
	}
	return strings.Join(parts, "&")
}
