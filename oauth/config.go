package oauth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// LinkedIn's OAuth 2.0 endpoints, used when the corresponding Config field is
// empty.
const (
	DefaultAuthURL       = "https://www.linkedin.com/oauth/v2/authorization"
	DefaultTokenURL      = "https://www.linkedin.com/oauth/v2/accessToken"
	DefaultIntrospectURL = "https://www.linkedin.com/oauth/v2/introspectToken"
)

const (
	// defaultTimeout bounds each token-endpoint call made with the default
	// HTTP client.
	defaultTimeout = 30 * time.Second
	// maxBodyBytes bounds how much of a token, introspection or error
	// response is read.
	maxBodyBytes = 1 << 20
)

// Config describes a LinkedIn application and talks to LinkedIn's OAuth 2.0
// endpoints. The zero value of every optional field means LinkedIn's
// defaults. A Config must not be modified while its methods or token sources
// are in use; token sources copy it when they are created.
//
// Client credentials always travel in the form body (x/oauth2's
// AuthStyleInParams), as LinkedIn requires.
type Config struct {
	// ClientID and ClientSecret are the application's credentials from the
	// LinkedIn Developer Portal.
	ClientID     string
	ClientSecret string
	// RedirectURL is the registered redirect URL the member's browser
	// returns to after authorization (absolute, no fragment). It is sent in
	// the authorization URL and again in the code exchange.
	RedirectURL string
	// Scopes are the permissions requested, e.g. "openid", "profile",
	// "r_ads". They are sent space-separated.
	Scopes []string

	// HTTPClient carries every token-endpoint and introspection call. It
	// must not be the client of the API stack (whose token layer would
	// recurse and whose retries would resend credentials). When nil, a
	// client with a 30 s timeout over http.DefaultTransport that does not
	// follow redirects is used.
	HTTPClient *http.Client

	// AuthURL, TokenURL and IntrospectURL override LinkedIn's endpoints
	// (DefaultAuthURL, DefaultTokenURL, DefaultIntrospectURL), for a fake
	// server or tests.
	AuthURL       string
	TokenURL      string
	IntrospectURL string

	// now is the clock; tests set it. nil means time.Now.
	now func() time.Time
}

func (c *Config) clock() time.Time {
	if c.now != nil {
		return c.now()
	}
	return time.Now()
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (c *Config) httpClient() *http.Client {
	if c.HTTPClient != nil {
		return c.HTTPClient
	}
	// A token endpoint has no reason to redirect, and following a 307/308
	// would resend the credentials to wherever it points.
	return &http.Client{
		Timeout: defaultTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

func (c *Config) oauth2Config() *oauth2.Config {
	return &oauth2.Config{
		ClientID:     c.ClientID,
		ClientSecret: c.ClientSecret,
		Endpoint: oauth2.Endpoint{
			AuthURL:   orDefault(c.AuthURL, DefaultAuthURL),
			TokenURL:  orDefault(c.TokenURL, DefaultTokenURL),
			AuthStyle: oauth2.AuthStyleInParams,
		},
		RedirectURL: c.RedirectURL,
		Scopes:      c.Scopes,
	}
}

// AuthCodeURL returns the URL of LinkedIn's authorization page to send the
// member's browser to. It carries response_type=code, client_id,
// redirect_uri (when set), scope (when set) and state (when not empty; make
// one with NewState and keep it, for example in a cookie, to check with
// CheckState in the callback).
//
// The URL is built by x/oauth2, so opts are x/oauth2's: for PKCE pass
// oauth2.S256ChallengeOption(verifier) here and
// oauth2.VerifierOption(verifier) to Exchange, with a verifier from
// oauth2.GenerateVerifier. LinkedIn's documentation spells the space
// between scopes as %20 ("scope=openid%20profile"), so AuthCodeURL writes
// %20 where x/oauth2 writes "+"; both decode to a space.
//
// AuthCodeURL checks nothing (its signature is x/oauth2's and it cannot
// fail): with no scopes it returns a URL LinkedIn answers with an error
// page. AuthorizationURL makes the same URL and returns a *ConfigError
// instead for a Config LinkedIn would refuse.
func (c *Config) AuthCodeURL(state string, opts ...oauth2.AuthCodeOption) string {
	u := c.oauth2Config().AuthCodeURL(state, opts...)
	// url.Values.Encode escapes a literal '+' as %2B, so every '+' in the
	// query it wrote stands for a space.
	if i := strings.IndexByte(u, '?'); i >= 0 {
		u = u[:i+1] + strings.ReplaceAll(u[i+1:], "+", "%20")
	}
	return u
}

// Exchange trades an authorization code for a member (3-legged) token. It
// sends grant_type=authorization_code, code, redirect_uri (when set),
// client_id and client_secret, plus the parameters of opts (for PKCE,
// oauth2.VerifierOption(verifier), which adds code_verifier). Check the
// callback's state with CheckState before calling it.
func (c *Config) Exchange(ctx context.Context, code string, opts ...oauth2.AuthCodeOption) (*Token, error) {
	if code == "" {
		return nil, errors.New("oauth: empty authorization code")
	}
	form := url.Values{
		"grant_type": {"authorization_code"},
		"code":       {code},
	}
	if c.RedirectURL != "" {
		form.Set("redirect_uri", c.RedirectURL)
	}
	for k, v := range optionParams(opts) {
		form[k] = v
	}
	return c.retrieveToken(ctx, form)
}

// Refresh trades a refresh token for a new access token. It sends
// grant_type=refresh_token, refresh_token, client_id and client_secret.
// When the response carries no refresh token, the returned Token keeps the
// one passed in. An empty refresh token, or one the endpoint rejects with
// invalid_grant, gives an error wrapping ErrReauthorize.
func (c *Config) Refresh(ctx context.Context, refreshToken string) (*Token, error) {
	if refreshToken == "" {
		return nil, fmt.Errorf("oauth: no refresh token: %w", ErrReauthorize)
	}
	tok, err := c.retrieveToken(ctx, url.Values{
		"grant_type":    {"refresh_token"},
		"refresh_token": {refreshToken},
	})
	if err != nil {
		var e *Error
		if errors.As(err, &e) && e.Code == "invalid_grant" && e.Err == nil {
			e.Err = ErrReauthorize
		}
		return nil, err
	}
	if tok.RefreshToken == "" {
		tok.Token.RefreshToken = refreshToken
	}
	return tok, nil
}

// ClientCredentials gets an application (2-legged) token with the
// client-credentials grant. It sends grant_type=client_credentials,
// client_id, client_secret, and scope only when Scopes is set. LinkedIn
// grants it only to applications enabled for it, and not for the Marketing
// APIs.
func (c *Config) ClientCredentials(ctx context.Context) (*Token, error) {
	form := url.Values{"grant_type": {"client_credentials"}}
	if len(c.Scopes) > 0 {
		form.Set("scope", strings.Join(c.Scopes, " "))
	}
	return c.retrieveToken(ctx, form)
}

// Introspect asks LinkedIn about an access token: whether it is active, its
// status, type, application, times and scopes. It sends client_id,
// client_secret and token. A token that is expired, revoked or another
// application's is not an error: the result has Active false.
func (c *Config) Introspect(ctx context.Context, accessToken string) (*Introspection, error) {
	const op = "introspection endpoint"
	if accessToken == "" {
		return nil, errors.New("oauth: empty access token")
	}
	form := url.Values{"token": {accessToken}}
	status, body, secrets, err := c.exchange(ctx, op, orDefault(c.IntrospectURL, DefaultIntrospectURL), form)
	if err != nil {
		return nil, err
	}
	in, err := parseIntrospection(body)
	if err != nil {
		return nil, withStatus(err, status, secrets)
	}
	return in, nil
}

// exchange posts form to an OAuth endpoint and returns a 2xx answer's status
// and body, with the secrets of form for scrubbing later errors; a non-2xx
// or oversized answer is a typed error with those secrets scrubbed.
func (c *Config) exchange(ctx context.Context, op, endpoint string, form url.Values) (int, []byte, []string, error) {
	status, body, err := c.post(ctx, op, endpoint, form)
	if err != nil {
		return 0, nil, nil, err
	}
	secrets := c.secrets(form)
	if status < 200 || status > 299 {
		return 0, nil, nil, scrubError(parseError(status, op, body), secrets)
	}
	if len(body) > maxBodyBytes {
		return 0, nil, nil, malformed(status, op, "response larger than 1 MiB")
	}
	return status, body, secrets, nil
}

// retrieveToken posts form, with the client credentials added, to the token
// endpoint and parses the answer.
func (c *Config) retrieveToken(ctx context.Context, form url.Values) (*Token, error) {
	const op = "token endpoint"
	status, body, secrets, err := c.exchange(ctx, op, orDefault(c.TokenURL, DefaultTokenURL), form)
	if err != nil {
		return nil, err
	}
	tok, err := parseToken(body, c.clock())
	if err != nil {
		return nil, withStatus(err, status, secrets)
	}
	return tok, nil
}

// post sends form (plus client_id and client_secret) and returns the status
// and up to maxBodyBytes+1 bytes of the body. Its errors never contain the
// form.
func (c *Config) post(ctx context.Context, op, endpoint string, form url.Values) (int, []byte, error) {
	if c.ClientID != "" {
		form.Set("client_id", c.ClientID)
	}
	if c.ClientSecret != "" {
		form.Set("client_secret", c.ClientSecret)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, nil, fmt.Errorf("oauth: %s: invalid URL: %w", op, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return 0, nil, &requestError{op: op, err: err, secrets: c.secrets(form)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes+1))
	if err != nil {
		return 0, nil, &requestError{op: op + ": reading response", err: err, secrets: c.secrets(form)}
	}
	return resp.StatusCode, body, nil
}

// requestError is a failure to talk to an endpoint (connection, timeout,
// cancellation, too many redirects). Its text is the cause's with the
// request's credentials removed: a *url.Error names a URL, which after a
// redirect is whatever the server put in Location.
type requestError struct {
	op      string
	err     error
	secrets []string
}

func (e *requestError) Error() string {
	return "oauth: " + e.op + ": " + scrub(e.err.Error(), 4096, e.secrets)
}

func (e *requestError) Unwrap() error { return e.err }

// secrets lists the credentials a request carried, for scrubbing server text.
func (c *Config) secrets(form url.Values) []string {
	return []string{
		c.ClientSecret,
		form.Get("code"),
		form.Get("refresh_token"),
		form.Get("token"),
		form.Get("code_verifier"),
	}
}

func scrubError(e *Error, secrets []string) *Error {
	e.Code = scrub(e.Code, maxCodeLen, secrets)
	e.Description = scrub(e.Description, maxDescriptionLen, secrets)
	return e
}

// withStatus sets the real HTTP status on an error from a body parser and
// scrubs it.
func withStatus(err error, status int, secrets []string) error {
	var e *Error
	if errors.As(err, &e) {
		e.StatusCode = status
		return scrubError(e, secrets)
	}
	return err
}

// optionParams returns the parameters that x/oauth2 AuthCodeOptions set.
// The options are opaque; each one sets form values, which x/oauth2 reveals
// through AuthCodeURL, so they are applied to an otherwise empty URL and read
// back. Exchange applies them exactly as oauth2.Config.Exchange does.
func optionParams(opts []oauth2.AuthCodeOption) url.Values {
	if len(opts) == 0 {
		return nil
	}
	// The sentinel client ID tells an option that sets client_id from the
	// value AuthCodeURL itself writes.
	const sentinel = "\x00"
	u := (&oauth2.Config{ClientID: sentinel}).AuthCodeURL("", opts...)
	q, err := url.ParseQuery(u[strings.IndexByte(u, '?')+1:])
	if err != nil {
		return nil
	}
	if q.Get("response_type") == "code" {
		q.Del("response_type")
	}
	if q.Get("client_id") == sentinel {
		q.Del("client_id")
	}
	return q
}
