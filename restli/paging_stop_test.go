// Tests of the paging iterators' stop rules against servers that do not
// page as asked.

package restli_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/linkedin-go/linkedin/restli"
)

// drain runs an iterator to its end, with a hard bound, and returns the
// elements and the error it ended with.
func drain(t *testing.T, seq func(func(item, error) bool)) ([]item, error) {
	t.Helper()
	var got []item
	for it, err := range seq {
		if err != nil {
			return got, err
		}
		if got = append(got, it); len(got) > 10000 {
			t.Fatal("runaway iteration")
		}
	}
	return got, nil
}

func wantPagingError(t *testing.T, err error, reason string, page int) {
	t.Helper()
	var pe *restli.PagingError
	if !errors.As(err, &pe) || pe.Reason != reason || pe.Page != page {
		t.Fatalf("err = %v, want a PagingError %s at page %d", err, reason, page)
	}
}

func TestPages_StopsWhenServerIgnoresStart(t *testing.T) {
	tests := []struct {
		name       string
		withPaging bool
		reason     string
	}{
		// paging.start says 0 whatever was asked (an unpaged finder).
		{"paging says start 0", true, restli.PagingStartIgnored},
		// no paging at all: the second page repeats the first.
		{"no paging", false, restli.PagingPageRepeated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			c := setup(t, func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				body := map[string]any{"elements": []item{{1}, {2}}}
				if tt.withPaging {
					body["paging"] = map[string]any{"start": 0, "count": 2}
				}
				json.NewEncoder(w).Encode(body)
			})
			req := restli.FinderRequest{ResourcePath: "/adAnalytics", FinderName: "analytics", QueryParams: map[string]any{"count": 2}}
			got, err := drain(t, restli.Pages[item](context.Background(), c, req))
			wantPagingError(t, err, tt.reason, 2)
			if len(got) != 2 || calls.Load() != 2 {
				t.Errorf("%d elements from %d requests, want 2 from 2", len(got), calls.Load())
			}
		})
	}
}

func TestCursorPages_StopsWhenPageTokensCycle(t *testing.T) {
	var calls atomic.Int32
	c := setup(t, func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		// Tokens cycle a → b → a; each page has new elements.
		next := map[string]string{"": "a", "a": "b", "b": "a"}[r.URL.Query().Get("pageToken")]
		json.NewEncoder(w).Encode(map[string]any{"elements": []item{{int(n)}}, "metadata": map[string]any{"nextPageToken": next}})
	})
	got, err := drain(t, restli.CursorPages[item](context.Background(), c, restli.FinderRequest{ResourcePath: "/x", FinderName: "f"}))
	wantPagingError(t, err, restli.PagingTokenRepeated, 3)
	if len(got) != 3 || calls.Load() != 3 {
		t.Errorf("%d elements from %d requests, want 3 from 3", len(got), calls.Load())
	}
}

func TestCursorPages_StopsWhenAPageRepeats(t *testing.T) {
	var calls atomic.Int32
	c := setup(t, func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		json.NewEncoder(w).Encode(map[string]any{"elements": []item{{7}, {8}}, "metadata": map[string]any{"nextPageToken": "t" + strconv.Itoa(int(n))}})
	})
	got, err := drain(t, restli.CursorPages[item](context.Background(), c, restli.FinderRequest{ResourcePath: "/x", FinderName: "f"}))
	wantPagingError(t, err, restli.PagingPageRepeated, 2)
	if len(got) != 2 {
		t.Errorf("%d elements, want the first page only", len(got))
	}
}

func TestPages_MaxPagesBoundsTheIteration(t *testing.T) {
	var calls atomic.Int32
	c := setup(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		start, _ := strconv.Atoi(r.URL.Query().Get("start"))
		json.NewEncoder(w).Encode(map[string]any{"elements": []item{{start}}, "paging": map[string]any{"start": start, "count": 1}})
	})
	req := restli.FinderRequest{ResourcePath: "/x", FinderName: "f", QueryParams: map[string]any{"count": 1}}
	got, err := drain(t, restli.Pages[item](context.Background(), c, req, restli.MaxPages(5)))
	wantPagingError(t, err, restli.PagingTooManyPages, 6)
	if len(got) != 5 || calls.Load() != 5 {
		t.Errorf("%d elements from %d requests, want 5 from 5", len(got), calls.Load())
	}
	var cursorCalls atomic.Int32
	c = setup(t, func(w http.ResponseWriter, r *http.Request) {
		n := cursorCalls.Add(1)
		json.NewEncoder(w).Encode(map[string]any{"elements": []item{{int(n)}}, "metadata": map[string]any{"nextPageToken": "t" + strconv.Itoa(int(n))}})
	})
	got, err = drain(t, restli.CursorPages[item](context.Background(), c, restli.FinderRequest{ResourcePath: "/x", FinderName: "f"}, restli.MaxPages(3)))
	wantPagingError(t, err, restli.PagingTooManyPages, 4)
	if len(got) != 3 || cursorCalls.Load() != 3 {
		t.Errorf("cursor: %d elements from %d requests, want 3 from 3", len(got), cursorCalls.Load())
	}
}
