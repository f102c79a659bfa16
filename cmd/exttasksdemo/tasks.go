package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/mcpgen-dev/mcpgen/generated/exttasks"
	"github.com/mcpgen-dev/mcpgen/generated/mcpdraft"
)

// A taskEntry is one task and what it carries besides the Task fields.
type taskEntry struct {
	task    exttasks.Task
	expires time.Time
	// pending holds the input requests the task waits on (input_required);
	// asked holds every key ever issued, so that none is reused.
	pending map[string]elicitation
	asked   map[string]bool
	answers map[string]answer
	result  map[string]any  // completed
	failure *exttasks.Error // failed
	cancel  context.CancelFunc
	// wake tells the runner that every pending request has its answer.
	wake chan struct{}
}

// taskStore keeps tasks in memory and serves tasks/get, tasks/update and
// tasks/cancel for the generated ServerDispatcher. Every status change goes
// through Task.MoveTo, so the lifecycle rules are the generated ones.
type taskStore struct {
	exttasks.UnimplementedServerHandler

	now          func() time.Time
	ttl          time.Duration
	pollInterval time.Duration
	logf         func(format string, args ...any)
	// meta goes on every result: it names the server.
	meta *exttasks.ResultMetaObject

	mu    sync.Mutex
	tasks map[string]*taskEntry

	// base ends every task's context when the server closes; wg waits for
	// the runners.
	base context.Context
	stop context.CancelFunc
	wg   sync.WaitGroup
}

var _ exttasks.ServerHandler = (*taskStore)(nil)

func newTaskStore(now func() time.Time, ttl, pollInterval time.Duration, logf func(string, ...any)) *taskStore {
	base, stop := context.WithCancel(context.Background())
	return &taskStore{
		now:          now,
		ttl:          ttl,
		pollInterval: pollInterval,
		logf:         logf,
		tasks:        map[string]*taskEntry{},
		base:         base,
		stop:         stop,
	}
}

// close cancels every running task and waits for the runners to return.
func (s *taskStore) close() {
	s.stop()
	s.wg.Wait()
}

// newTaskID returns an unguessable ID: crypto/rand.Text gives 26 base32
// characters, 130 bits of entropy.
func newTaskID() string { return rand.Text() }

func (s *taskStore) timestamp() string { return s.now().UTC().Format(time.RFC3339Nano) }

// start creates a task for a call of t and runs it. The task is in the store
// before start returns, so a tasks/get right after the CreateTaskResult finds it.
func (s *taskStore) start(t *tool, in toolInput) *exttasks.CreateTaskResult {
	now := s.timestamp()
	ttl := s.ttl.Milliseconds()
	poll := s.pollInterval.Milliseconds()
	ctx, cancel := context.WithCancel(s.base)
	e := &taskEntry{
		task: exttasks.Task{
			TaskID:         newTaskID(),
			Status:         exttasks.TaskStatusInitial,
			CreatedAt:      now,
			LastUpdatedAt:  now,
			TTLMs:          &ttl,
			PollIntervalMs: &poll,
		},
		expires: s.now().Add(s.ttl),
		asked:   map[string]bool{},
		answers: maps.Clone(in.answers),
		cancel:  cancel,
		wake:    make(chan struct{}, 1),
	}
	if e.answers == nil {
		e.answers = map[string]answer{}
	}
	s.mu.Lock()
	s.sweepLocked()
	s.tasks[e.task.TaskID] = e
	created := createTaskResult(e.task)
	s.mu.Unlock()

	s.wg.Add(1)
	go s.run(ctx, e, t, in.args)
	return created
}

func createTaskResult(t exttasks.Task) *exttasks.CreateTaskResult {
	return &exttasks.CreateTaskResult{
		TaskID:         t.TaskID,
		Status:         t.Status,
		StatusMessage:  t.StatusMessage,
		CreatedAt:      t.CreatedAt,
		LastUpdatedAt:  t.LastUpdatedAt,
		TTLMs:          t.TTLMs,
		PollIntervalMs: t.PollIntervalMs,
	}
}

// run drives one task: it runs the tool, parks the task in input_required
// while the tool waits on the client, and records the outcome.
func (s *taskStore) run(ctx context.Context, e *taskEntry, t *tool, args map[string]any) {
	defer s.wg.Done()
	defer e.cancel()
	for {
		s.mu.Lock()
		in := toolInput{args: args, answers: maps.Clone(e.answers)}
		s.mu.Unlock()

		out := safeRun(ctx, t, in)
		if ctx.Err() != nil {
			return // cancelled (already recorded) or the server is closing
		}
		if len(out.need) == 0 {
			s.finish(e, out)
			return
		}
		if !s.park(e, out.need) {
			return
		}
		select {
		case <-e.wake:
		case <-ctx.Done():
			return
		}
	}
}

// move changes e's status, logging a move the lifecycle refuses: that is a
// bug here, never the client's doing.
func (s *taskStore) moveLocked(e *taskEntry, next exttasks.TaskStatus) bool {
	if err := e.task.MoveTo(next, s.now()); err != nil {
		s.logf("task %s: %v", e.task.TaskID, err)
		return false
	}
	return true
}

// park moves e to input_required with the requests it waits on. It reports
// false when the task ended meanwhile (a cancel).
func (s *taskStore) park(e *taskEntry, need map[string]elicitation) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e.task.Status.IsTerminal() {
		return false
	}
	for key := range need {
		if e.asked[key] {
			// Keys are unique over a task's life; a tool asking again is a bug.
			e.failure = &exttasks.Error{Code: exttasks.CodeInternalError, Message: "internal error: input request key reused: " + key}
			e.pending = nil
			s.moveLocked(e, exttasks.TaskStatusFailed)
			return false
		}
	}
	for key := range need {
		e.asked[key] = true
	}
	e.pending = need
	e.task.StatusMessage = "waiting for input"
	return s.moveLocked(e, exttasks.TaskStatusInputRequired)
}

func (s *taskStore) finish(e *taskEntry, out outcome) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e.task.Status.IsTerminal() {
		return // cancelled while the tool ran: cancelled stays
	}
	e.pending = nil
	if out.err != nil {
		e.failure = out.err
		e.task.StatusMessage = out.err.Message
		s.moveLocked(e, exttasks.TaskStatusFailed)
		return
	}
	result, err := resultObject(out.result)
	if err != nil {
		e.failure = &exttasks.Error{Code: exttasks.CodeInternalError, Message: "internal error: encode tool result: " + err.Error()}
		s.moveLocked(e, exttasks.TaskStatusFailed)
		return
	}
	e.result = result
	e.task.StatusMessage = ""
	s.moveLocked(e, exttasks.TaskStatusCompleted)
}

// resultObject turns a CallToolResult into the plain object CompletedTask.Result
// holds (the schema types it as any object).
func resultObject(r *mcpdraft.CallToolResult) (map[string]any, error) {
	data, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// lookupLocked finds a live task; an expired one is dropped and reads as unknown.
func (s *taskStore) lookupLocked(id string) (*taskEntry, error) {
	e, ok := s.tasks[id]
	if ok && s.now().After(e.expires) {
		e.cancel()
		delete(s.tasks, id)
		ok = false
	}
	if !ok {
		return nil, &exttasks.Error{Code: exttasks.CodeInvalidParams, Message: "unknown task: " + id, Data: map[string]any{"taskId": id}}
	}
	return e, nil
}

// sweepLocked drops expired tasks.
func (s *taskStore) sweepLocked() {
	now := s.now()
	for id, e := range s.tasks {
		if now.After(e.expires) {
			e.cancel()
			delete(s.tasks, id)
		}
	}
}

// pendingKeys returns the keys a task waits on, or ok=false for an unknown task.
func (s *taskStore) pendingKeys(id string) (keys []string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.lookupLocked(id)
	if err != nil {
		return nil, false
	}
	return slices.Sorted(maps.Keys(e.pending)), true
}

// GetTask answers tasks/get with the task as it is now, its result or error inlined.
func (s *taskStore) GetTask(_ context.Context, p *exttasks.GetTaskRequestParams) (exttasks.GetTaskResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.lookupLocked(p.TaskID)
	if err != nil {
		return nil, err
	}
	t := e.task
	switch t.Status {
	case exttasks.TaskStatusWorking:
		return &exttasks.GetTaskResultWorking{Meta: s.meta, TaskID: t.TaskID, StatusMessage: t.StatusMessage, CreatedAt: t.CreatedAt, LastUpdatedAt: t.LastUpdatedAt, TTLMs: t.TTLMs, PollIntervalMs: t.PollIntervalMs}, nil
	case exttasks.TaskStatusInputRequired:
		return &exttasks.GetTaskResultInputRequired{Meta: s.meta, TaskID: t.TaskID, StatusMessage: t.StatusMessage, CreatedAt: t.CreatedAt, LastUpdatedAt: t.LastUpdatedAt, TTLMs: t.TTLMs, PollIntervalMs: t.PollIntervalMs,
			InputRequests: taskInputRequests(e.pending)}, nil
	case exttasks.TaskStatusCompleted:
		return &exttasks.GetTaskResultCompleted{Meta: s.meta, TaskID: t.TaskID, StatusMessage: t.StatusMessage, CreatedAt: t.CreatedAt, LastUpdatedAt: t.LastUpdatedAt, TTLMs: t.TTLMs, PollIntervalMs: t.PollIntervalMs,
			Result: e.result}, nil
	case exttasks.TaskStatusFailed:
		return &exttasks.GetTaskResultFailed{Meta: s.meta, TaskID: t.TaskID, StatusMessage: t.StatusMessage, CreatedAt: t.CreatedAt, LastUpdatedAt: t.LastUpdatedAt, TTLMs: t.TTLMs, PollIntervalMs: t.PollIntervalMs,
			Error: *e.failure}, nil
	case exttasks.TaskStatusCancelled:
		return &exttasks.GetTaskResultCancelled{Meta: s.meta, TaskID: t.TaskID, StatusMessage: t.StatusMessage, CreatedAt: t.CreatedAt, LastUpdatedAt: t.LastUpdatedAt, TTLMs: t.TTLMs, PollIntervalMs: t.PollIntervalMs}, nil
	}
	return nil, errors.New("task " + t.TaskID + " has unknown status " + string(t.Status))
}

// UpdateTask takes the answers to pending input requests. Responses to keys
// the task does not wait on are ignored; once nothing is pending the task
// goes back to working and its runner resumes.
func (s *taskStore) UpdateTask(_ context.Context, p *exttasks.UpdateTaskRequestParams) (*exttasks.UpdateTaskResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.lookupLocked(p.TaskID)
	if err != nil {
		return nil, err
	}
	if e.task.Status != exttasks.TaskStatusInputRequired {
		return &exttasks.UpdateTaskResult{Meta: s.meta}, nil
	}
	for key, resp := range p.InputResponses {
		if _, ok := e.pending[key]; !ok {
			continue
		}
		e.answers[key] = taskAnswer(resp)
		delete(e.pending, key)
	}
	if len(e.pending) == 0 {
		e.task.StatusMessage = ""
		if s.moveLocked(e, exttasks.TaskStatusWorking) {
			select {
			case e.wake <- struct{}{}:
			default:
			}
		}
	}
	return &exttasks.UpdateTaskResult{Meta: s.meta}, nil
}

// CancelTask cancels a task that has not ended; on an ended task it changes
// nothing. Either way the answer is the empty ack.
func (s *taskStore) CancelTask(_ context.Context, p *exttasks.CancelTaskRequestParams) (*exttasks.CancelTaskResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.lookupLocked(p.TaskID)
	if err != nil {
		return nil, err
	}
	if !e.task.Status.IsTerminal() {
		e.pending = nil
		e.task.StatusMessage = "cancelled by the client"
		if s.moveLocked(e, exttasks.TaskStatusCancelled) {
			e.cancel()
		}
	}
	return &exttasks.CancelTaskResult{Meta: s.meta}, nil
}
