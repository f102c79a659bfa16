package generated

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
	"github.com/mcpgen-dev/mcpgen/internal/rpcconn"
)

// scriptedTasks is a receiver whose tasks/get answers come from a script,
// one per call (the last repeats), and whose tasks/list pages are given.
type scriptedTasks struct {
	mcp.UnimplementedServerHandler
	mu     sync.Mutex
	script []mcp.GetTaskResult
	gets   []time.Time
	pages  map[string]*mcp.ListTasksResult
}

func (s *scriptedTasks) GetTask(ctx context.Context, p *mcp.GetTaskRequestParams) (*mcp.GetTaskResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gets = append(s.gets, time.Now())
	r := s.script[0]
	if len(s.script) > 1 {
		s.script = s.script[1:]
	}
	return &r, nil
}

func (s *scriptedTasks) ListTasks(ctx context.Context, p *mcp.PaginatedRequestParams) (*mcp.ListTasksResult, error) {
	page, ok := s.pages[p.Cursor]
	if !ok {
		return nil, &mcp.Error{Code: mcp.CodeInvalidParams, Message: "bad cursor " + p.Cursor}
	}
	return page, nil
}

// dispatchPeer is a Peer that hands every request to a dispatcher in the
// same process, as a test pipe would.
type dispatchPeer struct{ d *mcp.ServerDispatcher }

func (p dispatchPeer) Call(ctx context.Context, method string, params json.RawMessage) (json.RawMessage, error) {
	res, rpcErr := p.d.Dispatch(ctx, method, params)
	if rpcErr != nil {
		return nil, rpcErr
	}
	return res, nil
}

func (p dispatchPeer) Notify(ctx context.Context, method string, params json.RawMessage) error {
	if rpcErr := p.d.Notify(ctx, method, params); rpcErr != nil {
		return rpcErr
	}
	return nil
}

func status(id string, s mcp.TaskStatus, created, updated, msg string, poll int64) mcp.GetTaskResult {
	r := mcp.GetTaskResult{TaskID: id, Status: s, CreatedAt: created, LastUpdatedAt: updated, StatusMessage: msg}
	if poll > 0 {
		r.PollInterval = &poll
	}
	return r
}

const (
	t0 = "2025-11-25T09:00:00Z"
	t1 = "2025-11-25T09:00:01Z"
	t2 = "2025-11-25T09:00:02Z"
	t3 = "2025-11-25T09:00:03Z"
)

func scripted(script ...mcp.GetTaskResult) (*scriptedTasks, *mcp.ServerCaller) {
	s := &scriptedTasks{script: script}
	caps := mcp.ServerCapabilities{Tasks: &mcp.ServerCapabilitiesTasks{List: map[string]any{}, Cancel: map[string]any{}}}
	return s, &mcp.ServerCaller{Peer: dispatchPeer{&mcp.ServerDispatcher{Handler: s, Capabilities: caps}}}
}

func created(id string, s mcp.TaskStatus, at string) *mcp.CreateTaskResult {
	return &mcp.CreateTaskResult{Task: mcp.Task{TaskID: id, Status: s, CreatedAt: at, LastUpdatedAt: at}}
}

// TestRemoteTaskChecksEveryStatus: each status the receiver reports is
// held to the lifecycle; an illegal move or a changed createdAt stops the
// wait with an error and is not taken, while the same status with a new
// message is an update the program sees.
func TestRemoteTaskChecksEveryStatus(t *testing.T) {
	ctx := context.Background()
	t.Run("legal moves and a same-status update", func(t *testing.T) {
		_, server := scripted(
			status("a", mcp.TaskStatusWorking, t0, t1, "half way", 1),
			status("a", mcp.TaskStatusInputRequired, t0, t2, "", 1),
			status("a", mcp.TaskStatusCompleted, t0, t3, "", 1),
		)
		task, err := mcp.FollowTask(server, created("a", mcp.TaskStatusWorking, t0))
		if err != nil {
			t.Fatal(err)
		}
		task.PollInterval = time.Millisecond
		var seen []string
		task.OnStatus = func(s mcp.Task) { seen = append(seen, string(s.Status)+":"+s.StatusMessage) }
		last, err := task.Wait(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"working:half way", "input_required:", "completed:"}
		if last.Status != mcp.TaskStatusCompleted || !slices.Equal(seen, want) {
			t.Fatalf("saw %v, ended %s; want %v", seen, last.Status, want)
		}
	})
	for _, tc := range []struct {
		name, want string
		next       mcp.GetTaskResult
	}{
		{"a move out of a terminal status", "completed", status("b", mcp.TaskStatusWorking, t0, t2, "", 1)},
		{"a changed createdAt", "createdAt changed", status("b", mcp.TaskStatusCompleted, t1, t3, "", 1)},
		{"another task's status", `task "c"`, status("c", mcp.TaskStatusCompleted, t0, t3, "", 1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := mcp.TaskStatusWorking
			if tc.name == "a move out of a terminal status" {
				start = mcp.TaskStatusCompleted
			}
			_, server := scripted(tc.next)
			task := mcp.ResumeTask(server, "b")
			if err := task.Observe(created("b", start, t0).Task); err != nil {
				t.Fatal(err)
			}
			_, err := task.Poll(ctx)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("poll: %v, want an error about %q", err, tc.want)
			}
			if last, _ := task.Last(); last.Status != start || last.CreatedAt != t0 {
				t.Fatalf("the refused status was taken: %+v", last)
			}
		})
	}
	t.Run("an illegal move reported by a notification", func(t *testing.T) {
		_, server := scripted(status("d", mcp.TaskStatusCancelled, t0, t1, "", 1))
		if _, err := mcp.FollowTask(server, created("d", mcp.TaskStatusCancelled, t0)); err == nil {
			t.Fatal("FollowTask took a task created cancelled")
		}
		task := mcp.ResumeTask(server, "d")
		if _, err := task.Poll(ctx); err != nil {
			t.Fatal(err)
		}
		err := task.ObserveNotification(&mcp.TaskStatusNotificationParams{TaskID: "d", Status: mcp.TaskStatusCompleted, CreatedAt: t0, LastUpdatedAt: t2})
		var te *mcp.TransitionError
		if !errors.As(err, &te) {
			t.Fatalf("notification cancelled → completed: %v, want a *TransitionError", err)
		}
	})
	t.Run("an older notification is ignored", func(t *testing.T) {
		_, server := scripted(status("e", mcp.TaskStatusCompleted, t0, t2, "", 1))
		task, _ := mcp.FollowTask(server, created("e", mcp.TaskStatusWorking, t0))
		if _, err := task.Poll(ctx); err != nil {
			t.Fatal(err)
		}
		err := task.ObserveNotification(&mcp.TaskStatusNotificationParams{TaskID: "e", Status: mcp.TaskStatusWorking, CreatedAt: t0, LastUpdatedAt: t1})
		if last, _ := task.Last(); err != nil || last.Status != mcp.TaskStatusCompleted {
			t.Fatalf("stale working after completed: %v, now %s", err, last.Status)
		}
	})
}

// TestRemoteTaskPolling: the wait between polls is the receiver's
// pollInterval, and the context's deadline ends a wait at the deadline,
// not at the next poll.
func TestRemoteTaskPolling(t *testing.T) {
	s, server := scripted(
		status("p", mcp.TaskStatusWorking, t0, t0, "", 60),
		status("p", mcp.TaskStatusWorking, t0, t1, "", 60),
		status("p", mcp.TaskStatusCompleted, t0, t2, "", 60),
	)
	task := mcp.ResumeTask(server, "p")
	if _, err := task.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(s.gets) != 3 {
		t.Fatalf("%d polls, want 3", len(s.gets))
	}
	for i := 1; i < len(s.gets); i++ {
		if gap := s.gets[i].Sub(s.gets[i-1]); gap < 55*time.Millisecond {
			t.Fatalf("poll %d came %v after the last, want pollInterval 60ms", i, gap)
		}
	}

	_, slow := scripted(status("q", mcp.TaskStatusWorking, t0, t0, "", 10_000))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	began := time.Now()
	_, err := mcp.ResumeTask(slow, "q").Wait(ctx)
	if took := time.Since(began); !errors.Is(err, context.DeadlineExceeded) || took > time.Second {
		t.Fatalf("wait with a 10 s pollInterval and a 100 ms deadline: %v after %v", err, took)
	}
}

// TestListRemoteTasks follows nextCursor across pages and refuses a
// cursor handed out twice.
func TestListRemoteTasks(t *testing.T) {
	task := func(id string) mcp.Task {
		return mcp.Task{TaskID: id, Status: mcp.TaskStatusWorking, CreatedAt: t0, LastUpdatedAt: t0}
	}
	s, server := scripted(status("x", mcp.TaskStatusWorking, t0, t0, "", 0))
	s.pages = map[string]*mcp.ListTasksResult{
		"":   {Tasks: []mcp.Task{task("1"), task("2")}, NextCursor: "c1"},
		"c1": {Tasks: []mcp.Task{task("3")}, NextCursor: "c2"},
		"c2": {Tasks: []mcp.Task{task("4")}},
	}
	var ids []string
	for task, err := range mcp.ListRemoteTasks(context.Background(), server) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, task.TaskID)
	}
	if !slices.Equal(ids, []string{"1", "2", "3", "4"}) {
		t.Fatalf("listed %v", ids)
	}
	s.pages["c2"] = &mcp.ListTasksResult{Tasks: []mcp.Task{task("4")}, NextCursor: "c1"}
	var last error
	for _, err := range mcp.ListRemoteTasks(context.Background(), server) {
		last = err
	}
	if last == nil || !strings.Contains(last.Error(), "twice") {
		t.Fatalf("a cursor loop: %v", last)
	}
}

// foreignRPCError is how a Peer in another module reports a JSON-RPC
// error, with standard-library types only.
type foreignRPCError struct{}

func (foreignRPCError) Error() string { return "from elsewhere" }
func (foreignRPCError) RPCError() (int64, string, json.RawMessage) {
	return -32602, "unknown task", json.RawMessage(`{"taskId":"zz"}`)
}

type funcPeer func(method string, params json.RawMessage) (json.RawMessage, error)

func (f funcPeer) Call(_ context.Context, method string, params json.RawMessage) (json.RawMessage, error) {
	return f(method, params)
}
func (f funcPeer) Notify(context.Context, string, json.RawMessage) error { return nil }

// TestCallerErrorsAndDecoding: JSON-RPC errors arrive as *Error whatever
// type the Peer used, other failures name the method, results are
// validated, and a task-augmented tools/call reply decodes.
func TestCallerErrorsAndDecoding(t *testing.T) {
	ctx := context.Background()
	get := &mcp.GetTaskRequestParams{TaskID: "zz"}
	for name, peerErr := range map[string]error{
		"an RPCError method":   fmt.Errorf("wrapped: %w", foreignRPCError{}),
		"this package's Error": &mcp.Error{Code: -32602, Message: "unknown task", Data: map[string]any{"taskId": "zz"}},
	} {
		c := &mcp.ServerCaller{Peer: funcPeer(func(string, json.RawMessage) (json.RawMessage, error) { return nil, peerErr })}
		_, err := c.GetTask(ctx, get)
		var e *mcp.Error
		if !errors.As(err, &e) || e.Code != -32602 || e.Message != "unknown task" || e.Data.(map[string]any)["taskId"] != "zz" {
			t.Fatalf("%s: got %#v", name, err)
		}
	}
	broken := &mcp.ServerCaller{Peer: funcPeer(func(string, json.RawMessage) (json.RawMessage, error) { return nil, io.ErrUnexpectedEOF })}
	if _, err := broken.GetTask(ctx, get); !errors.Is(err, io.ErrUnexpectedEOF) || !strings.HasPrefix(err.Error(), "tasks/get: ") {
		t.Fatalf("a transport failure: %v", err)
	}
	var sent json.RawMessage
	bad := &mcp.ServerCaller{Peer: funcPeer(func(_ string, p json.RawMessage) (json.RawMessage, error) {
		sent = p
		return json.RawMessage(`{"taskId":"zz","status":"sleeping","createdAt":"x","lastUpdatedAt":"x","ttl":null}`), nil
	})}
	if _, err := bad.GetTask(ctx, get); err == nil || !strings.Contains(err.Error(), "result.status") {
		t.Fatalf("an invalid result: %v", err)
	}
	if string(sent) != `{"taskId":"zz"}` {
		t.Fatalf("sent params %s", sent)
	}
	if _, err := bad.CallToolAsTask(ctx, &mcp.CallToolRequestParams{Name: "x"}); err == nil {
		t.Fatal("CallToolAsTask without params.task was sent")
	}

	info, _ := mcp.LookupMethod(mcp.MethodCallTool)
	reply := []byte(`{"task":{"taskId":"t1","status":"working","createdAt":"` + t0 + `","lastUpdatedAt":"` + t0 + `","ttl":null}}`)
	if _, err := info.DecodeResult(reply); err == nil {
		t.Fatal("LookupMethod's decoder now takes a CreateTaskResult: DecodeCallToolResponse is redundant")
	}
	res, task, err := mcp.DecodeCallToolResponse(reply)
	if err != nil || res != nil || task == nil || task.Task.TaskID != "t1" {
		t.Fatalf("task reply: %v %v %v", res, task, err)
	}
	res, task, err = mcp.DecodeCallToolResponse([]byte(`{"content":[{"type":"text","text":"hi"}]}`))
	if err != nil || res == nil || task != nil {
		t.Fatalf("plain reply: %v %v %v", res, task, err)
	}
}

func initialize(ctx context.Context, t *testing.T, server *mcp.ServerCaller) *mcp.InitializeResult {
	t.Helper()
	res, err := server.Initialize(ctx, &mcp.InitializeRequestParams{
		ProtocolVersion: "2025-11-25",
		ClientInfo:      mcp.Implementation{Name: "mcpgen-client-test", Version: "0"},
	})
	if err != nil {
		t.Fatalf("initialize: %v", err)
	}
	if err := server.NotifyInitialized(ctx, &mcp.NotificationParams{}); err != nil {
		t.Fatal(err)
	}
	return res
}

func coreText(r *mcp.CallToolResult) string {
	var parts []string
	for _, c := range r.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			parts = append(parts, tc.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// TestClientTaskDemo drives cmd/taskdemo over stdio with the generated
// client, through every tool: plain calls, task calls polled to
// completion with their result fetched, the failures as tasks, the
// refusals the spec requires, tasks/list across pages, cancel, status
// notifications seen in order, and a task resumed by a second process on
// the same connection after the first exited.
func TestClientTaskDemo(t *testing.T) {
	if os.Getenv(childEnv) == "core" {
		coreChild(t)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	var tasks sync.Map // id → *mcp.RemoteTask
	var noteErrs []error
	var noteMu sync.Mutex
	notes := &mcp.ClientDispatcher{Handler: noteHandler{onStatus: func(p *mcp.TaskStatusNotificationParams) {
		if v, ok := tasks.Load(p.TaskID); ok {
			if err := v.(*mcp.RemoteTask).ObserveNotification(p); err != nil {
				noteMu.Lock()
				noteErrs = append(noteErrs, err)
				noteMu.Unlock()
			}
		}
	}}}
	cmd := exec.Command(buildDemo(t, "github.com/mcpgen-dev/mcpgen/cmd/taskdemo"), "-poll-interval", "30ms", "-page-size", "2")
	conn, err := rpcconn.StartProcess(cmd, nil, func(method string, params json.RawMessage) { notes.Notify(ctx, method, params) })
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		conn.Close(2 * time.Second)
		if t.Failed() {
			t.Logf("taskdemo stderr:\n%s", conn.Stderr())
		}
	}()
	server := &mcp.ServerCaller{Peer: conn}
	init := initialize(ctx, t, server)
	if !init.Capabilities.TaskAugmentable(mcp.MethodCallTool) || !init.Capabilities.SupportsTaskList() || !init.Capabilities.SupportsTaskCancel() {
		t.Fatalf("taskdemo's capabilities: %+v", init.Capabilities.Tasks)
	}
	list, err := server.ListTools(ctx, &mcp.PaginatedRequestParams{})
	if err != nil {
		t.Fatal(err)
	}
	support := map[string]mcp.ToolExecutionTaskSupport{}
	for _, tool := range list.Tools {
		support[tool.Name] = mcp.ToolExecutionTaskSupportForbidden
		if tool.Execution != nil && tool.Execution.TaskSupport != "" {
			support[tool.Name] = tool.Execution.TaskSupport
		}
	}
	t.Logf("tools: %v", support)

	asTask := func(t *testing.T, tool string, args map[string]any) (*mcp.RemoteTask, *[]mcp.TaskStatus) {
		t.Helper()
		c, err := server.CallToolAsTask(ctx, &mcp.CallToolRequestParams{Name: tool, Arguments: args, Task: &mcp.TaskMetadata{}})
		if err != nil {
			t.Fatalf("%s as a task: %v", tool, err)
		}
		task, err := mcp.FollowTask(server, c)
		if err != nil {
			t.Fatal(err)
		}
		var seen []mcp.TaskStatus
		var mu sync.Mutex
		task.OnStatus = func(s mcp.Task) {
			mu.Lock()
			defer mu.Unlock()
			if len(seen) == 0 || seen[len(seen)-1] != s.Status {
				seen = append(seen, s.Status)
			}
		}
		// OnStatus is set after FollowTask took the first status.
		seen = append(seen, c.Task.Status)
		tasks.Store(task.ID(), task)
		return task, &seen
	}

	t.Run("slow_compute (required) as a task", func(t *testing.T) {
		task, seen := asTask(t, "slow_compute", map[string]any{"seconds": 0.2})
		var res mcp.CallToolResult
		if err := task.Outcome(ctx, &res); err != nil {
			t.Fatal(err)
		}
		if got := coreText(&res); got != "slow_compute: computed for 0.2s" {
			t.Fatalf("result %q", got)
		}
		if !slices.Equal(*seen, []mcp.TaskStatus{mcp.TaskStatusWorking, mcp.TaskStatusCompleted}) {
			t.Fatalf("statuses %v", *seen)
		}
		_, err := server.CallTool(ctx, &mcp.CallToolRequestParams{Name: "slow_compute", Arguments: map[string]any{"seconds": 0}})
		var e *mcp.Error
		if !errors.As(err, &e) || e.Code != mcp.CodeMethodNotFound {
			t.Fatalf("slow_compute without a task: %v, want -32601", err)
		}
	})
	t.Run("echo (optional) plainly and as a task", func(t *testing.T) {
		res, err := server.CallTool(ctx, &mcp.CallToolRequestParams{Name: "echo", Arguments: map[string]any{"text": "plain"}})
		if err != nil || coreText(res) != "plain" {
			t.Fatalf("plain echo: %v %v", res, err)
		}
		task, _ := asTask(t, "echo", map[string]any{"text": "tasked"})
		var out mcp.CallToolResult
		if err := task.Outcome(ctx, &out); err != nil || coreText(&out) != "tasked" {
			t.Fatalf("echo as a task: %q %v", coreText(&out), err)
		}
	})
	t.Run("always_fails as a task: a tool error and a protocol error", func(t *testing.T) {
		task, _ := asTask(t, "always_fails", map[string]any{"mode": "result"})
		var out mcp.CallToolResult
		if err := task.Outcome(ctx, &out); err != nil || out.IsError == nil || !*out.IsError {
			t.Fatalf("mode result: %+v %v", out, err)
		}
		if last, _ := task.Last(); last.Status != mcp.TaskStatusFailed {
			t.Fatalf("mode result ended %s", last.Status)
		}
		task, _ = asTask(t, "always_fails", map[string]any{"mode": "error"})
		err := task.Outcome(ctx, &out)
		var e *mcp.Error
		if !errors.As(err, &e) || e.Code != mcp.CodeInternalError {
			t.Fatalf("mode error: %v, want the tool's -32603", err)
		}
	})
	t.Run("greet (forbidden) refuses a task", func(t *testing.T) {
		res, err := server.CallTool(ctx, &mcp.CallToolRequestParams{Name: "greet", Arguments: map[string]any{"name": "Go"}})
		if err != nil || coreText(res) != "Hello, Go!" {
			t.Fatalf("greet: %v %v", res, err)
		}
		_, err = server.CallToolAsTask(ctx, &mcp.CallToolRequestParams{Name: "greet", Task: &mcp.TaskMetadata{}})
		var e *mcp.Error
		if !errors.As(err, &e) || e.Code != mcp.CodeMethodNotFound {
			t.Fatalf("greet as a task: %v, want -32601", err)
		}
	})
	t.Run("cancel a running task", func(t *testing.T) {
		task, seen := asTask(t, "slow_compute", map[string]any{"seconds": 30})
		got, err := task.Cancel(ctx)
		if err != nil || got.Status != mcp.TaskStatusCancelled {
			t.Fatalf("cancel: %v %v", got.Status, err)
		}
		if last, err := task.Wait(ctx); err != nil || last.Status != mcp.TaskStatusCancelled {
			t.Fatalf("after cancel: %v %v", last.Status, err)
		}
		if _, err := task.Cancel(ctx); err == nil {
			t.Fatal("a second cancel of a cancelled task was accepted")
		}
		if !slices.Equal(*seen, []mcp.TaskStatus{mcp.TaskStatusWorking, mcp.TaskStatusCancelled}) {
			t.Fatalf("statuses %v", *seen)
		}
	})
	t.Run("tasks/list across pages", func(t *testing.T) {
		var ids []string
		for task, err := range mcp.ListRemoteTasks(ctx, server) {
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, task.TaskID)
		}
		n := 0
		tasks.Range(func(k, _ any) bool {
			n++
			if !slices.Contains(ids, k.(string)) {
				t.Errorf("task %s is not listed", k)
			}
			return true
		})
		if len(ids) != n || n < 5 {
			t.Fatalf("listed %d tasks, started %d", len(ids), n)
		}
	})
	noteMu.Lock()
	defer noteMu.Unlock()
	if len(noteErrs) > 0 {
		t.Fatalf("status notifications refused: %v", noteErrs)
	}
}

// noteHandler hands status notifications to a function.
type noteHandler struct {
	mcp.UnimplementedClientHandler
	onStatus func(*mcp.TaskStatusNotificationParams)
}

func (h noteHandler) OnTaskStatus(ctx context.Context, p *mcp.TaskStatusNotificationParams) error {
	h.onStatus(p)
	return nil
}

// TestClientTaskDemoResume: a first client process starts a task on
// cmd/taskdemo and exits; a second one, on the same stdio connection,
// picks the task up by its id and follows it to its result.
func TestClientTaskDemoResume(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	toServerR, toServerW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	fromServerR, fromServerW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	demo := exec.Command(buildDemo(t, "github.com/mcpgen-dev/mcpgen/cmd/taskdemo"), "-poll-interval", "30ms", "-notify=false")
	demo.Stdin, demo.Stdout = toServerR, fromServerW
	if err := demo.Start(); err != nil {
		t.Fatal(err)
	}
	toServerR.Close()
	fromServerW.Close()
	defer func() { toServerW.Close(); demo.Wait() }()

	first := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestClientTaskDemo$")
	first.Env = append(os.Environ(), childEnv+"=core")
	first.ExtraFiles = []*os.File{fromServerR, toServerW}
	id := childTaskID(t, first)

	conn := rpcconn.NewStream(fromServerR, toServerW, 1000, nil, nil)
	server := &mcp.ServerCaller{Peer: conn}
	task := mcp.ResumeTask(server, id)
	var res mcp.CallToolResult
	if err := task.Outcome(ctx, &res); err != nil {
		t.Fatal(err)
	}
	if got := coreText(&res); got != "slow_compute: computed for 0.5s" {
		t.Fatalf("resumed task's result %q", got)
	}
}

// coreChild is the first client process of TestClientTaskDemoResume: on
// the connection it inherited (fds 3 and 4) it initializes, starts a task,
// prints its id and exits.
func coreChild(t *testing.T) {
	conn := rpcconn.NewStream(os.NewFile(3, "from-server"), os.NewFile(4, "to-server"), 1, nil, nil)
	server := &mcp.ServerCaller{Peer: conn}
	ctx := context.Background()
	initialize(ctx, t, server)
	c, err := server.CallToolAsTask(ctx, &mcp.CallToolRequestParams{Name: "slow_compute", Arguments: map[string]any{"seconds": 0.5}, Task: &mcp.TaskMetadata{}})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("task %s\n", c.Task.TaskID)
}
