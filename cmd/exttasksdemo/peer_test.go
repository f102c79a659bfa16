package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A peerStep is one line of what testdata/peers/ext-tasks-client.mjs
// prints.
type peerStep struct {
	Step   string          `json:"step"`
	OK     bool            `json:"ok"`
	Result json.RawMessage `json:"result"`
	Error  struct {
		Code    *int64 `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// extTasksPeer finds node and the official requester library installed by
// `npm ci` in testdata/peers; without them the test is skipped, except
// under CI.
func extTasksPeer(t *testing.T) (node, dir string) {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata", "peers"))
	if err != nil {
		t.Fatal(err)
	}
	node, nodeErr := exec.LookPath("node")
	_, libErr := os.Stat(filepath.Join(dir, "node_modules", "@modelcontextprotocol", "ext-tasks", "package.json"))
	if nodeErr != nil || libErr != nil {
		msg := "the ext-tasks peer needs node and `npm ci` in testdata/peers"
		if os.Getenv("CI") != "" {
			t.Fatalf("%s: node: %v; ext-tasks: %v", msg, nodeErr, libErr)
		}
		t.Skipf("%s: node: %v; ext-tasks: %v", msg, nodeErr, libErr)
	}
	return node, dir
}

// runPeer runs the client script in one mode and returns its steps by name.
func runPeer(t *testing.T, node, dir string, args ...string) map[string]peerStep {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, append([]string{"ext-tasks-client.mjs"}, args...)...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	t.Logf("node ext-tasks-client.mjs %s: %v", args[1], time.Since(start).Round(time.Millisecond))
	if err != nil {
		t.Fatalf("client: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	steps := map[string]peerStep{}
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var s peerStep
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			t.Fatalf("client printed %q: %v", sc.Text(), err)
		}
		steps[s.Step] = s
	}
	if t.Failed() || len(steps) == 0 {
		t.Logf("stderr:\n%s", stderr.String())
	}
	return steps
}

// want decodes a step that must have succeeded.
func (s peerStep) want(t *testing.T, into any) {
	t.Helper()
	if !s.OK {
		t.Fatalf("step %s failed: %s (code %v)", s.Step, s.Error.Message, s.Error.Code)
	}
	if err := json.Unmarshal(s.Result, into); err != nil {
		t.Fatalf("step %s: %v: %s", s.Step, err, s.Result)
	}
}

// wantUnknownTask checks a step that must have been answered -32602.
func (s peerStep) wantUnknownTask(t *testing.T) {
	t.Helper()
	if s.OK || s.Error.Code == nil || *s.Error.Code != -32602 || !strings.Contains(s.Error.Message, "unknown task") {
		t.Errorf("step %s: ok %v, error %v %q, want -32602 unknown task", s.Step, s.OK, s.Error.Code, s.Error.Message)
	}
}

type peerOutcome struct {
	Kind    string `json:"kind"`
	Status  string `json:"status"`
	Text    string `json:"text"`
	IsError bool   `json:"isError"`
	Answers []struct {
		Kind, Message, Scope, Delivery, TaskID string
	} `json:"answers"`
	ServerStatus string `json:"serverStatus"`
}

// TestExtTasksPeer drives the server with the official requester library
// (@modelcontextprotocol/ext-tasks 0.2.2 on @modelcontextprotocol/client
// 2.4.0) over HTTP: tools run to completion as tasks, input is routed
// through its application input handler to tasks/update, a cancel ends a
// task cancelled, a second process resumes a task from its serialized
// reference, and two bearer tokens (two owners) see only their own tasks.
func TestExtTasksPeer(t *testing.T) {
	node, dir := extTasksPeer(t)
	url := startServer(t, Config{Logf: t.Logf, Owners: map[string]string{"token-a": "alice", "token-b": "bob"}})

	steps := runPeer(t, node, dir, url, "run", "token-a")
	var caps struct{ Execution, Cancellation, InputResponses bool }
	steps["capabilities"].want(t, &caps)
	if !caps.Execution || !caps.Cancellation || !caps.InputResponses {
		t.Errorf("the library sees task capabilities %+v", caps)
	}
	for name, want := range map[string]peerOutcome{
		"complete":    {Kind: "task", Status: "completed", Text: `slow_compute "peer" finished after 0.3s`},
		"input":       {Kind: "task", Status: "completed", Text: "Deleted notes.txt."},
		"multi-input": {Kind: "task", Status: "completed", Text: "multi_input received first=Ada, second=Ada"},
		"tool-error":  {Kind: "task", Status: "completed", Text: "failing_job: the job failed (simulated tool error)", IsError: true},
		"cancel":      {Kind: "task", Status: "cancelled", ServerStatus: "cancelled"},
	} {
		var got peerOutcome
		steps[name].want(t, &got)
		if got.Kind != want.Kind || got.Status != want.Status || got.Text != want.Text || got.IsError != want.IsError || got.ServerStatus != want.ServerStatus {
			t.Errorf("%s: %+v, want %+v", name, got, want)
		}
	}
	// Input reached the application's handler from inside the task, as
	// task updates: one request for confirm_delete, two for multi_input.
	for name, n := range map[string]int{"input": 1, "multi-input": 2} {
		var got peerOutcome
		steps[name].want(t, &got)
		if len(got.Answers) != n {
			t.Fatalf("%s: the input handler was asked %d times, want %d", name, len(got.Answers), n)
		}
		for _, a := range got.Answers {
			if a.Kind != "elicitation" || a.Scope != "task" || a.Delivery != "task-update" || a.TaskID == "" {
				t.Errorf("%s: input %+v, want an elicitation delivered as a task update", name, a)
			}
		}
	}

	ref := steps["reference"]
	if !ref.OK {
		t.Fatalf("no reference: %s", ref.Error.Message)
	}
	// Another owner cannot resume it: the server answers as for an
	// unknown id. Its owner can, from a new process.
	runPeer(t, node, dir, url, "resume", "token-b", string(ref.Result))["resume"].wantUnknownTask(t)
	var resumed peerOutcome
	runPeer(t, node, dir, url, "resume", "token-a", string(ref.Result))["resume"].want(t, &resumed)
	if resumed.Kind != "task" || resumed.Status != "completed" || resumed.Text != `slow_compute "resumed" finished after 1.5s` {
		t.Errorf("resumed task: %+v", resumed)
	}

	owners := runPeer(t, node, dir, url, "owners", "token-a", "token-b")
	var status string
	owners["a-sees-own"].want(t, &status)
	if status != "working" {
		t.Errorf("alice's own task: %s", status)
	}
	owners["b-get-other"].wantUnknownTask(t)
	owners["b-cancel-other"].wantUnknownTask(t)
	owners["a-after-b"].want(t, &status)
	if status != "working" {
		t.Errorf("alice's task after bob's cancel: %s", status)
	}
	owners["a-cancel-own"].want(t, &status)
	if status != "cancelled" {
		t.Errorf("alice's task after her cancel: %s", status)
	}
}
