package sdk_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"example.com/sdk/jsonrpc"
	"example.com/sdk/mcptasks"
)

// The vendored request type carries the host's own id type.
func TestMappedRequestID(t *testing.T) {
	var req mcptasks.MCPGetTaskRequest
	if err := json.Unmarshal([]byte(`{"jsonrpc":"2.0","id":42,"method":"tasks/get","params":{"taskId":"t1"}}`), &req); err != nil {
		t.Fatal(err)
	}
	if req.ID != (jsonrpc.ID{Num: 42, IsNum: true}) || req.Params.TaskID != "t1" {
		t.Fatalf("decoded %+v", req)
	}
	out, err := json.Marshal(mcptasks.MCPGetTaskRequest{ID: jsonrpc.ID{Str: "a"}, Params: mcptasks.MCPGetTaskRequestParams{TaskID: "t2"}})
	if err != nil || string(out) != `{"jsonrpc":"2.0","method":"tasks/get","id":"a","params":{"taskId":"t2"}}` {
		t.Fatalf("encoded %s, %v", out, err)
	}
	if err := json.Unmarshal([]byte(`{"jsonrpc":"2.0","id":true,"method":"tasks/get","params":{"taskId":"t1"}}`), &req); err == nil {
		t.Fatal("a boolean id was accepted")
	}
}

type store struct {
	mcptasks.MCPUnimplementedServerHandler
	task mcptasks.MCPTask
}

func (s *store) CancelTask(ctx context.Context, p *mcptasks.MCPCancelTaskRequestParams) (*mcptasks.MCPCancelTaskResult, error) {
	if err := s.task.MoveTo(mcptasks.MCPTaskStatusCancelled, time.Now()); err != nil {
		return nil, err
	}
	return mcptasks.NewMCPCancelTaskResult(&s.task), nil
}

// The vendored dispatcher and lifecycle work under their prefixed names.
func TestVendoredDispatcher(t *testing.T) {
	s := &store{task: mcptasks.MCPTask{TaskID: "t1", Status: mcptasks.MCPTaskStatusInitial}}
	d := &mcptasks.MCPServerDispatcher{
		Handler:      s,
		Capabilities: mcptasks.MCPServerCapabilities{Tasks: &mcptasks.MCPServerCapabilitiesTasks{Cancel: map[string]any{}}},
		TaskStatusOf: func(ctx context.Context, id string) (mcptasks.MCPTaskStatus, bool) {
			return s.task.Status, id == s.task.TaskID
		},
	}
	ctx := context.Background()
	if _, err := d.Dispatch(ctx, mcptasks.MCPMethodCancelTask, json.RawMessage(`{"taskId":"t1"}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Dispatch(ctx, mcptasks.MCPMethodCancelTask, json.RawMessage(`{"taskId":"t1"}`)); err == nil || err.Code != mcptasks.MCPCodeInvalidParams {
		t.Fatalf("second cancel: %v", err)
	}
	if _, err := d.Dispatch(ctx, "tools/call", json.RawMessage(`{"name":"x"}`)); err == nil || err.Code != mcptasks.MCPCodeMethodNotFound {
		t.Fatalf("a method left out by -only: %v", err)
	}
	if !s.task.Status.IsTerminal() || len(mcptasks.MCPTaskStatusLifecycle) != 5 {
		t.Fatalf("lifecycle: %+v", s.task)
	}
}

// tools is an SDK's own tool handler on the vendored subset: it knows
// nothing of tasks.
type tools struct {
	mcptasks.MCPUnimplementedServerHandler
}

func (tools) CallTool(ctx context.Context, p *mcptasks.MCPCallToolRequestParams) (*mcptasks.MCPCallToolResult, error) {
	text, _ := p.Arguments["text"].(string)
	return &mcptasks.MCPCallToolResult{Content: []mcptasks.MCPContentBlock{&mcptasks.MCPTextContent{Text: "echo: " + text}}}, nil
}

// A server on the subset runs a task-augmented tools/call with the
// vendored engine: the generated dispatcher routes it, the engine runs
// the tool as a task and answers tasks/get and tasks/result, under the
// prefixed names, with no routing written here.
func TestVendoredEngine(t *testing.T) {
	engine := mcptasks.MCPNewEngine(mcptasks.MCPEngineOptions{})
	defer engine.Close(context.Background())
	defs := []mcptasks.MCPTool{{Name: "echo", Execution: &mcptasks.MCPToolExecution{TaskSupport: mcptasks.MCPToolExecutionTaskSupportOptional}}}
	d := &mcptasks.MCPServerDispatcher{
		Handler:         engine.ServerHandler(tools{}),
		Capabilities:    mcptasks.MCPServerCapabilities{Tools: &mcptasks.MCPServerCapabilitiesTools{}, Tasks: engine.ServerTasks()},
		ToolTaskSupport: mcptasks.MCPToolTaskSupportOf(defs),
	}
	ctx := context.Background()
	raw, rpcErr := d.Dispatch(ctx, mcptasks.MCPMethodCallTool, json.RawMessage(`{"name":"echo","arguments":{"text":"hi"},"task":{"ttl":60000}}`))
	if rpcErr != nil {
		t.Fatal(rpcErr)
	}
	var created mcptasks.MCPCreateTaskResult
	if err := created.UnmarshalJSON(raw); err != nil || created.Task.Status != mcptasks.MCPTaskStatusInitial || *created.Task.TTL != 60000 {
		t.Fatalf("created %s (%v)", raw, err)
	}
	id := json.RawMessage(`{"taskId":"` + created.Task.TaskID + `"}`)
	raw, rpcErr = d.Dispatch(ctx, mcptasks.MCPMethodGetTaskPayload, id)
	if rpcErr != nil {
		t.Fatal(rpcErr)
	}
	var res mcptasks.MCPCallToolResult
	if err := res.UnmarshalJSON(raw); err != nil || res.Content[0].(*mcptasks.MCPTextContent).Text != "echo: hi" {
		t.Fatalf("tasks/result %s (%v)", raw, err)
	}
	if rel, ok := mcptasks.MCPRelatedTaskOf(res.Meta); !ok || rel.TaskID != created.Task.TaskID {
		t.Errorf("tasks/result _meta %v", res.Meta)
	}
	raw, rpcErr = d.Dispatch(ctx, mcptasks.MCPMethodGetTask, id)
	var got mcptasks.MCPGetTaskResult
	if rpcErr != nil || got.UnmarshalJSON(raw) != nil || got.Status != mcptasks.MCPTaskStatusCompleted {
		t.Errorf("tasks/get %s %v", raw, rpcErr)
	}
	if _, rpcErr = d.Dispatch(ctx, mcptasks.MCPMethodCallTool, json.RawMessage(`{"name":"nope","task":{}}`)); rpcErr != nil {
		t.Errorf("an unknown tool as a task: %v (the tool's own error belongs in tasks/result)", rpcErr)
	}
}
