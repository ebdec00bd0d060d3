package oauth

// MemberTokenSource: one token source for every member an application acts
// for. The member of a call comes from its context (WithMember); tokens
// live in a MemberTokenStore, are cached in process, refreshed single-flight
// per member (and, through the store's lease, once across replicas), and a
// member who must sign in again is reported through a callback and a
// *ReauthorizeError.

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// Defaults of MemberOptions.
const (
	DefaultLeaseTTL     = 30 * time.Second
	DefaultPollInterval = 50 * time.Millisecond
	// invalidateTimeout bounds the store call of Invalidate, which has no
	// context of its own.
	invalidateTimeout = 5 * time.Second
)

// ErrNoMember reports a call to a MemberTokenSource whose context names no
// member (see WithMember).
var ErrNoMember = errors.New("oauth: no member in the context (use oauth.WithMember)")

// memberKey is the context key of WithMember.
type memberKey struct{}

// WithMember returns a copy of ctx that names member as the member a call
// acts for: a MemberTokenSource (and so the token layer of the transport
// stack) picks that member's token for every request made with the
// context.
func WithMember(ctx context.Context, member string) context.Context {
	return context.WithValue(ctx, memberKey{}, member)
}

// MemberFromContext returns the member WithMember put in ctx.
func MemberFromContext(ctx context.Context) (string, bool) {
	m, ok := ctx.Value(memberKey{}).(string)
	return m, ok && m != ""
}

// Reasons a member must sign in again (ReauthorizeError.Reason).
const (
	ReauthNoToken        = "no_token"              // the store has no token for the member
	ReauthNoRefreshToken = "no_refresh_token"      // the token expired or was rejected, and cannot be refreshed
	ReauthRefreshExpired = "refresh_token_expired" // the refresh token is past its 365 days
	ReauthInvalidGrant   = "invalid_grant"         // the token endpoint rejected the refresh token (revoked)
)

// ReauthorizeError reports that a member must go through the authorization
// flow again. It matches ErrReauthorize (errors.Is), and the token
// endpoint's *Error when that is the cause.
type ReauthorizeError struct {
	// Member is the member's id.
	Member string
	// Reason is one of ReauthNoToken, ReauthNoRefreshToken,
	// ReauthRefreshExpired, ReauthInvalidGrant.
	Reason string
	// Err is the token endpoint's error, for ReauthInvalidGrant.
	Err error
}

// Error returns "oauth: member <id>: re-authorization required: <reason>".
func (e *ReauthorizeError) Error() string {
	return fmt.Sprintf("oauth: member %q: re-authorization required: %s", e.Member, e.Reason)
}

// Unwrap returns ErrReauthorize and Err.
func (e *ReauthorizeError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrReauthorize, e.Err}
	}
	return []error{ErrReauthorize}
}

// ErrorType returns "reauthorize_<reason>".
func (e *ReauthorizeError) ErrorType() string { return "reauthorize_" + e.Reason }

// MemberOptions configures a MemberTokenSource. The zero value is usable.
type MemberOptions struct {
	// Store keeps the members' tokens; nil means a new MemoryTokenStore.
	// Several replicas that share a store share the tokens and refresh
	// each member once between them.
	Store MemberTokenStore
	// OnTokenChange is called with every token the source obtains by
	// refreshing, so that it can be persisted elsewhere too. Calls for one
	// member never overlap; f must be quick and must not call the source.
	OnTokenChange func(member string, tok *Token)
	// OnReauthorize is called when the source finds that a member must sign
	// in again (once per stored version of the member's token), so the
	// application can ask them to.
	OnReauthorize func(err *ReauthorizeError)
	// EarlyExpiry is how long before its expiry a token is refreshed
	// (default 1 minute; see the EarlyExpiry option of TokenSource).
	EarlyExpiry time.Duration
	// LeaseTTL bounds how long one refresher holds a member's lease
	// (default DefaultLeaseTTL); PollInterval is how often the others
	// re-read the store meanwhile (default DefaultPollInterval).
	LeaseTTL     time.Duration
	PollInterval time.Duration
	// Now is the clock token expiry is read against; nil means the
	// Config's (time.Now).
	Now func() time.Time
}

// MemberTokenSource is a token source for many members: TokenContext
// returns the token of the member named by the context (WithMember). It is
// an oauth2.TokenSource with Invalidate, so the token layer (Middleware,
// transport.WithTokenSource) uses it as it uses a *TokenSource: a 401
// invalidates exactly the token that failed, the member's token is
// refreshed once and the request replayed. When the store fails, a member
// whose token the source holds is refreshed in process (without the
// lease), so that calls do not fail only because the store is down. It is
// safe for concurrent use.
type MemberTokenSource struct {
	cfg      Config
	store    MemberTokenStore
	opts     MemberOptions
	onChange func(*Token) // the OnTokenChange TokenSourceOption, if given
	holder   string       // this source's lease holder id
	now      func() time.Time

	entries sync.Map // member → *memberEntry; read on every call without a lock

	mu       sync.Mutex
	byAccess map[string]string // access token → member, for Invalidate
}

// memberEntry is the cached state of one member.
type memberEntry struct {
	mu       sync.Mutex
	tok      *Token
	version  int64
	skew     time.Duration
	invalid  bool
	rejected string  // the access token a 401 rejected
	reported int64   // the version last reported to OnReauthorize; -1 none
	flight   *flight // the load or refresh in progress
	changeMu sync.Mutex
}

// MemberTokenSource returns a token source for many members of the
// application c describes (c is copied). opts may add the OnTokenChange and
// EarlyExpiry options of TokenSource; OnTokenChange's function is then
// called with every refreshed token too.
func (c *Config) MemberTokenSource(o MemberOptions, opts ...TokenSourceOption) *MemberTokenSource {
	var to tokenSourceOptions
	for _, opt := range opts {
		if opt != nil {
			opt(&to)
		}
	}
	if o.EarlyExpiry == 0 && to.earlyExpiry > 0 {
		o.EarlyExpiry = to.earlyExpiry
	}
	if o.EarlyExpiry <= 0 {
		o.EarlyExpiry = defaultEarlyExpiry
	}
	if o.LeaseTTL <= 0 {
		o.LeaseTTL = DefaultLeaseTTL
	}
	if o.PollInterval <= 0 {
		o.PollInterval = DefaultPollInterval
	}
	s := &MemberTokenSource{
		cfg:      *c,
		store:    o.Store,
		opts:     o,
		onChange: to.onChange,
		holder:   "oauth-" + rand.Text(),
		byAccess: map[string]string{},
	}
	if s.store == nil {
		s.store = NewMemoryTokenStore()
	}
	s.now = o.Now
	if s.now == nil {
		s.now = s.cfg.clock
	}
	return s
}

// Store returns the source's store.
func (s *MemberTokenSource) Store() MemberTokenStore { return s.store }

// Token implements oauth2.TokenSource; it has no context, so no member: it
// always fails with ErrNoMember. Use TokenContext.
func (s *MemberTokenSource) Token() (*oauth2.Token, error) {
	return s.TokenContext(context.Background())
}

// TokenContext returns a valid token of the member named by ctx
// (WithMember), from the cache, the store, or a refresh. A member who must
// sign in again gets a *ReauthorizeError; a context without a member,
// ErrNoMember.
func (s *MemberTokenSource) TokenContext(ctx context.Context) (*oauth2.Token, error) {
	member, ok := MemberFromContext(ctx)
	if !ok {
		return nil, ErrNoMember
	}
	t, err := s.MemberToken(ctx, member)
	if err != nil {
		return nil, err
	}
	return t.Token, nil
}

// MemberToken returns a valid token of member (see TokenContext). The
// returned token must not be modified.
func (s *MemberTokenSource) MemberToken(ctx context.Context, member string) (*Token, error) {
	if member == "" {
		return nil, ErrNoMember
	}
	e := s.entry(member)
	e.mu.Lock()
	if e.valid(s.now()) {
		t := e.tok
		e.mu.Unlock()
		return t, nil
	}
	if err := ctx.Err(); err != nil {
		e.mu.Unlock()
		return nil, err
	}
	f := e.flight
	if f == nil {
		f = &flight{done: make(chan struct{})}
		e.flight = f
		go s.run(context.WithoutCancel(ctx), member, e, f)
	}
	e.mu.Unlock()
	select {
	case <-f.done:
		return f.tok, f.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Put stores tok as member's token, replacing whatever was stored (a new
// sign-in), and caches it.
func (s *MemberTokenSource) Put(ctx context.Context, member string, tok *Token) error {
	if member == "" {
		return ErrNoMember
	}
	if tok == nil || tok.Token == nil || tok.AccessToken == "" {
		return errors.New("oauth: MemberTokenSource.Put: empty token")
	}
	tok = copyToken(tok) // the caller keeps theirs
	v, err := s.store.Put(ctx, MemberToken{Member: member, Token: tok}, AnyVersion)
	if err != nil {
		return err
	}
	e := s.entry(member)
	e.mu.Lock()
	s.setEntry(member, e, tok, v)
	e.reported = -1
	e.mu.Unlock()
	return nil
}

// Remove deletes member's token from the store and the cache (sign-out).
func (s *MemberTokenSource) Remove(ctx context.Context, member string) error {
	if err := s.store.Delete(ctx, member); err != nil {
		return err
	}
	if v, ok := s.entries.Load(member); ok {
		e := v.(*memberEntry)
		e.mu.Lock()
		if e.tok != nil {
			s.mu.Lock()
			delete(s.byAccess, e.tok.AccessToken)
			s.mu.Unlock()
		}
		e.tok, e.version, e.invalid = nil, 0, false
		e.mu.Unlock()
	}
	return nil
}

// Expiring returns the stored tokens of members who must sign in again
// within d from now (see MemberToken.ReauthorizeBy), earliest first, so
// that the application can ask them to re-consent in time.
func (s *MemberTokenSource) Expiring(ctx context.Context, d time.Duration) ([]MemberToken, error) {
	return s.store.Expiring(ctx, s.now().Add(d))
}

// Invalidate tells the source that LinkedIn rejected accessToken (401). If
// it is still the current token of its member, the next call for that
// member refreshes it; the store is told too, conditionally on that token,
// so a token another replica already replaced stays valid.
func (s *MemberTokenSource) Invalidate(accessToken string) {
	if accessToken == "" {
		return
	}
	s.mu.Lock()
	member, ok := s.byAccess[accessToken]
	s.mu.Unlock()
	if !ok {
		return
	}
	v, ok := s.entries.Load(member)
	if !ok {
		return
	}
	e := v.(*memberEntry)
	e.mu.Lock()
	hit := e.tok != nil && e.tok.AccessToken == accessToken
	if hit {
		e.invalid, e.rejected = true, accessToken
	}
	e.mu.Unlock()
	if hit {
		ctx, cancel := context.WithTimeout(context.Background(), invalidateTimeout)
		defer cancel()
		_, _ = s.store.Invalidate(ctx, member, accessToken) // the cache already knows
	}
}

func (s *MemberTokenSource) entry(member string) *memberEntry {
	if v, ok := s.entries.Load(member); ok {
		return v.(*memberEntry)
	}
	v, _ := s.entries.LoadOrStore(member, &memberEntry{reported: -1})
	return v.(*memberEntry)
}

// setEntry caches tok; e.mu must be held.
func (s *MemberTokenSource) setEntry(member string, e *memberEntry, tok *Token, version int64) {
	old := e.tok
	e.tok, e.version, e.invalid, e.rejected = tok, version, false, ""
	e.skew = s.opts.EarlyExpiry
	if !tok.Expiry.IsZero() {
		if left := tok.Expiry.Sub(s.now()); left < 2*e.skew {
			e.skew = max(left/2, 0)
		}
	}
	s.mu.Lock()
	if old != nil {
		delete(s.byAccess, old.AccessToken)
	}
	s.byAccess[tok.AccessToken] = member
	s.mu.Unlock()
}

// valid reports whether the cached token can be used; e.mu must be held.
func (e *memberEntry) valid(now time.Time) bool {
	t := e.tok
	if e.invalid || t == nil || t.Token == nil || t.AccessToken == "" {
		return false
	}
	return t.Expiry.IsZero() || now.Add(e.skew).Before(t.Expiry)
}

// usable reports whether a stored token can be used as is.
func (s *MemberTokenSource) usable(mt *MemberToken, rejected string) bool {
	if mt == nil || mt.Invalid || mt.Token == nil || mt.Token.Token == nil || mt.Token.AccessToken == "" {
		return false
	}
	if mt.Token.AccessToken == rejected {
		return false
	}
	t := mt.Token
	skew := s.opts.EarlyExpiry
	if !t.Expiry.IsZero() {
		now := s.now()
		// The same cap as the cache's, so that a short-lived token is used.
		left := t.Expiry.Sub(now)
		if left < 2*skew {
			skew = max(left/2, 0)
		}
		return now.Add(skew).Before(t.Expiry)
	}
	return true
}

// run is one flight for a member: load or refresh, then cache the result
// and wake the callers.
func (s *MemberTokenSource) run(ctx context.Context, member string, e *memberEntry, f *flight) {
	ctx, cancel := context.WithTimeout(ctx, refreshTimeout)
	defer cancel()
	e.mu.Lock()
	rejected, cached, cachedVersion := e.rejected, e.tok, e.version
	e.mu.Unlock()
	tok, version, changed, err := s.obtain(ctx, member, rejected, cached, cachedVersion)
	var reauth *ReauthorizeError
	report := false
	e.mu.Lock()
	if err == nil && (version == 0 || version >= e.version) {
		// A Put during the flight may have cached a newer token: keep it.
		s.setEntry(member, e, tok, version)
	} else if err == nil {
		tok = e.tok
	} else if errors.As(err, &reauth) && e.reported != version {
		e.reported, report = version, true
	}
	e.flight = nil
	e.mu.Unlock()
	if changed {
		e.changeMu.Lock()
		if s.opts.OnTokenChange != nil {
			s.opts.OnTokenChange(member, tok)
		}
		if s.onChange != nil {
			s.onChange(tok)
		}
		e.changeMu.Unlock()
	}
	if report && s.opts.OnReauthorize != nil {
		s.opts.OnReauthorize(reauth)
	}
	f.tok, f.err = tok, err
	close(f.done)
}

// obtain returns a usable token for member: the stored one, or a new one
// from a refresh made under the member's lease. changed reports a refresh.
// A *ReauthorizeError carries, in version, the stored version it was found
// at (for reporting once per version).
func (s *MemberTokenSource) obtain(ctx context.Context, member, rejected string, cached *Token, cachedVersion int64) (tok *Token, version int64, changed bool, err error) {
	for {
		mt, err := s.store.Get(ctx, member)
		if errors.Is(err, ErrTokenNotFound) {
			return nil, 0, false, &ReauthorizeError{Member: member, Reason: ReauthNoToken}
		}
		if err != nil {
			return s.fallback(ctx, member, cached, cachedVersion, err)
		}
		if s.usable(mt, rejected) {
			return mt.Token, mt.Version, false, nil
		}
		if r := s.reauthReason(mt.Token); r != "" {
			return nil, mt.Version, false, &ReauthorizeError{Member: member, Reason: r}
		}
		ok, err := s.store.AcquireLease(ctx, member, s.holder, s.opts.LeaseTTL)
		if err != nil {
			return s.fallback(ctx, member, mt.Token, mt.Version, err)
		}
		if !ok {
			// Another replica refreshes: wait, then read what it stored.
			if err := sleepCtx(ctx, s.opts.PollInterval); err != nil {
				return nil, 0, false, err
			}
			continue
		}
		tok, version, changed, retry, err := s.refreshLeased(ctx, member, rejected)
		if retry {
			continue
		}
		return tok, version, changed, err
	}
}

// fallback is obtain when the store fails (a shared store that is down): a
// call must not fail only because of the store, so the member's token is
// refreshed in process, from the token this source last had, without a
// lease; the store is told, best effort, conditionally on the version that
// token came with. Without a token at hand the store's error is returned.
func (s *MemberTokenSource) fallback(ctx context.Context, member string, cur *Token, curVersion int64, storeErr error) (*Token, int64, bool, error) {
	if ctx.Err() != nil {
		return nil, 0, false, ctx.Err()
	}
	if cur == nil || cur.Token == nil {
		return nil, 0, false, fmt.Errorf("oauth: member token store: %w", storeErr)
	}
	if r := s.reauthReason(cur); r != "" {
		return nil, curVersion, false, &ReauthorizeError{Member: member, Reason: r}
	}
	fresh, err := refreshMember(&s.cfg, ctx, cur)
	if errors.Is(err, ErrReauthorize) {
		return nil, curVersion, false, &ReauthorizeError{Member: member, Reason: ReauthInvalidGrant, Err: err}
	}
	if err != nil {
		return nil, 0, false, err
	}
	v, err := s.store.Put(ctx, MemberToken{Member: member, Token: fresh}, curVersion)
	if err != nil {
		v = 0
	}
	return fresh, v, true, nil
}

// refreshLeased refreshes member's token while holding its lease. retry
// reports that the store changed meanwhile and obtain should read again.
func (s *MemberTokenSource) refreshLeased(ctx context.Context, member, rejected string) (tok *Token, version int64, changed, retry bool, err error) {
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), invalidateTimeout)
		_ = s.store.ReleaseLease(rctx, member, s.holder)
		cancel()
	}()
	// Re-read under the lease: the previous holder may just have finished.
	mt, err := s.store.Get(ctx, member)
	if errors.Is(err, ErrTokenNotFound) {
		return nil, 0, false, false, &ReauthorizeError{Member: member, Reason: ReauthNoToken}
	}
	if err != nil {
		return nil, 0, false, false, fmt.Errorf("oauth: member token store: %w", err)
	}
	if s.usable(mt, rejected) {
		return mt.Token, mt.Version, false, false, nil
	}
	if r := s.reauthReason(mt.Token); r != "" {
		return nil, mt.Version, false, false, &ReauthorizeError{Member: member, Reason: r}
	}
	fresh, err := refreshMember(&s.cfg, ctx, mt.Token)
	if err != nil {
		if !errors.Is(err, ErrReauthorize) {
			return nil, 0, false, false, err
		}
		// The refresh token is dead: store the token without it, so that
		// no replica tries it again, and report the member.
		dead := copyToken(mt.Token)
		dead.Token.RefreshToken = ""
		v, perr := s.store.Put(ctx, MemberToken{Member: member, Token: dead, Invalid: true}, mt.Version)
		if perr != nil {
			v = mt.Version
		}
		return nil, v, false, false, &ReauthorizeError{Member: member, Reason: ReauthInvalidGrant, Err: err}
	}
	v, err := s.store.Put(ctx, MemberToken{Member: member, Token: fresh}, mt.Version)
	if errors.Is(err, ErrVersionConflict) {
		// Our lease expired and another replica stored a token meanwhile:
		// theirs is as good as ours. Read it.
		return nil, 0, false, true, nil
	}
	if err != nil {
		// The token is good; the store will learn it on the next refresh.
		return fresh, 0, true, false, nil
	}
	return fresh, v, true, false, nil
}

// reauthReason says why a token that needs refreshing cannot be
// refreshed, or "" when it can.
func (s *MemberTokenSource) reauthReason(t *Token) string {
	switch {
	case t == nil || t.Token == nil || t.RefreshToken == "":
		return ReauthNoRefreshToken
	case !t.RefreshTokenExpiry.IsZero() && !s.now().Before(t.RefreshTokenExpiry):
		return ReauthRefreshExpired
	}
	return ""
}

// sleepCtx waits for d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
