package generated_test

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
)

// tasks is a server that runs every tool call as a task.
type tasks struct {
	mcp.UnimplementedServerHandler
	byID map[string]*mcp.Task
}

func (s *tasks) CallToolAsTask(ctx context.Context, p *mcp.CallToolRequestParams) (*mcp.CreateTaskResult, error) {
	now := time.Date(2025, 11, 25, 9, 0, 0, 0, time.UTC).Format(time.RFC3339)
	task := &mcp.Task{TaskID: "t1", Status: mcp.TaskStatusInitial, CreatedAt: now, LastUpdatedAt: now, TTL: p.Task.TTL}
	s.byID[task.TaskID] = task
	return &mcp.CreateTaskResult{Task: *task}, nil
}

func (s *tasks) CancelTask(ctx context.Context, p *mcp.CancelTaskRequestParams) (*mcp.CancelTaskResult, error) {
	task, ok := s.byID[p.TaskID]
	if !ok {
		return nil, &mcp.Error{Code: mcp.CodeInvalidParams, Message: "unknown task " + p.TaskID}
	}
	if err := mcp.ValidateCancel(task.Status); err != nil {
		return nil, err
	}
	if err := task.MoveTo(mcp.TaskStatusCancelled, time.Date(2025, 11, 25, 9, 1, 0, 0, time.UTC)); err != nil {
		return nil, err
	}
	return &mcp.CancelTaskResult{TaskID: task.TaskID, Status: task.Status, CreatedAt: task.CreatedAt, LastUpdatedAt: task.LastUpdatedAt, TTL: task.TTL}, nil
}

// A server built on the generated handlers and dispatcher: it declares
// task-augmented tools/call and tasks/cancel, serves them, and lets the
// dispatcher enforce the spec's rules.
func ExampleServerDispatcher() {
	d := &mcp.ServerDispatcher{
		Handler: &tasks{byID: map[string]*mcp.Task{}},
		Capabilities: mcp.ServerCapabilities{Tasks: &mcp.ServerCapabilitiesTasks{
			Cancel:   map[string]any{},
			Requests: &mcp.ServerCapabilitiesTasksRequests{Tools: &mcp.ServerCapabilitiesTasksRequestsTools{Call: map[string]any{}}},
		}},
		ToolTaskSupport: func(tool string) (mcp.ToolExecutionTaskSupport, bool) {
			return mcp.ToolExecutionTaskSupportRequired, tool == "report"
		},
	}
	ctx := context.Background()
	show := func(method, params string) {
		res, err := d.Dispatch(ctx, method, json.RawMessage(params))
		if err != nil {
			fmt.Printf("%s: error %d: %s\n", method, err.Code, err.Message)
			return
		}
		fmt.Printf("%s: %s\n", method, res)
	}
	show(mcp.MethodCallTool, `{"name":"report","task":{"ttl":60000}}`)
	show(mcp.MethodCallTool, `{"name":"report"}`)
	show(mcp.MethodCancelTask, `{"taskId":"t1"}`)
	show(mcp.MethodCancelTask, `{"taskId":"t1"}`)
	show(mcp.MethodCallTool, `{"name":"report","task":{"ttl":"long"}}`)
	// Output:
	// tools/call: {"task":{"createdAt":"2025-11-25T09:00:00Z","lastUpdatedAt":"2025-11-25T09:00:00Z","status":"working","taskId":"t1","ttl":60000}}
	// tools/call: error -32601: tool "report" requires task-augmented execution (taskSupport "required"): call it with params.task
	// tasks/cancel: {"createdAt":"2025-11-25T09:00:00Z","lastUpdatedAt":"2025-11-25T09:01:00Z","status":"cancelled","taskId":"t1","ttl":60000}
	// tasks/cancel: error -32602: cannot cancel a task that is already cancelled
	// tools/call: error -32602: invalid params: params.task.ttl: expected integer, got string
}
