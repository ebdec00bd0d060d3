package oauth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

var canaries = []string{canaryAccess, canaryRefresh, canarySecret, canaryCode, canaryVerifier}

// echo repeats every value a request carried, raw, query-escaped and
// path-escaped, and the whole form, as a careless token endpoint might. (A
// server can only echo what it was sent; the assertion below still checks
// for every canary.)
func echo(form url.Values) string {
	var b strings.Builder
	for _, vs := range form {
		for _, v := range vs {
			b.WriteString(v + " " + url.QueryEscape(v) + " " + url.PathEscape(v) + " ")
		}
	}
	b.WriteString(form.Encode())
	return b.String()
}

func assertNoCanary(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		t.Fatal("want an error")
	}
	texts := []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err)}
	var e *Error
	if errors.As(err, &e) {
		texts = append(texts, e.Code, e.Description, fmt.Sprintf("%#v", *e))
	}
	for _, s := range texts {
		for _, c := range canaries {
			if strings.Contains(s, c) || strings.Contains(s, url.QueryEscape(c)) {
				t.Fatalf("error text contains %s:\n%s", c, s)
			}
		}
	}
}

// TestCanaries_NeverInErrors drives every error path of every call against
// a token endpoint that echoes the credentials it receives, and checks that
// no error text carries one.
func TestCanaries_NeverInErrors(t *testing.T) {
	behaviours := []struct {
		name string
		h    func(w http.ResponseWriter, r *http.Request, form url.Values)
	}{
		{"400 JSON echo", func(w http.ResponseWriter, _ *http.Request, f url.Values) {
			writeJSON(w, 400, map[string]string{"error": "invalid_request " + echo(f), "error_description": echo(f)})
		}},
		{"401 invalid_client echo", func(w http.ResponseWriter, _ *http.Request, f url.Values) {
			writeJSON(w, 401, map[string]string{"error": "invalid_client", "error_description": "bad secret " + f.Get("client_secret")})
		}},
		{"400 invalid_grant echo", func(w http.ResponseWriter, _ *http.Request, f url.Values) {
			writeJSON(w, 400, map[string]string{"error": "invalid_grant", "error_description": "bad grant " + f.Encode()})
		}},
		{"Rest.li shape echo", func(w http.ResponseWriter, _ *http.Request, f url.Values) {
			writeJSON(w, 401, map[string]any{"status": 401, "code": echo(f), "message": echo(f)})
		}},
		{"500 non-JSON echo", func(w http.ResponseWriter, _ *http.Request, f url.Values) {
			w.WriteHeader(500)
			io.WriteString(w, "<html>"+echo(f)+"</html>")
		}},
		{"200 non-JSON echo", func(w http.ResponseWriter, _ *http.Request, f url.Values) {
			io.WriteString(w, f.Encode())
		}},
		{"200 error member echo", func(w http.ResponseWriter, _ *http.Request, f url.Values) {
			writeJSON(w, 200, map[string]string{"error": echo(f), "error_description": echo(f)})
		}},
		{"200 wrong types echo", func(w http.ResponseWriter, _ *http.Request, f url.Values) {
			writeJSON(w, 200, map[string]any{"access_token": 7, "active": echo(f), "scope": []string{echo(f)}, "x": echo(f)})
		}},
		{"200 no access token echo", func(w http.ResponseWriter, _ *http.Request, f url.Values) {
			writeJSON(w, 200, map[string]any{"refresh_token": echo(f), "status": echo(f)})
		}},
		{"200 bad numbers echo", func(w http.ResponseWriter, _ *http.Request, f url.Values) {
			writeJSON(w, 200, map[string]any{"access_token": "a", "active": true, "expires_in": echo(f), "expires_at": echo(f)})
		}},
		{"200 over 1 MiB echo", func(w http.ResponseWriter, _ *http.Request, f url.Values) {
			io.WriteString(w, `{"error_description":"`+echo(f)+strings.Repeat(" ", maxBodyBytes)+`"}`)
		}},
		{"redirect loop with credentials in Location", func(w http.ResponseWriter, r *http.Request, f url.Values) {
			w.Header().Set("Location", "/loop?"+f.Encode()+"&raw="+f.Get("client_secret")+f.Get("code")+f.Get("refresh_token")+f.Get("token"))
			w.WriteHeader(http.StatusTemporaryRedirect)
		}},
		{"connection dropped", func(w http.ResponseWriter, _ *http.Request, _ url.Values) {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		}},
	}
	calls := []struct {
		name string
		do   func(c *Config, api string) error
	}{
		{"Exchange", func(c *Config, _ string) error {
			_, err := c.Exchange(context.Background(), canaryCode, oauth2.VerifierOption(canaryVerifier))
			return err
		}},
		{"Refresh", func(c *Config, _ string) error { _, err := c.Refresh(context.Background(), canaryRefresh); return err }},
		{"ClientCredentials", func(c *Config, _ string) error { _, err := c.ClientCredentials(context.Background()); return err }},
		{"Introspect", func(c *Config, _ string) error {
			_, err := c.Introspect(context.Background(), canaryAccess)
			return err
		}},
		{"TokenSource", func(c *Config, _ string) error {
			_, err := c.TokenSource(memberToken(canaryAccess, canaryRefresh, fixedNow.Add(-time.Hour))).Token()
			return err
		}},
		{"ClientCredentialsTokenSource", func(c *Config, _ string) error {
			_, err := c.ClientCredentialsTokenSource().Token()
			return err
		}},
		{"Middleware after 401", func(c *Config, api string) error {
			ts := c.TokenSource(memberToken(canaryAccess, canaryRefresh, time.Now().Add(time.Hour)))
			u, _ := url.Parse(api)
			base := &http.Transport{}
			defer base.CloseIdleConnections()
			client := &http.Client{Transport: Middleware(ts, MiddlewareOptions{AllowHosts: []string{u.Host}})(base)}
			resp, err := client.Get(api + "/rest/me")
			if resp != nil {
				resp.Body.Close()
			}
			return err
		}},
	}
	// The API server rejects every token, echoing it.
	api := newAPIServer(t, "nothing")
	for _, b := range behaviours {
		for _, call := range calls {
			t.Run(b.name+"/"+call.name, func(t *testing.T) {
				srv := newOAuthServer(t, b.h)
				err := call.do(srv.config(), api.URL)
				assertNoCanary(t, err)
			})
		}
	}
}

func TestCanaries_NotInNetworkErrors(t *testing.T) {
	// A closed port: the dial fails.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c := &Config{ClientID: "id", ClientSecret: canarySecret, TokenURL: "http://" + addr + "/token", IntrospectURL: "http://" + addr + "/i",
		HTTPClient: &http.Client{Transport: &http.Transport{}}}
	_, err = c.Exchange(context.Background(), canaryCode)
	assertNoCanary(t, err)
	_, err = c.Introspect(context.Background(), canaryAccess)
	assertNoCanary(t, err)
	_, err = c.Refresh(context.Background(), canaryRefresh)
	assertNoCanary(t, err)
}
