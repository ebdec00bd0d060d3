// Tests of the LinkedIn-Version rules: the format check before sending,
// sunset classification by code, the version carried by the error, and the
// age of a version.

package restli_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/linkedin-go/linkedin/restli"
)

func TestValidateVersion(t *testing.T) {
	tests := []struct {
		v  string
		ok bool
	}{
		{"202601", true},
		{"202412", true},
		{"202601.01", true},
		{"202601.99", true},
		{"199901", true},
		{"2024-04", false},
		{"2024.04", false},
		{"20240401", false},
		{"202613", false},
		{"202600", false},
		{"v202601", false},
		{"202601.1", false},
		{"202601.", false},
		{"202601-01", false},
		{"202601.0a", false},
		{"２０２６０１", false},
		{"", false},
		{" 202601", false},
	}
	for _, tt := range tests {
		err := restli.ValidateVersion(tt.v)
		if (err == nil) != tt.ok {
			t.Errorf("ValidateVersion(%q) = %v, want ok=%v", tt.v, err, tt.ok)
		}
		if err != nil {
			var ve *restli.ValidationError
			if !errors.As(err, &ve) || ve.Field != "Version" {
				t.Errorf("ValidateVersion(%q) = %#v, want a *ValidationError for Version", tt.v, err)
			}
			if tt.v != "" && strings.Contains(err.Error(), tt.v) && !strings.Contains(ve.Reason, tt.v) {
				t.Errorf("error %q quotes the input", err)
			}
		}
	}
}

// countingServer answers 200 {} and counts the requests it got.
func countingServer(t *testing.T) (*restli.Client, *int) {
	t.Helper()
	n := 0
	c := setup(t, func(w http.ResponseWriter, r *http.Request) {
		n++
		io.WriteString(w, `{}`)
	})
	return c, &n
}

func TestBuilder_RefusesMalformedVersionBeforeSending(t *testing.T) {
	for _, tt := range []struct {
		name    string
		client  []restli.ClientOption
		perCall string
	}{
		{"per call", nil, "2024-04"},
		{"client default", []restli.ClientOption{restli.WithVersion("2024-04")}, ""},
		{"eight digits", nil, "20240401"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, n := countingServer(t)
			c = restli.NewClient(c.HTTPClient(), append([]restli.ClientOption{restli.WithBaseURL("http://127.0.0.1:1")}, tt.client...)...)
			_, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/me", Version: tt.perCall})
			var ve *restli.ValidationError
			if !errors.As(err, &ve) || ve.Field != "Version" {
				t.Fatalf("err = %v, want *ValidationError for Version", err)
			}
			if *n != 0 {
				t.Fatalf("%d requests sent", *n)
			}
		})
	}
	// A valid version goes out as it is.
	var got string
	c := setup(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Get("LinkedIn-Version")
		io.WriteString(w, `{}`)
	})
	if _, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/me", Version: "202601.02"}); err != nil {
		t.Fatal(err)
	}
	if got != "202601.02" {
		t.Fatalf("LinkedIn-Version %q", got)
	}
}

func TestIsVersionSunset_ByCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"426 NONEXISTENT_VERSION", &restli.Error{StatusCode: 426, Code: "NONEXISTENT_VERSION"}, true},
		{"code on another status", &restli.Error{StatusCode: 400, Code: "NONEXISTENT_VERSION"}, true},
		{"426 without a code", &restli.Error{StatusCode: 426}, true},
		{"426 with another code", &restli.Error{StatusCode: 426, Code: "SOMETHING_ELSE"}, false},
		{"message only", &restli.Error{StatusCode: 400, Message: "Requested version 20240401 is not active"}, false},
		{"wrapped", errors.Join(errors.New("x"), &restli.Error{StatusCode: 426, Code: "NONEXISTENT_VERSION"}), true},
		{"other error", errors.New("426"), false},
		{"nil", nil, false},
	}
	for _, tt := range tests {
		if got := restli.IsVersionSunset(tt.err); got != tt.want {
			t.Errorf("%s: IsVersionSunset = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestError_CarriesRequestedVersion(t *testing.T) {
	body := `{"status":426,"code":"NONEXISTENT_VERSION","message":"Requested version 20240401 is not active"}`
	c := setup(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(426)
		io.WriteString(w, body)
	}, restli.WithVersion("202404"))
	_, err := c.Get(context.Background(), restli.GetRequest{ResourcePath: "/me"})
	var e *restli.Error
	if !errors.As(err, &e) || !restli.IsVersionSunset(err) {
		t.Fatalf("err = %v", err)
	}
	if e.Version != "202404" {
		t.Fatalf("Version = %q, want 202404", e.Version)
	}
	if !strings.Contains(e.Error(), "sent LinkedIn-Version 202404") {
		t.Fatalf("Error() = %q", e.Error())
	}
	// A version a layer below the builder adds is the one reported.
	c2 := restli.NewClient(&http.Client{Transport: addVersion{"202405", c.HTTPClient().Transport}}, restli.WithBaseURL(baseOf(t, c)))
	_, err = c2.Get(context.Background(), restli.GetRequest{ResourcePath: "/me"})
	if !errors.As(err, &e) || e.Version != "202405" {
		t.Fatalf("err = %#v", err)
	}
}

// addVersion sets LinkedIn-Version on a copy of each request, like the
// header layer.
type addVersion struct {
	v    string
	next http.RoundTripper
}

func (a addVersion) RoundTrip(r *http.Request) (*http.Response, error) {
	r2 := r.Clone(r.Context())
	r2.Header.Set("LinkedIn-Version", a.v)
	next := a.next
	if next == nil {
		next = http.DefaultTransport
	}
	return next.RoundTrip(r2)
}

// baseOf returns the base URL of a client made by setup.
func baseOf(t *testing.T, c *restli.Client) string {
	t.Helper()
	req, err := c.NewHTTPRequest(context.Background(), restli.GetRequest{ResourcePath: "/x"})
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(req.URL.String(), "/x")
}

func TestVersionAge(t *testing.T) {
	at := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		v     string
		now   time.Time
		age   int
		near  bool
		valid bool
	}{
		{"202601", at("2026-01-31T23:00:00Z"), 0, false, true},
		{"202601", at("2026-10-31T23:59:59Z"), 9, false, true},
		{"202601", at("2026-11-01T00:00:00Z"), 10, true, true},
		{"202601.03", at("2026-11-15T00:00:00Z"), 10, true, true},
		{"202511", at("2026-12-07T00:00:00Z"), 13, true, true},
		{"202701", at("2026-12-07T00:00:00Z"), -1, false, true},
		// The clock's zone does not matter: months are counted in UTC.
		{"202601", at("2026-11-01T00:30:00+01:00"), 9, false, true},
		{"2026-01", at("2026-12-07T00:00:00Z"), 0, false, false},
	}
	for _, tt := range tests {
		age, err := restli.VersionAgeMonths(tt.v, tt.now)
		if (err == nil) != tt.valid || age != tt.age {
			t.Errorf("VersionAgeMonths(%q, %v) = %d, %v; want %d", tt.v, tt.now, age, err, tt.age)
		}
		if got := restli.VersionNearSunset(tt.v, tt.now, 0); got != tt.near {
			t.Errorf("VersionNearSunset(%q, %v) = %v", tt.v, tt.now, got)
		}
	}
	if !restli.VersionNearSunset("202601", at("2026-04-01T00:00:00Z"), 3) {
		t.Error("a custom threshold is not used")
	}
	s, err := restli.VersionSunset("202601.02")
	if err != nil || !s.Equal(at("2027-01-01T00:00:00Z")) {
		t.Errorf("VersionSunset = %v, %v", s, err)
	}
	if _, err := restli.VersionReleased("x"); err == nil {
		t.Error("VersionReleased accepted x")
	}
}
