// Package redisserver runs a private redis-server for tests: on a unix
// socket only (--port 0), with persistence off, stopped when the test ends.
package redisserver

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Install is the command that installs redis-server on Debian.
const Install = "apt-get update && apt-get install -y redis-server"

// Server is one redis-server process, restartable on the same socket.
type Server struct {
	Socket string // the unix socket it listens on
	dir    string
	cmd    *exec.Cmd
	exited chan struct{}
}

// Start starts a server for t, or skips t when redis-server is not
// installed (fails it under CI=true).
func Start(t testing.TB) *Server {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("redis-server is not installed (%v); install it with: %s", err, Install)
		}
		t.Skipf("redis-server is not installed; install it with: %s", Install)
	}
	// A short directory: a unix socket's path is limited to ~100 bytes.
	dir, err := os.MkdirTemp("", "redistore")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Socket: filepath.Join(dir, "redis.sock"), dir: dir}
	t.Cleanup(func() {
		s.Stop()
		os.RemoveAll(dir)
	})
	if err := s.start(); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *Server) start() error {
	s.cmd = exec.Command("redis-server", "--port", "0", "--unixsocket", s.Socket,
		"--unixsocketperm", "700", "--save", "", "--appendonly", "no", "--dir", s.dir,
		"--logfile", filepath.Join(s.dir, "redis.log"))
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("start redis-server: %w", err)
	}
	s.exited = make(chan struct{})
	go func(cmd *exec.Cmd, exited chan struct{}) {
		cmd.Wait()
		close(exited)
	}(s.cmd, s.exited)
	c := redis.NewClient(&redis.Options{Network: "unix", Addr: s.Socket, MaxRetries: -1})
	defer c.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := c.Ping(context.Background()).Err()
		if err == nil {
			return nil
		}
		select {
		case <-s.exited:
			log, _ := os.ReadFile(filepath.Join(s.dir, "redis.log"))
			return fmt.Errorf("redis-server exited at start: %s", log)
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("redis-server does not answer on %s: %v", s.Socket, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Stop kills the server (SIGKILL: nothing is saved) and waits for it.
func (s *Server) Stop() {
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Kill()
	<-s.exited
	s.cmd = nil
	os.Remove(s.Socket)
}

// Restart stops the server,
// waits down, and starts an empty one on the same socket.
func (s *Server) Restart(down time.Duration) error {
	s.Stop()
	time.Sleep(down)
	return s.start()
}

// Client returns a client of the server, closed when t ends.
func (s *Server) Client(t testing.TB) *redis.Client {
	c := redis.NewClient(&redis.Options{Network: "unix", Addr: s.Socket})
	t.Cleanup(func() { c.Close() })
	return c
}
