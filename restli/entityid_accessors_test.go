package restli_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/linkedin-go/linkedin/restli"
)

func TestCreateResponse_EntityIDAccessorsReturnTypedErrors(t *testing.T) {
	tests := []struct {
		name    string
		header  string // X-RestLi-Id; "" sends none
		str     string
		i64     int64
		urn     string
		key     map[string]any
		okKinds string // which accessors succeed: s i u k
	}{
		{"numeric key", "123", "123", 123, "", nil, "si"},
		{"URN key", "urn:li:share:7123456789012345678", "urn:li:share:7123456789012345678", 0, "urn:li:share:7123456789012345678", nil, "su"},
		{"compound key", "(account:urn%3Ali%3AsponsoredAccount%3A9,user:x)", "", 0, "",
			map[string]any{"account": "urn:li:sponsoredAccount:9", "user": "x"}, "k"},
		{"no id", "", "", 0, "", nil, ""},
		{"out of int64 range", "99999999999999999999", "99999999999999999999", 0, "", nil, "s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.header != "" {
					w.Header().Set("X-RestLi-Id", tt.header)
				}
				w.WriteHeader(http.StatusCreated)
			}))
			defer srv.Close()
			c := restli.NewClient(srv.Client(), restli.WithBaseURL(srv.URL))
			resp, err := c.Create(context.Background(), restli.CreateRequest{ResourcePath: "/things", Entity: map[string]any{}})
			if err != nil {
				t.Fatal(err)
			}
			check := func(kind string, err error) {
				t.Helper()
				want := strings.Contains(tt.okKinds, kind)
				var ie *restli.EntityIDError
				switch {
				case want && err != nil:
					t.Errorf("%s: unexpected error %v", kind, err)
				case !want && !errors.As(err, &ie):
					t.Errorf("%s: error = %v, want *restli.EntityIDError", kind, err)
				case !want && tt.header != "" && len(tt.header) > 4 && strings.Contains(err.Error(), tt.header):
					t.Errorf("%s: error shows the key: %v", kind, err)
				}
			}
			s, err := resp.EntityIDString()
			check("s", err)
			if err == nil && s != tt.str {
				t.Errorf("EntityIDString = %q, want %q", s, tt.str)
			}
			n, err := resp.EntityIDInt64()
			check("i", err)
			if err == nil && n != tt.i64 {
				t.Errorf("EntityIDInt64 = %d, want %d", n, tt.i64)
			}
			u, err := resp.EntityIDURN()
			check("u", err)
			if err == nil && u.String() != tt.urn {
				t.Errorf("EntityIDURN = %v, want %s", u, tt.urn)
			}
			k, err := resp.EntityIDKey()
			check("k", err)
			if err == nil && !reflect.DeepEqual(k, tt.key) {
				t.Errorf("EntityIDKey = %v, want %v", k, tt.key)
			}
		})
	}
}

func TestBatchCreate_NumericIDIsAccepted(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"elements":[{"status":201,"id":5081203},{"status":201,"id":"urn:li:share:7"},` +
			`{"status":201,"id":"(a:1,b:x)","entity":{"n":1.50}},{"status":400,"error":{"status":400,"message":"bad"}}]}`))
	}))
	defer srv.Close()
	c := restli.NewClient(srv.Client(), restli.WithBaseURL(srv.URL))
	resp, err := c.BatchCreate(context.Background(), restli.BatchCreateRequest{ResourcePath: "/things", Entities: []any{1, 2, 3, 4}})
	if err != nil {
		t.Fatalf("BatchCreate: %v", err)
	}
	els := resp.Elements
	if len(els) != 4 {
		t.Fatalf("%d elements", len(els))
	}
	if n, err := els[0].IDInt64(); err != nil || n != 5081203 || els[0].ID != "5081203" {
		t.Errorf("numeric id: ID %q, IDInt64 %d, %v", els[0].ID, n, err)
	}
	if u, err := els[1].IDURN(); err != nil || u.String() != "urn:li:share:7" {
		t.Errorf("URN id: %v, %v", u, err)
	}
	if k, err := els[2].IDKey(); err != nil || k["b"] != "x" {
		t.Errorf("compound id: %v, %v", k, err)
	}
	if els[2].Entity["n"] != json.Number("1.50") {
		t.Errorf("entity number = %#v, want json.Number", els[2].Entity["n"])
	}
	if els[3].Error == nil || els[3].Error.Message != "bad" {
		t.Errorf("error element = %+v", els[3])
	}
	if _, err := els[3].IDString(); err == nil {
		t.Error("an element without id has an IDString")
	}
	var bad restli.CreateStatus
	if err := json.Unmarshal([]byte(`{"id":{"a":1}}`), &bad); err == nil {
		t.Error("an object id was accepted")
	}
}
