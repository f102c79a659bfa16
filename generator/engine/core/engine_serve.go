//go:build ignore

package mcp

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"time"
)

var (
	_ ServerTasksHandler = (*Engine)(nil)
	_ ClientTasksHandler = (*Engine)(nil)
)

// lookup reads the task id names for the requestor of ctx: nil when it
// does not exist, has expired or is another owner's.
func (e *Engine) lookup(ctx context.Context, id string) (key string, rec *engineRecord, version int64, err error) {
	owner, err := e.requestor(ctx)
	if err != nil {
		return "", nil, 0, err
	}
	if !engineUsableID(id) {
		return "", nil, 0, nil
	}
	key = e.taskKey(owner, id)
	e.mu.Lock()
	if t := e.running[key]; t != nil {
		t.observe()
	}
	e.mu.Unlock()
	rec, version, err = e.read(ctx, key)
	if rec != nil && rec.Owner != owner {
		// Keys are per owner; this would be a record written under the
		// wrong key.
		return key, nil, 0, nil
	}
	return key, rec, version, err
}

// TaskStatusOf reports the status of a task of the requestor of ctx, for
// ServerDispatcher.TaskStatusOf (or ClientDispatcher's). The engine's own
// methods check what it checks, so setting it only answers unknown tasks
// and refused cancels before the handler runs, at the cost of one more
// read from the store.
func (e *Engine) TaskStatusOf(ctx context.Context, id string) (TaskStatus, bool) {
	_, rec, _, err := e.lookup(ctx, id)
	if err != nil || rec == nil {
		return "", false
	}
	return rec.Task.Status, true
}

// GetTask handles tasks/get.
func (e *Engine) GetTask(ctx context.Context, p *GetTaskRequestParams) (*GetTaskResult, error) {
	_, rec, _, err := e.lookup(ctx, p.TaskID)
	switch {
	case err != nil:
		return nil, err
	case rec == nil:
		return nil, unknownTask(p.TaskID)
	}
	return NewGetTaskResult(&rec.Task), nil
}

// GetTaskPayload handles tasks/result: it waits until the task is terminal
// (through the store, so that it sees an end written by any engine),
// then answers exactly what the original request answers, its result with
// the related-task _meta or its JSON-RPC error. It returns ctx's error if
// ctx ends first; a task that expires meanwhile is unknown (-32602).
func (e *Engine) GetTaskPayload(ctx context.Context, p *GetTaskPayloadRequestParams) (*GetTaskPayloadResult, error) {
	key, rec, version, err := e.lookup(ctx, p.TaskID)
	for {
		switch {
		case err != nil:
			return nil, err
		case rec == nil:
			return nil, unknownTask(p.TaskID)
		case rec.Task.Status.IsTerminal():
			return e.payload(rec)
		}
		if err := e.await(ctx, key, rec, version); err != nil {
			return nil, err
		}
		rec, version, err = e.read(ctx, key)
	}
}

// await waits until the record under key changes from version, or until
// its lease or ttl runs out, when nothing may write it.
func (e *Engine) await(ctx context.Context, key string, rec *engineRecord, version int64) error {
	wait := ctx
	var deadline time.Time
	if rec.Lease != 0 {
		// Some slack, so that the worker's renewal lands first.
		deadline = time.UnixMilli(rec.Lease).Add(e.lease / 10)
	}
	if rec.Expires != 0 && (deadline.IsZero() || rec.Expires < deadline.UnixMilli()) {
		deadline = time.UnixMilli(rec.Expires)
	}
	if !deadline.IsZero() {
		var cancel context.CancelFunc
		wait, cancel = context.WithDeadline(ctx, deadline)
		defer cancel()
	}
	err := e.store.Wait(wait, key, version)
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case err != nil && wait.Err() == nil:
		return e.storeFailed("wait", err)
	}
	return nil
}

// payload is the tasks/result answer of a terminal task.
func (e *Engine) payload(rec *engineRecord) (*GetTaskPayloadResult, error) {
	if rec.Error != nil {
		rpcErr := *rec.Error
		return nil, &rpcErr
	}
	out := new(GetTaskPayloadResult)
	if err := out.UnmarshalJSON(rec.Result); err != nil {
		return nil, e.storeFailed("decode the result of task "+rec.Task.TaskID, err)
	}
	out.Meta = SetRelatedTask(out.Meta, rec.Task.TaskID)
	return out, nil
}

// CancelTask handles tasks/cancel: the task is cancelled in the store
// before the answer, its work is stopped (by this engine, or by the one
// running it, which watches the store), and tasks/result then answers
// invalid params (-32602): a cancelled task has no result. A terminal task
// is refused with ValidateCancel's error.
func (e *Engine) CancelTask(ctx context.Context, p *CancelTaskRequestParams) (*CancelTaskResult, error) {
	owner, err := e.requestor(ctx)
	if err != nil {
		return nil, err
	}
	if !engineUsableID(p.TaskID) {
		return nil, unknownTask(p.TaskID)
	}
	key := e.taskKey(owner, p.TaskID)
	// Lease and expiry first: a lost task is failed, not cancellable.
	if _, _, err := e.read(ctx, key); err != nil {
		return nil, err
	}
	cancel := func(r *engineRecord) error {
		if r.Owner != owner {
			return errEngineSkip
		}
		if err := ValidateCancel(r.Task.Status); err != nil {
			return err
		}
		if err := e.moveTo(r, TaskStatusCancelled, "cancelled by tasks/cancel"); err != nil {
			return err
		}
		r.Error = &Error{
			Code:    CodeInvalidParams,
			Message: fmt.Sprintf("task %q was cancelled: it has no result", p.TaskID),
			Data:    map[string]any{"taskId": p.TaskID, "status": string(TaskStatusCancelled)},
		}
		return nil
	}
	e.mu.Lock()
	t := e.running[key]
	e.mu.Unlock()
	var rec *engineRecord
	var written bool
	if t != nil {
		rec, _, written, err = e.write(ctx, t, cancel)
	} else {
		rec, _, written, err = e.update(ctx, key, cancel)
	}
	switch {
	case err != nil:
		return nil, err
	case rec == nil || !written:
		return nil, unknownTask(p.TaskID)
	}
	if t != nil {
		t.cancel(errEngineTaskEnded)
	} else {
		e.sendStatus(ctx, PeerOf(ctx), &rec.Task)
	}
	return NewCancelTaskResult(&rec.Task), nil
}

// ListTasks handles tasks/list: the requestor's tasks, in the order they
// were created, PageSize at a time. The cursor is opaque and stable: a
// page starts after the last task of the one before, whatever was created
// or expired meanwhile. A cursor the engine did not issue is invalid
// params (-32602). Without ListsTasks it is method not found (-32601).
func (e *Engine) ListTasks(ctx context.Context, p *PaginatedRequestParams) (*ListTasksResult, error) {
	if !e.listing {
		return nil, methodNotFound(MethodListTasks)
	}
	owner, err := e.requestor(ctx)
	if err != nil {
		return nil, err
	}
	prefix := e.listPrefix(owner)
	after := ""
	if p.Cursor != "" {
		entry, err := base64.RawURLEncoding.DecodeString(string(p.Cursor))
		if err != nil || !engineValidListEntry(string(entry)) {
			return nil, &Error{
				Code:    CodeInvalidParams,
				Message: fmt.Sprintf("invalid params: params.cursor: %q is not a cursor this server issued", p.Cursor),
				Data:    map[string]any{"path": "params.cursor"},
			}
		}
		after = prefix + string(entry)
	}
	keys, next, err := e.store.List(ctx, prefix, after, e.pageSize)
	if err != nil {
		return nil, e.storeFailed("list", err)
	}
	out := &ListTasksResult{Tasks: make([]Task, 0, len(keys))}
	for _, k := range keys {
		entry := strings.TrimPrefix(k, prefix)
		rec, _, err := e.read(ctx, e.taskKey(owner, entry[17:]))
		if err != nil {
			return nil, err
		}
		if rec != nil && rec.Owner == owner {
			out.Tasks = append(out.Tasks, rec.Task)
		}
	}
	if next != "" {
		out.NextCursor = base64.RawURLEncoding.EncodeToString([]byte(strings.TrimPrefix(next, prefix)))
	}
	return out, nil
}

// ToolTaskSupportOf returns, for ServerDispatcher.ToolTaskSupport, the
// execution.taskSupport of each of tools ("forbidden" when absent), and
// false for a name none of them has.
func ToolTaskSupportOf(tools []Tool) func(name string) (ToolExecutionTaskSupport, bool) {
	support := make(map[string]ToolExecutionTaskSupport, len(tools))
	for _, t := range tools {
		s := ToolExecutionTaskSupportForbidden
		if t.Execution != nil && t.Execution.TaskSupport != "" {
			s = t.Execution.TaskSupport
		}
		support[t.Name] = s
	}
	return func(name string) (ToolExecutionTaskSupport, bool) {
		s, ok := support[name]
		return s, ok
	}
}

// ServerHandler returns h with its task requests served by the engine:
// tasks/get, tasks/result, tasks/list and tasks/cancel, and a
// task-augmented tools/call, which runs h's own CallTool as a task
// (StartTool), after h's CheckToolCall when h has one. Everything else
// goes to h.
func (e *Engine) ServerHandler(h ServerHandler) ServerHandler {
	check, _ := h.(ToolCallChecker)
	return engineServerHandler{h, h, e, check} // positional: the embedded field takes the prefix
}

// A ToolCallChecker checks a tools/call before it becomes a task: a
// handler given to Engine.ServerHandler may implement it, so that an
// unknown tool or invalid arguments answer the request at once (its error,
// a *Error keeping its code) and no task is created for them.
type ToolCallChecker interface {
	CheckToolCall(ctx context.Context, p *CallToolRequestParams) error
}

type engineServerHandler struct {
	ServerHandler
	plain  ServerHandler // the embedded handler, by a name the prefix leaves alone
	engine *Engine
	check  ToolCallChecker
}

func (h engineServerHandler) CallToolAsTask(ctx context.Context, p *CallToolRequestParams) (*CreateTaskResult, error) {
	if h.check != nil {
		if err := h.check.CheckToolCall(ctx, p); err != nil {
			return nil, err
		}
	}
	return h.engine.StartTool(ctx, p, h.plain.CallTool)
}

func (h engineServerHandler) GetTask(ctx context.Context, p *GetTaskRequestParams) (*GetTaskResult, error) {
	return h.engine.GetTask(ctx, p)
}

func (h engineServerHandler) GetTaskPayload(ctx context.Context, p *GetTaskPayloadRequestParams) (*GetTaskPayloadResult, error) {
	return h.engine.GetTaskPayload(ctx, p)
}

func (h engineServerHandler) CancelTask(ctx context.Context, p *CancelTaskRequestParams) (*CancelTaskResult, error) {
	return h.engine.CancelTask(ctx, p)
}

func (h engineServerHandler) ListTasks(ctx context.Context, p *PaginatedRequestParams) (*ListTasksResult, error) {
	return h.engine.ListTasks(ctx, p)
}

// ClientHandler returns h with tasks/get, tasks/result, tasks/list and
// tasks/cancel served by the engine, for a client that receives
// task-augmented requests: its handler of a task-augmented
// elicitation/create or sampling/createMessage starts the work with Start.
func (e *Engine) ClientHandler(h ClientHandler) ClientHandler {
	return engineClientHandler{h, e}
}

type engineClientHandler struct {
	ClientHandler
	engine *Engine
}

func (h engineClientHandler) GetTask(ctx context.Context, p *GetTaskRequestParams) (*GetTaskResult, error) {
	return h.engine.GetTask(ctx, p)
}

func (h engineClientHandler) GetTaskPayload(ctx context.Context, p *GetTaskPayloadRequestParams) (*GetTaskPayloadResult, error) {
	return h.engine.GetTaskPayload(ctx, p)
}

func (h engineClientHandler) CancelTask(ctx context.Context, p *CancelTaskRequestParams) (*CancelTaskResult, error) {
	return h.engine.CancelTask(ctx, p)
}

func (h engineClientHandler) ListTasks(ctx context.Context, p *PaginatedRequestParams) (*ListTasksResult, error) {
	return h.engine.ListTasks(ctx, p)
}
