// imports_test.go: the core packages import no Redis client: users who do
// not use fleet mode get no new dependency and no connection.

package redisstore

import (
	"os/exec"
	"strings"
	"testing"
)

func TestCorePackagesImportNoRedisClient(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	core := []string{"restli", "middleware", "oauth", "telemetry", "transport"}
	args := []string{"list", "-deps"}
	for _, p := range core {
		args = append(args, "github.com/linkedin-go/linkedin/"+p)
	}
	out, err := exec.Command(goBin, args...).Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.Contains(dep, "redis") {
			t.Errorf("a core package depends on %s", dep)
		}
	}
}
