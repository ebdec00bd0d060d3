// Tests that a String method written for logging never changes what goes on
// the wire: only encoding.TextMarshaler makes a value text.
package restli

import (
	"context"
	"io"
	"strings"
	"testing"
)

// loggedDate is a date whose String method exists for logs.
type loggedDate struct {
	Year  int `json:"year"`
	Month int `json:"month"`
	Day   int `json:"day"`
}

func (d loggedDate) String() string { return "a date for logs" }

// loggedRange is the dateRange of an analytics finder, with a String method.
type loggedRange struct {
	Start loggedDate `json:"start"`
	End   loggedDate `json:"end"`
}

func (r loggedRange) String() string { return "(end:2024-01-31,…)" }

// loggedLevel is an enum with a String method.
type loggedLevel int

func (l loggedLevel) String() string { return "HIGH" }

func TestEncode_StringerIsNotText(t *testing.T) {
	dr := loggedRange{Start: loggedDate{2024, 1, 1}, End: loggedDate{2024, 1, 31}}
	const record = "(end:(day:31,month:1,year:2024),start:(day:1,month:1,year:2024))"
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"struct with String", dr, record},
		{"pointer to struct with String", &dr, record},
		{"in a map", map[string]any{"dateRange": dr}, "(dateRange:" + record + ")"},
		{"in a list", []loggedRange{dr}, "List(" + record + ")"},
		{"enum with String", loggedLevel(2), "2"},
	}
	for _, tt := range tests {
		got, err := Encode(tt.v)
		if err != nil || got != tt.want {
			t.Errorf("%s: Encode = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
	if !isCompoundValue(dr) {
		t.Error("a struct with a String method is a complex key, not a simple one")
	}
}

// TestBuild_StringerInQueryMatchesJSONBody sends the same value in the query
// and in the body: both carry the record, neither the String text.
func TestBuild_StringerInQueryMatchesJSONBody(t *testing.T) {
	dr := loggedRange{Start: loggedDate{2024, 1, 1}, End: loggedDate{2024, 1, 31}}
	req, err := NewHTTPRequest(context.Background(), ActionRequest{
		ResourcePath: "/adAnalytics", ActionName: "run",
		QueryParams:  map[string]any{"dateRange": dr},
		ActionParams: map[string]any{"dateRange": dr},
	})
	if err != nil {
		t.Fatal(err)
	}
	if q := req.URL.RawQuery; !strings.Contains(q, "dateRange=(end:(day:31,month:1,year:2024),start:(day:1,month:1,year:2024))") {
		t.Errorf("query %q does not carry the record", q)
	}
	body, _ := io.ReadAll(req.Body)
	if !strings.Contains(string(body), `"end":{"year":2024,"month":1,"day":31}`) {
		t.Errorf("body %s does not carry the record", body)
	}
	if strings.Contains(req.URL.RawQuery, "2024-01-31") || strings.Contains(string(body), "2024-01-31") {
		t.Error("a String method's text reached the wire")
	}
}
