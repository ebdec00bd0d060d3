package telemetry

import (
	"errors"
	"io"
)

// body wraps a response body to finish the call when the body has been read
// to EOF or closed, whichever comes first.
type body struct {
	rc   io.ReadCloser
	call *callSpan
}

// newBody wraps rc. A body that is also an io.Writer (the answer to a
// protocol switch) stays one.
func newBody(rc io.ReadCloser, s *callSpan) io.ReadCloser {
	b := &body{rc: rc, call: s}
	if _, ok := rc.(io.ReadWriteCloser); ok {
		return &writableBody{b}
	}
	return b
}

func (b *body) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	switch {
	case err == nil:
	case errors.Is(err, io.EOF):
		b.call.finish(b.call.resp, nil)
	default:
		b.call.bodyErr.CompareAndSwap(nil, &err)
	}
	return n, err
}

// Close closes the body, which ends the attempt span inside, then finishes
// the call, so the call span ends after its children.
func (b *body) Close() error {
	err := b.rc.Close()
	b.call.finish(b.call.resp, nil)
	return err
}

type writableBody struct{ *body }

func (b *writableBody) Write(p []byte) (int, error) {
	return b.rc.(io.Writer).Write(p)
}
