// tokens_test.go: the member-token store across replicas, its local cache,
// and secrets.

package redisstore

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/oauth"
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

func put(t *testing.T, ts oauth.MemberTokenStore, member string, tok *oauth.Token, prev int64) int64 {
	t.Helper()
	v, err := ts.Put(context.Background(), oauth.MemberToken{Member: member, Token: tok}, prev)
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	return v
}

func TestTokens_WritesAndInvalidationsAreSeenByOtherReplicas(t *testing.T) {
	redisBackends(t, func(t *testing.T, b *backend) {
		ctx := context.Background()
		a, c := b.newStore(t, Options{}).Tokens(), b.newStore(t, Options{}).Tokens()
		v1 := put(t, a, "m1", token("a1", time.Hour), 0)
		mt, err := c.Get(ctx, "m1")
		if err != nil || mt.Version != v1 || mt.Token.AccessToken != "a1" {
			t.Fatalf("other replica: %+v %v", mt, err)
		}
		v2 := put(t, c, "m1", token("c2", time.Hour), v1)
		// a still caches a1 (valid for an hour). A 401 on a1 makes a
		// invalidate a1: no effect on c2, and a's next read is c2.
		if ok, _ := a.Invalidate(ctx, "m1", "a1"); ok {
			t.Fatal("invalidated the newer token")
		}
		if mt, _ := a.Get(ctx, "m1"); mt.Version != v2 || mt.Token.AccessToken != "c2" || mt.Invalid {
			t.Fatalf("after the conditional invalidation: %+v, want c2", mt)
		}
		if ok, _ := c.Invalidate(ctx, "m1", "c2"); !ok {
			t.Fatal("invalidate c2")
		}
		// a serves c2 from its cache until its own call is refused (the
		// cache saves a round trip per call); its own 401 then drops the
		// cached copy and the next read sees the shared state.
		if ok, _ := a.Invalidate(ctx, "m1", "c2"); ok {
			t.Fatal("invalidated twice")
		}
		if mt, _ := a.Get(ctx, "m1"); !mt.Invalid || mt.Token.RefreshToken != canaryRefresh {
			t.Fatalf("a after c invalidated: %+v", mt)
		}
	})
}

func TestTokens_ReadsComeFromTheLocalCache(t *testing.T) {
	redisBackends(t, func(t *testing.T, b *backend) {
		ctx := context.Background()
		s := b.newStore(t, Options{})
		put(t, s.Tokens(), "m1", token("a1", time.Hour), 0)
		b.srv.Stop() // any read that touched Redis would now fall back
		defer b.srv.Start()
		for range 100 {
			mt, err := s.Tokens().Get(ctx, "m1")
			if err != nil || mt.Token.AccessToken != "a1" {
				t.Fatalf("cached read: %+v %v", mt, err)
			}
			mt.Token.AccessToken = "mutated" // the cache keeps its own copy
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
		put(t, s.Tokens(), "m1", token(canaryAccess, time.Minute), 0)
		c := b.srv.Client(t)
		key := s.Tokens().keys("m1")[0]
		if err := c.HSet(ctx, key, "t", `{"access_token":"`+canaryAccess+`","refresh_token":`+canaryRefresh).Err(); err != nil {
			t.Fatal(err)
		}
		_, err := s.Tokens().Get(ctx, "m1")
		if err == nil {
			t.Fatal("a corrupt entry loaded")
		}
		b.srv.Stop()
		_, _ = s.Tokens().Put(ctx, oauth.MemberToken{Member: "m2", Token: token(canaryAccess, time.Hour)}, 0)
		_, err2 := s.Tokens().Get(ctx, "m3")
		b.srv.Start()
		for _, text := range []string{err.Error(), err2.Error(), logs.String()} {
			if strings.Contains(text, canaryAccess) || strings.Contains(text, canaryRefresh) {
				t.Fatalf("secret leaked: %q", text)
			}
		}
	})
}
