package restli_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/linkedin-go/linkedin/restli"
)

type urnPost struct {
	ID     string     `json:"id"`
	Author restli.URN `json:"author"`
}

type urnTwo struct {
	Author restli.URN  `json:"author"`
	Owner  *restli.URN `json:"owner,omitempty"`
}

func TestTypedDecode_URNErrorNamesFieldWithoutMeaninglessOffset(t *testing.T) {
	tests := []struct {
		name       string
		body       string
		decode     func(*restli.Client) error
		wantField  string
		wantOffset bool // "(at byte N)" in the text
	}{
		{"number where a URN belongs", `{"id":"1","author":123}`,
			func(c *restli.Client) error {
				_, err := restli.GetAs[urnPost](context.Background(), c, restli.GetRequest{ResourcePath: "/posts/1"})
				return err
			},
			"author", false},
		{"malformed URN text", `{"id":"1","author":"urn:li:person:(a"}`,
			func(c *restli.Client) error {
				_, err := restli.GetAs[urnPost](context.Background(), c, restli.GetRequest{ResourcePath: "/posts/1"})
				return err
			},
			"author", true},
		{"in a collection element", `{"elements":[{"id":"1","author":"urn:li:person:1"},{"id":"2","author":false}]}`,
			func(c *restli.Client) error {
				_, err := restli.FinderAs[urnPost](context.Background(), c, restli.FinderRequest{ResourcePath: "/posts", FinderName: "author"})
				return err
			},
			"elements[].author", false},
		{"two places that hold a URN", `{"author":"urn:li:person:1","owner":7}`,
			func(c *restli.Client) error {
				_, err := restli.GetAs[urnTwo](context.Background(), c, restli.GetRequest{ResourcePath: "/x/1"})
				return err
			},
			"one of author, owner", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			err := tt.decode(restli.NewClient(srv.Client(), restli.WithBaseURL(srv.URL)))
			var ue *restli.URNError
			var de *restli.ResponseBodyError
			if !errors.As(err, &ue) || !errors.As(err, &de) {
				t.Fatalf("error = %v, want a ResponseBodyError wrapping a *URNError", err)
			}
			if ue.Field != tt.wantField {
				t.Errorf("Field = %q, want %q (%v)", ue.Field, tt.wantField, err)
			}
			if !strings.Contains(err.Error(), "in "+tt.wantField+":") {
				t.Errorf("error text %q does not name the field", err)
			}
			if got := strings.Contains(err.Error(), "(at byte"); got != tt.wantOffset {
				t.Errorf("error text %q: offset shown %v, want %v", err, got, tt.wantOffset)
			}
		})
	}
}

func TestURNError_NoOffsetWhenNoPositionApplies(t *testing.T) {
	_, err := restli.NewURN("li", "a:b", "1").MarshalText()
	var ue *restli.URNError
	if !errors.As(err, &ue) || ue.Offset != -1 || strings.Contains(err.Error(), "at byte") {
		t.Fatalf("round-trip error = %v (%+v)", err, ue)
	}
	var u restli.URN
	err = u.UnmarshalJSON([]byte(`42`))
	if !errors.As(err, &ue) || ue.Offset != -1 || strings.Contains(err.Error(), "at byte") {
		t.Fatalf("non-string error = %v", err)
	}
	_, err = restli.ParseURN("urn:li:person:(x")
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "(at byte ") {
		t.Fatalf("parse error = %v, want its offset", err)
	}
}
