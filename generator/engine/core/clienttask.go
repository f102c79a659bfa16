//go:build ignore

package mcp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"sync"
	"time"
)

// TaskCaller is the task API of the side that runs a task, as the side
// that asked for it calls it: a ServerCaller for the tasks a server runs,
// a ClientCaller for those a client runs.
type TaskCaller interface {
	GetTask(ctx context.Context, params *GetTaskRequestParams) (*GetTaskResult, error)
	GetTaskPayload(ctx context.Context, params *GetTaskPayloadRequestParams) (*GetTaskPayloadResult, error)
	CancelTask(ctx context.Context, params *CancelTaskRequestParams) (*CancelTaskResult, error)
	ListTasks(ctx context.Context, params *PaginatedRequestParams) (*ListTasksResult, error)
}

// DefaultTaskPollInterval is how long a RemoteTask waits between polls
// when the receiver suggests no pollInterval.
const DefaultTaskPollInterval = time.Second

// A RemoteTask follows one task that the other side runs. Every status it
// learns, from tasks/get, tasks/cancel or a status notification, is held
// to the lifecycle: a move the lifecycle does not allow, a changed
// createdAt or another task's id is an error and the status is not taken.
// The same status again with a new statusMessage is an update. Its methods
// are safe for concurrent use.
type RemoteTask struct {
	caller TaskCaller
	id     string

	// PollInterval is the wait between polls when the receiver suggests
	// none; zero means DefaultTaskPollInterval. Set it before polling.
	PollInterval time.Duration
	// OnStatus, when set, sees every status the task takes, in the order
	// they were taken, including the first. It runs while the task is
	// locked and must not call the task's methods. Set it before polling.
	OnStatus func(Task)

	mu      sync.Mutex
	last    *Task
	changed chan struct{} // closed and replaced when a status is taken
}

// FollowTask returns the RemoteTask for the task a receiver created, the
// answer to a task-augmented request. A task created in another status
// than TaskStatusInitial breaks the lifecycle and is an error; ResumeTask
// follows such a task all the same.
func FollowTask(caller TaskCaller, created *CreateTaskResult) (*RemoteTask, error) {
	if created == nil || created.Task.TaskID == "" {
		return nil, errors.New("follow task: the create result has no task id")
	}
	if s := created.Task.Status; s != TaskStatusInitial {
		return nil, fmt.Errorf("task %s was created %s; a task starts %s", created.Task.TaskID, s, TaskStatusInitial)
	}
	t := &RemoteTask{caller: caller, id: created.Task.TaskID, changed: make(chan struct{})}
	if err := t.Observe(created.Task); err != nil {
		return nil, err
	}
	return t, nil
}

// ResumeTask returns the RemoteTask for a task known by its id alone, such
// as one a program stored before it restarted. The first status it learns
// is taken as it is.
func ResumeTask(caller TaskCaller, taskID string) *RemoteTask {
	return &RemoteTask{caller: caller, id: taskID, changed: make(chan struct{})}
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

// Observe takes a status the receiver reported. A report older than the
// last one taken (by lastUpdatedAt), which a notification overtaken by a
// poll can be, is ignored.
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

// ObserveNotification takes the status a notifications/tasks/status
// carries; a notification for another task is an error.
func (t *RemoteTask) ObserveNotification(p *TaskStatusNotificationParams) error {
	return t.Observe(Task{
		CreatedAt:     p.CreatedAt,
		LastUpdatedAt: p.LastUpdatedAt,
		PollInterval:  p.PollInterval,
		Status:        p.Status,
		StatusMessage: p.StatusMessage,
		TTL:           p.TTL,
		TaskID:        p.TaskID,
	})
}

// clientBefore reports whether RFC 3339 time a is before b; times that do
// not parse are not ordered.
func clientBefore(a, b string) bool {
	ta, errA := time.Parse(time.RFC3339Nano, a)
	tb, errB := time.Parse(time.RFC3339Nano, b)
	return errA == nil && errB == nil && ta.Before(tb)
}

// Poll asks for the task's status once (tasks/get) and takes it.
func (t *RemoteTask) Poll(ctx context.Context) (Task, error) {
	r, err := t.caller.GetTask(ctx, &GetTaskRequestParams{TaskID: t.id})
	if err != nil {
		return Task{}, err
	}
	got := Task{
		CreatedAt:     r.CreatedAt,
		LastUpdatedAt: r.LastUpdatedAt,
		PollInterval:  r.PollInterval,
		Status:        r.Status,
		StatusMessage: r.StatusMessage,
		TTL:           r.TTL,
		TaskID:        r.TaskID,
	}
	if err := t.Observe(got); err != nil {
		return Task{}, err
	}
	last, _ := t.Last()
	return last, nil
}

// Wait polls the task until it reaches a terminal status, and returns it.
func (t *RemoteTask) Wait(ctx context.Context) (Task, error) {
	return t.WaitFor(ctx)
}

// WaitFor polls the task until its status is terminal or one of also, and
// returns it. It waits between polls as long as the receiver's last
// pollInterval says, and wakes early when Observe takes a status (from a
// notification). It stops with the context's error when the context ends
// first, at its deadline and not a poll later.
func (t *RemoteTask) WaitFor(ctx context.Context, also ...TaskStatus) (Task, error) {
	for {
		t.mu.Lock()
		last, changed := t.last, t.changed
		t.mu.Unlock()
		if last == nil {
			if _, err := t.Poll(ctx); err != nil {
				return Task{}, err
			}
			continue
		}
		if last.Status.IsTerminal() || clientContains(also, last.Status) {
			return *last, nil
		}
		wait := t.PollInterval
		if wait <= 0 {
			wait = DefaultTaskPollInterval
		}
		if last.PollInterval != nil && *last.PollInterval > 0 {
			wait = time.Duration(*last.PollInterval) * time.Millisecond
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return *last, fmt.Errorf("task %s still %s: %w", t.id, last.Status, ctx.Err())
		case <-changed:
			timer.Stop()
		case <-timer.C:
			if _, err := t.Poll(ctx); err != nil {
				return *last, err
			}
		}
	}
}

func clientContains(list []TaskStatus, s TaskStatus) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Result fetches the task's outcome (tasks/result), which the receiver
// holds back until the task is terminal: the result of the original
// request, or its JSON-RPC error as a *Error. A result whose related-task
// _meta names another task is an error. One without that _meta, which
// the spec requires, is taken: the official TypeScript task receiver
// (ext-tasks 0.2.2) leaves it out.
func (t *RemoteTask) Result(ctx context.Context) (*GetTaskPayloadResult, error) {
	r, err := t.caller.GetTaskPayload(ctx, &GetTaskPayloadRequestParams{TaskID: t.id})
	if err != nil {
		return nil, err
	}
	if rt, ok := RelatedTaskOf(r.Meta); ok && rt.TaskID != t.id {
		return nil, fmt.Errorf("task %s: tasks/result answered for task %q", t.id, rt.TaskID)
	}
	return r, nil
}

// ResultInto fetches the task's outcome as Result does and decodes it,
// with validation, into dst: the result type of the original request, such
// as *CallToolResult.
func (t *RemoteTask) ResultInto(ctx context.Context, dst json.Unmarshaler) error {
	r, err := t.Result(ctx)
	if err != nil {
		return err
	}
	data, err := r.MarshalJSON()
	if err == nil {
		err = dst.UnmarshalJSON(data)
	}
	if err != nil {
		return fmt.Errorf("task %s: result: %w", t.id, err)
	}
	return nil
}

// Outcome follows the task to its end and decodes its outcome into dst,
// as ResultInto does. It polls until the task is terminal or needs input,
// then asks for the result, which the receiver holds back until the task
// ends; the requests the receiver sends for input (elicitation, sampling)
// come over the connection meanwhile, for its handler to answer. Polling
// goes on while the result is pending, so every status is still checked.
func (t *RemoteTask) Outcome(ctx context.Context, dst json.Unmarshaler) error {
	if _, err := t.WaitFor(ctx, TaskStatusInputRequired); err != nil {
		return err
	}
	pollCtx, stop := context.WithCancel(ctx)
	polled := make(chan error, 1)
	go func() {
		_, err := t.Wait(pollCtx)
		polled <- err
	}()
	err := t.ResultInto(ctx, dst)
	stop()
	pollErr := <-polled
	if errors.Is(pollErr, context.Canceled) && ctx.Err() == nil {
		pollErr = nil
	}
	if err == nil && pollErr == nil {
		if last, _ := t.Last(); !last.Status.IsTerminal() {
			_, pollErr = t.Poll(ctx)
		}
	}
	return errors.Join(err, pollErr)
}

// Cancel asks the receiver to cancel the task (tasks/cancel) and takes the
// status it answers with.
func (t *RemoteTask) Cancel(ctx context.Context) (Task, error) {
	r, err := t.caller.CancelTask(ctx, &CancelTaskRequestParams{TaskID: t.id})
	if err != nil {
		return Task{}, err
	}
	got := Task{
		CreatedAt:     r.CreatedAt,
		LastUpdatedAt: r.LastUpdatedAt,
		PollInterval:  r.PollInterval,
		Status:        r.Status,
		StatusMessage: r.StatusMessage,
		TTL:           r.TTL,
		TaskID:        r.TaskID,
	}
	if err := t.Observe(got); err != nil {
		return Task{}, err
	}
	return got, nil
}

// ListRemoteTasks lists the tasks the receiver holds for this side, page
// by page (tasks/list with nextCursor). A failed page, or a cursor the
// receiver hands out twice, ends the list with an error.
func ListRemoteTasks(ctx context.Context, caller TaskCaller) iter.Seq2[Task, error] {
	return func(yield func(Task, error) bool) {
		seen := map[string]bool{}
		params := &PaginatedRequestParams{}
		for {
			page, err := caller.ListTasks(ctx, params)
			if err != nil {
				yield(Task{}, err)
				return
			}
			for _, task := range page.Tasks {
				if !yield(task, nil) {
					return
				}
			}
			if page.NextCursor == "" {
				return
			}
			if seen[page.NextCursor] {
				yield(Task{}, fmt.Errorf("tasks/list: cursor %q handed out twice", page.NextCursor))
				return
			}
			seen[page.NextCursor] = true
			params = &PaginatedRequestParams{Cursor: page.NextCursor}
		}
	}
}
