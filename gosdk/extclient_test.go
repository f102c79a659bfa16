package gosdk_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"testing"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	gen "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
	"github.com/mcpgen-dev/mcpgen/gosdk"
)

// extTasksVersion is the tasks client library the peers package pins.
const extTasksVersion = "0.2.2"

// runExtTasksClient runs testdata/peers/ext-tasks-gosdk-client.mjs (the
// tasks client library @modelcontextprotocol/ext-tasks on the SDK Client of
// @modelcontextprotocol/client) with args, and returns its steps by name.
func runExtTasksClient(t *testing.T, args ...string) map[string]tsStep {
	t.Helper()
	node, _ := nodeSetup(t)
	peers := filepath.Join("..", "testdata", "peers")
	pkg, err := os.ReadFile(filepath.Join(peers, "node_modules", "@modelcontextprotocol", "ext-tasks", "package.json"))
	var meta struct{ Version string }
	if err != nil || json.Unmarshal(pkg, &meta) != nil || meta.Version != extTasksVersion {
		msg := "@modelcontextprotocol/ext-tasks " + extTasksVersion + " not installed (cd testdata/peers && npm ci)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	script := filepath.Join(peers, "ext-tasks-gosdk-client.mjs")
	if _, err := os.ReadFile(script); err != nil { // read, so the test cache sees edits
		t.Fatal(err)
	}
	return runNode(t, node, peers, []string{serveEnv + "=stdio"}, append([]string{"ext-tasks-gosdk-client.mjs"}, args...)...)
}

// checkExtTasksRun holds the assertions common to both transports.
func checkExtTasksRun(t *testing.T, steps map[string]tsStep) {
	t.Helper()
	type settled struct {
		Kind     string           `json:"kind"`
		TaskID   string           `json:"taskId"`
		Statuses []gen.TaskStatus `json:"statuses"`
		Status   string           `json:"status"`
		Result   json.RawMessage  `json:"result"`
		Task     json.RawMessage  `json:"task"`
	}
	get := func(name string) settled {
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
	if caps := dig(decode(t, steps["connect"].Result), "capabilities", "tasks", "requests", "tools", "call"); caps == nil {
		t.Errorf("connect: no tasks.requests.tools.call in %s", steps["connect"].Result)
	}
	complete := get("complete")
	var res gen.CallToolResult
	if complete.Kind != "task" || complete.TaskID == "" || complete.Status != "completed" || res.UnmarshalJSON(complete.Result) != nil ||
		len(res.Content) != 1 || res.Content[0].(*gen.TextContent).Text != "slow done: ext" {
		t.Errorf("complete: %+v", complete)
	}
	if !slices.Contains(complete.Statuses, gen.TaskStatusWorking) {
		t.Errorf("complete: statuses %q never working", complete.Statuses)
	}
	required := get("required")
	if required.Kind != "task" || required.Status != "completed" || dig(decode(t, required.Result), "structuredContent", "summary") != "report on tides" {
		t.Errorf("required: %+v", required)
	}
	cancelled := get("cancel")
	if cancelled.Kind != "task" || cancelled.TaskID == "" || cancelled.Status != "cancelled" || !slices.Contains(cancelled.Statuses, gen.TaskStatusWorking) {
		t.Errorf("cancel: %+v", cancelled)
	}
	if s := steps["errors"]; !s.OK || string(s.Result) != "[]" {
		t.Errorf("the library reported errors: %s", s.Result)
	}
}

func decode(t *testing.T, raw json.RawMessage) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	return v
}

// TestExtTasksClientStdio: the tasks client library runs, follows and
// cancels tasks of a go-sdk server (this test binary, spawned) over stdio.
func TestExtTasksClientStdio(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	checkExtTasksRun(t, runExtTasksClient(t, "stdio", exe))
}

// TestExtTasksClientStreamableHTTP: the same over Streamable HTTP.
func TestExtTasksClientStreamableHTTP(t *testing.T) {
	srv, tasks := newServer(nil, nil)
	defer tasks.Close(context.Background())
	h := sdk.NewStreamableHTTPHandler(func(*http.Request) *sdk.Server { return srv }, nil)
	hs := httptest.NewServer(gosdk.WrapHTTPHandler(h))
	defer hs.Close()
	checkExtTasksRun(t, runExtTasksClient(t, "http", hs.URL))
	if n := tasks.Engine().RunningTasks(); n != 0 {
		t.Errorf("%d tasks still running after the client settled them all", n)
	}
}
