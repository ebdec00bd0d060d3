package middleware_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"

	"golang.org/x/time/rate"

	"github.com/linkedin-go/linkedin/middleware"
)

// exampleEcho starts a loopback server that prints what it receives.
func exampleEcho(print func(r *http.Request, body []byte)) (*httptest.Server, *http.Client) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		print(r, body)
	}))
	return srv, srv.Client()
}

// The header layers fill X-RestLi-Protocol-Version, LinkedIn-Version and
// User-Agent where a request has none; a value set on the request wins.
// The first two go only on Rest.li requests (built by restli, carrying
// X-RestLi-Method, or for api.linkedin.com): a plain upload PUT gets the
// User-Agent alone.
func ExampleProtocolVersion() {
	srv, c := exampleEcho(func(r *http.Request, _ []byte) {
		fmt.Printf("%s [%s] [%s] %s\n", r.Method, r.Header.Get("X-RestLi-Protocol-Version"), r.Header.Get("LinkedIn-Version"), r.Header.Get("User-Agent"))
	})
	defer srv.Close()
	rt := c.Transport
	for _, layer := range []func(http.RoundTripper) http.RoundTripper{
		middleware.UserAgent("adsync/2.1"),
		middleware.LinkedInVersion("202601"),
		middleware.ProtocolVersion(),
	} {
		rt = layer(rt)
	}
	client := &http.Client{Transport: rt}

	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/adAccounts/123", nil)
	req.Header.Set("X-RestLi-Method", "get") // a Rest.li request built by hand
	resp, _ := client.Do(req)
	resp.Body.Close()

	req.Header.Set("LinkedIn-Version", "202406") // this call's own version wins
	resp, _ = client.Do(req)
	resp.Body.Close()

	put, _ := http.NewRequest(http.MethodPut, srv.URL+"/upload/abc", strings.NewReader("bytes"))
	resp, _ = client.Do(put)
	resp.Body.Close()
	// Output:
	// GET [2.0.0] [202601] adsync/2.1 linkedin-go/0.1.0
	// GET [2.0.0] [202406] adsync/2.1 linkedin-go/0.1.0
	// PUT [] [] adsync/2.1 linkedin-go/0.1.0
}

// A finder whose query is too long for LinkedIn travels as a POST with the
// query in a form body; the server sees the original GET.
func ExampleQueryTunnel() {
	srv, c := exampleEcho(func(r *http.Request, body []byte) {
		fmt.Println(r.Method, r.Header.Get("X-HTTP-Method-Override"), r.Header.Get("Content-Type"))
		fmt.Println(r.URL.RawQuery == "", strings.HasPrefix(string(body), "q=search&ids=List("), len(body))
	})
	defer srv.Close()
	client := &http.Client{Transport: middleware.QueryTunnel(middleware.TunnelOptions{})(c.Transport)}

	ids := strings.TrimSuffix(strings.Repeat("urn%3Ali%3Aperson%3A1234567,", 200), ",")
	resp, err := client.Get(srv.URL + "/people?q=search&ids=List(" + ids + ")")
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	// Output:
	// POST GET application/x-www-form-urlencoded
	// true true 5618
}

// Logging writes one line per attempt; query values and headers outside the
// allow-list are redacted, and credentials never appear.
func ExampleLogging() {
	srv, c := exampleEcho(func(*http.Request, []byte) {})
	defer srv.Close()
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			switch a.Key { // drop what changes from run to run
			case "time", "duration", "Date":
				return slog.Attr{}
			case "url":
				a.Value = slog.StringValue(strings.Replace(a.Value.String(), srv.URL, "http://server", 1))
			}
			return a
		},
	}))
	client := &http.Client{Transport: middleware.Logging(logger, middleware.LoggingOptions{})(c.Transport)}

	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/adAccounts?q=search&search=(name:acme)&count=10", nil)
	req.Header.Set("Authorization", "Bearer secret-token")
	req.Header.Set("X-RestLi-Method", "finder")
	resp, _ := client.Do(req)
	resp.Body.Close()
	// Output:
	// level=INFO msg="linkedin http attempt" method=GET url="http://server/adAccounts?q=search&search=REDACTED&count=10" status=200 attempt=0 restli.method=finder request.headers.Authorization="Bearer REDACTED" request.headers.X-Restli-Method=finder response.headers.Content-Length=0
}

// RateLimit spaces out requests client-side; each waits for a token and
// gives up when its context ends.
func ExampleRateLimit() {
	srv, c := exampleEcho(func(*http.Request, []byte) {})
	defer srv.Close()
	limiter := rate.NewLimiter(rate.Limit(50), 5) // 50 requests per second, bursts of 5
	client := &http.Client{Transport: middleware.RateLimit(limiter)(c.Transport)}

	for range 3 {
		resp, err := client.Get(srv.URL + "/me")
		if err != nil {
			fmt.Println(err)
			return
		}
		resp.Body.Close()
		fmt.Println(resp.Status)
	}
	// Output:
	// 200 OK
	// 200 OK
	// 200 OK
}
