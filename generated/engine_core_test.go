package generated_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
)

// The tests of the core-era task engine (generated/mcp20251125/engine*.go),
// each named after the rule it holds the engine to. Most go through the
// generated ServerDispatcher, as a host's requests would; all of them run
// on an auditStore, which fails the test on any write the lifecycle does
// not allow.

// TestEngineCreate: a task-augmented tools/call answers at once with a
// working task whose id is 128 random bits, whose record is in the store
// before the answer (another engine on the store sees it at once), with
// the granted ttl and the poll interval.
func TestEngineCreate(t *testing.T) {
	store := newAuditStore(t)
	release := make(chan struct{})
	a := newEngineServer(t, store, standardTools(release, nil), mcp.EngineOptions{PollInterval: 25 * time.Millisecond})
	b := newEngineServer(t, store, nil, mcp.EngineOptions{})
	ctx := context.Background()
	before := time.Now().UTC().Add(-time.Second)
	task := a.startTask(ctx, "block", nil, int64p(60000))
	defer close(release)

	if task.Status != mcp.TaskStatusWorking || task.LastUpdatedAt != task.CreatedAt {
		t.Errorf("created %+v, want working with lastUpdatedAt = createdAt", task)
	}
	if raw, err := base64.RawURLEncoding.DecodeString(task.TaskID); err != nil || len(raw) != 16 {
		t.Errorf("task id %q is not 128 bits of base64url", task.TaskID)
	}
	if created, err := time.Parse(time.RFC3339Nano, task.CreatedAt); err != nil || created.Before(before) || created.After(time.Now().Add(time.Second)) {
		t.Errorf("createdAt %q: %v", task.CreatedAt, err)
	}
	if task.TTL == nil || *task.TTL != 60000 || task.PollInterval == nil || *task.PollInterval != 25 {
		t.Errorf("ttl %v, pollInterval %v; want 60000 and 25", task.TTL, task.PollInterval)
	}
	// The other engine reads it at once: it was stored before the answer.
	if g := b.getTask(ctx, task.TaskID); g.Status != mcp.TaskStatusWorking || g.CreatedAt != task.CreatedAt {
		t.Errorf("the other engine reads %+v", g)
	}
}

// TestEngineTaskIDs: ids of 10 000 tasks are distinct, 128 bits, with no
// shared 64-bit prefix and about half their bits set; the source draws them
// from crypto/rand. A NewTaskID hook supplies its own, and one in use
// fails the request.
func TestEngineTaskIDs(t *testing.T) {
	s := newEngineServer(t, nil, nil, mcp.EngineOptions{MaxTasks: -1, MaxTasksPerOwner: -1})
	ctx := context.Background()
	const n = 10000
	seen := map[string]bool{}
	prefixes := map[[8]byte]bool{}
	ones := 0
	for range n {
		res, err := s.engine.Start(s.ctx(ctx), nil, func(ctx context.Context) (any, error) { return coreTextResult("x"), nil })
		if err != nil {
			t.Fatal(err)
		}
		id := res.Task.TaskID
		raw, err := base64.RawURLEncoding.DecodeString(id)
		if err != nil || len(raw) != 16 || seen[id] || prefixes[[8]byte(raw)] {
			t.Fatalf("task id %q: not 128 bits of base64url, or repeated (%v)", id, err)
		}
		seen[id], prefixes[[8]byte(raw)] = true, true
		for _, b := range raw {
			ones += bits.OnesCount8(b)
		}
	}
	if share := float64(ones) / (n * 128); share < 0.49 || share > 0.51 {
		t.Errorf("%.4f of the id bits are set, want ≈ 0.5", share)
	}
	src, err := os.ReadFile(filepath.Join("mcp20251125", "engine.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src), `"crypto/rand"`) || !strings.Contains(string(src), "rand.Read(b[:])") || strings.Contains(string(src), "math/rand") {
		t.Errorf("engine.go does not draw task ids from crypto/rand alone")
	}

	next := "job-1"
	hooked := newEngineServer(t, nil, nil, mcp.EngineOptions{NewTaskID: func(ctx context.Context) (string, error) { return next, nil }})
	if got := hooked.startTask(ctx, "echo", nil, nil).TaskID; got != "job-1" {
		t.Errorf("hooked id %q, want job-1", got)
	}
	e := hooked.callErr(ctx, mcp.MethodCallTool, `{"name":"echo","task":{}}`, mcp.CodeInternalError)
	if !strings.Contains(e.Message, "already in use") {
		t.Errorf("a repeated id: %q", e.Message)
	}
	next = ""
	hooked.callErr(ctx, mcp.MethodCallTool, `{"name":"echo","task":{}}`, mcp.CodeInternalError)
}

// TestEngineTTLGrant: the ttl asked for is granted, clamped to MaxTTL, or
// DefaultTTL when none is asked for; null (unlimited) only with
// UnlimitedTTL; below 1 ms is -32602.
func TestEngineTTLGrant(t *testing.T) {
	ctx := context.Background()
	s := newEngineServer(t, nil, nil, mcp.EngineOptions{DefaultTTL: 90 * time.Second, MaxTTL: 10 * time.Minute})
	for _, tc := range []struct {
		ask  *int64
		want int64
	}{{nil, 90000}, {int64p(5000), 5000}, {int64p(24 * 3600 * 1000), 600000}, {int64p(1), 1}} {
		if got := s.startTask(ctx, "echo", nil, tc.ask).TTL; got == nil || *got != tc.want {
			t.Errorf("ttl %v asked: granted %v, want %d", tc.ask, got, tc.want)
		}
	}
	for _, bad := range []string{`0`, `-5`} {
		e := s.callErr(ctx, mcp.MethodCallTool, `{"name":"echo","task":{"ttl":`+bad+`}}`, mcp.CodeInvalidParams)
		if !strings.Contains(e.Message, "params.task.ttl") {
			t.Errorf("ttl %s: %q", bad, e.Message)
		}
	}
	unlimited := newEngineServer(t, nil, nil, mcp.EngineOptions{UnlimitedTTL: true, MaxTTL: time.Minute})
	if got := unlimited.startTask(ctx, "echo", nil, nil).TTL; got != nil {
		t.Errorf("UnlimitedTTL, no ttl asked: granted %d, want null", *got)
	}
	if got := unlimited.startTask(ctx, "echo", nil, int64p(3600000)).TTL; got == nil || *got != 60000 {
		t.Errorf("UnlimitedTTL still clamps a requested ttl: got %v", got)
	}
	raw := unlimited.mustCall(ctx, mcp.MethodCallTool, `{"name":"echo","task":{}}`)
	if !strings.Contains(string(raw), `"ttl":null`) {
		t.Errorf("an unlimited task's ttl is not null on the wire: %s", raw)
	}
}

// TestEngineTTLFromCreation: a task is kept ttl from its creation, not from
// its last write: every write gives the store what is left of the ttl, and
// the task is gone (unknown, -32602) once it has run out, without any
// request to expire it.
func TestEngineTTLFromCreation(t *testing.T) {
	store := newAuditStore(t)
	release := make(chan struct{})
	s := newEngineServer(t, store, standardTools(release, nil), mcp.EngineOptions{})
	ctx := context.Background()
	start := time.Now()
	task := s.startTask(ctx, "block", nil, int64p(400))
	time.Sleep(200 * time.Millisecond)
	close(release)
	s.waitStatus(ctx, task.TaskID, mcp.TaskStatusCompleted)

	store.mu.Lock()
	var writes []ttlWrite
	for key, w := range store.ttls {
		if strings.HasSuffix(key, "/"+task.TaskID) {
			writes = w
		}
	}
	store.mu.Unlock()
	if len(writes) < 2 {
		t.Fatalf("%d writes of the record, want the creation and the completion", len(writes))
	}
	for i, w := range writes {
		if left := 400*time.Millisecond - w.at.Sub(start); w.ttl <= 0 || w.ttl > left+5*time.Millisecond {
			t.Errorf("write %d at +%v: ttl %v, want at most the %v left of the ttl", i, w.at.Sub(start), w.ttl, left)
		}
	}
	time.Sleep(time.Until(start.Add(450 * time.Millisecond)))
	for _, m := range []string{mcp.MethodGetTask, mcp.MethodGetTaskPayload, mcp.MethodCancelTask} {
		s.callErr(ctx, m, map[string]any{"taskId": task.TaskID}, mcp.CodeInvalidParams)
	}
	if _, v, _ := store.MemoryStore.Get(ctx, "mcp/tasks/t//"+task.TaskID); v != 0 {
		t.Errorf("the store still holds the record after its ttl")
	}
}

// TestEngineExpiryStopsWork: a running task whose ttl runs out is gone, its
// work is cancelled, and a tasks/result waiting on it answers -32602.
func TestEngineExpiryStopsWork(t *testing.T) {
	started := make(chan string, 1)
	stopped := make(chan error, 1)
	tools := standardTools(nil, started)
	tools.tools["block"] = func(ctx context.Context, p *mcp.CallToolRequestParams) (*mcp.CallToolResult, error) {
		started <- "block"
		<-ctx.Done()
		stopped <- context.Cause(ctx)
		return nil, ctx.Err()
	}
	s := newEngineServer(t, nil, tools, mcp.EngineOptions{})
	ctx := context.Background()
	task := s.startTask(ctx, "block", nil, int64p(150))
	waitFor(t, started, "the work starting")
	result := make(chan *mcp.Error, 1)
	go func() {
		_, err := s.call(ctx, mcp.MethodGetTaskPayload, map[string]any{"taskId": task.TaskID})
		result <- err
	}()
	if err := waitFor(t, stopped, "the work stopping"); err == nil {
		t.Errorf("the work's context ended without a cause")
	}
	if err := waitFor(t, result, "tasks/result"); err == nil || err.Code != mcp.CodeInvalidParams || !strings.Contains(err.Message, "expired") {
		t.Errorf("tasks/result of a task that expired while waited on: %+v", err)
	}
	s.callErr(ctx, mcp.MethodGetTask, map[string]any{"taskId": task.TaskID}, mcp.CodeInvalidParams)
}

// TestEngineWorkOutlivesRequest: the work runs detached from the request
// that created it: the request's context ends (as an HTTP request's does
// when its reply is sent), the work goes on and completes, with the
// request's values still in its context.
func TestEngineWorkOutlivesRequest(t *testing.T) {
	type valueKey struct{}
	release := make(chan struct{})
	seen := make(chan any, 1)
	tools := standardTools(release, nil)
	tools.tools["block"] = func(ctx context.Context, p *mcp.CallToolRequestParams) (*mcp.CallToolResult, error) {
		select {
		case <-release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		seen <- ctx.Value(valueKey{})
		return coreTextResult("done"), nil
	}
	s := newEngineServer(t, nil, tools, mcp.EngineOptions{})
	reqCtx, endRequest := context.WithCancel(context.WithValue(context.Background(), valueKey{}, "request value"))
	task := s.startTask(reqCtx, "block", nil, nil)
	endRequest()
	time.Sleep(20 * time.Millisecond)
	close(release)
	if v := waitFor(t, seen, "the work"); v != "request value" {
		t.Errorf("the work's context lost the request's values: %v", v)
	}
	s.waitStatus(context.Background(), task.TaskID, mcp.TaskStatusCompleted)
}

// TestEngineOutcomes: a result completes the task; a JSON-RPC error fails
// it and tasks/result answers that error; an isError result fails it in
// this revision and tasks/result still answers that result; a panic fails
// it with a generic message, the panic's value reaching the log alone.
// tasks/result always carries the related-task _meta.
func TestEngineOutcomes(t *testing.T) {
	s := newEngineServer(t, nil, nil, mcp.EngineOptions{})
	ctx := context.Background()

	ok := s.startTask(ctx, "echo", map[string]any{"text": "hi"}, nil)
	s.waitStatus(ctx, ok.TaskID, mcp.TaskStatusCompleted)
	var res mcp.CallToolResult
	if err := res.UnmarshalJSON(s.mustCall(ctx, mcp.MethodGetTaskPayload, map[string]any{"taskId": ok.TaskID})); err != nil {
		t.Fatal(err)
	}
	if rel, found := mcp.RelatedTaskOf(res.Meta); !found || rel.TaskID != ok.TaskID || res.Content[0].(*mcp.TextContent).Text != "hi" {
		t.Errorf("completed: tasks/result %+v", res)
	}

	rpc := s.startTask(ctx, "rpcerror", nil, nil)
	g := s.waitStatus(ctx, rpc.TaskID, mcp.TaskStatusFailed)
	e := s.callErr(ctx, mcp.MethodGetTaskPayload, map[string]any{"taskId": rpc.TaskID}, -32001)
	if e.Message != "rpcerror: refused" || g.StatusMessage != "rpcerror: refused" || !reflect.DeepEqual(e.Data, map[string]any{"why": "test"}) {
		t.Errorf("JSON-RPC error: tasks/result %+v, statusMessage %q", e, g.StatusMessage)
	}

	failed := s.startTask(ctx, "fail", nil, nil)
	g = s.waitStatus(ctx, failed.TaskID, mcp.TaskStatusFailed)
	res = mcp.CallToolResult{}
	if err := res.UnmarshalJSON(s.mustCall(ctx, mcp.MethodGetTaskPayload, map[string]any{"taskId": failed.TaskID})); err != nil {
		t.Fatal(err)
	}
	if res.IsError == nil || !*res.IsError || g.StatusMessage != "fail: the tool failed" {
		t.Errorf("isError: tasks/result %+v, statusMessage %q", res, g.StatusMessage)
	}
	if rel, found := mcp.RelatedTaskOf(res.Meta); !found || rel.TaskID != failed.TaskID {
		t.Errorf("isError: tasks/result _meta %v", res.Meta)
	}

	boom := s.startTask(ctx, "boom", nil, nil)
	g = s.waitStatus(ctx, boom.TaskID, mcp.TaskStatusFailed)
	e = s.callErr(ctx, mcp.MethodGetTaskPayload, map[string]any{"taskId": boom.TaskID}, mcp.CodeInternalError)
	seen := g.StatusMessage + e.Message + fmt.Sprint(e.Data)
	s.peer.waitNote(t, boom.TaskID, mcp.TaskStatusFailed)
	s.peer.mu.Lock()
	for _, n := range s.peer.notes {
		seen += n.StatusMessage
	}
	s.peer.mu.Unlock()
	if strings.Contains(seen, "secret") || !strings.Contains(e.Message, "panicked") {
		t.Errorf("panic: the peer saw %q", seen)
	}
	if logs := s.logs.all(); !strings.Contains(logs, "secret panic detail 42") || !strings.Contains(logs, "goroutine") {
		t.Errorf("panic: the log hook got %q, want the value and the stack", logs)
	}
	// The engine goes on serving.
	s.waitStatus(ctx, s.startTask(ctx, "echo", nil, nil).TaskID, mcp.TaskStatusCompleted)
}

// TestEngineCancel: tasks/cancel moves a running task to cancelled before
// it answers, stops its work, and the task stays cancelled whatever the
// work returns; tasks/result then answers -32602; a terminal task cannot
// be cancelled (-32602, naming its status).
func TestEngineCancel(t *testing.T) {
	started := make(chan string, 1)
	stopped := make(chan struct{})
	tools := standardTools(nil, started)
	tools.tools["block"] = func(ctx context.Context, p *mcp.CallToolRequestParams) (*mcp.CallToolResult, error) {
		started <- "block"
		<-ctx.Done()
		close(stopped)
		return coreTextResult("a result after the cancel"), nil
	}
	s := newEngineServer(t, nil, tools, mcp.EngineOptions{})
	ctx := context.Background()
	task := s.startTask(ctx, "block", nil, nil)
	waitFor(t, started, "the work")
	var c mcp.CancelTaskResult
	if err := c.UnmarshalJSON(s.mustCall(ctx, mcp.MethodCancelTask, map[string]any{"taskId": task.TaskID})); err != nil {
		t.Fatal(err)
	}
	if c.Status != mcp.TaskStatusCancelled || c.StatusMessage == "" {
		t.Errorf("tasks/cancel answered %+v", c)
	}
	waitFor(t, stopped, "the work stopping")
	time.Sleep(20 * time.Millisecond)
	if g := s.getTask(ctx, task.TaskID); g.Status != mcp.TaskStatusCancelled || g.LastUpdatedAt != c.LastUpdatedAt {
		t.Errorf("after the work returned a result: %+v", g)
	}
	e := s.callErr(ctx, mcp.MethodGetTaskPayload, map[string]any{"taskId": task.TaskID}, mcp.CodeInvalidParams)
	if !strings.Contains(e.Message, "cancelled") {
		t.Errorf("tasks/result of a cancelled task: %q", e.Message)
	}
	for _, id := range []string{task.TaskID, s.waitStatus(ctx, s.startTask(ctx, "echo", nil, nil).TaskID, mcp.TaskStatusCompleted).TaskID} {
		e = s.callErr(ctx, mcp.MethodCancelTask, map[string]any{"taskId": id}, mcp.CodeInvalidParams)
		if !strings.Contains(e.Message, "already") {
			t.Errorf("cancel of a terminal task: %q", e.Message)
		}
	}
	if got := s.peer.statuses(task.TaskID); !slices.Equal(got, []mcp.TaskStatus{mcp.TaskStatusCancelled}) {
		t.Errorf("notifications %q, want one: cancelled", got)
	}
}

// TestEngineCancelAcrossEngines: a cancel through one engine stops the work
// another engine runs, which watches the store.
func TestEngineCancelAcrossEngines(t *testing.T) {
	store := newAuditStore(t)
	started := make(chan string, 1)
	a := newEngineServer(t, store, standardTools(nil, started), mcp.EngineOptions{})
	b := newEngineServer(t, store, nil, mcp.EngineOptions{})
	ctx := context.Background()
	task := a.startTask(ctx, "block", nil, nil)
	waitFor(t, started, "the work")
	b.mustCall(ctx, mcp.MethodCancelTask, map[string]any{"taskId": task.TaskID})
	deadline := time.Now().Add(5 * time.Second)
	for status, _ := a.engine.TaskStatusOf(ctx, task.TaskID); status != mcp.TaskStatusCancelled || runningTasks(a) != 0; status, _ = a.engine.TaskStatusOf(ctx, task.TaskID) {
		if time.Now().After(deadline) {
			t.Fatalf("engine a still runs the task cancelled through b")
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// runningTasks is the number of tasks whose work s's engine runs.
func runningTasks(s *engineServer) int { return s.engine.RunningTasks() }

// TestEngineTwoEnginesRace: two engines on one store, a cancel through one
// racing the completion of the work on the other, 1000 times: exactly one
// terminal status wins each race, it never changes afterwards, and what
// tasks/result answers (through either engine) matches it. Run it under
// -race.
func TestEngineTwoEnginesRace(t *testing.T) {
	store := newAuditStore(t)
	release := make(chan chan struct{}, 1)
	tools := standardTools(nil, nil)
	tools.tools["race"] = func(ctx context.Context, p *mcp.CallToolRequestParams) (*mcp.CallToolResult, error) {
		r := <-release
		<-r
		return coreTextResult("completed"), nil
	}
	tools.defs = append(tools.defs, mcp.Tool{Name: "race", Execution: &mcp.ToolExecution{TaskSupport: mcp.ToolExecutionTaskSupportOptional}})
	a := newEngineServer(t, store, tools, mcp.EngineOptions{})
	b := newEngineServer(t, store, nil, mcp.EngineOptions{})
	ctx := context.Background()
	n := 1000
	if testing.Short() {
		n = 100
	}
	var cancelWon, completionWon int
	delay := 50
	for i := range n {
		r := make(chan struct{})
		release <- r
		task := a.startTask(ctx, "race", nil, nil)
		var cancelErr *mcp.Error
		var cancelRes json.RawMessage
		var wg sync.WaitGroup
		// Both sides start together; the cancel waits a random moment around
		// delay, which follows the outcomes (longer after a cancel won,
		// shorter after a completion won), so that each side wins a good
		// share of the races on any machine.
		go0 := make(chan struct{})
		wg.Add(2)
		go func() { defer wg.Done(); <-go0; close(r) }()
		go func() {
			defer wg.Done()
			<-go0
			for spin := rand.IntN(2*delay + 1); spin > 0; spin-- {
				runtime.Gosched()
			}
			cancelRes, cancelErr = b.call(ctx, mcp.MethodCancelTask, map[string]any{"taskId": task.TaskID})
		}()
		close(go0)
		wg.Wait()
		// tasks/result through either engine waits for the terminal status.
		res1, err1 := a.call(ctx, mcp.MethodGetTaskPayload, map[string]any{"taskId": task.TaskID})
		res2, err2 := b.call(ctx, mcp.MethodGetTaskPayload, map[string]any{"taskId": task.TaskID})
		final := a.getTask(ctx, task.TaskID)
		switch final.Status {
		case mcp.TaskStatusCancelled:
			cancelWon++
			delay += 5
			if cancelErr != nil || err1 == nil || err2 == nil || err1.Code != mcp.CodeInvalidParams || !strings.Contains(err1.Message, "cancelled") {
				t.Fatalf("race %d: cancelled, but cancel answered %v %s and tasks/result %v %s / %v %s", i, cancelErr, cancelRes, err1, res1, err2, res2)
			}
		case mcp.TaskStatusCompleted:
			completionWon++
			delay = max(0, delay-5)
			if cancelErr == nil || !strings.Contains(cancelErr.Message, "already completed") || err1 != nil || err2 != nil || !strings.Contains(string(res1), "completed") || string(res1) != string(res2) {
				t.Fatalf("race %d: completed, but cancel answered %v %s and tasks/result %v %s / %v %s", i, cancelErr, cancelRes, err1, res1, err2, res2)
			}
		default:
			t.Fatalf("race %d: final status %s", i, final.Status)
		}
		// Nothing moves it afterwards.
		time.Sleep(time.Microsecond)
		if again := b.getTask(ctx, task.TaskID); again.Status != final.Status || again.LastUpdatedAt != final.LastUpdatedAt {
			t.Fatalf("race %d: %s became %s", i, final.Status, again.Status)
		}
	}
	t.Logf("%d races: cancel won %d, completion won %d; %d status moves, all allowed", n, cancelWon, completionWon, store.moves)
	if min(cancelWon, completionWon) < n/20 {
		t.Errorf("one side won %d of %d races: the race was not exercised both ways", min(cancelWon, completionWon), n)
	}
}

// TestEngineClose: Close cancels the work of running tasks, which end
// failed with a generic message, refuses new tasks, and returns once the
// work has.
func TestEngineClose(t *testing.T) {
	started := make(chan string, 1)
	store := newAuditStore(t)
	s := newEngineServer(t, store, standardTools(nil, started), mcp.EngineOptions{})
	reader := newEngineServer(t, store, nil, mcp.EngineOptions{})
	ctx := context.Background()
	task := s.startTask(ctx, "block", nil, nil)
	waitFor(t, started, "the work")
	closeCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := s.engine.Close(closeCtx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	g := reader.getTask(ctx, task.TaskID)
	if g.Status != mcp.TaskStatusFailed || !strings.Contains(g.StatusMessage, "shut down") {
		t.Errorf("a task running at Close: %+v", g)
	}
	e := s.callErr(ctx, mcp.MethodCallTool, `{"name":"echo","task":{}}`, mcp.CodeInternalError)
	if !strings.Contains(e.Message, "shutting down") {
		t.Errorf("a task after Close: %q", e.Message)
	}
}

// TestEngineBlockingResult: tasks/result blocks until the task is terminal
// and answers exactly its result, also through another engine on the
// store; a requestor that gives up ends its wait.
func TestEngineBlockingResult(t *testing.T) {
	store := newAuditStore(t)
	release := make(chan struct{})
	a := newEngineServer(t, store, standardTools(release, nil), mcp.EngineOptions{})
	b := newEngineServer(t, store, nil, mcp.EngineOptions{})
	ctx := context.Background()
	task := a.startTask(ctx, "block", nil, nil)
	got := make(chan json.RawMessage, 1)
	go func() { got <- b.mustCall(ctx, mcp.MethodGetTaskPayload, map[string]any{"taskId": task.TaskID}) }()
	gaveUp, giveUp := context.WithCancel(ctx)
	errc := make(chan *mcp.Error, 1)
	go func() {
		_, err := a.call(gaveUp, mcp.MethodGetTaskPayload, map[string]any{"taskId": task.TaskID})
		errc <- err
	}()
	time.Sleep(30 * time.Millisecond)
	select {
	case r := <-got:
		t.Fatalf("tasks/result answered while the task was working: %s", r)
	default:
	}
	giveUp()
	if err := waitFor(t, errc, "the abandoned tasks/result"); err == nil {
		t.Errorf("an abandoned tasks/result answered a result")
	}
	close(release)
	var res mcp.CallToolResult
	if err := res.UnmarshalJSON(waitFor(t, got, "tasks/result")); err != nil {
		t.Fatal(err)
	}
	if rel, ok := mcp.RelatedTaskOf(res.Meta); !ok || rel.TaskID != task.TaskID || res.Content[0].(*mcp.TextContent).Text != "released" {
		t.Errorf("tasks/result through the other engine: %+v", res)
	}
}

// TestEngineList: tasks/list gives the requestor's tasks in creation order,
// a page at a time, with opaque cursors that stay valid; a cursor the
// engine did not issue is -32602.
func TestEngineList(t *testing.T) {
	s := newEngineServer(t, nil, nil, mcp.EngineOptions{Owner: ownerHook, PageSize: 2})
	alice, bob := asOwner(context.Background(), "alice"), asOwner(context.Background(), "bob")
	var created []string
	for i := range 5 {
		created = append(created, s.startTask(alice, "echo", map[string]any{"text": fmt.Sprint(i)}, nil).TaskID)
		s.startTask(bob, "echo", nil, nil)
	}
	var listed, cursors []string
	var sizes []int
	cursor := ""
	for len(sizes) < 10 {
		var page mcp.ListTasksResult
		if err := page.UnmarshalJSON(s.mustCall(alice, mcp.MethodListTasks, map[string]any{"cursor": cursor})); err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(page.Tasks))
		for _, task := range page.Tasks {
			listed = append(listed, task.TaskID)
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
		if slices.Contains(created, cursor) {
			t.Errorf("cursor %q is a task id", cursor)
		}
		cursors = append(cursors, cursor)
	}
	if !slices.Equal(sizes, []int{2, 2, 1}) || !slices.Equal(listed, created) {
		t.Errorf("pages %v of %q, want [2 2 1] of alice's tasks in creation order %q", sizes, listed, created)
	}
	// A cursor stays valid, and new tasks do not shift a page.
	s.startTask(alice, "echo", nil, nil)
	var again mcp.ListTasksResult
	again.UnmarshalJSON(s.mustCall(alice, mcp.MethodListTasks, map[string]any{"cursor": cursors[0]}))
	if len(again.Tasks) != 2 || again.Tasks[0].TaskID != created[2] || again.Tasks[1].TaskID != created[3] {
		t.Errorf("the first cursor again: %+v", again.Tasks)
	}
	for _, bad := range []string{"x", "not-a-cursor", created[0], base64.RawURLEncoding.EncodeToString([]byte("after:3"))} {
		e := s.callErr(alice, mcp.MethodListTasks, map[string]any{"cursor": bad}, mcp.CodeInvalidParams)
		if !strings.Contains(e.Message, "params.cursor") {
			t.Errorf("cursor %q: %q", bad, e.Message)
		}
	}
}

// TestEngineListOffered: without an Owner hook, tasks/list is not offered
// (ListsTasks false, no tasks.list, -32601) unless ListWithoutOwner says so.
func TestEngineListOffered(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		opts mcp.EngineOptions
		want bool
	}{
		{mcp.EngineOptions{}, false},
		{mcp.EngineOptions{ListWithoutOwner: true}, true},
		{mcp.EngineOptions{Owner: ownerHook}, true},
	} {
		s := newEngineServer(t, nil, nil, tc.opts)
		if s.engine.ListsTasks() != tc.want || (s.engine.ServerTasks().List != nil) != tc.want {
			t.Errorf("%+v: ListsTasks %v, tasks.list %v; want %v", tc.opts, s.engine.ListsTasks(), s.engine.ServerTasks().List, tc.want)
		}
		if _, err := s.engine.ListTasks(asOwner(ctx, "a"), &mcp.PaginatedRequestParams{}); (err == nil) != tc.want {
			t.Errorf("%+v: ListTasks error %v", tc.opts, err)
		}
		if !tc.want {
			s.callErr(ctx, mcp.MethodListTasks, nil, mcp.CodeMethodNotFound)
		}
	}
}

// TestEngineOwnerBinding: tasks are bound to the identity the Owner hook
// derives: another identity's tasks/get, tasks/result and tasks/cancel are
// answered exactly as for an unknown id, and tasks/list shows it nothing of
// them. The empty identity is an identity like any other, not a pass.
func TestEngineOwnerBinding(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	s := newEngineServer(t, nil, standardTools(release, nil), mcp.EngineOptions{Owner: ownerHook})
	empty := newEngineServer(t, nil, nil, mcp.EngineOptions{Owner: ownerHook})
	alice := asOwner(context.Background(), "alice")
	task := s.startTask(alice, "block", nil, nil)
	for _, other := range []string{"bob", "", "alice ", "ALICE"} {
		ctx := asOwner(context.Background(), other)
		for _, m := range []string{mcp.MethodGetTask, mcp.MethodGetTaskPayload, mcp.MethodCancelTask} {
			params := map[string]any{"taskId": task.TaskID}
			_, got := s.call(ctx, m, params)
			_, unknown := empty.call(ctx, m, params) // no task at all by that id
			if got == nil || unknown == nil || !reflect.DeepEqual(got, unknown) {
				t.Errorf("%q %s of alice's task: %+v, want what an unknown id gets: %+v", other, m, got, unknown)
			}
		}
		var page mcp.ListTasksResult
		page.UnmarshalJSON(s.mustCall(ctx, mcp.MethodListTasks, nil))
		if len(page.Tasks) != 0 {
			t.Errorf("%q lists %d of alice's tasks", other, len(page.Tasks))
		}
		if _, known := s.engine.TaskStatusOf(ctx, task.TaskID); known {
			t.Errorf("TaskStatusOf tells %q of alice's task", other)
		}
	}
	// The task is untouched, and alice sees it.
	if g := s.getTask(alice, task.TaskID); g.Status != mcp.TaskStatusWorking {
		t.Errorf("alice's task after the others tried: %s", g.Status)
	}
	// The empty identity's tasks are its own too.
	none := asOwner(context.Background(), "")
	own := s.startTask(none, "echo", nil, nil)
	s.callErr(alice, mcp.MethodGetTask, map[string]any{"taskId": own.TaskID}, mcp.CodeInvalidParams)
	s.getTask(none, own.TaskID)
	// A request the hook cannot identify is refused with the hook's error.
	s.callErr(context.Background(), mcp.MethodCallTool, `{"name":"echo","task":{}}`, mcp.CodeInvalidRequest)
	s.callErr(context.Background(), mcp.MethodGetTask, map[string]any{"taskId": task.TaskID}, mcp.CodeInvalidRequest)
}

// TestEngineLimits: the live tasks of one requestor and of the engine are
// bounded, with an error naming the limit; a finished task frees its slot;
// and creating a task costs the same few store operations however many
// tasks exist (no scan).
func TestEngineLimits(t *testing.T) {
	release := make(chan struct{})
	store := newAuditStore(t)
	s := newEngineServer(t, store, standardTools(release, nil), mcp.EngineOptions{Owner: ownerHook, MaxTasksPerOwner: 2, MaxTasks: 3})
	alice, bob, carol := asOwner(context.Background(), "alice"), asOwner(context.Background(), "bob"), asOwner(context.Background(), "carol")
	s.startTask(alice, "block", nil, nil)
	s.startTask(alice, "block", nil, nil)
	e := s.callErr(alice, mcp.MethodCallTool, `{"name":"block","task":{}}`, mcp.CodeInternalError)
	if !strings.Contains(e.Message, "at most 2") {
		t.Errorf("per-owner limit: %q", e.Message)
	}
	s.startTask(bob, "block", nil, nil)
	e = s.callErr(carol, mcp.MethodCallTool, `{"name":"block","task":{}}`, mcp.CodeInternalError)
	if !strings.Contains(e.Message, "at most 3") {
		t.Errorf("engine limit: %q", e.Message)
	}
	close(release)
	deadline := time.Now().Add(5 * time.Second)
	for s.engine.RunningTasks() != 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	s.waitStatus(carol, s.startTask(carol, "echo", nil, nil).TaskID, mcp.TaskStatusCompleted)

	// The store operations of one create, with few tasks and with many.
	big := newAuditStore(t)
	many := newEngineServer(t, big, nil, mcp.EngineOptions{Owner: ownerHook, MaxTasks: -1, MaxTasksPerOwner: -1})
	opsOfCreate := func() map[string]int {
		before := big.opCounts()
		if _, err := many.engine.Start(many.ctx(alice), nil, func(ctx context.Context) (any, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		}); err != nil {
			t.Fatal(err)
		}
		after := big.opCounts()
		for k := range after {
			if after[k] -= before[k]; after[k] == 0 {
				delete(after, k)
			}
		}
		return after
	}
	first := opsOfCreate()
	for range 3000 {
		many.startTask(alice, "echo", nil, nil)
	}
	for deadline := time.Now().Add(10 * time.Second); runningTasks(many) != 1 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	if later := opsOfCreate(); !reflect.DeepEqual(first, later) || later["list"] != 0 || later["cas"] > 2 {
		t.Errorf("store operations of a create: %v with one task, %v with 3000", first, later)
	}
}

// TestEngineToolAdapter: through the dispatcher, the tool adapter runs a
// plain tool function as a task, under execution.taskSupport: optional and
// required tools run as tasks (the tool sees no task metadata), a
// forbidden tool's task call and a required tool's plain call are refused
// by the dispatcher (-32601).
func TestEngineToolAdapter(t *testing.T) {
	s := newEngineServer(t, nil, nil, mcp.EngineOptions{})
	ctx := context.Background()
	must := s.startTask(ctx, "must", nil, nil)
	s.waitStatus(ctx, must.TaskID, mcp.TaskStatusCompleted)
	if raw := s.mustCall(ctx, mcp.MethodGetTaskPayload, map[string]any{"taskId": must.TaskID}); !strings.Contains(string(raw), "must: task=false") {
		t.Errorf("the tool saw its task metadata: %s", raw)
	}
	s.callErr(ctx, mcp.MethodCallTool, `{"name":"must"}`, mcp.CodeMethodNotFound)
	s.callErr(ctx, mcp.MethodCallTool, `{"name":"plain","task":{}}`, mcp.CodeMethodNotFound)
	if raw := s.mustCall(ctx, mcp.MethodCallTool, `{"name":"plain"}`); !strings.Contains(string(raw), `"plain"`) {
		t.Errorf("plain call: %s", raw)
	}
	// An unknown tool goes to the handler: as a task it fails with the
	// handler's error, which tasks/result answers.
	task := s.startTask(ctx, "nope", nil, nil)
	s.waitStatus(ctx, task.TaskID, mcp.TaskStatusFailed)
	s.callErr(ctx, mcp.MethodGetTaskPayload, map[string]any{"taskId": task.TaskID}, mcp.CodeInvalidParams)
}

// TestEngineInputRequired: work that asks the requestor for input sends the
// request through the Peer with the related-task _meta; the task is
// input_required while it waits and working after, and the notifications
// tell each move in order.
func TestEngineInputRequired(t *testing.T) {
	tools := standardTools(nil, nil)
	asked := make(chan struct{})
	answer := make(chan struct{})
	tools.tools["ask"] = func(ctx context.Context, p *mcp.CallToolRequestParams) (*mcp.CallToolResult, error) {
		var res mcp.ElicitResult
		err := mcp.RequestInput(ctx, mcp.MethodElicit, &mcp.ElicitRequestFormParams{
			Message:         "Delete the file?",
			RequestedSchema: mcp.ElicitRequestFormParamsRequestedSchema{Properties: map[string]mcp.PrimitiveSchemaDefinition{}},
		}, &res)
		if err != nil {
			return nil, err
		}
		return coreTextResult("action " + string(res.Action)), nil
	}
	tools.defs = append(tools.defs, mcp.Tool{Name: "ask", Execution: &mcp.ToolExecution{TaskSupport: mcp.ToolExecutionTaskSupportRequired}})
	s := newEngineServer(t, nil, tools, mcp.EngineOptions{})
	s.peer.answer = func(ctx context.Context, method string, params json.RawMessage) (json.RawMessage, error) {
		close(asked)
		<-answer
		return json.RawMessage(`{"action":"accept","content":{}}`), nil
	}
	ctx := context.Background()
	task := s.startTask(ctx, "ask", nil, nil)
	waitFor(t, asked, "the input request")
	if g := s.getTask(ctx, task.TaskID); g.Status != mcp.TaskStatusInputRequired {
		t.Errorf("while the input request is pending: %s", g.Status)
	}
	s.peer.mu.Lock()
	call := s.peer.calls[0]
	s.peer.mu.Unlock()
	var params mcp.ElicitRequestFormParams
	if err := params.UnmarshalJSON(call.params); err != nil || call.method != mcp.MethodElicit || params.Message != "Delete the file?" {
		t.Errorf("input request %s %s (%v)", call.method, call.params, err)
	}
	var meta map[string]map[string]any
	json.Unmarshal(call.params, &struct {
		Meta *map[string]map[string]any `json:"_meta"`
	}{&meta})
	if meta[mcp.RelatedTaskMetaKey]["taskId"] != task.TaskID {
		t.Errorf("input request _meta %v, want the related task", meta)
	}
	close(answer)
	s.waitStatus(ctx, task.TaskID, mcp.TaskStatusCompleted)
	if raw := s.mustCall(ctx, mcp.MethodGetTaskPayload, map[string]any{"taskId": task.TaskID}); !strings.Contains(string(raw), "action accept") {
		t.Errorf("result %s", raw)
	}
	s.peer.waitNote(t, task.TaskID, mcp.TaskStatusCompleted)
	if got, want := s.peer.statuses(task.TaskID), []mcp.TaskStatus{"input_required", "working", "completed"}; !slices.Equal(got, want) {
		t.Errorf("notifications %q, want %q", got, want)
	}

	// Without a Peer, the work learns at once that no one can answer: the
	// task fails, the requestor is told of an internal error and the log
	// of the missing Peer.
	var logged strings.Builder
	var logMu sync.Mutex
	lone := newEngineServer(t, nil, tools, mcp.EngineOptions{Logf: func(format string, args ...any) {
		logMu.Lock()
		defer logMu.Unlock()
		fmt.Fprintf(&logged, format+"\n", args...)
	}})
	res, err := lone.engine.StartTool(ctx, &mcp.CallToolRequestParams{Name: "ask", Task: &mcp.TaskMetadata{}}, tools.CallTool)
	if err != nil {
		t.Fatal(err)
	}
	g := lone.waitStatus(ctx, res.Task.TaskID, mcp.TaskStatusFailed)
	logMu.Lock()
	log := logged.String()
	logMu.Unlock()
	if g.StatusMessage != "internal error" || !strings.Contains(log, "no Peer") {
		t.Errorf("input without a peer: status message %q, log %q", g.StatusMessage, log)
	}
	if err := mcp.RequestInput(ctx, mcp.MethodElicit, nil, nil); err == nil {
		t.Errorf("RequestInput outside a task's work did not fail")
	}
}

// TestEngineNotificationGate: a task's status notifications wait for the
// reply gate of the request that created it, so that none overtakes the
// CreateTaskResult; without a gate they go out at once. They come in
// lifecycle order.
func TestEngineNotificationGate(t *testing.T) {
	s := newEngineServer(t, nil, nil, mcp.EngineOptions{})
	gated, release := mcp.WithReplyGate(context.Background())
	task := s.startTask(gated, "echo", nil, nil)
	s.waitStatus(context.Background(), task.TaskID, mcp.TaskStatusCompleted)
	time.Sleep(20 * time.Millisecond)
	if got := s.peer.statuses(task.TaskID); len(got) != 0 {
		t.Fatalf("notifications %q before the reply was sent", got)
	}
	release()
	s.peer.waitNote(t, task.TaskID, mcp.TaskStatusCompleted)
	release() // a second call is harmless

	open := s.startTask(context.Background(), "echo", nil, nil)
	s.peer.waitNote(t, open.TaskID, mcp.TaskStatusCompleted)

	quiet := newEngineServer(t, nil, nil, mcp.EngineOptions{NoStatusNotifications: true})
	q := quiet.startTask(context.Background(), "echo", nil, nil)
	quiet.waitStatus(context.Background(), q.TaskID, mcp.TaskStatusCompleted)
	time.Sleep(20 * time.Millisecond)
	if got := quiet.peer.statuses(q.TaskID); len(got) != 0 {
		t.Errorf("NoStatusNotifications, yet %q", got)
	}
}

// TestEngineNotificationOrder: input moves, many at once, then the end:
// the notifications of one task follow the lifecycle, move by move.
func TestEngineNotificationOrder(t *testing.T) {
	tools := standardTools(nil, nil)
	tools.tools["chatty"] = func(ctx context.Context, p *mcp.CallToolRequestParams) (*mcp.CallToolResult, error) {
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				mcp.RequestInput(ctx, mcp.MethodCreateMessage, json.RawMessage(`{"messages":[],"maxTokens":1}`), nil)
			}()
		}
		wg.Wait()
		for range 5 {
			mcp.RequestInput(ctx, mcp.MethodCreateMessage, json.RawMessage(`{"messages":[],"maxTokens":1}`), nil)
		}
		return coreTextResult("ok"), nil
	}
	tools.defs = append(tools.defs, mcp.Tool{Name: "chatty", Execution: &mcp.ToolExecution{TaskSupport: mcp.ToolExecutionTaskSupportOptional}})
	s := newEngineServer(t, nil, tools, mcp.EngineOptions{})
	s.peer.answer = func(ctx context.Context, method string, params json.RawMessage) (json.RawMessage, error) {
		time.Sleep(time.Millisecond)
		return json.RawMessage(`{}`), nil
	}
	for range 20 {
		gated, release := mcp.WithReplyGate(context.Background())
		task := s.startTask(gated, "chatty", nil, nil)
		time.Sleep(time.Millisecond)
		release()
		s.peer.waitNote(t, task.TaskID, mcp.TaskStatusCompleted)
		got := s.peer.statuses(task.TaskID)
		prev := mcp.TaskStatusInitial
		for _, st := range got {
			if err := mcp.ValidateTransition(prev, st); err != nil {
				t.Fatalf("notifications %q: %v", got, err)
			}
			prev = st
		}
		if prev != mcp.TaskStatusCompleted || len(got) < 3 {
			t.Fatalf("notifications %q", got)
		}
	}
}

// TestEngineLostWorker: when the engine running a task is gone (here: cut
// off from the store) its lease lapses, and the task ends failed, saying
// the worker was lost: when it is read, and by the sweep when no one reads
// it.
func TestEngineLostWorker(t *testing.T) {
	shared := newAuditStore(t)
	for _, byRead := range []bool{true, false} {
		view := &cutStore{TaskStore: shared}
		started := make(chan string, 1)
		lease := 90 * time.Millisecond
		a := newEngineServer(t, view, standardTools(nil, started), mcp.EngineOptions{Lease: lease})
		b := newEngineServer(t, shared, nil, mcp.EngineOptions{Lease: lease})
		ctx := context.Background()
		task := a.startTask(ctx, "block", nil, nil)
		waitFor(t, started, "the work")
		// The lease is renewed while the engine lives.
		time.Sleep(2 * lease)
		if g := b.getTask(ctx, task.TaskID); g.Status != mcp.TaskStatusWorking {
			t.Fatalf("a live worker's task: %s (%q)", g.Status, g.StatusMessage)
		}
		view.cut()
		key := "mcp/tasks/t//" + task.TaskID
		deadline := time.Now().Add(5 * time.Second)
		for {
			if byRead {
				if g := b.getTask(ctx, task.TaskID); g.Status == mcp.TaskStatusFailed {
					if !strings.Contains(g.StatusMessage, "lost") {
						t.Errorf("lost worker: %q", g.StatusMessage)
					}
					break
				}
			} else {
				data, _, _ := shared.MemoryStore.Get(ctx, key)
				if strings.Contains(string(data), `"status":"failed"`) {
					if !strings.Contains(string(data), "lost") {
						t.Errorf("swept: %s", data)
					}
					break
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("the task of a lost worker did not fail (by read: %v)", byRead)
			}
			time.Sleep(5 * time.Millisecond)
		}
		e := b.callErr(ctx, mcp.MethodGetTaskPayload, map[string]any{"taskId": task.TaskID}, mcp.CodeInternalError)
		if !strings.Contains(e.Message, "lost") {
			t.Errorf("tasks/result of a lost task: %q", e.Message)
		}
	}
}

// TestEngineClientSide: a client receiving a task-augmented elicitation
// runs it with Start behind the generated ClientDispatcher, and answers the
// task requests with the engine.
func TestEngineClientSide(t *testing.T) {
	e := mcp.NewEngine(mcp.EngineOptions{})
	defer e.Close(context.Background())
	h := &elicitingClient{engine: e}
	d := &mcp.ClientDispatcher{
		Handler: e.ClientHandler(h),
		Capabilities: mcp.ClientCapabilities{Tasks: &mcp.ClientCapabilitiesTasks{
			Cancel:   map[string]any{},
			Requests: &mcp.ClientCapabilitiesTasksRequests{Elicitation: &mcp.ClientCapabilitiesTasksRequestsElicitation{Create: map[string]any{}}},
		}},
	}
	ctx := context.Background()
	raw, rpcErr := d.Dispatch(ctx, mcp.MethodElicit, json.RawMessage(`{"message":"name?","requestedSchema":{"type":"object","properties":{}},"task":{"ttl":60000}}`))
	if rpcErr != nil {
		t.Fatal(rpcErr)
	}
	var created mcp.CreateTaskResult
	created.UnmarshalJSON(raw)
	raw, rpcErr = d.Dispatch(ctx, mcp.MethodGetTaskPayload, json.RawMessage(`{"taskId":"`+created.Task.TaskID+`"}`))
	if rpcErr != nil {
		t.Fatal(rpcErr)
	}
	var res mcp.ElicitResult
	if err := res.UnmarshalJSON(raw); err != nil || res.Action != mcp.ElicitResultActionAccept {
		t.Errorf("tasks/result of the elicitation: %s (%v)", raw, err)
	}
}

type elicitingClient struct {
	mcp.UnimplementedClientHandler
	engine *mcp.Engine
}

func (c *elicitingClient) ElicitAsTask(ctx context.Context, p mcp.ElicitRequestParams) (*mcp.CreateTaskResult, error) {
	return c.engine.Start(ctx, p.(*mcp.ElicitRequestFormParams).Task, func(ctx context.Context) (any, error) {
		return &mcp.ElicitResult{Action: mcp.ElicitResultActionAccept, Content: map[string]mcp.ElicitResultContentValue{}}, nil
	})
}

// TestEngineTaskStatusOf: the dispatcher's TaskStatusOf answers unknown
// tasks and refused cancels before the handler, from the engine.
func TestEngineTaskStatusOf(t *testing.T) {
	s := newEngineServer(t, nil, nil, mcp.EngineOptions{})
	s.disp.TaskStatusOf = s.engine.TaskStatusOf
	ctx := context.Background()
	task := s.startTask(ctx, "echo", nil, nil)
	s.waitStatus(ctx, task.TaskID, mcp.TaskStatusCompleted)
	e := s.callErr(ctx, mcp.MethodCancelTask, map[string]any{"taskId": task.TaskID}, mcp.CodeInvalidParams)
	if !strings.Contains(e.Message, "already completed") {
		t.Errorf("cancel of a completed task: %q", e.Message)
	}
	s.callErr(ctx, mcp.MethodGetTask, map[string]any{"taskId": "nope"}, mcp.CodeInvalidParams)
}

// TestEngineStoreFailure: a store that fails answers -32603 without its
// detail, which reaches the log.
func TestEngineStoreFailure(t *testing.T) {
	view := &cutStore{TaskStore: mcp.NewMemoryStore()}
	s := newEngineServer(t, view, nil, mcp.EngineOptions{})
	view.cut()
	ctx := context.Background()
	e := s.callErr(ctx, mcp.MethodCallTool, `{"name":"echo","task":{}}`, mcp.CodeInternalError)
	if strings.Contains(e.Message, errCut.Error()) || !strings.Contains(s.logs.all(), errCut.Error()) {
		t.Errorf("store failure answered %q, logged %q", e.Message, s.logs.all())
	}
	s.callErr(ctx, mcp.MethodGetTask, map[string]any{"taskId": "x"}, mcp.CodeInternalError)
}

// TestEngineInputWaitsForRequestor: an input request goes out only once
// the requestor can match it to its task: not before the CreateTaskResult
// is sent (the reply gate), and then once the requestor asks about the task
// (here long before the poll interval, the fallback, has passed).
func TestEngineInputWaitsForRequestor(t *testing.T) {
	tools := standardTools(nil, nil)
	tools.tools["ask"] = func(ctx context.Context, p *mcp.CallToolRequestParams) (*mcp.CallToolResult, error) {
		return coreTextResult("asked"), mcp.RequestInput(ctx, mcp.MethodElicit, json.RawMessage(`{"message":"?","requestedSchema":{"type":"object","properties":{}}}`), nil)
	}
	tools.defs = append(tools.defs, mcp.Tool{Name: "ask", Execution: &mcp.ToolExecution{TaskSupport: mcp.ToolExecutionTaskSupportOptional}})
	s := newEngineServer(t, nil, tools, mcp.EngineOptions{PollInterval: time.Minute})
	calls := make(chan time.Time, 1)
	s.peer.answer = func(ctx context.Context, method string, params json.RawMessage) (json.RawMessage, error) {
		calls <- time.Now()
		return json.RawMessage(`{"action":"decline"}`), nil
	}
	quiet := func(why string) {
		t.Helper()
		time.Sleep(30 * time.Millisecond)
		select {
		case <-calls:
			t.Fatal("an input request went out " + why)
		default:
		}
	}
	// The requestor polls, but the reply is not written yet.
	gated, release := mcp.WithReplyGate(context.Background())
	task := s.startTask(gated, "ask", nil, nil)
	s.getTask(context.Background(), task.TaskID)
	quiet("before the CreateTaskResult")
	release()
	waitFor(t, calls, "the input request after the reply and a poll")
	s.waitStatus(context.Background(), task.TaskID, mcp.TaskStatusCompleted)

	// The reply is written, but the requestor has not polled yet.
	gated, release = mcp.WithReplyGate(context.Background())
	task = s.startTask(gated, "ask", nil, nil)
	release()
	quiet("before the requestor asked about the task or a poll interval passed")
	asked := time.Now()
	s.getTask(context.Background(), task.TaskID)
	if at := waitFor(t, calls, "the input request"); at.Sub(asked) > time.Second {
		t.Errorf("the input request went out %v after the first poll", at.Sub(asked))
	}
	s.waitStatus(context.Background(), task.TaskID, mcp.TaskStatusCompleted)
}

// checkedTools is testTools with a CheckToolCall that refuses a tool named
// "unchecked".
type checkedTools struct{ *testTools }

func (c checkedTools) CheckToolCall(ctx context.Context, p *mcp.CallToolRequestParams) error {
	if p.Name == "unchecked" {
		return &mcp.Error{Code: mcp.CodeInvalidParams, Message: "invalid params: params.name: unknown tool"}
	}
	return nil
}

// TestEngineToolCallChecker: a handler's CheckToolCall answers a
// task-augmented tools/call before any task exists.
func TestEngineToolCallChecker(t *testing.T) {
	store := newAuditStore(t)
	e := mcp.NewEngine(mcp.EngineOptions{Store: store})
	defer e.Close(context.Background())
	d := &mcp.ServerDispatcher{
		Handler:         e.ServerHandler(checkedTools{standardTools(nil, nil)}),
		Capabilities:    mcp.ServerCapabilities{Tasks: e.ServerTasks()},
		ToolTaskSupport: mcp.ToolTaskSupportOf(standardTools(nil, nil).defs), // "unchecked" is unknown to it
	}
	before := store.opCounts()["cas"]
	if _, err := d.Dispatch(context.Background(), mcp.MethodCallTool, json.RawMessage(`{"name":"unchecked","task":{}}`)); err == nil || err.Code != mcp.CodeInvalidParams {
		t.Fatalf("a refused call: %v", err)
	}
	if store.opCounts()["cas"] != before {
		t.Errorf("a refused call wrote to the store")
	}
	if _, err := d.Dispatch(context.Background(), mcp.MethodCallTool, json.RawMessage(`{"name":"echo","task":{}}`)); err != nil {
		t.Fatalf("a checked call: %v", err)
	}
}
