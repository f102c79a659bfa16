//go:build ignore

package mcp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"
)

// TaskSupport says whether a tool may run as a task. The extension's schema
// has no tool-level field for it, so it is the server's to say, tool by
// tool; the server alone decides per call.
type TaskSupport int

const (
	// TaskForbidden tools always answer at once, without a task.
	TaskForbidden TaskSupport = iota
	// TaskOptional tools answer at once when their work ends within
	// EngineConfig.SyncWait, and with a task otherwise; a client that did
	// not declare the extension always gets the result at once.
	TaskOptional
	// TaskRequired tools always run as a task; a client that did not
	// declare the extension is answered -32021.
	TaskRequired
)

// TaskWork is the work of a tools/call. It returns the tool's result, which
// must encode as a JSON object (such as a tools/call result: one with isError
// set still completes the task), or an error: a *Error is the JSON-RPC
// error the call ends with, any other error an internal error (-32603) with
// its text. ctx ends when the task is cancelled, expires or the engine
// closes; it is not the request's context, whose values it keeps. A panic
// ends the task failed with a generic error; its detail goes to Logf only.
type TaskWork func(ctx context.Context, run *TaskRun) (result any, err error)

// A ToolCall is one tools/call for CallTool.
type ToolCall struct {
	// Declared is set when the client declared the extension in the
	// request's params._meta (ExtensionDeclared).
	Declared bool
	// Support is the tool's task support.
	Support TaskSupport
	// TTL asks for a task TTL other than the engine's; MaxTTL bounds it.
	TTL time.Duration
	// Work does what the tool does.
	Work TaskWork
}

// A ToolAnswer is the answer to a tools/call: Result, the tool's own result
// with resultType "complete", or Task, the CreateTaskResult of the task now
// running it.
type ToolAnswer struct {
	Result json.RawMessage
	Task   *CreateTaskResult
}

// ErrInputNeedsTask is what TaskRun.Ask returns to work that runs without a
// task (a TaskForbidden tool, or a client without the extension): the host
// asks for such input another way (an input-required result of the core
// methods).
var ErrInputNeedsTask = errors.New("input can only be asked for inside a task")

// errTaskEnded ends an Ask whose task ended meanwhile.
var errTaskEnded = errors.New("the task ended")

// A TaskRun is the engine's handle on one running call, given to its work.
type TaskRun struct {
	e     *Engine
	id    string
	owner string
	ttl   time.Duration
	ctx   context.Context
	stop  context.CancelCauseFunc
	// syncOnly is set for work that runs without a task.
	syncOnly bool
	// gate opens when the reply that carries the task was written.
	gate <-chan struct{}

	mu    sync.Mutex
	phase runPhase
	// promote is closed when the work asks for input before its task
	// exists; created when the task's record is stored or could not be
	// (createErr).
	promote     chan struct{}
	promoteOnce sync.Once
	created     chan struct{}
	createErr   error
	version     int64 // the record's version when it was stored
	first       Task  // the task as it was stored
	// finished ends once the work returned and its end was recorded.
	finished context.Context
	done     context.CancelFunc
	syncOut  runOutcome
	syncDone chan struct{}
}

type runPhase int

const (
	phasePending  runPhase = iota // no task yet: the call may still answer at once
	phaseAnswered                 // answered at once, with the work's result
	phaseTask                     // the task exists (or is being stored)
)

// TaskID is the id of the task, also while the call may still answer
// without one.
func (r *TaskRun) TaskID() string { return r.id }

// Ask asks the requestor for input: the task moves to input_required with
// requests as its inputRequests until tasks/update has answered every one,
// and then back to working; Ask returns the answers. Keys are unique over
// the task's life: one used before is refused. Ask returns early with the
// cause when ctx ends or the task ends, and ErrInputNeedsTask when the call
// runs without a task.
func (r *TaskRun) Ask(ctx context.Context, requests InputRequests) (InputResponses, error) {
	if r.syncOnly {
		return nil, ErrInputNeedsTask
	}
	if len(requests) == 0 {
		return InputResponses{}, nil
	}
	r.promoteOnce.Do(func() { close(r.promote) })
	select {
	case <-r.created:
	case <-ctx.Done():
		return nil, context.Cause(ctx)
	}
	if r.createErr != nil {
		return nil, r.createErr
	}
	pending := make(map[string]json.RawMessage, len(requests))
	for key, req := range requests {
		raw, err := marshal(req)
		if err != nil {
			return nil, fmt.Errorf("encode input request %q: %w", key, err)
		}
		pending[key] = raw
	}
	e := r.e
	_, version, err := e.update(ctx, r.id, func(rec *taskRecord) (bool, error) {
		if rec.Task.Status.IsTerminal() {
			return false, errTaskEnded
		}
		if key, used := rec.askedBefore(requests); used {
			return false, fmt.Errorf("input request key %q was used before in this task", key)
		}
		rec.Pending = pending
		rec.Asked = append(rec.Asked, slices.Sorted(maps.Keys(requests))...)
		rec.Task.StatusMessage = "waiting for input"
		return true, e.move(rec, TaskStatusInputRequired)
	})
	if err != nil {
		return nil, err
	}
	for {
		if err := e.store.Wait(ctx, taskKey(r.id), version); err != nil {
			if ctx.Err() != nil {
				return nil, context.Cause(ctx)
			}
			return nil, fmt.Errorf("wait for input: %w", err)
		}
		var answers map[string]json.RawMessage
		_, version, err = e.update(ctx, r.id, func(rec *taskRecord) (bool, error) {
			if rec.Task.Status.IsTerminal() {
				return false, errTaskEnded
			}
			for key := range requests {
				if _, ok := rec.Answers[key]; !ok {
					return false, nil
				}
			}
			answers = make(map[string]json.RawMessage, len(requests))
			for key := range requests {
				answers[key] = rec.Answers[key]
				delete(rec.Answers, key)
			}
			return true, nil
		})
		switch {
		case errors.Is(err, errGone):
			return nil, errTaskEnded
		case err != nil:
			return nil, err
		case answers == nil:
			continue
		}
		out := make(InputResponses, len(answers))
		for key, raw := range answers {
			resp, err := unmarshalAs[InputResponse]("InputResponse", raw)
			if err != nil {
				return nil, fmt.Errorf("input response %q: %w", key, err)
			}
			out[key] = resp
		}
		return out, nil
	}
}

// A runOutcome is how the work ended: its result as a JSON object, or the
// JSON-RPC error.
type runOutcome struct {
	result json.RawMessage
	err    *Error
}

// replyGateKey keys the gate of WithReplyGate in a context.
type replyGateKey struct{}

// WithReplyGate returns a context to serve one request with, and the
// function the host transport calls once it has written the reply to that
// request (or given up on it). The engine sends no notifications/tasks for
// a task before the reply that carries its CreateTaskResult was written, so
// that no requestor hears of a task before it knows the task exists.
// Without a gate in the context the notifications wait until CallTool has
// returned.
func WithReplyGate(ctx context.Context) (context.Context, func()) {
	ch := make(chan struct{})
	var once sync.Once
	return context.WithValue(ctx, replyGateKey{}, (<-chan struct{})(ch)), func() { once.Do(func() { close(ch) }) }
}

// CallTool serves a tools/call: it decides whether the call answers at once
// or as a task, and runs its work. A task is stored before CallTool returns
// its CreateTaskResult, so a tasks/get right after it finds the task. The
// error is a *Error to answer the call with.
func (e *Engine) CallTool(ctx context.Context, call ToolCall) (ToolAnswer, error) {
	switch {
	case call.Support == TaskRequired && !call.Declared:
		return ToolAnswer{}, MissingCapabilityError()
	case call.Support == TaskForbidden || !call.Declared:
		run := &TaskRun{e: e, ctx: ctx, syncOnly: true}
		out := e.execute(run, call.Work)
		if out.err != nil {
			return ToolAnswer{}, out.err
		}
		return ToolAnswer{Result: out.result}, nil
	}
	owner := e.cfg.Owner(ctx)
	if err := e.reserve(owner); err != nil {
		return ToolAnswer{}, err
	}
	id, err := e.cfg.NewTaskID()
	if err != nil {
		e.release(owner)
		return ToolAnswer{}, &Error{Code: CodeInternalError, Message: "new task id: " + err.Error()}
	}
	runCtx, stop := context.WithCancelCause(context.WithoutCancel(ctx))
	finished, done := context.WithCancel(context.Background())
	run := &TaskRun{
		e: e, id: id, owner: owner, ttl: e.grantTTL(call.TTL),
		ctx: runCtx, stop: stop,
		finished: finished, done: done,
		promote:  make(chan struct{}),
		created:  make(chan struct{}),
		syncDone: make(chan struct{}),
	}
	gate, hasGate := ctx.Value(replyGateKey{}).(<-chan struct{})
	if !hasGate {
		ch := make(chan struct{})
		gate = ch
		defer close(ch)
	}
	run.gate = gate
	closing := context.AfterFunc(e.base, func() { stop(errEngineClosed) })

	wait := e.cfg.SyncWait
	immediate := call.Support == TaskRequired || wait <= 0
	if immediate {
		run.phase = phaseTask
		if err := e.createTask(run); err != nil {
			closing()
			done()
			stop(err)
			e.release(owner)
			return ToolAnswer{}, err
		}
	}
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		defer e.release(owner)
		defer closing()
		defer stop(errTaskEnded)
		defer done()
		e.finish(run, e.execute(run, call.Work))
	}()
	if immediate {
		return ToolAnswer{Task: e.createResult(run)}, nil
	}

	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-run.syncDone:
	case <-timer.C:
	case <-run.promote:
	}
	run.mu.Lock()
	if run.phase == phaseAnswered {
		run.mu.Unlock()
		if run.syncOut.err != nil {
			return ToolAnswer{}, run.syncOut.err
		}
		return ToolAnswer{Result: run.syncOut.result}, nil
	}
	run.phase = phaseTask
	run.mu.Unlock()
	if err := e.createTask(run); err != nil {
		stop(err)
		return ToolAnswer{}, err
	}
	return ToolAnswer{Task: e.createResult(run)}, nil
}

// createTask stores the record of run's task and starts watching it; it
// opens run.created either way.
func (e *Engine) createTask(run *TaskRun) error {
	defer close(run.created)
	rec := e.newRecord(run.id, run.owner, run.ttl)
	version, ok, err := e.save(run.ctx, rec, 0)
	switch {
	case err != nil:
		run.createErr = e.storeFailed("create", err)
	case !ok:
		run.createErr = &Error{Code: CodeInternalError, Message: "task id " + run.id + " is taken"}
	default:
		run.version, run.first = version, rec.Task
		var q *notifyQueue // nil: no notifications to send
		if e.cfg.Peer != nil {
			q = newNotifyQueue()
			e.wg.Add(1)
			go e.notify(run, q)
		}
		e.wg.Add(1)
		go e.watch(run, rec, q)
		return nil
	}
	return run.createErr
}

// createResult is the CreateTaskResult of run's new task.
func (e *Engine) createResult(run *TaskRun) *CreateTaskResult {
	t := run.first
	return &CreateTaskResult{
		Meta:           e.cfg.Meta,
		TaskID:         t.TaskID,
		Status:         t.Status,
		StatusMessage:  t.StatusMessage,
		CreatedAt:      t.CreatedAt,
		LastUpdatedAt:  t.LastUpdatedAt,
		TTLMs:          t.TTLMs,
		PollIntervalMs: t.PollIntervalMs,
	}
}

// execute runs work, turning what it returns, or a panic, into the outcome.
func (e *Engine) execute(run *TaskRun, work TaskWork) (out runOutcome) {
	defer func() {
		if r := recover(); r != nil {
			e.cfg.Logf("task %s: work panicked: %v", run.id, r)
			out = runOutcome{err: &Error{Code: CodeInternalError, Message: "internal error"}}
		}
	}()
	res, err := work(run.ctx, run)
	if err != nil {
		if cause := context.Cause(run.ctx); errors.Is(cause, errEngineClosed) {
			return runOutcome{err: &Error{Code: CodeInternalError, Message: errEngineClosed.Error()}}
		}
		// A *Error is the tool's own answer; any other error's text stays
		// in the log, as the dispatchers keep it.
		return runOutcome{err: toRPCError(run.ctx, "tools/call", err, func(_ context.Context, method string, err error) {
			e.cfg.Logf("task %s: %s: %v", run.id, method, err)
		})}
	}
	data, err := marshal(res)
	if err != nil {
		return runOutcome{err: &Error{Code: CodeInternalError, Message: "encode tool result: " + err.Error()}}
	}
	if jsonKind(data) != "object" {
		return runOutcome{err: &Error{Code: CodeInternalError, Message: "the tool result is not a JSON object"}}
	}
	return runOutcome{result: completeResult(data)}
}

// completeResult adds resultType "complete" to a result object that lacks
// one.
func completeResult(data json.RawMessage) json.RawMessage {
	if _, ok, err := memberValue(data, "resultType"); ok || err != nil {
		return data
	}
	rest := bytes.TrimSpace(data)[1:] // after the '{'
	out := make([]byte, 0, len(data)+len(`{"resultType":"complete",`))
	out = append(out, `{"resultType":"complete"`...)
	if r := bytes.TrimSpace(rest); len(r) > 0 && r[0] != '}' {
		out = append(out, ',')
	}
	return append(out, rest...)
}

// finish records how the work ended: at once, while the call still may
// answer without a task, or in the task's record. A task that ended
// meanwhile (cancelled, expired) keeps that ending.
func (e *Engine) finish(run *TaskRun, out runOutcome) {
	run.mu.Lock()
	if run.phase == phasePending {
		run.phase = phaseAnswered
		run.syncOut = out
		close(run.syncDone)
		run.mu.Unlock()
		return
	}
	run.mu.Unlock()
	<-run.created
	if run.createErr != nil {
		return
	}
	_, _, err := e.update(context.Background(), run.id, func(r *taskRecord) (bool, error) {
		if r.Task.Status.IsTerminal() {
			return false, nil
		}
		r.Pending = nil
		if out.err != nil {
			r.Error = out.err
			r.Task.StatusMessage = out.err.Message
			return true, e.move(r, TaskStatusFailed)
		}
		r.Result = out.result
		r.Task.StatusMessage = ""
		return true, e.move(r, TaskStatusCompleted)
	})
	if err != nil && !errors.Is(err, errGone) {
		e.cfg.Logf("task %s: record its end: %v", run.id, err)
	}
}

// watch follows the record of a task this engine runs: it queues a
// notification for every change of status (or of the pending input) it
// sees, renews the lease while the task runs, and ends the work's context
// when the task ended elsewhere (tasks/cancel on any engine), expired or
// was removed. It returns once the task ended.
func (e *Engine) watch(run *TaskRun, rec *taskRecord, q *notifyQueue) {
	defer e.wg.Done()
	defer q.close()
	key := taskKey(run.id)
	version := run.version
	last := rec
	renewEvery := e.cfg.Lease / 3
	for {
		ctx, cancel := context.WithTimeout(run.finished, renewEvery)
		err := e.store.Wait(ctx, key, version)
		waited := ctx.Err() != nil
		cancel()
		if err != nil && !waited {
			// The store failed rather than the wait ending: do not spin on it.
			e.cfg.Logf("task %s: watch: %v", run.id, err)
			pause(run.finished, renewEvery)
		}
		cur, v, err := e.load(context.Background(), run.id)
		if err != nil {
			e.cfg.Logf("task %s: watch: %v", run.id, err)
			if run.finished.Err() != nil {
				return
			}
			pause(run.finished, renewEvery)
			continue
		}
		if cur == nil {
			run.stop(errTaskEnded)
			return
		}
		if v != version && changedForRequestor(last, cur) {
			q.push(cur)
		}
		version, last = v, cur
		if cur.Task.Status.IsTerminal() {
			run.stop(errTaskEnded)
			return
		}
		if run.finished.Err() != nil {
			// The work ended, and recorded its end, after the load above:
			// read once more, so that the terminal status is not missed.
			if final, fv, err := e.load(context.Background(), run.id); err == nil && final != nil && fv != version && changedForRequestor(last, final) {
				q.push(final)
			}
			run.stop(errTaskEnded)
			return
		}
		if cur.Worker == e.worker && e.now().Add(e.cfg.Lease-renewEvery).UnixMilli() >= cur.LeaseUntil {
			cur.LeaseUntil = e.now().Add(e.cfg.Lease).UnixMilli()
			if next, ok, err := e.save(context.Background(), cur, v); err == nil && ok {
				version = next
			}
		}
	}
}

// pause waits d, or less if ctx ends first.
func pause(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// changedForRequestor reports whether the requestor would see a change
// between two records of a task: its status or its pending input.
func changedForRequestor(a, b *taskRecord) bool {
	if a.Task.Status != b.Task.Status {
		return true
	}
	return b.Task.Status == TaskStatusInputRequired && !slices.Equal(slices.Sorted(maps.Keys(a.Pending)), slices.Sorted(maps.Keys(b.Pending)))
}

// A notifyQueue holds the notifications of one task in order; a nil one
// drops them.
type notifyQueue struct {
	mu     sync.Mutex
	items  []*taskRecord
	closed bool
	signal chan struct{}
}

func newNotifyQueue() *notifyQueue { return &notifyQueue{signal: make(chan struct{}, 1)} }

func (q *notifyQueue) push(rec *taskRecord) {
	if q == nil {
		return
	}
	q.mu.Lock()
	q.items = append(q.items, rec)
	q.mu.Unlock()
	q.wake()
}

func (q *notifyQueue) close() {
	if q == nil {
		return
	}
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.wake()
}

func (q *notifyQueue) wake() {
	select {
	case q.signal <- struct{}{}:
	default:
	}
}

// take returns the queued records, and whether more may come.
func (q *notifyQueue) take() ([]*taskRecord, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	items := q.items
	q.items = nil
	return items, !q.closed
}

// notifiedOwnerKey keys the owner of the task a notification is about.
type notifiedOwnerKey struct{}

// NotifiedOwner returns, from the context of a Peer.Notify call the engine
// makes, the owner of the task the notification is about (EngineConfig.Owner
// of the request that created it), so that the host delivers it to that
// requestor alone.
func NotifiedOwner(ctx context.Context) (owner string, ok bool) {
	owner, ok = ctx.Value(notifiedOwnerKey{}).(string)
	return owner, ok
}

// notify sends a task's notifications through the Peer, in order, once the
// reply carrying the task was written.
func (e *Engine) notify(run *TaskRun, q *notifyQueue) {
	defer e.wg.Done()
	select {
	case <-run.gate:
	case <-e.base.Done():
		return
	}
	ctx := context.WithValue(context.Background(), notifiedOwnerKey{}, run.owner)
	for {
		items, more := q.take()
		for _, rec := range items {
			params, err := rec.notification()
			if err == nil {
				var raw json.RawMessage
				if raw, err = marshal(params); err == nil {
					err = e.cfg.Peer.Notify(ctx, MethodTaskStatusNotification, raw)
				}
			}
			if err != nil {
				e.cfg.Logf("task %s: notify %s: %v", run.id, rec.Task.Status, err)
			}
		}
		if !more {
			return
		}
		<-q.signal
	}
}
