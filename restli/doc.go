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
//
// # Reading the source
//
// Each file opens with what it holds. Read them in this order:
//
//  1. The client and its methods: client.go (Client, options, send),
//     methods.go (the 14 methods), typed.go (GetAs, FinderAs, ...: the
//     untyped methods wrap these), method.go, call.go (CallInfo).
//  2. Requests and responses: request.go and the generated request_gen.go
//     (the 14 request types), build.go (NewHTTPRequest), prepare.go (each
//     method's query and body), validate.go (what is refused before
//     sending), response.go (response types), body.go (the one decode entry
//     point), jsontyped.go and jsonany.go (the JSON parser), stream.go
//     (large pages), untyped.go, errors.go.
//  3. The codec: encode.go (the entry points and a reading order of its
//     own), encref.go (the whole grammar as a plain reference encoder),
//     encescape.go, encvalue.go, encstruct.go, encparams.go, then the fast
//     paths encsmall.go, encshape.go and encprefix.go; decode.go (the
//     decoder), keys.go and entityid.go (batch and created keys).
//  4. URNs, patches and paging: urn.go, patch.go, paging.go.
package restli
