// Tests of the token source's rules: the one token lifetime rule, a dead
// refresh token remembered until the token is replaced, and the backoff
// after token endpoint failures.

package oauth

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"
	"time"
)

// TestTokenSource_RestoredTokenLifetimeRule: a stored member token
// restored with 1 s or 30 s left is refreshed at once, one with 9 min left
// is used until a minute before its expiry. Before, the window shrank to
// half the time left, so a token with 1 s left was used as is.
func TestTokenSource_RestoredTokenLifetimeRule(t *testing.T) {
	tests := []struct {
		left        time.Duration
		refreshNow  bool
		usableUntil time.Duration // for a token used as is: when it is still used
	}{
		{time.Second, true, 0},
		{30 * time.Second, true, 0},
		{9 * time.Minute, false, 8*time.Minute - time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.left.String(), func(t *testing.T) {
			srv, n := rotatingServer(t, 3600)
			clock := newFakeClock()
			c := srv.config()
			c.now = clock.Now
			// Issued with LinkedIn's 60-day lifetime, stored, restored.
			issued := memberToken("stored", canaryRefresh, clock.Now().Add(tt.left))
			issued.ExpiresIn = 5184000
			data, err := json.Marshal(issued)
			if err != nil {
				t.Fatal(err)
			}
			var restored Token
			if err := json.Unmarshal(data, &restored); err != nil {
				t.Fatal(err)
			}
			ts := c.TokenSource(&restored)
			tok, err := ts.Token()
			if err != nil {
				t.Fatal(err)
			}
			if got := n.Load() == 1; got != tt.refreshNow || (tok.AccessToken == "stored") == tt.refreshNow {
				t.Fatalf("%v left: token %q after %d refreshes, want refreshed=%v", tt.left, tok.AccessToken, n.Load(), tt.refreshNow)
			}
			if tt.refreshNow {
				return
			}
			clock.Advance(tt.usableUntil) // 61 s left
			if tok, _ := ts.Token(); tok.AccessToken != "stored" {
				t.Fatalf("at 61 s left: %q", tok.AccessToken)
			}
			clock.Advance(2 * time.Second) // 59 s left
			if tok, _ := ts.Token(); tok.AccessToken == "stored" || n.Load() != 1 {
				t.Fatalf("at 59 s left: %q after %d refreshes", tok.AccessToken, n.Load())
			}
		})
	}
	// Without a known lifetime (no expires_in), the window is the same
	// minute.
	srv, n := rotatingServer(t, 3600)
	c := srv.config()
	if _, err := c.TokenSource(memberToken("stored", canaryRefresh, fixedNow.Add(30*time.Second))).Token(); err != nil || n.Load() != 1 {
		t.Errorf("30 s left, lifetime unknown: %v, %d refreshes", err, n.Load())
	}
}

// TestTokenSource_DeadRefreshTokenIsNotResent: after invalid_grant the
// source answers ErrReauthorize without calling the endpoint again, until
// SetToken gives it a new token.
func TestTokenSource_DeadRefreshTokenIsNotResent(t *testing.T) {
	var dead atomic.Bool
	dead.Store(true)
	var n atomic.Int32
	srv := newOAuthServer(t, func(w http.ResponseWriter, _ *http.Request, form url.Values) {
		n.Add(1)
		if dead.Load() {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"access_token": "fresh", "expires_in": 3600})
	})
	ts := srv.config().TokenSource(memberToken("a", canaryRefresh, fixedNow.Add(-time.Minute)))
	for range 5 {
		if _, err := ts.Token(); !errors.Is(err, ErrReauthorize) {
			t.Fatalf("err = %v, want ErrReauthorize", err)
		}
	}
	if n.Load() != 1 {
		t.Fatalf("the dead refresh token was sent %d times, want 1", n.Load())
	}
	// The member authorized again: the new token is used, and refreshed
	// with its own refresh token when due.
	dead.Store(false)
	ts.SetToken(memberToken("re-authorized", "new-refresh", fixedNow.Add(time.Hour)))
	if tok, err := ts.Token(); err != nil || tok.AccessToken != "re-authorized" || n.Load() != 1 {
		t.Fatalf("after SetToken: %v %v, %d calls", tok, err, n.Load())
	}
	ts.SetToken(memberToken("expired", "new-refresh", fixedNow.Add(-time.Minute)))
	if tok, err := ts.Token(); err != nil || tok.AccessToken != "fresh" || n.Load() != 2 {
		t.Fatalf("refresh after SetToken: %v %v, %d calls", tok, err, n.Load())
	}
}

// TestTokenSource_BacksOffAfterEndpointFailures: a failing token endpoint
// is called once per wait (1 s, 2 s, 4 s… up to 1 min), not once per
// caller; a success ends the wait.
func TestTokenSource_BacksOffAfterEndpointFailures(t *testing.T) {
	var down atomic.Bool
	down.Store(true)
	var n atomic.Int32
	srv := newOAuthServer(t, func(w http.ResponseWriter, _ *http.Request, _ url.Values) {
		n.Add(1)
		if down.Load() {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "temporarily_unavailable"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"access_token": "app", "expires_in": 3600})
	})
	clock := newFakeClock()
	c := srv.config()
	c.now = clock.Now
	ts := c.ClientCredentialsTokenSource()
	steps := []struct {
		advance   time.Duration
		wantCalls int32
		backoff   bool
	}{
		{0, 1, false}, // first failure: wait 1 s
		{0, 1, true},  // waiting
		{999 * time.Millisecond, 1, true},
		{time.Millisecond, 2, false}, // second failure: wait 2 s
		{time.Second, 2, true},
		{time.Second, 3, false}, // third failure: wait 4 s
	}
	for i, st := range steps {
		clock.Advance(st.advance)
		_, err := ts.Token()
		if err == nil || errors.Is(err, ErrTokenEndpointBackoff) != st.backoff || n.Load() != st.wantCalls {
			t.Fatalf("step %d: err = %v, %d calls; want backoff=%v, %d calls", i, err, n.Load(), st.backoff, st.wantCalls)
		}
		var e *Error
		if !errors.As(err, &e) || e.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("step %d: the endpoint's error is not kept: %v", i, err)
		}
	}
	down.Store(false)
	clock.Advance(4 * time.Second)
	if tok, err := ts.Token(); err != nil || tok.AccessToken != "app" || n.Load() != 4 {
		t.Fatalf("after the wait: %v %v, %d calls", tok, err, n.Load())
	}
}
