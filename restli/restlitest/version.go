// This file holds how the server spells a version in its answers, as
// LinkedIn does: 426 for a version that is not active, with the version
// written as eight digits.

package restlitest

import (
	"net/http"

	"github.com/linkedin-go/linkedin/restli"
)

// errVersionNotActive is LinkedIn's answer to a LinkedIn-Version that is not
// active: {"status":426,"code":"NONEXISTENT_VERSION","message":"Requested
// version 20240401 is not active"}, the version spelled as eight digits
// (202404 becomes 20240401), and no serviceErrorCode.
func errVersionNotActive(v string) *Error {
	shown := linkedInDate(v)
	if shown == "" {
		shown = headerSafe(v)
	}
	return &Error{Status: http.StatusUpgradeRequired, Code: CodeNonexistentVersion,
		Message: "Requested version " + shown + " is not active"}
}

// linkedInDate returns version v as LinkedIn writes it in messages, eight
// digits: YYYYMM01 for YYYYMM (as LinkedIn's answers show), and YYYYMMRR
// for YYYYMM.RR (this server's guess: no LinkedIn answer for a revision was
// available); "" for a value that is not a version.
func linkedInDate(v string) string {
	if restli.ValidateVersion(v) != nil {
		return ""
	}
	if len(v) == 6 {
		return v + "01"
	}
	return v[:6] + v[7:]
}
