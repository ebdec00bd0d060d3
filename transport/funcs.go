package transport

import "net/http"

// RoundTripperFunc adapts a function to http.RoundTripper, the way
// http.HandlerFunc adapts one to http.Handler. It makes small layers short:
//
//	func tenant(id string) transport.Middleware {
//		return func(next http.RoundTripper) http.RoundTripper {
//			return transport.RoundTripperFunc(func(r *http.Request) (*http.Response, error) {
//				r = r.Clone(r.Context())
//				r.Header.Set("X-Tenant", id)
//				return next.RoundTrip(r)
//			})
//		}
//	}
type RoundTripperFunc func(*http.Request) (*http.Response, error)

// RoundTrip calls f(r).
func (f RoundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
