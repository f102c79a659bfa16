package redistore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	ext "github.com/mcpgen-dev/mcpgen/generated/exttasks"
	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
	"github.com/mcpgen-dev/mcpgen/redistore"
	"github.com/mcpgen-dev/mcpgen/redistore/internal/redisserver"
)

// The engines on Redis: each engine gets a client and a Store of its own,
// as a replica in another process would, and all share one redis-server.
// Every successful write goes through a recording Store, so that a test
// can check the whole history of each task's status.

// history is every task status written, by key, with the version of the
// write (which orders the writes of all engines).
type history struct {
	mu    sync.Mutex
	byKey map[string][]write
}

type write struct {
	version int64
	status  string
}

func newHistory() *history { return &history{byKey: map[string][]write{}} }

func (h *history) statuses(key string) []string {
	h.mu.Lock()
	ws := slices.Clone(h.byKey[key])
	h.mu.Unlock()
	slices.SortFunc(ws, func(a, b write) int { return int(a.version - b.version) })
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.status
	}
	return out
}

// recording is a Store that adds each record it writes to a history; both
// engines' records hold the task under "task".
type recording struct {
	*redistore.Store
	h *history
}

func (r recording) CompareAndSwap(ctx context.Context, key string, old int64, value []byte, ttl time.Duration) (int64, bool, error) {
	v, ok, err := r.Store.CompareAndSwap(ctx, key, old, value, ttl)
	if ok && err == nil {
		var rec struct {
			Task struct {
				Status string `json:"status"`
			} `json:"task"`
		}
		if json.Unmarshal(value, &rec) == nil && rec.Task.Status != "" {
			r.h.mu.Lock()
			r.h.byKey[key] = append(r.h.byKey[key], write{v, rec.Task.Status})
			r.h.mu.Unlock()
		}
	}
	return v, ok, err
}

// replicaStore returns a Store on srv with a client of its own.
func replicaStore(t testing.TB, srv *redisserver.Server) (*redistore.Store, *redis.Client) {
	t.Helper()
	c := redis.NewClient(&redis.Options{Network: "unix", Addr: srv.Socket})
	t.Cleanup(func() { c.Close() })
	s, err := redistore.New(context.Background(), c, redistore.Options{KeyspaceEvents: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, c
}

// checkOneTerminal fails t unless statuses start working, hold exactly one
// terminal status, and end with it, which is want.
func checkOneTerminal(t *testing.T, what string, statuses []string, want string) {
	t.Helper()
	terminal := 0
	for _, s := range statuses {
		switch s {
		case "completed", "failed", "cancelled":
			terminal++
		}
	}
	if len(statuses) == 0 || statuses[0] != "working" || terminal != 1 || statuses[len(statuses)-1] != want {
		t.Fatalf("%s: statuses written %q; want working first and %s as the one terminal status, last", what, statuses, want)
	}
}

// spin waits a random moment around delay scheduler yields, as the
// engines' own race tests do, so that each side wins a share of races.
func spin(delay int) {
	for n := rand.IntN(2*delay + 1); n > 0; n-- {
		runtime.Gosched()
	}
}

func races(t *testing.T) int {
	if testing.Short() {
		return 100
	}
	return 1000
}

// coreTools is a core-era server's handler with one tool, race, whose
// calls each take a channel from release and wait for it to close.
type coreTools struct {
	mcp.UnimplementedServerHandler
	release chan chan struct{}
}

var coreRaceTools = []mcp.Tool{{Name: "race", Execution: &mcp.ToolExecution{TaskSupport: mcp.ToolExecutionTaskSupportOptional}}}

func (coreTools) ListTools(context.Context, *mcp.PaginatedRequestParams) (*mcp.ListToolsResult, error) {
	return &mcp.ListToolsResult{Tools: coreRaceTools}, nil
}

func (h coreTools) CallTool(ctx context.Context, p *mcp.CallToolRequestParams) (*mcp.CallToolResult, error) {
	// Every call takes its channel, cancelled or not, so that the next
	// race's channel goes to the next call.
	r := <-h.release
	select {
	case <-r:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return &mcp.CallToolResult{Content: []mcp.ContentBlock{&mcp.TextContent{Text: "done"}}}, nil
}

type coreServer struct {
	engine *mcp.Engine
	d      *mcp.ServerDispatcher
}

func newCoreServer(t *testing.T, store mcp.TaskStore, h mcp.ServerHandler, opts mcp.EngineOptions) *coreServer {
	t.Helper()
	opts.Store = store
	e := mcp.NewEngine(opts)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		e.Close(ctx)
	})
	if h == nil {
		h = coreTools{}
	}
	return &coreServer{engine: e, d: &mcp.ServerDispatcher{
		Handler:         e.ServerHandler(h),
		Capabilities:    mcp.ServerCapabilities{Tools: &mcp.ServerCapabilitiesTools{}, Tasks: e.ServerTasks()},
		ToolTaskSupport: mcp.ToolTaskSupportOf(coreRaceTools),
	}}
}

type nopPeer struct{}

func (nopPeer) Call(context.Context, string, json.RawMessage) (json.RawMessage, error) {
	return nil, &mcp.Error{Code: mcp.CodeMethodNotFound, Message: "no requests"}
}
func (nopPeer) Notify(context.Context, string, json.RawMessage) error { return nil }

func (s *coreServer) call(method, params string) (json.RawMessage, *mcp.Error) {
	ctx, replied := mcp.WithReplyGate(mcp.WithPeer(context.Background(), nopPeer{}))
	defer replied()
	return s.d.Dispatch(ctx, method, json.RawMessage(params))
}

func (s *coreServer) status(t *testing.T, id string) mcp.TaskStatus {
	t.Helper()
	res, rpcErr := s.call(mcp.MethodGetTask, `{"taskId":"`+id+`"}`)
	if rpcErr != nil {
		t.Fatalf("tasks/get %s: %v", id, rpcErr)
	}
	var got mcp.GetTaskResult
	if err := got.UnmarshalJSON(res); err != nil {
		t.Fatalf("tasks/get %s: %v: %s", id, err, res)
	}
	return got.Status
}

// TestCoreEnginesRace: two 2025-11-25 engines on one Redis, a tasks/cancel
// through one racing the completion of the work on the other, 1000 times:
// each race writes exactly one terminal status, the last, and both engines
// read it.
func TestCoreEnginesRace(t *testing.T) {
	srv := redisserver.Start(t)
	h := newHistory()
	sa, _ := replicaStore(t, srv)
	sb, _ := replicaStore(t, srv)
	tools := coreTools{release: make(chan chan struct{}, 1)}
	a := newCoreServer(t, recording{sa, h}, tools, mcp.EngineOptions{})
	b := newCoreServer(t, recording{sb, h}, nil, mcp.EngineOptions{})
	n := races(t)
	counts := map[mcp.TaskStatus]int{}
	delay := 50
	for i := range n {
		r := make(chan struct{})
		tools.release <- r
		res, rpcErr := a.call(mcp.MethodCallTool, `{"name":"race","arguments":{},"task":{"ttl":60000}}`)
		if rpcErr != nil {
			t.Fatalf("race %d: tools/call: %v", i, rpcErr)
		}
		var created mcp.CreateTaskResult
		if err := created.UnmarshalJSON(res); err != nil {
			t.Fatalf("race %d: tools/call answered %s: %v", i, res, err)
		}
		id := created.Task.TaskID
		var cancelErr *mcp.Error
		var wg sync.WaitGroup
		start := make(chan struct{})
		wg.Add(2)
		go func() { defer wg.Done(); <-start; close(r) }()
		go func() {
			defer wg.Done()
			<-start
			spin(delay)
			_, cancelErr = b.call(mcp.MethodCancelTask, `{"taskId":"`+id+`"}`)
		}()
		close(start)
		wg.Wait()
		// tasks/result waits for the terminal status.
		a.call(mcp.MethodGetTaskPayload, `{"taskId":"`+id+`"}`)
		final := b.status(t, id)
		switch final {
		case mcp.TaskStatusCancelled:
			delay += 5
			if cancelErr != nil {
				t.Fatalf("race %d: cancelled, but tasks/cancel answered %v", i, cancelErr)
			}
		case mcp.TaskStatusCompleted:
			delay = max(0, delay-5)
			if cancelErr == nil || !strings.Contains(cancelErr.Message, "already completed") {
				t.Fatalf("race %d: completed, but tasks/cancel answered %v", i, cancelErr)
			}
		default:
			t.Fatalf("race %d: final status %s", i, final)
		}
		if again := a.status(t, id); again != final {
			t.Fatalf("race %d: engine b reads %s, engine a %s", i, final, again)
		}
		counts[final]++
		// The recording adds a write once the engine's call returns: wait
		// for the second one.
		key := coreKey(t, h, id)
		for deadline := time.Now().Add(5 * time.Second); len(h.statuses(key)) < 2 && time.Now().Before(deadline); {
			time.Sleep(200 * time.Microsecond)
		}
		checkOneTerminal(t, fmt.Sprintf("race %d", i), h.statuses(key), string(final))
	}
	t.Logf("%d races on Redis: %v", n, counts)
	if min(counts[mcp.TaskStatusCancelled], counts[mcp.TaskStatusCompleted]) < n/20 {
		t.Errorf("one side won too few of %d races (%v): the race was not exercised both ways", n, counts)
	}
}

// coreKey finds the store key of the core task id in the history (the
// core engine's keys carry the owner as well as the id).
func coreKey(t *testing.T, h *history, id string) string {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	for k := range h.byKey {
		if strings.HasSuffix(k, "/"+id) {
			return k
		}
	}
	t.Fatalf("no record of task %s was written", id)
	return ""
}

const extMeta = `{"io.modelcontextprotocol/clientCapabilities":{"extensions":{"io.modelcontextprotocol/tasks":{}}}}`

func newExtEngine(t *testing.T, cfg ext.EngineConfig) *ext.Engine {
	t.Helper()
	if cfg.Logf == nil {
		cfg.Logf = t.Logf
	}
	e := ext.NewEngine(cfg)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		e.Close(ctx)
	})
	return e
}

func extStatus(t *testing.T, e *ext.Engine, id string) (ext.GetTaskResult, string) {
	t.Helper()
	raw, rpcErr := e.Dispatch(context.Background(), ext.MethodGetTask, json.RawMessage(`{"taskId":"`+id+`","_meta":`+extMeta+`}`))
	if rpcErr != nil {
		t.Fatalf("tasks/get %s: %v", id, rpcErr)
	}
	res, err := ext.UnmarshalGetTaskResult(raw)
	if err != nil {
		t.Fatalf("tasks/get %s: %v: %s", id, err, raw)
	}
	var s struct {
		Status string `json:"status"`
	}
	json.Unmarshal(raw, &s)
	return res, s.Status
}

// TestExtEnginesRace: two extension engines on one Redis, a tasks/cancel
// through one racing the completion on the other, 1000 times: exactly one
// terminal status each time, and a completed task holds the work's result.
func TestExtEnginesRace(t *testing.T) {
	srv := redisserver.Start(t)
	h := newHistory()
	sa, _ := replicaStore(t, srv)
	sb, _ := replicaStore(t, srv)
	runner := newExtEngine(t, ext.EngineConfig{Store: recording{sa, h}, MaxTasks: 2000, MaxTasksPerOwner: 2000})
	canceller := newExtEngine(t, ext.EngineConfig{Store: recording{sb, h}})
	ctx := context.Background()
	n := races(t)
	counts := map[string]int{}
	delay := 50
	for i := range n {
		release := make(chan struct{})
		want := fmt.Sprint("result ", i)
		ans, err := runner.CallTool(ctx, ext.ToolCall{Declared: true, Support: ext.TaskRequired, Work: func(context.Context, *ext.TaskRun) (any, error) {
			<-release
			return map[string]any{"content": []any{map[string]any{"type": "text", "text": want}}}, nil
		}})
		if err != nil || ans.Task == nil {
			t.Fatalf("race %d: CallTool: %v %+v", i, err, ans)
		}
		id := ans.Task.TaskID
		var wg sync.WaitGroup
		start := make(chan struct{})
		wg.Add(2)
		go func() { defer wg.Done(); <-start; close(release) }()
		go func() {
			defer wg.Done()
			<-start
			spin(delay)
			raw, rpcErr := canceller.Dispatch(ctx, ext.MethodCancelTask, json.RawMessage(`{"taskId":"`+id+`","_meta":`+extMeta+`}`))
			if rpcErr != nil || string(raw) != `{"resultType":"complete"}` {
				t.Errorf("race %d: tasks/cancel: %s %v", i, raw, rpcErr)
			}
		}()
		close(start)
		wg.Wait()
		var final ext.GetTaskResult
		var status string
		deadline := time.Now().Add(5 * time.Second)
		for {
			final, status = extStatus(t, canceller, id)
			if status == "completed" || status == "cancelled" || status == "failed" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("race %d: task %s still %s after 5s", i, id, status)
			}
			time.Sleep(200 * time.Microsecond)
		}
		// The runner may still be trying its write: wait until both sides
		// wrote (or lost) theirs.
		key := "io.modelcontextprotocol/tasks/" + id
		for len(h.statuses(key)) < 2 && time.Now().Before(deadline) {
			time.Sleep(200 * time.Microsecond)
		}
		switch r := final.(type) {
		case *ext.GetTaskResultCompleted:
			delay = max(0, delay-5)
			if !strings.Contains(fmt.Sprint(r.Result["content"]), want) {
				t.Fatalf("race %d: completed with %v, want %q", i, r.Result, want)
			}
		case *ext.GetTaskResultCancelled:
			delay += 5
		default:
			t.Fatalf("race %d: ended %T", i, final)
		}
		if _, again := extStatus(t, runner, id); again != status {
			t.Fatalf("race %d: the canceller reads %s, the runner %s", i, status, again)
		}
		counts[status]++
		checkOneTerminal(t, fmt.Sprintf("race %d", i), h.statuses(key), status)
	}
	t.Logf("%d races on Redis: %v", n, counts)
	if min(counts["cancelled"], counts["completed"]) < n/20 {
		t.Errorf("one side won too few of %d races (%v): the race was not exercised both ways", n, counts)
	}
}

// TestExtLostWorker: an engine whose process loses Redis (its client is
// closed, so it can renew no lease) leaves a running task that another
// engine ends failed, "worker lost", within about one lease: never stuck
// in working.
func TestExtLostWorker(t *testing.T) {
	srv := redisserver.Start(t)
	sa, ca := replicaStore(t, srv)
	sb, _ := replicaStore(t, srv)
	const lease = 300 * time.Millisecond
	crashing := ext.NewEngine(ext.EngineConfig{Store: sa, Lease: lease, Logf: func(string, ...any) {}})
	survivor := newExtEngine(t, ext.EngineConfig{Store: sb, Lease: lease})
	release := make(chan struct{})
	defer close(release)
	ans, err := crashing.CallTool(context.Background(), ext.ToolCall{Declared: true, Support: ext.TaskRequired, Work: func(context.Context, *ext.TaskRun) (any, error) {
		<-release
		return map[string]any{}, nil
	}})
	if err != nil || ans.Task == nil {
		t.Fatalf("CallTool: %v %+v", err, ans)
	}
	id := ans.Task.TaskID
	// A live worker renews its lease: the task stays working past it.
	time.Sleep(3 * lease)
	if _, s := extStatus(t, survivor, id); s != "working" {
		t.Fatalf("a task with a live worker is %s", s)
	}
	ca.Close()
	lost := time.Now()
	for {
		res, s := extStatus(t, survivor, id)
		if s == "failed" {
			f := res.(*ext.GetTaskResultFailed)
			if !strings.Contains(f.Error.Message, "worker") || !strings.Contains(f.Error.Message, "lost") {
				t.Errorf("the lost worker's task failed with %+v", f.Error)
			}
			t.Logf("failed %v after the worker lost Redis (lease %v)", time.Since(lost).Round(time.Millisecond), lease)
			if time.Since(lost) > 2*lease+200*time.Millisecond {
				t.Errorf("the task ended %v after its worker was lost, above one lease", time.Since(lost))
			}
			return
		}
		if s != "working" || time.Since(lost) > 5*time.Second {
			t.Fatalf("a lost worker's task is %s %v later", s, time.Since(lost))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestCoreLostWorker is TestExtLostWorker for the 2025-11-25 engine.
func TestCoreLostWorker(t *testing.T) {
	srv := redisserver.Start(t)
	sa, ca := replicaStore(t, srv)
	sb, _ := replicaStore(t, srv)
	const lease = 300 * time.Millisecond
	tools := coreTools{release: make(chan chan struct{}, 1)}
	r := make(chan struct{})
	defer close(r)
	tools.release <- r
	a := mcp.NewEngine(mcp.EngineOptions{Store: sa, Lease: lease, Logf: func(string, ...any) {}})
	da := &mcp.ServerDispatcher{Handler: a.ServerHandler(tools), Capabilities: mcp.ServerCapabilities{Tools: &mcp.ServerCapabilitiesTools{}, Tasks: a.ServerTasks()}, ToolTaskSupport: mcp.ToolTaskSupportOf(coreRaceTools)}
	crashing := &coreServer{engine: a, d: da}
	survivor := newCoreServer(t, sb, nil, mcp.EngineOptions{Lease: lease})
	res, rpcErr := crashing.call(mcp.MethodCallTool, `{"name":"race","arguments":{},"task":{"ttl":60000}}`)
	if rpcErr != nil {
		t.Fatal(rpcErr)
	}
	var created mcp.CreateTaskResult
	if err := created.UnmarshalJSON(res); err != nil {
		t.Fatal(err)
	}
	id := created.Task.TaskID
	time.Sleep(3 * lease)
	if s := survivor.status(t, id); s != mcp.TaskStatusWorking {
		t.Fatalf("a task with a live worker is %s", s)
	}
	ca.Close()
	lost := time.Now()
	for {
		res, rpcErr := survivor.call(mcp.MethodGetTask, `{"taskId":"`+id+`"}`)
		if rpcErr != nil {
			t.Fatal(rpcErr)
		}
		var got mcp.GetTaskResult
		got.UnmarshalJSON(res)
		if got.Status == mcp.TaskStatusFailed {
			if !strings.Contains(got.StatusMessage, "lost") {
				t.Errorf("the lost worker's task failed with %s", res)
			}
			t.Logf("failed %v after the worker lost Redis (lease %v)", time.Since(lost).Round(time.Millisecond), lease)
			if time.Since(lost) > 2*lease+200*time.Millisecond {
				t.Errorf("the task ended %v after its worker was lost, above one lease", time.Since(lost))
			}
			return
		}
		if got.Status != mcp.TaskStatusWorking || time.Since(lost) > 5*time.Second {
			t.Fatalf("a lost worker's task is %s %v later", got.Status, time.Since(lost))
		}
		time.Sleep(20 * time.Millisecond)
	}
}
