package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os/exec"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
)

// TestDependencies proves the demo is built from the generated package and
// the standard library alone.
func TestDependencies(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	out, err := exec.Command(goTool, "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	got := strings.Fields(string(out))
	want := []string{"github.com/mcpgen-dev/mcpgen/generated/mcp20251125", "github.com/mcpgen-dev/mcpgen/cmd/taskdemo"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("non-standard dependencies = %q, want %q", got, want)
	}
}

// TestInitialize checks the initialize answer (version, capabilities the
// dispatcher then enforces), notifications/initialized (no answer) and ping.
func TestInitialize(t *testing.T) {
	c := startServer(t, nil)
	res := decode[mcp.InitializeResult](t, c.mustCall(mcp.MethodInitialize, map[string]any{
		"protocolVersion": "2025-11-25",
		"capabilities":    map[string]any{},
		"clientInfo":      map[string]any{"name": "test", "version": "1"},
	}))
	if res.ProtocolVersion != "2025-11-25" {
		t.Errorf("protocolVersion = %q", res.ProtocolVersion)
	}
	if res.ServerInfo.Name != "mcpgen-taskdemo" || res.ServerInfo.Version == "" {
		t.Errorf("serverInfo = %+v", res.ServerInfo)
	}
	caps := &res.Capabilities
	if caps.Tools == nil || !caps.TaskAugmentable(mcp.MethodCallTool) || !caps.SupportsTaskList() || !caps.SupportsTaskCancel() {
		t.Errorf("capabilities = %+v, want tools, tasks.list, tasks.cancel, tasks.requests.tools.call", caps)
	}
	c.send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	if got := string(c.mustCall(mcp.MethodPing, nil)); got != "{}" {
		t.Errorf("ping = %s, want {}", got)
	}
	if got := string(c.mustCall(mcp.MethodPing, `{"_meta":{"progressToken":"p"}}`)); got != "{}" {
		t.Errorf("ping with params = %s, want {}", got)
	}
}

// TestToolsList checks the listed tools and their execution.taskSupport;
// hidden test tools stay out.
func TestToolsList(t *testing.T) {
	c := startServer(t, withTestTools(nil))
	res := decode[mcp.ListToolsResult](t, c.mustCall(mcp.MethodListTools, nil))
	var names []string
	support := map[string]string{}
	for _, tool := range res.Tools {
		names = append(names, tool.Name)
		if tool.Execution != nil {
			support[tool.Name] = string(tool.Execution.TaskSupport)
		}
	}
	if want := []string{"slow_compute", "echo", "always_fails", "confirm_delete", "greet"}; !slices.Equal(names, want) {
		t.Errorf("tools = %q, want %q", names, want)
	}
	if want := map[string]string{"slow_compute": "required", "echo": "optional", "always_fails": "optional", "confirm_delete": "required"}; !reflect.DeepEqual(support, want) {
		t.Errorf("taskSupport = %v, want %v (greet without execution)", support, want)
	}
	if res.NextCursor != "" {
		t.Errorf("nextCursor = %q, want none", res.NextCursor)
	}
	c.callErr(mcp.MethodListTools, map[string]any{"cursor": "x"}, mcp.CodeInvalidParams)
}

// TestTaskWorkingToCompleted follows one task from creation (working) to
// completed, through tasks/get, the status notification and tasks/result.
func TestTaskWorkingToCompleted(t *testing.T) {
	c := startServer(t, nil)
	before := time.Now().UTC().Add(-time.Second)
	task := c.startTask("slow_compute", map[string]any{"seconds": 0.2}, int64p(60000))

	if task.Status != mcp.TaskStatusWorking {
		t.Errorf("created status = %q, want working", task.Status)
	}
	if task.TTL == nil || *task.TTL != 60000 {
		t.Errorf("ttl = %v, want 60000", task.TTL)
	}
	if task.PollInterval == nil || *task.PollInterval != 20 {
		t.Errorf("pollInterval = %v, want 20", task.PollInterval)
	}
	if raw, err := base64.RawURLEncoding.DecodeString(task.TaskID); err != nil || len(raw) != 16 {
		t.Errorf("taskId %q is not 128 bits of base64url (%v)", task.TaskID, err)
	}
	created, err := time.Parse(time.RFC3339, task.CreatedAt)
	if err != nil || created.Before(before) || created.After(time.Now().Add(time.Second)) {
		t.Errorf("createdAt %q: %v (not RFC 3339 or not now)", task.CreatedAt, err)
	}
	if task.LastUpdatedAt != task.CreatedAt {
		t.Errorf("lastUpdatedAt %q != createdAt %q on creation", task.LastUpdatedAt, task.CreatedAt)
	}

	statuses, final := c.pollUntilTerminal(task.TaskID)
	if final.Status != mcp.TaskStatusCompleted {
		t.Fatalf("final status = %q (%q), want completed", final.Status, final.StatusMessage)
	}
	if statuses[0] != mcp.TaskStatusWorking {
		t.Errorf("statuses seen %q, want working first", statuses)
	}
	updated, err := time.Parse(time.RFC3339, final.LastUpdatedAt)
	if err != nil || updated.Sub(created) < 150*time.Millisecond {
		t.Errorf("lastUpdatedAt %q, createdAt %q: want ≈ 0.2s later (%v)", final.LastUpdatedAt, final.CreatedAt, err)
	}
	if final.CreatedAt != task.CreatedAt || final.TaskID != task.TaskID || *final.TTL != 60000 {
		t.Errorf("tasks/get changed identity fields: %+v", final)
	}
	if _, ok := mcp.RelatedTaskOf(final.Meta); ok {
		t.Errorf("tasks/get carries related-task _meta; the taskId param is the source of truth")
	}

	n := c.note(task.TaskID, mcp.TaskStatusCompleted)
	if n.LastUpdatedAt != final.LastUpdatedAt || n.CreatedAt != final.CreatedAt || *n.TTL != 60000 {
		t.Errorf("notification %+v disagrees with tasks/get %+v", n, final)
	}

	res := decode[mcp.CallToolResult](t, c.mustCall(mcp.MethodGetTaskPayload, map[string]any{"taskId": task.TaskID}))
	if got := textOf(t, res); got != "slow_compute: computed for 0.2s" {
		t.Errorf("result text = %q", got)
	}
	if rel, ok := mcp.RelatedTaskOf(res.Meta); !ok || rel.TaskID != task.TaskID {
		t.Errorf("tasks/result _meta = %v, want related-task %s", res.Meta, task.TaskID)
	}
	if res.IsError != nil && *res.IsError {
		t.Errorf("isError set on a completed task's result")
	}
}

// TestCancelRunningTask cancels a task while its work runs: the answer is
// already cancelled, the work is stopped, and the task stays cancelled.
func TestCancelRunningTask(t *testing.T) {
	probe := newProbe()
	c := startServer(t, withTestTools(probe))
	task := c.startTask("block", nil, nil)
	probe.waitStarted(t)

	res := decode[mcp.CancelTaskResult](t, c.mustCall(mcp.MethodCancelTask, map[string]any{"taskId": task.TaskID}))
	if res.Status != mcp.TaskStatusCancelled || res.TaskID != task.TaskID || res.StatusMessage == "" {
		t.Errorf("tasks/cancel = %+v, want the task, cancelled, with a statusMessage", res)
	}
	probe.waitStopped(t, context.Canceled)
	c.note(task.TaskID, mcp.TaskStatusCancelled)

	time.Sleep(50 * time.Millisecond) // the work has returned an error: it must not count
	g := c.getTask(task.TaskID)
	if g.Status != mcp.TaskStatusCancelled || g.LastUpdatedAt != res.LastUpdatedAt {
		t.Errorf("after the work stopped, tasks/get = %+v, want cancelled as answered by tasks/cancel", g)
	}
	e := c.callErr(mcp.MethodCancelTask, map[string]any{"taskId": task.TaskID}, mcp.CodeInvalidParams)
	if !strings.Contains(e.Message, "cancelled") {
		t.Errorf("second cancel: %q, want it to name the terminal status", e.Message)
	}
	e = c.callErr(mcp.MethodGetTaskPayload, map[string]any{"taskId": task.TaskID}, mcp.CodeInvalidParams)
	if !strings.Contains(e.Message, "cancelled") {
		t.Errorf("tasks/result of a cancelled task: %q", e.Message)
	}
}

// TestCancelTerminalTask: a completed or failed task cannot be cancelled.
func TestCancelTerminalTask(t *testing.T) {
	c := startServer(t, nil)
	for _, tool := range []string{"echo", "always_fails"} {
		task := c.startTask(tool, map[string]any{"text": "x"}, nil)
		_, final := c.pollUntilTerminal(task.TaskID)
		e := c.callErr(mcp.MethodCancelTask, map[string]any{"taskId": task.TaskID}, mcp.CodeInvalidParams)
		if want := "already " + string(final.Status); !strings.Contains(e.Message, want) {
			t.Errorf("cancel of a %s task: %q, want %q", final.Status, e.Message, want)
		}
		if g := c.getTask(task.TaskID); g.Status != final.Status {
			t.Errorf("refused cancel changed the status to %s", g.Status)
		}
	}
}

// TestTaskResultBlocks: tasks/result waits for the task, while other
// requests (ping, tasks/get) are answered meanwhile.
func TestTaskResultBlocks(t *testing.T) {
	c := startServer(t, nil)
	start := time.Now()
	task := c.startTask("slow_compute", map[string]any{"seconds": 0.3}, nil)
	_, resultCh := c.start(mcp.MethodGetTaskPayload, map[string]any{"taskId": task.TaskID})

	for range 3 {
		c.mustCall(mcp.MethodPing, nil)
		if g := c.getTask(task.TaskID); g.Status != mcp.TaskStatusWorking {
			t.Fatalf("task %s before its time", g.Status)
		}
		select {
		case r := <-resultCh:
			t.Fatalf("tasks/result answered while the task was working: %s", r.line)
		default:
		}
	}
	r := c.wait(resultCh, "tasks/result")
	if elapsed := time.Since(start); elapsed < 250*time.Millisecond {
		t.Errorf("tasks/result answered after %v, before the task could finish", elapsed)
	}
	if r.err != nil {
		t.Fatalf("tasks/result: %+v", r.err)
	}
	res := decode[mcp.CallToolResult](t, r.result)
	if textOf(t, res) != "slow_compute: computed for 0.3s" {
		t.Errorf("result = %s", r.result)
	}
	if rel, ok := mcp.RelatedTaskOf(res.Meta); !ok || rel.TaskID != task.TaskID {
		t.Errorf("tasks/result _meta = %v", res.Meta)
	}
	if g := c.getTask(task.TaskID); g.Status != mcp.TaskStatusCompleted {
		t.Errorf("status after tasks/result = %s", g.Status)
	}
}

// TestTaskResultMatchesPlainCall: tasks/result answers exactly what the plain
// tools/call answers (result, or JSON-RPC error), plus the related-task
// _meta; the task status says completed or failed.
func TestTaskResultMatchesPlainCall(t *testing.T) {
	c := startServer(t, nil)
	for _, tc := range []struct {
		tool   string
		args   map[string]any
		status mcp.TaskStatus
	}{
		{"echo", map[string]any{"text": "héllo <&>"}, mcp.TaskStatusCompleted},
		{"always_fails", map[string]any{}, mcp.TaskStatusFailed},
		{"always_fails", map[string]any{"mode": "result"}, mcp.TaskStatusFailed},
		{"always_fails", map[string]any{"mode": "error"}, mcp.TaskStatusFailed},
	} {
		plainRes, plainErr := c.call(mcp.MethodCallTool, map[string]any{"name": tc.tool, "arguments": tc.args})
		task := c.startTask(tc.tool, tc.args, nil)
		_, final := c.pollUntilTerminal(task.TaskID)
		if final.Status != tc.status {
			t.Errorf("%s %v: status %s, want %s", tc.tool, tc.args, final.Status, tc.status)
		}
		taskRes, taskErr := c.call(mcp.MethodGetTaskPayload, map[string]any{"taskId": task.TaskID})
		if (plainErr == nil) != (taskErr == nil) {
			t.Fatalf("%s %v: plain error %v, task error %v", tc.tool, tc.args, plainErr, taskErr)
		}
		if plainErr != nil {
			if plainErr.Code != taskErr.Code || plainErr.Message != taskErr.Message {
				t.Errorf("%s %v: plain error %d %q, tasks/result error %d %q", tc.tool, tc.args, plainErr.Code, plainErr.Message, taskErr.Code, taskErr.Message)
			}
			if final.StatusMessage != plainErr.Message {
				t.Errorf("%s: statusMessage %q, want the error %q", tc.tool, final.StatusMessage, plainErr.Message)
			}
			continue
		}
		var plain, viaTask map[string]any
		json.Unmarshal(plainRes, &plain)
		json.Unmarshal(taskRes, &viaTask)
		meta, _ := viaTask["_meta"].(map[string]any)
		if rel, _ := meta[mcp.RelatedTaskMetaKey].(map[string]any); rel["taskId"] != task.TaskID {
			t.Errorf("%s: tasks/result _meta = %v", tc.tool, meta)
		}
		delete(meta, mcp.RelatedTaskMetaKey)
		if len(meta) == 0 {
			delete(viaTask, "_meta")
		}
		if !reflect.DeepEqual(plain, viaTask) {
			t.Errorf("%s %v: plain result %s, tasks/result %s", tc.tool, tc.args, plainRes, taskRes)
		}
		if tc.status == mcp.TaskStatusFailed {
			if text := textOf(t, decode[mcp.CallToolResult](t, plainRes)); final.StatusMessage != text {
				t.Errorf("%s: statusMessage %q, want the tool's text %q", tc.tool, final.StatusMessage, text)
			}
		}
	}
}

// TestTasksListPagination lists tasks two per page through opaque cursors,
// in creation order, and refuses cursors the server never issued.
func TestTasksListPagination(t *testing.T) {
	c := startServer(t, nil)
	var created []string
	for i := range 5 {
		created = append(created, c.startTask("echo", map[string]any{"text": strings.Repeat("x", i)}, nil).TaskID)
	}
	var listed []string
	var sizes []int
	var cursors []string
	cursor := ""
	for {
		params := map[string]any{}
		if cursor != "" {
			params["cursor"] = cursor
		}
		page := decode[mcp.ListTasksResult](t, c.mustCall(mcp.MethodListTasks, params))
		sizes = append(sizes, len(page.Tasks))
		for _, task := range page.Tasks {
			listed = append(listed, task.TaskID)
			if task.CreatedAt == "" || task.TTL == nil || !task.Status.Valid() {
				t.Errorf("listed task incomplete: %+v", task)
			}
		}
		if page.NextCursor == "" {
			break
		}
		if slices.Contains(created, page.NextCursor) {
			t.Errorf("cursor %q is a task id, not opaque", page.NextCursor)
		}
		cursors = append(cursors, page.NextCursor)
		cursor = page.NextCursor
		if len(sizes) > 10 {
			t.Fatal("pagination does not end")
		}
	}
	if !slices.Equal(sizes, []int{2, 2, 1}) {
		t.Errorf("page sizes %v, want [2 2 1]", sizes)
	}
	if !slices.Equal(listed, created) {
		t.Errorf("listed %q, want every task once in creation order %q", listed, created)
	}
	// A cursor can be used again.
	again := decode[mcp.ListTasksResult](t, c.mustCall(mcp.MethodListTasks, map[string]any{"cursor": cursors[0]}))
	if len(again.Tasks) != 2 || again.Tasks[0].TaskID != created[2] {
		t.Errorf("reusing the first cursor gave %+v", again.Tasks)
	}
	for _, bad := range []string{"not-a-cursor", base64.RawURLEncoding.EncodeToString([]byte("after:999")), base64.RawURLEncoding.EncodeToString([]byte("after:0")), created[0]} {
		e := c.callErr(mcp.MethodListTasks, map[string]any{"cursor": bad}, mcp.CodeInvalidParams)
		if !strings.Contains(e.Message, "params.cursor") {
			t.Errorf("bad cursor %q: %q, want the path params.cursor", bad, e.Message)
		}
	}
}

// TestTTL: the requested ttl is granted (capped, defaulted) and reported; a
// task is gone once its ttl has passed, and its work stops.
func TestTTL(t *testing.T) {
	probe := newProbe()
	c := startServer(t, func(cfg *Config) {
		withTestTools(probe)(cfg)
		cfg.DefaultTTL = 90 * time.Second
		cfg.MaxTTL = 10 * time.Minute
	})
	var alive []string
	for _, tc := range []struct {
		ask  *int64
		want int64
	}{{nil, 90000}, {int64p(5000), 5000}, {int64p(24 * 3600 * 1000), 600000}, {int64p(1), 1}} {
		task := c.startTask("echo", map[string]any{"text": "t"}, tc.ask)
		if task.TTL == nil || *task.TTL != tc.want {
			t.Errorf("ttl asked %v: granted %v, want %d", tc.ask, task.TTL, tc.want)
		}
		if tc.want > 1000 {
			alive = append(alive, task.TaskID)
		}
	}
	for _, bad := range []string{`0`, `-5`, `1.5`, `"60s"`, `null`} {
		e := c.callErr(mcp.MethodCallTool, `{"name":"echo","arguments":{"text":"t"},"task":{"ttl":`+bad+`}}`, mcp.CodeInvalidParams)
		if !strings.Contains(e.Message, "params.task.ttl") {
			t.Errorf("ttl %s: %q, want the path params.task.ttl", bad, e.Message)
		}
	}

	// A running task expires: unknown everywhere, its work stopped, and a
	// tasks/result waiting on it answered.
	running := c.startTask("block", nil, int64p(300))
	probe.waitStarted(t)
	_, waiter := c.start(mcp.MethodGetTaskPayload, map[string]any{"taskId": running.TaskID})
	done := c.startTask("echo", map[string]any{"text": "t"}, int64p(300))
	c.pollUntilTerminal(done.TaskID)
	if w := c.wait(waiter, "tasks/result of an expiring task"); w.err == nil || w.err.Code != mcp.CodeInvalidParams || !strings.Contains(w.err.Message, "expired") {
		t.Errorf("tasks/result of a task that expired while waited on: %s", w.line)
	}
	probe.waitStopped(t, context.DeadlineExceeded)
	time.Sleep(50 * time.Millisecond)
	for _, id := range []string{running.TaskID, done.TaskID} {
		for _, m := range []string{mcp.MethodGetTask, mcp.MethodGetTaskPayload, mcp.MethodCancelTask} {
			c.callErr(m, map[string]any{"taskId": id}, mcp.CodeInvalidParams)
		}
	}
	var all []string
	cursor := ""
	for {
		page := decode[mcp.ListTasksResult](t, c.mustCall(mcp.MethodListTasks, map[string]any{"cursor": cursor}))
		for _, task := range page.Tasks {
			all = append(all, task.TaskID)
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	if !slices.Equal(all, alive) {
		t.Errorf("tasks/list gives %q, want only the unexpired %q", all, alive)
	}
}

// TestHandlerPanic: a panicking tool is answered -32603, with nothing of
// the panic's value, and the server goes on; as a task, the panic fails the
// task with a generic -32603, the panic's value reaching the log alone.
func TestHandlerPanic(t *testing.T) {
	c := startServer(t, withTestTools(nil))
	e := c.callErr(mcp.MethodCallTool, map[string]any{"name": "panic"}, mcp.CodeInternalError)
	if e.Message != "internal error" {
		t.Errorf("panic answered %q, want only \"internal error\"", e.Message)
	}
	c.mustCall(mcp.MethodPing, nil)
	if got := textOf(t, decode[mcp.CallToolResult](t, c.mustCall(mcp.MethodCallTool, map[string]any{"name": "echo", "arguments": map[string]any{"text": "still here"}}))); got != "still here" {
		t.Errorf("echo after a panic = %q", got)
	}

	task := c.startTask("panic", nil, nil)
	_, final := c.pollUntilTerminal(task.TaskID)
	if final.Status != mcp.TaskStatusFailed || !strings.Contains(final.StatusMessage, "panicked") || strings.Contains(final.StatusMessage, "boom") {
		t.Errorf("panicking task: %+v, want failed, saying it panicked without the panic's value", final)
	}
	e = c.callErr(mcp.MethodGetTaskPayload, map[string]any{"taskId": task.TaskID}, mcp.CodeInternalError)
	if !strings.Contains(e.Message, "panicked") || strings.Contains(e.Message, "boom") {
		t.Errorf("tasks/result of a panicked task: %q", e.Message)
	}
	if !strings.Contains(c.logw.logged(), "boom") {
		t.Errorf("the panic's value is not in the server's log")
	}
	c.mustCall(mcp.MethodPing, nil)
}

// TestMethodNotFound: unknown and unimplemented methods are -32601, and so
// are the taskSupport violations.
func TestMethodNotFound(t *testing.T) {
	c := startServer(t, nil)
	c.callErr("no/such/method", nil, mcp.CodeMethodNotFound)
	c.callErr(mcp.MethodListResources, nil, mcp.CodeMethodNotFound)
	c.callErr(mcp.MethodGetPrompt, map[string]any{"name": "p"}, mcp.CodeMethodNotFound)
	c.send(`{"jsonrpc":"2.0","method":"notifications/no-such"}`) // ignored, unanswered

	e := c.callErr(mcp.MethodCallTool, map[string]any{"name": "slow_compute", "arguments": map[string]any{"seconds": 0.1}}, mcp.CodeMethodNotFound)
	if !strings.Contains(e.Message, "required") {
		t.Errorf("required tool without a task: %q", e.Message)
	}
	e = c.callErr(mcp.MethodCallTool, map[string]any{"name": "greet", "task": map[string]any{}}, mcp.CodeMethodNotFound)
	if !strings.Contains(e.Message, "forbidden") {
		t.Errorf("forbidden tool with a task: %q", e.Message)
	}
	if got := textOf(t, decode[mcp.CallToolResult](t, c.mustCall(mcp.MethodCallTool, map[string]any{"name": "greet"}))); got != "Hello, world!" {
		t.Errorf("greet = %q", got)
	}
	c.mustCall(mcp.MethodPing, nil)
}

// TestInvalidParams: -32602 with the JSON path of the bad value, from the
// generated decoder and from the demo's own checks alike.
func TestInvalidParams(t *testing.T) {
	c := startServer(t, nil)
	for _, tc := range []struct {
		method, params, path string
	}{
		{mcp.MethodCallTool, `{"name":5}`, "params.name"},
		{mcp.MethodCallTool, `{}`, "params.name"},
		{mcp.MethodCallTool, `{"name":"echo","arguments":[1]}`, "params.arguments"},
		{mcp.MethodCallTool, `{"name":"echo","arguments":{"text":5}}`, "params.arguments.text"},
		{mcp.MethodCallTool, `{"name":"echo","arguments":{}}`, "params.arguments.text"},
		{mcp.MethodCallTool, `{"name":"slow_compute","arguments":{"seconds":"x"},"task":{}}`, "params.arguments.seconds"},
		{mcp.MethodCallTool, `{"name":"slow_compute","arguments":{"seconds":-1},"task":{}}`, "params.arguments.seconds"},
		{mcp.MethodCallTool, `{"name":"always_fails","arguments":{"mode":"loud"},"task":{}}`, "params.arguments.mode"},
		{mcp.MethodCallTool, `{"name":"nope"}`, "params.name"},
		{mcp.MethodCallTool, `{"name":"nope","task":{}}`, "params.name"},
		{mcp.MethodCallTool, `{"name":"echo","arguments":{"text":"x"},"task":{"ttl":"x"}}`, "params.task.ttl"},
		{mcp.MethodGetTask, `{"taskId":1}`, "params.taskId"},
		{mcp.MethodGetTask, `{}`, "params.taskId"},
		{mcp.MethodGetTask, ``, "params"},
		{mcp.MethodCancelTask, `{"taskId":true}`, "params.taskId"},
		{mcp.MethodGetTaskPayload, `{"taskId":null}`, "params.taskId"},
		{mcp.MethodListTasks, `{"cursor":5}`, "params.cursor"},
		{mcp.MethodInitialize, `{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"x"}}`, "params.clientInfo.version"},
	} {
		var params any
		if tc.params != "" {
			params = tc.params
		}
		e := c.callErr(tc.method, params, mcp.CodeInvalidParams)
		if !strings.Contains(e.Message, tc.path) {
			t.Errorf("%s %s: %q, want the path %s in the message", tc.method, tc.params, e.Message, tc.path)
		}
		if data, ok := e.Data.(map[string]any); ok {
			if data["path"] != tc.path {
				t.Errorf("%s %s: data.path = %v, want %s", tc.method, tc.params, data["path"], tc.path)
			}
		}
	}
	// Unknown task ids, on every task method.
	for _, m := range []string{mcp.MethodGetTask, mcp.MethodGetTaskPayload, mcp.MethodCancelTask} {
		e := c.callErr(m, map[string]any{"taskId": "no-such-task"}, mcp.CodeInvalidParams)
		if !strings.Contains(e.Message, "no-such-task") {
			t.Errorf("%s unknown task: %q", m, e.Message)
		}
	}
}

// TestEnvelope: ids are echoed as sent; broken messages get -32700 or -32600
// (with the id when there is one); notifications get no answer.
func TestEnvelope(t *testing.T) {
	c := startServer(t, nil)
	for _, id := range []string{`"req-α"`, `""`, `0`, `-7`, `9007199254740993`, `"1"`} {
		ch := c.expect(id)
		c.send(`{"jsonrpc":"2.0","id":` + id + `,"method":"ping"}`)
		if r := c.wait(ch, "ping id "+id); r.err != nil || r.rawID != id {
			t.Errorf("ping with id %s: %s", id, r.line)
		}
	}
	for _, tc := range []struct {
		line string
		id   string
		code int64
	}{
		{`{"jsonrpc":"2.0","id":1,`, "", mcp.CodeParseError},
		{`not json`, "", mcp.CodeParseError},
		{`{"jsonrpc":"1.0","id":70,"method":"ping"}`, "70", mcp.CodeInvalidRequest},
		{`{"jsonrpc":"2.0","id":71,"method":"ping","params":[1]}`, "71", mcp.CodeInvalidRequest},
		{`{"jsonrpc":"2.0","id":"s","method":7}`, `"s"`, mcp.CodeInvalidRequest},
		{`[{"jsonrpc":"2.0","id":72,"method":"ping"}]`, "", mcp.CodeInvalidRequest},
		{`{"jsonrpc":"2.0","id":null,"method":"ping"}`, "", mcp.CodeInvalidRequest},
		{`{"jsonrpc":"2.0","id":1.5,"method":"ping"}`, "", mcp.CodeInvalidRequest},
		{`"just a string"`, "", mcp.CodeInvalidRequest},
	} {
		ch := c.unrouted
		if tc.id != "" {
			ch = c.expect(tc.id)
		}
		c.send(tc.line)
		r := c.wait(ch, tc.line)
		if r.err == nil || r.err.Code != tc.code || r.rawID != tc.id {
			t.Errorf("%s: answered %s, want code %d and id %q", tc.line, r.line, tc.code, tc.id)
		}
	}
	c.send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	c.send(`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":12345}}`)
	c.send(`{"jsonrpc":"2.0","id":99,"result":{}}`) // a response: this server sent no request
	c.mustCall(mcp.MethodPing, nil)
	time.Sleep(50 * time.Millisecond) // a stray answer would reach unrouted, which close checks
}

// TestLongLine: a line past the bound is answered -32600 without being
// kept, and the next message is served.
func TestLongLine(t *testing.T) {
	c := startServer(t, nil)
	ch := c.unrouted
	c.send(`{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"` + strings.Repeat("x", 6<<20) + `"}}`)
	if r := c.wait(ch, "a 6 MiB line"); r.err == nil || r.err.Code != mcp.CodeInvalidRequest || !strings.Contains(r.err.Message, "at most 4194304 bytes") {
		t.Errorf("a 6 MiB line: answered %s", r.line)
	}
	c.mustCall(mcp.MethodPing, nil)
}

// TestCancelledRequest: notifications/cancelled ends a blocked tasks/result,
// which then gets no response; the task itself goes on.
func TestCancelledRequest(t *testing.T) {
	c := startServer(t, nil)
	task := c.startTask("slow_compute", map[string]any{"seconds": 0.3}, nil)
	id, ch := c.start(mcp.MethodGetTaskPayload, map[string]any{"taskId": task.TaskID})
	time.Sleep(20 * time.Millisecond)
	c.send(`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":` + id + `,"reason":"test"}}`)
	c.mustCall(mcp.MethodPing, nil)
	_, final := c.pollUntilTerminal(task.TaskID)
	if final.Status != mcp.TaskStatusCompleted {
		t.Errorf("cancelling a tasks/result request changed the task: %s", final.Status)
	}
	time.Sleep(50 * time.Millisecond)
	select {
	case r := <-ch:
		t.Errorf("the cancelled request was answered: %s", r.line)
	default:
	}
	// The result is still there for a new tasks/result.
	c.mustCall(mcp.MethodGetTaskPayload, map[string]any{"taskId": task.TaskID})
}

// TestConcurrency: many requests at once, each answered once with its own
// result; task ids are unique and 128-bit.
func TestConcurrency(t *testing.T) {
	c := startServer(t, nil)
	const n = 40
	var wg sync.WaitGroup
	ids := make([]string, n)
	texts := make([]string, n)
	chans := make([]chan reply, n)
	var mu sync.Mutex
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			text := strings.Repeat("é", i)
			params := map[string]any{"name": "echo", "arguments": map[string]any{"text": text}}
			if i%2 == 0 {
				params["task"] = map[string]any{}
			}
			_, ch := c.start(mcp.MethodCallTool, params)
			mu.Lock()
			texts[i], chans[i] = text, ch
			mu.Unlock()
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for i := range n {
		r := c.wait(chans[i], "concurrent call")
		if r.err != nil {
			t.Fatalf("call %d: %+v", i, r.err)
		}
		if i%2 == 1 {
			if got := textOf(t, decode[mcp.CallToolResult](t, r.result)); got != texts[i] {
				t.Errorf("call %d answered %q, want %q", i, got, texts[i])
			}
			continue
		}
		ids[i] = decode[mcp.CreateTaskResult](t, r.result).Task.TaskID
		if raw, err := base64.RawURLEncoding.DecodeString(ids[i]); err != nil || len(raw) != 16 || seen[ids[i]] {
			t.Errorf("task id %q: not 128-bit base64url, or repeated", ids[i])
		}
		seen[ids[i]] = true
	}
	for i := 0; i < n; i += 2 {
		res := decode[mcp.CallToolResult](t, c.mustCall(mcp.MethodGetTaskPayload, map[string]any{"taskId": ids[i]}))
		if textOf(t, res) != texts[i] {
			t.Errorf("task %d result %q, want %q", i, textOf(t, res), texts[i])
		}
	}
}
