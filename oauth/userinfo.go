package oauth

// The member's OpenID Connect profile, as claims of an id_token and as the
// answer of /v2/userinfo, and the typed userinfo call.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/linkedin-go/linkedin/restli"
)

// Profile is a member's OpenID Connect profile. Which fields are set
// depends on the granted scopes: openid gives Subject, profile the names,
// picture and locale, email the email fields.
type Profile struct {
	// Subject is the member's id for this application ("sub").
	Subject    string
	Name       string
	GivenName  string
	FamilyName string
	// Picture is the URL of the member's profile picture.
	Picture       string
	Email         string
	EmailVerified bool
	Locale        Locale
}

// UserInfo is the answer of /v2/userinfo: the member's profile.
type UserInfo struct {
	Profile
}

// Locale is a member's locale. LinkedIn writes it as an object in
// /v2/userinfo ({"country":"US","language":"en"}) and as a string in
// id_tokens ("en_US" or "en-US"); both parse.
type Locale struct {
	Language string
	Country  string
}

// String returns "language_COUNTRY" ("en_US"), the language alone when
// there is no country, or "".
func (l Locale) String() string {
	if l.Country == "" {
		return l.Language
	}
	return l.Language + "_" + l.Country
}

// UnmarshalJSON accepts an object with "language" and "country", a string
// such as "en_US", "en-US" or "en", or null.
func (l *Locale) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*l = Locale{}
		return nil
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		lang, country, _ := strings.Cut(strings.ReplaceAll(s, "-", "_"), "_")
		*l = Locale{Language: lang, Country: country}
		return nil
	case b[0] == '{':
		var o struct {
			Language string `json:"language"`
			Country  string `json:"country"`
		}
		if err := json.Unmarshal(b, &o); err != nil {
			return err
		}
		*l = Locale{Language: o.Language, Country: o.Country}
		return nil
	}
	return errors.New("locale is neither a string nor an object")
}

// MarshalJSON writes the object form.
func (l Locale) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Language string `json:"language,omitempty"`
		Country  string `json:"country,omitempty"`
	}{l.Language, l.Country})
}

// profileJSON is the wire form of a profile, lenient where LinkedIn is
// inconsistent: email_verified is a boolean in /v2/userinfo and has been
// the string "true" in id_tokens.
type profileJSON struct {
	Sub           string          `json:"sub"`
	Name          string          `json:"name"`
	GivenName     string          `json:"given_name"`
	FamilyName    string          `json:"family_name"`
	Picture       string          `json:"picture"`
	Email         string          `json:"email"`
	EmailVerified json.RawMessage `json:"email_verified"`
	Locale        Locale          `json:"locale"`
}

func (p profileJSON) profile() (Profile, error) {
	out := Profile{
		Subject: p.Sub, Name: p.Name, GivenName: p.GivenName, FamilyName: p.FamilyName,
		Picture: p.Picture, Email: p.Email, Locale: p.Locale,
	}
	switch v := string(bytes.TrimSpace(p.EmailVerified)); v {
	case "", "null", "false", `"false"`:
	case "true", `"true"`:
		out.EmailVerified = true
	default:
		return Profile{}, errors.New("email_verified is not a boolean")
	}
	if out.Name == "" {
		out.Name = strings.TrimSpace(out.GivenName + " " + out.FamilyName)
	}
	return out, nil
}

// ParseUserInfo parses a /v2/userinfo body. It is lenient about the types
// LinkedIn has been inconsistent about (see Locale) and strict about the
// rest: a body that is not a JSON object, a field of the wrong type or a
// missing "sub" is an error wrapping ErrMalformedResponse.
func ParseUserInfo(body []byte) (*UserInfo, error) {
	var raw profileJSON
	if err := unmarshalObject(body, &raw); err != nil {
		return nil, fmt.Errorf("%w: userinfo: %s", ErrMalformedResponse, describeJSONError(err))
	}
	p, err := raw.profile()
	if err != nil {
		return nil, fmt.Errorf("%w: userinfo: %s", ErrMalformedResponse, err.Error())
	}
	if p.Subject == "" {
		return nil, fmt.Errorf("%w: userinfo: no sub", ErrMalformedResponse)
	}
	return &UserInfo{Profile: p}, nil
}

// UserInfo calls the userinfo endpoint (GET /v2/userinfo at LinkedIn) with
// the member's access token and returns the member's profile. The token is
// sent over https only, or plain http to a loopback host (a fake server);
// anything else fails with ErrInsecureTransport before sending. A non-2xx
// answer or a malformed body is an *OIDCError with Op "userinfo" whose text
// never contains the token.
func (p *Provider) UserInfo(ctx context.Context, accessToken string) (*UserInfo, error) {
	const op = "userinfo"
	if accessToken == "" {
		return nil, &OIDCError{Op: op, Err: errors.New("empty access token")}
	}
	u, err := url.Parse(p.userInfoURL)
	if err != nil || (u.Scheme != "https" && !(u.Scheme == "http" && restli.IsLoopbackHost(restli.NormalizeHost(u.Hostname())))) {
		return nil, &OIDCError{Op: op, Err: ErrInsecureTransport}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.userInfoURL, nil)
	if err != nil {
		return nil, &OIDCError{Op: op, Err: errors.New("invalid userinfo URL")}
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-RestLi-Protocol-Version", "2.0.0")
	resp, err := p.client.Do(req)
	if err != nil {
		return nil, &OIDCError{Op: op, Err: &requestError{op: op, err: err, secrets: []string{accessToken}}}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes+1))
	if err != nil {
		return nil, &OIDCError{Op: op, StatusCode: resp.StatusCode, Err: &requestError{op: "reading response", err: err, secrets: []string{accessToken}}}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := &OIDCError{Op: op, StatusCode: resp.StatusCode}
		var eb struct {
			Code             string `json:"code"`
			Message          string `json:"message"`
			Error            string `json:"error"`
			ErrorDescription string `json:"error_description"`
		}
		if json.Unmarshal(body, &eb) == nil {
			e.Code = scrub(orDefault(eb.Code, eb.Error), maxCodeLen, []string{accessToken})
			e.Message = scrub(orDefault(eb.Message, eb.ErrorDescription), maxDescriptionLen, []string{accessToken})
		}
		return nil, e
	}
	if len(body) > maxBodyBytes {
		return nil, &OIDCError{Op: op, StatusCode: resp.StatusCode, Err: fmt.Errorf("%w: larger than 1 MiB", ErrMalformedResponse)}
	}
	ui, err := ParseUserInfo(body)
	if err != nil {
		return nil, &OIDCError{Op: op, StatusCode: resp.StatusCode, Err: err}
	}
	return ui, nil
}
