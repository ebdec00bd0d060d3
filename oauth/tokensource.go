package oauth

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

const (
	// defaultEarlyExpiry is how long before its expiry a token is refreshed.
	defaultEarlyExpiry = time.Minute
	// refreshTimeout bounds a refresh, which runs detached from the
	// cancellation of the caller that started it (other callers share it).
	refreshTimeout = time.Minute
	// minRefreshBackoff and maxRefreshBackoff bound the wait after a failed
	// call to the token endpoint: 1 s after the first failure, doubling
	// with each further one, at most 1 min.
	minRefreshBackoff = time.Second
	maxRefreshBackoff = time.Minute
)

// ErrTokenEndpointBackoff is wrapped by the error a TokenSource returns,
// without calling the token endpoint, while it waits after a failed call
// (1 s after the first failure, doubling up to 1 min; a success resets
// it). The error also wraps the failure that started the wait.
var ErrTokenEndpointBackoff = errors.New("oauth: token endpoint failed recently; waiting before the next call")

// TokenSourceOption configures a TokenSource.
type TokenSourceOption func(*tokenSourceOptions)

type tokenSourceOptions struct {
	onChange    func(*Token)
	earlyExpiry time.Duration
}

// OnTokenChange sets a function called with every new token the source
// obtains (a refreshed member token, with its possibly rotated refresh
// token, or a new client-credentials token), so that it can be persisted.
// Calls are serialised and happen before the callers waiting for the token
// receive it; f should be quick and must not call the source.
func OnTokenChange(f func(*Token)) TokenSourceOption {
	return func(o *tokenSourceOptions) { o.onChange = f }
}

// EarlyExpiry sets how long before its expiry a token is replaced
// (default 1 minute), by the rule in the package documentation ("Token
// lifetime"). Negative values count as zero.
func EarlyExpiry(d time.Duration) TokenSourceOption {
	return func(o *tokenSourceOptions) {
		if d < 0 {
			d = 0
		}
		o.earlyExpiry = d
	}
}

// TokenSource is an oauth2.TokenSource that caches a token and replaces it
// shortly before it expires or after Invalidate. It is safe for concurrent
// use; concurrent callers that need a new token share one call to the token
// endpoint (single-flight). Create one with Config.TokenSource (member
// tokens, refreshed with the refresh token) or
// Config.ClientCredentialsTokenSource (application tokens).
type TokenSource struct {
	fetch       func(ctx context.Context, cur *Token) (*Token, error)
	onChange    func(*Token)
	earlyExpiry time.Duration
	now         func() time.Time

	mu      sync.Mutex
	tok     *Token
	skew    time.Duration // early expiry applied to tok
	invalid bool          // tok was rejected (Invalidate); keep it for its refresh token
	flight  *flight       // the refresh in progress, if any
	dead    error         // why tok cannot be refreshed (ErrReauthorize), until SetToken
	fails   int           // consecutive failed calls to the token endpoint
	waitTil time.Time     // no call to the token endpoint before this time
	lastErr error         // the last failure, while waiting
}

// flight is one refresh, shared by every caller that waits for it.
type flight struct {
	done chan struct{}
	tok  *Token
	err  error
}

func newTokenSource(c *Config, tok *Token, opts []TokenSourceOption, fetch func(*Config, context.Context, *Token) (*Token, error)) *TokenSource {
	o := tokenSourceOptions{earlyExpiry: defaultEarlyExpiry}
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	cfg := *c // later changes to c do not race with refreshes
	s := &TokenSource{
		fetch:       func(ctx context.Context, cur *Token) (*Token, error) { return fetch(&cfg, ctx, cur) },
		onChange:    o.onChange,
		earlyExpiry: o.earlyExpiry,
		now:         cfg.clock,
	}
	s.setToken(tok)
	return s
}

// setToken caches tok, forgets a dead refresh token and the backoff, and
// computes the early expiry by the package's token lifetime rule: the
// EarlyExpiry window, or half the token's issued lifetime (expires_in)
// when that lifetime is shorter than twice the window. The time left when
// the source receives the token does not enter into it, so a stored token
// restored close to its expiry is refreshed, not used as is. s.mu must be
// held (or s not yet shared).
func (s *TokenSource) setToken(tok *Token) {
	s.tok, s.invalid, s.skew = tok, false, s.earlyExpiry
	s.dead, s.fails, s.waitTil, s.lastErr = nil, 0, time.Time{}, nil
	if tok != nil && tok.Token != nil && tok.ExpiresIn > 0 {
		if life := time.Duration(tok.ExpiresIn) * time.Second; life < 2*s.skew {
			s.skew = life / 2
		}
	}
}

// SetToken replaces the source's token, for example with the one
// Config.Exchange returned after the member authorized the application
// again. It forgets a refresh token the endpoint rejected and any wait
// after failures, so the next call uses tok (and refreshes it when due).
// OnTokenChange is not called: the caller has the token already.
func (s *TokenSource) SetToken(tok *Token) {
	if tok != nil && tok.Token == nil {
		tok = nil
	}
	s.mu.Lock()
	s.setToken(tok)
	s.mu.Unlock()
}

// TokenSource returns a source of member (3-legged) tokens that starts with
// tok and refreshes it with its refresh token when it is within the early
// expiry window (see EarlyExpiry) of its Expiry, or after Invalidate. When
// the refresh response carries no new refresh token the current one is
// kept, with its RefreshTokenExpiry.
//
// When tok is nil or has no refresh token, or the refresh token has expired
// or is rejected (invalid_grant), Token returns an error wrapping
// ErrReauthorize: the member has to authorize the application again.
func (c *Config) TokenSource(tok *Token, opts ...TokenSourceOption) *TokenSource {
	if tok != nil && tok.Token == nil {
		tok = nil
	}
	return newTokenSource(c, tok, opts, refreshMember)
}

func refreshMember(c *Config, ctx context.Context, cur *Token) (*Token, error) {
	if cur == nil || cur.RefreshToken == "" {
		return nil, fmt.Errorf("oauth: no refresh token: %w", ErrReauthorize)
	}
	if !cur.RefreshTokenExpiry.IsZero() && !c.clock().Before(cur.RefreshTokenExpiry) {
		return nil, fmt.Errorf("oauth: refresh token expired: %w", ErrReauthorize)
	}
	tok, err := c.Refresh(ctx, cur.RefreshToken)
	if err != nil {
		return nil, err
	}
	if tok.RefreshToken == cur.RefreshToken && tok.RefreshTokenExpiry.IsZero() {
		tok.RefreshTokenExpiry = cur.RefreshTokenExpiry
	}
	return tok, nil
}

// ClientCredentialsTokenSource returns a source of application (2-legged)
// tokens: it gets a token with ClientCredentials on first use and a new one
// when the current one is about to expire or has been invalidated.
func (c *Config) ClientCredentialsTokenSource(opts ...TokenSourceOption) *TokenSource {
	return newTokenSource(c, nil, opts, func(c *Config, ctx context.Context, _ *Token) (*Token, error) {
		return c.ClientCredentials(ctx)
	})
}

// Token returns a valid token, refreshing it if needed. It implements
// oauth2.TokenSource. The returned token must not be modified.
func (s *TokenSource) Token() (*oauth2.Token, error) {
	return s.TokenContext(context.Background())
}

// TokenContext is Token with a context: a caller whose ctx ends stops
// waiting at once with ctx's error. The refresh it may have started goes on
// (bounded by a timeout), for the other callers that share it, and its
// token is cached.
func (s *TokenSource) TokenContext(ctx context.Context) (*oauth2.Token, error) {
	t, err := s.token(ctx)
	if err != nil {
		return nil, err
	}
	return t.Token, nil
}

// Invalidate tells the source that accessToken was rejected (LinkedIn
// answered 401). If the cached token is still that one, the next call to
// Token gets a new one; if the source has moved on to another token, for
// example because a concurrent caller already refreshed, it does nothing.
func (s *TokenSource) Invalidate(accessToken string) {
	if accessToken == "" {
		return
	}
	s.mu.Lock()
	if s.tok != nil && s.tok.AccessToken == accessToken {
		s.invalid = true
	}
	s.mu.Unlock()
}

func (s *TokenSource) valid() bool {
	t := s.tok
	if s.invalid || t == nil || t.Token == nil || t.AccessToken == "" {
		return false
	}
	return t.Expiry.IsZero() || s.now().Add(s.skew).Before(t.Expiry)
}

func (s *TokenSource) token(ctx context.Context) (*Token, error) {
	s.mu.Lock()
	if s.valid() {
		t := s.tok
		s.mu.Unlock()
		return t, nil
	}
	if err := ctx.Err(); err != nil {
		s.mu.Unlock()
		return nil, err
	}
	if s.dead != nil {
		// The refresh token was rejected: sending it again cannot help.
		err := s.dead
		s.mu.Unlock()
		return nil, err
	}
	if s.flight == nil && s.now().Before(s.waitTil) {
		err := fmt.Errorf("%w: %w", ErrTokenEndpointBackoff, s.lastErr)
		s.mu.Unlock()
		return nil, err
	}
	f := s.flight
	if f == nil {
		f = &flight{done: make(chan struct{})}
		s.flight = f
		go s.refresh(context.WithoutCancel(ctx), f, s.tok)
	}
	s.mu.Unlock()
	select {
	case <-f.done:
		return f.tok, f.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// refresh runs one flight. The hook runs before the flight ends so that
// calls to it never overlap.
func (s *TokenSource) refresh(ctx context.Context, f *flight, cur *Token) {
	ctx, cancel := context.WithTimeout(ctx, refreshTimeout)
	defer cancel()
	tok, err := s.fetch(ctx, cur)
	if err == nil && (tok == nil || tok.Token == nil || tok.AccessToken == "") {
		tok, err = nil, fmt.Errorf("oauth: token source: empty token")
	}
	if err == nil {
		s.mu.Lock()
		s.setToken(tok)
		s.mu.Unlock()
		if s.onChange != nil {
			s.onChange(tok)
		}
	}
	s.mu.Lock()
	s.flight = nil
	if err != nil {
		s.failed(err)
	}
	s.mu.Unlock()
	f.tok, f.err = tok, err
	close(f.done)
}

// failed records a failed refresh: a refresh token that cannot be used is
// remembered until SetToken; any other failure starts or lengthens the
// wait before the next call to the token endpoint. s.mu must be held.
func (s *TokenSource) failed(err error) {
	if errors.Is(err, ErrReauthorize) {
		s.dead = err
		return
	}
	s.fails++
	wait := maxRefreshBackoff
	if s.fails <= 6 {
		wait = min(minRefreshBackoff<<(s.fails-1), maxRefreshBackoff)
	}
	s.waitTil, s.lastErr = s.now().Add(wait), err
}
