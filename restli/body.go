package restli

import (
	"context"
	"io"
)

// This file holds the reader every 2xx response body is decoded through.
// It does three things a hostile or broken server makes necessary:
//
//   - it stops at the client's size bound (WithMaxResponseBytes), failing
//     with ErrResponseTooLarge;
//   - it stops when the call's context ends, so that a call whose body is
//     still arriving, or still being decoded, returns promptly with the
//     context's error instead of running past its deadline;
//   - it collapses every run of JSON whitespace outside strings to a single
//     space. encoding/json's Decoder rescans the whitespace it has not
//     consumed after each refill of its buffer (in More, Token and the
//     search for the next value), so a body padded with megabytes of spaces
//     (a few kilobytes of gzip on the wire) cost time quadratic in the
//     padding; with at most one space between tokens, decoding is linear in
//     the body size. One space, not none, so that tokens never merge ("1 2"
//     stays two values).

// bodyReader reads a response body for decoding: bounded, cancellable and,
// when squeeze is set, with whitespace runs collapsed (see the note above).
type bodyReader struct {
	ctx     context.Context // nil means never cancelled
	r       io.Reader
	squeeze bool

	// The squeezing state carried from one Read to the next.
	inString bool // inside a JSON string
	escaped  bool // right after a backslash inside a string
	space    bool // the last byte written outside a string was whitespace
}

// newBodyReader returns a reader of at most max bytes of r that stops when
// ctx ends.
func newBodyReader(ctx context.Context, r io.Reader, max int64, squeeze bool) *bodyReader {
	return &bodyReader{ctx: ctx, r: &limitedReader{r: r, n: max}, squeeze: squeeze}
}

// squeezeReader returns r with JSON whitespace runs collapsed, unless it is
// a squeezing bodyReader already.
func squeezeReader(r io.Reader) io.Reader {
	if b, ok := r.(*bodyReader); ok && b.squeeze {
		return b
	}
	return &bodyReader{r: r, squeeze: true}
}

// Read implements io.Reader. With squeeze set it may read the underlying
// reader several times to return at least one byte (a chunk of nothing but
// whitespace shrinks to one byte or none); every iteration consumes input
// and checks the context, so the loop ends.
func (b *bodyReader) Read(p []byte) (int, error) {
	for {
		if b.ctx != nil {
			if err := b.ctx.Err(); err != nil {
				return 0, err
			}
		}
		n, err := b.r.Read(p)
		if b.squeeze && n > 0 {
			n = b.squeezeJSON(p[:n])
		}
		if n > 0 || err != nil || len(p) == 0 {
			return n, err
		}
	}
}

// squeezeJSON collapses the whitespace runs of p outside strings to one
// space, in place, and returns the new length.
func (b *bodyReader) squeezeJSON(p []byte) int {
	w := 0
	inString, escaped, space := b.inString, b.escaped, b.space
	for i := 0; i < len(p); i++ {
		c := p[i]
		if inString {
			// Copy the run of bytes that neither end the string nor escape.
			j := i
			if !escaped {
				for j < len(p) && p[j] != '"' && p[j] != '\\' {
					j++
				}
				w += copy(p[w:], p[i:j])
				if j == len(p) {
					break
				}
				i, c = j, p[j]
			}
			p[w] = c
			w++
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			if space {
				continue
			}
			space = true
			c = ' '
		case '"':
			inString, space = true, false
		default:
			space = false
		}
		p[w] = c
		w++
	}
	b.inString, b.escaped, b.space = inString, escaped, space
	return w
}

// ctxErr returns the context's error, or nil for a nil context.
func ctxErr(ctx context.Context) error {
	if ctx == nil {
		return nil
	}
	return ctx.Err()
}
