package oauth

// The member token store: where a many-member token source keeps each
// member's token. The interface is small and every method takes a context,
// so that it can live in another process (Redis, a database) and be shared
// by every replica of a service: writes are versioned compare-and-swap,
// invalidation is conditional on the token that failed, and a lease lets
// exactly one replica refresh a member while the others wait and re-read.
// MemoryTokenStore (memorystore.go) is the in-process implementation;
// package oauth/tokenstoretest checks any implementation.

import (
	"context"
	"errors"
	"time"
)

// ErrTokenNotFound reports that a store holds no token for the member.
var ErrTokenNotFound = errors.New("oauth: no token stored for the member")

// ErrVersionConflict reports a MemberTokenStore.Put whose expected version
// is not the stored one: someone wrote the member's token since it was
// read.
var ErrVersionConflict = errors.New("oauth: member token changed since it was read")

// AnyVersion, as the expected version of MemberTokenStore.Put, writes
// whatever is stored (a new sign-in replaces the member's token
// unconditionally).
const AnyVersion int64 = -1

// MemberToken is a member's token as a MemberTokenStore keeps it.
type MemberToken struct {
	// Member is the member's id (any stable string of the application: the
	// OpenID Connect "sub", a person URN, a user id).
	Member string
	// Token is the member's token: access token, refresh token, expiry
	// times and scopes. Stores must round-trip these fields (a Token
	// marshals to JSON); Extra members need not survive.
	Token *Token
	// Invalid reports that LinkedIn rejected the access token (401) or
	// that the token can no longer be refreshed: it must not be sent again.
	Invalid bool
	// Version is set by the store on every write of the member's token. It
	// is greater than any version the store returned before for that
	// member, and never reused, even after Delete. Zero means "not
	// stored".
	Version int64
}

// ReauthorizeBy returns the time after which the member must sign in
// again: the refresh token's expiry when the token has a refresh token
// with a known expiry, else the access token's expiry. A token that cannot
// be used or refreshed any more (Invalid without a refresh token) returns
// the Unix epoch: it is already due. A token with no known expiry at all
// returns the zero time. Stores index Expiring by this time.
func (t MemberToken) ReauthorizeBy() time.Time {
	tok := t.Token
	if tok == nil || tok.Token == nil {
		return time.Unix(0, 0).UTC()
	}
	if t.Invalid && tok.RefreshToken == "" {
		return time.Unix(0, 0).UTC()
	}
	if tok.RefreshToken != "" && !tok.RefreshTokenExpiry.IsZero() {
		return tok.RefreshTokenExpiry
	}
	return tok.Expiry
}

// MemberTokenStore keeps the tokens of many members. Implementations must
// be safe for concurrent use, honour each call's context (a call whose
// context is done returns an error) and make each method atomic with
// respect to the others. oauth/tokenstoretest.Run checks all of this.
type MemberTokenStore interface {
	// Get returns the member's token, or an error wrapping
	// ErrTokenNotFound.
	Get(ctx context.Context, member string) (*MemberToken, error)

	// Put writes t (t.Member, t.Token and t.Invalid; t.Version is ignored)
	// if the member's stored version is still prev: 0 when nothing may be
	// stored yet, AnyVersion to write unconditionally. It returns the new
	// version, or an error wrapping ErrVersionConflict when the stored
	// version differs, so that a slow refresher never overwrites a newer
	// token.
	Put(ctx context.Context, t MemberToken, prev int64) (int64, error)

	// Invalidate marks the member's token Invalid, with a new version, if
	// its access token is still accessToken, and reports whether it did. A
	// token that has already been replaced is left alone, so a late 401 on
	// an old token never invalidates the new one. A missing member reports
	// false and no error.
	Invalidate(ctx context.Context, member, accessToken string) (bool, error)

	// Delete removes the member's token (after sign-out or revocation). A
	// missing member is not an error.
	Delete(ctx context.Context, member string) error

	// AcquireLease grants holder the right to refresh the member's token
	// for ttl and reports whether it did: false while another holder's
	// lease is unexpired. A holder that already holds the lease gets it
	// extended. Leases expire on the store's clock, so a crashed holder
	// never blocks a member for longer than ttl.
	AcquireLease(ctx context.Context, member, holder string, ttl time.Duration) (bool, error)

	// ReleaseLease ends holder's lease on the member. It does nothing when
	// holder does not hold it (its lease expired and another took it).
	ReleaseLease(ctx context.Context, member, holder string) error

	// Expiring returns the tokens whose ReauthorizeBy is not zero and
	// before before, earliest first.
	Expiring(ctx context.Context, before time.Time) ([]MemberToken, error)
}
