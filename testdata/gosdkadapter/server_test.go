package gosdkadapter_test

// The server the tests run: go-sdk tools, and a generated handler with a
// small in-memory task store (modelled on cmd/taskdemo/tasks.go) that runs
// them as tasks through gosdkadapter.SDKTool.

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"example.com/gosdkadapter"
	gen "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
)

const pollIntervalMS = 50

// taskSupport is the execution.taskSupport of the demo tools.
var taskSupport = map[string]gen.ToolExecutionTaskSupport{
	"echo":     gen.ToolExecutionTaskSupportForbidden,
	"slow":     gen.ToolExecutionTaskSupportOptional,
	"boom":     gen.ToolExecutionTaskSupportOptional,
	"research": gen.ToolExecutionTaskSupportRequired,
}

func serverCapabilities() gen.ServerCapabilities {
	return gen.ServerCapabilities{
		Tools: &gen.ServerCapabilitiesTools{},
		Tasks: &gen.ServerCapabilitiesTasks{
			List:   map[string]any{},
			Cancel: map[string]any{},
			Requests: &gen.ServerCapabilitiesTasksRequests{
				Tools: &gen.ServerCapabilitiesTasksRequestsTools{Call: map[string]any{}},
			},
		},
	}
}

type textArgs struct {
	Text string `json:"text"`
}

type slowArgs struct {
	MS   int    `json:"ms" jsonschema:"how long to work, in milliseconds"`
	Text string `json:"text"`
}

type researchArgs struct {
	Topic string `json:"topic"`
}

type researchOut struct {
	Summary string `json:"summary"`
}

func text(s string) *sdk.CallToolResult {
	return &sdk.CallToolResult{Content: []sdk.Content{&sdk.TextContent{Text: s}}}
}

// addTools registers the demo tools with go-sdk.
func addTools(s *sdk.Server) {
	sdk.AddTool(s, &sdk.Tool{Name: "echo", Description: "Echoes text (plain calls only)."},
		func(ctx context.Context, req *sdk.CallToolRequest, in textArgs) (*sdk.CallToolResult, any, error) {
			return text(in.Text), nil, nil
		})
	sdk.AddTool(s, &sdk.Tool{Name: "slow", Description: "Works for ms milliseconds, then echoes text."},
		func(ctx context.Context, req *sdk.CallToolRequest, in slowArgs) (*sdk.CallToolResult, any, error) {
			select {
			case <-time.After(time.Duration(in.MS) * time.Millisecond):
			case <-ctx.Done():
				return nil, nil, ctx.Err()
			}
			if _, leaked := req.Params.Meta[gosdkadapter.TagKey]; leaked {
				return nil, nil, fmt.Errorf("the adapter's tag reached the tool")
			}
			return text(fmt.Sprintf("slow done: %s", in.Text)), nil, nil
		})
	sdk.AddTool(s, &sdk.Tool{Name: "boom", Description: "Fails (a tool error, isError)."},
		func(ctx context.Context, req *sdk.CallToolRequest, in textArgs) (*sdk.CallToolResult, any, error) {
			return nil, nil, fmt.Errorf("boom: %s", in.Text)
		})
	sdk.AddTool(s, &sdk.Tool{Name: "research", Description: "Writes a report (task-augmented calls only)."},
		func(ctx context.Context, req *sdk.CallToolRequest, in researchArgs) (*sdk.CallToolResult, researchOut, error) {
			select {
			case <-time.After(150 * time.Millisecond):
			case <-ctx.Done():
				return nil, researchOut{}, ctx.Err()
			}
			return nil, researchOut{Summary: "report on " + in.Topic}, nil
		})
}

// newServer returns a go-sdk server with the demo tools and the adapter
// installed, and the task store behind it.
func newServer(logw io.Writer) (*sdk.Server, *taskStore) {
	if logw == nil {
		logw = io.Discard
	}
	s := sdk.NewServer(&sdk.Implementation{Name: "gosdkadapter-demo", Version: "0.1.0"},
		&sdk.ServerOptions{Logger: slog.New(slog.NewTextHandler(logw, nil))})
	addTools(s)
	store := newTaskStore()
	d := &gen.ServerDispatcher{
		Handler:      &taskHandler{store: store},
		Capabilities: serverCapabilities(),
		ToolTaskSupport: func(name string) (gen.ToolExecutionTaskSupport, bool) {
			ts, ok := taskSupport[name]
			return ts, ok
		},
		TaskStatusOf: store.statusOf,
	}
	if _, err := gosdkadapter.Install(s, d); err != nil {
		panic(err)
	}
	return s, store
}

// taskHandler is the generated handler: task-augmented tools/call and the
// task methods. Everything else stays with go-sdk.
type taskHandler struct {
	gen.UnimplementedServerHandler
	store *taskStore
}

var _ gen.ServerHandler = (*taskHandler)(nil)

func (h *taskHandler) CallToolAsTask(ctx context.Context, p *gen.CallToolRequestParams) (*gen.CreateTaskResult, error) {
	// The dispatcher leaves a tool ToolTaskSupport does not know to the
	// handler: the tools spec answers -32602, at once rather than as a
	// failed task.
	if _, known := taskSupport[p.Name]; !known {
		return nil, &gen.Error{Code: gen.CodeInvalidParams, Message: fmt.Sprintf("unknown tool %q", p.Name)}
	}
	run := gosdkadapter.SDKTool(ctx)
	if run == nil {
		return nil, &gen.Error{Code: gen.CodeInternalError, Message: "not called through gosdkadapter"}
	}
	ttl := int64(5 * 60 * 1000)
	if p.Task != nil && p.Task.TTL != nil {
		if *p.Task.TTL < 1 {
			return nil, &gen.Error{Code: gen.CodeInvalidParams, Message: "invalid params: params.task.ttl must be positive"}
		}
		ttl = *p.Task.TTL
	}
	t := h.store.create(gosdkadapter.Session(ctx), ttl, run)
	return &gen.CreateTaskResult{Task: t}, nil
}

func (h *taskHandler) GetTask(ctx context.Context, p *gen.GetTaskRequestParams) (*gen.GetTaskResult, error) {
	t, err := h.store.get(gosdkadapter.Session(ctx), p.TaskID)
	if err != nil {
		return nil, err
	}
	return gen.NewGetTaskResult(&t), nil
}

func (h *taskHandler) CancelTask(ctx context.Context, p *gen.CancelTaskRequestParams) (*gen.CancelTaskResult, error) {
	t, err := h.store.cancel(gosdkadapter.Session(ctx), p.TaskID)
	if err != nil {
		return nil, err
	}
	return gen.NewCancelTaskResult(&t), nil
}

func (h *taskHandler) ListTasks(ctx context.Context, p *gen.PaginatedRequestParams) (*gen.ListTasksResult, error) {
	if p.Cursor != "" {
		return nil, &gen.Error{Code: gen.CodeInvalidParams, Message: "invalid params: params.cursor: tasks/list has a single page"}
	}
	return &gen.ListTasksResult{Tasks: h.store.list(gosdkadapter.Session(ctx))}, nil
}

func (h *taskHandler) GetTaskPayload(ctx context.Context, p *gen.GetTaskPayloadRequestParams) (*gen.GetTaskPayloadResult, error) {
	res, err := h.store.result(ctx, gosdkadapter.Session(ctx), p.TaskID)
	if err != nil {
		return nil, err
	}
	payload, err := gen.NewGetTaskPayloadResult(res)
	if err != nil {
		return nil, err
	}
	payload.Meta = gen.SetRelatedTask(payload.Meta, p.TaskID)
	return payload, nil
}

// taskStore keeps tasks in memory, each owned by the go-sdk session that
// created it: another session sees it as unknown.
type taskStore struct {
	mu      sync.Mutex
	tasks   map[string]*taskEntry
	seq     uint64
	illegal atomic.Int64 // moves MoveTo refused: bugs, the tests require 0
	work    sync.WaitGroup
}

type taskEntry struct {
	owner   *sdk.ServerSession
	seq     uint64
	task    gen.Task
	expires time.Time
	result  *gen.CallToolResult
	rpcErr  *gen.Error
	stop    context.CancelFunc
	done    chan struct{}
}

func newTaskStore() *taskStore { return &taskStore{tasks: map[string]*taskEntry{}} }

func (s *taskStore) create(owner *sdk.ServerSession, ttlMS int64, run func(context.Context) (*gen.CallToolResult, error)) gen.Task {
	var b [16]byte
	rand.Read(b[:])
	now := time.Now().UTC()
	stamp := now.Format(time.RFC3339Nano)
	poll := int64(pollIntervalMS)
	ctx, stop := context.WithCancel(context.Background())
	e := &taskEntry{
		owner: owner,
		task: gen.Task{
			TaskID: base64.RawURLEncoding.EncodeToString(b[:]), Status: gen.TaskStatusInitial,
			CreatedAt: stamp, LastUpdatedAt: stamp, TTL: &ttlMS, PollInterval: &poll,
		},
		expires: now.Add(time.Duration(ttlMS) * time.Millisecond),
		stop:    stop,
		done:    make(chan struct{}),
	}
	s.mu.Lock()
	s.seq++
	e.seq = s.seq
	s.tasks[e.task.TaskID] = e
	snapshot := e.task
	s.work.Add(1)
	s.mu.Unlock()
	go func() {
		defer s.work.Done()
		res, err := run(ctx)
		s.finish(e, res, err)
	}()
	return snapshot
}

func (s *taskStore) finish(e *taskEntry, res *gen.CallToolResult, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e.task.Status.IsTerminal() {
		return // cancelled meanwhile
	}
	next, msg := gen.TaskStatusCompleted, ""
	switch {
	case err != nil:
		e.rpcErr = toGenError(err)
		next, msg = gen.TaskStatusFailed, e.rpcErr.Message
	case res.IsError != nil && *res.IsError:
		e.result = res
		next, msg = gen.TaskStatusFailed, "the tool reported an error"
	default:
		e.result = res
	}
	s.moveLocked(e, next, msg)
}

func (s *taskStore) moveLocked(e *taskEntry, next gen.TaskStatus, msg string) bool {
	if err := e.task.MoveTo(next, time.Now()); err != nil {
		s.illegal.Add(1)
		return false
	}
	e.task.StatusMessage = msg
	if next.IsTerminal() {
		close(e.done)
		e.stop()
	}
	return true
}

func (s *taskStore) lookupLocked(owner *sdk.ServerSession, id string) (*taskEntry, error) {
	e, ok := s.tasks[id]
	if ok && !time.Now().Before(e.expires) {
		delete(s.tasks, id)
		e.stop()
		ok = false
	}
	if !ok || e.owner != owner {
		return nil, &gen.Error{Code: gen.CodeInvalidParams, Message: fmt.Sprintf("unknown task %q", id), Data: map[string]any{"taskId": id}}
	}
	return e, nil
}

// statusOf is the dispatcher's TaskStatusOf.
func (s *taskStore) statusOf(ctx context.Context, id string) (gen.TaskStatus, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.lookupLocked(gosdkadapter.Session(ctx), id)
	if err != nil {
		return "", false
	}
	return e.task.Status, true
}

func (s *taskStore) get(owner *sdk.ServerSession, id string) (gen.Task, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.lookupLocked(owner, id)
	if err != nil {
		return gen.Task{}, err
	}
	return e.task, nil
}

func (s *taskStore) cancel(owner *sdk.ServerSession, id string) (gen.Task, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.lookupLocked(owner, id)
	if err != nil {
		return gen.Task{}, err
	}
	if err := gen.ValidateCancel(e.task.Status); err != nil {
		return gen.Task{}, err
	}
	e.rpcErr = &gen.Error{Code: gen.CodeInvalidParams, Message: fmt.Sprintf("task %q was cancelled: it has no result", id)}
	if !s.moveLocked(e, gen.TaskStatusCancelled, "cancelled by tasks/cancel") {
		return gen.Task{}, &gen.Error{Code: gen.CodeInternalError, Message: "task could not be cancelled"}
	}
	return e.task, nil
}

func (s *taskStore) result(ctx context.Context, owner *sdk.ServerSession, id string) (*gen.CallToolResult, error) {
	s.mu.Lock()
	e, err := s.lookupLocked(owner, id)
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	select {
	case <-e.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if e.rpcErr != nil {
		c := *e.rpcErr
		return nil, &c
	}
	return e.result, nil
}

func (s *taskStore) list(owner *sdk.ServerSession) []gen.Task {
	s.mu.Lock()
	defer s.mu.Unlock()
	var entries []*taskEntry
	for _, e := range s.tasks {
		if e.owner == owner && time.Now().Before(e.expires) {
			entries = append(entries, e)
		}
	}
	slices.SortFunc(entries, func(a, b *taskEntry) int { return cmp.Compare(a.seq, b.seq) }) // creation order
	tasks := make([]gen.Task, 0, len(entries))
	for _, e := range entries {
		tasks = append(tasks, e.task)
	}
	return tasks
}

// shutdown stops every task's work and waits for it.
func (s *taskStore) shutdown() {
	s.mu.Lock()
	for _, e := range s.tasks {
		e.stop()
	}
	s.mu.Unlock()
	s.work.Wait()
}

func toGenError(err error) *gen.Error {
	if e, ok := err.(*gen.Error); ok {
		c := *e
		return &c
	}
	return &gen.Error{Code: gen.CodeInternalError, Message: err.Error()}
}
