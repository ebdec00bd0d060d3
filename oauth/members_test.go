package oauth_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/oauth"
	"github.com/linkedin-go/linkedin/oauth/tokenstoretest"
	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
	"github.com/linkedin-go/linkedin/transport"
)

func TestMemoryTokenStore_Conformance(t *testing.T) {
	tokenstoretest.Run(t, func(*testing.T) oauth.MemberTokenStore { return oauth.NewMemoryTokenStore() })
}

// membersFixture is a fake LinkedIn with n members, each signed in once.
type membersFixture struct {
	srv    *restlitest.Server
	cfg    oauth.Config
	ids    []string
	tokens map[string]*oauth.Token
}

func newMembers(t *testing.T, n int) *membersFixture {
	t.Helper()
	srv := restlitest.NewServer()
	t.Cleanup(srv.Close)
	f := &membersFixture{srv: srv, cfg: srv.OAuthConfig(), tokens: map[string]*oauth.Token{}}
	for i := range n {
		id := fmt.Sprintf("member-%03d", i)
		srv.AddMember(restlitest.Member{ID: id, GivenName: "Member", FamilyName: fmt.Sprint(i), Email: id + "@example.com"})
		f.ids = append(f.ids, id)
		f.tokens[id] = srv.AuthorizeMember(id, "openid", "profile")
	}
	return f
}

// client is the default transport stack with src as its token source,
// calling the fake's /v2.
func (f *membersFixture) client(t *testing.T, src *oauth.MemberTokenSource) *restli.Client {
	t.Helper()
	u, _ := url.Parse(f.srv.URL)
	hc := transport.NewClient(transport.WithTokenSource(src), transport.WithTokenHosts(u.Host), transport.WithoutTelemetry())
	t.Cleanup(hc.CloseIdleConnections)
	return restli.NewClient(hc, restli.WithBaseURL(f.srv.URL+"/v2"))
}

// expiring returns a copy of tok that the client believes expired a
// second ago (the server still accepts it): the next use refreshes it.
func expiring(tok *oauth.Token) *oauth.Token {
	c := *tok
	inner := *tok.Token
	inner.Expiry = time.Now().Add(-time.Second)
	c.Token = &inner
	return &c
}

func whoAmI(ctx context.Context, c *restli.Client) (string, error) {
	res, err := c.Get(ctx, restli.GetRequest{ResourcePath: "/userinfo"})
	if err != nil {
		return "", err
	}
	sub, _ := res.Entity["sub"].(string)
	return sub, nil
}

func TestMemberTokenSource_OneRefreshPerMemberUnderConcurrency(t *testing.T) {
	const members, goroutines = 100, 10
	f := newMembers(t, members)
	var changes sync.Map // member → *atomic.Int32
	src := f.cfg.MemberTokenSource(oauth.MemberOptions{
		OnTokenChange: func(member string, _ *oauth.Token) {
			n, _ := changes.LoadOrStore(member, new(atomic.Int32))
			n.(*atomic.Int32).Add(1)
		},
	})
	for _, id := range f.ids {
		if err := src.Put(t.Context(), id, expiring(f.tokens[id])); err != nil {
			t.Fatal(err)
		}
	}
	c := f.client(t, src)

	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, members*goroutines)
	for g := range goroutines {
		wg.Go(func() {
			for i := range members {
				id := f.ids[(i+g*7)%members] // every goroutine in its own order
				sub, err := whoAmI(oauth.WithMember(ctx, id), c)
				if err != nil {
					errs <- fmt.Errorf("%s: %w", id, err)
					continue
				}
				if sub != id {
					errs <- fmt.Errorf("call for %s answered for %s: tokens crossed", id, sub)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, id := range f.ids {
		if n := f.srv.RefreshCount(id); n != 1 {
			t.Errorf("%s: %d refreshes at the token endpoint, want exactly 1", id, n)
		}
		if n, ok := changes.Load(id); !ok || n.(*atomic.Int32).Load() != 1 {
			t.Errorf("%s: OnTokenChange not called exactly once", id)
		}
	}
}

func TestMemberTokenSource_ReplicasSharingAStoreRefreshOnce(t *testing.T) {
	const members = 20
	f := newMembers(t, members)
	store := oauth.NewMemoryTokenStore()
	opts := oauth.MemberOptions{Store: store, PollInterval: 5 * time.Millisecond}
	replicas := []*oauth.MemberTokenSource{f.cfg.MemberTokenSource(opts), f.cfg.MemberTokenSource(opts), f.cfg.MemberTokenSource(opts)}
	for _, id := range f.ids {
		if err := replicas[0].Put(t.Context(), id, expiring(f.tokens[id])); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	for _, r := range replicas {
		c := f.client(t, r)
		for range 3 {
			wg.Go(func() {
				for _, id := range f.ids {
					if sub, err := whoAmI(oauth.WithMember(ctx, id), c); err != nil || sub != id {
						t.Errorf("%s: %q, %v", id, sub, err)
					}
				}
			})
		}
	}
	wg.Wait()
	for _, id := range f.ids {
		if n := f.srv.RefreshCount(id); n != 1 {
			t.Errorf("%s: %d refreshes across 3 replicas, want exactly 1", id, n)
		}
	}
}

func TestMemberTokenSource_401InvalidatesRefreshesAndReplays(t *testing.T) {
	f := newMembers(t, 3)
	src := f.cfg.MemberTokenSource(oauth.MemberOptions{})
	for _, id := range f.ids {
		if err := src.Put(t.Context(), id, f.tokens[id]); err != nil {
			t.Fatal(err)
		}
	}
	c := f.client(t, src)
	f.srv.ExpireTokens() // LinkedIn now answers 401 to every access token
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() {
			for _, id := range f.ids {
				if sub, err := whoAmI(oauth.WithMember(t.Context(), id), c); err != nil || sub != id {
					t.Errorf("%s: %q, %v", id, sub, err)
				}
			}
		})
	}
	wg.Wait()
	for _, id := range f.ids {
		if n := f.srv.RefreshCount(id); n != 1 {
			t.Errorf("%s: %d refreshes after one 401 wave, want 1", id, n)
		}
		mt, err := src.Store().Get(t.Context(), id)
		if err != nil || mt.Invalid || mt.Token.AccessToken == f.tokens[id].AccessToken {
			t.Errorf("%s: store holds %+v, %v; want the new, valid token", id, mt, err)
		}
	}
}

func TestMemberTokenSource_RevokedMemberFailsOthersWork(t *testing.T) {
	f := newMembers(t, 6)
	var mu sync.Mutex
	reported := map[string][]string{}
	src := f.cfg.MemberTokenSource(oauth.MemberOptions{OnReauthorize: func(e *oauth.ReauthorizeError) {
		mu.Lock()
		reported[e.Member] = append(reported[e.Member], e.Reason)
		mu.Unlock()
	}})
	for _, id := range f.ids {
		if err := src.Put(t.Context(), id, f.tokens[id]); err != nil {
			t.Fatal(err)
		}
	}
	c := f.client(t, src)
	revoked := f.ids[2]
	if n := f.srv.RevokeMember(revoked); n != 2 {
		t.Fatalf("RevokeMember revoked %d tokens, want 2", n)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 3 {
				for _, id := range f.ids {
					sub, err := whoAmI(oauth.WithMember(t.Context(), id), c)
					if id != revoked {
						if err != nil || sub != id {
							t.Errorf("%s kept working? %q, %v", id, sub, err)
						}
						continue
					}
					var re *oauth.ReauthorizeError
					if !errors.As(err, &re) || !errors.Is(err, oauth.ErrReauthorize) || re.Member != revoked || re.Reason != oauth.ReauthInvalidGrant && re.Reason != oauth.ReauthNoRefreshToken {
						t.Errorf("revoked member's call: %v, want *ReauthorizeError", err)
					}
				}
			}
		})
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if len(reported) != 1 || len(reported[revoked]) != 1 || reported[revoked][0] != oauth.ReauthInvalidGrant {
		t.Fatalf("OnReauthorize calls = %v, want one invalid_grant for %s", reported, revoked)
	}
	if n := f.srv.RefreshCount(revoked); n != 0 {
		t.Errorf("revoked member got %d successful refreshes", n)
	}
}

func TestMemberTokenSource_ReconsentReasons(t *testing.T) {
	f := newMembers(t, 3)
	var mu sync.Mutex
	var got []string
	src := f.cfg.MemberTokenSource(oauth.MemberOptions{OnReauthorize: func(e *oauth.ReauthorizeError) {
		mu.Lock()
		got = append(got, e.Member+":"+e.Reason)
		mu.Unlock()
	}})
	noRefresh := expiring(f.tokens[f.ids[0]])
	noRefresh.RefreshToken = ""
	oldRefresh := expiring(f.tokens[f.ids[1]])
	oldRefresh.RefreshTokenExpiry = time.Now().Add(-time.Hour) // past its 365 days
	must(t, src.Put(t.Context(), f.ids[0], noRefresh))
	must(t, src.Put(t.Context(), f.ids[1], oldRefresh))
	tests := []struct {
		member, reason string
	}{
		{f.ids[0], oauth.ReauthNoRefreshToken},
		{f.ids[1], oauth.ReauthRefreshExpired},
		{"never-signed-in", oauth.ReauthNoToken},
	}
	for _, tc := range tests {
		for range 3 { // reported once, however often it is asked
			_, err := src.TokenContext(oauth.WithMember(t.Context(), tc.member))
			var re *oauth.ReauthorizeError
			if !errors.As(err, &re) || re.Reason != tc.reason || !errors.Is(err, oauth.ErrReauthorize) {
				t.Fatalf("%s: %v, want reason %s", tc.member, err, tc.reason)
			}
		}
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{f.ids[0] + ":no_refresh_token", f.ids[1] + ":refresh_token_expired", "never-signed-in:no_token"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("OnReauthorize = %v, want %v", got, want)
	}
	if n := f.srv.RefreshCount(""); n != 0 {
		t.Fatalf("%d refreshes attempted for tokens that cannot be refreshed", n)
	}
}

func TestMemberTokenSource_ExpiringWithinAWindow(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	src := (&oauth.Config{ClientID: "app"}).MemberTokenSource(oauth.MemberOptions{Now: func() time.Time { return now }})
	mk := func(access time.Duration, refresh time.Duration) *oauth.Token {
		tok := expiring(&oauth.Token{Token: &oauth2.Token{AccessToken: "at", RefreshToken: "rt"}})
		tok.Expiry = now.Add(access)
		if refresh == 0 {
			tok.RefreshToken = ""
		} else {
			tok.RefreshTokenExpiry = now.Add(refresh)
		}
		return tok
	}
	day := 24 * time.Hour
	must(t, src.Put(t.Context(), "a-access-only-10d", mk(10*day, 0)))
	must(t, src.Put(t.Context(), "b-refresh-20d", mk(60*day, 20*day)))
	must(t, src.Put(t.Context(), "c-refresh-300d", mk(60*day, 300*day)))
	got, err := src.Expiring(t.Context(), 30*day)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, mt := range got {
		names = append(names, mt.Member)
	}
	if fmt.Sprint(names) != "[a-access-only-10d b-refresh-20d]" {
		t.Fatalf("Expiring(30 days) = %v", names)
	}
}

func TestMemberTokenSource_NeedsAMember(t *testing.T) {
	src := (&oauth.Config{ClientID: "app"}).MemberTokenSource(oauth.MemberOptions{})
	if _, err := src.Token(); !errors.Is(err, oauth.ErrNoMember) {
		t.Fatalf("Token() = %v", err)
	}
	if _, err := src.TokenContext(oauth.WithMember(t.Context(), "")); !errors.Is(err, oauth.ErrNoMember) {
		t.Fatalf("empty member: %v", err)
	}
	if m, ok := oauth.MemberFromContext(oauth.WithMember(t.Context(), "x")); !ok || m != "x" {
		t.Fatal("MemberFromContext")
	}
	if err := src.Put(t.Context(), "x", nil); err == nil {
		t.Fatal("Put(nil) accepted")
	}
	// The request is not sent without a member.
	var sent atomic.Int32
	hc := transport.NewClient(transport.WithTokenSource(src), transport.WithTokenHosts("127.0.0.1"), transport.WithoutTelemetry(),
		transport.WithBase(roundTripFunc(func(r *http.Request) (*http.Response, error) {
			sent.Add(1)
			return nil, errors.New("unreachable")
		})))
	c := restli.NewClient(hc, restli.WithBaseURL("http://127.0.0.1:1/v2"))
	if _, err := c.Get(t.Context(), restli.GetRequest{ResourcePath: "/userinfo"}); !errors.Is(err, oauth.ErrNoMember) {
		t.Fatalf("call without a member: %v", err)
	}
	if sent.Load() != 0 {
		t.Fatal("a request was sent without a token")
	}
}

func TestMemberTokenSource_OnTokenChangeOptionStillWorks(t *testing.T) {
	f := newMembers(t, 2)
	var got atomic.Int32
	src := f.cfg.MemberTokenSource(oauth.MemberOptions{}, oauth.OnTokenChange(func(*oauth.Token) { got.Add(1) }))
	for _, id := range f.ids {
		must(t, src.Put(t.Context(), id, expiring(f.tokens[id])))
		if _, err := src.TokenContext(oauth.WithMember(t.Context(), id)); err != nil {
			t.Fatal(err)
		}
	}
	if got.Load() != 2 {
		t.Fatalf("oauth.OnTokenChange called %d times, want 2", got.Load())
	}
	// Remove signs a member out.
	must(t, src.Remove(t.Context(), f.ids[0]))
	if _, err := src.TokenContext(oauth.WithMember(t.Context(), f.ids[0])); !errors.Is(err, oauth.ErrReauthorize) {
		t.Fatalf("after Remove: %v", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// flakyStore is a store that can be taken down: every call then fails, as a
// shared store does when its server is unreachable.
type flakyStore struct {
	oauth.MemberTokenStore
	down atomic.Bool
}

var errStoreDown = errors.New("store unreachable")

func (f *flakyStore) Get(ctx context.Context, m string) (*oauth.MemberToken, error) {
	if f.down.Load() {
		return nil, errStoreDown
	}
	return f.MemberTokenStore.Get(ctx, m)
}

func (f *flakyStore) Put(ctx context.Context, t oauth.MemberToken, prev int64) (int64, error) {
	if f.down.Load() {
		return 0, errStoreDown
	}
	return f.MemberTokenStore.Put(ctx, t, prev)
}

func (f *flakyStore) AcquireLease(ctx context.Context, m, h string, ttl time.Duration) (bool, error) {
	if f.down.Load() {
		return false, errStoreDown
	}
	return f.MemberTokenStore.AcquireLease(ctx, m, h, ttl)
}

func TestMemberTokenSource_StoreDownFallsBackToTheProcess(t *testing.T) {
	f := newMembers(t, 2)
	store := &flakyStore{MemberTokenStore: oauth.NewMemoryTokenStore()}
	src := f.cfg.MemberTokenSource(oauth.MemberOptions{Store: store})
	known, unknown := f.ids[0], f.ids[1]
	must(t, src.Put(t.Context(), known, expiring(f.tokens[known])))
	c := f.client(t, src)
	store.down.Store(true)
	// The member this process knows: refreshed in process, the call works.
	if sub, err := whoAmI(oauth.WithMember(t.Context(), known), c); err != nil || sub != known {
		t.Fatalf("with the store down: %q, %v", sub, err)
	}
	if n := f.srv.RefreshCount(known); n != 1 {
		t.Fatalf("%d refreshes, want 1", n)
	}
	// A member it never saw: the store's error, not a re-authorization.
	_, err := src.TokenContext(oauth.WithMember(t.Context(), unknown))
	if !errors.Is(err, errStoreDown) || errors.Is(err, oauth.ErrReauthorize) {
		t.Fatalf("unknown member with the store down: %v", err)
	}
	// Back up: the store learns nothing stale, and calls go on.
	store.down.Store(false)
	if sub, err := whoAmI(oauth.WithMember(t.Context(), known), c); err != nil || sub != known {
		t.Fatalf("store back: %q, %v", sub, err)
	}
}
