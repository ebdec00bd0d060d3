// Package demo sets up the examples: a Rest.li client for LinkedIn when
// LINKEDIN_ACCESS_TOKEN is set, else for an embedded fake LinkedIn server
// (package restlitest) seeded with a member profile, ad accounts, campaign
// groups and posts, so that every example runs without a LinkedIn account.
//
// Environment:
//
//	LINKEDIN_ACCESS_TOKEN  a member access token; when set, examples call api.linkedin.com
//	LINKEDIN_VERSION       the LinkedIn-Version to send (default DefaultVersion)
//	LINKEDIN_ORGANIZATION  the organization URN of your ad accounts (needed with a token by the ad account examples)
package demo

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"

	"golang.org/x/oauth2"

	"github.com/linkedin-go/linkedin/restli"
	"github.com/linkedin-go/linkedin/restli/restlitest"
	"github.com/linkedin-go/linkedin/transport"
)

// DefaultVersion is the LinkedIn-Version the examples send unless
// LINKEDIN_VERSION says otherwise.
const DefaultVersion = "202601"

// Sample data seeded into the fake server.
const (
	// MemberID is the id of the member behind the fake server's token.
	MemberID = "yrZCpj2Z12"
	// Organization is the company the sample ad accounts advertise for.
	Organization = "urn:li:organization:2414183"
	// FirstCampaignGroupID is the first of the campaign group ids the
	// batch-get example asks for.
	FirstCampaignGroupID = 614439286
)

// Env is where an example sends its calls.
type Env struct {
	// Client calls the versioned API (/rest), sending LinkedIn-Version.
	Client *restli.Client
	// V2 calls the unversioned API (/v2), such as /me and /userinfo.
	V2 *restli.Client
	// HTTP is the *http.Client both send with: LinkedIn's default stack
	// (transport.NewClient) with the access token.
	HTTP *http.Client
	// Fake is the embedded fake server, or nil when calling LinkedIn.
	Fake *restlitest.Server

	options []transport.Option
}

// Setup returns an Env for LinkedIn when LINKEDIN_ACCESS_TOKEN is set, else
// for a new fake server with sample data. opts are added to the
// transport.NewClient options, after the token source. Call Close when done.
func Setup(opts ...transport.Option) *Env {
	env := &Env{}
	token := os.Getenv("LINKEDIN_ACCESS_TOKEN")
	apiURL, v2URL := "https://api.linkedin.com/rest", "https://api.linkedin.com/v2"
	if token == "" {
		env.Fake = NewFake()
		token = env.Fake.Token()
		apiURL, v2URL = env.Fake.URL+"/rest", env.Fake.URL+"/v2"
	}

	// A static token: a member token lives 60 days. See examples/oauth-member
	// for a token source that refreshes.
	ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token})
	env.options = []transport.Option{transport.WithTokenSource(ts)}
	if env.Fake != nil {
		// The token layer sends the token to api.linkedin.com only, unless
		// told otherwise; a loopback host may receive it over plain http.
		env.options = append(env.options, transport.WithTokenHosts(Host(env.Fake.URL)))
	}
	env.options = append(env.options, opts...)

	env.HTTP = transport.NewClient(env.options...)
	env.Client = restli.NewClient(env.HTTP, restli.WithBaseURL(apiURL), restli.WithVersion(Version()))
	env.V2 = restli.NewClient(env.HTTP, restli.WithBaseURL(v2URL))
	return env
}

// Layers returns the names of the transport layers of env.HTTP, outermost
// first (transport.Layers).
func (env *Env) Layers() []string { return transport.Layers(env.options...) }

// Target describes where calls go, for the examples' first line of output.
func (env *Env) Target() string {
	if env.Fake != nil {
		return "the embedded fake LinkedIn server (set LINKEDIN_ACCESS_TOKEN to call api.linkedin.com)"
	}
	return "api.linkedin.com (LinkedIn-Version " + Version() + ")"
}

// Close releases the client's connections and stops the fake server.
func (env *Env) Close() {
	env.HTTP.CloseIdleConnections()
	if env.Fake != nil {
		env.Fake.Close()
	}
}

// Version returns LINKEDIN_VERSION, or DefaultVersion.
func Version() string {
	if v := os.Getenv("LINKEDIN_VERSION"); v != "" {
		return v
	}
	return DefaultVersion
}

// Organization returns the organization whose ad accounts the examples
// use: Organization on the fake server, LINKEDIN_ORGANIZATION on LinkedIn.
// When that is missing or not a URN it says so and exits with status 2.
func (env *Env) Organization() restli.URN {
	if env.Fake != nil {
		return restli.MustParseURN(Organization)
	}
	u, err := restli.ParseURN(os.Getenv("LINKEDIN_ORGANIZATION"))
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: against LinkedIn, set LINKEDIN_ORGANIZATION to the URN of the organization\n"+
			"your ad accounts advertise for, e.g. urn:li:organization:123456\n", filepath.Base(os.Args[0]))
		os.Exit(2)
	}
	return u
}

// Host returns the host:port of rawURL, for transport.WithTokenHosts.
func Host(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return u.Host
}

// NewFake starts a fake LinkedIn server (restlitest.NewServer with opts)
// seeded with the sample data and finders the examples use. The caller
// must Close it.
func NewFake(opts ...restlitest.Option) *restlitest.Server {
	srv := restlitest.NewServer(opts...)
	seed(srv)
	return srv
}
