package restlitest

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
)

// maxTunnelParts bounds how many MIME parts of a multipart/mixed tunneled
// body are looked at.
const maxTunnelParts = 16

// ErrTunnel is wrapped by the errors of DecodeTunneled.
var ErrTunnel = errors.New("restlitest: malformed tunneled request")

func tunnelError(reason string) error {
	return &tunnelErr{reason}
}

type tunnelErr struct{ reason string }

func (e *tunnelErr) Error() string { return ErrTunnel.Error() + ": " + e.reason }
func (e *tunnelErr) Unwrap() error { return ErrTunnel }

// DecodeTunneled undoes Rest.li query tunneling the way a Rest.li server
// does (protocol §7.4). A request is tunneled when it is a POST carrying
// X-HTTP-Method-Override; any other request is returned as it is, with
// tunneled false. For a tunneled request the override must be GET, POST,
// PUT, DELETE or OPTIONS, and the body must be either
//
//   - application/x-www-form-urlencoded: the body, byte for byte, is the
//     query string and the request has no body; or
//   - multipart/mixed: the first application/x-www-form-urlencoded part is
//     the query string, and the first other part is the body, its
//     Content-Type becoming the request's. Further parts are ignored.
//
// The query found is appended to the URL's own query (after an '&'). The
// returned request is a shallow copy of r with the override as its method,
// the merged query, the new body (Content-Length set, GetBody replaying it)
// and no X-HTTP-Method-Override header; r is not modified, but its body is
// read and closed. Bound r.Body (http.MaxBytesReader) before calling it
// with a request from the network. Errors wrap ErrTunnel, or are the body's
// read error.
func DecodeTunneled(r *http.Request) (out *http.Request, tunneled bool, err error) {
	override, has := r.Header["X-Http-Method-Override"]
	if !has || r.Method != http.MethodPost {
		return r, false, nil
	}
	var body []byte
	if r.Body != nil {
		body, err = io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return nil, false, err
		}
	}
	method := ""
	if len(override) > 0 {
		method = override[0]
	}
	query, newBody, contentType, err := decodeTunnel(method, r.Header.Get("Content-Type"), body)
	if err != nil {
		return nil, false, err
	}
	out = r.Clone(r.Context())
	out.Method = method
	out.Header.Del("X-Http-Method-Override")
	u := *r.URL
	switch {
	case query == "":
	case u.RawQuery == "":
		u.RawQuery = query
	default:
		u.RawQuery += "&" + query
	}
	out.URL = &u
	out.RequestURI = ""
	out.ContentLength = int64(len(newBody))
	out.Header.Del("Content-Type")
	out.Header.Set("Content-Length", strconv.Itoa(len(newBody)))
	if contentType != "" {
		out.Header.Set("Content-Type", contentType)
	}
	if len(newBody) == 0 {
		out.Body = http.NoBody
		out.GetBody = func() (io.ReadCloser, error) { return http.NoBody, nil }
	} else {
		out.Body = io.NopCloser(bytes.NewReader(newBody))
		out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(newBody)), nil }
	}
	return out, true, nil
}

// decodeTunnel is the core of DecodeTunneled on plain values: the override
// method, the tunneled request's Content-Type and body. It returns the
// query, the inner body and the inner body's Content-Type.
func decodeTunnel(method, contentType string, body []byte) (query string, inner []byte, innerType string, err error) {
	switch method {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodOptions:
	default:
		return "", nil, "", tunnelError("X-HTTP-Method-Override must be GET, POST, PUT, DELETE or OPTIONS")
	}
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return "", nil, "", tunnelError("malformed Content-Type")
	}
	switch mediaType {
	case "application/x-www-form-urlencoded":
		return string(body), nil, "", nil
	case "multipart/mixed":
	default:
		return "", nil, "", tunnelError("Content-Type must be application/x-www-form-urlencoded or multipart/mixed")
	}
	boundary := params["boundary"]
	if boundary == "" {
		return "", nil, "", tunnelError("multipart/mixed without a boundary")
	}
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	haveQuery, haveBody := false, false
	for i := 0; i < maxTunnelParts && !(haveQuery && haveBody); i++ {
		part, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", nil, "", tunnelError("malformed multipart body")
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return "", nil, "", tunnelError("malformed multipart body")
		}
		ct := part.Header.Get("Content-Type")
		pt, _, _ := mime.ParseMediaType(ct)
		switch {
		case pt == "application/x-www-form-urlencoded" && !haveQuery:
			query, haveQuery = string(data), true
		case pt != "application/x-www-form-urlencoded" && !haveBody:
			inner, innerType, haveBody = data, ct, true
		}
	}
	if !haveQuery && !haveBody {
		return "", nil, "", tunnelError("multipart body without parts")
	}
	return query, inner, innerType, nil
}
