package examples_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// mustPrint lists, per example, text its output must contain: evidence that
// the example did what it says, not only that it exited 0.
var mustPrint = map[string][]string{
	"quickstart":          {"tunneled: true", "restli.IsNotFound(err): true"},
	"batch-get-tunneling": {"tunneled: true", "5 results, 495 errors"},
	"crud-ad-accounts":    {"404, gone"},
	"custom-middleware":   {"attempt 2 of call-2", "call-3  CREATE /adAccounts → 503"},
	"post-with-media":     {"video: 3/3 parts, 10.0/10.0 MiB", "post with urn:li:video:"},
	"post-text":           {"read back unchanged: true", `unescaped, LinkedIn keeps only: "Release notes "`},
	"webhooks":            {"report OK: true", "processed count: 2", "bad signature                            401  ok"},
	"oauth-member":        {"OnTokenChange", "id_token verified: Ada Lovelace", "Signed in as"},
	"signin":              {"the page shows: Ada Lovelace, with a picture: true"},
	"ads-report":          {"requests: 2 metric groups", "of them tunneled"},
	"fleet":               {"together: 3 workers sent 5 calls for a shared daily budget of 5 (the server received 5)"},
}

// TestExamples runs every program under examples/ with go run against the
// embedded fake server (LINKEDIN_* variables removed from the environment)
// and checks that it exits 0 and prints what it should.
func TestExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs every example; skipped with -short")
	}
	root, err := filepath.Abs("..") // the test runs in examples/
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found: %v", err)
	}
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		if goBin, err = exec.LookPath("go"); err != nil {
			t.Skip("go command not found")
		}
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LINKEDIN_") {
			env = append(env, kv)
		}
	}

	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if _, err := os.Stat(filepath.Join(e.Name(), "main.go")); err != nil {
			continue
		}
		ran++
		t.Run(e.Name(), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, goBin, "run", "./examples/"+e.Name())
			cmd.Dir = root
			cmd.Env = env
			cmd.WaitDelay = 10 * time.Second // the program outlives a killed go run
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("go run ./examples/%s: %v\nstdout:\n%s\nstderr:\n%s", e.Name(), err, &stdout, &stderr)
			}
			out := stdout.String()
			if strings.TrimSpace(out) == "" {
				t.Fatalf("go run ./examples/%s printed nothing; stderr:\n%s", e.Name(), &stderr)
			}
			for _, want := range mustPrint[e.Name()] {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
		})
	}
	if ran < 9 {
		t.Errorf("ran %d examples, want at least 9", ran)
	}
}
