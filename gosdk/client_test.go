package gosdk_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	gen "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
	"github.com/mcpgen-dev/mcpgen/gosdk"
)

// connectClient connects a go-sdk client, set up for the generated typed
// client, to srv in memory, and returns the typed client.
func connectClient(t *testing.T, srv *sdk.Server) *gen.ServerCaller {
	t.Helper()
	st, ct := sdk.NewInMemoryTransports()
	ss, err := srv.Connect(context.Background(), gosdk.WrapTransport(st), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ss.Close() })
	client := sdk.NewClient(&sdk.Implementation{Name: "go-client", Version: "0"}, nil)
	if err := gosdk.RegisterTaskMethods(client); err != nil {
		t.Fatal(err)
	}
	cs, err := client.Connect(context.Background(), gosdk.WrapClientTransport(ct), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	return &gen.ServerCaller{Peer: gosdk.NewPeer(cs)}
}

// TestGoSDKClientRunsTask: a go-sdk client creates, polls, cancels and
// lists tasks and fetches a result through the generated typed client.
func TestGoSDKClientRunsTask(t *testing.T) {
	srv, tasks := newServer(nil, nil)
	defer tasks.Close(context.Background())
	checkGoSDKClient(t, connectClient(t, srv))
}

// TestGoSDKClientRunsTaskStreamableHTTP: the same, the go-sdk client on
// its Streamable HTTP client transport.
func TestGoSDKClientRunsTaskStreamableHTTP(t *testing.T) {
	srv, tasks := newServer(nil, nil)
	defer tasks.Close(context.Background())
	h := sdk.NewStreamableHTTPHandler(func(*http.Request) *sdk.Server { return srv }, nil)
	hs := httptest.NewServer(gosdk.WrapHTTPHandler(h))
	defer hs.Close()
	client := sdk.NewClient(&sdk.Implementation{Name: "go-client", Version: "0"}, nil)
	if err := gosdk.RegisterTaskMethods(client); err != nil {
		t.Fatal(err)
	}
	cs, err := client.Connect(context.Background(), gosdk.WrapClientTransport(&sdk.StreamableClientTransport{Endpoint: hs.URL}), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	checkGoSDKClient(t, &gen.ServerCaller{Peer: gosdk.NewPeer(cs)})
}

func checkGoSDKClient(t *testing.T, caller *gen.ServerCaller) {
	t.Helper()
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
	if err := gosdk.NewPeer(nil).Notify(ctx, gen.MethodCancelledNotification, nil); err == nil {
		t.Errorf("Notify succeeded; go-sdk sends no custom notifications")
	}
}

// countingStore is a TaskStore that counts the writes it passes on.
type countingStore struct {
	gen.TaskStore
	writes atomic.Int64
}

func (s *countingStore) CompareAndSwap(ctx context.Context, key string, version int64, value []byte, ttl time.Duration) (int64, bool, error) {
	s.writes.Add(1)
	return s.TaskStore.CompareAndSwap(ctx, key, version, value, ttl)
}

// TestStoreIsPluggable: the engine keeps its tasks in the TaskStore of
// Options.Engine.Store, so two go-sdk servers (two engines) on one store
// serve the same tasks: a task created through one is polled, fetched and
// listed through the other, for the same owner.
func TestStoreIsPluggable(t *testing.T) {
	store := &countingStore{TaskStore: gen.NewMemoryStore()}
	owner := func(context.Context) (string, error) { return "alice", nil }
	srvA, tasksA := newServerWith(nil, gen.EngineOptions{Store: store, Owner: owner})
	defer tasksA.Close(context.Background())
	srvB, tasksB := newServerWith(nil, gen.EngineOptions{Store: store, Owner: owner})
	defer tasksB.Close(context.Background())
	a, b := connectClient(t, srvA), connectClient(t, srvB)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	created, err := a.CallToolAsTask(ctx, &gen.CallToolRequestParams{
		Name: "slow", Arguments: map[string]any{"ms": 100, "text": "shared"}, Task: &gen.TaskMetadata{},
	})
	if err != nil {
		t.Fatal(err)
	}
	if store.writes.Load() == 0 {
		t.Fatal("the engine created a task without writing to the given store")
	}
	var out gen.CallToolResult
	if err := gen.ResumeTask(b, created.Task.TaskID).Outcome(ctx, &out); err != nil {
		t.Fatalf("the other server's Outcome: %v", err)
	}
	if data, _ := json.Marshal(out.Content); !strings.Contains(string(data), "slow done: shared") {
		t.Errorf("outcome through the other server: %s", data)
	}
	list, err := b.ListTasks(ctx, &gen.PaginatedRequestParams{})
	if err != nil || len(list.Tasks) != 1 || list.Tasks[0].TaskID != created.Task.TaskID {
		t.Errorf("tasks/list through the other server: %+v, %v", list, err)
	}
}
