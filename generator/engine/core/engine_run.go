//go:build ignore

package mcp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"time"
)

// An engineTask is a task this engine runs: its work's cancel function,
// and the queue of its status notifications.
type engineTask struct {
	e              *Engine
	id, key, owner string
	peer           Peer
	cancel         context.CancelCauseFunc
	stopKeeper     context.CancelFunc
	// notifyCtx is the context notifications are sent with: the creating
	// request's values, without its cancellation.
	notifyCtx context.Context

	// mu is held over this engine's writes of the task, so that they queue
	// their notifications in the order they were written, and guards what
	// follows.
	mu      sync.Mutex
	inputs  int           // input requests in flight
	held    bool          // the CreateTaskResult is not sent yet: notifications wait
	replied chan struct{} // closed when held ends; nil without a reply gate
	// observed is closed once the requestor has asked this engine about
	// the task (tasks/get, tasks/result): it knows the id and follows the
	// task.
	observed     chan struct{}
	observedOnce sync.Once
	queue        []Task // notifications to send, in order
	sending      bool   // a goroutine is sending the queue
}

// engineOutcome is what a task's work ended with.
type engineOutcome struct {
	result json.RawMessage
	err    *Error
	// failed marks a result that reports a failure (isError in a tool's
	// result): the task ends failed, and tasks/result still answers the
	// result.
	failed  bool
	message string // the statusMessage
}

// outcomeOf is the outcome of work that returned res and err.
func (e *Engine) outcomeOf(res any, err error) engineOutcome {
	if err != nil {
		rpcErr := e.rpcError("task work", err)
		return engineOutcome{err: rpcErr, failed: true, message: rpcErr.Message}
	}
	data, err := marshal(res)
	switch {
	case err != nil:
		rpcErr := &Error{Code: CodeInternalError, Message: "encode result: " + err.Error()}
		return engineOutcome{err: rpcErr, failed: true, message: rpcErr.Message}
	case string(data) == "null":
		rpcErr := &Error{Code: CodeInternalError, Message: "handler returned neither a result nor an error"}
		return engineOutcome{err: rpcErr, failed: true, message: rpcErr.Message}
	}
	return engineOutcome{result: data}
}

// Start creates a task for the request ctx belongs to, as asked by its
// task metadata, and runs work as that task, detached from the request:
// the work's context keeps the request's values but not its cancellation
// or deadline, and ends when the task is cancelled (tasks/cancel, through
// any engine sharing the store), when its ttl runs out, or when the engine
// closes. The task is stored before Start returns its CreateTaskResult.
//
// The work's result, encoded as JSON, becomes what tasks/result answers
// and the task completes; an error (a *Error keeps its code) fails the
// task, and tasks/result answers that error; a panic fails it with a
// generic internal error, the panic's value and stack going to Logf alone.
// Within the work, RequestInput asks the requestor for input.
//
// Start serves any task-augmented request: the sampling/createMessage and
// elicitation/create a client receives, say. For tools, StartTool and
// ToolTask add the rules of tool results.
func (e *Engine) Start(ctx context.Context, task *TaskMetadata, work func(ctx context.Context) (any, error)) (*CreateTaskResult, error) {
	return e.start(ctx, task, func(ctx context.Context) engineOutcome {
		return e.outcomeOf(work(ctx))
	})
}

// StartTool runs a tool as the task p asks for: Start with the rule of
// this revision for tool results, that a result with isError ends the task
// failed (with the result's first text as its statusMessage) while
// tasks/result still answers that result. The tool sees p without its
// task metadata, as a plain tools/call would.
//
// It does not consult execution.taskSupport: the ServerDispatcher applies
// it, from its ToolTaskSupport, before CallToolAsTask is called.
func (e *Engine) StartTool(ctx context.Context, p *CallToolRequestParams, tool func(context.Context, *CallToolRequestParams) (*CallToolResult, error)) (*CreateTaskResult, error) {
	plain := *p
	plain.Task = nil
	return e.start(ctx, p.Task, func(ctx context.Context) engineOutcome {
		res, err := tool(ctx, &plain)
		if err == nil && res == nil {
			return e.outcomeOf(nil, nil)
		}
		out := e.outcomeOf(res, err)
		if err == nil && res.IsError != nil && *res.IsError {
			out.failed, out.message = true, engineFirstText(res, "the tool reported an error")
		}
		return out
	})
}

// ToolTask turns a plain tool function into the task-augmented form the
// handler's CallToolAsTask has, through StartTool.
func (e *Engine) ToolTask(tool func(context.Context, *CallToolRequestParams) (*CallToolResult, error)) func(context.Context, *CallToolRequestParams) (*CreateTaskResult, error) {
	return func(ctx context.Context, p *CallToolRequestParams) (*CreateTaskResult, error) {
		return e.StartTool(ctx, p, tool)
	}
}

// engineFirstText is the first non-empty text of a tool result, or
// fallback.
func engineFirstText(res *CallToolResult, fallback string) string {
	for _, c := range res.Content {
		if t, ok := c.(*TextContent); ok && t.Text != "" {
			return t.Text
		}
	}
	return fallback
}

// engineTaskContextKey keys the running task in its work's context.
type engineTaskContextKey struct{}

// start creates the task and runs its work: one goroutine for the work,
// one that renews its lease and watches the store for an end that another
// engine wrote (a cancel, the ttl).
func (e *Engine) start(ctx context.Context, meta *TaskMetadata, work func(context.Context) engineOutcome) (*CreateTaskResult, error) {
	t, rec, version, err := e.create(ctx, meta)
	if err != nil {
		return nil, err
	}
	detached := context.WithValue(context.WithoutCancel(ctx), engineTaskContextKey{}, t)
	t.notifyCtx = context.WithoutCancel(ctx)
	workCtx, cancel := context.WithCancelCause(detached)
	stopExpiry := context.CancelFunc(func() {})
	if rec.Expires != 0 {
		workCtx, stopExpiry = context.WithDeadlineCause(workCtx, time.UnixMilli(rec.Expires), errEngineTaskGone)
	}
	keeperCtx, stopKeeper := context.WithCancel(workCtx)
	t.cancel = func(cause error) {
		cancel(cause)
		stopExpiry()
	}
	t.stopKeeper = stopKeeper
	if g := engineGateOf(ctx); g != nil {
		t.held, t.replied = true, make(chan struct{})
		if !g.hold(t.open) {
			t.held, t.replied = false, nil
		}
	}
	if !e.register(ctx, t, version) {
		t.cancel(errEngineClosed)
		return nil, &Error{Code: CodeInternalError, Message: "internal error: the server is shutting down"}
	}
	go e.keep(keeperCtx, t, version)
	go e.run(workCtx, t, work)
	return &CreateTaskResult{Task: rec.Task}, nil
}

// run runs a task's work and records its outcome.
func (e *Engine) run(ctx context.Context, t *engineTask, work func(context.Context) engineOutcome) {
	defer e.work.Done()
	defer e.forget(t)
	out := e.perform(ctx, t, work)
	t.stopKeeper()
	if errors.Is(context.Cause(ctx), errEngineClosed) && out.err != nil {
		// The work ended because the engine closed; its error says no
		// more than that.
		out = engineOutcome{
			err:     &Error{Code: CodeInternalError, Message: "internal error: the task was stopped: the server shut down"},
			failed:  true,
			message: "the server shut down before the task finished",
		}
	}
	next := TaskStatusCompleted
	if out.failed {
		next = TaskStatusFailed
	}
	e.write(context.WithoutCancel(ctx), t, func(r *engineRecord) error {
		if err := e.moveTo(r, next, out.message); err != nil {
			return err
		}
		r.Result, r.Error = out.result, out.err
		return nil
	})
	t.cancel(errEngineTaskEnded)
}

// perform calls the work, turning a panic into a failure whose detail
// goes to the log alone.
func (e *Engine) perform(ctx context.Context, t *engineTask, work func(context.Context) engineOutcome) (out engineOutcome) {
	defer func() {
		if r := recover(); r != nil {
			e.logf("task %s: the work panicked: %v\n%s", t.id, r, debug.Stack())
			const msg = "internal error: the task's work panicked"
			out = engineOutcome{err: &Error{Code: CodeInternalError, Message: msg}, failed: true, message: msg}
		}
	}()
	return work(ctx)
}

// write applies change to t's record, as this engine's write, and queues
// the status notification when the status changed.
func (e *Engine) write(ctx context.Context, t *engineTask, change func(*engineRecord) error) (*engineRecord, int64, bool, error) {
	t.mu.Lock()
	var before TaskStatus
	rec, version, written, err := e.update(ctx, t.key, func(r *engineRecord) error {
		before = r.Task.Status
		return change(r)
	})
	if written && rec.Task.Status != before {
		t.enqueue(rec.Task)
	}
	t.mu.Unlock()
	t.flush()
	return rec, version, written, err
}

// keep renews the lease of t while its work runs, and ends the work when
// the store says the task ended elsewhere: cancelled through another
// engine, or gone at the end of its ttl.
func (e *Engine) keep(ctx context.Context, t *engineTask, version int64) {
	defer e.work.Done()
	renew := e.lease / 3
	for {
		wait, cancel := context.WithTimeout(ctx, renew)
		err := e.store.Wait(wait, t.key, version)
		cancel()
		switch {
		case ctx.Err() != nil:
			return
		case err == nil:
			rec, v, err := e.load(ctx, t.key)
			switch {
			case err != nil:
				engineSleep(ctx, renew)
				continue
			case rec == nil:
				t.cancel(errEngineTaskGone)
				return
			case rec.Task.Status.IsTerminal():
				t.cancel(errEngineTaskEnded)
				return
			}
			version = v
		case errors.Is(err, context.DeadlineExceeded):
			_, v, written, err := e.update(ctx, t.key, func(r *engineRecord) error {
				if r.Task.Status.IsTerminal() || r.Worker != e.worker {
					return errEngineSkip
				}
				r.Lease = e.now().Add(e.lease).UnixMilli()
				return nil
			})
			if err == nil && written {
				version = v
			}
		default:
			// The store failed; try again later.
			e.logf("task %s: waiting on the store: %v", t.id, err)
			engineSleep(ctx, renew)
		}
	}
}

// engineSleep waits for d or the end of ctx.
func engineSleep(ctx context.Context, d time.Duration) {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-ctx.Done():
	}
}

// RequestInput asks the requestor of the task whose work ctx belongs to for
// input: it sends the request (elicitation/create or
// sampling/createMessage, with params, which it marshals and to whose _meta
// it adds the related-task key) through the Peer the task was created
// with, moves the task to input_required until the answer comes and back
// to working then, and decodes the answer into result (when not nil). A
// JSON-RPC error answer is returned as a *Error.
//
// The request goes out once the requestor can match it to the task: after
// the reply gate of the request that created the task has opened
// (WithReplyGate), and once the requestor has asked about the task
// (tasks/get, tasks/result) or a poll interval has passed.
//
// Several requests may be in flight at once: the task is input_required
// while any is. ctx must be the context the engine gave the work.
func RequestInput(ctx context.Context, method string, params, result any) error {
	t, _ := ctx.Value(engineTaskContextKey{}).(*engineTask)
	if t == nil {
		return errors.New("RequestInput: ctx is not the context of a task's work")
	}
	return t.e.requestInput(ctx, t, method, params, result)
}

func (e *Engine) requestInput(ctx context.Context, t *engineTask, method string, params, result any) error {
	if t.peer == nil {
		return fmt.Errorf("task %s needs input, but no Peer reaches its requestor (WithPeer, EngineOptions.Peer)", t.id)
	}
	if err := e.awaitRequestor(ctx, t); err != nil {
		return err
	}
	data, err := marshal(params)
	if err != nil {
		return fmt.Errorf("RequestInput %s: %w", method, err)
	}
	if data, err = engineWithRelatedTask(data, t.id); err != nil {
		return fmt.Errorf("RequestInput %s: %w", method, err)
	}
	if err := e.inputs(ctx, t, +1); err != nil {
		return err
	}
	raw, callErr := t.peer.Call(ctx, method, data)
	if err := e.inputs(ctx, t, -1); err != nil && callErr == nil {
		return err
	}
	if callErr != nil {
		return enginePeerError(callErr)
	}
	if result == nil {
		return nil
	}
	return json.Unmarshal(raw, result)
}

// awaitRequestor waits until the requestor can tell which task an input
// request is about: its CreateTaskResult has been sent (the reply gate),
// and the requestor has asked about the task since, or a poll interval has
// passed. A requestor that matches input requests to the tasks it follows
// may not follow the task yet the moment its id arrives (ext-tasks 0.2.2
// answers such a request "cancel"); its first poll says it does.
func (e *Engine) awaitRequestor(ctx context.Context, t *engineTask) error {
	if t.replied != nil {
		select {
		case <-t.replied:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
	timer := time.NewTimer(time.Duration(e.pollInterval) * time.Millisecond)
	defer timer.Stop()
	select {
	case <-t.observed:
	case <-timer.C:
	case <-ctx.Done():
		return context.Cause(ctx)
	}
	return nil
}

// observe records that the requestor asked about t.
func (t *engineTask) observe() {
	t.observedOnce.Do(func() { close(t.observed) })
}

// inputs counts an input request in (+1) or out (-1), moving the task to
// input_required with the first and back to working after the last.
func (e *Engine) inputs(ctx context.Context, t *engineTask, delta int) error {
	store := context.WithoutCancel(ctx)
	t.mu.Lock()
	t.inputs += delta
	from, to := TaskStatusWorking, TaskStatusInputRequired
	if delta < 0 {
		from, to = to, from
	}
	moving := delta > 0 && t.inputs == 1 || delta < 0 && t.inputs == 0
	t.mu.Unlock()
	if !moving {
		return nil
	}
	rec, _, _, err := e.write(store, t, func(r *engineRecord) error {
		if r.Task.Status != from {
			return errEngineSkip
		}
		return e.moveTo(r, to, "")
	})
	switch {
	case err != nil:
		return err
	case rec == nil:
		return unknownTask(t.id)
	case rec.Task.Status.IsTerminal() && delta > 0:
		if cause := context.Cause(ctx); cause != nil {
			return cause
		}
		return fmt.Errorf("task %s is already %s", t.id, rec.Task.Status)
	}
	return nil
}

// engineWithRelatedTask adds the related-task key for id to the _meta of
// the params object data.
func engineWithRelatedTask(data json.RawMessage, id string) (json.RawMessage, error) {
	var params map[string]json.RawMessage
	if len(data) == 0 || string(data) == "null" {
		params = map[string]json.RawMessage{}
	} else if err := json.Unmarshal(data, &params); err != nil {
		return nil, fmt.Errorf("params must be a JSON object: %w", err)
	}
	var meta map[string]json.RawMessage
	if raw, ok := params["_meta"]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &meta); err != nil {
			return nil, fmt.Errorf("params._meta must be a JSON object: %w", err)
		}
	}
	if meta == nil {
		meta = map[string]json.RawMessage{}
	}
	related, err := marshal(RelatedTaskMetadata{TaskID: id})
	if err != nil {
		return nil, err
	}
	meta[RelatedTaskMetaKey] = related
	if params["_meta"], err = json.Marshal(meta); err != nil {
		return nil, err
	}
	return json.Marshal(params)
}

// enginePeerError turns what Peer.Call returned for a JSON-RPC error answer
// into a *Error: one of this package's as it is, or any error with an
// RPCError method; any other error stays as it is.
func enginePeerError(err error) error {
	var rpcErr *Error
	if errors.As(err, &rpcErr) {
		return rpcErr
	}
	var coded interface {
		RPCError() (code int64, message string, data json.RawMessage)
	}
	if errors.As(err, &coded) {
		code, message, data := coded.RPCError()
		e := &Error{Code: code, Message: message}
		if len(data) > 0 {
			e.Data = data
		}
		return e
	}
	return err
}
