package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// rotatingServer answers refresh requests with access-N / refresh-N,
// counting them.
func rotatingServer(t *testing.T, expiresIn int) (*oauthServer, *atomic.Int32) {
	var n atomic.Int32
	srv := newOAuthServer(t, func(w http.ResponseWriter, _ *http.Request, form url.Values) {
		i := n.Add(1)
		writeJSON(w, http.StatusOK, map[string]any{
			"access_token":             "access-" + itoa(i),
			"refresh_token":            "refresh-" + itoa(i),
			"expires_in":               expiresIn,
			"refresh_token_expires_in": 1000000,
		})
	})
	return srv, &n
}

func itoa(i int32) string { return string(rune('0'+i/10)) + string(rune('0'+i%10)) }

func memberToken(access, refresh string, expiry time.Time) *Token {
	return &Token{Token: &oauth2.Token{AccessToken: access, RefreshToken: refresh, Expiry: expiry}}
}

func TestTokenSource_RefreshesNearExpiryAndReportsRotation(t *testing.T) {
	srv, n := rotatingServer(t, 3600)
	clock := newFakeClock()
	c := srv.config()
	c.now = clock.Now
	var changed []*Token
	var mu sync.Mutex
	ts := c.TokenSource(memberToken("initial", canaryRefresh, fixedNow.Add(2*time.Minute)),
		EarlyExpiry(time.Minute),
		OnTokenChange(func(tok *Token) { mu.Lock(); changed = append(changed, tok); mu.Unlock() }))

	tok, err := ts.Token()
	if err != nil || tok.AccessToken != "initial" || n.Load() != 0 {
		t.Fatalf("fresh token: %v %v, %d refreshes", tok, err, n.Load())
	}
	clock.Advance(59 * time.Second) // 61 s left: still outside the 1 min window
	if tok, _ := ts.Token(); tok.AccessToken != "initial" || n.Load() != 0 {
		t.Fatalf("at 61 s left: %q, %d refreshes", tok.AccessToken, n.Load())
	}
	clock.Advance(2 * time.Second) // 59 s left: refresh
	tok, err = ts.Token()
	if err != nil || tok.AccessToken != "access-01" || tok.RefreshToken != "refresh-01" || n.Load() != 1 {
		t.Fatalf("near expiry: %v %v, %d refreshes", tok, err, n.Load())
	}
	if form := srv.requests()[0].Form; form.Get("refresh_token") != canaryRefresh || form.Get("grant_type") != "refresh_token" {
		t.Errorf("refresh form = %v", form)
	}
	if !tok.Expiry.Equal(clock.Now().Add(time.Hour)) {
		t.Errorf("Expiry = %v", tok.Expiry)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(changed) != 1 || changed[0].AccessToken != "access-01" || changed[0].RefreshToken != "refresh-01" ||
		!changed[0].RefreshTokenExpiry.Equal(clock.Now().Add(1000000*time.Second)) {
		t.Errorf("OnTokenChange calls = %+v", changed)
	}
}

func TestTokenSource_KeepsRefreshTokenAndExpiryWhenNotRotated(t *testing.T) {
	srv := newOAuthServer(t, func(w http.ResponseWriter, _ *http.Request, _ url.Values) {
		writeJSON(w, http.StatusOK, map[string]any{"access_token": "a2", "expires_in": 3600})
	})
	rtExpiry := fixedNow.Add(100 * 24 * time.Hour)
	initial := memberToken("a1", "r1", fixedNow.Add(-time.Second))
	initial.RefreshTokenExpiry = rtExpiry
	var got *Token
	ts := srv.config().TokenSource(initial, OnTokenChange(func(t *Token) { got = t }))
	if _, err := ts.Token(); err != nil {
		t.Fatal(err)
	}
	if got == nil || got.AccessToken != "a2" || got.RefreshToken != "r1" || !got.RefreshTokenExpiry.Equal(rtExpiry) {
		t.Errorf("rotated token = %+v", got)
	}
}

func TestTokenSource_Invalidate(t *testing.T) {
	srv, n := rotatingServer(t, 3600)
	ts := srv.config().TokenSource(memberToken("initial", "r", fixedNow.Add(time.Hour)))

	ts.Invalidate("some-other-token")
	ts.Invalidate("")
	if tok, _ := ts.Token(); tok.AccessToken != "initial" || n.Load() != 0 {
		t.Fatalf("Invalidate of another token refreshed: %q, %d", tok.AccessToken, n.Load())
	}
	ts.Invalidate("initial")
	if tok, _ := ts.Token(); tok.AccessToken != "access-01" || n.Load() != 1 {
		t.Fatalf("after Invalidate(current): %q, %d refreshes", tok.AccessToken, n.Load())
	}
	ts.Invalidate("initial") // stale: a concurrent caller already refreshed
	if tok, _ := ts.Token(); tok.AccessToken != "access-01" || n.Load() != 1 {
		t.Fatalf("after a stale Invalidate: %q, %d refreshes", tok.AccessToken, n.Load())
	}
	// The refresh used the cached token's refresh token even though the
	// access token had been invalidated.
	if got := srv.requests()[0].Form.Get("refresh_token"); got != "r" {
		t.Errorf("refresh_token = %q", got)
	}
}

func TestTokenSource_ReauthorizeWithoutNetwork(t *testing.T) {
	expired := memberToken("a", "r", fixedNow.Add(-time.Minute))
	expired.RefreshTokenExpiry = fixedNow.Add(-time.Second)
	tests := []struct {
		name string
		tok  *Token
	}{
		{"nil token", nil},
		{"token without oauth2.Token", &Token{}},
		{"no refresh token", memberToken("a", "", fixedNow.Add(-time.Minute))},
		{"refresh token expired", expired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, n := rotatingServer(t, 3600)
			ts := srv.config().TokenSource(tt.tok)
			_, err := ts.Token()
			if !errors.Is(err, ErrReauthorize) {
				t.Errorf("err = %v, want ErrReauthorize", err)
			}
			if n.Load() != 0 {
				t.Error("the token endpoint must not be called")
			}
		})
	}
}

func TestTokenSource_InvalidGrantIsReauthorize(t *testing.T) {
	srv := newOAuthServer(t, func(w http.ResponseWriter, _ *http.Request, _ url.Values) {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant", "error_description": "The provided authorization grant or refresh token is invalid, expired or revoked."})
	})
	ts := srv.config().TokenSource(memberToken("a", canaryRefresh, fixedNow.Add(-time.Minute)))
	_, err := ts.TokenContext(context.Background())
	var e *Error
	if !errors.Is(err, ErrReauthorize) || !errors.As(err, &e) || e.Code != "invalid_grant" {
		t.Errorf("err = %v", err)
	}
}

func TestTokenSource_ConcurrentCallersShareOneRefresh(t *testing.T) {
	release := make(chan struct{})
	var n atomic.Int32
	srv := newOAuthServer(t, func(w http.ResponseWriter, r *http.Request, form url.Values) {
		n.Add(1)
		<-release
		tokenJSON("new", "r2")(w, r, form)
	})
	ts := srv.config().TokenSource(memberToken("old", "r1", fixedNow.Add(-time.Minute)))
	const callers = 50
	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for range callers {
		wg.Go(func() {
			tok, err := ts.Token()
			if err == nil && tok.AccessToken != "new" {
				err = errors.New("got " + tok.AccessToken)
			}
			errs <- err
		})
	}
	// Let the callers pile up on the one refresh, then let it finish.
	for n.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if got := n.Load(); got != 1 {
		t.Errorf("%d refreshes, want 1", got)
	}
}

func TestTokenSource_CancelledCallerStopsWaitingRefreshGoesOn(t *testing.T) {
	release := make(chan struct{})
	var n atomic.Int32
	srv := newOAuthServer(t, func(w http.ResponseWriter, r *http.Request, form url.Values) {
		n.Add(1)
		<-release
		tokenJSON("new", "")(w, r, form)
	})
	var changed atomic.Int32
	ts := srv.config().TokenSource(memberToken("old", "r1", fixedNow.Add(-time.Minute)),
		OnTokenChange(func(*Token) { changed.Add(1) }))

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := ts.TokenContext(ctx); done <- err }()
	for n.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("TokenContext ignored cancellation")
	}
	close(release)
	tok, err := ts.Token() // joins or follows the refresh that went on
	if err != nil || tok.AccessToken != "new" {
		t.Fatalf("Token = %v, %v", tok, err)
	}
	if n.Load() != 1 || changed.Load() != 1 {
		t.Errorf("%d refreshes, %d hook calls; want 1, 1", n.Load(), changed.Load())
	}

	// An already-cancelled context starts nothing.
	ts.Invalidate("new")
	if _, err := ts.TokenContext(ctx); !errors.Is(err, context.Canceled) || n.Load() != 1 {
		t.Errorf("cancelled ctx: err = %v, %d refreshes", err, n.Load())
	}
}

func TestTokenSource_ShortLivedTokenIsNotRefreshedOnEveryCall(t *testing.T) {
	srv, n := rotatingServer(t, 30) // 30 s tokens, 1 min early expiry
	clock := newFakeClock()
	c := srv.config()
	c.now = clock.Now
	ts := c.ClientCredentialsTokenSource()
	for range 3 {
		if _, err := ts.Token(); err != nil {
			t.Fatal(err)
		}
	}
	if n.Load() != 1 {
		t.Fatalf("%d fetches for three calls, want 1", n.Load())
	}
	clock.Advance(16 * time.Second) // past half the lifetime
	if tok, _ := ts.Token(); tok.AccessToken != "access-02" {
		t.Errorf("after half the lifetime: %q", tok.AccessToken)
	}
}

func TestClientCredentialsTokenSource(t *testing.T) {
	var n atomic.Int32
	srv := newOAuthServer(t, func(w http.ResponseWriter, _ *http.Request, _ url.Values) {
		i := n.Add(1)
		writeJSON(w, http.StatusOK, map[string]any{"access_token": "app-" + itoa(i), "expires_in": "1800"})
	})
	clock := newFakeClock()
	c := srv.config()
	c.now = clock.Now
	var changes atomic.Int32
	ts := c.ClientCredentialsTokenSource(OnTokenChange(func(*Token) { changes.Add(1) }))
	for _, step := range []struct {
		before func()
		want   string
	}{
		{func() {}, "app-01"},
		{func() { clock.Advance(28 * time.Minute) }, "app-01"},
		{func() { clock.Advance(time.Minute + time.Second) }, "app-02"}, // within 1 min of expiry
		{func() { ts.Invalidate("app-02") }, "app-03"},
	} {
		step.before()
		tok, err := ts.Token()
		if err != nil || tok.AccessToken != step.want {
			t.Fatalf("Token = %v, %v; want %s", tok, err, step.want)
		}
	}
	if changes.Load() != 3 {
		t.Errorf("%d OnTokenChange calls, want 3", changes.Load())
	}
	for _, r := range srv.requests() {
		if r.Form.Get("grant_type") != "client_credentials" || r.Form.Has("refresh_token") {
			t.Errorf("form = %v", r.Form)
		}
	}
}

func TestToken_JSONRoundTrip(t *testing.T) {
	in := &Token{
		Token:              &oauth2.Token{AccessToken: "a", RefreshToken: "r", Expiry: fixedNow.Add(time.Hour)},
		RefreshTokenExpiry: fixedNow.Add(365 * 24 * time.Hour),
		Scopes:             []string{"openid", "r_ads"},
	}
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out Token
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	if out.Token == nil || out.AccessToken != "a" || out.RefreshToken != "r" || !out.Expiry.Equal(in.Expiry) ||
		!out.RefreshTokenExpiry.Equal(in.RefreshTokenExpiry) || !reflect.DeepEqual(out.Scopes, in.Scopes) {
		t.Errorf("round trip: %s -> %+v", data, out)
	}
}
