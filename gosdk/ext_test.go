package gosdk_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	ext "github.com/mcpgen-dev/mcpgen/generated/exttasks"
	"github.com/mcpgen-dev/mcpgen/gosdk"
)

// newExtServer returns a go-sdk server with the tasks extension: "slow"
// (optional) and "confirm" (required; asks the client through the task).
func newExtServer(t setupT) (*sdk.Server, *gosdk.ExtTasks) {
	t.Helper()
	s, tasks := newExtTasks(t)
	must(gosdk.AddExtTool(tasks, &sdk.Tool{Name: "slow"}, slowTool, ext.TaskOptional))
	must(gosdk.AddExtTool(tasks, &sdk.Tool{Name: "confirm"},
		func(ctx context.Context, req *sdk.CallToolRequest, in textArgs) (*sdk.CallToolResult, any, error) {
			run := gosdk.ExtTaskRun(ctx)
			if run == nil {
				return nil, nil, fmt.Errorf("not run as a task")
			}
			answers, err := run.Ask(ctx, ext.InputRequests{"ok": &ext.ElicitRequest{
				Params: &ext.ElicitRequestFormParams{Message: "Really " + in.Text + "?"},
			}})
			if err != nil {
				return nil, nil, err
			}
			if a, ok := answers["ok"].(*ext.ElicitResult); !ok || a.Action != ext.ElicitResultActionAccept {
				return text("kept"), nil, nil
			}
			return text("done: " + in.Text), nil, nil
		}, ext.TaskRequired))
	return s, tasks
}

// setupT is what the server set-up needs of a *testing.T; TestMain's
// stdio server has a processT instead.
type setupT interface {
	Helper()
	Fatal(args ...any)
	Cleanup(func())
}

// processT is a setupT for a whole process: Fatal exits, and the clean-ups
// run at Close.
type processT struct{ cleanups []func() }

func (*processT) Helper()            {}
func (*processT) Fatal(args ...any)  { fmt.Fprintln(os.Stderr, args...); os.Exit(1) }
func (p *processT) Cleanup(f func()) { p.cleanups = append(p.cleanups, f) }
func (p *processT) Close() {
	for _, f := range slices.Backward(p.cleanups) {
		f()
	}
}

// newExtTasks returns a go-sdk server with the tasks extension, closed
// when t ends.
func newExtTasks(t setupT) (*sdk.Server, *gosdk.ExtTasks) {
	t.Helper()
	s := sdk.NewServer(&sdk.Implementation{Name: "gosdk-ext", Version: "0.1.0"}, nil)
	tasks, err := gosdk.NewExt(s, ext.EngineConfig{PollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tasks.Close(context.Background()) })
	return s, tasks
}

// extMeta is the per-request _meta of a 2026-07-28 request; withExt
// declares the tasks extension among the client's capabilities.
func extMeta(withExt bool) map[string]any {
	caps := map[string]any{}
	if withExt {
		caps["extensions"] = map[string]any{ext.ExtensionID: map[string]any{}}
	}
	return map[string]any{
		"io.modelcontextprotocol/protocolVersion":    "2026-07-28",
		"io.modelcontextprotocol/clientCapabilities": caps,
		"io.modelcontextprotocol/clientInfo":         map[string]any{"name": "raw", "version": "0"},
	}
}

// TestExtTasksSessionless: go-sdk v1.8.0 carries the tasks extension's
// 2026-07-28 requests, with no initialize: server/discover advertises the
// extension, a declared client's tools/call is answered with a task
// (resultType "task") that tasks/get follows to its inlined result, input
// goes through inputRequests and tasks/update, tasks/cancel cancels, and a
// client that did not declare the extension gets results.
func TestExtTasksSessionless(t *testing.T) {
	srv, _ := newExtServer(t)
	checkExtSessionless(t, connectRaw(t, srv, nil))
}

// TestExtTasksSessionlessStdio: the same over stdio, to a go-sdk server in
// another process (this test binary) on go-sdk's own StdioTransport.
func TestExtTasksSessionlessStdio(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), serveEnv+"=ext-stdio")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		if err := cmd.Wait(); err != nil {
			t.Errorf("the stdio server: %v", err)
		}
	})
	conn, err := (&sdk.IOTransport{Reader: stdout, Writer: stdin}).Connect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	checkExtSessionless(t, &rawClient{t: t, conn: conn})
}

func checkExtSessionless(t *testing.T, c *rawClient) {
	t.Helper()

	disc := c.mustCall("server/discover", map[string]any{"_meta": extMeta(true)})
	if dig(disc, "capabilities", "extensions", ext.ExtensionID) == nil {
		t.Errorf("server/discover: %v lacks the extension", disc)
	}

	created := c.mustCall("tools/call", map[string]any{"name": "slow", "arguments": map[string]any{"ms": 200, "text": "ext"}, "_meta": extMeta(true)})
	id, _ := created["taskId"].(string)
	if created["resultType"] != "task" || id == "" {
		t.Fatalf("tools/call of a declared client: %v, want a task", created)
	}
	got := pollExt(t, c, id, "completed")
	if dig(got, "result", "content", 0, "text") != "slow done: ext" {
		t.Errorf("tasks/get of the completed task: %v", got)
	}

	plain := c.mustCall("tools/call", map[string]any{"name": "slow", "arguments": map[string]any{"ms": 1, "text": "x"}, "_meta": extMeta(false)})
	if plain["resultType"] != "complete" || dig(plain, "content", 0, "text") != "slow done: x" {
		t.Errorf("tools/call of a client without the extension: %v", plain)
	}
	c.wantError("tools/call", map[string]any{"name": "confirm", "arguments": map[string]any{"text": "x"}, "_meta": extMeta(false)}, -32021)

	created = c.mustCall("tools/call", map[string]any{"name": "confirm", "arguments": map[string]any{"text": "delete"}, "_meta": extMeta(true)})
	id, _ = created["taskId"].(string)
	asked := pollExt(t, c, id, "input_required")
	if dig(asked, "inputRequests", "ok", "params", "message") != "Really delete?" {
		t.Fatalf("tasks/get of the asking task: %v", asked)
	}
	c.mustCall("tasks/update", map[string]any{"taskId": id, "inputResponses": map[string]any{"ok": map[string]any{"action": "accept", "content": map[string]any{}}}, "_meta": extMeta(true)})
	if got := pollExt(t, c, id, "completed"); dig(got, "result", "content", 0, "text") != "done: delete" {
		t.Errorf("tasks/get after tasks/update: %v", got)
	}

	created = c.mustCall("tools/call", map[string]any{"name": "slow", "arguments": map[string]any{"ms": 30000, "text": "never"}, "_meta": extMeta(true)})
	id, _ = created["taskId"].(string)
	c.mustCall("tasks/cancel", map[string]any{"taskId": id, "_meta": extMeta(true)})
	pollExt(t, c, id, "cancelled")
	c.wantError("tasks/get", map[string]any{"taskId": "nope", "_meta": extMeta(true)}, -32602)
}

// pollExt polls tasks/get until the task's status is want.
func pollExt(t *testing.T, c *rawClient, id, want string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := c.mustCall("tasks/get", map[string]any{"taskId": id, "_meta": extMeta(true)})
		if got["status"] == want {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("tasks/get %s: %v, never %s", id, got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestOneDesignPerServer: the two designs share method names, which go-sdk
// gives one handler per server.
func TestOneDesignPerServer(t *testing.T) {
	s := sdk.NewServer(&sdk.Implementation{Name: "both", Version: "0"}, nil)
	tasks, err := gosdk.New(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tasks.Close(context.Background())
	if _, err := gosdk.NewExt(s, ext.EngineConfig{}); err == nil {
		t.Error("NewExt accepted a server New was given")
	}
	if _, err := gosdk.New(s, nil); err == nil {
		t.Error("New accepted a server twice")
	}
	if err := gosdk.AddTool(tasks, &sdk.Tool{Name: "x"}, slowTool, "sometimes"); err == nil {
		t.Error("AddTool accepted taskSupport \"sometimes\"")
	}
	_, extTasks := newExtTasks(t)
	if err := gosdk.AddExtTool(extTasks, &sdk.Tool{Name: "x"}, slowTool, ext.TaskSupport(7)); err == nil {
		t.Error("AddExtTool accepted task support 7")
	}
}

type computeArgs struct {
	Seconds float64 `json:"seconds"`
	Label   string  `json:"label,omitempty"`
}

// newExtLibraryServer has the tools testdata/peers/ext-tasks-client.mjs
// calls, as go-sdk tools.
func newExtLibraryServer(t *testing.T) *sdk.Server {
	t.Helper()
	s, tasks := newExtTasks(t)
	must(gosdk.AddExtTool(tasks, &sdk.Tool{Name: "slow_compute"},
		func(ctx context.Context, req *sdk.CallToolRequest, in computeArgs) (*sdk.CallToolResult, any, error) {
			select {
			case <-time.After(time.Duration(in.Seconds * float64(time.Second))):
			case <-ctx.Done():
				return nil, nil, ctx.Err()
			}
			return text(fmt.Sprintf("slow_compute %q finished after %gs", in.Label, in.Seconds)), nil, nil
		}, ext.TaskOptional))
	must(gosdk.AddExtTool(tasks, &sdk.Tool{Name: "failing_job"},
		func(ctx context.Context, req *sdk.CallToolRequest, in struct{}) (*sdk.CallToolResult, any, error) {
			return nil, nil, fmt.Errorf("failing_job: the job failed")
		}, ext.TaskRequired))
	ask := func(ctx context.Context, keys ...string) (map[string]*ext.ElicitResult, error) {
		run := gosdk.ExtTaskRun(ctx)
		if run == nil {
			return nil, fmt.Errorf("not run as a task")
		}
		reqs := ext.InputRequests{}
		for _, k := range keys {
			reqs[k] = &ext.ElicitRequest{Params: &ext.ElicitRequestFormParams{Message: "Answer " + k + "?"}}
		}
		answers, err := run.Ask(ctx, reqs)
		if err != nil {
			return nil, err
		}
		out := map[string]*ext.ElicitResult{}
		for _, k := range keys {
			a, ok := answers[k].(*ext.ElicitResult)
			if !ok {
				return nil, fmt.Errorf("input %s: %T", k, answers[k])
			}
			out[k] = a
		}
		return out, nil
	}
	must(gosdk.AddExtTool(tasks, &sdk.Tool{Name: "confirm_delete"},
		func(ctx context.Context, req *sdk.CallToolRequest, in struct {
			Filename string `json:"filename"`
		}) (*sdk.CallToolResult, any, error) {
			a, err := ask(ctx, "confirm")
			if err != nil {
				return nil, nil, err
			}
			if a["confirm"].Action != ext.ElicitResultActionAccept {
				return text("Kept " + in.Filename), nil, nil
			}
			return text("Deleted " + in.Filename + "."), nil, nil
		}, ext.TaskOptional))
	must(gosdk.AddExtTool(tasks, &sdk.Tool{Name: "multi_input"},
		func(ctx context.Context, req *sdk.CallToolRequest, in struct{}) (*sdk.CallToolResult, any, error) {
			a, err := ask(ctx, "first", "second")
			if err != nil {
				return nil, nil, err
			}
			return text(fmt.Sprintf("multi_input received first=%v, second=%v", a["first"].Content["name"], a["second"].Content["name"])), nil, nil
		}, ext.TaskOptional))
	return s
}

// TestExtTasksLibraryStatelessHTTP: the tasks client library (ext-tasks
// 0.2.2 on @modelcontextprotocol/client 2.4.0, pinned to 2026-07-28) runs
// tasks to completion, through input requests, to a tool error and to a
// cancel, on a go-sdk server over stateless Streamable HTTP. JSONResponse:
// the script's raw dispatch reads each answer as one JSON body, not as
// go-sdk's default event stream.
func TestExtTasksLibraryStatelessHTTP(t *testing.T) {
	node, _ := nodeSetup(t)
	srv := newExtLibraryServer(t)
	h := sdk.NewStreamableHTTPHandler(func(*http.Request) *sdk.Server { return srv }, &sdk.StreamableHTTPOptions{Stateless: true, JSONResponse: true})
	hs := httptest.NewServer(h)
	defer hs.Close()
	steps := runNode(t, node, filepath.Join("..", "testdata", "peers"), nil, "ext-tasks-client.mjs", hs.URL, "run")
	result := func(name string) map[string]any {
		t.Helper()
		s, ok := steps[name]
		if !ok || !s.OK {
			t.Fatalf("step %s: %+v", name, s)
		}
		var v map[string]any
		if err := json.Unmarshal(s.Result, &v); err != nil {
			t.Fatalf("step %s: %v", name, err)
		}
		return v
	}
	if got := result("complete"); got["kind"] != "task" || got["status"] != "completed" || got["text"] != `slow_compute "peer" finished after 0.3s` {
		t.Errorf("complete: %v", got)
	}
	if got := result("input"); got["status"] != "completed" || got["text"] != "Deleted notes.txt." || len(got["answers"].([]any)) != 1 {
		t.Errorf("input: %v", got)
	}
	if got := result("multi-input"); got["status"] != "completed" || got["text"] != "multi_input received first=Ada, second=Ada" {
		t.Errorf("multi-input: %v", got)
	}
	if got := result("tool-error"); got["status"] != "completed" || got["isError"] != true {
		t.Errorf("tool-error: %v", got)
	}
	if got := result("cancel"); got["status"] != "cancelled" || got["serverStatus"] != "cancelled" {
		t.Errorf("cancel: %v", got)
	}
}
