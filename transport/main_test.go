package transport_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if a test leaves goroutines behind: a layer
// that leaks a timer, a refresh or a connection shows up here.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
