package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
)

// nodePeer returns the node command and testdata/peers, where pkg, a
// package of @modelcontextprotocol, must be installed. Without node or the
// package the test is skipped, except under CI, where it fails.
func nodePeer(t *testing.T, pkg string) (node, peers string) {
	t.Helper()
	peers, err := filepath.Abs(filepath.Join("..", "..", "testdata", "peers"))
	if err != nil {
		t.Fatal(err)
	}
	node, nodeErr := exec.LookPath("node")
	_, pkgErr := os.Stat(filepath.Join(peers, "node_modules", "@modelcontextprotocol", pkg, "package.json"))
	if nodeErr != nil || pkgErr != nil {
		msg := fmt.Sprintf("the peer @modelcontextprotocol/%s needs node and `npm ci` in testdata/peers", pkg)
		if os.Getenv("CI") != "" {
			t.Fatalf("%s: node: %v; package: %v", msg, nodeErr, pkgErr)
		}
		t.Skipf("%s: node: %v; package: %v", msg, nodeErr, pkgErr)
	}
	return node, peers
}

// tsStep is one line of testdata/peers/ts-client.mjs.
type tsStep struct {
	Step   string          `json:"step"`
	OK     bool            `json:"ok"`
	MS     int64           `json:"ms"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    *int64          `json:"code"`
		Message string          `json:"message"`
		Data    json.RawMessage `json:"data"`
		Name    string          `json:"name"`
	} `json:"error"`
}

// TestTypeScriptSDKClient runs the demo binary under the official TypeScript
// SDK client (@modelcontextprotocol/sdk, experimental tasks API) and checks
// every step it reports. Without node or testdata/peers/node_modules the
// test is skipped, except under CI.
func TestTypeScriptSDKClient(t *testing.T) {
	node, peers := nodePeer(t, "sdk")
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("go command: %v", err)
	}

	bin := filepath.Join(t.TempDir(), "taskdemo")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	start := time.Now()
	cmd := exec.CommandContext(ctx, node, "ts-client.mjs", bin, "-poll-interval", "50ms", "-page-size", "2")
	cmd.Dir = peers
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	t.Logf("node ts-client.mjs ran in %v", time.Since(start).Round(time.Millisecond))
	defer func() {
		if t.Failed() {
			t.Logf("client stdout:\n%s\nclient and server stderr:\n%s", stdout.String(), stderr.String())
		}
	}()
	if err != nil {
		t.Fatalf("ts-client.mjs: %v", err)
	}

	steps := map[string]tsStep{}
	var order []string
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var s tsStep
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			t.Fatalf("client line is not a step: %v: %s", err, sc.Text())
		}
		if _, dup := steps[s.Step]; dup {
			t.Fatalf("step %s reported twice", s.Step)
		}
		steps[s.Step] = s
		order = append(order, s.Step)
	}
	wantOrder := []string{
		"initialize", "ping", "tools_list", "echo_plain", "greet_plain",
		"slow_create", "slow_poll", "slow_result", "blocking_result", "echo_task",
		"fails_task", "fails_plain", "fails_task_error", "list_tasks",
		"cancel_create", "cancel_get_before", "cancel", "cancel_get_after", "cancel_result", "cancel_again",
		"get_unknown", "result_unknown", "cancel_unknown", "cancel_completed",
		"slow_plain", "greet_task", "unknown_tool_task", "bad_cursor", "bad_arguments", "bad_ttl",
		"notifications", "wire", "close",
	}
	if !slices.Equal(order, wantOrder) {
		t.Fatalf("steps %q, want %q", order, wantOrder)
	}

	// ok decodes a successful step's result into v.
	ok := func(name string, v any) {
		t.Helper()
		s := steps[name]
		if !s.OK {
			t.Fatalf("step %s failed: %+v", name, s.Error)
		}
		if v != nil {
			if err := json.Unmarshal(s.Result, v); err != nil {
				t.Fatalf("step %s: %v: %s", name, err, s.Result)
			}
		}
	}
	// fails checks that a step failed with code and a message containing sub.
	fails := func(name string, code int64, sub string) {
		t.Helper()
		s := steps[name]
		if s.OK || s.Error == nil || s.Error.Code == nil {
			t.Errorf("step %s: want JSON-RPC error %d, got ok=%v result=%s error=%+v", name, code, s.OK, s.Result, s.Error)
			return
		}
		if *s.Error.Code != code || !strings.Contains(s.Error.Message, sub) {
			t.Errorf("step %s: error %d %q, want %d containing %q", name, *s.Error.Code, s.Error.Message, code, sub)
		}
	}
	// Results are decoded with the generated types, so that what the SDK
	// handed back is checked against the schema too.
	text := func(res *mcp.CallToolResult) string {
		t.Helper()
		if len(res.Content) != 1 {
			t.Fatalf("content %+v, want one block", res.Content)
		}
		tc, isText := res.Content[0].(*mcp.TextContent)
		if !isText {
			t.Fatalf("content[0] is %T", res.Content[0])
		}
		return tc.Text
	}
	related := func(name string, meta map[string]any, id string) {
		t.Helper()
		if rel, found := mcp.RelatedTaskOf(meta); !found || rel.TaskID != id {
			t.Errorf("step %s: _meta %v, want %s = {taskId: %s}", name, meta, mcp.RelatedTaskMetaKey, id)
		}
	}
	checkTask := func(name string, task *mcp.Task, status mcp.TaskStatus, ttl int64) {
		t.Helper()
		if task.Status != status {
			t.Errorf("step %s: status %q (%q), want %q", name, task.Status, task.StatusMessage, status)
		}
		if task.TTL == nil || *task.TTL != ttl {
			t.Errorf("step %s: ttl %v, want %d", name, task.TTL, ttl)
		}
		if task.PollInterval == nil || *task.PollInterval != 50 {
			t.Errorf("step %s: pollInterval %v, want 50", name, task.PollInterval)
		}
		if raw, err := base64.RawURLEncoding.DecodeString(task.TaskID); err != nil || len(raw) != 16 {
			t.Errorf("step %s: taskId %q is not 128 bits of base64url", name, task.TaskID)
		}
		for _, ts := range []string{task.CreatedAt, task.LastUpdatedAt} {
			if _, err := time.Parse(time.RFC3339, ts); err != nil {
				t.Errorf("step %s: timestamp %q: %v", name, ts, err)
			}
		}
	}

	// initialize: the version and capabilities as the SDK saw them.
	var init struct {
		ProtocolVersion string             `json:"protocolVersion"`
		ServerInfo      mcp.Implementation `json:"serverInfo"`
		Capabilities    json.RawMessage    `json:"capabilities"`
		Instructions    string             `json:"instructions"`
	}
	ok("initialize", &init)
	caps := decode[mcp.ServerCapabilities](t, init.Capabilities)
	if init.ProtocolVersion != ProtocolVersion || init.ServerInfo.Name != "mcpgen-taskdemo" || init.Instructions == "" {
		t.Errorf("initialize: %+v", init)
	}
	if caps.Tools == nil || !caps.TaskAugmentable(mcp.MethodCallTool) || !caps.SupportsTaskList() || !caps.SupportsTaskCancel() {
		t.Errorf("capabilities as the SDK saw them: %s", init.Capabilities)
	}

	var ping map[string]any
	ok("ping", &ping)
	if len(ping) != 0 {
		t.Errorf("ping = %v, want {}", ping)
	}

	var tools struct {
		Tools []struct {
			Name         string  `json:"name"`
			HasExecution bool    `json:"hasExecution"`
			TaskSupport  *string `json:"taskSupport"`
		} `json:"tools"`
		NextCursor *string `json:"nextCursor"`
	}
	ok("tools_list", &tools)
	gotSupport := map[string]string{}
	for _, tool := range tools.Tools {
		s := "(absent)"
		if tool.TaskSupport != nil {
			s = *tool.TaskSupport
		}
		if tool.HasExecution != (tool.TaskSupport != nil) {
			t.Errorf("tool %s: execution present=%v but taskSupport %v", tool.Name, tool.HasExecution, s)
		}
		gotSupport[tool.Name] = s
	}
	wantSupport := map[string]string{"slow_compute": "required", "echo": "optional", "always_fails": "optional", "confirm_delete": "required", "greet": "(absent)"}
	if len(tools.Tools) != 5 || !maps.Equal(gotSupport, wantSupport) || tools.NextCursor != nil {
		t.Errorf("tools/list taskSupport %v, want %v", gotSupport, wantSupport)
	}

	var res mcp.CallToolResult
	ok("echo_plain", nil)
	res = *decode[mcp.CallToolResult](t, steps["echo_plain"].Result)
	if text(&res) != "hello from ts" || res.IsError != nil {
		t.Errorf("echo_plain: %s", steps["echo_plain"].Result)
	}
	res = *decode[mcp.CallToolResult](t, steps["greet_plain"].Result)
	if text(&res) != "Hello, ts!" {
		t.Errorf("greet_plain: %s", steps["greet_plain"].Result)
	}

	// The slow task: created working, polled to completed, result fetched.
	ok("slow_create", nil)
	slow := decode[mcp.CreateTaskResult](t, steps["slow_create"].Result).Task
	checkTask("slow_create", &slow, mcp.TaskStatusWorking, 60000)
	if slow.CreatedAt != slow.LastUpdatedAt {
		t.Errorf("slow_create: lastUpdatedAt %q != createdAt %q", slow.LastUpdatedAt, slow.CreatedAt)
	}
	var poll struct {
		Polls    int              `json:"polls"`
		Statuses []mcp.TaskStatus `json:"statuses"`
		Task     json.RawMessage  `json:"task"`
	}
	ok("slow_poll", &poll)
	polled := decode[mcp.GetTaskResult](t, poll.Task)
	if polled.Status != mcp.TaskStatusCompleted || polled.TaskID != slow.TaskID || polled.CreatedAt != slow.CreatedAt {
		t.Errorf("slow_poll final: %s", poll.Task)
	}
	if poll.Polls < 2 || poll.Statuses[0] != mcp.TaskStatusWorking || poll.Statuses[len(poll.Statuses)-1] != mcp.TaskStatusCompleted {
		t.Errorf("slow_poll statuses %q: want working … completed", poll.Statuses)
	}
	for _, s := range poll.Statuses[:len(poll.Statuses)-1] {
		if s != mcp.TaskStatusWorking {
			t.Errorf("slow_poll statuses %q: only working before completed", poll.Statuses)
		}
	}
	if created, err1 := time.Parse(time.RFC3339, polled.CreatedAt); err1 == nil {
		if updated, err2 := time.Parse(time.RFC3339, polled.LastUpdatedAt); err2 != nil || updated.Sub(created) < 350*time.Millisecond {
			t.Errorf("slow_poll: completed at %s, created %s: want ≥ 0.4s later", polled.LastUpdatedAt, polled.CreatedAt)
		}
	}
	ok("slow_result", nil)
	res = *decode[mcp.CallToolResult](t, steps["slow_result"].Result)
	if text(&res) != "slow_compute: computed for 0.4s" {
		t.Errorf("slow_result: %s", steps["slow_result"].Result)
	}
	related("slow_result", res.Meta, slow.TaskID)

	// tasks/result blocked ~0.5s while ping and tasks/get went through.
	var blocking struct {
		TaskID              string          `json:"taskId"`
		PingAt              int64           `json:"pingAt"`
		GetAt               int64           `json:"getAt"`
		StatusWhileBlocked  mcp.TaskStatus  `json:"statusWhileBlocked"`
		ResultAt            int64           `json:"resultAt"`
		ResultPendingAtPing bool            `json:"resultPendingAtPing"`
		Result              json.RawMessage `json:"result"`
	}
	ok("blocking_result", &blocking)
	if !blocking.ResultPendingAtPing || blocking.StatusWhileBlocked != mcp.TaskStatusWorking || blocking.GetAt >= blocking.ResultAt || blocking.ResultAt < 400 {
		t.Errorf("blocking_result: %+v: want ping and tasks/get (working) answered before tasks/result, which waits ≈0.5s", blocking)
	}
	res = *decode[mcp.CallToolResult](t, blocking.Result)
	if text(&res) != "slow_compute: computed for 0.5s" {
		t.Errorf("blocking_result: %s", blocking.Result)
	}
	related("blocking_result", res.Meta, blocking.TaskID)

	// echo as a task, with its own ttl.
	var echoTask struct {
		Task   json.RawMessage `json:"task"`
		Result json.RawMessage `json:"result"`
	}
	ok("echo_task", &echoTask)
	et := decode[mcp.Task](t, echoTask.Task)
	checkTask("echo_task", et, mcp.TaskStatusWorking, 1234)
	res = *decode[mcp.CallToolResult](t, echoTask.Result)
	if text(&res) != "echo as a task" {
		t.Errorf("echo_task result: %s", echoTask.Result)
	}
	related("echo_task", res.Meta, et.TaskID)

	// always_fails: failed with a statusMessage; tasks/result gives what the
	// plain call gives (isError result, or the JSON-RPC error).
	var failsTask struct {
		Final       json.RawMessage `json:"final"`
		Result      json.RawMessage `json:"result"`
		ResultError *struct {
			Code    int64  `json:"code"`
			Message string `json:"message"`
		} `json:"resultError"`
	}
	ok("fails_task", &failsTask)
	ft := decode[mcp.GetTaskResult](t, failsTask.Final)
	if ft.Status != mcp.TaskStatusFailed || ft.StatusMessage != "always_fails: simulated tool failure" {
		t.Errorf("fails_task: %s", failsTask.Final)
	}
	res = *decode[mcp.CallToolResult](t, failsTask.Result)
	if text(&res) != "always_fails: simulated tool failure" || res.IsError == nil || !*res.IsError {
		t.Errorf("fails_task result: %s", failsTask.Result)
	}
	related("fails_task", res.Meta, ft.TaskID)
	res = *decode[mcp.CallToolResult](t, steps["fails_plain"].Result)
	if text(&res) != "always_fails: simulated tool failure" || res.IsError == nil || !*res.IsError {
		t.Errorf("fails_plain: %s", steps["fails_plain"].Result)
	}
	failsTask.ResultError = nil
	ok("fails_task_error", &failsTask)
	ft = decode[mcp.GetTaskResult](t, failsTask.Final)
	if ft.Status != mcp.TaskStatusFailed || ft.StatusMessage != "always_fails: simulated protocol error" {
		t.Errorf("fails_task_error: %s", failsTask.Final)
	}
	if e := failsTask.ResultError; e == nil || e.Code != mcp.CodeInternalError || !strings.Contains(e.Message, "always_fails: simulated protocol error") {
		t.Errorf("fails_task_error: tasks/result error %+v, want -32603 with the tool's message", e)
	}

	// tasks/list, every page: 5 tasks by then, 2 per page, creation order.
	var list struct {
		Pages []struct {
			IDs        []string         `json:"ids"`
			Statuses   []mcp.TaskStatus `json:"statuses"`
			NextCursor *string          `json:"nextCursor"`
		} `json:"pages"`
		Known map[string]string `json:"known"`
	}
	ok("list_tasks", &list)
	var listed []string
	var sizes []int
	for i, p := range list.Pages {
		listed = append(listed, p.IDs...)
		sizes = append(sizes, len(p.IDs))
		if last := i == len(list.Pages)-1; last != (p.NextCursor == nil) {
			t.Errorf("list_tasks page %d: nextCursor %v (last page: %v)", i, p.NextCursor, last)
		}
	}
	wantListed := []string{list.Known["slow"], list.Known["blocking"], list.Known["echo"], list.Known["fails"], list.Known["failsError"]}
	if !slices.Equal(sizes, []int{2, 2, 1}) || !slices.Equal(listed, wantListed) {
		t.Errorf("list_tasks: pages %v ids %q, want [2 2 1] and %q", sizes, listed, wantListed)
	}
	var listedStatuses []mcp.TaskStatus
	for _, p := range list.Pages {
		listedStatuses = append(listedStatuses, p.Statuses...)
	}
	if want := []mcp.TaskStatus{"completed", "completed", "completed", "failed", "failed"}; !slices.Equal(listedStatuses, want) {
		t.Errorf("list_tasks statuses %q, want %q", listedStatuses, want)
	}

	// Cancel a running task.
	ok("cancel_create", nil)
	running := decode[mcp.CreateTaskResult](t, steps["cancel_create"].Result).Task
	checkTask("cancel_create", &running, mcp.TaskStatusWorking, 60000)
	ok("cancel_get_before", nil)
	checkTask("cancel_get_before", decode[mcp.Task](t, steps["cancel_get_before"].Result), mcp.TaskStatusWorking, 60000)
	ok("cancel", nil)
	cancelled := decode[mcp.CancelTaskResult](t, steps["cancel"].Result)
	if cancelled.TaskID != running.TaskID || cancelled.Status != mcp.TaskStatusCancelled || cancelled.StatusMessage == "" {
		t.Errorf("cancel: %s", steps["cancel"].Result)
	}
	ok("cancel_get_after", nil)
	after := decode[mcp.GetTaskResult](t, steps["cancel_get_after"].Result)
	if after.Status != mcp.TaskStatusCancelled || after.LastUpdatedAt != cancelled.LastUpdatedAt {
		t.Errorf("cancel_get_after: %s", steps["cancel_get_after"].Result)
	}
	fails("cancel_result", mcp.CodeInvalidParams, "cancelled")
	fails("cancel_again", mcp.CodeInvalidParams, "already cancelled")

	// The errors the spec names.
	fails("get_unknown", mcp.CodeInvalidParams, "no-such-task")
	fails("result_unknown", mcp.CodeInvalidParams, "no-such-task")
	fails("cancel_unknown", mcp.CodeInvalidParams, "no-such-task")
	fails("cancel_completed", mcp.CodeInvalidParams, "already completed")
	fails("slow_plain", mcp.CodeMethodNotFound, "required")
	fails("greet_task", mcp.CodeMethodNotFound, "forbidden")
	fails("unknown_tool_task", mcp.CodeInvalidParams, "params.name")
	fails("bad_cursor", mcp.CodeInvalidParams, "params.cursor")
	fails("bad_arguments", mcp.CodeInvalidParams, "params.arguments.seconds")
	fails("bad_ttl", mcp.CodeInvalidParams, "params.task.ttl")

	// One status notification per status change (every task above ended
	// once), each accepted by the SDK's TaskStatusNotificationSchema.
	var notes []json.RawMessage
	ok("notifications", &notes)
	final := map[string]mcp.TaskStatus{}
	for _, raw := range notes {
		n := decode[mcp.TaskStatusNotificationParams](t, raw)
		if _, dup := final[n.TaskID]; dup {
			t.Errorf("two status notifications for %s", n.TaskID)
		}
		final[n.TaskID] = n.Status
	}
	wantFinal := map[string]mcp.TaskStatus{
		list.Known["slow"]: "completed", list.Known["blocking"]: "completed", list.Known["echo"]: "completed",
		list.Known["fails"]: "failed", list.Known["failsError"]: "failed", running.TaskID: "cancelled",
	}
	if !maps.Equal(final, wantFinal) {
		t.Errorf("status notifications %v, want %v", final, wantFinal)
	}

	// The wire: every response matched a request id exactly, once; the SDK
	// reported no protocol error.
	var wire struct {
		Requests           int      `json:"requests"`
		Responses          int      `json:"responses"`
		Unmatched          []any    `json:"unmatched"`
		DuplicateResponses int      `json:"duplicateResponses"`
		Notifications      []string `json:"notifications"`
		ClientErrors       []string `json:"clientErrors"`
	}
	ok("wire", &wire)
	if wire.Requests == 0 || wire.Requests != wire.Responses || len(wire.Unmatched) != 0 || wire.DuplicateResponses != 0 || len(wire.ClientErrors) != 0 {
		t.Errorf("wire: %+v", wire)
	}
	if len(wire.Notifications) != len(notes) {
		t.Errorf("wire: %d notifications, the SDK handled %d", len(wire.Notifications), len(notes))
	}
	for _, m := range wire.Notifications {
		if m != mcp.MethodTaskStatusNotification {
			t.Errorf("unexpected notification %s", m)
		}
	}
	ok("close", nil)
}
