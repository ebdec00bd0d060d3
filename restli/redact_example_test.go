// Examples of the redaction helper.

package restli_test

import (
	"fmt"
	"net/http"

	"github.com/linkedin-go/linkedin/restli"
)

func ExampleRedactURL() {
	fmt.Println(restli.RedactURL("https://TOKEN@api.linkedin.com/rest/adAccounts?q=search&search=(name:acme)&code=abc#f", "q"))
	// Output: https://api.linkedin.com/rest/adAccounts?q=search&search=REDACTED&code=REDACTED
}

func ExampleRedactJSON() {
	fmt.Println(restli.RedactJSON([]byte(`{"access_token":"AQV…","expires_in":5184000,"refresh_token":"AQX…"}`)))
	// Output: {"access_token":"REDACTED","expires_in":5184000,"refresh_token":"REDACTED"}
}

func ExampleRedactRequestText() {
	req, _ := http.NewRequest(http.MethodGet, "https://api.linkedin.com/rest/me", nil)
	req.Header.Set("Authorization", "Bearer AQV-member-token")
	fmt.Println(restli.RedactRequestText("upstream said: token AQV-member-token expired", req))
	// Output: upstream said: token REDACTED expired
}
