// Package oauth is OAuth 2.0 for LinkedIn, built on golang.org/x/oauth2.
//
// It covers the member (3-legged) authorization-code flow with state and
// optional PKCE, refresh of member tokens, the application (2-legged)
// client-credentials flow, token introspection, and the token layer of the
// transport stack.
//
// A Config describes a LinkedIn application. Its methods talk to LinkedIn's
// OAuth endpoints (https://www.linkedin.com/oauth/v2/...) through
// Config.HTTPClient, never through the API stack, and return *Token values
// whose expiry fields are absolute times. Failures reported by an endpoint
// are *Error values carrying LinkedIn's "error" and "error_description";
// a refresh that cannot succeed wraps ErrReauthorize. No error produced by
// this package contains an access token, refresh token, client secret,
// authorization code or PKCE verifier: error texts are built from fixed
// strings and from the server's description with every credential the
// request carried removed.
//
// A *TokenSource caches a token, refreshes it shortly before it expires
// (single-flight: concurrent callers share one refresh), reports rotated
// tokens through OnTokenChange so they can be persisted, and can be told
// that a token was rejected (Invalidate).
//
// # Token lifetime
//
// This is the one rule for when a *TokenSource replaces its token, whether
// the token came from the token endpoint or was restored from storage:
// the token is used until less than the early expiry window (EarlyExpiry,
// default 1 minute) is left before its Expiry, then refreshed. For a token
// whose issued lifetime (expires_in) is shorter than twice the window, the
// window is half that lifetime instead, so a short-lived token is used for
// a while rather than refreshed on every call. The time left when the
// source receives a token plays no part: a stored token restored with 1 s
// or 30 s left is refreshed at once, one with 9 minutes left is used for 8
// minutes. A token without an Expiry never expires early. Invalidate (after
// a 401) makes the next call refresh regardless.
//
// When the token endpoint rejects the refresh token (invalid_grant), or
// there is none, the source remembers it: every later call fails with
// ErrReauthorize without sending the dead refresh token again, until
// SetToken gives the source a new token. Any other failure of the token
// endpoint starts a wait, 1 s after the first failure and doubling up to
// 1 minute, during which calls fail at once with an error wrapping
// ErrTokenEndpointBackoff and the endpoint's failure; a success ends it.
//
// Middleware is the token layer: it adds "Authorization: Bearer" to each
// attempt sent to an allowed host (by default api.linkedin.com over https),
// and after a 401 invalidates the rejected token, refreshes once and replays
// the request once.
//
// Sign In with LinkedIn (OpenID Connect) is built on
// github.com/coreos/go-oidc/v3: NewProvider discovers the provider
// (https://www.linkedin.com/oauth by default), Provider.VerifyIDToken checks
// an id_token (RS256 signature, issuer, audience, expiry, nonce) and returns
// typed claims, and Provider.UserInfo calls /v2/userinfo. NewNonce and
// NonceOption make and send the nonce. Failures are *IDTokenError and
// *OIDCError values that never contain a token or a nonce.
//
// A *MemberTokenSource acts for many members: the member of each call comes
// from its context (WithMember), tokens live in a MemberTokenStore (in
// memory by default; the interface is built for a store shared by several
// replicas, and package oauth/tokenstoretest checks implementations), each
// member's token is refreshed single-flight, and members who must sign in
// again are reported with a *ReauthorizeError and a callback.
package oauth
