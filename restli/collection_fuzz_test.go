// Fuzz targets of collection-page decoding.

package restli_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/linkedin-go/linkedin/restli"
)

// cannedTransport answers the first request with body and every later one
// with an empty collection, so iterators end.
type cannedTransport struct {
	body  string
	calls atomic.Int32
}

func (c *cannedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	body := `{"elements":[]}`
	if c.calls.Add(1) == 1 {
		body = c.body
	}
	return &http.Response{
		StatusCode: http.StatusOK,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(strings.NewReader(body)),
		Request:    req,
	}, nil
}

type fuzzElem struct {
	ID    int64             `json:"id"`
	Name  string            `json:"name"`
	Tags  []string          `json:"tags"`
	Attrs map[string]string `json:"attrs"`
}

const fuzzMaxBytes = 64 << 10

// checkDecodeErr fails unless err is one of the errors a client reports for
// a 2xx body it cannot use.
func checkDecodeErr(t *testing.T, what string, err error) {
	t.Helper()
	var de *restli.ResponseBodyError
	if !errors.As(err, &de) {
		t.Fatalf("%s: error %T (%v), want *restli.ResponseBodyError", what, err, err)
	}
}

// FuzzDecodeCollection feeds collection responses (GET_ALL, FINDER and
// BATCH_FINDER bodies: elements, paging metadata, finder metadata with
// nextPageToken) to the client's decode paths, typed and untyped, and to
// both paging iterators. Nothing may panic; a body that cannot be used fails
// with a *restli.ResponseBodyError; decoded paging is what the body said;
// the iterators end.
// Seeds live in testdata/fuzz/FuzzDecodeCollection.
func FuzzDecodeCollection(f *testing.F) {
	for _, s := range []string{
		`{"elements":[{"id":1,"name":"a"}],"paging":{"start":0,"count":10,"total":1,"links":[]}}`,
		`{"elements":[{"id":1},{"id":2}],"paging":{"start":0,"count":2},"metadata":{"nextPageToken":"t2"}}`,
		`{"elements":[{"elements":[{"id":1}],"paging":{"count":1}},{"error":{"status":400,"message":"x"},"isError":true}]}`,
		`{"elements":null,"paging":null,"metadata":null}`, `{"paging":{"count":-1,"total":-5}}`,
		`{"elements":[1,2]}`, `{"elements":{}}`, `{"metadata":"x"}`, `{"metadata":{"nextPageToken":7}}`,
		`{"elements":[]} {"elements":[]}`, `{"elements":[{"id":9223372036854775808}]}`,
		`{"paging":{"count":1e400}}`, ``, `[]`, `null`, `{`, "\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		ctx := context.Background()
		newClient := func() (*restli.Client, *cannedTransport) {
			ct := &cannedTransport{body: body}
			return restli.NewClient(&http.Client{Transport: ct},
				restli.WithBaseURL("https://api.example.test/rest"), restli.WithVersion("202601"),
				restli.WithMaxResponseBytes(fuzzMaxBytes)), ct
		}
		finder := restli.FinderRequest{ResourcePath: "/things", FinderName: "search",
			QueryParams: map[string]any{"count": 2}}

		c, _ := newClient()
		if r, err := restli.FinderAs[fuzzElem](ctx, c, finder); err != nil {
			checkDecodeErr(t, "FinderAs", err)
		} else if len(body) > fuzzMaxBytes {
			t.Fatalf("FinderAs decoded a %d-byte body over the %d-byte limit", len(body), fuzzMaxBytes)
		} else if r == nil {
			t.Fatal("FinderAs: nil result and nil error")
		}

		c, _ = newClient()
		if r, err := c.Finder(ctx, finder); err != nil {
			checkDecodeErr(t, "Finder", err)
		} else {
			for _, e := range r.Elements {
				_ = len(e)
			}
		}

		c, _ = newClient()
		if _, err := c.GetAll(ctx, restli.GetAllRequest{ResourcePath: "/things"}); err != nil {
			checkDecodeErr(t, "GetAll", err)
		}

		c, _ = newClient()
		if r, err := c.BatchFinder(ctx, restli.BatchFinderRequest{ResourcePath: "/things", FinderName: "search",
			CriteriaName: "criteria", Criteria: []any{map[string]any{"a": "b"}}}); err != nil {
			checkDecodeErr(t, "BatchFinder", err)
		} else {
			for _, g := range r.Results {
				if g.Error != nil && !g.IsError {
					t.Fatal("criterion with an error is not IsError")
				}
			}
		}

		// Iterators: at most a few pages, since only the first is fuzzed.
		for name, seq := range map[string]func(*restli.Client) func(func(fuzzElem, error) bool){
			"Pages": func(c *restli.Client) func(func(fuzzElem, error) bool) { return restli.Pages[fuzzElem](ctx, c, finder) },
			"CursorPages": func(c *restli.Client) func(func(fuzzElem, error) bool) {
				return restli.CursorPages[fuzzElem](ctx, c, finder)
			},
		} {
			c, ct := newClient()
			n := 0
			for _, err := range seq(c) {
				if err != nil {
					// A server that does not page as asked ends the
					// iteration with a *restli.PagingError.
					var pe *restli.PagingError
					if !errors.As(err, &pe) {
						checkDecodeErr(t, name, err)
					}
					break
				}
				if n++; n > 1<<20 {
					t.Fatalf("%s: runaway iteration", name)
				}
			}
			if calls := ct.calls.Load(); calls > 2 {
				t.Fatalf("%s: %d requests for one fuzzed page and one empty page", name, calls)
			}
		}
	})
}
