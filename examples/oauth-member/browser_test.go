// The member flow in a real browser: headless Chromium (chromedp) drives
// the example's web app against the fake LinkedIn's consent page. Three
// scenarios: Allow (the app shows the member chosen on the consent page,
// after the state and PKCE checks, the id_token verification and the
// /v2/userinfo call), Cancel (the app shows the refusal), and a tampered
// state (the app refuses and exchanges nothing).
//
// Without Chromium the test skips, saying so; with
// LINKEDIN_REQUIRE_BROWSER=1 a missing browser is a failure. It prints one
// line starting "BROWSER SUMMARY:".
package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"

	"github.com/linkedin-go/linkedin/examples/internal/demo"
	"github.com/linkedin-go/linkedin/oauth"
	"github.com/linkedin-go/linkedin/restli/restlitest"
)

// requireBrowserEnv turns a missing browser into a failure (CI sets it).
const requireBrowserEnv = "LINKEDIN_REQUIRE_BROWSER"

// findBrowser returns the Chromium to drive: $LINKEDIN_CHROMIUM, else the
// first of Debian's and the usual names found on PATH.
func findBrowser() (string, error) {
	if p := os.Getenv("LINKEDIN_CHROMIUM"); p != "" {
		return exec.LookPath(p)
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no chromium, chromium-browser, google-chrome or headless-shell on PATH (Debian: apt-get install chromium)")
}

// browserFixture is the fake LinkedIn (consent page on), the example's app
// on a loopback port, and what the app's callback reported.
type browserFixture struct {
	fake *restlitest.Server
	home string

	mu      sync.Mutex
	results []signIn
}

func (f *browserFixture) last() (signIn, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.results) == 0 {
		return signIn{}, 0
	}
	return f.results[len(f.results)-1], len(f.results)
}

func newBrowserFixture(t *testing.T) *browserFixture {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	redirectURL := "http://" + listener.Addr().String() + "/callback"
	fake := demo.NewFake(restlitest.WithOAuthClient("example-app", "example-secret", redirectURL), restlitest.WithConsentPage())
	t.Cleanup(fake.Close)
	cfg := fake.OAuthConfig()
	cfg.Scopes = []string{"openid", "profile", "email"}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	provider, err := oauth.NewProvider(ctx, &cfg, fake.OIDCOptions())
	if err != nil {
		t.Fatal(err)
	}
	f := &browserFixture{fake: fake, home: "http://" + listener.Addr().String() + "/"}
	web := newApp(cfg, provider, func(r signIn) {
		f.mu.Lock()
		f.results = append(f.results, r)
		f.mu.Unlock()
	})
	srv := &http.Server{Handler: web, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(listener)
	t.Cleanup(func() { srv.Close() })
	return f
}

// exchanges counts the authorization_code grants the fake answered.
func (f *browserFixture) exchanges() int {
	n := 0
	for _, r := range f.fake.Requests() {
		if strings.HasSuffix(r.Path, "/oauth/v2/accessToken") && strings.Contains(string(r.Body), "grant_type=authorization_code") {
			n++
		}
	}
	return n
}

func TestBrowser_MemberSignInFlow(t *testing.T) {
	path, err := findBrowser()
	if err != nil {
		if os.Getenv(requireBrowserEnv) != "" {
			t.Fatalf("%s is set and no browser was found: %v", requireBrowserEnv, err)
		}
		t.Skipf("skipping the browser test: %v; set %s=1 to make this a failure", err, requireBrowserEnv)
	}
	f := newBrowserFixture(t)

	shots, err := os.MkdirTemp("", "oauth-member-browser-")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", shots)

	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()

	// The first action starts the browser and opens the tab, which then
	// live as long as bctx (bounded by ctx): it must not run under a
	// shorter-lived context.
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	v, err := chromedp.CallBrowser(bctx, browser.GetVersion, cdp.Empty{})
	if err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	version := strings.ReplaceAll(v.Product, " ", "_")
	t.Logf("browser %s (%s)", v.Product, path)

	var nshots int
	shot := func(ctx context.Context, scenario, step string) {
		t.Helper()
		b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Errorf("%s: screenshot %s: %v", scenario, step, err)
			return
		}
		nshots++
		p := filepath.Join(shots, fmt.Sprintf("%02d-%s-%s.png", nshots, scenario, step))
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Errorf("writing %s: %v", p, err)
			return
		}
		t.Logf("screenshot %s", p)
	}
	// step runs actions with a bound of their own.
	step := func(actions ...chromedp.Action[chromedp.Void]) error {
		c, cancel := context.WithTimeout(bctx, 30*time.Second)
		defer cancel()
		return chromedp.Do(c, actions...)
	}
	text := func(sel string) (string, error) {
		c, cancel := context.WithTimeout(bctx, 30*time.Second)
		defer cancel()
		return chromedp.Run(c, chromedp.Text(chromedp.CSS(sel)))
	}

	scenarios := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"allow", func(t *testing.T) {
			before := f.exchanges()
			if err := step(chromedp.Navigate(f.home), chromedp.WaitVisible(chromedp.CSS("#login"))); err != nil {
				t.Fatalf("home page: %v", err)
			}
			shot(bctx, "allow", "home")
			if err := step(chromedp.Click(chromedp.CSS("#login")), chromedp.WaitVisible(chromedp.CSS("#allow"))); err != nil {
				t.Fatalf("login link to the consent page: %v", err)
			}
			scopes, err := text("#scopes")
			if err != nil || !strings.Contains(scopes, "openid") || !strings.Contains(scopes, "email") {
				t.Errorf("consent page scopes = %q, %v", scopes, err)
			}
			// Act as the second member, to show the member chosen on the page
			// is the one the app signs in.
			if err := step(chromedp.SetValue(chromedp.CSS("#member"), "g7Hop2Pr35")); err != nil {
				t.Fatalf("choosing the member: %v", err)
			}
			shot(bctx, "allow", "consent")
			if err := step(chromedp.Click(chromedp.CSS("#allow")), chromedp.WaitVisible(chromedp.CSS("#result"))); err != nil {
				t.Fatalf("Allow to the app's page: %v", err)
			}
			shot(bctx, "allow", "signed-in")
			name, err := text("#name")
			if err != nil || name != "Grace Hopper" {
				t.Fatalf("the app's page shows %q, %v; want Grace Hopper", name, err)
			}
			res, _ := f.last()
			if res.Err != nil || res.Claims == nil || res.Claims.Subject != "g7Hop2Pr35" || res.Info == nil || res.Info.Subject != "g7Hop2Pr35" {
				t.Fatalf("app result: %+v", res)
			}
			if f.exchanges() != before+1 {
				t.Fatalf("%d code exchanges, want 1", f.exchanges()-before)
			}
			// The exchange carried the PKCE verifier (the fake checks it
			// against the challenge and redacts it in its records).
			if !strings.Contains(string(lastExchange(f).Body), "code_verifier=REDACTED") {
				t.Fatal("the code exchange carried no PKCE verifier")
			}
			if !calledUserInfo(f) {
				t.Fatal("the app did not call /v2/userinfo")
			}
		}},
		{"cancel", func(t *testing.T) {
			before := f.exchanges()
			if err := step(chromedp.Navigate(f.home+"login"), chromedp.WaitVisible(chromedp.CSS("#cancel"))); err != nil {
				t.Fatalf("login to the consent page: %v", err)
			}
			shot(bctx, "cancel", "consent")
			if err := step(chromedp.Click(chromedp.CSS("#cancel")), chromedp.WaitVisible(chromedp.CSS("#result"))); err != nil {
				t.Fatalf("Cancel to the app's page: %v", err)
			}
			shot(bctx, "cancel", "refused")
			msg, err := text("#result")
			if err != nil || !strings.Contains(msg, "user_cancelled_authorize") {
				t.Fatalf("the app's page says %q, %v; want the refusal", msg, err)
			}
			if f.exchanges() != before {
				t.Fatal("a code was exchanged after Cancel")
			}
		}},
		{"tampered-state", func(t *testing.T) {
			before := f.exchanges()
			if err := step(chromedp.Navigate(f.home+"login"), chromedp.WaitVisible(chromedp.CSS("#allow"))); err != nil {
				t.Fatalf("login to the consent page: %v", err)
			}
			// An attacker's state: the provider echoes whatever it was given.
			if err := step(chromedp.SetValue(chromedp.CSS(`input[name="state"]`), "tampered-state-value")); err != nil {
				t.Fatalf("tampering with the state: %v", err)
			}
			shot(bctx, "tampered-state", "consent")
			if err := step(chromedp.Click(chromedp.CSS("#allow")), chromedp.WaitVisible(chromedp.CSS("#result"))); err != nil {
				t.Fatalf("Allow to the app's page: %v", err)
			}
			shot(bctx, "tampered-state", "refused")
			msg, err := text("#result")
			if err != nil || !strings.Contains(msg, "state does not match") {
				t.Fatalf("the app's page says %q, %v; want a state refusal", msg, err)
			}
			if f.exchanges() != before {
				t.Fatal("the app exchanged the code of a callback with a wrong state")
			}
		}},
	}
	passed := 0
	for _, sc := range scenarios {
		if t.Run(sc.name, sc.run) {
			passed++
		}
	}
	fmt.Printf("BROWSER SUMMARY: scenarios=%d passed=%d screenshots=%d screenshot_dir=%s browser_version=%s\n",
		len(scenarios), passed, nshots, shots, version)
}

func lastExchange(f *browserFixture) restlitest.Request {
	var last restlitest.Request
	for _, r := range f.fake.Requests() {
		if strings.HasSuffix(r.Path, "/oauth/v2/accessToken") {
			last = r
		}
	}
	return last
}

func calledUserInfo(f *browserFixture) bool {
	for _, r := range f.fake.Requests() {
		if r.Path == "/v2/userinfo" && r.Status == http.StatusOK {
			return true
		}
	}
	return false
}
