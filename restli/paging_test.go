// Tests of the paging iterators.

package restli_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"testing"

	"github.com/linkedin-go/linkedin/restli"
)

type item struct {
	N int `json:"n"`
}

// pagedServer serves n items with start/count paging; withTotal controls
// whether paging.total is sent.
func pagedServer(t *testing.T, n int, withTotal bool, calls *[]string) *restli.Client {
	return setup(t, func(w http.ResponseWriter, r *http.Request) {
		*calls = append(*calls, r.URL.RawQuery)
		q := r.URL.Query()
		start, _ := strconv.Atoi(q.Get("start"))
		count, _ := strconv.Atoi(q.Get("count"))
		var els []item
		for i := start; i < start+count && i < n; i++ {
			els = append(els, item{i})
		}
		paging := map[string]any{"start": start, "count": count}
		if withTotal {
			paging["total"] = n
		}
		json.NewEncoder(w).Encode(map[string]any{"elements": els, "paging": paging})
	})
}

func TestPages(t *testing.T) {
	tests := []struct {
		n, count  int
		withTotal bool
		wantCalls int
	}{
		{25, 10, true, 3},
		{25, 10, false, 3},
		{20, 10, true, 2},  // total says stop: no empty third page
		{20, 10, false, 3}, // without total an empty page ends it
		{0, 10, false, 1},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d/%d/%v", tt.n, tt.count, tt.withTotal), func(t *testing.T) {
			var calls []string
			c := pagedServer(t, tt.n, tt.withTotal, &calls)
			params := map[string]any{"count": tt.count, "search": "x"}
			var got []int
			for it, err := range restli.Pages[item](context.Background(), c, restli.FinderRequest{ResourcePath: "/items", FinderName: "f", QueryParams: params}) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, it.N)
			}
			if len(got) != tt.n {
				t.Errorf("got %d items, want %d", len(got), tt.n)
			}
			for i, v := range got {
				if v != i {
					t.Fatalf("item %d = %d", i, v)
				}
			}
			if len(calls) != tt.wantCalls {
				t.Errorf("%d calls (%v), want %d", len(calls), calls, tt.wantCalls)
			}
			if !reflect.DeepEqual(params, map[string]any{"count": tt.count, "search": "x"}) {
				t.Errorf("caller's QueryParams modified: %v", params)
			}
		})
	}
}

func TestPages_StopsOnBreakAndContext(t *testing.T) {
	var calls []string
	c := pagedServer(t, 100, true, &calls)
	n := 0
	for _, err := range restli.Pages[item](context.Background(), c, restli.GetAllRequest{ResourcePath: "/items", QueryParams: map[string]any{"count": 5}}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if n == 7 {
			break
		}
	}
	if len(calls) != 2 {
		t.Errorf("break after 7 items made %d calls, want 2", len(calls))
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls = nil
	var last error
	n = 0
	for _, err := range restli.Pages[item](ctx, c, restli.GetAllRequest{ResourcePath: "/items", QueryParams: map[string]any{"count": 5}}) {
		if err != nil {
			last = err
			break
		}
		n++
		if n == 5 {
			cancel()
		}
	}
	if !errors.Is(last, context.Canceled) || len(calls) != 1 {
		t.Errorf("after cancel: err = %v, calls = %d", last, len(calls))
	}
}

func TestPages_YieldsErrors(t *testing.T) {
	c := setup(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) })
	var errs int
	for _, err := range restli.Pages[item](context.Background(), c, restli.GetAllRequest{ResourcePath: "/items"}) {
		if err == nil {
			t.Fatal("no error yielded")
		}
		errs++
	}
	if errs != 1 {
		t.Errorf("%d errors yielded, want 1", errs)
	}
	for _, err := range restli.Pages[item](context.Background(), c, restli.GetAllRequest{ResourcePath: "/items", QueryParams: map[string]any{"count": "x"}}) {
		var ve *restli.ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("bad count: err = %v", err)
		}
	}
}

func TestCursorPages(t *testing.T) {
	var tokens []string
	c := setup(t, func(w http.ResponseWriter, r *http.Request) {
		tok := r.URL.Query().Get("pageToken")
		tokens = append(tokens, tok+"/"+r.URL.Query().Get("pageSize"))
		next := map[string]string{"": "p2", "p2": "p3", "p3": ""}[tok]
		json.NewEncoder(w).Encode(map[string]any{
			"elements": []item{{len(tokens)}, {len(tokens)}},
			"metadata": map[string]any{"nextPageToken": next},
		})
	})
	var got []int
	for it, err := range restli.CursorPages[item](context.Background(), c, restli.FinderRequest{ResourcePath: "/adAccounts", FinderName: "search", QueryParams: map[string]any{"pageSize": 2}}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, it.N)
	}
	if !reflect.DeepEqual(got, []int{1, 1, 2, 2, 3, 3}) || !reflect.DeepEqual(tokens, []string{"/2", "p2/2", "p3/2"}) {
		t.Errorf("items %v, tokens %v", got, tokens)
	}
}
