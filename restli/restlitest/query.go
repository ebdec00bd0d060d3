package restlitest

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/linkedin-go/linkedin/restli"
)

// projectionParams are kept raw: their values are projection masks, not
// Rest.li values (protocol §4.6). "projection" is LinkedIn's decoration
// parameter, treated the same way.
var projectionParams = map[string]bool{
	"fields":         true,
	"metadataFields": true,
	"pagingFields":   true,
	"projection":     true,
}

// MaxQueryParams bounds how many parameters ParseQuery accepts.
const MaxQueryParams = 1000

// QueryError reports a query string a Rest.li server would reject. It never
// quotes parameter values, which may be secrets.
type QueryError struct {
	// Param is the parameter name at fault, or "" when the name itself
	// could not be decoded.
	Param string
	// Reason says what is wrong.
	Reason string
	// Err is the underlying decoding error, if any (a *restli.DecodeError
	// for a malformed value).
	Err error
}

// Error implements error.
func (e *QueryError) Error() string {
	s := "restlitest: query"
	if e.Param != "" {
		s += " parameter " + safeName(e.Param)
	}
	s += ": " + e.Reason
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error.
func (e *QueryError) Unwrap() error { return e.Err }

// safeName returns a parameter name fit for an error message: quoted and
// cut short.
func safeName(s string) string {
	if len(s) > 64 {
		s = s[:64] + "…"
	}
	return fmt.Sprintf("%q", s)
}

// ParseQuery parses a raw (still percent-encoded) query string the way a
// Rest.li 2.0 server does (protocol §3.4): the string is split on '&', each
// piece at its first '='; a piece starting with '=' and an empty piece are
// ignored; names are form-decoded (%HH, and '+' as a space); values are
// decoded with restli.Decode, so '+' stays '+', List(…) is a []any and
// (k:v,…) a map[string]any. A piece without '=' has an empty value, which is
// an error, as is a repeated name. The projection parameters fields,
// metadataFields, pagingFields and projection are kept as raw strings.
//
// Errors are *QueryError values.
func ParseQuery(rawQuery string) (map[string]any, error) {
	params := map[string]any{}
	if rawQuery == "" {
		return params, nil
	}
	n := 0
	for piece := range strings.SplitSeq(rawQuery, "&") {
		if piece == "" || piece[0] == '=' {
			continue
		}
		n++
		if n > MaxQueryParams {
			return nil, &QueryError{Reason: fmt.Sprintf("more than %d parameters", MaxQueryParams)}
		}
		rawName, rawValue, _ := strings.Cut(piece, "=")
		name, err := url.QueryUnescape(rawName)
		if err != nil {
			return nil, &QueryError{Reason: "malformed parameter name", Err: err}
		}
		if _, dup := params[name]; dup {
			return nil, &QueryError{Param: name, Reason: "unexpected repeated query param"}
		}
		if projectionParams[name] {
			params[name] = rawValue
			continue
		}
		if rawValue == "" {
			return nil, &QueryError{Param: name, Reason: "empty value"}
		}
		v, err := restli.Decode(rawValue)
		if err != nil {
			return nil, &QueryError{Param: name, Reason: "malformed value", Err: err}
		}
		params[name] = v
	}
	return params, nil
}
