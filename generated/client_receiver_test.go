package generated

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
	"github.com/mcpgen-dev/mcpgen/internal/rpcconn"
)

// receiverServer is the Go server of TestClientToTaskReceiver: it answers
// initialize, keeps the client's capabilities and hands status
// notifications on.
type receiverServer struct {
	mcp.UnimplementedServerHandler
	initialized chan mcp.ClientCapabilities
	caps        mcp.ClientCapabilities
	onStatus    func(*mcp.TaskStatusNotificationParams)
}

func (s *receiverServer) Initialize(ctx context.Context, p *mcp.InitializeRequestParams) (*mcp.InitializeResult, error) {
	s.caps = p.Capabilities
	return &mcp.InitializeResult{
		ProtocolVersion: p.ProtocolVersion,
		ServerInfo:      mcp.Implementation{Name: "mcpgen-receiver-test", Version: "0"},
	}, nil
}

func (s *receiverServer) OnInitialized(context.Context, *mcp.NotificationParams) error {
	s.initialized <- s.caps
	return nil
}

func (s *receiverServer) Ping(context.Context, *mcp.RequestParams) (*mcp.EmptyResult, error) {
	return &mcp.EmptyResult{}, nil
}

func (s *receiverServer) OnTaskStatus(ctx context.Context, p *mcp.TaskStatusNotificationParams) error {
	s.onStatus(p)
	return nil
}

// TestClientToTaskReceiver runs the server→client direction: a Go server
// task-augments elicitation/create to a client that serves it with the
// official receiver of @modelcontextprotocol/ext-tasks 0.2.2
// (bindTaskReceiver), follows the task with the generated ClientCaller and
// RemoteTask, and reads the elicitation's result; a second one it
// cancels; it runs a task-augmented sampling request the same way; then
// it lists the client's tasks.
func TestClientToTaskReceiver(t *testing.T) {
	peers, err := filepath.Abs(filepath.Join("..", "testdata", "peers"))
	if err != nil {
		t.Fatal(err)
	}
	node, nodeErr := exec.LookPath("node")
	_, libErr := os.Stat(filepath.Join(peers, "node_modules", "@modelcontextprotocol", "ext-tasks", "package.json"))
	if nodeErr != nil || libErr != nil {
		msg := "the ext-tasks receiver needs node and `npm ci` in testdata/peers"
		if os.Getenv("CI") != "" {
			t.Fatalf("%s: node: %v; ext-tasks: %v", msg, nodeErr, libErr)
		}
		t.Skipf("%s: node: %v; ext-tasks: %v", msg, nodeErr, libErr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	var tasks sync.Map // id → *mcp.RemoteTask
	var noteMu sync.Mutex
	var noteErrs []error
	notes := map[string][]mcp.TaskStatus{}
	srv := &receiverServer{initialized: make(chan mcp.ClientCapabilities, 1), onStatus: func(p *mcp.TaskStatusNotificationParams) {
		noteMu.Lock()
		defer noteMu.Unlock()
		notes[p.TaskID] = append(notes[p.TaskID], p.Status)
		if v, ok := tasks.Load(p.TaskID); ok {
			if err := v.(*mcp.RemoteTask).ObserveNotification(p); err != nil {
				noteErrs = append(noteErrs, err)
			}
		}
	}}
	d := &mcp.ServerDispatcher{Handler: srv}

	cmd := exec.Command(node, "receiver-client.mjs")
	cmd.Dir = peers
	conn, err := rpcconn.StartProcess(cmd, rpcconn.Dispatch(d.Dispatch), func(method string, params json.RawMessage) { d.Notify(ctx, method, params) })
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		conn.Close(2 * time.Second)
		if t.Failed() {
			t.Logf("receiver-client stderr:\n%s", conn.Stderr())
		}
	}()

	var caps mcp.ClientCapabilities
	select {
	case caps = <-srv.initialized:
	case <-ctx.Done():
		t.Fatalf("the client never initialized: %v", ctx.Err())
	}
	if !caps.TaskAugmentable(mcp.MethodElicit) || !caps.SupportsTaskList() || !caps.SupportsTaskCancel() {
		t.Fatalf("the receiver's client declares tasks %s, want list, cancel and requests.elicitation.create", mustJSONString(caps.Tasks))
	}
	client := &mcp.ClientCaller{Peer: conn}

	elicit := func(t *testing.T, message string) (*mcp.RemoteTask, *[]mcp.TaskStatus) {
		t.Helper()
		created, err := client.ElicitAsTask(ctx, &mcp.ElicitRequestFormParams{
			Message: message,
			RequestedSchema: mcp.ElicitRequestFormParamsRequestedSchema{
				Properties: map[string]mcp.PrimitiveSchemaDefinition{"answer": &mcp.StringSchema{Title: "Answer"}},
				Required:   []string{"answer"},
			},
			Task: &mcp.TaskMetadata{},
		})
		if err != nil {
			t.Fatalf("task-augmented elicitation/create: %v", err)
		}
		// KNOWN PEER DEVIATION (ext-tasks 0.2.2, dist/receiver/index.js,
		// the record it makes for a new task): the receiver creates every
		// task input_required, where 2025-11-25 starts a task working.
		// FollowTask refuses that; pin it, then follow the task by its id.
		task, err := mcp.FollowTask(client, created)
		if created.Task.Status != mcp.TaskStatusInputRequired || err == nil || !strings.Contains(err.Error(), "created input_required") {
			t.Fatalf("created %s, FollowTask: %v; want the known deviation (created input_required, refused)", created.Task.Status, err)
		}
		task = mcp.ResumeTask(client, created.Task.TaskID)
		if err := task.Observe(created.Task); err != nil {
			t.Fatal(err)
		}
		seen := []mcp.TaskStatus{created.Task.Status}
		var mu sync.Mutex
		task.OnStatus = func(s mcp.Task) {
			mu.Lock()
			defer mu.Unlock()
			if seen[len(seen)-1] != s.Status {
				seen = append(seen, s.Status)
			}
		}
		tasks.Store(task.ID(), task)
		return task, &seen
	}

	t.Run("elicitation completes", func(t *testing.T) {
		task, seen := elicit(t, "favourite colour?")
		var res mcp.ElicitResult
		if err := task.Outcome(ctx, &res); err != nil {
			t.Fatal(err)
		}
		answer, _ := res.Content["answer"].(mcp.ElicitResultContentValueString)
		if res.Action != mcp.ElicitResultActionAccept || answer != "from the receiver: favourite colour?" {
			t.Fatalf("elicitation result %s", mustJSONString(&res))
		}
		if !slices.Equal(*seen, []mcp.TaskStatus{mcp.TaskStatusInputRequired, mcp.TaskStatusCompleted}) {
			t.Fatalf("statuses %v", *seen)
		}
		// KNOWN PEER DEVIATION (ext-tasks 0.2.2, dist/receiver/index.js, its
		// tasks/result handler returns the callback's result as it is):
		// tasks/result's response lacks the related-task _meta that
		// 2025-11-25 requires. Result takes it; pin it so a fix is noticed.
		again, err := task.Result(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rt, ok := mcp.RelatedTaskOf(again.Meta); ok {
			t.Fatalf("the receiver now sends the related-task _meta (%s): drop this deviation", rt.TaskID)
		}
	})
	t.Run("elicitation cancelled", func(t *testing.T) {
		task, _ := elicit(t, "wait for cancel")
		got, err := task.Cancel(ctx)
		if err != nil {
			t.Fatalf("tasks/cancel: %v", err)
		}
		if got.Status != mcp.TaskStatusCancelled {
			t.Fatalf("tasks/cancel answered %s", got.Status)
		}
		var res mcp.ElicitResult
		err = task.Outcome(ctx, &res)
		var rpcErr *mcp.Error
		t.Logf("tasks/result of the cancelled task: %v", err)
		if err == nil || !errors.As(err, &rpcErr) {
			t.Fatalf("tasks/result of a cancelled elicitation: %v, want a JSON-RPC error", err)
		}
	})
	t.Run("sampling completes", func(t *testing.T) {
		if !caps.TaskAugmentable(mcp.MethodCreateMessage) {
			t.Fatalf("the receiver's client does not declare task-augmented sampling: %s", mustJSONString(caps.Tasks))
		}
		created, err := client.CreateMessageAsTask(ctx, &mcp.CreateMessageRequestParams{
			MaxTokens: 20,
			Messages:  []mcp.SamplingMessage{{Role: mcp.RoleUser, Content: &mcp.TextContent{Text: "stressed"}}},
			Task:      &mcp.TaskMetadata{},
		})
		if err != nil {
			t.Fatalf("task-augmented sampling/createMessage: %v", err)
		}
		task := mcp.ResumeTask(client, created.Task.TaskID) // created input_required, as above
		if err := task.Observe(created.Task); err != nil {
			t.Fatal(err)
		}
		tasks.Store(task.ID(), task)
		var res mcp.CreateMessageResult
		if err := task.Outcome(ctx, &res); err != nil {
			t.Fatal(err)
		}
		text, _ := res.Content.(*mcp.TextContent)
		if res.Model != "reverser" || res.Role != mcp.RoleAssistant || text == nil || text.Text != "desserts" {
			t.Fatalf("sampling result %s", mustJSONString(&res))
		}
	})
	t.Run("tasks/list", func(t *testing.T) {
		var listed []string
		for task, err := range mcp.ListRemoteTasks(ctx, client) {
			if err != nil {
				t.Fatal(err)
			}
			listed = append(listed, task.TaskID)
		}
		tasks.Range(func(id, _ any) bool {
			if !slices.Contains(listed, id.(string)) {
				t.Errorf("task %s is not listed (%v)", id, listed)
			}
			return true
		})
	})
	noteMu.Lock()
	defer noteMu.Unlock()
	if len(noteErrs) > 0 {
		t.Fatalf("status notifications refused: %v", noteErrs)
	}
	t.Logf("status notifications: %v", notes)
}

func mustJSONString(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(data)
}
