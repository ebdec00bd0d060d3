// This file holds the one way a 2xx response body becomes a value:
// Client.decodeJSON, which every method, typed or not, calls. A small body
// of known length is read whole and handed to unmarshalJSON (jsontyped.go),
// the one place that picks the parser; any other body is decoded as it
// arrives by encoding/json (a collection element by element, stream.go).
// Either way the body is read through bodyReader, which does three things a
// hostile or broken server makes necessary:
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

package restli

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
)

// bodyReader reads a response body for decoding: bounded, cancellable and
// with whitespace runs collapsed (see the note above).
type bodyReader struct {
	ctx context.Context // nil means never cancelled
	r   io.Reader

	// The squeezing state carried from one Read to the next.
	inString bool // inside a JSON string
	escaped  bool // right after a backslash inside a string
	space    bool // the last byte written outside a string was whitespace
}

// newBodyReader returns a reader of at most max bytes of r that stops when
// ctx ends.
func newBodyReader(ctx context.Context, r io.Reader, max int64) *bodyReader {
	return &bodyReader{ctx: ctx, r: &limitedReader{r: r, n: max}}
}

// squeezeReader returns r with JSON whitespace runs collapsed, unless it is
// a bodyReader already.
func squeezeReader(r io.Reader) io.Reader {
	if b, ok := r.(*bodyReader); ok {
		return b
	}
	return &bodyReader{r: r}
}

// Read implements io.Reader. It may read the underlying
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
		if n > 0 {
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

// decodeJSON decodes resp's body into v and closes it. It reports whether
// the body was empty, which is not an error. A small body of known length
// is read whole and decoded from memory; any other is decoded as it
// arrives, through a reader that collapses whitespace (see body.go). Either
// way the work is linear in the body size and stops when the call's context
// ends.
func (c *Client) decodeJSON(resp *http.Response, p *prepared, v any) (empty bool, err error) {
	if c.fastDecodable(resp) {
		body, err := readBody(resp, p)
		if err != nil {
			return false, err
		}
		return decodeJSONDocument(body, p, v)
	}
	defer DrainAndClose(resp.Body)
	return decodeJSONFrom(newBodyReader(p.ctx, resp.Body, c.maxResponseBytes), p, v)
}

// decodeJSONDocument decodes the one JSON value data holds into v, numbers as
// json.Number, and reports whether data was empty (or only whitespace),
// which is not an error.
func decodeJSONDocument(data string, p *prepared, v any) (empty bool, err error) {
	if jsonSpaceOnly(data) {
		return true, nil
	}
	if err := unmarshalJSONText(data, v); err != nil {
		return false, &ResponseBodyError{Method: p.method, Resource: p.b.ResourcePath, Err: withURNField(err, v)}
	}
	return false, nil
}

var errTrailingData = errors.New("unexpected data after the JSON value")

// jsonSpaceOnly reports whether b holds nothing but JSON whitespace.
func jsonSpaceOnly[T string | []byte](b T) bool {
	for i := range len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
		default:
			return false
		}
	}
	return true
}

// decodeJSONFrom decodes the one JSON value r holds into v, numbers as
// json.Number, and reports whether r was empty, which is not an error. r is
// read through a whitespace-collapsing reader, so that encoding/json's
// Decoder works in time linear in the body size.
func decodeJSONFrom(r io.Reader, p *prepared, v any) (empty bool, err error) {
	dec := json.NewDecoder(squeezeReader(r))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		if err == io.EOF {
			return true, nil
		}
		return false, &ResponseBodyError{Method: p.method, Resource: p.b.ResourcePath, Err: withURNField(err, v)}
	}
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			err = errTrailingData
		}
		return false, &ResponseBodyError{Method: p.method, Resource: p.b.ResourcePath, Err: err}
	}
	return false, nil
}

// fastDecodable reports whether resp's body is read whole and decoded from
// memory: its length is known and small.
func (c *Client) fastDecodable(resp *http.Response) bool {
	cl := resp.ContentLength
	return cl >= 0 && cl <= streamThreshold && cl <= c.maxResponseBytes
}

// readBody reads the whole body of a response that fastDecodable accepted
// and closes it. The body is read straight into the string the parser
// works on (and whose substrings the decoded strings are), through a pooled
// buffer: one allocation, the body's own size. It stops when the call's
// context ends, checked before every read, as bodyReader does.
func readBody(resp *http.Response, p *prepared) (string, error) {
	defer DrainAndClose(resp.Body)
	var sb strings.Builder
	sb.Grow(int(resp.ContentLength))
	buf := bodyChunkPool.Get().(*[bodyChunkSize]byte)
	err := readFull(p.ctx, &sb, resp.Body, resp.ContentLength, buf[:])
	bodyChunkPool.Put(buf)
	if err == nil {
		err = ctxErr(p.ctx)
	}
	if err != nil {
		return "", &ResponseBodyError{Method: p.method, Resource: p.b.ResourcePath, Err: err}
	}
	return sb.String(), nil
}

// readFull copies exactly n bytes of r to sb through buf, as io.ReadFull
// would read them (io.ErrUnexpectedEOF for a short body, io.EOF for an
// empty one), checking ctx before every read.
func readFull(ctx context.Context, sb *strings.Builder, r io.Reader, n int64, buf []byte) error {
	idle := 0
	for left := n; left > 0; {
		if err := ctxErr(ctx); err != nil {
			return err
		}
		k, err := r.Read(buf[:min(int64(len(buf)), left)])
		sb.Write(buf[:k])
		left -= int64(k)
		switch {
		case left == 0:
			return nil
		case err == io.EOF && left == n:
			return io.EOF
		case err == io.EOF:
			return io.ErrUnexpectedEOF
		case err != nil:
			return err
		case k == 0:
			if idle++; idle >= maxIdleReads {
				return io.ErrNoProgress
			}
		default:
			idle = 0
		}
	}
	return nil
}

// maxIdleReads bounds the reads in a row that return nothing and no error
// (a broken io.Reader), as bufio does.
const maxIdleReads = 100

// bodyChunkSize is the size of the pooled buffers bodies are read through.
const bodyChunkSize = 4 << 10

// bodyChunkPool holds the buffers readBody and DrainAndClose read through,
// so that neither allocates one per response.
var bodyChunkPool = sync.Pool{New: func() any { return new([bodyChunkSize]byte) }}
