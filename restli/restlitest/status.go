// Validation of the HTTP statuses tests give the server (Fault.Status,
// Error.Status): a status net/http cannot send is an error, never a panic
// inside the test's server.

package restlitest

import (
	"fmt"
	"strconv"
)

// CodeInvalidTestStatus is the error code of the 500 the server answers
// when a fault policy or a handler asks for a status outside 100–999.
const CodeInvalidTestStatus = "INVALID_TEST_STATUS"

// checkStatus returns an error for a status that is neither 0 (the
// default) nor within 100–999.
func checkStatus(field string, status int) error {
	if status == 0 || status >= 100 && status <= 999 {
		return nil
	}
	return fmt.Errorf("restlitest: %s %d is not an HTTP status (want 100–999)", field, status)
}

// invalidStatusResponse is the answer in place of one whose status
// net/http would refuse (WriteHeader panics on it).
func invalidStatusResponse(status int) *response {
	r := errorResponse(&Error{Status: 500, Code: CodeInvalidTestStatus,
		Message: "restlitest: a Fault or Error asked for status " + strconv.Itoa(status) + ", which is not an HTTP status (want 100–999)"})
	return r
}
