package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
)

// TestExtTasksClient runs the demo binary under the official tasks client
// library, @modelcontextprotocol/ext-tasks 0.2.2 on the SDK Client of
// @modelcontextprotocol/client 2.4.0 (testdata/peers/ext-tasks-stdio-client.mjs):
// a tool to completion, a task that asks for input (the library's
// application input handler answers, told the task it belongs to), a
// cancel, and a task handed off by one client process and resumed from its
// serialized reference by a second.
//
// The demo speaks stdio alone, and a stdio server is its client's child:
// so that the second client process meets the first one's tasks, the test
// holds one demo process behind a unix socket, which each client reaches
// through stdio-relay.mjs, one after the other, as one connection that the
// client re-opens. Without node or the peers in testdata/peers/node_modules
// the test is skipped, except under CI.
func TestExtTasksClient(t *testing.T) {
	node, peers := nodePeer(t, "ext-tasks")
	if runtime.GOOS == "windows" {
		t.Skip("the relay uses a unix socket")
	}
	bin := filepath.Join(t.TempDir(), "taskdemo")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	// One demo process for both clients.
	server := exec.CommandContext(ctx, bin, "-poll-interval", "50ms")
	var serverLog bytes.Buffer
	server.Stderr = &serverLog
	serverIn, err := server.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	serverOut, err := server.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		serverIn.Close()
		server.Wait()
		if t.Failed() {
			t.Logf("server stderr:\n%s", serverLog.String())
		}
	}()
	sock := filepath.Join(t.TempDir(), "taskdemo.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	relay := newRelay(serverOut)
	go relay.serve(ln, serverIn)

	run := func(args ...string) map[string]tsStep {
		t.Helper()
		cmd := exec.CommandContext(ctx, node, append([]string{"ext-tasks-stdio-client.mjs"}, append(args, node, "stdio-relay.mjs", sock)...)...)
		cmd.Dir = peers
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		if err != nil || t.Failed() {
			t.Logf("client %s stdout:\n%s\nstderr:\n%s", args[0], stdout.String(), stderr.String())
		}
		if err != nil {
			t.Fatalf("ext-tasks-stdio-client.mjs %s: %v", args[0], err)
		}
		steps := map[string]tsStep{}
		sc := bufio.NewScanner(&stdout)
		sc.Buffer(nil, 16<<20)
		for sc.Scan() {
			var s tsStep
			if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
				t.Fatalf("client line is not a step: %v: %s", err, sc.Text())
			}
			steps[s.Step] = s
		}
		return steps
	}
	type settled struct {
		Kind     string           `json:"kind"`
		TaskID   string           `json:"taskId"`
		Statuses []mcp.TaskStatus `json:"statuses"`
		Status   string           `json:"status"`
		Result   json.RawMessage  `json:"result"`
		Task     json.RawMessage  `json:"task"`
		Inputs   []struct {
			Kind     string          `json:"kind"`
			Params   json.RawMessage `json:"params"`
			Scope    string          `json:"scope"`
			Delivery string          `json:"delivery"`
			TaskID   string          `json:"taskId"`
		} `json:"inputs"`
	}
	get := func(steps map[string]tsStep, name string) settled {
		t.Helper()
		s, ok := steps[name]
		if !ok || !s.OK {
			t.Fatalf("step %s: %+v", name, s)
		}
		var out settled
		if err := json.Unmarshal(s.Result, &out); err != nil {
			t.Fatalf("step %s: %v: %s", name, err, s.Result)
		}
		return out
	}
	text := func(name string, raw json.RawMessage) string {
		t.Helper()
		var res mcp.CallToolResult
		if err := res.UnmarshalJSON(raw); err != nil || len(res.Content) != 1 {
			t.Fatalf("%s: result %s (%v)", name, raw, err)
		}
		return res.Content[0].(*mcp.TextContent).Text
	}
	noErrors := func(steps map[string]tsStep) {
		t.Helper()
		if s := steps["errors"]; !s.OK || string(s.Result) != "[]" {
			t.Errorf("the library reported errors: %s", s.Result)
		}
	}

	first := run("first")
	complete := get(first, "complete")
	if complete.Kind != "task" || complete.Status != "completed" || text("complete", complete.Result) != "slow_compute: computed for 0.3s" {
		t.Errorf("complete: %+v", complete)
	}
	input := get(first, "input")
	if input.Status != "completed" || text("input", input.Result) != "confirm_delete: deleted notes.txt" {
		t.Errorf("input: %+v", input)
	}
	if !slices.Contains(input.Statuses, mcp.TaskStatusInputRequired) {
		t.Errorf("input: the library never saw input_required: %q", input.Statuses)
	}
	if len(input.Inputs) != 1 {
		t.Fatalf("input: the input handler was called %d times, want once", len(input.Inputs))
	}
	in := input.Inputs[0]
	var params mcp.ElicitRequestFormParams
	if err := params.UnmarshalJSON(in.Params); err != nil || params.Message != "Delete notes.txt?" {
		t.Errorf("input: the handler got %s (%v)", in.Params, err)
	}
	if in.Kind != "elicitation" || in.Scope != "task" || in.Delivery != "peer-request" || in.TaskID != input.TaskID {
		t.Errorf("input: the library routed the request as %+v, want an elicitation of task %s, delivered as a peer request", in, input.TaskID)
	}
	cancelled := get(first, "cancel")
	if cancelled.Status != "cancelled" || !strings.Contains(string(cancelled.Task), `"status":"cancelled"`) {
		t.Errorf("cancel: %+v", cancelled)
	}
	var handoff struct {
		TaskID    string          `json:"taskId"`
		Reference json.RawMessage `json:"reference"`
	}
	if s := first["handoff"]; !s.OK || json.Unmarshal(s.Result, &handoff) != nil || handoff.TaskID == "" {
		t.Fatalf("handoff: %+v", first["handoff"])
	}
	noErrors(first)

	second := run("resume", string(handoff.Reference))
	resumed := get(second, "resume")
	if resumed.TaskID != handoff.TaskID || resumed.Status != "completed" || text("resume", resumed.Result) != "slow_compute: computed for 4s" {
		t.Errorf("resume: %+v, want task %s completed", resumed, handoff.TaskID)
	}
	if len(resumed.Statuses) == 0 || resumed.Statuses[0] != mcp.TaskStatusWorking {
		t.Errorf("resume: statuses %q, want the task still working when resumed", resumed.Statuses)
	}
	noErrors(second)
	if n := relay.connections(); n != 2 {
		t.Errorf("%d client connections reached the server, want 2", n)
	}
}

// relay joins one server's stdio to the clients that connect to a socket,
// one at a time: what a client writes goes to the server's stdin, what the
// server writes goes to the client connected then (and is dropped while
// none is, as a closed connection would drop it).
type relay struct {
	mu      sync.Mutex
	current net.Conn
	n       int
}

func newRelay(serverOut io.Reader) *relay {
	r := &relay{}
	go func() {
		br := bufio.NewReader(serverOut)
		for {
			line, err := br.ReadBytes('\n')
			if len(line) > 0 {
				r.mu.Lock()
				if r.current != nil {
					r.current.Write(line)
				}
				r.mu.Unlock()
			}
			if err != nil {
				return
			}
		}
	}()
	return r
}

func (r *relay) serve(ln net.Listener, serverIn io.Writer) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		r.mu.Lock()
		r.current = conn
		r.n++
		r.mu.Unlock()
		io.Copy(serverIn, conn)
		r.mu.Lock()
		r.current = nil
		r.mu.Unlock()
		conn.Close()
	}
}

func (r *relay) connections() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}
