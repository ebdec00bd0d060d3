// This file holds the call's description that travels in a request's
// context (CallInfo, the attempt number) for the transport layers to read.

package restli

import (
	"context"
	"fmt"
)

// CallInfo describes a logical Rest.li call. The request builder puts it in
// the context of every request it builds, so transport layers (retry,
// telemetry, logging) can tell what a request means without parsing it.
// Read it with CallInfoFromContext.
type CallInfo struct {
	// Method is the Rest.li method.
	Method Method
	// Resource is the resource path template as the caller wrote it, with
	// {placeholders} instead of keys, e.g. "/adAccounts/{id}". It never holds
	// key values, so it is safe as a low-cardinality label.
	Resource string
	// Finder is the finder or batch-finder name, if any.
	Finder string
	// Action is the action name, if any.
	Action string
	// Version is the LinkedIn-Version the request carries, if any.
	Version string
	// Idempotent reports whether the call may be resent safely after an
	// ambiguous failure (see Method.Idempotent).
	Idempotent bool
}

type callInfoKey struct{}

// ContextWithCallInfo returns a copy of ctx carrying info.
func ContextWithCallInfo(ctx context.Context, info CallInfo) context.Context {
	return &callInfoContext{Context: ctx, info: info}
}

// callInfoContext is a context carrying a CallInfo: what context.WithValue
// with a *CallInfo does in one allocation instead of two. Everything but the
// CallInfo comes from the parent, and the context package finds a
// cancellable parent through it as through its own value contexts.
type callInfoContext struct {
	context.Context
	info CallInfo
}

// Value implements context.Context.
func (c *callInfoContext) Value(key any) any {
	if _, ok := key.(callInfoKey); ok {
		return &c.info
	}
	return c.Context.Value(key)
}

// String describes the context as context.WithValue's do.
func (c *callInfoContext) String() string {
	return fmt.Sprintf("%v.WithValue(restli.CallInfo)", c.Context)
}

// CallInfoFromContext returns the call description stored in ctx by the
// request builder, and whether there was one.
func CallInfoFromContext(ctx context.Context) (CallInfo, bool) {
	if p, ok := ctx.Value(callInfoKey{}).(*CallInfo); ok {
		return *p, true
	}
	return CallInfo{}, false
}

type attemptKey struct{}

// ContextWithAttempt returns a copy of ctx that records which wire attempt of
// a call a request is: 0 for the first, 1 for the first resend, and so on.
// The retry layer sets it on every attempt it sends.
func ContextWithAttempt(ctx context.Context, resend int) context.Context {
	return context.WithValue(ctx, attemptKey{}, resend)
}

// AttemptFromContext returns the resend count recorded by ContextWithAttempt,
// or 0 when none was recorded.
func AttemptFromContext(ctx context.Context) int {
	n, _ := ctx.Value(attemptKey{}).(int)
	return n
}
