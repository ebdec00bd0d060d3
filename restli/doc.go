// Package restli is a client for LinkedIn's Rest.li 2.0 APIs.
//
// It provides the Rest.li 2.0 codec (Encode, EncodePathKey, ReducedEncode,
// ParamEncode, Decode, ReducedDecode), a request builder that produces the
// canonical *http.Request for each of the 14 Rest.li methods, a Client with
// one method per Rest.li method returning concrete response types, typed
// generic variants that decode straight into the caller's own types, paging
// iterators, partial-update patch generation and URNs.
//
// The package imports nothing else from this module. Transport behaviour
// (retries, circuit breaking, query tunneling, OAuth, telemetry) lives in
// http.RoundTripper layers assembled by package transport; a Client works over
// any *http.Client.
//
// Untyped responses hold JSON objects as map[string]any, arrays as []any and
// JSON numbers as json.Number, so that 64-bit ids survive intact.
package restli
