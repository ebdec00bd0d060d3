package restlitest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/oauth"
	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/transport"
)

// DefaultVersion is the LinkedIn-Version that RestliClient and Client send
// by default.
const DefaultVersion = "202601"

// DefaultFinder is the name of the finder every resource has unless a
// HandleFinder registration replaces it: it pages through the whole
// collection in insertion order, like GET_ALL.
const DefaultFinder = "all"

// The OAuth application every server has registered, unless
// WithOAuthClient replaces it. Its redirect URL is URL+CallbackPath.
const (
	DefaultClientID     = "restlitest-client-id"
	DefaultClientSecret = "restlitest-client-secret"
	CallbackPath        = "/oauth/callback"
)

// Default lifetimes, as LinkedIn documents them (protocol §8.4).
const (
	DefaultTokenTTL        = 60 * 24 * time.Hour  // member (3-legged) access tokens and the default token
	DefaultRefreshTokenTTL = 365 * 24 * time.Hour // refresh tokens, from the original authorization
	DefaultAppTokenTTL     = 30 * time.Minute     // application (2-legged) tokens: expires_in 1800
	DefaultCodeTTL         = 30 * time.Minute     // authorization codes
	DefaultMaxBodyBytes    = 10 << 20             // request bodies; larger ones get 413
)

// Option configures NewServer.
type Option func(*config)

type config struct {
	clock         func() time.Time
	tokenTTL      time.Duration
	refreshTTL    time.Duration
	appTokenTTL   time.Duration
	codeTTL       time.Duration
	versions      map[string]bool
	clients       []oauthClient
	token         string
	gen           func(kind string) string
	noAuth        bool
	transportOpts []transport.Option
	maxBody       int64
	maxRecorded   int
	consent       bool // consent.go
	daily         DailyLimits
	idGens        map[string]idGen // WithIDGenerator, by collection path (ids.go)
}

// WithClock makes the server read the time from now instead of time.Now:
// token and code expiry follow it. Advance moves the server's time further
// on top of it.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.clock = now }
}

// WithTokenTTL sets the lifetime of the default token and of member
// (3-legged) access tokens (DefaultTokenTTL by default).
func WithTokenTTL(d time.Duration) Option { return func(c *config) { c.tokenTTL = d } }

// WithRefreshTokenTTL sets the lifetime of refresh tokens
// (DefaultRefreshTokenTTL by default).
func WithRefreshTokenTTL(d time.Duration) Option { return func(c *config) { c.refreshTTL = d } }

// WithAppTokenTTL sets the lifetime of application (2-legged) tokens
// (DefaultAppTokenTTL by default).
func WithAppTokenTTL(d time.Duration) Option { return func(c *config) { c.appTokenTTL = d } }

// WithVersions lists the LinkedIn-Version values the /rest API accepts;
// any other version gets 426 with code NONEXISTENT_VERSION, as LinkedIn
// answers for a sunset version. Without it every version is accepted. A
// /rest call without LinkedIn-Version always gets 400 VERSION_MISSING; /v2
// calls are never checked.
func WithVersions(versions ...string) Option {
	return func(c *config) {
		c.versions = map[string]bool{}
		for _, v := range versions {
			c.versions[v] = true
		}
	}
}

// WithOAuthClient registers an OAuth application (client id, secret and
// the redirect URLs the authorization endpoint accepts). The first one
// registered replaces the default application and is the one OAuthConfig
// describes; later ones add more. With no redirect URL, URL+CallbackPath is
// registered.
func WithOAuthClient(clientID, clientSecret string, redirectURLs ...string) Option {
	return func(c *config) {
		c.clients = append(c.clients, oauthClient{id: clientID, secret: clientSecret, redirects: redirectURLs})
	}
}

// WithToken sets the value of the server's default access token (Token),
// which is otherwise random. A test that checks a token never leaks uses it
// to plant a canary.
func WithToken(token string) Option { return func(c *config) { c.token = token } }

// WithTokenGenerator makes the server take the credentials it issues from
// gen instead of random text. kind is "access_token", "refresh_token" or
// "code". gen must return values that are new (the server does not check)
// and fit in a header.
func WithTokenGenerator(gen func(kind string) string) Option {
	return func(c *config) { c.gen = gen }
}

// WithoutAuth makes the Rest.li API accept requests without a valid token.
func WithoutAuth() Option { return func(c *config) { c.noAuth = true } }

// WithTransportOptions adds options for the transport.NewClient stack that
// Client and RestliClient build, after the server's own (so they win;
// options passed to Client itself come later still): a
// retry or breaker configuration, a logger, or telemetry, which is off
// unless one of these options turns it on (transport.WithTelemetry,
// WithTracerProvider, WithMeterProvider, WithPropagators).
func WithTransportOptions(opts ...transport.Option) Option {
	return func(c *config) { c.transportOpts = append(c.transportOpts, opts...) }
}

// WithMaxBodyBytes bounds request bodies (DefaultMaxBodyBytes by default);
// a longer body gets 413.
func WithMaxBodyBytes(n int64) Option { return func(c *config) { c.maxBody = n } }

// WithMaxRecordedRequests keeps only the n most recent requests for
// Requests and Count (all of them by default; n < 0 records none).
func WithMaxRecordedRequests(n int) Option { return func(c *config) { c.maxRecorded = n } }

// Server is an in-memory fake of LinkedIn's Rest.li API and OAuth 2.0
// endpoints, listening on a loopback address. Create it with NewServer and
// shut it down with Close. Its methods are safe for concurrent use.
type Server struct {
	// URL is the base URL of the server, "http://127.0.0.1:port", with no
	// trailing slash. The Rest.li API is under URL+"/rest" (versioned) and
	// URL+"/v2", the OAuth endpoints under URL+"/oauth/v2/".
	URL string

	srv       *httptest.Server
	cfg       config
	done      chan struct{}
	closeOnce sync.Once

	mu           sync.Mutex
	collections  map[string]*Collection
	finders      map[string]map[string]finderReg
	batchFinders map[string]map[string]BatchFinderFunc
	actions      map[string]map[string]ActionFunc
	offset       time.Duration
	faults       []*pendingFault
	policy       func(*Request) *Fault
	requests     []Request
	seq          int
	auth         authState
	media        mediaState
	scopeRules   map[string][]scopeRule // RequireScopes, by collection
	daily        dailyState
}

// NewServer starts a Server on 127.0.0.1 (an httptest.Server) and returns
// it. The caller must call Close when done.
func NewServer(opts ...Option) *Server {
	cfg := config{
		tokenTTL:    DefaultTokenTTL,
		refreshTTL:  DefaultRefreshTokenTTL,
		appTokenTTL: DefaultAppTokenTTL,
		codeTTL:     DefaultCodeTTL,
		maxBody:     DefaultMaxBodyBytes,
	}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.clock == nil {
		cfg.clock = time.Now
	}
	if cfg.maxBody <= 0 {
		cfg.maxBody = DefaultMaxBodyBytes
	}
	s := &Server{
		cfg:          cfg,
		done:         make(chan struct{}),
		collections:  map[string]*Collection{},
		finders:      map[string]map[string]finderReg{},
		batchFinders: map[string]map[string]BatchFinderFunc{},
		actions:      map[string]map[string]ActionFunc{},
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.ServeHTTP))
	s.URL = s.srv.URL
	s.initAuth()
	s.initMedia()
	return s
}

// Close shuts the server down: requests held by a Fault's Delay are
// released, connections are closed and Close waits for handlers to return.
// It is safe to call more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.done)
		s.srv.CloseClientConnections()
		s.srv.Close()
	})
}

// now returns the server's current time: its clock plus Advance.
func (s *Server) now() time.Time {
	s.mu.Lock()
	off := s.offset
	s.mu.Unlock()
	return s.cfg.clock().Add(off)
}

// Now returns the server's current time: the clock (WithClock, else
// time.Now) moved on by every Advance.
func (s *Server) Now() time.Time { return s.now() }

// Advance moves the server's clock forward by d, so tokens and codes
// expire without waiting.
func (s *Server) Advance(d time.Duration) {
	s.mu.Lock()
	s.offset += d
	s.mu.Unlock()
}

// hostPort returns the server's "127.0.0.1:port".
func (s *Server) hostPort() string {
	u, _ := url.Parse(s.URL)
	return u.Host
}

// serverTokenSource hands out the server's current default token.
type serverTokenSource struct{ s *Server }

func (ts serverTokenSource) Token() (*oauth2.Token, error) {
	return &oauth2.Token{AccessToken: ts.s.Token(), TokenType: "Bearer"}, nil
}

// Client returns a new *http.Client with LinkedIn's default stack
// (transport.NewClient) over the server's own connection pool: it sends
// the server's default token (Token) to the server's host only, sets
// LinkedIn-Version DefaultVersion where a request has none, measures the
// age of versions (transport.WithVersionWarning) on the server's clock, and
// has telemetry off unless an option turns it on. Retries, the circuit
// breaker and query tunneling are on, with their defaults.
//
// opts are applied after those and after WithTransportOptions', so they
// win: srv.Client(transport.WithLogger(l)) or
// srv.Client(transport.WithRetry(…)) configures one client without a
// server option. Each call returns a new client.
func (s *Server) Client(opts ...transport.Option) *http.Client {
	all := []transport.Option{
		transport.WithBase(s.srv.Client().Transport),
		transport.WithTokenSource(serverTokenSource{s}),
		transport.WithTokenHosts(s.hostPort()),
		transport.WithVersion(DefaultVersion),
		transport.WithoutTelemetry(),
		transport.WithVersionWarning(0, s.now), // versions age on the server's clock
	}
	all = append(all, s.cfg.transportOpts...)
	all = append(all, opts...)
	return transport.NewClient(all...)
}

// RestliClient returns a *restli.Client over Client(), with base URL
// URL+"/rest" and version DefaultVersion; opts are applied after those, so
// restli.WithBaseURL(srv.URL+"/v2") or restli.WithVersion change them. For
// transport options of its own, use
// restli.NewClient(srv.Client(topts...), restli.WithBaseURL(srv.URL+"/rest"), …).
func (s *Server) RestliClient(opts ...restli.ClientOption) *restli.Client {
	all := []restli.ClientOption{restli.WithBaseURL(s.URL + "/rest"), restli.WithVersion(DefaultVersion)}
	return restli.NewClient(s.Client(), append(all, opts...)...)
}

// OAuthConfig returns an oauth.Config for the server's first registered
// application (DefaultClientID unless WithOAuthClient says otherwise): its
// client id, secret and first redirect URL, the server's authorization,
// token and introspection endpoints, and an HTTPClient that talks to the
// server directly (no API stack, no redirects followed).
func (s *Server) OAuthConfig() oauth.Config {
	c := s.auth.clients[0]
	return oauth.Config{
		ClientID:     c.id,
		ClientSecret: c.secret,
		RedirectURL:  c.redirects[0],
		HTTPClient: &http.Client{
			Transport:     s.srv.Client().Transport,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		AuthURL:       s.URL + "/oauth/v2/authorization",
		TokenURL:      s.URL + "/oauth/v2/accessToken",
		IntrospectURL: s.URL + "/oauth/v2/introspectToken",
	}
}

// sleep waits for d, the request's context, or Close, and reports whether
// the whole delay passed.
func (s *Server) sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.done:
		return false
	}
}

// Collection returns the store of the collection at resourcePath (e.g.
// "/adAccounts" or "/parents/1/children"; a leading "/rest" or "/v2" is
// dropped), creating it if needed. It panics if resourcePath is not a
// collection path.
func (s *Server) Collection(resourcePath string) *Collection {
	p, err := normalizeResource(resourcePath)
	if err != nil {
		panic("restlitest: Collection: " + err.Error())
	}
	return s.collection(p, true)
}

// Seed stores entity under key in the collection at resourcePath (see
// Collection and Collection.Seed). A nil key sets the singleton of a simple
// resource such as "/me".
func (s *Server) Seed(resourcePath string, key any, entity any) {
	s.Collection(resourcePath).Seed(key, entity)
}

// collection returns the collection at the canonical path p, creating it
// when create is set; otherwise it may return nil.
func (s *Server) collection(p string, create bool) *Collection {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.collections[p]
	if c == nil && create {
		c = newCollection(p)
		c.gen = s.idGenFor(p) // ids.go
		s.collections[p] = c
	}
	return c
}
