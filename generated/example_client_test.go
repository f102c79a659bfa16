package generated_test

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
)

// pipe is a Peer that hands each request to a dispatcher in this process.
// A program implements Peer over its SDK session or transport instead.
type pipe struct{ d *mcp.ServerDispatcher }

func (p pipe) Call(ctx context.Context, method string, params json.RawMessage) (json.RawMessage, error) {
	res, rpcErr := p.d.Dispatch(ctx, method, params)
	if rpcErr != nil {
		return nil, rpcErr // a *mcp.Error has the RPCError method Peer asks for
	}
	return res, nil
}

func (p pipe) Notify(ctx context.Context, method string, params json.RawMessage) error {
	if rpcErr := p.d.Notify(ctx, method, params); rpcErr != nil {
		return rpcErr
	}
	return nil
}

// reportServer runs a tools/call as a task that is done when it is first
// polled.
type reportServer struct {
	mcp.UnimplementedServerHandler
	task mcp.Task
}

var exampleClock = time.Date(2025, 11, 25, 9, 0, 0, 0, time.UTC)

func (s *reportServer) CallToolAsTask(ctx context.Context, p *mcp.CallToolRequestParams) (*mcp.CreateTaskResult, error) {
	now, poll := exampleClock.Format(time.RFC3339), int64(10)
	s.task = mcp.Task{TaskID: "t1", Status: mcp.TaskStatusInitial, CreatedAt: now, LastUpdatedAt: now, PollInterval: &poll}
	return &mcp.CreateTaskResult{Task: s.task}, nil
}

func (s *reportServer) GetTask(ctx context.Context, p *mcp.GetTaskRequestParams) (*mcp.GetTaskResult, error) {
	if s.task.Status == mcp.TaskStatusWorking {
		if err := s.task.MoveTo(mcp.TaskStatusCompleted, exampleClock.Add(time.Second)); err != nil {
			return nil, err
		}
	}
	t := s.task
	return &mcp.GetTaskResult{TaskID: t.TaskID, Status: t.Status, CreatedAt: t.CreatedAt, LastUpdatedAt: t.LastUpdatedAt, PollInterval: t.PollInterval}, nil
}

func (s *reportServer) GetTaskPayload(ctx context.Context, p *mcp.GetTaskPayloadRequestParams) (*mcp.GetTaskPayloadResult, error) {
	data, err := json.Marshal(&mcp.CallToolResult{Content: []mcp.ContentBlock{&mcp.TextContent{Text: "report ready"}}})
	if err != nil {
		return nil, err
	}
	var payload mcp.GetTaskPayloadResult
	return &payload, payload.UnmarshalJSON(data)
}

// A client calls a tool as a task and follows it to its result: the
// ServerCaller sends typed requests through any Peer, and the RemoteTask
// polls tasks/get at the server's pollInterval, holds every status to the
// lifecycle, and fetches tasks/result into the tool's result type.
func ExampleRemoteTask() {
	d := &mcp.ServerDispatcher{
		Handler: &reportServer{},
		Capabilities: mcp.ServerCapabilities{Tasks: &mcp.ServerCapabilitiesTasks{
			Requests: &mcp.ServerCapabilitiesTasksRequests{Tools: &mcp.ServerCapabilitiesTasksRequestsTools{Call: map[string]any{}}},
		}},
		ToolTaskSupport: func(tool string) (mcp.ToolExecutionTaskSupport, bool) {
			return mcp.ToolExecutionTaskSupportRequired, tool == "report"
		},
	}
	server := &mcp.ServerCaller{Peer: pipe{d}}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	created, err := server.CallToolAsTask(ctx, &mcp.CallToolRequestParams{Name: "report", Task: &mcp.TaskMetadata{}})
	if err != nil {
		fmt.Println("tools/call:", err)
		return
	}
	task, err := mcp.FollowTask(server, created)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("created:", task.ID(), created.Task.Status)
	task.OnStatus = func(s mcp.Task) { fmt.Println("status:", s.Status) }

	var res mcp.CallToolResult
	if err := task.Outcome(ctx, &res); err != nil {
		fmt.Println(err) // a JSON-RPC error of the tool comes back as *mcp.Error
		return
	}
	fmt.Println("result:", res.Content[0].(*mcp.TextContent).Text)
	// Output:
	// created: t1 working
	// status: completed
	// result: report ready
}
