// The secrets audit of Sign In with LinkedIn and of many-member tokens:
// id_tokens, nonces and PKCE verifiers (with the access and refresh tokens
// of many members) never appear in an error, a log line, a span, a metric
// or the fake server's records. Self-contained: it shares no helper with
// secrets_test.go.
package reliability_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/middleware"
	"github.com/linkedin-go/linkedin/oauth"
	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
	"github.com/linkedin-go/linkedin/transport"
)

// oidcAudit collects texts and looks for the secrets in each.
type oidcAudit struct {
	mu      sync.Mutex
	secrets []string
	checked int
	leaks   []string
}

func (a *oidcAudit) secret(s string) {
	a.mu.Lock()
	a.secrets = append(a.secrets, s)
	a.mu.Unlock()
}

func (a *oidcAudit) text(where, s string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.checked++
	upper := strings.ToUpper(s)
	for _, sec := range a.secrets {
		if strings.Contains(s, sec) || strings.Contains(upper, strings.ToUpper(sec)) {
			a.leaks = append(a.leaks, fmt.Sprintf("%s leaks %.24s…", where, sec))
		}
	}
	for _, prefix := range []string{"CANARYOIDC"} {
		if strings.Contains(upper, prefix) {
			a.leaks = append(a.leaks, fmt.Sprintf("%s leaks a %s credential", where, prefix))
		}
	}
}

func (a *oidcAudit) err(where string, err error) {
	if err == nil {
		return
	}
	a.text(where, err.Error())
	a.text(where+" %+v", fmt.Sprintf("%+v", err))
	for e := errors.Unwrap(err); e != nil; e = errors.Unwrap(e) {
		a.text(where+" (chain)", e.Error())
	}
	var re *restli.Error
	if errors.As(err, &re) {
		a.text(where+" (restli body)", string(re.Body))
	}
}

func TestSecrets_OIDCAndMemberTokensNeverAppear(t *testing.T) {
	a := &oidcAudit{}
	var seq int
	var seqMu sync.Mutex
	srv := restlitest.NewServer(
		restlitest.WithOAuthClient("oidc-client", "CANARYOIDCSECRETz9"),
		restlitest.WithTokenGenerator(func(kind string) string {
			seqMu.Lock()
			defer seqMu.Unlock()
			seq++
			return fmt.Sprintf("CANARYOIDC%s%04d", strings.ToUpper(strings.ReplaceAll(kind, "_", "")), seq)
		}))
	defer srv.Close()
	members := []string{"m-ada", "m-grace", "m-alan"}
	for _, id := range members {
		srv.AddMember(restlitest.Member{ID: id, GivenName: "Given", FamilyName: id, Email: id + "@example.com"})
	}
	cfg := srv.OAuthConfig()
	cfg.Scopes = []string{"openid", "profile", "email"}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	provider, err := oauth.NewProvider(ctx, &cfg, srv.OIDCOptions())
	if err != nil {
		t.Fatal(err)
	}

	// Sign every member in with a canary nonce and a canary PKCE verifier.
	src := cfg.MemberTokenSource(oauth.MemberOptions{})
	var rawIDTokens []string
	for i, id := range members {
		srv.SignInAs(id)
		nonce := fmt.Sprintf("CANARYOIDCNONCE%d-abcdefghijklmnopqrstuvwxyz", i)
		verifier := fmt.Sprintf("CANARYOIDCVERIFIER%d-0123456789012345678901234567890123456789", i)
		a.secret(nonce)
		a.secret(verifier)
		resp, err := cfg.HTTPClient.Get(cfg.AuthCodeURL("state", oauth2.S256ChallengeOption(verifier), oauth.NonceOption(nonce)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		loc, err := resp.Location()
		if err != nil {
			t.Fatal(err)
		}
		// A wrong verifier first: the token endpoint's error must not carry it.
		_, err = cfg.Exchange(ctx, loc.Query().Get("code"), oauth2.VerifierOption(verifier+"x"))
		a.secret(verifier + "x")
		a.err("exchange with a wrong verifier", err)
		// The code is spent; sign in again.
		resp, err = cfg.HTTPClient.Get(cfg.AuthCodeURL("state", oauth2.S256ChallengeOption(verifier), oauth.NonceOption(nonce)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		loc, _ = resp.Location()
		tok, err := cfg.Exchange(ctx, loc.Query().Get("code"), oauth2.VerifierOption(verifier))
		if err != nil {
			t.Fatalf("exchange: %v", err)
		}
		a.secret(tok.IDToken())
		rawIDTokens = append(rawIDTokens, tok.IDToken())
		claims, err := provider.VerifyToken(ctx, tok, nonce)
		if err != nil {
			t.Fatalf("verify: %v", err)
		}
		a.text("claims", fmt.Sprintf("%+v", claims))
		// Rejections: another nonce, a tampered token, an expired one.
		_, err = provider.VerifyToken(ctx, tok, nonce+"-other")
		a.err("verify with another nonce", err)
		parts := strings.Split(tok.IDToken(), ".")
		bad := parts[0] + "." + parts[1] + "x." + parts[2]
		a.secret(bad)
		_, err = provider.VerifyIDToken(ctx, bad, nonce)
		a.err("verify a tampered token", err)
		ui, err := provider.UserInfo(ctx, tok.AccessToken)
		if err != nil {
			t.Fatal(err)
		}
		a.text("userinfo", fmt.Sprintf("%+v", ui))
		if err := src.Put(ctx, id, tok); err != nil {
			t.Fatal(err)
		}
	}

	// The API stack, with debug logging and telemetry, acting for the members.
	var logs bytes.Buffer
	var logMu sync.Mutex
	logger := slog.New(slog.NewJSONHandler(oidcLockedWriter{&logMu, &logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans), sdktrace.WithSampler(sdktrace.AlwaysSample()))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	host := strings.TrimPrefix(srv.URL, "http://")
	hc := transport.NewClient(
		transport.WithBase(cfg.HTTPClient.Transport),
		transport.WithTokenSource(src),
		transport.WithTokenHosts(host),
		transport.WithLogging(logger, middleware.LoggingOptions{Level: slog.LevelDebug, LogBodies: true}),
		transport.WithTracerProvider(tp),
		transport.WithMeterProvider(mp),
	)
	defer hc.CloseIdleConnections()
	c := restli.NewClient(hc, restli.WithBaseURL(srv.URL+"/v2"))
	call := func(member string) error {
		_, err := c.Get(oauth.WithMember(ctx, member), restli.GetRequest{ResourcePath: "/userinfo"})
		return err
	}
	for _, id := range members {
		if err := call(id); err != nil {
			t.Fatalf("%s: %v", id, err)
		}
	}
	srv.ExpireTokens() // 401, refresh, replay
	for _, id := range members {
		a.err("call after expiry", call(id))
	}
	srv.RevokeMember("m-grace") // 401, invalid_grant: re-authorization
	err = call("m-grace")
	var re *oauth.ReauthorizeError
	if !errors.As(err, &re) {
		t.Fatalf("revoked member: %v", err)
	}
	a.err("revoked member", err)
	a.err("member without token", call("m-nobody"))
	a.err("no member", func() error { _, err := c.Get(ctx, restli.GetRequest{ResourcePath: "/userinfo"}); return err }())
	if list, err := src.Expiring(ctx, 400*24*time.Hour); err != nil || len(list) != len(members) {
		t.Fatalf("Expiring: %d, %v", len(list), err)
	}

	// Every text the library and the fake produced.
	logMu.Lock()
	a.text("logs", logs.String())
	logMu.Unlock()
	if err := tp.ForceFlush(ctx); err != nil {
		t.Fatal(err)
	}
	for _, s := range spans.Ended() {
		var b strings.Builder
		b.WriteString(s.Name() + " " + s.Status().Description + " " + kvs(s.Attributes()))
		for _, e := range s.Events() {
			b.WriteString(" " + e.Name + " " + kvs(e.Attributes))
		}
		a.text("span", b.String())
	}
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(ctx, &rm); err != nil {
		t.Fatal(err)
	}
	a.text("metrics", fmt.Sprintf("%+v", rm))
	for i, r := range srv.Requests() {
		a.text(fmt.Sprintf("record %d", i), r.Path+" "+r.Query+" "+string(r.Body)+" "+fmt.Sprint(r.Header)+" "+fmt.Sprint(r.Params))
	}
	// The fake's answers to a forged consent form carry nothing back.
	resp, err := cfg.HTTPClient.PostForm(srv.URL+"/oauth/v2/authorization", map[string][]string{
		"client_id": {"unknown"}, "nonce": {rawIDTokens[0]}, "action": {"allow"}})
	if err == nil {
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		resp.Body.Close()
		a.text("consent form answer", b.String())
		if resp.StatusCode != http.StatusMethodNotAllowed && resp.StatusCode != http.StatusBadRequest {
			t.Errorf("forged consent form: %d", resp.StatusCode)
		}
	}

	a.mu.Lock()
	defer a.mu.Unlock()
	for _, l := range a.leaks {
		t.Error(l)
	}
	if a.checked < 40 || len(a.secrets) < 10 {
		t.Fatalf("audit too small: %d texts, %d secrets", a.checked, len(a.secrets))
	}
	t.Logf("OIDC secrets audit: %d texts checked against %d secrets (id_tokens, nonces, PKCE verifiers) and every CANARYOIDC credential; %d leaks",
		a.checked, len(a.secrets), len(a.leaks))
}

// oidcLockedWriter serialises writes to a buffer shared by loggers.
type oidcLockedWriter struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (l oidcLockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func kvs(attrs []attribute.KeyValue) string {
	var b strings.Builder
	for _, kv := range attrs {
		b.WriteString(string(kv.Key) + "=" + kv.Value.Emit() + " ")
	}
	return b.String()
}
