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
