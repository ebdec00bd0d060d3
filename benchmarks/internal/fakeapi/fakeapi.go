// Package fakeapi is the loopback server the benchmarks call: one handler
// that answers the finder of the peer comparison with a small, fixed
// collection, shared by the Go benchmarks (in-process, through
// net/http/httptest) and by the peers runner's server program, so every
// client measured reads the same bytes.
package fakeapi

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// The finder call every client makes, as in cases.json "finder".
const (
	// BasePath is where the versioned API lives; clients use
	// "http://127.0.0.1:<port>" + BasePath as their base URL.
	BasePath = "/rest"
	// Resource is the collection the finder searches.
	Resource = "/adAccounts"
	// Finder is the finder name, sent as q=search.
	Finder = "search"
	// Version is the LinkedIn-Version header value.
	Version = "202401"
	// Token is the bearer token every client sends.
	Token = "dummy-token"
)

// SmallCollection is the finder's answer: three ad accounts and paging, the
// size of a typical first page (about 600 bytes).
var SmallCollection = []byte(`{"elements":[` +
	`{"id":507404993,"name":"Acme Brand Account","status":"ACTIVE","type":"BUSINESS","currency":"USD","reference":"urn:li:organization:123","test":true,"notifiedOnCampaignOptimization":false,"servingStatuses":["RUNNABLE"],"version":{"versionTag":"4"}},` +
	`{"id":507404994,"name":"Acme Draft Account","status":"DRAFT","type":"BUSINESS","currency":"USD","reference":"urn:li:organization:123","test":true,"notifiedOnCampaignOptimization":false,"servingStatuses":["ACCOUNT_TOTAL_BUDGET_HOLD"],"version":{"versionTag":"2"}},` +
	`{"id":507404995,"name":"Acme EU Account","status":"ACTIVE","type":"BUSINESS","currency":"EUR","reference":"urn:li:organization:123","test":true,"notifiedOnCampaignOptimization":true,"servingStatuses":["RUNNABLE"],"version":{"versionTag":"7"}}` +
	`],"paging":{"start":0,"count":5,"total":3,"links":[]}}`)

// Handler answers GET BasePath+Resource?q=search… carrying a bearer token
// with SmallCollection, and anything else with a Rest.li error, so a client
// that builds the wrong request fails loudly instead of being measured.
// Its cost is the same for every client.
func Handler() http.Handler {
	length := strconv.Itoa(len(SmallCollection))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != BasePath+Resource {
			writeError(w, http.StatusNotFound, "no such resource")
			return
		}
		if r.Header.Get("Authorization") != "Bearer "+Token {
			writeError(w, http.StatusUnauthorized, "missing or wrong token")
			return
		}
		if !hasParam(r.URL.RawQuery, "q="+Finder) {
			writeError(w, http.StatusBadRequest, "not the finder")
			return
		}
		h := w.Header()
		h["Content-Type"] = []string{"application/json"}
		h["Content-Length"] = []string{length}
		h["X-Restli-Protocol-Version"] = []string{"2.0.0"}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(SmallCollection)
	})
}

func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"status":%d,"message":%q}`, status, msg)
}

// LargeCollection returns a finder answer of n ad accounts, each like the
// ones in SmallCollection with distinct ids and names, and paging.
func LargeCollection(n int) []byte {
	var b bytes.Buffer
	b.Grow(n * 300)
	b.WriteString(`{"elements":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		status := "ACTIVE"
		if i%3 == 1 {
			status = "DRAFT"
		}
		fmt.Fprintf(&b, `{"id":%d,"name":"Account %d","status":%q,"type":"BUSINESS","currency":"USD","reference":"urn:li:organization:%d","test":false,"notifiedOnCampaignOptimization":%t,"servingStatuses":["RUNNABLE"],"version":{"versionTag":"%d"}}`,
			507400000+i, i, status, 1000+i%97, i%2 == 0, 1+i%9)
	}
	fmt.Fprintf(&b, `],"paging":{"start":0,"count":%d,"total":%d,"links":[]}}`, n, n)
	return b.Bytes()
}

// CheckLoopback returns an error unless rawURL is an http URL whose host is
// a loopback IP address: the benchmarks never send anything elsewhere.
func CheckLoopback(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return err
	}
	if u.Scheme != "http" {
		return fmt.Errorf("benchmark server %q: want an http:// URL", rawURL)
	}
	ip := net.ParseIP(u.Hostname())
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("benchmark server %q: want a loopback IP address such as 127.0.0.1", rawURL)
	}
	return nil
}

// hasParam reports whether the raw query holds the exact pair kv ("k=v").
func hasParam(rawQuery, kv string) bool {
	for rawQuery != "" {
		var pair string
		pair, rawQuery, _ = strings.Cut(rawQuery, "&")
		if pair == kv {
			return true
		}
	}
	return false
}
