package generated_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
)

// This file holds what the engine tests share: a peer that records what the
// engine sends, a store that audits every write against the lifecycle, and
// a server made of the generated dispatcher, the engine and a few tools.

// testPeer is the requestor's side of a connection: it records the status
// notifications it gets, in order, and answers requests with answer.
type testPeer struct {
	mu     sync.Mutex
	notes  []mcp.TaskStatusNotificationParams
	noteCh chan mcp.TaskStatusNotificationParams
	calls  []peerCall
	answer func(ctx context.Context, method string, params json.RawMessage) (json.RawMessage, error)
}

type peerCall struct {
	method string
	params json.RawMessage
}

func newTestPeer() *testPeer {
	return &testPeer{noteCh: make(chan mcp.TaskStatusNotificationParams, 10000)}
}

func (p *testPeer) Call(ctx context.Context, method string, params json.RawMessage) (json.RawMessage, error) {
	p.mu.Lock()
	p.calls = append(p.calls, peerCall{method, params})
	answer := p.answer
	p.mu.Unlock()
	if answer == nil {
		return nil, &mcp.Error{Code: mcp.CodeMethodNotFound, Message: "the test peer answers no requests"}
	}
	return answer(ctx, method, params)
}

func (p *testPeer) Notify(ctx context.Context, method string, params json.RawMessage) error {
	if method != mcp.MethodTaskStatusNotification {
		return fmt.Errorf("unexpected notification %s", method)
	}
	var n mcp.TaskStatusNotificationParams
	if err := n.UnmarshalJSON(params); err != nil {
		return fmt.Errorf("notification does not decode: %v: %s", err, params)
	}
	p.mu.Lock()
	p.notes = append(p.notes, n)
	p.mu.Unlock()
	p.noteCh <- n
	return nil
}

// statuses returns the statuses the notifications about id reported, in
// the order they arrived.
func (p *testPeer) statuses(id string) []mcp.TaskStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []mcp.TaskStatus
	for _, n := range p.notes {
		if n.TaskID == id {
			out = append(out, n.Status)
		}
	}
	return out
}

// waitNote waits for a notification that id has status s.
func (p *testPeer) waitNote(t *testing.T, id string, s mcp.TaskStatus) mcp.TaskStatusNotificationParams {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case n := <-p.noteCh:
			if n.TaskID == id && n.Status == s {
				return n
			}
		case <-timeout:
			t.Fatalf("no notification that %s is %s; got %q", id, s, p.statuses(id))
		}
	}
}

// auditStore is a MemoryStore that checks every write of a task record
// against the lifecycle: the first write creates a working task, every
// later one keeps the status or makes a move the lifecycle allows, a
// terminal record never changes status, result or error, and a result or
// error appears only with a terminal status. It also records the ttl of
// every write. Its writes are serialised, so that it sees each old value.
type auditStore struct {
	*mcp.MemoryStore
	t  testing.TB
	mu sync.Mutex
	// ttls holds, per key, the ttl argument of every write and when it was
	// made.
	ttls  map[string][]ttlWrite
	moves int
	// cut, when set, makes every operation of an engine whose context has
	// cutKey fail, as if its process were gone.
	cut map[string]bool
	ops map[string]int // operations by name
}

type ttlWrite struct {
	at  time.Time
	ttl time.Duration
}

func newAuditStore(t testing.TB) *auditStore {
	return &auditStore{MemoryStore: mcp.NewMemoryStore(), t: t, ttls: map[string][]ttlWrite{}, cut: map[string]bool{}, ops: map[string]int{}}
}

// record is the part of the engine's record the audit reads.
type auditRecord struct {
	Task struct {
		Status    mcp.TaskStatus `json:"status"`
		CreatedAt string         `json:"createdAt"`
		TTL       *int64         `json:"ttl"`
	} `json:"task"`
	Result json.RawMessage `json:"result"`
	Error  json.RawMessage `json:"error"`
}

func (s *auditStore) count(op string) {
	s.mu.Lock()
	s.ops[op]++
	s.mu.Unlock()
}

func (s *auditStore) opCounts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for k, v := range s.ops {
		out[k] = v
	}
	return out
}

func (s *auditStore) Get(ctx context.Context, key string) ([]byte, int64, error) {
	s.count("get")
	return s.MemoryStore.Get(ctx, key)
}

func (s *auditStore) List(ctx context.Context, prefix, cursor string, limit int) ([]string, string, error) {
	s.count("list")
	return s.MemoryStore.List(ctx, prefix, cursor, limit)
}

func (s *auditStore) CompareAndSwap(ctx context.Context, key string, old int64, value []byte, ttl time.Duration) (int64, bool, error) {
	s.count("cas")
	s.mu.Lock()
	defer s.mu.Unlock()
	before, version, _ := s.MemoryStore.Get(ctx, key)
	v, ok, err := s.MemoryStore.CompareAndSwap(ctx, key, old, value, ttl)
	if !ok || err != nil || !strings.Contains(key, "/t/") {
		return v, ok, err
	}
	s.ttls[key] = append(s.ttls[key], ttlWrite{time.Now(), ttl})
	var next auditRecord
	if err := json.Unmarshal(value, &next); err != nil {
		s.t.Errorf("audit: %s: a record that does not decode: %v", key, err)
		return v, ok, err
	}
	if (next.Result != nil || next.Error != nil) && !next.Task.Status.IsTerminal() {
		s.t.Errorf("audit: %s: a result or error on a %s task", key, next.Task.Status)
	}
	if version == 0 {
		if next.Task.Status != mcp.TaskStatusInitial {
			s.t.Errorf("audit: %s: created %s, want %s", key, next.Task.Status, mcp.TaskStatusInitial)
		}
		return v, ok, err
	}
	var prev auditRecord
	json.Unmarshal(before, &prev)
	switch {
	case prev.Task.Status.IsTerminal() && (next.Task.Status != prev.Task.Status || string(next.Result) != string(prev.Result) || string(next.Error) != string(prev.Error)):
		s.t.Errorf("audit: %s: a terminal record changed: %s → %s", key, before, value)
	case prev.Task.Status != next.Task.Status:
		if err := mcp.ValidateTransition(prev.Task.Status, next.Task.Status); err != nil {
			s.t.Errorf("audit: %s: %v", key, err)
		}
		s.moves++
	}
	return v, ok, err
}

// cutStore is one engine's view of a shared store, which cut makes fail on
// every operation, as if that engine's process had died: it can no longer
// write, renew its leases or finish its tasks.
type cutStore struct {
	mcp.TaskStore
	mu  sync.Mutex
	off bool
}

var errCut = errors.New("cut off from the store")

func (s *cutStore) cut() {
	s.mu.Lock()
	s.off = true
	s.mu.Unlock()
}

func (s *cutStore) isCut() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.off
}

func (s *cutStore) Get(ctx context.Context, key string) ([]byte, int64, error) {
	if s.isCut() {
		return nil, 0, errCut
	}
	return s.TaskStore.Get(ctx, key)
}

func (s *cutStore) CompareAndSwap(ctx context.Context, key string, old int64, value []byte, ttl time.Duration) (int64, bool, error) {
	if s.isCut() {
		return 0, false, errCut
	}
	return s.TaskStore.CompareAndSwap(ctx, key, old, value, ttl)
}

func (s *cutStore) Delete(ctx context.Context, key string, old int64) (bool, error) {
	if s.isCut() {
		return false, errCut
	}
	return s.TaskStore.Delete(ctx, key, old)
}

func (s *cutStore) List(ctx context.Context, prefix, cursor string, limit int) ([]string, string, error) {
	if s.isCut() {
		return nil, "", errCut
	}
	return s.TaskStore.List(ctx, prefix, cursor, limit)
}

func (s *cutStore) Wait(ctx context.Context, key string, version int64) error {
	if s.isCut() {
		<-ctx.Done()
		return ctx.Err()
	}
	return s.TaskStore.Wait(ctx, key, version)
}

// toolServer is a server's own handler: a table of tools, whose CallTool
// the engine also runs as tasks.
type testTools struct {
	mcp.UnimplementedServerHandler
	tools map[string]func(ctx context.Context, p *mcp.CallToolRequestParams) (*mcp.CallToolResult, error)
	defs  []mcp.Tool
}

func (s *testTools) CallTool(ctx context.Context, p *mcp.CallToolRequestParams) (*mcp.CallToolResult, error) {
	tool := s.tools[p.Name]
	if tool == nil {
		return nil, &mcp.Error{Code: mcp.CodeInvalidParams, Message: "unknown tool " + p.Name}
	}
	return tool(ctx, p)
}

func coreTextResult(text string) *mcp.CallToolResult {
	return &mcp.CallToolResult{Content: []mcp.ContentBlock{&mcp.TextContent{Text: text}}}
}

// engineServer is the generated dispatcher over the engine and testTools,
// as a host would assemble it.
type engineServer struct {
	t      testing.TB
	engine *mcp.Engine
	disp   *mcp.ServerDispatcher
	peer   *testPeer
	tools  *testTools
	logs   *logSink
}

// logSink collects what the engine logs.
type logSink struct {
	mu    sync.Mutex
	lines []string
}

func (l *logSink) logf(format string, args ...any) {
	l.mu.Lock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
	l.mu.Unlock()
}

func (l *logSink) all() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// standardTools are the tools every engine server has: echo (optional),
// block (optional; runs until its context ends or release is closed),
// fail (optional; an isError result), rpcerror (optional; a JSON-RPC
// error), boom (optional; panics), plain (forbidden), must (required).
func standardTools(release chan struct{}, started chan string) *testTools {
	optional := &mcp.ToolExecution{TaskSupport: mcp.ToolExecutionTaskSupportOptional}
	tt := &testTools{tools: map[string]func(context.Context, *mcp.CallToolRequestParams) (*mcp.CallToolResult, error){
		"echo": func(ctx context.Context, p *mcp.CallToolRequestParams) (*mcp.CallToolResult, error) {
			text, _ := p.Arguments["text"].(string)
			return coreTextResult(text), nil
		},
		"block": func(ctx context.Context, p *mcp.CallToolRequestParams) (*mcp.CallToolResult, error) {
			if started != nil {
				started <- "block"
			}
			select {
			case <-ctx.Done():
				return nil, context.Cause(ctx)
			case <-release:
				return coreTextResult("released"), nil
			}
		},
		"fail": func(ctx context.Context, p *mcp.CallToolRequestParams) (*mcp.CallToolResult, error) {
			res := coreTextResult("fail: the tool failed")
			isError := true
			res.IsError = &isError
			return res, nil
		},
		"rpcerror": func(ctx context.Context, p *mcp.CallToolRequestParams) (*mcp.CallToolResult, error) {
			return nil, &mcp.Error{Code: -32001, Message: "rpcerror: refused", Data: map[string]any{"why": "test"}}
		},
		"boom": func(ctx context.Context, p *mcp.CallToolRequestParams) (*mcp.CallToolResult, error) {
			panic("secret panic detail 42")
		},
		"plain": func(ctx context.Context, p *mcp.CallToolRequestParams) (*mcp.CallToolResult, error) {
			return coreTextResult("plain"), nil
		},
		"must": func(ctx context.Context, p *mcp.CallToolRequestParams) (*mcp.CallToolResult, error) {
			return coreTextResult("must: task=" + fmt.Sprint(p.Task != nil)), nil
		},
	}}
	for _, name := range []string{"echo", "block", "fail", "rpcerror", "boom"} {
		tt.defs = append(tt.defs, mcp.Tool{Name: name, Execution: optional})
	}
	tt.defs = append(tt.defs, mcp.Tool{Name: "plain"},
		mcp.Tool{Name: "must", Execution: &mcp.ToolExecution{TaskSupport: mcp.ToolExecutionTaskSupportRequired}})
	return tt
}

// newEngineServer assembles a server on store (a fresh audited store when
// nil) with opts; it closes the engine at the end of the test.
func newEngineServer(t testing.TB, store mcp.TaskStore, tools *testTools, opts mcp.EngineOptions) *engineServer {
	t.Helper()
	if store == nil {
		store = newAuditStore(t)
	}
	if tools == nil {
		tools = standardTools(nil, nil)
	}
	logs := &logSink{}
	opts.Store = store
	if opts.Logf == nil {
		opts.Logf = logs.logf
	}
	if opts.PollInterval == 0 {
		opts.PollInterval = 10 * time.Millisecond
	}
	e := mcp.NewEngine(opts)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := e.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return &engineServer{
		t:      t,
		engine: e,
		peer:   newTestPeer(),
		tools:  tools,
		logs:   logs,
		disp: &mcp.ServerDispatcher{
			Handler:         e.ServerHandler(tools),
			Capabilities:    mcp.ServerCapabilities{Tools: &mcp.ServerCapabilitiesTools{}, Tasks: e.ServerTasks()},
			ToolTaskSupport: mcp.ToolTaskSupportOf(tools.defs),
		},
	}
}

// ownerKey keys the requestor's identity in the test contexts.
type ownerKey struct{}

func asOwner(ctx context.Context, owner string) context.Context {
	return context.WithValue(ctx, ownerKey{}, owner)
}

// ownerHook is an Owner hook reading asOwner's identity; a context
// without one is refused.
func ownerHook(ctx context.Context) (string, error) {
	owner, ok := ctx.Value(ownerKey{}).(string)
	if !ok {
		return "", &mcp.Error{Code: mcp.CodeInvalidRequest, Message: "no identity"}
	}
	return owner, nil
}

// ctx is a request context: it carries the server's peer.
func (s *engineServer) ctx(parent context.Context) context.Context {
	return mcp.WithPeer(parent, s.peer)
}

// call dispatches a request; params is JSON text or a value to marshal.
func (s *engineServer) call(ctx context.Context, method string, params any) (json.RawMessage, *mcp.Error) {
	var raw json.RawMessage
	switch p := params.(type) {
	case nil:
	case string:
		raw = json.RawMessage(p)
	default:
		data, err := json.Marshal(p)
		if err != nil {
			s.t.Fatal(err)
		}
		raw = data
	}
	return s.disp.Dispatch(s.ctx(ctx), method, raw)
}

func (s *engineServer) mustCall(ctx context.Context, method string, params any) json.RawMessage {
	s.t.Helper()
	res, err := s.call(ctx, method, params)
	if err != nil {
		s.t.Fatalf("%s %v: error %d %q", method, params, err.Code, err.Message)
	}
	return res
}

func (s *engineServer) callErr(ctx context.Context, method string, params any, code int64) *mcp.Error {
	s.t.Helper()
	res, err := s.call(ctx, method, params)
	if err == nil {
		s.t.Fatalf("%s %v: result %s, want error %d", method, params, res, code)
	}
	if err.Code != code {
		s.t.Fatalf("%s %v: error %d %q, want %d", method, params, err.Code, err.Message, code)
	}
	return err
}

// startTask calls tool as a task and returns the task it was given.
func (s *engineServer) startTask(ctx context.Context, tool string, args map[string]any, ttl *int64) mcp.Task {
	s.t.Helper()
	task := map[string]any{}
	if ttl != nil {
		task["ttl"] = *ttl
	}
	params := map[string]any{"name": tool, "task": task}
	if args != nil {
		params["arguments"] = args
	}
	var res mcp.CreateTaskResult
	if err := res.UnmarshalJSON(s.mustCall(ctx, mcp.MethodCallTool, params)); err != nil {
		s.t.Fatal(err)
	}
	return res.Task
}

func (s *engineServer) getTask(ctx context.Context, id string) *mcp.GetTaskResult {
	s.t.Helper()
	var res mcp.GetTaskResult
	if err := res.UnmarshalJSON(s.mustCall(ctx, mcp.MethodGetTask, map[string]any{"taskId": id})); err != nil {
		s.t.Fatal(err)
	}
	return &res
}

// waitStatus polls tasks/get until the task has status want.
func (s *engineServer) waitStatus(ctx context.Context, id string, want mcp.TaskStatus) *mcp.GetTaskResult {
	s.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		g := s.getTask(ctx, id)
		if g.Status == want {
			return g
		}
		if g.Status.IsTerminal() || time.Now().After(deadline) {
			s.t.Fatalf("task %s is %s (%q), want %s", id, g.Status, g.StatusMessage, want)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func int64p(v int64) *int64 { return &v }

func waitFor[T any](t testing.TB, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: nothing within 5s", what)
	}
	var zero T
	return zero
}
