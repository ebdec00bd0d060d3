// Tests of the response body reader: whitespace collapsing, linear
// decoding of padded bodies and cancellation in the middle of a body.
package restli

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// chunkReader returns data at most size bytes per Read, as a network body
// or a gzip reader does.
type chunkReader struct {
	data []byte
	size int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), r.size)], r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestBodyReader_CollapsesWhitespaceOutsideStrings(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"   ", " "},
		{"\n\t\r {  \"a\" :\n 1 ,\"b\":[ 1 ,\t2 ] }  \n", ` { "a" : 1 ,"b":[ 1 , 2 ] } `},
		{`{"a  b":"c \" \\  d\\"}`, `{"a  b":"c \" \\  d\\"}`},
		{`"\\"   "x  y"`, `"\\" "x  y"`},
		{"1   2", "1 2"},
		{`["é  ü",   "\u0020  "]`, `["é  ü", "\u0020  "]`},
	}
	for _, tt := range tests {
		for _, size := range []int{1, 2, 3, 7, 4096} {
			r := &bodyReader{r: &chunkReader{data: []byte(tt.in), size: size}}
			got, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("%q in chunks of %d: got %q, want %q", tt.in, size, got, tt.want)
			}
		}
	}
}

func TestBodyReader_StopsWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := newBodyReader(ctx, strings.NewReader("{}"), 1<<20)
	if _, err := r.Read(make([]byte, 16)); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

// paddedTransport answers every call with body, served in chunks of 4 KiB,
// with ContentLength -1 (as net/http gives a gzip-compressed answer) or, with
// known set, the body's length. It counts the bytes read from the body and
// calls onRead with the running total after each read.
type paddedTransport struct {
	body   []byte
	known  bool
	read   *atomic.Int64
	onRead func(total int64)
}

func (t paddedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	cl := int64(-1)
	if t.known {
		cl = int64(len(t.body))
	}
	return &http.Response{
		StatusCode:    http.StatusOK,
		Header:        http.Header{"Content-Type": {"application/json"}},
		Body:          io.NopCloser(&countingReader{r: &chunkReader{data: t.body, size: 4 << 10}, t: t}),
		ContentLength: cl,
		Request:       req,
	}, nil
}

type countingReader struct {
	r io.Reader
	t paddedTransport
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	total := c.t.read.Add(int64(n))
	if c.t.onRead != nil {
		c.t.onRead(total)
	}
	return n, err
}

// decodingCall is one decoding method, called on a body shaped for it.
type decodingCall struct {
	name string
	// body is the answer, with pad in the places a hostile server pads.
	body func(pad string) string
	call func(ctx context.Context, c *Client) error
}

func decodingCalls() []decodingCall {
	get := GetRequest{ResourcePath: "/adAccounts/{id}", PathKeys: map[string]any{"id": 1}}
	finder := FinderRequest{ResourcePath: "/adAccounts", FinderName: "search"}
	batch := BatchGetRequest{ResourcePath: "/adAccounts", IDs: []any{1, 2}}
	action := ActionRequest{ResourcePath: "/adAccounts", ActionName: "count"}
	type entity struct {
		Name string `json:"name"`
	}
	entityBody := func(pad string) string { return pad + `{` + pad + `"name"` + pad + `:` + pad + `"x"` + pad + `}` + pad }
	collectionBody := func(pad string) string {
		return pad + `{"elements":[` + pad + `{"name":"a"}` + pad + `,` + pad + `{"name":"b"}` + pad + `]` + pad +
			`,"paging":` + pad + `{"start":0,"count":2}` + pad + `}` + pad
	}
	check := func(got, want int) error {
		if got != want {
			return errors.New("wrong number of results")
		}
		return nil
	}
	return []decodingCall{
		{"Get", entityBody, func(ctx context.Context, c *Client) error {
			r, err := c.Get(ctx, get)
			if err != nil {
				return err
			}
			return check(len(r.Entity), 1)
		}},
		{"GetAs", entityBody, func(ctx context.Context, c *Client) error {
			r, err := GetAs[entity](ctx, c, get)
			if err != nil {
				return err
			}
			return check(len(r.Entity.Name), 1)
		}},
		{"BatchGet", func(pad string) string {
			return pad + `{"results":` + pad + `{"1":{"name":"a"},` + pad + `"2":{"name":"b"}}` + pad + `}` + pad
		}, func(ctx context.Context, c *Client) error {
			r, err := c.BatchGet(ctx, batch)
			if err != nil {
				return err
			}
			return check(len(r.Results), 2)
		}},
		{"ActionAs", func(pad string) string { return pad + `{"value":` + pad + `[1,` + pad + `2]` + pad + `}` + pad },
			func(ctx context.Context, c *Client) error {
				r, err := ActionAs[[]int](ctx, c, action)
				if err != nil {
					return err
				}
				return check(len(r.Value), 2)
			}},
		{"Finder", collectionBody, func(ctx context.Context, c *Client) error {
			r, err := c.Finder(ctx, finder)
			if err != nil {
				return err
			}
			return check(len(r.Elements), 2)
		}},
		{"FinderAs", collectionBody, func(ctx context.Context, c *Client) error {
			r, err := FinderAs[entity](ctx, c, finder)
			if err != nil {
				return err
			}
			return check(len(r.Elements), 2)
		}},
	}
}

func TestDecode_WhitespacePaddedBodiesDecode(t *testing.T) {
	pad := strings.Repeat(" \n\t\r", 64<<10) // 256 KiB per place
	for _, dc := range decodingCalls() {
		for _, known := range []bool{false, true} {
			body := []byte(dc.body(pad))
			c := NewClient(&http.Client{Transport: paddedTransport{body: body, known: known, read: new(atomic.Int64)}})
			if err := dc.call(context.Background(), c); err != nil {
				t.Errorf("%s (known length %v): %v", dc.name, known, err)
			}
		}
	}
}

func TestDecode_TrailingDataAfterPaddingIsAnError(t *testing.T) {
	pad := strings.Repeat(" ", 300<<10)
	for _, known := range []bool{false, true} {
		for _, body := range []string{`{"a":1}` + pad + `{}`, `{"elements":[]}` + pad + `x`} {
			c := NewClient(&http.Client{Transport: paddedTransport{body: []byte(body), known: known, read: new(atomic.Int64)}})
			_, err := c.Get(context.Background(), GetRequest{ResourcePath: "/a"})
			var de *ResponseBodyError
			if !errors.As(err, &de) {
				t.Errorf("Get of %.20q... (known %v): got %v, want a *ResponseBodyError", body, known, err)
			}
			_, err = c.Finder(context.Background(), FinderRequest{ResourcePath: "/a", FinderName: "f"})
			if !errors.As(err, &de) {
				t.Errorf("Finder of %.20q... (known %v): got %v, want a *ResponseBodyError", body, known, err)
			}
		}
	}
}

// TestDecode_StopsWhenContextEndsMidBody cancels the call's context once
// 256 KiB of a 4 MiB whitespace-padded body have been read: every decoding
// method must stop within a read or two and return the context's error,
// instead of decoding the rest (which took seconds of CPU when encoding/json
// rescanned the padding).
func TestDecode_StopsWhenContextEndsMidBody(t *testing.T) {
	const cancelAt = 256 << 10
	pad := strings.Repeat(" ", 4<<20)
	for _, dc := range decodingCalls() {
		for _, known := range []bool{false, true} {
			ctx, cancel := context.WithCancel(context.Background())
			read := new(atomic.Int64)
			rt := paddedTransport{body: []byte(dc.body(pad)), known: known, read: read, onRead: func(total int64) {
				if total >= cancelAt {
					cancel()
				}
			}}
			err := dc.call(ctx, NewClient(&http.Client{Transport: rt}))
			cancel()
			if !errors.Is(err, context.Canceled) {
				t.Errorf("%s (known length %v): got %v, want context.Canceled", dc.name, known, err)
			}
			// Past the cancel point: at most one more chunk, and what the
			// drain before closing reads.
			if n := read.Load(); n > cancelAt+16<<10 {
				t.Errorf("%s (known length %v): read %d bytes, want at most %d", dc.name, known, n, cancelAt+16<<10)
			}
		}
	}
}

func TestJSONSpaceOnly(t *testing.T) {
	for in, want := range map[string]bool{"": true, " \t\r\n": true, " x ": false, "\v": false} {
		if got := jsonSpaceOnly([]byte(in)); got != want {
			t.Errorf("jsonSpaceOnly(%q) = %v, want %v", in, got, want)
		}
	}
}

// BenchmarkDecodePadded decodes a small finder page with whitespace padding
// around and inside it, served in 4 KiB reads with unknown length as a
// gzip-compressed answer is, next to json.Unmarshal of the same bytes. The
// time per byte stays flat as the padding grows: decoding is linear.
func BenchmarkDecodePadded(b *testing.B) {
	for _, mib := range []int{1, 4, 16} {
		pad := strings.Repeat(" ", mib<<20/4)
		body := []byte(pad + `{"elements":[` + pad + string(benchCollectionBody[len(`{"elements":[`):len(benchCollectionBody)-1]) + pad + `}` + pad)
		c := NewClient(&http.Client{Transport: paddedTransport{body: body, read: new(atomic.Int64)}})
		req := FinderRequest{ResourcePath: "/adAccounts", FinderName: "search"}
		type account struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		}
		run := func(name string, f func() error) {
			b.Run(name, func(b *testing.B) {
				b.SetBytes(int64(len(body)))
				b.ReportAllocs()
				for b.Loop() {
					if err := f(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		ctx := context.Background()
		run("FinderAs/"+strconv.Itoa(mib)+"MiB", func() error { _, err := FinderAs[account](ctx, c, req); return err })
		run("Finder/"+strconv.Itoa(mib)+"MiB", func() error { _, err := c.Finder(ctx, req); return err })
		run("json.Unmarshal/"+strconv.Itoa(mib)+"MiB", func() error {
			var w collectionWire[account]
			return json.Unmarshal(body, &w)
		})
	}
}
