package generated

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mcpgen-dev/mcpgen/generated/exttasks"
	"github.com/mcpgen-dev/mcpgen/generated/mcpdraft"
	"github.com/mcpgen-dev/mcpgen/internal/rpcconn"
)

// childEnv, when set in a re-exec of the test binary, makes the test that
// sees it play the client before a restart: it starts a task, prints its
// id and exits.
const childEnv = "MCPGEN_CLIENT_CHILD"

var (
	builtDemos sync.Map // package path → binary or error
	buildOnce  sync.Once
	buildDir   string // removed by TestMain
	buildErr   error
)

// TestMain removes the demos buildDemo built.
func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// buildDemo builds a command of this module once per test run.
func buildDemo(t *testing.T, pkg string) string {
	t.Helper()
	if v, ok := builtDemos.Load(pkg); ok {
		if err, isErr := v.(error); isErr {
			t.Fatal(err)
		}
		return v.(string)
	}
	buildOnce.Do(func() { buildDir, buildErr = os.MkdirTemp("", "mcpgen-client-test") })
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	bin := filepath.Join(buildDir, filepath.Base(pkg))
	out, err := exec.Command("go", "build", "-o", bin, pkg).CombinedOutput()
	if err != nil {
		err = fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
		builtDemos.Store(pkg, err)
		t.Fatal(err)
	}
	builtDemos.Store(pkg, bin)
	return bin
}

// startExtDemo runs cmd/exttasksdemo and returns its endpoint.
func startExtDemo(t *testing.T) string {
	t.Helper()
	cmd := exec.Command(buildDemo(t, "github.com/mcpgen-dev/mcpgen/cmd/exttasksdemo"), "-addr", "127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("exttasksdemo printed no URL: %v", err)
	}
	return strings.TrimSpace(line)
}

// extConn is a client of the tasks extension at url: the 2026-07-28 wire
// with the extension declared on every request.
func extConn(url string) *rpcconn.HTTP {
	return &rpcconn.HTTP{
		URL:             url,
		ProtocolVersion: "2026-07-28",
		Meta: map[string]any{
			"io.modelcontextprotocol/protocolVersion": "2026-07-28",
			"io.modelcontextprotocol/clientInfo":      map[string]any{"name": "mcpgen-client-test", "version": "0"},
			exttasks.ClientCapabilitiesMetaKey: map[string]any{
				"elicitation": map[string]any{},
				"extensions":  map[string]any{exttasks.ExtensionID: map[string]any{}},
			},
		},
	}
}

// toolCall is the params of tools/call; _meta comes from the connection.
func toolCall(name string, args map[string]any) map[string]any {
	if args == nil {
		args = map[string]any{}
	}
	return map[string]any{"name": name, "arguments": args}
}

func resultText(t *testing.T, r *mcpdraft.CallToolResult) string {
	t.Helper()
	var parts []string
	for _, c := range r.Content {
		if tc, ok := c.(*mcpdraft.TextContent); ok {
			parts = append(parts, tc.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// answerForms accepts every elicitation form, filling each string field
// with name and each boolean with true, and counts the keys it answered.
func answerForms(name string, asked map[string]int, mu *sync.Mutex) exttasks.TaskInputFunc {
	return func(ctx context.Context, key string, req exttasks.InputRequest) (exttasks.InputResponse, error) {
		mu.Lock()
		asked[key]++
		mu.Unlock()
		el, ok := req.(*exttasks.ElicitRequest)
		if !ok {
			return nil, fmt.Errorf("input %s: want an elicitation, got %T", key, req)
		}
		form, ok := el.Params.(*exttasks.ElicitRequestFormParams)
		if !ok {
			return nil, fmt.Errorf("input %s: want a form, got %T", key, el.Params)
		}
		content := map[string]exttasks.ElicitResultContentValue{}
		for field, schema := range form.RequestedSchema.Properties {
			if _, isBool := schema.(*exttasks.BooleanSchema); isBool {
				content[field] = exttasks.ElicitResultContentValueBoolean(true)
			} else {
				content[field] = exttasks.ElicitResultContentValueString(name)
			}
		}
		return &exttasks.ElicitResult{Action: exttasks.ElicitResultActionAccept, Content: content}, nil
	}
}

// TestClientExtTasksDemo drives cmd/exttasksdemo over stateless HTTP with
// the generated client of the tasks extension, through every tool it has:
// sync results, tasks polled to completion, a tool error and a protocol
// error, input answered through tasks/update (one key, then two), the
// multi-round-trip call that becomes a task, cancel, and a task resumed
// from its id by a second process after the first one exited.
func TestClientExtTasksDemo(t *testing.T) {
	if url := os.Getenv(childEnv); url != "" {
		extChild(t, url)
		return
	}
	url := startExtDemo(t)
	peer := extConn(url)
	server := &exttasks.ServerCaller{Peer: peer}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	follow := func(t *testing.T, tool string, args map[string]any) (*exttasks.RemoteTask, *[]exttasks.TaskStatus) {
		t.Helper()
		var sync mcpdraft.CallToolResult
		created, err := exttasks.CallAsTask(ctx, peer, "tools/call", toolCall(tool, args), &sync)
		if err != nil {
			t.Fatalf("tools/call %s: %v", tool, err)
		}
		if created == nil {
			t.Fatalf("tools/call %s answered at once, want a task: %s", tool, resultText(t, &sync))
		}
		task, err := exttasks.FollowTask(server, created)
		if err != nil {
			t.Fatal(err)
		}
		task.PollInterval = 20 * time.Millisecond
		statuses := &[]exttasks.TaskStatus{created.Status}
		task.OnStatus = func(s exttasks.Task) {
			if s.Status != (*statuses)[len(*statuses)-1] {
				*statuses = append(*statuses, s.Status)
			}
		}
		return task, statuses
	}

	t.Run("greet answers at once", func(t *testing.T) {
		var res mcpdraft.CallToolResult
		created, err := exttasks.CallAsTask(ctx, peer, "tools/call", toolCall("greet", map[string]any{"name": "Ada"}), &res)
		if err != nil || created != nil {
			t.Fatalf("greet: task %v, err %v", created, err)
		}
		if got := resultText(t, &res); got != "Hello, Ada!" {
			t.Fatalf("greet: %q", got)
		}
	})

	t.Run("slow_compute completes", func(t *testing.T) {
		task, statuses := follow(t, "slow_compute", map[string]any{"seconds": 0.2, "label": "client"})
		var res mcpdraft.CallToolResult
		if err := task.Outcome(ctx, &res); err != nil {
			t.Fatal(err)
		}
		if got := resultText(t, &res); !strings.Contains(got, "client") {
			t.Fatalf("slow_compute result %q does not echo the label", got)
		}
		last, _ := task.Last()
		if last.Status != exttasks.TaskStatusCompleted || (*statuses)[0] != exttasks.TaskStatusWorking {
			t.Fatalf("statuses %v", *statuses)
		}
	})

	t.Run("failing_job completes with isError", func(t *testing.T) {
		task, _ := follow(t, "failing_job", nil)
		var res mcpdraft.CallToolResult
		if err := task.Outcome(ctx, &res); err != nil {
			t.Fatal(err)
		}
		if res.IsError == nil || !*res.IsError {
			t.Fatalf("failing_job: isError not set: %s", resultText(t, &res))
		}
	})

	t.Run("protocol_error_job fails with a JSON-RPC error", func(t *testing.T) {
		task, _ := follow(t, "protocol_error_job", nil)
		var res mcpdraft.CallToolResult
		err := task.Outcome(ctx, &res)
		var rpcErr *exttasks.Error
		if !errors.As(err, &rpcErr) {
			t.Fatalf("protocol_error_job: %v, want a *Error", err)
		}
		if last, _ := task.Last(); last.Status != exttasks.TaskStatusFailed {
			t.Fatalf("protocol_error_job ended %s", last.Status)
		}
		t.Logf("protocol_error_job: %v", rpcErr)
	})

	for _, tc := range []struct {
		tool string
		args map[string]any
		keys []string
		want string
	}{
		{"confirm_delete", map[string]any{"filename": "notes.txt"}, []string{"confirm"}, "Deleted notes.txt."},
		{"multi_input", nil, []string{"first", "second"}, "multi_input received first=Grace, second=Grace"},
	} {
		t.Run(tc.tool+" asks for input", func(t *testing.T) {
			var mu sync.Mutex
			asked := map[string]int{}
			task, statuses := follow(t, tc.tool, tc.args)
			task.Input = answerForms("Grace", asked, &mu)
			var res mcpdraft.CallToolResult
			if err := task.Outcome(ctx, &res); err != nil {
				t.Fatal(err)
			}
			if got := resultText(t, &res); got != tc.want {
				t.Fatalf("%s result %q, want %q", tc.tool, got, tc.want)
			}
			for _, k := range tc.keys {
				if asked[k] != 1 {
					t.Fatalf("input %q answered %d times, want once (all: %v)", k, asked[k], asked)
				}
			}
			if len(asked) != len(tc.keys) {
				t.Fatalf("answered %v, want %v", asked, tc.keys)
			}
			if !containsStatus(*statuses, exttasks.TaskStatusInputRequired) {
				t.Fatalf("statuses %v never input_required", *statuses)
			}
		})
	}

	t.Run("test_tool_with_task: input over MRTR, then a task", func(t *testing.T) {
		var round1 mrtrResult
		created, err := exttasks.CallAsTask(ctx, peer, "tools/call", toolCall("test_tool_with_task", nil), &round1)
		if err != nil || created != nil {
			t.Fatalf("round 1: task %v, err %v", created, err)
		}
		ir, ok := round1.r.(*mcpdraft.InputRequiredResult)
		if !ok || ir.RequestState == "" {
			t.Fatalf("round 1 answered %T, want an InputRequiredResult with requestState", round1.r)
		}
		params := toolCall("test_tool_with_task", nil)
		params["requestState"] = ir.RequestState
		params["inputResponses"] = map[string]any{"user_name": map[string]any{"action": "accept", "content": map[string]any{"name": "Lin"}}}
		var sync mrtrResult
		created, err = exttasks.CallAsTask(ctx, peer, "tools/call", params, &sync)
		if err != nil || created == nil {
			t.Fatalf("round 2: task %v, result %T, err %v", created, sync.r, err)
		}
		task, err := exttasks.FollowTask(server, created)
		if err != nil {
			t.Fatal(err)
		}
		task.PollInterval = 20 * time.Millisecond
		var res mcpdraft.CallToolResult
		if err := task.Outcome(ctx, &res); err != nil {
			t.Fatal(err)
		}
		if got := resultText(t, &res); !strings.Contains(got, "Lin") {
			t.Fatalf("result %q does not name Lin", got)
		}
	})

	t.Run("cancel", func(t *testing.T) {
		task, _ := follow(t, "slow_compute", map[string]any{"seconds": 30, "label": "cancel me"})
		if err := task.Cancel(ctx); err != nil {
			t.Fatal(err)
		}
		var res mcpdraft.CallToolResult
		err := task.Outcome(ctx, &res)
		if last, _ := task.Last(); last.Status != exttasks.TaskStatusCancelled || err == nil {
			t.Fatalf("after cancel: %s, %v", last.Status, err)
		}
	})

	t.Run("resume after a client restart", func(t *testing.T) {
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestClientExtTasksDemo$")
		cmd.Env = append(os.Environ(), childEnv+"="+url)
		id := childTaskID(t, cmd)
		task := exttasks.ResumeTask(server, id)
		task.PollInterval = 20 * time.Millisecond
		var res mcpdraft.CallToolResult
		if err := task.Outcome(ctx, &res); err != nil {
			t.Fatal(err)
		}
		if got := resultText(t, &res); !strings.Contains(got, "resumed") {
			t.Fatalf("resumed task's result %q", got)
		}
	})
}

// extChild starts a task on the demo at url, prints its id and returns,
// as a client that then stops would.
func extChild(t *testing.T, url string) {
	peer := extConn(url)
	var sync mcpdraft.CallToolResult
	created, err := exttasks.CallAsTask(context.Background(), peer, "tools/call", toolCall("slow_compute", map[string]any{"seconds": 0.5, "label": "resumed"}), &sync)
	if err != nil || created == nil {
		t.Fatalf("child: task %v, err %v", created, err)
	}
	fmt.Printf("task %s\n", created.TaskID)
}

// childTaskID runs the first client process and returns the id of the
// task it started, from its line "task ID".
func childTaskID(t *testing.T, cmd *exec.Cmd) string {
	t.Helper()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("first client process: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if id, ok := strings.CutPrefix(line, "task "); ok {
			return id
		}
	}
	t.Fatalf("first client process printed no task id:\n%s", out)
	return ""
}

func containsStatus(list []exttasks.TaskStatus, s exttasks.TaskStatus) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// mrtrResult decodes the answer to a tools/call of the draft revision,
// which may be a CallToolResult or an InputRequiredResult.
type mrtrResult struct {
	r mcpdraft.CallToolResultResponseResult
}

func (m *mrtrResult) UnmarshalJSON(data []byte) error {
	r, err := mcpdraft.UnmarshalCallToolResultResponseResult(data)
	if err == nil {
		m.r = r
	}
	return err
}

var _ json.Unmarshaler = (*mrtrResult)(nil)
