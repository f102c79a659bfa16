package rpcconn

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// A Process is a peer run as a child process and spoken to on its stdin
// and stdout.
type Process struct {
	*Stream
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stderr *lockedBuilder
}

// StartProcess starts cmd, which must not have its stdin, stdout or stderr
// set, and connects a Stream to it.
func StartProcess(cmd *exec.Cmd, onRequest RequestFunc, onNotify func(string, json.RawMessage)) (*Process, error) {
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	p := &Process{cmd: cmd, stdin: stdin, stderr: &lockedBuilder{}}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p.Stream = NewStream(stdout, stdin, 1, onRequest, onNotify)
	return p, nil
}

// Stderr returns what the process wrote to its stderr so far.
func (p *Process) Stderr() string { return p.stderr.String() }

// Close stops answering the process's requests and closes its stdin.
// A process that has not exited after grace is interrupted, and killed
// 2 s later; neither is an error.
func (p *Process) Close(grace time.Duration) {
	p.Stop()
	p.stdin.Close()
	exited := make(chan struct{})
	go func() { p.cmd.Wait(); close(exited) }()
	select {
	case <-exited:
		return
	case <-time.After(grace):
		p.cmd.Process.Signal(os.Interrupt)
	}
	select {
	case <-exited:
	case <-time.After(2 * time.Second):
		p.cmd.Process.Kill()
		<-exited
	}
}

// Dispatch adapts a generated dispatcher's Dispatch, whose error is the
// package's *Error, to a RequestFunc.
func Dispatch[E interface {
	*T
	error
}, T any](dispatch func(context.Context, string, json.RawMessage) (json.RawMessage, E)) RequestFunc {
	return func(ctx context.Context, method string, params json.RawMessage) (json.RawMessage, error) {
		res, rpcErr := dispatch(ctx, method, params)
		if rpcErr != nil {
			return nil, rpcErr
		}
		return res, nil
	}
}

type lockedBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuilder) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuilder) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
