// This file holds the Request interface the 14 request types implement and
// the view of the fields they share. The types themselves are generated
// into request_gen.go (go generate; see internal/requestgen).

package restli

import "net/http"

//go:generate go run ./internal/requestgen

// Request is implemented by the 14 request types, one per Rest.li method.
// Build one and pass it to Client.NewHTTPRequest, or call the matching Client
// method.
type Request interface {
	// RestliMethod returns the Rest.li method the request is for.
	RestliMethod() Method
	base() requestBase
	prepare(p *prepared) error
}

// requestBase is the view of the fields every request type shares.
type requestBase struct {
	ResourcePath string
	PathKeys     map[string]any
	QueryParams  map[string]any
	Version      string
	AccessToken  string
	Header       http.Header
}
