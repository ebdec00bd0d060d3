package restlitest_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if a test leaves a goroutine behind: every server
// must be closed, and Close must release every connection and handler.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
