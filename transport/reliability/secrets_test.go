package reliability_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/oauth"
	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
	"github.com/linkedin-go/linkedin/transport"
)

// The canaries: distinctive credentials that must never appear in any text
// the library produces. Generated variants share these prefixes.
const (
	canaryAccess  = "CANARYACCESSq7Z1x9"
	canaryRefresh = "CANARYREFRESHk3V8w2"
	canarySecret  = "CANARYSECRETp5N0r4"
	canaryCode    = "CANARYCODEj6M2t7"
	canaryClient  = "reliability-client"
)

var canaries = []string{"CANARYACCESS", "CANARYREFRESH", "CANARYSECRET", "CANARYCODE"}

// audit collects every text the library produced and checks them all.
type audit struct {
	mu      sync.Mutex
	checked map[string]int // kind of text → how many were checked
	leaks   []string
}

func newAudit() *audit { return &audit{checked: map[string]int{}} }

// text checks one text produced at where.
func (a *audit) text(where, s string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	kind, _, _ := strings.Cut(where, ":")
	a.checked[kind]++
	upper := strings.ToUpper(s)
	for _, c := range canaries {
		if strings.Contains(upper, c) {
			i := strings.Index(upper, c)
			lo, hi := max(0, i-80), min(len(s), i+len(c)+40)
			a.leaks = append(a.leaks, fmt.Sprintf("%s leaks %s: …%s…", where, c, s[lo:hi]))
		}
	}
}

// err checks every rendering of an error, and of each error in its chain.
func (a *audit) err(where string, err error) {
	if err == nil {
		return
	}
	a.text("error:"+where, err.Error())
	a.text("error:"+where+" %+v", fmt.Sprintf("%+v", err))
	for e := errors.Unwrap(err); e != nil; e = errors.Unwrap(e) {
		a.text("error:"+where+" (chain)", e.Error())
	}
	var re *restli.Error
	if errors.As(err, &re) {
		a.text("error:"+where+" (restli.Error.Body)", string(re.Body))
		a.text("error:"+where+" (restli.Error.Message)", re.Message)
	}
}

func (a *audit) report(t *testing.T) {
	t.Helper()
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, l := range a.leaks {
		t.Error(l)
	}
	t.Logf("secrets audit: checked %v; %d leaks", a.checked, len(a.leaks))
}

// telemetrySink records every span and metric.
type telemetrySink struct {
	spans  *tracetest.SpanRecorder
	tp     *sdktrace.TracerProvider
	reader *sdkmetric.ManualReader
	mp     *sdkmetric.MeterProvider
}

func newTelemetrySink() *telemetrySink {
	s := &telemetrySink{spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	s.tp = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(s.spans), sdktrace.WithSampler(sdktrace.AlwaysSample()))
	s.mp = sdkmetric.NewMeterProvider(sdkmetric.WithReader(s.reader))
	return s
}

func kvText(kvs []attribute.KeyValue) string {
	var b strings.Builder
	for _, kv := range kvs {
		b.WriteString(string(kv.Key))
		b.WriteByte('=')
		b.WriteString(kv.Value.Emit())
		b.WriteByte(' ')
	}
	return b.String()
}

// check walks every span (name, attributes, events, links, status) and every
// metric data point's attributes, and returns how many of each it saw.
func (s *telemetrySink) check(t *testing.T, a *audit) (spans, points int) {
	t.Helper()
	all := s.spans.Ended()
	for _, sp := range s.spans.Started() {
		all = append(all, sp)
	}
	for _, sp := range all {
		spans++
		where := "span:" + sp.Name()
		a.text(where+" name", sp.Name())
		a.text(where+" attributes", kvText(sp.Attributes()))
		a.text(where+" status", sp.Status().Description)
		for _, ev := range sp.Events() {
			a.text(where+" event "+ev.Name, ev.Name+" "+kvText(ev.Attributes))
		}
		for _, l := range sp.Links() {
			a.text(where+" link", kvText(l.Attributes))
		}
		a.text(where+" resource", kvText(sp.Resource().Attributes()))
		a.text(where+" dump", fmt.Sprintf("%+v", tracetest.SpanStubFromReadOnlySpan(sp)))
	}
	var rm metricdata.ResourceMetrics
	if err := s.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatalf("collecting metrics: %v", err)
	}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			where := "metric:" + m.Name
			a.text(where+" name", m.Name+" "+m.Description+" "+m.Unit)
			var sets []attribute.Set
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					sets = append(sets, p.Attributes)
				}
			case metricdata.Sum[float64]:
				for _, p := range d.DataPoints {
					sets = append(sets, p.Attributes)
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					sets = append(sets, p.Attributes)
					for _, ex := range p.Exemplars {
						a.text(where+" exemplar", kvText(ex.FilteredAttributes))
					}
				}
			case metricdata.Histogram[int64]:
				for _, p := range d.DataPoints {
					sets = append(sets, p.Attributes)
				}
			case metricdata.Gauge[int64]:
				for _, p := range d.DataPoints {
					sets = append(sets, p.Attributes)
				}
			case metricdata.Gauge[float64]:
				for _, p := range d.DataPoints {
					sets = append(sets, p.Attributes)
				}
			default:
				t.Errorf("metric %s: unexpected data %T", m.Name, m.Data)
			}
			for _, set := range sets {
				points++
				a.text(where+" point", kvText(set.ToSlice()))
			}
			a.text(where+" dump", fmt.Sprintf("%+v", m))
		}
	}
	return spans, points
}

// newCanaryServer is a fake LinkedIn whose application secret, default
// token and every credential it issues are canaries.
func newCanaryServer(t *testing.T) *restlitest.Server {
	var n atomic.Int32
	srv := restlitest.NewServer(
		restlitest.WithOAuthClient(canaryClient, canarySecret),
		restlitest.WithToken(canaryAccess+"default"),
		restlitest.WithTokenGenerator(func(kind string) string {
			i := strconv.Itoa(int(n.Add(1)))
			switch kind {
			case "refresh_token":
				return canaryRefresh + i
			case "code":
				return canaryCode + i
			}
			return canaryAccess + i
		}),
	)
	t.Cleanup(srv.Close)
	return srv
}

// memberToken runs the 3-legged flow against srv and returns the member's
// token: a canary access token and a canary refresh token, obtained with a
// canary authorization code and the canary client secret.
func memberToken(t *testing.T, srv *restlitest.Server, a *audit, logger *slog.Logger) *oauth.Token {
	t.Helper()
	cfg := srv.OAuthConfig()
	state, _ := oauth.NewState()
	verifier := oauth2.GenerateVerifier()
	// The browser's leg, through a client with the logging layer, which
	// sees the redirect carrying the code.
	browser := transport.NewClient(transport.WithBase(cfg.HTTPClient.Transport), transport.WithoutRetry(),
		transport.WithLogging(logger, middleware.LoggingOptions{Level: slog.LevelDebug, LogBodies: true}))
	browser.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := browser.Get(cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || !oauth.CheckState(loc.Query().Get("state"), state) {
		t.Fatalf("authorization redirect %q: %v", resp.Header.Get("Location"), err)
	}
	code := loc.Query().Get("code")
	if !strings.HasPrefix(code, canaryCode) {
		t.Fatalf("code %q is not a canary", code)
	}
	tok, err := cfg.Exchange(context.Background(), code, oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	if !strings.HasPrefix(tok.AccessToken, canaryAccess) || !strings.HasPrefix(tok.RefreshToken, canaryRefresh) {
		t.Fatalf("issued %q / %q, not canaries", tok.AccessToken, tok.RefreshToken)
	}
	// A code the server never issued fails (a reused code would too, and
	// would revoke the tokens issued for it, as RFC 6749 §4.1.2 asks).
	_, err = cfg.Exchange(context.Background(), canaryCode+"bogus", oauth2.VerifierOption(verifier))
	if err == nil {
		t.Fatal("exchange of an unknown code succeeded")
	}
	a.err("exchange of an unknown code", err)
	in, err := cfg.Introspect(context.Background(), tok.AccessToken)
	a.err("introspect", err)
	a.text("introspection result", fmt.Sprintf("%+v", in))
	return tok
}

// TestSecrets_CanariesNeverAppear drives every path that can produce text
// (errors of every layer, debug logging with and without bodies, spans and
// metrics, the fake server's answers and records) with canary credentials,
// and asserts that none of them ever appears.
func TestSecrets_CanariesNeverAppear(t *testing.T) {
	for _, logBodies := range []bool{false, true} {
		t.Run("LogBodies="+strconv.FormatBool(logBodies), func(t *testing.T) { testSecrets(t, logBodies) })
	}
}

func testSecrets(t *testing.T, logBodies bool) {
	a := newAudit()
	srv := newCanaryServer(t)
	srv.Seed("/things", 1, map[string]any{"id": 1, "name": "one"})
	var logs bytes.Buffer
	var logMu sync.Mutex
	logger := slog.New(slog.NewJSONHandler(lockedWriter{&logMu, &logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	sink := newTelemetrySink()

	tok := memberToken(t, srv, a, logger)
	cfg := srv.OAuthConfig()
	ts := cfg.TokenSource(tok)
	host := strings.TrimPrefix(srv.URL, "http://")
	opts := []transport.Option{
		transport.WithBase(cfg.HTTPClient.Transport),
		transport.WithTokenSource(ts),
		transport.WithTokenHosts(host),
		transport.WithVersion(restlitest.DefaultVersion),
		transport.WithRetry(middleware.RetryOptions{RetryWaitMin: time.Millisecond, RetryWaitMax: 2 * time.Millisecond}),
		transport.WithCircuitBreaker(middleware.BreakerOptions{FailureThreshold: 3, OpenTimeout: time.Hour}),
		transport.WithLogging(logger, middleware.LoggingOptions{Level: slog.LevelDebug, LogBodies: logBodies}),
		transport.WithTracerProvider(sink.tp),
		transport.WithMeterProvider(sink.mp),
	}
	c := restli.NewClient(transport.NewClient(opts...), restli.WithBaseURL(srv.URL+"/rest"), restli.WithVersion(restlitest.DefaultVersion))
	ctx := context.Background()
	tokenQuery := map[string]any{"oauth2_access_token": canaryAccess + "query", "access_token": canaryRefresh + "query"}

	// Successful calls carry the member's canary token.
	if _, err := c.Get(ctx, restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": 1}}); err != nil {
		t.Fatalf("GET with the member token: %v", err)
	}
	created, err := c.Create(ctx, restli.CreateRequest{ResourcePath: "/things", Entity: map[string]any{"name": "two"}})
	if err != nil {
		t.Fatalf("CREATE: %v", err)
	}
	a.text("create response", fmt.Sprintf("%+v", created))
	_, err = c.Finder(ctx, restli.FinderRequest{ResourcePath: "/things", FinderName: restlitest.DefaultFinder, QueryParams: map[string]any{"count": 5}})
	a.err("finder", err)
	// A token in the query, short and tunneled (long query).
	_, err = c.Get(ctx, restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": 1}, QueryParams: tokenQuery})
	a.err("GET with a token in the query", err)
	long := map[string]any{"oauth2_access_token": canaryAccess + "tunnel", "pad": strings.Repeat("p", 5000), "count": 5}
	_, err = c.Finder(ctx, restli.FinderRequest{ResourcePath: "/things", FinderName: restlitest.DefaultFinder, QueryParams: long})
	a.err("tunneled finder with a token in the query", err)
	// restli.Error: 404, and 401 for a per-call canary token the server
	// does not know.
	_, err = c.Get(ctx, restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": 404}, QueryParams: tokenQuery})
	if !restli.IsNotFound(err) {
		t.Fatalf("404: %v", err)
	}
	a.err("404", err)
	_, err = c.Get(ctx, restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": 1}, AccessToken: canaryAccess + "percall"})
	if !restli.IsUnauthorized(err) {
		t.Fatalf("per-call unknown token: %v", err)
	}
	a.err("401 per-call token", err)
	// ValidationError: a bad value next to a canary.
	_, err = c.Get(ctx, restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": canaryAccess + "\xff"}})
	var ve *restli.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("invalid key: %v", err)
	}
	a.err("ValidationError (path key)", err)
	_, err = c.Get(ctx, restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": 1},
		QueryParams: map[string]any{"oauth2_access_token": canaryAccess + "\xff"}})
	a.err("ValidationError (query)", err)
	// Tunnel error: a path segment too long to send, with a token in the
	// query.
	_, err = c.Get(ctx, restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": strings.Repeat("k", 5000)},
		QueryParams: map[string]any{"oauth2_access_token": canaryAccess + "tunnelerr", "pad": strings.Repeat("p", 5000)}})
	var tunErr *middleware.TunnelError
	if !errors.As(err, &tunErr) {
		t.Fatalf("tunnel error: %v", err)
	}
	a.err("TunnelError", err)

	// Transport errors: resets until retries run out (a GET and a CREATE
	// with the token in the query), then the breaker opens.
	srv.Fail(restlitest.Fault{Path: "/things", Reset: true, Times: -1})
	_, err = c.Get(ctx, restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": 1}, QueryParams: tokenQuery})
	var te *restli.TransportError
	if !errors.As(err, &te) {
		t.Fatalf("reset GET: %v", err)
	}
	a.err("retry exhaustion", err)
	_, err = c.Create(ctx, restli.CreateRequest{ResourcePath: "/things", QueryParams: tokenQuery, Entity: map[string]any{"secret": "no"}})
	a.err("create cut", err)
	_, err = c.Get(ctx, restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": 1}, QueryParams: tokenQuery})
	if !errors.Is(err, middleware.ErrCircuitOpen) {
		t.Fatalf("breaker: %v", err)
	}
	a.err("breaker open", err)
	srv.ClearFaults()

	// Rate limit: a wait the caller gives up on.
	limited := restli.NewClient(transport.NewClient(append(opts, transport.WithRateLimit(rate.NewLimiter(rate.Every(time.Hour), 1)),
		transport.WithCircuitBreaker(middleware.BreakerOptions{}))...),
		restli.WithBaseURL(srv.URL+"/rest"), restli.WithVersion(restlitest.DefaultVersion))
	if _, err := limited.Get(ctx, restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": 1}}); err != nil {
		t.Fatalf("first limited call: %v", err)
	}
	cctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	_, err = limited.Get(cctx, restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": 1}, QueryParams: tokenQuery})
	cancel()
	var rle *middleware.RateLimitError
	if !errors.As(err, &rle) {
		t.Fatalf("rate limited call: %v", err)
	}
	a.err("rate limit wait", err)

	// 401 and a refresh that cannot succeed: the member must re-authorize.
	// Each client gets its own breaker, so the fresh one is closed.
	fresh := restli.NewClient(transport.NewClient(append(opts, transport.WithCircuitBreaker(middleware.BreakerOptions{}))...),
		restli.WithBaseURL(srv.URL+"/rest"), restli.WithVersion(restlitest.DefaultVersion))
	srv.ExpireTokens()
	if !srv.RevokeToken(tok.RefreshToken) {
		t.Fatal("the server does not know the refresh token")
	}
	_, err = fresh.Get(ctx, restli.GetRequest{ResourcePath: "/things/{id}", PathKeys: map[string]any{"id": 1}, QueryParams: tokenQuery})
	if !errors.Is(err, oauth.ErrReauthorize) {
		t.Fatalf("401 with a revoked refresh token: %v, want ErrReauthorize", err)
	}
	a.err("ErrReauthorize", err)
	_, err = ts.Token()
	a.err("token source after revocation", err)

	// Everything the telemetry recorded.
	spans, points := sink.check(t, a)
	if spans < 10 || points < 5 {
		t.Fatalf("only %d spans and %d metric points recorded: telemetry was not exercised", spans, points)
	}
	// Every log line.
	logMu.Lock()
	out := logs.String()
	logMu.Unlock()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 10 {
		t.Fatalf("only %d log lines", len(lines))
	}
	for i, l := range lines {
		a.text("log:"+strconv.Itoa(i), l)
		if strings.Contains(strings.ToLower(l), "bearer "+strings.ToLower(canaryAccess)) {
			t.Errorf("log line %d carries an Authorization value", i)
		}
	}
	if logBodies && !strings.Contains(out, `"response.body"`) {
		t.Fatal("LogBodies logged no body")
	}
	// The fake server: its records of every request.
	for i, r := range srv.Requests() {
		a.record(t, i, r)
	}
	a.report(t)
}

// record checks the fake server's record of one request: credential query
// parameters are redacted in Params as in Query, Header and Body.
func (a *audit) record(t *testing.T, i int, r restlitest.Request) {
	t.Helper()
	v1, ok1 := r.Params["oauth2_access_token"]
	v2, ok2 := r.Params["access_token"]
	if ok1 && v1 != "REDACTED" || ok2 && v2 != "REDACTED" {
		t.Errorf("restlitest: Request.Params keeps the oauth2_access_token and access_token query values (record %d, %s) while Request.Query redacts them", i, r.Path)
		r.Params = nil // the record's maps are shared: drop, do not modify
	}
	b, _ := json.Marshal(r)
	a.text("restlitest record:"+strconv.Itoa(i)+" "+r.Path, string(b))
}

// lockedWriter serialises writes to a buffer shared by concurrent loggers.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestSecrets_OAuthEndpointEchoes points every OAuth call at endpoints that
// echo the whole request (form, headers) back in every place an error can
// come from: a JSON error, an error in a 200, a malformed 200, a non-JSON
// page, a redirect to a URL holding the echo. No error may carry a canary.
func TestSecrets_OAuthEndpointEchoes(t *testing.T) {
	a := newAudit()
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		dump := string(body) + " " + r.Header.Get("Authorization") + " " + r.URL.RawQuery
		form, _ := url.ParseQuery(string(body))
		var decoded []string
		for k, vs := range form {
			decoded = append(decoded, k+"="+strings.Join(vs, ","))
		}
		dump += " " + strings.Join(decoded, " ")
		js := func(status int, v any) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_ = json.NewEncoder(w).Encode(v)
		}
		switch strings.TrimPrefix(r.URL.Path, "/") {
		case "json400":
			js(400, map[string]any{"error": "invalid_request", "error_description": dump})
		case "code400":
			js(400, map[string]any{"error": dump, "message": dump})
		case "grant":
			js(400, map[string]any{"error": "invalid_grant", "error_description": dump})
		case "error200":
			js(200, map[string]any{"error": "server_error", "error_description": dump})
		case "malformed200":
			js(200, map[string]any{"access_token": 42, "echo": dump})
		case "text500":
			w.WriteHeader(500)
			_, _ = io.WriteString(w, "<html>"+dump+"</html>")
		case "redirect":
			w.Header().Set("Location", "http://127.0.0.1:1/cb?echo="+url.QueryEscape(dump)+"&code="+form.Get("code"))
			w.WriteHeader(http.StatusFound)
		default:
			w.WriteHeader(404)
		}
	}))
	defer echo.Close()

	for _, mode := range []string{"json400", "code400", "grant", "error200", "malformed200", "text500", "redirect"} {
		hc := echo.Client()
		if mode != "redirect" {
			hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		}
		cfg := oauth.Config{
			ClientID: canaryClient, ClientSecret: canarySecret, RedirectURL: "https://app.example.test/cb",
			TokenURL: echo.URL + "/" + mode, IntrospectURL: echo.URL + "/" + mode, HTTPClient: hc,
		}
		ctx := context.Background()
		_, err := cfg.Exchange(ctx, canaryCode, oauth2.VerifierOption(oauth2.GenerateVerifier()))
		if err == nil {
			t.Fatalf("%s: exchange succeeded", mode)
		}
		a.err(mode+" exchange", err)
		_, err = cfg.Refresh(ctx, canaryRefresh)
		a.err(mode+" refresh", err)
		_, err = cfg.ClientCredentials(ctx)
		a.err(mode+" client credentials", err)
		_, err = cfg.Introspect(ctx, canaryAccess)
		a.err(mode+" introspect", err)

		// The token layer over a source that must refresh against the
		// echoing endpoint.
		expired := &oauth.Token{Token: &oauth2.Token{AccessToken: canaryAccess + "old", RefreshToken: canaryRefresh, Expiry: time.Now().Add(-time.Hour)}}
		src := cfg.TokenSource(expired)
		var sent atomic.Int32
		rt := oauth.Middleware(src, oauth.MiddlewareOptions{AllowHosts: []string{"api.example.test"}})(rtFunc(func(r *http.Request) (*http.Response, error) {
			sent.Add(1)
			return nil, errors.New("must not be sent")
		}))
		req, _ := http.NewRequest(http.MethodGet, "https://api.example.test/rest/me", nil)
		_, err = rt.RoundTrip(req)
		if err == nil || sent.Load() != 0 {
			t.Fatalf("%s: token layer: %v after %d sends", mode, err, sent.Load())
		}
		if mode == "grant" && !errors.Is(err, oauth.ErrReauthorize) {
			t.Fatalf("invalid_grant on refresh: %v, want ErrReauthorize", err)
		}
		a.err(mode+" token layer", err)
		// And the whole stack, as a user sees it.
		c := restli.NewClient(transport.NewClient(transport.WithBase(rtFunc(func(r *http.Request) (*http.Response, error) {
			sent.Add(1)
			return nil, errors.New("must not be sent")
		})), transport.WithTokenSource(cfg.TokenSource(expired)), transport.WithTokenHosts("api.example.test"),
			transport.WithRetry(middleware.RetryOptions{MaxAttempts: 2, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})),
			restli.WithBaseURL("https://api.example.test/rest"))
		_, err = c.Get(ctx, restli.GetRequest{ResourcePath: "/me"})
		if err == nil || sent.Load() != 0 {
			t.Fatalf("%s: stack: %v after %d sends", mode, err, sent.Load())
		}
		a.err(mode+" stack", err)
	}
	a.report(t)
}

// TestSecrets_FakeServerNeverEchoesCredentials sends canary credentials to
// every endpoint of the fake server in ways it rejects and checks its
// answers: no error body or header carries them.
func TestSecrets_FakeServerNeverEchoesCredentials(t *testing.T) {
	a := newAudit()
	srv := newCanaryServer(t)
	hc := srv.OAuthConfig().HTTPClient
	// Records are checked only for requests that carry canaries where
	// credentials go (Authorization, oauth2_access_token, OAuth forms); the
	// others put them in ordinary slots (a key, a header) that the record
	// rightly keeps as received.
	var credentialSlot []bool // per request sent, in order
	do := func(name, method, u string, h http.Header, body string) {
		t.Helper()
		credentialSlot = append(credentialSlot, !strings.HasPrefix(name, "bad "))
		req, _ := http.NewRequest(method, u, strings.NewReader(body))
		for k, vs := range h {
			req.Header[k] = vs
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		a.text("restlitest answer:"+name, fmt.Sprintf("%d %v %s", resp.StatusCode, resp.Header, b))
	}
	api := http.Header{"X-Restli-Protocol-Version": {restli.ProtocolVersion}, "Linkedin-Version": {restlitest.DefaultVersion}}
	bearer := func(tok string) http.Header {
		h := api.Clone()
		h.Set("Authorization", "Bearer "+tok)
		return h
	}
	form := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	do("unknown token", "GET", srv.URL+"/rest/things/1", bearer(canaryAccess+"unknown"), "")
	do("token as scheme", "GET", srv.URL+"/rest/things/1", http.Header{"Authorization": {canaryAccess}}, "")
	do("token in query", "GET", srv.URL+"/rest/things/1?oauth2_access_token="+canaryAccess+"q", api, "")
	do("bad query value", "GET", srv.URL+"/rest/things?q=all&x="+canaryAccess+"(", bearer(srv.Token()), "")
	do("bad key", "GET", srv.URL+"/rest/things/("+canaryAccess+"", bearer(srv.Token()), "")
	do("bad version", "GET", srv.URL+"/rest/things/1", func() http.Header { h := bearer(srv.Token()); h.Set("LinkedIn-Version", canaryAccess); return h }(), "")
	do("bad body", "POST", srv.URL+"/rest/things", func() http.Header { h := bearer(srv.Token()); h.Set("X-RestLi-Method", "create"); return h }(), `{"x":"`+canaryAccess+`"`)
	do("bad tunnel", "POST", srv.URL+"/rest/things", func() http.Header {
		h := bearer(srv.Token())
		h.Set("X-HTTP-Method-Override", "GET")
		h.Set("Content-Type", "multipart/mixed; boundary="+canaryAccess)
		return h
	}(), "--"+canaryAccess+"\r\n")
	do("code: wrong secret", "POST", srv.URL+"/oauth/v2/accessToken", form,
		url.Values{"grant_type": {"authorization_code"}, "code": {canaryCode}, "client_id": {canaryClient}, "client_secret": {canarySecret + "x"}, "redirect_uri": {srv.URL + restlitest.CallbackPath}}.Encode())
	do("code: unknown", "POST", srv.URL+"/oauth/v2/accessToken", form,
		url.Values{"grant_type": {"authorization_code"}, "code": {canaryCode}, "client_id": {canaryClient}, "client_secret": {canarySecret}, "redirect_uri": {srv.URL + restlitest.CallbackPath}}.Encode())
	do("refresh: unknown", "POST", srv.URL+"/oauth/v2/accessToken", form,
		url.Values{"grant_type": {"refresh_token"}, "refresh_token": {canaryRefresh}, "client_id": {canaryClient}, "client_secret": {canarySecret}}.Encode())
	do("grant: unknown type", "POST", srv.URL+"/oauth/v2/accessToken", form,
		url.Values{"grant_type": {canaryRefresh}, "client_id": {canaryClient}, "client_secret": {canarySecret}}.Encode())
	do("introspect: unknown", "POST", srv.URL+"/oauth/v2/introspectToken", form,
		url.Values{"token": {canaryAccess + "unknown"}, "client_id": {canaryClient}, "client_secret": {canarySecret}}.Encode())
	do("introspect: wrong secret", "POST", srv.URL+"/oauth/v2/introspectToken", form,
		url.Values{"token": {srv.Token()}, "client_id": {canaryClient}, "client_secret": {canarySecret + "x"}}.Encode())
	do("authorize: bad redirect", "GET", srv.URL+"/oauth/v2/authorization?response_type=code&client_id="+canaryClient+"&redirect_uri=https://evil.example.test/"+canaryCode+"&state=s", nil, "")
	recs := srv.Requests()
	if len(recs) != len(credentialSlot) {
		t.Fatalf("%d requests recorded for %d sent", len(recs), len(credentialSlot))
	}
	for i, r := range recs {
		if credentialSlot[i] {
			a.record(t, i, r)
		}
	}
	a.report(t)
}

// TestSecrets_NoTokenOverPlainHTTP checks that the token layer refuses to
// send a token over plain http to a host that is not loopback: the request
// is not sent at all (a stub base counts), the token source is not even
// asked, and the error names no token.
func TestSecrets_NoTokenOverPlainHTTP(t *testing.T) {
	a := newAudit()
	var sent, asked atomic.Int32
	stub := rtFunc(func(r *http.Request) (*http.Response, error) {
		sent.Add(1)
		return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader("{}")), Header: http.Header{}, Request: r}, nil
	})
	ts := oauth2.ReuseTokenSource(nil, tokenSourceFunc(func() (*oauth2.Token, error) {
		asked.Add(1)
		return &oauth2.Token{AccessToken: canaryAccess + "plain"}, nil
	}))

	// The layer alone.
	rt := oauth.Middleware(ts, oauth.MiddlewareOptions{AllowHosts: []string{"api.example.test"}})(stub)
	req, _ := http.NewRequest(http.MethodGet, "http://api.example.test/rest/me", nil)
	_, err := rt.RoundTrip(req)
	if !errors.Is(err, oauth.ErrInsecureTransport) || sent.Load() != 0 {
		t.Fatalf("plain http: %v after %d sends, want ErrInsecureTransport and nothing sent", err, sent.Load())
	}
	a.err("insecure (layer)", err)
	// https to the same host, and plain http to loopback, are fine.
	req, _ = http.NewRequest(http.MethodGet, "https://api.example.test/rest/me", nil)
	if resp, err := rt.RoundTrip(req); err != nil || sent.Load() != 1 {
		t.Fatalf("https: %v, %d sends", err, sent.Load())
	} else {
		resp.Body.Close()
	}
	loop := oauth.Middleware(ts, oauth.MiddlewareOptions{AllowHosts: []string{"127.0.0.1"}})(stub)
	req, _ = http.NewRequest(http.MethodGet, "http://127.0.0.1:9/rest/me", nil)
	if resp, err := loop.RoundTrip(req); err != nil || sent.Load() != 2 {
		t.Fatalf("loopback http: %v, %d sends", err, sent.Load())
	} else {
		resp.Body.Close()
	}

	// The whole stack, reads and a create: nothing is sent, the create is
	// not reported as possibly applied, and the refusal is not retried.
	sent.Store(0)
	asked.Store(0)
	c := restli.NewClient(transport.NewClient(transport.WithBase(stub), transport.WithTokenSource(ts), transport.WithTokenHosts("api.example.test"),
		transport.WithRetry(middleware.RetryOptions{RetryWaitMin: time.Millisecond, RetryWaitMax: 2 * time.Millisecond})),
		restli.WithBaseURL("http://api.example.test/rest"), restli.WithVersion("202601"))
	_, err = c.Get(context.Background(), restli.GetRequest{ResourcePath: "/me"})
	if !errors.Is(err, oauth.ErrInsecureTransport) || sent.Load() != 0 {
		t.Fatalf("stack GET: %v after %d sends", err, sent.Load())
	}
	a.err("insecure (stack GET)", err)
	var rte *middleware.RetryError
	if errors.As(err, &rte) && rte.Attempts != 1 {
		t.Errorf("middleware.Retry resends a request the oauth layer refused with ErrInsecureTransport (%d attempts with backoff): "+
			"a refusal that no attempt can fix should end the call", rte.Attempts)
	}
	_, err = c.Create(context.Background(), restli.CreateRequest{ResourcePath: "/things", Entity: map[string]any{"a": 1}})
	if !errors.Is(err, oauth.ErrInsecureTransport) || sent.Load() != 0 {
		t.Fatalf("stack CREATE: %v after %d sends", err, sent.Load())
	}
	a.err("insecure (stack CREATE)", err)
	if errors.Is(err, restli.ErrMaybeApplied) {
		t.Errorf("a create that was never sent is reported as possibly applied: %v", err)
	}
	if asked.Load() != 0 {
		t.Errorf("the token source was asked %d times for a request that may not carry a token", asked.Load())
	}
	a.report(t)
}

type tokenSourceFunc func() (*oauth2.Token, error)

func (f tokenSourceFunc) Token() (*oauth2.Token, error) { return f() }
