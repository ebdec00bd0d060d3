package oauth

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if any test leaves a goroutine behind (a refresh
// that never ends, a response body never closed).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
