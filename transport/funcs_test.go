package transport_test

import (
	"net/http"
	"testing"

	"github.com/linkedin-go/linkedin/transport"
)

func TestRoundTripperFunc(t *testing.T) {
	var got *http.Request
	rt := transport.RoundTripperFunc(func(r *http.Request) (*http.Response, error) {
		got = r
		return &http.Response{StatusCode: 204, Body: http.NoBody, Request: r}, nil
	})
	req, _ := http.NewRequest("GET", "http://127.0.0.1/x", nil)
	resp, err := transport.Chain(rt).RoundTrip(req)
	if err != nil || resp.StatusCode != 204 || got != req {
		t.Fatalf("resp = %v, err = %v, request passed through = %v", resp, err, got == req)
	}
}
