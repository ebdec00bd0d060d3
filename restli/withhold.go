// This file holds the context marker that asks token layers to leave a
// request without credentials.

package restli

import "context"

type withholdTokenKey struct{}

// ContextWithoutToken returns a copy of ctx that asks every token layer (the
// oauth package's Middleware among them) to send requests made with it
// without attaching a token. Package media uses it for part uploads to
// pre-signed upload URLs, which authorize the upload by themselves and must
// never receive the caller's bearer token. An Authorization header set on the
// request itself is left alone.
func ContextWithoutToken(ctx context.Context) context.Context {
	return context.WithValue(ctx, withholdTokenKey{}, true)
}

// TokenWithheld reports whether ctx was made by ContextWithoutToken: a token
// layer must then pass the request on without a token.
func TokenWithheld(ctx context.Context) bool {
	v, _ := ctx.Value(withholdTokenKey{}).(bool)
	return v
}
