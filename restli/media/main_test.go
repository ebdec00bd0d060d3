// This file makes every test of the package fail when it leaves a
// goroutine behind: an upload must stop all its part uploads before it
// returns.

package media_test

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
