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
