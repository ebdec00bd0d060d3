// Package redistest starts Redis servers for tests: an embedded miniredis
// (always available), and real redis-server processes when the binary is on
// PATH. Set LINKEDIN_REQUIRE_REDIS=1 to make a missing redis-server a test
// failure instead of a skip.
package redistest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// RequireEnv is the environment variable that turns a missing redis-server
// into a failure.
const RequireEnv = "LINKEDIN_REQUIRE_REDIS"

// Server is one Redis server for a test.
type Server struct {
	// Kind is "miniredis", "redis-tcp" or "redis-unix".
	Kind string
	// Network and Addr are what a client dials ("tcp" or "unix").
	Network, Addr string
	// Mini is the embedded server, for Kind "miniredis".
	Mini *miniredis.Miniredis

	mu   sync.Mutex
	cmd  *exec.Cmd
	args []string
	dir  string
}

// Required reports whether LINKEDIN_REQUIRE_REDIS asks for a real Redis.
func Required() bool { return os.Getenv(RequireEnv) == "1" }

// Mini starts an embedded miniredis whose TTLs follow its clock.
func Mini(t testing.TB) *Server {
	t.Helper()
	m := miniredis.RunT(t)
	m.ClockTTL(true)
	return &Server{Kind: "miniredis", Network: "tcp", Addr: m.Addr(), Mini: m}
}

// Binary returns the path of redis-server, or "" when it is not installed.
func Binary() string {
	p, err := exec.LookPath("redis-server")
	if err != nil {
		return ""
	}
	return p
}

// Real starts a redis-server process listening on a unix socket (unix
// true) or a free loopback port, in a temporary directory, with
// persistence off. It is stopped by PID when the test ends. Without
// redis-server the test is skipped, or fails under LINKEDIN_REQUIRE_REDIS=1.
func Real(t testing.TB, unix bool) *Server {
	t.Helper()
	bin := Binary()
	if bin == "" {
		if Required() {
			t.Fatalf("redis-server is not on PATH and %s=1", RequireEnv)
		}
		t.Skip("SKIP real Redis: redis-server not on PATH (set " + RequireEnv + "=1 to fail instead)")
	}
	dir, err := os.MkdirTemp("", "redistest")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{dir: dir}
	args := []string{"--save", "", "--appendonly", "no", "--dir", dir, "--protected-mode", "no"}
	if unix {
		s.Kind, s.Network, s.Addr = "redis-unix", "unix", filepath.Join(dir, "redis.sock")
		args = append(args, "--port", "0", "--unixsocket", s.Addr, "--unixsocketperm", "700")
	} else {
		port, err := freePort()
		if err != nil {
			t.Fatal(err)
		}
		s.Kind, s.Network, s.Addr = "redis-tcp", "tcp", "127.0.0.1:"+strconv.Itoa(port)
		args = append(args, "--port", strconv.Itoa(port), "--bind", "127.0.0.1")
	}
	s.args = append([]string{bin}, args...)
	t.Cleanup(func() {
		s.Stop()
		os.RemoveAll(dir)
	})
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	return s
}

// freePort returns a loopback port that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Start starts the redis-server process (again, after Stop) and waits up to
// 10s until it answers PING.
func (s *Server) Start() error {
	if s.Mini != nil {
		return s.Mini.Restart()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return errors.New("redistest: already running")
	}
	cmd := exec.Command(s.args[0], s.args[1:]...)
	cmd.Dir = s.dir
	if err := cmd.Start(); err != nil {
		return err
	}
	s.cmd = cmd
	c := redis.NewClient(&redis.Options{Network: s.Network, Addr: s.Addr, MaxRetries: -1})
	defer c.Close()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("redistest: redis-server (pid %d) did not answer within 10s", cmd.Process.Pid)
}

// Stop kills the redis-server process by its PID and waits for it; for
// miniredis it closes the listener (Start restarts it, data kept).
func (s *Server) Stop() {
	if s.Mini != nil {
		s.Mini.Close()
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}

// PID returns the redis-server process id, or 0.
func (s *Server) PID() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return 0
	}
	return s.cmd.Process.Pid
}

// Options returns client options for the server, without retries, so that
// an outage is seen at once.
func (s *Server) Options() *redis.Options {
	return &redis.Options{Network: s.Network, Addr: s.Addr, MaxRetries: -1,
		DialTimeout: time.Second, ReadTimeout: 2 * time.Second, WriteTimeout: 2 * time.Second}
}

// Client returns a new client for the server, closed when the test ends.
func (s *Server) Client(t testing.TB) *redis.Client {
	c := redis.NewClient(s.Options())
	t.Cleanup(func() { c.Close() })
	return c
}

// All returns a miniredis server and, when redis-server is installed (or
// required), a real one on a unix socket; the real one is left out, with a
// log line, when it is not installed and not required.
func All(t testing.TB) []*Server {
	t.Helper()
	out := []*Server{Mini(t)}
	if Binary() == "" && !Required() {
		t.Log("SKIP real Redis: redis-server not on PATH (set " + RequireEnv + "=1 to fail instead)")
		return out
	}
	return append(out, Real(t, true))
}
