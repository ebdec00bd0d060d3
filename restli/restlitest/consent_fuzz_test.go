package restlitest_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/linkedin-go/linkedin/restli/restlitest"
)

// FuzzConsentForm posts arbitrary forms to the consent page: the answer is
// a redirect to the registered redirect URL or a 400 page, never a 5xx, a
// panic or a redirect anywhere else.
func FuzzConsentForm(f *testing.F) {
	srv := restlitest.NewServer(restlitest.WithConsentPage())
	defer srv.Close()
	srv.AddMember(restlitest.Member{ID: "ada", GivenName: "Ada", FamilyName: "Lovelace"})
	cb := srv.URL + restlitest.CallbackPath
	ok := url.Values{"response_type": {"code"}, "client_id": {restlitest.DefaultClientID}, "redirect_uri": {cb},
		"scope": {"openid"}, "state": {"s"}, "member": {"ada"}}
	for _, action := range []string{"allow", "cancel", "other"} {
		v := url.Values{}
		for k, vs := range ok {
			v[k] = vs
		}
		v.Set("action", action)
		f.Add(v.Encode())
	}
	f.Add("%zz&&==")
	f.Add("action=allow&client_id=x")
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest(http.MethodPost, "/oauth/v2/authorization", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		switch w.Code {
		case http.StatusFound:
			loc := w.Header().Get("Location")
			if !strings.HasPrefix(loc, cb+"?") && loc != cb {
				t.Fatalf("redirect to %q, want the registered %s", loc, cb)
			}
		case http.StatusBadRequest:
		default:
			t.Fatalf("status %d for %q", w.Code, body)
		}
	})
}
