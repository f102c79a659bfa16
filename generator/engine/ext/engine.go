//go:build ignore

package mcp

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"slices"
	"sync"
	"time"
)

// The engine's defaults, for the EngineConfig fields left zero.
const (
	DefaultTaskTTL          = time.Hour
	DefaultPollInterval     = time.Second
	DefaultMaxTasksPerOwner = 100
	DefaultMaxTasks         = 10000
	DefaultTaskLease        = 30 * time.Second
)

// EngineConfig sets up an Engine. Its zero value serves one process with a
// MemoryStore, one owner for every request and no notifications.
type EngineConfig struct {
	// Store keeps the tasks; a new MemoryStore when nil. Engines of several
	// processes that share one store serve each other's tasks.
	Store TaskStore
	// Peer receives notifications/tasks for every status change of a task
	// this engine runs; none are sent when it is nil. The host routes them
	// to the requestor (for example to its subscriptions/listen stream).
	Peer Peer
	// TTL is the ttlMs a task is given, counted from its creation: after it
	// the task is gone and its id answers -32602. Zero means
	// DefaultTaskTTL; a negative TTL means none (ttlMs null), and the
	// store keeps such tasks until something deletes them: the extension
	// has no method for it, so bound them with MaxTTL in a long-running
	// server.
	TTL time.Duration
	// MaxTTL bounds the TTL a ToolCall asks for (and TTL itself); zero
	// leaves it unbounded.
	MaxTTL time.Duration
	// PollInterval is the pollIntervalMs suggested to the requestor; zero
	// means DefaultPollInterval.
	PollInterval time.Duration
	// SyncWait is how long CallTool waits for the work of a TaskOptional
	// tool before it answers with a task: work that ends sooner is
	// answered as a normal result. Zero makes every such call a task.
	SyncWait time.Duration
	// NewTaskID returns the id of a new task. Ids must be unguessable; nil
	// uses 26 characters of crypto/rand base32 (130 bits).
	NewTaskID func() (string, error)
	// Owner returns the identity of the requestor a request comes from
	// (its authorization context). Tasks are bound to the owner that
	// created them: get, update and cancel from any other owner answer as
	// for an unknown id. Nil puts every request under one owner, "".
	Owner func(ctx context.Context) string
	// MaxTasksPerOwner and MaxTasks bound the tasks this engine runs at
	// once, per owner and in total; beyond them a call is refused with
	// -32600. Zero means the default; the bound is per Engine value.
	MaxTasksPerOwner, MaxTasks int
	// Lease is how long a task's record says this engine still runs it;
	// the engine renews it while the work runs. A task whose lease lapsed
	// (its process died) ends failed when it is next read. Zero means
	// DefaultTaskLease.
	Lease time.Duration
	// Meta goes on every result the engine answers with (the server's
	// identity, for example).
	Meta *ResultMetaObject
	// Logf logs what only the operator may see (the detail of a panic);
	// nil means log.Printf.
	Logf func(format string, args ...any)
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Engine runs the tasks of the tasks extension (io.modelcontextprotocol/tasks)
// on a TaskStore: it creates them for tools/call (CallTool), runs their work
// detached from the request, and serves tasks/get, tasks/update and
// tasks/cancel (it is a ServerTasksHandler; Dispatch serves them from raw
// params). Every status change is a compare-and-swap of the task's record
// that the generated lifecycle allows, so that engines sharing a store never
// move a task out of a terminal status. Make one with NewEngine; it is safe
// for concurrent use.
type Engine struct {
	UnimplementedServerHandler

	cfg    EngineConfig
	store  TaskStore
	worker string // names this engine in the leases it holds

	base context.Context // ends with Close
	stop context.CancelFunc
	wg   sync.WaitGroup

	mu     sync.Mutex
	closed bool
	live   map[string]int // running tasks per owner
	total  int
}

var _ ServerHandler = (*Engine)(nil)

// NewEngine returns an Engine; Close stops it.
func NewEngine(cfg EngineConfig) *Engine {
	if cfg.Store == nil {
		cfg.Store = NewMemoryStore()
	}
	if cfg.TTL == 0 {
		cfg.TTL = DefaultTaskTTL
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	if cfg.NewTaskID == nil {
		cfg.NewTaskID = func() (string, error) { return rand.Text(), nil }
	}
	if cfg.Owner == nil {
		cfg.Owner = func(context.Context) string { return "" }
	}
	if cfg.MaxTasksPerOwner <= 0 {
		cfg.MaxTasksPerOwner = DefaultMaxTasksPerOwner
	}
	if cfg.MaxTasks <= 0 {
		cfg.MaxTasks = DefaultMaxTasks
	}
	if cfg.Lease <= 0 {
		cfg.Lease = DefaultTaskLease
	}
	if cfg.Logf == nil {
		cfg.Logf = log.Printf
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	base, stop := context.WithCancel(context.Background())
	return &Engine{
		cfg:    cfg,
		store:  cfg.Store,
		worker: rand.Text(),
		base:   base,
		stop:   stop,
		live:   map[string]int{},
	}
}

// errEngineClosed is the cause of the contexts of work that Close stopped.
var errEngineClosed = errors.New("the server shut down before the task finished")

// Close stops the engine: it takes no new tasks, cancels the work running
// here, records each such task as failed, and waits for the work to return
// until ctx ends.
func (e *Engine) Close(ctx context.Context) error {
	e.mu.Lock()
	e.closed = true
	e.mu.Unlock()
	e.stop()
	done := make(chan struct{})
	go func() {
		e.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("close task engine: %w", ctx.Err())
	}
}

func (e *Engine) now() time.Time { return e.cfg.Now() }

// reserve takes a slot for a running task of owner.
func (e *Engine) reserve(owner string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch {
	case e.closed:
		return &Error{Code: CodeInternalError, Message: "the server is shutting down"}
	case e.live[owner] >= e.cfg.MaxTasksPerOwner:
		return &Error{Code: CodeInvalidRequest, Message: fmt.Sprintf("too many running tasks for this requestor (limit %d)", e.cfg.MaxTasksPerOwner)}
	case e.total >= e.cfg.MaxTasks:
		return &Error{Code: CodeInvalidRequest, Message: fmt.Sprintf("too many running tasks on this server (limit %d)", e.cfg.MaxTasks)}
	}
	e.live[owner]++
	e.total++
	return nil
}

func (e *Engine) release(owner string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.live[owner]--; e.live[owner] <= 0 {
		delete(e.live, owner)
	}
	e.total--
}

// taskRecord is what the store keeps under a task's key.
type taskRecord struct {
	Task  Task   `json:"task"`
	Owner string `json:"owner,omitempty"`
	// ExpiresAt is when the TTL ends, in Unix milliseconds; 0 is never.
	ExpiresAt int64 `json:"expiresAt,omitempty"`
	// Result (completed) and Error (failed) are the outcome.
	Result json.RawMessage `json:"result,omitempty"`
	Error  *Error          `json:"error,omitempty"`
	// Pending holds the input requests the task waits on; Answers the
	// responses to them not yet taken by the work; Asked every key ever
	// issued, so that none is used twice.
	Pending map[string]json.RawMessage `json:"pending,omitempty"`
	Answers map[string]json.RawMessage `json:"answers,omitempty"`
	Asked   []string                   `json:"asked,omitempty"`
	// Worker is the engine running the task, until LeaseUntil (Unix ms).
	Worker     string `json:"worker,omitempty"`
	LeaseUntil int64  `json:"leaseUntil,omitempty"`
}

const taskKeyPrefix = "io.modelcontextprotocol/tasks/"

func taskKey(id string) string { return taskKeyPrefix + id }

// unknownTask is the answer for an id that names no task of the requestor:
// never issued, expired, or another owner's, all alike.
func unknownTask(id string) *Error {
	return &Error{Code: CodeInvalidParams, Message: "unknown task: " + id}
}

// storeFailed reports a store that failed: to the requestor as an
// internal error with no detail (a store's error can name its address),
// to Logf in full.
func (e *Engine) storeFailed(op string, err error) *Error {
	e.cfg.Logf("task store: %s: %v", op, err)
	return &Error{Code: CodeInternalError, Message: "internal error: the task store failed"}
}

// writeFailed is the answer when a write of task id failed: the task is
// gone, or the store failed.
func (e *Engine) writeFailed(id string, err error) *Error {
	if errors.Is(err, errGone) {
		return unknownTask(id)
	}
	return e.storeFailed("write", err)
}

// errGone tells an update that the task's record is absent or expired.
var errGone = errors.New("task is gone")

// load reads a task's record; ok is false when it is absent or expired.
func (e *Engine) load(ctx context.Context, id string) (rec *taskRecord, version int64, err error) {
	data, version, err := e.store.Get(ctx, taskKey(id))
	if err != nil || data == nil {
		return nil, 0, err
	}
	rec = new(taskRecord)
	if err := json.Unmarshal(data, rec); err != nil {
		return nil, 0, fmt.Errorf("task %s: decode record: %w", id, err)
	}
	if rec.ExpiresAt != 0 && e.now().UnixMilli() >= rec.ExpiresAt {
		return nil, 0, nil
	}
	return rec, version, nil
}

// save writes rec over version old, with the expiry left of its TTL.
func (e *Engine) save(ctx context.Context, rec *taskRecord, old int64) (int64, bool, error) {
	var ttl time.Duration
	if rec.ExpiresAt != 0 {
		ttl = time.Duration(rec.ExpiresAt-e.now().UnixMilli()) * time.Millisecond
		if ttl <= 0 {
			return 0, false, errGone
		}
	}
	data, err := json.Marshal(rec)
	if err != nil {
		return 0, false, fmt.Errorf("task %s: encode record: %w", rec.Task.TaskID, err)
	}
	return e.store.CompareAndSwap(ctx, taskKey(rec.Task.TaskID), old, data, ttl)
}

// update applies change to the task's record until it is written without a
// lost race. change reports whether it changed anything; when it did not,
// or returned an error, nothing is written. errGone reports a task that is
// absent or expired.
func (e *Engine) update(ctx context.Context, id string, change func(*taskRecord) (bool, error)) (*taskRecord, int64, error) {
	for {
		rec, version, err := e.load(ctx, id)
		if err != nil {
			return nil, 0, err
		}
		if rec == nil {
			return nil, 0, errGone
		}
		changed, err := change(rec)
		if err != nil || !changed {
			return rec, version, err
		}
		next, ok, err := e.save(ctx, rec, version)
		if err != nil {
			return nil, 0, err
		}
		if ok {
			return rec, next, nil
		}
	}
}

// move changes the record's status through the generated lifecycle.
func (e *Engine) move(rec *taskRecord, next TaskStatus) error {
	return rec.Task.MoveTo(next, e.now())
}

// touch marks a change that keeps the status.
func (e *Engine) touch(rec *taskRecord) {
	rec.Task.LastUpdatedAt = e.now().UTC().Format(time.RFC3339Nano)
}

// newRecord makes the record of a new task, held by this engine.
func (e *Engine) newRecord(id, owner string, ttl time.Duration) *taskRecord {
	now := e.now()
	stamp := now.UTC().Format(time.RFC3339Nano)
	poll := e.cfg.PollInterval.Milliseconds()
	rec := &taskRecord{
		Task: Task{
			TaskID:         id,
			Status:         TaskStatusWorking, // the lifecycle's initial status
			CreatedAt:      stamp,
			LastUpdatedAt:  stamp,
			PollIntervalMs: &poll,
		},
		Owner:      owner,
		Worker:     e.worker,
		LeaseUntil: now.Add(e.cfg.Lease).UnixMilli(),
	}
	if ttl > 0 {
		ms := max(ttl.Milliseconds(), 1)
		rec.Task.TTLMs = &ms
		rec.ExpiresAt = now.UnixMilli() + ms
	}
	return rec
}

// grantTTL is the TTL a task gets when asked for requested (0: the default).
func (e *Engine) grantTTL(requested time.Duration) time.Duration {
	ttl := e.cfg.TTL
	if requested != 0 {
		ttl = requested
	}
	if e.cfg.MaxTTL > 0 && (ttl < 0 || ttl > e.cfg.MaxTTL) {
		ttl = e.cfg.MaxTTL
	}
	return ttl
}

// visible reads the task id names for the requestor of ctx: a task of
// another owner is unknownTask, as is an expired one. A task whose worker
// was lost (its lease lapsed) ends failed here.
func (e *Engine) visible(ctx context.Context, id string) (*taskRecord, *Error) {
	rec, _, err := e.load(ctx, id)
	if err != nil {
		return nil, e.storeFailed("read", err)
	}
	if rec == nil || rec.Owner != e.cfg.Owner(ctx) {
		return nil, unknownTask(id)
	}
	if rec.Task.Status.IsTerminal() || rec.LeaseUntil == 0 || e.now().UnixMilli() < rec.LeaseUntil {
		return rec, nil
	}
	rec, _, err = e.update(ctx, id, func(r *taskRecord) (bool, error) {
		if r.Task.Status.IsTerminal() || e.now().UnixMilli() < r.LeaseUntil {
			return false, nil
		}
		r.Error = &Error{Code: CodeInternalError, Message: "the worker running this task was lost"}
		r.Task.StatusMessage = r.Error.Message
		r.Pending = nil
		return true, e.move(r, TaskStatusFailed)
	})
	if err != nil {
		return nil, e.writeFailed(id, err)
	}
	return rec, nil
}

// GetTask serves tasks/get: the task as it is now, with its inputRequests,
// result or error inlined as its status calls for.
func (e *Engine) GetTask(ctx context.Context, p *GetTaskRequestParams) (GetTaskResult, error) {
	rec, rpcErr := e.visible(ctx, p.TaskID)
	if rpcErr != nil {
		return nil, rpcErr
	}
	res, err := e.detailed(rec)
	if err != nil {
		return nil, &Error{Code: CodeInternalError, Message: err.Error()}
	}
	return res, nil
}

// detailed is the tasks/get answer for a record.
func (e *Engine) detailed(rec *taskRecord) (GetTaskResult, error) {
	t := rec.Task
	switch t.Status {
	case TaskStatusWorking:
		return &GetTaskResultWorking{Meta: e.cfg.Meta, TaskID: t.TaskID, StatusMessage: t.StatusMessage, CreatedAt: t.CreatedAt, LastUpdatedAt: t.LastUpdatedAt, TTLMs: t.TTLMs, PollIntervalMs: t.PollIntervalMs}, nil
	case TaskStatusInputRequired:
		requests, err := rec.inputRequests()
		if err != nil {
			return nil, err
		}
		return &GetTaskResultInputRequired{Meta: e.cfg.Meta, TaskID: t.TaskID, StatusMessage: t.StatusMessage, CreatedAt: t.CreatedAt, LastUpdatedAt: t.LastUpdatedAt, TTLMs: t.TTLMs, PollIntervalMs: t.PollIntervalMs, InputRequests: requests}, nil
	case TaskStatusCompleted:
		result, err := rec.result()
		if err != nil {
			return nil, err
		}
		return &GetTaskResultCompleted{Meta: e.cfg.Meta, TaskID: t.TaskID, StatusMessage: t.StatusMessage, CreatedAt: t.CreatedAt, LastUpdatedAt: t.LastUpdatedAt, TTLMs: t.TTLMs, PollIntervalMs: t.PollIntervalMs, Result: result}, nil
	case TaskStatusFailed:
		return &GetTaskResultFailed{Meta: e.cfg.Meta, TaskID: t.TaskID, StatusMessage: t.StatusMessage, CreatedAt: t.CreatedAt, LastUpdatedAt: t.LastUpdatedAt, TTLMs: t.TTLMs, PollIntervalMs: t.PollIntervalMs, Error: rec.failure()}, nil
	case TaskStatusCancelled:
		return &GetTaskResultCancelled{Meta: e.cfg.Meta, TaskID: t.TaskID, StatusMessage: t.StatusMessage, CreatedAt: t.CreatedAt, LastUpdatedAt: t.LastUpdatedAt, TTLMs: t.TTLMs, PollIntervalMs: t.PollIntervalMs}, nil
	}
	return nil, fmt.Errorf("task %s has unknown status %q", t.TaskID, t.Status)
}

// notification is the notifications/tasks params for a record.
func (rec *taskRecord) notification() (TaskStatusNotificationParams, error) {
	t := rec.Task
	switch t.Status {
	case TaskStatusWorking:
		return &TaskStatusNotificationParamsWorking{TaskID: t.TaskID, StatusMessage: t.StatusMessage, CreatedAt: t.CreatedAt, LastUpdatedAt: t.LastUpdatedAt, TTLMs: t.TTLMs, PollIntervalMs: t.PollIntervalMs}, nil
	case TaskStatusInputRequired:
		requests, err := rec.inputRequests()
		if err != nil {
			return nil, err
		}
		return &TaskStatusNotificationParamsInputRequired{TaskID: t.TaskID, StatusMessage: t.StatusMessage, CreatedAt: t.CreatedAt, LastUpdatedAt: t.LastUpdatedAt, TTLMs: t.TTLMs, PollIntervalMs: t.PollIntervalMs, InputRequests: requests}, nil
	case TaskStatusCompleted:
		result, err := rec.result()
		if err != nil {
			return nil, err
		}
		return &TaskStatusNotificationParamsCompleted{TaskID: t.TaskID, StatusMessage: t.StatusMessage, CreatedAt: t.CreatedAt, LastUpdatedAt: t.LastUpdatedAt, TTLMs: t.TTLMs, PollIntervalMs: t.PollIntervalMs, Result: result}, nil
	case TaskStatusFailed:
		return &TaskStatusNotificationParamsFailed{TaskID: t.TaskID, StatusMessage: t.StatusMessage, CreatedAt: t.CreatedAt, LastUpdatedAt: t.LastUpdatedAt, TTLMs: t.TTLMs, PollIntervalMs: t.PollIntervalMs, Error: rec.failure()}, nil
	case TaskStatusCancelled:
		return &TaskStatusNotificationParamsCancelled{TaskID: t.TaskID, StatusMessage: t.StatusMessage, CreatedAt: t.CreatedAt, LastUpdatedAt: t.LastUpdatedAt, TTLMs: t.TTLMs, PollIntervalMs: t.PollIntervalMs}, nil
	}
	return nil, fmt.Errorf("task %s has unknown status %q", t.TaskID, t.Status)
}

func (rec *taskRecord) inputRequests() (InputRequests, error) {
	out := make(InputRequests, len(rec.Pending))
	for key, raw := range rec.Pending {
		r, err := unmarshalAs[InputRequest]("InputRequest", raw)
		if err != nil {
			return nil, fmt.Errorf("task %s: input request %q: %w", rec.Task.TaskID, key, err)
		}
		out[key] = r
	}
	return out, nil
}

func (rec *taskRecord) result() (map[string]any, error) {
	var m map[string]any
	d := json.NewDecoder(bytes.NewReader(rec.Result))
	d.UseNumber()
	if err := d.Decode(&m); err != nil {
		return nil, fmt.Errorf("task %s: decode result: %w", rec.Task.TaskID, err)
	}
	return m, nil
}

func (rec *taskRecord) failure() Error {
	if rec.Error == nil {
		return Error{Code: CodeInternalError, Message: "internal error"}
	}
	return *rec.Error
}

// UpdateTask serves tasks/update: it takes the answers to the input
// requests the task waits on. Answers to keys it does not wait on (unknown,
// or answered before) are ignored, as is an update of a task that waits on
// nothing; once every pending request is answered the task is working again
// and its work goes on. The answer is the empty ack.
func (e *Engine) UpdateTask(ctx context.Context, p *UpdateTaskRequestParams) (*UpdateTaskResult, error) {
	if _, rpcErr := e.visible(ctx, p.TaskID); rpcErr != nil {
		return nil, rpcErr
	}
	_, _, err := e.update(ctx, p.TaskID, func(r *taskRecord) (bool, error) {
		if r.Task.Status != TaskStatusInputRequired {
			return false, nil
		}
		changed := false
		for key, resp := range p.InputResponses {
			if _, ok := r.Pending[key]; !ok {
				continue
			}
			raw, err := marshal(resp)
			if err != nil {
				return false, fmt.Errorf("encode input response %q: %w", key, err)
			}
			if r.Answers == nil {
				r.Answers = map[string]json.RawMessage{}
			}
			r.Answers[key] = raw
			delete(r.Pending, key)
			changed = true
		}
		if !changed {
			return false, nil
		}
		if len(r.Pending) > 0 {
			e.touch(r)
			return true, nil
		}
		r.Pending = nil
		r.Task.StatusMessage = ""
		return true, e.move(r, TaskStatusWorking)
	})
	if err != nil {
		return nil, e.writeFailed(p.TaskID, err)
	}
	return &UpdateTaskResult{Meta: e.cfg.Meta}, nil
}

// CancelTask serves tasks/cancel: a task that has not ended is cancelled
// and its work's context ends; an ended one keeps its status. The answer is
// the empty ack either way: cancelling is cooperative, and a task whose work
// ended first keeps that ending.
func (e *Engine) CancelTask(ctx context.Context, p *CancelTaskRequestParams) (*CancelTaskResult, error) {
	if _, rpcErr := e.visible(ctx, p.TaskID); rpcErr != nil {
		return nil, rpcErr
	}
	_, _, err := e.update(ctx, p.TaskID, func(r *taskRecord) (bool, error) {
		if r.Task.Status.IsTerminal() {
			return false, nil
		}
		r.Pending = nil
		r.Task.StatusMessage = "cancelled by the requestor"
		return true, e.move(r, TaskStatusCancelled)
	})
	if err != nil {
		return nil, e.writeFailed(p.TaskID, err)
	}
	return &CancelTaskResult{Meta: e.cfg.Meta}, nil
}

// Dispatch serves one tasks request from its raw params through the
// generated ServerDispatcher with the engine as its handler: -32021 for a
// client that did not declare the extension (before anything about the
// task), -32601 for methods the extension does not have (tasks/result,
// tasks/list). For tasks/update it first drops the inputResponses entries
// the task does not wait on, which the spec says to ignore, so that an
// entry of no known shape under such a key is not answered -32602.
func (e *Engine) Dispatch(ctx context.Context, method string, params json.RawMessage) (json.RawMessage, *Error) {
	if method == MethodUpdateTask {
		params = e.pruneInputResponses(ctx, params)
	}
	d := ServerDispatcher{Handler: e}
	return d.Dispatch(ctx, method, params)
}

func (e *Engine) pruneInputResponses(ctx context.Context, params json.RawMessage) json.RawMessage {
	meta, err := paramsMeta(params)
	if err != nil || !ExtensionDeclared(meta) {
		return params
	}
	var p map[string]json.RawMessage
	var responses map[string]json.RawMessage
	var taskID string
	if json.Unmarshal(params, &p) != nil || json.Unmarshal(p["inputResponses"], &responses) != nil || json.Unmarshal(p["taskId"], &taskID) != nil {
		return params
	}
	rec, rpcErr := e.visible(ctx, taskID)
	if rpcErr != nil {
		return params
	}
	pruned := false
	for key := range responses {
		if _, ok := rec.Pending[key]; !ok {
			delete(responses, key)
			pruned = true
		}
	}
	if !pruned {
		return params
	}
	raw, err := json.Marshal(responses)
	if err != nil {
		return params
	}
	p["inputResponses"] = raw
	out, err := json.Marshal(p)
	if err != nil {
		return params
	}
	return out
}

// askedBefore reports whether any key of requests was issued before.
func (rec *taskRecord) askedBefore(requests InputRequests) (string, bool) {
	for key := range requests {
		if slices.Contains(rec.Asked, key) {
			return key, true
		}
	}
	return "", false
}

// unmarshalAs decodes a value of the schema's definition name. It goes by
// the schema's name (UnmarshalDefinition) rather than the package's
// Unmarshal function of the type, whose name a -prefix changes.
func unmarshalAs[T any](name string, data []byte) (T, error) {
	var zero T
	v, err := UnmarshalDefinition(name, data)
	if err != nil {
		return zero, err
	}
	t, ok := v.(T)
	if !ok {
		return zero, fmt.Errorf("%s decoded as %T", name, v)
	}
	return t, nil
}
