package generated

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/mcpgen-dev/mcpgen/generated/exttasks"
)

// extScript is an extension server whose tasks/get answers come from a
// script (the last repeats) and that records each tasks/update.
type extScript struct {
	mu      sync.Mutex
	script  []exttasks.GetTaskResult
	updates [][]string // the keys of each tasks/update
}

func (s *extScript) GetTask(ctx context.Context, p *exttasks.GetTaskRequestParams) (exttasks.GetTaskResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.script[0]
	if len(s.script) > 1 {
		s.script = s.script[1:]
	}
	return r, nil
}

func (s *extScript) UpdateTask(ctx context.Context, p *exttasks.UpdateTaskRequestParams) (*exttasks.UpdateTaskResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var keys []string
	for k := range p.InputResponses {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	s.updates = append(s.updates, keys)
	return &exttasks.UpdateTaskResult{}, nil
}

func (s *extScript) CancelTask(ctx context.Context, p *exttasks.CancelTaskRequestParams) (*exttasks.CancelTaskResult, error) {
	return &exttasks.CancelTaskResult{}, nil
}

func extInputRequired(updated string, keys ...string) *exttasks.GetTaskResultInputRequired {
	reqs := exttasks.InputRequests{}
	for _, k := range keys {
		reqs[k] = &exttasks.ElicitRequest{Params: &exttasks.ElicitRequestFormParams{Message: k}}
	}
	return &exttasks.GetTaskResultInputRequired{TaskID: "x", CreatedAt: t0, LastUpdatedAt: updated, InputRequests: reqs}
}

// TestExtRemoteTaskInput: input requests are answered once per key, even
// when the server asks again before it has taken the answer, a key
// answered before a restart is not answered again, and a completed task's
// result is decoded.
func TestExtRemoteTaskInput(t *testing.T) {
	ctx := context.Background()
	s := &extScript{script: []exttasks.GetTaskResult{
		extInputRequired(t1, "a", "b"),
		extInputRequired(t1, "a", "b"), // asked again: the update is not in yet
		extInputRequired(t2, "a", "b", "c"),
		&exttasks.GetTaskResultCompleted{TaskID: "x", CreatedAt: t0, LastUpdatedAt: t3, Result: map[string]any{"content": []any{map[string]any{"type": "text", "text": "done"}}}},
	}}
	task := exttasks.ResumeTask(s, "x")
	task.PollInterval = 1
	task.MarkAnswered("b") // answered by the process before a restart
	var mu sync.Mutex
	asked := map[string]int{}
	task.Input = func(ctx context.Context, key string, req exttasks.InputRequest) (exttasks.InputResponse, error) {
		mu.Lock()
		asked[key]++
		mu.Unlock()
		return &exttasks.ElicitResult{Action: exttasks.ElicitResultActionAccept}, nil
	}
	var res rawResult
	if err := task.Outcome(ctx, &res); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(res), `"text":"done"`) {
		t.Fatalf("result %s", res)
	}
	want := [][]string{{"a"}, {"c"}}
	if !slices.EqualFunc(s.updates, want, slices.Equal[[]string]) || asked["a"] != 1 || asked["b"] != 0 || asked["c"] != 1 {
		t.Fatalf("updates %v, asked %v; want updates %v, each new key once", s.updates, asked, want)
	}
}

// rawResult keeps a result as its JSON.
type rawResult []byte

func (r *rawResult) UnmarshalJSON(data []byte) error {
	*r = append((*r)[:0], data...)
	return nil
}

// TestExtRemoteTaskLifecycle: the extension's statuses are held to the
// same lifecycle, from polls and from notifications, and a failed task
// returns its JSON-RPC error.
func TestExtRemoteTaskLifecycle(t *testing.T) {
	ctx := context.Background()
	s := &extScript{script: []exttasks.GetTaskResult{
		&exttasks.GetTaskResultCancelled{TaskID: "x", CreatedAt: t0, LastUpdatedAt: t1},
		&exttasks.GetTaskResultWorking{TaskID: "x", CreatedAt: t0, LastUpdatedAt: t2},
	}}
	task := exttasks.ResumeTask(s, "x")
	if _, err := task.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	var te *exttasks.TransitionError
	if _, err := task.Poll(ctx); !errors.As(err, &te) {
		t.Fatalf("cancelled → working on tasks/get: %v, want a *TransitionError", err)
	}
	err := task.ObserveNotification(&exttasks.TaskStatusNotificationParamsCompleted{TaskID: "x", CreatedAt: t0, LastUpdatedAt: t3})
	if !errors.As(err, &te) {
		t.Fatalf("cancelled → completed by notification: %v, want a *TransitionError", err)
	}
	if last, _ := task.Last(); last.Status != exttasks.TaskStatusCancelled {
		t.Fatalf("a refused status was taken: %s", last.Status)
	}

	failed := &extScript{script: []exttasks.GetTaskResult{
		&exttasks.GetTaskResultFailed{TaskID: "y", CreatedAt: t0, LastUpdatedAt: t1, Error: exttasks.Error{Code: -32603, Message: "boom"}},
	}}
	var res rawResult
	err = exttasks.ResumeTask(failed, "y").Outcome(ctx, &res)
	var rpcErr *exttasks.Error
	if !errors.As(err, &rpcErr) || rpcErr.Code != -32603 || rpcErr.Message != "boom" {
		t.Fatalf("failed task's outcome: %v", err)
	}
}
