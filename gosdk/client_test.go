package gosdk_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	gen "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
	gosdkadapter "github.com/mcpgen-dev/mcpgen/gosdk"
)

// connectClient connects a go-sdk client, set up for the generated typed
// client, to srv in memory, and returns the typed client.
func connectClient(t *testing.T, srv *sdk.Server) *gen.ServerCaller {
	t.Helper()
	st, ct := sdk.NewInMemoryTransports()
	ss, err := srv.Connect(context.Background(), gosdkadapter.WrapTransport(st), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ss.Close() })
	client := sdk.NewClient(&sdk.Implementation{Name: "go-client", Version: "0"}, nil)
	if err := gosdkadapter.RegisterTaskMethods(client); err != nil {
		t.Fatal(err)
	}
	cs, err := client.Connect(context.Background(), gosdkadapter.WrapClientTransport(ct), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	return &gen.ServerCaller{Peer: gosdkadapter.NewPeer(cs)}
}

// TestGoSDKClientRunsTask: a go-sdk client creates, polls, cancels and
// lists tasks and fetches a result through the generated typed client.
func TestGoSDKClientRunsTask(t *testing.T) {
	srv, tasks := newServer(nil, nil)
	defer tasks.Close(context.Background())
	caller := connectClient(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	created, err := caller.CallToolAsTask(ctx, &gen.CallToolRequestParams{
		Name: "slow", Arguments: map[string]any{"ms": 100, "text": "go"}, Task: &gen.TaskMetadata{},
	})
	if err != nil {
		t.Fatalf("CallToolAsTask: %v", err)
	}
	if created.Task.Status != gen.TaskStatusWorking || created.Task.PollInterval == nil || *created.Task.PollInterval != pollIntervalMS {
		t.Fatalf("created %+v", created.Task)
	}
	remote, err := gen.FollowTask(caller, created)
	if err != nil {
		t.Fatal(err)
	}
	var out gen.CallToolResult
	if err := remote.Outcome(ctx, &out); err != nil {
		t.Fatalf("Outcome: %v", err)
	}
	if len(out.Content) != 1 {
		t.Fatalf("outcome %+v", out)
	}
	data, _ := json.Marshal(out.Content[0])
	if want := `"slow done: go"`; !json.Valid(data) || !strings.Contains(string(data), want) {
		t.Errorf("outcome content %s, want text %s", data, want)
	}
	if last, _ := remote.Last(); last.Status != gen.TaskStatusCompleted {
		t.Errorf("last status %s", last.Status)
	}

	// A long task, cancelled while it works.
	created, err = caller.CallToolAsTask(ctx, &gen.CallToolRequestParams{
		Name: "slow", Arguments: map[string]any{"ms": 10000, "text": "long"}, Task: &gen.TaskMetadata{},
	})
	if err != nil {
		t.Fatal(err)
	}
	long := gen.ResumeTask(caller, created.Task.TaskID)
	if got, err := long.Cancel(ctx); err != nil || got.Status != gen.TaskStatusCancelled {
		t.Fatalf("Cancel: %+v, %v", got, err)
	}

	var ids []string
	for task, err := range gen.ListRemoteTasks(ctx, caller) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, task.TaskID)
	}
	if len(ids) != 2 {
		t.Errorf("tasks/list: %v, want both tasks", ids)
	}

	// Errors keep their codes through the Peer.
	_, err = caller.GetTask(ctx, &gen.GetTaskRequestParams{TaskID: "nope"})
	var ge *gen.Error
	if !errors.As(err, &ge) || ge.Code != gen.CodeInvalidParams {
		t.Errorf("tasks/get of an unknown task: %v, want -32602", err)
	}
	_, err = caller.CallToolAsTask(ctx, &gen.CallToolRequestParams{Name: "echo", Arguments: map[string]any{"text": "x"}, Task: &gen.TaskMetadata{}})
	if !errors.As(err, &ge) || ge.Code != gen.CodeMethodNotFound {
		t.Errorf("task-augmented call of a forbidden tool: %v, want -32601", err)
	}
	// A plain call through the Peer is go-sdk's CallTool.
	plain, err := caller.CallTool(ctx, &gen.CallToolRequestParams{Name: "echo", Arguments: map[string]any{"text": "plain"}})
	if err != nil || len(plain.Content) != 1 {
		t.Errorf("plain tools/call: %+v, %v", plain, err)
	}
	if err := gosdkadapter.NewPeer(nil).Notify(ctx, gen.MethodCancelledNotification, nil); err == nil {
		t.Errorf("Notify succeeded; go-sdk sends no custom notifications")
	}
}
