// tokens_test.go: the member-token store's conformance tests.

package redisstore

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/oauth"
	"github.com/linkedin-go/linkedin/transport/sharedstate"
)

// canary values: they must never appear in an error or a log line.
const (
	canaryAccess  = "CANARY-ACCESS-7f3a9c"
	canaryRefresh = "CANARY-REFRESH-51d2e8"
)

func token(access string, life time.Duration) *oauth.Token {
	return &oauth.Token{Token: &oauth2.Token{AccessToken: access, RefreshToken: canaryRefresh, TokenType: "Bearer",
		Expiry: time.Now().Add(life).Round(time.Second)}, RefreshTokenExpiry: time.Now().Add(300 * 24 * time.Hour).Round(time.Second)}
}

func TestTokens_VersionedWritesAndConditionalInvalidation(t *testing.T) {
	eachBackend(t, func(t *testing.T, b *backend) {
		ctx := context.Background()
		ts := b.newStore(t, Options{}).Tokens()
		if st, err := ts.Load(ctx, "m1"); err != nil || st.Version != 0 {
			t.Fatalf("absent: %+v %v", st, err)
		}
		v1, err := ts.Save(ctx, "m1", token("a1", time.Hour), 0)
		if err != nil || v1 != 1 {
			t.Fatalf("first save: %d %v", v1, err)
		}
		if _, err := ts.Save(ctx, "m1", token("stale", time.Hour), 0); !errors.Is(err, sharedstate.ErrVersionConflict) {
			t.Fatalf("save over a newer version: %v, want ErrVersionConflict", err)
		}
		v2, err := ts.Save(ctx, "m1", token("a2", time.Hour), v1)
		if err != nil || v2 != 2 {
			t.Fatalf("second save: %d %v", v2, err)
		}
		st, err := ts.Load(ctx, "m1")
		if err != nil || st.Version != 2 || st.Token.AccessToken != "a2" || st.Token.RefreshToken != canaryRefresh || st.Invalid {
			t.Fatalf("load: %+v %v", st, err)
		}
		if ok, err := ts.Invalidate(ctx, "m1", v1); ok || err != nil {
			t.Fatalf("invalidate an old version: %v %v, want no effect", ok, err)
		}
		if ok, err := ts.Invalidate(ctx, "m1", v2); !ok || err != nil {
			t.Fatalf("invalidate the current version: %v %v", ok, err)
		}
		if ok, _ := ts.Invalidate(ctx, "m1", v2); ok {
			t.Fatal("invalidated twice")
		}
		if st, _ := ts.Load(ctx, "m1"); !st.Invalid || st.Version != 2 || st.Token.RefreshToken != canaryRefresh {
			t.Fatalf("after invalidate: %+v, want invalid with its refresh token", st)
		}
		if v3, err := ts.Save(ctx, "m1", token("a3", time.Hour), v2); err != nil || v3 != 3 {
			t.Fatalf("replace: %d %v", v3, err)
		}
		if st, _ := ts.Load(ctx, "m1"); st.Invalid || st.Token.AccessToken != "a3" {
			t.Fatalf("after replace: %+v", st)
		}
	})
}

func TestTokens_WritesAreSeenByOtherReplicas(t *testing.T) {
	redisBackends(t, func(t *testing.T, b *backend) {
		ctx := context.Background()
		a, c := b.newStore(t, Options{}).Tokens(), b.newStore(t, Options{}).Tokens()
		if _, err := a.Save(ctx, "m1", token("a1", time.Hour), 0); err != nil {
			t.Fatal(err)
		}
		st, _ := c.Load(ctx, "m1")
		if st.Version != 1 || st.Token.AccessToken != "a1" {
			t.Fatalf("other replica: %+v", st)
		}
		if _, err := c.Save(ctx, "m1", token("c2", time.Hour), 1); err != nil {
			t.Fatal(err)
		}
		// a's cached v1 is still valid for an hour; a 401 on it makes a
		// invalidate v1 (no effect: v2 is newer) and re-read.
		if ok, _ := a.Invalidate(ctx, "m1", 1); ok {
			t.Fatal("invalidated a newer token")
		}
		if st, _ := a.Load(ctx, "m1"); st.Version != 2 || st.Token.AccessToken != "c2" || st.Invalid {
			t.Fatalf("after conditional invalidate: %+v, want v2", st)
		}
	})
}

func TestTokens_LeaseHasOneHolder(t *testing.T) {
	eachBackend(t, func(t *testing.T, b *backend) {
		ctx := context.Background()
		a := b.newStore(t, Options{}).Tokens()
		c := a
		if b.shared {
			c = b.newStore(t, Options{}).Tokens()
		}
		steps := []struct {
			ts      sharedstate.TokenStore
			owner   string
			release bool
			want    bool
		}{
			{a, "A", false, true},
			{c, "B", false, false},
			{a, "A", false, true}, // the holder may extend
			{c, "B", true, false}, // not B's: no effect
			{c, "B", false, false},
			{a, "A", true, false},
			{c, "B", false, true},
		}
		for i, s := range steps {
			if s.release {
				if err := s.ts.Release(ctx, "m1", s.owner); err != nil {
					t.Fatal(err)
				}
				continue
			}
			ok, err := s.ts.Lease(ctx, "m1", s.owner, time.Minute)
			if err != nil || ok != s.want {
				t.Fatalf("step %d: lease for %s = %v %v, want %v", i, s.owner, ok, err, s.want)
			}
		}
	})
}

func TestTokens_ExpiringListsMembersToReconsent(t *testing.T) {
	eachBackend(t, func(t *testing.T, b *backend) {
		ctx := context.Background()
		ts := b.newStore(t, Options{}).Tokens()
		soon := token("s", time.Hour)
		soon.RefreshTokenExpiry = time.Now().Add(3 * 24 * time.Hour)
		noRefresh := token("n", 2*time.Hour)
		noRefresh.RefreshToken = ""
		for m, tok := range map[string]*oauth.Token{"soon": soon, "later": token("l", time.Hour), "norefresh": noRefresh} {
			if _, err := ts.Save(ctx, m, tok, 0); err != nil {
				t.Fatal(err)
			}
		}
		got, err := ts.Expiring(ctx, 7*24*time.Hour)
		slices.Sort(got)
		if err != nil || !slices.Equal(got, []string{"norefresh", "soon"}) {
			t.Fatalf("Expiring(7d) = %v %v", got, err)
		}
	})
}

func TestTokens_ReadsComeFromTheLocalCache(t *testing.T) {
	redisBackends(t, func(t *testing.T, b *backend) {
		ctx := context.Background()
		s := b.newStore(t, Options{})
		if _, err := s.Tokens().Save(ctx, "m1", token("a1", time.Hour), 0); err != nil {
			t.Fatal(err)
		}
		b.srv.Stop() // any read that touched Redis would now fall back
		defer b.srv.Start()
		for range 100 {
			if st, err := s.Tokens().Load(ctx, "m1"); err != nil || st.Token.AccessToken != "a1" {
				t.Fatalf("cached read: %+v %v", st, err)
			}
		}
		if fb := s.Stats().Fallbacks; fb != 0 {
			t.Fatalf("fallbacks %d, want 0: reads touched Redis", fb)
		}
	})
}

func TestTokens_SecretsStayOutOfErrorsAndLogs(t *testing.T) {
	redisBackends(t, func(t *testing.T, b *backend) {
		ctx := context.Background()
		var logs bytes.Buffer
		s := b.newStore(t, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
		if _, err := s.Tokens().Save(ctx, "m1", token(canaryAccess, time.Minute), 0); err != nil {
			t.Fatal(err)
		}
		// Corrupt the stored JSON around the canaries.
		c := b.srv.Client(t)
		key := s.Tokens().key("m1")
		if err := c.HSet(ctx, key, "t", `{"access_token":"`+canaryAccess+`","refresh_token":`+canaryRefresh).Err(); err != nil {
			t.Fatal(err)
		}
		_, err := s.Tokens().Load(ctx, "m1")
		if err == nil {
			t.Fatal("corrupt entry loaded")
		}
		b.srv.Stop()
		_, _ = s.Tokens().Save(ctx, "m2", token(canaryAccess, time.Hour), 0)
		b.srv.Start()
		for _, text := range []string{err.Error(), logs.String()} {
			if strings.Contains(text, canaryAccess) || strings.Contains(text, canaryRefresh) {
				t.Fatalf("secret leaked: %q", text)
			}
		}
	})
}
