package generated_test

import (
	"context"
	"encoding/json"
	"testing"

	mcp "github.com/mcpgen-dev/mcpgen/generated/mcp20251125"
)

// The engine's cost per task, through the generated dispatcher as a host
// calls it: a task-augmented tools/call (decode, create, store, start the
// work), the work completing (the lifecycle move, stored), and tasks/result
// (which waits for it and answers the stored result). The baseline is the
// same tool called plainly through the dispatcher: decode the params, run
// the tool, encode the result.

func benchServer(b *testing.B) *mcp.ServerDispatcher {
	e := mcp.NewEngine(mcp.EngineOptions{MaxTasks: -1, MaxTasksPerOwner: -1, NoStatusNotifications: true})
	b.Cleanup(func() { e.Close(context.Background()) })
	tools := standardTools(nil, nil)
	return &mcp.ServerDispatcher{
		Handler:         e.ServerHandler(tools),
		Capabilities:    mcp.ServerCapabilities{Tools: &mcp.ServerCapabilitiesTools{}, Tasks: e.ServerTasks()},
		ToolTaskSupport: mcp.ToolTaskSupportOf(tools.defs),
	}
}

var benchCall = json.RawMessage(`{"name":"echo","arguments":{"text":"hello"},"task":{"ttl":60000}}`)

// BenchmarkPlainToolCall: decode and encode alone, with the tool between.
func BenchmarkPlainToolCall(b *testing.B) {
	d := benchServer(b)
	ctx := context.Background()
	params := json.RawMessage(`{"name":"echo","arguments":{"text":"hello"}}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.Dispatch(ctx, mcp.MethodCallTool, params); err != nil {
			b.Fatal(err)
		}
	}
}

// taskRoundTrip creates a task and waits for its result.
func taskRoundTrip(b *testing.B, d *mcp.ServerDispatcher) {
	ctx := context.Background()
	res, err := d.Dispatch(ctx, mcp.MethodCallTool, benchCall)
	if err != nil {
		b.Fatal(err)
	}
	var created mcp.CreateTaskResult
	if err := created.UnmarshalJSON(res); err != nil {
		b.Fatal(err)
	}
	if _, err := d.Dispatch(ctx, mcp.MethodGetTaskPayload, json.RawMessage(`{"taskId":"`+created.Task.TaskID+`"}`)); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkTaskRoundTrip: create → complete → result, one task at a time.
func BenchmarkTaskRoundTrip(b *testing.B) {
	d := benchServer(b)
	b.ReportAllocs()
	for b.Loop() {
		taskRoundTrip(b, d)
	}
}

// BenchmarkTaskRoundTripParallel: the same with GOMAXPROCS requestors at
// once, on one engine.
func BenchmarkTaskRoundTripParallel(b *testing.B) {
	d := benchServer(b)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			taskRoundTrip(b, d)
		}
	})
}

// BenchmarkTaskGet: tasks/get of a stored task, the poll a requestor repeats.
func BenchmarkTaskGet(b *testing.B) {
	d := benchServer(b)
	ctx := context.Background()
	res, rpcErr := d.Dispatch(ctx, mcp.MethodCallTool, benchCall)
	if rpcErr != nil {
		b.Fatal(rpcErr)
	}
	var created mcp.CreateTaskResult
	created.UnmarshalJSON(res)
	params := json.RawMessage(`{"taskId":"` + created.Task.TaskID + `"}`)
	d.Dispatch(ctx, mcp.MethodGetTaskPayload, params)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.Dispatch(ctx, mcp.MethodGetTask, params); err != nil {
			b.Fatal(err)
		}
	}
}
