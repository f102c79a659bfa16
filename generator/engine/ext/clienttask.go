//go:build ignore

package mcp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"
)

// TaskCaller is the task API of a server, as a client calls it: a
// ServerCaller.
type TaskCaller interface {
	GetTask(ctx context.Context, params *GetTaskRequestParams) (GetTaskResult, error)
	UpdateTask(ctx context.Context, params *UpdateTaskRequestParams) (*UpdateTaskResult, error)
	CancelTask(ctx context.Context, params *CancelTaskRequestParams) (*CancelTaskResult, error)
}

// TaskInputFunc answers one input request of a task: an elicitation, a
// sampling request or a roots request, named by its key.
type TaskInputFunc func(ctx context.Context, key string, req InputRequest) (InputResponse, error)

// DefaultTaskPollInterval is how long a RemoteTask waits between polls
// when the server suggests no pollIntervalMs.
const DefaultTaskPollInterval = time.Second

// CallAsTask sends a request the server may run as a task (tools/call)
// through peer, with params of any package's type (such as the tools/call
// params of the package of the core methods). When the server answers with a task
// (resultType "task") it is returned; otherwise the result is decoded
// into complete and the task is nil.
func CallAsTask(ctx context.Context, peer Peer, method string, params any, complete json.Unmarshaler) (*CreateTaskResult, error) {
	if peer == nil {
		return nil, fmt.Errorf("%s: no peer to send it to", method)
	}
	data, err := marshal(params)
	if err != nil {
		return nil, fmt.Errorf("%s: encode params: %w", method, err)
	}
	raw, err := peer.Call(ctx, method, data)
	if err != nil {
		return nil, clientError(method, err)
	}
	created, err := DecodeTaskAugmentedResult(raw, complete)
	if err != nil {
		return nil, fmt.Errorf("%s: result: %w", method, atPath(err, "result"))
	}
	return created, nil
}

// A RemoteTask follows one task that a server runs. Every status it
// learns, from tasks/get or a status notification, is held to the
// lifecycle: a move the lifecycle does not allow, a changed createdAt or
// another task's id is an error and the status is not taken. The same
// status again with a new statusMessage is an update. Its methods are safe
// for concurrent use.
type RemoteTask struct {
	caller TaskCaller
	id     string

	// PollInterval is the wait between polls when the server suggests
	// none; zero means DefaultTaskPollInterval. Set it before polling.
	PollInterval time.Duration
	// OnStatus, when set, sees every status the task takes, in the order
	// they were taken. It runs while the task is locked and must not call
	// the task's methods. Set it before polling.
	OnStatus func(Task)
	// Input, when set, answers the task's input requests while Wait or
	// Outcome polls: each key once, all the keys of one poll in one
	// tasks/update. Without it Wait returns at input_required.
	Input TaskInputFunc

	mu       sync.Mutex
	last     *Task
	answered map[string]bool
	changed  chan struct{} // closed and replaced when a status is taken
}

// FollowTask returns the RemoteTask for the task a server created. The
// extension lets a task be created in any status.
func FollowTask(caller TaskCaller, created *CreateTaskResult) (*RemoteTask, error) {
	if created == nil || created.TaskID == "" {
		return nil, errors.New("follow task: the create result has no task id")
	}
	t := ResumeTask(caller, created.TaskID)
	err := t.Observe(Task{
		CreatedAt:      created.CreatedAt,
		LastUpdatedAt:  created.LastUpdatedAt,
		PollIntervalMs: created.PollIntervalMs,
		Status:         created.Status,
		StatusMessage:  created.StatusMessage,
		TTLMs:          created.TTLMs,
		TaskID:         created.TaskID,
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// ResumeTask returns the RemoteTask for a task known by its id alone: one
// a client stored before it restarted, as the extension says clients
// should. The first status it learns is taken as it is. Keys answered
// before the restart are not known; pass them to MarkAnswered.
func ResumeTask(caller TaskCaller, taskID string) *RemoteTask {
	return &RemoteTask{caller: caller, id: taskID, answered: map[string]bool{}, changed: make(chan struct{})}
}

// ID returns the task's id.
func (t *RemoteTask) ID() string { return t.id }

// Last returns the last status taken, and false before the first.
func (t *RemoteTask) Last() (Task, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.last == nil {
		return Task{}, false
	}
	return *t.last, true
}

// MarkAnswered records input keys as answered, so that they are not
// answered again.
func (t *RemoteTask) MarkAnswered(keys ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, k := range keys {
		t.answered[k] = true
	}
}

// Observe takes a status the server reported. A report older than the
// last one taken (by lastUpdatedAt) is ignored.
func (t *RemoteTask) Observe(next Task) error {
	if next.TaskID != t.id {
		return fmt.Errorf("task %s: a status of task %q", t.id, next.TaskID)
	}
	if !next.Status.Valid() {
		return fmt.Errorf("task %s: unknown status %q", t.id, next.Status)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if last := t.last; last != nil {
		if next.CreatedAt != last.CreatedAt {
			return fmt.Errorf("task %s: createdAt changed from %s to %s", t.id, last.CreatedAt, next.CreatedAt)
		}
		if clientBefore(next.LastUpdatedAt, last.LastUpdatedAt) {
			return nil
		}
		if next.Status == last.Status {
			if next.StatusMessage == last.StatusMessage && next.LastUpdatedAt == last.LastUpdatedAt {
				return nil
			}
		} else if err := ValidateTransition(last.Status, next.Status); err != nil {
			return fmt.Errorf("task %s: %w", t.id, err)
		}
	}
	t.last = &next
	if t.OnStatus != nil {
		t.OnStatus(next)
	}
	close(t.changed)
	t.changed = make(chan struct{})
	return nil
}

// ObserveNotification takes the status a notifications/tasks carries.
func (t *RemoteTask) ObserveNotification(p TaskStatusNotificationParams) error {
	task, err := clientTaskOfNotification(p)
	if err != nil {
		return fmt.Errorf("task %s: %w", t.id, err)
	}
	return t.Observe(task)
}

// clientBefore reports whether RFC 3339 time a is before b; times that do
// not parse are not ordered.
func clientBefore(a, b string) bool {
	ta, errA := time.Parse(time.RFC3339Nano, a)
	tb, errB := time.Parse(time.RFC3339Nano, b)
	return errA == nil && errB == nil && ta.Before(tb)
}

// Poll asks for the task once (tasks/get), takes its status and returns
// the whole answer: its input requests, result or error.
func (t *RemoteTask) Poll(ctx context.Context) (GetTaskResult, error) {
	r, err := t.caller.GetTask(ctx, &GetTaskRequestParams{TaskID: t.id})
	if err != nil {
		return nil, err
	}
	task, err := clientTaskOfResult(r)
	if err != nil {
		return nil, fmt.Errorf("task %s: %w", t.id, err)
	}
	if err := t.Observe(task); err != nil {
		return nil, err
	}
	return r, nil
}

// Wait polls the task until it is terminal, and returns the last answer
// of tasks/get. While the task asks for input, Input answers every key
// not answered before, through tasks/update; without Input, Wait returns
// the input_required answer. It waits between polls as long as the
// server's pollIntervalMs says, and wakes early when Observe takes a
// status. It stops with the context's error when the context ends first.
func (t *RemoteTask) Wait(ctx context.Context) (GetTaskResult, error) {
	for {
		r, err := t.Poll(ctx)
		if err != nil {
			return nil, err
		}
		last, _ := t.Last()
		if last.Status.IsTerminal() {
			return r, nil
		}
		if ir, ok := r.(*GetTaskResultInputRequired); ok {
			if t.Input == nil {
				return r, nil
			}
			if err := t.answer(ctx, ir.InputRequests); err != nil {
				return nil, err
			}
		}
		if err := t.sleep(ctx); err != nil {
			return nil, err
		}
	}
}

// sleep waits for the next poll, a status taken, or the context's end.
func (t *RemoteTask) sleep(ctx context.Context) error {
	t.mu.Lock()
	last, changed := t.last, t.changed
	t.mu.Unlock()
	wait := t.PollInterval
	if wait <= 0 {
		wait = DefaultTaskPollInterval
	}
	if last.PollIntervalMs != nil && *last.PollIntervalMs > 0 {
		wait = time.Duration(*last.PollIntervalMs) * time.Millisecond
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return fmt.Errorf("task %s still %s: %w", t.id, last.Status, ctx.Err())
	case <-changed:
	case <-timer.C:
	}
	return nil
}

// answer answers the requests whose keys are new, in key order, and sends
// the answers in one tasks/update.
func (t *RemoteTask) answer(ctx context.Context, reqs InputRequests) error {
	keys := make([]string, 0, len(reqs))
	t.mu.Lock()
	for k := range reqs {
		if !t.answered[k] {
			keys = append(keys, k)
		}
	}
	t.mu.Unlock()
	if len(keys) == 0 {
		return nil
	}
	sort.Strings(keys)
	responses := InputResponses{}
	for _, k := range keys {
		resp, err := t.Input(ctx, k, reqs[k])
		if err != nil {
			return fmt.Errorf("task %s: input %q: %w", t.id, k, err)
		}
		if resp == nil {
			return fmt.Errorf("task %s: input %q: no answer", t.id, k)
		}
		responses[k] = resp
	}
	return t.Answer(ctx, responses)
}

// Answer sends answers to the task's input requests (tasks/update) and
// records their keys as answered.
func (t *RemoteTask) Answer(ctx context.Context, responses InputResponses) error {
	if _, err := t.caller.UpdateTask(ctx, &UpdateTaskRequestParams{TaskID: t.id, InputResponses: responses}); err != nil {
		return err
	}
	keys := make([]string, 0, len(responses))
	for k := range responses {
		keys = append(keys, k)
	}
	t.MarkAnswered(keys...)
	return nil
}

// Outcome follows the task to its end, as Wait does, and decodes the
// result of a completed task into dst, the result type of the original
// request (such as the tools/call result of the package of the core
// methods). A failed task
// returns its JSON-RPC error as a *Error; a cancelled task, or one still
// waiting for input without Input, is an error.
func (t *RemoteTask) Outcome(ctx context.Context, dst json.Unmarshaler) error {
	r, err := t.Wait(ctx)
	if err != nil {
		return err
	}
	switch r := r.(type) {
	case *GetTaskResultCompleted:
		data, err := json.Marshal(r.Result)
		if err == nil {
			err = dst.UnmarshalJSON(data)
		}
		if err != nil {
			return fmt.Errorf("task %s: result: %w", t.id, err)
		}
		return nil
	case *GetTaskResultFailed:
		e := r.Error
		return &e
	case *GetTaskResultCancelled:
		return fmt.Errorf("task %s was cancelled", t.id)
	}
	last, _ := t.Last()
	return fmt.Errorf("task %s is %s", t.id, last.Status)
}

// Cancel asks the server to cancel the task (tasks/cancel). The server
// acknowledges at once; the task's status follows by polling.
func (t *RemoteTask) Cancel(ctx context.Context) error {
	_, err := t.caller.CancelTask(ctx, &CancelTaskRequestParams{TaskID: t.id})
	return err
}

// clientTaskOfResult reads the task of any member of GetTaskResult.
func clientTaskOfResult(r GetTaskResult) (Task, error) {
	switch r := r.(type) {
	case *GetTaskResultWorking:
		return Task{TaskID: r.TaskID, Status: TaskStatusWorking, StatusMessage: r.StatusMessage, CreatedAt: r.CreatedAt, LastUpdatedAt: r.LastUpdatedAt, TTLMs: r.TTLMs, PollIntervalMs: r.PollIntervalMs}, nil
	case *GetTaskResultInputRequired:
		return Task{TaskID: r.TaskID, Status: TaskStatusInputRequired, StatusMessage: r.StatusMessage, CreatedAt: r.CreatedAt, LastUpdatedAt: r.LastUpdatedAt, TTLMs: r.TTLMs, PollIntervalMs: r.PollIntervalMs}, nil
	case *GetTaskResultCompleted:
		return Task{TaskID: r.TaskID, Status: TaskStatusCompleted, StatusMessage: r.StatusMessage, CreatedAt: r.CreatedAt, LastUpdatedAt: r.LastUpdatedAt, TTLMs: r.TTLMs, PollIntervalMs: r.PollIntervalMs}, nil
	case *GetTaskResultFailed:
		return Task{TaskID: r.TaskID, Status: TaskStatusFailed, StatusMessage: r.StatusMessage, CreatedAt: r.CreatedAt, LastUpdatedAt: r.LastUpdatedAt, TTLMs: r.TTLMs, PollIntervalMs: r.PollIntervalMs}, nil
	case *GetTaskResultCancelled:
		return Task{TaskID: r.TaskID, Status: TaskStatusCancelled, StatusMessage: r.StatusMessage, CreatedAt: r.CreatedAt, LastUpdatedAt: r.LastUpdatedAt, TTLMs: r.TTLMs, PollIntervalMs: r.PollIntervalMs}, nil
	}
	return Task{}, fmt.Errorf("tasks/get answered %T", r)
}

// clientTaskOfNotification reads the task of any member of
// TaskStatusNotificationParams.
func clientTaskOfNotification(p TaskStatusNotificationParams) (Task, error) {
	switch p := p.(type) {
	case *TaskStatusNotificationParamsWorking:
		return Task{TaskID: p.TaskID, Status: TaskStatusWorking, StatusMessage: p.StatusMessage, CreatedAt: p.CreatedAt, LastUpdatedAt: p.LastUpdatedAt, TTLMs: p.TTLMs, PollIntervalMs: p.PollIntervalMs}, nil
	case *TaskStatusNotificationParamsInputRequired:
		return Task{TaskID: p.TaskID, Status: TaskStatusInputRequired, StatusMessage: p.StatusMessage, CreatedAt: p.CreatedAt, LastUpdatedAt: p.LastUpdatedAt, TTLMs: p.TTLMs, PollIntervalMs: p.PollIntervalMs}, nil
	case *TaskStatusNotificationParamsCompleted:
		return Task{TaskID: p.TaskID, Status: TaskStatusCompleted, StatusMessage: p.StatusMessage, CreatedAt: p.CreatedAt, LastUpdatedAt: p.LastUpdatedAt, TTLMs: p.TTLMs, PollIntervalMs: p.PollIntervalMs}, nil
	case *TaskStatusNotificationParamsFailed:
		return Task{TaskID: p.TaskID, Status: TaskStatusFailed, StatusMessage: p.StatusMessage, CreatedAt: p.CreatedAt, LastUpdatedAt: p.LastUpdatedAt, TTLMs: p.TTLMs, PollIntervalMs: p.PollIntervalMs}, nil
	case *TaskStatusNotificationParamsCancelled:
		return Task{TaskID: p.TaskID, Status: TaskStatusCancelled, StatusMessage: p.StatusMessage, CreatedAt: p.CreatedAt, LastUpdatedAt: p.LastUpdatedAt, TTLMs: p.TTLMs, PollIntervalMs: p.PollIntervalMs}, nil
	}
	return Task{}, fmt.Errorf("notification carries %T", p)
}
